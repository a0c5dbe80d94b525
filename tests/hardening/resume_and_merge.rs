//! Round 3, class 3: resume and merge never mix grades, and exit codes count what the
//! results file holds. Each run's settings go to `run.json`; a resumed run or a merge with
//! other settings is refused naming both values; error rows are retried; a duplicate id is
//! dropped only when its results agree.

use std::path::Path;

use crate::common::{first_error_line, stderr, Sandbox};

const RECORDS: &str = "{\"id\": \"a\", \"question\": 2, \"answer\": \"We retrain weekly on fresh labelled data.\"}\n{\"id\": \"b\", \"question\": 2, \"answer\": \"We monitor PSI drift on the inputs.\"}\n";

fn results(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("results.jsonl")).unwrap()
}

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap()
}

const MIXING: &str = "; --resume would mix grades in one results file: run again with the recorded settings, or pass --overwrite to start again, or choose another --out";

#[test]
fn resume_refuses_other_settings_naming_both_values() {
    let sandbox = Sandbox::new();
    sandbox.file("answers.jsonl", RECORDS);
    let first = sandbox.run(&["batch", "answers.jsonl", "--out", "out", "--match", "best"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let settings = run_json(&sandbox.path().join("out"));
    assert_eq!(settings["match_mode"], "best");
    for field in ["scorer_sha256", "model_sha256", "bank_sha256"] {
        assert_eq!(
            settings[field].as_str().unwrap().len(),
            64,
            "{field}: {settings}"
        );
    }
    let before = results(&sandbox.path().join("out"));
    // Keep one line, as if the run had been killed, so a resume has work to do.
    std::fs::write(
        sandbox.path().join("out/results.jsonl"),
        format!("{}\n", before.lines().next().unwrap()),
    )
    .unwrap();
    let kept = results(&sandbox.path().join("out"));

    let other_match = sandbox.run(&[
        "batch",
        "answers.jsonl",
        "--out",
        "out",
        "--resume",
        "--match",
        "one-to-one",
    ]);
    assert_eq!(
        other_match.status.code(),
        Some(3),
        "{}",
        stderr(&other_match)
    );
    assert_eq!(
        first_error_line(&other_match),
        format!("error: out/run.json records other settings than this run's: match mode best recorded, one-to-one now{MIXING}")
    );

    let mut scorer = mockgrade::score::Scorer::shipped();
    scorer.thresholds.covered = 0.9;
    sandbox.file("strict.toml", scorer.to_toml());
    let other_scorer = sandbox.run(&[
        "batch",
        "answers.jsonl",
        "--out",
        "out",
        "--resume",
        "--match",
        "best",
        "--scorer",
        "strict.toml",
    ]);
    assert_eq!(
        other_scorer.status.code(),
        Some(3),
        "{}",
        stderr(&other_scorer)
    );
    let message = first_error_line(&other_scorer);
    let recorded = settings["scorer_sha256"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("error: out/run.json records other settings than this run's: scorer sha256 {recorded} recorded, ")),
        "{message}"
    );
    assert!(message.ends_with(&format!(" now{MIXING}")), "{message}");

    sandbox.file(
        "extra.toml",
        "[[questions]]\nid = \"extra\"\ntopic = \"monitoring-drift\"\nquestion = \"Why monitor?\"\n\n[[questions.points]]\nid = \"drift\"\nconcept = \"input drift\"\ntext = \"Inputs drift after deployment.\"\n",
    );
    let other_bank = sandbox.run(&[
        "batch",
        "answers.jsonl",
        "--out",
        "out",
        "--resume",
        "--match",
        "best",
        "--bank",
        "extra.toml",
    ]);
    assert_eq!(other_bank.status.code(), Some(3), "{}", stderr(&other_bank));
    assert!(
        first_error_line(&other_bank).contains(" questions) recorded, "),
        "{}",
        first_error_line(&other_bank)
    );
    assert_eq!(
        results(&sandbox.path().join("out")),
        kept,
        "nothing was added"
    );

    let same = sandbox.run(&[
        "batch",
        "answers.jsonl",
        "--out",
        "out",
        "--resume",
        "--match",
        "best",
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert_eq!(results(&sandbox.path().join("out")).lines().count(), 2);
}

#[test]
fn exit_codes_count_the_results_file_and_resume_retries_error_rows() {
    let sandbox = Sandbox::new();
    let broken = "{\"id\": \"a\", \"question\": 2, \"answer\": \"We retrain weekly on fresh labelled data.\"}\n{\"id\": \"b\", \"question\": 2}\n";
    sandbox.file("answers.jsonl", broken);
    let first = sandbox.run(&["batch", "answers.jsonl", "--out", "out"]);
    assert_eq!(first.status.code(), Some(10), "{}", stderr(&first));

    // Nothing new to grade, but the error line is still there: still exit 10.
    let again = sandbox.run(&["batch", "answers.jsonl", "--out", "out", "--resume"]);
    assert_eq!(again.status.code(), Some(10), "{}", stderr(&again));
    assert!(
        stderr(&again)
            .contains("graded 0 answers, 1 errors (1 earlier errors retried), 1 already done"),
        "{}",
        stderr(&again)
    );
    assert!(
        stderr(&again).contains("out/results.jsonl holds 2 records: 1 graded, 1 errors"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        results(&sandbox.path().join("out")).lines().count(),
        2,
        "one line per id"
    );

    // An error line whose record is in none of the inputs stays, and still counts.
    sandbox.file(
        "only-a.jsonl",
        RECORDS.lines().next().unwrap().to_string() + "\n",
    );
    let elsewhere = sandbox.run(&["batch", "only-a.jsonl", "--out", "out", "--resume"]);
    assert_eq!(elsewhere.status.code(), Some(10), "{}", stderr(&elsewhere));
    assert!(results(&sandbox.path().join("out")).contains("\"id\":\"b\""));

    // With the record fixed, the resumed run grades it in place of its error line.
    sandbox.file("answers.jsonl", RECORDS);
    let fixed = sandbox.run(&["batch", "answers.jsonl", "--out", "out", "--resume"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    let text = results(&sandbox.path().join("out"));
    assert_eq!(text.lines().count(), 2);
    assert!(!text.contains("\"error\""), "{text}");
    let report = std::fs::read_to_string(sandbox.path().join("out/report.md")).unwrap();
    assert!(
        report.contains("2 records: 2 graded, 0 errors."),
        "{report}"
    );
}

#[test]
fn merge_refuses_other_settings_and_conflicting_duplicates() {
    let sandbox = Sandbox::new();
    sandbox.file("answers.jsonl", RECORDS);
    for (out, mode) in [("best", "best"), ("one", "one-to-one")] {
        let output = sandbox.run(&["batch", "answers.jsonl", "--out", out, "--match", mode]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let mixed = sandbox.run(&["merge", "best", "one", "--out", "merged"]);
    assert_eq!(mixed.status.code(), Some(3), "{}", stderr(&mixed));
    assert_eq!(
        first_error_line(&mixed),
        "error: best and one were graded with different settings (match mode best in the first, one-to-one in the other); merging them would mix grades: grade the shards again with one set of settings"
    );
    assert!(!sandbox.path().join("merged/results.jsonl").exists());

    // The same results twice (another run, other timings): dropped quietly.
    std::fs::create_dir_all(sandbox.path().join("copy")).unwrap();
    std::fs::copy(
        sandbox.path().join("one/run.json"),
        sandbox.path().join("copy/run.json"),
    )
    .unwrap();
    let rerun = sandbox.run(&[
        "batch",
        "answers.jsonl",
        "--out",
        "rerun",
        "--match",
        "one-to-one",
    ]);
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    let identical = sandbox.run(&["merge", "one", "rerun", "--out", "merged"]);
    assert_eq!(identical.status.code(), Some(0), "{}", stderr(&identical));
    assert_eq!(
        stderr(&identical).trim_end(),
        "merged 2 records into merged (2 graded, 0 errors; 2 identical duplicates dropped)"
    );
    assert_eq!(
        run_json(&sandbox.path().join("merged")),
        run_json(&sandbox.path().join("one"))
    );

    // One result changed: an error naming the id and both lines, and nothing written.
    let changed: String = results(&sandbox.path().join("one"))
        .lines()
        .map(|line| {
            let mut row: serde_json::Value = serde_json::from_str(line).unwrap();
            if row["id"] == "b" {
                row["coverage"] = serde_json::json!(0.123);
            }
            row.to_string() + "\n"
        })
        .collect();
    sandbox.file("copy/results.jsonl", changed);
    let conflict = sandbox.run(&["merge", "one", "copy", "--out", "conflict"]);
    assert_eq!(conflict.status.code(), Some(3), "{}", stderr(&conflict));
    assert_eq!(
        first_error_line(&conflict),
        "error: id \"b\" has different results in one/results.jsonl:2 and copy/results.jsonl:2: keep the right one (remove the other line), then merge again"
    );
    assert!(!sandbox.path().join("conflict/results.jsonl").exists());

    // A folder without run.json: its settings are unknown, so it is not merged.
    sandbox.file("old/results.jsonl", results(&sandbox.path().join("one")));
    let unknown = sandbox.run(&["merge", "one", "old", "--out", "old-merged"]);
    assert_eq!(unknown.status.code(), Some(3), "{}", stderr(&unknown));
    assert_eq!(
        first_error_line(&unknown),
        "error: old has no run.json, so the settings its results were graded with are unknown: merge only folders written by `mockgrade batch` of this version, or grade that shard again"
    );
}
