//! Command-line flags; the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use mockgrade::bank::topic::Topic;

use super::batch_args::BatchArgs;
use super::eval_args::{CalibrateArgs, EvalArgs};
use super::practice_args::{PracticeArgs, StatsArgs};
use super::shared_args::{BankArgs, DataFormat, EngineArgs, Format, SharedArgs};

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
    Batch(BatchArgs),
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
    Eval(EvalArgs),
    /// Fit a scorer (the decision layer and its cut-offs) on labelled answers.
    #[command(after_help = super::help::CALIBRATE)]
    Calibrate(CalibrateArgs),
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
    /// Answer file or `-` (same as --answer-file). With no answer given, piped standard
    /// input is the answer.
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
    /// Validate bank files or directories; exits non-zero with every error found. Ids and
    /// numbers are checked against the built-in bank and any --bank too, as they load
    /// beside them; --no-default-bank checks without the built-in bank.
    Check {
        /// Files or directories to check.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        bank: BankArgs,
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
