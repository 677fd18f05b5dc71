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

const IFRAME_OPEN: usize = 0;
const IFRAME_CLOSE: usize = 1;

fn tags() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(["<iframe", "</iframe"])
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

/// `(start, is_end_tag, name_end)` of every `<noscript` / `</noscript` tag in lower or upper
/// case (mixed-case spellings are not looked for), in document order. Found with two SIMD
/// substring searches, so a page without `noscript` costs two quick passes and nothing else.
fn noscript_tags(bytes: &[u8]) -> Vec<(usize, bool, usize)> {
    let mut out = Vec::new();
    for needle in [&b"noscript"[..], &b"NOSCRIPT"[..]] {
        for at in memchr::memmem::find_iter(bytes, needle) {
            let name_end = at + needle.len();
            if !ends_name(bytes, name_end) || at == 0 {
                continue;
            }
            match (
                bytes.get(at - 1),
                at.checked_sub(2).and_then(|i| bytes.get(i)),
            ) {
                (Some(b'<'), _) => out.push((at - 1, false, name_end)),
                (Some(b'/'), Some(b'<')) => out.push((at - 2, true, name_end)),
                _ => {}
            }
        }
    }
    out.sort_unstable();
    out
}

/// Offsets where `</iframe>` must be inserted: after each `<iframe …>` start tag inside a
/// `<noscript>` whose `</iframe>` does not come before the noscript's end (or the page's end).
pub fn unclosed_iframes(html: &str) -> Vec<usize> {
    let bytes = html.as_bytes();
    let marks = noscript_tags(bytes);
    let mut out = Vec::new();
    let Some(ac) = tags() else {
        return out;
    };
    // each noscript start tag opens a region that ends at the next noscript tag (or the page)
    for (k, &(_, is_end, from)) in marks.iter().enumerate() {
        if is_end {
            continue;
        }
        let to = marks.get(k + 1).map_or(bytes.len(), |m| m.0);
        // End offset of an `<iframe …>` opened in this region and not yet closed.
        let mut open_iframe: Option<usize> = None;
        let mut pos = from;
        while pos < to {
            let Some(m) = ac.find(&bytes[pos..to]) else {
                break;
            };
            let end = pos + m.end();
            pos = end;
            if !ends_name(bytes, end) {
                continue;
            }
            match m.pattern().as_usize() {
                IFRAME_OPEN if open_iframe.is_none() => {
                    if let Some(after) = tag_end(bytes, end) {
                        open_iframe = Some(after);
                        pos = after;
                    }
                }
                IFRAME_CLOSE => open_iframe = None,
                _ => {}
            }
        }
        if let Some(at) = open_iframe {
            out.push(at);
        }
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
        let html = r#"<NOSCRIPT><IFrame title="a>b" src=x></NOSCRIPT>"#;
        assert_eq!(
            close_unclosed_iframes(html).unwrap(),
            r#"<NOSCRIPT><IFrame title="a>b" src=x></iframe></NOSCRIPT>"#
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
    fn each_noscript_is_its_own_region() {
        let html = "<noscript><iframe src=a></iframe></noscript><p>x</p>\
                    <noscript><iframe src=b/></noscript><iframe src=c>";
        let at = unclosed_iframes(html);
        assert_eq!(at.len(), 1);
        assert_eq!(
            &html[..at[0]],
            "<noscript><iframe src=a></iframe></noscript><p>x</p><noscript><iframe src=b/>"
        );
        // `noscript` as a word or a longer name is not a tag
        assert!(unclosed_iframes("noscript <noscripts><iframe src=a>").is_empty());
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
