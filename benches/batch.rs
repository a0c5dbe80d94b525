//! Batch throughput (answers/s) of `Grader::grade_many` over a corpus from
//! scripts/gen-corpus (written to target/bench-corpus/ on first use), graded in chunks as
//! `mockgrade batch` grades them, with the reference embeddings cached.
//!
//! With `MOCKGRADE_BENCH_SWEEP=ROUNDS` it also grades the corpus for each engine setting
//! of `common::sweep_configs` (token budgets in `MOCKGRADE_BENCH_BUDGETS`, default 512 to
//! 16384; threads, workers and row caps as there), in interleaved rounds, and prints the
//! padded-token count of each budget. `MOCKGRADE_BENCH_ANSWERS` and `MOCKGRADE_BENCH_CHUNK` change the corpus size
//! (default 128) and chunk size (default 64; `mockgrade batch` uses 256).

mod common;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mockgrade::embed::{plan_batches, BatchLimits, EmbedderOptions, DEFAULT_MAX_BATCH_ROWS};
use mockgrade::grader::{Grader, Submission};
use mockgrade::score::Rubric;
use mockgrade::segment::segment;
use rust_tokenizers::tokenizer::{BertTokenizer, Tokenizer, TruncationStrategy};

/// Answers per measured iteration, and answers per `grade_many` call.
const ANSWERS: usize = 128;
const CHUNK: usize = 64;

fn grade_all(grader: &Grader, submissions: &[Submission], chunk: usize) -> usize {
    submissions
        .chunks(chunk)
        .map(|chunk| {
            let results = grader.grade_many(chunk);
            assert!(results.iter().all(Result::is_ok), "every answer grades");
            results.len()
        })
        .sum()
}

/// Real and padded tokens the embedder sees for `submissions` graded in chunks: each
/// chunk's distinct segments, sorted longest first and cut by the token budget.
fn padding(submissions: &[Submission], chunk: usize, budget: usize) -> (usize, usize) {
    let vocab = common::model_dir().path.join("vocab.txt");
    let tokenizer = BertTokenizer::from_file(vocab, true, true).expect("vocab.txt");
    let (mut real, mut padded) = (0, 0);
    for part in submissions.chunks(chunk) {
        let mut seen = std::collections::HashSet::new();
        let texts: Vec<String> = part
            .iter()
            .flat_map(|submission| segment(submission.answer))
            .map(|piece| piece.text)
            .filter(|text| seen.insert(text.clone()))
            .collect();
        let lengths: Vec<usize> = tokenizer
            .encode_list(&texts, 256, &TruncationStrategy::LongestFirst, 0)
            .into_iter()
            .map(|encoded| encoded.token_ids.len())
            .collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&index| (std::cmp::Reverse(lengths[index]), index));
        real += lengths.iter().sum::<usize>();
        let limits = BatchLimits {
            token_budget: budget,
            max_rows: DEFAULT_MAX_BATCH_ROWS,
        };
        padded += plan_batches(&order, |index| lengths[index], limits)
            .iter()
            .map(|batch| batch.len() * lengths[batch[0]])
            .sum::<usize>();
    }
    (real, padded)
}

fn batch(c: &mut Criterion) {
    let answers = common::env_list("MOCKGRADE_BENCH_ANSWERS", &[ANSWERS])[0];
    let chunk = common::env_list("MOCKGRADE_BENCH_CHUNK", &[CHUNK])[0];
    let bank = common::bank();
    let corpus = common::corpus(answers);
    let rubrics: Vec<Rubric> = corpus
        .iter()
        .map(|answer| Rubric::from(bank.find(&answer.question).expect("a bank question")))
        .collect();
    let submissions: Vec<Submission> = corpus
        .iter()
        .zip(&rubrics)
        .map(|(answer, rubric)| Submission {
            rubric,
            answer: &answer.answer,
        })
        .collect();
    let grader = common::grader(&EmbedderOptions::default());
    // One pass fills the reference cache for every question in the corpus.
    grade_all(&grader, &submissions, chunk);
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(submissions.len() as u64));
    group.bench_function(format!("grade_many_{answers}_answers_chunk_{chunk}"), |b| {
        b.iter(|| grade_all(&grader, &submissions, chunk))
    });
    group.finish();
    drop(grader);

    let Some(rounds) = common::sweep_rounds() else {
        return;
    };
    let budgets = common::env_list(
        "MOCKGRADE_BENCH_BUDGETS",
        &[512, 1024, 2048, 4096, 8192, 16384],
    );
    println!("\nPadding of {answers} answers in chunks of {chunk} by token budget\n");
    println!("| budget | real tokens | padded tokens | padding |");
    println!("|---:|---:|---:|---:|");
    for &budget in &budgets {
        let (real, padded) = padding(&submissions, chunk, budget);
        println!(
            "| {budget} | {real} | {padded} | {:.0}% |",
            100.0 * (padded - real) as f64 / padded as f64
        );
    }
    let mut jobs = Vec::new();
    for (name, options) in common::sweep_configs(&budgets) {
        let grader = common::grader(&options);
        let submissions = &submissions;
        jobs.push(common::Job {
            name,
            run: Box::new(move || {
                grade_all(&grader, submissions, chunk);
            }),
        });
    }
    common::sweep(
        &format!("Batch sweep (chunks of {chunk})"),
        "answers",
        submissions.len(),
        &mut jobs,
        rounds,
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    targets = batch
}
criterion_main!(benches);
