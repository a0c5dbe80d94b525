//! The embedding engine: owns the all-MiniLM-L6-v2 model and its device, and turns texts into
//! L2-normalised vectors, batching by a padded-token budget.

use ndarray::Array2;
use rust_bert::bert::BertModel;
use rust_bert::pipelines::common::{ModelType, TokenizerOption};
use rust_tokenizers::tokenizer::TruncationStrategy;
use tch::nn;
use thiserror::Error;

use crate::device::{device_label, DeviceError, DeviceRequest, Precision};
use crate::model_dir::{ModelDir, ModelDirError};
use crate::model_files::ModelFiles;
use crate::token_embeddings::TokenEmbeddings;
use crate::weights::SafetensorsFile;

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

/// The engine that owns the sentence-embedding model and the device it runs on.
///
/// rust-bert supplies the tokenizer and the BERT encoder; the engine owns batching, the
/// masked mean pooling and the L2 normalisation, and loads the weights itself (see
/// [`crate::weights`]) so that loading costs no memory beyond the model.
pub struct Embedder {
    tokenizer: TokenizerOption,
    transformer: BertModel<TokenEmbeddings>,
    /// Owns the weights the transformer's layers point into.
    _weights: nn::VarStore,
    pad_id: i64,
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
        let files = ModelFiles::read(dir).map_err(load_error)?;
        let safetensors = match model_dir.weights.extension().and_then(|ext| ext.to_str()) {
            Some("safetensors") => Some(
                SafetensorsFile::open(&model_dir.weights)
                    .map_err(|err| load_error(err.to_string()))?,
            ),
            _ => None,
        };
        let vocab = dir.join("vocab.txt");
        let tokenizer = TokenizerOption::from_file(
            ModelType::Bert,
            &vocab.to_string_lossy(),
            None,
            files.lower_case,
            files.strip_accents,
            None,
        )
        .map_err(|err| load_error(format!("vocab.txt: {err}")))?;
        let pad_id = tokenizer.get_pad_id().unwrap_or(0);

        // Weights are read on the CPU, where they can be written in place, then moved.
        let mut var_store = nn::VarStore::new(tch::Device::Cpu);
        // rust-bert panics rather than erring on some malformed configurations. BERT's pooler
        // (a dense layer over [CLS]) is left out: mean pooling never reads it.
        let transformer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            BertModel::<TokenEmbeddings>::new_with_optional_pooler(
                var_store.root(),
                &files.bert,
                false,
            )
        }))
        .map_err(|_| load_error("config.json does not describe a BERT model".into()))?;
        match &safetensors {
            Some(file) => file
                .fill(&var_store.variables())
                .map_err(|err| load_error(err.to_string()))?,
            None => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                var_store.load(&model_dir.weights)
            }))
            .map_err(|_| load_error("libtorch could not read the weights".into()))?
            .map_err(|err| load_error(err.to_string()))?,
        }
        var_store.set_device(device);
        match precision {
            Precision::Fp32 => {}
            Precision::Fp16 => var_store.half(),
            Precision::Bf16 => var_store.bfloat16(),
        }
        Ok(Self {
            tokenizer,
            transformer,
            _weights: var_store,
            pad_id,
            device,
            precision,
            max_seq_length: files.max_seq_length,
            token_budget: options.token_budget.max(1),
            dim: files.bert.hidden_size as usize,
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

    /// Embeds `texts`, returning one normalised row per text in the same order.
    ///
    /// Texts are tokenized once, sorted by token length and cut into batches whose padded
    /// size (count × longest) stays within the token budget, so short texts are never
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
        let encoded = self.tokenizer.encode_list(
            texts,
            self.max_seq_length,
            &TruncationStrategy::LongestFirst,
            0,
        );
        let truncated = encoded
            .iter()
            .map(|input| input.num_truncated_tokens > 0)
            .collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&index| (std::cmp::Reverse(encoded[index].token_ids.len()), index));

        let length_of = |index: usize| encoded[index].token_ids.len();
        for batch in budget_batches(&order, length_of, self.token_budget) {
            let token_ids: Vec<&[i64]> = batch
                .iter()
                .map(|&index| encoded[index].token_ids.as_slice())
                .collect();
            let rows = self.forward(&token_ids)?;
            for (row, &index) in rows.chunks_exact(self.dim).zip(batch) {
                vectors
                    .row_mut(index)
                    .assign(&ndarray::ArrayView1::from(row));
            }
        }
        Ok(Embeddings { vectors, truncated })
    }

    /// One forward pass over a batch padded to its longest input, then masked mean pooling
    /// and L2 normalisation, both in fp32 whatever the model's precision.
    fn forward(&self, token_ids: &[&[i64]]) -> Result<Vec<f32>, EmbedError> {
        let rows = token_ids.len() as i64;
        let width = token_ids
            .iter()
            .map(|ids| ids.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut ids = Vec::with_capacity(token_ids.len() * width);
        let mut mask = Vec::with_capacity(token_ids.len() * width);
        for row in token_ids {
            ids.extend_from_slice(row);
            ids.extend(std::iter::repeat_n(self.pad_id, width - row.len()));
            mask.extend(std::iter::repeat_n(1i64, row.len()));
            mask.extend(std::iter::repeat_n(0i64, width - row.len()));
        }
        let shape = [rows, width as i64];
        let ids = tch::Tensor::from_slice(&ids).view(shape).to(self.device);
        let mask = tch::Tensor::from_slice(&mask).view(shape).to(self.device);
        let pooled = tch::no_grad(|| -> Result<tch::Tensor, EmbedError> {
            let hidden = self
                .transformer
                .forward_t(Some(&ids), Some(&mask), None, None, None, None, None, false)
                .map_err(|err| EmbedError::Forward(err.to_string()))?
                .hidden_state;
            let hidden = hidden.to_kind(tch::Kind::Float);
            let weights = mask.unsqueeze(-1).to_kind(tch::Kind::Float);
            let summed = (hidden * &weights).sum_dim_intlist([1].as_slice(), false, None);
            let counts = weights
                .sum_dim_intlist([1].as_slice(), false, None)
                .clamp_min(1e-9);
            let mean = summed / counts;
            let norms = mean.norm_scalaropt_dim(2, [1], true).clamp_min(1e-12);
            Ok((mean / norms).to_device(tch::Device::Cpu).contiguous())
        })?;
        Vec::<f32>::try_from(pooled.view([-1])).map_err(|err| EmbedError::Forward(err.to_string()))
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
