//! The Markdown notes importer on any text: no panic, and when it finds questions, the
//! bank skeleton it writes parses, with as many questions and points as it reported.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mockgrade::bank::{import_notes, parse_bank_text};

fuzz_target!(|bytes: &[u8]| {
    let notes = String::from_utf8_lossy(bytes);
    let summary = import_notes(&notes);
    if summary.questions == 0 {
        return;
    }
    let questions = match parse_bank_text("import.toml", &summary.toml) {
        Ok(questions) => questions,
        Err(issues) => panic!("skeleton does not parse: {issues:?}\n{}", summary.toml),
    };
    let points: usize = questions.iter().map(|(q, _)| q.points.len()).sum();
    assert_eq!(
        (questions.len(), points),
        (summary.questions, summary.bullets),
        "skeleton counts differ from the summary\n{}",
        summary.toml
    );
});
