//! What a question or point id may be: a slug that cannot be mistaken, where it is typed,
//! for a question number or a flag.

/// What is wrong with a question id, if anything. Besides being a slug, it must not read
/// as something else where it is typed: all digits would take over `-q 2` and
/// `"question": 2`, which name a question by number, and a leading '-' reads as a flag.
pub fn question_id_problem(id: &str) -> Option<String> {
    if !is_slug(id) {
        Some("must be a slug: lowercase letters, digits and '-'".to_string())
    } else if id.bytes().all(|byte| byte.is_ascii_digit()) {
        Some(format!("is a number, which `-q {id}` and `\"question\": {id}` read as a question number: give it a name with a letter, such as 'q-{id}'"))
    } else if id.starts_with('-') {
        Some("starts with '-', which the command line reads as a flag: start it with a letter or digit".to_string())
    } else {
        None
    }
}

/// Lowercase ASCII letters, digits and '-', at least one: what point ids must be.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

#[cfg(test)]
mod tests {
    use super::question_id_problem;

    #[test]
    fn a_question_id_must_not_read_as_a_number_or_a_flag() {
        for id in ["drift", "q-2", "2-tower", "a"] {
            assert_eq!(question_id_problem(id), None, "{id}");
        }
        for id in ["2", "0042", "-q", "---", "Drift", "", "drift model"] {
            assert!(question_id_problem(id).is_some(), "{id}");
        }
    }
}
