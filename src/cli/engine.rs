//! Building the library's engine from the global flags: model, device, bank, scorer.

use std::thread::{Scope, ScopedJoinHandle};

use anyhow::{anyhow, Context, Result};

use mockgrade::bank::Bank;
use mockgrade::embed::cache::EmbeddingCache;
use mockgrade::embed::device::{DeviceRequest, Precision};
use mockgrade::embed::model_dir::{self, ModelDir};
use mockgrade::embed::{Embedder, EmbedderOptions};
use mockgrade::grader::Grader;
use mockgrade::report::ModelInfo;
use mockgrade::score::Scorer;
use mockgrade::util::paths;

use super::args::GlobalArgs;
use super::UsageError;

/// More threads than this only adds contention; a larger value is a typo, and a huge one
/// would ask the system for millions of threads.
const MAX_THREADS: usize = 1024;

pub fn model_dir(global: &GlobalArgs) -> Result<ModelDir> {
    Ok(model_dir::locate(global.model.as_deref())?)
}

/// Checks the device, precision and thread flags before anything heavy is loaded.
pub fn embedder_options(global: &GlobalArgs) -> Result<EmbedderOptions> {
    let device: DeviceRequest = global.device.parse()?;
    let precision = global
        .precision
        .as_deref()
        .map(|text| {
            text.parse::<Precision>()
                .map_err(|message| UsageError(format!("--precision: {message}")))
        })
        .transpose()?;
    if let Some(threads) = global.threads.filter(|&n| n == 0 || n > MAX_THREADS) {
        return Err(UsageError(format!(
            "--threads must be between 1 and {MAX_THREADS}, got {threads}"
        ))
        .into());
    }
    Ok(EmbedderOptions {
        device,
        precision,
        threads: global.threads,
        ..EmbedderOptions::default()
    })
}

pub fn scorer(global: &GlobalArgs) -> Result<Scorer> {
    let mut scorer = match &global.scorer {
        Some(path) => Scorer::read(path)?,
        None => Scorer::shipped(),
    };
    if let Some(mode) = global.match_mode {
        scorer.thresholds.match_mode = mode.into();
    }
    Ok(scorer)
}

pub fn bank(global: &GlobalArgs) -> Result<Bank> {
    Ok(Bank::load(&global.banks, !global.no_default_bank)?)
}

/// Loads the embedder on the requested device.
pub fn embedder(global: &GlobalArgs) -> Result<Embedder> {
    let options = embedder_options(global)?;
    let dir = model_dir(global)?;
    Embedder::load(&dir, &options).context("cannot start the embedding model")
}

/// Everything needed to grade: embedder, cache, scorer.
pub fn grader(global: &GlobalArgs) -> Result<Grader> {
    let scorer = scorer(global)?;
    let embedder = embedder(global)?;
    grader_from(global, embedder, scorer)
}

pub fn grader_from(global: &GlobalArgs, embedder: Embedder, scorer: Scorer) -> Result<Grader> {
    let dir = embedder.model_dir().clone();
    let sha256 = dir.sha256()?;
    let cache = (!global.no_cache).then(|| EmbeddingCache::new(&paths::cache_dir(), &sha256));
    let model = ModelInfo {
        name: dir.name(),
        sha256,
    };
    Ok(Grader::new(embedder, cache, scorer, model))
}

/// The model, loading on its own thread while the user reads a question and types, or
/// while `grade` reads its input.
pub struct BackgroundGrader<'scope> {
    loading: Option<ScopedJoinHandle<'scope, Result<Grader>>>,
    ready: Option<Grader>,
}

impl<'scope> BackgroundGrader<'scope> {
    pub fn start<'env>(scope: &'scope Scope<'scope, 'env>, global: &'env GlobalArgs) -> Self {
        BackgroundGrader {
            loading: Some(scope.spawn(move || grader(global))),
            ready: None,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready.is_some()
            || self
                .loading
                .as_ref()
                .is_some_and(|handle| handle.is_finished())
    }

    /// The grader, waiting for the load to finish if it has not yet.
    pub fn get(&mut self) -> Result<&Grader> {
        if let Some(handle) = self.loading.take() {
            let loaded = handle.join().map_err(|_| {
                anyhow!("the model failed to load (its thread crashed); run `mockgrade doctor` to check the installation")
            })?;
            self.ready = Some(loaded?);
        }
        self.ready
            .as_ref()
            .ok_or_else(|| anyhow!("the model failed to load earlier in this session"))
    }
}

/// Prints what the grader noticed along the way (a corrupt cache entry rebuilt), on stderr.
pub fn show_warnings(grader: &Grader) {
    for warning in grader.take_warnings() {
        eprintln!("warning: {}", mockgrade::util::visible::visible(&warning));
    }
}
