//! `mockgrade batch` and `mockgrade merge`, with a progress bar on a terminal and periodic
//! lines otherwise.

use std::cell::Cell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use mockgrade::batch::{merge, run_batch, BatchOptions, Progress};
use mockgrade::records::{count_records, Input};

use super::batch_args::BatchArgs;
use super::{exit, setup, InputError};

/// How often plain progress lines are printed when stderr is not a terminal.
const LINE_INTERVAL: Duration = Duration::from_secs(5);

enum Reporter {
    Quiet,
    Bar(ProgressBar),
    Lines {
        /// Unknown when an input is a stream.
        total: Option<u64>,
        done: Cell<u64>,
        errors: Cell<u64>,
        started: Instant,
        last: Cell<Instant>,
    },
}

impl Progress for Reporter {
    fn advance(&self, records: u64, errors: u64) {
        match self {
            Reporter::Quiet => {}
            Reporter::Bar(bar) => bar.inc(records),
            Reporter::Lines {
                total,
                done,
                errors: error_count,
                started,
                last,
            } => {
                done.set(done.get() + records);
                error_count.set(error_count.get() + errors);
                let finished = total.is_some_and(|total| done.get() >= total);
                if last.get().elapsed() >= LINE_INTERVAL || finished {
                    last.set(Instant::now());
                    let rate = done.get() as f64 / started.elapsed().as_secs_f64().max(1e-3);
                    let of_total = total.map(|total| format!("/{total}")).unwrap_or_default();
                    eprintln!(
                        "progress: {}{of_total} records, {} errors, {rate:.1} answers/s",
                        done.get(),
                        error_count.get()
                    );
                }
            }
        }
    }
}

pub fn run(args: &BatchArgs) -> Result<u8> {
    let inputs = args
        .inputs
        .iter()
        .map(|path| {
            Input::from_path(path).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => InputError::Missing(path.clone()),
                _ => InputError::Unreadable {
                    path: path.clone(),
                    source,
                },
            })
        })
        .collect::<Result<Vec<Input>, InputError>>()?;
    let bank = setup::bank(&args.shared.bank)?;
    let grader = setup::grader(&args.shared.engine, &args.shared.scorer)?;
    let total = count_records(&inputs);
    let reporter = if args.quiet {
        Reporter::Quiet
    } else if std::io::stderr().is_terminal() {
        // A stream has no known length: a counter instead of a bar with an ETA.
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::new(total),
                "{bar:30} {pos}/{len} answers  {per_sec}  ETA {eta}  {msg}",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} {pos} answers  {per_sec}  {msg}",
            ),
        };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
        Reporter::Bar(bar)
    } else {
        Reporter::Lines {
            total,
            done: Cell::new(0),
            errors: Cell::new(0),
            started: Instant::now(),
            last: Cell::new(Instant::now()),
        }
    };
    let options = BatchOptions {
        out_dir: args.out.clone(),
        resume: args.resume,
        overwrite: args.overwrite,
        shard: args.shard,
        chunk_size: args.chunk,
    };
    let started = Instant::now();
    let outcome = run_batch(&grader, &bank, inputs, &options, &reporter)?;
    setup::show_warnings(&grader);
    if let Reporter::Bar(bar) = &reporter {
        bar.finish_and_clear();
    }
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "graded {} answers, {} errors{}{}{} in {seconds:.1} s ({:.1} answers/s); wrote {}",
            outcome.graded,
            outcome.errors,
            if outcome.retried > 0 {
                format!(" ({} earlier errors retried)", outcome.retried)
            } else {
                String::new()
            },
            if outcome.resumed > 0 {
                format!(", {} already done", outcome.resumed)
            } else {
                String::new()
            },
            if outcome.other_shards > 0 {
                format!(", {} left to other shards", outcome.other_shards)
            } else {
                String::new()
            },
            (outcome.graded + outcome.errors) as f64 / seconds.max(1e-3),
            args.out.display()
        );
        if args.resume {
            eprintln!(
                "{} holds {} records: {} graded, {} errors",
                args.out.join("results.jsonl").display(),
                outcome.held.graded + outcome.held.errors,
                outcome.held.graded,
                outcome.held.errors
            );
        }
        if let Some(first) = outcome.not_in_input.first() {
            eprintln!(
                "warning: {} holds {} result(s) for ids that are in none of the inputs (first: {first:?}); they are kept, and the summaries count them",
                args.out.join("results.jsonl").display(),
                outcome.not_in_input.len()
            );
        }
        let cache = grader.cache_stats();
        eprintln!(
            "reference embeddings: {} from the cache, {} embedded",
            cache.hits, cache.misses
        );
    }
    // The results file decides, not this run alone: a resumed run over earlier error lines
    // that are still errors has not succeeded.
    Ok(if outcome.held.errors > 0 {
        exit::RECORD_ERRORS
    } else {
        exit::OK
    })
}

pub fn run_merge(dirs: &[PathBuf], out: &std::path::Path, overwrite: bool) -> Result<u8> {
    let merged = merge(dirs, out, overwrite)?;
    for place in &merged.unreadable {
        eprintln!("warning: {place} is not a result line; it was left out of the merge");
    }
    eprintln!(
        "merged {} records into {} ({} graded, {} errors; {} identical duplicates dropped{})",
        merged.records,
        out.display(),
        merged.held.graded,
        merged.held.errors,
        merged.duplicates,
        if merged.unreadable.is_empty() {
            String::new()
        } else {
            format!(
                ", {} unreadable line{} left out",
                merged.unreadable.len(),
                if merged.unreadable.len() == 1 {
                    ""
                } else {
                    "s"
                }
            )
        }
    );
    Ok(if merged.unreadable.is_empty() && merged.held.errors == 0 {
        exit::OK
    } else {
        exit::RECORD_ERRORS
    })
}
