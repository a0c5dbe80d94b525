//! `mockgrade serve`: checks the flags, bank and scorer, then hands a typed config and a
//! grader loader to the library's server.

use anyhow::{Context, Result};

use mockgrade::practice::history;
use mockgrade::serve::{ServeConfig, ServeOptions};

use super::serve_args::ServeArgs;
use super::{exit, setup, UsageError};

pub fn run(args: &ServeArgs) -> Result<u8> {
    let token = args.token.clone().or_else(|| {
        std::env::var("MOCKGRADE_TOKEN")
            .ok()
            .filter(|token| !token.is_empty())
    });
    let options = ServeOptions {
        bind: args.bind,
        token,
        allow_origin: args.allow_origin.clone(),
        history: args.history.clone(),
        no_history: args.no_history,
        default_history: history::default_path(),
        queue_capacity: args.queue,
        deadline: args.timeout,
        max_batch: args.max_batch,
    };
    let bank = setup::bank(&args.shared.bank)?;
    let config = ServeConfig::check(options, bank).map_err(|err| UsageError(err.to_string()))?;
    // Scorer and model directory are checked now, so a typo fails at start, not at the
    // first request; the model itself loads on the engine's thread.
    let plan = setup::GraderPlan::check(&args.shared.engine, &args.shared.scorer)?;
    mockgrade::serve::run(config, Box::new(move || plan.load()))
        .context("mockgrade serve failed")?;
    Ok(exit::OK)
}
