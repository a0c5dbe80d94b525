//! The practice history at the command-line edge: reads it, warning on stderr about the
//! first damaged lines (file:line) so the user can repair them, and appends attempts.

use std::path::Path;

use anyhow::Result;

use mockgrade::practice::history::{Attempt, History};

/// Damaged lines warned about one by one; past these, a count. A badly damaged file would
/// otherwise bury the output under hundreds of thousands of lines.
const WARNED_LINES: usize = 5;

/// Reads the history file, printing a warning for each of the first skipped lines and a
/// count of the rest.
pub fn load(path: &Path) -> Result<Vec<Attempt>> {
    let history = History::read(path)?;
    for skipped in history.skipped.iter().take(WARNED_LINES) {
        eprintln!("warning: {skipped}");
    }
    if history.skipped.len() > WARNED_LINES {
        eprintln!(
            "warning: {}: {} more damaged lines skipped; the file is left unchanged",
            path.display(),
            history.skipped.len() - WARNED_LINES
        );
    }
    Ok(history.attempts)
}

/// Appends one attempt unless `--no-history` was given.
pub fn record(path: &Path, attempt: &Attempt, enabled: bool) -> Result<()> {
    if enabled {
        History::append(path, attempt)?;
    }
    Ok(())
}
