//! The bank parser on any bytes (read as text, invalid UTF-8 replaced): it returns a bank
//! or a list of issues, never panics. The text is loaded as a second file next to a valid
//! bank, so that clashes between files are exercised too.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mockgrade::bank::Bank;

/// A valid one-question bank that a fuzzed bank may clash with (id, number).
const OTHER_FILE: &str = r#"
[[questions]]
id = "drift"
number = 1
topic = "monitoring-drift"
question = "How would you notice that a model's inputs have drifted?"
[[questions.points]]
id = "compare-distributions"
concept = "Compare distributions"
text = "Compare live feature distributions with the training data."
"#;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let _ = Bank::from_sources([
        ("other.toml".to_string(), OTHER_FILE.to_string()),
        ("fuzz.toml".to_string(), text),
    ]);
});
