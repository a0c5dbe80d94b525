//! Embedding throughput (sentences/s) of `mockgrade::embed::Embedder` on realistic
//! mixed-length texts: the sentences and clauses that grading embeds, cut from the dev-set
//! answers by `mockgrade::segment`.
//!
//! `cargo bench --bench embed` measures the default settings. With
//! `MOCKGRADE_BENCH_SWEEP=ROUNDS` it also sweeps the token budget (256 to 16384), the row
//! cap, the thread count and the worker count in interleaved rounds, and prints how many
//! padded tokens each budget feeds the model: the tuning table of BENCHMARKS.md.
//! `MOCKGRADE_BENCH_BUDGETS=1024,4096`, `MOCKGRADE_BENCH_ROWS=16,64`,
//! `MOCKGRADE_BENCH_THREADS=2` and `MOCKGRADE_BENCH_WORKERS=1,2` narrow or widen it.

mod common;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mockgrade::embed::{
    plan_batches, BatchLimits, EmbedderOptions, DEFAULT_MAX_BATCH_ROWS, DEFAULT_TOKEN_BUDGET,
};
use mockgrade::segment::segment;
use rust_tokenizers::tokenizer::{BertTokenizer, Tokenizer, TruncationStrategy};

/// Texts per measured call: about what one batch chunk of answers holds after deduplication.
const TEXTS: usize = 256;

/// The first `TEXTS` distinct segments of the dev answers, in file order.
fn sentences() -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    common::dev_answers()
        .iter()
        .flat_map(|answer| segment(&answer.answer))
        .map(|piece| piece.text)
        .filter(|text| seen.insert(text.clone()))
        .take(TEXTS)
        .collect()
}

fn embed_default(c: &mut Criterion) {
    let texts = sentences();
    let embedder = common::embedder(&EmbedderOptions::default());
    let mut group = c.benchmark_group("embed");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function(format!("default_budget_{DEFAULT_TOKEN_BUDGET}"), |b| {
        b.iter(|| embedder.embed(&texts).expect("embed"))
    });
    group.finish();
}

/// Real and padded token counts of `texts` batched as the embedder batches them: sorted
/// longest first, each batch padded to its longest text.
fn padding(texts: &[String], budget: usize) -> (usize, usize, usize) {
    let vocab = common::model_dir().path.join("vocab.txt");
    let tokenizer = BertTokenizer::from_file(vocab, true, true).expect("vocab.txt");
    let lengths: Vec<usize> = tokenizer
        .encode_list(texts, 256, &TruncationStrategy::LongestFirst, 0)
        .into_iter()
        .map(|encoded| encoded.token_ids.len())
        .collect();
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&index| (std::cmp::Reverse(lengths[index]), index));
    let limits = BatchLimits {
        token_budget: budget,
        max_rows: DEFAULT_MAX_BATCH_ROWS,
    };
    let batches = plan_batches(&order, |index| lengths[index], limits);
    let padded = batches
        .iter()
        .map(|batch| batch.len() * lengths[batch[0]])
        .sum();
    (lengths.iter().sum(), padded, batches.len())
}

fn embed_sweep(_: &mut Criterion) {
    let Some(rounds) = common::sweep_rounds() else {
        return;
    };
    let texts = sentences();
    let budgets = common::env_list(
        "MOCKGRADE_BENCH_BUDGETS",
        &[256, 512, 1024, 2048, 4096, 8192, 16384],
    );
    println!("\nPadding of {} texts by token budget\n", texts.len());
    println!("| budget | batches | real tokens | padded tokens | padding |");
    println!("|---:|---:|---:|---:|---:|");
    for &budget in &budgets {
        let (real, padded, batches) = padding(&texts, budget);
        println!(
            "| {budget} | {batches} | {real} | {padded} | {:.0}% |",
            100.0 * (padded - real) as f64 / padded as f64
        );
    }
    let mut jobs = Vec::new();
    for (name, options) in common::sweep_configs(&budgets) {
        let embedder = common::embedder(&options);
        let texts = &texts;
        jobs.push(common::Job {
            name,
            run: Box::new(move || {
                embedder.embed(texts).expect("embed");
            }),
        });
    }
    common::sweep(
        "Embedding sweep",
        "sentences",
        texts.len(),
        &mut jobs,
        rounds,
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    targets = embed_default, embed_sweep
}
criterion_main!(benches);
