//! Flags of `mockgrade eval` and `mockgrade calibrate`.

use std::path::PathBuf;

use clap::Args;

use super::args::DataFormat;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled dataset (JSONL): answer, a bank `question` or inline `question_text` + `reference`,
    /// and `score`/`max_score`, `label` and/or `covers`.
    pub dataset: PathBuf,
    /// Evaluate only records of this split.
    #[arg(long, conflicts_with_all = ["fit_split", "test_splits"])]
    pub split: Option<String>,
    /// Choose the label decision threshold on this split (weighted F1) before testing.
    #[arg(long, value_name = "SPLIT")]
    pub fit_split: Option<String>,
    /// Split(s) to report on after fitting (repeatable; default: every other split).
    #[arg(long = "test-split", value_name = "SPLIT", requires = "fit_split")]
    pub test_splits: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DataFormat,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Labelled dataset (JSONL), as for `eval`.
    pub dataset: PathBuf,
    /// Fit on this split only.
    #[arg(long, default_value = "train")]
    pub split: String,
    /// Where to write the fitted thresholds (TOML, with provenance).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}
