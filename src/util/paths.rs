//! The user's cache and data folders (XDG), and writing files so that readers never see half of one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// `$HOME`; without one (a bare service or container), a per-user folder in the system's
/// temporary directory, never the working directory, where caches and history would
/// litter whatever folder the command ran in.
fn home() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home),
        _ => std::env::temp_dir().join(format!("mockgrade-{}", user_id())),
    }
}

#[cfg(unix)]
fn user_id() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

#[cfg(not(unix))]
fn user_id() -> u32 {
    0
}

fn xdg(var: &str, fallback: &[&str]) -> PathBuf {
    match std::env::var_os(var) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => fallback.iter().fold(home(), |path, part| path.join(part)),
    }
    .join("mockgrade")
}

/// `${XDG_CACHE_HOME:-~/.cache}/mockgrade`
pub fn cache_dir() -> PathBuf {
    xdg("XDG_CACHE_HOME", &[".cache"])
}

/// `${XDG_DATA_HOME:-~/.local/share}/mockgrade`
pub fn data_dir() -> PathBuf {
    xdg("XDG_DATA_HOME", &[".local", "share"])
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place,
/// so a reader or a concurrent writer sees the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let unique = NEXT.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{}.{unique}.tmp", std::process::id()));
    let result = (|| {
        // A new file only: a link planted at the temporary name is never written through.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
