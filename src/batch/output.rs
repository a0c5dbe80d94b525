//! `results.jsonl`: one line per record, appended and flushed per chunk, and read back for
//! `--resume`, summaries and `merge`.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::util::output_file::open_no_follow;

/// A graded record: the report plus where it came from.
#[derive(Serialize)]
pub struct GradedLine<'a> {
    pub id: &'a str,
    pub candidate: Option<&'a str>,
    pub source: &'a str,
    #[serde(flatten)]
    pub report: &'a Report,
}

/// A record that could not be graded.
#[derive(Serialize)]
pub struct ErrorLine<'a> {
    pub id: &'a str,
    pub candidate: Option<&'a str>,
    pub source: &'a str,
    pub question_id: Option<&'a str>,
    pub error: &'a str,
}

/// The fields summaries need, read back from either kind of line.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ResultRow {
    pub id: String,
    pub candidate: Option<String>,
    pub source: String,
    pub question_id: Option<String>,
    pub coverage: Option<f64>,
    pub precision: Option<f64>,
    pub f1: Option<f64>,
    #[serde(default)]
    pub missed: Vec<String>,
    pub error: Option<String>,
}

/// Appends result lines to `results.jsonl`.
pub struct ResultsWriter {
    file: File,
}

impl ResultsWriter {
    /// Opens for appending, after cutting off a last line left incomplete by a crash, so
    /// every line in the file is whole.
    pub fn open(path: &Path) -> std::io::Result<ResultsWriter> {
        if let Ok(bytes) = std::fs::read(path) {
            let whole = bytes
                .iter()
                .rposition(|&byte| byte == b'\n')
                .map_or(0, |at| at + 1);
            if whole < bytes.len() {
                let file = open_no_follow(OpenOptions::new().write(true), path)?;
                file.set_len(whole as u64)?;
            }
        }
        let file = open_no_follow(OpenOptions::new().create(true).append(true), path)?;
        Ok(ResultsWriter { file })
    }

    /// Writes a chunk of lines in one call and flushes it to disk.
    pub fn append(&mut self, lines: &[String]) -> std::io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut buffer = String::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
        for line in lines {
            buffer.push_str(line);
            buffer.push('\n');
        }
        self.file.write_all(buffer.as_bytes())?;
        self.file.sync_data()
    }
}

/// Every whole line of a results file, parsed; unparseable lines are skipped with their number.
pub fn read_results(path: &Path) -> std::io::Result<(Vec<ResultRow>, Vec<usize>)> {
    let reader = BufReader::new(File::open(path)?);
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (index, line) in reader.split(b'\n').enumerate() {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<ResultRow>(&line) {
            Ok(row) => rows.push(row),
            Err(_) => bad.push(index + 1),
        }
    }
    Ok((rows, bad))
}

/// Ids already in a results file, for `--resume`, and the numbers of its whole lines that
/// are not result lines. A last line without its newline is a write cut short by a killed
/// run, not damage: it is left out of both.
pub fn done_ids(path: &Path) -> std::io::Result<(HashSet<String>, Vec<usize>)> {
    if !path.exists() {
        return Ok((HashSet::new(), Vec::new()));
    }
    let bytes = std::fs::read(path)?;
    let whole = bytes
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |at| at + 1);
    #[derive(Deserialize)]
    struct IdOnly {
        id: String,
    }
    let mut ids = HashSet::new();
    let mut damaged = Vec::new();
    if whole == 0 {
        return Ok((ids, damaged));
    }
    for (index, line) in bytes[..whole - 1].split(|&byte| byte == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<IdOnly>(line) {
            Ok(row) => {
                ids.insert(row.id);
            }
            Err(_) => damaged.push(index + 1),
        }
    }
    Ok((ids, damaged))
}
