//! Old Reddit (`old.reddit.com`) comment pages: `div.thing.comment[data-fullname^=t1_]`.
//!
//! Why it exists: replies nest in `div.child > div.sitetable`, every field is also in data
//! attributes, scores are in `span.score.unvoted[title]`, and deleted/removed comments keep
//! their place in the tree.

use super::common::{date_of, parse_count, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::name;
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.reddit_old]`
    Sel {
        area,
        item,
        author,
        op,
        date,
        edited,
        text,
        score,
        parent_link,
    }
);

/// Finds the comments of an old-Reddit thread.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.reddit_old;
    let area = s.area.first(dom, dom.root())?;
    let nodes: Vec<_> = s
        .item
        .all(dom, area)
        .into_iter()
        .filter(|&n| {
            dom.attr(n, "data-fullname")
                .is_some_and(|f| f.starts_with("t1_"))
        })
        .collect();
    let scope = Scope::new(dom, &nodes);
    let mut items = Vec::new();
    for &n in &nodes {
        let mut d = CommentDraft {
            node: Some(n),
            native_id: dom.attr(n, "data-fullname").map(str::to_string),
            depth: scope.nesting(n),
            extraction: "dom".into(),
            ..Default::default()
        };
        let author_el = scope.first(n, &s.author);
        d.author = dom
            .attr(n, "data-author")
            .map(str::to_string)
            .or_else(|| author_el.and_then(|a| ctx.author(a)))
            .filter(|a| a != "[deleted]");
        d.author_url = author_el.and_then(|a| ctx.link_under(a));
        d.author_is_op = scope.has(n, &s.op);
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t);
        }
        if scope.first(n, &s.edited).is_some() {
            d.flags.push("edited".into());
        }
        if let Some(t) = scope.first(n, &s.text) {
            Ctx::set_body(&mut d, ctx.body(t, &scope, None, None));
        }
        if d.text == "[removed]" || d.text == "[deleted]" {
            d.text.clear();
            d.links.clear();
            d.flags.push("deleted".into());
        } else if d.author.is_none() {
            d.flags.push("deleted".into());
        }
        if dom.has_class(n, "collapsed") {
            d.flags.push("collapsed".into());
        }
        if dom.has_class(n, "stickied") {
            d.flags.push("sticky".into());
        }
        d.score = scope
            .first(n, &s.score)
            .and_then(|sc| dom.attr(sc, "title").and_then(parse_count));
        d.url = super::common::abs_url(dom.attr(n, "data-permalink"), ctx.cx.base_url.as_ref());
        let parent_native = scope
            .first(n, &s.parent_link)
            .and_then(|a| dom.attr_by(a, name::HREF))
            .and_then(|h| h.rsplit_once('#').map(|(_, f)| f.to_string()))
            .filter(|f| !f.is_empty())
            .map(|f| {
                if f.starts_with("t1_") {
                    f
                } else {
                    format!("t1_{f}")
                }
            });
        items.push(Item {
            parent_native,
            dates,
            d,
            ..Default::default()
        });
    }
    Some(Found {
        system: Some("reddit_old"),
        items,
        regions: vec![area],
        is_forum: true,
        ..Default::default()
    })
}

selector_set!(
    /// `[comments.reddit_new]`: `shreddit-comment` custom elements of the current Reddit.
    NewSel {
        item,
        date,
        text,
        area,
    }
);

/// Comments of a saved current-Reddit page (`shreddit-comment` elements carry every field as
/// attributes: `thingid`, `author`, `depth`, `parentid`, `score`, `created`).
pub(crate) fn detect_new(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.reddit_new;
    let nodes: Vec<_> = s
        .item
        .all(dom, dom.root())
        .into_iter()
        .filter(|&n| dom.attr(n, "thingid").is_some_and(|t| t.starts_with("t1_")))
        .collect();
    if nodes.is_empty() {
        return None;
    }
    let scope = Scope::new(dom, &nodes);
    let op = dom
        .find(dom.root(), |n| dom.tag_name(n) == "shreddit-post")
        .and_then(|p| dom.attr(p, "author").map(str::to_string));
    let mut items = Vec::new();
    for &n in &nodes {
        let author = dom
            .attr(n, "author")
            .map(str::to_string)
            .filter(|a| !a.is_empty() && a != "[deleted]");
        let mut d = CommentDraft {
            node: Some(n),
            native_id: dom.attr(n, "thingid").map(str::to_string),
            depth: scope.nesting(n),
            author_is_op: op.is_some() && author == op,
            author_url: author.as_deref().and_then(|a| {
                super::common::abs_url(Some(&format!("/user/{a}/")), ctx.cx.base_url.as_ref())
            }),
            author,
            score: dom.attr(n, "score").and_then(parse_count),
            url: super::common::abs_url(dom.attr(n, "permalink"), ctx.cx.base_url.as_ref()),
            extraction: "dom".into(),
            ..Default::default()
        };
        let mut dates: Vec<String> = dom
            .attr(n, "created")
            .map(str::to_string)
            .into_iter()
            .collect();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t);
        }
        if let Some(t) = scope.first(n, &s.text) {
            Ctx::set_body(&mut d, ctx.body(t, &scope, None, None));
        }
        if d.author.is_none() || d.text == "[removed]" || d.text == "[deleted]" {
            if d.text == "[removed]" || d.text == "[deleted]" {
                d.text.clear();
                d.links.clear();
            }
            d.flags.push("deleted".into());
        }
        if dom.attr(n, "collapsed").is_some() {
            d.flags.push("collapsed".into());
        }
        let level = dom
            .attr(n, "depth")
            .and_then(|v| v.trim().parse::<u32>().ok());
        let parent_native = dom
            .attr(n, "parentid")
            .filter(|p| p.starts_with("t1_"))
            .map(str::to_string);
        items.push(Item {
            level,
            parent_native,
            dates,
            d,
        });
    }
    let region = s.area.closest(dom, nodes[0]).unwrap_or(nodes[0]);
    Some(Found {
        system: Some("reddit"),
        items,
        regions: vec![region],
        is_forum: true,
        ..Default::default()
    })
}
