//! The graded report: its JSON schema, and the text and Markdown a candidate reads.

use serde::Serialize;

use crate::score::{Flag, PointResult, Rubric, Scored};
use crate::score::{MatchMode, Scorer};
use crate::util::decimals::round4;

/// Version of the JSON schema below; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub sha256: String,
}

/// The report of one graded answer (`grade --format json`, one line of `results.jsonl`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub question_id: String,
    pub number: Option<u32>,
    pub question: Option<String>,
    pub coverage: f64,
    pub precision: f64,
    pub f1: f64,
    pub mean_similarity: f64,
    pub mean_probability: f64,
    pub points: Vec<PointResult>,
    pub missed: Vec<String>,
    pub flags: Vec<Flag>,
    pub scorer: ScorerSummary,
    pub model: ModelInfo,
    pub device: String,
    pub elapsed_ms: u64,
}

/// The scorer a report was graded with: its cut-offs and where it was fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorerSummary {
    pub covered: f64,
    pub partial: f64,
    pub partial_credit: f64,
    pub match_mode: MatchMode,
    /// "dataset (split, n answers, date)", or null for a hand-written scorer file.
    pub fitted_on: Option<String>,
}

impl From<&Scorer> for ScorerSummary {
    fn from(scorer: &Scorer) -> Self {
        let thresholds = &scorer.thresholds;
        ScorerSummary {
            covered: round4(thresholds.covered),
            partial: round4(thresholds.partial),
            partial_credit: round4(thresholds.partial_credit),
            match_mode: thresholds.match_mode,
            fitted_on: scorer.provenance.as_ref().map(|provenance| {
                format!(
                    "{} ({}, {} answers, {})",
                    provenance.dataset, provenance.split, provenance.n, provenance.date
                )
            }),
        }
    }
}

impl Report {
    pub fn new(
        rubric: &Rubric,
        scored: Scored,
        scorer: &Scorer,
        model: &ModelInfo,
        device: String,
        elapsed_ms: u64,
    ) -> Report {
        let missed = scored
            .points
            .iter()
            .filter(|point| point.is_missing())
            .map(|point| point.concept.clone())
            .collect();
        Report {
            schema: SCHEMA_VERSION,
            question_id: rubric.id.clone(),
            number: rubric.number,
            question: rubric.question.clone(),
            coverage: round4(scored.coverage),
            precision: round4(scored.precision),
            f1: round4(scored.f1),
            mean_similarity: round4(scored.mean_similarity),
            mean_probability: round4(scored.mean_probability),
            points: scored.points,
            missed,
            flags: scored.flags,
            scorer: ScorerSummary::from(scorer),
            model: model.clone(),
            device,
            elapsed_ms,
        }
    }

    /// The name of the first number that is not finite, if any: what no report may show.
    pub fn first_not_finite(&self) -> Option<String> {
        let totals = [
            ("coverage", self.coverage),
            ("precision", self.precision),
            ("f1", self.f1),
            ("mean_similarity", self.mean_similarity),
            ("mean_probability", self.mean_probability),
        ];
        if let Some((name, _)) = totals.iter().find(|(_, value)| !value.is_finite()) {
            return Some(name.to_string());
        }
        self.points.iter().find_map(|point| {
            [
                ("probability", point.probability),
                ("similarity", point.similarity),
                ("credit", point.credit),
            ]
            .into_iter()
            .find(|(_, value)| !value.is_finite())
            .map(|(name, _)| format!("{name} of point {}", point.id))
        })
    }

    /// The points missed or contradicted, in rubric order.
    pub fn missing_points(&self) -> impl Iterator<Item = &PointResult> {
        self.points.iter().filter(|point| point.is_missing())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("reports always serialise")
    }
}

mod render;
pub use render::{render_markdown, render_text, shorten, wrap, TextStyle};
