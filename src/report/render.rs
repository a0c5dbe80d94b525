//! Rendering a report as terminal text (bar, symbols, optional colour) or as Markdown.

use std::fmt::Write;

use super::Report;
use crate::score::{PointResult, Status, REFERENCE_RUBRIC_ID};
use crate::util::decimals::round4;
use crate::util::escape::markdown;
use crate::util::visible::visible;

/// How the text report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub color: bool,
    /// Columns available; lines are shortened or wrapped to fit.
    pub width: usize,
    /// Print the question's heading and text above the grade (`practice` has just shown
    /// them, so it leaves them out).
    pub heading: bool,
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle {
            color: false,
            width: 80,
            heading: true,
        }
    }
}

const BAR_WIDTH: usize = 20;
/// The coverage line without its bar: "Coverage " + " 100%" + "   precision 100%" + "   f1 1.00".
const SUMMARY_WITHOUT_BAR: usize = 41;
/// Narrower than this, the bar stops shrinking and precision and f1 move to their own line.
const MIN_BAR_WIDTH: usize = 10;

fn symbol(status: Status) -> &'static str {
    match status {
        Status::Covered => "✓",
        Status::Partial => "~",
        Status::Missed => "✗",
        Status::Contradicted => "⊘",
    }
}

fn paint(text: &str, code: &str, style: TextStyle) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn status_color(status: Status) -> &'static str {
    match status {
        Status::Covered => "32",
        Status::Partial => "33",
        Status::Missed => "31",
        Status::Contradicted => "35",
    }
}

/// Cuts `text` to at most `max` characters, ending with "…" when shortened.
pub fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let kept: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Greedy word wrap of `text` into lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn bar(coverage: f64, bar_width: usize) -> String {
    let filled = ((coverage * bar_width as f64).round() as usize).min(bar_width);
    format!("{}{}", "█".repeat(filled), "░".repeat(bar_width - filled))
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// A missed point as "concept: text", or the text alone when the concept is the text (a
/// short reference sentence), so it does not read twice; `show_concept` styles the concept.
fn missed_line(point: &PointResult, show_concept: impl Fn(&str) -> String) -> String {
    if point.concept == point.text {
        point.text.clone()
    } else {
        format!("{}: {}", show_concept(&point.concept), point.text)
    }
}

/// A copy of the report whose texts print as they read: an answer, a bank or a flag can
/// carry escape sequences, which would act on the terminal (or a Markdown viewer's) instead.
fn shown(report: &Report) -> Report {
    let show = |text: &str| visible(text).into_owned();
    let mut shown = report.clone();
    shown.question_id = show(&report.question_id);
    shown.question = report.question.as_deref().map(show);
    for point in &mut shown.points {
        point.concept = show(&point.concept);
        point.text = show(&point.text);
        point.matched = point.matched.as_deref().map(show);
    }
    shown
}

/// "Question N · id", the id alone without a number, or a line saying an ad-hoc reference
/// was used; `show_id` styles the id for the format.
fn heading(report: &Report, show_id: impl Fn(&str) -> String) -> String {
    match report.number {
        Some(number) => format!("Question {number} · {}", show_id(&report.question_id)),
        None if report.question_id == REFERENCE_RUBRIC_ID => {
            "Graded against your reference".to_string()
        }
        None => show_id(&report.question_id),
    }
}

/// The report as a candidate reads it in the terminal.
pub fn render_text(report: &Report, style: TextStyle) -> String {
    let report = &shown(report);
    let width = style.width.max(40);
    let mut out = String::new();
    let heading = heading(report, str::to_string);
    if style.heading {
        let _ = writeln!(out, "{}", paint(&heading, "1", style));
        if let Some(question) = &report.question {
            for line in wrap(question, width) {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    // The bar gives way first on narrow terminals, so the summary stays on one line.
    let bar_width = width
        .saturating_sub(SUMMARY_WITHOUT_BAR)
        .clamp(MIN_BAR_WIDTH, BAR_WIDTH);
    let separator = if SUMMARY_WITHOUT_BAR + bar_width > width {
        "\n"
    } else {
        "   "
    };
    let _ = writeln!(
        out,
        "\nCoverage {} {:>4}{separator}precision {}   f1 {:.2}\n",
        bar(report.coverage, bar_width),
        percent(report.coverage),
        percent(report.precision),
        report.f1
    );
    let concept_width = report
        .points
        .iter()
        .map(|point| point.concept.chars().count())
        .max()
        .unwrap_or(0)
        .min(width * 2 / 5);
    for point in &report.points {
        let _ = writeln!(out, "{}", point_line(point, concept_width, width, style));
    }
    let missed: Vec<&PointResult> = report.missing_points().collect();
    if !missed.is_empty() {
        let _ = writeln!(out, "\n{}", paint("Missed concepts", "1", style));
        for point in missed {
            let lines = wrap(&missed_line(point, str::to_string), width.saturating_sub(4));
            for (index, line) in lines.iter().enumerate() {
                let _ = writeln!(out, "  {} {line}", if index == 0 { "•" } else { " " });
            }
        }
    }
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\n{}", paint("Notes", "1", style));
        for flag in &report.flags {
            let lines = wrap(flag.explanation(), width.saturating_sub(4));
            for (index, line) in lines.iter().enumerate() {
                let _ = writeln!(out, "  {} {line}", if index == 0 { "!" } else { " " });
            }
        }
    }
    out
}

fn point_line(point: &PointResult, concept_width: usize, width: usize, style: TextStyle) -> String {
    let concept = shorten(&point.concept, concept_width);
    let padding = concept_width.saturating_sub(concept.chars().count());
    let prefix = format!(
        " {} {concept}{} {:>4}",
        paint(symbol(point.status), status_color(point.status), style),
        " ".repeat(padding),
        percent(round4(point.probability))
    );
    let visible_prefix = 3 + concept_width + 5;
    match &point.matched {
        Some(matched) if width > visible_prefix + 8 => {
            let room = width - visible_prefix - 4;
            format!("{prefix}  \"{}\"", shorten(matched, room))
        }
        _ => prefix,
    }
}

/// The same content as Markdown, for files and pull requests. Every text from the answer,
/// the bank or a flag is escaped for Markdown and HTML on one line (see
/// [`crate::util::escape::markdown`]), so it shows as written and cannot add markup.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let heading = heading(report, markdown);
    let _ = writeln!(out, "## {heading}\n");
    if let Some(question) = &report.question {
        let _ = writeln!(out, "> {}\n", markdown(question));
    }
    let _ = writeln!(
        out,
        "**Coverage {}** · precision {} · f1 {:.2}\n",
        percent(report.coverage),
        percent(report.precision),
        report.f1
    );
    let _ = writeln!(
        out,
        "| | Concept | P(covered) | Matched |\n|---|---|---|---|"
    );
    for point in &report.points {
        let matched = point
            .matched
            .as_deref()
            .map(|text| format!("\"{}\"", markdown(&shorten(text, 80))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {matched} |",
            symbol(point.status),
            markdown(&point.concept),
            percent(round4(point.probability))
        );
    }
    let missed: Vec<&PointResult> = report.missing_points().collect();
    if !missed.is_empty() {
        let _ = writeln!(out, "\n### Missed concepts\n");
        for point in missed {
            let line = if point.concept == point.text {
                markdown(&point.text)
            } else {
                format!(
                    "**{}**: {}",
                    markdown(&point.concept),
                    markdown(&point.text)
                )
            };
            let _ = writeln!(out, "- {line}");
        }
    }
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\n### Notes\n");
        for flag in &report.flags {
            let _ = writeln!(out, "- {}", flag.explanation());
        }
    }
    out
}
