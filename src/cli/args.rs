//! Command-line flags; the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use mockgrade::bank::topic::Topic;
use mockgrade::embed::device::{DeviceRequest, Precision};
use mockgrade::score::MatchMode;

use super::practice_args::{PracticeArgs, StatsArgs};

/// Grade typed answers to ML system design and MLOps interview questions: see which
/// expected key points an answer covers and which concepts it missed.
///
/// Run without a command on a terminal to practise (`mockgrade practice`).
#[derive(Debug, Parser)]
#[command(
    name = "mockgrade",
    version,
    max_term_width = 100,
    after_help = super::help::MAIN,
    after_long_help = super::help::MAIN_LONG
)]
pub struct Cli {
    #[command(flatten)]
    pub leading: SharedArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the installation: libtorch, CUDA, model, threads and cache.
    Doctor {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DataFormat,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Print the embeddings of texts.
    Embed {
        /// Texts to embed.
        #[arg(required = true)]
        texts: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: DataFormat,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Grade one answer.
    #[command(after_help = super::help::GRADE)]
    Grade(GradeArgs),
    /// Work with question banks.
    #[command(subcommand, after_help = super::help::BANK)]
    Bank(BankCommand),
    /// Grade files of answers (JSONL, CSV, or directories of .txt/.md files).
    #[command(after_help = super::help::BATCH)]
    Batch(crate::cli::batch_args::BatchArgs),
    /// Combine the outputs of sharded batch runs.
    Merge {
        /// Output directories of `batch --shard K/N` runs.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the merged results.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace an existing DIR/results.jsonl.
        #[arg(long)]
        overwrite: bool,
    },
    /// Print each record's segments, their facts and each point's negation scope as JSONL
    /// (input of scripts/bench-peer).
    Segment {
        /// Inputs, as for `batch`.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        bank: BankArgs,
    },
    /// Measure agreement with human grades on a labelled dataset (cross-validated by question),
    /// beside the plain max-cosine baseline.
    #[command(after_help = super::help::EVAL)]
    Eval(crate::cli::eval_args::EvalArgs),
    /// Fit a scorer (the decision layer and its cut-offs) on labelled answers.
    #[command(after_help = super::help::CALIBRATE)]
    Calibrate(crate::cli::eval_args::CalibrateArgs),
    Practice(PracticeArgs),
    Stats(StatsArgs),
    Serve(crate::cli::serve_args::ServeArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    #[command(after_help = super::help::COMPLETIONS)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff), generated from this help, or write them all to a folder.
    #[command(after_help = super::help::MAN)]
    Man {
        /// The command whose page to print (`mockgrade-batch(1)`…); none: the main page.
        command: Option<String>,
        /// Write every page (mockgrade.1, mockgrade-batch.1, …) into this folder instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Bank question: id or number.
    #[arg(long, short = 'q', value_name = "ID|NUMBER", conflicts_with_all = ["reference", "reference_file"])]
    pub question: Option<String>,
    /// The answer text.
    #[arg(long, short = 'a', conflicts_with = "answer_file")]
    pub answer: Option<String>,
    /// File holding the answer; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub answer_file: Option<PathBuf>,
    /// Answer file or `-` (same as --answer-file).
    #[arg(value_name = "ANSWER_FILE", conflicts_with_all = ["answer", "answer_file"])]
    pub answer_path: Option<PathBuf>,
    /// Grade against this reference instead of a bank question: each sentence is a point.
    #[arg(long, conflicts_with = "reference_file")]
    pub reference: Option<String>,
    /// File holding the reference (each sentence is a point).
    #[arg(long, value_name = "FILE")]
    pub reference_file: Option<PathBuf>,
    /// Question text shown with an ad-hoc reference (also used to spot restated questions).
    #[arg(long, value_name = "TEXT")]
    pub question_text: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub shared: SharedArgs,
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// List the questions of the loaded banks.
    List {
        /// Only this topic.
        #[arg(long)]
        topic: Option<Topic>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DataFormat,
        #[command(flatten)]
        bank: BankArgs,
    },
    /// Show one question with its expected points.
    Show {
        /// Question id or number.
        question: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DataFormat,
        #[command(flatten)]
        bank: BankArgs,
    },
    /// Validate bank files or directories; exits non-zero with every error found.
    Check {
        /// Files or directories to check.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Turn cheat-sheet-style notes into a bank TOML skeleton.
    Import {
        /// Notes: numbered questions, each followed by bullet lines.
        notes: PathBuf,
        /// Write the skeleton here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists.
        #[arg(long, requires = "out")]
        force: bool,
    },
}
