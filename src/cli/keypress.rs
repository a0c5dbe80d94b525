//! Single keys from the terminal, without waiting for Enter: the practice menu takes its
//! choice as soon as it is pressed. The terminal's mode is restored when the guard drops,
//! which covers every way out: a normal return, an error, and a panic (Ctrl-C arrives as
//! a key while the mode is on, so it cannot kill the process with the terminal left raw).

use std::io::{IsTerminal, Read};

/// What was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    /// Ctrl-C.
    Interrupt,
    /// Ctrl-D, or the end of input.
    End,
}

/// The terminal in non-canonical mode without echo or signals, until dropped.
struct RawMode {
    saved: libc::termios,
}

impl RawMode {
    fn enable() -> std::io::Result<RawMode> {
        // SAFETY: a zeroed termios is a valid buffer for tcgetattr to fill.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: fd 0 is open; `saved` is a valid, writable termios.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut raw = saved;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: `raw` is a valid termios derived from the current one.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restores the attributes read in `enable`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}

/// Reads one key on a terminal; `None` when standard input is not one (the caller then
/// reads a line).
pub fn read_key() -> std::io::Result<Option<Key>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let _raw = RawMode::enable()?;
    let mut byte = [0u8; 1];
    let read = std::io::stdin().read(&mut byte)?;
    Ok(Some(match (read, byte[0]) {
        (0, _) | (_, 0x04) => Key::End,
        (_, 0x03) => Key::Interrupt,
        (_, byte) => Key::Char(char::from(byte)),
    }))
}

/// Whether typed or pasted input is waiting to be read: the lines of a paste are already
/// echoed, so no prompt goes between them.
pub fn input_pending() -> bool {
    let mut poll = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, and a zero timeout: the call only looks.
    unsafe { libc::poll(&mut poll, 1, 0) > 0 && poll.revents & libc::POLLIN != 0 }
}
