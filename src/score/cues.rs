//! Lexical cues the scorer uses beside embeddings: content words, and whether a fragment
//! reads as a clause or as a bare keyword (negation has its own module, `score::negation`).

use std::collections::BTreeSet;

use super::negation::opens_with_denial;
use crate::segment::{sentence_positions, Segment, SegmentKind};

const STOPWORDS: [&str; 64] = [
    "the", "and", "for", "with", "that", "this", "from", "into", "onto", "are", "was", "were",
    "been", "being", "have", "has", "had", "will", "would", "should", "could", "can", "may",
    "might", "must", "shall", "our", "your", "their", "its", "they", "them", "you", "what", "when",
    "which", "who", "how", "why", "where", "also", "then", "than", "such", "like", "some", "any",
    "all", "each", "more", "most", "very", "just", "over", "about", "make", "use", "using", "used",
    "do", "does", "did", "not", "but",
];

/// Words that mark a fragment as a clause (a subject, modal, auxiliary or infinitive),
/// as opposed to a bare keyword.
const CLAUSE_CUES: [&str; 46] = [
    "i", "i'd", "i'll", "i'm", "we", "we'd", "we'll", "you", "they", "it", "it's", "would", "will",
    "should", "can", "could", "must", "might", "is", "are", "was", "be", "been", "to", "by", "so",
    "that", "which", "where", "when", "if", "then", "because", "let", "make", "use", "using",
    "add", "set", "keep", "run", "put", "have", "has", "need", "helps",
];

/// Verbs a bullet often starts with ("retrain weekly", "encrypt at rest").
const IMPERATIVE_STARTS: [&str; 48] = [
    "monitor",
    "track",
    "retrain",
    "deploy",
    "apply",
    "add",
    "build",
    "train",
    "log",
    "version",
    "store",
    "cache",
    "encrypt",
    "anonymize",
    "anonymise",
    "implement",
    "employ",
    "leverage",
    "collect",
    "label",
    "augment",
    "fine-tune",
    "finetune",
    "compress",
    "quantize",
    "prune",
    "scale",
    "shard",
    "partition",
    "split",
    "validate",
    "test",
    "alert",
    "roll",
    "document",
    "automate",
    "schedule",
    "measure",
    "compare",
    "detect",
    "remove",
    "fill",
    "impute",
    "start",
    "create",
    "choose",
    "pick",
    "check",
];

/// Words by which a sentence speaks of what the candidate (or their team) would do.
const FIRST_PERSON: [&str; 15] = [
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

/// Lower-cased words of a text, apostrophes kept (`don't`), other punctuation dropped.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|word| !word.is_empty())
        .map(|word| word.replace('’', "'").to_lowercase())
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

/// A fragment reads as a clause when it has a clause cue or is long enough to be one.
pub fn reads_as_clause(text: &str) -> bool {
    let words = words(text);
    words.len() >= 5
        || words
            .iter()
            .any(|word| CLAUSE_CUES.contains(&word.as_str()))
        || words.first().is_some_and(|first| {
            IMPERATIVE_STARTS.contains(&first.as_str())
                || first.ends_with("ize")
                || first.ends_with("ise")
        })
}

/// Words that tie a fragment's nouns into a statement of what to do: "AES-256 at rest",
/// "PSI per feature", "page on-call above 0.2". A keyword names a topic and has none.
const RELATION_WORDS: [&str; 22] = [
    "at", "in", "per", "for", "on", "before", "after", "above", "below", "over", "under", "via",
    "with", "by", "from", "into", "against", "across", "until", "every", "each", "instead",
];

/// Whether a sentence (or a run of one) is a bare list of keywords: several short comma- or
/// slash-separated items that name topics, with no clause among them, or one in six at most. "PSI per feature, page
/// on-call above 0.2" is a list of terse statements, not of keywords.
pub fn is_keyword_list(sentence: &str) -> bool {
    let items: Vec<&str> = sentence
        .split([',', '/', '|', '+', ';'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    let bare_items = items
        .iter()
        .filter(|item| {
            let item_words = words(item);
            item_words.len() <= 4
                && !item_words
                    .iter()
                    .any(|word| RELATION_WORDS.contains(&word.as_str()))
        })
        .count();
    // In a long list one item may look like a clause by accident ("label shift",
    // "open-set recognition"); it does not make the rest statements.
    let clause_items = items.iter().filter(|item| reads_as_clause(item)).count();
    items.len() >= 2 && bare_items * 4 >= items.len() * 3 && clause_items * 6 <= items.len()
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
    fn keyword_lists_are_told_apart_from_clauses() {
        assert!(is_keyword_list(
            "transfer learning, data augmentation, active learning, synthetic data"
        ));
        assert!(is_keyword_list("Kafka / Spark Streaming / partitioning"));
        assert!(!is_keyword_list(
            "I would use transfer learning, augment the data, and label actively"
        ));
        assert!(!is_keyword_list("Monitor drift"));
        assert!(!is_keyword_list(
            "PSI per feature vs the training window, page on-call above 0.2"
        ));
        assert!(!is_keyword_list("AES-256 at rest, TLS in transit"));
        assert!(is_keyword_list(
            "class-incremental learning, online updates, continual learning, replay buffers, \
             few-shot, prototypical networks, open-set recognition, OOD detection"
        ));
        assert!(!is_keyword_list(
            "drift dashboards, retraining, alerting, and we retrain weekly on fresh data"
        ));
    }

    #[test]
    fn stems_meet_across_inflections() {
        let point = content_stems("Monitor drift metrics");
        let answer = content_stems("we were monitoring the drifting metric");
        assert_eq!(stem_overlap(&point, &answer), 1.0);
    }
}
