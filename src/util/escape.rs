//! User text (ids, candidate names, folder names, bank text, answers) made inert for the
//! format it is written into: HTML, Markdown, where HTML passes through and a newline can start a
//! heading, and CSV, where a spreadsheet runs a cell that starts like a formula. Both go
//! through [`visible`] first, so an escape sequence or a hidden character never acts either.

use super::visible::visible;

/// Text safe anywhere inside one line of Markdown: a table cell, a heading, a list item.
///
/// HTML is written as entities, so `<script>` and `<img onerror>` show as text; the
/// characters that open emphasis, code, links and tables are backslash-escaped, so a
/// `[x](javascript:…)` is no link; line breaks and tabs become spaces, so the text cannot
/// leave its line to forge a heading or end a table.
pub fn markdown(text: &str) -> String {
    let shown = visible(text);
    let mut escaped = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        match c {
            '\n' | '\t' => escaped.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '~' | '!' | '#' => {
                escaped.push('\\');
                escaped.push(c);
            }
            // An apostrophe is plain text in Markdown; only HTML attributes need it escaped.
            c => match html_entity(c).filter(|_| c != '\'') {
                Some(entity) => escaped.push_str(entity),
                None => escaped.push(c),
            },
        }
    }
    escaped
}

/// Text safe inside HTML and its attribute values, with control characters shown visibly.
pub fn html(text: &str) -> String {
    let shown = visible(text);
    let mut escaped = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        match html_entity(c) {
            Some(entity) => escaped.push_str(entity),
            None => escaped.push(c),
        }
    }
    escaped
}

/// The entity for a character HTML would read as markup.
fn html_entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    }
}

/// The first characters OWASP lists as starting a spreadsheet formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV field that a spreadsheet shows as text: one that would start a formula gets a
/// leading `'`, as OWASP recommends against CSV injection (the CSV writer adds the quotes
/// and doubles inner ones). Hidden characters are then shown as [`visible`] shows them.
pub fn csv_field(text: &str) -> String {
    let shown = visible(text);
    if text.starts_with(FORMULA_STARTS) {
        format!("'{shown}")
    } else {
        shown.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_turns_html_links_and_line_breaks_into_plain_text() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        assert_eq!(
            markdown("<img src=x onerror=\"alert(1)\">"),
            "&lt;img src=x onerror=&quot;alert\\(1\\)&quot;&gt;"
        );
        assert_eq!(
            markdown("[click](javascript:alert(1))"),
            "\\[click\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(
            markdown("ann\n## forged\r\n| a |"),
            "ann \\#\\# forged␍ \\| a \\|"
        );
        assert_eq!(markdown("a\x1b[2Jb\u{200B}c"), "a␛\\[2Jb&lt;U+200B&gt;c");
        assert_eq!(markdown("plain text, 42% done."), "plain text, 42% done.");
    }

    #[test]
    fn csv_fields_that_start_a_formula_are_quoted_as_text() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let field = format!("{start}HYPERLINK(\"http://x\")");
            let neutral = csv_field(&field);
            assert!(neutral.starts_with('\''), "{field:?} gave {neutral:?}");
        }
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("\r=1"), "'␍=1");
        assert_eq!(csv_field("ann=1"), "ann=1");
        assert_eq!(csv_field("0.5000"), "0.5000");
    }
}
