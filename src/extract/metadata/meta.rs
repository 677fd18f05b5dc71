//! `<meta>` tags (OpenGraph, `article:*`, Twitter, Dublin Core, `citation_*`, parsely,
//! sailthru) and `itemprop` microdata, read once into ordered key → value lists.
//!
//! Why it exists: the precedence tables of SCHEMA §6.3 name meta keys as data
//! (`meta:og:title`, `microdata:datepublished`); reading every tag once into a small ordered list
//! lets each field ask for its keys without walking the tree again, and keeps repeated tags
//! (`article:tag`) in document order.

use crate::dom::{collapse_ws, name, Dom, NodeId};
use crate::select::Selector;

/// Longest microdata text value kept (characters); longer elements are containers, not values.
const MAX_MICRODATA_CHARS: usize = 300;

/// Meta tags: lowercased key (`property`, else `name`, else `http-equiv:<x>`) → `content`.
#[derive(Clone, Debug, Default)]
pub struct MetaTags {
    entries: Vec<(String, String)>,
}

impl MetaTags {
    /// Reads every `<meta>` of the document (head and body).
    pub fn collect(dom: &Dom) -> Self {
        let mut entries = Vec::new();
        for n in dom.descendants(dom.root()) {
            if !dom.is(n, name::META) {
                continue;
            }
            let Some(content) = dom.attr_by(n, name::CONTENT) else {
                continue;
            };
            let content = collapse_ws(content);
            if content.is_empty() {
                continue;
            }
            let key = if let Some(p) = dom.attr_by(n, name::PROPERTY) {
                p.trim().to_ascii_lowercase()
            } else if let Some(p) = dom.attr_by(n, name::NAME_ATTR) {
                p.trim().to_ascii_lowercase()
            } else if let Some(p) = dom.attr_by(n, name::HTTP_EQUIV) {
                format!("http-equiv:{}", p.trim().to_ascii_lowercase())
            } else {
                continue;
            };
            if !key.is_empty() {
                entries.push((key, content));
            }
        }
        MetaTags { entries }
    }

    /// The first value of a key.
    pub fn first(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a key, in document order.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `itemprop` values outside JSON-LD: lowercased property → value, document order.
#[derive(Clone, Debug, Default)]
pub struct Microdata {
    entries: Vec<(String, String)>,
}

impl Microdata {
    /// Reads the `itemprop`s named in `wanted` (lowercase). Values come from `content`, then
    /// `datetime`, then `src`/`href` for `image`/`url`, then the text (an `author` element's
    /// nested `itemprop=name` first). Elements inside `discard` regions are skipped.
    pub fn collect(dom: &Dom, wanted: &[String], discard: &Selector) -> Self {
        let mut entries = Vec::new();
        if wanted.is_empty() {
            return Microdata { entries };
        }
        let mut it = dom.descendants(dom.root());
        while let Some(n) = it.next() {
            if !dom.is_element(n) {
                continue;
            }
            if dom.is(n, name::SCRIPT) || dom.is(n, name::STYLE) {
                it.skip_subtree(n);
                continue;
            }
            let Some(props) = dom.attr_by(n, name::ITEMPROP) else {
                continue;
            };
            for prop in props.split_ascii_whitespace() {
                let prop = prop.to_ascii_lowercase();
                if !wanted.contains(&prop) {
                    continue;
                }
                if prop == "author" && discard.closest(dom, n).is_some() {
                    continue;
                }
                if let Some(v) = value_of(dom, n, &prop) {
                    entries.push((prop, v));
                }
            }
        }
        Microdata { entries }
    }

    /// The first value of a property.
    pub fn first(&self, prop: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == prop)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a property.
    pub fn all<'a>(&'a self, prop: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter(move |(k, _)| k == prop)
            .map(|(_, v)| v.as_str())
    }
}

/// The value of one itemprop element.
fn value_of(dom: &Dom, n: NodeId, prop: &str) -> Option<String> {
    let attr = |a| {
        dom.attr_by(n, a)
            .map(collapse_ws)
            .filter(|s: &String| !s.is_empty())
    };
    if let Some(v) = attr(name::CONTENT).or_else(|| attr(name::DATETIME)) {
        return Some(v);
    }
    if matches!(prop, "image" | "url" | "thumbnailurl") {
        if let Some(v) = attr(name::SRC).or_else(|| attr(name::HREF)) {
            return Some(v);
        }
        // an ImageObject: its nested url
        let inner = dom.find(n, |c| {
            dom.attr_by(c, name::ITEMPROP).is_some_and(|p| {
                p.split_ascii_whitespace()
                    .any(|p| p.eq_ignore_ascii_case("url"))
            })
        });
        return inner.and_then(|c| {
            dom.attr_by(c, name::CONTENT)
                .or_else(|| dom.attr_by(c, name::SRC))
                .or_else(|| dom.attr_by(c, name::HREF))
                .map(collapse_ws)
        });
    }
    let source = if prop == "author" {
        dom.find(n, |c| {
            dom.attr_by(c, name::ITEMPROP).is_some_and(|p| {
                p.split_ascii_whitespace()
                    .any(|p| p.eq_ignore_ascii_case("name"))
            })
        })
        .unwrap_or(n)
    } else {
        n
    };
    if source != n {
        if let Some(v) = dom.attr_by(source, name::CONTENT).map(collapse_ws) {
            if !v.is_empty() {
                return Some(v);
            }
        }
    }
    if dom.text_len(source) > MAX_MICRODATA_CHARS * 4 {
        return None;
    }
    let t = dom.text_content(source);
    (!t.is_empty() && t.chars().count() <= MAX_MICRODATA_CHARS).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    fn dom(html: &str) -> Dom {
        parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap()
    }

    #[test]
    fn meta_keys_are_lowercased_and_repeated_tags_kept() {
        let d = dom(
            r#"<head><meta property="OG:Title" content=" A  title "><meta name="DC.creator" content="X">
            <meta property="article:tag" content="a"><meta property="article:tag" content="b">
            <meta http-equiv="Content-Language" content="de"><meta name="empty" content=""></head>"#,
        );
        let m = MetaTags::collect(&d);
        assert_eq!(m.first("og:title"), Some("A title"));
        assert_eq!(m.first("dc.creator"), Some("X"));
        assert_eq!(m.all("article:tag").collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(m.first("http-equiv:content-language"), Some("de"));
        assert_eq!(m.first("empty"), None);
    }

    #[test]
    fn microdata_values_by_kind() {
        let d = dom(r#"<div itemscope><h1 itemprop="headline">Head</h1>
            <time itemprop="datePublished" datetime="2020-02-03">3 Feb</time>
            <span itemprop="author" itemscope><span itemprop="name">Ann</span> (staff)</span>
            <img itemprop="image" src="/a.jpg">
            <div class="comment"><span itemprop="author">Commenter</span></div></div>"#);
        let wanted: Vec<String> = ["headline", "datepublished", "author", "image"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let md = Microdata::collect(&d, &wanted, &Selector::parse(".comment").unwrap());
        assert_eq!(md.first("headline"), Some("Head"));
        assert_eq!(md.first("datepublished"), Some("2020-02-03"));
        assert_eq!(md.all("author").collect::<Vec<_>>(), vec!["Ann"]);
        assert_eq!(md.first("image"), Some("/a.jpg"));
    }
}
