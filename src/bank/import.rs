//! Turning cheat-sheet-style notes (numbered questions followed by bullet lines, with
//! noise such as image captions in between) into a bank TOML skeleton.

use std::collections::HashSet;
use std::fmt::Write;
use std::sync::OnceLock;

/// What an import found, and the TOML it produced.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub questions: usize,
    pub bullets: usize,
    pub toml: String,
}

struct Draft {
    question: String,
    bullets: Vec<String>,
}

/// Words too common to name a concept or an id.
const FILLER: [&str; 30] = [
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "for",
    "in",
    "on",
    "with",
    "by",
    "as",
    "at",
    "is",
    "are",
    "be",
    "use",
    "using",
    "utilize",
    "employ",
    "implement",
    "apply",
    "consider",
    "leverage",
    "how",
    "do",
    "you",
    "can",
    "what",
];

/// Parses notes into questions and bullets; lines that are neither are skipped.
pub fn import_notes(notes: &str) -> ImportSummary {
    let mut drafts: Vec<Draft> = Vec::new();
    for line in notes.lines() {
        if let Some(question) = question_line(line) {
            drafts.push(Draft {
                question,
                bullets: Vec::new(),
            });
        } else if let (Some(bullet), Some(draft)) = (bullet_line(line), drafts.last_mut()) {
            draft.bullets.push(bullet);
        }
    }
    drafts.retain(|draft| !draft.bullets.is_empty());
    let bullets = drafts.iter().map(|draft| draft.bullets.len()).sum();
    ImportSummary {
        questions: drafts.len(),
        bullets,
        toml: render(&drafts),
    }
}

/// `Question 12: text`, `12. text`, `12) text`, optionally after Markdown `#`s or `**`.
fn question_line(line: &str) -> Option<String> {
    let mut rest = line
        .trim()
        .trim_start_matches('#')
        .trim_start()
        .trim_start_matches("**")
        .trim_start();
    if let Some(after) = rest
        .strip_prefix("Question")
        .or_else(|| rest.strip_prefix("Q"))
    {
        rest = after.trim_start();
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let after_number = &rest[digits..];
    let text = after_number
        .strip_prefix(['.', ':', ')'])?
        .trim()
        .trim_end_matches("**")
        .trim();
    // A question is a sentence, not a numbered list item inside an answer.
    (text.split_whitespace().count() >= 4 && text.ends_with('?')).then(|| text.to_string())
}

fn bullet_line(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let text = ['•', '-', '*', '+', '–', '▪', '◦']
        .iter()
        .find_map(|marker| trimmed.strip_prefix(*marker))?;
    if !text.starts_with([' ', '\t']) {
        return None;
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn significant_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|word| !word.is_empty() && !FILLER.contains(&word.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// An id from the first `words` significant words that have ASCII letters or digits;
/// empty when none has (a question in Japanese or Korean), or when only a number is left,
/// which would read as a question number.
fn slug(text: &str, words: usize) -> String {
    let slug = significant_words(text)
        .iter()
        .map(|word| {
            word.to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .map(|word| word.trim_matches('-').to_string())
        .filter(|word| !word.is_empty())
        .take(words)
        .collect::<Vec<_>>()
        .join("-");
    if slug.bytes().all(|byte| byte.is_ascii_digit()) {
        String::new()
    } else {
        slug
    }
}

/// The built-in bank's question ids, which an imported bank must not reuse: it is meant to
/// load beside the built-in bank without edits.
fn built_in_ids() -> &'static HashSet<String> {
    static IDS: OnceLock<HashSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        crate::bank::Bank::built_in()
            .map(|bank| {
                bank.questions()
                    .iter()
                    .map(|question| question.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    })
}

fn unique(base: String, taken: &mut HashSet<String>, fallback: &str) -> String {
    let base = if base.is_empty() {
        fallback.to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut suffix = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{suffix}");
        suffix += 1;
    }
    candidate
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn render(drafts: &[Draft]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Bank skeleton written by `mockgrade bank import`.\n# Fill in each `topic` (one of: {}) and check every `concept`.",
        crate::bank::topic::Topic::names()
    );
    let mut question_ids = built_in_ids().clone();
    for (index, draft) in drafts.iter().enumerate() {
        let id = unique(
            slug(&draft.question, 6),
            &mut question_ids,
            &format!("q-{}", index + 1),
        );
        let _ = write!(
            out,
            // No `number`: the notes' numbering would clash with the built-in bank's, and a
            // bank must load beside it without edits.
            "\n[[questions]]\nid = {}\n# question {} of the notes; a `number` is optional and must not repeat another bank's\ntopic = \"data\" # TODO: choose the topic\nquestion = {}\n",
            quoted(&id),
            index + 1,
            quoted(&draft.question)
        );
        let mut point_ids = HashSet::new();
        for (point_index, bullet) in draft.bullets.iter().enumerate() {
            let point_id = unique(
                slug(bullet, 3),
                &mut point_ids,
                &format!("point-{}", point_index + 1),
            );
            let concept = significant_words(bullet)
                .into_iter()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            let concept = if concept.is_empty() {
                format!("Point {}", point_index + 1)
            } else {
                capitalise(&concept)
            };
            let _ = write!(
                out,
                "\n[[questions.points]]\nid = {}\nconcept = {}\ntext = {}\n",
                quoted(&point_id),
                quoted(&concept),
                quoted(bullet)
            );
        }
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_questions_and_bullets_and_skips_noise() {
        let notes = "Intro text\n\nQuestion 1: How do you handle drift in production models?\n\n  • Track drift metrics\nImage by the Author\n  • Retrain often\n\n2. How would you keep latency low?\n  • Cache results\n";
        let summary = import_notes(notes);
        assert_eq!((summary.questions, summary.bullets), (2, 3));
        let bank =
            crate::bank::parse_bank_text("skeleton.toml", &summary.toml).expect("skeleton parses");
        assert_eq!(bank[0].0.id, "handle-drift-production-models");
        assert_eq!(bank[0].0.points[0].concept, "Track drift metrics");
        assert_eq!(bank[1].0.number, None);
        assert!(summary.toml.contains("# question 2 of the notes"));
    }

    #[test]
    fn imported_ids_are_unique_beside_the_built_in_bank_and_never_flags() {
        let notes = "1. Concept drift deployed model?\n- Retrain on fresh data\n\n2. 機械学習モデル の ドリフト に どう 対処しますか?\n- 再学習\n\n3. 모델 드리프트 를 어떻게 처리합니까?\n- 모니터링\n\n4. How about 2024 then?\n- 12\n";
        let summary = import_notes(notes);
        assert_eq!(summary.questions, 4);
        let bank = crate::bank::Bank::from_sources(
            crate::bank::BUILT_IN
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .chain([("import.toml".to_string(), summary.toml)]),
        )
        .expect("the skeleton loads beside the built-in bank");
        let ids: Vec<&str> = bank
            .questions()
            .iter()
            .filter(|question| question.source == "import.toml")
            .map(|question| question.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "concept-drift-deployed-model-2",
                "q-2",
                "q-3",
                "about-2024-then"
            ]
        );
    }
}
