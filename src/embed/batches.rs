//! Cutting length-sorted inputs into forward passes: each batch's padded size (rows ×
//! longest input) stays within a token budget, and its rows within a cap.
//!
//! The plan depends only on the token lengths and these two limits, never on how many
//! worker threads run it, so results are identical whatever `--threads` says.

/// A padded-token budget and a row cap for each forward pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    pub token_budget: usize,
    pub max_rows: usize,
}

/// Splits `order` (sorted longest first) into consecutive batches within `limits`.
pub fn plan_batches(
    order: &[usize],
    length_of: impl Fn(usize) -> usize,
    limits: BatchLimits,
) -> Vec<&[usize]> {
    let mut batches = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let longest = length_of(order[start]).max(1);
        let capacity = (limits.token_budget / longest).clamp(1, limits.max_rows.max(1));
        let end = (start + capacity).min(order.len());
        batches.push(&order[start..end]);
        start = end;
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(token_budget: usize, max_rows: usize) -> BatchLimits {
        BatchLimits {
            token_budget,
            max_rows,
        }
    }

    #[test]
    fn batches_respect_the_padded_token_budget() {
        let lengths = [50, 40, 10, 10, 10, 3];
        let order: Vec<usize> = (0..lengths.len()).collect();
        let batches = plan_batches(&order, |i| lengths[i], limits(100, 64));
        assert_eq!(batches, vec![&[0, 1][..], &[2, 3, 4, 5][..]]);
        for batch in batches {
            assert!(batch.len() * lengths[batch[0]] <= 100);
        }
    }

    #[test]
    fn an_input_longer_than_the_budget_gets_a_batch_of_its_own() {
        let lengths = [500, 2];
        let order = [0, 1];
        assert_eq!(
            plan_batches(&order, |i| lengths[i], limits(100, 64)),
            vec![&[0][..], &[1][..]]
        );
    }

    #[test]
    fn short_inputs_are_split_at_the_row_cap() {
        let order: Vec<usize> = (0..5).collect();
        assert_eq!(
            plan_batches(&order, |_| 4, limits(1000, 2)),
            vec![&[0, 1][..], &[2, 3][..], &[4][..]]
        );
    }
}
