//! BERT's input layer (word, position and token-type embeddings summed, then LayerNorm),
//! created without a random initialisation.
//!
//! rust-bert's own `BertEmbeddings` fills its 12 M parameters from a normal distribution
//! before the weights file overwrites them; libtorch draws those numbers on one thread, which
//! cost a noticeable share of every cold start. The weights are always loaded from the file
//! (`super::weights` refuses a file that lacks any of them), so zeros are as good a start.

use std::borrow::Borrow;

use rust_bert::bert::{BertConfig, BertEmbedding};
use rust_bert::RustBertError;
use tch::nn::{self, Module};
use tch::{Kind, Tensor};

#[derive(Debug)]
pub struct TokenEmbeddings {
    word: nn::Embedding,
    position: nn::Embedding,
    token_type: nn::Embedding,
    layer_norm: nn::LayerNorm,
}

impl BertEmbedding for TokenEmbeddings {
    /// Creates the variables under the names rust-bert's `BertEmbeddings` uses, so the same
    /// weights file fills them.
    fn new<'p, P>(p: P, config: &BertConfig) -> Self
    where
        P: Borrow<nn::Path<'p>>,
    {
        let p = p.borrow();
        let zeros = nn::EmbeddingConfig {
            ws_init: nn::Init::Const(0.),
            ..Default::default()
        };
        let table =
            |name: &str, rows: i64| nn::embedding(p / name, rows, config.hidden_size, zeros);
        Self {
            word: table("word_embeddings", config.vocab_size),
            position: table("position_embeddings", config.max_position_embeddings),
            token_type: table("token_type_embeddings", config.type_vocab_size),
            layer_norm: nn::layer_norm(
                p / "LayerNorm",
                vec![config.hidden_size],
                nn::LayerNormConfig {
                    eps: 1e-12,
                    ..Default::default()
                },
            ),
        }
    }

    /// Embeds `input_ids` of shape (batch, length); positions count from 0 and every token has
    /// type 0, as for single sentences. Dropout is left out: this layer only runs inference.
    fn forward_t(
        &self,
        input_ids: Option<&Tensor>,
        token_type_ids: Option<&Tensor>,
        position_ids: Option<&Tensor>,
        input_embeds: Option<&Tensor>,
        _train: bool,
    ) -> Result<Tensor, RustBertError> {
        let input_ids = match (input_ids, input_embeds) {
            (Some(ids), None) => ids,
            _ => {
                return Err(RustBertError::ValueError(
                    "token embeddings need input ids and no precomputed embeddings".into(),
                ))
            }
        };
        let shape = input_ids.size();
        let device = input_ids.device();
        let positions = match position_ids {
            Some(ids) => ids.shallow_clone(),
            None => Tensor::arange(shape[1], (Kind::Int64, device))
                .unsqueeze(0)
                .expand(shape.as_slice(), true),
        };
        let types = match token_type_ids {
            Some(ids) => ids.shallow_clone(),
            None => Tensor::zeros(shape.as_slice(), (Kind::Int64, device)),
        };
        let summed = self.word.forward(input_ids)
            + self.position.forward(&positions)
            + self.token_type.forward(&types);
        Ok(self.layer_norm.forward(&summed))
    }
}
