//! `summary.csv`, `report.md` and `report.html`, computed from `results.jsonl` and written atomically.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use super::groups::{Group, Grouped};
use super::html_report::report_html;
use super::output::ResultRow;
use crate::util::output_file::{write_output, OutputError};
use crate::util::visible::visible;

/// Writes the summaries for the rows of a results file, grouping them once for both
/// reports; an error names the file that could not be written.
pub fn write_summaries(dir: &Path, rows: &[ResultRow]) -> Result<(), OutputError> {
    let csv = dir.join("summary.csv");
    let bytes = summary_csv(rows).map_err(|source| OutputError {
        path: csv.clone(),
        source,
    })?;
    write_output(&csv, &bytes)?;
    let grouped = Grouped::of(rows);
    write_output(&dir.join("report.md"), report_markdown(&grouped).as_bytes())?;
    write_output(&dir.join("report.html"), report_html(&grouped).as_bytes())
}

pub fn summary_csv(rows: &[ResultRow]) -> std::io::Result<Vec<u8>> {
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
    for row in rows {
        let number =
            |value: Option<f64>| value.map(|value| format!("{value:.4}")).unwrap_or_default();
        let status = match &row.error {
            Some(error) => format!("error: {error}"),
            None => "graded".to_string(),
        };
        writer.write_record([
            row.id.as_str(),
            row.candidate.as_deref().unwrap_or(""),
            row.question_id.as_deref().unwrap_or(""),
            &number(row.coverage),
            &number(row.precision),
            &number(row.f1),
            &status,
            &row.missed.join("; "),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|err| std::io::Error::other(err.to_string()))
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

/// A table cell: printable, and without a `|` that would end the cell early.
fn cell(text: &str) -> String {
    visible(text).replace('|', "\\|")
}

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
            cell(key),
            group.coverages.len(),
            group.mean() * 100.0,
            bands[0],
            bands[1],
            bands[2],
            bands[3],
            bands[4],
            cell(&most_missed_text(group, 3))
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
    } = grouped;
    let mut out = String::from("# mockgrade batch report\n\n");
    let _ = writeln!(
        out,
        "{} records: {} graded, {} errors. Mean coverage {:.0}%.",
        grouped.records(),
        graded.len(),
        errors.len(),
        overall.mean() * 100.0
    );
    if !overall.missed.is_empty() {
        let _ = writeln!(
            out,
            "\nMost missed concepts overall: {}.",
            visible(&most_missed_text(overall, 10))
        );
    }
    table(&mut out, "By question", "question", by_question);
    table(&mut out, "By candidate", "candidate", by_candidate);
    let _ = writeln!(out, "\n## Errors\n");
    if errors.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for row in errors.iter().take(200) {
        let _ = writeln!(
            out,
            "- `{}`: {}",
            visible(&row.source),
            visible(row.error.as_deref().unwrap_or(""))
        );
    }
    if errors.len() > 200 {
        let _ = writeln!(
            out,
            "- … and {} more (see results.jsonl)",
            errors.len() - 200
        );
    }
    out
}
