//! `mockgrade grade`: one answer against a bank question or an ad-hoc reference.

use std::path::Path;

use anyhow::{Context, Result};

use mockgrade::score::Rubric;
use mockgrade::util::limited_read::MAX_ANSWER_BYTES;

use super::args::GradeArgs;
use super::input::{read_text, stdin_is_redirected};
use super::output::print_report;
use super::{exit, setup, UsageError};

pub fn run(args: &GradeArgs) -> Result<u8> {
    std::thread::scope(|scope| {
        // The model loads while the question and the answer are read: standard input may
        // be a slow pipe, and the bank parse is time the load would otherwise wait for.
        // Its errors wait until then, so a question or answer problem is reported first.
        let mut loading = setup::BackgroundGrader::start(scope, || {
            setup::grader(&args.shared.engine, &args.shared.scorer)
        });
        let rubric = rubric(args)?;
        let answer = answer(args)?;
        let grader = loading.get()?;
        let report = grader.grade(&rubric, &answer)?;
        setup::show_warnings(grader);
        print_report(&report, args.format)?;
        Ok(exit::OK)
    })
}

fn rubric(args: &GradeArgs) -> Result<Rubric> {
    if let Some(key) = &args.question {
        let bank = setup::bank(&args.shared.bank)?;
        return Ok(Rubric::from(bank.find(key)?));
    }
    // Where the reference came from, as the message for an empty one names it.
    let (reference, given) = match (&args.reference, &args.reference_file) {
        (Some(text), _) => (text.clone(), "with --reference".to_string()),
        (None, Some(path)) => (
            read_text(path, MAX_ANSWER_BYTES as u64, "reference texts")?,
            format!("in --reference-file {}", path.display()),
        ),
        (None, None) => {
            return Err(UsageError(
                "say what to grade against: --question ID|NUMBER, or --reference TEXT / --reference-file FILE".into(),
            )
            .into())
        }
    };
    Rubric::from_reference(
        mockgrade::score::REFERENCE_RUBRIC_ID,
        args.question_text.clone(),
        &reference,
    )
    .map_err(|_| {
        UsageError(format!(
            "the reference is empty: give at least one sentence {given}"
        ))
        .into()
    })
}

fn answer(args: &GradeArgs) -> Result<String> {
    if let Some(text) = &args.answer {
        return Ok(text.clone());
    }
    let path = match args.answer_file.as_deref().or(args.answer_path.as_deref()) {
        Some(path) => path,
        // As ripgrep does: piped or redirected input is the answer, where a terminal (or
        // /dev/null, as under cron) is not.
        None if stdin_is_redirected() => Path::new("-"),
        None => {
            return Err(UsageError(
                "give the answer: --answer TEXT, --answer-file FILE, or - for standard input (or pipe it in)"
                    .into(),
            )
            .into())
        }
    };
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
