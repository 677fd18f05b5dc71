//! Drupal core comments (Drupal 7 `div.comment` after an `a#comment-N` anchor, Drupal 8+
//! `article.comment[data-comment-user-id]`); replies are in the following `div.indented`.
//!
//! Why it exists: replies are not nested *inside* their parent but in a sibling wrapper, so
//! the level is the number of enclosing `div.indented` and the parent follows by §6.5.

use super::common::{date_of, id_number, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::{name, NodeId};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.drupal]`
    Sel {
        area,
        item,
        signature,
        indented,
        author,
        op,
        date,
        timestamp,
        permalink,
        text,
        skip,
        title,
    }
);

/// `comment-12` on the item, or on the `a` anchor just before it.
fn native_of(dom: &crate::dom::Dom, n: NodeId) -> Option<String> {
    if let Some(x) = dom.id_attr(n).and_then(|i| id_number(i, "comment-")) {
        return Some(x);
    }
    let mut p = dom.prev_sibling(n);
    while let Some(s) = p {
        if dom.is_element(s) {
            return dom
                .is(s, name::A)
                .then(|| dom.id_attr(s).and_then(|i| id_number(i, "comment-")))
                .flatten();
        }
        p = dom.prev_sibling(s);
    }
    None
}

/// Finds Drupal comments.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.drupal;
    let area = s.area.first(dom, dom.root())?;
    s.signature.first(dom, area)?;
    let nodes: Vec<_> = s
        .item
        .outermost(dom, area)
        .into_iter()
        .filter(|&n| native_of(dom, n).is_some())
        .collect();
    if nodes.is_empty() {
        return None;
    }
    let scope = Scope::new(dom, &nodes);
    let mut items = Vec::new();
    for &n in &nodes {
        let mut d = CommentDraft {
            node: Some(n),
            native_id: native_of(dom, n),
            extraction: "dom".into(),
            ..Default::default()
        };
        let level = dom
            .ancestors(n)
            .take_while(|&a| a != area)
            .filter(|&a| s.indented.matches(dom, a))
            .count() as u32;
        if let Some(a) = scope.first(n, &s.author) {
            d.author = ctx.author(a);
            d.author_url = ctx.link_under(a);
        }
        d.author_is_op = s.op.matches(dom, n);
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.timestamp) {
            dates.extend(dom.attr(t, "data-comment-timestamp").map(str::to_string));
        }
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t.map(|t| t.replace(" - ", " ")));
        }
        d.url = scope.first(n, &s.permalink).and_then(|p| ctx.link_under(p));
        if let Some(t) = scope.first(n, &s.text) {
            Ctx::set_body(&mut d, ctx.body(t, &scope, Some(&s.skip), None));
        }
        items.push(Item {
            level: Some(level),
            dates,
            d,
            ..Default::default()
        });
    }
    let declared = s.title.first(dom, area).and_then(|t| ctx.declared_from(t));
    Some(Found {
        system: Some("drupal"),
        items,
        regions: vec![area],
        declared,
        ..Default::default()
    })
}
