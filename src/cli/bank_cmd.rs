//! `mockgrade bank list|show|check|import`.

use anyhow::Result;
use serde_json::json;

use mockgrade::bank::{import_notes, Bank, Question};
use mockgrade::util::output_file::{check_output, write_output};
use mockgrade::util::visible::visible;

use super::args::BankCommand;
use super::input::{input_name, read_text, InputError};
use super::output::{show_text, terminal_style};
use super::shared_args::DataFormat;
use super::{exit, setup};

/// Notes files larger than this are refused by `bank import`.
const MAX_NOTES_BYTES: u64 = 16 * 1024 * 1024;

pub fn run(command: BankCommand) -> Result<u8> {
    match command {
        BankCommand::List {
            topic,
            format,
            bank,
        } => {
            let bank = setup::bank(&bank)?;
            let questions: Vec<&Question> = bank.by_topic(topic).collect();
            match format {
                DataFormat::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&questions_json(&questions))?
                )?,
                DataFormat::Text => {
                    for question in questions {
                        let number = question
                            .number
                            .map(|n| n.to_string())
                            .unwrap_or_else(|| "-".into());
                        outln!(
                            "{number:>3}  {:<24} {} ({} points)",
                            question.topic.name(),
                            visible(&question.question),
                            question.points.len()
                        )?;
                    }
                }
            }
            Ok(exit::OK)
        }
        BankCommand::Show {
            question,
            format,
            bank,
        } => {
            let bank = setup::bank(&bank)?;
            let question = bank.find(&question)?;
            match format {
                DataFormat::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&questions_json(&[question])[0])?
                )?,
                DataFormat::Text => out!("{}", show_text(question, terminal_style().width))?,
            }
            Ok(exit::OK)
        }
        BankCommand::Check { paths, bank } => {
            let bank = Bank::check(&paths, &bank.banks, !bank.no_default_bank)?;
            let points: usize = bank
                .questions()
                .iter()
                .map(|question| question.points.len())
                .sum();
            for question in bank.questions() {
                let fields = question.fields_with_controls();
                if !fields.is_empty() {
                    eprintln!(
                        "warning: {}: question '{}': {} hold control characters (an escape sequence or a text-direction override); they print as symbols such as ␛, remove them if a paste brought them in",
                        question.source,
                        question.id,
                        fields.join(", ")
                    );
                }
            }
            outln!("ok: {} questions, {points} points", bank.questions().len())?;
            Ok(exit::OK)
        }
        BankCommand::Import { notes, out, force } => {
            if let Some(path) = out.as_ref().filter(|path| path.exists() && !force) {
                return Err(InputError::OutputExists {
                    path: path.clone(),
                    flag: "--force",
                }
                .into());
            }
            if let Some(path) = &out {
                check_output(path)?;
            }
            let text = read_text(&notes, MAX_NOTES_BYTES, "notes")?;
            let summary = import_notes(&text);
            if summary.questions == 0 {
                return Err(InputError::NoRecords {
                    name: input_name(&notes),
                    reason: "no numbered questions found; number each question (`1. ...`) and put its points on bullet lines (`- ...`) below it".into(),
                }
                .into());
            }
            match out {
                Some(path) => {
                    write_output(&path, summary.toml.as_bytes())?;
                    eprintln!(
                        "imported {} questions with {} points into {}; fill in each topic, then run `mockgrade bank check {}`",
                        summary.questions,
                        summary.bullets,
                        path.display(),
                        path.display()
                    );
                }
                None => {
                    out!("{}", summary.toml)?;
                    eprintln!(
                        "imported {} questions with {} points",
                        summary.questions, summary.bullets
                    );
                }
            }
            Ok(exit::OK)
        }
    }
}

fn questions_json(questions: &[&Question]) -> Vec<serde_json::Value> {
    questions
        .iter()
        .map(|question| {
            json!({
                "id": question.id,
                "number": question.number,
                "topic": question.topic,
                "question": question.question,
                "points": question.points,
            })
        })
        .collect()
}
