//! Text from answers, banks and flags made safe to print on a terminal: control characters
//! (an escape sequence that sets the window title or clears the screen) and the Unicode
//! controls that reorder text are shown as visible symbols instead of acting. JSON output
//! never goes through here; it stays exact.

use std::borrow::Cow;

/// Whether `c` would act on a terminal rather than print, or print as nothing: C0 and C1
/// controls other than newline and tab, DEL, the bidirectional marks, overrides and
/// isolates, and the zero-width characters that make "2\u{200B}" read as "2".
pub fn is_hidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{180E}'
                | '\u{00AD}'
        )
}

/// `text` with each hidden control replaced: C0 controls by their Control Pictures symbol
/// (ESC becomes "␛"), DEL by "␡", others by `<U+XXXX>`. Newlines and tabs are kept.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !is_hidden_control(c) => shown.push(c),
            '\u{0}'..='\u{1F}' => {
                shown.push(char::from_u32(0x2400 + c as u32).expect("Control Pictures block"))
            }
            '\u{7F}' => shown.push('␡'),
            c => shown.push_str(&format!("<U+{:04X}>", c as u32)),
        }
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_print_as_symbols_and_plain_text_is_untouched() {
        assert_eq!(visible("a\x1b]0;pwned\x07b\x1b[2J"), "a␛]0;pwned␇b␛[2J");
        assert_eq!(visible("line\nnext\ttab"), "line\nnext\ttab");
        assert!(matches!(visible("plain ✓ text"), Cow::Borrowed(_)));
        assert_eq!(visible("\r\x7f\u{9b}31m"), "␍␡<U+009B>31m");
        assert_eq!(visible("abc\u{202E}cba"), "abc<U+202E>cba");
        assert_eq!(
            visible("2\u{200B}\u{200D}\u{2060}\u{FEFF}"),
            "2<U+200B><U+200D><U+2060><U+FEFF>"
        );
    }
}
