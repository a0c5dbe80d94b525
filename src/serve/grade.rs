//! `POST /api/v1/grade` and `POST /api/v1/grade/batch`: answers checked, queued for the
//! engine, and their reports returned as `grade --format json` and `batch` write them.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::{json_body, BATCH_BODY_LIMIT, GRADE_BODY_LIMIT};
use super::error::ApiError;
use super::router::AppState;
use crate::batch::{ErrorLine, GradedLine};
use crate::grader::GradeError;
use crate::records::record::{record_from_json, Record};
use crate::report::Report;
use crate::score::{Rubric, REFERENCE_RUBRIC_ID};
use crate::util::limited_read::MAX_ANSWER_BYTES;

/// The body of `POST /api/v1/grade`: a bank question or a reference, and the answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// A bank question's id or number.
    pub question: Option<Value>,
    /// Text whose sentences are the points, instead of a bank question.
    pub reference: Option<String>,
    /// The question shown with a reference.
    pub question_text: Option<String>,
    pub answer: String,
}

impl GradeRequest {
    /// The rubric the request names, with the messages `grade` gives for the same mistakes.
    pub fn rubric(&self, state: &AppState) -> Result<Rubric, ApiError> {
        match (&self.question, &self.reference) {
            (Some(_), Some(_)) => Err(ApiError::bad_request(
                "give either `question` or `reference`, not both",
            )),
            (Some(key), None) => {
                let key = question_key(key)?;
                let question = state
                    .bank
                    .find(&key)
                    .map_err(|err| ApiError::unknown_question(err.to_string()))?;
                Ok(Rubric::from(question))
            }
            (None, Some(reference)) => {
                check_size(reference, "reference")?;
                Rubric::from_reference(REFERENCE_RUBRIC_ID, self.question_text.clone(), reference)
                    .map_err(|_| {
                        ApiError::bad_request(
                            "the reference is empty: give at least one sentence in `reference`",
                        )
                    })
            }
            (None, None) => Err(ApiError::bad_request(
                "say what to grade against: `question` (a bank id or number), or `reference` (with optional `question_text`)",
            )),
        }
    }
}

/// A question key given as a string or a number.
pub fn question_key(value: &Value) -> Result<String, ApiError> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        _ => Err(ApiError::bad_request(
            "`question` must be a string or a number",
        )),
    }
}

/// The CLI's 256 KiB limit on an answer or a reference.
pub fn check_size(text: &str, field: &str) -> Result<(), ApiError> {
    if text.len() > MAX_ANSWER_BYTES {
        return Err(ApiError::too_large(format!(
            "`{field}` is {} bytes; the limit is {MAX_ANSWER_BYTES} bytes (256 KiB)",
            text.len()
        )));
    }
    Ok(())
}

/// A report as `grade --format json` prints it: one line of JSON and a newline.
pub fn report_response(report: &Report) -> Response {
    let mut body = report.to_json();
    body.push('\n');
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Grades one answer through the engine.
pub async fn grade_one(
    state: &AppState,
    rubric: Rubric,
    answer: String,
) -> Result<Report, ApiError> {
    check_size(&answer, "answer")?;
    let mut results = state.engine.grade(vec![(Arc::new(rubric), answer)]).await?;
    let result = results.pop().expect("one answer gives one result");
    result.map_err(ApiError::from)
}

pub async fn grade(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let request: GradeRequest = json_body(body, GRADE_BODY_LIMIT).await?;
    let rubric = request.rubric(&state)?;
    let report = grade_one(&state, rubric, request.answer).await?;
    Ok(report_response(&report))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    pub records: Vec<Value>,
}

/// A record that could be graded, or the row that says why not.
enum Prepared {
    Ready {
        record: Box<Record>,
        rubric: Arc<Rubric>,
    },
    Failed(Value),
}

pub async fn grade_batch(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let request: BatchRequest = json_body(body, BATCH_BODY_LIMIT).await?;
    if request.records.len() > state.max_batch {
        return Err(ApiError::too_large(format!(
            "the batch has {} records; the limit is {} per request (split it, or start serve with a larger --max-batch)",
            request.records.len(),
            state.max_batch
        )));
    }
    let mut prepared: Vec<Prepared> = request
        .records
        .into_iter()
        .enumerate()
        .map(|(index, value)| prepare(&state, index + 1, value))
        .collect();
    let answers = prepared
        .iter_mut()
        .filter_map(|item| match item {
            // The row keeps the record's id, candidate and source; the answer text goes to
            // the engine without a copy.
            Prepared::Ready { record, rubric } => {
                Some((Arc::clone(rubric), std::mem::take(&mut record.answer)))
            }
            Prepared::Failed(_) => None,
        })
        .collect();
    let mut reports = state.engine.grade(answers).await?.into_iter();
    let rows: Vec<Value> = prepared
        .into_iter()
        .map(|item| match item {
            Prepared::Failed(row) => row,
            Prepared::Ready { record, rubric } => {
                match reports.next().expect("one result per queued record") {
                    Ok(report) => graded_row(&record, &report),
                    Err(err) => error_row(
                        &record.id,
                        record.candidate.as_deref(),
                        &record.source,
                        Some(&rubric.id),
                        &err.to_string(),
                    ),
                }
            }
        })
        .collect();
    Ok(axum::Json(json!({ "results": rows })).into_response())
}

fn prepare(state: &AppState, line: usize, value: Value) -> Prepared {
    let source = format!("request:{line}");
    let default_id = crate::records::record::default_id("request", line, false);
    let id_of = |value: &Value| match value.get("id") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => default_id.clone(),
    };
    let id = id_of(&value);
    let record = match record_from_json(value, &default_id, source.clone()) {
        Ok(record) => record,
        Err(err) => return Prepared::Failed(error_row(&id, None, &source, None, &err.to_string())),
    };
    if record.answer.len() > MAX_ANSWER_BYTES {
        let err = GradeError::TooLarge {
            size: record.answer.len(),
        };
        return Prepared::Failed(error_row(
            &record.id,
            record.candidate.as_deref(),
            &source,
            None,
            &err.to_string(),
        ));
    }
    match record.target.rubric(Some(&state.bank)) {
        Ok(rubric) => Prepared::Ready {
            record: Box::new(record),
            rubric: Arc::new(rubric),
        },
        Err(err) => Prepared::Failed(error_row(
            &record.id,
            record.candidate.as_deref(),
            &source,
            None,
            &err.to_string(),
        )),
    }
}

/// A graded record as `batch` writes it to results.jsonl: its own line type.
fn graded_row(record: &Record, report: &Report) -> Value {
    row(&GradedLine {
        id: &record.id,
        candidate: record.candidate.as_deref(),
        source: &record.source,
        report,
    })
}

/// A record that could not be graded, as `batch` writes it.
fn error_row(
    id: &str,
    candidate: Option<&str>,
    source: &str,
    question_id: Option<&str>,
    error: &str,
) -> Value {
    row(&ErrorLine {
        id,
        candidate,
        source,
        question_id,
        error,
    })
}

fn row(line: &impl serde::Serialize) -> Value {
    serde_json::to_value(line).expect("a results line is plain JSON")
}
