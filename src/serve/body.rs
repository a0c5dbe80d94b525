//! Reading a JSON request body within a byte limit, so an oversized body is refused with
//! 413 before it is held whole, and malformed JSON gets a 400 that says where.

use axum::body::Body;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::util::limited_read::human_bytes;

/// Body limit of one-answer requests: the 256 KiB answer limit, with room for JSON
/// escapes (`\n`, `\"`, `\uXXXX`) and a reference of the same size.
pub const GRADE_BODY_LIMIT: usize = 1024 * 1024;
/// Body limit of batch requests.
pub const BATCH_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Parses `body` as `T`, refusing more than `limit` bytes.
pub async fn json_body<T: DeserializeOwned>(body: Body, limit: usize) -> Result<T, ApiError> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::too_large(format!(
            "the request body is larger than {}; send less (each answer may be up to 256 KiB)",
            human_bytes(limit as u64)
        ))
    })?;
    serde_json::from_slice(&bytes).map_err(|err| {
        ApiError::bad_request(format!(
            "the request body is not the JSON this endpoint takes: {err}"
        ))
    })
}
