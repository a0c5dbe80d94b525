//! The `--time` value: a duration written as `90s`, `3m`, `2m30s` or `1h`.

use std::time::Duration;

use thiserror::Error;

/// Time limits longer than this are surely typos (`--time 300m` for `300s`).
const MAX_SECONDS: u64 = 24 * 3600;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum TimeLimitError {
    #[error("'{0}' is not a duration: write it like 90s, 3m, 2m30s or 1h")]
    Malformed(String),
    #[error("the time limit must be more than zero seconds")]
    Zero,
    #[error("'{0}' is longer than 24 hours; write it like 90s, 3m or 2m30s")]
    TooLong(String),
}

/// Parses a duration made of number-unit pairs (`h`, `m`, `s`), largest unit first, each
/// unit at most once; a bare number means seconds.
pub fn parse_time_limit(text: &str) -> Result<Duration, TimeLimitError> {
    let malformed = || TimeLimitError::Malformed(text.to_string());
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(malformed());
    }
    if trimmed.bytes().all(|byte| byte.is_ascii_digit()) {
        return checked(trimmed.parse().map_err(|_| malformed())?, text);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    // Units must appear in this order, each once: the index of the last unit used.
    let mut last_unit: Option<usize> = None;
    for character in trimmed.chars() {
        if character.is_ascii_digit() {
            digits.push(character);
            continue;
        }
        let (rank, seconds_per_unit) = match character.to_ascii_lowercase() {
            'h' => (0, 3600),
            'm' => (1, 60),
            's' => (2, 1),
            _ => return Err(malformed()),
        };
        if digits.is_empty() || last_unit.is_some_and(|last| rank <= last) {
            return Err(malformed());
        }
        let amount: u64 = digits.parse().map_err(|_| malformed())?;
        total = amount
            .checked_mul(seconds_per_unit)
            .and_then(|seconds| total.checked_add(seconds))
            .ok_or_else(|| TimeLimitError::TooLong(text.to_string()))?;
        digits.clear();
        last_unit = Some(rank);
    }
    if !digits.is_empty() {
        return Err(malformed());
    }
    checked(total, text)
}

fn checked(seconds: u64, text: &str) -> Result<Duration, TimeLimitError> {
    match seconds {
        0 => Err(TimeLimitError::Zero),
        seconds if seconds > MAX_SECONDS => Err(TimeLimitError::TooLong(text.to_string())),
        seconds => Ok(Duration::from_secs(seconds)),
    }
}

/// `m:ss` (or `h:mm:ss`), as a countdown shows it.
pub fn clock(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 3600 {
        format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        )
    } else {
        format!("{}:{:02}", seconds / 60, seconds % 60)
    }
}

/// `2m30s`, `45s`, `1h5m`: the way `--time` is written.
pub fn human(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = String::new();
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    if rest > 0 || out.is_empty() {
        out.push_str(&format!("{rest}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str) -> Result<u64, TimeLimitError> {
        parse_time_limit(text).map(|duration| duration.as_secs())
    }

    #[test]
    fn accepts_the_documented_forms() {
        assert_eq!(seconds("90s"), Ok(90));
        assert_eq!(seconds("3m"), Ok(180));
        assert_eq!(seconds("2m30s"), Ok(150));
        assert_eq!(seconds("1h"), Ok(3600));
        assert_eq!(seconds("1h5m"), Ok(3900));
        assert_eq!(seconds("45"), Ok(45));
        assert_eq!(seconds(" 2M "), Ok(120));
        assert_eq!(seconds("90m"), Ok(5400));
    }

    #[test]
    fn rejects_malformed_durations() {
        for text in [
            "", "m", "3x", "3m30", "30s2m", "1m1m", "-3m", "3.5m", "2 m", "m3",
        ] {
            assert_eq!(
                seconds(text),
                Err(TimeLimitError::Malformed(text.to_string())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn rejects_zero_and_absurd_limits() {
        assert_eq!(seconds("0s"), Err(TimeLimitError::Zero));
        assert_eq!(seconds("0"), Err(TimeLimitError::Zero));
        assert_eq!(seconds("25h"), Err(TimeLimitError::TooLong("25h".into())));
        assert!(matches!(
            seconds("99999999999999999999h"),
            Err(TimeLimitError::Malformed(_) | TimeLimitError::TooLong(_))
        ));
    }

    #[test]
    fn formats_clocks_and_human_durations() {
        assert_eq!(clock(Duration::from_secs(151)), "2:31");
        assert_eq!(clock(Duration::from_secs(9)), "0:09");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
        assert_eq!(human(Duration::from_secs(150)), "2m30s");
        assert_eq!(human(Duration::from_secs(0)), "0s");
        assert_eq!(human(Duration::from_secs(3660)), "1h1m");
    }
}
