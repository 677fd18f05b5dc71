//! Card grids: runs of three or more sibling elements of one shape, each a short linked item
//! (product tiles, article teasers, program cards).
//!
//! Why it exists: on a listing or collection page the cards are the content; on a product or
//! article page the same shape is a recommendation carousel ("customers also bought", "more
//! stories"). Finding them structurally lets the page-type detector tell the two apart and lets
//! the extractor drop recommendation grids on single-item pages without any class-name list.

use super::stats::Stats;
use crate::dom::{Dom, NodeId};

/// Shape of a sibling: tag and first class token.
fn signature(dom: &Dom, n: NodeId) -> (u16, &str) {
    (
        dom.tag(n).map_or(u16::MAX, |t| t.0),
        dom.classes(n).next().unwrap_or(""),
    )
}

/// Thresholds of the grid test.
#[derive(Clone, Copy, Debug)]
pub struct GridRules {
    /// Least items of one shape.
    pub min_items: usize,
    /// Least share of the element's children that have the dominant shape (0–1).
    pub min_same_share: f64,
    /// Least share of items holding a link (0–1).
    pub min_linked_share: f64,
    /// Most visible characters per item on average.
    pub max_item_chars: u32,
    /// Least visible characters per item on average (menus of one-word links are not cards).
    pub min_item_chars: u32,
}

/// True when the children of `g` form a card grid.
pub fn is_grid(dom: &Dom, st: &Stats, g: NodeId, r: &GridRules) -> bool {
    let kids: Vec<NodeId> = dom
        .element_children(g)
        .filter(|&k| !st.dead.contains(k) && st.text[k as usize] > 0)
        .collect();
    if kids.len() < r.min_items {
        return false;
    }
    // dominant signature (children are few: quadratic is fine, bounded below)
    let mut best: Option<((u16, &str), usize)> = None;
    for &k in kids.iter().take(64) {
        let s = signature(dom, k);
        let c = kids.iter().filter(|&&x| signature(dom, x) == s).count();
        match best {
            Some((_, b)) if b >= c => {}
            _ => best = Some((s, c)),
        }
    }
    let Some((sig, count)) = best else {
        return false;
    };
    if count < r.min_items || (count as f64) < r.min_same_share * kids.len() as f64 {
        return false;
    }
    let items: Vec<NodeId> = kids
        .into_iter()
        .filter(|&k| signature(dom, k) == sig)
        .collect();
    let linked = items
        .iter()
        .filter(|&&k| st.anchors[k as usize] > 0)
        .count();
    let chars: u64 = items.iter().map(|&k| u64::from(st.text[k as usize])).sum();
    (linked as f64) >= r.min_linked_share * items.len() as f64
        && chars / items.len() as u64 <= u64::from(r.max_item_chars)
        && chars / items.len() as u64 >= u64::from(r.min_item_chars)
}

/// Outermost card grids under `root` (skipping dead subtrees).
pub fn grids(dom: &Dom, st: &Stats, root: NodeId, r: &GridRules) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut it = dom.descendants(root);
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if st.dead.contains(n) || st.chrome.contains(n) || st.text[n as usize] == 0 {
            it.skip_subtree(n);
            continue;
        }
        if is_grid(dom, st, n, r) {
            out.push(n);
            it.skip_subtree(n);
        }
    }
    out
}
