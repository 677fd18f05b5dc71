//! Hacker News item pages: `table.comment-tree` rows `tr.athing.comtr[id]`.
//!
//! Why it exists: the tree is a flat list of table rows; the level is the `indent` attribute
//! of `td.ind` (older pages: a spacer image 40 px per level), and each reply links to its
//! parent in `span.navs`.

use super::common::{date_of, parse_count, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::name;
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.hackernews]`
    Sel {
        tree,
        item,
        indent,
        author,
        date,
        text,
        skip,
        navs,
        story_author,
        area,
    }
);

/// Finds the comments of an HN item page.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.hackernews;
    let tree = s.tree.first(dom, dom.root())?;
    let nodes: Vec<_> = s
        .item
        .all(dom, tree)
        .into_iter()
        .filter(|&n| dom.id_attr(n).is_some())
        .collect();
    let scope = Scope::new(dom, &nodes);
    let op = s
        .story_author
        .first(dom, dom.root())
        .map(|a| dom.text_content(a));
    let mut items = Vec::new();
    for &n in &nodes {
        let mut d = CommentDraft {
            node: Some(n),
            native_id: dom.id_attr(n).map(str::to_string),
            extraction: "dom".into(),
            ..Default::default()
        };
        let level = scope.first(n, &s.indent).and_then(|td| {
            dom.attr(td, "indent")
                .and_then(|v| v.trim().parse::<u32>().ok())
                .or_else(|| {
                    dom.find(td, |x| dom.is(x, name::IMG))
                        .and_then(|img| dom.attr(img, "width"))
                        .and_then(parse_count)
                        .map(|w| (w.max(0) / 40) as u32)
                })
        });
        if let Some(a) = scope.first(n, &s.author) {
            d.author = ctx.author(a);
            d.author_url = ctx.link_under(a);
        }
        d.author_is_op = op.is_some() && d.author == op;
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, text) = date_of(dom, t);
            dates.extend(a);
            dates.extend(text);
            d.url = ctx.link_under(t);
        }
        if let Some(t) = scope.first(n, &s.text) {
            Ctx::set_body(&mut d, ctx.body(t, &scope, Some(&s.skip), None));
        }
        if matches!(d.text.as_str(), "[deleted]" | "[flagged]" | "[dead]") {
            d.text.clear();
            d.links.clear();
            d.flags.push("deleted".into());
        }
        let parent_native = scope
            .own(n)
            .into_iter()
            .filter(|&a| s.navs.matches(dom, a))
            .find(|&a| dom.text_content(a).eq_ignore_ascii_case("parent"))
            .and_then(|a| dom.attr_by(a, name::HREF))
            .and_then(|h| h.rsplit_once('#').map(|(_, f)| f.to_string()));
        items.push(Item {
            level,
            parent_native,
            dates,
            d,
        });
    }
    let region = s.area.closest(dom, tree).unwrap_or(tree);
    Some(Found {
        system: Some("hackernews"),
        items,
        regions: vec![region],
        is_forum: true,
        ..Default::default()
    })
}
