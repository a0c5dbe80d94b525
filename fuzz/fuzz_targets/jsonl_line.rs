//! The JSONL record reader on any line of bytes: a record or an error, never a panic. A
//! record's target is then turned into its rubric and label, as a batch run does.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mockgrade::records::record::parse_jsonl_line;

fuzz_target!(|line: &[u8]| {
    if let Ok(record) = parse_jsonl_line(line, "fuzz.jsonl", 1) {
        let rubric = record.target.rubric(None).ok();
        let _ = record.target.label(rubric.as_ref());
    }
});
