//! Every tunable number of the scorer in one place, with the shipped defaults fitted by
//! `mockgrade calibrate` and stored in `data/thresholds.toml`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How answer segments are paired with expected points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum MatchMode {
    /// Each point takes its best segment; one sentence may cover several points.
    Best,
    /// An optimal one-to-one assignment (Hungarian): a segment covers at most one point.
    OneToOne,
}

/// The scorer's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A point whose best match scores at least this is `covered` (full credit).
    #[serde(serialize_with = "four_decimals")]
    pub covered: f32,
    /// At least this (and below `covered`) is `partial`.
    #[serde(serialize_with = "four_decimals")]
    pub partial: f32,
    /// Credit a partial point earns, as a share of its weight.
    #[serde(serialize_with = "four_decimals")]
    pub partial_credit: f32,
    /// A segment this similar to the question text...
    #[serde(serialize_with = "four_decimals")]
    pub restate_similarity: f32,
    /// ...with fewer than this share of content words not in the question only restates it.
    #[serde(serialize_with = "four_decimals")]
    pub restate_novelty: f32,
    /// A segment at least this much more similar to the question than to any point only
    /// restates it (1 turns the rule off).
    #[serde(serialize_with = "four_decimals")]
    pub restate_margin: f32,
    /// A segment counts for a point only if it matches the point by at least this much more
    /// than the question text itself does; an answer must add something to the question
    /// (-1 turns the rule off).
    #[serde(serialize_with = "four_decimals")]
    pub question_margin: f32,
    /// Similarity of a bare keyword fragment is multiplied by this.
    #[serde(serialize_with = "four_decimals")]
    pub keyword_penalty: f32,
    /// Weight of the content-word overlap beside the cosine: score = (1-w)·cos + w·overlap.
    #[serde(serialize_with = "four_decimals")]
    pub lexical_weight: f32,
    pub match_mode: MatchMode,
}

/// Where a thresholds file came from: written by `calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub dataset: String,
    pub split: String,
    pub n: usize,
    pub metric: String,
    pub value: f64,
    pub date: String,
    pub model_sha256: String,
}

/// The file `calibrate` writes and `--thresholds` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsFile {
    pub thresholds: Thresholds,
    pub provenance: Option<Provenance>,
}

/// Writes an f32 as the shortest decimal of its value rounded to four places, so files
/// read 0.59 rather than 0.5899999737739563.
fn four_decimals<S: serde::Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    let rounded: f64 = format!("{value:.4}").parse().unwrap_or(f64::from(*value));
    serializer.serialize_f64(rounded)
}

const SHIPPED: &str = include_str!("../data/thresholds.toml");

#[derive(Debug, Error)]
pub enum ThresholdsError {
    #[error("cannot read thresholds file {} (check the --thresholds path and its permissions)", .path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("invalid thresholds file {}: {message}", .path.display())]
    Invalid {
        path: std::path::PathBuf,
        message: String,
    },
}

impl ThresholdsFile {
    pub fn shipped() -> ThresholdsFile {
        toml::from_str(SHIPPED).expect("data/thresholds.toml is checked by the test suite")
    }

    pub fn read(path: &Path) -> Result<ThresholdsFile, ThresholdsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ThresholdsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: ThresholdsFile =
            toml::from_str(&text).map_err(|err| ThresholdsError::Invalid {
                path: path.to_path_buf(),
                message: err.message().to_string(),
            })?;
        file.thresholds
            .validate()
            .map_err(|message| ThresholdsError::Invalid {
                path: path.to_path_buf(),
                message,
            })?;
        Ok(file)
    }

    pub fn to_toml(&self) -> String {
        let header = "# Scorer thresholds written by `mockgrade calibrate`; see README \"How good is the score?\".\n";
        format!("{header}{}", toml::to_string(self).unwrap_or_default())
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        ThresholdsFile::shipped().thresholds
    }
}

impl Thresholds {
    pub fn validate(&self) -> Result<(), String> {
        let unit = |name: &str, value: f32| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(format!("{name} must be between 0 and 1, got {value}"))
            }
        };
        unit("covered", self.covered)?;
        unit("partial", self.partial)?;
        unit("partial_credit", self.partial_credit)?;
        unit("restate_similarity", self.restate_similarity)?;
        unit("restate_novelty", self.restate_novelty)?;
        unit("restate_margin", self.restate_margin)?;
        if !(-1.0..=1.0).contains(&self.question_margin) {
            return Err(format!(
                "question_margin must be between -1 and 1, got {}",
                self.question_margin
            ));
        }
        unit("keyword_penalty", self.keyword_penalty)?;
        unit("lexical_weight", self.lexical_weight)?;
        if self.partial > self.covered {
            return Err(format!(
                "partial ({}) must not be above covered ({})",
                self.partial, self.covered
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_thresholds_parse_and_are_valid() {
        let shipped = ThresholdsFile::shipped();
        shipped.thresholds.validate().unwrap();
        let round_trip: ThresholdsFile = toml::from_str(&shipped.to_toml()).unwrap();
        assert_eq!(round_trip, shipped);
    }
}
