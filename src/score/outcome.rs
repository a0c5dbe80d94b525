//! What scoring produces: each point's status and credit, the answer's totals, and the
//! flags the report explains.

use serde::Serialize;

use super::Rubric;
use crate::util::decimals::serialize_round4;

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
            Flag::RestatedQuestion => {
                "The answer restates the question in other words; say what you would do, and how, to earn credit."
            }
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
    /// Cosine of the shown match (or, when none is shown, of the most probable candidate).
    #[serde(serialize_with = "serialize_round4")]
    pub similarity: f32,
    /// P(covered) from the decision layer (a contradicted point earns nothing whatever it is).
    #[serde(serialize_with = "serialize_round4")]
    pub probability: f32,
    /// The answer text that earned credit, or that denied the point.
    pub matched: Option<String>,
    /// Byte span of `matched` in the answer.
    pub matched_span: Option<(usize, usize)>,
    /// Credit earned: 1 covered, `partial_credit` partial, 0 otherwise.
    #[serde(serialize_with = "serialize_round4")]
    pub credit: f32,
    #[serde(serialize_with = "serialize_round4")]
    pub weight: f32,
}

impl PointResult {
    /// Missed or contradicted: a concept the report lists as missing.
    pub fn is_missing(&self) -> bool {
        matches!(self.status, Status::Missed | Status::Contradicted)
    }
}

/// The outcome of scoring one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub coverage: f32,
    pub precision: f32,
    pub f1: f32,
    /// Weighted mean of the points' best similarities: a continuous score for ranking.
    pub mean_similarity: f32,
    /// Weighted mean of the points' P(covered): a continuous score for ranking.
    pub mean_probability: f32,
    pub points: Vec<PointResult>,
    pub flags: Vec<Flag>,
}

pub(super) fn empty_answer(rubric: &Rubric) -> Scored {
    Scored {
        coverage: 0.0,
        precision: 0.0,
        f1: 0.0,
        mean_similarity: 0.0,
        mean_probability: 0.0,
        points: rubric
            .points
            .iter()
            .map(|point| PointResult {
                id: point.id.clone(),
                concept: point.concept.clone(),
                text: point.text.clone(),
                status: Status::Missed,
                similarity: 0.0,
                probability: 0.0,
                matched: None,
                matched_span: None,
                credit: 0.0,
                weight: point.weight,
            })
            .collect(),
        flags: vec![Flag::EmptyAnswer],
    }
}
