//! Per-node facts of one page that every link pass reads, computed once.
//!
//! Why it exists: the block finders and the classifier each walk the document and test, node
//! by node, whether a subtree is skipped (`script`, `hidden`, `display:none`…) and which
//! class/id token lists a node carries (related, share, chrome…). Done per walk and per list
//! that is several attribute scans and automaton runs per node; here it is one linear pass
//! over the arena and one automaton run per class name, and the passes read bits.

use super::rules::{LinkRules, Tokens};
use crate::dom::{name, Dom, NodeId, NodeSet};

/// Skipped subtree roots and class/id token masks of every node.
pub(crate) struct Marks {
    /// Nodes for which [`super::is_skipped`] holds.
    skipped: NodeSet,
    /// Per node: [`super::rules::TokenIndex::mask`] (taxonomy classes ignored).
    masks: Vec<u64>,
}

impl Marks {
    /// One pass over every node of `dom`.
    pub fn build(dom: &Dom, r: &LinkRules) -> Marks {
        let mut skipped = NodeSet::for_dom(dom);
        let mut masks = vec![0u64; dom.len()];
        // Class names repeat across a page (`menu-item` × 100): each distinct one is scanned once.
        let mut by_name: std::collections::HashMap<&str, u64, super::FastBuild> =
            Default::default();
        let ix = &r.token_index;
        let mut name_mask = |name| {
            *by_name
                .entry(name)
                .or_insert_with(|| ix.name_mask(name, &r.taxonomy_prefixes))
        };
        // Class attribute strings repeat too (`menu-item menu-item-type-post_type` × 100): the
        // mask of each distinct value is computed once, by the value ids of the element index.
        let index = dom.index();
        let mut by_value: Vec<Option<u64>> = vec![None; index.class_value_count()];
        let active = ix.is_active();
        for n in 0..dom.len() as NodeId {
            let Some(tag) = dom.tag(n) else {
                continue;
            };
            // = super::is_skipped, its attribute tests read from the index lists below for
            // the nodes the index covers
            if super::is_skipped_tag(dom, n, tag)
                || (index.pre(n).is_none() && super::is_hidden(dom, n))
            {
                skipped.insert(n);
            }
            if !active {
                continue;
            }
            let value = index
                .class_value_id(n)
                .and_then(|v| Some((v, by_value.get_mut(v as usize)?)));
            let classes = match value {
                Some((_, Some(m))) => *m,
                Some((v, slot)) => {
                    let m = dom
                        .class_value(v)
                        .split_ascii_whitespace()
                        .fold(0u64, |m, c| m | name_mask(c));
                    *slot = Some(m);
                    m
                }
                None => dom.classes(n).fold(0u64, |m, c| m | name_mask(c)),
            };
            let m = classes | dom.id_attr(n).map_or(0, &mut name_mask);
            if let Some(slot) = masks.get_mut(n as usize) {
                *slot = m;
            }
        }
        for &n in index.with_attr(name::HIDDEN) {
            skipped.insert(n);
        }
        for &n in index.with_attr(name::STYLE) {
            if dom.attr_by(n, name::STYLE).is_some_and(super::style_hides) {
                skipped.insert(n);
            }
        }
        Marks { skipped, masks }
    }

    /// [`super::is_skipped`]`(dom, n)`.
    pub fn skipped(&self, n: NodeId) -> bool {
        self.skipped.contains(n)
    }

    /// `t.matches(dom, n, &r.taxonomy_prefixes)`, read from the mask when `t` is indexed.
    pub fn has(&self, dom: &Dom, n: NodeId, t: &Tokens, r: &LinkRules) -> bool {
        match t.bits() {
            Some(b) => self.masks.get(n as usize).is_some_and(|m| m & b != 0),
            None => t.matches(dom, n, &r.taxonomy_prefixes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{dom, rules};
    use super::*;

    #[test]
    fn marks_agree_with_the_direct_tests() {
        let d = dom(
            r#"<div class="related-posts tag-share"><p id=share-box class="x">a</p>
            <span class="category-related td-social-icons">b</span><nav class=menu hidden>c</nav>
            <div style="display : NONE">d</div><script>e</script><svg><a href=x>f</a><g/></svg>
            <h3 class="widget-title">g</h3><aside class="Sidebar popular">h</aside></div>"#,
        );
        let r = &rules().links;
        let m = Marks::build(&d, r);
        let mut lists: Vec<&Tokens> = vec![
            &r.heading_class,
            &r.related_class,
            &r.recent_class,
            &r.popular_class,
            &r.sponsored_class,
            &r.topics_class,
            &r.any_family_class,
            &r.share_class,
        ];
        lists.extend(r.chrome.iter().map(|c| &c.tokens));
        let mut hits = 0;
        for n in 0..d.len() as NodeId {
            assert_eq!(m.skipped(n), super::super::is_skipped(&d, n), "node {n}");
            for t in &lists {
                assert!(t.bits().is_some());
                let direct = t.matches(&d, n, &r.taxonomy_prefixes);
                assert_eq!(m.has(&d, n, t, r), direct, "node {n}");
                hits += usize::from(direct);
            }
        }
        assert!(hits >= 6, "{hits}");
        assert!((0..d.len() as NodeId).filter(|&n| m.skipped(n)).count() >= 4);
    }
}
