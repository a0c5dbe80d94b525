//! Building the library's engine from the global flags: model, device, bank, thresholds.

use anyhow::{Context, Result};

use mockgrade::bank::Bank;
use mockgrade::cache::EmbeddingCache;
use mockgrade::device::{DeviceRequest, Precision};
use mockgrade::embed::{Embedder, EmbedderOptions};
use mockgrade::grader::Grader;
use mockgrade::model_dir::{self, ModelDir};
use mockgrade::paths;
use mockgrade::report::ModelInfo;
use mockgrade::thresholds::{Thresholds, ThresholdsFile};

use super::args::GlobalArgs;
use super::UsageError;

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
    if global.threads == Some(0) {
        return Err(UsageError("--threads must be at least 1".into()).into());
    }
    Ok(EmbedderOptions {
        device,
        precision,
        threads: global.threads,
        ..EmbedderOptions::default()
    })
}

pub fn thresholds(global: &GlobalArgs) -> Result<Thresholds> {
    let mut thresholds = match &global.thresholds {
        Some(path) => ThresholdsFile::read(path)?.thresholds,
        None => Thresholds::default(),
    };
    if let Some(mode) = global.match_mode {
        thresholds.match_mode = mode;
    }
    Ok(thresholds)
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

/// Everything needed to grade: embedder, cache, thresholds.
pub fn grader(global: &GlobalArgs) -> Result<Grader> {
    let thresholds = thresholds(global)?;
    let embedder = embedder(global)?;
    grader_from(global, embedder, thresholds)
}

pub fn grader_from(
    global: &GlobalArgs,
    embedder: Embedder,
    thresholds: Thresholds,
) -> Result<Grader> {
    let dir = embedder.model_dir().clone();
    let sha256 = dir.sha256()?;
    let cache = (!global.no_cache).then(|| EmbeddingCache::new(&paths::cache_dir(), &sha256));
    let model = ModelInfo {
        name: dir.name(),
        sha256,
    };
    Ok(Grader::new(embedder, cache, thresholds, model))
}
