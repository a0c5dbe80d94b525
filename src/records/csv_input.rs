//! CSV inputs: a header naming the columns, then one answer per row, streamed a row at a
//! time; a row that cannot be read is one bad record.

use std::path::Path;

use crate::records::jsonl::BadRecord;
use crate::records::record::{default_id, record_from_json, Record};
use crate::util::limited_read::MAX_ANSWER_BYTES;

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
pub(super) struct CsvRecords<R: std::io::Read> {
    reader: csv::Reader<R>,
    name: String,
    /// Lower-cased header names, or `None` once the header failed (reported as one record).
    headers: Option<Vec<String>>,
    header_error: Option<BadRecord>,
    row_index: usize,
    qualify_ids: bool,
}

impl<R: std::io::Read> CsvRecords<R> {
    pub(super) fn new(source: R, path: &Path, qualify_ids: bool) -> CsvRecords<R> {
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
                    let error = BadRecord::whole_file(
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
                Some(BadRecord::whole_file(
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
        let default_id = default_id(&self.name, line, self.qualify_ids);
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
