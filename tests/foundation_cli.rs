//! `doctor`, `embed`, model and device errors, and the embedding cache, through the real binary.

mod common;

use common::{first_error_line, stderr, stdout, Sandbox};

#[test]
fn embed_prints_json_with_the_model_and_dimension() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["embed", "This is an example sentence", "second"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["model"], "all-MiniLM-L6-v2");
    assert_eq!(json["dim"], 384);
    let first = json["embeddings"][0].as_array().unwrap();
    assert_eq!(first.len(), 384);
    assert!((first[0].as_f64().unwrap() - 0.0677).abs() < 1e-4);
    assert_eq!(json["embeddings"].as_array().unwrap().len(), 2);
}

#[test]
fn doctor_works_from_another_folder_without_environment_variables() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["doctor", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["libtorch"]["version"], "2.4.0");
    assert_eq!(
        json["model"]["sha256"],
        include_str!("../data/model.sha256").trim()
    );
    assert_eq!(json["model"]["dim"], 384);
    assert!(json["threads"].as_i64().unwrap() >= 1);
    assert!(stdout(&sandbox.run(&["doctor"])).contains("model sha256   "));
    // On the CPU every thread asked for is a worker running single-threaded passes.
    let output = sandbox.run(&["--threads", "3", "doctor", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (
            &json["threads"],
            &json["workers"],
            &json["intra_op_threads"]
        ),
        (&3.into(), &3.into(), &1.into())
    );
}

#[test]
fn a_missing_model_directory_is_named_with_the_fix() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--model", "no-such-model", "embed", "x"]);
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        first_error_line(&output),
        "error: model directory no-such-model not found: run scripts/setup to install all-MiniLM-L6-v2, or pass --model DIR"
    );
}

#[test]
fn a_truncated_safetensors_file_is_reported_not_loaded() {
    let sandbox = Sandbox::new();
    common::truncated_model(&sandbox, "broken-model", |len| len / 2);
    let output = sandbox.run(&["--model", "broken-model", "embed", "x"]);
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        first_error_line(&output),
        "error: cannot start the embedding model: cannot load the model from broken-model: broken-model/model.safetensors is truncated (tensor data ends past the end of the file). The weights may be truncated or corrupt: run scripts/setup again, or pass --model DIR"
    );
}

/// Without CUDA, asking for it is a clear error and `auto` falls back to the CPU; with
/// CUDA, both run on the GPU. Either way the test checks the machine it runs on.
#[test]
fn cuda_is_used_where_present_and_refused_clearly_where_not() {
    let sandbox = Sandbox::new();
    if tch::Cuda::is_available() {
        let output = sandbox.run(&["--device", "cuda", "embed", "x"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let auto = sandbox.run(&["--device", "auto", "doctor", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&auto.stdout).unwrap();
        assert_eq!(json["device"], "cuda:0");
        return;
    }
    let output = sandbox.run(&["--device", "cuda", "embed", "x"]);
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        first_error_line(&output),
        "error: cannot start the embedding model: --device cuda was requested but CUDA is not available: this libtorch has no CUDA support or no GPU is visible. Install the CUDA layout with `scripts/setup --cuda` and rebuild, or use --device cpu"
    );
    let auto = sandbox.run(&["--device", "auto", "doctor", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&auto.stdout).unwrap();
    assert_eq!(json["device"], "cpu");
}

#[test]
fn bad_device_and_thread_flags_are_usage_errors() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--device", "gpu", "embed", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        first_error_line(&output),
        "error: invalid value 'gpu' for '--device <DEVICE>': expected auto, cpu, cuda or cuda:N"
    );
    let output = sandbox.run(&["--threads", "0", "embed", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        first_error_line(&output),
        "error: invalid value '0' for '--threads <N>': expected a whole number from 1 to 1024"
    );
}

#[test]
fn shared_flags_work_before_or_after_the_command_and_only_where_they_act() {
    let sandbox = Sandbox::new();
    let expected = "error: model directory no-such-model not found: run scripts/setup to install all-MiniLM-L6-v2, or pass --model DIR";
    for args in [
        &["--model", "no-such-model", "embed", "x"][..],
        &["embed", "x", "--model", "no-such-model"][..],
    ] {
        let output = sandbox.run(args);
        assert_eq!(output.status.code(), Some(5), "{args:?}");
        assert_eq!(first_error_line(&output), expected, "{args:?}");
    }
    // The command's own value wins over the leading one.
    let output = sandbox.run(&[
        "--model",
        "elsewhere",
        "embed",
        "x",
        "--model",
        "no-such-model",
    ]);
    assert_eq!(first_error_line(&output), expected);

    let output = sandbox.run(&["--model", "no-such-model", "bank", "check", "x.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        first_error_line(&output),
        "error: --model has no effect on `mockgrade bank check`; leave it out"
    );
    let output = sandbox.run(&["--no-default-bank", "merge", "a", "--out", "b"]);
    assert_eq!(
        first_error_line(&output),
        "error: --no-default-bank has no effect on `mockgrade merge`; leave it out"
    );
    // A group a command does not take is not in its help either.
    let help = sandbox.run(&["bank", "check", "--help"]);
    assert!(!stdout(&help).contains("--model"), "{}", stdout(&help));
    let help = sandbox.run(&["bank", "list", "--help"]);
    assert!(stdout(&help).contains("--no-default-bank"));
    assert!(!stdout(&help).contains("--device"));
}

fn cache_entries(sandbox: &Sandbox) -> Vec<std::path::PathBuf> {
    let mut entries = Vec::new();
    let mut stack = vec![sandbox.path().join("cache/mockgrade/embeddings")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "emb") {
                entries.push(path);
            }
        }
    }
    entries.sort();
    entries
}

#[test]
fn reference_embeddings_are_cached_and_a_corrupt_entry_is_rebuilt() {
    let sandbox = Sandbox::new();
    let grade = |sandbox: &Sandbox| {
        let output = sandbox.run(&[
            "grade",
            "-q",
            "2",
            "--answer",
            "I would retrain the model weekly.",
            "--format",
            "json",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        (stdout(&output), stderr(&output))
    };
    let (first, _) = grade(&sandbox);
    let entries = cache_entries(&sandbox);
    assert!(!entries.is_empty(), "the first grade fills the cache");
    let before: Vec<_> = entries
        .iter()
        .map(|path| std::fs::metadata(path).unwrap().modified().unwrap())
        .collect();

    let (second, second_err) = grade(&sandbox);
    assert!(!second_err.contains("warning"), "{second_err}");
    let after: Vec<_> = entries
        .iter()
        .map(|path| std::fs::metadata(path).unwrap().modified().unwrap())
        .collect();
    assert_eq!(before, after, "a cache hit rewrites nothing");

    let victim = &entries[0];
    let bytes = std::fs::read(victim).unwrap();
    std::fs::write(victim, &bytes[..bytes.len() / 2]).unwrap();
    let (third, third_err) = grade(&sandbox);
    assert!(
        third_err.contains("is corrupt") && third_err.contains("rebuilding it"),
        "{third_err}"
    );
    assert_eq!(
        std::fs::read(victim).unwrap().len(),
        bytes.len(),
        "the entry is rewritten whole"
    );

    let strip = |json: &str| {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        value["elapsed_ms"] = 0.into();
        value
    };
    assert_eq!(strip(&first), strip(&second));
    assert_eq!(
        strip(&first),
        strip(&third),
        "a rebuilt entry gives the same report"
    );
}

/// Help teaches: the main help and each main command's show examples, and the long help
/// holds the exit-code table, whose codes are the ones `cli::exit` defines.
#[test]
fn help_shows_examples_and_the_exit_codes() {
    let sandbox = Sandbox::new();
    let long = stdout(&sandbox.run(&["--help"]));
    assert!(long.contains("\nExamples:\n  mockgrade "), "{long}");
    assert!(long.contains("\nExit codes:\n  0   success"), "{long}");
    for code in [
        "  2   usage error",
        "  3   input error",
        "  4   unknown question",
        "  5   model or device",
        "  6   question bank",
        "  10  batch done",
    ] {
        assert!(long.contains(code), "{code:?} missing from {long}");
    }
    let short = stdout(&sandbox.run(&["-h"]));
    assert!(
        short.contains("\nExamples:\n") && !short.contains("Exit codes:"),
        "{short}"
    );
    for command in ["grade", "batch", "eval", "calibrate", "bank"] {
        let help = stdout(&sandbox.run(&[command, "--help"]));
        assert!(
            help.contains(&format!("\nExamples:\n  mockgrade {command}"))
                || help.contains("\nExamples:\n  mockgrade --"),
            "{command} --help: {help}"
        );
    }
}
