//! The embedding engine: owns the all-MiniLM-L6-v2 model and its device, and turns texts into
//! L2-normalised vectors, batching by a padded-token budget.

mod backend;
mod batches;
pub mod cache;
pub mod device;
pub mod model_dir;
mod model_files;
mod token_embeddings;
mod weights;

use std::sync::atomic::{AtomicUsize, Ordering};

use ndarray::Array2;
use rust_bert::bert::BertModel;
use rust_bert::pipelines::common::{ModelType, TokenizerOption};
use rust_tokenizers::tokenizer::TruncationStrategy;
use tch::nn;
use thiserror::Error;

use crate::embed::device::{device_label, DeviceError, DeviceRequest, Precision};
use crate::embed::model_dir::{ModelDir, ModelDirError};
use model_files::ModelFiles;
use token_embeddings::TokenEmbeddings;
use weights::SafetensorsFile;

pub use backend::Backend;
pub use batches::{plan_batches, BatchLimits};

/// Padded tokens per forward pass (batch size × longest input in the batch).
/// Measured on 2 CPU cores with one worker per core (BENCHMARKS.md, 2026-11-28): 256
/// gave 133 sentences/s against 128/s at 512 and 1024; bigger batches cost more in
/// attention and cache misses than they save in calls.
pub const DEFAULT_TOKEN_BUDGET: usize = 256;

/// Rows per forward pass. Small enough that one typical answer (about 20 sentences and
/// clauses) gives every worker a batch; at 1024 tokens a cap of 16 rows gave 128
/// sentences/s against 112/s at 64.
pub const DEFAULT_MAX_BATCH_ROWS: usize = 16;

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

/// A batch's position in the plan and its vectors, row after row.
type BatchRows = (usize, Vec<f32>);

/// The BERT encoder, shared by the worker threads of [`Embedder::embed`].
struct SharedEncoder(BertModel<TokenEmbeddings>);

// SAFETY: the workers only run `forward_t` in inference mode under `no_grad`, which reads
// the weight tensors and never writes them or any other state of the model; libtorch
// supports concurrent read-only use of a tensor from several threads (its reference
// counts are atomic).
unsafe impl Sync for SharedEncoder {}

/// How to build an [`Embedder`].
#[derive(Debug, Clone)]
pub struct EmbedderOptions {
    pub device: DeviceRequest,
    pub precision: Option<Precision>,
    /// CPU threads in all; `None` means one per core.
    pub threads: Option<usize>,
    /// Threads that each run whole forward passes side by side; the threads are shared
    /// out among them for libtorch's own parallelism. `None`: one worker per thread on
    /// the CPU (no synchronisation inside a pass), one worker on a GPU.
    pub workers: Option<usize>,
    pub token_budget: usize,
    pub max_batch_rows: usize,
}

impl Default for EmbedderOptions {
    fn default() -> Self {
        Self {
            device: DeviceRequest::Auto,
            precision: None,
            threads: None,
            workers: None,
            token_budget: DEFAULT_TOKEN_BUDGET,
            max_batch_rows: DEFAULT_MAX_BATCH_ROWS,
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
/// [`weights`]) so that loading costs no memory beyond the model.
pub struct Embedder {
    tokenizer: TokenizerOption,
    transformer: SharedEncoder,
    /// Owns the weights the transformer's layers point into.
    _weights: nn::VarStore,
    pad_id: i64,
    device: tch::Device,
    precision: Precision,
    max_seq_length: usize,
    limits: BatchLimits,
    workers: usize,
    /// libtorch's own threads inside each forward pass.
    intra_op_threads: usize,
    dim: usize,
    model_dir: ModelDir,
}

impl Embedder {
    /// Loads the model from a local directory onto the requested device.
    pub fn load(model_dir: &ModelDir, options: &EmbedderOptions) -> Result<Self, EmbedError> {
        if options.threads == Some(0) || options.workers == Some(0) {
            return Err(EmbedError::ZeroThreads);
        }
        let device = options.device.resolve()?;
        let threads = options.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        let workers = match (options.workers, device) {
            (Some(workers), _) => workers.min(threads),
            (None, tch::Device::Cpu) => threads,
            (None, _) => 1,
        };
        let intra_op_threads = (threads / workers).max(1);
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
        .map_err(|_| load_error("config.json does not describe a BERT model".into()))
        .map(SharedEncoder)?;
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
            limits: BatchLimits {
                token_budget: options.token_budget.max(1),
                max_rows: options.max_batch_rows.max(1),
            },
            workers,
            intra_op_threads,
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

    /// Threads that run forward passes side by side.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// libtorch's own threads inside each forward pass.
    pub fn intra_op_threads(&self) -> usize {
        self.intra_op_threads
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
    /// padded to the length of a long one. On the CPU the batches run on one worker thread
    /// per core, each with a single-threaded libtorch: small matrices gain more from whole
    /// passes side by side than from splitting each one and waiting at every barrier.
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
        let batches = plan_batches(&order, length_of, self.limits);
        let token_ids = |batch: &[usize]| -> Vec<&[i64]> {
            batch
                .iter()
                .map(|&index| encoded[index].token_ids.as_slice())
                .collect()
        };
        // Workers take the next batch, longest first, until none is left.
        let next = AtomicUsize::new(0);
        let run_worker = || -> Result<Vec<BatchRows>, EmbedError> {
            // libtorch keeps the setting per thread as well as process-wide, so each worker
            // sets it; that also lets engines with different settings share a process.
            tch::set_num_threads(self.intra_op_threads as i32);
            let mut done = Vec::new();
            loop {
                let position = next.fetch_add(1, Ordering::Relaxed);
                let Some(batch) = batches.get(position) else {
                    return Ok(done);
                };
                done.push((position, self.forward(&token_ids(batch))?));
            }
        };
        let workers = self.workers.min(batches.len()).max(1);
        let results: Vec<Result<Vec<BatchRows>, EmbedError>> = if workers == 1 {
            vec![run_worker()]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers).map(|_| scope.spawn(run_worker)).collect();
                handles
                    .into_iter()
                    .map(|handle| {
                        handle.join().unwrap_or_else(|_| {
                            Err(EmbedError::Forward("a worker thread panicked".into()))
                        })
                    })
                    .collect()
            })
        };
        for result in results {
            for (position, rows) in result? {
                for (row, &index) in rows.chunks_exact(self.dim).zip(batches[position]) {
                    vectors
                        .row_mut(index)
                        .assign(&ndarray::ArrayView1::from(row));
                }
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
                .0
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
