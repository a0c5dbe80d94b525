//! The embedding engine against the real model and libtorch.

use mockgrade::embed::model_dir::ModelDir;
use mockgrade::embed::{Embedder, EmbedderOptions};

mod common;

fn embedder() -> Embedder {
    let dir = ModelDir::open(&common::model_dir()).expect("scripts/setup installed the model");
    let options = EmbedderOptions {
        device: mockgrade::embed::device::DeviceRequest::Cpu,
        ..EmbedderOptions::default()
    };
    Embedder::load(&dir, &options).expect("model loads")
}

fn cosine(a: ndarray::ArrayView1<f32>, b: ndarray::ArrayView1<f32>) -> f32 {
    a.dot(&b)
}

#[test]
fn matches_the_published_sentence_transformers_vector() {
    let embedded = embedder().embed(&["This is an example sentence"]).unwrap();
    let expected = [0.0677, 0.0635, 0.0487, 0.0793, 0.0374];
    for (got, want) in embedded.vectors.row(0).iter().zip(expected) {
        assert!((got - want).abs() < 1e-4, "got {got}, want {want}");
    }
    assert_eq!(embedded.vectors.ncols(), 384);
}

#[test]
fn a_sentence_gets_the_same_vector_alone_and_in_a_mixed_batch() {
    let embedder = embedder();
    let target = "We retrain the model every week on fresh labelled data.";
    let alone = embedder.embed(&[target]).unwrap();
    let batch = [
        "Drift.",
        target,
        "A much longer sentence about monitoring feature distributions with population stability index and Kolmogorov-Smirnov tests, alerting the on-call engineer when thresholds are crossed, and rolling back the model when accuracy drops.",
        "Cache features in Redis.",
    ];
    let together = embedder.embed(&batch).unwrap();
    let difference = (&alone.vectors.row(0) - &together.vectors.row(1)).mapv(f32::abs);
    assert!(
        difference.iter().all(|&d| d < 1e-5),
        "max diff {:?}",
        difference.iter().cloned().fold(0.0, f32::max)
    );
    // Order is the caller's, not the length-sorted batch order.
    for (index, text) in batch.iter().enumerate() {
        let single = embedder.embed(&[*text]).unwrap();
        assert!(cosine(single.vectors.row(0), together.vectors.row(index)) > 0.9999);
    }
}

#[test]
fn vectors_are_unit_length() {
    let embedded = embedder()
        .embed(&["one", "two words", "and a third, longer input"])
        .unwrap();
    for row in embedded.vectors.rows() {
        assert!((row.dot(&row) - 1.0).abs() < 1e-5);
    }
}

#[test]
fn related_sentences_score_higher_than_unrelated_ones() {
    let embedded = embedder()
        .embed(&[
            "Monitor the model for data drift in production.",
            "Track changes in the input distribution of the deployed model.",
            "My favourite pasta recipe uses fresh basil.",
        ])
        .unwrap();
    let related = cosine(embedded.vectors.row(0), embedded.vectors.row(1));
    let unrelated = cosine(embedded.vectors.row(0), embedded.vectors.row(2));
    assert!(
        related > unrelated + 0.3,
        "related {related}, unrelated {unrelated}"
    );
}

#[test]
fn inputs_over_the_model_limit_are_reported_as_truncated() {
    let long = "monitoring drift ".repeat(300);
    let embedded = embedder().embed(&[long.as_str(), "short"]).unwrap();
    assert_eq!(embedded.truncated, vec![true, false]);
}

#[test]
fn worker_threads_give_the_same_vectors_in_the_callers_order() {
    let dir = ModelDir::open(&common::model_dir()).expect("scripts/setup installed the model");
    let load = |threads: usize, workers: usize| {
        let options = EmbedderOptions {
            device: mockgrade::embed::device::DeviceRequest::Cpu,
            threads: Some(threads),
            workers: Some(workers),
            ..EmbedderOptions::default()
        };
        Embedder::load(&dir, &options).expect("model loads")
    };
    // Enough texts of mixed lengths for many batches, so both workers take several.
    let texts: Vec<String> = (0..70)
        .map(|index| {
            format!(
                "Point {index}: retrain {} and watch drift",
                "on fresh labelled data ".repeat(index % 7)
            )
        })
        .collect();
    let single = load(1, 1);
    let parallel = load(2, 2);
    assert_eq!(parallel.workers(), 2);
    let one = single.embed(&texts).unwrap();
    let two = parallel.embed(&texts).unwrap();
    // Each pass runs single-threaded in both engines and the batch plan does not depend on
    // the worker count, so the vectors are bit for bit the same.
    assert_eq!(one.vectors, two.vectors);
    for index in [0, 33, 69] {
        let alone = single.embed(&[texts[index].as_str()]).unwrap();
        assert!(cosine(alone.vectors.row(0), two.vectors.row(index)) > 0.9999);
    }
}
