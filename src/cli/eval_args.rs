//! Flags of `mockgrade eval` and `mockgrade calibrate`.

use std::path::PathBuf;

use clap::Args;

use super::shared_args::{DataFormat, SharedArgs};

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled dataset (JSONL): answer, a bank `question` or inline `question_text` + `reference`,
    /// and `covers`, `label` and/or `score`/`max_score`.
    pub dataset: PathBuf,
    /// Evaluate only records of this split.
    #[arg(long, conflicts_with_all = ["fit_split", "test_splits"])]
    pub split: Option<String>,
    /// Cross-validate by question with this many folds: each fold is graded by a layer fitted
    /// on the others, so no question's answers are in both; 0 grades with the scorer as given.
    #[arg(long, default_value_t = 5, value_name = "N", conflicts_with = "fit_split",
          value_parser = clap::value_parser!(u16).range(0..=100))]
    pub folds: u16,
    /// Fit the layer (or, with --scorer, only the baseline) on this split, then test.
    #[arg(long, value_name = "SPLIT")]
    pub fit_split: Option<String>,
    /// Split(s) to report on after fitting (repeatable; default: every other split).
    #[arg(long = "test-split", value_name = "SPLIT", requires = "fit_split")]
    pub test_splits: Vec<String>,
    /// Ablation: refit the layer without these features (comma-separated names from the
    /// scorer's feature list), to measure what they add.
    #[arg(long, value_name = "FEATURE", value_delimiter = ',')]
    pub without: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DataFormat,
    #[command(flatten)]
    pub shared: SharedArgs,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Labelled dataset (JSONL), as for `eval`.
    pub dataset: PathBuf,
    /// Fit on this split only (default: every record).
    #[arg(long)]
    pub split: Option<String>,
    /// Where to write the scorer file (TOML: weights, features, cut-offs, provenance).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace an existing --out file.
    #[arg(long)]
    pub overwrite: bool,
    #[command(flatten)]
    pub shared: SharedArgs,
}
