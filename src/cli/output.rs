//! What the terminal shows: its style (colour, width), a report in the chosen format, and a
//! question with its points. Shared by the commands that print them.

use std::io::IsTerminal;

use mockgrade::bank::Question;
use mockgrade::report::{render_markdown, render_text, wrap, Report, TextStyle};
use mockgrade::util::visible::visible;

use super::shared_args::Format;
use super::StdoutError;

/// Prints a report in the chosen format; text gets colour only on a terminal without NO_COLOR.
pub fn print_report(report: &Report, format: Format) -> Result<(), StdoutError> {
    match format {
        Format::Json => outln!("{}", report.to_json())?,
        Format::Md => out!("{}", render_markdown(report))?,
        Format::Text => out!("{}", render_text(report, terminal_style()))?,
    }
    Ok(())
}

/// Colour on a terminal without NO_COLOR; width from COLUMNS (an explicit override), else
/// the terminal's real width (shells rarely export COLUMNS), else 80.
pub fn terminal_style() -> TextStyle {
    let tty = std::io::stdout().is_terminal();
    let color = tty && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_rows, columns)| usize::from(columns))
        })
        .unwrap_or(80usize)
        .clamp(40, 120);
    TextStyle {
        color,
        width,
        heading: true,
    }
}

/// A question and its expected points, wrapped to `width` columns.
pub fn show_text(question: &Question, width: usize) -> String {
    let mut out = String::new();
    let number = question
        .number
        .map(|n| format!("Question {n} · "))
        .unwrap_or_default();
    let heading = format!("{number}{} · {}", question.id, question.topic);
    for line in wrap(&heading, width)
        .iter()
        .chain(&wrap(&visible(&question.question), width))
    {
        out.push_str(&format!("{line}\n"));
    }
    out.push('\n');
    let indented = |text: &str, out: &mut String| {
        for line in wrap(text, width.saturating_sub(4)) {
            out.push_str(&format!("    {line}\n"));
        }
    };
    for point in &question.points {
        let title = format!("{} ({})", visible(&point.concept), point.id);
        for (index, line) in wrap(&title, width.saturating_sub(4)).iter().enumerate() {
            out.push_str(&format!(
                "  {} {line}\n",
                if index == 0 { "•" } else { " " }
            ));
        }
        indented(&visible(&point.text), &mut out);
        if !point.aliases.is_empty() {
            let aliases = visible(&point.aliases.join(" | ")).into_owned();
            indented(&format!("also: {aliases}"), &mut out);
        }
    }
    out
}
