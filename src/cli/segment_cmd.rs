//! `mockgrade segment`: the segments and segment facts of each record, as JSONL, so an
//! outside grader (the Python peer in scripts/bench-peer) scores exactly the same inputs.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use mockgrade::records::{read_all, Input};
use mockgrade::score::cues::speaking_as_candidate;
use mockgrade::score::{denial_shares, segment_facts, Rubric};
use mockgrade::segment::segment;

use super::shared_args::BankArgs;
use super::{exit, setup, InputError, StdoutError};

pub fn run(bank: &BankArgs, inputs: &[PathBuf]) -> Result<u8> {
    let inputs = inputs
        .iter()
        .map(|path| Input::from_path(path).map_err(|_| InputError::Missing(path.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    let bank = setup::bank(bank)?;
    let bank_ids = bank
        .questions()
        .iter()
        .map(|question| question.id.clone())
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for record in read_all(inputs, bank_ids).flatten() {
        let Ok(rubric) = record.target.rubric(Some(&bank)) else {
            continue;
        };
        let segments = segment(&record.answer);
        let facts = segment_facts(&rubric, &segments);
        let denial = denial_shares(&rubric, &segments);
        let speaking = speaking_as_candidate(&segments);
        let line = json!({
            "id": record.id,
            "question_id": rubric.id,
            "question": rubric.question,
            "points": points_json(&rubric),
            // denial[point][segment]: the share of the segment's words about the point
            // that a denial governs; the scorer's negation scope, which the peer reuses.
            "denial": denial,
            "segments": segments.iter().zip(&facts).zip(&speaking).map(|((segment, facts), speaking)| json!({
                "text": segment.text,
                "kind": segment.kind,
                "sentence": segment.sentence,
                "facts": facts,
                // Its sentence says what the candidate would do: a denial there is a
                // refusal, which never earns credit.
                "speaks_as_candidate": speaking,
            })).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}").map_err(StdoutError)?;
    }
    out.flush().map_err(StdoutError)?;
    Ok(exit::OK)
}

fn points_json(rubric: &Rubric) -> Vec<serde_json::Value> {
    rubric
        .points
        .iter()
        .map(|point| {
            let mut variants = vec![point.text.clone()];
            variants.extend(point.aliases.iter().cloned());
            json!({
                "id": point.id,
                "weight": point.weight,
                "variants": variants,
            })
        })
        .collect()
}
