//! The practice history at the command-line edge: reads it, warning on stderr about each
//! damaged line (file:line) so the user can repair it, and appends attempts.

use std::path::Path;

use anyhow::Result;

use mockgrade::history::{Attempt, History};

/// Reads the history file, printing one warning per skipped line.
pub fn load(path: &Path) -> Result<Vec<Attempt>> {
    let history = History::read(path)?;
    for skipped in &history.skipped {
        eprintln!("warning: {skipped}");
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
