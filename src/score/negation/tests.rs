use super::*;

/// Whether `word` (its first occurrence) lies inside a denial's scope in `sentence`.
pub(super) fn is_denied(sentence: &str, word: &str) -> bool {
    let scope = NegationScope::of(sentence);
    let start = sentence
        .to_lowercase()
        .find(&word.to_lowercase())
        .unwrap_or_else(|| panic!("{word:?} is not in {sentence:?}"));
    scope
        .words
        .iter()
        .find(|scoped| scoped.span.0 <= start && start < scoped.span.1)
        .map(|scoped| scoped.denied)
        .unwrap_or_else(|| panic!("{word:?} is not a word of {sentence:?}"))
}

/// Checks each case: a sentence, the words a denial must govern, and the words it must not.
pub(super) fn assert_cases(cases: &[(&str, &[&str], &[&str])]) {
    let mut failures = Vec::new();
    for (sentence, denied, affirmed) in cases {
        for word in *denied {
            if !is_denied(sentence, word) {
                failures.push(format!("{sentence:?}: {word:?} should be denied"));
            }
        }
        for word in *affirmed {
            if is_denied(sentence, word) {
                failures.push(format!("{sentence:?}: {word:?} should not be denied"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each case: a sentence, then the words a denial must govern, then the words it must not.
const CASES: &[(&str, &[&str], &[&str])] = &[
    // Denials from the issue.
    ("I wouldn't prune the model", &["prune", "model"], &[]),
    ("pruning isn't needed here", &["pruning"], &[]),
    ("no need for GPUs", &["GPUs"], &[]),
    ("skip caching entirely", &["caching"], &[]),
    (
        "instead of retraining nightly I would fine-tune weekly",
        &["retraining", "nightly"],
        &["fine-tune", "weekly"],
    ),
    (
        "I'd skip pruning, quantization or distillation",
        &["pruning", "quantization", "distillation"],
        &[],
    ),
    (
        "GPUs or special accelerators aren't necessary either",
        &["GPUs", "accelerators"],
        &[],
    ),
    // Affirmations from the issue: the negation governs something else.
    (
        "prune weights that don't contribute",
        &[],
        &["prune", "weights"],
    ),
    (
        "cache features in Redis so we don't hit the database",
        &[],
        &["cache", "features", "Redis", "database"],
    ),
    (
        "roll out the new model without downtime",
        &[],
        &["roll", "model", "downtime"],
    ),
    (
        "track p99 latency, not just the average",
        &[],
        &["p99", "latency", "average"],
    ),
    // More denials.
    (
        "drift monitoring is overkill for this",
        &["drift", "monitoring"],
        &[],
    ),
    (
        "we'd never retrain on every request",
        &["retrain", "request"],
        &[],
    ),
    (
        "I don't think a feature store is worth it",
        &["feature", "store"],
        &[],
    ),
    (
        "A/B testing would be a waste of time",
        &["A/B", "testing"],
        &[],
    ),
    (
        "canary releases are too risky for us",
        &["canary", "releases"],
        &[],
    ),
    (
        "we wouldn't bother with SHAP or LIME",
        &["SHAP", "LIME"],
        &[],
    ),
    (
        "no canary, no shadow mode, just a straight swap",
        &["canary", "shadow"],
        &["swap"],
    ),
    (
        "I'd use plain accuracy rather than F1",
        &["F1"],
        &["accuracy"],
    ),
    (
        "rather than building a custom server, use Triton",
        &["building", "custom"],
        &["Triton"],
    ),
    (
        "Kubernetes isn't something I'd bother with",
        &["Kubernetes"],
        &[],
    ),
    (
        "honestly retraining schedules don't matter",
        &["retraining", "schedules"],
        &[],
    ),
    (
        "there is no point in monitoring drift",
        &["monitoring", "drift"],
        &[],
    ),
    (
        "encryption is not required for this data",
        &["encryption"],
        &[],
    ),
    (
        "we don't need explainability tools",
        &["explainability"],
        &[],
    ),
    ("nor would I add a feature store", &["feature"], &[]),
    ("forget about active learning", &["active", "learning"], &[]),
    (
        "we'd ditch the feature store completely",
        &["feature", "store"],
        &[],
    ),
    (
        "I wouldn't use SMOTE and I wouldn't reweight the loss either",
        &["SMOTE", "reweight", "loss"],
        &[],
    ),
    (
        "Explainability tooling is unnecessary here",
        &["Explainability", "tooling"],
        &[],
    ),
    (
        "a model registry seems pointless for one model",
        &["registry"],
        &[],
    ),
    // More affirmations.
    (
        "we monitor not only accuracy but latency",
        &[],
        &["accuracy", "latency"],
    ),
    (
        "use transfer learning so we don't have to train from scratch",
        &[],
        &["transfer", "learning"],
    ),
    (
        "never deploy a model without a shadow test",
        &[],
        &["deploy", "shadow"],
    ),
    (
        "whether or not the model drifted, we retrain weekly",
        &[],
        &["retrain", "drifted"],
    ),
    (
        "with no downtime we swap versions behind the load balancer",
        &[],
        &["swap", "versions"],
    ),
    (
        "I'd retrain weekly, but not on weekends",
        &["weekends"],
        &["retrain", "weekly"],
    ),
    (
        "I wouldn't retrain from scratch, but I would fine-tune the last layers",
        &["retrain", "scratch"],
        &["fine-tune", "layers"],
    ),
    (
        "we don't retrain blindly; we compare against the champion first",
        &["blindly"],
        &["compare", "champion"],
    ),
    (
        "no matter the load we autoscale pods",
        &[],
        &["autoscale", "pods"],
    ),
    (
        "use early stopping to not overfit",
        &[],
        &["early", "stopping"],
    ),
    ("I'd never skip the validation step", &[], &["validation"]),
    (
        "monitor drift and alert when PSI is high, and don't forget calibration",
        &[],
        &["monitor", "calibration"],
    ),
    (
        "we make sure no PII leaves the cluster by hashing ids",
        &[],
        &["PII", "hashing"],
    ),
    (
        "the features aren't stale because we refresh them hourly",
        &["stale"],
        &["refresh", "hourly"],
    ),
    (
        "I would not retrain the whole model, we just fine-tune the head",
        &["retrain"],
        &["fine-tune", "head"],
    ),
    (
        "keep the old model warm so rollback takes no time",
        &[],
        &["rollback", "warm"],
    ),
];

#[test]
fn denials_govern_their_own_clause_only() {
    assert_cases(CASES);
    assert!(CASES.len() >= 40);
}

#[test]
fn a_point_is_denied_when_most_of_its_words_are() {
    assert!(denies(
        "I'd skip pruning, quantization or distillation",
        "quantization"
    ));
    assert!(denies(
        "no need for GPUs or TPUs here",
        "hardware acceleration with GPUs"
    ));
    assert!(!denies(
        "prune weights that don't contribute",
        "prune low-magnitude weights"
    ));
    // Half the point's words denied is not enough.
    assert!(!denies(
        "there's no training-serving skew since the same code computes features",
        "share feature code between training and serving"
    ));
}

#[test]
fn denied_share_counts_only_words_inside_the_span() {
    let sentence = "I'd retrain weekly, but I wouldn't prune";
    let scope = NegationScope::of(sentence);
    let stems = content_stems("prune the model");
    let split = sentence.find(", but").unwrap();
    assert_eq!(scope.denied_share((0, split), &stems), 0.0);
    assert_eq!(scope.denied_share((split, sentence.len()), &stems), 1.0);
    assert!(scope.any());
    assert!(!NegationScope::of("we retrain weekly").any());
}

#[test]
fn tokens_keep_byte_spans_across_multibyte_text() {
    let sentence = "we don’t cache — café “features”";
    let tokens = tokenize(sentence);
    for token in &tokens {
        assert!(sentence.is_char_boundary(token.span.0) && sentence.is_char_boundary(token.span.1));
    }
    assert!(is_denied(sentence, "cache"));
    assert!(!is_denied(sentence, "café"));
}

#[test]
fn bare_dismissal_tails_deny_what_precedes_them() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "Ensembles or stacking of models trained on different time windows - not worth the complexity.",
            &["Ensembles", "stacking"],
            &[],
        ),
        (
            "federated learning or secure multi-party computation are research toys, no need for them",
            &["federated", "multi-party"],
            &[],
        ),
        ("few-shot or meta-learning (prototypical nets etc) is overkill imo", &["few-shot", "meta-learning"], &[]),
        ("caching predictions in redis - skip it.", &["caching", "redis"], &[]),
        ("track p99 latency, not the mean", &["mean"], &["p99", "latency"]),
    ];
    assert_cases(cases);
    assert!(opens_with_dismissal("not worth it."));
    assert!(opens_with_dismissal(
        "i wouldnt bother, it's an internal API."
    ));
    assert!(!opens_with_dismissal("Not the mean, the p99."));
}

#[test]
fn a_denial_with_nothing_after_it_reaches_back_to_a_fronted_object() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "Homomorphic encryption for inference I would not use though",
            &["Homomorphic", "encryption"],
            &[],
        ),
        (
            "Versioning the datasets with dvc i would skip tbh",
            &["Versioning", "dvc"],
            &[],
        ),
        (
            "Edge deployment I would not bother with tbh",
            &["Edge", "deployment"],
            &[],
        ),
        (
            "Feature flags for models I'd skip though",
            &["Feature", "flags"],
            &[],
        ),
        (
            "pulling business experts in to review predictions just slows everything down",
            &["experts"],
            &[],
        ),
        (
            "user feedback is too noisy to be useful",
            &["feedback"],
            &[],
        ),
        (
            "we cache features in Redis so we don't",
            &[],
            &["cache", "Redis"],
        ),
    ];
    assert_cases(cases);
}

#[test]
fn a_retraction_opens_with_its_cue_even_after_a_word_of_hesitation() {
    assert!(opens_with_retraction(
        "Actually no, Istio is overkill here."
    ));
    assert!(opens_with_retraction(
        "Actually, scratch that, it's fast enough."
    ));
    assert!(opens_with_retraction(
        "On second thought, I'd drop the stream processor."
    ));
    assert!(opens_with_retraction("Hmm, never mind the cache."));
    assert!(!opens_with_retraction(
        "Actually, Istio helps with retries."
    ));
    assert!(!opens_with_retraction("Then again, caching helps."));
    assert!(!opens_with_retraction(
        "We could scratch the old pipeline later."
    ));
}
