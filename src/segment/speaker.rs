//! Speaker labels in a typed-up interview ("Interviewer: …", "Q: …", "Me: …"). Only the
//! candidate's words are evidence: an interviewer's turn is set aside, however close it comes
//! to a point, and a candidate's label is not part of what they said.

/// Who a labelled line is spoken by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Speaker {
    Interviewer,
    Candidate,
}

/// Labels of the one asking, compared lower-case with any "(name)" after them dropped.
const INTERVIEWER_LABELS: [&str; 8] = [
    "interviewer",
    "q",
    "question",
    "recruiter",
    "hiring manager",
    "panel",
    "panelist",
    "interviewer 1",
];

/// Labels of the one answering.
const CANDIDATE_LABELS: [&str; 7] = [
    "candidate",
    "a",
    "answer",
    "me",
    "interviewee",
    "response",
    "my answer",
];

/// A label is a few words before a colon, never a sentence that happens to hold one.
const MAX_LABEL_BYTES: usize = 24;

/// The speaker a line opens with, and the byte length of the label with its colon, any
/// Markdown emphasis around it and the spaces after it.
pub(super) fn speaker_label(line: &str) -> Option<(Speaker, usize)> {
    let colon = line.find(':')?;
    if colon > MAX_LABEL_BYTES {
        return None;
    }
    let label = line[..colon].trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let label = match label.find('(') {
        Some(open) if label.ends_with(')') => label[..open].trim_end(),
        _ => label,
    }
    .to_lowercase();
    let speaker = if INTERVIEWER_LABELS.contains(&label.as_str()) {
        Speaker::Interviewer
    } else if CANDIDATE_LABELS.contains(&label.as_str()) {
        Speaker::Candidate
    } else {
        return None;
    };
    let after = &line[colon + 1..];
    let emphasis = after.len() - after.trim_start_matches(['*', '_']).len();
    let rest = &after[emphasis..];
    // "Q:3" or "a:b" is not a label: one is followed by a space or ends the line.
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let spaces = rest.len() - rest.trim_start().len();
    Some((speaker, colon + 1 + emphasis + spaces))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_speaker_and_their_length() {
        assert_eq!(
            speaker_label("Interviewer: What next?"),
            Some((Speaker::Interviewer, 13))
        );
        assert_eq!(speaker_label("Q: drift?"), Some((Speaker::Interviewer, 3)));
        assert_eq!(
            speaker_label("**Interviewer (Sam):** go on"),
            Some((Speaker::Interviewer, 23))
        );
        assert_eq!(
            speaker_label("Me: I'd retrain."),
            Some((Speaker::Candidate, 4))
        );
        assert_eq!(speaker_label("A:"), Some((Speaker::Candidate, 2)));
    }

    #[test]
    fn other_colons_are_not_labels() {
        for line in [
            "Note: retrain weekly",
            "Two things: monitor drift and retrain.",
            "Q:3 revenue",
            "In my last job as a data scientist: we retrained weekly",
            "PSI: population stability index",
        ] {
            assert_eq!(speaker_label(line), None, "{line}");
        }
    }
}
