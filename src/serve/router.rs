//! The routes and the layers every request passes: metrics by matched route, CORS only
//! for the `--allow-origin` origin, and the Bearer token on the API.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::auth::bearer_matches;
use super::engine::Engine;
use super::error::ApiError;
use super::metrics::Metrics;
use super::{grade, practice, routes};
use crate::bank::Bank;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub engine: Engine,
    pub bank: Arc<Bank>,
    pub metrics: Arc<Metrics>,
    pub token: Option<Arc<str>>,
    pub allow_origin: Option<HeaderValue>,
    pub history: Option<PathBuf>,
    pub max_batch: usize,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(routes::page))
        .route("/healthz", get(routes::healthz))
        .route("/readyz", get(routes::readyz))
        .route("/metrics", get(routes::metrics))
        .route("/api/v1/questions", get(routes::questions))
        .route("/api/v1/questions/{key}", get(routes::question))
        .route("/api/v1/grade", post(grade::grade))
        .route("/api/v1/grade/batch", post(grade::grade_batch))
        .route("/api/v1/practice/next", get(practice::next))
        .route("/api/v1/practice/attempts", post(practice::attempt))
        .route("/api/v1/practice/progress", get(practice::progress))
        .fallback(routes::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), authorize))
        .layer(middleware::from_fn_with_state(state.clone(), cors))
        .layer(middleware::from_fn_with_state(state.clone(), measure))
        .with_state(state)
}

/// Paths anyone may read: the page (it holds no data), and the probes a load balancer or
/// orchestrator polls without credentials.
fn is_public(path: &str) -> bool {
    matches!(path, "/" | "/healthz" | "/readyz")
}

async fn authorize(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(token) = &state.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        if !is_public(request.uri().path()) && !bearer_matches(given, token) {
            let mut response = ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server needs its token: send the header `Authorization: Bearer TOKEN`",
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
    }
    next.run(request).await
}

/// CORS for the one allowed origin; without `--allow-origin` no header is sent, so
/// browsers keep other sites from calling the API.
async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(allowed) = state.allow_origin.clone() else {
        return next.run(request).await;
    };
    let from_allowed = request.headers().get(header::ORIGIN) == Some(&allowed);
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight && from_allowed {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        response
    } else {
        next.run(request).await
    };
    if from_allowed {
        response
            .headers_mut()
            .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    }
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// Counts every response by its route pattern and status, and times it.
async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let response = next.run(request).await;
    state
        .metrics
        .request(&route, response.status().as_u16(), started.elapsed());
    response
}
