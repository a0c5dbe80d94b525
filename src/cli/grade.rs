//! `mockgrade grade`: one answer against a bank question or an ad-hoc reference.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};

use mockgrade::report::{render_markdown, render_text, Report, TextStyle};
use mockgrade::score::Rubric;
use mockgrade::util::limited_read::MAX_ANSWER_BYTES;

use super::args::{Format, GlobalArgs, GradeArgs};
use super::input::read_text;
use super::{engine, exit, UsageError};

pub fn run(global: &GlobalArgs, args: &GradeArgs) -> Result<u8> {
    // A typo in a flag fails fast, without loading the model.
    let flags_ok = engine::embedder_options(global).is_ok();
    std::thread::scope(|scope| {
        // The model loads while the question and the answer are read: standard input may
        // be a slow pipe, and the bank parse is time the load would otherwise wait for.
        let mut loading = flags_ok.then(|| engine::BackgroundGrader::start(scope, global));
        let rubric = rubric(global, args)?;
        let answer = answer(args)?;
        engine::embedder_options(global)?;
        let loaded;
        let grader = match loading.as_mut() {
            Some(background) => background.get()?,
            None => {
                loaded = engine::grader(global)?;
                &loaded
            }
        };
        let report = grader.grade(&rubric, &answer)?;
        engine::show_warnings(grader);
        print_report(&report, args.format);
        Ok(exit::OK)
    })
}

/// Prints a report in the chosen format; text gets colour only on a terminal without NO_COLOR.
pub fn print_report(report: &Report, format: Format) {
    match format {
        Format::Json => println!("{}", report.to_json()),
        Format::Md => print!("{}", render_markdown(report)),
        Format::Text => print!("{}", render_text(report, terminal_style())),
    }
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

fn rubric(global: &GlobalArgs, args: &GradeArgs) -> Result<Rubric> {
    if let Some(key) = &args.question {
        let bank = engine::bank(global)?;
        return Ok(Rubric::from(bank.find(key)?));
    }
    let reference = match (&args.reference, &args.reference_file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => read_text(path, MAX_ANSWER_BYTES as u64, "reference texts")?,
        (None, None) => {
            return Err(UsageError(
                "say what to grade against: --question ID|NUMBER, or --reference TEXT / --reference-file FILE".into(),
            )
            .into())
        }
    };
    let rubric = Rubric::from_reference(
        mockgrade::score::REFERENCE_RUBRIC_ID,
        args.question_text.clone(),
        &reference,
    );
    if rubric.points.is_empty() {
        return Err(UsageError(
            "the reference is empty: give at least one sentence with --reference".into(),
        )
        .into());
    }
    Ok(rubric)
}

fn answer(args: &GradeArgs) -> Result<String> {
    if let Some(text) = &args.answer {
        return Ok(text.clone());
    }
    let path = args
        .answer_file
        .as_deref()
        .or(args.answer_path.as_deref())
        .ok_or_else(|| {
            UsageError(
                "give the answer: --answer TEXT, --answer-file FILE, or - for standard input"
                    .into(),
            )
        })?;
    read_text(path, MAX_ANSWER_BYTES as u64, "answers")
        .with_context(|| format!("cannot use the answer {}", describe(path)))
}

fn describe(path: &Path) -> String {
    if path == Path::new("-") {
        "from standard input".into()
    } else {
        format!("file {}", path.display())
    }
}
