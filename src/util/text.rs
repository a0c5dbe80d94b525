//! Text as read from a file, before any stage parses it.

/// Text without a leading UTF-8 byte-order mark, which editors on Windows write at the start
/// of a file and which is not part of its content.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_leading_mark_is_dropped() {
        assert_eq!(strip_bom("\u{FEFF}id,answer"), "id,answer");
        assert_eq!(strip_bom("a\u{FEFF}b"), "a\u{FEFF}b");
        assert_eq!(strip_bom(""), "");
    }
}
