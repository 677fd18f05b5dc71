//! Row types: the output schema (SCHEMA.md §4) as Rust structs.
//!
//! Why it exists: the column order of every table is the field order here, and both writers
//! (JSONL and CSV) serialise these structs, so the two formats cannot drift apart. Every field
//! is always written (`null`, never omitted), lists stay lists in JSONL and become compact JSON
//! text in CSV, and `json` columns are JSON objects serialised as strings.

use serde::{Deserialize, Serialize};

/// Schema version written to `manifest.json` and `runs`.
pub const SCHEMA_VERSION: &str = "0.2.0";

/// `articles`: one row per distinct article.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Article {
    pub article_id: String,
    pub id_basis: String,
    pub url: Option<String>,
    pub url_key: Option<String>,
    pub saved_url: Option<String>,
    pub host: Option<String>,
    pub site_name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub published_at: Option<String>,
    pub published_date: Option<String>,
    pub modified_at: Option<String>,
    pub language: Option<String>,
    pub language_declared: Option<String>,
    pub language_detected: Option<String>,
    pub language_score: Option<f64>,
    /// Detected page type: article, forum, product, collection, listing, documentation, service.
    pub page_type: Option<String>,
    /// Lowercased JSON-LD `@type` of the main node, else `og:type` (SCHEMA's `page_type`).
    pub schema_type: Option<String>,
    pub section: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub lead_image: Option<String>,
    pub license: Option<String>,
    /// JSON object serialised as a string: field -> winning source.
    pub meta_sources: String,
    pub text: String,
    pub text_hash: String,
    pub simhash: Option<String>,
    pub char_count: i64,
    pub word_count: i64,
    pub paragraph_count: i64,
    pub comment_count: i64,
    pub comment_count_declared: Option<i64>,
    pub comments_system: Option<String>,
    pub comments_status: String,
    pub link_count: i64,
    pub related_link_count: i64,
    pub related_status: String,
    pub boilerplate_dropped: i64,
    pub source_path: String,
    pub source_sha256: String,
    pub source_bytes: i64,
    pub source_mtime: String,
    pub captured_at: Option<String>,
    pub encoding: String,
    pub first_seen_run_id: String,
    pub run_id: String,
    pub extractor_version: String,
    pub warnings: Vec<String>,
    /// `article_id` of the capture this one duplicates (exact `text_hash` or near `simhash`).
    pub duplicate_of: Option<String>,
}

/// `paragraphs`: one row per text block of the article body.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Paragraph {
    pub paragraph_id: String,
    pub article_id: String,
    pub position: i64,
    pub kind: String,
    pub heading_level: Option<i64>,
    pub list_ordered: Option<bool>,
    pub list_depth: Option<i64>,
    pub section_heading_id: Option<String>,
    pub text: String,
    pub char_start: i64,
    pub char_end: i64,
    pub word_count: i64,
    pub text_hash: String,
    pub host_dup_count: i64,
    pub link_count: i64,
}

/// `comments`: one row per comment or forum reply.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Comment {
    pub comment_id: String,
    pub article_id: String,
    pub native_id: Option<String>,
    pub parent_id: Option<String>,
    pub root_id: String,
    pub depth: i64,
    pub position: i64,
    pub author: Option<String>,
    pub author_url: Option<String>,
    pub author_is_op: bool,
    pub published_at: Option<String>,
    pub published_date: Option<String>,
    pub published_raw: Option<String>,
    pub published_inferred: bool,
    pub text: String,
    pub quoted_text: Option<String>,
    pub reply_to_author: Option<String>,
    pub likes: Option<i64>,
    pub dislikes: Option<i64>,
    pub score: Option<i64>,
    pub flags: Vec<String>,
    pub url: Option<String>,
    pub system: String,
    pub extraction: String,
    pub text_hash: String,
    pub word_count: i64,
}

/// `links`: one row per kept `<a href>`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Link {
    pub link_id: String,
    pub article_id: String,
    pub position: i64,
    pub url: String,
    pub url_raw: String,
    pub target_article_id: Option<String>,
    pub target_host: Option<String>,
    pub is_internal: Option<bool>,
    pub anchor_text: String,
    pub title_attr: Option<String>,
    pub rel: Vec<String>,
    pub kind: String,
    pub kind_rule: String,
    pub block: Option<String>,
    pub block_heading: Option<String>,
    pub block_position: Option<i64>,
    pub paragraph_id: Option<String>,
    pub comment_id: Option<String>,
    pub anchor_start: Option<i64>,
    pub anchor_end: Option<i64>,
    pub has_image: bool,
}

/// `errors`: problems of this run (errors and warnings).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ErrorRow {
    pub run_id: String,
    pub severity: String,
    pub code: String,
    pub stage: String,
    pub source_path: String,
    pub source_sha256: Option<String>,
    pub article_id: Option<String>,
    pub message: String,
    /// JSON object serialised as a string, or null.
    pub detail: Option<String>,
    pub first_seen_run_id: String,
}

/// All rows one input produced (what the cache stores per input).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PageRows {
    pub article: Article,
    pub paragraphs: Vec<Paragraph>,
    pub comments: Vec<Comment>,
    pub links: Vec<Link>,
    /// Warnings (severity `warning`) for this article.
    pub warnings: Vec<ErrorRow>,
}

/// The tables of a snapshot, in file order.
pub const TABLES: [&str; 5] = ["articles", "paragraphs", "comments", "links", "errors"];
