//! The coverage scorer: compares every answer segment with every expected point and decides,
//! point by point, what the answer covered.

mod assign;
mod facts;
mod outcome;
mod rubric;

use ndarray::{Array2, ArrayView1, ArrayView2};

pub use assign::assign_max;
pub use facts::{segment_facts, SegmentFacts};
pub use outcome::{Flag, PointResult, Scored, Status};
pub use rubric::Rubric;

use crate::segment::{Segment, SegmentKind};
use crate::text_cues::{content_stems, is_negated, stem_overlap};
use crate::thresholds::{MatchMode, Thresholds};
use facts::keyword_sentences;
use outcome::empty_answer;

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
    let mut similarity = point_similarity(rubric, &owners, answer, vectors, thresholds);
    let mut facts = segment_facts(rubric, segments);
    if let Some(question) = &vectors.question {
        mark_restatements(&mut facts, question, answer, &similarity, thresholds);
    }
    let floor = question_floor(rubric.points.len(), &owners, vectors, thresholds);
    demote(&mut similarity, &floor, &facts, thresholds);

    let point_negated: Vec<bool> = rubric
        .points
        .iter()
        .map(|point| is_negated(&point.text))
        .collect();
    // A negated segment can only contradict a point, never cover it (unless the point
    // itself is phrased negatively).
    let affirmative = |point: usize, index: usize| !facts[index].negated || point_negated[point];
    let chosen = choose_segments(&similarity, &affirmative, thresholds.match_mode);

    let points: Vec<PointResult> = rubric
        .points
        .iter()
        .enumerate()
        .map(|(point_index, point)| {
            let row = &similarity[point_index];
            let affirmed = chosen[point_index].map(|index| (index, row[index]));
            let denied = best_segment(row, |index| !affirmative(point_index, index))
                .map(|index| (index, row[index]));
            let (status, matched, value, credit) = decide(affirmed, denied, thresholds);
            let matched_segment = matched.map(|index| &segments[index]);
            PointResult {
                id: point.id.clone(),
                concept: point.concept.clone(),
                text: point.text.clone(),
                status,
                similarity: value,
                matched: matched_segment.map(|segment| segment.text.clone()),
                matched_span: matched_segment.map(|segment| segment.span),
                credit,
                weight: point.weight,
            }
        })
        .collect();

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
    let flags = answer_flags(answer, &facts, &points);
    Scored {
        coverage: coverage.clamp(0.0, 1.0),
        precision,
        f1,
        mean_similarity,
        points,
        flags,
    }
}

/// `similarity[point][segment]`: the cosine of the point's best variant, blended with word
/// overlap when `lexical_weight` is above 0.
fn point_similarity(
    rubric: &Rubric,
    owners: &[usize],
    answer: &AnswerVectors,
    vectors: &RubricVectors,
    thresholds: &Thresholds,
) -> Vec<Vec<f32>> {
    let segments = answer.segments;
    let variant_texts = rubric.variant_texts();
    let cosine: Array2<f32> = vectors.variants.dot(&answer.vectors.t());
    let segment_stems: Vec<_> = segments
        .iter()
        .map(|segment| content_stems(&segment.text))
        .collect();
    let lexical_weight = thresholds.lexical_weight;
    let mut similarity = vec![vec![0.0f32; segments.len()]; rubric.points.len()];
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
    similarity
}

/// Marks the segments that only restate the question: close to it and adding few words of
/// their own, or much closer to it than to any point.
fn mark_restatements(
    facts: &mut [SegmentFacts],
    question: &ArrayView1<f32>,
    answer: &AnswerVectors,
    similarity: &[Vec<f32>],
    thresholds: &Thresholds,
) {
    for (index, fact) in facts.iter_mut().enumerate() {
        let to_question = question.dot(&answer.vectors.row(index));
        let echoes = to_question >= thresholds.restate_similarity
            && fact
                .novelty
                .is_some_and(|novelty| novelty < thresholds.restate_novelty);
        let to_points = similarity
            .iter()
            .map(|row| row[index])
            .fold(f32::MIN, f32::max);
        fact.restated = echoes || to_question - to_points >= thresholds.restate_margin;
    }
}

/// How well the question text alone matches each point, plus the margin: an answer must beat
/// this to earn anything, so that restating the question is not rewarded.
fn question_floor(
    point_count: usize,
    owners: &[usize],
    vectors: &RubricVectors,
    thresholds: &Thresholds,
) -> Vec<f32> {
    match &vectors.question {
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
    }
}

/// Restated segments and matches under the question floor earn nothing; bare keywords earn
/// less.
fn demote(
    similarity: &mut [Vec<f32>],
    floor: &[f32],
    facts: &[SegmentFacts],
    thresholds: &Thresholds,
) {
    for (row, floor) in similarity.iter_mut().zip(floor) {
        for (value, fact) in row.iter_mut().zip(facts) {
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
}

/// The segment that affirms each point: each point's best, or an optimal one-to-one
/// assignment so that one generic sentence cannot cover several points.
fn choose_segments(
    similarity: &[Vec<f32>],
    affirmative: &impl Fn(usize, usize) -> bool,
    match_mode: MatchMode,
) -> Vec<Option<usize>> {
    match match_mode {
        MatchMode::Best => similarity
            .iter()
            .enumerate()
            .map(|(point, row)| best_segment(row, |index| affirmative(point, index)))
            .collect(),
        MatchMode::OneToOne => {
            let masked: Vec<Vec<f32>> = similarity
                .iter()
                .enumerate()
                .map(|(point, row)| {
                    row.iter()
                        .enumerate()
                        .map(|(index, &value)| {
                            if affirmative(point, index) {
                                value
                            } else {
                                0.0
                            }
                        })
                        .collect()
                })
                .collect();
            assign_max(&masked)
        }
    }
}

/// A point's status from its best affirming and best denying segments (index, similarity):
/// the status, the segment shown as the match, the similarity reported, and the credit.
fn decide(
    affirmed: Option<(usize, f32)>,
    denied: Option<(usize, f32)>,
    thresholds: &Thresholds,
) -> (Status, Option<usize>, f32, f32) {
    let affirmed_score = affirmed.map_or(0.0, |(_, value)| value);
    match denied {
        Some((index, value)) if value >= thresholds.partial && value > affirmed_score => {
            (Status::Contradicted, Some(index), value, 0.0)
        }
        _ => {
            let index = affirmed.map(|(index, _)| index);
            if affirmed_score >= thresholds.covered {
                (Status::Covered, index, affirmed_score, 1.0)
            } else if affirmed_score >= thresholds.partial {
                (
                    Status::Partial,
                    index,
                    affirmed_score,
                    thresholds.partial_credit,
                )
            } else {
                (Status::Missed, None, affirmed_score, 0.0)
            }
        }
    }
}

fn answer_flags(
    answer: &AnswerVectors,
    facts: &[SegmentFacts],
    points: &[PointResult],
) -> Vec<Flag> {
    let segments = answer.segments;
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
    if points
        .iter()
        .any(|point| point.status == Status::Contradicted)
    {
        flags.push(Flag::Negation);
    }
    if facts.iter().any(|fact| fact.restated) {
        flags.push(Flag::RestatedQuestion);
    }
    if answer.any_truncated {
        flags.push(Flag::Truncated);
    }
    flags
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
