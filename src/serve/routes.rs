//! The small routes: liveness, readiness, metrics, the questions, the page, and the JSON
//! 404 for any other path.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::router::AppState;
use crate::bank::topic::Topic;

/// The process is up.
pub async fn healthz() -> Response {
    axum::Json(json!({"status": "ok"})).into_response()
}

/// The model is loaded and answers can be graded.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.engine.not_ready() {
        None => axum::Json(json!({"status": "ready"})).into_response(),
        Some(err) => ApiError::from(err).into_response(),
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(
        state.engine.queue_depth(),
        state.engine.queue_capacity(),
        state.engine.is_ready(),
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionsQuery {
    topic: Option<String>,
}

/// Parses `?topic=`, with the CLI's message for an unknown one.
pub fn topic(text: Option<&str>) -> Result<Option<Topic>, ApiError> {
    text.filter(|text| !text.is_empty())
        .map(|text| text.parse::<Topic>().map_err(ApiError::bad_request))
        .transpose()
}

pub async fn questions(
    State(state): State<AppState>,
    query: Result<Query<QuestionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|err| ApiError::bad_request(err.body_text()))?;
    let topic = topic(query.topic.as_deref())?;
    let questions: Vec<_> = state.bank.by_topic(topic).collect();
    Ok(axum::Json(json!({ "questions": questions })).into_response())
}

pub async fn question(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let question = state
        .bank
        .find(&key)
        .map_err(|err| ApiError::unknown_question(err.to_string()))?;
    Ok(axum::Json(question).into_response())
}

/// The practice page: one self-contained HTML file, scripts and styles inline.
pub async fn page() -> Response {
    (
        [
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'",
            ),
        ],
        Html(super::page::PAGE),
    )
        .into_response()
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no route {}: see README \"Serve\" for the API (/api/v1/questions, /api/v1/grade, …)",
            uri.path()
        ),
    )
}
