//! The seam between the pipeline and the model (TEI's `Backend`): what grading needs from
//! an embedding engine, so the grader and scorer can be tested on fixed vectors.

use super::{EmbedError, Embedder, Embeddings};

/// An embedding engine: one L2-normalised vector per text.
pub trait Backend: Send {
    /// Vector length.
    fn dim(&self) -> usize;
    /// Where the vectors are computed, as reports name it (`cpu`, `cuda:0`).
    fn device_label(&self) -> String;
    /// One normalised row per text, in the order given.
    fn embed_texts(&self, texts: &[&str]) -> Result<Embeddings, EmbedError>;
}

impl Backend for Embedder {
    fn dim(&self) -> usize {
        Embedder::dim(self)
    }

    fn device_label(&self) -> String {
        Embedder::device_label(self)
    }

    fn embed_texts(&self, texts: &[&str]) -> Result<Embeddings, EmbedError> {
        self.embed(texts)
    }
}
