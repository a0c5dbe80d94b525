//! deploy/k8s/grade-job.yaml, checked without a cluster: it parses, and its pods' shell
//! commands, run here with a stand-in `mockgrade` that records its arguments, grade shards
//! 0..N-1 of N (Kubernetes' JOB_COMPLETION_INDEX and `--shard K/N` both count from 0) and
//! merge all N of them, only once every shard is done.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mockgrade::batch::Shard;
use serde_yaml::Value;

fn documents() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/k8s/grade-job.yaml");
    let text = fs::read_to_string(&path).expect("deploy/k8s/grade-job.yaml is readable");
    serde_yaml::Deserializer::from_str(&text)
        .map(|document| {
            serde::Deserialize::deserialize(document).expect("deploy/k8s/grade-job.yaml parses")
        })
        .filter(|value: &Value| !value.is_null())
        .collect()
}

fn job<'a>(documents: &'a [Value], name: &str) -> &'a Value {
    documents
        .iter()
        .find(|document| document["metadata"]["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no document named {name}"))
}

/// The only container of a Job's pod template, and the script its `sh -c` runs.
fn container_script(job: &Value) -> (&Value, String) {
    assert_eq!(job["apiVersion"].as_str(), Some("batch/v1"));
    assert_eq!(job["kind"].as_str(), Some("Job"));
    let containers = job["spec"]["template"]["spec"]["containers"]
        .as_sequence()
        .expect("the pod template has containers");
    assert_eq!(containers.len(), 1);
    let container = &containers[0];
    let command: Vec<&str> = container["command"]
        .as_sequence()
        .expect("the container has a command")
        .iter()
        .map(|part| part.as_str().expect("command parts are strings"))
        .collect();
    assert_eq!(command, ["sh", "-c"]);
    let args = container["args"]
        .as_sequence()
        .expect("the container has args");
    assert_eq!(args.len(), 1, "sh -c takes one script");
    let script = args[0]
        .as_str()
        .expect("the script is a string")
        .to_string();
    (container, script)
}

/// A folder standing in for the pod: `data/` for the volume, and `bin/mockgrade` that
/// writes its arguments, NUL-separated, to `calls/<n>` and makes the `--out` folder.
struct Pod {
    dir: tempfile::TempDir,
}

impl Pod {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("bin")).unwrap();
        fs::create_dir_all(dir.path().join("calls")).unwrap();
        fs::create_dir_all(dir.path().join("data/out")).unwrap();
        let stub = dir.path().join("bin/mockgrade");
        fs::write(
            &stub,
            "#!/bin/sh\n\
             calls=\"$POD/calls\"\n\
             n=$(ls \"$calls\" | wc -l)\n\
             printf '%s\\0' \"$@\" > \"$calls/$n\"\n\
             previous=\n\
             for arg in \"$@\"; do\n\
               if [ \"$previous\" = --out ]; then mkdir -p \"$arg\"; fi\n\
               previous=$arg\n\
             done\n\
             exit \"${STUB_EXIT:-0}\"\n",
        )
        .unwrap();
        fs::set_permissions(&stub, fs::Permissions::from_mode(0o755)).unwrap();
        Pod { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs the container's script with the volume at this folder's `data/`, for at most
    /// `seconds`; `timeout` exits 124 when the script is still running then.
    fn run(&self, script: &str, env: &[(&str, &str)], seconds: u32) -> Output {
        let script = script.replace("/data/", &format!("{}/", self.data().display()));
        let path = format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("timeout");
        command
            .arg(seconds.to_string())
            .args(["sh", "-c", &script])
            .env("PATH", path)
            .env("POD", self.dir.path());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("timeout and sh run")
    }

    /// Every call of the stand-in so far, in order, each as its arguments.
    fn calls(&self) -> Vec<Vec<String>> {
        let mut calls = Vec::new();
        for n in 0.. {
            let Ok(bytes) = fs::read(self.dir.path().join("calls").join(n.to_string())) else {
                break;
            };
            let text = String::from_utf8(bytes).unwrap();
            calls.push(
                text.split_terminator('\0')
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            );
        }
        calls
    }
}

fn value_after<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|arg| arg == flag)
        .and_then(|at| args.get(at + 1))
        .map(String::as_str)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn indexed_pods_grade_shards_zero_to_n_minus_one_and_the_merge_joins_them_all() {
    let documents = documents();
    assert_eq!(documents.len(), 2, "the grading Job and the merge Job");
    let grade = job(&documents, "mockgrade-grade");
    let spec = &grade["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let completions = spec["completions"]
        .as_u64()
        .expect("completions is a number");
    assert!(completions >= 1);
    assert_eq!(spec["parallelism"].as_u64(), Some(completions));
    let (container, script) = container_script(grade);
    let cpus = container["resources"]["requests"]["cpu"]
        .as_str()
        .expect("the pod requests CPUs");

    let pod = Pod::new();
    let mut outs = BTreeSet::new();
    for index in 0..completions {
        let output = pod.run(&script, &[("JOB_COMPLETION_INDEX", &index.to_string())], 30);
        assert!(
            output.status.success(),
            "index {index}: {}",
            stderr(&output)
        );
        let calls = pod.calls();
        let args = calls.last().expect("the pod ran mockgrade");
        assert_eq!(args[0], "batch");
        let shard: Shard = value_after(args, "--shard")
            .expect("--shard K/N")
            .parse()
            .unwrap_or_else(|error| panic!("index {index}: {error}"));
        assert_eq!(
            shard,
            Shard {
                index,
                count: completions
            },
            "JOB_COMPLETION_INDEX {index} must grade shard {index}/{completions}"
        );
        assert!(args.iter().any(|arg| arg == "--resume"), "{args:?}");
        assert_eq!(value_after(args, "--threads"), Some(cpus), "{args:?}");
        let out = value_after(args, "--out").expect("--out DIR").to_string();
        assert!(
            Path::new(&out).join(".done").is_file(),
            "index {index} marks {out} done"
        );
        outs.insert(out);
    }
    let expected: BTreeSet<String> = (0..completions)
        .map(|index| format!("{}/out/shard-{index}", pod.data().display()))
        .collect();
    assert_eq!(outs, expected);

    let (_, merge_script) = container_script(job(&documents, "mockgrade-merge"));
    let output = pod.run(&merge_script, &[], 30);
    assert!(output.status.success(), "{}", stderr(&output));
    let calls = pod.calls();
    let args = calls.last().unwrap();
    assert_eq!(args[0], "merge");
    let out_at = args.iter().position(|arg| arg == "--out").expect("--out");
    let merged: BTreeSet<String> = args[1..out_at].iter().cloned().collect();
    assert_eq!(merged, expected, "the merge reads every shard, each once");
    assert_eq!(out_at - 1, expected.len());
}

#[test]
fn a_failed_grade_is_not_marked_done_and_the_merge_waits_for_every_shard() {
    let documents = documents();
    let (_, script) = container_script(job(&documents, "mockgrade-grade"));
    let (_, merge_script) = container_script(job(&documents, "mockgrade-merge"));
    let pod = Pod::new();

    // 10 (some error lines) still completes the shard; any other failure does not.
    let output = pod.run(
        &script,
        &[("JOB_COMPLETION_INDEX", "0"), ("STUB_EXIT", "10")],
        30,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(pod.data().join("out/shard-0/.done").is_file());
    let output = pod.run(
        &script,
        &[("JOB_COMPLETION_INDEX", "1"), ("STUB_EXIT", "3")],
        30,
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(!pod.data().join("out/shard-1/.done").exists());

    // Shard 1 and the rest are not done: the merge is still waiting when `timeout` stops it.
    let output = pod.run(&merge_script, &[], 2);
    assert_eq!(output.status.code(), Some(124), "{}", stderr(&output));
    assert!(
        pod.calls().iter().all(|args| args[0] != "merge"),
        "{:?}",
        pod.calls()
    );
}
