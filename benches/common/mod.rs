//! Helpers shared by the benchmarks: the engine built as `src/cli/engine.rs` builds it,
//! the dev-set answers, and the generated corpus.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mockgrade::bank::Bank;
use mockgrade::embed::cache::EmbeddingCache;
use mockgrade::embed::model_dir::{self, ModelDir};
use mockgrade::embed::{Embedder, EmbedderOptions};
use mockgrade::grader::Grader;
use mockgrade::report::ModelInfo;
use mockgrade::score::Scorer;
use mockgrade::util::paths;

/// The repository root (benchmarks run from it, but say so explicitly).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The installed model, found the way the CLI finds it without `--model`.
pub fn model_dir() -> ModelDir {
    model_dir::locate(None).expect("the model is missing: run scripts/setup first")
}

/// An embedder with the given options (threads and token budget matter to benchmarks).
pub fn embedder(options: &EmbedderOptions) -> Embedder {
    Embedder::load(&model_dir(), options).expect("load the model")
}

/// A grader built like `engine::grader` with default flags: shipped scorer and the
/// on-disk reference-embedding cache.
pub fn grader(options: &EmbedderOptions) -> Grader {
    let embedder = embedder(options);
    let dir = embedder.model_dir().clone();
    let sha256 = dir.sha256().expect("hash the model");
    let cache = EmbeddingCache::new(&paths::cache_dir(), &sha256);
    let model = ModelInfo {
        name: dir.name(),
        sha256,
    };
    Grader::new(embedder, Some(cache), Scorer::shipped(), model)
}

pub fn bank() -> Bank {
    Bank::load(&[], true).expect("the built-in bank loads")
}

/// One answer record: bank question id and answer text.
#[derive(Debug, Clone)]
pub struct Answer {
    pub question: String,
    pub answer: String,
}

/// Reads `{"question", "answer", ...}` lines.
pub fn read_answers(path: &Path) -> Vec<Answer> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSONL");
            Answer {
                question: value["question"].as_str().expect("question").to_string(),
                answer: value["answer"].as_str().expect("answer").to_string(),
            }
        })
        .collect()
}

/// The 238 labelled answers of the dev set.
pub fn dev_answers() -> Vec<Answer> {
    read_answers(&root().join("data/dev/answers.jsonl"))
}

/// `target/bench-corpus/corpus-N.jsonl`, written by scripts/gen-corpus when missing.
/// Falls back to the dev set (repeated up to `n` answers) when python3 is unavailable.
pub fn corpus(n: usize) -> Vec<Answer> {
    let path: PathBuf = root().join(format!("target/bench-corpus/corpus-{n}.jsonl"));
    if !path.is_file() {
        let status = std::process::Command::new("python3")
            .arg(root().join("scripts/gen-corpus"))
            .args(["--n", &n.to_string(), "--out"])
            .arg(&path)
            .status();
        if !matches!(status, Ok(status) if status.success()) {
            eprintln!("scripts/gen-corpus failed ({status:?}); benchmarking the dev set instead");
            return dev_answers().into_iter().cycle().take(n).collect();
        }
    }
    read_answers(&path)
}

/// A comma-separated list of numbers from the environment variable `name`, or `default`.
pub fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .filter(|text| !text.trim().is_empty())
        .map(|text| {
            text.split(',')
                .map(|item| {
                    item.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("{name} must be a list of whole numbers"))
                })
                .collect()
        })
        .unwrap_or_else(|| default.to_vec())
}

/// Rounds of the sweep from `MOCKGRADE_BENCH_SWEEP` (a number; any other non-empty value
/// means 3), or `None` when the variable is unset or empty.
pub fn sweep_rounds() -> Option<usize> {
    let value = std::env::var("MOCKGRADE_BENCH_SWEEP").ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.parse().unwrap_or(3).max(1))
}

/// The engine settings a sweep compares: every combination of `MOCKGRADE_BENCH_THREADS`
/// (default 1,2), `MOCKGRADE_BENCH_WORKERS` (default 1,2; only up to the thread count),
/// `MOCKGRADE_BENCH_BUDGETS` (default `budgets`) and `MOCKGRADE_BENCH_ROWS` (default 16),
/// each with a readable name.
pub fn sweep_configs(budgets: &[usize]) -> Vec<(String, EmbedderOptions)> {
    let mut configs = Vec::new();
    for threads in env_list("MOCKGRADE_BENCH_THREADS", &[1, 2]) {
        for workers in env_list("MOCKGRADE_BENCH_WORKERS", &[1, 2]) {
            if workers > threads {
                continue;
            }
            for &token_budget in &env_list("MOCKGRADE_BENCH_BUDGETS", budgets) {
                for max_batch_rows in env_list("MOCKGRADE_BENCH_ROWS", &[16]) {
                    configs.push((
                        format!(
                            "threads {threads}, workers {workers}, budget {token_budget}, rows {max_batch_rows}"
                        ),
                        EmbedderOptions {
                            threads: Some(threads),
                            workers: Some(workers),
                            token_budget,
                            max_batch_rows,
                            ..EmbedderOptions::default()
                        },
                    ));
                }
            }
        }
    }
    configs
}

/// One configuration of a sweep: a name and the work to time.
pub struct Job<'a> {
    pub name: String,
    pub run: Box<dyn FnMut() + 'a>,
}

/// Times every job once per round, after one untimed warm-up round. Jobs are interleaved
/// (and the starting job rotates each round) so that load which comes and goes on a shared
/// machine falls on every configuration alike, unlike criterion's one-after-another runs.
/// Prints a Markdown table of the median and the range of `items / seconds`.
pub fn sweep(title: &str, unit: &str, items: usize, jobs: &mut [Job], rounds: usize) {
    for job in jobs.iter_mut() {
        (job.run)();
    }
    let mut times = vec![Vec::with_capacity(rounds); jobs.len()];
    for round in 0..rounds {
        for offset in 0..jobs.len() {
            let index = (round + offset) % jobs.len();
            let started = std::time::Instant::now();
            (jobs[index].run)();
            times[index].push(started.elapsed().as_secs_f64());
        }
    }
    println!("\n{title}: {items} {unit} per call, median of {rounds} interleaved rounds\n");
    println!("| configuration | median s | {unit}/s | range {unit}/s |");
    println!("|---|---:|---:|---:|");
    for (job, samples) in jobs.iter().zip(&mut times) {
        samples.sort_by(f64::total_cmp);
        let median = samples[samples.len() / 2];
        let rate = |seconds: f64| items as f64 / seconds;
        println!(
            "| {} | {median:.3} | {:.1} | {:.1}–{:.1} |",
            job.name,
            rate(median),
            rate(samples[samples.len() - 1]),
            rate(samples[0])
        );
    }
}
