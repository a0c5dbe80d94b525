//! The bounded queue between the HTTP handlers and the engine's worker (after TEI's
//! `core/src/queue.rs`): answers wait here with a deadline and an estimated token cost,
//! and the worker takes them in arrival order as batches whose total cost stays within
//! a budget, so answers from concurrent requests are embedded in the same forward passes.

use std::collections::VecDeque;
use std::time::Instant;

/// One queued answer.
#[derive(Debug)]
pub struct Job<T> {
    /// Estimated padded tokens of the answer's segments (see [`estimated_tokens`]).
    pub cost: usize,
    /// Past this instant the caller has given up; the job is answered with a timeout.
    pub deadline: Instant,
    pub payload: T,
}

/// The jobs the worker takes in one step: those to grade, and those whose deadline passed
/// while they waited.
#[derive(Debug)]
pub struct Step<T> {
    pub ready: Vec<Job<T>>,
    pub expired: Vec<Job<T>>,
}

/// Jobs refused because the queue holds `depth` of its `capacity` already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull {
    pub depth: usize,
    pub capacity: usize,
}

/// How much one step takes: a token budget and a cap on answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepLimits {
    pub token_budget: usize,
    pub max_jobs: usize,
}

#[derive(Debug)]
pub struct Queue<T> {
    jobs: VecDeque<Job<T>>,
    capacity: usize,
}

impl<T> Queue<T> {
    pub fn new(capacity: usize) -> Self {
        Queue {
            jobs: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn depth(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Queues all of `jobs` or none: a batch request is never half accepted.
    pub fn push_all(&mut self, jobs: Vec<Job<T>>) -> Result<(), (QueueFull, Vec<Job<T>>)> {
        if self.jobs.len() + jobs.len() > self.capacity {
            let full = QueueFull {
                depth: self.jobs.len(),
                capacity: self.capacity,
            };
            return Err((full, jobs));
        }
        self.jobs.extend(jobs);
        Ok(())
    }

    /// Takes the next step's jobs in arrival order: at least one live job when any is
    /// queued (even one over the budget alone), then more while the total cost stays
    /// within the budget. Expired jobs met on the way are taken out too.
    pub fn next_step(&mut self, limits: StepLimits, now: Instant) -> Step<T> {
        let mut step = Step {
            ready: Vec::new(),
            expired: Vec::new(),
        };
        let mut cost = 0;
        while let Some(front) = self.jobs.front() {
            if front.deadline <= now {
                step.expired.extend(self.jobs.pop_front());
                continue;
            }
            let fits = cost + front.cost <= limits.token_budget;
            if !step.ready.is_empty() && (!fits || step.ready.len() >= limits.max_jobs.max(1)) {
                break;
            }
            cost += front.cost;
            step.ready.extend(self.jobs.pop_front());
        }
        step
    }
}

/// A cheap estimate of an answer's tokens for the queue's budget, made on the HTTP side
/// without the tokenizer (which the worker owns): WordPiece gives about 4 tokens for every
/// 3 English words, and each segment adds [CLS] and [SEP].
pub fn estimated_tokens<'a>(segments: impl IntoIterator<Item = &'a str>) -> usize {
    segments
        .into_iter()
        .map(|text| text.split_whitespace().count() * 4 / 3 + 2)
        .sum::<usize>()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn job(cost: usize, deadline: Instant, name: &'static str) -> Job<&'static str> {
        Job {
            cost,
            deadline,
            payload: name,
        }
    }

    fn names(jobs: &[Job<&'static str>]) -> Vec<&'static str> {
        jobs.iter().map(|job| job.payload).collect()
    }

    const LIMITS: StepLimits = StepLimits {
        token_budget: 100,
        max_jobs: 3,
    };

    #[test]
    fn a_step_takes_jobs_in_order_within_the_token_budget() {
        let later = Instant::now() + Duration::from_secs(60);
        let mut queue = Queue::new(10);
        queue
            .push_all(vec![
                job(40, later, "a"),
                job(50, later, "b"),
                job(20, later, "c"),
            ])
            .unwrap();
        let step = queue.next_step(LIMITS, Instant::now());
        assert_eq!(names(&step.ready), ["a", "b"]);
        assert_eq!(names(&queue.next_step(LIMITS, Instant::now()).ready), ["c"]);
        assert!(queue.is_empty());
    }

    #[test]
    fn a_job_over_the_budget_is_taken_alone() {
        let later = Instant::now() + Duration::from_secs(60);
        let mut queue = Queue::new(10);
        queue
            .push_all(vec![job(500, later, "big"), job(1, later, "small")])
            .unwrap();
        assert_eq!(
            names(&queue.next_step(LIMITS, Instant::now()).ready),
            ["big"]
        );
        assert_eq!(
            names(&queue.next_step(LIMITS, Instant::now()).ready),
            ["small"]
        );
    }

    #[test]
    fn a_step_stops_at_the_job_cap() {
        let later = Instant::now() + Duration::from_secs(60);
        let mut queue = Queue::new(10);
        queue
            .push_all((0..5).map(|_| job(1, later, "x")).collect())
            .unwrap();
        assert_eq!(queue.next_step(LIMITS, Instant::now()).ready.len(), 3);
        assert_eq!(queue.depth(), 2);
    }

    #[test]
    fn expired_jobs_are_set_apart_and_never_graded() {
        let now = Instant::now();
        let mut queue = Queue::new(10);
        queue
            .push_all(vec![
                job(10, now, "late"),
                job(10, now + Duration::from_secs(9), "live"),
                job(10, now - Duration::from_secs(1), "later-but-late"),
            ])
            .unwrap();
        let step = queue.next_step(LIMITS, now);
        assert_eq!(names(&step.ready), ["live"]);
        assert_eq!(names(&step.expired), ["late", "later-but-late"]);
    }

    #[test]
    fn a_full_queue_refuses_the_whole_request_and_returns_its_jobs() {
        let later = Instant::now() + Duration::from_secs(60);
        let mut queue = Queue::new(3);
        queue
            .push_all(vec![job(1, later, "a"), job(1, later, "b")])
            .unwrap();
        let (full, returned) = queue
            .push_all(vec![job(1, later, "c"), job(1, later, "d")])
            .unwrap_err();
        assert_eq!(
            full,
            QueueFull {
                depth: 2,
                capacity: 3
            }
        );
        assert_eq!(names(&returned), ["c", "d"]);
        assert_eq!(queue.depth(), 2);
    }

    #[test]
    fn token_estimates_count_words_and_the_two_special_tokens() {
        assert_eq!(
            estimated_tokens(["one two three", "four"]),
            (4 + 2) + (1 + 2)
        );
        assert_eq!(estimated_tokens(std::iter::empty()), 1);
    }
}
