//! Exit codes, and the one policy that turns an error into one: README "Limits and
//! errors" lists them.

use mockgrade::error_kind::{kind_of, ErrorKind};

use super::{InputError, StdoutError, UsageError};

pub const OK: u8 = 0;
pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;
pub const INPUT: u8 = 3;
pub const UNKNOWN_QUESTION: u8 = 4;
pub const MODEL: u8 = 5;
pub const BANK: u8 = 6;
pub const RECORD_ERRORS: u8 = 10;

/// The exit code of the first cause, outermost first, whose kind is known.
pub fn code_for(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| kind_of(cause).or_else(|| cli_kind(cause)))
        .map_or(FAILURE, code_of)
}

/// The kinds of the CLI's own errors.
fn cli_kind(cause: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    if cause.is::<InputError>() || cause.is::<StdoutError>() {
        Some(ErrorKind::Input)
    } else if cause.is::<UsageError>() {
        Some(ErrorKind::Usage)
    } else {
        None
    }
}

fn code_of(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Usage => USAGE,
        ErrorKind::Input => INPUT,
        ErrorKind::UnknownQuestion => UNKNOWN_QUESTION,
        ErrorKind::Model => MODEL,
        ErrorKind::Bank => BANK,
    }
}
