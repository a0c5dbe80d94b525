//! The engine: one worker thread owns the grader (and so the model), loads it, and grades
//! the answers queued by every request, a step at a time, so that answers arriving
//! together are embedded together. HTTP threads only queue answers and wait for replies;
//! they never run the model.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use thiserror::Error;
use tokio::sync::oneshot;

use super::metrics::Metrics;
use super::queue::{estimated_tokens, Job, Queue, QueueFull, StepLimits};
use crate::grader::{GradeError, Grader, Submission};
use crate::report::Report;
use crate::score::Rubric;
use crate::segment::segment;

/// What the engine may hold and take at once.
#[derive(Debug, Clone, Copy)]
pub struct EngineLimits {
    /// Answers waiting before new ones are refused.
    pub queue_capacity: usize,
    /// Estimated tokens and answers graded in one step.
    pub step: StepLimits,
    /// How long an answer may wait and be graded before the caller gets a timeout.
    pub deadline: Duration,
}

/// Why an answer got no report.
#[derive(Debug, Clone, Error)]
pub enum EngineError {
    #[error(
        "the grading queue is full ({depth} of {capacity} answers waiting); retry in a moment"
    )]
    QueueFull { depth: usize, capacity: usize },
    #[error("the answer was not graded within {}s because the server is busy; retry in a moment", .0.as_secs_f64())]
    Deadline(Duration),
    #[error("the model is still loading; retry in a moment")]
    Loading,
    #[error("the model failed to load: {0}")]
    LoadFailed(String),
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error(transparent)]
    Grade(#[from] GradeError),
}

/// One answer waiting in the queue, with the channel its report goes back on.
struct Pending {
    rubric: Arc<Rubric>,
    answer: String,
    segments: usize,
    reply: oneshot::Sender<Result<Report, EngineError>>,
}

const LOADING: u8 = 0;
const READY: u8 = 1;
const FAILED: u8 = 2;

struct Shared {
    queue: Mutex<Queue<Pending>>,
    wake: Condvar,
    state: AtomicU8,
    load_error: Mutex<Option<String>>,
    closing: std::sync::atomic::AtomicBool,
    metrics: Arc<Metrics>,
    limits: EngineLimits,
}

/// The handle requests use; cheap to clone.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

/// The worker thread, joined at shutdown once the queue is drained.
pub struct Worker(std::thread::JoinHandle<()>);

impl Worker {
    pub fn join(self) {
        let _ = self.0.join();
    }
}

/// Builds the grader on the worker thread: the model loads while the server already
/// answers `/healthz` and `/readyz`.
pub type LoadGrader = Box<dyn FnOnce() -> anyhow::Result<Grader> + Send>;

impl Engine {
    /// Starts the worker, which loads the grader and then serves the queue until
    /// [`Engine::close`].
    pub fn start(
        load: LoadGrader,
        limits: EngineLimits,
        metrics: Arc<Metrics>,
    ) -> (Engine, Worker) {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::new(limits.queue_capacity)),
            wake: Condvar::new(),
            state: AtomicU8::new(LOADING),
            load_error: Mutex::new(None),
            closing: Default::default(),
            metrics,
            limits,
        });
        let worker_shared = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name("mockgrade-engine".into())
            .spawn(move || run_worker(&worker_shared, load))
            .expect("the engine thread starts");
        (Engine { shared }, Worker(handle))
    }

    pub fn is_ready(&self) -> bool {
        self.shared.state.load(Ordering::Acquire) == READY
    }

    /// Why the model is not ready, if it is not.
    pub fn not_ready(&self) -> Option<EngineError> {
        match self.shared.state.load(Ordering::Acquire) {
            READY => None,
            FAILED => Some(EngineError::LoadFailed(
                lock(&self.shared.load_error).clone().unwrap_or_default(),
            )),
            _ => Some(EngineError::Loading),
        }
    }

    pub fn queue_depth(&self) -> usize {
        lock(&self.shared.queue).depth()
    }

    pub fn queue_capacity(&self) -> usize {
        self.shared.limits.queue_capacity
    }

    /// Grades answers, each against its rubric, in one queue entry per answer: all are
    /// queued or none is. Each answer's result comes back in the order given.
    pub async fn grade(
        &self,
        answers: Vec<(Arc<Rubric>, String)>,
    ) -> Result<Vec<Result<Report, EngineError>>, EngineError> {
        if let Some(err) = self.not_ready() {
            return Err(err);
        }
        if self.shared.closing.load(Ordering::Acquire) {
            return Err(EngineError::ShuttingDown);
        }
        let deadline = Instant::now() + self.shared.limits.deadline;
        let mut replies = Vec::with_capacity(answers.len());
        let jobs: Vec<Job<Pending>> = answers
            .into_iter()
            .map(|(rubric, answer)| {
                let (reply, receiver) = oneshot::channel();
                replies.push(receiver);
                let segments = segment(&answer);
                let cost = estimated_tokens(segments.iter().map(|piece| piece.text.as_str()));
                Job {
                    cost,
                    deadline,
                    payload: Pending {
                        rubric,
                        answer,
                        segments: segments.len(),
                        reply,
                    },
                }
            })
            .collect();
        let count = jobs.len();
        let pushed = lock(&self.shared.queue).push_all(jobs);
        if let Err((QueueFull { depth, capacity }, _)) = pushed {
            self.shared.metrics.refused(count);
            return Err(EngineError::QueueFull { depth, capacity });
        }
        self.shared.wake.notify_one();
        let wait = wait_all(replies);
        match tokio::time::timeout_at(deadline.into(), wait).await {
            Ok(results) => Ok(results),
            Err(_) => {
                self.shared.metrics.timed_out(count);
                Err(EngineError::Deadline(self.shared.limits.deadline))
            }
        }
    }

    /// Stops taking answers, lets the worker finish those queued, and wakes it to exit.
    pub fn close(&self) {
        self.shared.closing.store(true, Ordering::Release);
        self.shared.wake.notify_all();
    }
}

/// Waits for every reply in order; a dropped sender (the worker gone) is a shutdown.
async fn wait_all(
    replies: Vec<oneshot::Receiver<Result<Report, EngineError>>>,
) -> Vec<Result<Report, EngineError>> {
    let mut results = Vec::with_capacity(replies.len());
    for reply in replies {
        results.push(reply.await.unwrap_or(Err(EngineError::ShuttingDown)));
    }
    results
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn run_worker(shared: &Shared, load: LoadGrader) {
    let grader = match load() {
        Ok(grader) => grader,
        Err(err) => {
            let message = format!("{err:#}");
            eprintln!("error: {message}");
            *lock(&shared.load_error) = Some(message);
            shared.state.store(FAILED, Ordering::Release);
            return;
        }
    };
    shared.state.store(READY, Ordering::Release);
    eprintln!("model loaded; ready");
    loop {
        let step = {
            let mut queue = lock(&shared.queue);
            while queue.is_empty() && !shared.closing.load(Ordering::Acquire) {
                queue = shared
                    .wake
                    .wait(queue)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if queue.is_empty() {
                return;
            }
            queue.next_step(shared.limits.step, Instant::now())
        };
        for job in step.expired {
            let _ = job
                .payload
                .reply
                .send(Err(EngineError::Deadline(shared.limits.deadline)));
        }
        // Callers that gave up (timed out, disconnected) are not graded for nobody.
        let live: Vec<Pending> = step
            .ready
            .into_iter()
            .map(|job| job.payload)
            .filter(|pending| !pending.reply.is_closed())
            .collect();
        if live.is_empty() {
            continue;
        }
        let segments = live.iter().map(|pending| pending.segments).sum();
        shared.metrics.step(live.len(), segments);
        let submissions: Vec<Submission> = live
            .iter()
            .map(|pending| Submission {
                rubric: &pending.rubric,
                answer: &pending.answer,
            })
            .collect();
        let results = grader.grade_many(&submissions);
        for warning in grader.take_warnings() {
            eprintln!("warning: {}", crate::util::visible::visible(&warning));
        }
        for (pending, result) in live.into_iter().zip(results) {
            let _ = pending.reply.send(result.map_err(EngineError::from));
        }
    }
}
