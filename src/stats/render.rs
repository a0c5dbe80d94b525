//! The progress statistics as terminal text, fitted to the terminal's width.

use std::fmt::Write;
use std::path::Path;

use super::{Stats, SPARKLINE_ATTEMPTS, TREND_WINDOW};
use crate::report::{shorten, wrap};
use crate::util::visible::visible;

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// A trend in coverage points per attempt: "+5 pts", "-3 pts", "±0 pts", or "—" when unknown.
fn trend_text(trend: Option<f64>) -> String {
    match trend.map(|slope| (slope * 100.0).round() as i64) {
        None => "—".into(),
        Some(0) => "±0 pts".into(),
        Some(points) => format!("{points:+} pts"),
    }
}

/// Coverage of each attempt as a bar from "▁" (0%) to "█" (100%), on one scale for every
/// topic so that heights compare across rows.
pub fn sparkline(coverages: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    coverages
        .iter()
        .map(|coverage| BARS[((coverage.clamp(0.0, 1.0) * 7.0).round()) as usize])
        .collect()
}

/// The statistics as text lines of at most `width` columns; `history` names the file read.
/// Concepts and topics come from bank files, so the whole text is shown [`visible`]: an
/// escape sequence in a concept prints as symbols instead of acting on the terminal.
pub fn render_text(stats: &Stats, history: &Path, width: usize) -> String {
    visible(&render_plain(stats, history, width)).into_owned()
}

fn render_plain(stats: &Stats, history: &Path, width: usize) -> String {
    let width = width.max(40);
    let mut out = String::new();
    if stats.total_attempts == 0 {
        let _ = writeln!(out, "No practice attempts yet.");
        for line in wrap(
            &format!(
                "Run `mockgrade practice` to answer a question; every graded attempt is saved to {} and counted here.",
                history.display()
            ),
            width,
        ) {
            let _ = writeln!(out, "{line}");
        }
        return out;
    }
    let _ = writeln!(
        out,
        "{} attempt{} in {}\n",
        stats.total_attempts,
        if stats.total_attempts == 1 { "" } else { "s" },
        history.display()
    );

    let topic_width = stats
        .topics
        .iter()
        .map(|topic| topic.topic.name().len())
        .max()
        .unwrap_or(5)
        .max("Topic".len());
    // The sparkline column shows when the terminal has room for it.
    let with_sparkline = topic_width + 29 + 2 + SPARKLINE_ATTEMPTS <= width;
    let _ = writeln!(
        out,
        "{:<topic_width$}  {:>5}  {:>4}  {:>4}  {:>7}{}",
        "Topic",
        "Tries",
        "Best",
        "Last",
        "Trend",
        if with_sparkline { "  Recent" } else { "" }
    );
    for topic in &stats.topics {
        let line = format!(
            "{:<topic_width$}  {:>5}  {:>4}  {:>4}  {:>7}",
            topic.topic.name(),
            topic.attempts,
            percent(topic.best_coverage),
            percent(topic.last_coverage),
            trend_text(topic.trend)
        );
        if with_sparkline {
            let _ = writeln!(out, "{line}  {}", sparkline(&topic.recent));
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = writeln!(out);
    for line in wrap(
        &if with_sparkline {
            format!("Trend: change in coverage per attempt, fitted over each topic's last {TREND_WINDOW} attempts. Recent: coverage of the last {SPARKLINE_ATTEMPTS}, oldest first, ▁ 0% to █ 100%.")
        } else {
            format!("Trend: change in coverage per attempt, fitted over each topic's last {TREND_WINDOW} attempts.")
        },
        width,
    ) {
        let _ = writeln!(out, "{line}");
    }

    if !stats.most_missed.is_empty() {
        let _ = writeln!(out, "\nMost often missed");
        for missed in &stats.most_missed {
            let count = format!("{}×", missed.times);
            let _ = writeln!(
                out,
                "{count:>5}  {}",
                shorten(&missed.concept, width.saturating_sub(7))
            );
        }
    }

    let never = &stats.never_attempted;
    if never.count == 0 {
        let _ = writeln!(
            out,
            "\nEvery one of the {} questions has been attempted.",
            never.of
        );
    } else {
        let _ = writeln!(out);
        for line in wrap(
            &format!(
                "Never attempted: {} of {} questions (practise them with --new)",
                never.count, never.of
            ),
            width,
        ) {
            let _ = writeln!(out, "{line}");
        }
        let labels: Vec<String> = never
            .questions
            .iter()
            .map(|question| question.label())
            .collect();
        for line in wrap(&labels.join(" "), width.saturating_sub(2)) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::practice::history::Attempt;

    #[test]
    fn fits_sixty_columns_and_shows_each_section() {
        let bank = Bank::built_in().unwrap();
        let question = bank.find("21").unwrap();
        let attempts: Vec<Attempt> = [0.2, 0.5]
            .iter()
            .map(|&coverage| {
                let long =
                    "A concept with a rather long name that will not fit in sixty columns of text";
                Attempt {
                    seconds: Some(60),
                    ..Attempt::sample(question, coverage, &[long])
                }
            })
            .collect();
        let text = render_text(&Stats::compute(&attempts, &bank), Path::new("h.jsonl"), 60);
        for line in text.lines() {
            assert!(line.chars().count() <= 60, "too wide: {line:?}");
        }
        assert!(text.starts_with("2 attempts in h.jsonl"), "{text}");
        assert!(text.contains("+30 pts"), "{text}");
        assert!(text.contains("   2×  A concept"), "{text}");
        assert!(text.contains(&format!(
            "Never attempted: {} of {}",
            bank.questions().len() - 1,
            bank.questions().len()
        )));
    }

    #[test]
    fn an_empty_history_gets_a_friendly_message() {
        let bank = Bank::built_in().unwrap();
        let text = render_text(&Stats::compute(&[], &bank), Path::new("h.jsonl"), 80);
        assert!(text.starts_with("No practice attempts yet."), "{text}");
        assert!(text.contains("mockgrade practice"));
    }

    #[test]
    fn sparklines_use_one_scale_from_empty_to_full() {
        assert_eq!(sparkline(&[0.0, 0.15, 0.5, 0.86, 1.0]), "▁▂▅▇█");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn a_wide_terminal_shows_each_topics_recent_attempts() {
        let bank = Bank::built_in().unwrap();
        let question = bank.find("21").unwrap();
        let attempts: Vec<Attempt> = [0.0, 0.5, 1.0]
            .iter()
            .map(|&coverage| Attempt::sample(question, coverage, &[]))
            .collect();
        let text = render_text(&Stats::compute(&attempts, &bank), Path::new("h.jsonl"), 80);
        let row = text
            .lines()
            .find(|line| line.starts_with(question.topic.name()))
            .unwrap();
        assert!(row.ends_with("  ▁▅█"), "{text}");
    }
}
