//! The page's own routes: the next question (by topic, at random, or the weakest from
//! the history), grading an attempt and recording it in the practice history, and the
//! per-topic progress the page draws as sparklines.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::{json_body, GRADE_BODY_LIMIT};
use super::error::ApiError;
use super::grade::{grade_one, question_key, report_response};
use super::router::AppState;
use super::routes::topic;
use crate::practice::history::{Attempt, History};
use crate::practice::{pick, PickError, PickReason, Random, Selection, Strategy};
use crate::score::Rubric;
use crate::stats::Stats;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextQuery {
    topic: Option<String>,
    /// `random` (default) or `weakest`.
    strategy: Option<String>,
    /// The question just practised, skipped when another remains.
    previous: Option<String>,
    /// A question id or number: this one and no other.
    question: Option<String>,
}

pub async fn next(
    State(state): State<AppState>,
    query: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|err| ApiError::bad_request(err.body_text()))?;
    let strategy = match query.strategy.as_deref() {
        None | Some("" | "random") => Strategy::Random,
        Some("weakest") => Strategy::Weakest,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown strategy {other:?}; expected random or weakest"
            )))
        }
    };
    let selection = Selection {
        question: query.question.filter(|key| !key.is_empty()),
        topic: topic(query.topic.as_deref())?,
        strategy,
    };
    // Only "weakest" reads the history: a random or named pick needs no file read.
    let attempts =
        if matches!(selection.strategy, Strategy::Weakest) && selection.question.is_none() {
            attempts(state.history.clone()).await?
        } else {
            Vec::new()
        };
    let mut random = Random::from_clock();
    let chosen = pick(
        &state.bank,
        &attempts,
        &selection,
        query.previous.as_deref(),
        &mut random,
    )
    .map_err(|err| match err {
        PickError::Unknown(unknown) => ApiError::unknown_question(unknown.to_string()),
        other => ApiError::bad_request(other.to_string()),
    })?;
    let reason = match chosen.reason {
        PickReason::Named => "named".to_string(),
        PickReason::Random => "random".to_string(),
        PickReason::Weakest { latest_coverage } => {
            format!("weakest: latest coverage {:.0}%", latest_coverage * 100.0)
        }
        PickReason::WeakestWithoutHistory => "random: no attempts in the history yet".to_string(),
        PickReason::New => "never attempted".to_string(),
    };
    Ok(axum::Json(json!({"question": chosen.question, "reason": reason})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptRequest {
    question: Value,
    answer: String,
    /// Seconds from showing the question to submitting.
    seconds: Option<u64>,
}

/// Grades an attempt at a bank question, records it when the history is on, and returns
/// the report `POST /api/v1/grade` gives.
pub async fn attempt(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let request: AttemptRequest = json_body(body, GRADE_BODY_LIMIT).await?;
    let key = question_key(&request.question)?;
    let question = state
        .bank
        .find(&key)
        .map_err(|err| ApiError::unknown_question(err.to_string()))?
        .clone();
    let report = grade_one(&state, Rubric::from(&question), request.answer.clone()).await?;
    if let Some(path) = state.history.clone() {
        let attempt = Attempt::new(&question, &report, &request.answer, request.seconds);
        tokio::task::spawn_blocking(move || History::append(&path, &attempt))
            .await
            .map_err(|_| internal("recording the attempt crashed"))?
            .map_err(|err| internal(&err.to_string()))?;
    }
    Ok(report_response(&report))
}

pub async fn progress(State(state): State<AppState>) -> Result<Response, ApiError> {
    let attempts = attempts(state.history.clone()).await?;
    let stats = Stats::compute(&attempts, &state.bank);
    Ok(axum::Json(json!({
        "history": state.history.is_some(),
        "stats": stats,
    }))
    .into_response())
}

/// The history's attempts, oldest first; none when the history is off.
async fn attempts(path: Option<PathBuf>) -> Result<Vec<Attempt>, ApiError> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    tokio::task::spawn_blocking(move || History::read(&path))
        .await
        .map_err(|_| internal("reading the history crashed"))?
        .map(|history| history.attempts)
        .map_err(|err| internal(&err.to_string()))
}

fn internal(message: &str) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        message,
    )
}
