//! Container choice (SCHEMA §6.2 step 5): selector tiers first, readability-style scoring as the
//! fallback.
//!
//! Why it exists: the main text lives in one element far more often than not, and CMSs mark it
//! (`itemprop=articleBody`, `.entry-content`, `article`, `main`). A tier match is trusted only
//! when it holds a real share of the page's prose (a teaser card or a one-line `main` is not the
//! content); otherwise paragraphs vote for their ancestors as in Readability and the best
//! link-poor ancestor wins.

use super::stats::Stats;
use super::ContentRules;
use crate::dom::{name, Dom, NodeId};

/// How the container was chosen (for debugging and tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Matched selector tier `n` (0-based).
    Tier(usize),
    /// Readability-style scoring.
    Scored,
    /// Nothing better than the whole body.
    Body,
}

/// Non-link clean text of a node.
pub fn prose(st: &Stats, n: NodeId) -> u32 {
    st.clean[n as usize].saturating_sub(st.clean_link[n as usize])
}

/// True when `n` or an ancestor is dead or unprotected chrome.
pub fn covered(dom: &Dom, st: &Stats, n: NodeId, protect_chars: f64) -> bool {
    std::iter::once(n).chain(dom.ancestors(n)).any(|a| {
        st.dead.contains(a)
            || (st.chrome.contains(a)
                && (st.absolute.contains(a) || f64::from(st.text[a as usize]) < protect_chars))
    })
}

/// Picks the first tier match holding enough of the page's prose.
pub fn by_tiers(
    dom: &Dom,
    st: &Stats,
    rules: &ContentRules,
    body: NodeId,
) -> Option<(NodeId, How)> {
    let page = f64::from(prose(st, body));
    let protect = f64::from(st.text[body as usize]) * rules.boiler.protect_share;
    for (i, sel) in rules.tiers.iter().enumerate() {
        for m in sel.outermost(dom, body) {
            if covered(dom, st, m, protect) {
                continue;
            }
            let clean = st.clean[m as usize] as usize;
            if clean >= rules.min_container_chars
                && f64::from(prose(st, m)) >= rules.min_container_share * page
            {
                return Some((m, How::Tier(i)));
            }
        }
    }
    None
}

fn commas(dom: &Dom, n: NodeId) -> usize {
    let mut c = 0;
    dom.for_each_text(n, |t| {
        c += t
            .chars()
            .filter(|&ch| matches!(ch, ',' | '，' | '、' | '،'))
            .count()
    });
    c
}

/// Readability-style scoring: each paragraph votes for its ancestors (parent 1, grandparent
/// 1/2, then 1/(3·level)), scores are scaled by (1 − link density), the best wins.
pub fn by_score(dom: &Dom, st: &Stats, rules: &ContentRules, body: NodeId) -> Option<NodeId> {
    let protect = f64::from(st.text[body as usize]) * rules.boiler.protect_share;
    let mut score: Vec<f32> = vec![0.0; dom.len()];
    let mut touched: Vec<NodeId> = Vec::new();
    let mut it = dom.descendants(body);
    while let Some(n) = it.next() {
        let Some(t) = dom.tag(n) else { continue };
        if st.dead.contains(n)
            || (st.chrome.contains(n)
                && (st.absolute.contains(n) || f64::from(st.text[n as usize]) < protect))
        {
            it.skip_subtree(n);
            continue;
        }
        let para_like = matches!(t, name::P | name::PRE | name::TD | name::BLOCKQUOTE)
            || (matches!(t, name::DIV | name::SECTION | name::LI | name::DD)
                && !st.has_block.contains(n));
        if !para_like {
            continue;
        }
        it.skip_subtree(n);
        let len = prose(st, n) as usize;
        if len < rules.score_min_paragraph_chars {
            continue;
        }
        let s = 1.0
            + commas(dom, n) as f32
            + (len as f32 / rules.score_chars_per_point as f32).min(3.0);
        for (level, a) in dom.ancestors(n).take(5).enumerate() {
            if !dom.is_element(a) {
                break;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            if score[a as usize] == 0.0 {
                touched.push(a);
            }
            score[a as usize] += s / div;
            if a == body {
                break;
            }
        }
    }
    let mut best: Option<(NodeId, f32)> = None;
    for &n in &touched {
        let ld = if st.clean[n as usize] == 0 {
            0.0
        } else {
            st.clean_link[n as usize] as f32 / st.clean[n as usize] as f32
        };
        let s = score[n as usize] * (1.0 - ld);
        match best {
            Some((_, b)) if s <= b => {}
            _ => best = Some((n, s)),
        }
    }
    best.map(|(n, _)| n)
}
