//! WordPress core comments (`Walker_Comment`, HTML5 and XHTML themes, `style=div`) and
//! Jetpack / WordPress.com comment likes.
//!
//! Why it exists: most saved blog pages carry this markup. Items are `li#comment-N` (or
//! `div`/`article`), the level is the `depth-N` class, replies sit in `ul.children` — but
//! some themes close the `li` before its `ul.children`, so nesting alone is wrong and the
//! `depth-N` marker wins (threading rule in `mod.rs`). Old themes print dates as text only.

use super::common::{date_of, parse_count, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::NodeId;
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.wordpress]`
    Sel {
        list,
        item,
        children,
        area_item,
        area,
        title,
        author,
        author_url,
        op,
        date_machine,
        date_text,
        permalink,
        content,
        xhtml_skip,
        pending,
        likes,
        like_text,
        pingback,
        trackback,
        jetpack,
    }
);

/// `comment-123`, `li-comment-123`, `div-comment-123` → `123`.
pub(crate) fn native_of(id: &str) -> Option<String> {
    let rest = id
        .strip_prefix("li-comment-")
        .or_else(|| id.strip_prefix("div-comment-"))
        .or_else(|| id.strip_prefix("comment-"))?;
    super::common::id_number(rest, "")
}

/// `depth-3` → 2 (0-based), on the item or on the `li` wrapping it (themes that put the id on
/// an inner `article` and the classes on an id-less `li`).
pub(crate) fn level_of(dom: &crate::dom::Dom, n: NodeId) -> Option<u32> {
    let own = |x: NodeId| {
        dom.classes(x).find_map(|c| {
            c.strip_prefix("depth-")
                .and_then(|v| v.parse::<u32>().ok())
                .map(|v| v.saturating_sub(1))
        })
    };
    own(n).or_else(|| {
        dom.ancestors(n)
            .take(2)
            .find(|&a| dom.is(a, crate::dom::name::LI) && dom.id_attr(a).is_none())
            .and_then(own)
    })
}

/// Finds WordPress comment lists and their items.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.wordpress;
    let lists = s.list.outermost(dom, dom.root());
    let area = s.area.first(dom, dom.root());
    if lists.is_empty() && area.is_none() {
        return None;
    }
    // Items: candidates with a comment-N id, inside a list, first per number (the `li` wins
    // over its inner `div#comment-N`).
    let mut seen = std::collections::BTreeSet::new();
    let mut nodes = Vec::new();
    // Without a known list, items with comment classes anywhere in the area.
    let (roots, item_sel) = if lists.is_empty() {
        (area.into_iter().collect::<Vec<_>>(), &s.area_item)
    } else {
        (lists.clone(), &s.item)
    };
    for &l in &roots {
        for n in item_sel.all(dom, l) {
            let Some(num) = dom.id_attr(n).and_then(native_of) else {
                continue;
            };
            if seen.insert(num) {
                nodes.push(n);
            }
        }
    }
    let scope = Scope::new(dom, &nodes);
    let mut regions: Vec<NodeId> = Vec::new();
    let mut jetpack = s.jetpack.first(dom, dom.root()).is_some();
    let mut items = Vec::with_capacity(nodes.len());
    for &n in &nodes {
        let Some(num) = dom.id_attr(n).and_then(native_of) else {
            continue;
        };
        let mut d = CommentDraft {
            node: Some(n),
            native_id: Some(num),
            // Without a depth class: the number of reply lists (`ul.children`) around the item,
            // which stays right when a theme closes the `li` before its replies.
            depth: dom
                .ancestors(n)
                .take_while(|a| !lists.contains(a))
                .filter(|&a| s.children.matches(dom, a))
                .count() as u32,
            extraction: "dom".into(),
            ..Default::default()
        };
        let author_el = scope.first(n, &s.author);
        if let Some(a) = author_el {
            d.author = ctx.author(a);
        }
        d.author_url = scope
            .first(n, &s.author_url)
            .and_then(|a| ctx.link_under(a));
        d.author_is_op = s.op.matches(dom, n);
        if s.pingback.matches(dom, n) {
            d.flags.push("pingback".into());
        } else if s.trackback.matches(dom, n) {
            d.flags.push("trackback".into());
        }
        if scope.has(n, &s.pending) {
            d.flags.push("pending".into());
        }
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date_machine) {
            dates.extend(date_of(dom, t).0);
        }
        for t in scope.each_first(n, &s.date_text) {
            let (_, text) = date_of(dom, t);
            dates.extend(text.filter(|x| x.chars().count() <= 80));
        }
        d.url = scope.first(n, &s.permalink).and_then(|p| ctx.link_under(p));
        let content = scope.first(n, &s.content);
        if dates.is_empty() {
            dates = scope.loose_dates(n, content, 80);
        }
        let body = match content {
            Some(c) => ctx.body(c, &scope, None, None),
            None => ctx.body_without(
                n,
                &scope,
                Some(&s.xhtml_skip),
                None,
                &author_el.into_iter().collect::<Vec<_>>(),
            ),
        };
        Ctx::set_body(&mut d, body);
        if d.author.is_none() && !d.flags.is_empty() {
            // Pingbacks name the linking page in the body link.
            d.author = d.links.first().and_then(|l| ctx.author(l.node));
        }
        if let Some(l) = scope.first(n, &s.likes) {
            d.likes = dom.attr(l, "data-like-count").and_then(parse_count);
            jetpack = true;
        }
        if d.likes.is_none() {
            if let Some(l) = scope.first(n, &s.like_text) {
                d.likes = parse_count(&dom.text_content(l));
                jetpack = true;
            }
        }
        if dom.has_class(n, "highlander-comment") {
            jetpack = true;
        }
        items.push(Item {
            level: level_of(dom, n),
            parent_native: None,
            dates,
            d,
        });
    }
    let region_of = |n: NodeId| s.area.closest(dom, n).unwrap_or(n);
    if let Some(&first) = lists.first() {
        regions.push(region_of(first));
    }
    for &l in &lists {
        regions.push(region_of(l));
    }
    if let Some(a) = area {
        regions.push(a);
    }
    let declared = regions
        .iter()
        .find_map(|&r| s.title.first(dom, r))
        .or_else(|| s.title.first(dom, dom.root()))
        .and_then(|t| ctx.declared_from(t));
    let closed = items.is_empty() && regions.iter().any(|&r| ctx.says_closed(r));
    Some(Found {
        system: if nodes.is_empty() && lists.is_empty() {
            None
        } else if jetpack {
            Some("jetpack")
        } else {
            Some("wordpress")
        },
        items,
        regions,
        declared,
        closed,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_ids() {
        assert_eq!(native_of("comment-12").as_deref(), Some("12"));
        assert_eq!(native_of("li-comment-7").as_deref(), Some("7"));
        assert_eq!(native_of("div-comment-7").as_deref(), Some("7"));
        assert_eq!(native_of("comments"), None);
        assert_eq!(native_of("comment-form"), None);
    }
}
