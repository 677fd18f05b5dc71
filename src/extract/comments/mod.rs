//! Comments: reader comments and forum posts as structured threads (SCHEMA §4.3, §6.5).
//!
//! Why it exists: no extractor in the field turns comments into rows with authors, dates and
//! threading. Each comment system has its own small adapter (one file each) that finds its
//! area and items and reads the fields; this module runs them in order (a known DOM adapter
//! wins, structured data next, the generic detector last), applies the one threading rule of
//! §6.5 to every adapter's output, parses dates against the page's hints (never the clock),
//! completes DOM rows from JSON-LD, and decides `comments_status`.

mod blogger;
mod common;
mod discourse;
mod disqus;
mod drupal;
mod generic;
mod hackernews;
mod phpbb;
mod reddit_old;
mod schema_org;
mod vbulletin;
mod wordpress;
mod wpdiscuz;
mod xenforo;

use serde::Deserialize;
use serde_json::Value;

use super::dates::{is_numeric_date, numeric_order, parse_date, parse_date_ordered, DateHints};
use super::metadata::Metadata;
use super::{CommentDraft, CommentsOut, CommentsStatus, Cx, Warning};
use crate::dom::{name, NodeId};
use crate::select::Selector;
use crate::settings::ConfigError;

/// One comment as an adapter reads it, before threading and date parsing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Item {
    /// The draft; `depth` holds the nesting depth (items above it) when `level` is None.
    pub d: CommentDraft,
    /// Explicit 0-based level marker (`depth-N`, `wpd_comment_level-N`, HN indent).
    pub level: Option<u32>,
    /// Explicit parent native id (wpDiscuz id suffix, HN `parent` link, Reddit parent link).
    pub parent_native: Option<String>,
    /// Date strings, best first (machine-readable attribute, then visible text).
    pub dates: Vec<String>,
}

/// What one adapter found on the page.
#[derive(Clone, Debug, Default)]
pub(crate) struct Found {
    /// `wordpress`, `wpdiscuz`, … (SCHEMA §5.3).
    pub system: Option<&'static str>,
    /// Items in document order.
    pub items: Vec<Item>,
    /// Elements of the comment area.
    pub regions: Vec<NodeId>,
    /// Count the page declares.
    pub declared: Option<i64>,
    /// No threading in this system: every item is top level.
    pub flat: bool,
    /// The posts are the page's content (forum thread).
    pub is_forum: bool,
    /// The area is a script shell; the value names the system/identifier.
    pub js_only: Option<Value>,
    /// The page says comments are closed.
    pub closed: bool,
    /// An area was found but could not be split into items.
    pub unsegmented: bool,
}

/// What an adapter may read.
pub(crate) struct Ctx<'a, 'b> {
    pub cx: &'a Cx<'b>,
    pub r: &'a CommentRules,
    pub jsonld: &'a [Value],
}

type Adapter = fn(&Ctx<'_, '_>) -> Option<Found>;

/// Adapters in precedence order: specific DOM markup first, structured data, generic last.
const ADAPTERS: &[Adapter] = &[
    wpdiscuz::detect,
    disqus::detect_fallback_list,
    drupal::detect,
    blogger::detect,
    wordpress::detect,
    discourse::detect,
    xenforo::detect,
    phpbb::detect,
    vbulletin::detect,
    hackernews::detect,
    reddit_old::detect,
    reddit_old::detect_new,
    schema_org::detect_microdata,
    schema_org::detect_jsonld,
    generic::detect,
    disqus::detect_shells,
];

/// Finds the comment area, splits it into items with the matching adapter.
pub fn extract(cx: &Cx<'_>, meta: &Metadata) -> CommentsOut {
    let own_jsonld;
    let jsonld: &[Value] = if meta.jsonld.is_empty() {
        own_jsonld = schema_org::jsonld_nodes(cx.dom);
        &own_jsonld
    } else {
        &meta.jsonld
    };
    let ctx = Ctx {
        cx,
        r: &cx.rules.comments,
        jsonld,
    };
    let mut chosen: Option<Found> = None;
    let mut fallback: Option<Found> = None;
    let mut extra_regions: Vec<NodeId> = Vec::new();
    for adapter in ADAPTERS {
        let Some(f) = adapter(&ctx) else { continue };
        if !f.items.is_empty() {
            chosen = Some(f);
            break;
        }
        extra_regions.extend(f.regions.iter().copied());
        // Without items, the most informative finding wins: a script shell, then a closed
        // note, then an area that could not be split, then a bare area.
        let rank = |f: &Found| {
            if f.js_only.is_some() {
                3
            } else if f.closed {
                2
            } else if f.unsegmented {
                1
            } else {
                0
            }
        };
        let better = fallback.as_ref().map_or(true, |old| rank(&f) > rank(old));
        if better {
            fallback = Some(f);
        }
    }
    let hints = DateHints {
        captured_at: cx.source.captured_at.as_deref(),
        article_date: meta.published_at.as_deref(),
    };
    let mut out = CommentsOut::default();
    let form_regions = ctx.r.form.outermost(cx.dom, cx.dom.root());
    match chosen {
        Some(mut f) => {
            if f.system != Some("schema_org") {
                schema_org::complete_from_jsonld(&mut f.items, jsonld, cx.base_url.as_ref());
            }
            thread(&mut f.items, f.flat);
            let unparsed = resolve_dates(&mut f.items, &hints);
            out.comments = f.items.into_iter().map(|i| i.d).collect();
            out.system = f.system.map(str::to_string);
            out.declared = f.declared;
            out.is_forum = f.is_forum;
            out.regions = f.regions;
            out.status = CommentsStatus::Extracted;
            let declared = f.declared.or(meta.comment_count_declared);
            if let Some(dc) = declared {
                if (out.comments.len() as i64) < dc {
                    out.status = CommentsStatus::Partial;
                    out.warnings.push(Warning {
                        code: "w_comments_partial",
                        stage: "comments",
                        message: format!(
                            "{} comments extracted, the page declares {dc}",
                            out.comments.len()
                        ),
                        detail: Some(serde_json::json!({
                            "extracted": out.comments.len(), "declared": dc,
                            "system": out.system,
                        })),
                    });
                }
            }
            if unparsed > 0 {
                out.warnings.push(Warning {
                    code: "w_date_unparsed",
                    stage: "comments",
                    message: format!("{unparsed} comment dates were found but not parsed"),
                    detail: Some(serde_json::json!({ "count": unparsed })),
                });
            }
        }
        None => {
            if let Some(f) = fallback {
                out.system = f.system.map(str::to_string);
                out.declared = f.declared;
                out.regions = f.regions;
                if let Some(detail) = f.js_only {
                    out.status = CommentsStatus::JsOnly;
                    out.warnings.push(Warning {
                        code: "w_comments_js_only",
                        stage: "comments",
                        message: "the comment area is loaded by script".into(),
                        detail: Some(detail),
                    });
                } else if f.closed {
                    out.status = CommentsStatus::Closed;
                } else if f.unsegmented {
                    out.warnings.push(Warning {
                        code: "w_comments_unsegmented",
                        stage: "comments",
                        message: "a comment area was found but could not be split into items"
                            .into(),
                        detail: out
                            .system
                            .as_ref()
                            .map(|s| serde_json::json!({"system": s})),
                    });
                }
            }
        }
    }
    out.regions.extend(extra_regions);
    out.regions = safe_regions(&ctx, std::mem::take(&mut out.regions), &out.comments);
    out.regions.extend(form_regions);
    out.regions.sort_unstable();
    out.regions.dedup();
    // Keep only outermost regions.
    let set: std::collections::BTreeSet<NodeId> = out.regions.iter().copied().collect();
    out.regions
        .retain(|&n| !cx.dom.ancestors(n).any(|a| set.contains(&a)));
    out
}

/// Replaces regions that also hold the article (a wrapper named like a comment area) by the
/// comment items inside them; the article text must never be excluded from the content.
fn safe_regions(ctx: &Ctx<'_, '_>, regions: Vec<NodeId>, comments: &[CommentDraft]) -> Vec<NodeId> {
    let dom = ctx.cx.dom;
    let mut out = Vec::new();
    for r in regions {
        let unsafe_region = dom.is(r, name::BODY)
            || dom.is(r, name::HTML)
            || ctx.r.not_region.matches(dom, r)
            || ctx.r.not_region.first(dom, r).is_some();
        if !unsafe_region {
            out.push(r);
            continue;
        }
        out.extend(
            comments
                .iter()
                .filter_map(|c| c.node)
                .filter(|&n| dom.is_inclusive_ancestor(r, n)),
        );
    }
    out
}

/// Deeper levels are treated as this one (bounds memory on hostile markers).
const MAX_DEPTH: u32 = 500;

/// SCHEMA §6.5 threading: depth from the explicit marker else nesting; parent = nearest
/// preceding item one level up; an explicit parent id overrides.
pub(crate) fn thread(items: &mut [Item], flat: bool) {
    // last[d] = the latest item at depth d (None when the page skips a level: the parent of
    // a deeper item is then unknown, not guessed).
    let mut last: Vec<Option<usize>> = Vec::new();
    for i in 0..items.len() {
        let mut depth = if flat {
            0
        } else {
            items[i].level.unwrap_or(items[i].d.depth).min(MAX_DEPTH)
        };
        let mut parent = depth
            .checked_sub(1)
            .and_then(|d| last.get(d as usize).copied().flatten());
        if !flat {
            if let Some(pn) = items[i].parent_native.clone() {
                match (0..i)
                    .rev()
                    .find(|&j| items[j].d.native_id.as_deref() == Some(pn.as_str()))
                {
                    Some(j) => {
                        parent = Some(j);
                        depth = items[j].d.depth + 1;
                    }
                    // The named parent is not on this page (paginated, deleted).
                    None => parent = None,
                }
            }
        }
        items[i].d.depth = depth;
        items[i].d.parent = parent;
        last.truncate(depth as usize);
        last.resize(depth as usize, None);
        last.push(Some(i));
    }
}

/// Parses each item's date candidates; returns how many items had a date that did not parse.
fn resolve_dates(items: &mut [Item], hints: &DateHints<'_>) -> usize {
    // The order of all-numeric dates is a property of the page (its locale): decide it once
    // from unambiguous dates and from items that also carry a machine-readable date.
    let known: Vec<Option<String>> = items
        .iter()
        .map(|it| {
            it.dates
                .first()
                .filter(|d| !is_numeric_date(d))
                .and_then(|d| parse_date(d, &DateHints::default()))
                .map(|p| p.iso)
        })
        .collect();
    let month_first = numeric_order(items.iter().zip(&known).flat_map(|(it, k)| {
        it.dates
            .iter()
            .skip(usize::from(k.is_some()))
            .map(move |d| (d.as_str(), k.as_deref()))
    }));
    let mut unparsed = 0;
    for it in items.iter_mut() {
        if it.dates.is_empty() {
            continue;
        }
        let hit = it
            .dates
            .iter()
            .find_map(|raw| parse_date_ordered(raw, hints, month_first).map(|p| (raw.clone(), p)));
        match hit {
            Some((raw, p)) => {
                it.d.published_raw = Some(raw);
                it.d.published_at = Some(p.iso);
                it.d.published_inferred = p.inferred;
            }
            None => {
                it.d.published_raw = it.dates.first().cloned();
                unparsed += 1;
            }
        }
    }
    unparsed
}

// ---------------------------------------------------------------------------------------------
// configuration

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentsConf {
    ui_exclude: Vec<String>,
    ui_lines: Vec<String>,
    author_suffix: String,
    closed: String,
    closed_phrases: Vec<String>,
    declared_title: String,
    later_page: String,
    not_region: String,
    form: String,
    generic: toml::Table,
    wordpress: toml::Table,
    blogger: toml::Table,
    wpdiscuz: toml::Table,
    disqus: toml::Table,
    drupal: toml::Table,
    discourse: toml::Table,
    xenforo: toml::Table,
    phpbb: toml::Table,
    vbulletin: toml::Table,
    hackernews: toml::Table,
    reddit_old: toml::Table,
    reddit_new: toml::Table,
    microdata: toml::Table,
}

/// Compiled `[comments]` rules.
#[derive(Debug)]
pub struct CommentRules {
    /// UI chrome never part of a comment's text.
    pub(crate) ui_exclude: Selector,
    /// Whole blocks dropped from comment text.
    pub(crate) ui_line: regex::Regex,
    /// "says:" after an author name.
    pub(crate) author_suffix: regex::Regex,
    /// Elements saying comments are closed.
    pub(crate) closed: Selector,
    /// Phrases saying comments are closed.
    pub(crate) closed_phrase: regex::Regex,
    /// A "13 Comments" heading: the first capture is the count.
    pub(crate) declared_title: regex::Regex,
    /// Comment forms (`#respond`): always part of the comment regions.
    pub(crate) form: Selector,
    /// A URL of a later page of a thread.
    pub(crate) later_page: regex::Regex,
    /// A region containing one of these also holds the article.
    pub(crate) not_region: Selector,
    pub(crate) generic: generic::Rules,
    pub(crate) wordpress: wordpress::Sel,
    pub(crate) blogger: blogger::Sel,
    pub(crate) wpdiscuz: wpdiscuz::Sel,
    pub(crate) disqus: disqus::Rules,
    pub(crate) drupal: drupal::Sel,
    pub(crate) discourse: discourse::Sel,
    pub(crate) xenforo: xenforo::Sel,
    pub(crate) phpbb: phpbb::Sel,
    pub(crate) vbulletin: vbulletin::Sel,
    pub(crate) hackernews: hackernews::Sel,
    pub(crate) reddit_old: reddit_old::Sel,
    pub(crate) reddit_new: reddit_old::NewSel,
    pub(crate) microdata: schema_org::Sel,
}

fn alternation(list: &[String], anchored: bool) -> Result<regex::Regex, ConfigError> {
    let body = list
        .iter()
        .map(|s| format!("(?:{s})"))
        .collect::<Vec<_>>()
        .join("|");
    let pat = if anchored {
        format!("(?i)^(?:{body})$")
    } else {
        format!("(?i)(?:{body})")
    };
    Ok(regex::Regex::new(&pat)?)
}

impl CommentRules {
    /// Compiles the `[comments]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: CommentsConf = crate::settings::section(table, "comments")?;
        Ok(CommentRules {
            ui_exclude: Selector::parse_list(&c.ui_exclude)?,
            ui_line: alternation(&c.ui_lines, true)?,
            author_suffix: regex::Regex::new(&c.author_suffix)?,
            closed: Selector::parse(&c.closed)?,
            closed_phrase: alternation(&c.closed_phrases, false)?,
            declared_title: regex::Regex::new(&c.declared_title)?,
            form: Selector::parse(&c.form)?,
            not_region: Selector::parse(&c.not_region)?,
            later_page: regex::Regex::new(&c.later_page)?,
            generic: generic::Rules::compile(&c.generic)?,
            wordpress: wordpress::Sel::compile(&c.wordpress, "wordpress")?,
            blogger: blogger::Sel::compile(&c.blogger, "blogger")?,
            wpdiscuz: wpdiscuz::Sel::compile(&c.wpdiscuz, "wpdiscuz")?,
            disqus: disqus::Rules::compile(&c.disqus)?,
            drupal: drupal::Sel::compile(&c.drupal, "drupal")?,
            discourse: discourse::Sel::compile(&c.discourse, "discourse")?,
            xenforo: xenforo::Sel::compile(&c.xenforo, "xenforo")?,
            phpbb: phpbb::Sel::compile(&c.phpbb, "phpbb")?,
            vbulletin: vbulletin::Sel::compile(&c.vbulletin, "vbulletin")?,
            hackernews: hackernews::Sel::compile(&c.hackernews, "hackernews")?,
            reddit_old: reddit_old::Sel::compile(&c.reddit_old, "reddit_old")?,
            reddit_new: reddit_old::NewSel::compile(&c.reddit_new, "reddit_new")?,
            microdata: schema_org::Sel::compile(&c.microdata, "microdata")?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// helpers for adapters

impl Ctx<'_, '_> {
    /// Comment text of `root` minus UI chrome, nested items (`scope`) and `extra_skip`;
    /// `quote` subtrees become `quoted_text`.
    pub(crate) fn body(
        &self,
        root: NodeId,
        scope: &common::Scope<'_>,
        extra_skip: Option<&common::Pick>,
        quote: Option<&common::Pick>,
    ) -> common::BodyText {
        self.body_without(root, scope, extra_skip, quote, &[])
    }

    /// [`Ctx::body`] that also leaves out the given elements (an author name printed in the
    /// text container of old themes).
    pub(crate) fn body_without(
        &self,
        root: NodeId,
        scope: &common::Scope<'_>,
        extra_skip: Option<&common::Pick>,
        quote: Option<&common::Pick>,
        skip_nodes: &[NodeId],
    ) -> common::BodyText {
        let dom = self.cx.dom;
        let skip = |n: NodeId| {
            (n != root && scope.is_item(n))
                || skip_nodes.contains(&n)
                || self.r.ui_exclude.matches(dom, n)
                || extra_skip.is_some_and(|s| s.matches(dom, n))
        };
        let q = |n: NodeId| quote.is_some_and(|s| s.matches(dom, n));
        common::body_text(
            dom,
            root,
            &common::TextOpts {
                skip: &skip,
                quote: &q,
                ui_line: &self.r.ui_line,
            },
        )
    }

    /// Fills text, quoted text and links of a draft from a body.
    pub(crate) fn set_body(d: &mut CommentDraft, b: common::BodyText) {
        d.text = b.text;
        d.quoted_text = b.quoted;
        d.links = b.links;
    }

    /// Author display name of an element, "says:" removed.
    pub(crate) fn author(&self, n: NodeId) -> Option<String> {
        common::text_of(self.cx.dom, n)
            .and_then(|t| common::clean_author(&t, &self.r.author_suffix))
    }

    /// The first `a[href]` at or under `n`, absolutized.
    pub(crate) fn link_under(&self, n: NodeId) -> Option<String> {
        let dom = self.cx.dom;
        let a = if dom.is(n, name::A) {
            Some(n)
        } else {
            dom.find(n, |x| {
                dom.is(x, name::A) && dom.attr_by(x, name::HREF).is_some()
            })
        }?;
        common::abs_url(dom.attr_by(a, name::HREF), self.cx.base_url.as_ref())
    }

    /// A declared count from a "13 Comments" heading.
    pub(crate) fn declared_from(&self, n: NodeId) -> Option<i64> {
        let t = self.cx.dom.text_content(n);
        let caps = self.r.declared_title.captures(&t)?;
        let g = caps.get(1)?.as_str();
        const WORDS: &[&str] = &[
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve",
        ];
        let g = g.to_lowercase();
        common::parse_count(&g)
            .or_else(|| WORDS.iter().position(|w| *w == g).map(|i| i as i64 + 1))
            .or_else(|| {
                matches!(
                    g.as_str(),
                    "ein" | "eine" | "un" | "une" | "uno" | "una" | "um" | "uma" | "een"
                )
                .then_some(1)
            })
    }

    /// Forum threads: the author of the first post is the thread starter — unless this page
    /// is a later page of the thread (the first post's counter is not `#1`, or the URL names
    /// a later page), where the starter is unknown.
    /// A flat forum thread as the forum adapters return it: the thread starter marked, the
    /// enclosing `area` of the first post (else the posts themselves) as the comment region.
    pub(crate) fn forum_thread(
        &self,
        system: &'static str,
        mut items: Vec<Item>,
        area: &common::Pick,
        posts: &[NodeId],
    ) -> Option<Found> {
        self.mark_thread_starter(&mut items);
        let first = *posts.first()?;
        let regions = match area.closest(self.cx.dom, first) {
            Some(a) => vec![a],
            None => posts.to_vec(),
        };
        Some(Found {
            system: Some(system),
            items,
            regions,
            flat: true,
            is_forum: true,
            ..Default::default()
        })
    }

    pub(crate) fn mark_thread_starter(&self, items: &mut [Item]) {
        let dom = self.cx.dom;
        let Some(first) = items.first() else { return };
        let counter = first.d.node.and_then(|n| {
            dom.descendants(n)
                .filter(|&t| dom.is_text(t))
                .map(|t| dom.text(t).trim())
                .find(|t| {
                    t.len() > 1 && t.starts_with('#') && t[1..].bytes().all(|b| b.is_ascii_digit())
                })
                .map(str::to_string)
        });
        let later_page = match counter.as_deref() {
            Some(c) => c != "#1",
            None => {
                first.d.native_id.as_deref() != Some("1")
                    && self
                        .cx
                        .page_url
                        .as_ref()
                        .is_some_and(|u| self.r.later_page.is_match(u.as_str()))
            }
        };
        if later_page {
            return;
        }
        let op = first.d.author.clone();
        for it in items.iter_mut() {
            it.d.author_is_op = op.is_some() && it.d.author == op;
        }
    }

    /// True when a "comments are closed" note is under `n`.
    pub(crate) fn says_closed(&self, n: NodeId) -> bool {
        let dom = self.cx.dom;
        self.r.closed.first(dom, n).is_some()
            || self.r.closed.matches(dom, n)
            || dom
                .find_all(n, |x| {
                    matches!(
                        dom.tag(x),
                        Some(name::P | name::DIV | name::SPAN | name::H3)
                    ) && dom.text_len(x) < 120
                })
                .into_iter()
                .any(|x| self.r.closed_phrase.is_match(&dom.text_content(x)))
    }
}

#[cfg(test)]
mod tests;
