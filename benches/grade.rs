//! Warm grading latency of one ~150-word answer through `mockgrade::grader::Grader`, built
//! as `src/cli/engine.rs` builds it (shipped scorer, on-disk reference cache), with the
//! question's reference embeddings already cached. Also times the parts of a cold start
//! that run before the first answer is embedded: bank parse, model hash, model load and
//! reference-cache reads, and the scorer alone on an embedded answer.

mod common;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use mockgrade::bank::Bank;
use mockgrade::embed::cache::EmbeddingCache;
use mockgrade::embed::model_dir::sha256_file;
use mockgrade::embed::{Embedder, EmbedderOptions};
use mockgrade::grader::Submission;
use mockgrade::score::Rubric;
use mockgrade::util::paths;

/// The dev answer closest to 150 words and its rubric.
fn long_answer(bank: &Bank) -> (Rubric, String) {
    let answer = common::dev_answers()
        .into_iter()
        .min_by_key(|answer| answer.answer.split_whitespace().count().abs_diff(150))
        .expect("the dev set has answers");
    let question = bank.find(&answer.question).expect("a bank question");
    (Rubric::from(question), answer.answer)
}

fn grade_warm(c: &mut Criterion) {
    let bank = common::bank();
    let (rubric, answer) = long_answer(&bank);
    let grader = common::grader(&EmbedderOptions::default());
    // Fills the reference cache for this question and warms libtorch's allocator.
    grader.grade(&rubric, &answer).expect("grade");
    let words = answer.split_whitespace().count();
    c.bench_function(&format!("grade/warm_{words}_words"), |b| {
        b.iter(|| grader.grade(&rubric, &answer).expect("grade"))
    });
}

/// The scorer alone on an embedded answer: negation scope, evidence and the decision layer,
/// without the forward passes, so its share of a grade shows.
fn score_only(c: &mut Criterion) {
    let bank = common::bank();
    let (rubric, answer) = long_answer(&bank);
    let grader = common::grader(&EmbedderOptions::default());
    let prepared = grader
        .prepare(&[Submission {
            rubric: &rubric,
            answer: &answer,
        }])
        .pop()
        .expect("one answer")
        .expect("prepared");
    let scorer = grader.scorer().clone();
    c.bench_function("grade/score_only", |b| {
        b.iter(|| grader.score_prepared(&prepared, &scorer, 0))
    });
}

fn cold_start_parts(c: &mut Criterion) {
    let dir = common::model_dir();
    let mut group = c.benchmark_group("cold_start");
    group.bench_function("bank_parse", |b| b.iter(common::bank));
    group.bench_function("model_sha256_memoized", |b| {
        b.iter(|| dir.sha256().expect("hash"))
    });
    group.bench_function("model_sha256_full", |b| {
        b.iter(|| sha256_file(&dir.weights).expect("hash"))
    });
    group.bench_function("model_load", |b| {
        b.iter(|| Embedder::load(&dir, &EmbedderOptions::default()).expect("load"))
    });
    let embedder = common::embedder(&EmbedderOptions::default());
    let bank = common::bank();
    let (rubric, _) = long_answer(&bank);
    let mut texts = rubric.variant_texts();
    texts.extend(rubric.question.clone());
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let cache = EmbeddingCache::new(&paths::cache_dir(), &dir.sha256().expect("hash"));
    cache.embed(&embedder, &refs).expect("fill the cache");
    group.bench_function(format!("reference_cache_read_{}_texts", refs.len()), |b| {
        b.iter(|| cache.embed(&embedder, &refs).expect("cache"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = grade_warm, score_only, cold_start_parts
}
criterion_main!(benches);
