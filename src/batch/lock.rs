//! One run per output folder: a lock taken on `DIR/.mockgrade.lock` for the whole run, so
//! that two runs never append the same results twice. The lock is the operating system's
//! (released when the process ends, however it ends); the file's text names the holder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use super::BatchError;
use crate::util::output_file::open_no_follow;

const LOCK_FILE: &str = ".mockgrade.lock";

/// Held for as long as the run writes into its folder.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// Takes the folder's lock, or says who holds it.
pub fn lock_output(dir: &Path) -> Result<OutputLock, BatchError> {
    let path = dir.join(LOCK_FILE);
    let io = |source| BatchError::Write {
        path: path.clone(),
        source,
    };
    // The file is never removed: deleting a lock file lets two later runs lock two files.
    // A link at its name is refused: the run would truncate the link's target.
    let mut file = open_no_follow(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
        &path,
    )
    .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = (&file).take(1024).read_to_string(&mut holder);
            return Err(BatchError::Busy {
                dir: dir.to_path_buf(),
                holder: holder_text(&holder),
            });
        }
        Err(TryLockError::Error(source)) => return Err(io(source)),
    }
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    let holder = format!(
        "pid {}, started {}",
        std::process::id(),
        crate::util::clock::now_rfc3339()
    );
    file.write_all(holder.as_bytes()).map_err(io)?;
    Ok(OutputLock { _file: file })
}

fn holder_text(text: &str) -> String {
    match text.trim() {
        "" => "another mockgrade run".to_string(),
        holder => format!("another mockgrade run, {holder}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_folder_is_refused_with_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_output(dir.path()).unwrap();
        let error = lock_output(dir.path()).unwrap_err().to_string();
        let pid = format!("pid {}, started ", std::process::id());
        assert!(error.contains(&pid), "{error}");
        assert!(error.ends_with("; wait for it to finish, or choose another --out"));
        drop(first);
        lock_output(dir.path()).expect("free once the first run ends");
    }

    #[test]
    fn a_lock_file_that_is_a_link_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(LOCK_FILE)).unwrap();
        let error = lock_output(dir.path()).unwrap_err();
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert!(source.starts_with("it is a symbolic link to"), "{source}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }
}
