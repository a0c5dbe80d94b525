//! The segmenter on any text: no panic; every segment's span is non-empty, in bounds, on
//! char boundaries and slices out exactly the segment's text; and every letter of the text
//! lies inside some sentence.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mockgrade::segment::{segment, SegmentKind};

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let segments = segment(&text);
    for piece in &segments {
        let (start, end) = piece.span;
        assert!(
            start < end && end <= text.len(),
            "span {start}..{end} out of bounds in {text:?}"
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "span {start}..{end} not on char boundaries in {text:?}"
        );
        assert_eq!(
            &text[start..end],
            piece.text,
            "segment text differs from its span"
        );
    }
    let mut in_sentence = vec![false; text.len()];
    for piece in segments
        .iter()
        .filter(|piece| piece.kind == SegmentKind::Sentence)
    {
        in_sentence[piece.span.0..piece.span.1].fill(true);
    }
    for (offset, ch) in text.char_indices() {
        if ch.is_alphabetic() {
            assert!(
                in_sentence[offset],
                "letter at {offset} not in any sentence of {text:?}"
            );
        }
    }
});
