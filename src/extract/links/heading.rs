//! Block headings: which elements label a block, what family the label names (related,
//! recent, popular, sponsored), and which container or sibling run the heading labels.
//!
//! Why it exists: most related blocks are not made by a known plugin; what they share is a
//! short heading ("You may also like", "Lesen Sie auch", "関連記事") at the start of a small,
//! link-dense container, or directly above a list of links inside the body. These functions
//! find that structure without any per-site rule.

use super::rules::LinkRules;
use super::{real_href, stats, Page};
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
}

impl Family {
    /// `links.block` label of a generic block of this family.
    pub fn label(self) -> &'static str {
        match self {
            Family::Related => "related_generic",
            Family::Recent => "recent_posts",
            Family::Popular => "popular_posts",
            Family::Sponsored => "sponsored",
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

/// A paragraph whose whole content is emphasised text (`<p><strong>Related:</strong></p>`).
fn is_emphasis_only(dom: &Dom, n: NodeId) -> bool {
    if !matches!(dom.tag(n), Some(name::P | name::DIV)) {
        return false;
    }
    let mut any = false;
    for c in dom.children(n) {
        if dom.is_text(c) {
            if !dom.text(c).trim().is_empty() {
                return false;
            }
        } else if dom.is_element(c) {
            if !is_inline_format(dom, c) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// The heading text of `n` when it can label a block: `h1`–`h6`, `role=heading`, an element
/// with a heading class token, or an emphasis-only paragraph; short, and free of real links.
pub fn heading_text(dom: &Dom, n: NodeId, r: &LinkRules) -> Option<String> {
    if !dom.is_element(n) || dom.is_foreign(n) || dom.is(n, name::A) {
        return None;
    }
    let candidate = is_h_tag(dom, n)
        || dom
            .attr_by(n, name::ROLE)
            .is_some_and(|v| v.eq_ignore_ascii_case("heading"))
        || r.heading_class.matches(dom, n, &r.taxonomy_prefixes)
        || is_emphasis_only(dom, n);
    if !candidate {
        return None;
    }
    if dom.find(n, |d| real_href(dom, d).is_some()).is_some()
        || dom.ancestors(n).take(4).any(|a| dom.is(a, name::A))
    {
        return None;
    }
    let text = dom.text_content(n);
    let w = text.split_whitespace().count();
    (w > 0 && w <= r.max_heading_words).then_some(text)
}

/// The family a heading text or heading class names (sponsored > recent > popular > related).
pub fn family_of(dom: &Dom, n: NodeId, text: &str, r: &LinkRules) -> Option<Family> {
    let ig = &r.taxonomy_prefixes;
    if r.sponsored_headings.matches(text).is_some() || r.sponsored_class.matches(dom, n, ig) {
        Some(Family::Sponsored)
    } else if r.recent_headings.matches(text).is_some() || r.recent_class.matches(dom, n, ig) {
        Some(Family::Recent)
    } else if r.popular_headings.matches(text).is_some() || r.popular_class.matches(dom, n, ig) {
        Some(Family::Popular)
    } else if r.related_headings.matches(text).is_some() || r.related_class.matches(dom, n, ig) {
        Some(Family::Related)
    } else {
        None
    }
}

/// Links under `root` (outside `skip`) that count for a block of `family`: article links of
/// this site, or any real link for sponsored blocks.
pub(crate) fn count_block_links(
    dom: &Dom,
    root: NodeId,
    skip: Option<NodeId>,
    family: Family,
    page: &Page<'_>,
    r: &LinkRules,
) -> usize {
    let mut n = 0;
    let mut it = dom.descendants(root);
    while let Some(d) = it.next() {
        if Some(d) == skip || super::is_skipped(dom, d) {
            it.skip_subtree(d);
            continue;
        }
        if dom.is(d, name::A) {
            let ok = match family {
                Family::Sponsored => real_href(dom, d).is_some(),
                _ => page.article_target(dom, d, r).is_some(),
            };
            n += usize::from(ok);
            it.skip_subtree(d);
        }
    }
    n
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
pub(crate) fn block_shape_ok(dom: &Dom, n: NodeId, excluded: &NodeSet, r: &LinkRules) -> bool {
    if matches!(dom.tag(n), Some(name::BODY | name::HTML | name::MAIN)) {
        return false;
    }
    let st = stats(dom, n);
    !st.has_h1
        && st.links <= r.block_max_links
        && st.nonlink_words() <= r.block_max_nonlink_words
        && st.link_density() >= r.block_min_link_density
        && !dom.descendants(n).any(|d| excluded.contains(d))
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
    dom: &Dom,
    h: NodeId,
    family: Family,
    page: &Page<'_>,
    excluded: &NodeSet,
    taken: &NodeSet,
    r: &LinkRules,
) -> Option<Vec<NodeId>> {
    let need = min_links(family, r);
    let mut cur = h;
    for _ in 0..r.heading_climb_max_levels {
        let Some(p) = dom.parent(cur) else { break };
        if !dom.is_element(p) || matches!(dom.tag(p), Some(name::BODY | name::HTML)) {
            break;
        }
        if excluded.contains(p) || taken.contains(p) {
            return None;
        }
        if count_block_links(dom, p, Some(h), family, page, r) >= need {
            if starts_with(dom, p, h)
                && block_shape_ok(dom, p, excluded, r)
                && !contains_taken(dom, p, taken)
            {
                return Some(vec![p]);
            }
            break;
        }
        cur = p;
    }
    sibling_run(dom, h, family, page, r, need)
}

fn contains_taken(dom: &Dom, p: NodeId, taken: &NodeSet) -> bool {
    dom.descendants(p).any(|d| taken.contains(d))
}

/// Lifts a heading to the outermost wrapper that holds nothing but the heading's text.
fn lift_heading(dom: &Dom, h: NodeId) -> NodeId {
    let text = dom.text_content(h);
    let mut s = h;
    while let Some(p) = dom.parent(s) {
        if !dom.is_element(p) || matches!(dom.tag(p), Some(name::BODY | name::HTML)) {
            break;
        }
        if dom.text_content(p) != text || dom.find(p, |d| real_href(dom, d).is_some()).is_some() {
            break;
        }
        s = p;
    }
    s
}

/// `<h3>Related</h3><ul>…</ul>` inside a larger container: the heading and the link-dominated
/// siblings that follow it.
fn sibling_run(
    dom: &Dom,
    h: NodeId,
    family: Family,
    page: &Page<'_>,
    r: &LinkRules,
    need: usize,
) -> Option<Vec<NodeId>> {
    let s = lift_heading(dom, h);
    let mut run = vec![s];
    let mut links = 0;
    let mut x = dom.next_sibling(s);
    while let Some(e) = x {
        x = dom.next_sibling(e);
        if dom.is_text(e) {
            if dom.text(e).trim().is_empty() {
                continue;
            }
            break;
        }
        if !dom.is_element(e) || super::is_skipped(dom, e) {
            continue;
        }
        if is_h_tag(dom, e) || heading_text(dom, e, r).is_some() {
            break;
        }
        let st = stats(dom, e);
        if st.words == 0 && st.links == 0 {
            continue;
        }
        if st.links == 0 || (st.link_words as f64) < r.run_min_link_text_ratio * st.words as f64 {
            break;
        }
        links += count_block_links(dom, e, None, family, page, r);
        run.push(e);
    }
    (links >= need && run.len() > 1).then_some(run)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    #[test]
    fn heading_candidates() {
        let r = &rules().links;
        let d = dom(
            r#"<h3 id=a>Related posts</h3><p id=b><strong>Lesen Sie auch:</strong></p>
            <p id=c>Related to this, the minister said many things about the budget today.</p>
            <div id=d class="widget-title"><span>Latest Articles</span></div>
            <h3 id=e><a href="/x">Related reading list</a></h3>"#,
        );
        assert_eq!(
            heading_text(&d, by_id(&d, "a"), r).as_deref(),
            Some("Related posts")
        );
        assert_eq!(
            heading_text(&d, by_id(&d, "b"), r).as_deref(),
            Some("Lesen Sie auch:")
        );
        assert_eq!(heading_text(&d, by_id(&d, "c"), r), None);
        let t = heading_text(&d, by_id(&d, "d"), r).unwrap();
        assert_eq!(family_of(&d, by_id(&d, "d"), &t, r), Some(Family::Recent));
        assert_eq!(heading_text(&d, by_id(&d, "e"), r), None);
    }

    #[test]
    fn container_or_sibling_run() {
        let r = &rules().links;
        let d = dom(r#"<div class="entry-content" id=body>
            <p>Long article text about the summit and what the ministers said there, with a
            lot of words that are not links at all and would make any block too heavy.</p>
            <h3 id=h>You may also like</h3>
            <ul id=list><li><a href="/one/">One</a></li><li><a href="/two/">Two</a></li></ul>
            <p id=after>More prose after the list, which is not part of the block at all.</p>
            </div>
            <aside><div id=box><h4 id=h2>Read also</h4><a href="/three/">Three</a> <a href="/four/">Four</a></div></aside>"#);
        let c = cx(&d, Some("https://site.com/story/"));
        let page = Page::new(&c);
        let none = NodeSet::for_dom(&d);
        let run =
            heading_block(&d, by_id(&d, "h"), Family::Related, &page, &none, &none, r).unwrap();
        assert_eq!(run, vec![by_id(&d, "h"), by_id(&d, "list")]);
        let boxed =
            heading_block(&d, by_id(&d, "h2"), Family::Related, &page, &none, &none, r).unwrap();
        assert_eq!(boxed, vec![by_id(&d, "box")]);
    }

    #[test]
    fn heading_over_prose_is_not_a_block() {
        let r = &rules().links;
        let d = dom(
            r#"<div><h2 id=h>Related developments</h2><p>The talks continued on Monday with
            <a href="/a/">one link</a> inside a long paragraph of text that carries on and on
            and on with many more words than any list of links would.</p><p>Another <a href="/b/">link</a>
            in more running prose that makes up the article body itself.</p></div>"#,
        );
        let c = cx(&d, Some("https://site.com/story/"));
        let page = Page::new(&c);
        let none = NodeSet::for_dom(&d);
        assert_eq!(
            heading_block(&d, by_id(&d, "h"), Family::Related, &page, &none, &none, r),
            None
        );
    }
}
