//! `practice` and `stats` through the real binary and model: piped answers, the history file,
//! question choice (--weakest, --new), damaged history lines, and interactive sessions
//! driven through a real pseudo-terminal with tmux.

mod common;

use std::path::PathBuf;
use std::process::{Output, Stdio};

use common::{first_error_line, stderr, stdout, Sandbox};
use serde_json::{json, Value};

const DRIFT_ANSWER: &str = "I would track live accuracy and drift statistics such as PSI between the training and production distributions.\nWhen drift shows up I would retrain the model on recent labelled data on a regular schedule.";
const DRIFT_ID: &str = "concept-drift-deployed-model";

fn history_file(sandbox: &Sandbox) -> PathBuf {
    sandbox.path().join("data/mockgrade/history.jsonl")
}

fn history_lines(sandbox: &Sandbox) -> Vec<Value> {
    std::fs::read_to_string(history_file(sandbox))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each history line is JSON"))
        .collect()
}

/// A history line as `practice` writes it.
fn attempt_line(id: &str, number: u32, topic: &str, coverage: f64) -> String {
    json!({
        "timestamp": "2025-03-01T10:00:00Z",
        "question_id": id,
        "number": number,
        "topic": topic,
        "coverage": coverage,
        "precision": 1.0,
        "missed": ["Some concept"],
        "answer": "an earlier answer",
        "seconds": 42,
        "model_sha256": "0000",
    })
    .to_string()
}

fn seed_history(sandbox: &Sandbox, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    sandbox.file("data/mockgrade/history.jsonl", text);
}

/// Every question of the built-in bank as (id, number, topic).
fn bank_questions(sandbox: &Sandbox) -> Vec<(String, u32, String)> {
    let output = sandbox.run(&["bank", "list", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let list: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    list.iter()
        .map(|question| {
            (
                question["id"].as_str().unwrap().to_string(),
                question["number"].as_u64().unwrap() as u32,
                question["topic"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn stats_json(sandbox: &Sandbox) -> (Value, Output) {
    let output = sandbox.run(&["stats", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    (serde_json::from_slice(&output.stdout).unwrap(), output)
}

fn run_with_bytes(sandbox: &Sandbox, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = sandbox
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_piped_answer_is_graded_recorded_and_counted_in_stats() {
    let sandbox = Sandbox::new();
    let output = sandbox.run_with_stdin(&["practice", "--question", "2"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.starts_with(&format!("Question 2 · {DRIFT_ID}\n")),
        "{report}"
    );
    assert!(report.contains("Coverage "), "{report}");

    let lines = history_lines(&sandbox);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    let timestamp = line["timestamp"].as_str().unwrap();
    assert_eq!(timestamp.len(), "2025-03-01T10:00:00Z".len(), "{timestamp}");
    assert!(timestamp.starts_with("20") && timestamp.ends_with('Z') && &timestamp[10..11] == "T");
    assert_eq!(line["question_id"], DRIFT_ID);
    assert_eq!(line["number"], 2);
    assert_eq!(line["topic"], "monitoring-drift");
    assert_eq!(line["answer"], DRIFT_ANSWER);
    assert_eq!(line["seconds"], Value::Null, "piped answers have no timing");
    assert_eq!(
        line["model_sha256"],
        include_str!("../data/model.sha256").trim()
    );
    let graded = common::grade_json(&sandbox, "2", DRIFT_ANSWER);
    assert_eq!(line["coverage"], graded["coverage"]);
    assert_eq!(line["precision"], graded["precision"]);
    assert_eq!(line["missed"], graded["missed"]);
    assert!(common::coverage(&graded) > 0.3, "{graded}");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(history_file(&sandbox))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the history holds answers: private");

    let (stats, _) = stats_json(&sandbox);
    assert_eq!(stats["total_attempts"], 1);
    let topic = &stats["topics"][0];
    assert_eq!(topic["topic"], "monitoring-drift");
    assert_eq!(topic["attempts"], 1);
    assert_eq!(topic["last_coverage"], line["coverage"]);
    assert_eq!(topic["trend"], Value::Null);
    let never = &stats["never_attempted"];
    assert_eq!(
        never["count"].as_u64().unwrap() + 1,
        never["of"].as_u64().unwrap()
    );
    assert!(never["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|question| question["id"] != DRIFT_ID));
    let text = stdout(&sandbox.run(&["stats"]));
    assert!(text.starts_with("1 attempt in "), "{text}");
    assert!(text.contains("monitoring-drift"), "{text}");
}

#[test]
fn an_empty_piped_answer_is_refused_and_not_recorded() {
    let sandbox = Sandbox::new();
    let output = sandbox.run_with_stdin(&["practice", "-q", "2", "--format", "json"], "  \n\n");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        first_error_line(&output),
        "error: the answer from standard input is empty, so nothing was graded or recorded; pipe an answer in, for example `mockgrade practice -q 2 < answer.txt`"
    );
    assert!(output.stdout.is_empty());
    assert!(!history_file(&sandbox).exists());
}

#[test]
fn no_history_leaves_no_file() {
    let sandbox = Sandbox::new();
    let output = sandbox.run_with_stdin(&["practice", "-q", "2", "--no-history"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Coverage "));
    assert!(!history_file(&sandbox).exists());
}

#[test]
fn binary_or_non_utf8_input_is_refused_naming_standard_input() {
    let sandbox = Sandbox::new();
    let output = run_with_bytes(&sandbox, &["practice", "-q", "2"], b"drift \xff\xfe");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(
        first_error_line(&output),
        "error: cannot use the answer from standard input: standard input is not valid UTF-8 (first bad byte at offset 6); save it as UTF-8 text"
    );
    let output = run_with_bytes(&sandbox, &["practice", "-q", "2"], b"drift\0");
    assert_eq!(output.status.code(), Some(3));
    assert!(first_error_line(&output).contains("standard input contains a NUL byte at offset 5"));
    let too_big = vec![b'a'; 256 * 1024 + 1];
    let output = run_with_bytes(&sandbox, &["practice", "-q", "2"], &too_big);
    assert_eq!(output.status.code(), Some(3));
    assert!(first_error_line(&output).contains("answers are limited to 262144 bytes"));
    assert!(!history_file(&sandbox).exists());
}

#[test]
fn bad_practice_flags_fail_before_the_model_loads() {
    let sandbox = Sandbox::new();
    let cases: [(&[&str], i32, &str); 5] = [
        (
            &["practice", "--time", "3x"],
            2,
            "'3x' is not a duration: write it like 90s, 3m, 2m30s or 1h",
        ),
        (
            &["practice", "--topic", "cooking"],
            2,
            "invalid value 'cooking' for '--topic <TOPIC>': unknown topic 'cooking'",
        ),
        (
            &["practice", "--question", "999"],
            4,
            "unknown question '999'",
        ),
        (&["practice", "--editor"], 2, "--editor needs a terminal"),
        (
            &["practice", "--weakest", "--new"],
            2,
            "cannot be used with",
        ),
    ];
    for (args, code, message) in cases {
        // A model directory that does not exist: a flag error, not the model's, proves the
        // flags were checked first.
        let args: Vec<&str> = ["--model", "no-such-model"]
            .iter()
            .chain(args)
            .copied()
            .collect();
        let output = sandbox.run(&args);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn weakest_picks_the_lowest_coverage_of_each_latest_attempt() {
    let sandbox = Sandbox::new();
    let questions = bank_questions(&sandbox);
    let line = |number: u32, coverage: f64| {
        let (id, number, topic) = &questions[number as usize - 1];
        attempt_line(id, *number, topic, coverage)
    };
    // Question 2 was weakest once, but its latest attempt is good; question 7 is now weakest.
    seed_history(
        &sandbox,
        &[
            line(2, 0.05),
            line(1, 0.9),
            line(7, 0.2),
            line(12, 0.4),
            line(2, 0.8),
        ],
    );
    let output =
        sandbox.run_with_stdin(&["practice", "--weakest", "--format", "json"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["question_id"].as_str(),
        Some(questions[6].0.as_str())
    );
    assert_eq!(report["number"], 7);
    let lines = history_lines(&sandbox);
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[5]["number"], 7);
}

#[test]
fn new_picks_the_one_question_never_attempted_then_reports_none_left() {
    let sandbox = Sandbox::new();
    let questions = bank_questions(&sandbox);
    let left_out = 17;
    let lines: Vec<String> = questions
        .iter()
        .filter(|(_, number, _)| *number != left_out)
        .map(|(id, number, topic)| attempt_line(id, *number, topic, 0.5))
        .collect();
    seed_history(&sandbox, &lines);
    let output = sandbox.run_with_stdin(&["practice", "--new", "--format", "json"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["number"], left_out);
    assert_eq!(
        report["question_id"].as_str(),
        Some(questions[16].0.as_str())
    );

    let output = sandbox.run_with_stdin(&["practice", "--new"], DRIFT_ANSWER);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        first_error_line(&output),
        "error: every question has been attempted already; drop --new, or use --weakest to revisit the lowest scores"
    );
    let (stats, _) = stats_json(&sandbox);
    assert_eq!(stats["never_attempted"]["count"], 0);
    assert_eq!(
        stats["total_attempts"].as_u64().unwrap() as usize,
        questions.len()
    );
}

#[test]
fn a_damaged_history_line_is_skipped_with_a_warning_and_kept() {
    let sandbox = Sandbox::new();
    let questions = bank_questions(&sandbox);
    let (id, number, topic) = &questions[0];
    let good = attempt_line(id, *number, topic, 0.25);
    seed_history(
        &sandbox,
        &[
            good.clone(),
            "{\"timestamp\": \"2025-".into(),
            good.replace("0.25", "0.75"),
        ],
    );
    let before = std::fs::read(history_file(&sandbox)).unwrap();

    let (stats, output) = stats_json(&sandbox);
    let warning = format!(
        "warning: {}:2: skipped a damaged history line",
        history_file(&sandbox).display()
    );
    assert!(stderr(&output).contains(&warning), "{}", stderr(&output));
    assert_eq!(stats["total_attempts"], 2);
    assert_eq!(stats["topics"][0]["best_coverage"], 0.75);
    assert_eq!(stats["topics"][0]["trend"], 0.5);
    assert_eq!(
        std::fs::read(history_file(&sandbox)).unwrap(),
        before,
        "reading never rewrites"
    );

    let output = sandbox.run_with_stdin(&["practice", "-q", "2"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains(&warning));
    let text = std::fs::read_to_string(history_file(&sandbox)).unwrap();
    assert!(
        text.starts_with(std::str::from_utf8(&before).unwrap()),
        "appended, not rewritten"
    );
    assert_eq!(text.lines().count(), 4);
    assert_eq!(stats_json(&sandbox).0["total_attempts"], 3);
}

#[test]
fn stats_on_an_empty_history_is_friendly() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["stats"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("No practice attempts yet.\n"),
        "{}",
        stdout(&output)
    );
    let (stats, _) = stats_json(&sandbox);
    assert_eq!(stats["total_attempts"], 0);
    assert_eq!(stats["topics"], json!([]));
}

#[test]
fn bare_mockgrade_without_a_terminal_prints_help() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&[]);
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.contains("Usage: mockgrade"), "{help}");
    assert!(
        help.contains("practice") && help.contains("stats"),
        "{help}"
    );
}

#[path = "practice/tmux.rs"]
mod tmux;

/// Without HOME or XDG folders, nothing is written into the working directory: the cache
/// and the history go below the system's temporary directory (issue 15, class 12).
#[test]
fn without_home_or_xdg_nothing_lands_in_the_working_directory() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .command(&["practice", "--question", "2"])
        .env_remove("HOME")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_DATA_HOME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(DRIFT_ANSWER.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    for littered in [".local", ".cache"] {
        assert!(
            !sandbox.path().join(littered).exists(),
            "{littered} was written into the working directory"
        );
    }
}
