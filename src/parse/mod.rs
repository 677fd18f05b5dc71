//! Parse decoded HTML into the arena [`Dom`](crate::dom::Dom).
//!
//! Why it exists: this is the only place that knows which parser front end builds the tree.
//! Everything downstream sees `Dom` alone, so a faster front end can replace html5ever without
//! touching extraction. Limits (nesting depth) are enforced here, while the tree is built, so a
//! hostile page costs bounded time and memory.

mod fast;
mod html5ever_sink;
mod noscript;

use crate::dom::Dom;

/// Which parser builds the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frontend {
    /// html5ever through its `TreeSink`: the conformant reference (kept for the differential test).
    Html5ever,
    /// The project's own tokenizer and tree builder (`parse::fast`), several times faster; builds
    /// the same tree as html5ever on every WCXB dev page (tests/parser_diff.rs).
    #[default]
    Fast,
}

/// Limits applied while parsing.
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    /// Deepest element nesting accepted before the page is rejected.
    pub max_depth: usize,
    /// Most nodes accepted before the page is rejected.
    pub max_nodes: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 1500,
            max_nodes: 5_000_000,
        }
    }
}

/// Why a page could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// Nesting deeper than the limit.
    #[error("element nesting deeper than {max} levels")]
    TooDeep {
        /// The configured limit.
        max: usize,
    },
    /// More nodes than the limit.
    #[error("more than {max} nodes")]
    TooManyNodes {
        /// The configured limit.
        max: usize,
    },
}

/// Parses a whole document.
pub fn parse(html: &str, frontend: Frontend, limits: ParseLimits) -> Result<Dom, ParseError> {
    let fixed = noscript::close_unclosed_iframes(html);
    let html = fixed.as_deref().unwrap_or(html);
    match frontend {
        Frontend::Html5ever => html5ever_sink::parse(html, limits),
        Frontend::Fast => fast::parse(html, limits),
    }
}

/// An indented one-node-per-line rendering of the attached tree (names, attributes in source
/// order, a `!` mark on foreign elements, text and comments quoted). Used to compare front ends.
pub fn outline(dom: &Dom) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let root = dom.root();
    let mut cur = dom.first_child(root);
    let mut depth = 1usize;
    while let Some(n) = cur {
        for _ in 1..depth {
            out.push_str("  ");
        }
        if dom.is_element(n) {
            out.push('<');
            out.push_str(dom.tag_name(n));
            if dom.is_foreign(n) {
                out.push('!');
            }
            for (k, v) in dom.attrs(n) {
                let _ = write!(out, " {k}={v:?}");
            }
            out.push_str(">\n");
        } else if dom.is_comment(n) {
            let _ = writeln!(out, "<!--{:?}-->", dom.text(n));
        } else {
            let _ = writeln!(out, "{:?}", dom.text(n));
        }
        if let Some(c) = dom.first_child(n) {
            cur = Some(c);
            depth += 1;
            continue;
        }
        let mut m = n;
        cur = loop {
            if let Some(s) = dom.next_sibling(m) {
                break Some(s);
            }
            match dom.parent(m) {
                Some(p) if p != root => {
                    m = p;
                    depth -= 1;
                }
                _ => break None,
            }
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::name;

    fn p(html: &str) -> Dom {
        parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap()
    }

    #[test]
    fn implied_tags_and_entities() {
        let d = p("<p>One<p>Two &amp; three<script>var s='<div>'</script>");
        let ps = d.find_all(0, |n| d.is(n, name::P));
        assert_eq!(ps.len(), 2);
        assert_eq!(d.text_content(ps[1]), "Two & three");
        assert!(d.find(0, |n| d.is(n, name::DIV)).is_none());
        assert!(d.head().is_some());
    }

    #[test]
    fn misnested_formatting_follows_html5() {
        let d = p("<b><i>bi</b>i</i>");
        let is = d.find_all(0, |n| d.is(n, name::I));
        assert_eq!(is.len(), 2);
    }

    #[test]
    fn attributes_and_svg() {
        let d = p(r#"<div id=x class="a b"><svg><title>t</title></svg></div>"#);
        let div = d.find(0, |n| d.is(n, name::DIV)).unwrap();
        assert_eq!(d.id_attr(div), Some("x"));
        let t = d.find(0, |n| d.is(n, name::TITLE)).unwrap();
        assert!(d.is_foreign(t));
    }

    #[test]
    fn deep_nesting_is_rejected_quickly() {
        let html = "<div>".repeat(200_000);
        let r = parse(&html, Frontend::Html5ever, ParseLimits::default());
        assert_eq!(r.unwrap_err(), ParseError::TooDeep { max: 1500 });
    }

    #[test]
    fn template_contents_are_detached() {
        let d = p("<body><template><p>hidden</p></template><p>shown</p>");
        assert_eq!(d.text_content(d.body()), "shown");
    }
}
