//! Bearer-token checks for the API. The comparison takes the same time whatever the token
//! given, so response times leak nothing about how much of it was right.

/// Whether an `Authorization` header value carries `expected` as its Bearer token.
pub fn bearer_matches(header: Option<&str>, expected: &str) -> bool {
    let Some(value) = header else {
        return false;
    };
    let Some((scheme, given)) = value.split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer")
        && constant_time_eq(given.trim().as_bytes(), expected.as_bytes())
}

/// Equality that reads every byte of the longer input whatever the contents, so timing
/// tells an attacker neither where the first difference is nor much about the length.
pub fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let length = given.len().max(expected.len());
    let mut difference = (given.len() ^ expected.len()) as u64;
    for index in 0..length {
        let a = given.get(index).copied().unwrap_or(0);
        let b = expected.get(index).copied().unwrap_or(0);
        difference |= u64::from(a ^ b);
    }
    // black_box keeps the optimiser from turning the loop into an early exit.
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "correct-horse-battery";

    #[test]
    fn only_the_exact_token_passes() {
        assert!(bearer_matches(Some("Bearer correct-horse-battery"), TOKEN));
        assert!(bearer_matches(Some("bearer correct-horse-battery"), TOKEN));
        assert!(!bearer_matches(Some("Bearer correct-horse-batter"), TOKEN));
        assert!(!bearer_matches(
            Some("Bearer correct-horse-battery!"),
            TOKEN
        ));
        assert!(!bearer_matches(Some("Basic correct-horse-battery"), TOKEN));
        assert!(!bearer_matches(Some("correct-horse-battery"), TOKEN));
        assert!(!bearer_matches(Some("Bearer "), TOKEN));
        assert!(!bearer_matches(None, TOKEN));
    }

    #[test]
    fn constant_time_eq_compares_length_and_every_byte() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abc\0"));
        assert!(!constant_time_eq(b"xbc", b"abc"));
    }
}
