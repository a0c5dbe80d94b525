//! Negation with scope: which words of a sentence a denial governs. "I wouldn't prune the
//! model" denies pruning; "prune weights that don't contribute" denies only "contribute", so
//! a point about pruning is still affirmed.

mod backward;
mod concession;
mod reason;
mod scope;
mod tokens;
mod words;

use std::collections::BTreeSet;

use concession::mark_concessions;
pub use concession::Framing;
use reason::reason_tokens;
use scope::denied_tokens;
pub use scope::{opens_with_dismissal, opens_with_retraction};
use tokens::tokenize;

use crate::score::cues::{content_stems, stem_of, words};

/// Whether a sentence opens with a denial that gives an instruction: "don't retrain
/// daily", "never deploy on Fridays", "skip the cache", "do not log PII".
pub fn opens_with_denial(sentence_words: &[String]) -> bool {
    match sentence_words {
        [first, ..]
            if words::FORWARD_CUES.contains(&first.as_str())
                || words::DISMISS_VERBS.contains(&first.as_str())
                || tokens::is_contracted_negation(first) =>
        {
            true
        }
        [first, second, ..] => first == "do" && second == "not",
        _ => false,
    }
}

/// A sentence's words with whether each is inside the scope of a denial.
#[derive(Debug, Clone)]
pub struct NegationScope {
    words: Vec<ScopedWord>,
    framing: Option<Framing>,
    opens_with_turn: bool,
}

#[derive(Debug, Clone)]
struct ScopedWord {
    span: (usize, usize),
    stem: Option<String>,
    denied: bool,
    /// In the reason given for a denial: counted neither as denied nor as affirmed.
    explains: bool,
}

impl NegationScope {
    /// The scope of every denial in `sentence`.
    pub fn of(sentence: &str) -> NegationScope {
        let tokens = tokenize(sentence);
        let mut denied = denied_tokens(&tokens);
        mark_concessions(&tokens, &mut denied);
        let framing = concession::framing(&tokens);
        let opens_with_turn = concession::opens_with_turn(&tokens);
        let explains = reason_tokens(&tokens, &denied);
        // Stems come from the same word splitting as everywhere else, so that "fine-tune"
        // meets a point's "fine" and "tune".
        let words = tokens
            .into_iter()
            .zip(denied.into_iter().zip(explains))
            .filter_map(|(token, flags)| token.word.map(|word| (token.span, word, flags)))
            .flat_map(|(span, word, (denied, explains))| {
                words(&word).into_iter().map(move |part| ScopedWord {
                    span,
                    stem: stem_of(&part),
                    denied,
                    explains,
                })
            })
            .collect();
        NegationScope {
            words,
            framing,
            opens_with_turn,
        }
    }

    /// Whether the sentence only holds something up, as an appeal ("SMOTE sounds reasonable
    /// on paper") or someone else's proposal ("a registry was suggested"), without turning
    /// against it itself.
    pub fn framing(&self) -> Option<Framing> {
        self.framing
    }

    /// Whether the sentence opens by turning against the one before: "In practice, …".
    pub fn opens_with_turn(&self) -> bool {
        self.opens_with_turn
    }

    /// Denies every word: a question answered by a dismissal in the next sentence.
    pub fn deny_all(&mut self) {
        for word in &mut self.words {
            word.denied = true;
        }
    }

    /// Whether any word of the sentence is denied.
    pub fn any(&self) -> bool {
        self.words.iter().any(|word| word.denied)
    }

    /// Share of the content words inside `span` (bytes of the sentence) that a denial governs,
    /// counting only words whose stems are in `about` when any are; 0 when no word counts.
    pub fn denied_share(&self, span: (usize, usize), about: &BTreeSet<String>) -> f32 {
        let inside: Vec<&ScopedWord> = self
            .words
            .iter()
            .filter(|word| word.span.0 >= span.0 && word.span.1 <= span.1 && word.stem.is_some())
            .collect();
        let relevant: Vec<&ScopedWord> = inside
            .iter()
            .copied()
            .filter(|word| word.stem.as_ref().is_some_and(|stem| about.contains(stem)))
            .collect();
        // Words about the point decide when there are any; a span whose only such words
        // explain a refusal says nothing either way.
        let counted: Vec<&ScopedWord> = if relevant.is_empty() {
            inside
        } else {
            relevant
        }
        .into_iter()
        .filter(|word| !word.explains)
        .collect();
        if counted.is_empty() {
            return 0.0;
        }
        counted.iter().filter(|word| word.denied).count() as f32 / counted.len() as f32
    }
}

/// Whether the text, taken as one sentence, denies most of what it says about `about`.
pub fn denies(text: &str, about: &str) -> bool {
    NegationScope::of(text).denied_share((0, text.len()), &content_stems(about)) > 0.5
}

#[cfg(test)]
mod concession_tests;
#[cfg(test)]
mod refusal_tests;
#[cfg(test)]
mod tests;
