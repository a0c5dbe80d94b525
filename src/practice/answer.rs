//! Turning what the user typed into answer text: lines typed at the terminal up to a lone
//! `.` or end of input, or an editor file with its `#` comment lines removed.

use std::io::BufRead;

use crate::bank::Question;

/// The line that ends a typed answer.
pub const END_MARKER: &str = ".";

/// How a typed answer was finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerEnd {
    /// A line holding only `.`.
    Marker,
    /// End of input (Ctrl-D at a terminal).
    EndOfInput,
}

/// The raw bytes of a typed answer (checked for UTF-8 by the caller, who can name the
/// source) and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedAnswer {
    pub bytes: Vec<u8>,
    pub end: AnswerEnd,
}

/// Reads answer lines until a line holding only `.` (an empty line before it is fine) or
/// end of input; `before_line` runs before each line is read, to draw a prompt.
///
/// A lone `.` ends the answer because it never occurs in prose, so a blank line alone can
/// still separate paragraphs. A last line without a newline means Ctrl-D was pressed
/// mid-line: the terminal delivered what was typed, and the answer ends there rather than
/// waiting for a second Ctrl-D.
pub fn read_typed_answer(
    input: &mut impl BufRead,
    mut before_line: impl FnMut(),
) -> std::io::Result<TypedAnswer> {
    let mut bytes = Vec::new();
    let mut line = Vec::new();
    loop {
        before_line();
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(TypedAnswer {
                bytes,
                end: AnswerEnd::EndOfInput,
            });
        }
        let complete = line.ends_with(b"\n");
        if line.trim_ascii() == END_MARKER.as_bytes() {
            return Ok(TypedAnswer {
                bytes,
                end: AnswerEnd::Marker,
            });
        }
        bytes.extend_from_slice(&line);
        if !complete {
            return Ok(TypedAnswer {
                bytes,
                end: AnswerEnd::EndOfInput,
            });
        }
    }
}

/// The answer as graded and stored: trailing blank lines and spaces dropped.
pub fn tidy(text: &str) -> String {
    text.trim_end().to_string()
}

/// Whether `answer` is an attempt at all: an answer with nothing but white space is not
/// graded or recorded, so it cannot move the last score, the trend or `--weakest`.
pub fn is_attempt(answer: &str) -> bool {
    !answer.trim().is_empty()
}

/// The file an editor opens: the question as comment lines, then room for the answer.
pub fn editor_template(question: &Question) -> String {
    let mut out = format!("# {}\n", question.heading());
    for line in question.question.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    out.push_str("#\n# Write your answer below. Lines starting with # are ignored.\n");
    out.push_str("# Save and close the editor to grade it.\n\n");
    out
}

/// The answer in an edited template: every line starting with `#` removed.
pub fn strip_editor_comments(text: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    tidy(kept.join("\n").trim_start_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> (String, AnswerEnd, usize) {
        let mut prompts = 0;
        let typed = read_typed_answer(&mut input.as_bytes(), || prompts += 1).unwrap();
        (String::from_utf8(typed.bytes).unwrap(), typed.end, prompts)
    }

    #[test]
    fn a_lone_dot_ends_the_answer_and_later_input_is_left_unread() {
        let mut input = "first line\n\nsecond paragraph.\n\n.\nn\n".as_bytes();
        let typed = read_typed_answer(&mut input, || {}).unwrap();
        assert_eq!(typed.end, AnswerEnd::Marker);
        assert_eq!(typed.bytes, b"first line\n\nsecond paragraph.\n\n");
        assert_eq!(input, b"n\n", "the menu choice stays for the next read");
    }

    #[test]
    fn a_dot_inside_a_line_does_not_end_the_answer() {
        let (text, end, prompts) = read("Use PSI.\n . \n");
        assert_eq!(
            (text.as_str(), end, prompts),
            ("Use PSI.\n", AnswerEnd::Marker, 2)
        );
        let (text, end, _) = read("...\n.x\n");
        assert_eq!((text.as_str(), end), ("...\n.x\n", AnswerEnd::EndOfInput));
    }

    #[test]
    fn end_of_input_ends_the_answer_even_mid_line() {
        assert_eq!(
            read("one\ntwo"),
            ("one\ntwo".to_string(), AnswerEnd::EndOfInput, 2)
        );
        assert_eq!(read(""), (String::new(), AnswerEnd::EndOfInput, 1));
    }

    #[test]
    fn only_an_answer_with_text_is_an_attempt() {
        assert!(is_attempt("I would shard."));
        for blank in ["", "\n\n", " \t\r\n"] {
            assert!(!is_attempt(blank), "{blank:?}");
        }
    }

    #[test]
    fn editor_comments_are_removed_and_blank_edges_trimmed() {
        let text = "# Question\n# more\n\nI would shard.\n  # indented stays\n\n";
        assert_eq!(
            strip_editor_comments(text),
            "I would shard.\n  # indented stays"
        );
    }
}
