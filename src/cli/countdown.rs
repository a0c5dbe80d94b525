//! The `--time` countdown: the time left, drawn in the terminal's top-right corner once a
//! second by a background thread while the user types, and the same figure for the prompt.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mockgrade::practice::{clock, human};

/// Columns the status occupies; fixed so each redraw covers the previous one exactly.
const STATUS_WIDTH: usize = 16;

/// "2:31" while time remains (rounded up, so a 3m limit starts at 3:00), "+0:12" after.
pub fn remaining(elapsed: Duration, limit: Duration) -> String {
    match limit.checked_sub(elapsed) {
        Some(left) if !left.is_zero() => {
            let whole = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            clock(Duration::from_secs(whole))
        }
        _ => format!("+{}", clock(elapsed - limit)),
    }
}

/// The line printed after a timed or untimed answer.
pub fn summary(elapsed: Duration, limit: Option<Duration>) -> String {
    let taken = human(Duration::from_secs(elapsed.as_secs()));
    match limit {
        None => format!("Answered in {taken}."),
        Some(limit) if elapsed <= limit => {
            format!("Answered in {taken}, within the {} limit.", human(limit))
        }
        Some(limit) => format!(
            "Answered in {taken}, {} over the {} limit.",
            human(Duration::from_secs((elapsed - limit).as_secs())),
            human(limit)
        ),
    }
}

/// A running countdown; dropping it stops the thread and erases the status.
pub struct Countdown {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Countdown {
    /// Starts drawing, or returns `None` where cursor movement cannot be trusted: output
    /// not a terminal, or TERM=dumb.
    pub fn start(started: Instant, limit: Duration) -> Option<Countdown> {
        use std::io::IsTerminal;
        let dumb = std::env::var("TERM").is_ok_and(|term| term == "dumb");
        if !std::io::stdout().is_terminal() || dumb {
            return None;
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || loop {
            let elapsed = started.elapsed();
            let text = if elapsed < limit {
                format!("{} left", remaining(elapsed, limit))
            } else {
                "time is up".to_string()
            };
            draw(&text);
            // Wake on the next whole second of the countdown, or at once when stopped.
            let to_next_second =
                Duration::from_nanos(1_000_000_000 - u64::from(elapsed.subsec_nanos()));
            match stopped.recv_timeout(to_next_second) {
                Err(RecvTimeoutError::Timeout) => continue,
                _ => return,
            }
        });
        Some(Countdown {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Countdown {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        draw("");
    }
}

/// Writes `text` right-aligned on the first screen row and puts the cursor back where the
/// user is typing. One write of save-cursor, move, text, restore-cursor, so it cannot
/// interleave with the prompt; the typed line itself lives in the terminal driver and is
/// unaffected.
fn draw(text: &str) {
    let cell = format!("{text:>width$} ", width = STATUS_WIDTH - 1);
    let sequence = format!("\x1b7\x1b[1;999H\x1b[{}D{cell}\x1b8", STATUS_WIDTH - 1);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(sequence.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds)
    }

    #[test]
    fn remaining_rounds_up_and_counts_past_the_limit() {
        assert_eq!(remaining(secs(0.0), secs(180.0)), "3:00");
        assert_eq!(remaining(secs(0.2), secs(180.0)), "3:00");
        assert_eq!(remaining(secs(29.5), secs(180.0)), "2:31");
        assert_eq!(remaining(secs(180.0), secs(180.0)), "+0:00");
        assert_eq!(remaining(secs(192.7), secs(180.0)), "+0:12");
    }

    #[test]
    fn summary_says_whether_the_limit_was_kept() {
        assert_eq!(summary(secs(65.4), None), "Answered in 1m5s.");
        assert_eq!(
            summary(secs(100.0), Some(secs(180.0))),
            "Answered in 1m40s, within the 3m limit."
        );
        assert_eq!(
            summary(secs(200.0), Some(secs(180.0))),
            "Answered in 3m20s, 20s over the 3m limit."
        );
    }
}
