//! Splitting a sentence into words and clause breaks, keeping byte spans.

/// One word of a sentence, or a punctuation mark that ends a clause.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    /// Byte span in the sentence.
    pub(super) span: (usize, usize),
    /// Lower-cased, with typographic apostrophes made plain; `None` for a clause break.
    pub(super) word: Option<String>,
    /// The punctuation mark of a clause break.
    pub(super) mark: Option<char>,
}

/// Splits a sentence into words and clause breaks, keeping byte spans.
pub(super) fn tokenize(sentence: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let mut index = 0;
    while index < chars.len() {
        let (start, c) = chars[index];
        if is_word_char(c) {
            let mut end_index = index + 1;
            while end_index < chars.len() {
                let c = chars[end_index].1;
                let joins = matches!(c, '-' | '/' | '.' | '_')
                    && chars
                        .get(end_index + 1)
                        .is_some_and(|&(_, next)| next.is_alphanumeric());
                if is_word_char(c) || joins {
                    end_index += 1;
                } else {
                    break;
                }
            }
            let end = chars
                .get(end_index)
                .map_or(sentence.len(), |&(offset, _)| offset);
            let word = sentence[start..end]
                .replace('’', "'")
                .trim_matches('\'')
                .to_lowercase();
            if !word.is_empty() {
                tokens.push(Token {
                    span: (start, end),
                    word: Some(word),
                    mark: None,
                });
            }
            index = end_index;
        } else {
            if matches!(
                c,
                ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '—' | '–' | '-' | '[' | ']'
            ) {
                tokens.push(Token {
                    span: (start, start + c.len_utf8()),
                    word: None,
                    mark: Some(c),
                });
            }
            index += 1;
        }
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

pub(super) fn is_contracted_negation(word: &str) -> bool {
    word.ends_with("n't")
        || matches!(
            word,
            "dont"
                | "wont"
                | "wouldnt"
                | "shouldnt"
                | "doesnt"
                | "isnt"
                | "cant"
                | "arent"
                | "didnt"
                | "couldnt"
                | "wasnt"
                | "werent"
                | "aint"
                | "cannot"
        )
}
