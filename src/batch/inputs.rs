//! Batch inputs: JSONL files, CSV files and directories of answer files, read as one stream
//! of records in which a bad record is an item, never the end of the stream.

use std::path::{Path, PathBuf};

use crate::grader::MAX_ANSWER_BYTES;
use crate::jsonl::{BadRecord, JsonlRecords};
use crate::record::{record_from_json, Labels, Record, Target};

/// One input the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Jsonl(PathBuf),
    Csv(PathBuf),
    Directory(PathBuf),
}

impl Input {
    /// Classifies a path: a directory, a `.csv` file, or JSONL (any other file).
    pub fn from_path(path: &Path) -> std::io::Result<Input> {
        let meta = std::fs::metadata(path)?;
        Ok(if meta.is_dir() {
            Input::Directory(path.to_path_buf())
        } else if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"))
        {
            Input::Csv(path.to_path_buf())
        } else {
            Input::Jsonl(path.to_path_buf())
        })
    }
}

/// Streams the records of every input in order. With several inputs, a record without an
/// `id` is named by where it is (`file:line`, or the answer file's path), so that two inputs
/// cannot both give a record the id `1`.
pub fn read_all(
    inputs: Vec<Input>,
    bank_ids: Vec<String>,
) -> impl Iterator<Item = Result<Record, BadRecord>> + Send {
    let qualify_ids = inputs.len() > 1;
    inputs.into_iter().flat_map(
        move |input| -> Box<dyn Iterator<Item = Result<Record, BadRecord>> + Send> {
            match input {
                Input::Jsonl(path) => match JsonlRecords::open(&path) {
                    Ok(records) => Box::new(records.qualify_ids(qualify_ids)),
                    Err(err) => Box::new(std::iter::once(Err(file_error(
                        &path,
                        &format!("cannot read: {err}"),
                    )))),
                },
                Input::Csv(path) => match std::fs::File::open(&path) {
                    Ok(file) => Box::new(CsvRecords::new(
                        std::io::BufReader::new(file),
                        &path,
                        qualify_ids,
                    )),
                    Err(err) => Box::new(std::iter::once(Err(file_error(
                        &path,
                        &format!("cannot read: {err}"),
                    )))),
                },
                Input::Directory(path) => directory_records(path, bank_ids.clone(), qualify_ids),
            }
        },
    )
}

fn file_error(path: &Path, error: &str) -> BadRecord {
    BadRecord {
        id: path.display().to_string(),
        source: path.display().to_string(),
        error: error.to_string(),
    }
}

/// Columns a CSV may have; `answer` and one of `question` / `reference` are required.
const CSV_COLUMNS: [&str; 6] = [
    "id",
    "candidate",
    "answer",
    "question",
    "question_text",
    "reference",
];

/// Records of CSV text read from `source`; `path` names it in messages.
pub fn csv_records_from(
    source: impl std::io::Read,
    path: &Path,
) -> impl Iterator<Item = Result<Record, BadRecord>> {
    CsvRecords::new(source, path, false)
}

/// Streams the rows of a CSV file as records, one row at a time.
struct CsvRecords<R: std::io::Read> {
    reader: csv::Reader<R>,
    name: String,
    /// Lower-cased header names, or `None` once the header failed (reported as one record).
    headers: Option<Vec<String>>,
    header_error: Option<BadRecord>,
    row_index: usize,
    qualify_ids: bool,
}

impl<R: std::io::Read> CsvRecords<R> {
    fn new(source: R, path: &Path, qualify_ids: bool) -> CsvRecords<R> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(source);
        let (headers, header_error) = match reader.byte_headers() {
            Ok(headers) => {
                let headers: Vec<String> = headers
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
                    .collect();
                let has = |column: &str| headers.iter().any(|header| header == column);
                if has("answer") && (has("question") || has("reference")) {
                    (Some(headers), None)
                } else {
                    let error = file_error(
                        path,
                        &format!(
                            "the CSV header must have an `answer` column and a `question` or `reference` column; found: {}",
                            headers.join(", ")
                        ),
                    );
                    (None, Some(error))
                }
            }
            Err(err) => (
                None,
                Some(file_error(
                    path,
                    &format!("cannot read the CSV header: {err}"),
                )),
            ),
        };
        CsvRecords {
            reader,
            name: path.display().to_string(),
            headers,
            header_error,
            row_index: 0,
            qualify_ids,
        }
    }
}

impl<R: std::io::Read> Iterator for CsvRecords<R> {
    type Item = Result<Record, BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.header_error.take() {
            return Some(Err(error));
        }
        let headers = self.headers.as_ref()?;
        let mut row = csv::ByteRecord::new();
        let read = self.reader.read_byte_record(&mut row);
        if matches!(read, Ok(false)) {
            self.headers = None;
            return None;
        }
        self.row_index += 1;
        let line = self.row_index + 1;
        let source = format!("{}:{line}", self.name);
        let default_id = if self.qualify_ids {
            source.clone()
        } else {
            (line - 1).to_string()
        };
        match read {
            Ok(_) => Some(csv_row_record(headers, &row, default_id, source)),
            Err(err) => {
                // A row the CSV reader cannot parse is one bad record; an I/O error ends the file.
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    self.headers = None;
                }
                Some(Err(BadRecord {
                    id: default_id,
                    source,
                    error: format!("malformed CSV row: {err}"),
                }))
            }
        }
    }
}

fn csv_row_record(
    headers: &[String],
    row: &csv::ByteRecord,
    default_id: String,
    source: String,
) -> Result<Record, BadRecord> {
    let mut object = serde_json::Map::new();
    let mut failure = None;
    for (header, field) in headers.iter().zip(row.iter()) {
        if !CSV_COLUMNS.contains(&header.as_str()) || field.is_empty() {
            continue;
        }
        if field.len() > MAX_ANSWER_BYTES {
            failure = Some(format!(
                "the `{header}` field is {} bytes; the limit is {MAX_ANSWER_BYTES}",
                field.len()
            ));
            break;
        }
        match std::str::from_utf8(field) {
            Ok(text) => {
                object.insert(header.clone(), serde_json::Value::String(text.to_string()));
            }
            Err(err) => {
                failure = Some(format!(
                    "the `{header}` field is not valid UTF-8 (first bad byte at offset {}); save the file as UTF-8",
                    err.valid_up_to()
                ));
                break;
            }
        }
    }
    let id = object
        .get("id")
        .and_then(|id| id.as_str())
        .map(str::to_string);
    match failure {
        Some(error) => Err(BadRecord {
            id: id.unwrap_or(default_id),
            source,
            error,
        }),
        None => record_from_json(
            serde_json::Value::Object(object),
            &default_id,
            source.clone(),
        )
        .map_err(|error| BadRecord {
            id: id.unwrap_or(default_id),
            source,
            error: error.to_string(),
        }),
    }
}

fn collect_answer_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_answer_files(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md"))
        {
            files.push(path);
        }
    }
    Ok(())
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
fn directory_records(
    dir: PathBuf,
    bank_ids: Vec<String>,
    qualify_ids: bool,
) -> Box<dyn Iterator<Item = Result<Record, BadRecord>> + Send> {
    let mut files = Vec::new();
    if let Err(err) = collect_answer_files(&dir, &mut files) {
        return Box::new(std::iter::once(Err(file_error(
            &dir,
            &format!("cannot read the directory: {err}"),
        ))));
    }
    Box::new(
        files
            .into_iter()
            .map(move |path| answer_file_record(&dir, &path, &bank_ids, qualify_ids)),
    )
}

fn answer_file_record(
    dir: &Path,
    path: &Path,
    bank_ids: &[String],
    qualify_ids: bool,
) -> Result<Record, BadRecord> {
    let source = path.display().to_string();
    let id = if qualify_ids {
        source.clone()
    } else {
        path.strip_prefix(dir).unwrap_or(path).display().to_string()
    };
    let bad = |error: String| BadRecord {
        id: id.clone(),
        source: source.clone(),
        error,
    };
    let size = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    if size > MAX_ANSWER_BYTES as u64 + 4096 {
        return Err(bad(format!(
            "the file is {size} bytes; answers are limited to {MAX_ANSWER_BYTES} bytes"
        )));
    }
    let bytes = std::fs::read(path).map_err(|err| bad(format!("cannot read: {err}")))?;
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
    let text = crate::record::strip_bom(&text);
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
    use super::question_of_file;

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
}
