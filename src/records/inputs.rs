//! Batch inputs: JSONL files, CSV files, directories of answer files and streams (`-` for
//! standard input, a FIFO, `<(…)`), read as one stream of records in which a bad record is
//! an item, never the end of the stream. Each input is opened once: a stream read twice
//! would give its records to whichever read came first.

use std::path::{Path, PathBuf};

use crate::records::jsonl::{BadRecord, JsonlRecords, STDIN_PATH};
use crate::records::record::Record;

use super::answer_files::{directory_records, walk};
use super::csv_input::CsvRecords;

/// One input the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// JSONL from a file, a stream, or `-` for standard input.
    Jsonl(PathBuf),
    Csv(PathBuf),
    Directory(PathBuf),
}

impl Input {
    /// Classifies a path: `-` (standard input, JSONL), a directory, a `.csv` file, or JSONL
    /// (any other file or stream).
    pub fn from_path(path: &Path) -> std::io::Result<Input> {
        if path == Path::new(STDIN_PATH) {
            return Ok(Input::Jsonl(path.to_path_buf()));
        }
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

    /// A file that can be read twice: once to count its records, once to grade them.
    fn is_rereadable(&self) -> bool {
        match self {
            Input::Directory(_) => true,
            Input::Jsonl(path) | Input::Csv(path) => {
                path != Path::new(STDIN_PATH)
                    && std::fs::metadata(path).is_ok_and(|meta| meta.is_file())
            }
        }
    }
}

/// Streams the records of every input in order. With several inputs, a record without an
/// `id` is named by where it is (`#file:line`, or the answer file's path), so that two inputs
/// cannot both give a record the same default id.
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
                    Err(err) => Box::new(std::iter::once(Err(BadRecord::whole_file(
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
                    Err(err) => Box::new(std::iter::once(Err(BadRecord::whole_file(
                        &path,
                        &format!("cannot read: {err}"),
                    )))),
                },
                Input::Directory(path) => directory_records(path, bank_ids.clone(), qualify_ids),
            }
        },
    )
}

/// Records in the inputs, for a progress total (blank JSONL lines are not counted); `None`
/// when an input is a stream, which cannot be counted without consuming it.
pub fn count_records(inputs: &[Input]) -> Option<u64> {
    if !inputs.iter().all(Input::is_rereadable) {
        return None;
    }
    Some(
        inputs
            .iter()
            .map(|input| match input {
                Input::Jsonl(path) => count_nonblank_lines(path).unwrap_or(1),
                Input::Csv(path) => csv::Reader::from_path(path)
                    .map(|mut reader| reader.byte_records().count() as u64)
                    .unwrap_or(1),
                Input::Directory(path) => walk(path).map_or(1, |found| found.len() as u64),
            })
            .sum(),
    )
}

/// Non-blank lines of a file, read in blocks so that a huge file is never held whole.
fn count_nonblank_lines(path: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut block = vec![0u8; 1 << 16];
    let (mut lines, mut blank) = (0u64, true);
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            return Ok(lines + u64::from(!blank));
        }
        for &byte in &block[..read] {
            if byte == b'\n' {
                lines += u64::from(!blank);
                blank = true;
            } else if !byte.is_ascii_whitespace() {
                blank = false;
            }
        }
    }
}
