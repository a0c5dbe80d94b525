//! Lexical cues the scorer uses beside embeddings: content words, and whether a sentence
//! speaks as the candidate (negation has its own module, `score::negation`; whether a
//! fragment is a clause or a bare keyword is the segmenter's, `segment::keywords`).

use std::collections::BTreeSet;

use super::negation::opens_with_denial;
pub use crate::segment::keywords::{is_keyword_list, reads_as_clause, words};
use crate::segment::{sentence_positions, Segment, SegmentKind};

const STOPWORDS: [&str; 64] = [
    "the", "and", "for", "with", "that", "this", "from", "into", "onto", "are", "was", "were",
    "been", "being", "have", "has", "had", "will", "would", "should", "could", "can", "may",
    "might", "must", "shall", "our", "your", "their", "its", "they", "them", "you", "what", "when",
    "which", "who", "how", "why", "where", "also", "then", "than", "such", "like", "some", "any",
    "all", "each", "more", "most", "very", "just", "over", "about", "make", "use", "using", "used",
    "do", "does", "did", "not", "but",
];

/// Words by which a sentence speaks of what the candidate (or their team) would do.
pub(crate) const FIRST_PERSON: [&str; 15] = [
    "i", "i'd", "i'll", "i'm", "i've", "me", "my", "we", "we'd", "we'll", "we're", "we've", "us",
    "our", "let's",
];

/// Whether a sentence says what the candidate would or would not do: it speaks in the first
/// person, or opens with an instruction such as "don't" or "skip". A denial there refuses an
/// action ("I would not retrain on a schedule"), unlike a denial that describes a state
/// ("the bulb is not in a closed path"), which can be the content itself.
pub fn speaks_as_candidate(sentence: &str) -> bool {
    let words = words(sentence);
    opens_with_denial(&words)
        || words
            .iter()
            .any(|word| FIRST_PERSON.contains(&word.as_str()))
}

/// For each segment, whether its sentence speaks as the candidate.
pub fn speaking_as_candidate(segments: &[Segment]) -> Vec<bool> {
    let speaks: Vec<bool> = segments
        .iter()
        .map(|segment| segment.kind == SegmentKind::Sentence && speaks_as_candidate(&segment.text))
        .collect();
    sentence_positions(segments)
        .into_iter()
        .map(|sentence| speaks[sentence])
        .collect()
}

/// Stems of the content words: the first five letters of each non-stopword of three or
/// more letters, so "monitoring" and "monitor" meet.
pub fn content_stems(text: &str) -> BTreeSet<String> {
    words(text)
        .iter()
        .filter_map(|word| stem_of(word))
        .collect()
}

/// The stem of one lower-cased word, or `None` for a stopword or a word under three letters.
pub fn stem_of(word: &str) -> Option<String> {
    if word.chars().count() >= 3 && !STOPWORDS.contains(&word) {
        Some(word.chars().take(5).collect())
    } else {
        None
    }
}

/// Share of `reference`'s content stems that also occur in `candidate` (0 when it has none).
pub fn stem_overlap(reference: &BTreeSet<String>, candidate: &BTreeSet<String>) -> f32 {
    if reference.is_empty() {
        return 0.0;
    }
    reference.intersection(candidate).count() as f32 / reference.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_person_and_instructions_speak_as_the_candidate() {
        assert!(speaks_as_candidate("I would not retrain on a schedule."));
        assert!(speaks_as_candidate("We'd skip the feature store"));
        assert!(speaks_as_candidate("Don't deploy on Fridays."));
        assert!(speaks_as_candidate("Skip pruning, it rarely pays off."));
        assert!(speaks_as_candidate("Bypass the cache for fresh data."));
        assert!(speaks_as_candidate("Do not log raw PII."));
        assert!(!speaks_as_candidate("Do log every request."));
        assert!(!speaks_as_candidate("The bulb is not in a closed path."));
        assert!(!speaks_as_candidate(
            "Terminal 1 is not connected to terminal 2"
        ));
    }

    #[test]
    fn stems_meet_across_inflections() {
        let point = content_stems("Monitor drift metrics");
        let answer = content_stems("we were monitoring the drifting metric");
        assert_eq!(stem_overlap(&point, &answer), 1.0);
    }
}
