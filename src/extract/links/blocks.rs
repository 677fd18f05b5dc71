//! Related / recirculation block detection (SCHEMA §6.2 step 3, §6.6 "Related blocks").
//!
//! Why it exists: the content stage must not read "You may also like" lists as article text,
//! and the classifier must know which container a link sits in. Passes, most specific first
//! (a node taken by one pass is never reconsidered):
//!
//! 1. plugin containers (Jetpack incl. the server-rendered `.jp-relatedposts-i2`, YARPP, CRP,
//!    Newspaper/tagDiv, Related Posts for WP, Outbrain, Taboola); an empty Jetpack/Outbrain/
//!    Taboola container is a script shell (`js_only`);
//! 2. previous/next post navigation (`adjacent`), including bare `rel=prev|next` pairs;
//! 3. containers named by class/id tokens (`related-posts`, `widget_recent_entries`, …);
//! 4. containers or sibling runs labelled by a lexicon heading (multilingual).
//!
//! Sitewide recent/popular widgets and sponsored recirculation are returned too (their links
//! become `navigation` / `sponsored`, never `related`).

use super::heading::{self, Family};
use super::Scan;
use crate::dom::{name, Dom, NodeId, NodeSet};
use crate::extract::{Cx, LinkBlock};
use crate::select::Selector;

/// Label of previous/next navigation blocks.
pub const ADJACENT: &str = "adjacent";

struct Found {
    blocks: Vec<LinkBlock>,
    taken: NodeSet,
}

impl Found {
    fn covers(&self, dom: &Dom, n: NodeId) -> bool {
        self.taken.covers(dom, n)
    }

    fn contains_taken(&self, dom: &Dom, n: NodeId) -> bool {
        self.blocks
            .iter()
            .any(|b| b.node != n && dom.is_inclusive_ancestor(n, b.node))
    }

    /// Free for a new block: not inside or around a found block, not in the comment area.
    fn free(&self, s: &Scan<'_>, n: NodeId) -> bool {
        !s.excluded.covers(s.dom, n) && !self.covers(s.dom, n) && !self.contains_taken(s.dom, n)
    }

    fn push(&mut self, b: LinkBlock) {
        self.taken.insert(b.node);
        self.blocks.push(b);
    }
}

/// Runs every pass; blocks come back in document order.
pub fn find(cx: &Cx<'_>, excluded: &NodeSet, targets: &super::Targets) -> Vec<LinkBlock> {
    let s = Scan::with_targets(cx, excluded, targets);
    let mut f = Found {
        blocks: Vec::new(),
        taken: NodeSet::for_dom(cx.dom),
    };
    plugin_pass(&s, &mut f);
    adjacent_pass(&s, &mut f);
    class_pass(&s, &mut f);
    heading_pass(&s, &mut f);
    let mut blocks = f.blocks;
    blocks.sort_by_key(|b| b.node);
    blocks
}

/// First non-empty short text of the plugin's heading selectors, tried in priority order.
fn plugin_heading(s: &Scan<'_>, n: NodeId, sels: &[Selector]) -> Option<String> {
    let dom = s.dom;
    for sel in sels {
        for h in sel.all(dom, n) {
            if !dom.is(h, name::A) && dom.ancestors(h).any(|a| a != n && dom.is(a, name::A)) {
                continue;
            }
            let w = s.stats(h).words;
            if w > 0 && w <= s.r.max_heading_words {
                return Some(dom.text_content(h));
            }
        }
    }
    None
}

/// A block heading directly before `n` (its previous element sibling), with its text.
fn preceding_heading(s: &Scan<'_>, n: NodeId) -> Option<(NodeId, String)> {
    let dom = s.dom;
    let mut x = dom.prev_sibling(n);
    while let Some(p) = x {
        let blank = dom.is_text(p) && dom.text(p).trim().is_empty()
            || dom.is_comment(p)
            || (dom.is_element(p) && s.stats(p).words == 0 && s.stats(p).links == 0);
        if blank {
            // whitespace, comments, spacers and empty wrappers between heading and block
            x = dom.prev_sibling(p);
            continue;
        }
        if !dom.is_element(p) {
            return None;
        }
        let t = heading::heading_text(s, p)?;
        heading::family_of(s, p, &t)?;
        return Some((p, t));
    }
    None
}

fn plugin_pass(s: &Scan<'_>, f: &mut Found) {
    let dom = s.dom;
    let body = dom.body();
    for p in &s.r.plugins {
        for n in p.selector.outermost(dom, body) {
            if !f.free(s, n) {
                continue;
            }
            let mut heading = plugin_heading(s, n, &p.heading);
            let mut extra = None;
            if heading.is_none() {
                if let Some((h, t)) = preceding_heading(s, n) {
                    if f.free(s, h) {
                        extra = Some(h);
                        heading = Some(t);
                    }
                }
            }
            let linked = s.stats(n).links > 0;
            let block = |node| LinkBlock {
                node,
                label: p.label.clone(),
                heading: heading.clone(),
                rule: format!("block:{}", p.label),
                js_only: p.shell && !linked,
                external: p.external,
            };
            if let Some(h) = extra {
                f.push(block(h));
            }
            f.push(block(n));
        }
    }
}

fn adjacent_block(node: NodeId) -> LinkBlock {
    LinkBlock {
        node,
        label: ADJACENT.into(),
        heading: None,
        rule: format!("block:{ADJACENT}"),
        js_only: false,
        external: false,
    }
}

fn is_prev_next(dom: &Dom, a: NodeId) -> bool {
    dom.attr_by(a, name::REL).is_some_and(|v| {
        v.split_ascii_whitespace().any(|t| {
            t.eq_ignore_ascii_case("prev")
                || t.eq_ignore_ascii_case("next")
                || t.eq_ignore_ascii_case("previous")
        })
    })
}

/// Every `<a rel=prev|next>` inside the body, in document order (= a `find_all` over the
/// body, read from the element index's `<a>` list).
fn prev_next_anchors(dom: &Dom) -> Vec<NodeId> {
    let body = dom.body();
    let ix = dom.index();
    match ix.inside(body) {
        Some(range) => ix
            .slice(ix.with_tag(name::A), &range)
            .iter()
            .copied()
            .filter(|&a| is_prev_next(dom, a))
            .collect(),
        None => dom.find_all(body, |a| dom.is(a, name::A) && is_prev_next(dom, a)),
    }
}

fn adjacent_pass(s: &Scan<'_>, f: &mut Found) {
    let (dom, r) = (s.dom, s.r);
    for n in r.adjacent.outermost(dom, dom.body()) {
        // Archive pagination also uses `.nav-links`: only article targets make it adjacent.
        let st = s.stats(n);
        if f.free(s, n) && st.articles > 0 && st.links <= r.adjacent_max_links {
            f.push(adjacent_block(n));
        }
    }
    // Bare `<a rel=prev|next>` pairs: lift to the small wrapper holding them.
    for a in prev_next_anchors(dom) {
        if !s.articles.contains(a) || !f.free(s, a) {
            continue;
        }
        let wrapper = dom.ancestors(a).find(|&w| {
            matches!(
                dom.tag(w),
                Some(
                    name::DIV
                        | name::P
                        | name::NAV
                        | name::UL
                        | name::SECTION
                        | name::FOOTER
                        | name::TD
                )
            )
        });
        let Some(w) = wrapper else { continue };
        let st = s.stats(w);
        if st.words <= r.adjacent_wrapper_max_words
            && st.links <= r.adjacent_max_links
            && f.free(s, w)
        {
            f.push(adjacent_block(w));
        }
    }
}

/// Tags that never form a block by class alone (inline, headings, links).
fn class_candidate_tag(dom: &Dom, n: NodeId) -> bool {
    !matches!(
        dom.tag(n),
        Some(
            name::A
                | name::SPAN
                | name::IMG
                | name::I
                | name::EM
                | name::STRONG
                | name::B
                | name::TIME
                | name::SMALL
                | name::H1
                | name::H2
                | name::H3
                | name::H4
                | name::H5
                | name::H6
                | name::BODY
                | name::HTML
                | name::MAIN
                | name::INPUT
                | name::BUTTON
                | name::FORM
        )
    ) && !dom.is_foreign(n)
}

/// Container tokens: `related` outranks the sitewide families here (a heading decides otherwise).
fn class_family(s: &Scan<'_>, n: NodeId) -> Option<Family> {
    heading::class_family(
        s,
        n,
        &[
            Family::Topics,
            Family::Related,
            Family::Sponsored,
            Family::Recent,
            Family::Popular,
        ],
    )
}

fn role_is(dom: &Dom, n: NodeId, roles: &[&str]) -> bool {
    dom.attr_by(n, name::ROLE)
        .is_some_and(|v| roles.iter().any(|r| v.eq_ignore_ascii_case(r)))
}

/// Inside page chrome where no article recommends anything: a menu or navigation landmark, or
/// the page-level header or footer (a `header`/`footer` inside an article, section or aside
/// is that part's own and fine).
fn in_site_chrome(dom: &Dom, n: NodeId) -> bool {
    const NAV_ROLES: &[&str] = &["navigation", "menu", "menubar", "banner"];
    if role_is(dom, n, NAV_ROLES) {
        return true;
    }
    let page_level = |a: NodeId| {
        !dom.ancestors(a).any(|x| {
            matches!(
                dom.tag(x),
                Some(name::ARTICLE | name::MAIN | name::SECTION | name::ASIDE)
            ) || role_is(dom, x, &["main"])
        })
    };
    let header_footer = |a: NodeId| {
        (matches!(dom.tag(a), Some(name::HEADER | name::FOOTER))
            || role_is(dom, a, &["contentinfo"]))
            && page_level(a)
    };
    header_footer(n)
        || dom
            .ancestors(n)
            .any(|a| dom.is(a, name::NAV) || role_is(dom, a, NAV_ROLES) || header_footer(a))
}

/// When a sibling of a matching item matches too (`li.related-post` × 3), the list is the block.
fn lift_items(s: &Scan<'_>, n: NodeId, fam: Family) -> NodeId {
    let dom = s.dom;
    let Some(p) = dom.parent(n) else { return n };
    if matches!(dom.tag(p), Some(name::BODY | name::HTML) | None) {
        return n;
    }
    let sibling =
        |c: Option<NodeId>| c.is_some_and(|c| dom.is_element(c) && class_family(s, c) == Some(fam));
    let prev = dom.prev_sibling(n).and_then(|x| {
        if dom.is_element(x) {
            Some(x)
        } else {
            dom.prev_sibling(x)
        }
    });
    let next = dom.next_sibling(n).and_then(|x| {
        if dom.is_element(x) {
            Some(x)
        } else {
            dom.next_sibling(x)
        }
    });
    if sibling(prev) || sibling(next) {
        p
    } else {
        n
    }
}

fn generic_block(node: NodeId, fam: Family, heading: Option<String>, how: &str) -> LinkBlock {
    LinkBlock {
        node,
        label: fam.label().into(),
        heading,
        rule: format!("{how}:{}", fam.label()),
        js_only: false,
        external: false,
    }
}

/// The first heading inside `n` before its first link.
fn inner_heading(s: &Scan<'_>, n: NodeId) -> Option<String> {
    let dom = s.dom;
    for d in dom.descendants(n) {
        if dom.is(d, name::A) {
            return None;
        }
        if let Some(t) = heading::heading_text(s, d) {
            return Some(t);
        }
    }
    None
}

fn class_pass(s: &Scan<'_>, f: &mut Found) {
    let (dom, r) = (s.dom, s.r);
    let mut it = dom.descendants(dom.body());
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if s.excluded.contains(n) || f.taken.contains(n) || s.marks.skipped(n) {
            it.skip_subtree(n);
            continue;
        }
        if !class_candidate_tag(dom, n) {
            continue;
        }
        let Some(fam) = class_family(s, n) else {
            continue;
        };
        if f.covers(dom, n) {
            it.skip_subtree(n);
            continue;
        }
        let node = lift_items(s, n, fam);
        if !f.free(s, node) || in_site_chrome(dom, node) {
            continue;
        }
        let need = match fam {
            Family::Sponsored => r.sponsored_block_min_links,
            _ => r.class_block_min_links,
        };
        if heading::count_block_links(s, node, None, fam) < need
            || !heading::block_shape_ok(s, node)
        {
            continue;
        }
        let mut heading = inner_heading(s, node);
        let mut heading_node = None;
        if heading.is_none() {
            if let Some((h, t)) = preceding_heading(s, node) {
                if f.free(s, h) {
                    heading_node = Some(h);
                    heading = Some(t);
                }
            }
        }
        // The visible heading names the family better than a class ("Most Popular" inside a
        // `related-content` wrapper).
        let fam = heading
            .as_deref()
            .and_then(|t| heading::family_of_text(t, r))
            .unwrap_or(fam);
        if let Some(h) = heading_node {
            f.push(generic_block(h, fam, heading.clone(), "class"));
        }
        f.push(generic_block(node, fam, heading, "class"));
        it.skip_subtree(n);
    }
}

fn heading_pass(s: &Scan<'_>, f: &mut Found) {
    let dom = s.dom;
    let mut it = dom.descendants(dom.body());
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if s.excluded.contains(n) || f.taken.contains(n) || s.marks.skipped(n) || dom.is(n, name::A)
        {
            it.skip_subtree(n);
            continue;
        }
        let Some(text) = heading::heading_text(s, n) else {
            continue;
        };
        it.skip_subtree(n);
        let Some(fam) = heading::family_of(s, n, &text) else {
            continue;
        };
        if f.covers(dom, n) {
            continue;
        }
        let Some(nodes) = heading::heading_block(s, n, fam, &f.taken) else {
            continue;
        };
        if nodes.iter().any(|&b| in_site_chrome(dom, b)) {
            continue;
        }
        for node in nodes {
            if !f.covers(dom, node) {
                f.push(generic_block(node, fam, Some(text.clone()), "heading"));
            }
        }
    }
}
