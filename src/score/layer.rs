//! The learned decision layer: a logistic model that turns a point's evidence (similarities
//! and cheap text features) into P(covered), and its fitting from labelled pairs.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, Axis};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::evidence::FEATURES;

/// Standardisation and weights of a fitted logistic model, by feature name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionLayer {
    /// The features, in the order `mean`, `scale` and `weights` follow.
    pub features: Vec<String>,
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum FitError {
    #[error("cannot fit the decision layer on {pairs} (answer, point) pairs: {reason}")]
    TooFew { pairs: usize, reason: &'static str },
    #[error("fitting the decision layer failed: {0}")]
    Solver(String),
}

/// Every feature the evidence computes is a cosine, a share or a difference of two of them,
/// so it lies within ±2; the layer clamps its inputs to this wider bound, so that the bound
/// [`DecisionLayer::validate`] computes on the logit holds for any input.
pub const FEATURE_BOUND: f32 = 4.0;

/// The largest logit a valid layer may reach. Far beyond any fitted layer (whose logits stay
/// within a few dozen), and far enough below `f32::MAX` that no sum of terms below it can
/// overflow: a layer within it never gives a probability that is not a number.
pub const MAX_LOGIT: f64 = 1e30;

/// L2 strength on standardised features: strong enough that a few hundred answers give
/// stable weights, weak enough not to flatten the similarities.
const L2_STRENGTH: f64 = 0.05;

impl DecisionLayer {
    /// P(covered) for one feature vector, in the order of [`FEATURES`].
    pub fn probability(&self, features: &[f32]) -> f32 {
        self.probability_of(
            features
                .iter()
                .map(|value| value.clamp(-FEATURE_BOUND, FEATURE_BOUND)),
        )
    }

    /// P(covered) without holding the inputs to [`FEATURE_BOUND`]: for a model fitted in
    /// memory on other features than the scorer's (the style check reads answer lengths,
    /// whose logarithm passes the bound), never for a scorer file.
    pub fn unbounded_probability(&self, features: &[f32]) -> f32 {
        self.probability_of(features.iter().copied())
    }

    fn probability_of(&self, features: impl Iterator<Item = f32>) -> f32 {
        let logit = features
            .zip(&self.mean)
            .zip(&self.scale)
            .zip(&self.weights)
            .map(|(((value, mean), scale), weight)| (value - mean) / scale * weight)
            .sum::<f32>()
            + self.bias;
        1.0 / (1.0 + (-logit).exp())
    }

    /// Fits the layer on feature rows (in the order of [`FEATURES`]) and their labels.
    pub fn fit(rows: &Array2<f32>, covered: &[bool]) -> Result<DecisionLayer, FitError> {
        DecisionLayer::fit_named(rows, covered, &FEATURES)
    }

    /// Fits a logistic model on rows of the features `names`, in that order: the decision
    /// layer, or a model that checks what else could predict the labels.
    pub fn fit_named(
        rows: &Array2<f32>,
        covered: &[bool],
        names: &[&str],
    ) -> Result<DecisionLayer, FitError> {
        let pairs = rows.nrows();
        let positives = covered.iter().filter(|&&label| label).count();
        if pairs < 20 {
            return Err(FitError::TooFew {
                pairs,
                reason: "at least 20 are needed",
            });
        }
        if positives == 0 || positives == pairs {
            return Err(FitError::TooFew {
                pairs,
                reason: "both covered and not-covered points are needed",
            });
        }
        let rows = rows.mapv(f64::from);
        let mean = rows.mean_axis(Axis(0)).expect("rows are not empty");
        let scale =
            rows.std_axis(Axis(0), 0.0)
                .mapv(|deviation| if deviation > 1e-6 { deviation } else { 1.0 });
        let standardised = (&rows - &mean) / &scale;
        let targets = Array1::from_iter(covered.iter().copied());
        let dataset = Dataset::new(standardised, targets);
        let fitted = LogisticRegression::default()
            .alpha(L2_STRENGTH)
            .max_iterations(500)
            .fit(&dataset)
            .map_err(|err| FitError::Solver(err.to_string()))?;
        // linfa's positive class is whichever label it met first: orient the weights so
        // that the layer always gives P(covered).
        let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
        Ok(DecisionLayer {
            features: names.iter().map(|name| name.to_string()).collect(),
            mean: mean.iter().map(|&value| value as f32).collect(),
            scale: scale.iter().map(|&value| value as f32).collect(),
            weights: fitted
                .params()
                .iter()
                .map(|&value| (sign * value) as f32)
                .collect(),
            bias: (sign * fitted.intercept()) as f32,
        })
    }

    /// Checks the layer matches the features this build computes.
    pub fn validate(&self) -> Result<(), String> {
        if self.features.len() != FEATURES.len()
            || self.features.iter().zip(FEATURES).any(|(a, b)| a != b)
        {
            return Err(format!(
                "the layer was fitted on features [{}] but this mockgrade computes [{}]; fit it again with `mockgrade calibrate`",
                self.features.join(", "),
                FEATURES.join(", ")
            ));
        }
        let count = FEATURES.len();
        if self.mean.len() != count || self.scale.len() != count || self.weights.len() != count {
            return Err(format!(
                "mean, scale and weights must each hold {count} numbers, one per feature"
            ));
        }
        let all = self
            .mean
            .iter()
            .chain(&self.scale)
            .chain(&self.weights)
            .chain(std::iter::once(&self.bias));
        if all.clone().any(|value| !value.is_finite()) {
            return Err("the layer holds a number that is not finite".into());
        }
        if self.scale.iter().any(|&scale| scale <= 0.0) {
            return Err("every scale must be above 0".into());
        }
        self.check_logit_bound()
    }

    /// Refuses a layer whose logit could pass [`MAX_LOGIT`] for some input within
    /// [`FEATURE_BOUND`]: the bound is computed term by term in f64 (the worst input for each
    /// feature is an end of the range), so no input is left untried.
    fn check_logit_bound(&self) -> Result<(), String> {
        let bound = f64::from(FEATURE_BOUND);
        let mut total = f64::from(self.bias).abs();
        let mut largest: Option<(usize, f64)> = None;
        for (index, ((&mean, &scale), &weight)) in self
            .mean
            .iter()
            .zip(&self.scale)
            .zip(&self.weights)
            .enumerate()
        {
            // The standardised value alone must stay finite too: a zero weight times an
            // infinite value is not a number.
            let standardised = (bound + f64::from(mean).abs()) / f64::from(scale);
            let term = standardised * f64::from(weight).abs();
            total += term;
            if largest.is_none_or(|(_, biggest)| term > biggest) {
                largest = Some((index, term));
            }
            if standardised > MAX_LOGIT {
                return Err(self.beyond_bound(index, standardised));
            }
        }
        match largest {
            Some((index, _)) if total > MAX_LOGIT => Err(self.beyond_bound(index, total)),
            _ => Ok(()),
        }
    }

    fn beyond_bound(&self, index: usize, value: f64) -> String {
        format!(
            "the layer can reach a logit of {value:.1e} for features within ±{FEATURE_BOUND} (largest term: {} with mean {}, scale {}, weight {}), past the limit of {MAX_LOGIT:.0e}, so P(covered) could be not a number; fit it again with `mockgrade calibrate`",
            self.features[index], self.mean[index], self.scale[index], self.weights[index]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows whose first feature decides the label, the rest noise-free constants.
    fn separable() -> (Array2<f32>, Vec<bool>) {
        let count = FEATURES.len();
        let mut rows = Array2::<f32>::zeros((60, count));
        let mut labels = Vec::new();
        for row in 0..60 {
            let value = row as f32 / 60.0;
            rows[[row, 0]] = value;
            // Labels overlap near the middle so the fit stays finite.
            labels.push(if (25..35).contains(&row) {
                row % 2 == 0
            } else {
                row >= 30
            });
        }
        (rows, labels)
    }

    #[test]
    fn the_fitted_layer_ranks_by_its_evidence() {
        let (rows, labels) = separable();
        let layer = DecisionLayer::fit(&rows, &labels).unwrap();
        layer.validate().unwrap();
        let mut low = vec![0.0; FEATURES.len()];
        let mut high = low.clone();
        low[0] = 0.1;
        high[0] = 0.9;
        assert!(layer.probability(&low) < 0.2, "{}", layer.probability(&low));
        assert!(
            layer.probability(&high) > 0.8,
            "{}",
            layer.probability(&high)
        );
        assert!(layer.weights[0] > 0.0);
        // Constant features get a unit scale rather than a division by zero.
        assert_eq!(layer.scale[1], 1.0);
    }

    /// One edit of a layer, named.
    type Change = fn(&mut DecisionLayer);

    fn shipped_layer() -> DecisionLayer {
        crate::score::Scorer::shipped().layer
    }

    /// Every corner of the input box: the extremes of a linear logit lie there.
    fn corners(count: usize) -> impl Iterator<Item = Vec<f32>> {
        (0..1u32 << count).map(move |mask| {
            (0..count)
                .map(|bit| {
                    if mask & (1 << bit) == 0 {
                        -FEATURE_BOUND
                    } else {
                        FEATURE_BOUND
                    }
                })
                .collect()
        })
    }

    #[test]
    fn extreme_weights_or_scales_are_refused_by_their_bound() {
        let cases: [(&str, Change); 5] = [
            ("huge weight", |layer| layer.weights[0] = 3e38),
            ("huge negative weight", |layer| layer.weights[3] = -3e38),
            ("tiny scale", |layer| layer.scale[1] = 1e-45),
            ("huge mean", |layer| layer.mean[2] = 3e38),
            ("huge bias", |layer| layer.bias = -3e38),
        ];
        for (name, change) in cases {
            let mut layer = shipped_layer();
            change(&mut layer);
            let message = layer.validate().unwrap_err();
            assert!(
                message.starts_with("the layer can reach a logit of "),
                "{name}: {message}"
            );
        }
    }

    #[test]
    fn only_a_scorer_file_holds_its_inputs_to_the_bound() {
        // A model of one feature fitted in memory, as the style check fits one on answer
        // lengths: ln(1 + 400 words) is past the bound and must still count as longer.
        let layer = DecisionLayer {
            features: vec!["log_words".to_string()],
            mean: vec![3.0],
            scale: vec![1.0],
            weights: vec![1.0],
            bias: 0.0,
        };
        let long = [(401.0f32).ln()];
        let longer = [(4001.0f32).ln()];
        assert_eq!(layer.probability(&long), layer.probability(&longer));
        assert!(layer.unbounded_probability(&longer) > layer.unbounded_probability(&long));
    }

    #[test]
    fn a_layer_within_the_bound_gives_a_probability_at_every_corner() {
        // Weights as large as the bound allows, half of them negative, so that terms of
        // both signs meet: the case that turns an overflow into NaN.
        let mut layer = shipped_layer();
        let count = layer.weights.len();
        for index in 0..count {
            let sign = if index % 2 == 0 { 1.0 } else { -1.0 };
            let standardised = (f64::from(FEATURE_BOUND) + f64::from(layer.mean[index]).abs())
                / f64::from(layer.scale[index]);
            layer.weights[index] = (sign * MAX_LOGIT / count as f64 / 2.0 / standardised) as f32;
        }
        layer.validate().unwrap();
        for corner in corners(count) {
            let probability = layer.probability(&corner);
            assert!(probability.is_finite(), "{corner:?} gave {probability}");
        }
        let mut past = vec![f32::MAX; count];
        past[1] = -f32::MAX;
        assert!(layer.probability(&past).is_finite(), "inputs are clamped");
        shipped_layer().validate().unwrap();
    }

    #[test]
    fn one_class_alone_cannot_be_fitted() {
        let (rows, _) = separable();
        let err = DecisionLayer::fit(&rows, &[true; 60]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot fit the decision layer on 60 (answer, point) pairs: both covered and not-covered points are needed"
        );
    }
}
