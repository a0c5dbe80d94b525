//! Batch grading through the real binary: mixed inputs with bad records, resume after
//! kill -9, sharding and merge, inline references, and summaries that agree with results.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{first_error_line, stderr, Sandbox};

/// Answers from the dev set, as realistic inputs.
fn dev_answers(count: usize) -> Vec<serde_json::Value> {
    include_str!("../data/dev/answers.jsonl")
        .lines()
        .take(count)
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn results(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn ids(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .map(|row| row["id"].as_str().unwrap().to_string())
        .collect()
}

/// 40 records over JSONL, CSV and a directory, 1 in 20 of them bad.
fn mixed_inputs(sandbox: &Sandbox) -> (usize, BTreeMap<String, &'static str>) {
    let answers = dev_answers(30);
    let mut bad = BTreeMap::new();
    let mut jsonl = String::new();
    for (index, answer) in answers.iter().take(20).enumerate() {
        let id = answer["id"].as_str().unwrap();
        if index == 7 {
            jsonl.push_str("{\"id\": \"broken\", \"answer\": \n");
            bad.insert("#in/answers.jsonl:8".to_string(), "malformed JSON");
            continue;
        }
        let line = serde_json::json!({"id": id, "candidate": "bob", "question": answer["question"], "answer": answer["answer"]});
        jsonl.push_str(&format!("{line}\n"));
    }
    jsonl.push_str("{\"id\": \"unknown-q\", \"question\": \"no-such-question\", \"answer\": \"I would retrain.\"}\n");
    bad.insert("unknown-q".to_string(), "unknown question");
    jsonl.push_str(
        "{\"id\": \"inline\", \"question_text\": \"Why cache predictions?\", \"reference\": [\"A cache cuts latency for repeated requests.\", \"It lowers load on the model servers.\"], \"answer\": \"Caching repeated requests cuts latency and takes load off the servers.\"}\n",
    );
    sandbox.file("in/answers.jsonl", jsonl);

    let mut csv = String::from("id,candidate,question,answer\n");
    for answer in answers.iter().skip(20) {
        let text = answer["answer"].as_str().unwrap().replace('"', "\"\"");
        csv.push_str(&format!(
            "{},carol,{},\"{}\"\n",
            answer["id"].as_str().unwrap(),
            answer["question"].as_str().unwrap(),
            text
        ));
    }
    sandbox.file("in/answers.csv", csv);

    sandbox.file(
        "in/dir/dave/2-drift.txt",
        "I would track PSI on every input feature and page the on-call engineer when it jumps.",
    );
    sandbox.file(
        "in/dir/dave/notes.md",
        "question: 3\nI encrypt data at rest with KMS keys and in transit with TLS.",
    );
    sandbox.file(
        "in/dir/erin/2.txt",
        "Retrain weekly on fresh labelled data.",
    );
    sandbox.file("in/dir/erin/broken.txt", b"\xff\xfe not utf-8");
    bad.insert("in/dir/erin/broken.txt".to_string(), "not valid UTF-8");
    let total = 19 + 1 + 2 + 10 + 4;
    (total, bad)
}

#[test]
fn mixed_inputs_grade_every_good_record_and_report_every_bad_one() {
    let sandbox = Sandbox::new();
    let (total, bad) = mixed_inputs(&sandbox);
    let output = sandbox.run(&[
        "batch",
        "in/answers.jsonl",
        "in/answers.csv",
        "in/dir",
        "--out",
        "out",
        "--chunk",
        "8",
    ]);
    assert_eq!(
        output.status.code(),
        Some(10),
        "completed with record errors: {}",
        stderr(&output)
    );
    let rows = results(&sandbox.path().join("out"));
    assert_eq!(rows.len(), total, "one line per record");
    let errors: BTreeMap<String, String> = rows
        .iter()
        .filter(|row| row.get("error").is_some())
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_string(),
                row["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors.keys().collect::<Vec<_>>(),
        bad.keys().collect::<Vec<_>>()
    );
    for (id, reason) in &bad {
        assert!(errors[id].contains(reason), "{id}: {}", errors[id]);
    }
    let graded: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|row| row.get("error").is_none())
        .collect();
    assert_eq!(graded.len(), total - bad.len());
    for row in &graded {
        assert_eq!(row["schema"], 2);
        assert!(row["source"].as_str().unwrap().contains("in/"));
        let coverage = row["coverage"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&coverage));
    }
    let inline = graded.iter().find(|row| row["id"] == "inline").unwrap();
    assert_eq!(inline["points"].as_array().unwrap().len(), 2);
    assert!(inline["coverage"].as_f64().unwrap() > 0.4, "{inline}");
    let dave = graded
        .iter()
        .find(|row| row["id"] == "in/dir/dave/2-drift.txt")
        .unwrap();
    assert_eq!(dave["candidate"], "dave");
    assert_eq!(dave["number"], 2);
    let notes = graded
        .iter()
        .find(|row| row["id"] == "in/dir/dave/notes.md")
        .unwrap();
    assert_eq!(notes["number"], 3);

    // summary.csv has the same records, coverage and status as results.jsonl.
    let mut reader = csv::Reader::from_path(sandbox.path().join("out/summary.csv")).unwrap();
    let summary: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(summary.len(), rows.len());
    for (line, row) in summary.iter().zip(&rows) {
        assert_eq!(&line[0], row["id"].as_str().unwrap());
        match row.get("error") {
            Some(_) => assert!(line[6].starts_with("error: ")),
            None => {
                assert_eq!(&line[6], "graded");
                assert_eq!(
                    line[3].parse::<f64>().unwrap(),
                    (row["coverage"].as_f64().unwrap() * 10_000.0).round() / 10_000.0
                );
            }
        }
    }
    let report = std::fs::read_to_string(sandbox.path().join("out/report.md")).unwrap();
    assert!(
        report.contains(&format!(
            "{} records: {} graded, {} errors.",
            total,
            total - bad.len(),
            bad.len()
        )),
        "{report}"
    );
    assert!(report.contains("| carol | 10 |"), "{report}");
    assert!(report.contains("in/dir/erin/broken.txt"));
}

#[test]
fn an_existing_results_file_is_never_overwritten_silently() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "one.jsonl",
        "{\"id\": \"a\", \"question\": 2, \"answer\": \"Retrain weekly.\"}\n",
    );
    assert!(sandbox
        .run(&["batch", "one.jsonl", "--out", "out", "--quiet"])
        .status
        .success());
    let again = sandbox.run(&["batch", "one.jsonl", "--out", "out", "--quiet"]);
    assert_eq!(again.status.code(), Some(3));
    assert_eq!(
        common::first_error_line(&again),
        "error: out/results.jsonl already exists: pass --resume to continue that run, or --overwrite to start again"
    );
}

fn corpus(sandbox: &Sandbox, count: usize) {
    let answers = dev_answers(238);
    let mut jsonl = String::new();
    for index in 0..count {
        let answer = &answers[index % answers.len()];
        let line = serde_json::json!({"id": format!("r{index}"), "question": answer["question"], "answer": answer["answer"]});
        jsonl.push_str(&format!("{line}\n"));
    }
    sandbox.file("corpus.jsonl", jsonl);
}

#[test]
fn a_run_killed_with_sigkill_resumes_with_every_record_exactly_once() {
    let sandbox = Sandbox::new();
    corpus(&sandbox, 120);
    let mut child = sandbox
        .command(&[
            "batch",
            "corpus.jsonl",
            "--out",
            "out",
            "--chunk",
            "4",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    let results_path = sandbox.path().join("out/results.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::time::Instant::now() < deadline {
        let lines = std::fs::read_to_string(&results_path)
            .map(|text| text.lines().count())
            .unwrap_or(0);
        if lines >= 8 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        status.code().is_none(),
        "the batch finished before it was killed ({status}); the test proves nothing"
    );
    let before = std::fs::read_to_string(&results_path)
        .unwrap()
        .lines()
        .count();
    assert!(
        (8..120).contains(&before),
        "killed with {before} of 120 lines written"
    );
    // A crash may also leave half a line: simulate the worst case.
    let mut partial = std::fs::read(&results_path).unwrap();
    partial.extend_from_slice(b"{\"id\": \"r9999\", \"cov");
    std::fs::write(&results_path, partial).unwrap();

    let resumed = sandbox.run(&[
        "batch",
        "corpus.jsonl",
        "--out",
        "out",
        "--resume",
        "--chunk",
        "16",
    ]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(
        stderr(&resumed).contains(&format!("{before} already done")),
        "the resumed run skips the {before} graded records: {}",
        stderr(&resumed)
    );
    let rows = results(&sandbox.path().join("out"));
    let got = ids(&rows);
    let unique: BTreeSet<&String> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "no duplicates");
    let expected: BTreeSet<String> = (0..120).map(|index| format!("r{index}")).collect();
    assert_eq!(
        got.iter().cloned().collect::<BTreeSet<_>>(),
        expected,
        "no gaps"
    );
}

#[test]
fn shards_together_equal_the_whole_and_merge_combines_them() {
    let sandbox = Sandbox::new();
    corpus(&sandbox, 30);
    let mut all = Vec::new();
    for shard in ["0/3", "1/3", "2/3"] {
        let out = format!("shard{}", &shard[..1]);
        let output = sandbox.run(&[
            "batch",
            "corpus.jsonl",
            "--out",
            &out,
            "--shard",
            shard,
            "--quiet",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        all.extend(ids(&results(&sandbox.path().join(&out))));
    }
    all.sort();
    let mut expected: Vec<String> = (0..30).map(|index| format!("r{index}")).collect();
    expected.sort();
    assert_eq!(all, expected);

    let merged = sandbox.run(&["merge", "shard0", "shard1", "shard2", "--out", "merged"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let mut merged_ids = ids(&results(&sandbox.path().join("merged")));
    merged_ids.sort();
    assert_eq!(merged_ids, expected);
    assert!(sandbox.path().join("merged/summary.csv").exists());

    let bad = sandbox.run(&["batch", "corpus.jsonl", "--out", "x", "--shard", "3/3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        common::first_error_line(&bad),
        "error: invalid value '3/3' for '--shard <K/N>': expected K/N with 0 <= K < N, e.g. 0/4"
    );
}

#[test]
fn a_second_run_embeds_no_reference_points() {
    let sandbox = Sandbox::new();
    corpus(&sandbox, 20);
    let first = sandbox.run(&["batch", "corpus.jsonl", "--out", "a"]);
    assert!(
        stderr(&first).contains("reference embeddings: 0 from the cache"),
        "{}",
        stderr(&first)
    );
    let second = sandbox.run(&["batch", "corpus.jsonl", "--out", "b"]);
    assert!(
        stderr(&second).contains(" from the cache, 0 embedded"),
        "{}",
        stderr(&second)
    );
}

#[test]
fn records_without_ids_in_two_inputs_stay_apart_through_resume_and_merge() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "a.jsonl",
        "{\"question\": 2, \"answer\": \"I would retrain weekly on fresh labelled data.\"}\n",
    );
    sandbox.file(
        "b.csv",
        "question,answer\n2,I would monitor drift on the input features.\n",
    );
    let first = sandbox.run(&["batch", "a.jsonl", "b.csv", "--out", "out", "--quiet"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        ids(&results(&sandbox.path().join("out"))),
        ["#a.jsonl:1", "#b.csv:2"]
    );

    // Keep only the first line, as if the run had been killed, then resume.
    let results_path = sandbox.path().join("out/results.jsonl");
    let text = std::fs::read_to_string(&results_path).unwrap();
    std::fs::write(&results_path, format!("{}\n", text.lines().next().unwrap())).unwrap();
    let resumed = sandbox.run(&["batch", "a.jsonl", "b.csv", "--out", "out", "--resume"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(
        stderr(&resumed).contains("graded 1 answers, 0 errors, 1 already done"),
        "{}",
        stderr(&resumed)
    );
    assert_eq!(
        ids(&results(&sandbox.path().join("out"))),
        ["#a.jsonl:1", "#b.csv:2"]
    );

    // merge reports a corrupt line instead of dropping it silently, and never replaces an
    // earlier merge without --overwrite.
    let mut corrupt = std::fs::read(&results_path).unwrap();
    corrupt.extend_from_slice(b"{\"id\": \"cut off\n");
    std::fs::write(&results_path, corrupt).unwrap();
    let merged = sandbox.run(&["merge", "out", "--out", "merged"]);
    assert_eq!(merged.status.code(), Some(10), "{}", stderr(&merged));
    assert_eq!(
        stderr(&merged).lines().collect::<Vec<_>>(),
        [
            "warning: out/results.jsonl:3 is not a result line; it was left out of the merge",
            "merged 2 records into merged (2 graded, 0 errors; 0 identical duplicates dropped, 1 unreadable line left out)",
        ]
    );
    let again = sandbox.run(&["merge", "out", "--out", "merged"]);
    assert_eq!(again.status.code(), Some(3));
    assert_eq!(
        common::first_error_line(&again),
        "error: merged/results.jsonl already exists: pass --overwrite to replace it, or choose another --out"
    );
    let replaced = sandbox.run(&["merge", "out", "--out", "merged", "--overwrite"]);
    assert_eq!(replaced.status.code(), Some(10), "{}", stderr(&replaced));
}

/// `--resume` checks `results.jsonl` as `merge` does: a damaged whole line stops the run
/// with its line number, and results for ids in none of the inputs are reported.
#[test]
fn resume_refuses_a_damaged_results_file_and_reports_foreign_ids() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "in.jsonl",
        "{\"id\": \"a\", \"question\": 2, \"answer\": \"We retrain weekly on fresh labelled data.\"}\n{\"id\": \"b\", \"question\": 2, \"answer\": \"We monitor PSI drift.\"}\n",
    );
    let output = sandbox.run(&["batch", "in.jsonl", "--out", "o"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results = sandbox.path().join("o/results.jsonl");
    let good = std::fs::read_to_string(&results).unwrap();

    std::fs::write(&results, format!("{good}garbage here\n")).unwrap();
    let output = sandbox.run(&["batch", "in.jsonl", "--out", "o", "--resume"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        first_error_line(&output),
        "error: o/results.jsonl line 3 is not a result line: --resume cannot tell what it holds; remove the damaged line, or pass --overwrite to start again"
    );

    std::fs::write(
        &results,
        format!("{good}{{\"id\": \"zzz\", \"question_id\": \"x\"}}\n"),
    )
    .unwrap();
    let output = sandbox.run(&["batch", "in.jsonl", "--out", "o", "--resume"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: o/results.jsonl holds 1 result(s) for ids that are in none of the inputs (first: \"zzz\")"),
        "{}",
        stderr(&output)
    );
}
