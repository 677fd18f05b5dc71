//! XenForo 2 (`article.message--post`) and XenForo 1 (`li.message[id^=post-]`) threads.
//!
//! Why it exists: forum threads are flat lists of posts; quotes of earlier posts are
//! `blockquote.bbCodeBlock--quote[data-quote]` and belong in `quoted_text`, their author in
//! `reply_to_author`.

use super::common::{date_of, id_number, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.xenforo]`
    Sel {
        item,
        area,
        author,
        date,
        text,
        quote,
        quote_author,
        skip,
        edited,
        permalink,
    }
);

/// `post-123`, `js-post-123` → `123`.
fn native_of(dom: &crate::dom::Dom, n: crate::dom::NodeId) -> Option<String> {
    dom.attr(n, "data-content")
        .and_then(|v| id_number(v, "post-"))
        .or_else(|| dom.id_attr(n).and_then(|v| id_number(v, "js-post-")))
        .or_else(|| dom.id_attr(n).and_then(|v| id_number(v, "post-")))
}

/// Finds the posts of a XenForo thread.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.xenforo;
    let nodes: Vec<_> = s
        .item
        .outermost(dom, dom.root())
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
        d.author = dom
            .attr(n, "data-author")
            .and_then(|a| super::common::clean_author(a, &ctx.r.author_suffix))
            .or_else(|| scope.first(n, &s.author).and_then(|a| ctx.author(a)));
        d.author_url = scope.first(n, &s.author).and_then(|a| ctx.link_under(a));
        let mut dates = Vec::new();
        if let Some(el) = scope.first(n, &s.date) {
            let (a, text) = date_of(dom, el);
            dates.extend(a);
            for k in ["data-time", "data-timestamp"] {
                dates.extend(dom.attr(el, k).map(str::to_string));
            }
            dates.extend(text);
        }
        if let Some(t) = scope.first(n, &s.text) {
            let body = ctx.body(t, &scope, Some(&s.skip), Some(&s.quote));
            d.reply_to_author = body.quote_nodes.first().and_then(|&q| {
                dom.attr(q, "data-quote")
                    .or_else(|| dom.attr(q, "data-author"))
                    .map(str::to_string)
                    .filter(|v| !v.is_empty())
                    .or_else(|| s.quote_author.first(dom, q).and_then(|a| ctx.author(a)))
            });
            Ctx::set_body(&mut d, body);
        }
        if scope.first(n, &s.edited).is_some() {
            d.flags.push("edited".into());
        }
        d.url = scope.first(n, &s.permalink).and_then(|p| ctx.link_under(p));
        items.push(Item {
            dates,
            d,
            ..Default::default()
        });
    }
    ctx.forum_thread("xenforo", items, &s.area, &nodes)
}
