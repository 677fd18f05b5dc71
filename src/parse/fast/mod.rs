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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::outline;

    fn tree(html: &str) -> String {
        outline(&parse(html, ParseLimits::default()).unwrap())
    }

    #[test]
    fn script_text_is_not_markup() {
        let t = tree(r#"<script>var s="<div>";</script><p>ok"#);
        assert_eq!(
            t,
            "<html>\n  <head>\n    <script>\n      \"var s=\\\"<div>\\\";\"\n  <body>\n    <p>\n      \"ok\"\n"
        );
    }

    #[test]
    fn end_tag_closes_the_open_span() {
        let t = tree("<div><span>in</div>after");
        assert!(
            t.ends_with("    <div>\n      <span>\n        \"in\"\n    \"after\"\n"),
            "{t}"
        );
    }

    #[test]
    fn paragraphs_do_not_nest() {
        let t = tree("<p>One<p>Two");
        assert!(
            t.ends_with("    <p>\n      \"One\"\n    <p>\n      \"Two\"\n"),
            "{t}"
        );
    }

    #[test]
    fn misnested_formatting_is_adopted() {
        let t = tree("<b><i>bi</b>i</i>");
        assert!(
            t.ends_with("    <b>\n      <i>\n        \"bi\"\n    <i>\n      \"i\"\n"),
            "{t}"
        );
    }

    #[test]
    fn table_content_is_fostered_out_in_order() {
        let t = tree("<table><div>a</div>b<tr><td>c</table>");
        assert!(
            t.ends_with(
                "    <div>\n      \"a\"\n    \"b\"\n    <table>\n      <tbody>\n        <tr>\n          <td>\n            \"c\"\n"
            ),
            "{t}"
        );
    }

    #[test]
    fn entities_and_attributes() {
        let t = tree("<a href='?a=1&copy=2' title=&lt;x&gt;>&amp;&eacute;</a>");
        assert!(
            t.ends_with("    <a href=\"?a=1&copy=2\" title=\"<x>\">\n      \"&é\"\n"),
            "{t}"
        );
    }

    #[test]
    fn depth_limit_is_checked_while_building() {
        let html = "<div>".repeat(200_000);
        assert_eq!(
            parse(&html, ParseLimits::default()).unwrap_err(),
            ParseError::TooDeep { max: 1500 }
        );
    }
}
