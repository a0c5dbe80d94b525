//! The evaluation protocols: k-fold cross-validation by question, a scorer fitted on one
//! split and tested on others, or a scorer taken as it is. Each compares the learned layer
//! with the max-cosine baseline fitted on the same answers. Every split named must hold
//! records.

use serde::Serialize;
use thiserror::Error;

use super::learn::{fit_scorer, labelled_answers, Baseline, LabelledAnswer};
use super::style::{self, StyleCheck};
use super::{summarise, Dataset, EvalSummary};
use crate::grader::{Grader, PreparedAnswer};
use crate::report::Report;
use crate::score::{FitError, Scorer};

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SplitError {
    #[error("{flag} {split}: no records of that split in {dataset}; {}", list_splits(.available))]
    Empty {
        flag: &'static str,
        split: String,
        dataset: String,
        available: Vec<String>,
    },
    #[error(
        "{flag} {split}: its records carry no labels (`label`, `score` or `covers`) to fit on"
    )]
    NoLabels { flag: &'static str, split: String },
    #[error("--folds {folds}: {dataset} holds labelled answers to {questions} question(s); cross-validation by question needs at least 2 folds and a question per fold (--folds 0 grades with the scorer as given)")]
    TooFewQuestions {
        folds: usize,
        questions: usize,
        dataset: String,
    },
    #[error(transparent)]
    Fit(#[from] FitError),
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

    /// The records of `--split` (every record when `None`).
    fn indices_of_split(&self, split: Option<&str>, name: &str) -> Result<Vec<usize>, SplitError> {
        match split {
            Some(split) => self.indices_of("--split", split, name),
            None => Ok(self.split_indices(None)),
        }
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

/// The learned layer and the baseline on the same answers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    pub split: Option<String>,
    pub layer: EvalSummary,
    pub baseline: EvalSummary,
    /// How well style alone predicts the same labels, fitted and tested as the layer was.
    pub style: Option<StyleCheck>,
}

/// Embeds the records at `indices`; the ones that cannot be graded are counted, not fatal.
fn prepare<'a>(
    dataset: &'a Dataset,
    grader: &Grader,
    indices: &[usize],
) -> (Vec<(usize, PreparedAnswer<'a>)>, usize) {
    let mut errors = 0;
    let prepared = dataset
        .prepare(grader, indices)
        .into_iter()
        .filter_map(|(index, answer)| match answer {
            Ok(answer) => Some((index, answer)),
            Err(_) => {
                errors += 1;
                None
            }
        })
        .collect();
    (prepared, errors)
}

/// The features a refitted layer is denied (`eval --without`), by index in `FEATURES`.
pub type Ablation<'a> = &'a [usize];

fn labelled(
    dataset: &Dataset,
    grader: &Grader,
    indices: &[usize],
    (flag, split): (&'static str, &str),
    ablated: Ablation,
) -> Result<(Vec<LabelledAnswer>, usize), SplitError> {
    let (prepared, errors) = prepare(dataset, grader, indices);
    let mut answers = labelled_answers(dataset, &prepared, grader.scorer());
    for answer in &mut answers {
        answer.ablate(ablated);
    }
    if answers.is_empty() {
        return Err(SplitError::NoLabels {
            flag,
            split: split.to_string(),
        });
    }
    Ok((answers, errors))
}

/// The labelled answers of `--split` (every record when `None`).
fn labelled_split(
    dataset: &Dataset,
    grader: &Grader,
    split: Option<&str>,
    name: &str,
    ablated: Ablation,
) -> Result<(Vec<LabelledAnswer>, usize), SplitError> {
    let indices = dataset.indices_of_split(split, name)?;
    labelled(
        dataset,
        grader,
        &indices,
        ("--split", split.unwrap_or("all")),
        ablated,
    )
}

/// Grades `answers` with a scorer and with the baseline, and summarises both.
#[allow(clippy::too_many_arguments)]
fn compare<'s>(
    dataset: &Dataset,
    grader: &Grader,
    answers: &[&LabelledAnswer],
    scorers: &dyn Fn(usize) -> (&'s Scorer, Baseline),
    layer_method: String,
    baseline_method: String,
    split: Option<String>,
    name: &str,
    errors: usize,
) -> Comparison {
    let mut layer_reports: Vec<(usize, Report)> = Vec::new();
    let mut baseline_reports: Vec<(usize, Report)> = Vec::new();
    for (position, answer) in answers.iter().enumerate() {
        let (scorer, baseline) = scorers(position);
        let rubric = &dataset.rubrics[answer.index];
        layer_reports.push((
            answer.index,
            grader.report(rubric, &answer.evidence, scorer, 0),
        ));
        baseline_reports.push((answer.index, baseline.report(grader, dataset, answer)));
    }
    let label = |mut summary: EvalSummary| {
        summary.dataset = name.to_string();
        summary.split = split.clone();
        summary.unlabelled = dataset.unlabelled_in(split.as_deref());
        summary.records += summary.unlabelled;
        summary
    };
    Comparison {
        split: split.clone(),
        layer: label(summarise(dataset, &layer_reports, layer_method, errors)),
        baseline: label(summarise(
            dataset,
            &baseline_reports,
            baseline_method,
            errors,
        )),
        style: None,
    }
}

/// The distinct questions of `answers`, in the order folds are dealt: sorted by a fixed
/// hash of their id, so folds are stable across runs and machines.
fn dealing_order<'a>(dataset: &'a Dataset, answers: &[LabelledAnswer]) -> Vec<&'a str> {
    let mut questions: Vec<&str> = answers
        .iter()
        .map(|answer| dataset.rubrics[answer.index].id.as_str())
        .collect();
    questions.sort_by_key(|id| (fnv1a(id), *id));
    questions.dedup();
    questions
}

/// The fold of each answer: its question's place in `questions`, dealt round-robin.
fn question_folds(
    dataset: &Dataset,
    answers: &[LabelledAnswer],
    questions: &[&str],
    folds: usize,
) -> Vec<usize> {
    let position: std::collections::HashMap<&str, usize> = questions
        .iter()
        .enumerate()
        .map(|(position, id)| (*id, position))
        .collect();
    answers
        .iter()
        .map(|answer| position[dataset.rubrics[answer.index].id.as_str()] % folds)
        .collect()
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `mockgrade eval` (default): k-fold cross-validation by question. Each fold's answers are
/// graded by a layer and a baseline fitted on the other folds' answers only.
pub fn cross_validate(
    dataset: &Dataset,
    grader: &Grader,
    split: Option<&str>,
    folds: usize,
    name: &str,
    ablated: Ablation,
) -> Result<Comparison, SplitError> {
    let (answers, errors) = labelled_split(dataset, grader, split, name, ablated)?;
    let questions = dealing_order(dataset, &answers);
    if folds < 2 || questions.len() < folds {
        return Err(SplitError::TooFewQuestions {
            folds,
            questions: questions.len(),
            dataset: name.to_string(),
        });
    }
    let fold_of = question_folds(dataset, &answers, &questions, folds);
    let mut fitted = Vec::with_capacity(folds);
    let mut style_predictions = Vec::with_capacity(folds);
    for fold in 0..folds {
        let (training, held_out): (Vec<_>, Vec<_>) = answers
            .iter()
            .zip(&fold_of)
            .partition(|(_, &answer_fold)| answer_fold != fold);
        let training: Vec<&LabelledAnswer> =
            training.into_iter().map(|(answer, _)| answer).collect();
        let held_out: Vec<&LabelledAnswer> =
            held_out.into_iter().map(|(answer, _)| answer).collect();
        let scorer = fit_scorer(dataset, &training, grader.scorer())?;
        fitted.push((scorer, Baseline::fit(&training)));
        if let Some(model) = style::fit(dataset, &training) {
            style_predictions.push(style::predict(&model, dataset, &held_out));
        }
    }
    let all: Vec<&LabelledAnswer> = answers.iter().collect();
    let mut comparison = compare(
        dataset,
        grader,
        &all,
        &|position| {
            let (scorer, baseline) = &fitted[fold_of[position]];
            (scorer, *baseline)
        },
        format!("learned layer, {folds}-fold cross-validation by question"),
        format!("max-cosine baseline, threshold fitted on the same {folds} folds"),
        split.map(str::to_string),
        name,
        errors,
    );
    comparison.style = Some(style::check(
        style_predictions,
        format!("{folds}-fold cross-validation by question"),
    ));
    Ok(comparison)
}

/// `mockgrade eval --folds 0`: the scorer as it is, beside the baseline fitted on the same
/// answers (an optimistic baseline).
pub fn score_as_is(
    dataset: &Dataset,
    grader: &Grader,
    split: Option<&str>,
    name: &str,
) -> Result<Comparison, SplitError> {
    let (answers, errors) = labelled_split(dataset, grader, split, name, &[])?;
    let all: Vec<&LabelledAnswer> = answers.iter().collect();
    let baseline = Baseline::fit(&all);
    let style = style::fit(dataset, &all).map(|model| {
        style::check(
            vec![style::predict(&model, dataset, &all)],
            "fitted and tested on the same answers".into(),
        )
    });
    let mut comparison = compare(
        dataset,
        grader,
        &all,
        &|_| (grader.scorer(), baseline),
        "scorer as given, no refit".into(),
        "max-cosine baseline, threshold fitted on these answers".into(),
        split.map(str::to_string),
        name,
        errors,
    );
    comparison.style = style;
    Ok(comparison)
}

/// `mockgrade eval --fit-split S`: the layer (unless `refit` is false, when the given scorer
/// is kept) and the baseline are fitted on S, then each test split is graded; no test splits
/// means every other split.
pub fn fit_and_test(
    dataset: &Dataset,
    grader: &Grader,
    fit_split: &str,
    test_splits: &[String],
    refit: bool,
    name: &str,
    ablated: Ablation,
) -> Result<Vec<Comparison>, SplitError> {
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

    let (training, _) = labelled(
        dataset,
        grader,
        &fit_indices,
        ("--fit-split", fit_split),
        ablated,
    )?;
    let training: Vec<&LabelledAnswer> = training.iter().collect();
    let baseline = Baseline::fit(&training);
    let style_model = style::fit(dataset, &training);
    let (scorer, layer_method) = if refit {
        (
            fit_scorer(dataset, &training, grader.scorer())?,
            format!("learned layer fitted on {fit_split}"),
        )
    } else {
        (
            grader.scorer().clone(),
            "scorer as given, no refit".to_string(),
        )
    };
    test_splits
        .into_iter()
        .zip(test_indices)
        .map(|(split, indices)| {
            let (answers, errors) =
                labelled(dataset, grader, &indices, ("--test-split", &split), ablated)?;
            let answers: Vec<&LabelledAnswer> = answers.iter().collect();
            let style = style_model.as_ref().map(|model| {
                style::check(
                    vec![style::predict(model, dataset, &answers)],
                    format!("fitted on {fit_split}"),
                )
            });
            let mut comparison = compare(
                dataset,
                grader,
                &answers,
                &|_| (&scorer, baseline),
                layer_method.clone(),
                format!("max-cosine baseline, threshold fitted on {fit_split}"),
                Some(split),
                name,
                errors,
            );
            comparison.style = style;
            Ok(comparison)
        })
        .collect()
}

/// `mockgrade calibrate`: a scorer fitted on the labelled records of `split` (all records
/// when `None`), with how many answers and (answer, point) pairs it saw.
pub fn calibrate(
    dataset: &Dataset,
    grader: &Grader,
    split: Option<&str>,
    name: &str,
) -> Result<(Scorer, usize, usize), SplitError> {
    let (answers, _) = labelled_split(dataset, grader, split, name, &[])?;
    let pairs = answers
        .iter()
        .map(|answer| {
            answer
                .evidence
                .points
                .iter()
                .filter(|point| point.strongest().is_some())
                .count()
        })
        .sum();
    let all: Vec<&LabelledAnswer> = answers.iter().collect();
    let scorer = fit_scorer(dataset, &all, grader.scorer())?;
    Ok((scorer, answers.len(), pairs))
}
