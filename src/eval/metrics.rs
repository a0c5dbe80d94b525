//! Agreement statistics: correlations, linear-fit error, ROC AUC, weighted F1 and accuracy.

/// Pearson correlation; `None` when either side has no variance.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mean_x = x[..n].iter().sum::<f64>() / n as f64;
    let mean_y = y[..n].iter().sum::<f64>() / n as f64;
    let (mut cov, mut var_x, mut var_y) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mean_x, y[i] - mean_y);
        cov += dx * dy;
        var_x += dx * dx;
        var_y += dy * dy;
    }
    (var_x > 0.0 && var_y > 0.0).then(|| cov / (var_x * var_y).sqrt())
}

/// Ranks from 1, ties sharing their average rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && values[order[end + 1]] == values[order[start]] {
            end += 1;
        }
        let average = (start + end) as f64 / 2.0 + 1.0;
        for &index in &order[start..=end] {
            ranks[index] = average;
        }
        start = end + 1;
    }
    ranks
}

pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&ranks(x), &ranks(y))
}

/// Root-mean-square error of `y` after the least-squares line `y ≈ a + b·x`.
pub fn rmse_after_linear_fit(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mean_x = x[..n].iter().sum::<f64>() / n as f64;
    let mean_y = y[..n].iter().sum::<f64>() / n as f64;
    let var_x: f64 = x[..n].iter().map(|v| (v - mean_x).powi(2)).sum();
    let slope = if var_x > 0.0 {
        (0..n)
            .map(|i| (x[i] - mean_x) * (y[i] - mean_y))
            .sum::<f64>()
            / var_x
    } else {
        0.0
    };
    let intercept = mean_y - slope * mean_x;
    let squared: f64 = (0..n)
        .map(|i| (y[i] - intercept - slope * x[i]).powi(2))
        .sum();
    Some((squared / n as f64).sqrt())
}

/// Area under the ROC curve of `scores` for the positives (Mann-Whitney, ties count half).
pub fn roc_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let positives = positive.iter().filter(|&&p| p).count();
    let negatives = positive.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let ranks = ranks(scores);
    let positive_rank_sum: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|(_, &p)| p)
        .map(|(r, _)| r)
        .sum();
    let u = positive_rank_sum - (positives * (positives + 1)) as f64 / 2.0;
    Some(u / (positives * negatives) as f64)
}

/// F1 of each class weighted by its support, for binary truth and predictions.
pub fn weighted_f1(truth: &[bool], predicted: &[bool]) -> f64 {
    let n = truth.len();
    if n == 0 {
        return 0.0;
    }
    let mut total = 0.0;
    for class in [true, false] {
        let tp = truth
            .iter()
            .zip(predicted)
            .filter(|(&t, &p)| t == class && p == class)
            .count() as f64;
        let fp = truth
            .iter()
            .zip(predicted)
            .filter(|(&t, &p)| t != class && p == class)
            .count() as f64;
        let fn_ = truth
            .iter()
            .zip(predicted)
            .filter(|(&t, &p)| t == class && p != class)
            .count() as f64;
        let support = truth.iter().filter(|&&t| t == class).count() as f64;
        let f1 = if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fn_)
        };
        total += f1 * support;
    }
    total / n as f64
}

/// F1 of the positive class alone.
pub fn f1_of_positive(truth: &[bool], predicted: &[bool]) -> f64 {
    let pairs = || truth.iter().zip(predicted);
    let true_positive = pairs().filter(|(&t, &p)| t && p).count() as f64;
    let false_positive = pairs().filter(|(&t, &p)| !t && p).count() as f64;
    let false_negative = pairs().filter(|(&t, &p)| t && !p).count() as f64;
    if true_positive == 0.0 {
        0.0
    } else {
        2.0 * true_positive / (2.0 * true_positive + false_positive + false_negative)
    }
}

pub fn accuracy(truth: &[bool], predicted: &[bool]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    truth.iter().zip(predicted).filter(|(t, p)| t == p).count() as f64 / truth.len() as f64
}

/// The threshold on `scores` that maximises weighted F1 of `score >= t` against `truth`,
/// with the F1 it reaches. Candidates are midpoints between consecutive distinct scores.
pub fn best_threshold(scores: &[f64], truth: &[bool]) -> Option<(f64, f64)> {
    let mut distinct: Vec<f64> = scores.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.is_empty() {
        return None;
    }
    let mut candidates = vec![distinct[0] - 1e-6];
    candidates.extend(distinct.windows(2).map(|pair| (pair[0] + pair[1]) / 2.0));
    candidates.push(distinct[distinct.len() - 1] + 1e-6);
    candidates
        .into_iter()
        .map(|threshold| {
            let predicted: Vec<bool> = scores.iter().map(|&s| s >= threshold).collect();
            (threshold, weighted_f1(truth, &predicted))
        })
        .fold(
            None,
            |best: Option<(f64, f64)>, (threshold, f1)| match best {
                Some((_, best_f1)) if best_f1 >= f1 => best,
                _ => Some((threshold, f1)),
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn hand_checked_values() {
        // x = 1..5, y = 2,4,5,4,5: r = 6 / sqrt(10 · 6) = 0.7745...
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [2.0, 4.0, 5.0, 4.0, 5.0];
        assert!(close(
            pearson(&x, &y).unwrap(),
            6.0 / (10.0f64 * 6.0).sqrt()
        ));
        // Ranks of y: 1, 2.5, 4.5, 2.5, 4.5.
        assert_eq!(ranks(&y), vec![1.0, 2.5, 4.5, 2.5, 4.5]);
        // Fit y = 2.2 + 0.6x; residuals -0.8, 0.6, 1, -0.6, -0.2: RMSE sqrt(2.4/5).
        assert!(close(
            rmse_after_linear_fit(&x, &y).unwrap(),
            (2.4f64 / 5.0).sqrt()
        ));
        // Positives 0.9, 0.4; negatives 0.5, 0.1: 3 of 4 pairs ordered right.
        assert!(close(
            roc_auc(&[0.9, 0.4, 0.5, 0.1], &[true, true, false, false]).unwrap(),
            0.75
        ));
        // Truth T T F F, predicted T F F F: F1(T)=2/3, F1(F)=0.8, weighted 0.7333...
        let truth = [true, true, false, false];
        let predicted = [true, false, false, false];
        assert!(close(
            weighted_f1(&truth, &predicted),
            (2.0 / 3.0 * 2.0 + 0.8 * 2.0) / 4.0
        ));
        assert!(close(accuracy(&truth, &predicted), 0.75));
    }

    #[test]
    fn best_threshold_separates_separable_scores() {
        let (threshold, f1) =
            best_threshold(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]).unwrap();
        assert!(threshold > 0.2 && threshold < 0.8);
        assert!(close(f1, 1.0));
    }
}
