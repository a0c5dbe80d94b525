//! The scorer file: the decision layer's weights, the probability cut-offs that turn its
//! output into statuses, and where they were fitted. `mockgrade calibrate` writes it; the
//! shipped one, fitted on the whole dev set, is `data/scorer.toml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::layer::DecisionLayer;

/// How answer segments are paired with expected points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchMode {
    /// Each point takes its best segment; one sentence may cover several points.
    Best,
    /// An optimal one-to-one assignment (Hungarian): a segment covers at most one point.
    OneToOne,
}

/// The cut-offs that turn P(covered) into a status, and the restatement rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A point with P(covered) at least this is `covered` (full credit).
    #[serde(serialize_with = "four_decimals")]
    pub covered: f32,
    /// At least this (and below `covered`) is `partial`.
    #[serde(serialize_with = "four_decimals")]
    pub partial: f32,
    /// Credit a partial point earns, as a share of its weight.
    #[serde(serialize_with = "four_decimals")]
    pub partial_credit: f32,
    /// A denial at least this similar (cosine) to a point, and closer than any affirmation,
    /// contradicts it.
    #[serde(
        serialize_with = "four_decimals",
        default = "default_contradicted_similarity"
    )]
    pub contradicted_similarity: f32,
    /// A sentence at least this similar to the question...
    #[serde(serialize_with = "four_decimals")]
    pub restate_similarity: f32,
    /// ...with fewer than this share of content words not in the question restates it.
    #[serde(serialize_with = "four_decimals")]
    pub restate_novelty: f32,
    pub match_mode: MatchMode,
}

fn default_contradicted_similarity() -> f32 {
    0.5
}

/// Where a scorer file came from: written by `calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub dataset: String,
    pub split: String,
    /// Answers the layer was fitted on.
    pub n: usize,
    /// (answer, point) pairs the layer was fitted on.
    pub pairs: usize,
    pub date: String,
    pub model_sha256: String,
}

/// Everything that decides a grade once the vectors are known: `--scorer FILE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorer {
    pub thresholds: Thresholds,
    pub layer: DecisionLayer,
    pub provenance: Option<Provenance>,
}

/// Writes an f32 as the shortest decimal of its value rounded to four places, so files
/// read 0.59 rather than 0.5899999737739563.
pub(super) fn four_decimals<S: serde::Serializer>(
    value: &f32,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let rounded: f64 = format!("{value:.4}").parse().unwrap_or(f64::from(*value));
    serializer.serialize_f64(rounded)
}

const SHIPPED: &str = include_str!("../../data/scorer.toml");

/// A scorer fitted on other embeddings than the model in use: its weights were learned on
/// other numbers, so its grades may not hold.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{scorer} was fitted on the model with sha256 {fitted}, but the model in use has sha256 {in_use}; its grades may not hold: fit a scorer for this model with `mockgrade calibrate`, or use the model it was fitted on")]
pub struct ModelMismatch {
    /// The scorer, as the user names it: its path, or "the shipped scorer".
    pub scorer: String,
    pub fitted: String,
    pub in_use: String,
}

#[derive(Debug, Error)]
pub enum ScorerError {
    #[error("cannot read scorer file {} (check the --scorer path and its permissions)", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid scorer file {}: {message}", .path.display())]
    Invalid { path: PathBuf, message: String },
}

/// Scorer files are a few kilobytes; anything far larger is not one.
const MAX_SCORER_BYTES: u64 = 1024 * 1024;

impl Scorer {
    /// The scorer shipped with mockgrade, fitted on the whole dev set.
    pub fn shipped() -> Scorer {
        Scorer::parse(SHIPPED).expect("data/scorer.toml is checked by the test suite")
    }

    /// Reads and checks a scorer file.
    pub fn read(path: &Path) -> Result<Scorer, ScorerError> {
        let io = |source| ScorerError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(file, MAX_SCORER_BYTES + 1),
            &mut text,
        )
        .map_err(io)?;
        if text.len() as u64 > MAX_SCORER_BYTES {
            return Err(ScorerError::Invalid {
                path: path.to_path_buf(),
                message: "larger than 1 MiB; a scorer file is a few kilobytes".into(),
            });
        }
        Scorer::parse(&text).map_err(|message| ScorerError::Invalid {
            path: path.to_path_buf(),
            message,
        })
    }

    fn parse(text: &str) -> Result<Scorer, String> {
        let scorer: Scorer = toml::from_str(text).map_err(|err| err.message().to_string())?;
        scorer.validate()?;
        Ok(scorer)
    }

    /// Compares the model this scorer was fitted on (from its provenance) with the model in
    /// use; a scorer without provenance (written by hand) names no model and always passes.
    pub fn check_model(&self, scorer_name: &str, model_sha256: &str) -> Result<(), ModelMismatch> {
        match &self.provenance {
            Some(provenance) if provenance.model_sha256 != model_sha256 => Err(ModelMismatch {
                scorer: scorer_name.to_string(),
                fitted: provenance.model_sha256.clone(),
                in_use: model_sha256.to_string(),
            }),
            _ => Ok(()),
        }
    }

    pub fn to_toml(&self) -> String {
        let header =
            "# Scorer written by `mockgrade calibrate`; see README \"How good is the score?\".\n";
        format!("{header}{}", toml::to_string(self).unwrap_or_default())
    }

    pub fn validate(&self) -> Result<(), String> {
        let thresholds = &self.thresholds;
        let unit = |name: &str, value: f32| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(format!("{name} must be between 0 and 1, got {value}"))
            }
        };
        unit("covered", thresholds.covered)?;
        unit("partial", thresholds.partial)?;
        unit("partial_credit", thresholds.partial_credit)?;
        unit(
            "contradicted_similarity",
            thresholds.contradicted_similarity,
        )?;
        unit("restate_similarity", thresholds.restate_similarity)?;
        unit("restate_novelty", thresholds.restate_novelty)?;
        if thresholds.partial > thresholds.covered {
            return Err(format!(
                "partial ({}) must not be above covered ({})",
                thresholds.partial, thresholds.covered
            ));
        }
        self.layer.validate()
    }
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer::shipped()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_scorer_parses_and_round_trips() {
        let shipped = Scorer::shipped();
        shipped.validate().unwrap();
        let round_trip = Scorer::parse(&shipped.to_toml()).unwrap();
        assert_eq!(round_trip.thresholds, shipped.thresholds);
        assert_eq!(round_trip.layer.features, shipped.layer.features);
        for (a, b) in round_trip.layer.weights.iter().zip(&shipped.layer.weights) {
            assert!((a - b).abs() < 1e-4);
        }
    }

    #[test]
    fn a_layer_for_other_features_is_refused() {
        let mut scorer = Scorer::shipped();
        scorer.layer.features[0] = "something_else".into();
        let message = Scorer::parse(&scorer.to_toml()).unwrap_err();
        assert!(
            message.starts_with("the layer was fitted on features"),
            "{message}"
        );
    }

    #[test]
    fn a_scorer_fitted_on_another_model_names_both_hashes() {
        let shipped = Scorer::shipped();
        let fitted = shipped.provenance.clone().unwrap().model_sha256;
        assert_eq!(shipped.check_model("the shipped scorer", &fitted), Ok(()));
        let mismatch = shipped.check_model("s.toml", "abc").unwrap_err();
        assert_eq!(
            mismatch.to_string(),
            format!("s.toml was fitted on the model with sha256 {fitted}, but the model in use has sha256 abc; its grades may not hold: fit a scorer for this model with `mockgrade calibrate`, or use the model it was fitted on")
        );
        let mut by_hand = shipped;
        by_hand.provenance = None;
        assert_eq!(by_hand.check_model("s.toml", "abc"), Ok(()));
    }

    #[test]
    fn cut_offs_out_of_order_are_refused() {
        let mut scorer = Scorer::shipped();
        scorer.thresholds.partial = 0.9;
        scorer.thresholds.covered = 0.5;
        let message = Scorer::parse(&scorer.to_toml()).unwrap_err();
        assert_eq!(message, "partial (0.9) must not be above covered (0.5)");
    }
}
