//! The `mockgrade` command: parses the command line and hands over to `cli::run`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(cli::exit_code_for(&err))
        }
    }
}
