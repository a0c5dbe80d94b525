//! A file written in a stream and put in place whole: lines go to a temporary file beside
//! the target, which replaces it by a rename only on [`AtomicFile::commit`]. A reader sees
//! the old file or the new one; a failure or a drop before the commit leaves the old one.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts the temporary file beside `target`; `create_new`, so it never follows or
    /// reuses a path that someone else placed there.
    pub fn create(target: &Path) -> std::io::Result<AtomicFile> {
        let dir = target.parent().unwrap_or_else(|| Path::new("."));
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(".{name}.{}.stream.tmp", std::process::id()));
        let _ = fs::remove_file(&temp);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            writer: Some(BufWriter::new(file)),
        })
    }

    /// Writes `line` and its newline.
    pub fn write_line(&mut self, line: &[u8]) -> std::io::Result<()> {
        let writer = self.writer.as_mut().expect("written before the commit");
        writer.write_all(line)?;
        writer.write_all(b"\n")
    }

    /// Flushes the file to disk and renames it over the target.
    pub fn commit(mut self) -> std::io::Result<()> {
        let writer = self.writer.take().expect("committed once");
        let file = writer.into_inner().map_err(|err| err.into_error())?;
        file.sync_all()?;
        fs::rename(&self.temp, &self.target)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() || self.temp.exists() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_changes_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        fs::write(&target, "old\n").unwrap();
        let mut unfinished = AtomicFile::create(&target).unwrap();
        unfinished.write_line(b"new").unwrap();
        drop(unfinished);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp left");

        let mut finished = AtomicFile::create(&target).unwrap();
        finished.write_line(b"new").unwrap();
        finished.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
    }
}
