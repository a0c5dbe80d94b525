//! Reading the small JSON files of a sentence-transformers model folder: the BERT
//! configuration, tokenizer settings, sequence limit, and the pooling the engine must apply.

use std::path::Path;

use rust_bert::bert::BertConfig;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::util::limited_read::{read_at_most, LimitedReadError};

/// What the engine needs to know from a model folder, besides the weights and vocabulary.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    pub bert: BertConfig,
    pub max_seq_length: usize,
    pub lower_case: bool,
    pub strip_accents: Option<bool>,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: usize,
    #[serde(default)]
    do_lower_case: bool,
}

#[derive(Deserialize)]
struct TokenizerConfig {
    do_lower_case: Option<bool>,
    strip_accents: Option<bool>,
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

#[derive(Deserialize)]
struct Module {
    #[serde(rename = "type")]
    kind: String,
}

impl ModelFiles {
    /// Reads and checks the folder's configuration. Errors name the file at fault.
    pub fn read(dir: &Path) -> Result<Self, String> {
        let bert: BertConfig = read_json(dir, "config.json")?;
        check_shape(&bert)?;
        let sentence_bert: SentenceBertConfig = read_json(dir, "sentence_bert_config.json")?;
        let tokenizer: TokenizerConfig = read_json(dir, "tokenizer_config.json")?;
        let pooling: PoolingConfig = read_json(dir, "1_Pooling/config.json")?;
        let modules: Vec<Module> = read_json(dir, "modules.json")?;

        let only_mean = pooling.pooling_mode_mean_tokens
            && !pooling.pooling_mode_cls_token
            && !pooling.pooling_mode_max_tokens
            && !pooling.pooling_mode_mean_sqrt_len_tokens;
        if !only_mean {
            return Err(
                "1_Pooling/config.json: only mean pooling (pooling_mode_mean_tokens) is supported"
                    .into(),
            );
        }
        if let Some(module) = modules.iter().find(|module| {
            !module.kind.ends_with(".Transformer")
                && !module.kind.ends_with(".Pooling")
                && !module.kind.ends_with(".Normalize")
        }) {
            return Err(format!(
                "modules.json: the module {} is not supported (only Transformer, Pooling and Normalize)",
                module.kind
            ));
        }
        if sentence_bert.max_seq_length == 0
            || sentence_bert.max_seq_length as i64 > bert.max_position_embeddings
        {
            return Err(format!(
                "sentence_bert_config.json: max_seq_length {} must be between 1 and config.json's max_position_embeddings ({})",
                sentence_bert.max_seq_length, bert.max_position_embeddings
            ));
        }
        Ok(Self {
            bert,
            max_seq_length: sentence_bert.max_seq_length,
            lower_case: tokenizer
                .do_lower_case
                .unwrap_or(sentence_bert.do_lower_case),
            strip_accents: tokenizer.strip_accents,
        })
    }
}

/// rust-bert panics on a shape it cannot build (a hidden size that the heads do not divide,
/// zero heads); checked here, such a file is a clear error instead of a backtrace.
fn check_shape(bert: &BertConfig) -> Result<(), String> {
    let positive = [
        ("hidden_size", bert.hidden_size),
        ("num_attention_heads", bert.num_attention_heads),
        ("num_hidden_layers", bert.num_hidden_layers),
        ("intermediate_size", bert.intermediate_size),
        ("vocab_size", bert.vocab_size),
        ("max_position_embeddings", bert.max_position_embeddings),
    ];
    if let Some((name, value)) = positive.iter().find(|(_, value)| *value <= 0) {
        return Err(format!(
            "config.json: {name} is {value}; it must be positive"
        ));
    }
    if bert.hidden_size % bert.num_attention_heads != 0 {
        return Err(format!(
            "config.json: hidden_size {} is not a multiple of num_attention_heads {}",
            bert.hidden_size, bert.num_attention_heads
        ));
    }
    Ok(())
}

/// The JSON files of a model folder are a few kilobytes.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

fn read_json<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<T, String> {
    let bytes = read_at_most(&dir.join(name), MAX_CONFIG_BYTES).map_err(|err| match err {
        LimitedReadError::TooLarge { .. } => {
            format!("{name}: larger than 1 MiB; a model configuration file is a few kilobytes")
        }
        LimitedReadError::Io(err) => format!("{name}: {err}"),
    })?;
    serde_json::from_slice(&bytes).map_err(|err| format!("{name}: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_folder(pooling: &str, modules: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let installed = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2");
        for name in [
            "config.json",
            "sentence_bert_config.json",
            "tokenizer_config.json",
        ] {
            std::fs::copy(installed.join(name), dir.path().join(name)).unwrap();
        }
        std::fs::create_dir(dir.path().join("1_Pooling")).unwrap();
        std::fs::write(dir.path().join("1_Pooling/config.json"), pooling).unwrap();
        std::fs::write(dir.path().join("modules.json"), modules).unwrap();
        dir
    }

    const MEAN: &str = r#"{"word_embedding_dimension": 384, "pooling_mode_mean_tokens": true}"#;
    const PLAIN: &str = r#"[{"type": "sentence_transformers.models.Transformer"}, {"type": "sentence_transformers.models.Pooling"}]"#;

    #[test]
    fn the_installed_model_reads_with_its_limits() {
        let dir = model_folder(MEAN, PLAIN);
        let files = ModelFiles::read(dir.path()).unwrap();
        assert_eq!(files.max_seq_length, 256);
        assert!(files.lower_case);
        assert_eq!(files.bert.hidden_size, 384);
    }

    #[test]
    fn cls_pooling_is_refused_by_name() {
        let cls = r#"{"pooling_mode_cls_token": true}"#;
        let dir = model_folder(cls, PLAIN);
        assert_eq!(
            ModelFiles::read(dir.path()).unwrap_err(),
            "1_Pooling/config.json: only mean pooling (pooling_mode_mean_tokens) is supported"
        );
    }

    #[test]
    fn a_dense_module_is_refused_by_name() {
        let dense = r#"[{"type": "sentence_transformers.models.Transformer"}, {"type": "sentence_transformers.models.Dense"}]"#;
        let dir = model_folder(MEAN, dense);
        assert_eq!(
            ModelFiles::read(dir.path()).unwrap_err(),
            "modules.json: the module sentence_transformers.models.Dense is not supported (only Transformer, Pooling and Normalize)"
        );
    }

    fn with_config(change: impl Fn(&mut serde_json::Value)) -> tempfile::TempDir {
        let dir = model_folder(MEAN, PLAIN);
        let path = dir.path().join("config.json");
        let mut config: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        change(&mut config);
        std::fs::write(&path, config.to_string()).unwrap();
        dir
    }

    #[test]
    fn a_shape_rust_bert_cannot_build_is_refused_by_name() {
        let uneven = with_config(|config| config["num_attention_heads"] = 7.into());
        assert_eq!(
            ModelFiles::read(uneven.path()).unwrap_err(),
            "config.json: hidden_size 384 is not a multiple of num_attention_heads 7"
        );
        let headless = with_config(|config| config["num_attention_heads"] = 0.into());
        assert_eq!(
            ModelFiles::read(headless.path()).unwrap_err(),
            "config.json: num_attention_heads is 0; it must be positive"
        );
        let short = with_config(|config| config["max_position_embeddings"] = 128.into());
        assert_eq!(
            ModelFiles::read(short.path()).unwrap_err(),
            "sentence_bert_config.json: max_seq_length 256 must be between 1 and config.json's max_position_embeddings (128)"
        );
    }
}
