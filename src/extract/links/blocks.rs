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
use super::rules::LinkRules;
use super::{real_href, stats, Page};
use crate::dom::{name, Dom, NodeId, NodeSet};
use crate::extract::{Cx, LinkBlock};

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

    fn push(&mut self, b: LinkBlock) {
        self.taken.insert(b.node);
        self.blocks.push(b);
    }
}

/// Runs every pass; blocks come back in document order.
pub fn find(cx: &Cx<'_>, excluded: &NodeSet) -> Vec<LinkBlock> {
    let dom = cx.dom;
    let r = &cx.rules.links;
    let page = Page::new(cx);
    let mut f = Found {
        blocks: Vec::new(),
        taken: NodeSet::for_dom(dom),
    };
    plugin_pass(dom, r, excluded, &mut f);
    adjacent_pass(dom, r, &page, excluded, &mut f);
    class_pass(dom, r, &page, excluded, &mut f);
    heading_pass(dom, r, &page, excluded, &mut f);
    let mut blocks = f.blocks;
    blocks.sort_by_key(|b| b.node);
    blocks
}

/// First non-empty short text of the plugin's heading selectors, tried in priority order.
fn plugin_heading(
    dom: &Dom,
    n: NodeId,
    sels: &[crate::select::Selector],
    r: &LinkRules,
) -> Option<String> {
    for s in sels {
        for h in s.all(dom, n) {
            if dom.ancestors(h).any(|a| a != n && dom.is(a, name::A)) && !dom.is(h, name::A) {
                continue;
            }
            let t = dom.text_content(h);
            let w = t.split_whitespace().count();
            if w > 0 && w <= r.max_heading_words {
                return Some(t);
            }
        }
    }
    None
}

/// A heading directly before `n` (previous element sibling) that names a block of `family`
/// or any related family; returned with its text.
fn preceding_heading(dom: &Dom, n: NodeId, r: &LinkRules) -> Option<(NodeId, String)> {
    let mut x = dom.prev_sibling(n);
    while let Some(p) = x {
        if dom.is_text(p) && dom.text(p).trim().is_empty() || dom.is_comment(p) {
            x = dom.prev_sibling(p);
            continue;
        }
        if !dom.is_element(p) {
            return None;
        }
        let t = heading::heading_text(dom, p, r)?;
        heading::family_of(dom, p, &t, r)?;
        return Some((p, t));
    }
    None
}

fn has_real_link(dom: &Dom, n: NodeId) -> bool {
    dom.find(n, |d| real_href(dom, d).is_some()).is_some()
}

fn plugin_pass(dom: &Dom, r: &LinkRules, excluded: &NodeSet, f: &mut Found) {
    let body = dom.body();
    for p in &r.plugins {
        for n in p.selector.outermost(dom, body) {
            if excluded.covers(dom, n) || f.covers(dom, n) || f.contains_taken(dom, n) {
                continue;
            }
            let mut heading = plugin_heading(dom, n, &p.heading, r);
            let mut extra = None;
            if heading.is_none() {
                if let Some((h, t)) = preceding_heading(dom, n, r) {
                    if !f.covers(dom, h) && !excluded.covers(dom, h) {
                        extra = Some(h);
                        heading = Some(t);
                    }
                }
            }
            let linked = has_real_link(dom, n);
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

fn adjacent_pass(dom: &Dom, r: &LinkRules, page: &Page<'_>, excluded: &NodeSet, f: &mut Found) {
    let body = dom.body();
    for n in r.adjacent.outermost(dom, body) {
        if excluded.covers(dom, n) || f.covers(dom, n) || f.contains_taken(dom, n) {
            continue;
        }
        // Archive pagination also uses `.nav-links`: only article targets make it adjacent.
        if dom
            .find(n, |a| page.article_target(dom, a, r).is_some())
            .is_some()
        {
            f.push(adjacent_block(n));
        }
    }
    // Bare `<a rel=prev|next>` pairs: lift to the small wrapper holding them.
    let anchors: Vec<NodeId> = dom.find_all(body, |a| dom.is(a, name::A) && is_prev_next(dom, a));
    for a in anchors {
        if excluded.covers(dom, a) || f.covers(dom, a) || page.article_target(dom, a, r).is_none() {
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
        let st = stats(dom, w);
        if st.words <= r.adjacent_wrapper_max_words
            && st.links <= 4
            && !f.covers(dom, w)
            && !f.contains_taken(dom, w)
            && !excluded.covers(dom, w)
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

fn class_family(dom: &Dom, n: NodeId, r: &LinkRules) -> Option<Family> {
    let ig = &r.taxonomy_prefixes;
    if r.related_class.matches(dom, n, ig) {
        Some(Family::Related)
    } else if r.sponsored_class.matches(dom, n, ig) {
        Some(Family::Sponsored)
    } else if r.recent_class.matches(dom, n, ig) {
        Some(Family::Recent)
    } else if r.popular_class.matches(dom, n, ig) {
        Some(Family::Popular)
    } else {
        None
    }
}

/// When the siblings of a matching item match too (`li.related-post` × 3), the list is the block.
fn lift_items(dom: &Dom, n: NodeId, fam: Family, r: &LinkRules) -> NodeId {
    let Some(p) = dom.parent(n) else { return n };
    if matches!(dom.tag(p), Some(name::BODY | name::HTML) | None) {
        return n;
    }
    let same = dom
        .element_children(p)
        .filter(|&c| c != n && class_family(dom, c, r) == Some(fam))
        .count();
    if same >= 1 {
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
fn inner_heading(dom: &Dom, n: NodeId, r: &LinkRules) -> Option<String> {
    for d in dom.descendants(n) {
        if dom.is(d, name::A) {
            return None;
        }
        if let Some(t) = heading::heading_text(dom, d, r) {
            return Some(t);
        }
    }
    None
}

fn class_pass(dom: &Dom, r: &LinkRules, page: &Page<'_>, excluded: &NodeSet, f: &mut Found) {
    let body = dom.body();
    let mut it = dom.descendants(body);
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if excluded.contains(n) || f.taken.contains(n) || super::is_skipped(dom, n) {
            it.skip_subtree(n);
            continue;
        }
        if !class_candidate_tag(dom, n) {
            continue;
        }
        let Some(fam) = class_family(dom, n, r) else {
            continue;
        };
        let node = lift_items(dom, n, fam, r);
        if f.covers(dom, node) || f.contains_taken(dom, node) || excluded.covers(dom, node) {
            continue;
        }
        let need = match fam {
            Family::Sponsored => r.sponsored_block_min_links,
            _ => r.class_block_min_links,
        };
        if heading::count_block_links(dom, node, None, fam, page, r) < need
            || !heading::block_shape_ok(dom, node, excluded, r)
        {
            continue;
        }
        let mut heading = inner_heading(dom, node, r);
        if heading.is_none() {
            if let Some((h, t)) = preceding_heading(dom, node, r) {
                if !f.covers(dom, h) && !excluded.covers(dom, h) {
                    f.push(generic_block(h, fam, Some(t.clone()), "class"));
                    heading = Some(t);
                }
            }
        }
        f.push(generic_block(node, fam, heading, "class"));
        it.skip_subtree(n);
    }
}

fn heading_pass(dom: &Dom, r: &LinkRules, page: &Page<'_>, excluded: &NodeSet, f: &mut Found) {
    let body = dom.body();
    let mut it = dom.descendants(body);
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if excluded.contains(n) || f.taken.contains(n) || super::is_skipped(dom, n) {
            it.skip_subtree(n);
            continue;
        }
        if dom.is(n, name::A) {
            it.skip_subtree(n);
            continue;
        }
        let Some(text) = heading::heading_text(dom, n, r) else {
            continue;
        };
        it.skip_subtree(n);
        let Some(fam) = heading::family_of(dom, n, &text, r) else {
            continue;
        };
        if f.covers(dom, n) {
            continue;
        }
        let Some(nodes) = heading::heading_block(dom, n, fam, page, excluded, &f.taken, r) else {
            continue;
        };
        for node in nodes {
            if !f.covers(dom, node) {
                f.push(generic_block(node, fam, Some(text.clone()), "heading"));
            }
        }
    }
}
