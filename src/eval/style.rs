//! The style check: how well the way an answer is written (its length, sentence length and
//! punctuation), and nothing of what it says, predicts which of its points people judged
//! covered. A held-out AUC near 0.5 means the labels cannot be learned from style, so a
//! layer fitted on the data is not rewarded for copying the writers' habits.

use ndarray::Array2;
use serde::Serialize;

use super::learn::LabelledAnswer;
use super::{metrics, Dataset};
use crate::score::DecisionLayer;

/// The style features, in order: none of them looks at a word's meaning.
pub const STYLE_FEATURES: [&str; 7] = [
    "log_words",
    "log_words_per_sentence",
    "comma_rate",
    "punctuation_rate",
    "line_share",
    "mean_word_length",
    "capital_rate",
];

/// The held-out AUC of a logistic model on style features alone, predicting each point's
/// label from its answer's style.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StyleCheck {
    pub features: Vec<String>,
    /// (answer, point) pairs predicted.
    pub pairs: usize,
    /// How the model was fitted and tested, in the same way as the layer beside it.
    pub method: String,
    pub auc: Option<f64>,
}

/// The style features of one answer.
pub fn style_features(answer: &str) -> [f32; STYLE_FEATURES.len()] {
    let words: Vec<&str> = answer.split_whitespace().collect();
    let word_count = words.len().max(1) as f32;
    let sentences = answer
        .split(['.', '!', '?', '\n'])
        .filter(|piece| piece.chars().any(char::is_alphanumeric))
        .count()
        .max(1) as f32;
    let characters = answer.chars().count().max(1) as f32;
    let count = |test: &dyn Fn(char) -> bool| answer.chars().filter(|&c| test(c)).count() as f32;
    let lines = answer
        .lines()
        .filter(|line| !line.trim().is_empty())
        .count() as f32;
    let letters = count(&|c| c.is_alphabetic()).max(1.0);
    [
        word_count.ln_1p(),
        (word_count / sentences).ln_1p(),
        count(&|c| c == ',') / word_count,
        count(&|c| c.is_ascii_punctuation()) / characters,
        lines / sentences,
        words.iter().map(|word| word.chars().count()).sum::<usize>() as f32 / word_count,
        count(&|c| c.is_uppercase()) / letters,
    ]
}

/// Each point's (style features, label), answer by answer.
fn pairs(dataset: &Dataset, answers: &[&LabelledAnswer]) -> (Vec<f32>, Vec<bool>) {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for answer in answers {
        let features = style_features(&dataset.records[answer.index].answer);
        for &truth in &answer.truth {
            rows.extend(features);
            labels.push(truth);
        }
    }
    (rows, labels)
}

/// A logistic model on the style features of `train`'s answers; `None` when it cannot be
/// fitted (one class only).
pub fn fit(dataset: &Dataset, train: &[&LabelledAnswer]) -> Option<DecisionLayer> {
    let (rows, labels) = pairs(dataset, train);
    let rows = Array2::from_shape_vec((labels.len(), STYLE_FEATURES.len()), rows).ok()?;
    DecisionLayer::fit_named(&rows, &labels, &STYLE_FEATURES).ok()
}

/// The model's P(covered) for each point of `test`, with the points' labels.
pub fn predict(
    model: &DecisionLayer,
    dataset: &Dataset,
    test: &[&LabelledAnswer],
) -> (Vec<f64>, Vec<bool>) {
    let (rows, labels) = pairs(dataset, test);
    let predicted = rows
        .chunks(STYLE_FEATURES.len())
        .map(|features| f64::from(model.unbounded_probability(features)))
        .collect();
    (predicted, labels)
}

/// The check from pooled held-out predictions.
pub fn check(predictions: Vec<(Vec<f64>, Vec<bool>)>, method: String) -> StyleCheck {
    let (mut scores, mut truth) = (Vec::new(), Vec::new());
    for (fold_scores, fold_truth) in predictions {
        scores.extend(fold_scores);
        truth.extend(fold_truth);
    }
    StyleCheck {
        features: STYLE_FEATURES.iter().map(|name| name.to_string()).collect(),
        pairs: truth.len(),
        method,
        auc: metrics::roc_auc(&scores, &truth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_features_read_form_not_meaning() {
        let plain = style_features("Retrain weekly. Watch drift.");
        // Same shape, other meaning: the same features.
        assert_eq!(plain, style_features("Monitor hourly. Alert users."));
        let list = style_features("- retrain weekly\n- watch drift\n- page on-call");
        assert_eq!(
            list[STYLE_FEATURES
                .iter()
                .position(|f| *f == "line_share")
                .unwrap()],
            1.0
        );
        let long = style_features(
            "so I would, you know, retrain it every week, watch the drift, and page someone",
        );
        assert!(long[1] > plain[1], "longer sentences");
        assert!(long[2] > plain[2], "more commas");
    }
}
