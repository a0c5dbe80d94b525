//! The flags that several commands share: the model, question and scoring groups, the
//! output formats, and checked numbers. Every command's own flags build on these, so
//! they sit below all of them.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use mockgrade::embed::device::{DeviceRequest, Precision};
use mockgrade::score::MatchMode;

/// The three groups of shared flags. The commands that grade take all three; the main
/// command takes them too, so that they may come before the command as well
/// (`mockgrade --model DIR grade …`); see `leading.rs`.
#[derive(Debug, Default, Args)]
pub struct SharedArgs {
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub bank: BankArgs,
    #[command(flatten)]
    pub scorer: ScorerArgs,
}

/// Where and how the model runs.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Model")]
pub struct EngineArgs {
    /// Model directory (default: models/all-MiniLM-L6-v2 here, beside the executable, or in the source tree).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Device: auto (CUDA when available), cpu, cuda or cuda:N [default: auto].
    #[arg(long, value_name = "DEVICE")]
    pub device: Option<DeviceRequest>,
    /// Precision of the model: fp32, fp16 or bf16 (default: fp16 on CUDA, fp32 on the CPU).
    #[arg(long, value_name = "P")]
    pub precision: Option<Precision>,
    /// Threads for the model, 1 to 1024 (default: all cores).
    #[arg(long, value_name = "N", value_parser = number_from_1_to::<MAX_THREADS>)]
    pub threads: Option<usize>,
    /// Do not read or write the reference-embedding cache.
    #[arg(long)]
    pub no_cache: bool,
}

/// Which questions are loaded.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Questions")]
pub struct BankArgs {
    /// Extra question bank: a TOML file or a directory of them (repeatable).
    #[arg(long = "bank", value_name = "PATH")]
    pub banks: Vec<PathBuf>,
    /// Leave out the built-in bank of 61 questions.
    #[arg(long)]
    pub no_default_bank: bool,
}

/// How answers are scored.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Scoring")]
pub struct ScorerArgs {
    /// Scorer file written by `mockgrade calibrate` (default: the shipped scorer, fitted on the
    /// dev set). `--thresholds` is an alias.
    #[arg(long, value_name = "FILE", alias = "thresholds")]
    pub scorer: Option<PathBuf>,
    /// How segments are paired with points (default: from the scorer file).
    #[arg(long = "match", value_enum, value_name = "MODE")]
    pub match_mode: Option<MatchArg>,
    /// Refuse a scorer fitted on another model (its `model_sha256` is not the model in use)
    /// instead of warning.
    #[arg(long)]
    pub strict: bool,
}

/// More threads than this only adds contention; a larger value is a typo, and a huge one
/// would ask the system for millions of threads.
pub const MAX_THREADS: usize = 1024;

/// A flag's value checked to lie in 1..=MAX, with clap's "invalid value" message otherwise.
pub fn number_from_1_to<const MAX: usize>(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(number) if (1..=MAX).contains(&number) => Ok(number),
        _ => Err(format!("expected a whole number from 1 to {MAX}")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Md,
}

/// `--match`: the flag's side of the library's `MatchMode`, so that clap stays in the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatchArg {
    /// Each point takes its best segment; one sentence may cover several points.
    Best,
    /// An optimal one-to-one assignment (Hungarian): a segment covers at most one point.
    OneToOne,
}

impl From<MatchArg> for MatchMode {
    fn from(arg: MatchArg) -> Self {
        match arg {
            MatchArg::Best => MatchMode::Best,
            MatchArg::OneToOne => MatchMode::OneToOne,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Text,
    Json,
}
