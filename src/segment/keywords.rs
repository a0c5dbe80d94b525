//! Whether a piece of an answer states something or only names topics: a clause ("retrain
//! weekly on fresh labels") against a bare keyword or a list of them ("drift, PSI, alerts").
//! The segmenter cuts a keyword list more coarsely, and the scorer reads the same test.

/// Words that mark a fragment as a clause (a subject, modal, auxiliary or infinitive),
/// as opposed to a bare keyword.
const CLAUSE_CUES: [&str; 46] = [
    "i", "i'd", "i'll", "i'm", "we", "we'd", "we'll", "you", "they", "it", "it's", "would", "will",
    "should", "can", "could", "must", "might", "is", "are", "was", "be", "been", "to", "by", "so",
    "that", "which", "where", "when", "if", "then", "because", "let", "make", "use", "using",
    "add", "set", "keep", "run", "put", "have", "has", "need", "helps",
];

/// Verbs a bullet or a terse clause often starts with ("retrain weekly", "encrypt at rest",
/// "autoscale replicas").
const IMPERATIVE_STARTS: [&str; 116] = [
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
    "autoscale",
    "pin",
    "distill",
    "distil",
    "replicate",
    "page",
    "audit",
    "tune",
    "retune",
    "dedupe",
    "deduplicate",
    "mask",
    "hash",
    "register",
    "ship",
    "serve",
    "expose",
    "wrap",
    "package",
    "export",
    "evaluate",
    "refactor",
    "lint",
    "orchestrate",
    "trigger",
    "notify",
    "escalate",
    "throttle",
    "rate-limit",
    "precompute",
    "reweight",
    "oversample",
    "undersample",
    "annotate",
    "crowdsource",
    "pretrain",
    "freeze",
    "retire",
    "deprecate",
    "backfill",
    "query",
    "compute",
    "aggregate",
    "downsample",
    "upsample",
    "shuffle",
    "stratify",
    "simulate",
    "generate",
    "scrub",
    "redact",
    "isolate",
    "rotate",
    "revoke",
    "restrict",
    "grant",
    "enforce",
    "block",
    "reject",
    "quarantine",
    "rollback",
    "revert",
    "promote",
    "gate",
    "explain",
    "blend",
    "tag",
    "flag",
];

/// Lower-cased words of a text, apostrophes kept (`don't`), other punctuation dropped.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|word| !word.is_empty())
        .map(|word| word.replace('’', "'").to_lowercase())
        .collect()
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
/// slash-separated items that name topics, with no clause among them, or one in six at
/// most. "PSI per feature, page on-call above 0.2" is a list of terse statements, not of
/// keywords.
pub fn is_keyword_list(sentence: &str) -> bool {
    let items = list_items(sentence, &[',', '/', '|', '+', ';']);
    let bare_items = items.iter().filter(|item| names_only(item)).count();
    // In a long list one item may look like a clause by accident ("label shift",
    // "open-set recognition"); it does not make the rest statements.
    let clause_items = items.iter().filter(|item| reads_as_clause(item)).count();
    items.len() >= 2 && bare_items * 4 >= items.len() * 3 && clause_items * 6 <= items.len()
}

/// The non-empty items of a list, split at any of `separators`.
fn list_items<'a>(text: &'a str, separators: &[char]) -> Vec<&'a str> {
    text.split(separators)
        .map(str::trim)
        .filter(|item| item.chars().any(char::is_alphanumeric))
        .collect()
}

/// A short item with no word tying its nouns into a statement: "drift", "MLflow registry".
fn names_only(item: &str) -> bool {
    let item_words = words(item);
    item_words.len() <= 4
        && !item_words
            .iter()
            .any(|word| RELATION_WORDS.contains(&word.as_str()))
}

/// A list item that only names a topic: short, no relation word, and nothing that reads as
/// a clause ("online learning", "SHAP", "audit logs").
pub fn is_bare_item(item: &str) -> bool {
    names_only(item) && !reads_as_clause(item)
}

/// Whether every comma-separated item of a text is bare: a run of a list's keywords.
pub fn is_bare_run(text: &str) -> bool {
    let items = list_items(text, &[',', '/', '|', '+', ';']);
    !items.is_empty() && items.iter().all(|item| is_bare_item(item))
}

/// Whether a sentence is typed-up notes that mix statements with bare keywords: "drift
/// metrics, retrain every Sunday on the last 30 days, online learning, page on-call when
/// AUC slips". Each item then speaks for itself, and a keyword does not borrow the words
/// of the statement beside it. A sentence that opens with a clause and lists its objects
/// after it ("I'd use transfer learning, augmentation and active learning") is prose.
pub fn is_notes_list(sentence: &str) -> bool {
    let items = list_items(sentence, &[',', ';']);
    if items.len() < 3 || is_keyword_list(sentence) {
        return false;
    }
    let bare = items.iter().filter(|item| is_bare_item(item)).count();
    let clauses = items.len() - bare;
    bare >= 2 && clauses >= 1 && (is_bare_item(items[0]) || clauses >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn notes_that_mix_statements_with_keywords_are_told_apart_from_prose() {
        assert!(is_notes_list(
            "SHAP, ship a depth-4 tree when it is within a point of the boosted model, PDPs"
        ));
        assert!(is_notes_list(
            "Kafka, Flink, backpressure, dashboard consumer lag per topic with an alert"
        ));
        // A keyword list, prose listing its verb's objects, and statements only.
        assert!(!is_notes_list("drift, PSI, alerts, dashboards"));
        assert!(!is_notes_list(
            "I'd use transfer learning, data augmentation, and active learning"
        ));
        assert!(!is_notes_list(
            "PSI per feature vs the training window, page on-call above 0.2, retrain weekly"
        ));
        assert!(is_bare_run("online learning, ensembles"));
        assert!(!is_bare_run(
            "online learning, retrain every week on fresh labels"
        ));
    }
}
