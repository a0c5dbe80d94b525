//! Reading a whole file under a size limit that holds while reading, not only against the
//! size the file states: `/dev/zero`, a FIFO or a growing file report no size, or a wrong one.

use std::io::Read;
use std::path::Path;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum LimitedReadError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// More than `limit` bytes were there; reading stopped one byte past the limit.
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
}

/// Answers longer than this are refused rather than graded: 256 KiB is about 40,000 words,
/// far beyond any typed answer, and keeps one record from stalling a batch.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// Reads at most `limit` bytes of `path`; a longer file is refused after `limit + 1` bytes.
pub fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, LimitedReadError> {
    let file = std::fs::File::open(path)?;
    read_stream_at_most(file, limit)
}

/// [`read_at_most`] for an open stream, such as stdin.
pub fn read_stream_at_most(source: impl Read, limit: u64) -> Result<Vec<u8>, LimitedReadError> {
    let mut bytes = Vec::new();
    source
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(LimitedReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// A byte count in the unit a person would write it in: "256 KiB", "16 MiB", "300 bytes".
pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_on_a_file_that_states_no_size() {
        let error = read_at_most(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(error, LimitedReadError::TooLarge { limit: 1000 }));
    }

    #[test]
    fn a_file_at_the_limit_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ten");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_at_most(&path, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_at_most(&path, 9),
            Err(LimitedReadError::TooLarge { limit: 9 })
        ));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(256 * 1024), "256 KiB");
        assert_eq!(human_bytes(16 << 20), "16 MiB");
        assert_eq!(human_bytes(300), "300 bytes");
    }
}
