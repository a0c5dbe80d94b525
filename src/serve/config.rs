//! The server's settings, checked once before anything listens: where to bind, who may
//! call, which origin may call from a browser, where attempts are recorded, and the limits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

use super::engine::EngineLimits;
use super::queue::StepLimits;
use crate::bank::Bank;
use crate::embed::DEFAULT_TOKEN_BUDGET;

/// Answers waiting for the engine before new requests are refused with 429.
pub const DEFAULT_QUEUE_CAPACITY: usize = 256;
/// Records one `POST /api/v1/grade/batch` may carry.
pub const DEFAULT_MAX_BATCH: usize = 64;
/// Estimated tokens graded in one engine step: 32 forward passes of the embedder's own
/// budget, which still cuts each pass.
pub const STEP_TOKEN_BUDGET: usize = DEFAULT_TOKEN_BUDGET * 32;
/// Answers graded in one engine step.
pub const STEP_MAX_ANSWERS: usize = 64;

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bind: SocketAddr,
    /// The Bearer token every API call must carry; `None` on loopback only.
    pub token: Option<String>,
    /// The one origin allowed to call from a browser elsewhere; no CORS headers without it.
    pub allow_origin: Option<String>,
    /// Where the page's attempts are appended; `None`: not recorded.
    pub history: Option<PathBuf>,
    pub bank: Bank,
    pub limits: EngineLimits,
    pub max_batch: usize,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("--bind {0} is not a loopback address, so anyone who can reach it could use the server: give --token TOKEN (or set MOCKGRADE_TOKEN), or bind to 127.0.0.1")]
    TokenRequired(SocketAddr),
    #[error("--token is empty: give a token of at least 16 characters")]
    EmptyToken,
    #[error("--token is {0} characters long; use at least 16 so it cannot be guessed")]
    ShortToken(usize),
    #[error("--allow-origin {0:?} is not an origin: give scheme, host and optional port, such as https://school.example")]
    BadOrigin(String),
}

/// The flags as given, before the checks.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    pub token: Option<String>,
    pub allow_origin: Option<String>,
    /// `--history FILE`.
    pub history: Option<PathBuf>,
    pub no_history: bool,
    /// The history practice uses, recorded to by default on a loopback bind.
    pub default_history: PathBuf,
    pub queue_capacity: usize,
    pub deadline: Duration,
    pub max_batch: usize,
}

impl ServeConfig {
    pub fn check(options: ServeOptions, bank: Bank) -> Result<ServeConfig, ConfigError> {
        let loopback = options.bind.ip().is_loopback();
        let token = match options.token {
            Some(token) if token.is_empty() => return Err(ConfigError::EmptyToken),
            Some(token) if token.chars().count() < 16 => {
                return Err(ConfigError::ShortToken(token.chars().count()))
            }
            Some(token) => Some(token),
            None if loopback => None,
            None => return Err(ConfigError::TokenRequired(options.bind)),
        };
        if let Some(origin) = &options.allow_origin {
            if !is_origin(origin) {
                return Err(ConfigError::BadOrigin(origin.clone()));
            }
        }
        // A shared server records attempts only where its operator says, so several
        // people's answers never land in one person's history.
        let history = match (options.no_history, options.history, loopback) {
            (true, _, _) => None,
            (false, Some(path), _) => Some(path),
            (false, None, true) => Some(options.default_history),
            (false, None, false) => None,
        };
        Ok(ServeConfig {
            bind: options.bind,
            token,
            allow_origin: options.allow_origin,
            history,
            bank,
            limits: EngineLimits {
                queue_capacity: options.queue_capacity.max(1),
                step: StepLimits {
                    token_budget: STEP_TOKEN_BUDGET,
                    max_jobs: STEP_MAX_ANSWERS,
                },
                deadline: options.deadline,
            },
            max_batch: options.max_batch.max(1),
        })
    }
}

/// `scheme://host[:port]` with nothing after: what a browser sends as `Origin`.
fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', ' ', '@'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(bind: &str) -> ServeOptions {
        ServeOptions {
            bind: bind.parse().unwrap(),
            token: None,
            allow_origin: None,
            history: None,
            no_history: false,
            default_history: PathBuf::from("/home/me/history.jsonl"),
            queue_capacity: 8,
            deadline: Duration::from_secs(5),
            max_batch: 4,
        }
    }

    #[test]
    fn loopback_needs_no_token_and_records_to_the_practice_history() {
        let config = ServeConfig::check(options("127.0.0.1:8080"), Bank::default()).unwrap();
        assert_eq!(config.token, None);
        assert_eq!(
            config.history,
            Some(PathBuf::from("/home/me/history.jsonl"))
        );
    }

    #[test]
    fn any_other_address_needs_a_token_and_records_nothing_by_default() {
        let err = ServeConfig::check(options("0.0.0.0:8080"), Bank::default()).unwrap_err();
        assert_eq!(err.to_string(), "--bind 0.0.0.0:8080 is not a loopback address, so anyone who can reach it could use the server: give --token TOKEN (or set MOCKGRADE_TOKEN), or bind to 127.0.0.1");
        let mut with_token = options("0.0.0.0:8080");
        with_token.token = Some("a-long-enough-token".into());
        let config = ServeConfig::check(with_token.clone(), Bank::default()).unwrap();
        assert_eq!(config.history, None);
        with_token.history = Some("/srv/attempts.jsonl".into());
        let config = ServeConfig::check(with_token, Bank::default()).unwrap();
        assert_eq!(config.history, Some(PathBuf::from("/srv/attempts.jsonl")));
    }

    #[test]
    fn short_tokens_and_bad_origins_are_refused() {
        let mut short = options("127.0.0.1:0");
        short.token = Some("secret".into());
        assert_eq!(
            ServeConfig::check(short, Bank::default()).unwrap_err(),
            ConfigError::ShortToken(6)
        );
        let mut origin = options("127.0.0.1:0");
        origin.allow_origin = Some("https://school.example/page".into());
        assert_eq!(
            ServeConfig::check(origin.clone(), Bank::default())
                .unwrap_err()
                .to_string(),
            "--allow-origin \"https://school.example/page\" is not an origin: give scheme, host and optional port, such as https://school.example"
        );
        origin.allow_origin = Some("https://school.example:8443".into());
        assert!(ServeConfig::check(origin, Bank::default()).is_ok());
    }

    #[test]
    fn no_history_wins_over_the_default() {
        let mut quiet = options("127.0.0.1:0");
        quiet.no_history = true;
        assert_eq!(
            ServeConfig::check(quiet, Bank::default()).unwrap().history,
            None
        );
    }
}
