//! Optimal one-to-one assignment of points to segments (the Hungarian method), so that
//! one generic sentence cannot cover several points.

/// For a `rows × cols` score matrix, returns for each row the column it is assigned to
/// (or `None` when there are more rows than columns), maximising the total score.
pub fn assign_max(scores: &[Vec<f32>]) -> Vec<Option<usize>> {
    let rows = scores.len();
    let cols = scores.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return vec![None; rows];
    }
    // Square the problem with zero-score dummy columns, then minimise the negated score.
    let size = rows.max(cols);
    let cost = |row: usize, col: usize| -> f64 {
        if row < rows && col < cols {
            -f64::from(scores[row][col])
        } else {
            0.0
        }
    };
    // Potentials-based O(n³) Hungarian algorithm over 1-based indices; column 0 is a sentinel.
    let mut row_potential = vec![0.0f64; size + 1];
    let mut col_potential = vec![0.0f64; size + 1];
    let mut row_of_col = vec![0usize; size + 1];
    let mut way = vec![0usize; size + 1];
    for row in 1..=size {
        row_of_col[0] = row;
        let mut current_col = 0;
        let mut min_slack = vec![f64::INFINITY; size + 1];
        let mut used = vec![false; size + 1];
        loop {
            used[current_col] = true;
            let current_row = row_of_col[current_col];
            let mut delta = f64::INFINITY;
            let mut next_col = 0;
            for col in 1..=size {
                if used[col] {
                    continue;
                }
                let slack = cost(current_row - 1, col - 1)
                    - row_potential[current_row]
                    - col_potential[col];
                if slack < min_slack[col] {
                    min_slack[col] = slack;
                    way[col] = current_col;
                }
                if min_slack[col] < delta {
                    delta = min_slack[col];
                    next_col = col;
                }
            }
            for col in 0..=size {
                if used[col] {
                    row_potential[row_of_col[col]] += delta;
                    col_potential[col] -= delta;
                } else {
                    min_slack[col] -= delta;
                }
            }
            current_col = next_col;
            if row_of_col[current_col] == 0 {
                break;
            }
        }
        loop {
            let previous = way[current_col];
            row_of_col[current_col] = row_of_col[previous];
            current_col = previous;
            if current_col == 0 {
                break;
            }
        }
    }
    let mut assignment = vec![None; rows];
    for (col, &row) in row_of_col.iter().enumerate().take(size + 1).skip(1) {
        if row >= 1 && row <= rows && col <= cols {
            assignment[row - 1] = Some(col - 1);
        }
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::assign_max;

    #[test]
    fn picks_the_best_total_not_the_greedy_choice() {
        // Greedy would give row 0 column 0 (0.9), leaving row 1 with 0.1: total 1.0.
        let scores = vec![vec![0.9, 0.8], vec![0.85, 0.1]];
        assert_eq!(assign_max(&scores), vec![Some(1), Some(0)]);
    }

    #[test]
    fn extra_rows_stay_unassigned() {
        let scores = vec![vec![0.9], vec![0.8], vec![0.7]];
        let assignment = assign_max(&scores);
        assert_eq!(assignment.iter().filter(|col| col.is_some()).count(), 1);
        assert_eq!(assignment[0], Some(0));
    }

    #[test]
    fn brute_force_agrees_on_small_matrices() {
        let scores = vec![
            vec![0.3, 0.6, 0.2, 0.9],
            vec![0.7, 0.65, 0.1, 0.85],
            vec![0.5, 0.2, 0.4, 0.3],
        ];
        let assignment = assign_max(&scores);
        let total: f32 = assignment
            .iter()
            .enumerate()
            .map(|(row, col)| scores[row][col.unwrap()])
            .sum();
        let mut best = 0.0f32;
        for a in 0..4 {
            for b in 0..4 {
                for c in 0..4 {
                    if a != b && b != c && a != c {
                        best = best.max(scores[0][a] + scores[1][b] + scores[2][c]);
                    }
                }
            }
        }
        assert!((total - best).abs() < 1e-6);
    }
}
