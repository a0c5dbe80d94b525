//! Output files written safely. A file is never written through a symbolic link at its
//! final name: anyone who can write the output folder could otherwise point a run's
//! output (its lock, its results) at another file and have the run overwrite it. Folders
//! are created with errors that say which part of the path is in the way.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::paths::write_atomic;

/// Why a path cannot take output. It travels inside an `io::Error`, so every stage's
/// error type that holds one tells the user the real reason.
#[derive(Debug, Error)]
pub enum Refused {
    #[error("it is a symbolic link to {}, and mockgrade does not write through links: remove the link, or choose another path", .0.display())]
    Link(PathBuf),
    #[error("{} is a symbolic link to {}, which does not exist: create that folder, or choose another path", .link.display(), .target.display())]
    DanglingLink { link: PathBuf, target: PathBuf },
    #[error("{} is a file, not a folder: choose another path", .0.display())]
    NotAFolder(PathBuf),
    #[error("it is a folder: name a file in it instead")]
    Folder,
}

/// An output file that cannot be written; `source` says why.
#[derive(Debug, Error)]
#[error("cannot write {}", .path.display())]
pub struct OutputError {
    pub path: PathBuf,
    pub source: io::Error,
}

fn refused(reason: Refused) -> io::Error {
    io::Error::other(reason)
}

/// Opens `path` with `options`, refusing a symbolic link at the final name (`O_NOFOLLOW`).
pub fn open_no_follow(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    options.custom_flags(libc::O_NOFOLLOW);
    options.open(path).map_err(|err| {
        // ELOOP is also a loop among the folders above; only a link at the name is ours.
        match (err.raw_os_error(), std::fs::read_link(path)) {
            (Some(libc::ELOOP), Ok(target)) => refused(Refused::Link(target)),
            _ => err,
        }
    })
}

/// Creates `dir` and the folders above it, saying which part is a file or a link to
/// nowhere instead of the bare "File exists" or "Not a directory" of the system call.
pub fn create_dir_for_output(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() && std::fs::metadata(dir).is_err() {
            return Err(refused(Refused::DanglingLink {
                link: dir.to_path_buf(),
                target: std::fs::read_link(dir)?,
            }));
        }
    }
    for ancestor in dir.ancestors().filter(|path| !path.as_os_str().is_empty()) {
        if let Ok(meta) = std::fs::metadata(ancestor) {
            if meta.is_dir() {
                break;
            }
            return Err(refused(Refused::NotAFolder(ancestor.to_path_buf())));
        }
    }
    std::fs::create_dir_all(dir)
}

/// Checks that `path` can take an output file before any work goes into its content: its
/// folder exists (it is created) and takes a new file, and the name is neither a folder
/// nor a symbolic link.
pub fn check_output(path: &Path) -> Result<(), OutputError> {
    let error = |source| OutputError {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    create_dir_for_output(dir).map_err(error)?;
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(path).map_err(error)?;
            return Err(error(refused(Refused::Link(target))));
        }
        if meta.is_dir() {
            return Err(error(refused(Refused::Folder)));
        }
    }
    // A folder can exist and still refuse a new file (its permissions, a read-only mount).
    let probe = dir.join(format!(".mockgrade-probe.{}", std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    let created = match open_no_follow(&mut options, &probe) {
        // Left by a killed run that had this process id; no live process has it.
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&probe);
            open_no_follow(&mut options, &probe)
        }
        other => other,
    };
    created.map_err(error)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Writes a whole output file atomically (see `write_atomic`), after `check_output`.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    check_output(path)?;
    write_atomic(path, bytes).map_err(|source| OutputError {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<(), OutputError>) -> String {
        let err = result.unwrap_err();
        format!("{err}: {}", err.source)
    }

    #[test]
    fn a_link_at_the_name_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("out.lock");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        let err = open_no_follow(&mut options, &link).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("it is a symbolic link to {}, and mockgrade does not write through links: remove the link, or choose another path", target.display())
        );
        assert!(message(write_output(&link, b"new")).starts_with(&format!(
            "cannot write {}: it is a symbolic link to",
            link.display()
        )));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }

    #[test]
    fn a_path_below_a_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "").unwrap();
        let below = file.join("deeper/out.toml");
        assert_eq!(
            message(check_output(&below)),
            format!(
                "cannot write {}: {} is a file, not a folder: choose another path",
                below.display(),
                file.display()
            )
        );
    }

    #[test]
    fn a_link_to_nowhere_is_not_a_folder_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("gone"), &link).unwrap();
        let err = create_dir_for_output(&link).unwrap_err().to_string();
        assert!(
            err.ends_with("gone, which does not exist: create that folder, or choose another path"),
            "{err}"
        );
    }

    #[test]
    fn a_folder_at_the_name_is_refused_and_a_new_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("report.html");
        std::fs::create_dir(&taken).unwrap();
        assert_eq!(
            message(write_output(&taken, b"x")),
            format!(
                "cannot write {}: it is a folder: name a file in it instead",
                taken.display()
            )
        );
        let fresh = dir.path().join("new/report.html");
        write_output(&fresh, b"x").unwrap();
        assert_eq!(std::fs::read(&fresh).unwrap(), b"x");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("new")).unwrap().collect();
        assert_eq!(left.len(), 1, "no probe or temporary file is left behind");
        let stale = dir
            .path()
            .join(format!("new/.mockgrade-probe.{}", std::process::id()));
        std::fs::write(&stale, "").unwrap();
        check_output(&fresh).expect("a probe left by a killed run is no obstacle");
        assert!(!stale.exists());
    }
}
