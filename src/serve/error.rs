//! API errors: each is JSON `{"error": {"kind", "message"}}` with the status that says
//! what went wrong, and a `Retry-After` where trying again later can work.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::engine::EngineError;
use crate::grader::GradeError;

/// Seconds a refused caller is told to wait before retrying.
pub const RETRY_AFTER_SECONDS: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    /// A stable, machine-readable name: `bad_request`, `unauthorized`, `not_found`,
    /// `unknown_question`, `too_large`, `queue_full`, `timeout`, `not_ready`, `internal`.
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }

    pub fn unknown_question(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "unknown_question", message)
    }

    /// The JSON body, also used for error rows of a batch.
    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"kind": self.kind, "message": self.message}})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry = matches!(
            self.status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        );
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if retry {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}

impl From<EngineError> for ApiError {
    fn from(err: EngineError) -> Self {
        let message = err.to_string();
        match err {
            EngineError::QueueFull { .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "queue_full", message)
            }
            EngineError::Deadline(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", message)
            }
            EngineError::Loading | EngineError::ShuttingDown | EngineError::LoadFailed(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", message)
            }
            EngineError::Grade(GradeError::TooLarge { .. }) => ApiError::too_large(message),
            EngineError::Grade(GradeError::NoPoints) => ApiError::bad_request(message),
            // A number that is not finite is a bug, never a grade: reported, not shown.
            EngineError::Grade(GradeError::Embed(_) | GradeError::NotANumber(_)) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn engine_refusals_map_to_retryable_statuses() {
        let full = ApiError::from(EngineError::QueueFull {
            depth: 4,
            capacity: 4,
        });
        assert_eq!(full.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            full.message,
            "the grading queue is full (4 of 4 answers waiting); retry in a moment"
        );
        let late = ApiError::from(EngineError::Deadline(Duration::from_millis(1500)));
        assert_eq!(late.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(late.kind, "timeout");
        assert_eq!(
            late.message,
            "the answer was not graded within 1.5s because the server is busy; retry in a moment"
        );
        let response = late.into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }

    #[test]
    fn the_body_names_kind_and_message() {
        assert_eq!(
            ApiError::bad_request("no answer").body().to_string(),
            r#"{"error":{"kind":"bad_request","message":"no answer"}}"#
        );
    }
}
