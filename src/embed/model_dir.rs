//! Finding the sentence-embedding model on disk and identifying it by the sha256 of its weights.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::util::hash::{hex, hex_digest};
use crate::util::paths;

/// The folder name setup installs the model under, inside `models/`.
pub const DEFAULT_MODEL_NAME: &str = "all-MiniLM-L6-v2";

/// Files rust-bert needs besides the weights.
pub const REQUIRED_FILES: [&str; 6] = [
    "config.json",
    "vocab.txt",
    "modules.json",
    "sentence_bert_config.json",
    "tokenizer_config.json",
    "1_Pooling/config.json",
];

#[derive(Debug, Error)]
pub enum ModelDirError {
    #[error("model directory {} not found: run scripts/setup to install all-MiniLM-L6-v2, or pass --model DIR", .0.display())]
    Missing(PathBuf),
    #[error("model directory {} is incomplete: {file} is missing; run scripts/setup again or pass --model DIR", .dir.display())]
    MissingFile { dir: PathBuf, file: String },
    #[error("cannot read {}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A model directory that holds every file the embedder needs.
#[derive(Debug, Clone)]
pub struct ModelDir {
    pub path: PathBuf,
    /// `model.safetensors`, or `rust_model.ot` when that is what the folder has.
    pub weights: PathBuf,
}

impl ModelDir {
    /// Checks that `path` holds a complete sentence-transformers model.
    pub fn open(path: &Path) -> Result<Self, ModelDirError> {
        if !path.is_dir() {
            return Err(ModelDirError::Missing(path.to_path_buf()));
        }
        let weights = ["model.safetensors", "rust_model.ot"]
            .iter()
            .map(|name| path.join(name))
            .find(|candidate| candidate.is_file())
            .ok_or_else(|| ModelDirError::MissingFile {
                dir: path.to_path_buf(),
                file: "model.safetensors".into(),
            })?;
        for file in REQUIRED_FILES {
            if !path.join(file).is_file() {
                return Err(ModelDirError::MissingFile {
                    dir: path.to_path_buf(),
                    file: file.into(),
                });
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            weights,
        })
    }

    /// The model's display name: its folder name.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_MODEL_NAME.to_string())
    }

    /// sha256 of the weights file. Hashing 90 MB costs about 0.3 s, so the digest is
    /// remembered in the cache dir against the file's path, size and mtime.
    pub fn sha256(&self) -> Result<String, ModelDirError> {
        let io_err = |source| ModelDirError::Io {
            path: self.weights.clone(),
            source,
        };
        let meta = fs::metadata(&self.weights).map_err(io_err)?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map(|age| age.as_nanos())
            .unwrap_or(0);
        let canonical = fs::canonicalize(&self.weights).unwrap_or_else(|_| self.weights.clone());
        let fingerprint = format!("{}\n{}\n{}", canonical.display(), meta.len(), mtime);
        let memo = paths::cache_dir()
            .join("model-sha256")
            .join(hex_digest(fingerprint.as_bytes()));
        if let Ok(saved) = fs::read_to_string(&memo) {
            let saved = saved.trim();
            if saved.len() == 64 && saved.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Ok(saved.to_string());
            }
        }
        let digest = sha256_file(&self.weights).map_err(io_err)?;
        // Remembering the digest is an optimisation; failing to write it is harmless.
        let _ = paths::write_atomic(&memo, digest.as_bytes());
        Ok(digest)
    }
}

/// Where to look for the model when `--model` is not given: `MOCKGRADE_MODEL`,
/// `./models/<name>`, next to the executable (`<exe>/../../models`, as in
/// `target/release/`), and the source tree the binary was built from.
pub fn default_model_candidates() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("MOCKGRADE_MODEL") {
        candidates.push(PathBuf::from(dir));
    }
    candidates.push(PathBuf::from("models").join(DEFAULT_MODEL_NAME));
    if let Ok(exe) = std::env::current_exe() {
        let exe = fs::canonicalize(&exe).unwrap_or(exe);
        for ancestor in exe.ancestors().skip(1).take(4) {
            candidates.push(ancestor.join("models").join(DEFAULT_MODEL_NAME));
        }
    }
    candidates.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("models")
            .join(DEFAULT_MODEL_NAME),
    );
    candidates
}

/// Resolves the model directory: the explicit one, or the first default that exists.
pub fn locate(explicit: Option<&Path>) -> Result<ModelDir, ModelDirError> {
    if let Some(path) = explicit {
        return ModelDir::open(path);
    }
    let candidates = default_model_candidates();
    match candidates.iter().find(|dir| dir.is_dir()) {
        Some(dir) => ModelDir::open(dir),
        None => Err(ModelDirError::Missing(
            candidates.into_iter().next().unwrap_or_default(),
        )),
    }
}

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex(&hasher.finalize()))
}
