//! DOM fallbacks for metadata: the only `h1`, `.entry-title`, bylines, `time[datetime]`,
//! category and tag links, licence links, `link[rel=image_src]`, the first content image.
//!
//! Why it exists: many pages carry no structured data at all (or only part of it); the visible
//! page still says who wrote it, when, and under which categories. These rules come last in
//! the precedence tables and skip comment areas and related-post widgets (`discard_selectors`),
//! whose bylines and dates belong to other texts.

use super::MetaRules;
use crate::dom::{collapse_ws, name, Dom, NodeId};
use crate::select::Selector;

/// Longest text accepted as a title, byline or date.
const MAX_TITLE_CHARS: usize = 300;
const MAX_BYLINE_CHARS: usize = 200;
const MAX_DATE_CHARS: usize = 120;

fn discarded(dom: &Dom, rules: &MetaRules, n: NodeId) -> bool {
    rules.discard.closest(dom, n).is_some()
}

fn short_text(dom: &Dom, n: NodeId, max: usize) -> Option<String> {
    if dom.text_len(n) > max * 4 {
        return None;
    }
    let t = dom.text_content(n);
    (!t.is_empty() && t.chars().count() <= max).then_some(t)
}

/// `<html lang>` (or `xml:lang`).
pub fn html_lang(dom: &Dom) -> Option<String> {
    let h = dom.html()?;
    dom.attr_by(h, name::LANG)
        .or_else(|| dom.attr(h, "xml:lang"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The text of the page's only `h1` outside site chrome (several identical ones count as one).
pub fn only_h1(dom: &Dom, rules: &MetaRules) -> Option<String> {
    let mut found: Option<String> = None;
    for n in dom.descendants(dom.body()) {
        if !dom.is(n, name::H1) || rules.h1_ignore.closest(dom, n).is_some() {
            continue;
        }
        let t = short_text(dom, n, MAX_TITLE_CHARS)?;
        match &found {
            Some(f) if *f != t => return None,
            _ => found = Some(t),
        }
    }
    found
}

/// Texts of the (at most five first) `h1` elements outside site chrome.
pub fn h1_texts(dom: &Dom, rules: &MetaRules) -> Vec<String> {
    let mut out = Vec::new();
    for n in dom.descendants(dom.body()) {
        if dom.is(n, name::H1) && rules.h1_ignore.closest(dom, n).is_none() {
            if let Some(t) = short_text(dom, n, MAX_TITLE_CHARS) {
                out.push(t);
            }
            if out.len() >= 5 {
                break;
            }
        }
    }
    out
}

/// The first `.entry-title`-like heading outside discarded regions.
pub fn entry_title(dom: &Dom, rules: &MetaRules) -> Option<String> {
    rules.entry_title.iter().find_map(|sel| {
        sel.all(dom, dom.body())
            .into_iter()
            .filter(|&n| !discarded(dom, rules, n))
            .find_map(|n| short_text(dom, n, MAX_TITLE_CHARS))
    })
}

/// Raw byline strings: for the first selector (in order) with a usable match, the first match
/// and its siblings' matches (`a[rel=author]` lists several authors side by side).
pub fn bylines(dom: &Dom, rules: &MetaRules) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for sel in &rules.byline {
        let matches: Vec<NodeId> = sel
            .all(dom, dom.body())
            .into_iter()
            .filter(|&n| !discarded(dom, rules, n))
            .collect();
        let Some(&first) = matches.first() else {
            continue;
        };
        let scope = dom
            .parent(first)
            .and_then(|p| dom.parent(p))
            .unwrap_or(first);
        let texts: Vec<String> = matches
            .iter()
            .filter(|&&n| n == first || dom.is_inclusive_ancestor(scope, n))
            .filter(|&&n| {
                !matches
                    .iter()
                    .any(|&m| m != n && dom.is_inclusive_ancestor(m, n))
            })
            .filter_map(|&n| short_text(dom, n, MAX_BYLINE_CHARS))
            .collect();
        if !texts.is_empty() {
            out.push(texts);
        }
    }
    out
}

/// Bylines next to a label: a text "Written by" / "Author" followed by the name in the next
/// element ("By <a>Jane Roe</a>", `<p>Written by</p><p>Jane Roe</p>`), or "By Jane Roe" in one
/// text. The first one outside discarded regions wins.
pub fn labelled_bylines(dom: &Dom, rules: &MetaRules) -> Vec<Vec<String>> {
    let labels = &rules.cfg.byline_labels;
    let mut it = dom.descendants(dom.body());
    while let Some(n) = it.next() {
        if dom.tag(n).is_some_and(crate::dom::is_non_rendered) {
            it.skip_subtree(n);
            continue;
        }
        if !dom.is_text(n) {
            continue;
        }
        let raw = dom.text(n);
        if raw.len() > 120 {
            continue;
        }
        let t = collapse_ws(raw);
        let lower = t.to_lowercase();
        let lower = lower.trim_end_matches(':').trim_end();
        let found = if labels.iter().any(|l| l == lower) {
            name_after(dom, n, t.len())
        } else {
            labels.iter().find_map(|l| {
                let rest = lower.strip_prefix(l.as_str())?.strip_prefix([' ', ':'])?;
                let rest = t
                    .get(t.len() - rest.len()..)?
                    .trim_start_matches(':')
                    .trim();
                (rest.split_whitespace().count() <= 6).then(|| rest.to_string())
            })
        };
        let Some(found) = found else { continue };
        let looks_like_name = found
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()));
        if looks_like_name && !dom.parent(n).is_some_and(|p| discarded(dom, rules, p)) {
            return vec![vec![found]];
        }
    }
    Vec::new()
}

/// The short text right after a label text node: its next non-empty sibling, climbing out of
/// elements that hold only the label (at most three levels).
fn name_after(dom: &Dom, label: NodeId, label_len: usize) -> Option<String> {
    let mut cur = label;
    for _ in 0..4 {
        let mut sib = dom.next_sibling(cur);
        while let Some(s) = sib {
            if dom.is_text(s) {
                let t = collapse_ws(dom.text(s));
                if !t.is_empty() {
                    return (t.chars().count() <= 80).then_some(t);
                }
            } else if dom.is_element(s) {
                if let Some(t) = short_text(dom, s, 80) {
                    return Some(t);
                }
                // an empty element (avatar image) is skipped
                if dom.text_len(s) > 0 {
                    return None;
                }
            }
            sib = dom.next_sibling(s);
        }
        cur = dom.parent(cur)?;
        if dom.text_len(cur) > label_len + 2 {
            return None;
        }
    }
    None
}

/// `datetime` (or `content`) values of published-time elements, in selector order.
pub fn published_times(dom: &Dom, rules: &MetaRules) -> Vec<String> {
    times(dom, rules, &rules.published_time)
}

/// `datetime` values of modified-time elements.
pub fn modified_times(dom: &Dom, rules: &MetaRules) -> Vec<String> {
    times(dom, rules, &rules.modified_time)
}

fn times(dom: &Dom, rules: &MetaRules, sels: &[Selector]) -> Vec<String> {
    let mut out = Vec::new();
    for sel in sels {
        for n in sel.all(dom, dom.body()) {
            if discarded(dom, rules, n) {
                continue;
            }
            let v = dom
                .attr_by(n, name::DATETIME)
                .or_else(|| dom.attr_by(n, name::CONTENT))
                .map(collapse_ws)
                .filter(|s| !s.is_empty());
            if let Some(v) = v {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// Date-like texts near the title (`.published`, `.entry-date`, …), for the date parser.
pub fn date_texts(dom: &Dom, rules: &MetaRules) -> Vec<String> {
    let mut out = Vec::new();
    for sel in &rules.date_text {
        for n in sel.all(dom, dom.body()) {
            if discarded(dom, rules, n) {
                continue;
            }
            let v = dom
                .attr_by(n, name::DATETIME)
                .or_else(|| dom.attr_by(n, name::CONTENT))
                .map(collapse_ws)
                .filter(|s| !s.is_empty())
                .or_else(|| short_text(dom, n, MAX_DATE_CHARS));
            if let Some(v) = v {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            if out.len() >= 8 {
                return out;
            }
        }
    }
    out
}

/// Link texts of taxonomy links: `rel` selectors first, then container links whose href
/// contains one of `href_patterns`.
fn term_links(
    dom: &Dom,
    rules: &MetaRules,
    rel: &Selector,
    containers: &Selector,
    href_patterns: &[String],
) -> Vec<String> {
    let texts = |nodes: Vec<NodeId>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in nodes {
            if discarded(dom, rules, n) {
                continue;
            }
            if let Some(t) = short_text(dom, n, 100) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    };
    if !rel.is_empty() {
        let t = texts(rel.all(dom, dom.body()));
        if !t.is_empty() {
            return t;
        }
    }
    if containers.is_empty() {
        return Vec::new();
    }
    let nodes = containers
        .all(dom, dom.body())
        .into_iter()
        .filter(|&n| {
            dom.attr_by(n, name::HREF).is_some_and(|h| {
                let h = h.to_ascii_lowercase();
                href_patterns.iter().any(|p| h.contains(p.as_str()))
            })
        })
        .collect();
    texts(nodes)
}

/// Category names from `a[rel~=category]` or category containers.
pub fn category_links(dom: &Dom, rules: &MetaRules) -> Vec<String> {
    term_links(
        dom,
        rules,
        &rules.category,
        &rules.category_links,
        &rules.cfg.category_href_patterns,
    )
}

/// Tag names from `a[rel~=tag]` or tag containers.
pub fn tag_links(dom: &Dom, rules: &MetaRules) -> Vec<String> {
    term_links(
        dom,
        rules,
        &rules.tag,
        &rules.tag_links,
        &rules.cfg.tag_href_patterns,
    )
}

/// A licence: `a[rel~=license]` (its CC name, else its text), else any Creative Commons link.
pub fn license_link(dom: &Dom, rules: &MetaRules) -> Option<String> {
    for n in rules.license_sel.all(dom, dom.root()) {
        let href = dom.attr_by(n, name::HREF).unwrap_or("").trim();
        if let Some(l) = super::clean::license_name(href) {
            return Some(l);
        }
        if let Some(t) = short_text(dom, n, 60) {
            return Some(t);
        }
        if !href.is_empty() {
            return Some(href.to_string());
        }
    }
    dom.descendants(dom.root())
        .filter(|&n| dom.is(n, name::A))
        .filter_map(|n| dom.attr_by(n, name::HREF))
        .filter(|h| {
            let h = h.to_ascii_lowercase();
            rules
                .cfg
                .license_href_patterns
                .iter()
                .any(|p| h.contains(p.as_str()))
        })
        .find_map(super::clean::license_name)
}

/// `link[rel~=image_src]` href.
pub fn image_src(dom: &Dom) -> Option<String> {
    let n = dom.find(dom.root(), |n| {
        dom.is(n, name::LINK)
            && dom.attr_by(n, name::REL).is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("image_src"))
            })
    })?;
    dom.attr_by(n, name::HREF)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// True for favicons, which are never a lead image whatever declared them.
pub fn rejected_favicon(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    let path = u.split(['?', '#']).next().unwrap_or(&u);
    path.ends_with(".ico") || path.contains("favicon")
}

/// True when an image URL or element is never a lead image (logos, avatars, icons, pixels).
pub fn rejected_image(src: &str, class: &str, rules: &MetaRules) -> bool {
    let s = src.to_ascii_lowercase();
    let c = class.to_ascii_lowercase();
    s.starts_with("data:")
        || s.ends_with(".ico")
        || s.ends_with(".svg")
        || rules
            .cfg
            .image_reject_patterns
            .iter()
            .any(|p| s.contains(p.as_str()) || c.contains(p.as_str()))
}

/// The first acceptable image in the first content container.
pub fn content_image(dom: &Dom, rules: &MetaRules) -> Option<String> {
    for sel in &rules.content_image_containers {
        let Some(container) = sel
            .all(dom, dom.body())
            .into_iter()
            .find(|&n| !discarded(dom, rules, n))
        else {
            continue;
        };
        for n in dom.descendants(container) {
            if !dom.is(n, name::IMG) || discarded(dom, rules, n) {
                continue;
            }
            let small = ["width", "height"].iter().any(|a| {
                dom.attr(n, a)
                    .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
                    .is_some_and(|px| px < rules.cfg.min_image_px)
            });
            if small {
                continue;
            }
            let src = ["src", "data-src", "data-lazy-src", "data-original"]
                .iter()
                .filter_map(|a| dom.attr(n, a))
                .map(str::trim)
                .find(|s| !s.is_empty() && !s.starts_with("data:"));
            let Some(src) = src else { continue };
            if rejected_image(src, dom.attr_by(n, name::CLASS).unwrap_or(""), rules) {
                continue;
            }
            return Some(src.to_string());
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};
    use crate::settings::Rules;

    fn dom(html: &str) -> Dom {
        parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap()
    }

    fn rules() -> Rules {
        Rules::defaults().unwrap()
    }

    #[test]
    fn only_h1_ignores_logo_and_requires_one() {
        let r = rules();
        let d = dom(
            "<header class=site-header><h1>Site</h1></header><article><h1>Story</h1></article>",
        );
        assert_eq!(only_h1(&d, &r.metadata).as_deref(), Some("Story"));
        let d = dom("<h1>One</h1><h1>Two</h1>");
        assert_eq!(only_h1(&d, &r.metadata), None);
    }

    #[test]
    fn bylines_skip_comments_and_group_siblings() {
        let r = rules();
        let d = dom(
            r#"<div class="meta"><span><a rel="author" href="/a">Ann</a></span>, <span><a rel="author" href="/b">Bob</a></span></div>
            <div id="comments"><a rel="author">Commenter</a></div>"#,
        );
        assert_eq!(bylines(&d, &r.metadata)[0], vec!["Ann", "Bob"]);
    }

    #[test]
    fn labelled_bylines_find_the_name_after_the_label() {
        let r = rules();
        let d = dom("<div><p>Written by</p><p>Edzel Tabing</p></div>");
        assert_eq!(
            labelled_bylines(&d, &r.metadata),
            vec![vec!["Edzel Tabing".to_string()]]
        );
        let d = dom("<div><div>By</div><div>Summer Swann</div></div>");
        assert_eq!(labelled_bylines(&d, &r.metadata)[0], vec!["Summer Swann"]);
        let d = dom("<p>By Jane Roe</p>");
        assert_eq!(labelled_bylines(&d, &r.metadata)[0], vec!["Jane Roe"]);
        let d = dom("<p>Sort by date</p><p>by the way, nothing here</p><nav>By Nav Person</nav>");
        assert!(labelled_bylines(&d, &r.metadata).is_empty());
    }

    #[test]
    fn taxonomy_links() {
        let r = rules();
        let d = dom(
            r#"<span class="cat-links"><a href="/category/news/" rel="category tag">News</a></span>
            <span class="tags-links"><a href="/tag/g20/" rel="tag">G20</a><a href="/tag/x/" rel="tag">X</a></span>
            <aside class="widget"><a href="/tag/z/" rel="tag">Z</a></aside>"#,
        );
        assert_eq!(category_links(&d, &r.metadata), vec!["News"]);
        assert_eq!(tag_links(&d, &r.metadata), vec!["G20", "X"]);
        let d = dom(
            r#"<div class="tags"><a href="/about/">About</a><a href="/tags/rust">Rust</a></div>"#,
        );
        assert_eq!(tag_links(&d, &r.metadata), vec!["Rust"]);
    }

    #[test]
    fn license_and_images() {
        let r = rules();
        let d = dom(
            r#"<footer><a href="https://creativecommons.org/licenses/by/4.0/">CC</a></footer>"#,
        );
        assert_eq!(license_link(&d, &r.metadata).as_deref(), Some("CC BY 4.0"));
        let d = dom(r#"<a rel="license" href="/terms">All rights reserved</a>"#);
        assert_eq!(
            license_link(&d, &r.metadata).as_deref(),
            Some("All rights reserved")
        );
        let d = dom(
            r#"<article><img src="/logo.png"><img src="/x.gif" width="1" height="1"><img data-src="/lead.jpg" src="data:image/gif;base64,R0"></article>"#,
        );
        assert_eq!(content_image(&d, &r.metadata).as_deref(), Some("/lead.jpg"));
    }

    #[test]
    fn times_from_header() {
        let r = rules();
        let d = dom(
            r#"<article><header><time class="entry-date published" datetime="2020-01-02T03:04:05+00:00">Jan 2</time>
            <time class="updated" datetime="2020-02-02">Feb 2</time></header></article>"#,
        );
        assert_eq!(
            published_times(&d, &r.metadata)[0],
            "2020-01-02T03:04:05+00:00"
        );
        assert_eq!(modified_times(&d, &r.metadata)[0], "2020-02-02");
    }
}
