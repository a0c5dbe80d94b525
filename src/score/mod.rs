//! The coverage scorer: compares every answer segment with every expected point and decides,
//! point by point, what the answer covered.

mod assign;
mod rubric;

use ndarray::{Array2, ArrayView1, ArrayView2};
use serde::Serialize;

pub use assign::assign_max;
pub use rubric::Rubric;

use crate::segment::{Segment, SegmentKind};
use crate::text_cues::{
    content_stems, is_keyword_list, is_negated, negation_carries_over, reads_as_clause,
    stem_overlap,
};
use crate::thresholds::{MatchMode, Thresholds};

/// What the answer did with one expected point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Covered,
    Partial,
    Missed,
    /// The answer states the point but denies it ("I would not monitor drift").
    Contradicted,
}

/// Conditions the report explains to the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    EmptyAnswer,
    KeywordList,
    Negation,
    RestatedQuestion,
    Truncated,
}

impl Flag {
    pub fn explanation(self) -> &'static str {
        match self {
            Flag::EmptyAnswer => "The answer is empty: type at least one sentence.",
            Flag::KeywordList => {
                "Parts of the answer are bare keywords; say what you would do with each, in a full sentence, to earn credit."
            }
            Flag::Negation => "Some points are stated but denied (\"I would not ...\"); those earn no credit.",
            Flag::RestatedQuestion => "Some sentences only restate the question; they earn no credit.",
            Flag::Truncated => {
                "A very long sentence was cut to the model's input limit; split it into shorter sentences."
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointResult {
    pub id: String,
    pub concept: String,
    pub text: String,
    pub status: Status,
    /// Best match score of this point, in [0, 1] up to rounding.
    pub similarity: f32,
    /// The answer text that matched, when any segment reached the partial threshold.
    pub matched: Option<String>,
    /// Byte span of `matched` in the answer.
    pub matched_span: Option<(usize, usize)>,
    /// Credit earned: 1 covered, `partial_credit` partial, 0 otherwise.
    pub credit: f32,
    pub weight: f32,
}

/// The outcome of scoring one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub coverage: f32,
    pub precision: f32,
    pub f1: f32,
    /// Weighted mean of the points' best similarities: a continuous score for ranking.
    pub mean_similarity: f32,
    pub points: Vec<PointResult>,
    pub flags: Vec<Flag>,
}

/// Embeddings of one answer's segments, aligned with its segment list.
pub struct AnswerVectors<'a> {
    pub segments: &'a [Segment],
    pub vectors: ArrayView2<'a, f32>,
    pub any_truncated: bool,
}

/// Embeddings of a rubric's texts: `variants` rows belong to points by `variant_owner`.
pub struct RubricVectors<'a> {
    pub variants: ArrayView2<'a, f32>,
    pub question: Option<ArrayView1<'a, f32>>,
}

/// Per-segment facts that do not depend on the point.
/// What the scorer knows about a segment before comparing it with any point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentFacts {
    /// Denies what it states ("I would not ...").
    pub negated: bool,
    /// Set by the scorer when the segment only restates the question.
    pub restated: bool,
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
                negated: is_negated(&segment.text) || negated_by_its_sentence(segments, segment),
                restated: false,
                keyword: keyword_sentences[segment.sentence] && !reads_as_clause(&segment.text),
                substantive: segment.kind == SegmentKind::Sentence && stems.len() >= 2,
                novelty,
            }
        })
        .collect()
}

/// Scores an answer against a rubric.
pub fn score(
    rubric: &Rubric,
    answer: &AnswerVectors,
    vectors: &RubricVectors,
    thresholds: &Thresholds,
) -> Scored {
    let segments = answer.segments;
    if segments.is_empty() {
        return empty_answer(rubric);
    }
    let owners = rubric.variant_owners();
    let variant_texts = rubric.variant_texts();
    let cosine: Array2<f32> = vectors.variants.dot(&answer.vectors.t());
    let segment_stems: Vec<_> = segments
        .iter()
        .map(|segment| content_stems(&segment.text))
        .collect();
    let lexical_weight = thresholds.lexical_weight;

    let mut facts = segment_facts(rubric, segments);
    if let Some(question) = &vectors.question {
        for (index, fact) in facts.iter_mut().enumerate() {
            let similarity = question.dot(&answer.vectors.row(index));
            fact.restated = similarity >= thresholds.restate_similarity
                && fact
                    .novelty
                    .is_some_and(|novelty| novelty < thresholds.restate_novelty);
        }
    }

    // similarity[point][segment]: best variant, blended with word overlap.
    let point_count = rubric.points.len();
    let mut similarity = vec![vec![0.0f32; segments.len()]; point_count];
    for (variant, &owner) in owners.iter().enumerate() {
        let variant_stems = content_stems(&variant_texts[variant]);
        for index in 0..segments.len() {
            let mut value = cosine[[variant, index]];
            if lexical_weight > 0.0 {
                value = (1.0 - lexical_weight) * value
                    + lexical_weight * stem_overlap(&variant_stems, &segment_stems[index]);
            }
            similarity[owner][index] = similarity[owner][index].max(value);
        }
    }
    // Question demoting: a segment much closer to the question than to any point only
    // restates it. Restated segments earn nothing; bare keywords earn less.
    if let Some(question) = &vectors.question {
        for (index, fact) in facts.iter_mut().enumerate() {
            let to_question = question.dot(&answer.vectors.row(index));
            let to_points = similarity
                .iter()
                .map(|row| row[index])
                .fold(f32::MIN, f32::max);
            if to_question - to_points >= thresholds.restate_margin {
                fact.restated = true;
            }
        }
    }
    // How well the question text alone matches each point: the floor an answer must beat.
    let question_floor: Vec<f32> = match &vectors.question {
        Some(question) if thresholds.question_margin > -1.0 => (0..point_count)
            .map(|point| {
                owners
                    .iter()
                    .enumerate()
                    .filter(|&(_, &owner)| owner == point)
                    .map(|(variant, _)| vectors.variants.row(variant).dot(question))
                    .fold(f32::MIN, f32::max)
                    + thresholds.question_margin
            })
            .collect(),
        _ => vec![f32::MIN; point_count],
    };
    for (row, floor) in similarity.iter_mut().zip(&question_floor) {
        for (value, fact) in row.iter_mut().zip(&facts) {
            if *value < *floor {
                *value = 0.0;
            }
            if fact.restated {
                *value = 0.0;
            } else if fact.keyword {
                *value *= thresholds.keyword_penalty;
            }
        }
    }

    let point_negated: Vec<bool> = rubric
        .points
        .iter()
        .map(|point| is_negated(&point.text))
        .collect();
    // A negated segment can only contradict a point, never cover it (unless the point
    // itself is phrased negatively).
    let affirmative = |point: usize, index: usize| !facts[index].negated || point_negated[point];
    let chosen: Vec<Option<usize>> = match thresholds.match_mode {
        MatchMode::Best => (0..point_count)
            .map(|point| best_segment(&similarity[point], |index| affirmative(point, index)))
            .collect(),
        MatchMode::OneToOne => {
            let masked: Vec<Vec<f32>> = (0..point_count)
                .map(|point| {
                    (0..segments.len())
                        .map(|index| {
                            if affirmative(point, index) {
                                similarity[point][index]
                            } else {
                                0.0
                            }
                        })
                        .collect()
                })
                .collect();
            assign_max(&masked)
        }
    };

    let mut points = Vec::with_capacity(point_count);
    let mut any_contradicted = false;
    for (point_index, point) in rubric.points.iter().enumerate() {
        let affirmed = chosen[point_index].map(|index| (index, similarity[point_index][index]));
        let denied = best_segment(&similarity[point_index], |index| {
            !affirmative(point_index, index)
        })
        .map(|index| (index, similarity[point_index][index]));
        let affirmed_score = affirmed.map_or(0.0, |(_, value)| value);
        let denial_wins =
            denied.is_some_and(|(_, value)| value >= thresholds.partial && value > affirmed_score);
        let (status, matched, value, credit) = if denial_wins {
            any_contradicted = true;
            (
                Status::Contradicted,
                denied,
                denied.map_or(0.0, |(_, value)| value),
                0.0,
            )
        } else if affirmed_score >= thresholds.covered {
            (Status::Covered, affirmed, affirmed_score, 1.0)
        } else if affirmed_score >= thresholds.partial {
            (
                Status::Partial,
                affirmed,
                affirmed_score,
                thresholds.partial_credit,
            )
        } else {
            (Status::Missed, None, affirmed_score, 0.0)
        };
        let matched_segment = matched.map(|(index, _)| &segments[index]);
        points.push(PointResult {
            id: point.id.clone(),
            concept: point.concept.clone(),
            text: point.text.clone(),
            status,
            similarity: value,
            matched: matched_segment.map(|segment| segment.text.clone()),
            matched_span: matched_segment.map(|segment| segment.span),
            credit,
            weight: point.weight,
        });
    }

    let total_weight: f32 = points
        .iter()
        .map(|point| point.weight)
        .sum::<f32>()
        .max(f32::EPSILON);
    let coverage = points
        .iter()
        .map(|point| point.weight * point.credit)
        .sum::<f32>()
        / total_weight;
    let mean_similarity = points
        .iter()
        .map(|point| {
            let earned = if point.status == Status::Contradicted {
                0.0
            } else {
                point.similarity
            };
            point.weight * earned.max(0.0)
        })
        .sum::<f32>()
        / total_weight;
    let precision = precision(segments, &facts, &similarity, thresholds.partial);
    let f1 = if coverage + precision > 0.0 {
        2.0 * coverage * precision / (coverage + precision)
    } else {
        0.0
    };

    let mut flags = Vec::new();
    let sentence_count = segments
        .iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
        .count();
    let keyword_sentence_count = keyword_sentences(segments)
        .into_iter()
        .filter(|&keyword| keyword)
        .count();
    if keyword_sentence_count * 2 >= sentence_count.max(1) {
        flags.push(Flag::KeywordList);
    }
    if any_contradicted {
        flags.push(Flag::Negation);
    }
    if facts.iter().any(|fact| fact.restated) {
        flags.push(Flag::RestatedQuestion);
    }
    if answer.any_truncated {
        flags.push(Flag::Truncated);
    }
    Scored {
        coverage: coverage.clamp(0.0, 1.0),
        precision,
        f1,
        mean_similarity,
        points,
        flags,
    }
}

/// Whether a clause sits inside the scope of a negation earlier in its sentence.
fn negated_by_its_sentence(segments: &[Segment], clause: &Segment) -> bool {
    if clause.kind != SegmentKind::Clause {
        return false;
    }
    segments
        .iter()
        .find(|candidate| {
            candidate.kind == SegmentKind::Sentence && candidate.sentence == clause.sentence
        })
        .and_then(|sentence| {
            sentence
                .text
                .get(..clause.span.0.saturating_sub(sentence.span.0))
        })
        .is_some_and(negation_carries_over)
}

fn best_segment(scores: &[f32], eligible: impl Fn(usize) -> bool) -> Option<usize> {
    scores
        .iter()
        .enumerate()
        .filter(|&(index, _)| eligible(index))
        .fold(
            None,
            |best: Option<(usize, f32)>, (index, &value)| match best {
                Some((_, best_value)) if best_value >= value => best,
                _ => Some((index, value)),
            },
        )
        .map(|(index, _)| index)
}

/// Which sentences are bare keyword lists (or a lone keyword with no clause).
fn keyword_sentences(segments: &[Segment]) -> Vec<bool> {
    let sentences = segments
        .iter()
        .map(|segment| segment.sentence)
        .max()
        .map_or(0, |last| last + 1);
    let mut keyword = vec![false; sentences];
    for segment in segments
        .iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
    {
        keyword[segment.sentence] =
            is_keyword_list(&segment.text) || !reads_as_clause(&segment.text);
    }
    keyword
}

/// Share of substantive sentences that match some point at least partially (through the
/// sentence or one of its clauses).
fn precision(
    segments: &[Segment],
    facts: &[SegmentFacts],
    similarity: &[Vec<f32>],
    partial: f32,
) -> f32 {
    let sentences = segments
        .iter()
        .map(|segment| segment.sentence)
        .max()
        .map_or(0, |last| last + 1);
    let mut matched = vec![false; sentences];
    for (index, segment) in segments.iter().enumerate() {
        if similarity.iter().any(|row| row[index] >= partial) {
            matched[segment.sentence] = true;
        }
    }
    let substantive: Vec<usize> = segments
        .iter()
        .zip(facts)
        .filter(|(_, fact)| fact.substantive)
        .map(|(segment, _)| segment.sentence)
        .collect();
    if substantive.is_empty() {
        return 0.0;
    }
    substantive
        .iter()
        .filter(|&&sentence| matched[sentence])
        .count() as f32
        / substantive.len() as f32
}

fn empty_answer(rubric: &Rubric) -> Scored {
    Scored {
        coverage: 0.0,
        precision: 0.0,
        f1: 0.0,
        mean_similarity: 0.0,
        points: rubric
            .points
            .iter()
            .map(|point| PointResult {
                id: point.id.clone(),
                concept: point.concept.clone(),
                text: point.text.clone(),
                status: Status::Missed,
                similarity: 0.0,
                matched: None,
                matched_span: None,
                credit: 0.0,
                weight: point.weight,
            })
            .collect(),
        flags: vec![Flag::EmptyAnswer],
    }
}
