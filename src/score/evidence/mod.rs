//! The evidence for each expected point: the segment that best affirms it, the one that best
//! denies it, and the features the decision layer reads for each. It depends on the vectors
//! and the texts only, not on the scorer's weights, so calibration gathers it once.

mod measures;

pub use measures::denial_shares;
use measures::{answer_shape, grid, point_to_question, Grid};

use super::cues::speaking_as_candidate;
use super::facts::{segment_facts, SegmentFacts};
use super::settings::MatchMode;
use super::{assign_max, AnswerVectors, Rubric, RubricVectors};
use crate::segment::Segment;

/// The decision layer's inputs, in order. Each describes how one segment relates to one
/// point and to the question, never how the answer as a whole is written: the same content
/// in another style, or with filler around it, gets the same features. A scorer file names
/// them, so a file fitted on another list is refused rather than misread.
pub const FEATURES: [&str; 12] = [
    "cos_text",
    "cos_alias",
    "segment_to_question",
    "echo_of_question",
    "overlap_text",
    "overlap_alias",
    "denied_elsewhere",
    "keyword_fragment",
    "novelty",
    "margin_over_point_question",
    "denial_share",
    "margin_over_other_points",
];

/// Below this cosine a segment is no evidence for a point, so one-to-one assignment gains
/// nothing by handing it one: text that comes near no point (filler, lorem ipsum) cannot
/// change which point gets which segment.
const ASSIGNMENT_FLOOR: f32 = 0.3;

/// How far a segment's match to a point may stand above its match to the best other point
/// before the margin stops counting: past it the segment is plainly about this point, and a
/// rubric with one point (nothing to compete with) reads as this.
const CLEAR_MARGIN: f32 = 0.25;

/// A segment considered for a point, with what the layer reads about the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub segment: usize,
    /// The best cosine of the segment to the point's text or aliases.
    pub similarity: f32,
    pub features: Vec<f32>,
    /// A denial in a sentence that says what the candidate would do ("I would not retrain
    /// on a schedule", "skip the cache"): it refuses the action, and never earns credit.
    pub refusal: bool,
}

/// What the answer offers for one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointEvidence {
    /// The best segment that does not deny the point.
    pub affirming: Option<Candidate>,
    /// The best segment that denies it. The layer reads its denial share, so it learns how
    /// much a denial counts: in some answers "not connected" is the content itself.
    pub denying: Option<Candidate>,
    /// The best cosine of any segment to the point, affirming or denying, chosen or not:
    /// what the plain max-cosine baseline reads, whatever the match mode.
    pub max_similarity: f32,
    /// One-to-one matching only: every segment that could affirm the point (not denying
    /// it, above the floor), so that the decision can pair points with segments by what the
    /// layer makes of each pair rather than by cosine alone.
    pub alternatives: Vec<Candidate>,
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
                                (grid.similarity(point, segment) - ASSIGNMENT_FLOOR).max(0.0)
                            }
                        })
                        .collect()
                })
                .collect();
            assign_max(&masked)
                .into_iter()
                .enumerate()
                .map(|(point, chosen)| chosen.filter(|&segment| masked[point][segment] > 0.0))
                .collect()
        }
    };
    let speaking = speaking_as_candidate(segments);
    let measure = |point: usize, segment: usize, denied_elsewhere: f32, denying: bool| {
        let similarity = grid.similarity(point, segment);
        let question = to_question[segment].unwrap_or(0.0);
        let fact = &facts[segment];
        let features = vec![
            grid.cos_text[point][segment],
            grid.cos_alias[point][segment],
            question,
            // How much more the segment echoes the question than it states the point. Only
            // the excess counts: a segment far from the question is not thereby on the point.
            (question - similarity).max(0.0),
            grid.overlap_text[point][segment],
            grid.overlap_alias[point][segment],
            denied_elsewhere,
            if fact.keyword { 1.0 } else { 0.0 },
            fact.novelty.unwrap_or(1.0),
            similarity - point_to_question[point].unwrap_or(0.0),
            grid.denial[point][segment],
            grid.margin_over_other_points(point, segment, ASSIGNMENT_FLOOR)
                .min(CLEAR_MARGIN),
        ];
        Candidate {
            segment,
            similarity,
            features,
            refusal: denying && speaking[segment],
        }
    };

    let points = (0..point_count)
        .map(|point| {
            let denying_segment = best_segment(&grid, point, segments.len(), true);
            let denied_similarity =
                denying_segment.map_or(0.0, |segment| grid.similarity(point, segment));
            let affirm = |segment: usize| {
                let excess = (denied_similarity - grid.similarity(point, segment)).max(0.0);
                measure(point, segment, excess, false)
            };
            // Under one-to-one matching every pair the cosines allow (the same ones the
            // assignment above could choose from), and the chosen one taken from them.
            let alternatives: Vec<Candidate> = match match_mode {
                MatchMode::Best => Vec::new(),
                MatchMode::OneToOne => (0..segments.len())
                    .filter(|&segment| {
                        !grid.denies(point, segment)
                            && grid.similarity(point, segment) > ASSIGNMENT_FLOOR
                    })
                    .map(affirm)
                    .collect(),
            };
            let affirming = affirming_choice[point].map(|segment| {
                alternatives
                    .iter()
                    .find(|candidate| candidate.segment == segment)
                    .cloned()
                    .unwrap_or_else(|| affirm(segment))
            });
            PointEvidence {
                max_similarity: (0..segments.len())
                    .map(|segment| grid.similarity(point, segment))
                    .fold(0.0, f32::max),
                affirming,
                alternatives,
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
