//! Disqus and other script-loaded comment systems (Discourse embed, Facebook comments, …).
//!
//! Why it exists: a raw save of a Disqus page holds no comments — only `#disqus_thread`, a
//! config script and a noscript note — so the honest answer is `comments_status = js_only`
//! with the thread identifier in the warning. The old Disqus WordPress plugin did print a
//! server-side list (`#dsq-comments > li#dsq-comment-N`), which is read like WordPress.

use serde::Deserialize;

use super::common::{date_of, id_number, selector_set, Scope};
use super::{Ctx, Found, Item};
use crate::dom::name;
use crate::extract::CommentDraft;
use crate::select::Selector;
use crate::settings::ConfigError;

selector_set!(
    /// `[comments.disqus.list]`: the old plugin's server-rendered list.
    ListSel {
        list,
        item,
        author,
        date,
        text,
    }
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Conf {
    list: toml::Table,
    shells: Vec<[String; 2]>,
    identifier_pattern: String,
}

/// `[comments.disqus]`.
#[derive(Debug)]
pub struct Rules {
    list: ListSel,
    /// (selector, system name) of script shells.
    shells: Vec<(Selector, String)>,
    identifier: regex::Regex,
}

impl Rules {
    /// Compiles `[comments.disqus]`.
    pub fn compile(t: &toml::Table) -> Result<Self, ConfigError> {
        let c: Conf = toml::Value::Table(t.clone())
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Section {
                section: "comments.disqus".into(),
                message: e.message().to_string(),
            })?;
        let mut shells = Vec::new();
        for [sel, name] in c.shells {
            shells.push((Selector::parse(&sel)?, name));
        }
        Ok(Rules {
            list: ListSel::compile(&c.list, "disqus.list")?,
            shells,
            identifier: regex::Regex::new(&c.identifier_pattern)?,
        })
    }
}

/// The old Disqus plugin's server-rendered list.
pub(crate) fn detect_fallback_list(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let s = &ctx.r.disqus.list;
    let list = s.list.first(dom, dom.root())?;
    let nodes: Vec<_> = s
        .item
        .all(dom, list)
        .into_iter()
        .filter(|&n| {
            dom.id_attr(n)
                .and_then(|i| id_number(i, "dsq-comment-"))
                .is_some()
        })
        .collect();
    let scope = Scope::new(dom, &nodes);
    let mut items = Vec::new();
    for &n in &nodes {
        let mut d = CommentDraft {
            node: Some(n),
            native_id: dom.id_attr(n).and_then(|i| id_number(i, "dsq-comment-")),
            depth: scope.nesting(n),
            extraction: "dom".into(),
            ..Default::default()
        };
        d.author = scope.first(n, &s.author).and_then(|a| ctx.author(a));
        let mut dates = Vec::new();
        if let Some(t) = scope.first(n, &s.date) {
            let (a, t) = date_of(dom, t);
            dates.extend(a);
            dates.extend(t);
        }
        if let Some(t) = scope.first(n, &s.text) {
            Ctx::set_body(&mut d, ctx.body(t, &scope, None, None));
        }
        items.push(Item {
            level: super::wordpress::level_of(dom, n),
            dates,
            d,
            ..Default::default()
        });
    }
    let region = dom
        .ancestors(list)
        .find(|&a| dom.id_attr(a) == Some("disqus_thread"))
        .unwrap_or(list);
    Some(Found {
        system: Some("disqus"),
        items,
        regions: vec![region],
        ..Default::default()
    })
}

/// Script shells: the area exists, its items are loaded by script.
pub(crate) fn detect_shells(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let r = &ctx.r.disqus;
    for (sel, system) in &r.shells {
        let Some(n) = sel.first(dom, dom.root()) else {
            continue;
        };
        let mut identifier = None;
        for sc in dom.find_all(dom.root(), |x| dom.is(x, name::SCRIPT)) {
            let mut text = String::new();
            for c in dom.children(sc) {
                text.push_str(dom.text(c));
            }
            if let Some(c) = r.identifier.captures(&text) {
                identifier = c.get(1).map(|m| m.as_str().to_string());
                break;
            }
        }
        let known = matches!(system.as_str(), "disqus" | "discourse");
        return Some(Found {
            system: known.then(|| {
                if system == "disqus" {
                    "disqus"
                } else {
                    "discourse"
                }
            }),
            regions: vec![n],
            js_only: Some(serde_json::json!({
                "system": system,
                "identifier": identifier,
            })),
            ..Default::default()
        });
    }
    None
}
