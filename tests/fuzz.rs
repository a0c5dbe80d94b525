//! Property-based fuzzing of every parser that reads user input: the segmenter, the
//! negation scope, the bank parser, the JSONL and CSV record readers and the notes importer.
//! Never a panic, and the segmenter's spans always point back into the text. The same
//! properties, but the negation scope's, are cargo-fuzz targets in fuzz/fuzz_targets/,
//! which `scripts/fuzz` runs for millions of inputs; a crash they find becomes a regression
//! test here, named after what it found.

use proptest::prelude::*;

use mockgrade::bank::{import_notes, parse_bank_text, Bank};
use mockgrade::records::csv_records_from;
use mockgrade::records::record::parse_jsonl_line;
use mockgrade::score::NegationScope;
use mockgrade::segment::{segment, SegmentKind};

/// Text that looks like answers: words, punctuation, bullets, numbers, newlines, emoji,
/// right-to-left script and combining marks, mixed with arbitrary characters.
fn answer_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("I would monitor drift".to_string()),
        Just(". ".to_string()),
        Just("e.g. ".to_string()),
        Just("etc. ".to_string()),
        Just("v2.4.0 ".to_string()),
        Just("\n- ".to_string()),
        Just("\n1. ".to_string()),
        Just("; ".to_string()),
        Just(", and ".to_string()),
        Just("?! ".to_string()),
        Just("😀 ".to_string()),
        Just("שלום עולם ".to_string()),
        Just("e\u{301} ".to_string()),
        Just("\n\n".to_string()),
        "[a-zA-Z]{1,12}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    /// The negation scope reads any text without a panic, for every segment of it, and a
    /// share is always a share.
    #[test]
    fn negation_scope_reads_any_text(text in answer_like(), about in "[a-z ]{0,40}") {
        let stems = mockgrade::score::cues::content_stems(&about);
        for piece in segment(&text) {
            let scope = NegationScope::of(&piece.text);
            let share = scope.denied_share((0, piece.text.len()), &stems);
            prop_assert!((0.0..=1.0).contains(&share));
            let _ = mockgrade::score::denies(&piece.text, &about);
        }
    }

    #[test]
    fn segments_are_in_bounds_on_char_boundaries_and_cover_every_word(text in answer_like()) {
        let segments = segment(&text);
        for piece in &segments {
            let (start, end) = piece.span;
            prop_assert!(start < end && end <= text.len());
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            prop_assert_eq!(&text[start..end], piece.text.as_str());
        }
        let sentences: Vec<(usize, usize)> = segments
            .iter()
            .filter(|piece| piece.kind == SegmentKind::Sentence)
            .map(|piece| piece.span)
            .collect();
        for (offset, ch) in text.char_indices() {
            if ch.is_alphabetic() {
                prop_assert!(
                    sentences.iter().any(|&(start, end)| start <= offset && offset < end),
                    "letter at {} not in any sentence of {:?}", offset, text
                );
            }
        }
    }

    #[test]
    fn the_bank_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_bank_text("fuzz.toml", &text);
    }

    #[test]
    fn the_bank_parser_survives_bank_shaped_noise(
        id in "[a-z-]{0,8}", topic in "[a-z-]{0,12}", weight in any::<f64>(), text in ".{0,30}"
    ) {
        let toml = format!(
            "[[questions]]\nid = \"{id}\"\ntopic = \"{topic}\"\nquestion = \"q\"\n[[questions.points]]\nid = \"{id}\"\nconcept = \"c\"\ntext = {}\nweight = {weight:?}\n",
            toml_string(&text)
        );
        let _ = Bank::from_sources([("fuzz.toml".to_string(), toml)]);
    }

    #[test]
    fn the_jsonl_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_jsonl_line(&bytes, "fuzz.jsonl", 1);
    }

    #[test]
    fn jsonl_records_with_odd_field_types_are_errors_not_panics(
        id in prop_oneof![Just("1".to_string()), Just("\"x\"".to_string()), Just("null".to_string()), Just("[]".to_string()), Just("{}".to_string())],
        answer in prop_oneof![Just("\"ok\"".to_string()), Just("3".to_string()), Just("null".to_string()), Just("[\"a\"]".to_string())],
        reference in prop_oneof![Just("\"r\"".to_string()), Just("[\"a\", 2]".to_string()), Just("7".to_string()), Just("null".to_string())],
    ) {
        let line = format!("{{\"id\": {id}, \"answer\": {answer}, \"reference\": {reference}, \"question\": 2}}");
        let _ = parse_jsonl_line(line.as_bytes(), "fuzz.jsonl", 1);
    }

    #[test]
    fn the_csv_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut input = b"id,question,answer\n".to_vec();
        input.extend_from_slice(&bytes);
        // At most one record per line (CSV ends lines at \n or \r), and the stream ends.
        for text in [&input[..], &bytes[..]] {
            let lines = text.iter().filter(|&&byte| byte == b'\n' || byte == b'\r').count() + 1;
            let records = csv_records_from(text, std::path::Path::new("fuzz.csv"))
                .take(lines + 2)
                .count();
            prop_assert!(records <= lines, "{records} records from {lines} lines");
        }
    }

    #[test]
    fn imported_notes_always_give_a_valid_skeleton(text in answer_like()) {
        let summary = import_notes(&text);
        if summary.questions > 0 {
            prop_assert!(parse_bank_text("import.toml", &summary.toml).is_ok(), "{}", summary.toml);
        }
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[test]
fn notes_with_question_shaped_lines_import() {
    let summary = import_notes(
        "Question 7: How do you scale out a feature pipeline?\n  • Partition by key\n",
    );
    assert_eq!((summary.questions, summary.bullets), (1, 1));
}

/// Found by the `bank_shaped` cargo-fuzz target: a weight of 5e-324 is above 0 as an f64
/// but rounds to 0 as the f32 a point stores, which made a zero-weight point. A weight
/// beyond f32's range would likewise have become infinite.
#[test]
fn a_weight_that_rounds_to_zero_as_f32_is_refused() {
    for weight in ["5e-324", "1e39"] {
        let toml = format!(
            "[[questions]]\nid = \"g\"\ntopic = \"monitoring-drift\"\nquestion = \"t\"\n[[questions.points]]\nid = \"p\"\nconcept = \"c\"\ntext = \"t\"\nweight = {weight}\n"
        );
        let issues = parse_bank_text("fuzz.toml", &toml)
            .err()
            .expect("an out-of-range weight is an error");
        assert!(
            issues.len() == 1 && issues[0].message.contains("out of range"),
            "{issues:?}"
        );
    }
}
