//! The embedding engine: owns the all-MiniLM-L6-v2 model and its device, and turns texts into
//! L2-normalised vectors, batching by a padded-token budget.

use std::path::Path;

use ndarray::Array2;
use rust_bert::pipelines::common::ModelType;
use rust_bert::pipelines::sentence_embeddings::{
    SentenceEmbeddingsConfig, SentenceEmbeddingsModel,
};
use rust_bert::resources::LocalResource;
use rust_tokenizers::tokenizer::TruncationStrategy;
use serde::Deserialize;
use thiserror::Error;

use crate::device::{device_label, DeviceError, DeviceRequest, Precision};
use crate::model_dir::{ModelDir, ModelDirError};

/// Padded tokens per forward pass (batch size × longest input in the batch).
/// Measured on 2 CPU cores (BENCHMARKS.md): 256 realistic sentences embed at about
/// 420 sentences/s with a budget of 512–1024 and 2 threads, against 224/s at 4096 and
/// 82/s at 16384; bigger batches cost more in attention and cache misses than they
/// save in calls.
pub const DEFAULT_TOKEN_BUDGET: usize = 1024;

#[derive(Debug, Error)]
pub enum EmbedError {
    #[error(transparent)]
    ModelDir(#[from] ModelDirError),
    #[error(transparent)]
    Device(#[from] DeviceError),
    #[error("cannot load the model from {}: {reason}. The weights may be truncated or corrupt: run scripts/setup again, or pass --model DIR", .dir.display())]
    Load {
        dir: std::path::PathBuf,
        reason: String,
    },
    #[error("embedding failed: {0}")]
    Forward(String),
    #[error("--threads must be at least 1")]
    ZeroThreads,
}

/// How to build an [`Embedder`].
#[derive(Debug, Clone)]
pub struct EmbedderOptions {
    pub device: DeviceRequest,
    pub precision: Option<Precision>,
    /// Intra-op threads; `None` keeps libtorch's default (all cores).
    pub threads: Option<usize>,
    pub token_budget: usize,
}

impl Default for EmbedderOptions {
    fn default() -> Self {
        Self {
            device: DeviceRequest::Auto,
            precision: None,
            threads: None,
            token_budget: DEFAULT_TOKEN_BUDGET,
        }
    }
}

/// Texts embedded in one call, in the caller's order.
#[derive(Debug, Clone)]
pub struct Embeddings {
    /// One L2-normalised row per input text.
    pub vectors: Array2<f32>,
    /// `true` where the input was longer than the model's maximum sequence length and was cut.
    pub truncated: Vec<bool>,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: usize,
}

/// The engine that owns the sentence-embedding model and the device it runs on.
pub struct Embedder {
    model: SentenceEmbeddingsModel,
    device: tch::Device,
    precision: Precision,
    max_seq_length: usize,
    token_budget: usize,
    dim: usize,
    model_dir: ModelDir,
}

impl Embedder {
    /// Loads the model from a local directory onto the requested device.
    pub fn load(model_dir: &ModelDir, options: &EmbedderOptions) -> Result<Self, EmbedError> {
        match options.threads {
            Some(0) => return Err(EmbedError::ZeroThreads),
            Some(threads) => tch::set_num_threads(threads as i32),
            None => {}
        }
        let device = options.device.resolve()?;
        let precision = Precision::effective(options.precision, device);
        let dir = &model_dir.path;
        let load_error = |reason: String| EmbedError::Load {
            dir: dir.clone(),
            reason,
        };
        check_weights_readable(&model_dir.weights).map_err(load_error)?;
        let sbert_config: SentenceBertConfig =
            std::fs::read_to_string(dir.join("sentence_bert_config.json"))
                .map_err(|err| err.to_string())
                .and_then(|text| serde_json::from_str(&text).map_err(|err| err.to_string()))
                .map_err(|reason| load_error(format!("sentence_bert_config.json: {reason}")))?;

        let resource = |name: &str| Box::new(LocalResource::from(dir.join(name)));
        let config = SentenceEmbeddingsConfig {
            modules_config_resource: resource("modules.json"),
            transformer_type: ModelType::Bert,
            transformer_config_resource: resource("config.json"),
            transformer_weights_resource: Box::new(LocalResource::from(model_dir.weights.clone())),
            pooling_config_resource: resource("1_Pooling/config.json"),
            dense_config_resource: None,
            dense_weights_resource: None,
            sentence_bert_config_resource: resource("sentence_bert_config.json"),
            tokenizer_config_resource: resource("tokenizer_config.json"),
            tokenizer_vocab_resource: resource("vocab.txt"),
            tokenizer_merges_resource: None,
            device,
            kind: Some(match precision {
                Precision::Fp32 => tch::Kind::Float,
                Precision::Fp16 => tch::Kind::Half,
            }),
        };
        // libtorch reports unreadable weights by panicking inside the loader on some paths.
        let model = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            SentenceEmbeddingsModel::new(config)
        }))
        .map_err(|_| load_error("libtorch could not read the weights".into()))?
        .map_err(|err| load_error(err.to_string()))?;
        let dim = model
            .get_embedding_dim()
            .map_err(|err| load_error(err.to_string()))? as usize;
        Ok(Self {
            model,
            device,
            precision,
            max_seq_length: sbert_config.max_seq_length,
            token_budget: options.token_budget.max(1),
            dim,
            model_dir: model_dir.clone(),
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn device(&self) -> tch::Device {
        self.device
    }

    pub fn device_label(&self) -> String {
        device_label(self.device)
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    pub fn model_dir(&self) -> &ModelDir {
        &self.model_dir
    }

    /// Token count of each text after truncation, including [CLS] and [SEP].
    fn token_lengths<S: AsRef<str> + Sync + Send>(&self, texts: &[S]) -> Vec<(usize, bool)> {
        self.model
            .get_tokenizer()
            .encode_list(
                texts,
                self.max_seq_length,
                &TruncationStrategy::LongestFirst,
                0,
            )
            .into_iter()
            .map(|encoded| (encoded.token_ids.len(), encoded.num_truncated_tokens > 0))
            .collect()
    }

    /// Embeds `texts`, returning one normalised row per text in the same order.
    ///
    /// Texts are sorted by token length and cut into batches whose padded size
    /// (count × longest) stays within the token budget, so short texts are never
    /// padded to the length of a long one.
    pub fn embed<S: AsRef<str> + Sync + Send>(
        &self,
        texts: &[S],
    ) -> Result<Embeddings, EmbedError> {
        let mut vectors = Array2::<f32>::zeros((texts.len(), self.dim));
        if texts.is_empty() {
            return Ok(Embeddings {
                vectors,
                truncated: Vec::new(),
            });
        }
        let lengths = self.token_lengths(texts);
        let truncated = lengths.iter().map(|&(_, cut)| cut).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&index| (std::cmp::Reverse(lengths[index].0), index));

        for batch in budget_batches(&order, |index| lengths[index].0, self.token_budget) {
            let batch_texts: Vec<&str> = batch.iter().map(|&index| texts[index].as_ref()).collect();
            let rows = self.forward(&batch_texts)?;
            for (row, &index) in rows.chunks_exact(self.dim).zip(batch) {
                vectors
                    .row_mut(index)
                    .assign(&ndarray::ArrayView1::from(row));
            }
        }
        Ok(Embeddings { vectors, truncated })
    }

    /// One forward pass: masked mean pooling inside rust-bert, then L2 normalisation here
    /// so the contract holds whatever modules.json says.
    fn forward(&self, texts: &[&str]) -> Result<Vec<f32>, EmbedError> {
        let output = tch::no_grad(|| self.model.encode_as_tensor(texts))
            .map_err(|err| EmbedError::Forward(err.to_string()))?;
        let pooled = output
            .embeddings
            .to_kind(tch::Kind::Float)
            .to_device(tch::Device::Cpu);
        let norms = pooled.norm_scalaropt_dim(2, [1], true).clamp_min(1e-12);
        let normalised = (pooled / norms).contiguous().view([-1]);
        Vec::<f32>::try_from(&normalised).map_err(|err| EmbedError::Forward(err.to_string()))
    }
}

/// Splits `order` (sorted longest first) into consecutive batches whose padded
/// token count, count × first element's length, stays within `budget`.
pub fn budget_batches(
    order: &[usize],
    length_of: impl Fn(usize) -> usize,
    budget: usize,
) -> Vec<&[usize]> {
    let mut batches = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let longest = length_of(order[start]).max(1);
        let capacity = (budget / longest).max(1);
        let end = (start + capacity).min(order.len());
        batches.push(&order[start..end]);
        start = end;
    }
    batches
}

/// A safetensors file starts with an 8-byte header length and a JSON header; checking
/// that the file is at least as long as the header claims catches truncated downloads
/// before libtorch does, with a clearer message.
fn check_weights_readable(weights: &Path) -> Result<(), String> {
    use std::io::Read;
    if weights.extension().and_then(|ext| ext.to_str()) != Some("safetensors") {
        return Ok(());
    }
    let describe = |what: &str| format!("{} {what}", weights.display());
    let mut file = std::fs::File::open(weights)
        .map_err(|err| describe(&format!("cannot be opened: {err}")))?;
    let size = file.metadata().map(|meta| meta.len()).unwrap_or(0);
    let mut header_len = [0u8; 8];
    file.read_exact(&mut header_len)
        .map_err(|_| describe("is too short to be a safetensors file"))?;
    let header_len = u64::from_le_bytes(header_len);
    if header_len.saturating_add(8) > size {
        return Err(describe(
            "is truncated (its header is longer than the file)",
        ));
    }
    let mut header = vec![0u8; header_len as usize];
    file.read_exact(&mut header)
        .map_err(|_| describe("is truncated"))?;
    let header: serde_json::Value =
        serde_json::from_slice(&header).map_err(|_| describe("has a corrupt header"))?;
    let data_end = header
        .as_object()
        .into_iter()
        .flat_map(|tensors| tensors.values())
        .filter_map(|tensor| tensor.get("data_offsets")?.get(1)?.as_u64())
        .max()
        .unwrap_or(0);
    if 8 + header_len + data_end > size {
        return Err(describe(
            "is truncated (tensor data ends past the end of the file)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::budget_batches;

    #[test]
    fn batches_respect_the_padded_token_budget() {
        let lengths = [50, 40, 10, 10, 10, 3];
        let order: Vec<usize> = (0..lengths.len()).collect();
        let batches = budget_batches(&order, |i| lengths[i], 100);
        assert_eq!(batches, vec![&[0, 1][..], &[2, 3, 4, 5][..]]);
        for batch in batches {
            assert!(batch.len() * lengths[batch[0]] <= 100);
        }
    }

    #[test]
    fn an_input_longer_than_the_budget_gets_a_batch_of_its_own() {
        let lengths = [500, 2];
        let order = [0, 1];
        assert_eq!(
            budget_batches(&order, |i| lengths[i], 100),
            vec![&[0][..], &[1][..]]
        );
    }
}
