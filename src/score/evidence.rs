//! The evidence for each expected point: the segment that best affirms it, the one that best
//! denies it, and the features the decision layer reads for each. It depends on the vectors
//! and the texts only, not on the scorer's weights, so calibration gathers it once.

use std::collections::BTreeSet;

use ndarray::Array1;

use super::facts::{segment_facts, SegmentFacts};
use super::negation::{denies, opens_with_dismissal, NegationScope};
use super::settings::MatchMode;
use super::{assign_max, AnswerVectors, Rubric, RubricVectors};
use crate::segment::{Segment, SegmentKind};
use crate::text_cues::{content_stems, stem_overlap, words};

/// The decision layer's inputs, in order. A scorer file names them, so a file fitted on
/// another list is refused rather than misread.
pub const FEATURES: [&str; 17] = [
    "cos_text",
    "cos_alias",
    "segment_to_question",
    "margin_over_question",
    "answer_to_question",
    "overlap_text",
    "overlap_alias",
    "denied_elsewhere",
    "log_words_per_sentence",
    "comma_rate",
    "relative_to_other_points",
    "keyword_fragment",
    "novelty",
    "margin_over_point_question",
    "is_clause",
    "answer_novelty",
    "denial_share",
];

/// A segment considered for a point, with what the layer reads about the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub segment: usize,
    /// The best cosine of the segment to the point's text or aliases.
    pub similarity: f32,
    pub features: Vec<f32>,
}

/// What the answer offers for one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointEvidence {
    /// The best segment that does not deny the point.
    pub affirming: Option<Candidate>,
    /// The best segment that denies it. The layer reads its denial share, so it learns how
    /// much a denial counts: in some answers "not connected" is the content itself.
    pub denying: Option<Candidate>,
}

impl PointEvidence {
    /// The candidate the layer was fitted on for this point: the more similar of the two.
    pub fn strongest(&self) -> Option<&Candidate> {
        match (&self.affirming, &self.denying) {
            (Some(affirming), Some(denying)) if denying.similarity > affirming.similarity => {
                Some(denying)
            }
            (Some(affirming), _) => Some(affirming),
            (None, denying) => denying.as_ref(),
        }
    }
}

impl Candidate {
    /// The features as if the segment affirmed the point: a denial only matters when the
    /// same words, affirmed, would have covered it.
    pub fn as_affirmed(&self) -> Vec<f32> {
        let mut features = self.features.clone();
        for name in ["denial_share", "denied_elsewhere"] {
            if let Some(index) = FEATURES.iter().position(|feature| *feature == name) {
                features[index] = 0.0;
            }
        }
        features
    }
}

/// Everything scoring needs beyond the scorer: per point evidence and per segment facts.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub points: Vec<PointEvidence>,
    pub segments: Vec<Segment>,
    pub facts: Vec<SegmentFacts>,
    /// Cosine of each segment to the question (None without a question).
    pub to_question: Vec<Option<f32>>,
    /// The whole answer's cosine to the question, and the share of its content words that
    /// are not in the question (both None without a question).
    pub answer_to_question: Option<f32>,
    pub answer_novelty: Option<f32>,
    pub any_truncated: bool,
}

/// Per-(point, segment) measurements shared by every candidate.
struct Grid {
    cos_text: Vec<Vec<f32>>,
    cos_alias: Vec<Vec<f32>>,
    overlap_text: Vec<Vec<f32>>,
    overlap_alias: Vec<Vec<f32>>,
    denial: Vec<Vec<f32>>,
}

impl Grid {
    fn similarity(&self, point: usize, segment: usize) -> f32 {
        self.cos_text[point][segment].max(self.cos_alias[point][segment])
    }

    fn denies(&self, point: usize, segment: usize) -> bool {
        self.denial[point][segment] > 0.5
    }
}

/// Answer-level measurements.
struct AnswerShape {
    to_question: f32,
    log_words_per_sentence: f32,
    comma_rate: f32,
    novelty: f32,
}

/// Gathers the evidence of one answer against its rubric.
pub fn gather(
    rubric: &Rubric,
    answer: &AnswerVectors,
    vectors: &RubricVectors,
    match_mode: MatchMode,
) -> Evidence {
    let segments = answer.segments;
    let facts = segment_facts(rubric, segments);
    let to_question: Vec<Option<f32>> = (0..segments.len())
        .map(|index| {
            vectors
                .question
                .as_ref()
                .map(|question| question.dot(&answer.vectors.row(index)))
        })
        .collect();
    let grid = grid(rubric, answer, vectors);
    let shape = answer_shape(rubric, answer, vectors);
    let point_to_question = point_to_question(rubric, vectors);

    let point_count = rubric.points.len();
    let affirming_choice: Vec<Option<usize>> = match match_mode {
        MatchMode::Best => (0..point_count)
            .map(|point| best_segment(&grid, point, segments.len(), false))
            .collect(),
        MatchMode::OneToOne => {
            let masked: Vec<Vec<f32>> = (0..point_count)
                .map(|point| {
                    (0..segments.len())
                        .map(|segment| {
                            if grid.denies(point, segment) {
                                0.0
                            } else {
                                grid.similarity(point, segment)
                            }
                        })
                        .collect()
                })
                .collect();
            assign_max(&masked)
                .into_iter()
                .enumerate()
                .map(|(point, chosen)| chosen.filter(|&segment| !grid.denies(point, segment)))
                .collect()
        }
    };
    let affirmed_similarity: Vec<f32> = affirming_choice
        .iter()
        .enumerate()
        .map(|(point, chosen)| chosen.map_or(0.0, |segment| grid.similarity(point, segment)))
        .collect();

    // What the other points' best segments score, affirmed or not: a denial is compared
    // with the rest of the answer as if it were said plainly.
    let any_similarity: Vec<f32> = (0..point_count)
        .map(|point| {
            (0..segments.len())
                .map(|segment| grid.similarity(point, segment))
                .fold(0.0, f32::max)
        })
        .collect();
    let measure = |point: usize, segment: usize, denied_elsewhere: f32, denying: bool| {
        let reference = if denying {
            &any_similarity
        } else {
            &affirmed_similarity
        };
        let similarity = grid.similarity(point, segment);
        let question = to_question[segment].unwrap_or(0.0);
        let others = point_count.saturating_sub(1).max(1) as f32;
        let other_mean = (reference.iter().sum::<f32>() - reference[point]) / others;
        let relative = if point_count > 1 {
            similarity - other_mean
        } else {
            0.0
        };
        let fact = &facts[segment];
        let features = vec![
            grid.cos_text[point][segment],
            grid.cos_alias[point][segment],
            question,
            similarity - question,
            shape.to_question,
            grid.overlap_text[point][segment],
            grid.overlap_alias[point][segment],
            denied_elsewhere,
            shape.log_words_per_sentence,
            shape.comma_rate,
            relative,
            if fact.keyword { 1.0 } else { 0.0 },
            fact.novelty.unwrap_or(1.0),
            similarity - point_to_question[point].unwrap_or(0.0),
            if segments[segment].kind == SegmentKind::Clause {
                1.0
            } else {
                0.0
            },
            shape.novelty,
            grid.denial[point][segment],
        ];
        Candidate {
            segment,
            similarity,
            features,
        }
    };

    let points = (0..point_count)
        .map(|point| {
            let denying_segment = best_segment(&grid, point, segments.len(), true);
            let denied_similarity =
                denying_segment.map_or(0.0, |segment| grid.similarity(point, segment));
            PointEvidence {
                affirming: affirming_choice[point].map(|segment| {
                    let excess = (denied_similarity - grid.similarity(point, segment)).max(0.0);
                    measure(point, segment, excess, false)
                }),
                denying: denying_segment.map(|segment| measure(point, segment, 0.0, true)),
            }
        })
        .collect();
    Evidence {
        points,
        segments: segments.to_vec(),
        facts,
        to_question,
        answer_to_question: vectors.question.as_ref().map(|_| shape.to_question),
        answer_novelty: rubric.question.as_ref().map(|_| shape.novelty),
        any_truncated: answer.any_truncated,
    }
}

/// The most similar segment that affirms (or, with `denying`, denies) the point.
fn best_segment(grid: &Grid, point: usize, count: usize, denying: bool) -> Option<usize> {
    (0..count)
        .filter(|&segment| grid.denies(point, segment) == denying)
        .fold(None, |best: Option<usize>, segment| match best {
            Some(best) if grid.similarity(point, best) >= grid.similarity(point, segment) => {
                Some(best)
            }
            _ => Some(segment),
        })
}

fn grid(rubric: &Rubric, answer: &AnswerVectors, vectors: &RubricVectors) -> Grid {
    let segments = answer.segments;
    let cosine = vectors.variants.dot(&answer.vectors.t());
    let segment_stems: Vec<BTreeSet<String>> = segments
        .iter()
        .map(|segment| content_stems(&segment.text))
        .collect();
    let denial = denial_shares(rubric, segments);
    let point_count = rubric.points.len();
    let mut grid = Grid {
        cos_text: vec![vec![0.0; segments.len()]; point_count],
        cos_alias: vec![vec![0.0; segments.len()]; point_count],
        overlap_text: vec![vec![0.0; segments.len()]; point_count],
        overlap_alias: vec![vec![0.0; segments.len()]; point_count],
        denial,
    };
    let mut variant = 0;
    for (point_index, point) in rubric.points.iter().enumerate() {
        let text_stems = content_stems(&point.text);
        let alias_stems: Vec<BTreeSet<String>> = point
            .aliases
            .iter()
            .map(|alias| content_stems(alias))
            .collect();
        for index in 0..segments.len() {
            let text_cosine = cosine[[variant, index]];
            let alias_cosine = (1..=point.aliases.len())
                .map(|offset| cosine[[variant + offset, index]])
                .fold(f32::MIN, f32::max);
            let text_overlap = stem_overlap(&text_stems, &segment_stems[index]);
            let alias_overlap = alias_stems
                .iter()
                .map(|stems| stem_overlap(stems, &segment_stems[index]))
                .fold(f32::MIN, f32::max);
            grid.cos_text[point_index][index] = text_cosine;
            grid.cos_alias[point_index][index] = if point.aliases.is_empty() {
                text_cosine
            } else {
                alias_cosine
            };
            grid.overlap_text[point_index][index] = text_overlap;
            grid.overlap_alias[point_index][index] = if point.aliases.is_empty() {
                text_overlap
            } else {
                alias_overlap
            };
        }
        variant += 1 + point.aliases.len();
    }
    grid
}

/// `shares[point][segment]`: the share of the segment's words about the point that a denial
/// governs (0 for a point that is itself a denial, such as "the bulb is not in a closed
/// path": a denying segment states it rather than contradicts it).
pub fn denial_shares(rubric: &Rubric, segments: &[Segment]) -> Vec<Vec<f32>> {
    let scopes = sentence_scopes(segments);
    rubric
        .points
        .iter()
        .map(|point| {
            if denies(&point.text, &point.text) {
                return vec![0.0; segments.len()];
            }
            let mut about = content_stems(&point.text);
            for alias in &point.aliases {
                about.extend(content_stems(alias));
            }
            segments
                .iter()
                .map(|segment| {
                    let (scope, sentence_start) = &scopes[segment.sentence];
                    let span = (
                        segment.span.0 - sentence_start,
                        segment.span.1 - sentence_start,
                    );
                    scope.denied_share(span, &about)
                })
                .collect()
        })
        .collect()
}

/// The negation scope of each sentence, with the sentence's start in the answer: a clause
/// reads its denials from its whole sentence, so "I'd skip pruning, quantization or
/// distillation" denies the clause "quantization or distillation" too.
fn sentence_scopes(segments: &[Segment]) -> Vec<(NegationScope, usize)> {
    let sentences: Vec<&Segment> = segments
        .iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
        .collect();
    sentences
        .iter()
        .enumerate()
        .map(|(index, sentence)| {
            let mut scope = NegationScope::of(&sentence.text);
            let answered_by_dismissal = sentence.text.trim_end().ends_with('?')
                && sentences
                    .get(index + 1)
                    .is_some_and(|next| opens_with_dismissal(&next.text));
            if answered_by_dismissal {
                scope.deny_all();
            }
            (scope, sentence.span.0)
        })
        .collect()
}

fn answer_shape(rubric: &Rubric, answer: &AnswerVectors, vectors: &RubricVectors) -> AnswerShape {
    let sentences: Vec<usize> = answer
        .segments
        .iter()
        .enumerate()
        .filter(|(_, segment)| segment.kind == SegmentKind::Sentence)
        .map(|(index, _)| index)
        .collect();
    let text: String = sentences
        .iter()
        .map(|&index| answer.segments[index].text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let word_count = words(&text).len().max(1);
    let commas = text.matches(',').count();
    let to_question = vectors.question.as_ref().map_or(0.0, |question| {
        let mut mean = Array1::<f32>::zeros(answer.vectors.ncols());
        for &index in &sentences {
            mean += &answer.vectors.row(index);
        }
        let norm = mean.dot(&mean).sqrt();
        if norm > 0.0 {
            question.dot(&mean) / norm
        } else {
            0.0
        }
    });
    let novelty = rubric.question.as_deref().map_or(1.0, |question| {
        let question_stems = content_stems(question);
        let stems = content_stems(&text);
        if stems.is_empty() {
            0.0
        } else {
            stems
                .iter()
                .filter(|stem| !question_stems.contains(*stem))
                .count() as f32
                / stems.len() as f32
        }
    });
    AnswerShape {
        to_question,
        log_words_per_sentence: (1.0 + word_count as f32 / sentences.len().max(1) as f32).ln(),
        comma_rate: commas as f32 / word_count as f32,
        novelty,
    }
}

/// How well the question text alone matches each point (its best variant).
fn point_to_question(rubric: &Rubric, vectors: &RubricVectors) -> Vec<Option<f32>> {
    let owners = rubric.variant_owners();
    (0..rubric.points.len())
        .map(|point| {
            vectors.question.as_ref().map(|question| {
                owners
                    .iter()
                    .enumerate()
                    .filter(|&(_, &owner)| owner == point)
                    .map(|(variant, _)| vectors.variants.row(variant).dot(question))
                    .fold(f32::MIN, f32::max)
            })
        })
        .collect()
}
