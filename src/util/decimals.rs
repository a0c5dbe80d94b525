//! Scores as reports show them: four decimals, enough to read, and stable across thread
//! counts and runs.

/// `value` rounded to four decimals, as the f64 that prints shortest.
pub fn round4(value: f32) -> f64 {
    (f64::from(value) * 10_000.0).round() / 10_000.0
}

/// Serialises an f32 score as [`round4`] gives it (`#[serde(serialize_with = …)]`).
pub fn serialize_round4<S: serde::Serializer>(
    value: &f32,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(round4(*value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_four_decimals_and_prints_shortest() {
        assert_eq!(round4(0.123_456), 0.1235);
        assert_eq!(serde_json::to_string(&round4(0.1f32)).unwrap(), "0.1");
    }
}
