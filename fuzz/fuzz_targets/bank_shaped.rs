//! The bank parser on syntactically valid TOML banks with fuzzed contents: one or two
//! files of questions and points whose ids, topics, numbers, texts, aliases and weights
//! are drawn from likely values and arbitrary ones. Never a panic, and a bank that passes
//! validation keeps its promises: slug ids, unique ids and numbers, a known topic, non-empty
//! texts, and at least one point per question, each with a weight above 0, and weights
//! that add up to a finite total.

#![no_main]

use std::collections::HashSet;
use std::fmt::Write;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mockgrade::bank::Bank;

const IDS: [&str; 6] = ["drift", "a", "drift-2", "Drift", "", "-"];
const TOPICS: [&str; 4] = ["data", "monitoring-drift", "serving-latency", "Data"];
const TEXTS: [&str; 4] = [
    "Compare live features with training data.",
    " ",
    "",
    "e.g. watch p99 latency",
];

/// A TOML string literal for `text`.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// One of `likely`, or an arbitrary string.
fn pick(u: &mut Unstructured, likely: &[&str]) -> Result<String> {
    if u.ratio(3, 4)? {
        Ok(u.choose(likely)?.to_string())
    } else {
        u.arbitrary()
    }
}

/// A weight: a usual one, or any float at all (NaN, infinities, subnormals, huge).
fn weight(u: &mut Unstructured) -> Result<f64> {
    if u.ratio(1, 2)? {
        Ok(*u.choose(&[1.0, 0.5, 2.0, 0.0, -1.0])?)
    } else {
        u.arbitrary()
    }
}

fn question(u: &mut Unstructured, out: &mut String) -> Result<()> {
    out.push_str("\n[[questions]]\n");
    writeln!(out, "id = {}", quoted(&pick(u, &IDS)?)).unwrap();
    if u.arbitrary()? {
        let number: i64 = if u.ratio(3, 4)? {
            u.int_in_range(-1..=4)?
        } else {
            u.arbitrary()?
        };
        writeln!(out, "number = {number}").unwrap();
    }
    writeln!(out, "topic = {}", quoted(&pick(u, &TOPICS)?)).unwrap();
    writeln!(out, "question = {}", quoted(&pick(u, &TEXTS)?)).unwrap();
    for _ in 0..u.int_in_range(0..=3)? {
        out.push_str("[[questions.points]]\n");
        writeln!(out, "id = {}", quoted(&pick(u, &IDS)?)).unwrap();
        writeln!(out, "concept = {}", quoted(&pick(u, &TEXTS)?)).unwrap();
        writeln!(out, "text = {}", quoted(&pick(u, &TEXTS)?)).unwrap();
        let aliases: Vec<String> = (0..u.int_in_range(0..=2)?)
            .map(|_| pick(u, &TEXTS).map(|alias| quoted(&alias)))
            .collect::<Result<_>>()?;
        if !aliases.is_empty() {
            writeln!(out, "aliases = [{}]", aliases.join(", ")).unwrap();
        }
        if u.arbitrary()? {
            let weight = toml::Value::Float(weight(u)?);
            writeln!(out, "weight = {weight}").unwrap();
        }
    }
    Ok(())
}

/// One or two bank files built from the fuzzer's bytes.
fn banks(u: &mut Unstructured) -> Result<Vec<(String, String)>> {
    let mut files = vec![String::new(); u.int_in_range(1..=2)?];
    for _ in 0..u.int_in_range(0..=4)? {
        let file = u.choose_index(files.len())?;
        question(u, &mut files[file])?;
    }
    Ok(files
        .into_iter()
        .enumerate()
        .map(|(index, text)| (format!("bank{index}.toml"), text))
        .collect())
}

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(files) = banks(&mut Unstructured::new(bytes)) else {
        return;
    };
    let Ok(bank) = Bank::from_sources(files.clone()) else {
        return;
    };
    let mut ids = HashSet::new();
    let mut numbers = HashSet::new();
    for question in bank.questions() {
        assert!(
            is_slug(&question.id),
            "accepted id {:?}: {files:?}",
            question.id
        );
        assert!(ids.insert(&question.id), "accepted duplicate id: {files:?}");
        if let Some(number) = question.number {
            assert!(number >= 1, "accepted number 0: {files:?}");
            assert!(
                numbers.insert(number),
                "accepted duplicate number: {files:?}"
            );
        }
        assert!(
            !question.question.trim().is_empty(),
            "accepted empty question: {files:?}"
        );
        assert!(
            !question.points.is_empty(),
            "accepted a question without points: {files:?}"
        );
        let mut point_ids = HashSet::new();
        for point in &question.points {
            assert!(
                is_slug(&point.id),
                "accepted point id {:?}: {files:?}",
                point.id
            );
            assert!(
                point_ids.insert(&point.id),
                "accepted duplicate point id: {files:?}"
            );
            assert!(
                !point.text.trim().is_empty() && !point.concept.trim().is_empty(),
                "accepted an empty point: {files:?}"
            );
            assert!(
                point.aliases.iter().all(|alias| !alias.trim().is_empty()),
                "accepted an empty alias: {files:?}"
            );
            assert!(
                point.weight.is_finite() && point.weight > 0.0,
                "accepted weight {} (stored as f32): {files:?}",
                point.weight
            );
        }
        assert!(
            question.total_weight().is_finite(),
            "accepted weights that add up to {}: {files:?}",
            question.total_weight()
        );
    }
});
