//! What the scorer knows about each answer segment before comparing it with any point:
//! bare keywords, substance, and how much it merely repeats the question.

use serde::Serialize;

use super::Rubric;
use crate::score::cues::{content_stems, is_keyword_list, reads_as_clause};
use crate::segment::keywords::{is_bare_run, is_notes_list};
use crate::segment::{Segment, SegmentKind};

/// What the scorer knows about a segment before comparing it with any point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentFacts {
    /// A bare keyword, not a clause.
    pub keyword: bool,
    /// Counts towards precision.
    pub substantive: bool,
    /// Share of its content words that are not in the question (None without a question).
    pub novelty: Option<f32>,
}

/// The embedding-free facts of each segment of an answer to `rubric`.
pub fn segment_facts(rubric: &Rubric, segments: &[Segment]) -> Vec<SegmentFacts> {
    let question_stems = rubric.question.as_deref().map(content_stems);
    let keyword_sentences = keyword_sentences(segments);
    let notes_sentences = notes_sentences(segments);
    segments
        .iter()
        .map(|segment| {
            let stems = content_stems(&segment.text);
            let novelty = question_stems.as_ref().map(|question_stems| {
                let novel = stems
                    .iter()
                    .filter(|stem| !question_stems.contains(*stem))
                    .count();
                if stems.is_empty() {
                    0.0
                } else {
                    novel as f32 / stems.len() as f32
                }
            });
            SegmentFacts {
                // A clause cut from a keyword list is a keyword too when it is a run of the
                // list's items, however many words the run adds up to.
                // In notes that mix statements with keywords, a run of the keywords is
                // cut out on its own and is a keyword.
                keyword: keyword_sentences[segment.sentence]
                    && (segment.kind == SegmentKind::Sentence
                        || !reads_as_clause(&segment.text)
                        || is_keyword_list(&segment.text))
                    || notes_sentences[segment.sentence]
                        && segment.kind == SegmentKind::Clause
                        && is_bare_run(&segment.text),
                substantive: segment.kind == SegmentKind::Sentence && stems.len() >= 2,
                novelty,
            }
        })
        .collect()
}

/// Which sentences are bare keyword lists (or a lone keyword with no clause).
pub(super) fn keyword_sentences(segments: &[Segment]) -> Vec<bool> {
    sentences_where(segments, |text| {
        is_keyword_list(text) || !reads_as_clause(text)
    })
}

/// Which sentences are notes mixing statements with bare keywords.
fn notes_sentences(segments: &[Segment]) -> Vec<bool> {
    sentences_where(segments, is_notes_list)
}

/// For each sentence of the answer, whether its text passes `test`.
fn sentences_where(segments: &[Segment], test: impl Fn(&str) -> bool) -> Vec<bool> {
    let sentences = segments
        .iter()
        .map(|segment| segment.sentence)
        .max()
        .map_or(0, |last| last + 1);
    let mut passes = vec![false; sentences];
    for segment in segments
        .iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
    {
        passes[segment.sentence] = test(&segment.text);
    }
    passes
}
