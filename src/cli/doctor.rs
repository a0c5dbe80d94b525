//! `mockgrade doctor` and `mockgrade embed`: what is installed, and raw embeddings.

use std::time::Instant;

use anyhow::Result;
use serde_json::json;

use mockgrade::embed::device::device_label;
use mockgrade::util::paths;

use super::setup;
use super::shared_args::{DataFormat, EngineArgs};

/// libtorch version the binary was built against, from the build-version file setup writes.
fn libtorch_version() -> String {
    option_env!("LIBTORCH")
        .and_then(|dir| {
            std::fs::read_to_string(std::path::Path::new(dir).join("build-version")).ok()
        })
        .map(|version| version.trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn gpu_names() -> Vec<String> {
    std::process::Command::new("nvidia-smi")
        .args(["--query-gpu=name", "--format=csv,noheader"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub fn run(engine: &EngineArgs, format: DataFormat) -> Result<u8> {
    let started = Instant::now();
    let embedder = setup::embedder(engine)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let dir = embedder.model_dir().clone();
    let sha256 = dir.sha256()?;
    let cuda = tch::Cuda::is_available();
    let cuda_devices = if cuda { tch::Cuda::device_count() } else { 0 };
    let report = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "libtorch": {"version": libtorch_version(), "dir": option_env!("LIBTORCH")},
        "cuda": {"available": cuda, "device_count": cuda_devices, "names": gpu_names(), "cudnn": tch::Cuda::cudnn_is_available()},
        "device": device_label(embedder.device()),
        "precision": embedder.precision().label(),
        "threads": embedder.workers() * embedder.intra_op_threads(),
        "workers": embedder.workers(),
        "intra_op_threads": embedder.intra_op_threads(),
        "model": {
            "dir": dir.path.canonicalize().unwrap_or(dir.path.clone()),
            "weights": dir.weights.file_name().map(|name| name.to_string_lossy().into_owned()),
            "sha256": sha256,
            "dim": embedder.dim(),
            "max_seq_length": embedder.max_seq_length(),
            "load_seconds": (load_seconds * 1000.0).round() / 1000.0,
        },
        "cache_dir": paths::cache_dir(),
        "cache_enabled": !engine.no_cache,
        "data_dir": paths::data_dir(),
    });
    match format {
        DataFormat::Json => outln!("{}", serde_json::to_string_pretty(&report)?)?,
        DataFormat::Text => {
            let names = report["cuda"]["names"].as_array().map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            outln!("mockgrade      {}", env!("CARGO_PKG_VERSION"))?;
            outln!(
                "libtorch       {} ({})",
                libtorch_version(),
                option_env!("LIBTORCH").unwrap_or("?")
            )?;
            if cuda {
                outln!(
                    "cuda           available: {cuda_devices} device(s) {}",
                    names.unwrap_or_default()
                )?;
            } else {
                outln!("cuda           not available (CPU layout or no GPU; `scripts/setup --cuda` installs CUDA)")?;
            }
            outln!(
                "device         {} ({})",
                report["device"].as_str().unwrap_or("?"),
                embedder.precision().label()
            )?;
            outln!(
                "threads        {} ({} worker(s) × {} libtorch thread(s) each)",
                embedder.workers() * embedder.intra_op_threads(),
                embedder.workers(),
                embedder.intra_op_threads()
            )?;
            outln!(
                "model          {}",
                report["model"]["dir"].as_str().unwrap_or("?")
            )?;
            outln!("model sha256   {sha256}")?;
            outln!(
                "model          {} dims, max {} tokens, loaded in {load_seconds:.2} s",
                embedder.dim(),
                embedder.max_seq_length()
            )?;
            let disabled = if engine.no_cache {
                "  (not used: --no-cache)"
            } else {
                ""
            };
            outln!("cache          {}{disabled}", paths::cache_dir().display())?;
            outln!(
                "history        {}",
                paths::data_dir().join("history.jsonl").display()
            )?;
        }
    }
    Ok(super::exit::OK)
}

pub fn embed(engine: &EngineArgs, texts: &[String], format: DataFormat) -> Result<u8> {
    let embedder = setup::embedder(engine)?;
    let embedded = embedder.embed(texts)?;
    let rows: Vec<Vec<f32>> = embedded
        .vectors
        .rows()
        .into_iter()
        .map(|row| row.to_vec())
        .collect();
    match format {
        DataFormat::Json => {
            let output = json!({
                "model": embedder.model_dir().name(),
                "dim": embedder.dim(),
                "embeddings": rows,
                "truncated": embedded.truncated,
            });
            outln!("{output}")?;
        }
        DataFormat::Text => {
            for (text, row) in texts.iter().zip(&rows) {
                let head: Vec<String> = row
                    .iter()
                    .take(5)
                    .map(|value| format!("{value:.4}"))
                    .collect();
                // The text is the user's: shown visibly, never acting on the terminal.
                outln!(
                    "{}  [{} …] {}",
                    embedder.dim(),
                    head.join(", "),
                    mockgrade::util::visible::visible(text)
                )?;
            }
        }
    }
    Ok(super::exit::OK)
}
