//! Block headings: which elements label a block, what family the label names (related,
//! recent, popular, sponsored), and which container or sibling run the heading labels.
//!
//! Why it exists: most related blocks are not made by a known plugin; what they share is a
//! short heading ("You may also like", "Lesen Sie auch", "関連記事") at the start of a small,
//! link-dense container, or directly above a list of links inside the body. These functions
//! find that structure without any per-site rule.

use super::rules::LinkRules;
use super::Scan;
use crate::dom::{name, Dom, NodeId, NodeSet};

/// What a heading or class says a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Related articles (`related_generic`).
    Related,
    /// Sitewide recent posts (navigation).
    Recent,
    /// Sitewide popular posts (navigation).
    Popular,
    /// Sponsored recirculation.
    Sponsored,
    /// Topic / tag / search-suggestion lists (navigation).
    Topics,
}

impl Family {
    /// `links.block` label of a generic block of this family.
    pub fn label(self) -> &'static str {
        match self {
            Family::Related => "related_generic",
            Family::Recent => "recent_posts",
            Family::Popular => "popular_posts",
            Family::Sponsored => "sponsored",
            Family::Topics => "topics",
        }
    }
}

fn is_h_tag(dom: &Dom, n: NodeId) -> bool {
    matches!(
        dom.tag(n),
        Some(name::H1 | name::H2 | name::H3 | name::H4 | name::H5 | name::H6)
    )
}

fn is_inline_format(dom: &Dom, n: NodeId) -> bool {
    matches!(
        dom.tag(n),
        Some(name::STRONG | name::B | name::EM | name::I | name::SPAN | name::U | name::SMALL)
    )
}

/// A paragraph that reads as a label: its whole content is emphasised text
/// (`<p><strong>Related:</strong></p>`), or plain text ending with a colon (`<p>See also:</p>`).
fn is_label_paragraph(dom: &Dom, n: NodeId) -> bool {
    if !matches!(dom.tag(n), Some(name::P | name::DIV)) {
        return false;
    }
    let mut emphasised = false;
    let mut plain = false;
    for c in dom.children(n) {
        if dom.is_text(c) {
            plain |= !dom.text(c).trim().is_empty();
        } else if dom.is_element(c) {
            if !is_inline_format(dom, c) {
                return false;
            }
            emphasised = true;
        }
    }
    (emphasised && !plain) || dom.text_content(n).trim_end().ends_with(':')
}

/// The heading text of `n` when it can label a block: `h1`–`h6`, `role=heading`, an element
/// with a heading class token, or a label paragraph; short, and free of real links.
pub(crate) fn heading_text(s: &Scan<'_>, n: NodeId) -> Option<String> {
    let (dom, r) = (s.dom, s.r);
    if !dom.is_element(n) || dom.is_foreign(n) || dom.is(n, name::A) {
        return None;
    }
    let st = s.stats(n);
    if st.links > 0 || st.words == 0 || st.words > r.max_heading_words {
        return None;
    }
    let candidate = is_h_tag(dom, n)
        || dom
            .attr_by(n, name::ROLE)
            .is_some_and(|v| v.eq_ignore_ascii_case("heading"))
        || s.has(n, &r.heading_class)
        || is_label_paragraph(dom, n);
    if !candidate || dom.ancestors(n).take(4).any(|a| dom.is(a, name::A)) {
        return None;
    }
    let text = dom.text_content(n);
    let w = text.split_whitespace().count();
    (w > 0 && w <= r.max_heading_words).then_some(text)
}

/// The family a heading text or heading class names (topics > sponsored > recent > popular >
/// related: "Related topics" is a tag list, "Latest" a sitewide widget).
pub(crate) fn family_of(s: &Scan<'_>, n: NodeId, text: &str) -> Option<Family> {
    family_of_text(text, s.r).or_else(|| {
        class_family(
            s,
            n,
            &[
                Family::Topics,
                Family::Sponsored,
                Family::Recent,
                Family::Popular,
                Family::Related,
            ],
        )
    })
}

/// The first family of `order` whose class/id tokens the element carries.
pub(crate) fn class_family(s: &Scan<'_>, n: NodeId, order: &[Family]) -> Option<Family> {
    let r = s.r;
    if !s.has(n, &r.any_family_class) {
        return None;
    }
    order.iter().copied().find(|f| {
        let tokens = match f {
            Family::Topics => &r.topics_class,
            Family::Related => &r.related_class,
            Family::Sponsored => &r.sponsored_class,
            Family::Recent => &r.recent_class,
            Family::Popular => &r.popular_class,
        };
        s.has(n, tokens)
    })
}

/// The family a heading text names, by the lexicons alone.
pub fn family_of_text(text: &str, r: &LinkRules) -> Option<Family> {
    let label = super::rules::normalize_label(text);
    let text = label.as_str();
    if r.topics_headings.matches_label(text).is_some() {
        Some(Family::Topics)
    } else if r.sponsored_headings.matches_label(text).is_some() {
        Some(Family::Sponsored)
    } else if r.recent_headings.matches_label(text).is_some() {
        Some(Family::Recent)
    } else if r.popular_headings.matches_label(text).is_some() {
        Some(Family::Popular)
    } else if r.related_headings.matches_label(text).is_some() {
        Some(Family::Related)
    } else {
        None
    }
}

/// Links under `root` (outside `skip`) that count for a block of `family`: article links of
/// this site, or any real link for sponsored blocks.
pub(crate) fn count_block_links(
    s: &Scan<'_>,
    root: NodeId,
    skip: Option<NodeId>,
    family: Family,
) -> usize {
    let count = |n: NodeId| {
        let st = s.stats(n);
        match family {
            Family::Sponsored | Family::Topics => st.links,
            _ => st.articles,
        }
    };
    count(root).saturating_sub(skip.map_or(0, count))
}

/// True when nothing visible precedes `h` inside `p` (the block starts with its heading).
pub fn starts_with(dom: &Dom, p: NodeId, h: NodeId) -> bool {
    let mut it = dom.descendants(p);
    while let Some(d) = it.next() {
        if d == h {
            return true;
        }
        if dom.is_text(d) && !dom.text(d).trim().is_empty() {
            return false;
        }
        if dom.is(d, name::IMG) || super::is_skipped(dom, d) {
            it.skip_subtree(d);
        }
    }
    false
}

/// The geometry test for a candidate block: small, link-dense, no page title, no excluded area.
pub(crate) fn block_shape_ok(s: &Scan<'_>, n: NodeId) -> bool {
    let (dom, r) = (s.dom, s.r);
    if matches!(dom.tag(n), Some(name::BODY | name::HTML | name::MAIN)) {
        return false;
    }
    let st = s.stats(n);
    let heavy = st.nonlink_words() > r.block_light_nonlink_words;
    !st.has_h1
        && st.links <= r.block_max_links
        && st.nonlink_words() <= r.block_max_nonlink_words
        && st.link_density() >= r.block_min_link_density
        && (!heavy
            || (st.articles >= r.heavy_block_min_articles
                && st.link_density() >= r.heavy_block_min_link_density))
        && !dom.descendants(n).any(|d| s.excluded.contains(d))
}

fn min_links(family: Family, r: &LinkRules) -> usize {
    match family {
        Family::Sponsored => r.sponsored_block_min_links,
        _ => r.heading_block_min_links,
    }
}

/// The nodes a heading labels: its smallest enclosing container that starts with it and holds
/// enough links, else the heading followed by a run of link-dominated siblings.
pub(crate) fn heading_block(
    s: &Scan<'_>,
    h: NodeId,
    family: Family,
    taken: &NodeSet,
) -> Option<Vec<NodeId>> {
    let (dom, r) = (s.dom, s.r);
    let need = min_links(family, r);
    let mut cur = h;
    for _ in 0..r.heading_climb_max_levels {
        let Some(p) = dom.parent(cur) else { break };
        if !dom.is_element(p) || matches!(dom.tag(p), Some(name::BODY | name::HTML)) {
            break;
        }
        if s.excluded.contains(p) || taken.contains(p) {
            return None;
        }
        if count_block_links(s, p, Some(h), family) >= need {
            if block_shape_ok(s, p) && starts_with(dom, p, h) && !contains_taken(dom, p, taken) {
                return Some(vec![p]);
            }
            break;
        }
        if s.stats(p).links > r.block_max_links {
            break;
        }
        cur = p;
    }
    sibling_run(s, h, family, need)
}

fn contains_taken(dom: &Dom, p: NodeId, taken: &NodeSet) -> bool {
    dom.descendants(p).any(|d| taken.contains(d))
}

/// Lifts a heading to the outermost wrapper that holds nothing but the heading's text.
fn lift_heading(s: &Scan<'_>, h: NodeId) -> NodeId {
    let dom = s.dom;
    let words = s.stats(h).words;
    let text = dom.text_content(h);
    let mut cur = h;
    while let Some(p) = dom.parent(cur) {
        if !dom.is_element(p) || matches!(dom.tag(p), Some(name::BODY | name::HTML)) {
            break;
        }
        let st = s.stats(p);
        if st.words != words || st.links > 0 || dom.text_content(p) != text {
            break;
        }
        cur = p;
    }
    cur
}

/// `<h3>Related</h3><ul>…</ul>` inside a larger container: the heading and the link-dominated
/// siblings (link lists, card grids) that follow it.
fn sibling_run(s: &Scan<'_>, h: NodeId, family: Family, need: usize) -> Option<Vec<NodeId>> {
    let (dom, r) = (s.dom, s.r);
    let start = lift_heading(s, h);
    let mut run = vec![start];
    let mut links = 0;
    let mut x = dom.next_sibling(start);
    while let Some(e) = x {
        x = dom.next_sibling(e);
        if dom.is_text(e) {
            if dom.text(e).trim().is_empty() {
                continue;
            }
            break;
        }
        if !dom.is_element(e) || s.marks.skipped(e) {
            continue;
        }
        if is_h_tag(dom, e) || heading_text(s, e).is_some() {
            break;
        }
        let st = s.stats(e);
        if st.words == 0 && st.links == 0 {
            continue;
        }
        let link_dominated = (st.link_words as f64) >= r.run_min_link_text_ratio * st.words as f64;
        let card_list = st.links >= 2
            && !dom.is(e, name::P)
            && st.links <= r.block_max_links
            && st.nonlink_words() <= r.block_max_nonlink_words
            && st.link_density() >= r.block_min_link_density;
        if st.links == 0 || st.links > r.block_max_links || !(link_dominated || card_list) {
            break;
        }
        links += count_block_links(s, e, None, family);
        run.push(e);
    }
    (links >= need && run.len() > 1).then_some(run)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn with_scan<T>(html: &str, f: impl FnOnce(&Scan<'_>, &dyn Fn(&str) -> NodeId) -> T) -> T {
        let d = dom(html);
        let c = cx(&d, Some("https://site.com/story/"));
        let none = NodeSet::for_dom(&d);
        let s = Scan::new(&c, &none);
        f(&s, &|id| by_id(&d, id))
    }

    fn block_for(html: &str, h: &str) -> Option<usize> {
        with_scan(html, |s, id| {
            let taken = NodeSet::for_dom(s.dom);
            heading_block(s, id(h), Family::Related, &taken).map(|v| v.len())
        })
    }

    #[test]
    fn heading_candidates() {
        let html = r#"<h3 id=a>Related posts</h3><p id=b><strong>Lesen Sie auch:</strong></p>
            <p id=c>Related to this, the minister said many things about the budget today.</p>
            <div id=d class="widget-title"><span>Latest Articles</span></div>
            <h3 id=e><a href="/x">Related reading list</a></h3>"#;
        with_scan(html, |s, id| {
            assert_eq!(heading_text(s, id("a")).as_deref(), Some("Related posts"));
            assert_eq!(heading_text(s, id("b")).as_deref(), Some("Lesen Sie auch:"));
            assert_eq!(heading_text(s, id("c")), None);
            let t = heading_text(s, id("d")).unwrap();
            assert_eq!(family_of(s, id("d"), &t), Some(Family::Recent));
            assert_eq!(heading_text(s, id("e")), None);
        });
    }

    #[test]
    fn container_or_sibling_run() {
        let html = r#"<div class="entry-content" id=body>
            <p>Long article text about the summit and what the ministers said there, with a
            lot of words that are not links at all and would make any block too heavy.</p>
            <h3 id=h>You may also like</h3>
            <ul id=list><li><a href="/one/">One</a></li><li><a href="/two/">Two</a></li></ul>
            <p id=after>More prose after the list, which is not part of the block at all.</p>
            </div>
            <aside><div id=box><h4 id=h2>Read also</h4><a href="/three/">Three</a> <a href="/four/">Four</a></div></aside>"#;
        with_scan(html, |s, id| {
            let taken = NodeSet::for_dom(s.dom);
            let run = heading_block(s, id("h"), Family::Related, &taken).unwrap();
            assert_eq!(run, vec![id("h"), id("list")]);
            let boxed = heading_block(s, id("h2"), Family::Related, &taken).unwrap();
            assert_eq!(boxed, vec![id("box")]);
        });
    }

    #[test]
    fn heading_over_prose_is_not_a_block() {
        let html = r#"<div><h2 id=h>Related developments</h2><p>The talks continued on Monday with
            <a href="/a/">one link</a> inside a long paragraph of text that carries on and on
            and on with many more words than any list of links would.</p><p>Another <a href="/b/">link</a>
            in more running prose that makes up the article body itself.</p></div>"#;
        assert_eq!(block_for(html, "h"), None);
    }

    #[test]
    fn card_grid_with_excerpts_after_a_heading() {
        let html = r#"<main><p>Article text that runs on for a while about the matter at hand and more.</p>
            <p>And a second paragraph with further words so the main column is heavy.</p>
            <h2 id=h>Related</h2><div id=grid>
            <article><a href="/a/">Alpha story title here</a><p>An excerpt of twenty words or so that describes the story in a sentence.</p></article>
            <article><a href="/b/">Beta story title here</a><p>Another excerpt of twenty words or so describing that other story too.</p></article>
            </div><p>Closing prose of the main column that is not part of the block.</p></main>"#;
        assert_eq!(block_for(html, "h"), Some(2));
    }

    #[test]
    fn plain_label_paragraph_with_colon() {
        let html = r#"<div class=entry><p>Body text of the post that goes on for a number of words here.</p>
            <p id=h>See also:</p><ul><li><a href="/a/">A</a></li><li><a href="/b/">B</a></li></ul></div>"#;
        assert_eq!(block_for(html, "h"), Some(2));
    }
}
