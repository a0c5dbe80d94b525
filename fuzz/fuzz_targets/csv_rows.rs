//! The CSV record reader on any bytes: records or errors, never a panic. The first byte
//! picks the shape: when it is odd (as the `i` of `id` is), the input is read as a whole
//! file; when even, the bytes after it are read as rows under a valid header. One reader
//! per input, since building a CSV reader is most of the cost. Each record's target is
//! then turned into its rubric and label, as a batch run does.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mockgrade::records::csv_records_from;

const HEADER: &[u8] = b"id,question,answer,reference\n";

fuzz_target!(|bytes: &[u8]| {
    let Some((&shape, rest)) = bytes.split_first() else {
        return;
    };
    let input = if shape % 2 == 1 {
        bytes.to_vec()
    } else {
        [HEADER, rest].concat()
    };
    for record in csv_records_from(&input[..], Path::new("fuzz.csv")).flatten() {
        let rubric = record.target.rubric(None).ok();
        let _ = record.target.label(rubric.as_ref());
    }
});
