//! The reason a speaker gives for refusing something: "I'd steer clear of GAN samples,
//! because generated examples rarely look real". Its words explain the refusal; they neither
//! affirm nor deny, so they must not dilute the refusal's share of the sentence. Only a
//! refusal the speaker owns ("I'd", "for me", "is overkill") counts: after "there's no
//! skew, since the same code computes features" the reason is the remedy, and it affirms.

use super::scope::{is_reason_as, word_at};
use super::tokens::Token;
use super::words::POST_DISMISSALS;
use crate::score::cues::FIRST_PERSON;

/// Words that open a reason clause.
const REASON_CUES: [&str; 3] = ["because", "since", "given"];

/// Words after which the speaker has moved on from the refusal and its reason.
const CONTRASTS: [&str; 9] = [
    "but", "however", "though", "although", "yet", "whereas", "instead", "rather", "still",
];

/// Which tokens belong to a reason clause that follows the speaker's own refusal in the same
/// sentence.
pub(super) fn reason_tokens(tokens: &[Token], denied: &[bool]) -> Vec<bool> {
    let word = |index: usize| word_at(tokens, index);
    let mut explains = vec![false; tokens.len()];
    let (mut denial_before, mut speaker_before) = (false, false);
    let mut index = 0;
    while index < tokens.len() {
        let current = word(index);
        if current.is_some_and(|current| CONTRASTS.contains(&current)) {
            (denial_before, speaker_before) = (false, false);
        } else if denial_before
            && speaker_before
            && (current.is_some_and(|current| REASON_CUES.contains(&current))
                || is_reason_as(tokens, index))
        {
            while index < tokens.len() && !word(index).is_some_and(|word| CONTRASTS.contains(&word))
            {
                explains[index] = true;
                index += 1;
            }
            (denial_before, speaker_before) = (false, false);
            continue;
        }
        denial_before |= denied[index];
        // "X is overkill, since …" is the speaker's judgement as much as "I'd skip X".
        speaker_before |= current.is_some_and(|current| {
            FIRST_PERSON.contains(&current) || POST_DISMISSALS.contains(&current)
        });
        index += 1;
    }
    explains
}
