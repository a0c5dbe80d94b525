//! On-disk cache of reference-text embeddings, keyed by model sha256 and text, so the
//! expected points of a bank question are embedded once per model, not once per grade.

use std::fs;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use sha2::{Digest, Sha256};

use crate::embed::{Backend, EmbedError};
use crate::util::hash::hex_digest;
use crate::util::paths::write_atomic;

const MAGIC: &[u8; 4] = b"MGE1";
const CHECKSUM_LEN: usize = 32;

/// What one cached lookup did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: usize,
    pub misses: usize,
    /// Entries found corrupt or truncated, re-embedded and rewritten.
    pub rebuilt: usize,
}

/// One folder per model: a changed model never sees the old model's vectors.
#[derive(Debug, Clone)]
pub struct EmbeddingCache {
    dir: PathBuf,
    model_sha256: String,
}

enum Lookup {
    Hit(Vec<f32>),
    Absent,
    Corrupt(String),
}

impl EmbeddingCache {
    pub fn new(cache_root: &Path, model_sha256: &str) -> Self {
        let short = &model_sha256[..model_sha256.len().min(16)];
        Self {
            dir: cache_root.join("embeddings").join(short),
            model_sha256: model_sha256.to_string(),
        }
    }

    /// The file that holds `text`'s vector.
    pub fn entry_path(&self, text: &str) -> PathBuf {
        let key = hex_digest(format!("{}\0{text}", self.model_sha256).as_bytes());
        self.dir.join(&key[..2]).join(format!("{key}.emb"))
    }

    /// Embeds `texts`, reading what the cache has and embedding the rest in one batch.
    pub fn embed(
        &self,
        embedder: &dyn Backend,
        texts: &[&str],
    ) -> Result<(Array2<f32>, CacheStats, Vec<String>), EmbedError> {
        let dim = embedder.dim();
        let mut vectors = Array2::<f32>::zeros((texts.len(), dim));
        let mut stats = CacheStats::default();
        // Returned rather than printed: the library has no say over where warnings go.
        let mut warnings = Vec::new();
        let mut missing = Vec::new();
        for (row, text) in texts.iter().enumerate() {
            match self.lookup(text, dim) {
                Lookup::Hit(vector) => {
                    vectors
                        .row_mut(row)
                        .assign(&ndarray::ArrayView1::from(&vector[..]));
                    stats.hits += 1;
                }
                Lookup::Absent => missing.push(row),
                Lookup::Corrupt(reason) => {
                    warnings.push(format!(
                        "embedding cache entry {} is corrupt ({reason}); rebuilding it",
                        self.entry_path(text).display()
                    ));
                    stats.rebuilt += 1;
                    missing.push(row);
                }
            }
        }
        stats.misses = missing.len();
        if !missing.is_empty() {
            let missing_texts: Vec<&str> = missing.iter().map(|&row| texts[row]).collect();
            let fresh = embedder.embed_texts(&missing_texts)?;
            for (fresh_row, &row) in missing.iter().enumerate() {
                let vector = fresh.vectors.row(fresh_row);
                vectors.row_mut(row).assign(&vector);
                // A cache that cannot be written only costs speed, never correctness.
                let _ = self.store(texts[row], vector.as_slice().unwrap_or(&[]));
            }
        }
        Ok((vectors, stats, warnings))
    }

    fn lookup(&self, text: &str, dim: usize) -> Lookup {
        let bytes = match fs::read(self.entry_path(text)) {
            Ok(bytes) => bytes,
            Err(_) => return Lookup::Absent,
        };
        match decode(&bytes, text, dim) {
            Ok(vector) => Lookup::Hit(vector),
            Err(reason) => Lookup::Corrupt(reason),
        }
    }

    fn store(&self, text: &str, vector: &[f32]) -> std::io::Result<()> {
        write_atomic(&self.entry_path(text), &encode(text, vector))
    }
}

/// Layout: magic, dim (u32 LE), text length (u32 LE), text, dim × f32 LE, sha256 of all before.
fn encode(text: &str, vector: &[f32]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(12 + text.len() + vector.len() * 4 + CHECKSUM_LEN);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(vector.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&(text.len() as u32).to_le_bytes());
    bytes.extend_from_slice(text.as_bytes());
    for value in vector {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    let checksum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&checksum);
    bytes
}

fn decode(bytes: &[u8], text: &str, dim: usize) -> Result<Vec<f32>, String> {
    let expected_len = 12 + text.len() + dim * 4 + CHECKSUM_LEN;
    if bytes.len() != expected_len {
        return Err(format!("{} bytes, expected {expected_len}", bytes.len()));
    }
    let (body, checksum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if Sha256::digest(body).as_slice() != checksum {
        return Err("checksum mismatch".into());
    }
    if &body[..4] != MAGIC {
        return Err("unknown format".into());
    }
    let stored_dim = u32::from_le_bytes(body[4..8].try_into().unwrap_or_default()) as usize;
    let text_len = u32::from_le_bytes(body[8..12].try_into().unwrap_or_default()) as usize;
    if stored_dim != dim || text_len != text.len() || &body[12..12 + text_len] != text.as_bytes() {
        return Err("entry belongs to another text or model".into());
    }
    Ok(body[12 + text_len..]
        .chunks_exact(4)
        .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_round_trips_and_any_damage_is_detected() {
        let vector = [0.25f32, -1.0, 3.5];
        let bytes = encode("drift", &vector);
        assert_eq!(decode(&bytes, "drift", 3).unwrap(), vector);
        assert!(decode(&bytes[..bytes.len() - 1], "drift", 3).is_err());
        let mut flipped = bytes.clone();
        flipped[14] ^= 1;
        assert_eq!(
            decode(&flipped, "drift", 3),
            Err("checksum mismatch".into())
        );
        assert!(decode(&bytes, "drifts", 3).is_err());
    }
}
