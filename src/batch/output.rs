//! `results.jsonl`: one line per record, appended and flushed per chunk, and read back for
//! `--resume`, summaries and `merge`.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::util::atomic_file::AtomicFile;
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
        if path.exists() {
            let whole = whole_length(path)?;
            let file = open_no_follow(OpenOptions::new().write(true), path)?;
            if whole < file.metadata()?.len() {
                file.set_len(whole)?;
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

/// The length of a file up to and including its last newline, read from the end so that
/// a results file of any size costs one block of memory.
fn whole_length(path: &Path) -> std::io::Result<u64> {
    const BLOCK: u64 = 64 * 1024;
    let mut file = File::open(path)?;
    let mut end = file.metadata()?.len();
    let mut block = vec![0; BLOCK as usize];
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let read = &mut block[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(read)?;
        if let Some(at) = read.iter().rposition(|&byte| byte == b'\n') {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// Each whole line of a results file, with its number, read one at a time. A last line
/// without its newline is a write cut short by a killed run, not a line: it is left out.
pub fn for_each_line(
    path: &Path,
    mut visit: impl FnMut(usize, &[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 || line.last() != Some(&b'\n') {
            return Ok(());
        }
        number += 1;
        line.pop();
        if !line.iter().all(u8::is_ascii_whitespace) {
            visit(number, &line)?;
        }
    }
}

/// What `--resume` needs from a results file: the ids graded, and nothing of the reports.
#[derive(Debug, Default)]
pub struct ResultsScan {
    /// Ids with a graded line: done.
    pub graded: HashSet<String>,
    /// The line number and id of each error line: a resumed run grades those records again
    /// and then drops these lines.
    pub error_lines: Vec<(usize, String)>,
    /// Numbers of whole lines that are not result lines.
    pub damaged: Vec<usize>,
}

#[derive(Deserialize)]
struct IdAndError {
    id: String,
    error: Option<serde::de::IgnoredAny>,
}

/// Reads the ids of a results file, one line at a time; an absent file holds none.
pub fn scan_results(path: &Path) -> std::io::Result<ResultsScan> {
    let mut scan = ResultsScan::default();
    if !path.exists() {
        return Ok(scan);
    }
    for_each_line(path, |number, line| {
        match serde_json::from_slice::<IdAndError>(line) {
            Ok(IdAndError { id, error: Some(_) }) => scan.error_lines.push((number, id)),
            Ok(IdAndError { id, error: None }) => {
                scan.graded.insert(id);
            }
            Err(_) => scan.damaged.push(number),
        }
        Ok(())
    })?;
    Ok(scan)
}

/// Rewrites a results file without the lines numbered in `drop` (as [`for_each_line`]
/// numbers them): the error lines of records a resumed run graded again. Streams through a
/// temporary file that replaces the original only once whole.
pub fn drop_lines(path: &Path, drop: &HashSet<usize>) -> std::io::Result<()> {
    let mut kept = AtomicFile::create(path)?;
    for_each_line(path, |number, line| {
        if drop.contains(&number) {
            Ok(())
        } else {
            kept.write_line(line)
        }
    })?;
    kept.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_finds_graded_ids_error_lines_and_damage_and_skips_a_cut_off_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"coverage\":1}\n{\"id\":\"b\",\"error\":\"bad\"}\nnot json\n\n{\"id\":\"c\"",
        )
        .unwrap();
        let scan = scan_results(&path).unwrap();
        assert_eq!(scan.graded, HashSet::from(["a".to_string()]));
        assert_eq!(scan.error_lines, [(2, "b".to_string())]);
        assert_eq!(scan.damaged, [3]);
        assert_eq!(whole_length(&path).unwrap(), 59);

        drop_lines(&path, &HashSet::from([2])).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"id\":\"a\",\"coverage\":1}\nnot json\n"
        );
    }

    #[test]
    fn the_writer_cuts_a_line_left_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let whole = format!("{}\n", "x".repeat(100_000));
        std::fs::write(&path, format!("{whole}{{\"id\": \"cut")).unwrap();
        let mut writer = ResultsWriter::open(&path).unwrap();
        writer.append(&["{\"id\":\"next\"}".to_string()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{whole}{{\"id\":\"next\"}}\n")
        );
    }
}
