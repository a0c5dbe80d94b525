//! The server's counters, rendered in the Prometheus text format for `GET /metrics`:
//! requests by route and status, a latency histogram, the queue depth, and how many
//! answers and segments each engine step embedded together.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Upper bounds of the batch-size histograms (answers or segments per engine step).
const SIZE_BUCKETS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Counts per bucket of `bounds`, not cumulative; the last slot is +Inf.
    counts: Vec<u64>,
    sum: f64,
    total: u64,
}

impl Histogram {
    fn observe(&mut self, bounds: &[f64], value: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; bounds.len() + 1];
        }
        let slot = bounds
            .iter()
            .position(|&bound| value <= bound)
            .unwrap_or(bounds.len());
        self.counts[slot] += 1;
        self.sum += value;
        self.total += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str, bounds: &[f64]) {
        let mut cumulative = 0;
        let comma = if labels.is_empty() { "" } else { "," };
        for (index, bound) in bounds.iter().enumerate() {
            cumulative += self.counts.get(index).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{comma}le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{comma}le=\"+Inf\"}} {}",
            self.total
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.total);
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    step_answers: Histogram,
    step_segments: Histogram,
    refused: u64,
    timed_out: u64,
}

/// Everything `/metrics` shows apart from the live queue depth, which the engine reads.
#[derive(Debug, Default)]
pub struct Metrics {
    counters: Mutex<Counters>,
}

impl Metrics {
    /// One answered request: `route` is the matched route pattern, never the raw path, so
    /// that question ids or probes of random paths cannot grow the label set.
    pub fn request(&self, route: &str, status: u16, latency: Duration) {
        let mut counters = self.lock();
        *counters
            .requests
            .entry((route.to_string(), status))
            .or_default() += 1;
        counters
            .latency
            .entry(route.to_string())
            .or_default()
            .observe(&LATENCY_BUCKETS, latency.as_secs_f64());
    }

    /// One engine step: how many answers and segments were embedded together.
    pub fn step(&self, answers: usize, segments: usize) {
        let mut counters = self.lock();
        counters.step_answers.observe(&SIZE_BUCKETS, answers as f64);
        counters
            .step_segments
            .observe(&SIZE_BUCKETS, segments as f64);
    }

    /// Answers refused because the queue was full.
    pub fn refused(&self, answers: usize) {
        self.lock().refused += answers as u64;
    }

    /// Answers whose deadline passed before they were graded.
    pub fn timed_out(&self, answers: usize) {
        self.lock().timed_out += answers as u64;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counters> {
        // A panic elsewhere while counting leaves counts that are still worth showing.
        self.counters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The Prometheus text exposition of every counter, with the queue's state as given.
    pub fn render(&self, queue_depth: usize, queue_capacity: usize, ready: bool) -> String {
        let counters = self.lock();
        let mut out = String::new();
        out.push_str("# HELP mockgrade_http_requests_total HTTP requests answered, by route and status.\n# TYPE mockgrade_http_requests_total counter\n");
        for ((route, status), count) in &counters.requests {
            let _ = writeln!(
                out,
                "mockgrade_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                escape_label(route)
            );
        }
        out.push_str("# HELP mockgrade_http_request_duration_seconds Time from request to response, by route.\n# TYPE mockgrade_http_request_duration_seconds histogram\n");
        for (route, histogram) in &counters.latency {
            let labels = format!("route=\"{}\"", escape_label(route));
            histogram.render(
                &mut out,
                "mockgrade_http_request_duration_seconds",
                &labels,
                &LATENCY_BUCKETS,
            );
        }
        let _ = write!(
            out,
            "# HELP mockgrade_queue_depth Answers waiting for the engine.\n# TYPE mockgrade_queue_depth gauge\nmockgrade_queue_depth {queue_depth}\n\
             # HELP mockgrade_queue_capacity Answers the queue holds before refusing.\n# TYPE mockgrade_queue_capacity gauge\nmockgrade_queue_capacity {queue_capacity}\n\
             # HELP mockgrade_model_ready 1 once the model is loaded.\n# TYPE mockgrade_model_ready gauge\nmockgrade_model_ready {}\n\
             # HELP mockgrade_queue_refused_total Answers refused because the queue was full.\n# TYPE mockgrade_queue_refused_total counter\nmockgrade_queue_refused_total {}\n\
             # HELP mockgrade_queue_timeouts_total Answers not graded before their deadline.\n# TYPE mockgrade_queue_timeouts_total counter\nmockgrade_queue_timeouts_total {}\n",
            u8::from(ready),
            counters.refused,
            counters.timed_out
        );
        out.push_str("# HELP mockgrade_batch_answers Answers embedded together in one engine step.\n# TYPE mockgrade_batch_answers histogram\n");
        counters
            .step_answers
            .render(&mut out, "mockgrade_batch_answers", "", &SIZE_BUCKETS);
        out.push_str("# HELP mockgrade_batch_segments Segments embedded together in one engine step.\n# TYPE mockgrade_batch_segments histogram\n");
        counters
            .step_segments
            .render(&mut out, "mockgrade_batch_segments", "", &SIZE_BUCKETS);
        out
    }
}

/// A label value as the text format needs it: backslash, quote and newline escaped.
fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_status() {
        let metrics = Metrics::default();
        metrics.request("/api/v1/grade", 200, Duration::from_millis(120));
        metrics.request("/api/v1/grade", 200, Duration::from_millis(30));
        metrics.request("/api/v1/grade", 429, Duration::from_millis(1));
        let text = metrics.render(3, 64, true);
        assert!(text
            .contains("mockgrade_http_requests_total{route=\"/api/v1/grade\",status=\"200\"} 2\n"));
        assert!(text
            .contains("mockgrade_http_requests_total{route=\"/api/v1/grade\",status=\"429\"} 1\n"));
        assert!(text.contains("mockgrade_queue_depth 3\n"));
        assert!(text.contains("mockgrade_queue_capacity 64\n"));
        assert!(text.contains("mockgrade_model_ready 1\n"));
    }

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_the_count() {
        let metrics = Metrics::default();
        metrics.request("/healthz", 200, Duration::from_millis(3));
        metrics.request("/healthz", 200, Duration::from_millis(120));
        metrics.request("/healthz", 200, Duration::from_secs(20));
        let text = metrics.render(0, 1, false);
        let bucket = |le: &str| {
            format!(
                "mockgrade_http_request_duration_seconds_bucket{{route=\"/healthz\",le=\"{le}\"}} "
            )
        };
        assert!(text.contains(&format!("{}1\n", bucket("0.005"))));
        assert!(text.contains(&format!("{}1\n", bucket("0.1"))));
        assert!(text.contains(&format!("{}2\n", bucket("0.15"))));
        assert!(text.contains(&format!("{}2\n", bucket("10"))));
        assert!(text.contains(&format!("{}3\n", bucket("+Inf"))));
        assert!(
            text.contains("mockgrade_http_request_duration_seconds_count{route=\"/healthz\"} 3\n")
        );
    }

    #[test]
    fn engine_steps_record_answers_and_segments() {
        let metrics = Metrics::default();
        metrics.step(3, 40);
        let text = metrics.render(0, 1, true);
        assert!(text.contains("mockgrade_batch_answers_bucket{le=\"2\"} 0\n"));
        assert!(text.contains("mockgrade_batch_answers_bucket{le=\"4\"} 1\n"));
        assert!(text.contains("mockgrade_batch_segments_bucket{le=\"32\"} 0\n"));
        assert!(text.contains("mockgrade_batch_segments_bucket{le=\"64\"} 1\n"));
        assert!(text.contains("mockgrade_batch_segments_sum 40\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
