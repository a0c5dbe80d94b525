//! Standard output, checked: every command writes through `out!` and `outln!`, which
//! return an error instead of panicking as `print!` does when the output cannot take the
//! text (a full disk, `/dev/full`). The error maps to exit code 3, as README documents.

use std::io::Write;

/// The output could not take what a command printed.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot write to standard output; check where the output goes (a full disk, a closed file)"
)]
pub struct StdoutError(#[from] pub std::io::Error);

/// Writes `text` to standard output and flushes it, so a failure shows here and not at
/// exit, where Rust drops the error of the last flush.
pub fn write_text(text: &str) -> Result<(), StdoutError> {
    write_bytes(text.as_bytes())
}

pub fn write_bytes(bytes: &[u8]) -> Result<(), StdoutError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// `print!` that returns `Result<(), StdoutError>`.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write_text(&format!($($arg)*))
    };
}

/// `println!` that returns `Result<(), StdoutError>`.
macro_rules! outln {
    () => {
        $crate::cli::stdout::write_text("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::stdout::write_text(&format!("{}\n", format_args!($($arg)*)))
    };
}
