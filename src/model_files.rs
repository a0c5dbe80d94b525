//! Reading the small JSON files of a sentence-transformers model folder: the BERT
//! configuration, tokenizer settings, sequence limit, and the pooling the engine must apply.

use std::path::Path;

use rust_bert::bert::BertConfig;
use serde::de::DeserializeOwned;
use serde::Deserialize;

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

fn read_json<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(dir.join(name)).map_err(|err| format!("{name}: {err}"))?;
    serde_json::from_str(&text).map_err(|err| format!("{name}: {err}"))
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
}
