//! The command-line front end: turns flags into checked settings and calls the library.

// First, so that its `out!` and `outln!` macros reach every module below.
#[macro_use]
mod stdout;

mod answer_entry;
mod args;
mod bank_cmd;
mod batch;
mod batch_args;
mod countdown;
mod doctor;
mod eval;
mod eval_args;
pub mod exit;
mod generated_docs;
mod grade;
mod help;
mod history_file;
mod input;
mod keypress;
mod leading;
mod output;
mod practice;
mod practice_args;
mod segment_cmd;
mod serve;
mod serve_args;
mod setup;
mod shared_args;
mod stats;

use std::io::IsTerminal;

use anyhow::Result;

use args::{Cli, Command};
use leading::Leading;

pub use input::InputError;
pub use stdout::StdoutError;

pub fn run() -> Result<u8> {
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let Cli { leading, command } =
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    let mut leading = Leading::new(leading);
    let mut command = match command {
        Some(command) => command,
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => {
            Command::Practice(practice_args::PracticeArgs::default())
        }
        None => {
            let help = <Cli as clap::CommandFactory>::command().render_help();
            outln!("{help}")?;
            return Ok(exit::OK);
        }
    };
    leading.join(&mut command);
    leading.finish(&command_name(&matches))?;
    match command {
        Command::Doctor { format, engine } => doctor::run(&engine, format),
        Command::Embed {
            texts,
            format,
            engine,
        } => doctor::embed(&engine, &texts, format),
        Command::Grade(args) => grade::run(&args),
        Command::Bank(command) => bank_cmd::run(command),
        Command::Batch(args) => batch::run(&args),
        Command::Merge {
            dirs,
            out,
            overwrite,
        } => batch::run_merge(&dirs, &out, overwrite),
        Command::Segment { inputs, bank } => segment_cmd::run(&bank, &inputs),
        Command::Eval(args) => eval::run_eval(&args),
        Command::Calibrate(args) => eval::run_calibrate(&args),
        Command::Practice(args) => practice::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Completions { shell } => generated_docs::completions(shell),
        Command::Man { command, out } => {
            generated_docs::man_pages(command.as_deref(), out.as_deref())
        }
    }
}

/// The command as typed (`grade`, `bank check`), for messages; `practice` when none was.
fn command_name(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut current = matches;
    while let Some((name, sub)) = current.subcommand() {
        names.push(name);
        current = sub;
    }
    if names.is_empty() {
        "practice".to_string()
    } else {
        names.join(" ")
    }
}

/// A flag combination that cannot work, found after parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
