//! Batch grading: stream records from many inputs, grade them in large chunks, append
//! results as they are done, and summarise. A bad record becomes an error line; the
//! batch goes on.

mod groups;
mod html_report;
mod lock;
mod output;
mod shard;
mod summary;

use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

use thiserror::Error;

pub use lock::{lock_output, OutputLock};
pub use output::{done_ids, read_results, ErrorLine, GradedLine, ResultRow, ResultsWriter};
pub use shard::{stable_hash, Shard};
pub use summary::{summary_csv, write_summaries};

use crate::bank::Bank;
use crate::grader::{Grader, Submission};
use crate::records::jsonl::BadRecord;
use crate::records::record::Record;
use crate::records::{read_all, Input};
use crate::score::Rubric;

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
}

/// Told about progress as records are graded.
pub trait Progress {
    fn advance(&self, records: u64, errors: u64);
}

/// Grades every record of `inputs` into `options.out_dir`.
pub fn run_batch(
    grader: &Grader,
    bank: &Bank,
    inputs: Vec<Input>,
    options: &BatchOptions,
    progress: &dyn Progress,
) -> Result<BatchOutcome, BatchError> {
    let dir = &options.out_dir;
    let write_error = |source| BatchError::Write {
        path: dir.clone(),
        source,
    };
    prepare_out_dir(dir)?;
    let _lock = lock_output(dir)?;
    let results_path = dir.join("results.jsonl");
    if results_path.exists() && !options.resume {
        if !options.overwrite {
            return Err(BatchError::ResultsExist(results_path));
        }
        std::fs::remove_file(&results_path).map_err(write_error)?;
    }
    let (done, damaged) = done_ids(&results_path).map_err(|source| BatchError::Read {
        path: results_path.clone(),
        source,
    })?;
    if !damaged.is_empty() {
        return Err(BatchError::DamagedResults {
            path: results_path,
            lines: damaged,
        });
    }
    let mut resumed_ids = std::collections::HashSet::new();
    let mut writer = ResultsWriter::open(&results_path).map_err(|source| BatchError::Write {
        path: results_path.clone(),
        source,
    })?;

    let bank_ids: Vec<String> = bank
        .questions()
        .iter()
        .map(|question| question.id.clone())
        .collect();
    let chunk_size = options.chunk_size.max(1);
    let shard = options.shard;
    let mut outcome = BatchOutcome::default();
    let mut seen_ids = std::collections::HashSet::new();
    // Reading and parsing run on their own thread, a chunk ahead of grading.
    let (sender, receiver) = sync_channel::<Vec<Result<Record, BadRecord>>>(2);
    let reader = std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(chunk_size);
        for item in read_all(inputs, bank_ids) {
            chunk.push(item);
            if chunk.len() == chunk_size && sender.send(std::mem::take(&mut chunk)).is_err() {
                return;
            }
        }
        if !chunk.is_empty() {
            let _ = sender.send(chunk);
        }
    });

    for chunk in receiver {
        // Slots keep input order: error lines now, graded lines once the chunk is graded.
        let mut lines: Vec<Option<String>> = Vec::with_capacity(chunk.len());
        let mut pending: Vec<(Record, Rubric, usize)> = Vec::new();
        let mut skipped = 0u64;
        let mut chunk_errors = 0u64;
        for item in chunk {
            let (id, source) = match &item {
                Ok(record) => (record.id.as_str(), record.source.as_str()),
                Err(bad) => (bad.id.as_str(), bad.source.as_str()),
            };
            if shard.is_some_and(|shard| !shard.owns(id)) {
                outcome.other_shards += 1;
                skipped += 1;
                continue;
            }
            if done.contains(id) {
                resumed_ids.insert(id.to_string());
                outcome.resumed += 1;
                skipped += 1;
                continue;
            }
            // A second record with the same id would be taken for the first by --resume and
            // merge; it becomes an error line instead of a silent loss.
            if !seen_ids.insert(id.to_string()) {
                chunk_errors += 1;
                let error = format!("duplicate id {id:?}: an earlier record in this run has the same id; give each record a unique `id`");
                lines.push(Some(error_line(id, None, source, None, &error)));
                continue;
            }
            match item {
                Err(bad) => {
                    chunk_errors += 1;
                    lines.push(Some(error_line(
                        &bad.id,
                        None,
                        &bad.source,
                        None,
                        &bad.error,
                    )));
                }
                Ok(record) => match record.target.rubric(Some(bank)) {
                    Ok(rubric) => {
                        pending.push((record, rubric, lines.len()));
                        lines.push(None);
                    }
                    Err(err) => {
                        chunk_errors += 1;
                        let question = record.target.label(None);
                        lines.push(Some(error_line(
                            &record.id,
                            record.candidate.as_deref(),
                            &record.source,
                            Some(&question),
                            &err.to_string(),
                        )));
                    }
                },
            }
        }
        let submissions: Vec<Submission> = pending
            .iter()
            .map(|(record, rubric, _)| Submission {
                rubric,
                answer: &record.answer,
            })
            .collect();
        for ((record, rubric, slot), result) in pending.iter().zip(grader.grade_many(&submissions))
        {
            let candidate = record.candidate.as_deref();
            lines[*slot] = Some(match result {
                Ok(report) => serde_json::to_string(&GradedLine {
                    id: &record.id,
                    candidate,
                    source: &record.source,
                    report: &report,
                })
                .expect("result lines serialise"),
                Err(err) => {
                    chunk_errors += 1;
                    error_line(
                        &record.id,
                        candidate,
                        &record.source,
                        Some(&rubric.id),
                        &err.to_string(),
                    )
                }
            });
        }
        let lines: Vec<String> = lines.into_iter().flatten().collect();
        outcome.errors += chunk_errors as usize;
        outcome.graded += lines.len() - chunk_errors as usize;
        writer.append(&lines).map_err(|source| BatchError::Write {
            path: results_path.clone(),
            source,
        })?;
        progress.advance(lines.len() as u64 + skipped, chunk_errors);
    }
    // A reader that panicked has lost the rest of the input: that fails the run rather
    // than passing for its end.
    if reader.join().is_err() {
        return Err(BatchError::ReaderFailed);
    }
    let mut not_in_input: Vec<String> = done
        .into_iter()
        .filter(|id| !resumed_ids.contains(id))
        .filter(|id| shard.is_none_or(|shard| shard.owns(id)))
        .collect();
    not_in_input.sort();
    outcome.not_in_input = not_in_input;

    let (rows, _) = read_results(&results_path).map_err(|source| BatchError::Read {
        path: results_path.clone(),
        source,
    })?;
    write_summaries(dir, &rows).map_err(write_error)?;
    Ok(outcome)
}

fn error_line(
    id: &str,
    candidate: Option<&str>,
    source: &str,
    question: Option<&str>,
    error: &str,
) -> String {
    serde_json::to_string(&ErrorLine {
        id,
        candidate,
        source,
        question_id: question,
        error,
    })
    .expect("error lines serialise")
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
    crate::util::paths::write_atomic(&results_path, merged.as_bytes()).map_err(|source| {
        BatchError::Write {
            path: results_path.clone(),
            source,
        }
    })?;
    let (rows, _) = read_results(&results_path).map_err(|source| BatchError::Read {
        path: results_path.clone(),
        source,
    })?;
    write_summaries(out_dir, &rows).map_err(|source| BatchError::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
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
    std::fs::create_dir_all(dir).map_err(|source| BatchError::Write {
        path: dir.to_path_buf(),
        source,
    })
}
