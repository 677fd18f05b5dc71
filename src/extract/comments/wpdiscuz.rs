//! wpDiscuz (v4 `wc-comm-…`, v5–v7 `wpd-comm-…`): the WordPress comment plugin whose ids carry
//! the parent (`wpd-comm-4421_4409` = comment 4421, reply to 4409; `_0` = top level).
//!
//! Why it exists: its markup shares nothing with WordPress core; dates are relative in the text
//! with the absolute, localized form in a `title`; votes are a net `score` or like/dislike pair.

use super::common::{id_number, parse_count, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.wpdiscuz]`
    Sel {
        root,
        area,
        item,
        author,
        op,
        date,
        text,
        quote,
        reply_to,
        vote_result,
        vote_like,
        vote_dislike,
        permalink,
        declared,
        pending,
        sticky,
        closed,
        skip,
    }
);

/// Splits `wpd-comm-4421_4409` into ("4421", Some("4409")); `_0` means no parent.
pub(crate) fn split_id(id: &str) -> Option<(String, Option<String>)> {
    let rest = id
        .strip_prefix("wpd-comm-")
        .or_else(|| id.strip_prefix("wc-comm-"))?;
    let (own, parent) = rest.split_once('_').unwrap_or((rest, "0"));
    let own = id_number(own, "")?;
    let parent = id_number(parent, "").filter(|p| p != "0");
    Some((own, parent))
}

/// `wpd_comment_level-2` → 1 (0-based).
fn level_of(ctx: &Ctx<'_, '_>, n: crate::dom::NodeId) -> Option<u32> {
    ctx.cx.dom.classes(n).find_map(|c| {
        c.strip_prefix("wpd_comment_level-")
            .or_else(|| c.strip_prefix("wc_comment_level-"))
            .and_then(|x| x.parse::<u32>().ok())
            .map(|x| x.saturating_sub(1))
    })
}

/// Finds the wpDiscuz area and its comments.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.wpdiscuz;
    let root = s.root.first(dom, dom.root())?;
    let region = s.area.closest(dom, root).unwrap_or(root);
    let nodes: Vec<_> = s
        .item
        .all(dom, root)
        .into_iter()
        .filter(|&n| dom.id_attr(n).and_then(split_id).is_some())
        .collect();
    let scope = Scope::new(dom, &nodes);
    let declared = s
        .declared
        .first(dom, root)
        .and_then(|n| dom.attr(n, "data-comments-count"))
        .and_then(parse_count);
    let mut items = Vec::with_capacity(nodes.len());
    for &n in &nodes {
        let Some((own, parent)) = dom.id_attr(n).and_then(split_id) else {
            continue;
        };
        let mut d = CommentDraft {
            node: Some(n),
            native_id: Some(own),
            depth: scope.nesting(n),
            extraction: "dom".into(),
            ..Default::default()
        };
        if let Some(a) = scope.first(n, &s.author) {
            d.author = ctx.author(a);
            d.author_url = dom
                .find(a, |x| dom.is(x, crate::dom::name::A))
                .and_then(|x| ctx.link_under(x));
        }
        d.author_is_op = scope.has(n, &s.op);
        let mut dates = Vec::new();
        if let Some(dn) = scope.first(n, &s.date) {
            let (attr, text) = super::common::date_of(dom, dn);
            dates.extend(attr);
            dates.extend(text);
        }
        if let Some(t) = scope.first(n, &s.text) {
            let body = ctx.body(t, &scope, Some(&s.skip), Some(&s.quote));
            Ctx::set_body(&mut d, body);
        }
        d.reply_to_author = scope.first(n, &s.reply_to).and_then(|r| {
            let a = dom.find(r, |x| dom.is(x, crate::dom::name::A)).unwrap_or(r);
            ctx.author(a)
        });
        let count = |sel: &super::common::Pick| {
            scope.first(n, sel).and_then(|v| {
                dom.attr(v, "title")
                    .and_then(parse_count)
                    .or_else(|| parse_count(&dom.text_content(v)))
            })
        };
        d.score = count(&s.vote_result);
        d.likes = count(&s.vote_like).map(i64::abs);
        d.dislikes = count(&s.vote_dislike).map(i64::abs);
        if scope.has(n, &s.pending) {
            d.flags.push("pending".into());
        }
        if scope.has(n, &s.sticky) {
            d.flags.push("sticky".into());
        }
        if scope.has(n, &s.closed) {
            d.flags.push("closed".into());
        }
        d.url = scope.first(n, &s.permalink).and_then(|p| {
            super::common::abs_url(
                dom.attr(p, "data-wpd-clipboard")
                    .or_else(|| dom.attr_by(p, crate::dom::name::HREF)),
                ctx.cx.base_url.as_ref(),
            )
        });
        items.push(Item {
            level: level_of(ctx, n),
            parent_native: parent,
            dates,
            d,
        });
    }
    let js_only = (items.is_empty() && declared.is_some_and(|c| c > 0))
        .then(|| serde_json::json!({"system": "wpdiscuz", "declared": declared}));
    Some(Found {
        system: Some("wpdiscuz"),
        items,
        regions: vec![region],
        declared,
        js_only,
        closed: nodes.is_empty() && ctx.says_closed(region),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_the_parent() {
        assert_eq!(split_id("wpd-comm-4413_0"), Some(("4413".into(), None)));
        assert_eq!(
            split_id("wpd-comm-4421_4409"),
            Some(("4421".into(), Some("4409".into())))
        );
        assert_eq!(
            split_id("wc-comm-12_3"),
            Some(("12".into(), Some("3".into())))
        );
        assert_eq!(split_id("wpd-comm-x_0"), None);
        assert_eq!(split_id("comment-12"), None);
    }
}
