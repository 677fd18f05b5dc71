//! Discourse topic pages as served to crawlers / without JavaScript (`div#post_N.crawler-post`
//! with schema.org microdata).
//!
//! Why it exists: a saved Discourse topic is a forum thread — every post is a comment row, the
//! first post is also the article body — and the no-JS view is flat (no reply tree).

use super::common::{date_of, id_number, parse_count, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.discourse]`
    Sel {
        item,
        item_legacy,
        area,
        author,
        author_url,
        date,
        text,
        quote,
        quote_author,
        likes,
        likes_text,
        likes_legacy,
        position,
    }
);

/// `post_3`, else the post number in `[itemprop=position]` ("#3" in older views).
fn native_of(ctx: &Ctx<'_, '_>, n: crate::dom::NodeId) -> Option<String> {
    let dom = ctx.cx.dom;
    dom.id_attr(n)
        .and_then(|i| id_number(i, "post_"))
        .or_else(|| {
            let p = ctx.r.discourse.position.first(dom, n)?;
            let t = dom.text_content(p);
            let t = t.trim().trim_start_matches('#');
            id_number(t, "")
        })
}

/// Finds the posts of a Discourse topic.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.discourse;
    let find = |sel: &super::common::Pick| -> Vec<crate::dom::NodeId> {
        sel.outermost(dom, dom.root())
            .into_iter()
            .filter(|&n| native_of(ctx, n).is_some() && s.text.first(dom, n).is_some())
            .collect()
    };
    let mut nodes = find(&s.item);
    if nodes.is_empty() {
        nodes = find(&s.item_legacy);
    }
    if nodes.is_empty() {
        return None;
    }
    let scope = Scope::new(dom, &nodes);
    let mut items = Vec::new();
    for &n in &nodes {
        let mut d = CommentDraft {
            node: Some(n),
            native_id: native_of(ctx, n),
            extraction: "dom".into(),
            ..Default::default()
        };
        d.author = scope.first(n, &s.author).and_then(|a| ctx.author(a));
        d.author_url = scope
            .first(n, &s.author_url)
            .and_then(|a| ctx.link_under(a));
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t);
        }
        if let Some(t) = scope.first(n, &s.text) {
            let body = ctx.body(t, &scope, Some(&s.quote_author), Some(&s.quote));
            d.reply_to_author = body
                .quote_nodes
                .first()
                .and_then(|&q| dom.attr(q, "data-username").map(str::to_string))
                .or_else(|| {
                    body.quote_nodes
                        .first()
                        .and_then(|&q| s.quote_author.first(dom, q))
                        .and_then(|a| ctx.author(a))
                });
            Ctx::set_body(&mut d, body);
        }
        d.likes = like_count(ctx, &scope, n)
            .or_else(|| {
                // older crawler views: <meta itemprop=interactionCount content="UserLikes:4">
                scope
                    .first(n, &s.likes_legacy)
                    .and_then(|m| dom.attr_by(m, crate::dom::name::CONTENT))
                    .and_then(|c| c.strip_prefix("UserLikes:"))
                    .and_then(parse_count)
            })
            .or_else(|| {
                scope
                    .first(n, &s.likes_text)
                    .and_then(|m| parse_count(&dom.text_content(m)))
            });
        items.push(Item {
            dates,
            d,
            ..Default::default()
        });
    }
    ctx.forum_thread("discourse", items, &s.area, &nodes)
}

/// `interactionStatistic` blocks whose `interactionType` is a LikeAction.
fn like_count(ctx: &Ctx<'_, '_>, scope: &Scope<'_>, n: crate::dom::NodeId) -> Option<i64> {
    let dom = ctx.cx.dom;
    scope
        .own(n)
        .into_iter()
        .filter(|&x| ctx.r.discourse.likes.matches(dom, x))
        .find_map(|stat| {
            let metas = dom.find_all(stat, |m| {
                dom.attr_by(m, crate::dom::name::ITEMPROP).is_some()
            });
            let is_like = metas.iter().any(|&m| {
                dom.attr_by(m, crate::dom::name::ITEMPROP) == Some("interactionType")
                    && dom
                        .attr_by(m, crate::dom::name::CONTENT)
                        .or_else(|| dom.attr_by(m, crate::dom::name::HREF))
                        .is_some_and(|v| v.contains("LikeAction"))
            });
            if !is_like {
                return None;
            }
            metas
                .iter()
                .find(|&&m| {
                    dom.attr_by(m, crate::dom::name::ITEMPROP) == Some("userInteractionCount")
                })
                .and_then(|&m| {
                    dom.attr_by(m, crate::dom::name::CONTENT)
                        .and_then(parse_count)
                        .or_else(|| parse_count(&dom.text_content(m)))
                })
        })
}
