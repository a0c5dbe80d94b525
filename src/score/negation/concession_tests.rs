//! Proposals held up and then turned down ("X sounds good on paper, but …", "X was
//! suggested, and we pushed back") and idioms of refusal, each checked word by word, with
//! sentences that only look like them and must stay affirmed.

use super::tests::assert_cases;

#[test]
fn proposals_turned_down_in_the_same_sentence() {
    assert_cases(&[
        (
            "SMOTE sounds reasonable on paper, but the interpolated points blur the classes",
            &["SMOTE"],
            &[],
        ),
        (
            "The team suggested converting the weights to int8, and we pushed back",
            &["int8", "weights"],
            &[],
        ),
        (
            "Filling gaps with a KNN imputer is what people reach for, but here it's a trap",
            &["KNN", "imputer"],
            &[],
        ),
        (
            "A colleague wanted a Spark cluster for preprocessing, but one machine copes",
            &["Spark"],
            &[],
        ),
        (
            "Adversarial debiasing inside the training loop is something I'd drop at this stage",
            &["debiasing"],
            &[],
        ),
        (
            "Pruning or distillation is a route I'm not convinced pays off at this scale",
            &["Pruning", "distillation"],
            &[],
        ),
        (
            "Stacking models from different periods wouldn't drive my decision here",
            &["Stacking"],
            &[],
        ),
        (
            "Anonymisation inside the pipeline doesn't apply here",
            &["Anonymisation"],
            &[],
        ),
        (
            "Per-prediction SHAP attributions are parked for now",
            &["SHAP"],
            &[],
        ),
        (
            "A Kafka buffer would be pure overhead for files that arrive every few minutes",
            &["Kafka"],
            &[],
        ),
        (
            "The simulated traces stayed out because they lacked real harmonics",
            &["Simulated", "traces"],
            &[],
        ),
        (
            "An expectation framework would just create a second rule set to maintain",
            &["expectation"],
            &[],
        ),
    ]);
}

#[test]
fn proposals_the_speaker_keeps_stay_affirmed() {
    assert_cases(&[
        // The speaker's own aim, and a turn with nothing held up before it.
        (
            "We wanted low latency, but batching requests still pays off",
            &[],
            &["latency", "batching"],
        ),
        (
            "I'd drop duplicate rows before training, but keep the outliers",
            &[],
            &["duplicate", "rows"],
        ),
        (
            "Autoscaling adds replicas under load, but caps them at ten",
            &[],
            &["Autoscaling", "replicas"],
        ),
        (
            "Batching cuts the overhead of each call on the GPU",
            &[],
            &["Batching", "GPU"],
        ),
        (
            "Keep the raw events in S3 and stream features out of Kafka",
            &[],
            &["S3", "Kafka"],
        ),
        (
            "A small router looks at the event type, and it's not just one pipe for everything",
            &[],
            &["router", "event"],
        ),
    ]);
}

#[test]
fn a_proposal_is_turned_down_by_the_next_sentence() {
    use super::{Framing, NegationScope};
    let framing = |sentence: &str| NegationScope::of(sentence).framing();
    let opens_with_turn = |sentence: &str| NegationScope::of(sentence).opens_with_turn();
    assert_eq!(
        framing("SMOTE sounds reasonable on paper"),
        Some(Framing::Appeal)
    );
    assert_eq!(
        framing("A dedicated model registry was suggested"),
        Some(Framing::Proposal)
    );
    assert_eq!(framing("A router looks at the event type"), None);
    assert_eq!(framing("We wanted low latency"), None);
    // A sentence that turns on its own is read by itself.
    assert_eq!(framing("SMOTE sounds good, but it blurs the classes"), None);
    assert!(opens_with_turn("In practice the points blur the classes."));
    assert!(opens_with_turn("However, one machine copes."));
    assert!(!opens_with_turn("Practice runs weekly."));
}
