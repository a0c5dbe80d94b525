//! Splitting an answer into the sentences and clauses that are matched against expected points,
//! each with its byte span in the original text.

mod clauses;
pub mod keywords;
mod speaker;

use clauses::clauses;
use serde::Serialize;
use speaker::{speaker_label, Speaker};

/// Whether a segment is a whole sentence or a clause cut out of a longer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    Sentence,
    Clause,
}

/// A piece of the answer: `text` is `answer[span.0..span.1]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// Byte offsets into the answer, always on char boundaries.
    pub span: (usize, usize),
    pub kind: SegmentKind,
    /// Index of the sentence this segment is or belongs to.
    pub sentence: usize,
}

/// Words ending in '.' after which a sentence does not end.
const ABBREVIATIONS: [&str; 22] = [
    "e.g", "i.e", "eg", "ie", "vs", "etc", "cf", "approx", "incl", "esp", "resp", "mr", "mrs",
    "ms", "dr", "prof", "fig", "no", "st", "jr", "sr", "al",
];

/// Abbreviations that can still end a sentence when a capitalised word follows.
const MAY_END_SENTENCE: [&str; 2] = ["etc", "al"];

/// For each segment, the position in `segments` of its sentence (a sentence is its own):
/// what a clause inherits from the sentence it was cut from.
pub fn sentence_positions(segments: &[Segment]) -> Vec<usize> {
    // `segment` puts every sentence before its clauses.
    let mut sentence = 0;
    segments
        .iter()
        .enumerate()
        .map(|(position, segment)| {
            if segment.kind == SegmentKind::Sentence {
                sentence = position;
            }
            sentence
        })
        .collect()
}

/// Splits `answer` into sentences, and long sentences also into clauses.
/// Sentences come first in text order, each followed by its clauses. An interviewer's turn
/// in a typed-up transcript is left out: it is not the candidate's answer.
pub fn segment(answer: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut sentence_index = 0;
    for block in blocks(answer)
        .into_iter()
        .filter(|block| block.speaker != Some(Speaker::Interviewer))
        .map(|block| block.span)
    {
        for (start, end) in sentences(answer, block) {
            let Some((start, end)) = trim_span(answer, start, end) else {
                continue;
            };
            let text = &answer[start..end];
            if !text.chars().any(char::is_alphanumeric) {
                continue;
            }
            segments.push(Segment {
                text: text.to_string(),
                span: (start, end),
                kind: SegmentKind::Sentence,
                sentence: sentence_index,
            });
            let clauses = clauses(answer, start, end);
            if clauses.len() > 1 {
                segments.extend(clauses.into_iter().map(|(start, end)| Segment {
                    text: answer[start..end].to_string(),
                    span: (start, end),
                    kind: SegmentKind::Clause,
                    sentence: sentence_index,
                }));
            }
            sentence_index += 1;
        }
    }
    segments
}

/// Number of words in a text.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A run of lines read as one piece of text, with the speaker its first line names.
struct Block {
    span: (usize, usize),
    speaker: Option<Speaker>,
}

/// Cuts the answer into blocks at blank lines, list items, speaker labels and line breaks
/// that end a thought; a line that continues a lower-case sentence is joined (soft wrap).
fn blocks(answer: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let mut previous_line_ends_thought = true;
    let mut offset = 0;
    for raw_line in answer.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end();
        let indent = line.len() - line.trim_start().len();
        let content = &line[indent..];
        if content.is_empty() {
            blocks.extend(current.take());
            previous_line_ends_thought = true;
            continue;
        }
        let marker = list_marker_len(content);
        let label = speaker_label(&content[marker..]);
        let body_start = line_start + indent + marker + label.map_or(0, |(_, length)| length);
        let body_end = line_start + line.len();
        let starts_lower = answer[body_start..body_end]
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase);
        let continues = current.is_some()
            && marker == 0
            && label.is_none()
            && !previous_line_ends_thought
            && starts_lower;
        match (&mut current, continues) {
            (Some(block), true) => block.span.1 = body_end,
            _ => {
                blocks.extend(current.take());
                current = Some(Block {
                    span: (body_start, body_end),
                    speaker: label.map(|(speaker, _)| speaker),
                });
            }
        }
        previous_line_ends_thought = line.ends_with(['.', '!', '?', ':', ';']);
    }
    blocks.extend(current);
    blocks
}

/// Length of a leading bullet (`-`, `*`, `•`, `+`) or number (`1.`, `2)`) marker and its space.
fn list_marker_len(line: &str) -> usize {
    let mut chars = line.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let after_marker = if matches!(first, '-' | '*' | '•' | '+' | '–' | '▪' | '◦') {
        first.len_utf8()
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0
            || digits > 3
            || !matches!(line.as_bytes().get(digits), Some(b'.') | Some(b')'))
        {
            return 0;
        }
        digits + 1
    };
    let rest = &line[after_marker..];
    let spaces = rest.len() - rest.trim_start().len();
    if spaces == 0 {
        return 0;
    }
    after_marker + spaces
}

/// Sentence spans inside one block.
fn sentences(answer: &str, (start, end): (usize, usize)) -> Vec<(usize, usize)> {
    let text = &answer[start..end];
    let mut spans = Vec::new();
    let mut sentence_start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (position, &(byte, ch)) in chars.iter().enumerate() {
        let cut_after = match ch {
            ';' => true,
            '.' | '!' | '?' => ends_sentence(text, &chars, position),
            _ => false,
        };
        if cut_after {
            let cut = byte + ch.len_utf8();
            spans.push((start + sentence_start, start + cut));
            sentence_start = cut;
        }
    }
    spans.push((start + sentence_start, end));
    spans
}

/// A '.', '!' or '?' ends a sentence when whitespace follows (so decimals and version
/// numbers never do) and the word before it is not an abbreviation.
fn ends_sentence(text: &str, chars: &[(usize, char)], position: usize) -> bool {
    let mut next = position + 1;
    // Closing quotes and brackets belong to the sentence they close; so do repeated marks.
    while next < chars.len()
        && matches!(
            chars[next].1,
            '"' | '\'' | ')' | ']' | '”' | '’' | '.' | '!' | '?'
        )
    {
        next += 1;
    }
    if next < chars.len() && !chars[next].1.is_whitespace() {
        return false;
    }
    if chars[position].1 != '.' {
        return true;
    }
    let byte = chars[position].0;
    // The separator may be a multi-byte space (U+2000 and friends): skip its whole width.
    let word_start = text[..byte]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(')
        .map_or(0, |(at, c)| at + c.len_utf8());
    let word = text[word_start..byte].to_lowercase();
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let following = chars[next..]
        .iter()
        .map(|&(_, c)| c)
        .find(|c| !c.is_whitespace());
    if ABBREVIATIONS.contains(&word) {
        return MAY_END_SENTENCE.contains(&word) && following.is_some_and(char::is_uppercase);
    }
    // A lower-case continuation after a single letter ("p. 4", "a. b.") is not a new sentence.
    !(word.chars().count() == 1 && following.is_some_and(char::is_lowercase))
}

/// Shrinks a span past surrounding whitespace and separators; `None` if nothing is left.
fn trim_span(answer: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let text = &answer[start..end];
    let is_edge = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—');
    let trimmed_start = text.len() - text.trim_start_matches(is_edge).len();
    let trimmed = text.trim_start_matches(is_edge).trim_end_matches(is_edge);
    if trimmed.is_empty() {
        return None;
    }
    Some((start + trimmed_start, start + trimmed_start + trimmed.len()))
}

#[cfg(test)]
mod tests;
