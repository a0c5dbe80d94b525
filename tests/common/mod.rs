//! Helpers shared by the integration tests: run the real binary with private cache and data folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_mockgrade");

/// A sandbox: its own XDG cache and data folders, so tests never share state.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.path())
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("NO_COLOR", "1")
            .env_remove("MOCKGRADE_MODEL")
            .stdin(Stdio::null());
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run mockgrade")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        self.run_with_stdin_bytes(args, stdin.as_bytes())
    }

    pub fn run_with_stdin_bytes(&self, args: &[&str], stdin: &[u8]) -> Output {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn mockgrade");
        let mut input = child.stdin.take().unwrap();
        let text = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&text);
        });
        let output = child.wait_with_output().expect("wait for mockgrade");
        writer.join().unwrap();
        output
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The first line of stderr, which carries the error message.
pub fn first_error_line(output: &Output) -> String {
    stderr(output)
        .lines()
        .find(|line| line.starts_with("error"))
        .unwrap_or_default()
        .to_string()
}

/// The installed model directory, which the tests use for real.
pub fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2")
}

/// Grades an answer to a bank question and returns the parsed JSON report.
pub fn grade_json(sandbox: &Sandbox, question: &str, answer: &str) -> serde_json::Value {
    let output = sandbox.run(&[
        "grade",
        "--question",
        question,
        "--answer",
        answer,
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "grade failed: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("grade prints JSON")
}

pub fn coverage(report: &serde_json::Value) -> f64 {
    report["coverage"].as_f64().expect("coverage is a number")
}

/// A copy of the model folder whose weights file keeps only its first `keep` bytes.
pub fn truncated_model(sandbox: &Sandbox, name: &str, keep: impl Fn(usize) -> usize) -> PathBuf {
    let source = model_dir();
    let target = sandbox.path().join(name);
    for file in mockgrade::embed::model_dir::REQUIRED_FILES {
        std::fs::create_dir_all(target.join(file).parent().unwrap()).unwrap();
        std::fs::copy(source.join(file), target.join(file)).unwrap();
    }
    let weights = std::fs::read(source.join("model.safetensors")).unwrap();
    std::fs::write(
        target.join("model.safetensors"),
        &weights[..keep(weights.len())],
    )
    .unwrap();
    target
}
