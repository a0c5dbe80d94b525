//! Streaming a JSONL file into records, one bad line never stopping the rest, and a line
//! too long to be a record skipped without being read into memory whole.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::records::record::{default_id, parse_jsonl_line_or_name, Record, RecordError};
use crate::util::limited_read::MAX_ANSWER_BYTES;

/// A line longer than this cannot hold an answer within the size limit plus its fields.
pub const MAX_LINE_BYTES: usize = 2 * MAX_ANSWER_BYTES + 64 * 1024;

/// The path that names standard input.
pub const STDIN_PATH: &str = "-";

/// How an input is named in record sources (`stdin:3`): `stdin` for `-`, else its path.
fn source_name(path: &Path) -> String {
    if path == Path::new(STDIN_PATH) {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

/// A record that could not be read, with where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRecord {
    /// The record's id when it could be read, else its line number.
    pub id: String,
    pub source: String,
    pub error: String,
}

impl BadRecord {
    /// A problem with a whole input file or directory entry: the path is its id and source.
    pub fn whole_file(path: &Path, error: &str) -> BadRecord {
        BadRecord {
            id: path.display().to_string(),
            source: path.display().to_string(),
            error: error.to_string(),
        }
    }
}

/// Reads one line into `line`, up to `limit` bytes; returns (bytes consumed, whether the
/// line was longer than the limit). The rest of an overlong line is skipped.
pub fn read_capped_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    line.clear();
    let mut consumed = 0;
    let mut overlong = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((consumed, overlong));
        }
        let (chunk, done) = match buffer.iter().position(|&byte| byte == b'\n') {
            Some(at) => (&buffer[..=at], true),
            None => (buffer, false),
        };
        if !overlong {
            if line.len() + chunk.len() > limit {
                overlong = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let length = chunk.len();
        reader.consume(length);
        consumed += length;
        if done {
            return Ok((consumed, overlong));
        }
    }
}

/// Iterates over the records of a JSONL file; blank lines are skipped.
pub struct JsonlRecords {
    reader: BufReader<Box<dyn Read + Send>>,
    name: String,
    line_number: usize,
    line: Vec<u8>,
    done: bool,
    qualify_ids: bool,
}

impl JsonlRecords {
    /// Opens a file, a stream such as a FIFO, or `-` for standard input; each is read once.
    pub fn open(path: &Path) -> std::io::Result<JsonlRecords> {
        let source: Box<dyn Read + Send> = if path == Path::new(STDIN_PATH) {
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(path)?)
        };
        Ok(JsonlRecords {
            reader: BufReader::with_capacity(1 << 16, source),
            name: source_name(path),
            line_number: 0,
            line: Vec::new(),
            done: false,
            qualify_ids: false,
        })
    }

    /// Names records without an `id` by `file:line` instead of the bare line number, so that
    /// several inputs read in one run cannot give two records the same id.
    pub fn qualify_ids(mut self, qualify: bool) -> JsonlRecords {
        self.qualify_ids = qualify;
        self
    }

    fn default_id(&self) -> String {
        default_id(&self.name, self.line_number, self.qualify_ids)
    }
}

impl Iterator for JsonlRecords {
    type Item = Result<Record, BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let (consumed, overlong) =
                match read_capped_line(&mut self.reader, &mut self.line, MAX_LINE_BYTES) {
                    Ok(read) => read,
                    Err(err) => {
                        self.line_number += 1;
                        let bad = BadRecord {
                            id: self.default_id(),
                            source: format!("{}:{}", self.name, self.line_number),
                            error: format!("read error: {err}"),
                        };
                        // An I/O error ends the file: report it once, then stop.
                        self.done = true;
                        return Some(Err(bad));
                    }
                };
            if consumed == 0 {
                return None;
            }
            self.line_number += 1;
            let source = format!("{}:{}", self.name, self.line_number);
            if overlong {
                return Some(Err(BadRecord {
                    id: self.default_id(),
                    source,
                    error: format!("the line is longer than {MAX_LINE_BYTES} bytes; answers are limited to {MAX_ANSWER_BYTES} bytes"),
                }));
            }
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let default_id = self.default_id();
            return Some(
                parse_jsonl_line_or_name(
                    trim_newline(&self.line),
                    &self.name,
                    self.line_number,
                    &default_id,
                )
                .map_err(|error| BadRecord {
                    id: id_of_bad_line(&self.line).unwrap_or(default_id),
                    source,
                    error: error.to_string(),
                }),
            );
        }
    }
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Best effort: the `id` of a line that parses as JSON but is not a valid record.
fn id_of_bad_line(line: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(line).ok()?;
    match value.get("id")? {
        serde_json::Value::String(id) => Some(id.clone()),
        serde_json::Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// Reads every record of a JSONL file.
pub fn read_jsonl(path: &Path) -> std::io::Result<Vec<Result<Record, BadRecord>>> {
    Ok(JsonlRecords::open(path)?.collect())
}

impl From<(String, String, RecordError)> for BadRecord {
    fn from((id, source, error): (String, String, RecordError)) -> Self {
        BadRecord {
            id,
            source,
            error: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_lines_are_skipped_and_the_next_line_is_read() {
        let mut input = vec![b'x'; 100];
        input.extend_from_slice(b"\nshort\n");
        let mut reader = std::io::Cursor::new(input);
        let mut line = Vec::new();
        assert_eq!(
            read_capped_line(&mut reader, &mut line, 10).unwrap(),
            (101, true)
        );
        assert_eq!(
            read_capped_line(&mut reader, &mut line, 10).unwrap(),
            (6, false)
        );
        assert_eq!(line, b"short\n");
        assert_eq!(
            read_capped_line(&mut reader, &mut line, 10).unwrap(),
            (0, false)
        );
    }
}
