//! schema.org `Comment` / `DiscussionForumPosting` in JSON-LD and microdata.
//!
//! Why it exists: some pages carry their comments only as structured data, and many DOM rows
//! lack a machine date that the structured data has. JSON-LD is used alone when no DOM
//! adapter found items, and otherwise completes DOM rows matched by native id or URL
//! (`extraction = dom+jsonld`).

use serde_json::Value;

use super::common::{date_of, parse_count, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::{name, Dom, NodeId};
use crate::extract::CommentDraft;

selector_set!(
    /// `[comments.microdata]`
    Sel {
        item,
        author,
        author_name,
        date,
        text,
        upvotes,
        downvotes,
        url,
        parent,
        quote,
        quote_skip,
    }
);

/// Every JSON-LD node of the page, `@graph` and arrays flattened (used when the metadata
/// stage did not provide them).
pub(crate) fn jsonld_nodes(dom: &Dom) -> Vec<Value> {
    let mut out = Vec::new();
    for s in dom.find_all(dom.root(), |n| {
        dom.is(n, name::SCRIPT)
            && dom
                .attr_by(n, name::TYPE)
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
    }) {
        let mut text = String::new();
        for c in dom.children(s) {
            text.push_str(dom.text(c));
        }
        let Ok(v) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(a) => stack.extend(a.into_iter().rev()),
                Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                        if o.keys().any(|k| k != "@context") {
                            out.push(Value::Object(o));
                        }
                    } else {
                        out.push(Value::Object(o));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.iter().find_map(|x| str_of(Some(x))),
        Value::Object(o) => str_of(o.get("@value").or_else(|| o.get("name"))),
        _ => None,
    }
}

fn int_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => parse_count(s),
        _ => None,
    }
}

/// A short native id from an `@id`/`url`: `…#comment-12` → `12`, else the fragment, else
/// the whole value.
fn native_from(s: &str) -> String {
    let frag = s.rsplit_once('#').map(|(_, f)| f).unwrap_or(s);
    for p in ["comment-", "comment_", "post-", "post_", "c"] {
        if let Some(x) = super::common::id_number(frag, p) {
            return x;
        }
    }
    let digits = frag.len() - frag.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        return frag[frag.len() - digits..].to_string();
    }
    s.to_string()
}

fn author_of(v: &Value) -> (Option<String>, Option<String>) {
    let a = match v.get("author").or_else(|| v.get("creator")) {
        Some(Value::Array(x)) => x.first(),
        other => other,
    };
    match a {
        Some(Value::String(s)) => (Some(s.trim().to_string()).filter(|s| !s.is_empty()), None),
        Some(o @ Value::Object(_)) => {
            let name = str_of(o.get("name")).or_else(|| {
                let g = str_of(o.get("givenName"))?;
                Some(match str_of(o.get("familyName")) {
                    Some(f) => format!("{g} {f}"),
                    None => g,
                })
            });
            (name, str_of(o.get("url")))
        }
        _ => (None, None),
    }
}

fn likes_of(v: &Value) -> Option<i64> {
    let stats = match v.get("interactionStatistic")? {
        Value::Array(a) => a.iter().collect::<Vec<_>>(),
        o => vec![o],
    };
    stats.into_iter().find_map(|s| {
        let t = str_of(s.get("interactionType")).or_else(|| {
            s.get("interactionType")
                .and_then(|x| str_of(x.get("@type")))
        })?;
        t.contains("LikeAction")
            .then(|| int_of(s.get("userInteractionCount")))
            .flatten()
    })
}

/// One structured-data comment before threading.
fn item_from(v: &Value, depth: u32) -> Item {
    let id = str_of(v.get("@id")).or_else(|| str_of(v.get("url")));
    let (author, author_url) = author_of(v);
    let mut d = CommentDraft {
        native_id: id.as_deref().map(native_from),
        depth,
        author,
        author_url,
        text: str_of(v.get("text"))
            .or_else(|| str_of(v.get("articleBody")))
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        likes: int_of(v.get("upvoteCount")).or_else(|| likes_of(v)),
        dislikes: int_of(v.get("downvoteCount")).map(i64::abs),
        url: str_of(v.get("url")),
        extraction: "jsonld".into(),
        ..Default::default()
    };
    if d.url.is_none() {
        d.url = id.filter(|i| i.starts_with("http"));
    }
    let parent_native = v
        .get("parentItem")
        .and_then(|p| {
            str_of(p.get("@id"))
                .or_else(|| str_of(p.get("url")))
                .or_else(|| str_of(Some(p)))
        })
        .map(|p| native_from(&p));
    let dates = ["datePublished", "dateCreated"]
        .iter()
        .filter_map(|k| str_of(v.get(*k)))
        .collect();
    Item {
        d,
        level: Some(depth),
        parent_native,
        dates,
    }
}

/// Comments of the JSON-LD nodes in pre-order, and whether the main node is a forum post.
fn jsonld_items(nodes: &[Value]) -> (Vec<Item>, bool) {
    let main = nodes.iter().find(|n| {
        n.get("comment").is_some()
            || types(n)
                .iter()
                .any(|t| t.eq_ignore_ascii_case("DiscussionForumPosting"))
    });
    let Some(main) = main else {
        return (Vec::new(), false);
    };
    let forum = types(main)
        .iter()
        .any(|t| t.eq_ignore_ascii_case("DiscussionForumPosting"));
    let mut out = Vec::new();
    if forum {
        let mut it = item_from(main, 0);
        it.d.author_is_op = true;
        out.push(it);
    }
    let op = out.first().and_then(|i| i.d.author.clone());
    let topic = out.first().and_then(|i| i.d.native_id.clone());
    let mut stack: Vec<(&Value, u32)> = children(main, nodes)
        .into_iter()
        .rev()
        .map(|c| (c, 0))
        .collect();
    while let Some((v, depth)) = stack.pop() {
        if out.len() > 100_000 {
            break;
        }
        let mut it = item_from(v, depth);
        it.d.author_is_op = op.is_some() && it.d.author == op;
        if topic.is_some() && it.parent_native == topic {
            // A reply to the topic is a top-level post.
            it.parent_native = None;
        }
        out.push(it);
        for c in children(v, nodes).into_iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    (out, forum)
}

/// The `comment` values of a node, `{"@id": …}` references resolved against the page's nodes.
fn children<'a>(v: &'a Value, nodes: &'a [Value]) -> Vec<&'a Value> {
    let list: Vec<&Value> = match v.get("comment") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    };
    list.into_iter()
        .map(|c| {
            let is_ref = c
                .as_object()
                .is_some_and(|o| o.len() == 1 && o.contains_key("@id"));
            if !is_ref {
                return c;
            }
            let id = c.get("@id");
            nodes
                .iter()
                .find(|n| n.get("@id") == id && n.as_object().is_some_and(|o| o.len() > 1))
                .unwrap_or(c)
        })
        .collect()
}

/// Comments from JSON-LD, when no DOM adapter found any.
pub(crate) fn detect_jsonld(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let (items, forum) = jsonld_items(ctx.jsonld);
    if items.is_empty() {
        return None;
    }
    let declared = ctx
        .jsonld
        .iter()
        .find_map(|n| int_of(n.get("commentCount")));
    Some(Found {
        system: Some("schema_org"),
        items,
        declared,
        is_forum: forum,
        ..Default::default()
    })
}

/// Completes DOM rows from JSON-LD comments matched by native id or URL.
pub(crate) fn complete_from_jsonld(items: &mut [Item], nodes: &[Value], _base: Option<&url::Url>) {
    let (sd, _) = jsonld_items(nodes);
    if sd.is_empty() {
        return;
    }
    for it in items.iter_mut() {
        let m = sd.iter().find(|s| {
            (s.d.native_id.is_some() && s.d.native_id == it.d.native_id)
                || (s.d.url.is_some() && s.d.url == it.d.url)
        });
        let Some(m) = m else { continue };
        let mut used = false;
        if it.d.author.is_none() && m.d.author.is_some() {
            it.d.author = m.d.author.clone();
            used = true;
        }
        if it.d.author_url.is_none() && m.d.author_url.is_some() {
            it.d.author_url = m.d.author_url.clone();
            used = true;
        }
        if !m.dates.is_empty() {
            let mut dates = m.dates.clone();
            dates.append(&mut it.dates);
            it.dates = dates;
            used = true;
        }
        if it.d.likes.is_none() && m.d.likes.is_some() {
            it.d.likes = m.d.likes;
            used = true;
        }
        if it.d.dislikes.is_none() && m.d.dislikes.is_some() {
            it.d.dislikes = m.d.dislikes;
            used = true;
        }
        if used {
            it.d.extraction = "dom+jsonld".into();
        }
    }
}

fn prop_value(dom: &Dom, n: NodeId) -> Option<String> {
    let (attr, text) = date_of(dom, n);
    attr.or(text)
}

/// Comments marked up with schema.org microdata.
pub(crate) fn detect_microdata(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.microdata;
    let nodes = s.item.all(dom, dom.root());
    if nodes.is_empty() {
        return None;
    }
    let scope = Scope::new(dom, &nodes);
    let mut items = Vec::new();
    for &n in &nodes {
        let mut d = CommentDraft {
            node: Some(n),
            native_id: dom
                .attr_by(n, name::ITEMID)
                .or_else(|| dom.id_attr(n))
                .map(native_from),
            depth: scope.nesting(n),
            extraction: "microdata".into(),
            ..Default::default()
        };
        if let Some(a) = scope.first(n, &s.author) {
            d.author = s
                .author_name
                .first(dom, a)
                .and_then(|x| prop_value(dom, x))
                .or_else(|| dom.attr_by(a, name::CONTENT).map(str::to_string))
                .or_else(|| ctx.author(a));
            d.author_url = ctx.link_under(a);
        }
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t);
        }
        if let Some(t) = scope.first(n, &s.text) {
            let body = ctx.body(t, &scope, Some(&s.quote_skip), Some(&s.quote));
            d.reply_to_author = body.quote_nodes.first().and_then(|&q| {
                [
                    "data-ipsquote-username",
                    "data-author",
                    "data-quote",
                    "data-username",
                ]
                .iter()
                .find_map(|k| dom.attr(q, k))
                .map(str::to_string)
                .filter(|v| !v.trim().is_empty())
            });
            Ctx::set_body(&mut d, body);
        }
        d.likes = scope
            .first(n, &s.upvotes)
            .and_then(|x| prop_value(dom, x))
            .and_then(|v| parse_count(&v));
        d.dislikes = scope
            .first(n, &s.downvotes)
            .and_then(|x| prop_value(dom, x))
            .and_then(|v| parse_count(&v))
            .map(i64::abs);
        d.url = scope.first(n, &s.url).and_then(|u| {
            super::common::abs_url(
                dom.attr_by(u, name::HREF)
                    .or_else(|| dom.attr_by(u, name::CONTENT)),
                ctx.cx.base_url.as_ref(),
            )
        });
        let parent_native = scope.first(n, &s.parent).and_then(|p| {
            dom.attr_by(p, name::HREF)
                .or_else(|| dom.attr_by(p, name::ITEMID))
                .or_else(|| dom.attr_by(p, name::CONTENT))
                .map(native_from)
        });
        items.push(Item {
            parent_native,
            dates,
            d,
            ..Default::default()
        });
    }
    if items.iter().all(|i| i.d.text.is_empty()) {
        return None;
    }
    let common_parent = std::iter::once(nodes[0])
        .chain(dom.ancestors(nodes[0]))
        .find(|&a| nodes.iter().all(|&n| dom.is_inclusive_ancestor(a, n)))
        .unwrap_or(nodes[0]);
    Some(Found {
        system: Some("schema_org"),
        items,
        regions: vec![common_parent],
        ..Default::default()
    })
}
