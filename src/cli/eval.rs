//! `mockgrade eval` and `mockgrade calibrate`.

use anyhow::{anyhow, Result};

use mockgrade::eval::{
    calibrate, cross_validate, fit_and_test, score_as_is, Comparison, Dataset, EvalSummary,
};
use mockgrade::score::{Provenance, FEATURES};
use mockgrade::util::clock;
use mockgrade::util::output_file::{check_output, write_output};

use super::eval_args::{CalibrateArgs, EvalArgs};
use super::shared_args::{BankArgs, DataFormat};
use super::{exit, setup, UsageError};

fn load(bank: &BankArgs, path: &std::path::Path) -> Result<Dataset> {
    match std::fs::metadata(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(super::InputError::Missing(path.to_path_buf()).into())
        }
        Ok(meta) if meta.is_dir() => {
            return Err(super::InputError::IsDirectory(path.to_path_buf()).into())
        }
        _ => {}
    }
    let bank = setup::bank(bank)?;
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

/// The `--without` features by index, checked against the layer's list; an ablation needs a
/// layer that is refitted.
fn ablated_features(args: &EvalArgs) -> Result<Vec<usize>> {
    if args.without.is_empty() {
        return Ok(Vec::new());
    }
    let refits = match &args.fit_split {
        Some(_) => args.shared.scorer.scorer.is_none(),
        None => args.folds > 0,
    };
    if !refits {
        return Err(UsageError(
            "--without refits the layer without some features: use it with cross-validation (--folds N) or --fit-split without --scorer".into(),
        )
        .into());
    }
    args.without
        .iter()
        .map(|name| {
            FEATURES
                .iter()
                .position(|feature| feature == name)
                .ok_or_else(|| {
                    UsageError(format!(
                        "--without {name}: not a feature of the layer; the features are {}",
                        FEATURES.join(", ")
                    ))
                    .into()
                })
        })
        .collect()
}

pub fn run_eval(args: &EvalArgs) -> Result<u8> {
    let ablated = ablated_features(args)?;
    let dataset = load(&args.shared.bank, &args.dataset)?;
    warn_skipped(&dataset);
    let grader = setup::grader(&args.shared.engine, &args.shared.scorer)?;
    let name = args.dataset.display().to_string();
    let split = args.split.as_deref();
    let comparisons = match &args.fit_split {
        Some(fit_split) => fit_and_test(
            &dataset,
            &grader,
            fit_split,
            &args.test_splits,
            args.shared.scorer.scorer.is_none(),
            &name,
            &ablated,
        )?,
        None if args.folds == 0 => vec![score_as_is(&dataset, &grader, split, &name)?],
        None => vec![cross_validate(
            &dataset,
            &grader,
            split,
            usize::from(args.folds),
            &name,
            &ablated,
        )?],
    };
    setup::show_warnings(&grader);
    match args.format {
        DataFormat::Json => outln!("{}", serde_json::to_string_pretty(&comparisons)?)?,
        DataFormat::Text => {
            for comparison in &comparisons {
                out!("{}", comparison_text(comparison))?;
            }
        }
    }
    Ok(exit::OK)
}

/// One error line per unusable record (the first few, then a count), and the count of
/// unlabelled records skipped.
fn warn_skipped(dataset: &Dataset) {
    for error in dataset.errors.iter().take(5) {
        eprintln!("error: {error}");
    }
    if dataset.errors.len() > 5 {
        eprintln!(
            "error: {} more unusable records (fix them, or they are left out)",
            dataset.errors.len() - 5
        );
    }
    if let Some((first, _)) = dataset.unlabelled.first() {
        eprintln!(
            "warning: skipped {} unlabelled record(s) (no `label`, `label_2way`, `score` or `covers`), first at {first}",
            dataset.unlabelled.len()
        );
    }
}

/// One line of the comparison table: a name, then the layer's and the baseline's cells.
fn cells(out: &mut String, name: &str, layer: &str, baseline: &str) {
    out.push_str(&format!("  {name:<54} {layer:>10} {baseline:>10}\n"));
}

/// One metric line: its name, the layer's value and the baseline's.
fn row(out: &mut String, name: &str, layer: Option<f64>, baseline: Option<f64>) {
    let show = |value: Option<f64>| value.map_or("n/a".to_string(), |value| format!("{value:.3}"));
    cells(out, name, &show(layer), &show(baseline));
}

fn comparison_text(comparison: &Comparison) -> String {
    let (layer, baseline) = (&comparison.layer, &comparison.baseline);
    let mut out = format!(
        "{}{}: {} records: {} answers graded, {} skipped ({} unlabelled, {} unusable)\n  layer:    {}\n  baseline: {}\n\n",
        layer.dataset,
        layer
            .split
            .as_ref()
            .map(|split| format!(" [{split}]"))
            .unwrap_or_default(),
        layer.records,
        layer.n,
        layer.unlabelled + layer.errors,
        layer.unlabelled,
        layer.errors,
        layer.method,
        baseline.method,
    );
    cells(&mut out, "", "layer", "baseline");
    if let (Some(a), Some(b)) = (&layer.covers, &baseline.covers) {
        row(
            &mut out,
            "point accuracy",
            Some(a.point_accuracy),
            Some(b.point_accuracy),
        );
        row(&mut out, "point AUC", a.point_auc, b.point_auc);
        row(
            &mut out,
            "covered precision",
            Some(a.covered_precision),
            Some(b.covered_precision),
        );
        row(
            &mut out,
            "covered recall",
            Some(a.covered_recall),
            Some(b.covered_recall),
        );
        row(
            &mut out,
            "coverage MAE",
            Some(a.coverage_mae),
            Some(b.coverage_mae),
        );
        row(
            &mut out,
            "coverage Spearman",
            a.coverage_spearman,
            b.coverage_spearman,
        );
    }
    if let (Some(a), Some(b)) = (&layer.labels, &baseline.labels) {
        row(
            &mut out,
            "label weighted F1 (coverage >= 0.5)",
            Some(a.weighted_f1),
            Some(b.weighted_f1),
        );
        row(
            &mut out,
            "label accuracy",
            Some(a.accuracy),
            Some(b.accuracy),
        );
        row(&mut out, "label ROC AUC", a.roc_auc, b.roc_auc);
    }
    if let (Some(a), Some(b)) = (&layer.scores, &baseline.scores) {
        row(&mut out, "score Spearman", a.spearman, b.spearman);
        row(&mut out, "score Pearson", a.pearson, b.pearson);
    }
    for (a, b) in layer.kinds.iter().zip(&baseline.kinds) {
        row(
            &mut out,
            &format!(
                "coverage of {} (n={}, labelled {:.2})",
                a.kind, a.n, a.labelled
            ),
            Some(a.graded),
            Some(b.graded),
        );
    }
    let pair = |recall: Option<f64>, false_covered: Option<f64>| {
        let show =
            |value: Option<f64>| value.map_or("-".to_string(), |value| format!("{value:.2}"));
        format!("{}/{}", show(recall), show(false_covered))
    };
    for (a, b) in layer.kinds.iter().zip(&baseline.kinds) {
        cells(
            &mut out,
            &format!("recall/false-covered of {}", a.kind),
            &pair(a.recall, a.false_covered),
            &pair(b.recall, b.false_covered),
        );
    }
    let share = |held: usize, of: usize| format!("{held}/{of}");
    if let (Some(a), Some(b)) = (&layer.order, &baseline.order) {
        cells(
            &mut out,
            "order strong > partial > weak >= off-topic",
            &share(a.held, a.questions),
            &share(b.held, b.questions),
        );
    }
    if let (Some(a), Some(b)) = (&layer.adversarial, &baseline.adversarial) {
        cells(
            &mut out,
            "keyword-list/negated/restated < half strong",
            &share(a.below_half_of_strong, a.checked),
            &share(b.below_half_of_strong, b.checked),
        );
    }
    if let Some(style) = &comparison.style {
        cells(
            &mut out,
            "style-only AUC (near 0.5: style gives no label)",
            &style
                .auc
                .map_or("n/a".to_string(), |auc| format!("{auc:.3}")),
            "",
        );
    }
    out.push_str(&failures(layer));
    out.push('\n');
    out
}

/// The layer's failed checks, a few of each.
fn failures(summary: &EvalSummary) -> String {
    let mut out = String::new();
    if let Some(order) = &summary.order {
        for failure in order.failures.iter().take(5) {
            out.push_str(&format!("    order fails: {failure}\n"));
        }
    }
    if let Some(check) = &summary.adversarial {
        for violation in check.violations.iter().take(5) {
            out.push_str(&format!("    not below half: {violation}\n"));
        }
        if check.violations.len() > 5 {
            out.push_str(&format!("    … and {} more\n", check.violations.len() - 5));
        }
    }
    out
}

pub fn run_calibrate(args: &CalibrateArgs) -> Result<u8> {
    if args.out.exists() && !args.overwrite {
        return Err(UsageError(format!(
            "--out {}: the file exists; pass --overwrite to replace it",
            args.out.display()
        ))
        .into());
    }
    // Before the fit, which takes minutes: a path that cannot take the file fails now.
    check_output(&args.out)?;
    let dataset = load(&args.shared.bank, &args.dataset)?;
    warn_skipped(&dataset);
    let grader = setup::grader(&args.shared.engine, &args.shared.scorer)?;
    let name = args.dataset.display().to_string();
    let (mut scorer, answers, pairs) = calibrate(&dataset, &grader, args.split.as_deref(), &name)?;
    setup::show_warnings(&grader);
    scorer.provenance = Some(Provenance {
        dataset: name,
        split: args.split.clone().unwrap_or_else(|| "all".into()),
        n: answers,
        pairs,
        date: clock::today(),
        model_sha256: grader.model().sha256.clone(),
    });
    // The file must load again: a layer fitted on labels that separate too cleanly can have
    // weights past the bound every scorer file is held to.
    scorer.validate().map_err(|message| {
        anyhow!(
            "the scorer fitted on {} cannot be used ({message}); its labels may separate too cleanly: add answers of both kinds",
            args.dataset.display()
        )
    })?;
    write_output(&args.out, scorer.to_toml().as_bytes())?;
    let thresholds = &scorer.thresholds;
    eprintln!(
        "fitted the decision layer on {answers} answers ({pairs} answer-point pairs); covered at P >= {:.2}, partial at P >= {:.2} for {:.0}% credit; wrote {}",
        thresholds.covered,
        thresholds.partial,
        thresholds.partial_credit * 100.0,
        args.out.display()
    );
    Ok(exit::OK)
}
