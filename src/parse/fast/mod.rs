//! The fast front end: an HTML5 tokenizer and tree builder that write the arena [`Dom`] directly.
//!
//! Why it exists: html5ever builds a conformant tree at ~60 MB/s, which caps the whole pipeline.
//! This front end follows the same WHATWG tokenizer and tree-construction rules that change the
//! shape of real pages (implied tags, raw text, foster parenting, the adoption agency, templates,
//! foreign islands) but skips what extraction never sees: no `String` per node (text and
//! attribute values go straight into the `Dom` buffer), names interned through a small
//! fast-hash table, `memchr` for every scan, and no recursion anywhere, so a hostile page costs
//! bounded time. `tests/parser_diff.rs` compares its trees and extraction with html5ever's.

mod names;
mod tokenizer;
mod tree;

use super::{ParseError, ParseLimits};
use crate::dom::Dom;

/// Parses a whole document with the fast front end.
pub(super) fn parse(html: &str, limits: ParseLimits) -> Result<Dom, ParseError> {
    tree::Builder::new(html, limits).run()
}
