//! One batch run, in stages: plan the output (refuse, resume or start afresh), read the
//! inputs a chunk ahead on their own thread, sort each chunk into lines to write and answers
//! to grade, grade them together, write the chunk, and summarise at the end.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;

use super::lock::lock_output;
use super::output::{drop_lines, scan_results, ErrorLine, GradedLine, ResultsWriter};
use super::run_settings::{describe, RunSettings};
use super::{prepare_out_dir, write_summaries, BatchError, BatchOptions, BatchOutcome, Progress};
use crate::bank::Bank;
use crate::grader::{Grader, Submission};
use crate::records::jsonl::BadRecord;
use crate::records::record::Record;
use crate::records::{read_all, Input};
use crate::score::Rubric;

/// Grades every record of `inputs` into `options.out_dir`.
pub fn run_batch(
    grader: &Grader,
    bank: &Bank,
    inputs: Vec<Input>,
    options: &BatchOptions,
    progress: &dyn Progress,
) -> Result<BatchOutcome, BatchError> {
    let dir = &options.out_dir;
    prepare_out_dir(dir)?;
    let _lock = lock_output(dir)?;
    let settings = RunSettings::of(grader, bank);
    let (mut output, done, earlier_errors) = Output::plan(dir, options, &settings)?;
    let bank_ids = bank
        .questions()
        .iter()
        .map(|question| question.id.clone())
        .collect();
    let (chunks, reader) = read_ahead(inputs, bank_ids, options.chunk_size.max(1));
    let mut run = Run {
        options,
        done,
        retry: earlier_errors.iter().map(|(_, id)| id.clone()).collect(),
        resumed_ids: HashSet::new(),
        seen_ids: HashSet::new(),
        outcome: BatchOutcome::default(),
    };
    for chunk in chunks {
        let mut sorted = run.sort(chunk, bank);
        sorted.grade(grader);
        let (lines, skipped, errors) = sorted.finish();
        run.outcome.errors += errors as usize;
        run.outcome.graded += lines.len() - errors as usize;
        output.append(&lines)?;
        progress.advance(lines.len() as u64 + skipped, errors);
    }
    // A reader that panicked has lost the rest of the input: that fails the run rather
    // than passing for its end.
    if reader.join().is_err() {
        return Err(BatchError::ReaderFailed);
    }
    // The earlier error lines of every record this run met are replaced by this run's
    // lines; those of ids in none of the inputs stay, and still count.
    let replaced: HashSet<usize> = earlier_errors
        .iter()
        .filter(|(_, id)| run.seen_ids.contains(id) || run.resumed_ids.contains(id))
        .map(|(line, _)| *line)
        .collect();
    if !replaced.is_empty() {
        drop_lines(&output.path, &replaced).map_err(|source| BatchError::Write {
            path: output.path.clone(),
            source,
        })?;
    }
    let mut outcome = run.finish();
    outcome.not_in_input.sort();
    outcome.held = output.summarise()?;
    Ok(outcome)
}

/// The line number and id of each error line a resumed run found.
type EarlierErrors = Vec<(usize, String)>;

/// `results.jsonl` and the writer that appends to it.
struct Output {
    dir: PathBuf,
    path: PathBuf,
    writer: ResultsWriter,
}

impl Output {
    /// Refuses results that exist without `--resume` or `--overwrite`, removes them with
    /// `--overwrite`. With `--resume`, refuses a damaged file or one graded with other
    /// settings, and returns the ids done and the earlier error lines (number and id),
    /// whose records are graded again.
    fn plan(
        dir: &Path,
        options: &BatchOptions,
        settings: &RunSettings,
    ) -> Result<(Output, HashSet<String>, EarlierErrors), BatchError> {
        let path = dir.join("results.jsonl");
        if path.exists() && !options.resume {
            if !options.overwrite {
                return Err(BatchError::ResultsExist(path));
            }
            std::fs::remove_file(&path).map_err(|source| BatchError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let scan = scan_results(&path).map_err(|source| BatchError::Read {
            path: path.clone(),
            source,
        })?;
        if !scan.damaged.is_empty() {
            return Err(BatchError::DamagedResults {
                path,
                lines: scan.damaged,
            });
        }
        let holds_results = !scan.graded.is_empty() || !scan.error_lines.is_empty();
        if holds_results {
            let Some(recorded) = RunSettings::read(dir)? else {
                return Err(BatchError::SettingsUnknown(path));
            };
            let differences = recorded.differences(settings);
            if !differences.is_empty() {
                return Err(BatchError::SettingsChanged {
                    path: dir.join(super::RUN_FILE),
                    changes: describe(&differences, "recorded", "now"),
                });
            }
        } else {
            // Nothing graded yet: this run's settings are the folder's, whatever an earlier
            // (or damaged) run.json said.
            settings.write(dir)?;
        }
        let writer = ResultsWriter::open(&path).map_err(|source| BatchError::Write {
            path: path.clone(),
            source,
        })?;
        let output = Output {
            dir: dir.to_path_buf(),
            path,
            writer,
        };
        Ok((output, scan.graded, scan.error_lines))
    }

    fn append(&mut self, lines: &[String]) -> Result<(), BatchError> {
        self.writer
            .append(lines)
            .map_err(|source| BatchError::Write {
                path: self.path.clone(),
                source,
            })
    }

    /// Writes summary.csv, report.md and report.html from the whole results file, and
    /// says what it holds.
    fn summarise(&self) -> Result<super::Held, BatchError> {
        Ok(write_summaries(&self.dir, &self.path)?)
    }
}

type Chunk = Vec<Result<Record, BadRecord>>;

/// Reading and parsing run on their own thread, a chunk ahead of grading.
fn read_ahead(
    inputs: Vec<Input>,
    bank_ids: Vec<String>,
    chunk_size: usize,
) -> (Receiver<Chunk>, JoinHandle<()>) {
    let (sender, receiver) = sync_channel::<Chunk>(2);
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
    (receiver, reader)
}

/// What the run has seen so far, across chunks.
struct Run<'a> {
    options: &'a BatchOptions,
    done: HashSet<String>,
    /// Ids with an earlier error line and no graded one: graded again.
    retry: HashSet<String>,
    resumed_ids: HashSet<String>,
    seen_ids: HashSet<String>,
    outcome: BatchOutcome,
}

impl Run<'_> {
    /// Sorts a chunk: records of other shards and records already done are skipped, and
    /// a duplicate id, a bad record or an unknown question becomes an error line now; the
    /// rest wait, in their slots, to be graded together.
    fn sort(&mut self, chunk: Chunk, bank: &Bank) -> SortedChunk {
        let mut sorted = SortedChunk::default();
        for item in chunk {
            let (id, source) = match &item {
                Ok(record) => (record.id.as_str(), record.source.as_str()),
                Err(bad) => (bad.id.as_str(), bad.source.as_str()),
            };
            if self.options.shard.is_some_and(|shard| !shard.owns(id)) {
                self.outcome.other_shards += 1;
                sorted.skipped += 1;
                continue;
            }
            // A done id met the first time is skipped; met again, it is a duplicate in the
            // input like any other, and gets its error line again.
            if self.done.contains(id) && self.resumed_ids.insert(id.to_string()) {
                self.outcome.resumed += 1;
                sorted.skipped += 1;
                continue;
            }
            // A second record with the same id would be taken for the first by --resume and
            // merge; it becomes an error line instead of a silent loss.
            if self.done.contains(id) || !self.seen_ids.insert(id.to_string()) {
                let error = format!("duplicate id {id:?}: an earlier record in this run has the same id; give each record a unique `id`");
                sorted.error(id, None, source, None, &error);
                continue;
            }
            if self.retry.contains(id) {
                self.outcome.retried += 1;
            }
            match item {
                Err(bad) => sorted.error(&bad.id, None, &bad.source, None, &bad.error),
                Ok(record) => match record.target.rubric(Some(bank)) {
                    Ok(rubric) => sorted.wait(record, rubric),
                    Err(err) => {
                        let question = record.target.label(None);
                        sorted.error(
                            &record.id,
                            record.candidate.as_deref(),
                            &record.source,
                            Some(&question),
                            &err.to_string(),
                        );
                    }
                },
            }
        }
        sorted
    }

    /// The counts, with the resumed results that no input record had.
    fn finish(self) -> BatchOutcome {
        let shard = self.options.shard;
        let mut outcome = self.outcome;
        outcome.not_in_input = self
            .done
            .iter()
            .filter(|id| !self.resumed_ids.contains(*id))
            .filter(|id| shard.is_none_or(|shard| shard.owns(id)))
            .cloned()
            .collect();
        outcome
    }
}

/// One chunk's lines in input order: error lines at once, result lines once graded.
#[derive(Default)]
struct SortedChunk {
    lines: Vec<Option<String>>,
    pending: Vec<(Record, Rubric, usize)>,
    skipped: u64,
    errors: u64,
}

impl SortedChunk {
    fn error(
        &mut self,
        id: &str,
        candidate: Option<&str>,
        source: &str,
        question: Option<&str>,
        error: &str,
    ) {
        self.errors += 1;
        self.lines
            .push(Some(error_line(id, candidate, source, question, error)));
    }

    fn wait(&mut self, record: Record, rubric: Rubric) {
        self.pending.push((record, rubric, self.lines.len()));
        self.lines.push(None);
    }

    /// Grades the waiting answers in one call and fills their slots.
    fn grade(&mut self, grader: &Grader) {
        let submissions: Vec<Submission> = self
            .pending
            .iter()
            .map(|(record, rubric, _)| Submission {
                rubric,
                answer: &record.answer,
            })
            .collect();
        let results = grader.grade_many(&submissions);
        for ((record, rubric, slot), result) in self.pending.iter().zip(results) {
            let candidate = record.candidate.as_deref();
            self.lines[*slot] = Some(match result {
                Ok(report) => serde_json::to_string(&GradedLine {
                    id: &record.id,
                    candidate,
                    source: &record.source,
                    report: &report,
                })
                .expect("result lines serialise"),
                Err(err) => {
                    self.errors += 1;
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
    }

    /// The lines to write, the records skipped, and the error lines among them.
    fn finish(self) -> (Vec<String>, u64, u64) {
        let lines = self.lines.into_iter().flatten().collect();
        (lines, self.skipped, self.errors)
    }
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
