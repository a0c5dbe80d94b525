//! A proposal framed as someone else's idea or as a surface appeal, then turned down: "X
//! sounds good on paper, but …", "the team suggested X, and we pushed back", "X is the
//! reflex, yet …". What comes before the turn is what the speaker declines, so it is denied;
//! the turn itself and its reason are the speaker's own words.

use super::scope::{phrase_at, word_at};
use super::tokens::Token;

/// Words that frame what precedes the turn as an appeal, not a choice.
const APPEALS: [&str; 6] = [
    "tempting",
    "appealing",
    "attractive",
    "reflex",
    "fashionable",
    "trendy",
];

/// "X sounds good", "X looks neat": an appeal only with a word of praise after the verb;
/// "a router looks at the event type" is no appeal.
const APPEAL_VERBS: [&str; 5] = ["sounds", "sound", "looks", "look", "seems"];

const PRAISE: [&str; 16] = [
    "good",
    "great",
    "nice",
    "neat",
    "reasonable",
    "tidy",
    "flexible",
    "elegant",
    "clever",
    "smart",
    "modern",
    "clean",
    "simple",
    "attractive",
    "appealing",
    "promising",
];

/// Words that frame it as someone else's proposal.
const ATTRIBUTIONS: [&str; 9] = [
    "proposed",
    "suggested",
    "suggests",
    "suggestion",
    "pitched",
    "floated",
    "debated",
    "mentioned",
    "grabs",
];

/// Words that turn the sentence against what came before.
const TURNS: [&str; 5] = ["but", "yet", "however", "though", "although"];

/// Phrases that decline what was proposed before them in the same sentence.
const REJECTIONS: [&[&str]; 6] = [
    &["pushed", "back"],
    &["push", "back"],
    &["argued", "against"],
    &["voted", "it", "down"],
    &["shot", "it", "down"],
    &["said", "no"],
];

/// Marks as denied the words before the turn of a sentence that frames them as an appeal or
/// someone else's proposal and then turns against them.
pub(super) fn mark_concessions(tokens: &[Token], denied: &mut [bool]) {
    let word = |index: usize| word_at(tokens, index);
    let Some(turn) = (0..tokens.len()).find(|&index| {
        word(index).is_some_and(|current| TURNS.contains(&current))
            || REJECTIONS
                .iter()
                .any(|phrase| phrase_at(tokens, index, phrase))
    }) else {
        return;
    };
    let rejection = !word(turn).is_some_and(|current| TURNS.contains(&current));
    let framed = (0..turn).any(|index| is_framing(tokens, index));
    // After "but" the speaker must say something: "X sounds good, but" alone turns nothing.
    let said_after = (turn + 1..tokens.len()).any(|index| word(index).is_some());
    if (framed || rejection) && said_after && turn > 0 {
        for flag in &mut denied[..turn] {
            *flag = true;
        }
    }
}

/// Whether the word at `index` frames its sentence as an appeal or a proposal.
fn is_framing(tokens: &[Token], index: usize) -> bool {
    is_appeal(tokens, index) || is_attribution(tokens, index)
}

/// "X sounds reasonable", "X is tempting".
fn is_appeal(tokens: &[Token], index: usize) -> bool {
    word_at(tokens, index).is_some_and(|current| {
        APPEALS.contains(&current)
            || APPEAL_VERBS.contains(&current)
                && word_at(tokens, index + 1).is_some_and(|next| PRAISE.contains(&next))
    })
}

/// "X was suggested", "a colleague wanted X", "people reach for X".
fn is_attribution(tokens: &[Token], index: usize) -> bool {
    word_at(tokens, index).is_some_and(|current| {
        ATTRIBUTIONS.contains(&current)
            // "people reach for X", "the team pushed for X"
            || matches!(current, "reach" | "pushed" | "asked")
                && word_at(tokens, index + 1) == Some("for")
            // "a colleague wanted X"; "we wanted" is the speaker's own aim.
            || current == "wanted"
                && !index
                    .checked_sub(1)
                    .and_then(|before| word_at(tokens, before))
                    .is_some_and(|before| matches!(before, "i" | "we"))
    })
}

/// Words that open a sentence by turning against the one before it.
const SENTENCE_TURNS: [&[&str]; 8] = [
    &["but"],
    &["however"],
    &["yet"],
    &["in", "practice"],
    &["in", "reality"],
    &["that", "said"],
    &["sadly"],
    &["unfortunately"],
];

/// How a sentence holds something up without turning against it itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// "SMOTE sounds reasonable on paper": only a turn ("In practice, …") declines it.
    Appeal,
    /// "A model registry was suggested": a turn or any denial after it declines it.
    Proposal,
}

/// Whether a sentence's tokens frame what it says as an appeal or someone else's proposal
/// without turning against it themselves.
pub(super) fn framing(tokens: &[Token]) -> Option<Framing> {
    let word = |index: usize| word_at(tokens, index);
    if (0..tokens.len()).any(|index| word(index).is_some_and(|current| TURNS.contains(&current))) {
        return None;
    }
    if (0..tokens.len()).any(|index| is_attribution(tokens, index)) {
        Some(Framing::Proposal)
    } else if (0..tokens.len()).any(|index| is_appeal(tokens, index)) {
        Some(Framing::Appeal)
    } else {
        None
    }
}

/// Whether a sentence's tokens open by turning against the sentence before: "In practice,
/// …", "But …", "However, …".
pub(super) fn opens_with_turn(tokens: &[Token]) -> bool {
    SENTENCE_TURNS
        .iter()
        .any(|phrase| phrase_at(tokens, 0, phrase))
}
