//! Settings: compiled-in defaults (`config/*.toml`) < a user's `--config FILE` < CLI flags.
//!
//! Why it exists: every threshold, selector list and lexicon lives as data in `config/`, with
//! units in key names. The files are compiled into the binary, a user file is merged over them
//! key by key, and the result is compiled once per run into [`Rules`] (selectors parsed, regexes
//! built) and shared read-only by all workers. Its hash is part of the extractor fingerprint, so a
//! rule change re-extracts everything on the next incremental run.

use serde::Deserialize;

use crate::extract::{comments, content, links, metadata};

/// The compiled-in configuration: one file per concern, concatenated in this order.
pub const DEFAULT_CONFIG: &str = concat!(
    include_str!("../config/default.toml"),
    "\n",
    include_str!("../config/content.toml"),
    "\n",
    include_str!("../config/boilerplate.toml"),
    "\n",
    include_str!("../config/comments.toml"),
    "\n",
    include_str!("../config/links.toml"),
    "\n",
    include_str!("../config/metadata.toml"),
);

/// Version of the rule set (bump when heuristics change behaviour without a config change).
pub const RULES_VERSION: &str = "1";

/// A configuration problem (fatal: exit 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The TOML could not be parsed.
    #[error("config {origin}: {source}")]
    Toml {
        /// Which file.
        origin: String,
        /// Parser error.
        source: toml::de::Error,
    },
    /// A section did not have the expected shape.
    #[error("config section [{section}]: {message}")]
    Section {
        /// Section name.
        section: String,
        /// What is wrong.
        message: String,
    },
    /// A selector in the config could not be compiled.
    #[error("config: {0}")]
    Selector(#[from] crate::select::SelectorError),
    /// A regex in the config could not be compiled.
    #[error("config: {0}")]
    Regex(#[from] regex::Error),
    /// The config file could not be read.
    #[error("config {path}: {source}")]
    Io {
        /// Path.
        path: String,
        /// Error.
        source: std::io::Error,
    },
}

/// `[limits]`: what makes an input an error instead of a page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Inputs (decompressed) above this many bytes become `e_too_large`.
    pub max_input_bytes: u64,
    /// Element nesting deeper than this becomes `e_too_large` (stage `parse`).
    pub max_nesting_depth: usize,
    /// More DOM nodes than this becomes `e_too_large` (stage `parse`).
    pub max_nodes: usize,
    /// Articles with fewer words get `w_short_text`.
    pub min_words: usize,
}

/// `[run]`: publication safety and progress reporting.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Refuse to publish when more than this share of inputs failed (0–1).
    pub max_failure_rate: f64,
    /// Refuse to publish when the article count falls below this share of the previous one.
    pub min_keep_ratio: f64,
    /// Snapshots kept after a successful publication.
    pub keep_snapshots: usize,
    /// Off a terminal, print a heartbeat line at least this often.
    pub heartbeat_secs: u64,
    /// Off a terminal, print a heartbeat line every this many pages.
    pub heartbeat_pages: u64,
    /// Pages processed per parallel batch (bounds memory: rows of a batch are held at once).
    pub batch_pages: usize,
}

/// `[dedup]`: duplicate captures.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupConfig {
    /// Simhash Hamming distance at or below which two articles of one host are near duplicates.
    pub simhash_max_distance_bits: u32,
    /// Articles shorter than this many words are never flagged as near duplicates.
    pub simhash_min_words: usize,
}

/// Everything the extraction stages read, compiled once per run.
#[derive(Debug)]
pub struct Rules {
    /// `[limits]`.
    pub limits: Limits,
    /// `[run]`.
    pub run: RunConfig,
    /// `[dedup]`.
    pub dedup: DedupConfig,
    /// `[content]` and `[boilerplate]`.
    pub content: content::ContentRules,
    /// `[comments]`.
    pub comments: comments::CommentRules,
    /// `[links]`.
    pub links: links::LinkRules,
    /// `[metadata]`.
    pub metadata: metadata::MetaRules,
    /// sha256 of the effective configuration (canonical JSON).
    pub config_hash: String,
}

/// Merges `over` into `base` key by key (tables recursively, everything else replaced).
pub fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Extracts one section and deserialises it.
pub fn section<T: serde::de::DeserializeOwned>(
    table: &toml::Table,
    name: &str,
) -> Result<T, ConfigError> {
    let v = table
        .get(name)
        .cloned()
        .unwrap_or(toml::Value::Table(toml::Table::new()));
    v.try_into()
        .map_err(|e: toml::de::Error| ConfigError::Section {
            section: name.to_string(),
            message: e.message().to_string(),
        })
}

impl Rules {
    /// The compiled-in defaults.
    pub fn defaults() -> Result<Rules, ConfigError> {
        Rules::load(None)
    }

    /// Defaults merged with an optional user file.
    pub fn load(user_file: Option<&std::path::Path>) -> Result<Rules, ConfigError> {
        let mut table: toml::Table =
            toml::from_str(DEFAULT_CONFIG).map_err(|source| ConfigError::Toml {
                origin: "compiled-in defaults".into(),
                source,
            })?;
        if let Some(p) = user_file {
            let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Io {
                path: p.display().to_string(),
                source,
            })?;
            let user: toml::Table = toml::from_str(&text).map_err(|source| ConfigError::Toml {
                origin: p.display().to_string(),
                source,
            })?;
            for k in user.keys() {
                if !table.contains_key(k) {
                    return Err(ConfigError::Section {
                        section: k.clone(),
                        message: "unknown section".into(),
                    });
                }
            }
            merge(&mut table, user);
        }
        Rules::from_table(&table)
    }

    /// Compiles a merged table.
    pub fn from_table(table: &toml::Table) -> Result<Rules, ConfigError> {
        let canonical = serde_json::to_string(table).unwrap_or_default();
        Ok(Rules {
            limits: section(table, "limits")?,
            run: section(table, "run")?,
            dedup: section(table, "dedup")?,
            content: content::ContentRules::compile(table)?,
            comments: comments::CommentRules::compile(table)?,
            links: links::LinkRules::compile(table)?,
            metadata: metadata::MetaRules::compile(table)?,
            config_hash: crate::extract::text::sha256_hex(canonical.as_bytes()),
        })
    }

    /// sha256(tool version, rules version, config hash): a change forces re-extraction.
    pub fn extractor_fingerprint(&self) -> String {
        crate::extract::text::sha256_hex(
            format!(
                "{}\x1f{}\x1f{}",
                env!("CARGO_PKG_VERSION"),
                RULES_VERSION,
                self.config_hash
            )
            .as_bytes(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compile() {
        let r = Rules::defaults().unwrap();
        assert!(r.limits.max_input_bytes > 1_000_000);
        assert_eq!(r.config_hash.len(), 64);
    }

    #[test]
    fn user_file_overrides_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "[limits]\nmin_words = 7\n").unwrap();
        let r = Rules::load(Some(&p)).unwrap();
        assert_eq!(r.limits.min_words, 7);
        let d = Rules::defaults().unwrap();
        assert_eq!(r.limits.max_input_bytes, d.limits.max_input_bytes);
        assert_ne!(r.config_hash, d.config_hash);
    }

    #[test]
    fn unknown_keys_and_sections_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "[limits]\nmin_wordz = 7\n").unwrap();
        assert!(Rules::load(Some(&p)).is_err());
        std::fs::write(&p, "[nope]\nx = 1\n").unwrap();
        assert!(Rules::load(Some(&p)).is_err());
    }
}
