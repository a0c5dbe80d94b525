//! How far a denial reaches backwards: over the subject of its clause ("drift monitoring
//! is overkill"), a relative clause inside that subject, a list the denial closes, and a
//! fronted object before the speaker's own words ("X, say monthly, I'd also rule out").

use super::scope::{starts_list_item, starts_new_clause, word_at};
use super::tokens::Token;
use super::words::*;

/// "Compliance check-ups of the pipeline I'd also not schedule": the denial governs one
/// verb that ends the clause, and only the speaker stands between it and what came before,
/// so its object is the fronted one.
pub(super) fn lone_verb_after_speaker(tokens: &[Token], cue: usize) -> bool {
    let word = |index: usize| word_at(tokens, index);
    let verb_ends_clause = word(cue + 1).is_some() && word(cue + 2).is_none();
    let speaker_before = cue
        .checked_sub(1)
        .and_then(word)
        .is_some_and(|w| SPEAKER_ONLY.contains(&w));
    let object_before = (0..cue.saturating_sub(1))
        .filter_map(word)
        .any(|w| !SPEAKER_ONLY.contains(&w));
    verb_ends_clause && speaker_before && object_before
}

/// Whether the clause holding `cue` is a purpose or relative clause.
pub(super) fn opens_subordinate_clause(tokens: &[Token], cue: usize) -> bool {
    let start = clause_start(tokens, cue);
    start > 0
        && tokens[start - 1]
            .word
            .as_deref()
            .is_some_and(|word| matches!(word, "so" | "that" | "which" | "who" | "whose"))
        && !relative_in_subject(tokens, start, cue)
}

/// Whether the clause from `start` to `cue` is a relative clause inside the subject of the
/// main clause, which the cue belongs to: "Canaries that route a slice of traffic are
/// something I'd skip". The relative clause has a verb of its own before the main one; in
/// "a pipeline that is not expensive" the denial is the relative clause's own.
fn relative_in_subject(tokens: &[Token], start: usize, cue: usize) -> bool {
    let relative = start
        .checked_sub(1)
        .and_then(|at| word_at(tokens, at))
        .is_some_and(|word| matches!(word, "that" | "which" | "who"));
    relative
        && tokens[start..cue]
            .iter()
            .skip(1)
            .filter_map(|token| token.word.as_deref())
            .any(|word| BE_FORMS.contains(&word) || matches!(word, "would" | "i'd" | "we'd"))
}

/// The first token of the clause that holds `cue`.
fn clause_start(tokens: &[Token], cue: usize) -> usize {
    let mut start = cue;
    while start > 0 {
        // A parenthesis belongs to its clause: "meta-learning (prototypical nets) is overkill".
        if tokens[start - 1].mark == Some(')') {
            match tokens[..start - 1]
                .iter()
                .rposition(|t| t.mark == Some('('))
            {
                Some(open) => {
                    start = open;
                    continue;
                }
                None => break,
            }
        }
        // "A/B tests" is one name.
        if tokens[start - 1].mark == Some('/') {
            start -= 1;
            continue;
        }
        let Some(word) = tokens[start - 1].word.as_deref() else {
            break;
        };
        let before = start.checked_sub(2).and_then(|at| word_at(tokens, at));
        // "or otherwise compressing it", "every so often": set phrases, not new clauses.
        let set_phrase = word == "otherwise" && before == Some("or")
            || word == "so" && matches!(before, Some("every" | "or"));
        if !set_phrase && (SCOPE_BREAKS.contains(&word) || CLAUSE_OPENERS.contains(&word)) {
            break;
        }
        if matches!(word, "and" | "or") && starts_new_clause(tokens, start) {
            break;
        }
        start -= 1;
    }
    start
}

/// Marks the words before `cue` back to the start of its clause, and on over a list it
/// closes: in "H2O, TPOT or Auto-sklearn are not needed" every item is dismissed.
pub(super) fn mark_backward(tokens: &[Token], denied: &mut [bool], cue: usize) {
    let mut own_clause = clause_start(tokens, cue);
    // "Retraining on a calendar, say every month, I'd also rule out": a clause of the speaker
    // alone dismisses what was fronted before it, over an aside.
    let speaker_only = tokens[own_clause..cue]
        .iter()
        .filter_map(|token| token.word.as_deref())
        .all(|word| {
            SPEAKER_ONLY.contains(&word)
                || DISMISS_PHRASES.iter().any(|phrase| phrase.contains(&word))
        });
    // "Canaries that route a slice of traffic are something I'd skip": the relative clause
    // has a verb of its own before the main one, so the dismissed subject starts before it.
    // In "a pipeline that is not expensive" the denial is the relative clause's own.
    if relative_in_subject(tokens, own_clause, cue) && own_clause >= 2 {
        own_clause = clause_start(tokens, own_clause - 1);
    }
    if speaker_only {
        for _ in 0..2 {
            if own_clause < 2 || tokens[own_clause - 1].mark != Some(',') {
                break;
            }
            own_clause = clause_start(tokens, own_clause - 1);
        }
    }
    let mut start = own_clause;
    while start > 1 && tokens[start - 1].mark == Some(',') {
        let item = clause_start(tokens, start - 1);
        if item == start - 1 || !starts_list_item(tokens, item) {
            break;
        }
        start = item;
    }
    let closes_list = tokens[start..cue]
        .iter()
        .any(|token| matches!(token.word.as_deref(), Some("and" | "or")));
    if !closes_list {
        start = own_clause;
    }
    for flag in &mut denied[start..cue] {
        *flag = true;
    }
}
