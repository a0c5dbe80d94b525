//! `summary.csv` and `report.md`, computed from `results.jsonl` and written atomically.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use super::output::ResultRow;
use crate::paths::write_atomic;
use crate::visible::visible;

/// Writes both summaries for the rows of a results file.
pub fn write_summaries(dir: &Path, rows: &[ResultRow]) -> std::io::Result<()> {
    write_atomic(&dir.join("summary.csv"), &summary_csv(rows)?)?;
    write_atomic(&dir.join("report.md"), report_markdown(rows).as_bytes())
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

#[derive(Default)]
struct Group {
    coverages: Vec<f64>,
    missed: BTreeMap<String, usize>,
}

impl Group {
    fn add(&mut self, row: &ResultRow) {
        if let Some(coverage) = row.coverage {
            self.coverages.push(coverage);
        }
        for concept in &row.missed {
            *self.missed.entry(concept.clone()).or_default() += 1;
        }
    }

    fn mean(&self) -> f64 {
        self.coverages.iter().sum::<f64>() / self.coverages.len().max(1) as f64
    }

    /// Counts in five bands: [0, .2), [.2, .4), [.4, .6), [.6, .8), [.8, 1].
    fn bands(&self) -> [usize; 5] {
        let mut bands = [0; 5];
        for coverage in &self.coverages {
            bands[((coverage * 5.0).floor() as usize).min(4)] += 1;
        }
        bands
    }

    fn most_missed(&self, count: usize) -> String {
        let mut missed: Vec<(&String, &usize)> = self.missed.iter().collect();
        missed.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        missed
            .into_iter()
            .take(count)
            .map(|(concept, times)| format!("{concept} ({times})"))
            .collect::<Vec<_>>()
            .join(", ")
    }
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
            cell(&group.most_missed(3))
        );
    }
}

pub fn report_markdown(rows: &[ResultRow]) -> String {
    let graded: Vec<&ResultRow> = rows.iter().filter(|row| row.error.is_none()).collect();
    let errors: Vec<&ResultRow> = rows.iter().filter(|row| row.error.is_some()).collect();
    let mut by_question: BTreeMap<String, Group> = BTreeMap::new();
    let mut by_candidate: BTreeMap<String, Group> = BTreeMap::new();
    let mut overall = Group::default();
    for row in &graded {
        overall.add(row);
        by_question
            .entry(row.question_id.clone().unwrap_or_default())
            .or_default()
            .add(row);
        by_candidate
            .entry(row.candidate.clone().unwrap_or_else(|| "(none)".into()))
            .or_default()
            .add(row);
    }
    let mut out = String::from("# mockgrade batch report\n\n");
    let _ = writeln!(
        out,
        "{} records: {} graded, {} errors. Mean coverage {:.0}%.",
        rows.len(),
        graded.len(),
        errors.len(),
        overall.mean() * 100.0
    );
    if !overall.missed.is_empty() {
        let _ = writeln!(
            out,
            "\nMost missed concepts overall: {}.",
            visible(&overall.most_missed(10))
        );
    }
    table(&mut out, "By question", "question", &by_question);
    table(&mut out, "By candidate", "candidate", &by_candidate);
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
