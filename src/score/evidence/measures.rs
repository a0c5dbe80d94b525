//! The measurements evidence is made of: cosines and word overlaps per (point, segment),
//! each point's negation scope over each segment, and the answer's shape.

use std::collections::BTreeSet;

use ndarray::Array1;

use super::super::negation::{
    denies, opens_with_dismissal, opens_with_retraction, Framing, NegationScope,
};
use super::super::{AnswerVectors, Rubric, RubricVectors};
use crate::score::cues::{content_stems, stem_overlap};
use crate::segment::{sentence_positions, Segment, SegmentKind};

/// Per-(point, segment) measurements shared by every candidate.
pub(super) struct Grid {
    pub(super) cos_text: Vec<Vec<f32>>,
    pub(super) cos_alias: Vec<Vec<f32>>,
    pub(super) overlap_text: Vec<Vec<f32>>,
    pub(super) overlap_alias: Vec<Vec<f32>>,
    pub(super) denial: Vec<Vec<f32>>,
}

impl Grid {
    pub(super) fn similarity(&self, point: usize, segment: usize) -> f32 {
        self.cos_text[point][segment].max(self.cos_alias[point][segment])
    }

    pub(super) fn denies(&self, point: usize, segment: usize) -> bool {
        self.denial[point][segment] > 0.5
    }

    /// How much better the segment matches this point than any other point of the rubric:
    /// the evidence is this point's own, not borrowed from a neighbour it states. Other
    /// points count as no lower than `floor`, the level of text that is about none of them:
    /// a fragment that comes near nothing ("log who reads it.") has no lead to claim, and a
    /// rubric of one point measures its lead over that level.
    pub(super) fn margin_over_other_points(&self, point: usize, segment: usize, floor: f32) -> f32 {
        let best_other = (0..self.cos_text.len())
            .filter(|&other| other != point)
            .map(|other| self.similarity(other, segment))
            .fold(floor, f32::max);
        self.similarity(point, segment) - best_other
    }
}

/// How the answer as a whole relates to the question, for the restatement flag only: the
/// decision layer never reads it, so it cannot reward how an answer is written.
pub(super) struct AnswerShape {
    pub(super) to_question: f32,
    pub(super) novelty: f32,
}

pub(super) fn grid(rubric: &Rubric, answer: &AnswerVectors, vectors: &RubricVectors) -> Grid {
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
            let own: Vec<f32> = segments
                .iter()
                .map(|segment| {
                    let (scope, sentence_start) = &scopes[segment.sentence];
                    let span = (
                        segment.span.0 - sentence_start,
                        segment.span.1 - sentence_start,
                    );
                    scope.denied_share(span, &about)
                })
                .collect();
            inherit_sentence_denials(segments, own)
        })
        .collect()
}

/// A clause of a sentence that denies a point is part of that denial: in "I would not use
/// pseudo-labelling so the unlabelled pool gets used", the clause "the unlabelled pool gets
/// used" does not affirm the point on its own.
fn inherit_sentence_denials(segments: &[Segment], own: Vec<f32>) -> Vec<f32> {
    sentence_positions(segments)
        .into_iter()
        .zip(&own)
        .map(|(sentence, &share)| match own[sentence] {
            sentence_share if sentence_share > 0.5 => share.max(sentence_share),
            _ => share,
        })
        .collect()
}

/// The negation scope of each sentence, with the sentence's start in the answer: a clause
/// reads its denials from its whole sentence, so "I'd skip pruning, quantization or
/// distillation" denies the clause "quantization or distillation" too. A question answered
/// by a dismissal, a sentence that opens with a retraction, and a proposal the next sentence
/// turns down deny all they speak of.
fn sentence_scopes(segments: &[Segment]) -> Vec<(NegationScope, usize)> {
    let sentences: Vec<&Segment> = segments
        .iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
        .collect();
    let retracting: Vec<bool> = sentences
        .iter()
        .map(|sentence| opens_with_retraction(&sentence.text))
        .collect();
    // Each sentence's own scope first: whether the next sentence denies anything is read
    // from its own words, before anything here widens it.
    let mut scopes: Vec<NegationScope> = sentences
        .iter()
        .map(|sentence| NegationScope::of(&sentence.text))
        .collect();
    let deny_all: Vec<bool> = (0..sentences.len())
        .map(|index| {
            let answered_by_dismissal = sentences[index].text.trim_end().ends_with('?')
                && sentences
                    .get(index + 1)
                    .is_some_and(|next| opens_with_dismissal(&next.text));
            // "We could add X. Actually no, …": the retraction takes back the sentence before
            // it, whose words need not be repeated ("… I'd leave it out").
            let withdrawn = retracting[index] || retracting.get(index + 1) == Some(&true);
            // "SMOTE sounds reasonable on paper. In practice it …", "A registry was
            // suggested; with three models it would …, so it stays out": what was only held
            // up, and is then turned down in the next sentence, is declined.
            let turned_down = scopes[index].framing().is_some_and(|framing| {
                scopes.get(index + 1).is_some_and(|next| {
                    next.opens_with_turn() || framing == Framing::Proposal && next.any()
                })
            });
            answered_by_dismissal || withdrawn || turned_down
        })
        .collect();
    for (scope, deny) in scopes.iter_mut().zip(deny_all) {
        if deny {
            scope.deny_all();
        }
    }
    scopes
        .into_iter()
        .zip(sentences)
        .map(|(scope, sentence)| (scope, sentence.span.0))
        .collect()
}

pub(super) fn answer_shape(
    rubric: &Rubric,
    answer: &AnswerVectors,
    vectors: &RubricVectors,
) -> AnswerShape {
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
        novelty,
    }
}

/// How well the question text alone matches each point (its best variant).
pub(super) fn point_to_question(rubric: &Rubric, vectors: &RubricVectors) -> Vec<Option<f32>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    #[test]
    fn the_margin_over_other_points_is_a_points_own_evidence() {
        let grid = Grid {
            cos_text: vec![vec![0.8], vec![0.6]],
            cos_alias: vec![vec![0.5], vec![0.7]],
            overlap_text: vec![vec![0.0]; 2],
            overlap_alias: vec![vec![0.0]; 2],
            denial: vec![vec![0.0]; 2],
        };
        // The segment is nearer the first point (0.8) than the second (0.7 by its alias).
        assert!((grid.margin_over_other_points(0, 0, 0.3) - 0.1).abs() < 1e-6);
        assert!((grid.margin_over_other_points(1, 0, 0.3) + 0.1).abs() < 1e-6);
        // Other points count as no lower than the floor: a lead over text that is about
        // nothing is no lead.
        assert!((grid.margin_over_other_points(0, 0, 0.75) - 0.05).abs() < 1e-6);
        let alone = Grid {
            cos_text: vec![vec![0.4]],
            cos_alias: vec![vec![0.4]],
            overlap_text: vec![vec![0.0]],
            overlap_alias: vec![vec![0.0]],
            denial: vec![vec![0.0]],
        };
        // With no other point, the lead is over the floor.
        assert!((alone.margin_over_other_points(0, 0, 0.3) - 0.1).abs() < 1e-6);
    }

    #[test]
    fn a_clause_of_a_sentence_that_denies_a_point_denies_it_too() {
        let point = "Use pseudo-labelling and consistency regularization on the unlabelled pool.";
        let rubric = Rubric::from_point_texts("q", None, &[point.to_string()]).unwrap();
        let segments = segment(
            "I would not use pseudo-labelling and consistency regularization so the unlabelled pool gets used.",
        );
        let purpose = segments
            .iter()
            .position(|piece| piece.text == "the unlabelled pool gets used.")
            .expect("the purpose clause is a segment of its own");
        // Alone, the purpose clause denies nothing; as part of its sentence it does.
        let scopes = sentence_scopes(&segments);
        let (scope, start) = &scopes[0];
        let span = (
            segments[purpose].span.0 - start,
            segments[purpose].span.1 - start,
        );
        assert_eq!(scope.denied_share(span, &content_stems(point)), 0.0);
        let shares = denial_shares(&rubric, &segments);
        assert!(
            shares[0].iter().all(|&share| share > 0.5),
            "{:?}",
            shares[0]
        );
    }
}
