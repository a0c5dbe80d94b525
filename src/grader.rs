//! Grading answers end to end: segment, embed (reference texts through the cache), score.
//! Many answers are embedded together, deduplicated and length-sorted.

use std::collections::HashMap;
use std::time::Instant;

use std::sync::Arc;

use ndarray::Array2;
use thiserror::Error;

use crate::embed::cache::{CacheStats, EmbeddingCache};
use crate::embed::{Backend, EmbedError};
use crate::report::{ModelInfo, Report};
use crate::score::{
    decide, gather, AnswerVectors, Evidence, MatchMode, Rubric, RubricVectors, Scorer,
};
use crate::segment::{segment, Segment};
use crate::util::limited_read::MAX_ANSWER_BYTES;

#[derive(Debug, Clone, Error)]
pub enum GradeError {
    #[error("the answer is {size} bytes; the limit is {MAX_ANSWER_BYTES} bytes (256 KiB)")]
    TooLarge { size: usize },
    #[error("the rubric has no points to grade against")]
    NoPoints,
    /// Shared, because one failed forward pass fails every answer embedded in it.
    #[error(transparent)]
    Embed(Arc<EmbedError>),
    /// A number of the report is not finite. Scorer files are checked so that this cannot
    /// happen: it is a bug, reported as one instead of printed as "NaN%" or `null`.
    #[error("internal error: the report's {0} is not a number; this is a bug in mockgrade, please report it with the answer and the scorer file")]
    NotANumber(String),
}

impl From<EmbedError> for GradeError {
    fn from(err: EmbedError) -> Self {
        GradeError::Embed(Arc::new(err))
    }
}

/// The engine plus the scorer: grades answers against rubrics.
pub struct Grader {
    embedder: Box<dyn Backend>,
    cache: Option<EmbeddingCache>,
    scorer: Scorer,
    model: ModelInfo,
    cache_stats: std::cell::Cell<CacheStats>,
    /// Warnings not yet taken by the caller (a corrupt cache entry rebuilt).
    warnings: std::cell::RefCell<Vec<String>>,
}

/// One answer to grade.
pub struct Submission<'a> {
    pub rubric: &'a Rubric,
    pub answer: &'a str,
}

impl Grader {
    pub fn new(
        embedder: impl Backend + 'static,
        cache: Option<EmbeddingCache>,
        scorer: Scorer,
        model: ModelInfo,
    ) -> Self {
        Grader {
            embedder: Box::new(embedder),
            cache,
            scorer,
            model,
            cache_stats: Default::default(),
            warnings: Default::default(),
        }
    }

    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    pub fn model(&self) -> &ModelInfo {
        &self.model
    }

    /// Adds a warning for the caller to show with the grader's own.
    pub fn warn(&self, warning: String) {
        self.warnings.borrow_mut().push(warning);
    }

    /// Warnings since the last call, for the caller to show: the library prints nothing.
    pub fn take_warnings(&self) -> Vec<String> {
        self.warnings.take()
    }

    /// Reference-text cache use since this grader was built.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache_stats.get()
    }

    /// Grades one answer.
    pub fn grade(&self, rubric: &Rubric, answer: &str) -> Result<Report, GradeError> {
        self.grade_many(&[Submission { rubric, answer }])
            .pop()
            .expect("one submission gives one result")
    }

    /// Grades many answers with as few forward passes as possible: all segments of all
    /// answers are embedded together, each distinct text once.
    pub fn grade_many(&self, submissions: &[Submission]) -> Vec<Result<Report, GradeError>> {
        let started = Instant::now();
        let prepared = self.prepare(submissions);
        let per_answer_ms = started.elapsed().as_millis() as u64 / submissions.len().max(1) as u64;
        prepared
            .into_iter()
            .map(|answer| {
                let report = answer
                    .map(|answer| self.score_prepared(&answer, &self.scorer, per_answer_ms))?;
                match report.first_not_finite() {
                    Some(field) => Err(GradeError::NotANumber(field)),
                    None => Ok(report),
                }
            })
            .collect()
    }

    /// Segments and embeds answers and their rubrics: everything grading needs that does
    /// not depend on the scorer, so calibration can re-score without re-embedding.
    pub fn prepare<'a>(
        &self,
        submissions: &[Submission<'a>],
    ) -> Vec<Result<PreparedAnswer<'a>, GradeError>> {
        let segmented: Vec<Result<Vec<Segment>, GradeError>> = submissions
            .iter()
            .map(|submission| {
                if submission.answer.len() > MAX_ANSWER_BYTES {
                    Err(GradeError::TooLarge {
                        size: submission.answer.len(),
                    })
                } else if submission.rubric.points.is_empty() {
                    Err(GradeError::NoPoints)
                } else {
                    Ok(segment(submission.answer))
                }
            })
            .collect();

        let rubric_vectors = match self.rubric_vectors(submissions) {
            Ok(vectors) => vectors,
            Err(err) => return fail_all(submissions, err),
        };

        let mut distinct: HashMap<String, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        for segments in segmented.iter().flatten() {
            for piece in segments {
                distinct.entry(piece.text.clone()).or_insert_with(|| {
                    texts.push(piece.text.clone());
                    texts.len() - 1
                });
            }
        }
        let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let embedded = match self.embedder.embed_texts(&text_refs) {
            Ok(embedded) => embedded,
            Err(err) => return fail_all(submissions, err),
        };

        submissions
            .iter()
            .zip(segmented)
            .map(|(submission, segments)| {
                let segments = segments?;
                let rows: Vec<usize> = segments
                    .iter()
                    .map(|piece| distinct[piece.text.as_str()])
                    .collect();
                let vectors = embedded.vectors.select(ndarray::Axis(0), &rows);
                let any_truncated = rows.iter().any(|&row| embedded.truncated[row]);
                Ok(PreparedAnswer {
                    rubric: submission.rubric,
                    segments,
                    vectors,
                    any_truncated,
                    rubric_vectors: rubric_vectors[&rubric_key(submission.rubric)].clone(),
                })
            })
            .collect()
    }

    /// Scores a prepared answer with the given scorer.
    pub fn score_prepared(
        &self,
        answer: &PreparedAnswer,
        scorer: &Scorer,
        elapsed_ms: u64,
    ) -> Report {
        let evidence = answer.evidence(scorer.thresholds.match_mode);
        self.report(answer.rubric, &evidence, scorer, elapsed_ms)
    }

    /// The report of gathered evidence under the given scorer.
    pub fn report(
        &self,
        rubric: &Rubric,
        evidence: &Evidence,
        scorer: &Scorer,
        elapsed_ms: u64,
    ) -> Report {
        Report::new(
            rubric,
            decide(rubric, evidence, scorer),
            scorer,
            &self.model,
            self.embedder.device_label(),
            elapsed_ms,
        )
    }

    /// Embeddings of each distinct rubric's point variants and question text, through the cache.
    fn rubric_vectors(
        &self,
        submissions: &[Submission],
    ) -> Result<HashMap<String, std::rc::Rc<OwnedRubricVectors>>, EmbedError> {
        let mut rubrics: Vec<&Rubric> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for submission in submissions {
            if seen.insert(rubric_key(submission.rubric)) {
                rubrics.push(submission.rubric);
            }
        }
        let mut texts: Vec<String> = Vec::new();
        for rubric in &rubrics {
            texts.extend(rubric.variant_texts());
            texts.extend(rubric.question.clone());
        }
        let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let all = match &self.cache {
            Some(cache) => {
                let (vectors, stats, warnings) = cache.embed(self.embedder.as_ref(), &text_refs)?;
                self.warnings.borrow_mut().extend(warnings);
                let mut total = self.cache_stats.get();
                total.hits += stats.hits;
                total.misses += stats.misses;
                total.rebuilt += stats.rebuilt;
                self.cache_stats.set(total);
                vectors
            }
            None => self.embedder.embed_texts(&text_refs)?.vectors,
        };
        let mut by_id = HashMap::new();
        let mut row = 0;
        for rubric in rubrics {
            let variant_count = rubric.variant_owners().len();
            let variants = all
                .slice(ndarray::s![row..row + variant_count, ..])
                .to_owned();
            row += variant_count;
            let question = rubric.question.as_ref().map(|_| {
                let vector = all.row(row).to_owned();
                row += 1;
                vector
            });
            by_id.insert(
                rubric_key(rubric),
                std::rc::Rc::new(OwnedRubricVectors { variants, question }),
            );
        }
        Ok(by_id)
    }
}

/// Identifies a rubric by content, so two inline rubrics that share an id never share vectors.
fn rubric_key(rubric: &Rubric) -> String {
    let mut key = rubric.id.clone();
    for text in rubric.variant_texts().iter().chain(rubric.question.iter()) {
        key.push('\u{1}');
        key.push_str(text);
    }
    key
}

/// An answer ready to be scored: its segments and their vectors, and its rubric's vectors.
pub struct PreparedAnswer<'a> {
    pub rubric: &'a Rubric,
    pub segments: Vec<Segment>,
    vectors: Array2<f32>,
    any_truncated: bool,
    rubric_vectors: std::rc::Rc<OwnedRubricVectors>,
}

impl PreparedAnswer<'_> {
    /// The evidence for each point: independent of the decision layer, so a calibration
    /// gathers it once and scores it under many scorers.
    pub fn evidence(&self, match_mode: MatchMode) -> Evidence {
        gather(
            self.rubric,
            &AnswerVectors {
                segments: &self.segments,
                vectors: self.vectors.view(),
                any_truncated: self.any_truncated,
            },
            &RubricVectors {
                variants: self.rubric_vectors.variants.view(),
                question: self
                    .rubric_vectors
                    .question
                    .as_ref()
                    .map(|question| question.view()),
            },
            match_mode,
        )
    }
}

struct OwnedRubricVectors {
    variants: Array2<f32>,
    question: Option<ndarray::Array1<f32>>,
}

/// The same embedding failure for every submission of a call.
fn fail_all<T>(submissions: &[Submission], err: EmbedError) -> Vec<Result<T, GradeError>> {
    let err = GradeError::from(err);
    submissions.iter().map(|_| Err(err.clone())).collect()
}

#[cfg(test)]
mod tests;
