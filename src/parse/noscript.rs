//! Close `<iframe>`s left open inside `<noscript>` before either front end parses the page.
//!
//! Why it exists: pagemill parses with scripting *off*, so `<noscript>` content is markup we can
//! read (Discourse and other sites put the whole page there). Browsers parse with scripting
//! *on*, where `<noscript>` is raw text up to `</noscript>`, so authors never see what an
//! unclosed `<iframe>` inside it does with scripting off: `<iframe>` starts raw text that only
//! `</iframe>` ends. The tag-manager snippet React pages render,
//! `<noscript><iframe src="…" /></noscript>` (self-closing syntax, which HTML ignores), then turns
//! the rest of the page into the iframe's text and the page comes out empty. Inserting the
//! missing `</iframe>` before `</noscript>` keeps the scripts-off reading everywhere else and
//! gives the tree the author (and every browser) meant. Applied to the text, so the html5ever
//! reference and the fast front end see the same input and still build the same tree.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

const NOSCRIPT_OPEN: usize = 0;
const NOSCRIPT_CLOSE: usize = 1;
const IFRAME_OPEN: usize = 2;
const IFRAME_CLOSE: usize = 3;

fn tags() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(["<noscript", "</noscript", "<iframe", "</iframe"])
            .ok()
    })
    .as_ref()
}

/// True when the byte after a tag name ends the name (`<iframe>` yes, `<iframes` no).
fn ends_name(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        None => true,
        Some(b) => b.is_ascii_whitespace() || *b == b'>' || *b == b'/',
    }
}

/// Offset just past the `>` that ends the start tag whose name ends at `from`; quoted attribute
/// values may hold `>`. `None` when the tag never ends.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// Offsets where `</iframe>` must be inserted: after each `<iframe …>` start tag inside a
/// `<noscript>` whose `</iframe>` does not come before the noscript's end (or the page's end).
pub fn unclosed_iframes(html: &str) -> Vec<usize> {
    let Some(ac) = tags() else {
        return Vec::new();
    };
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut in_noscript = false;
    // End offset of an `<iframe …>` opened in the current noscript and not yet closed.
    let mut open_iframe: Option<usize> = None;
    let mut pos = 0;
    while let Some(m) = ac.find(&html[pos..]) {
        let start = pos + m.start();
        let end = pos + m.end();
        pos = end;
        if !ends_name(bytes, end) {
            continue;
        }
        match m.pattern().as_usize() {
            NOSCRIPT_OPEN => {
                in_noscript = true;
                open_iframe = None;
            }
            NOSCRIPT_CLOSE => {
                if let Some(at) = open_iframe.take() {
                    out.push(at);
                }
                in_noscript = false;
            }
            IFRAME_OPEN if in_noscript && open_iframe.is_none() => {
                if let Some(after) = tag_end(bytes, end) {
                    open_iframe = Some(after);
                    pos = after;
                }
            }
            IFRAME_CLOSE => open_iframe = None,
            _ => {}
        }
        debug_assert!(start < pos);
    }
    if let Some(at) = open_iframe {
        out.push(at);
    }
    out
}

/// The page with the missing `</iframe>` end tags inserted, or `None` when nothing is missing
/// (the common case: no copy).
pub fn close_unclosed_iframes(html: &str) -> Option<String> {
    let at = unclosed_iframes(html);
    if at.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len() + at.len() * 9);
    let mut last = 0;
    for &i in &at {
        // `i` is just past an ASCII `>`, so it is a char boundary.
        out.push_str(html.get(last..i)?);
        out.push_str("</iframe>");
        last = i;
    }
    out.push_str(html.get(last..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_closed_tag_manager_iframe_is_closed() {
        let html = r#"<body><noscript><iframe src="https://x/ns.html" height="0" /></noscript><p>Text</p>"#;
        let fixed = close_unclosed_iframes(html).unwrap();
        assert_eq!(
            fixed,
            r#"<body><noscript><iframe src="https://x/ns.html" height="0" /></iframe></noscript><p>Text</p>"#
        );
    }

    #[test]
    fn closed_iframes_and_iframes_outside_noscript_are_left_alone() {
        assert!(close_unclosed_iframes("<noscript><iframe src=a></iframe></noscript>").is_none());
        assert!(close_unclosed_iframes("<NOSCRIPT><IFRAME src=a></IFRAME></NOSCRIPT>").is_none());
        assert!(close_unclosed_iframes("<iframe src=a/><p>x</p>").is_none());
        assert!(close_unclosed_iframes("<noscript><iframes></noscript>").is_none());
        assert!(close_unclosed_iframes("<p>no tags of interest</p>").is_none());
    }

    #[test]
    fn quoted_gt_and_case_and_page_end() {
        let html = r#"<NoScript><IFrame title="a>b" src=x></NoScript>"#;
        assert_eq!(
            close_unclosed_iframes(html).unwrap(),
            r#"<NoScript><IFrame title="a>b" src=x></iframe></NoScript>"#
        );
        // noscript never closed: the iframe is closed where it starts its raw text
        assert_eq!(
            close_unclosed_iframes("<noscript><iframe src=x>").unwrap(),
            "<noscript><iframe src=x></iframe>"
        );
        // a start tag that never ends is left to the parser
        assert!(close_unclosed_iframes("<noscript><iframe src=\"x").is_none());
    }

    #[test]
    fn both_front_ends_keep_the_page_after_the_snippet() {
        use crate::parse::{parse, Frontend, ParseLimits};
        let html = "<html><body><noscript><iframe src=\"https://x/ns\" /></noscript>\
                    <article><p>Body text that must survive.</p></article></body></html>";
        for fe in [Frontend::Fast, Frontend::Html5ever] {
            let dom = parse(html, fe, ParseLimits::default()).unwrap();
            let body = dom.body();
            let p = dom
                .find(body, |n| dom.tag(n) == Some(crate::dom::name::P))
                .expect("paragraph kept");
            assert_eq!(dom.text_content(p), "Body text that must survive.");
        }
    }
}
