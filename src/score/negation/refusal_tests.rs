//! Refusals in the many words people use for them: each case is checked word by word, and
//! sentences that only look like refusals must stay affirmed.

use super::tests::assert_cases;
use super::*;

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
