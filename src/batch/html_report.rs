//! `report.html`: the batch report as one self-contained page (inline CSS and SVG, no
//! scripts, fonts or network) that opens from the results folder: the coverage distribution
//! per question and per candidate, the most-missed concepts and the errors. Every chart
//! element carries its numbers as `data-*` attributes and a tooltip, so the page can be
//! checked against `results.jsonl` and read with a screen reader.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::groups::{Group, Grouped};
use super::output::ResultRow;
use crate::util::escape::html as escape;

/// Rows drawn per distribution chart; the rest are counted under it (report.md and
/// summary.csv have them all).
const MAX_CHART_ROWS: usize = 200;
/// Concepts in the most-missed chart.
const MOST_MISSED: usize = 15;

const BAND_LABELS: [&str; 5] = ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%"];
/// From red (little covered) to green (well covered), distinguishable in grey scale too.
const BAND_COLOURS: [&str; 5] = ["#c0392b", "#e67e22", "#f1c40f", "#7fb800", "#1e8449"];

const LABEL_WIDTH: usize = 260;
const BAR_WIDTH: usize = 480;
const ROW_HEIGHT: usize = 22;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto;
       max-width: 62rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
svg text { font-size: 12px; fill: #1d1d1f; }
.legend span { display: inline-block; margin-right: 1rem; font-size: 0.85rem; }
.legend i { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem;
            vertical-align: -0.1rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
td, th { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
.note { color: #666; font-size: 0.85rem; }
";

/// A label cut to fit the chart's label column (about 7 px a character).
fn fit_label(text: &str) -> String {
    let room = LABEL_WIDTH / 7;
    if text.chars().count() <= room {
        text.to_string()
    } else {
        let kept: String = text.chars().take(room - 1).collect();
        format!("{kept}…")
    }
}

pub(super) fn report_html(grouped: &Grouped) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>mockgrade batch report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>mockgrade batch report</h1>\n"
    );
    let _ = writeln!(
        out,
        "<p id=\"totals\" data-records=\"{}\" data-graded=\"{}\" data-errors=\"{}\" data-mean=\"{:.4}\">{} records: {} graded, {} errors. Mean coverage {:.0}%.</p>",
        grouped.records(),
        grouped.graded,
        grouped.error_count,
        grouped.overall.mean(),
        grouped.records(),
        grouped.graded,
        grouped.error_count,
        grouped.overall.mean() * 100.0
    );
    let _ = writeln!(out, "<h2>Coverage distribution</h2>");
    legend(&mut out);
    distribution(&mut out, "by-question", "By question", &grouped.by_question);
    distribution(
        &mut out,
        "by-candidate",
        "By candidate",
        &grouped.by_candidate,
    );
    most_missed(&mut out, &grouped.overall);
    errors(&mut out, &grouped.errors, grouped.error_count);
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn legend(out: &mut String) {
    let _ = write!(out, "<p class=\"legend\">");
    for (label, colour) in BAND_LABELS.iter().zip(BAND_COLOURS) {
        let _ = write!(
            out,
            "<span><i style=\"background:{colour}\"></i>{label}</span>"
        );
    }
    let _ = writeln!(
        out,
        "</p>\n<p class=\"note\">Each bar splits a group's answers by coverage band; the figure after it is the mean coverage.</p>"
    );
}

/// One row per group: a bar split into the five coverage bands, in proportion to the
/// group's answers, then the count and mean coverage.
fn distribution(out: &mut String, id: &str, title: &str, groups: &BTreeMap<String, Group>) {
    let _ = writeln!(out, "<h3>{title}</h3>");
    if groups.is_empty() {
        let _ = writeln!(out, "<p>No graded answers.</p>");
        return;
    }
    let shown = groups.len().min(MAX_CHART_ROWS);
    let width = LABEL_WIDTH + BAR_WIDTH + 150;
    let height = shown * ROW_HEIGHT + 4;
    let _ = writeln!(
        out,
        "<svg id=\"{id}\" role=\"img\" aria-label=\"{title}: coverage bands\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (index, (key, group)) in groups.iter().take(MAX_CHART_ROWS).enumerate() {
        let y = index * ROW_HEIGHT + 2;
        let bands = group.bands();
        let answers = group.coverages.len();
        let _ = writeln!(
            out,
            "<g class=\"row\" data-group=\"{}\" data-answers=\"{answers}\" data-mean=\"{:.4}\">",
            escape(key),
            group.mean()
        );
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{}\"><title>{}</title>{}</text>",
            y + 15,
            escape(key),
            escape(&fit_label(key))
        );
        let mut x = LABEL_WIDTH as f64;
        for (band, &count) in bands.iter().enumerate() {
            let share = count as f64 / answers.max(1) as f64;
            let span = share * BAR_WIDTH as f64;
            let _ = writeln!(
                out,
                "<rect class=\"band\" data-band=\"{band}\" data-count=\"{count}\" x=\"{x:.1}\" y=\"{y}\" width=\"{span:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {count} of {answers}</title></rect>",
                ROW_HEIGHT - 4,
                BAND_COLOURS[band],
                BAND_LABELS[band]
            );
            x += span;
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{answers} · mean {:.0}%</text>\n</g>",
            LABEL_WIDTH + BAR_WIDTH + 8,
            y + 15,
            group.mean() * 100.0
        );
    }
    let _ = writeln!(out, "</svg>");
    if groups.len() > MAX_CHART_ROWS {
        let _ = writeln!(
            out,
            "<p class=\"note\">… and {} more (see report.md or summary.csv).</p>",
            groups.len() - MAX_CHART_ROWS
        );
    }
}

/// The concepts missed most often over all answers, as bars in proportion to the top one.
fn most_missed(out: &mut String, overall: &Group) {
    let _ = writeln!(out, "<h2>Most missed concepts</h2>");
    let missed = overall.most_missed(MOST_MISSED);
    let Some(&(_, top)) = missed.first() else {
        let _ = writeln!(out, "<p>None.</p>");
        return;
    };
    let width = LABEL_WIDTH + BAR_WIDTH + 60;
    let height = missed.len() * ROW_HEIGHT + 4;
    let _ = writeln!(
        out,
        "<svg id=\"most-missed\" role=\"img\" aria-label=\"Most missed concepts\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (index, (concept, times)) in missed.iter().enumerate() {
        let y = index * ROW_HEIGHT + 2;
        let span = *times as f64 / top as f64 * BAR_WIDTH as f64;
        let _ = writeln!(
            out,
            "<g class=\"missed\" data-concept=\"{}\" data-count=\"{times}\"><text x=\"0\" y=\"{}\"><title>{}</title>{}</text><rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{span:.1}\" height=\"{}\" fill=\"#8e44ad\"><title>{}: missed {times} times</title></rect><text x=\"{:.1}\" y=\"{}\">{times}</text></g>",
            escape(concept),
            y + 15,
            escape(concept),
            escape(&fit_label(concept)),
            ROW_HEIGHT - 4,
            escape(concept),
            LABEL_WIDTH as f64 + span + 6.0,
            y + 15
        );
    }
    let _ = writeln!(out, "</svg>");
}

/// The first errors (`listed`, at most [`LISTED_ERRORS`]) and how many there are in all.
fn errors(out: &mut String, listed: &[ResultRow], count: usize) {
    let _ = writeln!(out, "<h2>Errors</h2>");
    if count == 0 {
        let _ = writeln!(out, "<p id=\"errors\" data-count=\"0\">None.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<table id=\"errors\" data-count=\"{count}\">\n<tr><th>Record</th><th>Where</th><th>Error</th></tr>"
    );
    for row in listed {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.id),
            escape(&row.source),
            escape(row.error.as_deref().unwrap_or(""))
        );
    }
    let _ = writeln!(out, "</table>");
    if count > listed.len() {
        let _ = writeln!(
            out,
            "<p class=\"note\">… and {} more (see results.jsonl).</p>",
            count - listed.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, question: &str, coverage: Option<f64>, error: Option<&str>) -> ResultRow {
        ResultRow {
            id: id.into(),
            candidate: Some("ann <b>".into()),
            source: format!("a.jsonl:{id}"),
            question_id: Some(question.into()),
            coverage,
            precision: coverage,
            f1: coverage,
            missed: vec!["Online learning".into()],
            error: error.map(str::to_string),
        }
    }

    #[test]
    fn the_page_holds_the_numbers_and_escapes_the_text() {
        let rows = vec![
            row("1", "q1", Some(0.1), None),
            row("2", "q1", Some(0.9), None),
            row("3", "q2", Some(0.5), None),
            row("4", "q2", None, Some("malformed \x1b[2J <JSON>")),
        ];
        let page = report_html(&Grouped::of(&rows));
        assert!(page.contains("data-records=\"4\" data-graded=\"3\" data-errors=\"1\""));
        assert!(page.contains("data-group=\"q1\" data-answers=\"2\" data-mean=\"0.5000\""));
        assert!(page.contains("data-band=\"0\" data-count=\"1\""));
        assert!(page.contains("data-concept=\"Online learning\" data-count=\"3\""));
        assert!(
            page.contains("ann &lt;b&gt;"),
            "candidate names are escaped"
        );
        assert!(page.contains("malformed ␛[2J &lt;JSON&gt;"));
        assert!(!page.contains('\x1b'));
        assert!(!page.contains("<script"), "no scripts");
        assert!(
            !page.contains("src=") && !page.contains("href=") && !page.contains("url("),
            "nothing is loaded from elsewhere"
        );
    }
}
