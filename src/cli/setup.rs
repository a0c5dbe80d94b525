//! From the typed flags to the library's engine, checked once: bank, scorer, model
//! directory, embedder options, then the grader.

use std::thread::{Scope, ScopedJoinHandle};

use anyhow::{anyhow, Context, Result};

use mockgrade::bank::Bank;
use mockgrade::embed::cache::EmbeddingCache;
use mockgrade::embed::model_dir::{self, ModelDir};
use mockgrade::embed::{Embedder, EmbedderOptions};
use mockgrade::grader::Grader;
use mockgrade::report::ModelInfo;
use mockgrade::score::Scorer;
use mockgrade::util::paths;

use super::shared_args::{BankArgs, EngineArgs, ScorerArgs};

pub fn bank(args: &BankArgs) -> Result<Bank> {
    Ok(Bank::load(&args.banks, !args.no_default_bank)?)
}

pub fn scorer(args: &ScorerArgs) -> Result<Scorer> {
    let mut scorer = match &args.scorer {
        Some(path) => Scorer::read(path)?,
        None => Scorer::shipped(),
    };
    if let Some(mode) = args.match_mode {
        scorer.thresholds.match_mode = mode.into();
    }
    Ok(scorer)
}

/// Loads the embedder on the requested device.
pub fn embedder(args: &EngineArgs) -> Result<Embedder> {
    let dir = model_dir::locate(args.model.as_deref())?;
    load_embedder(&dir, args)
}

fn load_embedder(dir: &ModelDir, args: &EngineArgs) -> Result<Embedder> {
    let options = EmbedderOptions {
        device: args.device.unwrap_or_default(),
        precision: args.precision,
        threads: args.threads,
        ..EmbedderOptions::default()
    };
    Embedder::load(dir, &options).context("cannot start the embedding model")
}

/// What loading a grader needs, with everything that can be checked without the model
/// already checked: the scorer file read, the model directory found.
pub struct GraderPlan {
    engine: EngineArgs,
    scorer: Scorer,
    /// The scorer as the user names it, for messages.
    scorer_name: String,
    strict: bool,
    model_dir: ModelDir,
}

impl GraderPlan {
    pub fn check(engine: &EngineArgs, scorer: &ScorerArgs) -> Result<Self> {
        let scorer_name = match &scorer.scorer {
            Some(path) => path.display().to_string(),
            None => "the shipped scorer".to_string(),
        };
        let strict = scorer.strict;
        let scorer = self::scorer(scorer)?;
        let model_dir = model_dir::locate(engine.model.as_deref())?;
        Ok(GraderPlan {
            engine: engine.clone(),
            scorer,
            scorer_name,
            strict,
            model_dir,
        })
    }

    /// Loads the model and builds the grader: the slow part. A scorer fitted on another
    /// model is refused with `--strict`, and otherwise a warning the grader carries.
    pub fn load(self) -> Result<Grader> {
        // The hash and the scorer's check come first: --strict refuses before the slow load.
        let sha256 = self.model_dir.sha256()?;
        let mismatch = self.scorer.check_model(&self.scorer_name, &sha256).err();
        if let Some(mismatch) = &mismatch {
            if self.strict {
                return Err(anyhow::Error::new(mismatch.clone())
                    .context("--strict refuses a scorer fitted on another model"));
            }
        }
        let embedder = load_embedder(&self.model_dir, &self.engine)?;
        let cache =
            (!self.engine.no_cache).then(|| EmbeddingCache::new(&paths::cache_dir(), &sha256));
        let model = ModelInfo {
            name: self.model_dir.name(),
            sha256,
        };
        let grader = Grader::new(embedder, cache, self.scorer, model);
        if let Some(mismatch) = mismatch {
            grader.warn(mismatch.to_string());
        }
        Ok(grader)
    }
}

/// Everything needed to grade: embedder, cache, scorer.
pub fn grader(engine: &EngineArgs, scorer: &ScorerArgs) -> Result<Grader> {
    GraderPlan::check(engine, scorer)?.load()
}

/// The model, loading on its own thread while the user reads a question and types, or
/// while `grade` reads its input.
pub struct BackgroundGrader<'scope> {
    loading: Option<ScopedJoinHandle<'scope, Result<Grader>>>,
    ready: Option<Grader>,
}

impl<'scope> BackgroundGrader<'scope> {
    /// Starts `load` on its own thread; its errors come from `get`.
    pub fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        load: impl FnOnce() -> Result<Grader> + Send + 'scope,
    ) -> Self {
        BackgroundGrader {
            loading: Some(scope.spawn(load)),
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
