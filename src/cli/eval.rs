//! `mockgrade eval` and `mockgrade calibrate`.

use anyhow::{Context, Result};

use mockgrade::clock;
use mockgrade::eval::{calibrate, evaluate_split, fit_and_test, Dataset, EvalSummary, Objective};
use mockgrade::grader::Grader;
use mockgrade::paths::write_atomic;
use mockgrade::thresholds::{Provenance, ThresholdsFile};

use super::args::{DataFormat, GlobalArgs};
use super::eval_args::{CalibrateArgs, EvalArgs};
use super::{engine, exit, UsageError};

fn load(global: &GlobalArgs, path: &std::path::Path) -> Result<Dataset> {
    match std::fs::metadata(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(super::InputError::Missing(path.to_path_buf()).into())
        }
        Ok(meta) if meta.is_dir() => {
            return Err(super::InputError::IsDirectory(path.to_path_buf()).into())
        }
        _ => {}
    }
    let bank = engine::bank(global)?;
    let dataset =
        Dataset::read(path, Some(&bank)).map_err(|err| super::InputError::Unreadable {
            path: path.to_path_buf(),
            source: err,
        })?;
    if dataset.records.is_empty() {
        let reason = dataset
            .errors
            .first()
            .cloned()
            .unwrap_or_else(|| "the file has no records".into());
        return Err(super::InputError::NoRecords {
            name: path.display().to_string(),
            reason,
        }
        .into());
    }
    Ok(dataset)
}

pub fn run_eval(global: &GlobalArgs, args: &EvalArgs) -> Result<u8> {
    let dataset = load(global, &args.dataset)?;
    for error in dataset.errors.iter().take(5) {
        eprintln!("warning: skipped {error}");
    }
    let grader = engine::grader(global)?;
    let name = args.dataset.display().to_string();
    let summaries = match &args.fit_split {
        Some(fit_split) => fit_and_test(&dataset, &grader, fit_split, &args.test_splits, &name)?,
        None => vec![evaluate_split(
            &dataset,
            &grader,
            args.split.as_deref(),
            &name,
        )?],
    };
    match args.format {
        DataFormat::Json => println!("{}", serde_json::to_string_pretty(&summaries)?),
        DataFormat::Text => {
            for summary in &summaries {
                print!("{}", summary_text(summary));
            }
        }
    }
    Ok(exit::OK)
}

fn summary_text(summary: &EvalSummary) -> String {
    let mut out = format!(
        "{}{}: {} answers graded, {} skipped\n",
        summary.dataset,
        summary
            .split
            .as_ref()
            .map(|split| format!(" [{split}]"))
            .unwrap_or_default(),
        summary.n,
        summary.errors
    );
    let show = |value: Option<f64>| value.map_or("n/a".to_string(), |value| format!("{value:.3}"));
    if let Some(scores) = &summary.scores {
        out += &format!(
            "  scores   n={}  pearson {}  spearman {}  rmse (linear fit) {}\n",
            scores.n,
            show(scores.pearson),
            show(scores.spearman),
            show(scores.rmse_linear_fit)
        );
    }
    if let Some(labels) = &summary.labels {
        let rule = match (&labels.threshold, &labels.fitted_on) {
            (Some(threshold), Some(split)) => {
                format!("mean_similarity >= {threshold:.3}, fitted on {split}")
            }
            _ => labels.decision.clone(),
        };
        out += &format!(
            "  labels   n={}  ROC AUC {}  weighted F1 {:.3}  accuracy {:.3}  ({rule})\n",
            labels.n,
            show(labels.roc_auc),
            labels.weighted_f1,
            labels.accuracy
        );
    }
    if let Some(covers) = &summary.covers {
        out += &format!(
            "  points   {} answers, {} points: accuracy {:.3}  precision {:.3}  recall {:.3}  coverage MAE {:.3}\n",
            covers.answers,
            covers.points,
            covers.point_accuracy,
            covers.covered_precision,
            covers.covered_recall,
            covers.coverage_mae
        );
    }
    if let Some(check) = &summary.adversarial {
        out += &format!(
            "  keyword-list/negated/restated below half of the strong answer: {}/{}\n",
            check.below_half_of_strong, check.checked
        );
        for violation in &check.violations {
            out += &format!("    not below half: {violation}\n");
        }
    }
    out
}

pub fn run_calibrate(global: &GlobalArgs, args: &CalibrateArgs) -> Result<u8> {
    let dataset = load(global, &args.dataset)?;
    let indices = dataset.split_indices(Some(&args.split));
    if indices.is_empty() {
        return Err(UsageError(format!(
            "--split {}: no records of that split in {}",
            args.split,
            args.dataset.display()
        ))
        .into());
    }
    let objective = Objective::for_dataset(&dataset).ok_or_else(|| {
        UsageError(format!(
            "{} has no labels to fit on: records need `covers`, `label` or `score`",
            args.dataset.display()
        ))
    })?;
    let grader: Grader = engine::grader(global)?;
    let prepared = dataset.prepare(&grader, &indices);
    let (thresholds, value) =
        calibrate(&dataset, &grader, &prepared, grader.thresholds(), objective);
    let file = ThresholdsFile {
        thresholds,
        provenance: Some(Provenance {
            dataset: args.dataset.display().to_string(),
            split: args.split.clone(),
            n: indices.len(),
            metric: objective.name().to_string(),
            value: (value * 10_000.0).round() / 10_000.0,
            date: clock::today(),
            model_sha256: grader.model().sha256.clone(),
        }),
    };
    write_atomic(&args.out, file.to_toml().as_bytes())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "fitted on {} records of split {}: {} = {:.4}; wrote {}",
        indices.len(),
        args.split,
        objective.name(),
        value,
        args.out.display()
    );
    print!("{}", file.to_toml());
    Ok(exit::OK)
}
