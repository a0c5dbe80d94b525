//! The command-line front end: turns flags into checked settings and calls the library.

mod answer_entry;
mod args;
mod bank_cmd;
mod batch;
mod batch_args;
mod countdown;
mod doctor;
mod engine;
mod eval;
mod eval_args;
mod generated_docs;
mod grade;
mod help;
mod history_file;
mod input;
mod keypress;
mod practice;
mod practice_args;
mod segment_cmd;
mod stats;

use std::io::IsTerminal;

use anyhow::Result;
use clap::Parser;

use args::{Cli, Command};

pub use input::InputError;

/// Exit codes; README "Limits and errors" lists them.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INPUT: u8 = 3;
    pub const UNKNOWN_QUESTION: u8 = 4;
    pub const MODEL: u8 = 5;
    pub const BANK: u8 = 6;
    pub const RECORD_ERRORS: u8 = 10;
}

pub fn run() -> Result<u8> {
    let cli = Cli::parse();
    let global = &cli.global;
    match cli.command {
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => {
            practice::run(global, &practice_args::PracticeArgs::default())
        }
        None => {
            let help = <Cli as clap::CommandFactory>::command().render_help();
            println!("{help}");
            Ok(exit::OK)
        }
        Some(Command::Doctor { format }) => doctor::run(global, format),
        Some(Command::Embed { texts, format }) => doctor::embed(global, &texts, format),
        Some(Command::Grade(args)) => grade::run(global, &args),
        Some(Command::Bank(command)) => bank_cmd::run(global, command),
        Some(Command::Batch(args)) => batch::run(global, &args),
        Some(Command::Merge {
            dirs,
            out,
            overwrite,
        }) => batch::run_merge(&dirs, &out, overwrite),
        Some(Command::Segment { inputs }) => segment_cmd::run(global, &inputs),
        Some(Command::Eval(args)) => eval::run_eval(global, &args),
        Some(Command::Calibrate(args)) => eval::run_calibrate(global, &args),
        Some(Command::Practice(args)) => practice::run(global, &args),
        Some(Command::Stats(args)) => stats::run(global, &args),
        Some(Command::Completions { shell }) => generated_docs::completions(shell),
        Some(Command::Man { command, out }) => {
            generated_docs::man_pages(command.as_deref(), out.as_deref())
        }
    }
}

/// Maps an error to its documented exit code by what caused it.
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    use mockgrade::bank::{BankError, UnknownQuestion};
    use mockgrade::embed::device::DeviceError;
    use mockgrade::embed::model_dir::ModelDirError;
    use mockgrade::embed::EmbedError;
    use mockgrade::practice::history::HistoryError;
    use mockgrade::practice::PickError;
    use mockgrade::score::ScorerError;
    for cause in err.chain() {
        if cause.is::<UnknownQuestion>()
            || matches!(
                cause.downcast_ref::<PickError>(),
                Some(PickError::Unknown(_))
            )
        {
            return exit::UNKNOWN_QUESTION;
        }
        if cause.is::<BankError>() {
            return exit::BANK;
        }
        if cause.is::<InputError>() || cause.is::<ScorerError>() || cause.is::<HistoryError>() {
            return exit::INPUT;
        }
        if matches!(
            cause.downcast_ref::<PickError>(),
            Some(PickError::NothingNew(_) | PickError::NoQuestions(_))
        ) {
            return exit::USAGE;
        }
        if let Some(DeviceError::Invalid(_)) = cause.downcast_ref::<DeviceError>() {
            return exit::USAGE;
        }
        if cause.is::<EmbedError>() || cause.is::<ModelDirError>() || cause.is::<DeviceError>() {
            return exit::MODEL;
        }
        if cause.is::<mockgrade::batch::BatchError>() {
            return exit::INPUT;
        }
        if cause.is::<UsageError>() || cause.is::<mockgrade::eval::SplitError>() {
            return exit::USAGE;
        }
    }
    exit::FAILURE
}

/// A flag combination that cannot work, found after parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
