//! Flags of `mockgrade serve`; the doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use mockgrade::practice::parse_time_limit;
use mockgrade::serve::config::{DEFAULT_MAX_BATCH, DEFAULT_QUEUE_CAPACITY};

use super::shared_args::{number_from_1_to, SharedArgs};

/// Run the grading service: an HTTP API and a practice page at /, with the model kept warm.
///
/// Answers arriving together are embedded together. Stop it with Ctrl-C or SIGTERM: it
/// finishes the requests in flight, then exits 0. See README "Serve" for the API.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the address is printed on stderr).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Bearer token every API call must carry (at least 16 characters); required on an
    /// address other than loopback. Default: $MOCKGRADE_TOKEN.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Let pages from this origin call the API (CORS), such as https://school.example;
    /// without it no CORS headers are sent.
    #[arg(long, value_name = "ORIGIN")]
    pub allow_origin: Option<String>,
    /// Record the page's attempts in this history file (default on a loopback address:
    /// the history `practice` and `stats` use; elsewhere: none).
    #[arg(long, value_name = "FILE", conflicts_with = "no_history")]
    pub history: Option<PathBuf>,
    /// Do not record the page's attempts.
    #[arg(long)]
    pub no_history: bool,
    /// Answers that may wait for the model; more are refused with 429 and Retry-After.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_QUEUE_CAPACITY, value_parser = number_from_1_to::<1_000_000>)]
    pub queue: usize,
    /// How long an answer may wait and be graded before its request gets 503: 30s, 2m.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_time_limit)]
    pub timeout: Duration,
    /// Records one POST /api/v1/grade/batch may carry.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_BATCH, value_parser = number_from_1_to::<100_000>)]
    pub max_batch: usize,
    #[command(flatten)]
    pub shared: SharedArgs,
}
