//! mockgrade needs no network at run time: `grade` and `batch` succeed inside a network
//! namespace with no interfaces but loopback (ignored, with the reason, where `unshare -n` is not allowed).

mod common;

use std::process::Command;

use common::{stderr, Sandbox, BIN};

#[test]
#[cfg_attr(
    not(unshare_net),
    ignore = "`unshare -n` is not available or not permitted on this machine"
)]
fn grade_and_batch_work_with_networking_disabled() {
    let sandbox = Sandbox::new();
    sandbox.file("answers.jsonl", "{\"id\": \"1\", \"question\": 2, \"answer\": \"I retrain weekly on fresh labelled data.\"}\n");
    let offline = |args: &[&str]| {
        let mut unshared = Command::new("unshare");
        unshared
            .arg("-n")
            .arg(BIN)
            .args(args)
            .current_dir(sandbox.path())
            .env("XDG_CACHE_HOME", sandbox.path().join("cache"))
            .env("XDG_DATA_HOME", sandbox.path().join("data"))
            .env("NO_COLOR", "1");
        unshared.output().unwrap()
    };
    let grade = offline(&[
        "grade",
        "-q",
        "2",
        "--answer",
        "I retrain weekly on fresh labelled data.",
        "--format",
        "json",
    ]);
    assert!(grade.status.success(), "{}", stderr(&grade));
    let report: serde_json::Value = serde_json::from_slice(&grade.stdout).unwrap();
    assert_eq!(report["question_id"], "concept-drift-deployed-model");
    let batch = offline(&["batch", "answers.jsonl", "--out", "out", "--quiet"]);
    assert!(batch.status.success(), "{}", stderr(&batch));
    assert_eq!(
        std::fs::read_to_string(sandbox.path().join("out/results.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );
}
