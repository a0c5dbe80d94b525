//! Batch grading: stream records from many inputs, grade them in large chunks, append
//! results as they are done, and summarise. A bad record becomes an error line; the
//! batch goes on.

mod groups;
mod html_report;
mod lock;
mod merge;
mod output;
mod run;
mod run_settings;
mod shard;
mod summary;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::util::output_file::{create_dir_for_output, OutputError};

pub use lock::{lock_output, OutputLock};
pub use merge::{merge, MergeOutcome};
pub use output::{scan_results, ErrorLine, GradedLine, ResultRow, ResultsScan, ResultsWriter};
pub use run::run_batch;
pub use run_settings::{RunSettings, RUN_FILE};
pub use shard::{stable_hash, Shard};
pub use summary::{write_summaries, Held};

/// Answers graded per chunk: large enough to fill the embedder's batches, small enough
/// that a crash loses little and progress moves often.
pub const DEFAULT_CHUNK: usize = 256;

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub out_dir: PathBuf,
    pub resume: bool,
    pub overwrite: bool,
    pub shard: Option<Shard>,
    pub chunk_size: usize,
}

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Graded by this run.
    pub graded: usize,
    /// Error lines written by this run.
    pub errors: usize,
    /// What `results.jsonl` holds at the end, earlier runs' lines included: what the
    /// exit code and the summaries count.
    pub held: Held,
    /// Records with an error line from an earlier run, graded again by this one (their
    /// earlier error lines are then dropped; those of ids in no input stay).
    pub retried: usize,
    /// Already in `results.jsonl` (with `--resume`).
    pub resumed: usize,
    /// Owned by other shards.
    pub other_shards: usize,
    /// Ids with a result in `results.jsonl` that no input record has (with `--resume`):
    /// kept, and reported so that a wrong input or output folder shows.
    pub not_in_input: Vec<String>,
}

#[derive(Debug, Error)]
pub enum BatchError {
    #[error("{} already exists: pass --resume to continue that run, or --overwrite to start again", .0.display())]
    ResultsExist(PathBuf),
    #[error("{} already exists: pass --overwrite to replace it, or choose another --out", .0.display())]
    MergeTargetExists(PathBuf),
    #[error("--out {} is a file; pass a directory (new or existing) for the results", .0.display())]
    OutIsFile(PathBuf),
    #[error("{} line {} is not a result line{}: --resume cannot tell what it holds; remove the damaged line, or pass --overwrite to start again", .path.display(), .lines[0], if .lines.len() > 1 { format!(" ({} more damaged lines)", .lines.len() - 1) } else { String::new() })]
    DamagedResults { path: PathBuf, lines: Vec<usize> },
    #[error("{} is in use by {holder}; wait for it to finish, or choose another --out", .dir.display())]
    Busy { dir: PathBuf, holder: String },
    #[error("reading the inputs failed part way; the results so far are kept, run again with --resume to finish")]
    ReaderFailed,
    #[error("{} records other settings than this run's: {changes}; --resume would mix grades in one results file: run again with the recorded settings, or pass --overwrite to start again, or choose another --out", .path.display())]
    SettingsChanged { path: PathBuf, changes: String },
    #[error("{} has no run.json beside it, so the settings its results were graded with are unknown and --resume could mix grades: pass --overwrite to start again, or choose another --out", .0.display())]
    SettingsUnknown(PathBuf),
    #[error("{} is not a settings file ({message}): remove it and pass --overwrite to start the results again", .path.display())]
    DamagedSettings { path: PathBuf, message: String },
    #[error("{} has no run.json, so the settings its results were graded with are unknown: merge only folders written by `mockgrade batch` of this version, or grade that shard again", .0.display())]
    ShardSettingsUnknown(PathBuf),
    #[error("{} and {} were graded with different settings ({changes}); merging them would mix grades: grade the shards again with one set of settings", .first.display(), .other.display())]
    ShardSettingsDiffer {
        first: PathBuf,
        other: PathBuf,
        changes: String,
    },
    #[error("id {id:?} has different results in {first} and {second}{}: keep the right one (remove the other line), then merge again", if *.more > 0 { format!(" ({} more ids differ)", .more) } else { String::new() })]
    ConflictingDuplicate {
        id: String,
        first: String,
        second: String,
        more: usize,
    },
    #[error("cannot write to {}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Told about progress as records are graded.
pub trait Progress {
    fn advance(&self, records: u64, errors: u64);
}

/// Creates the output directory, refusing a path that is a file.
fn prepare_out_dir(dir: &Path) -> Result<(), BatchError> {
    if dir.exists() && !dir.is_dir() {
        return Err(BatchError::OutIsFile(dir.to_path_buf()));
    }
    create_dir_for_output(dir).map_err(|source| BatchError::Write {
        path: dir.to_path_buf(),
        source,
    })
}
