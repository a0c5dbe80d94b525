//! Getting one answer from the user at the terminal: typed at a prompt (with the optional
//! countdown) or written in $VISUAL/$EDITOR; returns the text and the time it took.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use mockgrade::bank::Question;
use mockgrade::practice::{
    editor_template, read_typed_answer, strip_editor_comments, tidy, AnswerEnd,
};

use super::countdown::Countdown;
use super::input::text_from_bytes;
use super::keypress::input_pending;
use super::UsageError;

/// An answer and how long the user took over it.
pub struct Entry {
    pub text: String,
    pub elapsed: Duration,
}

/// Reads lines typed at the prompt until a lone "." or Ctrl-D.
pub fn type_answer(limit: Option<Duration>) -> Result<Entry> {
    let started = Instant::now();
    let countdown = limit.and_then(|limit| Countdown::start(started, limit));
    // The prompt is drawn inside the reader's callback, which cannot return an error.
    let mut prompt_error = None;
    let typed = read_typed_answer(&mut std::io::stdin().lock(), || {
        // The lines of a paste are echoed together; a prompt between them would land inside
        // the pasted text.
        if input_pending() {
            return;
        }
        // The time left shows live at the top right; a time in the prompt would freeze while
        // the line is typed, so the prompt only says when the time is up.
        let prompt = if limit.is_some_and(|limit| started.elapsed() >= limit) {
            out!("[time is up] > ")
        } else {
            out!("> ")
        };
        if let Err(err) = prompt {
            prompt_error.get_or_insert(err);
        }
    })
    .context("cannot read the answer from standard input")?;
    if let Some(err) = prompt_error {
        return Err(err.into());
    }
    let elapsed = started.elapsed();
    drop(countdown);
    if typed.end == AnswerEnd::EndOfInput {
        // Ctrl-D leaves the cursor on the prompt line.
        outln!()?;
    }
    let text = text_from_bytes(typed.bytes, "standard input")?;
    Ok(Entry {
        text: tidy(&text),
        elapsed,
    })
}

/// `$VISUAL` or `$EDITOR`, whichever is set first, with its name.
pub fn editor_command() -> Option<(&'static str, String)> {
    ["VISUAL", "EDITOR"].iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|value| !value.trim().is_empty())
            .map(|value| (*name, value))
    })
}

/// Opens the user's editor on a private temporary file holding the question as comments,
/// and `previous` (an earlier answer, on a retry) to edit.
pub fn edit_answer(question: &Question, previous: Option<&str>) -> Result<Entry> {
    let editor = editor_command().ok_or_else(|| {
        UsageError(
            "--editor needs $VISUAL or $EDITOR set to an editor command, e.g. EDITOR=nano".into(),
        )
    })?;
    let mut template = editor_template(question);
    if let Some(previous) = previous {
        template.push_str(previous);
        template.push('\n');
    }
    let file = TempAnswerFile::create(&template)?;
    let started = Instant::now();
    run_editor(&editor, file.path())?;
    let elapsed = started.elapsed();
    let bytes = std::fs::read(file.path())
        .with_context(|| format!("cannot read the edited answer {}", file.path().display()))?;
    let text = text_from_bytes(bytes, &file.path().display().to_string())?;
    Ok(Entry {
        text: strip_editor_comments(&text),
        elapsed,
    })
}

/// Runs `$EDITOR path` through the shell (editor settings often carry flags, like
/// `code --wait`) and waits for it.
fn run_editor((variable, command): &(&str, String), path: &Path) -> Result<()> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("mockgrade-editor")
        .arg(path)
        .spawn()
        .with_context(|| format!("cannot start the editor ${variable}={command}"))?;
    // Ctrl-C inside the editor (a habit in vim) also reaches this process; like git, ignore
    // it while the editor runs rather than die and leave the editor on a shared terminal.
    // Done after spawning so the editor itself keeps the default handlers.
    let status = {
        let _ignored = IgnoreInterrupts::now();
        child.wait()
    }
    .with_context(|| format!("lost track of the editor ${variable}={command}"))?;
    if !status.success() {
        anyhow::bail!(
            "the editor ${variable}={command} exited with {status}; the answer was not graded. Check the editor command, or practise without --editor"
        );
    }
    Ok(())
}

/// SIGINT and SIGQUIT ignored until dropped, then restored.
struct IgnoreInterrupts {
    interrupt: libc::sighandler_t,
    quit: libc::sighandler_t,
}

impl IgnoreInterrupts {
    fn now() -> IgnoreInterrupts {
        // SAFETY: signal() only swaps the process-wide disposition; SIG_IGN is always valid,
        // and the previous handlers are put back unchanged on drop.
        unsafe {
            IgnoreInterrupts {
                interrupt: libc::signal(libc::SIGINT, libc::SIG_IGN),
                quit: libc::signal(libc::SIGQUIT, libc::SIG_IGN),
            }
        }
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        // SAFETY: restores the dispositions returned by signal() in `now`.
        unsafe {
            libc::signal(libc::SIGINT, self.interrupt);
            libc::signal(libc::SIGQUIT, self.quit);
        }
    }
}

/// A 0600 file in the temporary folder, removed when dropped: answers are private.
struct TempAnswerFile {
    path: PathBuf,
}

impl TempAnswerFile {
    fn create(contents: &str) -> Result<TempAnswerFile> {
        let dir = std::env::temp_dir();
        let mut attempt = 0u32;
        loop {
            let path = dir.join(format!(
                "mockgrade-answer-{}-{attempt}.txt",
                std::process::id()
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
            {
                Ok(mut file) => {
                    let file_guard = TempAnswerFile { path };
                    file.write_all(contents.as_bytes()).with_context(|| {
                        format!("cannot write {}", file_guard.path.display())
                    })?;
                    return Ok(file_guard);
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!(
                            "cannot create a temporary answer file in {}; set TMPDIR to a writable folder",
                            dir.display()
                        )
                    })
                }
            }
        }
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempAnswerFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
