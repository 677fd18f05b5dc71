//! Generic detector for custom comment lists (news sites, hand-made themes).
//!
//! Why it exists: many sites render comments with their own markup. Inside an area named like
//! a comment section (trafilatura's `COMMENTS_XPATH` tiers, as selectors in the config), it
//! looks for repeated elements with one tag+class signature where each has a date, an author
//! and enough text of its own. It never looks inside widgets (sidebars, "recent comments"),
//! and rejects teaser lists (headings with links, link-dense items). If an area is found but
//! cannot be split, nothing is emitted and `w_comments_unsegmented` is raised.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::common::{date_of, Pick, Scope};
use super::{Ctx, Found, Item};
use crate::dom::{name, Dom, NodeId};
use crate::extract::dates::looks_like_date;
use crate::extract::CommentDraft;
use crate::select::Selector;
use crate::settings::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Conf {
    area: String,
    forum_area: String,
    exclude: String,
    author: String,
    text: String,
    skip: String,
    min_text_chars: usize,
    min_items: usize,
    min_qualifying_share: f64,
    max_link_density: f64,
    max_date_chars: usize,
    max_author_chars: usize,
    max_groups_probed: usize,
    teaser_title_words: usize,
}

/// `[comments.generic]`.
#[derive(Debug)]
pub struct Rules {
    area: Selector,
    forum_area: Selector,
    exclude: Selector,
    author: Pick,
    text: Pick,
    skip: Pick,
    min_text_chars: usize,
    min_items: usize,
    min_qualifying_share: f64,
    max_link_density: f64,
    max_date_chars: usize,
    max_author_chars: usize,
    max_groups_probed: usize,
    teaser_title_words: usize,
}

impl Rules {
    /// Compiles `[comments.generic]`.
    pub fn compile(t: &toml::Table) -> Result<Self, ConfigError> {
        let c: Conf = toml::Value::Table(t.clone())
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Section {
                section: "comments.generic".into(),
                message: e.message().to_string(),
            })?;
        Ok(Rules {
            area: Selector::parse(&c.area)?,
            forum_area: Selector::parse(&c.forum_area)?,
            exclude: Selector::parse(&c.exclude)?,
            author: Pick::parse(&c.author)?,
            text: Pick::parse(&c.text)?,
            skip: Pick::parse(&c.skip)?,
            min_text_chars: c.min_text_chars,
            min_items: c.min_items,
            min_qualifying_share: c.min_qualifying_share,
            max_link_density: c.max_link_density,
            max_date_chars: c.max_date_chars,
            max_author_chars: c.max_author_chars,
            max_groups_probed: c.max_groups_probed,
            teaser_title_words: c.teaser_title_words,
        })
    }
}

/// Tag + stable classes (no digits, no odd/even) of an element.
fn signature(dom: &Dom, n: NodeId) -> Option<String> {
    let tag = dom.tag_name(n);
    if matches!(
        dom.tag(n),
        Some(
            name::P | name::A | name::SPAN | name::BR | name::IMG | name::TIME | name::B | name::I
        )
    ) {
        return None;
    }
    let mut cls: Vec<String> = dom
        .classes(n)
        .filter(|c| !is_volatile_class(c))
        // `windowbg`/`windowbg2`, `row1`/`row2`: alternating rows share one signature.
        .map(|c| {
            c.chars()
                .filter(|ch| !ch.is_ascii_digit())
                .collect::<String>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    cls.sort_unstable();
    cls.dedup();
    Some(format!("{tag}.{}", cls.join(".")))
}

/// Classes that differ between items of one list (row parity, state, author, level).
fn is_volatile_class(c: &str) -> bool {
    matches!(
        c,
        "odd"
            | "even"
            | "alt"
            | "first"
            | "last"
            | "active"
            | "parent"
            | "new"
            | "unread"
            | "selected"
            | "collapsed"
            | "expanded"
            | "highlight"
            | "highlighted"
            | "byuser"
            | "bypostauthor"
            | "sticky"
            | "deleted"
            | "reply"
            | "is-reply"
    ) || [
        "thread-",
        "depth-",
        "comment-author-",
        "level-",
        "by-",
        "user-",
        "author-",
    ]
    .iter()
    .any(|p| c.starts_with(p))
}

/// The date element of an item: `time[datetime]`, else the smallest short element whose
/// text is a date.
fn find_date(dom: &Dom, scope: &Scope<'_>, item: NodeId, max: usize) -> Option<NodeId> {
    let own = scope.own(item);
    if let Some(&t) = own
        .iter()
        .find(|&&n| dom.is(n, name::TIME) && dom.attr_by(n, name::DATETIME).is_some())
    {
        return Some(t);
    }
    let is_date = |n: NodeId| {
        let l = dom.text_len(n);
        l > 0 && l <= max && !dom.is(n, name::P) && looks_like_date(&dom.text_content(n))
    };
    // The first date element in document order, narrowed to its smallest date descendant.
    let mut cur = own.into_iter().find(|&n| is_date(n))?;
    while let Some(inner) = dom.find(cur, is_date) {
        cur = inner;
    }
    Some(cur)
}

struct Probe {
    date: Option<NodeId>,
    text_len: usize,
    link_len: usize,
    heading_link: bool,
}

fn probe(ctx: &Ctx<'_, '_>, scope: &Scope<'_>, item: NodeId) -> Probe {
    let dom = ctx.cx.dom;
    let g = &ctx.r.generic;
    let date = find_date(dom, scope, item, g.max_date_chars);
    let mut text_len = 0;
    let mut link_len = 0;
    let mut heading_link = false;
    let mut it = dom.descendants(item);
    let mut in_link: Vec<NodeId> = Vec::new();
    while let Some(n) = it.next() {
        if scope.is_item(n) {
            it.skip_subtree(n);
            continue;
        }
        if dom.is_text(n) {
            let l = dom.text(n).trim().chars().count();
            text_len += l;
            if dom.ancestors(n).take(6).any(|a| dom.is(a, name::A)) {
                link_len += l;
            }
        } else if matches!(dom.tag(n), Some(name::H1 | name::H2 | name::H3 | name::H4))
            && dom.find(n, |x| dom.is(x, name::A)).is_some()
            && dom.text_content(n).split_whitespace().count() >= ctx.r.generic.teaser_title_words
        {
            // A linked headline (not a linked author name) marks a teaser.
            heading_link = true;
        } else if dom.is(n, name::A) {
            in_link.push(n);
        }
    }
    Probe {
        date,
        text_len,
        link_len,
        heading_link,
    }
}

/// Finds a custom comment list inside a comment-named area.
pub(crate) fn detect(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let dom = ctx.cx.dom;
    let g = &ctx.r.generic;
    let mut areas: Vec<(NodeId, bool)> = g
        .area
        .outermost(dom, dom.body())
        .into_iter()
        .filter(|&a| g.exclude.closest(dom, a).is_none())
        .map(|a| (a, false))
        .collect();
    // Forum post containers, when no comment-named area holds them.
    for a in g.forum_area.outermost(dom, dom.body()) {
        if g.exclude.closest(dom, a).is_none()
            && !areas
                .iter()
                .any(|&(c, _)| dom.is_inclusive_ancestor(c, a) || dom.is_inclusive_ancestor(a, c))
        {
            areas.push((a, true));
        }
    }
    areas.sort_unstable();
    if areas.is_empty() {
        return None;
    }
    let mut unsegmented = None;
    for &(area, forum) in &areas {
        // group candidate elements by signature
        let mut groups: BTreeMap<String, Vec<NodeId>> = BTreeMap::new();
        let mut it = dom.descendants(area);
        while let Some(n) = it.next() {
            if !dom.is_element(n) {
                continue;
            }
            if g.exclude.matches(dom, n) || ctx.r.form.matches(dom, n) {
                it.skip_subtree(n);
                continue;
            }
            if let Some(sig) = signature(dom, n) {
                groups.entry(sig).or_default().push(n);
            }
        }
        let mut best: Option<(usize, NodeId, Vec<NodeId>)> = None;
        // Largest groups first; a budget bounds the work on huge areas.
        let mut groups: Vec<Vec<NodeId>> = groups
            .into_values()
            .filter(|m| m.len() >= g.min_items)
            .filter(|m| m.iter().any(|&x| dom.text_len(x) >= g.min_text_chars))
            .collect();
        groups.sort_by_key(|m| (std::cmp::Reverse(m.len()), m[0]));
        groups.truncate(g.max_groups_probed);
        for members in groups {
            let scope = Scope::new(dom, &members);
            let ok = members
                .iter()
                .filter(|&&m| {
                    let p = probe(ctx, &scope, m);
                    p.date.is_some()
                        && p.text_len >= g.min_text_chars
                        && !p.heading_link
                        && (p.link_len as f64) <= g.max_link_density * p.text_len as f64
                })
                .count();
            if ok < g.min_items || (ok as f64) < g.min_qualifying_share * members.len() as f64 {
                continue;
            }
            let first = members[0];
            let better = match &best {
                None => true,
                Some((c, f, _)) => ok > *c || (ok == *c && first < *f),
            };
            if better {
                best = Some((ok, first, members));
            }
        }
        let Some((_, _, members)) = best else {
            if !forum && unsegmented.is_none() && own_text_len(ctx, area) >= g.min_text_chars * 3 {
                unsegmented = Some(area);
            }
            continue;
        };
        let scope = Scope::new(dom, &members);
        let mut items = Vec::new();
        for &m in &members {
            items.push(read_item(ctx, &scope, m));
        }
        return Some(Found {
            system: Some("generic"),
            items,
            regions: vec![area],
            is_forum: forum,
            ..Default::default()
        });
    }
    unsegmented.map(|a| Found {
        system: Some("generic"),
        regions: vec![a],
        unsegmented: !ctx.says_closed(a),
        closed: ctx.says_closed(a),
        ..Default::default()
    })
}

/// Text length of an area without its forms, headings and UI chrome.
fn own_text_len(ctx: &Ctx<'_, '_>, area: NodeId) -> usize {
    let dom = ctx.cx.dom;
    let mut n = 0;
    let mut it = dom.descendants(area);
    while let Some(x) = it.next() {
        if dom.is_text(x) {
            n += dom.text(x).trim().chars().count();
        } else if ctx.r.form.matches(dom, x)
            || ctx.r.ui_exclude.matches(dom, x)
            || matches!(dom.tag(x), Some(name::H1 | name::H2 | name::H3 | name::H4))
            || dom.tag(x).is_some_and(crate::dom::is_non_rendered)
        {
            it.skip_subtree(x);
        }
    }
    n
}

fn read_item(ctx: &Ctx<'_, '_>, scope: &Scope<'_>, m: NodeId) -> Item {
    let dom = ctx.cx.dom;
    let g = &ctx.r.generic;
    let date = find_date(dom, scope, m, g.max_date_chars);
    let mut d = CommentDraft {
        node: Some(m),
        native_id: dom.id_attr(m).and_then(|i| {
            let digits: String = i.chars().filter(char::is_ascii_digit).collect();
            (!digits.is_empty()).then_some(digits)
        }),
        depth: scope.nesting(m),
        extraction: "dom".into(),
        ..Default::default()
    };
    let text_root = scope.own(m).into_iter().find(|&n| {
        g.text.matches(dom, n)
            && dom.text_len(n) >= g.min_text_chars
            && date.map_or(true, |dn| !dom.is_inclusive_ancestor(n, dn))
    });
    let author = scope.own(m).into_iter().find(|&n| {
        let l = dom.text_len(n);
        g.author.matches(dom, n)
            && l > 0
            && l <= g.max_author_chars
            && date.map_or(true, |dn| {
                !dom.is_inclusive_ancestor(n, dn) && !dom.is_inclusive_ancestor(dn, n)
            })
            && text_root.map_or(true, |t| !dom.is_inclusive_ancestor(t, n))
    });
    if let Some(a) = author {
        // An author box often holds rank and post counts too: the profile link inside it is
        // the name.
        let link = if dom.is(a, name::A) {
            Some(a)
        } else {
            dom.find(a, |x| {
                dom.is(x, name::A) && dom.attr_by(x, name::HREF).is_some() && dom.text_len(x) > 0
            })
        };
        d.author = link.and_then(|l| ctx.author(l)).or_else(|| ctx.author(a));
        d.author_url = link.and_then(|l| ctx.link_under(l));
    }
    let mut dates = Vec::new();
    if let Some(dn) = date {
        let (a, t) = date_of(dom, dn);
        dates.extend(a);
        dates.extend(t);
    }
    let body = match text_root {
        Some(t) => ctx.body(t, scope, Some(&g.skip), None),
        None => {
            let skip_nodes: Vec<NodeId> = author.into_iter().chain(date).collect();
            let dom2 = dom;
            let skip = |n: NodeId| {
                (n != m && scope.is_item(n))
                    || skip_nodes.contains(&n)
                    || ctx.r.ui_exclude.matches(dom2, n)
                    || g.skip.matches(dom2, n)
            };
            let no = |_: NodeId| false;
            super::common::body_text(
                dom,
                m,
                &super::common::TextOpts {
                    skip: &skip,
                    quote: &no,
                    ui_line: &ctx.r.ui_line,
                },
            )
        }
    };
    Ctx::set_body(&mut d, body);
    Item {
        dates,
        d,
        ..Default::default()
    }
}
