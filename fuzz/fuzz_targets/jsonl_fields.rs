//! The JSONL record reader on well-formed JSON objects whose known fields (`id`, `answer`,
//! `question`, `reference`, `score`, `covers`, ...) hold values of every JSON type, odd
//! number literals included: a wrong type is an error, never a panic. A record's target is
//! then turned into its rubric and label, as a batch run does.

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mockgrade::records::record::parse_jsonl_line;
use serde_json::Value;

const FIELDS: [&str; 16] = [
    "id",
    "aid",
    "qid",
    "candidate",
    "answer",
    "question",
    "question_text",
    "reference",
    "score",
    "max_score",
    "label",
    "label_2way",
    "split",
    "covers",
    "kind",
    "unknown",
];

/// JSON literals that a generated `Value` cannot spell.
const LITERALS: [&str; 8] = [
    "1e400",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
    "0.1e-400",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "[\"a\", 2]",
];

/// An arbitrary JSON value, nested at most `depth` deep.
fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kinds = if depth == 0 { 5 } else { 7 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => Value::from(u.arbitrary::<f64>()?),
        4 => Value::String(u.arbitrary()?),
        5 => Value::Array(
            (0..u.int_in_range(0..=3)?)
                .map(|_| value(u, depth - 1))
                .collect::<Result<_>>()?,
        ),
        _ => Value::Object(
            (0..u.int_in_range(0..=3)?)
                .map(|_| Ok((u.arbitrary()?, value(u, depth - 1)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// A JSON object line whose fields are drawn from `FIELDS`, repeats allowed.
fn line(u: &mut Unstructured) -> Result<String> {
    let mut fields = Vec::new();
    for _ in 0..u.int_in_range(0..=8)? {
        let name = u.choose(&FIELDS)?;
        let text = if u.ratio(1, 5)? {
            u.choose(&LITERALS)?.to_string()
        } else {
            value(u, 2)?.to_string()
        };
        fields.push(format!("\"{name}\": {text}"));
    }
    Ok(format!("{{{}}}", fields.join(", ")))
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(line) = line(&mut Unstructured::new(bytes)) else {
        return;
    };
    if let Ok(record) = parse_jsonl_line(line.as_bytes(), "fuzz.jsonl", 1) {
        let rubric = record.target.rubric(None).ok();
        let _ = record.target.label(rubric.as_ref());
    }
});
