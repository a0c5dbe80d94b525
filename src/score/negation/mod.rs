//! Negation with scope: which words of a sentence a denial governs. "I wouldn't prune the
//! model" denies pruning; "prune weights that don't contribute" denies only "contribute", so
//! a point about pruning is still affirmed.

mod scope;
mod tokens;
mod words;

use std::collections::BTreeSet;

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
}

#[derive(Debug, Clone)]
struct ScopedWord {
    span: (usize, usize),
    stem: Option<String>,
    denied: bool,
}

impl NegationScope {
    /// The scope of every denial in `sentence`.
    pub fn of(sentence: &str) -> NegationScope {
        let tokens = tokenize(sentence);
        let denied = denied_tokens(&tokens);
        // Stems come from the same word splitting as everywhere else, so that "fine-tune"
        // meets a point's "fine" and "tune".
        let words = tokens
            .into_iter()
            .zip(denied)
            .filter_map(|(token, denied)| token.word.map(|word| (token.span, word, denied)))
            .flat_map(|(span, word, denied)| {
                words(&word).into_iter().map(move |part| ScopedWord {
                    span,
                    stem: stem_of(&part),
                    denied,
                })
            })
            .collect();
        NegationScope { words }
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
        let relevant: Vec<&&ScopedWord> = inside
            .iter()
            .filter(|word| word.stem.as_ref().is_some_and(|stem| about.contains(stem)))
            .collect();
        let (denied, total) = if relevant.is_empty() {
            (
                inside.iter().filter(|word| word.denied).count(),
                inside.len(),
            )
        } else {
            (
                relevant.iter().filter(|word| word.denied).count(),
                relevant.len(),
            )
        };
        if total == 0 {
            0.0
        } else {
            denied as f32 / total as f32
        }
    }
}

/// Whether the text, taken as one sentence, denies most of what it says about `about`.
pub fn denies(text: &str, about: &str) -> bool {
    NegationScope::of(text).denied_share((0, text.len()), &content_stems(about)) > 0.5
}

#[cfg(test)]
mod tests;
