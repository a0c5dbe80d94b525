//! Cutting a long sentence into clauses: at commas, colons, spaced dashes and coordinating
//! words, with pieces too short to state anything merged back, and typed-up notes cut item
//! by item so that a bare keyword stays apart from the statement beside it.

use super::{keywords, trim_span, word_count};

/// A sentence with fewer words than this is not split into clauses. Short answers state
/// two points in seven words ("Monitor drift with PSI and retrain it weekly").
const CLAUSE_SPLIT_MIN_WORDS: usize = 6;
/// Clauses shorter than this are merged back into a neighbour.
const MIN_CLAUSE_WORDS: usize = 3;
/// A shorter clause that says what to do ("Dockerize everything", "retrain weekly") stands
/// on its own from this many words.
const MIN_ACTION_WORDS: usize = 2;

/// Words at which a sentence is cut into clauses, and which do not count as content.
const COORDINATORS: [&str; 9] = [
    "and", "but", "or", "so", "then", "plus", "while", "whereas", "also",
];

/// Clause spans of a long sentence: cut at commas and coordinating words, then merge
/// pieces too short to state anything into their neighbour.
pub(super) fn clauses(answer: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
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
