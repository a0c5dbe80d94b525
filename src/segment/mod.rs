//! Splitting an answer into the sentences and clauses that are matched against expected points,
//! each with its byte span in the original text.

pub mod keywords;
mod speaker;

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

/// A sentence with fewer words than this is not split into clauses. Short answers state
/// two points in seven words ("Monitor drift with PSI and retrain it weekly").
const CLAUSE_SPLIT_MIN_WORDS: usize = 6;
/// Clauses shorter than this are merged back into a neighbour.
const MIN_CLAUSE_WORDS: usize = 3;
/// A shorter clause that says what to do ("Dockerize everything", "retrain weekly") stands
/// on its own from this many words.
const MIN_ACTION_WORDS: usize = 2;

/// Words ending in '.' after which a sentence does not end.
const ABBREVIATIONS: [&str; 22] = [
    "e.g", "i.e", "eg", "ie", "vs", "etc", "cf", "approx", "incl", "esp", "resp", "mr", "mrs",
    "ms", "dr", "prof", "fig", "no", "st", "jr", "sr", "al",
];

/// Abbreviations that can still end a sentence when a capitalised word follows.
const MAY_END_SENTENCE: [&str; 2] = ["etc", "al"];

const COORDINATORS: [&str; 9] = [
    "and", "but", "or", "so", "then", "plus", "while", "whereas", "also",
];

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

/// Clause spans of a long sentence: cut at commas and coordinating words, then merge
/// pieces too short to state anything into their neighbour.
fn clauses(answer: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let text = &answer[start..end];
    if word_count(text) < CLAUSE_SPLIT_MIN_WORDS {
        return Vec::new();
    }
    let merged = if keywords::is_notes_list(text) {
        note_items(text)
    } else {
        merge_pieces(text, (0, text.len()), keywords::is_keyword_list(text))
    };
    merged
        .into_iter()
        .filter_map(|(clause_start, clause_end)| {
            let (s, e) = trim_span(answer, start + clause_start, start + clause_end)?;
            let s = skip_leading_coordinator(answer, s, e);
            trim_span(answer, s, e)
        })
        .collect()
}

/// The clauses of typed-up notes: each run of bare keywords is one piece, and each
/// statement between them is cut as any sentence is, within its own item.
fn note_items(text: &str) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut item_start = 0;
    for (byte, ch) in text.char_indices() {
        if matches!(ch, ',' | ';') {
            items.push((item_start, byte));
            item_start = byte + 1;
        }
    }
    items.push((item_start, text.len()));
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    let mut previous_bare = false;
    for (item_start, item_end) in items {
        let item = &text[item_start..item_end];
        if !item.chars().any(char::is_alphanumeric) {
            continue;
        }
        let bare = keywords::is_bare_item(item);
        match clauses.last_mut() {
            Some(last) if bare && previous_bare => last.1 = item_end,
            _ if bare => clauses.push((item_start, item_end)),
            _ => clauses.extend(merge_pieces(text, (item_start, item_end), false)),
        }
        previous_bare = bare;
    }
    clauses
}

/// Cuts `text[range]` at commas, colons, spaced dashes and coordinating words, and merges
/// each piece too short to state anything into the clause before it (or, at the start,
/// the one after it).
fn merge_pieces(text: &str, (from, to): (usize, usize), keyword_list: bool) -> Vec<(usize, usize)> {
    // Two words can state a point when they say what to do ("autoscale replicas"); in a
    // keyword list, or as one noun of a list ("code, data and model changes"), they name a
    // topic, which must not become a segment of its own.
    let states_something = |piece: &str| {
        let count = content_words(piece);
        count >= MIN_CLAUSE_WORDS
            || !keyword_list && count >= MIN_ACTION_WORDS && keywords::reads_as_clause(piece)
    };
    let range = &text[from..to];
    let mut cuts = vec![from];
    // Cuts made at a coordinating word, inside a list item rather than between items.
    let mut at_coordinator = Vec::new();
    let mut word_begin: Option<usize> = None;
    for (offset, ch) in range
        .char_indices()
        .chain(std::iter::once((range.len(), ' ')))
    {
        let byte = from + offset;
        let spaced_dash = is_spaced_dash(text, byte, ch);
        if ch.is_alphanumeric() || ch == '\'' || (ch == '-' && !spaced_dash) {
            word_begin.get_or_insert(byte);
            continue;
        }
        if let Some(begin) = word_begin.take() {
            let word = text[begin..byte].to_lowercase();
            if COORDINATORS.contains(&word.as_str()) && begin > from {
                cuts.push(begin);
                at_coordinator.push(begin);
            }
        }
        if ch == ',' || ch == ':' || spaced_dash {
            cuts.push(byte + ch.len_utf8());
        }
    }
    cuts.push(to);
    cuts.dedup();
    // A short piece (a list item, "and crops") joins the clause before it; at the start
    // of the range, where there is none, it joins the next one. So does a short piece that
    // opens a list item the next piece goes on with: "weekly reviews plus refactoring debt"
    // is one item, not "weekly reviews" tacked onto the item before it.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    let mut pending: Option<usize> = None;
    for pair in cuts.windows(2) {
        let (piece_start, piece_end) = (pair[0], pair[1]);
        let begin = pending.take().unwrap_or(piece_start);
        // One word before "and" is an element of a series ("Spark, Dask and Ray").
        let item_goes_on = at_coordinator.contains(&piece_end)
            && !at_coordinator.contains(&begin)
            && content_words(&text[begin..piece_end]) >= MIN_ACTION_WORDS;
        if states_something(&text[begin..piece_end]) {
            merged.push((begin, piece_end));
        } else if item_goes_on {
            pending = Some(begin);
        } else if let Some(last) = merged.last_mut() {
            last.1 = piece_end;
        } else {
            pending = Some(begin);
        }
    }
    if let Some(begin) = pending {
        match merged.last_mut() {
            Some(last) => last.1 = to.max(last.1),
            None => merged.push((begin, to)),
        }
    }
    merged
}

/// A dash with a space on each side separates two thoughts ("add noisy copies - pseudo-label
/// the rest"); a hyphen inside a word ("on-call") does not.
fn is_spaced_dash(text: &str, byte: usize, ch: char) -> bool {
    matches!(ch, '-' | '–' | '—')
        && text[..byte].ends_with(char::is_whitespace)
        && text[byte + ch.len_utf8()..].starts_with(char::is_whitespace)
}

fn content_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| {
            let word = word
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            !word.is_empty() && !COORDINATORS.contains(&word.as_str())
        })
        .count()
}

fn skip_leading_coordinator(answer: &str, start: usize, end: usize) -> usize {
    let text = &answer[start..end];
    let first_len = text.find(char::is_whitespace).unwrap_or(text.len());
    let first = text[..first_len].to_lowercase();
    if COORDINATORS.contains(&first.as_str()) && first_len < text.len() {
        start + first_len
    } else {
        start
    }
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
