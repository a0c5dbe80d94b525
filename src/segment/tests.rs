//! Tests of the segmenter: sentence and clause boundaries, spans, and the cases fuzzing found.

use super::*;

fn sentence_texts(answer: &str) -> Vec<String> {
    segment(answer)
        .into_iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
        .map(|segment| segment.text)
        .collect()
}

fn clause_texts(answer: &str) -> Vec<String> {
    segment(answer)
        .into_iter()
        .filter(|segment| segment.kind == SegmentKind::Clause)
        .map(|segment| segment.text)
        .collect()
}

#[test]
fn splits_plain_sentences() {
    assert_eq!(
        sentence_texts("I would monitor drift. Then I retrain weekly! Why? Because data changes."),
        [
            "I would monitor drift.",
            "Then I retrain weekly!",
            "Why?",
            "Because data changes."
        ]
    );
}

#[test]
fn abbreviations_do_not_end_sentences() {
    assert_eq!(
        sentence_texts("Use a framework, e.g. Spark or Dask, i.e. something distributed. Batch vs. stream matters."),
        [
            "Use a framework, e.g. Spark or Dask, i.e. something distributed.",
            "Batch vs. stream matters."
        ]
    );
}

#[test]
fn etc_ends_a_sentence_only_before_a_capital() {
    assert_eq!(
        sentence_texts("Use Spark, Dask etc. and cache. Then etc. Next point."),
        [
            "Use Spark, Dask etc. and cache.",
            "Then etc.",
            "Next point."
        ]
    );
}

#[test]
fn decimals_and_versions_stay_whole() {
    assert_eq!(
        sentence_texts("Accuracy went from 0.91 to 0.95 after upgrading to v2.4.0 of torch. Good."),
        [
            "Accuracy went from 0.91 to 0.95 after upgrading to v2.4.0 of torch.",
            "Good."
        ]
    );
}

#[test]
fn bullets_and_numbered_lists_are_separate_sentences_without_markers() {
    let answer = "My plan:\n- monitor drift metrics\n* retrain weekly\n• alert on-call\n1. use canaries\n2) roll back fast";
    assert_eq!(
        sentence_texts(answer),
        [
            "My plan",
            "monitor drift metrics",
            "retrain weekly",
            "alert on-call",
            "use canaries",
            "roll back fast"
        ]
    );
}

#[test]
fn line_breaks_end_thoughts_but_soft_wraps_join() {
    assert_eq!(
        sentence_texts("I would monitor drift\nRetrain on fresh data\nthen deploy it"),
        [
            "I would monitor drift",
            "Retrain on fresh data\nthen deploy it"
        ]
    );
    assert_eq!(
        sentence_texts("first idea\n\nsecond idea"),
        ["first idea", "second idea"]
    );
}

#[test]
fn semicolons_split() {
    assert_eq!(
        sentence_texts("monitor the metrics; retrain often; alert people"),
        ["monitor the metrics", "retrain often", "alert people"]
    );
}

#[test]
fn text_without_punctuation_is_split_into_clauses() {
    let answer = "i would track the drift metrics on a dashboard and retrain the model every week with new data and page the on call engineer";
    assert_eq!(sentence_texts(answer).len(), 1);
    assert_eq!(
        clause_texts(answer),
        [
            "i would track the drift metrics on a dashboard",
            "retrain the model every week with new data",
            "page the on call engineer"
        ]
    );
}

#[test]
fn list_commas_make_clauses_and_short_items_merge() {
    let answer = "I would fine-tune a pretrained model, augment the images with flips and crops, and label the most uncertain samples first.";
    assert_eq!(
        clause_texts(answer),
        [
            "I would fine-tune a pretrained model",
            "augment the images with flips and crops",
            "label the most uncertain samples first."
        ]
    );
    assert!(
        clause_texts("Use Spark, Dask and Ray for it all in parallel on a cluster.")
            .iter()
            .all(|clause| word_count(clause) >= 3)
    );
}

#[test]
fn short_sentences_get_no_clauses() {
    assert!(clause_texts("Monitor drift and retrain.").is_empty());
}

#[test]
fn spans_point_back_into_the_answer() {
    let answer = "  Héllo wörld, this is fine.\n- naïve bayes works; ok ✓ done and dusted, as we said before then. ";
    for segment in segment(answer) {
        assert_eq!(&answer[segment.span.0..segment.span.1], segment.text);
    }
}

#[test]
fn empty_and_symbol_only_answers_have_no_segments() {
    assert!(segment("").is_empty());
    assert!(segment("   \n\t ").is_empty());
    assert!(segment("... --- !!!").is_empty());
}

/// Found by scripts/fuzz: a period after a multi-byte space sliced inside that space.
#[test]
fn a_multibyte_space_before_a_period_is_not_cut_in_half() {
    let answer = "¡\u{2000}. next\u{2003}e.g. more";
    for segment in segment(answer) {
        assert_eq!(&answer[segment.span.0..segment.span.1], segment.text);
    }
}

#[test]
fn an_interviewers_turns_are_not_the_answer() {
    let transcript = "Interviewer: Would you monitor drift\nwith PSI on every feature?\n\
        Candidate: Yes. I'd retrain weekly.\nQ: Anything else?\nA: Alert on-call when accuracy drops.";
    assert_eq!(
        sentence_texts(transcript),
        [
            "Yes.",
            "I'd retrain weekly.",
            "Alert on-call when accuracy drops."
        ]
    );
    // Spans still point into the original text, past the candidate's label.
    for segment in segment(transcript) {
        assert_eq!(&transcript[segment.span.0..segment.span.1], segment.text);
    }
    // A question typed above an unlabelled answer is the answer's own line.
    assert_eq!(
        sentence_texts("Q: How would you handle drift?\nI would monitor PSI."),
        ["I would monitor PSI."]
    );
    assert_eq!(
        sentence_texts("Note: I would monitor PSI."),
        ["Note: I would monitor PSI."]
    );
}

#[test]
fn a_short_sentence_with_two_actions_gets_a_clause_for_each() {
    assert_eq!(
        clause_texts("Monitor drift with PSI and retrain it every week."),
        ["Monitor drift with PSI", "retrain it every week."]
    );
}

#[test]
fn spaced_dashes_separate_thoughts_but_hyphens_do_not() {
    assert_eq!(
        clause_texts(
            "add noisy copies of each image - pseudo-label the unlabelled photos – page the on-call engineer"
        ),
        [
            "add noisy copies of each image",
            "pseudo-label the unlabelled photos",
            "page the on-call engineer"
        ]
    );
}

#[test]
fn two_word_actions_are_clauses_but_keyword_list_items_are_not() {
    assert_eq!(
        clause_texts(
            "Dockerize everything, keep a conda env per project, pin versions in a lockfile."
        ),
        [
            "Dockerize everything",
            "keep a conda env per project",
            "pin versions in a lockfile."
        ]
    );
    assert!(
        clause_texts("transfer learning, data augmentation, active learning, synthetic data, GANs")
            .iter()
            .all(|clause| word_count(clause) >= 3),
        "{:?}",
        clause_texts("transfer learning, data augmentation, active learning, synthetic data, GANs")
    );
}

#[test]
fn a_two_word_noun_in_a_list_is_not_a_clause() {
    assert_eq!(
        clause_texts(
            "Wrap the model as a stateless REST service, autoscale replicas, and log every request"
        ),
        [
            "Wrap the model as a stateless REST service",
            "autoscale replicas",
            "log every request"
        ]
    );
    // "model changes" names a thing in the list; it does not say what to do.
    assert!(clause_texts(
        "Use version control systems like Git to manage code, data, and model changes"
    )
    .is_empty());
}

#[test]
fn an_item_of_notes_stays_whole_across_its_own_and() {
    // "weekly reviews" opens the third item; it is not tacked onto the second.
    assert_eq!(
        clause_texts(
            "Git plus DVC versioning everything, small reusable pipeline components, weekly \
             reviews plus refactoring debt, pytest suites in GitHub Actions"
        ),
        [
            "Git plus DVC versioning everything",
            "small reusable pipeline components",
            "weekly reviews plus refactoring debt",
            "pytest suites in GitHub Actions"
        ]
    );
}

#[test]
fn notes_mixing_statements_and_keywords_keep_the_keywords_apart() {
    // A bare keyword does not borrow the words of the statement beside it.
    assert_eq!(
        clause_texts(
            "drift metrics, retrain every Sunday on the last 30 days of labels, online \
             learning, ensembles, page on-call once live AUC slips below baseline"
        ),
        [
            "drift metrics",
            "retrain every Sunday on the last 30 days of labels",
            "online learning, ensembles",
            "page on-call once live AUC slips below baseline"
        ]
    );
    // Prose that lists the objects of its verb is not notes.
    assert_eq!(
        clause_texts("I'd use transfer learning, data augmentation, and active learning"),
        Vec::<String>::new()
    );
}
