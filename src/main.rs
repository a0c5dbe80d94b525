//! The `mockgrade` command: parses the command line and hands over to `cli::run`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    restore_default_sigpipe();
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A message can quote a flag value or a record id: printed visibly, never acted on.
            eprintln!(
                "error: {}",
                mockgrade::util::visible::visible(&format!("{err:#}"))
            );
            ExitCode::from(cli::exit::code_for(&err))
        }
    }
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`mockgrade bank list | head -c 5`)
/// turns into a panic in `println!`. Restoring the default makes such a process end quietly,
/// as other Unix tools do, whichever command is writing.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; it only resets one
    // signal's disposition to the system default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
