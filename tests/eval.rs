//! `eval` and `calibrate` through the real binary: metrics that match an independent
//! computation, a calibration file that `grade` then uses, and a dev-set regression guard.

mod common;

use common::{stderr, Sandbox};
use mockgrade::eval::metrics;

/// Point accuracy measured on the dev set's test split with the shipped thresholds
/// (BENCHMARKS.md). The guard below fails if it drops more than 2 points.
const RECORDED_DEV_TEST_POINT_ACCURACY: f64 = 0.888;

const FIXTURE: &str = r#"{"id": "1", "question": "Why cache predictions?", "reference": "Caching repeated requests cuts latency.", "answer": "A cache in front of the model makes repeated requests much faster.", "label": "correct", "score": 1, "max_score": 1, "split": "train"}
{"id": "2", "question": "Why cache predictions?", "reference": "Caching repeated requests cuts latency.", "answer": "Because GPUs are expensive.", "label": "incorrect", "score": 0, "max_score": 1, "split": "train"}
{"id": "3", "question": "Why monitor drift?", "reference": "Input distributions change after deployment and degrade accuracy.", "answer": "The production data shifts away from the training data, so accuracy drops.", "label": "correct", "score": 1, "max_score": 1, "split": "train"}
{"id": "4", "question": "Why monitor drift?", "reference": "Input distributions change after deployment and degrade accuracy.", "answer": "To make nice dashboards for the team.", "label": "incorrect", "score": 0, "max_score": 1, "split": "test"}
{"id": "5", "question": "Why use canary releases?", "reference": "A canary exposes a new model to a small share of traffic before full rollout.", "answer": "You send a small slice of users to the new model first and watch it.", "label": "correct", "score": 1, "max_score": 1, "split": "test"}
{"id": "6", "question": "Why use canary releases?", "reference": "A canary exposes a new model to a small share of traffic before full rollout.", "answer": "Canaries are birds.", "label": "incorrect", "score": 0.5, "max_score": 1, "split": "test"}
"#;

#[test]
fn eval_metrics_match_an_independent_computation_from_grade() {
    let sandbox = Sandbox::new();
    let dataset = sandbox.file("fixture.jsonl", FIXTURE);
    let output = sandbox.run(&["eval", dataset.to_str().unwrap(), "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summaries: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &summaries[0];
    assert_eq!(summary["n"], 6);

    // Grade each answer on its own and compute the metrics here.
    let mut similarity = Vec::new();
    let mut coverage = Vec::new();
    let mut truth = Vec::new();
    let mut human = Vec::new();
    for line in FIXTURE.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let output = sandbox.run(&[
            "grade",
            "--reference",
            record["reference"].as_str().unwrap(),
            "--question-text",
            record["question"].as_str().unwrap(),
            "--answer",
            record["answer"].as_str().unwrap(),
            "--format",
            "json",
        ]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        similarity.push(report["mean_similarity"].as_f64().unwrap());
        coverage.push(report["coverage"].as_f64().unwrap());
        truth.push(record["label"] == "correct");
        human.push(record["score"].as_f64().unwrap());
    }
    let close = |a: &serde_json::Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-9;
    assert!(close(
        &summary["scores"]["pearson"],
        metrics::pearson(&similarity, &human).unwrap()
    ));
    assert!(close(
        &summary["scores"]["spearman"],
        metrics::spearman(&similarity, &human).unwrap()
    ));
    assert!(close(
        &summary["labels"]["roc_auc"],
        metrics::roc_auc(&similarity, &truth).unwrap()
    ));
    let predicted: Vec<bool> = coverage.iter().map(|&c| c >= 0.5).collect();
    assert!(close(
        &summary["labels"]["weighted_f1"],
        metrics::weighted_f1(&truth, &predicted)
    ));
    // The fixture is easy: the scorer ranks every correct answer above every incorrect one.
    assert_eq!(summary["labels"]["roc_auc"], 1.0);
}

#[test]
fn fit_split_thresholds_are_chosen_on_train_and_reported_on_test() {
    let sandbox = Sandbox::new();
    let dataset = sandbox.file("fixture.jsonl", FIXTURE);
    let output = sandbox.run(&[
        "eval",
        dataset.to_str().unwrap(),
        "--fit-split",
        "train",
        "--test-split",
        "test",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summaries: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0]["split"], "test");
    assert_eq!(summaries[0]["n"], 3);
    assert_eq!(summaries[0]["labels"]["fitted_on"], "train");
    assert!(summaries[0]["labels"]["threshold"].as_f64().is_some());
}

#[test]
fn calibrate_writes_a_file_that_grade_then_uses() {
    let sandbox = Sandbox::new();
    let dev = concat!(env!("CARGO_MANIFEST_DIR"), "/data/dev/answers.jsonl");
    let output = sandbox.run(&["calibrate", dev, "--split", "train", "--out", "fitted.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let fitted = std::fs::read_to_string(sandbox.path().join("fitted.toml")).unwrap();
    assert!(
        fitted.contains("[provenance]")
            && fitted.contains("split = \"train\"")
            && fitted.contains("n = 119"),
        "{fitted}"
    );
    // Move the covered threshold so the difference shows in the report.
    let strict = fitted.replace(
        &fitted
            .lines()
            .find(|line| line.starts_with("covered = "))
            .unwrap()
            .to_string(),
        "covered = 0.99",
    );
    sandbox.file("strict.toml", strict);
    let output = sandbox.run(&[
        "--thresholds",
        "strict.toml",
        "grade",
        "-q",
        "2",
        "--answer",
        "I retrain weekly on fresh labelled data.",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["thresholds"]["covered"], 0.99);
    assert!(report["points"]
        .as_array()
        .unwrap()
        .iter()
        .all(|point| point["status"] != "covered"));
}

#[test]
fn dev_set_point_accuracy_does_not_regress() {
    let sandbox = Sandbox::new();
    let dev = concat!(env!("CARGO_MANIFEST_DIR"), "/data/dev/answers.jsonl");
    let output = sandbox.run(&["eval", dev, "--split", "test", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summaries: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let accuracy = summaries[0]["covers"]["point_accuracy"].as_f64().unwrap();
    assert!(
        accuracy >= RECORDED_DEV_TEST_POINT_ACCURACY - 0.02,
        "dev-set point accuracy {accuracy:.3} fell more than 2 points below {RECORDED_DEV_TEST_POINT_ACCURACY}"
    );
}

#[test]
fn beetle_evaluates_when_shared_data_is_present() {
    let beetle = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/beetle.jsonl");
    if !std::path::Path::new(beetle).exists() {
        eprintln!("skipped: {beetle} is absent (../shared is not beside the checkout)");
        return;
    }
    // A slice keeps the test quick; the full figures are in BENCHMARKS.md.
    let sandbox = Sandbox::new();
    let text = std::fs::read_to_string(beetle).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("\"test-unseen-answers\""))
        .take(80)
        .collect();
    let slice = sandbox.file("beetle-slice.jsonl", lines.join("\n"));
    let output = sandbox.run(&["eval", slice.to_str().unwrap(), "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summaries: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summaries[0]["n"], 80);
    assert!(
        summaries[0]["labels"]["roc_auc"].as_f64().unwrap() > 0.6,
        "{}",
        summaries[0]
    );
}
