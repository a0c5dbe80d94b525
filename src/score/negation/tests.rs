use super::*;

/// Whether `word` (its first occurrence) lies inside a denial's scope in `sentence`.
fn is_denied(sentence: &str, word: &str) -> bool {
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
fn assert_cases(cases: &[(&str, &[&str], &[&str])]) {
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

#[test]
fn rejections_in_the_words_people_use() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "I'd steer clear of synthetic samples from a GAN",
            &["synthetic", "GAN"],
            &[],
        ),
        ("we can do without a feature store", &["feature"], &[]),
        ("I'd also leave out transfer learning", &["transfer"], &[]),
        (
            "I would also avoid ensembles or stacked models",
            &["ensembles", "stacked"],
            &[],
        ),
        (
            "Plain oversampling or undersampling I'd avoid as well",
            &["oversampling", "undersampling"],
            &[],
        ),
        (
            "Training with DP-SGD noise is likewise not on my list",
            &["DP-SGD"],
            &[],
        ),
        (
            "Honestly, SMOTE and ADASYN are a trap for this data",
            &["SMOTE", "ADASYN"],
            &[],
        ),
        (
            "AutoML frameworks like H2O, TPOT or Auto-sklearn are not something I'd bring in",
            &["AutoML", "H2O", "TPOT", "Auto-sklearn"],
            &[],
        ),
        // "avoid" as a purpose names what a step prevents; it denies nothing.
        (
            "containerize to avoid environment drift",
            &[],
            &["containerize", "environment"],
        ),
        ("pinning versions helps avoid surprises", &[], &["pinning"]),
        (
            "Istio or any other service mesh, or even an API gateway, isn't something I'd introduce",
            &["Istio", "mesh", "gateway"],
            &[],
        ),
        (
            "Role-based access rules and access logs I'd also skip, as only two people work with this data",
            &["Role-based", "logs"],
            &["people"],
        ),
        ("I wouldn't use tools such as Airflow", &["Airflow"], &[]),
        // A list closed before the dismissal; a clause of its own before it is not part of it.
        (
            "We retrain weekly, drift alerts are overkill",
            &["drift"],
            &["retrain"],
        ),
    ];
    assert_cases(cases);
}

#[test]
fn ruled_out_of_the_plan() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "Self-training on machine-made labels is also out for me",
            &["Self-training"],
            &[],
        ),
        (
            "Ensembles or stacked models are out for me",
            &["Ensembles", "stacked"],
            &[],
        ),
        (
            "Moving the raw data into S3 as a data lake is also off the table",
            &["S3", "lake"],
            &[],
        ),
        (
            "I'd leave Docker and Kubernetes out of this",
            &["Docker", "Kubernetes"],
            &[],
        ),
        ("feature stores are out of scope", &["feature"], &[]),
        // "out" that rules nothing out.
        (
            "we scale out the workers and roll out the model",
            &[],
            &["workers", "model"],
        ),
        ("the model is out of date so we retrain", &[], &["retrain"]),
    ];
    assert_cases(cases);
}

#[test]
fn the_reason_for_a_refusal_does_not_dilute_it() {
    let share = |sentence: &str, about: &str| {
        NegationScope::of(sentence).denied_share((0, sentence.len()), &content_stems(about))
    };
    let refusal = "I'd steer clear of synthetic samples from a GAN, because generated examples rarely resemble real inputs.";
    assert_eq!(share(refusal, "generate synthetic samples with a GAN"), 1.0);
    let fronted = "Self-training on machine labels is out for me, since a weak model would reinforce its mistakes.";
    assert_eq!(share(fronted, "self-training with machine labels"), 1.0);
    // The reason stays neutral, not denied: an alternative it names is not refused.
    let reason_only = "because generated examples rarely resemble real inputs";
    let scope = NegationScope::of(refusal);
    let start = refusal.find(reason_only).unwrap();
    assert_eq!(
        scope.denied_share(
            (start, start + reason_only.len()),
            &content_stems("generated examples")
        ),
        0.0
    );
    // A reason before the denial, or after a turn to what the speaker would do, is not one.
    assert_eq!(
        share(
            "Since labels are scarce, I would pseudo-label the pool.",
            "pseudo-label the pool"
        ),
        0.0
    );
    assert_eq!(
        share(
            "I'd skip the GAN but fine-tune a checkpoint, since it is cheap.",
            "fine-tune a checkpoint"
        ),
        0.0
    );
}

#[test]
fn fronted_refusals_in_varied_words() {
    assert_cases(&[
        (
            "Retraining on a calendar, say every month, I'd also rule out, because it churns the model",
            &["Retraining", "calendar", "month"],
            &[],
        ),
        (
            "Committing training scripts and config files to Git I'd also skip for this project",
            &["Committing", "scripts", "Git"],
            &[],
        ),
        (
            "Model-wide summaries, importance rankings and dependence plots alike, are also skipped in my design",
            &["summaries", "rankings", "dependence"],
            &[],
        ),
        (
            "Tracking lineage and provenance for every dataset is also more than we need",
            &["lineage", "provenance"],
            &[],
        ),
        (
            "Shrink the data when the full volume isn't needed, by sampling or reducing dimensionality",
            &["volume"],
            &["Shrink", "sampling", "dimensionality"],
        ),
    ]);
}

#[test]
fn refusals_of_a_subject_with_a_relative_clause_or_an_aside() {
    assert_cases(&[
        (
            "Canaries or A/B experiments that route a fraction of requests to the newcomer are also something I'd skip",
            &["Canaries", "experiments", "route"],
            &[],
        ),
        (
            "Feature flags deciding which users see the new model would be overkill",
            &["Feature", "flags", "users"],
            &[],
        ),
        (
            "Quantizing weights to int8 or otherwise compressing the model is also something I'd rule out",
            &["Quantizing", "int8", "compressing"],
            &[],
        ),
        (
            "Fine-tuning the existing model every so often on a fresh batch that includes the new categories is also not my plan",
            &["Fine-tuning", "batch", "categories"],
            &[],
        ),
        (
            "Recurring compliance check-ups of the pipeline I'd also not schedule",
            &["compliance", "check-ups", "pipeline"],
            &[],
        ),
        (
            "Unsupervised or semi-supervised tricks on the unlabeled portion would be a distraction",
            &["Unsupervised", "semi-supervised", "unlabeled"],
            &[],
        ),
        // The denial inside a relative clause stays there.
        ("We need a pipeline that is not expensive", &["expensive"], &["pipeline"]),
        ("We use features that are not stale", &["stale"], &["features"]),
        ("We would not retrain.", &["retrain"], &[]),
        (
            "The model retrains weekly, and I'd not quantize.",
            &["quantize"],
            &["retrains", "weekly"],
        ),
    ]);
}

#[test]
fn the_reason_after_a_judgement_is_neutral_too() {
    let sentence = "Vectorizing the feature code is also unnecessary, since preprocessing already takes milliseconds";
    let share = NegationScope::of(sentence).denied_share(
        (0, sentence.len()),
        &content_stems("vectorize and parallelize the preprocessing code"),
    );
    assert_eq!(share, 1.0);
}
