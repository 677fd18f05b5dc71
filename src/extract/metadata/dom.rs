//! DOM fallbacks for metadata: the only `h1`, `.entry-title`, bylines, `time[datetime]`,
//! category and tag links, licence links, `link[rel=image_src]`, the first content image.
//!
//! Why it exists: many pages carry no structured data at all (or only part of it); the visible
//! page still says who wrote it, when, and under which categories. These rules come last in
//! the precedence tables and skip comment areas and related-post widgets (`discard_selectors`),
//! whose bylines and dates belong to other texts. A [`Page`] marks those regions once and
//! matches each selector list in a single pass, so the rules cost a few walks of the tree.

use super::MetaRules;
use crate::dom::{collapse_ws, is_non_rendered, name, Dom, NodeId, NodeSet};
use crate::select::Selector;

/// Longest text accepted as a title, byline or date.
const MAX_TITLE_CHARS: usize = 300;
const MAX_BYLINE_CHARS: usize = 200;
const MAX_DATE_CHARS: usize = 120;

/// A page prepared for the DOM rules: discarded regions marked, visible nodes listed.
pub struct Page<'a> {
    /// The tree.
    pub dom: &'a Dom,
    /// The rules.
    pub rules: &'a MetaRules,
    /// Every node inside a discarded region (comments, related posts, widgets, chrome).
    discard: NodeSet,
    /// Body nodes outside discarded regions and non-rendered elements, in document order.
    visible: Vec<NodeId>,
    /// The same nodes as a set.
    visible_set: NodeSet,
}

impl<'a> Page<'a> {
    /// Marks the discarded regions and lists the visible nodes.
    pub fn new(dom: &'a Dom, rules: &'a MetaRules) -> Self {
        let mut discard = NodeSet::for_dom(dom);
        let mut visible = Vec::new();
        let mut visible_set = NodeSet::for_dom(dom);
        // A node the walk reaches matches `discard` exactly when it is an outermost match (its
        // ancestors below the body were reached and did not match): the indexed `outermost`
        // finds them without testing the selector on every node.
        let mut hits = NodeSet::for_dom(dom);
        for n in rules.discard.outermost(dom, dom.body()) {
            hits.insert(n);
        }
        let mut it = dom.descendants(dom.body());
        while let Some(n) = it.next() {
            if hits.contains(n) {
                for d in dom.descendants(n) {
                    discard.insert(d);
                }
                it.skip_subtree(n);
                continue;
            }
            if dom.tag(n).is_some_and(is_non_rendered) {
                it.skip_subtree(n);
                continue;
            }
            visible.push(n);
            visible_set.insert(n);
        }
        Page {
            dom,
            rules,
            discard,
            visible,
            visible_set,
        }
    }

    fn discarded(&self, n: NodeId) -> bool {
        self.discard.contains(n)
    }

    /// Matches of each selector of a list among the visible nodes (outside discarded
    /// regions), each in document order. `Selector::all` visits only the elements carrying one
    /// of a selector's keys (and nothing when the document lacks them all).
    fn buckets(&self, sels: &[&Selector]) -> Vec<Vec<NodeId>> {
        let body = self.dom.body();
        sels.iter()
            .map(|sel| {
                let mut v = sel.all(self.dom, body);
                v.retain(|&n| self.visible_set.contains(n));
                v
            })
            .collect()
    }

    fn buckets_of(&self, sels: &[Selector]) -> Vec<Vec<NodeId>> {
        let refs: Vec<&Selector> = sels.iter().collect();
        self.buckets(&refs)
    }
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
pub fn only_h1(page: &Page<'_>) -> Option<String> {
    let texts = h1_list(page, usize::MAX);
    let first = texts.first()?;
    texts.iter().all(|t| t == first).then(|| first.clone())
}

/// Texts of the (at most five first) `h1` elements outside site chrome.
pub fn h1_texts(page: &Page<'_>) -> Vec<String> {
    h1_list(page, 5)
}

fn h1_list(page: &Page<'_>, max: usize) -> Vec<String> {
    let dom = page.dom;
    let mut out = Vec::new();
    for n in dom.descendants(dom.body()) {
        if dom.is(n, name::H1) && page.rules.h1_ignore.closest(dom, n).is_none() {
            out.push(short_text(dom, n, MAX_TITLE_CHARS).unwrap_or_default());
            if out.len() >= max {
                break;
            }
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// The first `.entry-title`-like heading outside discarded regions.
pub fn entry_title(page: &Page<'_>) -> Option<String> {
    page.buckets_of(&page.rules.entry_title)
        .into_iter()
        .flatten()
        .find_map(|n| short_text(page.dom, n, MAX_TITLE_CHARS))
}

/// Raw byline strings: for each selector (in order) with a usable match, the first match and
/// its siblings' matches (`a[rel=author]` lists several authors side by side).
pub fn bylines(page: &Page<'_>) -> Vec<Vec<String>> {
    let dom = page.dom;
    let mut out = Vec::new();
    for matches in page.buckets_of(&page.rules.byline) {
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
pub fn labelled_bylines(page: &Page<'_>) -> Vec<Vec<String>> {
    let dom = page.dom;
    let labels = &page.rules.cfg.byline_labels;
    // Both tests below need the text's first character, lowercased, to be a label's first
    // character: other texts are passed over without being collapsed and lowercased (an empty
    // label would match texts of colons, so it turns this off).
    let firsts: Option<Vec<char>> = labels
        .iter()
        .map(|l| l.chars().next())
        .collect::<Option<Vec<char>>>();
    for &n in &page.visible {
        if !dom.is_text(n) {
            continue;
        }
        let raw = dom.text(n);
        if raw.len() > 120 {
            continue;
        }
        if let Some(firsts) = &firsts {
            let first = first_lowercase(raw);
            if !first.is_some_and(|c| firsts.contains(&c)) {
                continue;
            }
        }
        let t = collapse_ws(raw);
        let lower = t.to_lowercase();
        let lower = lower.trim_end_matches(':').trim_end();
        let found = if labels.iter().any(|l| l == lower) {
            name_after(dom, n, t.len())
        } else {
            labels.iter().find_map(|l| {
                let rest = after_label(&t, l)?.trim_start_matches(':').trim();
                (rest.split_whitespace().count() <= 6).then(|| rest.to_string())
            })
        };
        let Some(found) = found else { continue };
        if looks_like_full_name(&found) {
            return vec![vec![found]];
        }
    }
    Vec::new()
}

/// The first non-blank character of `t` ([`crate::dom::is_ws`]), lowercased (its first
/// lowercase character). Leading ASCII blanks (most whitespace-only text nodes) are skipped
/// byte by byte, and an ASCII first character is lowercased without decoding.
fn first_lowercase(t: &str) -> Option<char> {
    let lead = t
        .bytes()
        .position(|b| !crate::dom::ascii_blank(b))
        .unwrap_or(t.len());
    match t.as_bytes().get(lead) {
        None => None,
        Some(&b) if b.is_ascii() => Some(char::from(b.to_ascii_lowercase())),
        Some(_) => t
            .get(lead..)?
            .chars()
            .find(|&c| !crate::dom::is_ws(c))
            .and_then(|c| c.to_lowercase().next()),
    }
}

/// The text after a leading label (compared case-insensitively on `t` itself, so Unicode case
/// mappings that change byte lengths cannot shift the cut), when a space or `:` follows it.
fn after_label<'t>(t: &'t str, label: &str) -> Option<&'t str> {
    let head = t.get(..label.len())?;
    let rest = t.get(label.len()..)?;
    if !rest.starts_with([' ', ':']) {
        return None;
    }
    // ASCII lowercasing is Unicode lowercasing on ASCII text: no allocation in the common case
    let same = if head.is_ascii() {
        head.len() == label.len()
            && head
                .bytes()
                .zip(label.bytes())
                .all(|(h, l)| h.to_ascii_lowercase() == l)
    } else {
        head.to_lowercase() == label
    };
    same.then_some(rest)
}

/// Two to five words, each capitalised (or a lowercase name particle: "van", "de").
fn looks_like_full_name(s: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "y", "dos",
        "del",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
                || PARTICLES.contains(w)
        })
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
pub fn published_times(page: &Page<'_>) -> Vec<String> {
    times(page, &page.rules.published_time)
}

/// `datetime` values of modified-time elements.
pub fn modified_times(page: &Page<'_>) -> Vec<String> {
    times(page, &page.rules.modified_time)
}

fn times(page: &Page<'_>, sels: &[Selector]) -> Vec<String> {
    let dom = page.dom;
    let mut out = Vec::new();
    for bucket in page.buckets_of(sels) {
        for n in bucket {
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
pub fn date_texts(page: &Page<'_>) -> Vec<String> {
    let dom = page.dom;
    let mut out = Vec::new();
    for bucket in page.buckets_of(&page.rules.date_text) {
        for n in bucket {
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

/// Short texts near the title that may be dates: "Published August 7, 2023", or the text
/// after a label ("Last updated:" then "Dec 12, 2025"). Labels are stripped; the caller parses.
/// The scan starts a little before the first `h1` (or at the top of the body) and stops after
/// `window` text nodes.
pub fn date_scan(page: &Page<'_>, window: usize) -> Vec<String> {
    let dom = page.dom;
    let labels = &page.rules.cfg.date_labels;
    // the non-blank texts, walked lazily: only the window (a quarter of it before the first
    // `h1`) is read, not the whole page
    let is_text = |n: &NodeId| dom.is_text(*n) && !dom.text(*n).trim().is_empty();
    let h1 = page.visible.iter().position(|&n| dom.is(n, name::H1));
    let start = match h1 {
        Some(h) => page.visible[..h]
            .iter()
            .filter(|n| is_text(n))
            .count()
            .saturating_sub(window / 4),
        None => 0,
    };
    let mut out = Vec::new();
    for n in page
        .visible
        .iter()
        .copied()
        .filter(is_text)
        .skip(start)
        .take(window)
    {
        let raw = dom.text(n);
        if raw.len() > 80 {
            continue;
        }
        let t = collapse_ws(raw);
        let lower = t.to_lowercase();
        let bare = lower.trim_end_matches(':').trim_end();
        let value = if labels.iter().any(|l| l == bare) {
            name_after(dom, n, t.len())
        } else {
            let stripped = labels.iter().find_map(|l| after_label(&t, l));
            Some(
                stripped
                    .unwrap_or(&t)
                    .trim_start_matches(':')
                    .trim()
                    .to_string(),
            )
        };
        if let Some(v) =
            value.filter(|v| v.chars().any(|c| c.is_ascii_digit()) && v.chars().count() <= 60)
        {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        if out.len() >= 12 {
            break;
        }
    }
    out
}

/// Link texts of taxonomy links: `rel` matches first, else links inside the containers whose
/// href contains one of `href_patterns`.
fn term_links(
    page: &Page<'_>,
    rel: &Selector,
    containers: &Selector,
    href_patterns: &[String],
) -> Vec<String> {
    let dom = page.dom;
    let texts = |nodes: &[NodeId]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &n in nodes {
            if let Some(t) = short_text(dom, n, 100) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    };
    let b = page.buckets(&[rel, containers]);
    let (Some(rel_matches), Some(boxes)) = (b.first(), b.get(1)) else {
        return Vec::new();
    };
    let t = texts(rel_matches);
    if !t.is_empty() {
        return t;
    }
    let mut links: Vec<NodeId> = Vec::new();
    for &bx in boxes {
        for n in dom.descendants(bx) {
            let taxonomy = dom.is(n, name::A)
                && !page.discarded(n)
                && dom.attr_by(n, name::HREF).is_some_and(|h| {
                    let h = h.to_ascii_lowercase();
                    href_patterns.iter().any(|p| h.contains(p.as_str()))
                });
            if taxonomy && !links.contains(&n) {
                links.push(n);
            }
        }
    }
    texts(&links)
}

/// Category names from `a[rel~=category]` or category containers.
pub fn category_links(page: &Page<'_>) -> Vec<String> {
    let r = page.rules;
    term_links(
        page,
        &r.category,
        &r.category_links,
        &r.cfg.category_href_patterns,
    )
}

/// Tag names from `a[rel~=tag]` or tag containers.
pub fn tag_links(page: &Page<'_>) -> Vec<String> {
    let r = page.rules;
    term_links(page, &r.tag, &r.tag_links, &r.cfg.tag_href_patterns)
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
    dom.index()
        .with_tag(name::A)
        .iter()
        .filter_map(|&n| dom.attr_by(n, name::HREF))
        .filter(|h| rules.is_license_href(h))
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
pub fn content_image(page: &Page<'_>) -> Option<String> {
    let (dom, rules) = (page.dom, page.rules);
    let buckets = page.buckets_of(&rules.content_image_containers);
    let container = buckets.iter().find_map(|b| b.first().copied())?;
    for n in dom.descendants(container) {
        if !dom.is(n, name::IMG) || page.discarded(n) {
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
        assert_eq!(
            only_h1(&Page::new(&d, &r.metadata)).as_deref(),
            Some("Story")
        );
        let d = dom("<h1>One</h1><h1>Two</h1>");
        assert_eq!(only_h1(&Page::new(&d, &r.metadata)), None);
    }

    #[test]
    fn bylines_skip_comments_and_group_siblings() {
        let r = rules();
        let d = dom(
            r#"<div class="meta"><span><a rel="author" href="/a">Ann</a></span>, <span><a rel="author" href="/b">Bob</a></span></div>
            <div id="comments"><a rel="author">Commenter</a></div>"#,
        );
        assert_eq!(bylines(&Page::new(&d, &r.metadata))[0], vec!["Ann", "Bob"]);
    }

    #[test]
    fn labelled_bylines_find_the_name_after_the_label() {
        let r = rules();
        let d = dom("<div><p>Written by</p><p>Edzel Tabing</p></div>");
        assert_eq!(
            labelled_bylines(&Page::new(&d, &r.metadata)),
            vec![vec!["Edzel Tabing".to_string()]]
        );
        let d = dom("<div><div>By</div><div>Summer Swann</div></div>");
        assert_eq!(
            labelled_bylines(&Page::new(&d, &r.metadata))[0],
            vec!["Summer Swann"]
        );
        let d = dom("<p>By Jane Roe</p>");
        assert_eq!(
            labelled_bylines(&Page::new(&d, &r.metadata))[0],
            vec!["Jane Roe"]
        );
        let d = dom("<p>İİİİ by Ann</p><p>BY İİ</p><p>Sort by date</p><p>by the way, nothing here</p><nav>By Nav Person</nav>");
        assert!(labelled_bylines(&Page::new(&d, &r.metadata)).is_empty());
    }

    #[test]
    fn date_scan_reads_labelled_dates_near_the_title() {
        let r = rules();
        let d = dom("<p>Menu 2024</p><h1>Title</h1><div><div>Last updated:</div><div>Dec 12, 2025</div></div><p>Published August 7, 2023</p>");
        let got = date_scan(&Page::new(&d, &r.metadata), 40);
        assert_eq!(got, vec!["Menu 2024", "Dec 12, 2025", "August 7, 2023"]);
    }

    #[test]
    fn taxonomy_links() {
        let r = rules();
        let d = dom(
            r#"<span class="cat-links"><a href="/category/news/" rel="category tag">News</a></span>
            <span class="tags-links"><a href="/tag/g20/" rel="tag">G20</a><a href="/tag/x/" rel="tag">X</a></span>
            <aside class="widget"><a href="/tag/z/" rel="tag">Z</a></aside>"#,
        );
        assert_eq!(category_links(&Page::new(&d, &r.metadata)), vec!["News"]);
        assert_eq!(tag_links(&Page::new(&d, &r.metadata)), vec!["G20", "X"]);
        let d = dom(
            r#"<div class="tags"><a href="/about/">About</a><a href="/tags/rust">Rust</a></div>"#,
        );
        assert_eq!(tag_links(&Page::new(&d, &r.metadata)), vec!["Rust"]);
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
        assert_eq!(
            content_image(&Page::new(&d, &r.metadata)).as_deref(),
            Some("/lead.jpg")
        );
    }

    #[test]
    fn times_from_header() {
        let r = rules();
        let d = dom(
            r#"<article><header><time class="entry-date published" datetime="2020-01-02T03:04:05+00:00">Jan 2</time>
            <time class="updated" datetime="2020-02-02">Feb 2</time></header></article>"#,
        );
        assert_eq!(
            published_times(&Page::new(&d, &r.metadata))[0],
            "2020-01-02T03:04:05+00:00"
        );
        assert_eq!(modified_times(&Page::new(&d, &r.metadata))[0], "2020-02-02");
    }

    #[test]
    fn after_label_matches_the_lowercase_comparison() {
        fn slow<'t>(t: &'t str, l: &str) -> Option<&'t str> {
            let head = t.get(..l.len())?;
            let rest = t.get(l.len()..)?;
            (head.to_lowercase() == l && rest.starts_with([' ', ':'])).then_some(rest)
        }
        for t in [
            "By Jane",
            "BY: Jane",
            "Byline",
            "by",
            "Écrit par X",
            "\u{212a}y x",
            "Von Ann",
        ] {
            for l in ["by", "von", "écrit par", "ky"] {
                assert_eq!(after_label(t, l), slow(t, l), "{t:?} {l:?}");
            }
        }
    }

    #[test]
    fn first_lowercase_matches_the_char_scan() {
        let slow = |t: &str| {
            t.chars()
                .find(|&c| !crate::dom::is_ws(c))
                .and_then(|c| c.to_lowercase().next())
        };
        for t in [
            "",
            " ",
            "\n\t  ",
            "By",
            "  \n Written by",
            "\u{a0}\u{200b} Écrit",
            " \u{feff}x",
            "\u{130}stanbul",
            "ß",
            "\u{2003}",
            " 7",
        ] {
            assert_eq!(first_lowercase(t), slow(t), "{t:?}");
        }
    }

    #[test]
    fn lowercased_contains_matches_lowercase_then_contains() {
        let slow = |h: &str, p: &str| h.to_ascii_lowercase().contains(p);
        for h in [
            "https://CreativeCommons.org/Licenses/by/4.0/",
            "x",
            "",
            "Ünï/licenses/",
        ] {
            for p in [
                "creativecommons.org/licenses/",
                "Licenses",
                "",
                "ünï/l",
                "nï/li",
            ] {
                assert_eq!(
                    crate::extract::text::contains_ascii_lower(h, p),
                    slow(h, p),
                    "{h:?} {p:?}"
                );
                let lower = p.to_ascii_lowercase();
                let searcher = super::super::LowerContains::new(&[lower.clone(), "zzz".into()]);
                assert_eq!(searcher.any_in(h), slow(h, &lower), "{h:?} {p:?}");
            }
        }
        // the configured patterns: the automaton agrees with scanning them one by one
        let r = rules();
        for h in [
            "https://CreativeCommons.org/Licenses/by/4.0/",
            "http://creativecommons.org/publicdomain/zero/1.0/",
            "https://creativecommons.org/about",
            "/licenses/",
            "",
        ] {
            let scan = r
                .metadata
                .cfg
                .license_href_patterns
                .iter()
                .any(|p| slow(h, p));
            assert_eq!(r.metadata.is_license_href(h), scan, "{h:?}");
        }
    }

    #[test]
    fn buckets_keep_document_order_and_skip_discarded_regions() {
        let r = rules();
        let d = dom(r#"<time class="published" datetime="2020-01-01">a</time>
            <div id="comments"><time class="published" datetime="2019-01-01">c</time></div>
            <noscript><time class="published" datetime="2018-01-01">n</time></noscript>
            <time class="published" datetime="2021-01-01">b</time>"#);
        let page = Page::new(&d, &r.metadata);
        let sel = crate::select::Selector::parse("time, .published").unwrap();
        let got: Vec<String> = page.buckets(&[&sel])[0]
            .iter()
            .map(|&n| d.attr_by(n, name::DATETIME).unwrap_or("").to_string())
            .collect();
        assert_eq!(got, vec!["2020-01-01", "2021-01-01"]);
    }
}
