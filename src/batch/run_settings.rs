//! `run.json`: what a results folder was graded with (scorer, model, match mode, bank),
//! written beside `results.jsonl` before its first line. `--resume` and `merge` compare it
//! with what they would add, so one results file never mixes grades of different settings.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::BatchError;
use crate::bank::Bank;
use crate::grader::Grader;
use crate::score::{MatchMode, Scorer};
use crate::util::hash::hex_digest;
use crate::util::paths::write_atomic;

pub const RUN_FILE: &str = "run.json";

/// The settings that decide a grade, and the version that wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSettings {
    /// The mockgrade version: shown, not compared (a new version keeps its grades unless
    /// the scorer or the model changed, and those are compared).
    pub mockgrade: String,
    /// sha256 of the scorer file's content as loaded (cut-offs and layer), match mode
    /// aside: that has its own field, so `--match` is named when it alone differs.
    pub scorer_sha256: String,
    /// sha256 of the model's weights.
    pub model_sha256: String,
    pub match_mode: MatchMode,
    /// sha256 of every loaded question, its points, aliases and weights.
    pub bank_sha256: String,
    /// Questions loaded: shown, to tell two banks apart at a glance.
    pub questions: usize,
}

/// One setting that differs: its name and its two values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub setting: &'static str,
    pub recorded: String,
    pub current: String,
}

impl RunSettings {
    /// The settings `grader` grades with, for the questions of `bank`.
    pub fn of(grader: &Grader, bank: &Bank) -> RunSettings {
        let questions = serde_json::to_vec(bank.questions()).expect("questions serialise");
        RunSettings {
            mockgrade: env!("CARGO_PKG_VERSION").to_string(),
            scorer_sha256: scorer_digest(grader.scorer()),
            model_sha256: grader.model().sha256.clone(),
            match_mode: grader.scorer().thresholds.match_mode,
            bank_sha256: hex_digest(&questions),
            questions: bank.questions().len(),
        }
    }

    /// The settings that differ between `self` (recorded) and `current`, in a fixed order.
    pub fn differences(&self, current: &RunSettings) -> Vec<Difference> {
        let mut differences = Vec::new();
        let mut compare = |setting, recorded: String, now: String| {
            if recorded != now {
                differences.push(Difference {
                    setting,
                    recorded,
                    current: now,
                });
            }
        };
        compare(
            "match mode",
            mode_name(self.match_mode),
            mode_name(current.match_mode),
        );
        compare(
            "scorer sha256",
            self.scorer_sha256.clone(),
            current.scorer_sha256.clone(),
        );
        compare(
            "model sha256",
            self.model_sha256.clone(),
            current.model_sha256.clone(),
        );
        compare(
            "bank sha256",
            format!("{} ({} questions)", self.bank_sha256, self.questions),
            format!("{} ({} questions)", current.bank_sha256, current.questions),
        );
        differences
    }

    /// Reads `dir/run.json`; `None` when there is none.
    pub fn read(dir: &Path) -> Result<Option<RunSettings>, BatchError> {
        let path = dir.join(RUN_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(BatchError::Read { path, source }),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|err| BatchError::DamagedSettings {
                path,
                message: err.to_string(),
            })
    }

    pub fn write(&self, dir: &Path) -> Result<(), BatchError> {
        let path = dir.join(RUN_FILE);
        let mut text = serde_json::to_string_pretty(self).expect("settings serialise");
        text.push('\n');
        write_atomic(&path, text.as_bytes()).map_err(|source| BatchError::Write { path, source })
    }
}

/// "match mode one-to-one then, best now; …": what a refusal names.
pub fn describe(differences: &[Difference], then: &str, now: &str) -> String {
    differences
        .iter()
        .map(|difference| {
            format!(
                "{} {} {then}, {} {now}",
                difference.setting, difference.recorded, difference.current
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn mode_name(mode: MatchMode) -> String {
    match mode {
        MatchMode::Best => "best",
        MatchMode::OneToOne => "one-to-one",
    }
    .to_string()
}

fn scorer_digest(scorer: &Scorer) -> String {
    let mut without_mode = scorer.clone();
    without_mode.thresholds.match_mode = MatchMode::Best;
    hex_digest(without_mode.to_toml().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RunSettings {
        RunSettings {
            mockgrade: "0.1.0".into(),
            scorer_sha256: "s1".into(),
            model_sha256: "m1".into(),
            match_mode: MatchMode::OneToOne,
            bank_sha256: "b1".into(),
            questions: 61,
        }
    }

    #[test]
    fn every_grading_setting_is_compared_and_the_version_is_not() {
        let recorded = settings();
        let mut current = settings();
        current.mockgrade = "0.2.0".into();
        assert!(recorded.differences(&current).is_empty());
        current.match_mode = MatchMode::Best;
        current.scorer_sha256 = "s2".into();
        current.model_sha256 = "m2".into();
        current.bank_sha256 = "b2".into();
        current.questions = 62;
        let differences = recorded.differences(&current);
        assert_eq!(
            describe(&differences, "recorded", "now"),
            "match mode one-to-one recorded, best now; scorer sha256 s1 recorded, s2 now; model sha256 m1 recorded, m2 now; bank sha256 b1 (61 questions) recorded, b2 (62 questions) now"
        );
    }

    #[test]
    fn the_scorer_digest_leaves_the_match_mode_to_its_own_setting() {
        let mut scorer = Scorer::shipped();
        let shipped = scorer_digest(&scorer);
        scorer.thresholds.match_mode = MatchMode::OneToOne;
        assert_eq!(scorer_digest(&scorer), shipped);
        scorer.thresholds.covered = 0.99;
        assert_ne!(scorer_digest(&scorer), shipped);
    }

    #[test]
    fn settings_survive_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(RunSettings::read(dir.path()).unwrap(), None);
        settings().write(dir.path()).unwrap();
        assert_eq!(RunSettings::read(dir.path()).unwrap(), Some(settings()));
    }
}
