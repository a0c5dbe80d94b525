//! Directories of answer files (`.txt`, `.md`): found by one walk that follows links but
//! never loops, reads each file once however many names reach it, and turns anything that
//! is not a plain file (a FIFO, a socket, a device) into an error record instead of a hang.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::records::jsonl::BadRecord;
use crate::records::record::{Labels, Record, Target};
use crate::util::limited_read::MAX_ANSWER_BYTES;
use crate::util::limited_read::{read_at_most, LimitedReadError};
use crate::util::text::strip_bom;

/// What the walk found at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    Answer(PathBuf),
    /// An answer-like name that is not graded, and why; it becomes an error record.
    Refused {
        path: PathBuf,
        reason: String,
    },
}

/// Identifies a file or folder whatever name reaches it: device and inode on Unix.
#[cfg(unix)]
fn identity(_path: &Path, meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!("{}:{}", meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(path: &Path, _meta: &std::fs::Metadata) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn is_answer_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md"))
}

/// Walks `dir` in name order. A folder reached again through a link is a loop and is not
/// entered twice; a file reached again under another name is graded under its first name.
pub(super) fn walk(dir: &Path) -> std::io::Result<Vec<Found>> {
    let meta = std::fs::metadata(dir)?;
    let mut walk = Walk {
        folders: HashSet::from([identity(dir, &meta)]),
        files: HashMap::new(),
        found: Vec::new(),
    };
    walk.folder(dir)?;
    Ok(walk.found)
}

struct Walk {
    folders: HashSet<String>,
    /// Identity → the first name it was found under.
    files: HashMap<String, PathBuf>,
    found: Vec<Found>,
}

impl Walk {
    fn folder(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        entries.sort();
        for path in entries {
            let refuse = |reason: String| Found::Refused {
                path: path.clone(),
                reason,
            };
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                // A dangling link or an unreadable entry matters only if it looks like an answer.
                Err(err) => {
                    if is_answer_name(&path) {
                        self.found.push(refuse(format!("cannot read: {err}")));
                    }
                    continue;
                }
            };
            let id = identity(&path, &meta);
            if meta.is_dir() {
                if self.folders.insert(id) {
                    // A subfolder that cannot be listed loses only itself.
                    if let Err(err) = self.folder(&path) {
                        self.found
                            .push(refuse(format!("cannot read the folder: {err}")));
                    }
                } else {
                    self.found.push(refuse(
                        "a link to a folder that is already being read (a loop); not entered again"
                            .into(),
                    ));
                }
                continue;
            }
            if !is_answer_name(&path) {
                continue;
            }
            if !meta.is_file() {
                self.found.push(refuse(
                    "not a regular file (a FIFO, socket or device); answers must be plain files"
                        .into(),
                ));
                continue;
            }
            match self.files.get(&id) {
                Some(first) => self.found.push(refuse(format!(
                    "the same file as {}, which is graded once, under that name",
                    first.display()
                ))),
                None => {
                    self.files.insert(id, path.clone());
                    self.found.push(Found::Answer(path));
                }
            }
        }
        Ok(())
    }
}

/// The question an answer file names: a first line `question: <id>`, else the longest bank
/// id its file name starts with, else its leading number.
fn question_of_file(stem: &str, first_line: &str, bank_ids: &[String]) -> Option<String> {
    if let Some(key) = first_line.trim().strip_prefix("question:") {
        return Some(key.trim().to_string());
    }
    let by_id = bank_ids
        .iter()
        .filter(|id| stem == id.as_str() || stem.starts_with(&format!("{id}-")))
        .max_by_key(|id| id.len());
    if let Some(id) = by_id {
        return Some(id.clone());
    }
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && (stem.len() == digits.len() || stem[digits.len()..].starts_with('-')) {
        return Some(digits);
    }
    None
}

/// The answer files under `dir`, each read only when the batch reaches it.
pub(super) fn directory_records(
    dir: PathBuf,
    bank_ids: Vec<String>,
    qualify_ids: bool,
) -> Box<dyn Iterator<Item = Result<Record, BadRecord>> + Send> {
    let found = match walk(&dir) {
        Ok(found) => found,
        Err(err) => {
            return Box::new(std::iter::once(Err(BadRecord::whole_file(
                &dir,
                &format!("cannot read the directory: {err}"),
            ))))
        }
    };
    Box::new(found.into_iter().map(move |found| match found {
        Found::Answer(path) => answer_file_record(&dir, &path, &bank_ids, qualify_ids),
        Found::Refused { path, reason } => Err(BadRecord {
            id: file_id(&dir, &path, qualify_ids),
            source: path.display().to_string(),
            error: reason,
        }),
    }))
}

/// A file's id: its path below the folder, or its whole path when several inputs are read.
fn file_id(dir: &Path, path: &Path, qualify_ids: bool) -> String {
    if qualify_ids {
        path.display().to_string()
    } else {
        path.strip_prefix(dir).unwrap_or(path).display().to_string()
    }
}

/// Slack over the answer limit for a `question:` line and a trailing newline.
const FILE_SLACK_BYTES: u64 = 4096;

fn answer_file_record(
    dir: &Path,
    path: &Path,
    bank_ids: &[String],
    qualify_ids: bool,
) -> Result<Record, BadRecord> {
    let source = path.display().to_string();
    let id = file_id(dir, path, qualify_ids);
    let bad = |error: String| BadRecord {
        id: id.clone(),
        source: source.clone(),
        error,
    };
    let limit = MAX_ANSWER_BYTES as u64 + FILE_SLACK_BYTES;
    let bytes = read_at_most(path, limit).map_err(|error| match error {
        LimitedReadError::TooLarge { .. } => {
            let size = std::fs::metadata(path).map_or(0, |meta| meta.len());
            bad(format!(
                "the file is {size} bytes; answers are limited to {MAX_ANSWER_BYTES} bytes"
            ))
        }
        LimitedReadError::Io(err) => bad(format!("cannot read: {err}")),
    })?;
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        return Err(bad(format!(
            "contains a NUL byte at offset {offset}; it looks like a binary file, not text"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        bad(format!(
            "not valid UTF-8 (first bad byte at offset {})",
            err.utf8_error().valid_up_to()
        ))
    })?;
    let text = strip_bom(&text);
    let first_line = text.lines().next().unwrap_or("");
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let question = question_of_file(&stem, first_line, bank_ids).ok_or_else(|| {
        bad("no question: name the file <question-id-or-number>[-anything].txt or start it with a line `question: <id>`".into())
    })?;
    let answer = if first_line.trim().starts_with("question:") {
        text.split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default()
    } else {
        text.to_string()
    };
    let candidate = path
        .parent()
        .filter(|parent| *parent != dir)
        .and_then(|parent| parent.file_name())
        .map(|name| name.to_string_lossy().into_owned());
    Ok(Record {
        id,
        candidate,
        answer,
        target: Target::Bank(question),
        source,
        labels: Labels::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_first_lines_name_the_question() {
        let ids = vec![
            "concept-drift".to_string(),
            "concept-drift-deployed".to_string(),
        ];
        assert_eq!(
            question_of_file("concept-drift-deployed-alice", "", &ids),
            Some("concept-drift-deployed".into())
        );
        assert_eq!(question_of_file("12-alice", "", &ids), Some("12".into()));
        assert_eq!(question_of_file("12", "", &ids), Some("12".into()));
        assert_eq!(
            question_of_file("notes", "question: concept-drift", &ids),
            Some("concept-drift".into())
        );
        assert_eq!(question_of_file("notes", "hello", &ids), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_never_loop_and_never_grade_a_file_twice() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("alice")).unwrap();
        std::fs::write(root.join("alice/1-a.txt"), "answer").unwrap();
        symlink(".", root.join("x")).unwrap();
        symlink(".", root.join("y")).unwrap();
        symlink("alice/1-a.txt", root.join("2-copy.txt")).unwrap();
        symlink("missing.txt", root.join("3-dangling.txt")).unwrap();
        // mkfifo(3) rather than the command: a child forked while another test holds a
        // lock would hold that lock too, until it execs.
        let fifo =
            std::ffi::CString::new(root.join("4-fifo.txt").as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `fifo` is a valid NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);

        let found = walk(root).unwrap();
        let answers: Vec<&PathBuf> = found
            .iter()
            .filter_map(|found| match found {
                Found::Answer(path) => Some(path),
                Found::Refused { .. } => None,
            })
            .collect();
        assert_eq!(answers, [&root.join("2-copy.txt")]);
        let refused: Vec<(String, &str)> = found
            .iter()
            .filter_map(|found| match found {
                Found::Refused { path, reason } => Some((
                    path.strip_prefix(root).unwrap().display().to_string(),
                    reason.as_str(),
                )),
                Found::Answer(_) => None,
            })
            .collect();
        let loop_reason =
            "a link to a folder that is already being read (a loop); not entered again";
        let expected = [
            ("3-dangling.txt", "cannot read: "),
            (
                "4-fifo.txt",
                "not a regular file (a FIFO, socket or device); answers must be plain files",
            ),
            ("alice/1-a.txt", "the same file as "),
            ("x", loop_reason),
            ("y", loop_reason),
        ];
        assert_eq!(refused.len(), expected.len(), "{refused:?}");
        for ((path, reason), (want_path, want_start)) in refused.iter().zip(expected) {
            assert_eq!(path, want_path);
            assert!(reason.starts_with(want_start), "{path}: {reason}");
        }
    }
}
