//! phpBB 3 (prosilver and derived styles): `div.post#pN` posts.
//!
//! Why it exists: forum threads, flat; the author line `p.author` carries a `time[datetime]`
//! since 3.2 (only text before); quotes are `blockquote` with a `cite` ("X wrote:").

use super::common::{date_of, id_number, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::name;
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.phpbb]`
    Sel {
        item,
        area,
        author,
        author_line,
        date,
        text,
        quote,
        quote_author,
        edited,
    }
);

/// Finds the posts of a phpBB topic.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.phpbb;
    let nodes: Vec<_> = s
        .item
        .outermost(dom, dom.root())
        .into_iter()
        .filter(|&n| dom.id_attr(n).and_then(|i| id_number(i, "p")).is_some())
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
            native_id: dom.id_attr(n).and_then(|i| id_number(i, "p")),
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
        } else if let Some(line) = scope.first(n, &s.author_line) {
            // phpBB 3.0/3.1: "by X » Sun Jan 05, 2020 10:00 am"
            let t = dom.text_content(line);
            if let Some((_, after)) = t.rsplit_once('»') {
                dates.push(after.trim().to_string());
            }
        }
        if let Some(t) = scope.first(n, &s.text) {
            let body = ctx.body(t, &scope, Some(&s.quote_author), Some(&s.quote));
            d.reply_to_author = body.quote_nodes.first().and_then(|&q| {
                s.quote_author.first(dom, q).and_then(|c| {
                    // "X wrote:" → X (the link inside, or the text before the verb)
                    dom.find(c, |x| dom.is(x, name::A))
                        .filter(|&a| !dom.text_content(a).is_empty())
                        .and_then(|a| ctx.author(a))
                        .or_else(|| ctx.author(c))
                })
            });
            Ctx::set_body(&mut d, body);
        }
        if scope.first(n, &s.edited).is_some() {
            d.flags.push("edited".into());
        }
        d.url = Some(format!("#{}", dom.id_attr(n).unwrap_or_default()))
            .and_then(|h| super::common::abs_url(Some(&h), ctx.cx.base_url.as_ref()));
        items.push(Item {
            dates,
            d,
            ..Default::default()
        });
    }
    ctx.forum_thread("phpbb", items, &s.area, &nodes)
}
