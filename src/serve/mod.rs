//! `mockgrade serve`: a long-lived HTTP server (axum on tokio) that keeps the model warm,
//! grades answers from many clients together through one engine, and serves the
//! practice page. The CLI only turns flags into a [`ServeConfig`]; everything else is here.

mod auth;
mod body;
pub mod config;
mod engine;
mod error;
mod grade;
mod metrics;
mod page;
mod practice;
pub mod queue;
mod router;
mod routes;

use std::sync::Arc;

use axum::http::HeaderValue;
use thiserror::Error;

pub use config::{ConfigError, ServeConfig, ServeOptions};
pub use engine::LoadGrader;

use engine::Engine;
use metrics::Metrics;
use router::{router, AppState};

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}. Is another server using the port? Pick another with --bind, or use port 0 for any free one")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs the server until SIGTERM or Ctrl-C, then lets in-flight requests finish and
/// returns. `load` builds the grader on the engine's thread, so the server answers
/// `/healthz` (and `/readyz` with 503) while the model loads.
pub fn run(config: ServeConfig, load: LoadGrader) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // The model runs on the engine's own thread; HTTP work is light, and the cores
        // are better left to libtorch.
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(config, load))
}

async fn serve(config: ServeConfig, load: LoadGrader) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr()?;
    let metrics = Arc::new(Metrics::default());
    let (engine, worker) = Engine::start(load, config.limits, Arc::clone(&metrics));
    let state = AppState {
        engine: engine.clone(),
        bank: Arc::new(config.bank),
        metrics,
        token: config.token.map(Arc::from),
        allow_origin: config
            .allow_origin
            .and_then(|origin| HeaderValue::from_str(&origin).ok()),
        history: config.history.clone(),
        max_batch: config.max_batch,
    };
    // Tests and scripts read the address from this line, which also names the port
    // chosen for --bind HOST:0.
    eprintln!("mockgrade serve: listening on http://{addr}");
    match &config.history {
        Some(path) => eprintln!(
            "mockgrade serve: the page records attempts in {}",
            path.display()
        ),
        None => eprintln!("mockgrade serve: the page records no attempts (no --history)"),
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    eprintln!("mockgrade serve: stopping; finishing queued answers");
    engine.close();
    // The blocking join runs off the runtime's threads.
    let _ = tokio::task::spawn_blocking(move || worker.join()).await;
    eprintln!("mockgrade serve: stopped");
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, the signals a terminal, systemd and container
/// runtimes send to stop a service.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("mockgrade serve: signal received; no new connections, finishing requests");
}
