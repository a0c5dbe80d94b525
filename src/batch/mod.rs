//! Batch grading: stream records from many inputs, grade them in large chunks, append
//! results as they are done, and summarise. A bad record becomes an error line; the
//! batch goes on.

mod groups;
mod html_report;
mod lock;
mod output;
mod run;
mod shard;
mod summary;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::util::output_file::{create_dir_for_output, write_output, OutputError};

pub use lock::{lock_output, OutputLock};
pub use output::{done_ids, read_results, ErrorLine, GradedLine, ResultRow, ResultsWriter};
pub use run::run_batch;
pub use shard::{stable_hash, Shard};
pub use summary::{summary_csv, write_summaries};

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
    pub graded: usize,
    pub errors: usize,
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

/// What `merge` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    pub records: usize,
    pub duplicates: usize,
    /// `file:line` of each line that is not a result (corrupt, or cut off by a crash).
    pub unreadable: Vec<String>,
}

/// Combines shard outputs into one results file (each id once) and fresh summaries. An
/// existing results file in `out_dir` is replaced only with `overwrite`.
pub fn merge(
    dirs: &[PathBuf],
    out_dir: &Path,
    overwrite: bool,
) -> Result<MergeOutcome, BatchError> {
    let results_path = out_dir.join("results.jsonl");
    if results_path.exists() && !overwrite {
        return Err(BatchError::MergeTargetExists(results_path));
    }
    prepare_out_dir(out_dir)?;
    let _lock = lock_output(out_dir)?;
    let mut seen = std::collections::HashSet::new();
    let mut merged = String::new();
    let mut duplicates = 0;
    let mut unreadable = Vec::new();
    for dir in dirs {
        let path = dir.join("results.jsonl");
        let bytes = std::fs::read(&path).map_err(|source| BatchError::Read {
            path: path.clone(),
            source,
        })?;
        for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Ok(row) = serde_json::from_slice::<ResultRow>(line) else {
                unreadable.push(format!("{}:{}", path.display(), index + 1));
                continue;
            };
            if seen.insert(row.id) {
                merged.push_str(&String::from_utf8_lossy(line));
                merged.push('\n');
            } else {
                duplicates += 1;
            }
        }
    }
    write_output(&results_path, merged.as_bytes())?;
    let (rows, _) = read_results(&results_path).map_err(|source| BatchError::Read {
        path: results_path.clone(),
        source,
    })?;
    write_summaries(out_dir, &rows)?;
    Ok(MergeOutcome {
        records: rows.len(),
        duplicates,
        unreadable,
    })
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
