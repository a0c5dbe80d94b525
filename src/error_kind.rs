//! What kind of failure a library error is: the one table a front end needs to choose an
//! exit code, without knowing every error type of every stage.

use std::error::Error;

use crate::bank::{BankError, UnknownQuestion};
use crate::batch::BatchError;
use crate::embed::device::DeviceError;
use crate::embed::model_dir::ModelDirError;
use crate::embed::EmbedError;
use crate::eval::SplitError;
use crate::grader::GradeError;
use crate::practice::history::HistoryError;
use crate::practice::PickError;
use crate::records::record::RubricError;
use crate::score::{ModelMismatch, ScorerError};
use crate::util::output_file::OutputError;

/// The kinds of failure README's "Limits and errors" distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Flags or values that cannot work together, or a request nothing can satisfy.
    Usage,
    /// An input, output, scorer or history file that cannot be used as it is.
    Input,
    /// A question id or number that no loaded bank has.
    UnknownQuestion,
    /// The model, its directory, the device or a forward pass.
    Model,
    /// A bank file that cannot be read or parsed.
    Bank,
}

/// The kind of `cause` when it is one of the library's errors; `None` for any other error,
/// so a caller walking a chain of causes goes on to the next.
pub fn kind_of(cause: &(dyn Error + 'static)) -> Option<ErrorKind> {
    if cause.is::<UnknownQuestion>() {
        return Some(ErrorKind::UnknownQuestion);
    }
    if let Some(err) = cause.downcast_ref::<PickError>() {
        return Some(match err {
            PickError::Unknown(_) => ErrorKind::UnknownQuestion,
            PickError::NothingNew(_) | PickError::NoQuestions(_) => ErrorKind::Usage,
        });
    }
    if let Some(err) = cause.downcast_ref::<RubricError>() {
        return Some(match err {
            RubricError::Unknown(_) => ErrorKind::UnknownQuestion,
            RubricError::EmptyReference => ErrorKind::Input,
        });
    }
    if let Some(err) = cause.downcast_ref::<DeviceError>() {
        return Some(match err {
            DeviceError::Invalid(_) => ErrorKind::Usage,
            _ => ErrorKind::Model,
        });
    }
    if let Some(err) = cause.downcast_ref::<GradeError>() {
        return match err {
            GradeError::TooLarge { .. } | GradeError::NoPoints => Some(ErrorKind::Input),
            GradeError::Embed(embed) => Some(kind_of(embed.as_ref()).unwrap_or(ErrorKind::Model)),
            // A bug has no kind of its own: the general failure code.
            GradeError::NotANumber(_) => None,
        };
    }
    if let Some(err) = cause.downcast_ref::<EmbedError>() {
        return Some(match err {
            EmbedError::Device(device) => kind_of(device).unwrap_or(ErrorKind::Model),
            _ => ErrorKind::Model,
        });
    }
    let kind = if cause.is::<BankError>() {
        ErrorKind::Bank
    } else if cause.is::<ScorerError>()
        || cause.is::<ModelMismatch>()
        || cause.is::<HistoryError>()
        || cause.is::<BatchError>()
        || cause.is::<OutputError>()
    {
        ErrorKind::Input
    } else if cause.is::<ModelDirError>() {
        ErrorKind::Model
    } else if cause.is::<SplitError>() {
        ErrorKind::Usage
    } else {
        return None;
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_device_is_a_usage_error_even_inside_an_embedding_error() {
        let invalid = EmbedError::Device(DeviceError::Invalid("tpu".to_string()));
        assert_eq!(kind_of(&invalid), Some(ErrorKind::Usage));
        let graded = GradeError::from(EmbedError::Forward("oom".to_string()));
        assert_eq!(kind_of(&graded), Some(ErrorKind::Model));
    }

    #[test]
    fn errors_from_outside_the_library_have_no_kind() {
        let io = std::io::Error::other("disk full");
        assert_eq!(kind_of(&io), None);
    }
}
