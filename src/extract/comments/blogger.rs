//! Blogger / Blogspot comments: threaded templates (`li.comment#cID` with replies in
//! `.comment-replies`) and the classic `dl#comments-block` (`dt` author, `dd` body, `dd`
//! footer — one comment spread over three sibling elements).
//!
//! Why it exists: Blogger is one of the most common hosts among saved blog pages, and the
//! classic layout cannot be split by a repeated-element detector.

use super::common::{date_of, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::{name, Dom, NodeId};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.blogger]`
    Sel {
        area,
        thread,
        item,
        author,
        op,
        date,
        text,
        deleted,
        legacy_list,
        legacy_item,
        legacy_body,
        legacy_footer,
        legacy_date,
        declared,
    }
);

/// `c123456` → `123456`.
fn native_of(dom: &Dom, n: NodeId) -> Option<String> {
    super::common::id_number(dom.id_attr(n)?, "c")
}

/// The next element sibling of `n`.
fn next_element(dom: &Dom, n: NodeId) -> Option<NodeId> {
    let mut s = dom.next_sibling(n);
    while let Some(x) = s {
        if dom.is_element(x) {
            return Some(x);
        }
        s = dom.next_sibling(x);
    }
    None
}

/// Finds Blogger comments.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.blogger;
    let area = s.area.first(dom, dom.root())?;
    let mut items = Vec::new();
    if let Some(thread) = s.thread.first(dom, area) {
        let nodes: Vec<_> = s
            .item
            .all(dom, thread)
            .into_iter()
            .filter(|&n| native_of(dom, n).is_some())
            .collect();
        let scope = Scope::new(dom, &nodes);
        for &n in &nodes {
            let mut d = CommentDraft {
                node: Some(n),
                native_id: native_of(dom, n),
                depth: scope.nesting(n),
                extraction: "dom".into(),
                ..Default::default()
            };
            if let Some(a) = scope.first(n, &s.author) {
                d.author = ctx.author(a);
                d.author_url = dom
                    .find(a, |x| dom.is(x, name::A))
                    .and_then(|x| ctx.link_under(x));
            }
            d.author_is_op = scope.has(n, &s.op);
            let mut dates = Vec::new();
            if let Some(t) = scope.first(n, &s.date) {
                let (a, text) = date_of(dom, t);
                dates.extend(a);
                dates.extend(text);
                d.url = ctx.link_under(t);
            }
            if let Some(t) = scope.first(n, &s.text) {
                if s.deleted.first(dom, t).is_some() {
                    d.flags.push("deleted".into());
                } else {
                    Ctx::set_body(&mut d, ctx.body(t, &scope, None, None));
                }
            }
            items.push(Item {
                dates,
                d,
                ..Default::default()
            });
        }
    } else if let Some(list) = s.legacy_list.first(dom, area) {
        let nodes: Vec<_> = s
            .legacy_item
            .all(dom, list)
            .into_iter()
            .filter(|&n| native_of(dom, n).is_some())
            .collect();
        let scope = Scope::new(dom, &nodes);
        for &n in &nodes {
            let mut d = CommentDraft {
                node: Some(n),
                native_id: native_of(dom, n),
                extraction: "dom".into(),
                ..Default::default()
            };
            let named = dom.find(n, |x| {
                dom.is(x, name::A) && dom.attr_by(x, name::HREF).is_some() && dom.text_len(x) > 0
            });
            d.author = named.and_then(|a| ctx.author(a)).or_else(|| ctx.author(n));
            d.author_url = named.and_then(|a| ctx.link_under(a));
            d.author_is_op = s.op.matches(dom, n);
            let body = next_element(dom, n).filter(|&b| s.legacy_body.matches(dom, b));
            let footer = body
                .and_then(|b| next_element(dom, b))
                .filter(|&f| s.legacy_footer.matches(dom, f));
            if let Some(b) = body {
                if s.deleted.first(dom, b).is_some() {
                    d.flags.push("deleted".into());
                } else {
                    Ctx::set_body(&mut d, ctx.body(b, &scope, None, None));
                }
            }
            let mut dates = Vec::new();
            if let Some(t) = footer.and_then(|f| s.legacy_date.first(dom, f)) {
                let (_, text) = date_of(dom, t);
                dates.extend(text);
                d.url = ctx.link_under(t);
            }
            items.push(Item {
                dates,
                d,
                ..Default::default()
            });
        }
    } else {
        return None;
    }
    if items.is_empty() {
        // Blogger class names without Blogger ids: not this system.
        return None;
    }
    let declared = s
        .declared
        .first(dom, area)
        .and_then(|t| ctx.declared_from(t));
    Some(Found {
        system: Some("blogger"),
        items,
        regions: vec![area],
        declared,
        ..Default::default()
    })
}
