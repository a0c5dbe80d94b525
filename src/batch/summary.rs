//! `summary.csv`, `report.md` and `report.html`, computed from `results.jsonl` and written atomically.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::groups::{Group, Grouped};
use super::html_report::report_html;
use super::output::ResultRow;
use crate::util::escape::{csv_field, markdown};
use crate::util::output_file::{write_output, OutputError};

/// What a results file holds, as its summaries count it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    pub graded: usize,
    pub errors: usize,
}

/// Writes the summaries of a results file, reading it one line at a time so that memory
/// does not grow with it: the CSV row of each line is written at once, and the reports
/// keep only their groups' numbers. Returns what the file holds; an error names the file
/// that could not be read or written.
pub fn write_summaries(dir: &Path, results: &Path) -> Result<Held, OutputError> {
    let csv_path = dir.join("summary.csv");
    let naming = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| OutputError { path, source }
    };
    let mut csv = csv_writer().map_err(naming(&csv_path))?;
    let mut grouped = Grouped::default();
    let file = File::open(results).map_err(naming(results))?;
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(naming(results))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // Damaged lines are reported by whoever wrote or read the file for its own purpose
        // (resume refuses them, merge lists them); a summary counts what it can read.
        let Ok(row) = serde_json::from_slice::<ResultRow>(&line) else {
            continue;
        };
        csv_row(&mut csv, &row).map_err(naming(&csv_path))?;
        grouped.add(row);
    }
    let csv = csv
        .into_inner()
        .map_err(|err| std::io::Error::other(err.to_string()))
        .map_err(naming(&csv_path))?;
    write_output(&csv_path, &csv)?;
    write_output(&dir.join("report.md"), report_markdown(&grouped).as_bytes())?;
    write_output(&dir.join("report.html"), report_html(&grouped).as_bytes())?;
    Ok(Held {
        graded: grouped.graded,
        errors: grouped.error_count,
    })
}

fn csv_writer() -> std::io::Result<csv::Writer<Vec<u8>>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "id",
        "candidate",
        "question",
        "coverage",
        "precision",
        "f1",
        "status",
        "missed_concepts",
    ])?;
    Ok(writer)
}

/// One row; every text field neutralised for spreadsheets (see [`csv_field`]).
fn csv_row(writer: &mut csv::Writer<Vec<u8>>, row: &ResultRow) -> std::io::Result<()> {
    let number = |value: Option<f64>| value.map(|value| format!("{value:.4}")).unwrap_or_default();
    let status = match &row.error {
        Some(error) => format!("error: {error}"),
        None => "graded".to_string(),
    };
    writer.write_record([
        csv_field(&row.id),
        csv_field(row.candidate.as_deref().unwrap_or("")),
        csv_field(row.question_id.as_deref().unwrap_or("")),
        number(row.coverage),
        number(row.precision),
        number(row.f1),
        csv_field(&status),
        csv_field(&row.missed.join("; ")),
    ])?;
    Ok(())
}

/// "concept (times), …" for the `count` concepts missed most.
fn most_missed_text(group: &Group, count: usize) -> String {
    group
        .most_missed(count)
        .into_iter()
        .map(|(concept, times)| format!("{concept} ({times})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table cell, heading or list item: see [`markdown`].
fn table(out: &mut String, title: &str, key_name: &str, groups: &BTreeMap<String, Group>) {
    let _ = writeln!(out, "\n## {title}\n");
    let _ = writeln!(
        out,
        "| {key_name} | answers | mean coverage | 0–20% | 20–40% | 40–60% | 60–80% | 80–100% | most missed |\n|---|---|---|---|---|---|---|---|---|"
    );
    for (key, group) in groups {
        let bands = group.bands();
        let _ = writeln!(
            out,
            "| {} | {} | {:.0}% | {} | {} | {} | {} | {} | {} |",
            markdown(key),
            group.coverages.len(),
            group.mean() * 100.0,
            bands[0],
            bands[1],
            bands[2],
            bands[3],
            bands[4],
            markdown(&most_missed_text(group, 3))
        );
    }
}

pub(super) fn report_markdown(grouped: &Grouped) -> String {
    let Grouped {
        overall,
        by_question,
        by_candidate,
        graded,
        errors,
        error_count,
    } = grouped;
    let mut out = String::from("# mockgrade batch report\n\n");
    let _ = writeln!(
        out,
        "{} records: {} graded, {} errors. Mean coverage {:.0}%.",
        grouped.records(),
        graded,
        error_count,
        overall.mean() * 100.0
    );
    if !overall.missed.is_empty() {
        let _ = writeln!(
            out,
            "\nMost missed concepts overall: {}.",
            markdown(&most_missed_text(overall, 10))
        );
    }
    table(&mut out, "By question", "question", by_question);
    table(&mut out, "By candidate", "candidate", by_candidate);
    let _ = writeln!(out, "\n## Errors\n");
    if errors.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for row in errors {
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            markdown(&row.id),
            markdown(&row.source),
            markdown(row.error.as_deref().unwrap_or(""))
        );
    }
    if *error_count > errors.len() {
        let _ = writeln!(
            out,
            "- … and {} more (see results.jsonl)",
            error_count - errors.len()
        );
    }
    out
}
