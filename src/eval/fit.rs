//! Choosing which records to evaluate: one split, all of them, or a label threshold fitted
//! on one split and then tested on the others. Every split named must hold records.

use thiserror::Error;

use super::{evaluate, metrics, Dataset, EvalSummary};
use crate::grader::Grader;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SplitError {
    #[error("{flag} {split}: no records of that split in {dataset}; {}", list_splits(.available))]
    Empty {
        flag: &'static str,
        split: String,
        dataset: String,
        available: Vec<String>,
    },
    #[error("--fit-split {0}: its records carry no labels (`label`, `score` or `covers`) to fit a threshold on")]
    NoLabels(String),
    #[error(
        "--fit-split {split}: {dataset} has no other split to test on; name one with --test-split"
    )]
    NothingToTest { split: String, dataset: String },
}

fn list_splits(splits: &[String]) -> String {
    if splits.is_empty() {
        "its records have no `split` field".to_string()
    } else {
        format!("its splits are: {}", splits.join(", "))
    }
}

impl Dataset {
    /// The distinct `split` values, sorted.
    pub fn splits(&self) -> Vec<String> {
        let mut splits: Vec<String> = self
            .records
            .iter()
            .filter_map(|record| record.labels.split.clone())
            .collect();
        splits.sort();
        splits.dedup();
        splits
    }

    fn indices_of(
        &self,
        flag: &'static str,
        split: &str,
        name: &str,
    ) -> Result<Vec<usize>, SplitError> {
        let indices = self.split_indices(Some(split));
        if indices.is_empty() {
            return Err(SplitError::Empty {
                flag,
                split: split.to_string(),
                dataset: name.to_string(),
                available: self.splits(),
            });
        }
        Ok(indices)
    }
}

/// Evaluates `split` (or every record), as `mockgrade eval [--split S]`.
pub fn evaluate_split(
    dataset: &Dataset,
    grader: &Grader,
    split: Option<&str>,
    name: &str,
) -> Result<EvalSummary, SplitError> {
    let indices = match split {
        Some(split) => dataset.indices_of("--split", split, name)?,
        None => dataset.split_indices(None),
    };
    Ok(summarise_split(
        dataset,
        grader,
        &indices,
        None,
        name,
        split.map(str::to_string),
    ))
}

/// Embeds and grades the records at `indices`, and labels the summary with where they came from.
fn summarise_split(
    dataset: &Dataset,
    grader: &Grader,
    indices: &[usize],
    label_threshold: Option<(f64, String)>,
    name: &str,
    split: Option<String>,
) -> EvalSummary {
    let prepared = dataset.prepare(grader, indices);
    let (mut summary, _) = evaluate(
        dataset,
        grader,
        &prepared,
        grader.thresholds(),
        label_threshold,
    );
    summary.dataset = name.to_string();
    summary.split = split;
    summary
}

/// Fits the label decision threshold (best weighted F1 of `mean_similarity`) on `fit_split`,
/// then evaluates each test split with it; no test splits means every other split.
pub fn fit_and_test(
    dataset: &Dataset,
    grader: &Grader,
    fit_split: &str,
    test_splits: &[String],
    name: &str,
) -> Result<Vec<EvalSummary>, SplitError> {
    let fit_indices = dataset.indices_of("--fit-split", fit_split, name)?;
    let test_splits: Vec<String> = if test_splits.is_empty() {
        let others: Vec<String> = dataset
            .splits()
            .into_iter()
            .filter(|split| split != fit_split)
            .collect();
        if others.is_empty() {
            return Err(SplitError::NothingToTest {
                split: fit_split.to_string(),
                dataset: name.to_string(),
            });
        }
        others
    } else {
        test_splits.to_vec()
    };
    let test_indices = test_splits
        .iter()
        .map(|split| dataset.indices_of("--test-split", split, name))
        .collect::<Result<Vec<_>, _>>()?;

    let fitted = dataset.prepare(grader, &fit_indices);
    let (_, fit_reports) = evaluate(dataset, grader, &fitted, grader.thresholds(), None);
    let (similarity, truth): (Vec<f64>, Vec<bool>) = fit_reports
        .iter()
        .filter_map(|(index, report)| {
            Dataset::is_positive(&dataset.records[*index])
                .map(|truth| (report.mean_similarity, truth))
        })
        .unzip();
    let (threshold, _) = metrics::best_threshold(&similarity, &truth)
        .ok_or_else(|| SplitError::NoLabels(fit_split.to_string()))?;

    Ok(test_splits
        .into_iter()
        .zip(test_indices)
        .map(|(split, indices)| {
            summarise_split(
                dataset,
                grader,
                &indices,
                Some((threshold, fit_split.to_string())),
                name,
                Some(split),
            )
        })
        .collect())
}
