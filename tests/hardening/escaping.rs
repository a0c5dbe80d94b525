//! Round 3, class 2: every report escapes user text for its own format. One payload list
//! (HTML, `javascript:` links, a newline that would forge a heading, spreadsheet formula
//! starts, escape sequences, zero-width characters) goes through each format in turn.

use mockgrade::bank::Bank;
use mockgrade::practice::history::Attempt;

use crate::common::{first_error_line, stderr, stdout, Sandbox};

/// Text a candidate, an id, a file name, a bank or an answer may carry.
const PAYLOADS: [&str; 12] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "ann\n## forged heading\n| x | y |",
    "=HYPERLINK(\"http://evil\",\"x\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTAB=1",
    "\r=CR",
    "title\x1b]0;pwned\x07 clear\x1b[2J",
    "2\u{200B}zero\u{200D}width\u{FEFF}",
];

/// Characters that act or hide instead of printing (a tab only moves the cursor).
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn assert_nothing_hidden(format: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| hidden(c)) {
        panic!("{format}: {c:?} printed raw in {text:?}");
    }
}

/// Markdown that renders every payload as text: no HTML tag, no link, no line of its own.
fn assert_inert_markdown(format: &str, text: &str) {
    assert_nothing_hidden(format, text);
    for raw in ["<script", "<img", "](javascript:", "onerror=alert(1)>"] {
        assert!(!text.contains(raw), "{format}: {raw} passed raw:\n{text}");
    }
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("## forged") && !line.starts_with("| x |"),
            "{format}: a payload started its own line: {line:?}"
        );
    }
    // Each table row has as many cells as its header: no payload ends a cell early.
    let mut columns = None;
    for line in text.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let cells = line
            .match_indices('|')
            .filter(|(at, _)| !line[..*at].ends_with('\\'))
            .count();
        match columns {
            None => columns = Some(cells),
            Some(header) => assert_eq!(cells, header, "{format}: {line}"),
        }
    }
}

fn records() -> String {
    PAYLOADS
        .iter()
        .enumerate()
        .map(|(index, payload)| {
            serde_json::json!({
                "id": format!("{payload}{index}"),
                "candidate": payload,
                "question": 2,
                "answer": format!("We retrain weekly on fresh data. {payload}"),
            })
            .to_string()
                + "\n"
        })
        .collect::<String>()
        // One record for a question that does not exist: its error line carries a payload too.
        + &serde_json::json!({"id": "missing", "question": PAYLOADS[0], "answer": "x"}).to_string()
        + "\n"
}

/// A batch of payload records, written from an input whose name is a payload too.
fn batch(sandbox: &Sandbox) -> std::path::PathBuf {
    let input = "<img src=x onerror=alert(1)>.jsonl";
    sandbox.file(input, records());
    let output = sandbox.run(&["batch", input, "--out", "out", "--quiet"]);
    assert_eq!(output.status.code(), Some(10), "{}", stderr(&output));
    sandbox.path().join("out")
}

#[test]
fn grade_markdown_escapes_the_answer_the_reference_and_the_question() {
    let sandbox = Sandbox::new();
    for payload in PAYLOADS {
        let output = sandbox.run(&[
            "grade",
            "--reference",
            &format!("Retrain the model weekly. {payload}"),
            "--question-text",
            &format!("Why retrain? {payload}"),
            "--answer",
            &format!("Retrain the model weekly. {payload}"),
            "--format",
            "md",
        ]);
        assert!(output.status.success(), "{payload:?}: {}", stderr(&output));
        assert_inert_markdown(&format!("grade md {payload:?}"), &stdout(&output));
    }
}

#[test]
fn report_md_escapes_ids_candidates_sources_and_errors() {
    let sandbox = Sandbox::new();
    let out = batch(&sandbox);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert_inert_markdown("report.md", &report);
    assert!(
        report.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        "{report}"
    );
    assert!(
        report.contains("ann \\#\\# forged heading \\| x \\| y \\|"),
        "{report}"
    );
}

#[test]
fn summary_csv_never_starts_a_field_with_a_formula() {
    let sandbox = Sandbox::new();
    let out = batch(&sandbox);
    let mut reader = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), PAYLOADS.len() + 1);
    for row in &rows {
        for field in row {
            assert!(
                !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula start in {row:?}"
            );
            assert_nothing_hidden("summary.csv", field);
        }
    }
    let candidates: Vec<&str> = rows.iter().map(|row| &row[1]).collect();
    assert!(
        candidates.contains(&"'=HYPERLINK(\"http://evil\",\"x\")"),
        "{candidates:?}"
    );
    assert!(candidates.contains(&"'-2+3"), "{candidates:?}");
}

#[test]
fn report_html_escapes_every_payload() {
    let sandbox = Sandbox::new();
    let out = batch(&sandbox);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_nothing_hidden("report.html", &page);
    for raw in ["<script", "<img", "href=", "onerror=alert(1)>"] {
        assert!(!page.contains(raw), "{raw} passed raw");
    }
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn stats_shows_concepts_visibly() {
    let sandbox = Sandbox::new();
    let bank = Bank::built_in().unwrap();
    let question = bank.find("2").unwrap();
    let history: String = PAYLOADS
        .iter()
        .map(|payload| {
            let attempt = Attempt {
                timestamp: "2026-01-01T00:00:00Z".into(),
                question_id: question.id.clone(),
                number: question.number,
                topic: question.topic,
                coverage: 0.5,
                precision: 1.0,
                // The last two in every attempt, so they lead the "most often missed" list.
                missed: vec![
                    payload.to_string(),
                    PAYLOADS[10].to_string(),
                    PAYLOADS[11].to_string(),
                ],
                answer: payload.to_string(),
                seconds: None,
                model_sha256: String::new(),
            };
            serde_json::to_string(&attempt).unwrap() + "\n"
        })
        .collect();
    sandbox.file("data/mockgrade/history.jsonl", history);
    let output = sandbox.run(&["stats"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    assert!(printed.contains("title␛]0;pwned␇ clear␛[2J"), "{printed}");
    assert!(
        printed.contains("2<U+200B>zero<U+200D>width<U+FEFF>"),
        "{printed}"
    );
    assert_nothing_hidden("stats", &printed);
}

#[test]
fn error_messages_show_hidden_characters() {
    let sandbox = Sandbox::new();
    for payload in PAYLOADS {
        let output = sandbox.run(&["grade", &format!("--question={payload}"), "--answer", "x"]);
        assert_eq!(
            output.status.code(),
            Some(4),
            "{payload:?}: {}",
            stderr(&output)
        );
        assert_nothing_hidden(
            &format!("error for {payload:?}"),
            &stderr(&output).replace('\n', " "),
        );
    }
    let output = sandbox.run(&["grade", "-q", "2\u{200B}", "--answer", "x"]);
    assert_eq!(
        first_error_line(&output),
        "error: unknown question '2<U+200B>': not an id or number in the loaded banks (see `mockgrade bank list`)"
    );
    let output = sandbox.run(&["embed", PAYLOADS[10], PAYLOADS[11]]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_nothing_hidden("embed --format text", &stdout(&output));
}
