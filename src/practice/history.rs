//! The practice history: one JSON line per graded attempt in `history.jsonl`, appended whole
//! so a crash or Ctrl-C never leaves half a line, and read back skipping (never deleting)
//! lines that do not parse.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::bank::topic::Topic;
use crate::bank::Question;
use crate::practice::is_attempt;
use crate::records::jsonl::{read_capped_line, MAX_LINE_BYTES};
use crate::report::Report;
use crate::util::output_file::{create_dir_for_output, open_no_follow};
use crate::util::paths;

/// One graded practice attempt, as stored on one line of the history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// When the attempt was graded, RFC 3339 UTC.
    pub timestamp: String,
    pub question_id: String,
    pub number: Option<u32>,
    pub topic: Topic,
    pub coverage: f64,
    pub precision: f64,
    /// Concepts of the points the answer missed or contradicted.
    pub missed: Vec<String>,
    pub answer: String,
    /// Seconds from showing the question to finishing the answer; `None` when unknown
    /// (the answer was piped in).
    pub seconds: Option<u64>,
    pub model_sha256: String,
}

impl Attempt {
    /// An attempt at a bank question with the given coverage and missed concepts, for tests.
    #[cfg(test)]
    pub fn sample(question: &crate::bank::Question, coverage: f64, missed: &[&str]) -> Attempt {
        Attempt {
            timestamp: "2025-01-01T00:00:00Z".into(),
            question_id: question.id.clone(),
            number: question.number,
            topic: question.topic,
            coverage,
            precision: 1.0,
            missed: missed.iter().map(|concept| concept.to_string()).collect(),
            answer: String::new(),
            seconds: None,
            model_sha256: String::new(),
        }
    }
}

impl Attempt {
    /// The record of `report`, an answer to `question`, graded now.
    pub fn new(question: &Question, report: &Report, answer: &str, seconds: Option<u64>) -> Self {
        Attempt {
            timestamp: crate::util::clock::now_rfc3339(),
            question_id: question.id.clone(),
            number: question.number,
            topic: question.topic,
            coverage: report.coverage,
            precision: report.precision,
            missed: report.missed.clone(),
            answer: answer.to_string(),
            seconds,
            model_sha256: report.model.sha256.clone(),
        }
    }

    /// Scores outside [0, 1] cannot come from the grader: such a line was edited or damaged.
    fn is_plausible(&self) -> bool {
        (0.0..=1.0).contains(&self.coverage) && (0.0..=1.0).contains(&self.precision)
    }
}

#[derive(Debug, Error)]
pub enum HistoryError {
    #[error("cannot read the practice history {}; check its permissions, or pass --no-history", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the practice history {}, so this attempt was not recorded; check that the folder is writable and has space, or pass --no-history", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A history line that was skipped; the file itself is left as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedLine {
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: skipped a damaged history line ({}); the file is left unchanged, fix or delete that line to silence this",
            self.path.display(),
            self.line,
            self.reason
        )
    }
}

/// Attempts read from a history file, oldest first, and the lines that could not be used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub attempts: Vec<Attempt>,
    pub skipped: Vec<SkippedLine>,
}

/// `${XDG_DATA_HOME:-~/.local/share}/mockgrade/history.jsonl`
pub fn default_path() -> PathBuf {
    paths::data_dir().join("history.jsonl")
}

impl History {
    /// Reads `path`; a missing file is an empty history.
    pub fn read(path: &Path) -> Result<History, HistoryError> {
        let read_error = |source| HistoryError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
            Err(err) => return Err(read_error(err)),
        };
        History::from_reader(BufReader::new(file), path).map_err(read_error)
    }

    /// Parses history lines from `reader`; `path` only names the source in skipped lines.
    pub fn from_reader(mut reader: impl BufRead, path: &Path) -> std::io::Result<History> {
        let mut history = History::default();
        let mut bytes = Vec::new();
        let mut line = 0;
        loop {
            // A line is read only up to the longest an attempt can be, so that one damaged
            // line of gigabytes is skipped without being held.
            let (consumed, overlong) = read_capped_line(&mut reader, &mut bytes, MAX_LINE_BYTES)?;
            if consumed == 0 {
                return Ok(history);
            }
            line += 1;
            let skip = |reason: String| SkippedLine {
                path: path.to_path_buf(),
                line,
                reason,
            };
            if overlong {
                history.skipped.push(skip(format!(
                    "longer than {MAX_LINE_BYTES} bytes, more than any attempt"
                )));
                continue;
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                history.skipped.push(skip("not valid UTF-8".into()));
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Attempt>(text) {
                // Earlier versions recorded empty answers; they were never attempts.
                Ok(attempt) if !is_attempt(&attempt.answer) => {}
                Ok(attempt) if attempt.is_plausible() => history.attempts.push(attempt),
                Ok(_) => history
                    .skipped
                    .push(skip("coverage or precision outside 0..1".into())),
                Err(err) => history.skipped.push(skip(err.to_string())),
            }
        }
    }

    /// Appends `attempt` to the history file at `path` as one whole line.
    ///
    /// The file is opened with O_APPEND, so concurrent sessions never interleave inside a
    /// line, and created private (0600) because it holds the user's answers. A file that
    /// does not end in a newline (a line cut short by an older version, or by hand) gets
    /// one first, so the attempt is not glued to that line. The line goes out in one write;
    /// when the disk takes only part of it, the part is removed again and the error says
    /// the attempt was not recorded.
    pub fn append(path: &Path, attempt: &Attempt) -> Result<(), HistoryError> {
        let write_error = |source| HistoryError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            create_dir_for_output(dir).map_err(write_error)?;
        }
        let mut line = serde_json::to_string(attempt).expect("attempts always serialise");
        line.push('\n');
        let file = open_no_follow(
            OpenOptions::new()
                .read(true)
                .create(true)
                .append(true)
                .mode(0o600),
            path,
        )
        .map_err(write_error)?;
        append_whole_line(&file, line.as_bytes()).map_err(write_error)
    }
}

/// Appends `line` (ending in a newline) to `file`, opened for appending, on a line of its
/// own, in one write; a write the file takes only part of is undone.
fn append_whole_line(file: &File, line: &[u8]) -> std::io::Result<()> {
    let before = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(line.len() + 1);
    if before > 0 {
        let mut last = [0u8];
        file.read_exact_at(&mut last, before - 1)?;
        if last[0] != b'\n' {
            bytes.push(b'\n');
        }
    }
    bytes.extend_from_slice(line);
    let (written, err) = match (&*file).write(&bytes) {
        Ok(written) if written == bytes.len() => return file.sync_data(),
        Ok(written) => (
            written,
            std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                format!(
                    "the disk took only {written} of the line's {} bytes",
                    bytes.len()
                ),
            ),
        ),
        Err(err) => (0, err),
    };
    // Remove the part written, unless another session appended meanwhile: its line must
    // not be cut, and the next attempt starts on a fresh line anyway.
    if written > 0 && file.metadata()?.len() == before + written as u64 {
        let _ = file.set_len(before);
    }
    Err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(id: &str, coverage: f64) -> Attempt {
        Attempt {
            timestamp: "2025-01-01T00:00:00Z".into(),
            question_id: id.into(),
            number: Some(7),
            topic: Topic::Scaling,
            coverage,
            precision: 0.5,
            missed: vec!["Sharding".into()],
            answer: "line one\nline \"two\"".into(),
            seconds: None,
            model_sha256: "abc".into(),
        }
    }

    fn parse(text: &str) -> History {
        History::from_reader(text.as_bytes(), Path::new("h.jsonl")).unwrap()
    }

    #[test]
    fn round_trips_attempts_in_file_order() {
        let first = attempt("a", 0.25);
        let second = attempt("b", 1.0);
        let text = format!(
            "{}\n{}\n",
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&second).unwrap()
        );
        let history = parse(&text);
        assert_eq!(history.attempts, vec![first, second]);
        assert!(history.skipped.is_empty());
    }

    #[test]
    fn damaged_lines_are_skipped_with_their_line_number() {
        let good = serde_json::to_string(&attempt("a", 0.5)).unwrap();
        let bad_score = serde_json::to_string(&attempt("c", 7.0)).unwrap();
        let text = format!("{good}\n{{\"timestamp\": tru\n\n{bad_score}\n{good}\n{good}");
        let history = parse(&text);
        assert_eq!(
            history.attempts.len(),
            3,
            "the unterminated last line counts"
        );
        let lines: Vec<usize> = history.skipped.iter().map(|skip| skip.line).collect();
        assert_eq!(lines, [2, 4]);
        let message = history.skipped[0].to_string();
        assert!(message.starts_with("h.jsonl:2: skipped"), "{message}");
    }

    #[test]
    fn invalid_utf8_is_one_skipped_line() {
        let good = serde_json::to_string(&attempt("a", 0.5)).unwrap();
        let mut bytes = b"\xff\xfe\n".to_vec();
        bytes.extend_from_slice(good.as_bytes());
        let history = History::from_reader(&bytes[..], Path::new("h")).unwrap();
        assert_eq!(history.attempts.len(), 1);
        assert_eq!(history.skipped[0].line, 1);
        assert_eq!(history.skipped[0].reason, "not valid UTF-8");
    }

    #[test]
    fn an_attempt_after_a_line_without_its_newline_starts_a_line_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let first = serde_json::to_string(&attempt("a", 0.1)).unwrap();
        std::fs::write(&path, &first).unwrap();
        History::append(&path, &attempt("b", 0.2)).unwrap();
        let history = History::read(&path).unwrap();
        let ids: Vec<&str> = history
            .attempts
            .iter()
            .map(|attempt| attempt.question_id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(history.skipped.is_empty());
    }

    #[test]
    fn a_write_the_disk_refuses_is_an_error() {
        let full = OpenOptions::new().append(true).open("/dev/full").unwrap();
        let err = append_whole_line(&full, b"{}\n").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
    }

    #[test]
    fn a_recorded_empty_answer_is_not_an_attempt() {
        let mut empty = attempt("a", 0.0);
        empty.answer = " \n".into();
        let text = format!(
            "{}\n{}\n",
            serde_json::to_string(&empty).unwrap(),
            serde_json::to_string(&attempt("b", 0.5)).unwrap()
        );
        let history = parse(&text);
        assert_eq!(history.attempts.len(), 1);
        assert_eq!(history.attempts[0].question_id, "b");
        assert!(history.skipped.is_empty(), "not damage either");
    }

    #[test]
    fn append_refuses_a_history_that_is_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "").unwrap();
        let path = dir.path().join("history.jsonl");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        let err = History::append(&path, &attempt("a", 0.5)).unwrap_err();
        assert!(matches!(err, HistoryError::Write { .. }));
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"");
    }

    #[test]
    fn append_writes_whole_private_lines_and_read_returns_them() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("mockgrade-history-{}", std::process::id()));
        let path = dir.join("nested").join("history.jsonl");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(History::read(&path).unwrap(), History::default());
        History::append(&path, &attempt("a", 0.1)).unwrap();
        History::append(&path, &attempt("b", 0.2)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with('\n'));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let ids: Vec<String> = History::read(&path)
            .unwrap()
            .attempts
            .into_iter()
            .map(|attempt| attempt.question_id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
