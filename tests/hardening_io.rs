//! Hardening, round 3 (issue 27), the input and output classes: files written safely and a
//! practice history that never loses an attempt (class 4), write errors that name the file
//! and exit 3 (class 5), banks whose ids cannot be mistaken for a number or a flag and that
//! check as they load (class 6), and piped input for `grade`.

mod common;

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::{first_error_line, stderr, stdout, Sandbox};
use serde_json::Value;

const RECORDS: &str =
    "{\"id\": \"a\", \"question\": 2, \"answer\": \"We retrain weekly on fresh labelled data.\"}\n";
const DRIFT_ANSWER: &str = "I would track live accuracy and drift statistics such as PSI between the training and production distributions.\nWhen drift shows up I would retrain the model on recent labelled data on a regular schedule.";

fn history_path(sandbox: &Sandbox) -> PathBuf {
    sandbox.path().join("data/mockgrade/history.jsonl")
}

fn total_attempts(sandbox: &Sandbox) -> (u64, String) {
    let output = sandbox.run(&["stats", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    (stats["total_attempts"].as_u64().unwrap(), stderr(&output))
}

fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Runs with standard output on /dev/full, a device that refuses every write.
fn run_into_full_device(sandbox: &Sandbox, args: &[&str]) -> Output {
    sandbox
        .command(args)
        .stdout(File::options().write(true).open("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Class 4: no output file is written through a symbolic link at its name, whoever
/// planted it: the lock, the results and the summaries. The link's target is untouched
/// and the error says what to do.
#[test]
fn output_files_are_never_written_through_a_link() {
    let sandbox = Sandbox::new();
    sandbox.file("answers.jsonl", RECORDS);
    // Empty, so that --resume reads no damaged line from it before the link is refused.
    let victim = sandbox.file("victim.txt", "");
    let cases = [
        ("locked", ".mockgrade.lock"),
        ("resumed", "results.jsonl"),
        ("summarised", "report.html"),
    ];
    for (out, name) in cases {
        std::fs::create_dir(sandbox.path().join(out)).unwrap();
        symlink(&victim, &sandbox.path().join(out).join(name));
        let output = sandbox.run(&["batch", "answers.jsonl", "--out", out, "--resume"]);
        assert_eq!(output.status.code(), Some(3), "{name}: {}", stderr(&output));
        assert_eq!(
            first_error_line(&output),
            format!(
                "error: cannot write {}{out}/{name}: it is a symbolic link to {}, and mockgrade does not write through links: remove the link, or choose another path",
                if name == "report.html" { "" } else { "to " },
                victim.display()
            ),
            "{name}"
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "", "{name}");
    }
}

/// Class 4: the history gains whole lines only. An attempt after a line without its newline
/// starts a line of its own; a write the disk takes only part of (a file-size limit, as a
/// full disk does) is undone and reported, so the next attempt is not glued to half a line;
/// and an empty answer is not an attempt at all.
#[test]
fn the_practice_history_never_loses_an_attempt() {
    let sandbox = Sandbox::new();
    let seed = serde_json::json!({
        "timestamp": "2025-03-01T10:00:00Z", "question_id": "concept-drift-deployed-model",
        "number": 2, "topic": "monitoring-drift", "coverage": 0.5, "precision": 1.0,
        "missed": [], "answer": "an earlier answer", "seconds": 42, "model_sha256": "0000",
    })
    .to_string();
    let path = history_path(&sandbox);
    sandbox.file("data/mockgrade/history.jsonl", &seed);

    let output = sandbox.run_with_stdin(&["practice", "-q", "2", "--no-cache"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(total_attempts(&sandbox), (2, String::new()));

    let before = std::fs::read(&path).unwrap();
    let limit = before.len() as u64 + 40;
    let mut command = sandbox.command(&["practice", "-q", "2", "--no-cache"]);
    // SAFETY: runs in the child between fork and exec; setrlimit and signal are
    // async-signal-safe. SIGXFSZ is ignored so that the write returns short, as on a full disk.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let cap = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = run_piped(command, DRIFT_ANSWER);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let error = first_error_line(&output);
    let expected = format!(
        "error: cannot write the practice history {}, so this attempt was not recorded; check that the folder is writable and has space, or pass --no-history: the disk took only 40 of the line's ",
        path.display()
    );
    assert!(
        error.starts_with(&expected) && error.ends_with(" bytes"),
        "{error}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "no half line is left"
    );

    let output = sandbox.run_with_stdin(&["practice", "-q", "2", "--no-cache"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(total_attempts(&sandbox), (3, String::new()));

    let output = sandbox.run(&["practice", "-q", "2"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        first_error_line(&output),
        "error: the answer from standard input is empty, so nothing was graded or recorded; pipe an answer in, for example `mockgrade practice -q 2 < answer.txt`"
    );
    assert_eq!(total_attempts(&sandbox), (3, String::new()));
}

fn run_piped(mut command: std::process::Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Class 5: every command that prints checks the write. Standard output on a device that
/// refuses writes is an error with exit code 3, never a panic.
#[test]
fn a_refused_write_to_standard_output_exits_3() {
    let sandbox = Sandbox::new();
    let commands: [&[&str]; 7] = [
        &["grade", "-q", "2", "--answer", "We retrain weekly."],
        &["bank", "list"],
        &["bank", "show", "2", "--format", "json"],
        &["stats"],
        &["completions", "bash"],
        &["man", "batch"],
        &["bank", "import", "notes.md"],
    ];
    sandbox.file(
        "notes.md",
        "1. How do you handle drift in production?\n- Retrain often\n",
    );
    for args in commands {
        let output = run_into_full_device(&sandbox, args);
        assert_eq!(
            (output.status.code(), first_error_line(&output)),
            (Some(3), "error: cannot write to standard output; check where the output goes (a full disk, a closed file): No space left on device (os error 28)".to_string()),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{args:?}");
    }
}

/// Class 5: an `--out` that cannot take the output names the part of the path in the way
/// and exits 3, before any work: below a regular file, a link to nowhere, a folder where
/// the file goes. `calibrate` refuses before it fits (it never loads the model here).
#[test]
fn an_out_path_that_cannot_be_written_is_named_and_exits_3() {
    let sandbox = Sandbox::new();
    sandbox.file("answers.jsonl", RECORDS);
    sandbox.file(
        "notes.md",
        "1. How do you handle drift in production?\n- Retrain often\n",
    );
    sandbox.file("afile", "");
    symlink(
        &sandbox.path().join("nowhere"),
        &sandbox.path().join("dangling"),
    );
    let below = "afile: afile is a file, not a folder: choose another path";
    let dataset = concat!(env!("CARGO_MANIFEST_DIR"), "/data/dev/answers.jsonl");
    let cases: [(&[&str], String); 5] = [
        (
            &["man", "--out", "afile/man"],
            format!("error: cannot write {}", below.replace("afile:", "afile/man:")),
        ),
        (
            &["bank", "import", "notes.md", "--out", "afile/bank.toml"],
            format!("error: cannot write {}", below.replace("afile:", "afile/bank.toml:")),
        ),
        (
            &["calibrate", dataset, "--out", "afile/scorer.toml", "--model", "no-such-model"],
            format!("error: cannot write {}", below.replace("afile:", "afile/scorer.toml:")),
        ),
        (
            &["batch", "answers.jsonl", "--out", "dangling"],
            format!(
                "error: cannot write to dangling: dangling is a symbolic link to {}, which does not exist: create that folder, or choose another path",
                sandbox.path().join("nowhere").display()
            ),
        ),
        (
            &["bank", "import", "notes.md", "--out", "dangling/bank.toml"],
            format!(
                "error: cannot write dangling/bank.toml: dangling is a symbolic link to {}, which does not exist: create that folder, or choose another path",
                sandbox.path().join("nowhere").display()
            ),
        ),
    ];
    for (args, expected) in cases {
        let output = sandbox.run(args);
        assert_eq!(
            (output.status.code(), first_error_line(&output)),
            (Some(3), expected),
            "{args:?}"
        );
        assert!(!stderr(&output).contains("File exists"), "{args:?}");
    }

    // The summaries are written last: the error names the one that failed, not the folder.
    std::fs::create_dir_all(sandbox.path().join("out/report.html")).unwrap();
    let output = sandbox.run(&["batch", "answers.jsonl", "--out", "out"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(
        first_error_line(&output),
        "error: cannot write out/report.html: it is a folder: name a file in it instead"
    );
}

const ONE_POINT: &str = "topic = \"data\"\nquestion = \"Why use a feature store?\"\n\n[[questions.points]]\nid = \"consistency\"\nconcept = \"Train-serve consistency\"\ntext = \"The same feature code serves training and inference.\"\n";

/// Class 6: a question id cannot be mistaken for a number or a flag, a number past the
/// limit names it, and `bank check` checks a file beside the built-in bank, as it loads.
#[test]
fn bank_ids_and_numbers_are_checked_as_they_will_be_used() {
    let sandbox = Sandbox::new();
    let cases = [
        ("id = \"2\"\n", "mine.toml:2:6: question id '2' is a number, which `-q 2` and `\"question\": 2` read as a question number: give it a name with a letter, such as 'q-2'"),
        ("id = \"-q\"\n", "mine.toml:2:6: question id '-q' starts with '-', which the command line reads as a flag: start it with a letter or digit"),
        ("id = \"big\"\nnumber = 9223372036854775807\n", "mine.toml:3:10: question 'big': number must be a whole number from 1 to 4294967295, got 9223372036854775807"),
        ("id = \"bigger\"\nnumber = 99999999999999999999\n", "mine.toml:3:10: TOML error: number too large to fit in target type; a question number runs from 1 to 4294967295"),
        ("id = \"concept-drift-deployed-model\"\n", "mine.toml:2:6: duplicate question id 'concept-drift-deployed-model' (first defined at data/bank/part1.toml:41:6)"),
    ];
    for (head, expected) in cases {
        sandbox.file("mine.toml", format!("[[questions]]\n{head}{ONE_POINT}"));
        let output = sandbox.run(&["bank", "check", "mine.toml"]);
        assert_eq!(output.status.code(), Some(6), "{head}");
        assert_eq!(
            stderr(&output),
            format!("error: invalid bank: 1 error\n  {expected}\n"),
            "{head}"
        );
        // The same file is refused wherever it loads, so `-q 2` still means question 2.
        let output = sandbox.run(&["--bank", "mine.toml", "bank", "show", "2"]);
        assert_eq!(output.status.code(), Some(6), "{head}");
    }
    // Checked alone, the clash with the built-in bank is not an error.
    let output = sandbox.run(&["bank", "check", "--no-default-bank", "mine.toml"]);
    assert_eq!(stdout(&output), "ok: 1 questions, 1 points\n");
}

/// Class 6: an imported bank loads beside the built-in one: ids are unique across both,
/// and a question with no ASCII words gets `q-<n>`, never an id of dashes.
#[test]
fn imported_banks_load_beside_the_built_in_one() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "notes.md",
        "1. Concept drift deployed model?\n- Retrain on fresh data\n\n2. 機械学習 モデル の ドリフト に どう 対処しますか?\n- 再学習する\n\n3. 모델 드리프트 를 어떻게 처리합니까?\n- 모니터링\n",
    );
    let output = sandbox.run(&["bank", "import", "notes.md", "--out", "mine.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = sandbox.run(&["bank", "check", "mine.toml"]);
    assert_eq!(
        stdout(&check),
        "ok: 3 questions, 3 points\n",
        "{}",
        stderr(&check)
    );
    let listed = sandbox.run(&["--bank", "mine.toml", "bank", "list", "--format", "json"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let questions: Vec<Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let ids: Vec<&str> = questions[61..]
        .iter()
        .map(|question| question["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["concept-drift-deployed-model-2", "q-2", "q-3"]);
    let shown = sandbox.run(&["--bank", "mine.toml", "bank", "show", "q-3"]);
    assert!(
        stdout(&shown).contains("모델 드리프트"),
        "{}",
        stderr(&shown)
    );
}

/// Also: with no answer named, `grade` reads one piped in, as ripgrep does; a terminal or
/// /dev/null still asks for the answer.
#[test]
fn grade_reads_a_piped_answer() {
    let sandbox = Sandbox::new();
    let output = sandbox.run_with_stdin(&["grade", "-q", "2", "--format", "json"], DRIFT_ANSWER);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["coverage"].as_f64().unwrap() >= 0.4, "{report}");
    let output = sandbox.run(&["grade", "-q", "2"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        first_error_line(&output),
        "error: give the answer: --answer TEXT, --answer-file FILE, or - for standard input (or pipe it in)"
    );
}
