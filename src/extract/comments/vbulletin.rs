//! vBulletin 4 (`li.postcontainer#post_N`) and vBulletin 3 (`table#postN`) threads.
//!
//! Why it exists: forum threads, flat; dates are text only ("01-05-2020, 10:00 AM", "Today,
//! 10:00 AM"); quotes are `.bbcode_quote` ("Originally Posted by X").

use super::common::{date_of, id_number, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.vbulletin]`
    Sel {
        item,
        area,
        author,
        date,
        text,
        quote,
        quote_author,
        skip,
    }
);

fn native_of(dom: &crate::dom::Dom, n: crate::dom::NodeId) -> Option<String> {
    let id = dom.id_attr(n)?;
    id_number(id, "post_").or_else(|| id_number(id, "post"))
}

/// Finds the posts of a vBulletin thread.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.vbulletin;
    let nodes: Vec<_> = s
        .item
        .outermost(dom, dom.root())
        .into_iter()
        .filter(|&n| native_of(dom, n).is_some())
        .filter(|&n| s.text.first(dom, n).is_some())
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
        if let Some(a) = scope.first(n, &s.author) {
            d.author = ctx.author(a);
            d.author_url = ctx.link_under(a);
        }
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t);
        }
        if let Some(t) = scope.first(n, &s.text) {
            let body = ctx.body(t, &scope, Some(&s.skip), Some(&s.quote));
            d.reply_to_author = body
                .quote_nodes
                .first()
                .and_then(|&q| s.quote_author.first(dom, q))
                .and_then(|a| ctx.author(a));
            Ctx::set_body(&mut d, body);
        }
        items.push(Item {
            dates,
            d,
            ..Default::default()
        });
    }
    ctx.forum_thread("vbulletin", items, &s.area, &nodes)
}
