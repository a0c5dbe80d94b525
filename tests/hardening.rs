//! Hardening, round 2: one regression test per class of failure found from outside the
//! bad-input matrix: streams as input, unbounded reads, directory walks, two runs on one
//! output folder, terminal escapes, damaged histories, default ids and model configs.
//! Round 3's classes are in the modules below, one file each.

mod common;

#[path = "hardening/escaping.rs"]
mod escaping;
#[path = "hardening/resume_and_merge.rs"]
mod resume_and_merge;
#[path = "hardening/scorer_and_labels.rs"]
mod scorer_and_labels;

use std::path::Path;
use std::process::{Output, Stdio};

use common::{first_error_line, stderr, stdout, Sandbox};

const RECORDS: &str = "{\"id\": \"a\", \"question\": 2, \"answer\": \"We retrain weekly on fresh labelled data.\"}\n{\"id\": \"b\", \"question\": 2, \"answer\": \"We monitor PSI drift on the inputs.\"}\n{\"id\": \"c\", \"question\": 2, \"answer\": \"A shadow deployment compares the new model.\"}\n";

fn result_ids(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("results.jsonl")).unwrap();
    text.lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            row["id"].as_str().unwrap().to_string()
        })
        .collect()
}

fn result_errors(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("results.jsonl")).unwrap();
    text.lines()
        .filter_map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let error = row["error"].as_str()?.to_string();
            Some((row["id"].as_str().unwrap().to_string(), error))
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Class 1: a stream is read once, so its records are graded rather than drained by a
/// first read that only counted them.
#[test]
fn streams_are_read_once_whatever_their_kind() {
    let sandbox = Sandbox::new();
    for (input, out) in [("-", "from-dash"), ("/dev/stdin", "from-dev-stdin")] {
        let output = sandbox.run_with_stdin(&["batch", input, "--out", out], RECORDS);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{input}: {}",
            stderr(&output)
        );
        assert_eq!(
            result_ids(&sandbox.path().join(out)),
            ["a", "b", "c"],
            "{input}"
        );
    }

    let fifo = sandbox.path().join("answers.jsonl");
    mkfifo(&fifo);
    let writer = std::thread::spawn(move || std::fs::write(fifo, RECORDS).unwrap());
    let output = sandbox.run(&["batch", "answers.jsonl", "--out", "from-fifo"]);
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        result_ids(&sandbox.path().join("from-fifo")),
        ["a", "b", "c"]
    );
}

/// Class 3: a size limit holds while reading, so a file that states no size (a device, a
/// FIFO) cannot grow memory without end.
#[test]
fn size_limits_hold_on_files_that_state_no_size() {
    let sandbox = Sandbox::new();
    let cases: [(&[&str], i32, &str); 4] = [
        (&["grade", "-q", "2", "/dev/zero"], 3,
            "error: cannot use the answer file /dev/zero: /dev/zero is more than 262144 bytes; answers are limited to 262144 bytes (256 KiB)"),
        (&["grade", "--reference-file", "/dev/zero", "--answer", "x"], 3,
            "error: /dev/zero is more than 262144 bytes; reference texts are limited to 262144 bytes (256 KiB)"),
        (&["--bank", "/dev/zero", "bank", "list"], 6,
            "error: bank /dev/zero is larger than 64 MiB; a bank file holds questions as TOML text, split it into several files"),
        (&["bank", "import", "/dev/zero"], 3,
            "error: /dev/zero is more than 16777216 bytes; notes are limited to 16777216 bytes (16 MiB)"),
    ];
    let mut failures = Vec::new();
    for (args, code, expect) in cases {
        let output = sandbox.run(args);
        let got = first_error_line(&output);
        if output.status.code() != Some(code) || got != expect {
            failures.push(format!(
                "{args:?}: exit {:?} (want {code}), got {got:?}",
                output.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Class 4: a FIFO among the answer files is an error line, not a hang; links back up the
/// tree are loops, not an exponential walk; a file reached twice is graded once.
#[cfg(unix)]
#[test]
fn directory_walks_skip_what_is_not_a_file_and_never_loop() {
    use std::os::unix::fs::symlink;
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("answers");
    sandbox.file(
        "answers/1-alice.txt",
        "We retrain weekly on fresh labelled data.",
    );
    mkfifo(&dir.join("2-b.txt"));
    symlink(".", dir.join("x")).unwrap();
    symlink(".", dir.join("y")).unwrap();
    symlink("1-alice.txt", dir.join("2-again.txt")).unwrap();
    let output = sandbox.run(&["batch", "answers", "--out", "out"]);
    assert_eq!(output.status.code(), Some(10), "{}", stderr(&output));
    let out = sandbox.path().join("out");
    assert_eq!(
        result_ids(&out),
        ["1-alice.txt", "2-again.txt", "2-b.txt", "x", "y"]
    );
    let loop_error = "a link to a folder that is already being read (a loop); not entered again";
    assert_eq!(
        result_errors(&out),
        [
            (
                "2-again.txt".to_string(),
                "the same file as answers/1-alice.txt, which is graded once, under that name"
                    .to_string()
            ),
            (
                "2-b.txt".to_string(),
                "not a regular file (a FIFO, socket or device); answers must be plain files"
                    .to_string()
            ),
            ("x".to_string(), loop_error.to_string()),
            ("y".to_string(), loop_error.to_string()),
        ]
    );
}

/// Class 5: a second run on a folder another run is writing to is refused, naming the
/// holder, and results are never appended twice.
#[test]
fn a_second_run_on_one_output_folder_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.file("answers.jsonl", RECORDS);
    let out = sandbox.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let held = mockgrade::batch::lock_output(&out).unwrap();
    let output = sandbox.run(&["batch", "answers.jsonl", "--out", "out", "--resume"]);
    assert_eq!(output.status.code(), Some(3));
    let holder = format!(
        "error: out is in use by another mockgrade run, pid {}, started ",
        std::process::id()
    );
    let message = first_error_line(&output);
    assert!(message.starts_with(&holder), "{message}");
    assert!(
        message.ends_with("; wait for it to finish, or choose another --out"),
        "{message}"
    );
    assert!(!out.join("results.jsonl").exists());

    drop(held);
    let output = sandbox.run(&["batch", "answers.jsonl", "--out", "out", "--resume"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(result_ids(&out), ["a", "b", "c"]);
}

/// Class 6: escape sequences in an answer, a question text, a reference or a bank print as
/// visible symbols in text and Markdown; JSON keeps them exact.
#[test]
fn escape_sequences_print_visibly_and_json_stays_exact() {
    let sandbox = Sandbox::new();
    let title = "\x1b]0;pwned\x07";
    let clear = "\x1b[2J";
    let answer = format!("We retrain weekly{title} on fresh data.{clear}");
    let question_text = format!("How do you keep a model fresh?{clear}");
    let reference = format!("Retrain the model weekly on fresh data.{title}");
    let grade = |format: &str| -> Output {
        sandbox.run(&[
            "grade",
            "--reference",
            &reference,
            "--question-text",
            &question_text,
            "--answer",
            &answer,
            "--format",
            format,
        ])
    };
    // Markdown also escapes the bracket, which renders as "␛[2J".
    for (format, shown) in [("text", "␛[2J"), ("md", "␛\\[2J")] {
        let output = grade(format);
        assert!(output.status.success(), "{}", stderr(&output));
        let printed = stdout(&output);
        assert!(!printed.contains('\x1b'), "{format}: {printed:?}");
        assert!(!printed.contains('\x07'), "{format}: {printed:?}");
        assert!(printed.contains(shown), "{format}: {printed}");
    }
    let output = grade("json");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["question"], question_text.as_str());

    sandbox.file(
        "escapes.toml",
        "[[questions]]\nid = \"escapes\"\ntopic = \"monitoring-drift\"\nquestion = \"Why monitor?\\u001b[2J\"\n\n[[questions.points]]\nid = \"drift\"\nconcept = \"drift\\u001b]0;x\\u0007\"\ntext = \"Inputs drift after deployment.\"\n",
    );
    for args in [
        &["--bank", "escapes.toml", "bank", "list"][..],
        &["--bank", "escapes.toml", "bank", "show", "escapes"][..],
    ] {
        let output = sandbox.run(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let printed = stdout(&output);
        assert!(!printed.contains('\x1b'), "{args:?}: {printed:?}");
        assert!(printed.contains("Why monitor?␛[2J"), "{args:?}: {printed}");
    }
    let output = sandbox.run(&["bank", "check", "escapes.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stderr(&output).lines().next().unwrap_or_default(),
        "warning: escapes.toml: question 'escapes': question, drift.concept hold control characters (an escape sequence or a text-direction override); they print as symbols such as ␛, remove them if a paste brought them in"
    );
    // An error message quoting a flag value shows the escape, not its effect.
    let output = sandbox.run(&["grade", "-q", "no-such\x1b[2J", "--answer", "x"]);
    assert_eq!(
        first_error_line(&output),
        "error: unknown question 'no-such␛[2J': not an id or number in the loaded banks (see `mockgrade bank list`)"
    );
}

/// Class 8: a badly damaged history gives a few warnings and a count, not one line per
/// damaged line, and a line longer than any attempt is skipped without being held.
#[test]
fn a_damaged_history_warns_briefly() {
    let sandbox = Sandbox::new();
    let mut history = "not json\n".repeat(1000);
    history.push_str(&"x".repeat(1 << 20));
    history.push('\n');
    sandbox.file("data/mockgrade/history.jsonl", history);
    let output = sandbox.run(&["stats"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let warnings: Vec<String> = stderr(&output)
        .lines()
        .filter(|line| line.starts_with("warning:"))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 6, "{warnings:#?}");
    assert!(
        warnings[5]
            .ends_with("history.jsonl: 996 more damaged lines skipped; the file is left unchanged"),
        "{}",
        warnings[5]
    );
}

/// Class 11: a record without an id is named `#<line>`, which no given id may take, so the
/// two never collide.
#[test]
fn default_ids_never_collide_with_given_ids() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "mixed.jsonl",
        "{\"id\": \"3\", \"question\": 2, \"answer\": \"We retrain weekly.\"}\n{\"id\": \"#9\", \"question\": 2, \"answer\": \"We monitor drift.\"}\n{\"question\": 2, \"answer\": \"A shadow deployment first.\"}\n",
    );
    let output = sandbox.run(&["batch", "mixed.jsonl", "--out", "out"]);
    assert_eq!(output.status.code(), Some(10), "{}", stderr(&output));
    let out = sandbox.path().join("out");
    assert_eq!(result_ids(&out), ["3", "#9", "#3"]);
    assert_eq!(
        result_errors(&out),
        [(
            "#9".to_string(),
            "the id \"#9\" starts with '#', which mockgrade keeps for records without an id; drop the '#' or the id".to_string()
        )]
    );
}

/// Class 13: a config.json whose shape rust-bert cannot build is a model error (exit 5),
/// with no panic or backtrace before it.
#[test]
fn an_impossible_model_shape_is_refused_before_building_it() {
    let sandbox = Sandbox::new();
    let model = common::truncated_model(&sandbox, "odd-model", |length| length);
    let config_path = model.join("config.json");
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&config_path).unwrap()).unwrap();
    config["num_attention_heads"] = 5.into();
    std::fs::write(&config_path, config.to_string()).unwrap();
    let output = sandbox
        .command(&["--model", "odd-model", "grade", "-q", "2", "--answer", "x"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("error: "),
        "the error is the first thing printed: {}",
        stderr(&output)
    );
    assert!(
        first_error_line(&output)
            .contains("config.json: hidden_size 384 is not a multiple of num_attention_heads 5"),
        "{}",
        first_error_line(&output)
    );
}
