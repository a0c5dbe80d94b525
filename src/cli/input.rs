//! Reading answers and other text inputs with errors that name the file and say how to fix it.

use std::path::{Path, PathBuf};

use mockgrade::util::limited_read::{
    human_bytes, read_at_most, read_stream_at_most, LimitedReadError,
};

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{} not found: check the path", .0.display())]
    Missing(PathBuf),
    #[error("{} is a directory; pass a file", .0.display())]
    IsDirectory(PathBuf),
    #[error("cannot read {} (check its permissions)", .path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{name} is not valid UTF-8 (first bad byte at offset {offset}); save it as UTF-8 text"
    )]
    NotUtf8 { name: String, offset: usize },
    #[error(
        "{name} contains a NUL byte at offset {offset}; it looks like a binary file, not text"
    )]
    Binary { name: String, offset: usize },
    #[error("{name} has no usable records ({reason})")]
    NoRecords { name: String, reason: String },
    #[error("{name} is {}; {what} are limited to {limit} bytes ({})", size_phrase(*.size, *.limit), human_bytes(*.limit))]
    TooLarge {
        name: String,
        /// The size when the file states it; a stream is known only to pass the limit.
        size: Option<u64>,
        limit: u64,
        what: &'static str,
    },
    #[error("{} already exists: pass {flag} to replace it, or choose another file", .path.display())]
    OutputExists { path: PathBuf, flag: &'static str },
}

/// Whether standard input is a pipe, a socket or a file, which a command may read when no
/// input is named; a terminal, or a device such as /dev/null, is not.
pub fn stdin_is_redirected() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(fd).metadata().is_ok_and(|meta| {
        let kind = meta.file_type();
        kind.is_fifo() || kind.is_socket() || kind.is_file()
    })
}

/// Display name of an input path (`-` is standard input).
pub fn input_name(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

fn size_phrase(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => format!("{size} bytes"),
        None => format!("more than {limit} bytes"),
    }
}

/// Reads a text file (or `-` for stdin), refusing binary, non-UTF-8 and oversized input;
/// `what` names the kind of text in the size error ("answers", "notes").
pub fn read_text(path: &Path, limit: u64, what: &'static str) -> Result<String, InputError> {
    let name = input_name(path);
    let bytes = if path == Path::new("-") {
        read_stream_at_most(std::io::stdin(), limit)
    } else {
        let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => InputError::Missing(path.to_path_buf()),
            _ => InputError::Unreadable {
                path: path.to_path_buf(),
                source,
            },
        })?;
        if meta.is_dir() {
            return Err(InputError::IsDirectory(path.to_path_buf()));
        }
        if meta.len() > limit {
            return Err(InputError::TooLarge {
                name,
                size: Some(meta.len()),
                limit,
                what,
            });
        }
        read_at_most(path, limit)
    };
    let bytes = bytes.map_err(|error| match error {
        LimitedReadError::TooLarge { .. } => InputError::TooLarge {
            name: name.clone(),
            size: None,
            limit,
            what,
        },
        LimitedReadError::Io(source) => InputError::Unreadable {
            path: path.to_path_buf(),
            source,
        },
    })?;
    text_from_bytes(bytes, &name)
}

/// Checks bytes are text: UTF-8 without NUL bytes.
pub fn text_from_bytes(bytes: Vec<u8>, name: &str) -> Result<String, InputError> {
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        return Err(InputError::Binary {
            name: name.to_string(),
            offset,
        });
    }
    let text = String::from_utf8(bytes).map_err(|err| InputError::NotUtf8 {
        name: name.to_string(),
        offset: err.utf8_error().valid_up_to(),
    })?;
    Ok(match mockgrade::util::text::strip_bom(&text) {
        stripped if stripped.len() < text.len() => stripped.to_string(),
        _ => text,
    })
}
