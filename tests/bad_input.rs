//! The bad-input matrix: for each command, every kind of bad input gives its documented
//! exit code and the exact first line of the error, and leaves no half-written output.

mod common;

use common::{first_error_line, stderr, stdout, Sandbox};

/// One row: what to run, and what must come out.
struct Row {
    name: &'static str,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    code: i32,
    /// The first `error:` line; for a batch that ran, the `error` of the first error line in
    /// its results (empty: none); for other successful rows, a text stdout must contain.
    expect: &'static str,
}

fn row(name: &'static str, args: &[&str], code: i32, expect: &'static str) -> Row {
    Row {
        name,
        args: args.iter().map(|arg| arg.to_string()).collect(),
        stdin: None,
        code,
        expect,
    }
}

fn piped(name: &'static str, args: &[&str], stdin: &[u8], code: i32, expect: &'static str) -> Row {
    Row {
        stdin: Some(stdin.to_vec()),
        ..row(name, args, code, expect)
    }
}

fn fixtures(sandbox: &Sandbox) {
    let big = |megabytes: usize| "word ".repeat(megabytes * 1024 * 1024 / 5 + 1);
    sandbox.file("empty.txt", "");
    sandbox.file("blank.txt", "  \n\t \n");
    sandbox.file("big1.txt", big(1));
    sandbox.file("big10.txt", big(10));
    sandbox.file("big17.txt", big(17));
    sandbox.file("latin1.txt", b"caf\xe9 drift");
    sandbox.file("nul.txt", b"drift\0monitoring");
    std::fs::create_dir_all(sandbox.path().join("a-directory")).unwrap();
    sandbox.file("empty.jsonl", "");
    sandbox.file("malformed.jsonl", "{\"id\": \"ok\", \"question\": 2, \"answer\": \"Retrain weekly.\"}\n{\"id\": \"bad\", \"answer\": \n");
    sandbox.file(
        "big-answer.jsonl",
        format!(
            "{{\"id\": \"big\", \"question\": 2, \"answer\": \"{}\"}}\n",
            "word ".repeat(60_000)
        ),
    );
    sandbox.file(
        "huge-line.jsonl",
        format!(
            "{{\"id\": \"huge\", \"question\": 2, \"answer\": \"{}\"}}\n",
            big(10)
        ),
    );
    let mut utf8 = b"{\"id\": \"u\", \"question\": 2, \"answer\": \"caf".to_vec();
    utf8.extend_from_slice(b"\xe9\"}\n");
    sandbox.file("latin1.jsonl", utf8);
    sandbox.file("no-answer.csv", "id,question,text\n1,2,hello\n");
    sandbox.file(
        "unknown-question.jsonl",
        "{\"id\": \"q\", \"question\": \"no-such-question\", \"answer\": \"x\"}\n",
    );
    sandbox.file("not-a-bank.toml", "[[questions]\nid = 1\n");
    sandbox.file("latin1.toml", b"[[questions]]\nid = \"caf\xe9\"\n");
    sandbox.file("empty-bank.toml", "");
    common::truncated_model(sandbox, "broken-model", |_| 1000);
    sandbox.file("out-is-a-file", "not a directory");
    sandbox.file(
        "duplicate-ids.jsonl",
        "{\"id\": \"d\", \"question\": 2, \"answer\": \"Retrain weekly.\"}\n{\"id\": \"d\", \"question\": 2, \"answer\": \"Monitor drift.\"}\n",
    );
    sandbox.file("shard-0/results.jsonl", "");
    sandbox.file("merged/results.jsonl", "");
    sandbox.file("exists.toml", "");
    sandbox.file("bad-scorer.toml", "[thresholds]\ncovered = 0.5\n");
    sandbox.file(
        "splits.jsonl",
        "{\"question\": 2, \"answer\": \"Retrain weekly.\", \"label\": \"correct\", \"split\": \"train\"}\n{\"question\": 2, \"answer\": \"No idea.\", \"label\": \"incorrect\", \"split\": \"test\"}\n",
    );
}

fn rows() -> Vec<Row> {
    vec![
        // grade
        row("grade: empty answer", &["grade", "-q", "2", "empty.txt", "--format", "json"], 0, "\"empty_answer\""),
        row("grade: whitespace only", &["grade", "-q", "2", "blank.txt", "--format", "json"], 0, "\"empty_answer\""),
        row("grade: 1 MB answer", &["grade", "-q", "2", "big1.txt"], 3,
            "error: cannot use the answer file big1.txt: big1.txt is 1048580 bytes; answers are limited to 262144 bytes (256 KiB)"),
        row("grade: 10 MB answer", &["grade", "-q", "2", "big10.txt"], 3,
            "error: cannot use the answer file big10.txt: big10.txt is 10485765 bytes; answers are limited to 262144 bytes (256 KiB)"),
        row("grade: invalid UTF-8", &["grade", "-q", "2", "latin1.txt"], 3,
            "error: cannot use the answer file latin1.txt: latin1.txt is not valid UTF-8 (first bad byte at offset 3); save it as UTF-8 text"),
        row("grade: NUL bytes", &["grade", "-q", "2", "nul.txt"], 3,
            "error: cannot use the answer file nul.txt: nul.txt contains a NUL byte at offset 5; it looks like a binary file, not text"),
        row("grade: a directory", &["grade", "-q", "2", "a-directory"], 3,
            "error: cannot use the answer file a-directory: a-directory is a directory; pass a file"),
        row("grade: missing file", &["grade", "-q", "2", "missing.txt"], 3,
            "error: cannot use the answer file missing.txt: missing.txt not found: check the path"),
        row("grade: unknown question", &["grade", "-q", "no-such-question", "--answer", "x"], 4,
            "error: unknown question 'no-such-question': not an id or number in the loaded banks (see `mockgrade bank list`)"),
        row("grade: malformed bank", &["--bank", "not-a-bank.toml", "grade", "-q", "2", "--answer", "x"], 6,
            "error: invalid bank: 1 error"),
        row("grade: missing model", &["--model", "no-model", "grade", "-q", "2", "--answer", "x"], 5,
            "error: model directory no-model not found: run scripts/setup to install all-MiniLM-L6-v2, or pass --model DIR"),
        row("grade: truncated safetensors", &["--model", "broken-model", "grade", "-q", "2", "--answer", "x"], 5,
            "error: cannot start the embedding model: cannot load the model from broken-model: broken-model/model.safetensors is truncated (its header is longer than the file). The weights may be truncated or corrupt: run scripts/setup again, or pass --model DIR"),
        row("grade: --threads 0", &["--threads", "0", "grade", "-q", "2", "--answer", "x"], 2,
            "error: invalid value '0' for '--threads <N>': expected a whole number from 1 to 1024"),
        row("grade: bad --device", &["--device", "tpu", "grade", "-q", "2", "--answer", "x"], 2,
            "error: invalid value 'tpu' for '--device <DEVICE>': expected auto, cpu, cuda or cuda:N"),
        // batch
        row("batch: empty input", &["batch", "empty.jsonl", "--out", "out-empty", "--quiet"], 0, ""),
        row("batch: malformed JSONL line", &["batch", "malformed.jsonl", "--out", "out-malformed", "--quiet"], 10,
            "malformed JSON: EOF while parsing a value at line 1 column 24"),
        row("batch: CSV without an answer column", &["batch", "no-answer.csv", "--out", "out-csv", "--quiet"], 10,
            "the CSV header must have an `answer` column and a `question` or `reference` column; found: id, question, text"),
        row("batch: answer over the limit", &["batch", "big-answer.jsonl", "--out", "out-big", "--quiet"], 10,
            "the answer is 300000 bytes; the limit is 262144 bytes (256 KiB)"),
        row("batch: 10 MB line", &["batch", "huge-line.jsonl", "--out", "out-huge", "--quiet"], 10,
            "the line is longer than 589824 bytes; answers are limited to 262144 bytes"),
        row("batch: invalid UTF-8 line", &["batch", "latin1.jsonl", "--out", "out-latin1", "--quiet"], 10,
            "the line is not valid UTF-8 (first bad byte at offset 41); save the file as UTF-8"),
        row("batch: unknown question", &["batch", "unknown-question.jsonl", "--out", "out-unknown", "--quiet"], 10,
            "unknown question 'no-such-question': not an id or number in the loaded banks (see `mockgrade bank list`)"),
        row("batch: duplicate ids", &["batch", "duplicate-ids.jsonl", "--out", "out-duplicate", "--quiet"], 10,
            "duplicate id \"d\": an earlier record in this run has the same id; give each record a unique `id`"),
        row("batch: missing input", &["batch", "missing.jsonl", "--out", "out-missing"], 3,
            "error: missing.jsonl not found: check the path"),
        row("batch: output is a file", &["batch", "malformed.jsonl", "--out", "out-is-a-file"], 3,
            "error: --out out-is-a-file is a file; pass a directory (new or existing) for the results"),
        row("merge: results exist", &["merge", "shard-0", "--out", "merged"], 3,
            "error: merged/results.jsonl already exists: pass --overwrite to replace it, or choose another --out"),
        row("batch: bad --shard", &["batch", "malformed.jsonl", "--out", "out-shard", "--shard", "2/2"], 2,
            "error: invalid value '2/2' for '--shard <K/N>': expected K/N with 0 <= K < N, e.g. 0/4"),
        row("batch: --threads 0", &["--threads", "0", "batch", "malformed.jsonl", "--out", "out-threads"], 2,
            "error: invalid value '0' for '--threads <N>': expected a whole number from 1 to 1024"),
        row("batch: cuda without CUDA", &["--device", "cuda", "batch", "malformed.jsonl", "--out", "out-cuda"], 5,
            "error: cannot start the embedding model: --device cuda was requested but CUDA is not available: this libtorch has no CUDA support or no GPU is visible. Install the CUDA layout with `scripts/setup --cuda` and rebuild, or use --device cpu"),
        // practice, piped
        piped("practice: empty answer", &["practice", "-q", "2", "--format", "json"], b"", 2,
            "error: the answer from standard input is empty, so nothing was graded or recorded; pipe an answer in, for example `mockgrade practice -q 2 < answer.txt`"),
        piped("practice: whitespace only", &["practice", "-q", "2", "--format", "json"], b" \n\t\n", 2,
            "error: the answer from standard input is empty, so nothing was graded or recorded; pipe an answer in, for example `mockgrade practice -q 2 < answer.txt`"),
        piped("practice: invalid UTF-8", &["practice", "-q", "2", "--no-history"], b"caf\xe9", 3,
            "error: cannot use the answer from standard input: standard input is not valid UTF-8 (first bad byte at offset 3); save it as UTF-8 text"),
        piped("practice: NUL bytes", &["practice", "-q", "2", "--no-history"], b"a\0b", 3,
            "error: cannot use the answer from standard input: standard input contains a NUL byte at offset 1; it looks like a binary file, not text"),
        piped("practice: unknown question", &["practice", "-q", "999", "--no-history"], b"x", 4,
            "error: unknown question '999': not an id or number in the loaded banks (see `mockgrade bank list`)"),
        // bank check
        row("bank check: empty file", &["bank", "check", "empty-bank.toml"], 6,
            "error: empty-bank.toml has no questions: add at least one [[questions]] table"),
        row("bank check: syntax error", &["bank", "check", "not-a-bank.toml"], 6, "error: invalid bank: 1 error"),
        row("bank check: invalid UTF-8", &["bank", "check", "latin1.toml"], 6,
            "error: bank latin1.toml is not valid UTF-8 (byte 23); save it as UTF-8"),
        row("bank check: directory without banks", &["bank", "check", "a-directory"], 6,
            "error: bank directory a-directory has no .toml files"),
        row("bank check: missing file", &["bank", "check", "missing.toml"], 6,
            "error: cannot read bank missing.toml (check the path and its permissions): No such file or directory (os error 2)"),
        // bank import
        row("bank import: no questions in the notes", &["bank", "import", "blank.txt"], 3,
            "error: blank.txt has no usable records (no numbered questions found; number each question (`1. ...`) and put its points on bullet lines (`- ...`) below it)"),
        row("bank import: --out exists", &["bank", "import", "blank.txt", "--out", "empty-bank.toml"], 3,
            "error: empty-bank.toml already exists: pass --force to replace it, or choose another file"),
        row("bank import: notes over 16 MiB", &["bank", "import", "big17.txt"], 3,
            "error: big17.txt is 17825795 bytes; notes are limited to 16777216 bytes (16 MiB)"),
        // eval
        row("eval: empty dataset", &["eval", "empty.jsonl"], 3, "error: empty.jsonl has no usable records (the file has no records)"),
        row("eval: only malformed lines", &["eval", "huge-line.jsonl"], 3,
            "error: huge-line.jsonl has no usable records (huge-line.jsonl:1: the line is longer than 589824 bytes; answers are limited to 262144 bytes)"),
        row("eval: missing dataset", &["eval", "missing.jsonl"], 3, "error: missing.jsonl not found: check the path"),
        row("eval: a directory", &["eval", "a-directory"], 3, "error: a-directory is a directory; pass a file"),
        row("eval: unknown --split", &["eval", "splits.jsonl", "--split", "nosuch"], 2,
            "error: --split nosuch: no records of that split in splits.jsonl; its splits are: test, train"),
        row("eval: unknown --test-split", &["eval", "splits.jsonl", "--fit-split", "train", "--test-split", "tset"], 2,
            "error: --test-split tset: no records of that split in splits.jsonl; its splits are: test, train"),
        row("grade: missing --scorer file", &["--scorer", "missing.toml", "grade", "-q", "2", "--answer", "x"], 3,
            "error: cannot read scorer file missing.toml (check the --scorer path and its permissions): No such file or directory (os error 2)"),
        row("eval: more folds than questions", &["eval", "splits.jsonl"], 2,
            "error: --folds 5: splits.jsonl holds labelled answers to 1 question(s); cross-validation by question needs at least 2 folds and a question per fold (--folds 0 grades with the scorer as given)"),
        row("eval: too few answers to fit on", &["eval", "splits.jsonl", "--fit-split", "train", "--test-split", "test"], 2,
            "error: cannot fit the decision layer on 1 (answer, point) pairs: at least 20 are needed"),
        row("eval: --without names no feature", &["eval", "splits.jsonl", "--without", "comma_rate"], 2,
            "error: --without comma_rate: not a feature of the layer; the features are cos_text, cos_alias, segment_to_question, echo_of_question, overlap_text, overlap_alias, denied_elsewhere, keyword_fragment, novelty, margin_over_point_question, denial_share, margin_over_other_points"),
        row("eval: --without with no refit", &["eval", "splits.jsonl", "--folds", "0", "--without", "novelty"], 2,
            "error: --without refits the layer without some features: use it with cross-validation (--folds N) or --fit-split without --scorer"),
        row("calibrate: --out exists", &["calibrate", "splits.jsonl", "--out", "exists.toml"], 2,
            "error: --out exists.toml: the file exists; pass --overwrite to replace it"),
        row("grade: invalid --scorer file", &["--scorer", "bad-scorer.toml", "grade", "-q", "2", "--answer", "x"], 3,
            "error: invalid scorer file bad-scorer.toml: missing field `partial`"),
        row("batch: --chunk too large", &["batch", "duplicate-ids.jsonl", "--out", "chunky", "--chunk", "18446744073709551615"], 2,
            "error: invalid value '18446744073709551615' for '--chunk <N>': expected a whole number from 1 to 10000"),
        row("grade: --thresholds is an alias of --scorer", &["--thresholds", "missing.toml", "grade", "-q", "2", "--answer", "x"], 3,
            "error: cannot read scorer file missing.toml (check the --scorer path and its permissions): No such file or directory (os error 2)"),
    ]
}

/// The `error` of the first error line in `dir`/results.jsonl; empty when every record was
/// graded, and a note when the file is missing.
fn first_result_error(dir: &std::path::Path) -> String {
    let Ok(text) = std::fs::read_to_string(dir.join("results.jsonl")) else {
        return format!("(no results.jsonl in {})", dir.display());
    };
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|row| {
            row.get("error")
                .and_then(|error| error.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// Every file under `dir` is whole: no temporary files, and every JSONL line parses.
fn assert_no_half_written_output(dir: &std::path::Path, row: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".tmp"),
            "{row}: a temporary file was left: {name}"
        );
        if name == "results.jsonl" {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                text.is_empty() || text.ends_with('\n'),
                "{row}: last line is incomplete"
            );
            for line in text.lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|err| panic!("{row}: bad line {line}: {err}"));
            }
        }
    }
}

#[test]
fn every_bad_input_gets_its_exit_code_and_exact_message() {
    let sandbox = Sandbox::new();
    fixtures(&sandbox);
    let mut failures = Vec::new();
    for row in rows() {
        if row.name.contains("cuda") && tch::Cuda::is_available() {
            eprintln!("skipped '{}': this machine has CUDA", row.name);
            continue;
        }
        let args: Vec<&str> = row.args.iter().map(String::as_str).collect();
        let output = match &row.stdin {
            Some(bytes) => sandbox.run_with_stdin_bytes(&args, bytes),
            None => sandbox.run(&args),
        };
        let code = output.status.code().unwrap_or(-1);
        let out_dir = row
            .args
            .iter()
            .position(|arg| arg == "--out")
            .map(|at| sandbox.path().join(&row.args[at + 1]));
        let got = match (&out_dir, row.code) {
            (Some(dir), 0 | 10) if row.args[0] == "batch" => first_result_error(dir),
            (_, 0) if stdout(&output).contains(row.expect) => row.expect.to_string(),
            (_, 0) => stdout(&output),
            _ => first_error_line(&output),
        };
        if code != row.code || got != row.expect {
            failures.push(format!(
                "{}: exit {code} (want {}), got {got:?} (want {:?})\n    stderr: {}",
                row.name,
                row.code,
                row.expect,
                stderr(&output).lines().next().unwrap_or("")
            ));
        }
        if let Some(dir) = &out_dir {
            assert_no_half_written_output(dir, row.name);
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn batch_error_lines_name_the_reason() {
    let sandbox = Sandbox::new();
    fixtures(&sandbox);
    let cases = [
        ("malformed.jsonl", "#2", "malformed JSON"),
        (
            "no-answer.csv",
            "no-answer.csv",
            "the CSV header must have an `answer` column",
        ),
        (
            "big-answer.jsonl",
            "big",
            "the answer is 300000 bytes; the limit is 262144 bytes (256 KiB)",
        ),
        (
            "huge-line.jsonl",
            "#1",
            "the line is longer than 589824 bytes",
        ),
        ("latin1.jsonl", "#1", "the line is not valid UTF-8"),
        (
            "unknown-question.jsonl",
            "q",
            "unknown question 'no-such-question'",
        ),
    ];
    for (input, id, reason) in cases {
        let out = format!("out-{input}");
        let output = sandbox.run(&["batch", input, "--out", &out, "--quiet"]);
        assert_eq!(
            output.status.code(),
            Some(10),
            "{input}: {}",
            stderr(&output)
        );
        let text =
            std::fs::read_to_string(sandbox.path().join(&out).join("results.jsonl")).unwrap();
        let error_line = text
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .find(|row| row.get("error").is_some())
            .unwrap_or_else(|| panic!("{input}: no error line in {text}"));
        assert_eq!(error_line["id"], id, "{input}");
        assert!(
            error_line["error"].as_str().unwrap().contains(reason),
            "{input}: {}",
            error_line["error"]
        );
    }
}

#[test]
#[cfg_attr(
    not(file_modes_apply),
    ignore = "running as root, and `unshare --user` cannot run the binary as another user here"
)]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let sandbox = Sandbox::new();
    let locked = sandbox.file("locked.txt", "I would retrain weekly.");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file whatever its mode, so as root the binary runs in a new user
    // namespace, where it is `nobody` and file modes apply again.
    // SAFETY: geteuid has no preconditions and only reads the process's credentials.
    let as_root = unsafe { libc::geteuid() } == 0;
    let output = if as_root {
        std::fs::set_permissions(sandbox.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let as_nobody = |args: &[&str]| {
            Command::new("unshare")
                .arg("--user")
                .arg(common::BIN)
                .args(args)
                .current_dir(sandbox.path())
                .env("NO_COLOR", "1")
                .output()
        };
        as_nobody(&["grade", "-q", "2", "locked.txt"]).unwrap()
    } else {
        sandbox.run(&["grade", "-q", "2", "locked.txt"])
    };
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(
        first_error_line(&output),
        "error: cannot use the answer file locked.txt: cannot read locked.txt (check its permissions): Permission denied (os error 13)"
    );
}

/// A reader that stops early (`| head -c 5`) ends the command quietly: no panic, no
/// backtrace. The fix (the default SIGPIPE disposition) holds for every command alike.
#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let sandbox = Sandbox::new();
    // The output must outgrow the pipe's buffer (64 KiB on Linux) for the write to fail:
    // the bank as JSON is about 130 KB.
    let args = ["bank", "list", "--format", "json"];
    let mut child = sandbox
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 5];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, so the rest of the output meets a closed pipe.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(101), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A UTF-8 byte-order mark at the start of a file is not content: the first JSONL record
/// is read, a `.txt` answer keeps its `question:` line, and a graded answer's spans are
/// those of the text without it.
#[test]
fn a_byte_order_mark_is_stripped_everywhere() {
    let sandbox = Sandbox::new();
    let bom = "\u{FEFF}";
    sandbox.file(
        "bom.jsonl",
        format!("{bom}{{\"id\": \"a\", \"question\": 2, \"answer\": \"We retrain weekly on fresh labelled data.\"}}\n{{\"id\": \"b\", \"question\": 2, \"answer\": \"We monitor PSI drift.\"}}\n"),
    );
    let output = sandbox.run(&["batch", "bom.jsonl", "--out", "bom-out"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results = std::fs::read_to_string(sandbox.path().join("bom-out/results.jsonl")).unwrap();
    assert_eq!(results.lines().count(), 2, "{results}");
    assert!(!results.contains("\"error\""), "{results}");

    std::fs::create_dir_all(sandbox.path().join("answers")).unwrap();
    sandbox.file(
        "answers/mine.txt",
        format!("{bom}question: 2\nWe retrain weekly on fresh labelled data.\n"),
    );
    let output = sandbox.run(&["batch", "answers", "--out", "txt-out"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results = std::fs::read_to_string(sandbox.path().join("txt-out/results.jsonl")).unwrap();
    assert!(
        results.contains("\"question_id\":\"concept-drift-deployed-model\""),
        "{results}"
    );

    let answer = "We retrain every two weeks on the freshest labelled data.";
    sandbox.file("plain.txt", answer);
    sandbox.file("marked.txt", format!("{bom}{answer}"));
    let report = |file: &str| -> serde_json::Value {
        let output = sandbox.run(&["grade", "-q", "2", file, "--format", "json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    assert_eq!(
        report("marked.txt")["points"],
        report("plain.txt")["points"]
    );
}
