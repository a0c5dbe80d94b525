//! Which tokens of a sentence a denial governs: forward over its clause and lists, backward
//! over a dismissed subject, and from a bare dismissal tail back to what it dismisses.

use super::backward::{lone_verb_after_speaker, mark_backward, opens_subordinate_clause};
use super::tokens::{is_contracted_negation, tokenize, Token};
use super::words::*;

/// Which tokens of a sentence fall inside the scope of a denial.
pub(super) fn denied_tokens(tokens: &[Token]) -> Vec<bool> {
    let word = |index: usize| word_at(tokens, index);
    let mut denied = vec![false; tokens.len()];
    for index in 0..tokens.len() {
        let Some(current) = word(index) else { continue };
        let next = word(index + 1);
        let previous = index.checked_sub(1).and_then(word);
        let is_negator = FORWARD_CUES.contains(&current) || is_contracted_negation(current);
        if is_negator && is_set_phrase(previous, current, next, word(index + 2)) {
            continue;
        }
        if current == "instead" && next == Some("of") || current == "rather" && next == Some("than")
        {
            mark_forward(tokens, &mut denied, index + 2, Reach::Phrase);
            continue;
        }
        let dismisses = DISMISS_VERBS.contains(&current)
            || AVOID_FORMS.contains(&current)
                && !previous.is_some_and(|previous| PURPOSE_BEFORE_AVOID.contains(&previous))
            || ends_dismiss_phrase(tokens, index)
            // "X is something I'd drop": "drop duplicates" is an instruction, so only this.
            || matches!(current, "drop" | "dropped")
                && (index.saturating_sub(3)..index).any(|at| word(at) == Some("something"));
        // "never skip validation", "don't forget calibration": two denials affirm.
        let doubled = is_negator && next.is_some_and(|next| DISMISS_VERBS.contains(&next))
            || dismisses
                && previous.is_some_and(|previous| {
                    FORWARD_CUES.contains(&previous) || is_contracted_negation(previous)
                });
        if doubled {
            continue;
        }
        if is_negator || dismisses {
            let is_be_here = BE_FORMS.contains(&current) || follows_be_form(tokens, index);
            let copular = !dismisses
                && (is_be_here
                    || next == Some("be")
                    || next.is_some_and(|next| NEEDED.contains(&next)));
            // "so we don't hit the database", "weights that don't contribute": a denial
            // inside a purpose or relative clause says nothing about the main clause.
            if !copular && opens_subordinate_clause(tokens, index) {
                continue;
            }
            // "the full volume isn't needed, by sampling …": a denied "needed" says all there
            // is to say; the list after it is what the sentence affirms.
            if is_be_here && next.is_some_and(|next| NEEDED.contains(&next)) {
                denied[index] = true;
                denied[index + 1] = true;
                mark_backward(tokens, &mut denied, index);
                continue;
            }
            if mark_forward(tokens, &mut denied, index + 1, Reach::Clause) {
                denied[index] = true;
                // "Edge deployment I would not bother with tbh": with nothing of its own
                // after it, the denial is about the fronted object before it.
                let fronted = !scope_has_content(tokens, &denied, index + 1)
                    || lone_verb_after_speaker(tokens, index);
                // "dependence plots are also skipped in my design": a passive dismissal.
                let passive = dismisses && follows_be_form(tokens, index);
                if copular || fronted || passive {
                    mark_backward(tokens, &mut denied, index);
                }
            } else if dismisses || index + 1 == tokens.len() || tokens[index + 1].word.is_none() {
                mark_backward(tokens, &mut denied, index);
                denied[index] = true;
            }
            continue;
        }
        let wasteful = current == "waste" && previous == Some("a")
            || is_ruled_out(tokens, index)
            || current == "too" && next.is_some_and(|next| DRAWBACKS.contains(&next))
            || previous == Some("just") && HARMS.contains(&current)
            || current == "overhead" && matches!(previous, Some("pure" | "needless" | "just"));
        if POST_DISMISSALS.contains(&current) || wasteful {
            denied[index] = true;
            mark_backward(tokens, &mut denied, index);
        }
    }
    mark_tail_dismissals(tokens, &mut denied);
    denied
}

/// The word at `index`, if there is one there (not a mark, not past the end).
pub(super) fn word_at(tokens: &[Token], index: usize) -> Option<&str> {
    tokens.get(index).and_then(|token| token.word.as_deref())
}

/// Whether a form of "be" comes just before `index`, or before one adverb there: "X is
/// not", "X is likewise not", "X is also out".
fn follows_be_form(tokens: &[Token], index: usize) -> bool {
    let word = |index: usize| word_at(tokens, index);
    let is_be = |at: Option<usize>| at.and_then(word).is_some_and(|w| BE_FORMS.contains(&w));
    let before = index.checked_sub(1);
    is_be(before)
        || before
            .and_then(word)
            .is_some_and(|w| COPULA_ADVERBS.contains(&w))
            && is_be(index.checked_sub(2))
}

/// "X is out for me", "X is also off the table", "I'd leave X out of this": a word that
/// puts its subject (or the object between "leave" and it) outside the plan.
fn is_ruled_out(tokens: &[Token], index: usize) -> bool {
    let word = |index: usize| word_at(tokens, index);
    match word(index) {
        Some("out") => {
            let out_of_scope = word(index + 1) != Some("of") || word(index + 2) == Some("scope");
            let left_out = (index.saturating_sub(6)..index).any(|at| {
                matches!(
                    word(at),
                    Some("leave" | "leaving" | "left" | "stay" | "stays" | "stayed")
                        | Some("keep" | "keeps" | "kept")
                )
            });
            follows_be_form(tokens, index) && out_of_scope || left_out
        }
        // "X is also more than we need", "X is more than needed".
        Some("need" | "needed") => {
            let than = (index.saturating_sub(2)..index).find(|&at| word(at) == Some("than"));
            than.is_some_and(|than| than >= 1 && word(than - 1) == Some("more"))
        }
        Some("table") => {
            index >= 2 && word(index - 1) == Some("the") && word(index - 2) == Some("off")
        }
        _ => false,
    }
}

/// Whether the word at `index` ends a multi-word dismissal ("steer clear of", "leave out").
fn ends_dismiss_phrase(tokens: &[Token], index: usize) -> bool {
    DISMISS_PHRASES.iter().any(|phrase| {
        index + 1 >= phrase.len() && phrase_at(tokens, index + 1 - phrase.len(), phrase)
    })
}

/// Whether the words from `start` on are `phrase`, word for word.
pub(super) fn phrase_at(tokens: &[Token], start: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(offset, expected)| word_at(tokens, start + offset) == Some(*expected))
}

/// Whether the words form a bare dismissal with nothing of its own: "not worth it",
/// "no need for them", "skip it", "nope".
fn is_bare_dismissal(words: &[&str]) -> bool {
    let is_cue = |word: &str| {
        FORWARD_CUES.contains(&word)
            || is_contracted_negation(word)
            || DISMISS_VERBS.contains(&word)
            || POST_DISMISSALS.contains(&word)
            || matches!(word, "nope" | "nah" | "pass")
    };
    !words.is_empty()
        && words.len() <= 5
        && words.iter().any(|word| is_cue(word))
        && words
            .iter()
            .all(|word| is_cue(word) || TAIL_FILLER.contains(word))
}

/// "X, Y and Z - not worth it": a bare dismissal after a dash, colon or comma denies what
/// comes before it, back to the previous break (a comma's: the previous fragment only).
fn mark_tail_dismissals(tokens: &[Token], denied: &mut [bool]) {
    let breaks: Vec<usize> = (0..tokens.len())
        .filter(|&index| tokens[index].mark.is_some())
        .collect();
    for (position, &pivot) in breaks.iter().enumerate() {
        let end = breaks.get(position + 1).copied().unwrap_or(tokens.len());
        let tail: Vec<&str> = tokens[pivot + 1..end]
            .iter()
            .filter_map(|token| token.word.as_deref())
            .collect();
        if !is_bare_dismissal(&tail) || tokens[pivot].mark == Some('(') {
            continue;
        }
        let comma = tokens[pivot].mark == Some(',');
        let start = breaks[..position]
            .iter()
            .rev()
            .find(|&&index| comma || tokens[index].mark != Some(','))
            .map_or(0, |&index| index + 1);
        for flag in &mut denied[start..pivot] {
            *flag = true;
        }
    }
}

/// Whether a sentence opens with a bare dismissal ("Not worth it.", "i wouldnt bother, …"),
/// which then denies a question just before it ("GANs for synthetic data? Not worth it.").
pub fn opens_with_dismissal(sentence: &str) -> bool {
    let tokens = tokenize(sentence);
    let first: Vec<&str> = tokens
        .iter()
        .take_while(|token| token.mark.is_none())
        .filter_map(|token| token.word.as_deref())
        .collect();
    is_bare_dismissal(&first)
}

/// Whether a sentence opens by taking back what came before it: "Actually no, X is overkill
/// here", "Scratch that", "On second thought, …". Every point it speaks of is withdrawn.
pub fn opens_with_retraction(sentence: &str) -> bool {
    let opening: Vec<String> = tokenize(sentence)
        .iter()
        .filter_map(|token| token.word.clone())
        .take(6)
        .collect();
    let opening: Vec<&str> = opening.iter().map(String::as_str).collect();
    // "Actually, scratch that", "hmm, on second thought": a word or two of hesitation first.
    let hesitation = opening
        .iter()
        .take(2)
        .take_while(|word| HESITATIONS.contains(word))
        .count();
    (0..=hesitation).any(|skip| {
        RETRACTION_OPENERS
            .iter()
            .any(|opener| opening[skip..].starts_with(opener))
    })
}

/// Negations that do not deny: "not only", "not just", "don't have to", "no longer",
/// "with no downtime", "whether or not", "no matter".
fn is_set_phrase(
    previous: Option<&str>,
    current: &str,
    next: Option<&str>,
    after_next: Option<&str>,
) -> bool {
    let limiter = matches!(
        next,
        Some("only" | "just" | "merely" | "simply" | "longer" | "more" | "less" | "later")
    ) || current == "no" && next == Some("matter");
    let obligation = next == Some("have") && after_next == Some("to")
        || next == Some("need") && after_next == Some("to") && previous.is_some_and(is_purpose)
        || next == Some("necessarily");
    // "make sure no PII leaves the cluster" states a safeguard, not a denial.
    let safeguard = previous.is_some_and(|previous| {
        matches!(
            previous,
            "ensure" | "ensures" | "ensuring" | "sure" | "guarantee" | "guarantees"
        )
    });
    let attached = safeguard
        || previous == Some("with") && current == "no"
        || previous == Some("or") && current == "not"
        || previous.is_some_and(is_purpose) && matches!(current, "never" | "not");
    limiter || obligation || attached
}

fn is_purpose(word: &str) -> bool {
    matches!(word, "so" | "that" | "to")
}

/// How far a denial reaches forward.
#[derive(Clone, Copy, PartialEq)]
enum Reach {
    /// To the end of its clause, through lists: "I'd skip pruning, quantization or distillation".
    Clause,
    /// Only the phrase that follows: "instead of X, I would Y", "instead of X we Y".
    Phrase,
}

/// Marks the words from `from` to the end of the denial's reach; returns whether the cue
/// governs anything (a double negation such as "never deploy without a canary" affirms).
fn mark_forward(tokens: &[Token], denied: &mut [bool], from: usize, reach: Reach) -> bool {
    let mut end = from;
    while end < tokens.len() {
        if reach == Reach::Phrase && end > from && starts_new_clause(tokens, end) {
            break;
        }
        let Some(word) = tokens[end].word.as_deref() else {
            if reach == Reach::Phrase {
                break;
            }
            // A comma continues a list ("skip pruning, quantization or distillation")
            // unless a new clause starts after it.
            let comma = &tokens[end].span;
            let is_comma = comma.1 - comma.0 == 1 && end + 1 < tokens.len();
            if is_comma && starts_list_item(tokens, end + 1) && !is_reason_as(tokens, end + 1) {
                end += 1;
                continue;
            }
            break;
        };
        if word == "without" {
            return false;
        }
        if SCOPE_BREAKS.contains(&word)
            || is_reason_as(tokens, end)
            || (word == "instead" || word == "rather") && end > from
            || matches!(word, "and" | "or" | "then" | "nor") && starts_new_clause(tokens, end + 1)
        {
            break;
        }
        end += 1;
    }
    if end == from {
        return false;
    }
    for flag in &mut denied[from..end] {
        *flag = true;
    }
    true
}

/// "as" giving a reason ("I'd skip it, as only two people use it") ends a denial's reach;
/// "such as" and "as well" do not.
pub(super) fn is_reason_as(tokens: &[Token], at: usize) -> bool {
    let word = |index: usize| word_at(tokens, index);
    word(at) == Some("as")
        && at.checked_sub(1).and_then(word) != Some("such")
        && !matches!(word(at + 1), Some("well" | "much" | "many" | "a"))
}

pub(super) fn starts_new_clause(tokens: &[Token], at: usize) -> bool {
    tokens
        .get(at)
        .and_then(|token| token.word.as_deref())
        .is_some_and(|word| CLAUSE_STARTS.contains(&word))
}

pub(super) fn starts_list_item(tokens: &[Token], at: usize) -> bool {
    match tokens.get(at).and_then(|token| token.word.as_deref()) {
        Some(word) => !CLAUSE_STARTS.contains(&word) && !SCOPE_BREAKS.contains(&word),
        None => false,
    }
}

/// Whether the denied words from `from` on hold anything besides filler.
fn scope_has_content(tokens: &[Token], denied: &[bool], from: usize) -> bool {
    tokens[from..]
        .iter()
        .zip(&denied[from..])
        .take_while(|(_, &denied)| denied)
        .filter_map(|(token, _)| token.word.as_deref())
        .any(|word| !EMPTY_AFTER_DENIAL.contains(&word) && !TAIL_FILLER.contains(&word))
}
