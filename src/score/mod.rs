//! The coverage scorer: gathers, for every expected point, the answer segments that affirm
//! or deny it, and lets the learned decision layer decide what the answer covered.

mod assign;
pub mod cues;
mod decision;
mod evidence;
mod facts;
mod layer;
mod negation;
mod outcome;
mod rubric;
mod settings;

use ndarray::{ArrayView1, ArrayView2};

pub use assign::assign_max;
pub use decision::decide;
pub use evidence::{denial_shares, gather, Candidate, Evidence, PointEvidence, FEATURES};
pub use facts::{segment_facts, SegmentFacts};
pub use layer::{DecisionLayer, FitError};
pub use negation::{denies, NegationScope};
pub use outcome::{Flag, PointResult, Scored, Status};
pub use rubric::{EmptyReference, Rubric, REFERENCE_RUBRIC_ID};
pub use settings::{MatchMode, ModelMismatch, Provenance, Scorer, ScorerError, Thresholds};

use crate::segment::Segment;

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
    scorer: &Scorer,
) -> Scored {
    if answer.segments.is_empty() {
        return outcome::empty_answer(rubric);
    }
    let evidence = gather(rubric, answer, vectors, scorer.thresholds.match_mode);
    decide(rubric, &evidence, scorer)
}
