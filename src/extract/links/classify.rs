//! The ordered link rules of SCHEMA §6.6 (first match wins), one small function per rule.
//!
//! Why it exists: a link's kind depends on where it sits (comment, body paragraph, related
//! block, chrome) and where it points (share intent, ad network, taxonomy page, article). One
//! ancestor walk per link gathers the "where" ([`Ctx`]); the target URL gives the "where to"
//! ([`Facts`]); the rules below read both and return the `kind_rule` that decided.

use super::blocks::ADJACENT;
use super::marks::Marks;
use super::merge::{self, Group, Pending};
use super::rules::LinkRules;
use super::urls::{self, Target};
use super::{Page, Resolved, Targets};
use crate::dom::{name, Dom, NodeId, NodeMap, NodeSet};
use crate::extract::{CommentsOut, ContentOut, Cx, LinkBlock, LinkDraft, LinksOut, Warning};

/// Labels of blocks whose links are navigation, never related.
const NAV_BLOCKS: &[&str] = &["recent_posts", "popular_posts", "topics"];
/// Label of sponsored blocks.
const SPONSORED: &str = "sponsored";

/// Where a link sits, from one walk over its ancestors (nearest first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ctx {
    /// Innermost comment item holding the link.
    pub comment: Option<usize>,
    /// Inside the comment area.
    pub in_comments: bool,
    /// Content block (paragraph) holding the link.
    pub content_block: Option<usize>,
    /// Inline read-more block holding the link.
    pub read_more: Option<usize>,
    /// Related / recirculation block holding the link.
    pub link_block: Option<usize>,
    /// A share/follow container between the link and its block.
    pub share: bool,
    /// A sponsored container between the link and its block.
    pub sponsored: bool,
    /// Nearest chrome container: index into `rules.chrome` and the element.
    pub chrome: Option<(usize, NodeId)>,
}

/// What the `<a>` itself says.
#[derive(Clone, Debug)]
pub struct Facts<'t> {
    /// `href` as written.
    pub href: &'t str,
    /// Resolved http(s) target.
    pub target: Option<&'t Target>,
    /// Category, tag or author by the target URL, with the `kind_rule` text.
    pub taxonomy: Option<&'t (&'static str, String)>,
    /// The share action the `href` is, if any (rule 3).
    pub share: Option<&'static str>,
    /// `rel` tokens, lowercase.
    pub rel: Vec<String>,
    /// Why the target is not an article of this site (`None` = it is one).
    pub not_article: Option<&'static str>,
    /// Target on the page's registrable domain (true when unknown).
    pub same_site: bool,
    /// Visible anchor text (image `alt` when there is none).
    pub anchor_text: String,
    /// The anchor wraps an image.
    pub has_image: bool,
    /// The anchor leads to an index ("View all", "Back to blog"), not to one item.
    pub non_item: bool,
    /// The anchor text starts with a read-more phrase ("Read more").
    pub read_more: bool,
    /// The target is an ad / recirculation network ([`urls::is_ad_host`]).
    pub ad_host: bool,
    /// The target is a social network profile ([`urls::is_social_host`]).
    pub social_host: bool,
}

impl Facts<'_> {
    fn has_rel(&self, t: &str) -> bool {
        self.rel.iter().any(|r| r == t)
    }
}

/// A rule's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub kind: &'static str,
    pub rule: String,
    pub block: Option<String>,
    pub heading: Option<String>,
    pub group: Option<Group>,
    /// Takes a `block_position` (recommendation rank).
    pub ranked: bool,
}

fn decide(kind: &'static str, rule: impl Into<String>) -> Decision {
    Decision {
        kind,
        rule: rule.into(),
        block: None,
        heading: None,
        group: None,
        ranked: false,
    }
}

/// Lookup tables built once per page from the earlier stages.
pub(crate) struct Maps<'a> {
    /// Nodes that are a key of any map below or a comment region (most ancestors are none:
    /// one bit test instead of four hash lookups).
    keyed: NodeSet,
    regions: NodeSet,
    comment_of: NodeMap<usize>,
    comment_span: NodeMap<(usize, usize)>,
    block_of: NodeMap<usize>,
    block_span: NodeMap<(usize, usize, usize)>,
    read_more_of: NodeMap<usize>,
    link_block_of: NodeMap<usize>,
    groups: Vec<usize>,
    boundary: Option<NodeId>,
    blocks: &'a [LinkBlock],
    content: &'a ContentOut,
    rules: &'a LinkRules,
}

impl<'a> Maps<'a> {
    fn new(
        dom: &Dom,
        content: &'a ContentOut,
        comments: &CommentsOut,
        blocks: &'a [LinkBlock],
        rules: &'a LinkRules,
    ) -> Self {
        let mut regions = NodeSet::for_dom(dom);
        for &r in &comments.regions {
            regions.insert(r);
        }
        let mut comment_of = NodeMap::default();
        let mut comment_span = NodeMap::default();
        for (k, c) in comments.comments.iter().enumerate() {
            if let Some(n) = c.node {
                comment_of.entry(n).or_insert(k);
            }
            for l in &c.links {
                comment_span.insert(l.node, (l.start, l.end));
            }
        }
        let mut block_of = NodeMap::default();
        let mut block_span = NodeMap::default();
        for (i, b) in content.blocks.iter().enumerate() {
            block_of.entry(b.node).or_insert(i);
            for l in &b.links {
                block_span.insert(l.node, (i, l.start, l.end));
            }
        }
        let mut read_more_of = NodeMap::default();
        for (i, b) in content.read_more.iter().enumerate() {
            read_more_of.entry(b.node).or_insert(i);
            for l in &b.links {
                read_more_of.entry(l.node).or_insert(i);
            }
        }
        let mut link_block_of = NodeMap::default();
        for (i, b) in blocks.iter().enumerate() {
            link_block_of.entry(b.node).or_insert(i);
        }
        let mut keyed = regions.clone();
        for &n in comment_of
            .keys()
            .chain(block_of.keys())
            .chain(read_more_of.keys())
            .chain(link_block_of.keys())
        {
            keyed.insert(n);
        }
        Maps {
            keyed,
            regions,
            comment_of,
            comment_span,
            block_of,
            block_span,
            read_more_of,
            link_block_of,
            groups: block_groups(dom, blocks),
            boundary: content.main_node,
            blocks,
            content,
            rules,
        }
    }
}

/// Group id per block: a block continues its predecessor's group when it is the next element
/// sibling run member with the same label and heading (heading + list runs).
fn block_groups(dom: &Dom, blocks: &[LinkBlock]) -> Vec<usize> {
    let mut g = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        let cont = i > 0 && {
            let p = &blocks[i - 1];
            p.label == b.label
                && p.heading == b.heading
                && dom.parent(p.node) == dom.parent(b.node)
                && dom.parent(b.node).is_some()
        };
        g.push(if cont { g[i - 1] } else { i });
    }
    g
}

fn is_main_boundary(dom: &Dom, n: NodeId, boundary: Option<NodeId>) -> bool {
    Some(n) == boundary
        || matches!(dom.tag(n), Some(name::MAIN | name::BODY | name::HTML))
        || dom
            .attr_by(n, name::ROLE)
            .is_some_and(|r| r.eq_ignore_ascii_case("main"))
}

/// Per-node results of the class/selector tests [`context`] runs on every ancestor of every
/// link: each node is tested once per page however many links sit under it.
struct Memo {
    /// 0 = not yet computed, 1 = no chrome entry matches, `i + 2` = chrome entry `i`.
    chrome: Vec<u32>,
    /// 0 = not yet computed, else `1 | share << 1 | sponsored << 2 | main boundary << 3`.
    class: Vec<u8>,
    /// Per chrome entry: the elements its selector matches (one indexed query per page
    /// instead of a selector test per ancestor); `None` without a selector.
    chrome_sel: Vec<Option<NodeSet>>,
}

impl Memo {
    fn new(dom: &Dom, r: &LinkRules) -> Self {
        let chrome_sel = r
            .chrome
            .iter()
            .map(|ch| {
                ch.selector.as_ref().map(|s| {
                    let mut set = NodeSet::for_dom(dom);
                    for n in s.all(dom, dom.root()) {
                        set.insert(n);
                    }
                    set
                })
            })
            .collect();
        Memo {
            chrome: vec![0; dom.len()],
            class: vec![0; dom.len()],
            chrome_sel,
        }
    }

    fn chrome(&mut self, dom: &Dom, n: NodeId, r: &LinkRules, marks: &Marks) -> Option<usize> {
        let slot = self.chrome.get_mut(n as usize)?;
        if *slot == 0 {
            let sel = &self.chrome_sel;
            *slot = r
                .chrome
                .iter()
                .enumerate()
                .position(|(i, ch)| {
                    sel.get(i)
                        .and_then(Option::as_ref)
                        .is_some_and(|set| set.contains(n))
                        || marks.has(dom, n, &ch.tokens, r)
                })
                .map_or(1, |i| i as u32 + 2);
        }
        (*slot >= 2).then(|| (*slot - 2) as usize)
    }

    /// (share, sponsored, main boundary) tests of `n`.
    fn class(
        &mut self,
        dom: &Dom,
        n: NodeId,
        r: &LinkRules,
        marks: &Marks,
        boundary: Option<NodeId>,
    ) -> (bool, bool, bool) {
        let Some(slot) = self.class.get_mut(n as usize) else {
            return (false, false, is_main_boundary(dom, n, boundary));
        };
        if *slot == 0 {
            let share = marks.has(dom, n, &r.share_class, r);
            let sponsored = marks.has(dom, n, &r.sponsored_class, r);
            let main = is_main_boundary(dom, n, boundary);
            *slot = 1 | (u8::from(share) << 1) | (u8::from(sponsored) << 2) | (u8::from(main) << 3);
        }
        (*slot & 2 != 0, *slot & 4 != 0, *slot & 8 != 0)
    }
}

fn context(
    dom: &Dom,
    a: NodeId,
    m: &Maps<'_>,
    r: &LinkRules,
    memo: &mut Memo,
    marks: &Marks,
) -> Ctx {
    let mut c = Ctx::default();
    let mut level = 0usize;
    let mut near = true; // share/sponsored/chrome are read only up to the link's block
    for anc in std::iter::once(a).chain(dom.ancestors(a)) {
        level += 1;
        // most ancestors are in no map: one bit test instead of four hash lookups
        if m.keyed.contains(anc) {
            if c.comment.is_none() {
                c.comment = m.comment_of.get(&anc).copied();
            }
            c.in_comments |= m.regions.contains(anc);
            if c.content_block.is_none() {
                c.content_block = m.block_of.get(&anc).copied();
            }
            if c.read_more.is_none() {
                c.read_more = m.read_more_of.get(&anc).copied();
            }
            if c.link_block.is_none() {
                if let Some(&b) = m.link_block_of.get(&anc) {
                    c.link_block = Some(b);
                    near = false;
                }
            }
        }
        if !near {
            continue;
        }
        let (share, sponsored, main) = memo.class(dom, anc, r, marks, m.boundary);
        if main {
            near = false;
            continue;
        }
        if level <= r.container_max_levels_up {
            c.share |= share;
            c.sponsored |= sponsored;
        }
        if c.chrome.is_none() {
            c.chrome = memo.chrome(dom, anc, r, marks).map(|i| (i, anc));
        }
    }
    c
}

fn facts<'t>(
    dom: &'t Dom,
    a: NodeId,
    href: &'t str,
    t: &'t Resolved,
    r: &LinkRules,
    marks: &Marks,
) -> Facts<'t> {
    let (anchor_text, has_image) = anchor(dom, a, r, marks);
    let (non_item, read_more) = anchor_phrases(&anchor_text, r);
    let rel = dom
        .attr_by(a, name::REL)
        .unwrap_or("")
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    Facts {
        href,
        target: t.target.as_ref(),
        taxonomy: t.taxonomy.as_ref(),
        share: t.share,
        rel,
        not_article: t.not_article,
        same_site: t.same_site,
        non_item,
        read_more,
        anchor_text,
        has_image,
        ad_host: t.ad_host,
        social_host: t.social_host,
    }
}

/// Whether an anchor text starts with a non-item phrase ("View all") and with a read-more
/// phrase. The label's first byte is the lowercased first alphanumeric character of the text
/// when the text is ASCII up to it; when no phrase of either lexicon starts with that byte the
/// text is not normalised at all.
fn anchor_phrases(text: &str, r: &LinkRules) -> (bool, bool) {
    let first = text
        .bytes()
        .find(|b| !b.is_ascii() || b.is_ascii_alphanumeric());
    let skip = match first {
        // no alphanumeric character: the label is empty and matches nothing
        None => true,
        Some(b) if b.is_ascii() => {
            let b = b.to_ascii_lowercase();
            !r.non_item_anchors.may_start_with(b) && !r.read_more.may_start_with(b)
        }
        Some(_) => false,
    };
    if skip {
        return (false, false);
    }
    let label = super::rules::normalize_label(text);
    (
        r.non_item_anchors.matches_label(&label).is_some(),
        r.read_more.matches_label(&label).is_some(),
    )
}

/// The label of the container a non-related link sits in (its block, else its chrome).
fn container_label(c: &Ctx, m: &Maps<'_>, r: &LinkRules) -> Option<String> {
    c.link_block
        .and_then(|b| m.blocks.get(b))
        .map(|b| b.label.clone())
        .or_else(|| {
            c.chrome
                .and_then(|(i, _)| r.chrome.get(i))
                .map(|ch| ch.label.clone())
        })
}

/// Rule 0: same-page links (`#…` resolved onto the page itself) are not emitted.
pub(crate) fn rule0_same_page(f: &Facts, page: &Page<'_>) -> bool {
    match (&f.target, &page.key) {
        (Some(t), Some(k)) => t.absolute.fragment().is_some() && &t.key == k,
        _ => false,
    }
}

/// Rule 1: inside the comment area.
pub fn rule1_comment(c: &Ctx) -> Option<Decision> {
    (c.in_comments || c.comment.is_some()).then(|| Decision {
        block: Some("comments".into()),
        ..decide("comment", "in:comments")
    })
}

/// Rule 2: sponsored (rel, ad network, paid recommender item, sponsored block or container).
pub fn rule2_sponsored(f: &Facts, c: &Ctx, blocks: &[LinkBlock]) -> Option<Decision> {
    let block = c.link_block.and_then(|b| blocks.get(b));
    // A same-site article inside a related block stays related even when the site marks all
    // its links `rel=sponsored` (seen on news sites); paid placements point elsewhere.
    let own_related = f.same_site
        && f.target.is_some()
        && block.is_some_and(|b| !NAV_BLOCKS.contains(&b.label.as_str()) && b.label != SPONSORED);
    let rule = if f.has_rel("sponsored") && !own_related {
        "rel:sponsored".to_string()
    } else if f.target.is_some() && f.ad_host {
        "host:ad_network".to_string()
    } else if let Some(b) = block.filter(|b| b.external && f.target.is_some() && !f.same_site) {
        b.rule.clone()
    } else if let Some(b) = block.filter(|b| b.label == SPONSORED) {
        b.rule.clone()
    } else if c.sponsored && c.content_block.is_none() {
        "container:sponsored".to_string()
    } else {
        return None;
    };
    Some(decide("sponsored", rule))
}

/// Rule 3: share actions anywhere; share containers and social profiles outside the prose.
pub fn rule3_social(f: &Facts, c: &Ctx) -> Option<Decision> {
    if let Some(rule) = f.share {
        return Some(Decision {
            block: c.share.then(|| "share".to_string()),
            ..decide("social", rule)
        });
    }
    // Where the author or a related block put it wins over container classes.
    if c.content_block.is_some() || c.read_more.is_some() || c.link_block.is_some() {
        return None;
    }
    if c.share {
        return Some(Decision {
            block: Some("share".into()),
            ..decide("social", "container:share")
        });
    }
    (f.target.is_some() && f.social_host).then(|| decide("social", "host:social_profile"))
}

/// Rule 4: a link of an inline "Read more: …" line removed from the body text.
pub fn rule4_read_more(f: &Facts, c: &Ctx, content: &ContentOut) -> Option<Decision> {
    let i = c.read_more?;
    if f.target.is_none() || f.not_article == Some("self") {
        return None;
    }
    let heading = content.read_more.get(i).and_then(read_more_heading);
    Some(Decision {
        block: Some("inline_read_more".into()),
        heading,
        group: Some(Group::ReadMore(i)),
        ranked: true,
        ..decide("related", "block:inline_read_more")
    })
}

/// The lead-in of a read-more line ("Read more:"), as shown.
fn read_more_heading(b: &crate::extract::Block) -> Option<String> {
    let start = b.links.iter().map(|l| l.start).min()?;
    let lead: String = b.text.chars().take(start).collect();
    let lead = lead.trim();
    (!lead.is_empty()).then(|| lead.to_string())
}

/// Rule 5: inside an extracted paragraph.
pub fn rule5_in_body(c: &Ctx) -> Option<Decision> {
    c.content_block.map(|_| Decision {
        block: Some("body".into()),
        ..decide("in_body", "in:paragraph")
    })
}

/// Rule 6: previous / next article.
pub(crate) fn rule6_adjacent(f: &Facts, c: &Ctx, m: &Maps<'_>) -> Option<Decision> {
    if f.not_article.is_some() || !f.same_site || f.non_item {
        return None;
    }
    let block = c
        .link_block
        .filter(|&b| m.blocks.get(b).is_some_and(|b| b.label == ADJACENT));
    let rel = ["prev", "previous", "next"]
        .into_iter()
        .find(|t| f.has_rel(t));
    let rule = match (rel, block) {
        (Some(t), _) => format!("rel:{}", if t == "previous" { "prev" } else { t }),
        (None, Some(_)) => format!("block:{ADJACENT}"),
        (None, None) => return None,
    };
    Some(Decision {
        block: Some(ADJACENT.into()),
        group: Some(match block {
            Some(b) => Group::Block(m.groups.get(b).copied().unwrap_or(b)),
            None => Group::Rel,
        }),
        ranked: true,
        ..decide("related", rule)
    })
}

/// Rule 7: an article link inside a related block.
pub(crate) fn rule7_related_block(f: &Facts, c: &Ctx, m: &Maps<'_>) -> Option<Decision> {
    let i = c.link_block?;
    let b = m.blocks.get(i)?;
    if NAV_BLOCKS.contains(&b.label.as_str()) || b.label == SPONSORED || b.label == ADJACENT {
        return None;
    }
    if f.not_article.is_some() || !(f.same_site || b.external) || f.non_item {
        return None;
    }
    let generic = !b.rule.starts_with("block:");
    let listing = m.content.page_type.as_deref().is_some_and(|t| {
        m.rules
            .generic_related_skip_page_types
            .iter()
            .any(|s| s.eq_ignore_ascii_case(t))
    });
    if generic && listing {
        return None;
    }
    Some(Decision {
        block: Some(b.label.clone()),
        heading: b.heading.clone(),
        group: Some(Group::Block(m.groups.get(i).copied().unwrap_or(i))),
        ranked: true,
        ..decide("related", b.rule.clone())
    })
}

/// Rules 8–10: category, tag, author (by `rel`, then by URL).
pub fn rule8_10_taxonomy(f: &Facts) -> Option<Decision> {
    if f.has_rel("category") {
        return Some(decide("category", "rel:category"));
    }
    let by_url = f.taxonomy;
    if let Some(("category", rule)) = by_url {
        return Some(decide("category", rule.as_str()));
    }
    if f.has_rel("tag") {
        return Some(decide("tag", "rel:tag"));
    }
    if let Some(("tag", rule)) = by_url {
        return Some(decide("tag", rule.as_str()));
    }
    if f.has_rel("author") {
        return Some(decide("author", "rel:author"));
    }
    by_url.map(|(k, rule)| decide(k, rule.as_str()))
}

/// Rule 11: recent/popular widgets and page chrome.
pub(crate) fn rule11_navigation(c: &Ctx, m: &Maps<'_>, r: &LinkRules) -> Option<Decision> {
    if let Some(i) = c.link_block {
        if let Some(b) = m
            .blocks
            .get(i)
            .filter(|b| NAV_BLOCKS.contains(&b.label.as_str()))
        {
            return Some(Decision {
                block: Some(b.label.clone()),
                heading: b.heading.clone(),
                group: Some(Group::Block(m.groups.get(i).copied().unwrap_or(i))),
                ranked: true,
                ..decide("navigation", b.rule.clone())
            });
        }
    }
    let (i, node) = c.chrome?;
    let label = &r.chrome.get(i)?.label;
    Some(Decision {
        block: Some(label.clone()),
        group: Some(Group::Chrome(node)),
        ..decide("navigation", format!("in:{label}"))
    })
}

/// Applies rules 1–12 in order (rule 0 is applied by the caller).
pub(crate) fn decide_link(f: &Facts, c: &Ctx, m: &Maps<'_>, r: &LinkRules) -> Decision {
    let container = || container_label(c, m, r);
    let with_block = |mut d: Decision| {
        if d.block.is_none() {
            d.block = container();
        }
        d
    };
    if let Some(d) = rule1_comment(c) {
        return d;
    }
    if let Some(d) = rule2_sponsored(f, c, m.blocks) {
        return with_block(d);
    }
    if let Some(d) = rule3_social(f, c) {
        return with_block(d);
    }
    if let Some(d) = rule4_read_more(f, c, m.content) {
        return d;
    }
    if let Some(d) = rule5_in_body(c) {
        return d;
    }
    if let Some(d) = rule6_adjacent(f, c, m) {
        return d;
    }
    if let Some(d) = rule7_related_block(f, c, m) {
        return d;
    }
    if let Some(d) = rule8_10_taxonomy(f) {
        return with_block(d);
    }
    if let Some(d) = rule11_navigation(c, m, r) {
        return d;
    }
    with_block(decide("other", "default"))
}

/// Visible text of an anchor (screen-reader labels left out unless nothing else is there),
/// else the `alt` of the image it wraps; and whether it wraps an image.
fn anchor(dom: &Dom, a: NodeId, r: &LinkRules, marks: &Marks) -> (String, bool) {
    let img = dom.find(a, |d| {
        matches!(dom.tag(d), Some(name::IMG | name::PICTURE)) || dom.tag_name(d) == "amp-img"
    });
    let mut text = String::new();
    let mut it = dom.descendants(a);
    while let Some(d) = it.next() {
        if dom.is_text(d) {
            crate::dom::push_collapsed(&mut text, dom.text(d));
        } else if marks.skipped(d)
            || dom
                .classes(d)
                .any(|c| r.hidden_text_classes.iter().any(|h| h == c))
        {
            it.skip_subtree(d);
        }
    }
    // trimmed in place (= `text.trim().to_string()`)
    let end = text.trim_end().len();
    text.truncate(end);
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
    if text.is_empty() {
        text = dom.text_content(a);
    }
    if !text.is_empty() {
        return (text, img.is_some());
    }
    let alt = dom
        .find(a, |d| {
            dom.attr_by(d, name::ALT)
                .is_some_and(|s| !s.trim().is_empty())
        })
        .and_then(|i| dom.attr_by(i, name::ALT))
        .map(crate::dom::collapse_ws)
        .unwrap_or_default();
    (alt, img.is_some())
}

fn draft(
    dom: &Dom,
    a: NodeId,
    f: Facts<'_>,
    d: Decision,
    c: &Ctx,
    m: &Maps<'_>,
    page: &Page<'_>,
) -> LinkDraft {
    let (url, target_key, target_host, is_internal) = match &f.target {
        Some(t) => (
            t.url.as_str().to_owned(),
            Some(t.key.clone()),
            Some(t.host.clone()),
            page.url.map(|_| f.same_site),
        ),
        None => (f.href.trim().to_owned(), None, None, None),
    };
    let mut out = LinkDraft {
        node: Some(a),
        url,
        url_raw: f.href.to_owned(),
        target_key,
        target_host,
        is_internal,
        anchor_text: f.anchor_text,
        title_attr: dom
            .attr_by(a, name::TITLE)
            .map(crate::dom::collapse_ws)
            .filter(|s| !s.is_empty()),
        rel: f.rel,
        kind: d.kind.to_owned(),
        kind_rule: d.rule,
        block: d.block,
        block_heading: d.heading,
        has_image: f.has_image,
        ..LinkDraft::default()
    };
    match d.kind {
        "in_body" => {
            if let Some(&(i, s, e)) = m.block_span.get(&a) {
                out.block_index = Some(i);
                out.anchor_start = Some(s as i64);
                out.anchor_end = Some(e as i64);
            } else {
                out.block_index = c.content_block;
            }
        }
        "comment" => {
            out.comment_index = c.comment;
            if let Some(&(s, e)) = m.comment_span.get(&a) {
                out.anchor_start = Some(s as i64);
                out.anchor_end = Some(e as i64);
            }
        }
        _ => {}
    }
    out
}

/// Classifies every link of the page (document order), merges duplicates inside one block,
/// ranks block members and sets `related_status`.
pub fn classify(
    cx: &Cx<'_>,
    content: &ContentOut,
    comments: &CommentsOut,
    blocks: &[LinkBlock],
) -> LinksOut {
    classify_with(cx, content, comments, blocks, &Targets::resolve(cx))
}

/// [`classify`] with the page's link targets already resolved (shared with the block finder).
pub fn classify_with(
    cx: &Cx<'_>,
    content: &ContentOut,
    comments: &CommentsOut,
    blocks: &[LinkBlock],
    targets: &Targets,
) -> LinksOut {
    let dom = cx.dom;
    let r = &cx.rules.links;
    let page = Page::new(cx);
    let m = Maps::new(dom, content, comments, blocks, r);
    let mut pending = Vec::new();
    let mut memo = Memo::new(dom, r);
    let marks = &targets.marks;
    let mut it = dom.descendants(dom.root());
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if marks.skipped(n) {
            it.skip_subtree(n);
            continue;
        }
        if !dom.is(n, name::A) || dom.is_foreign(n) {
            continue;
        }
        let Some(href) = dom.attr_by(n, name::HREF) else {
            continue;
        };
        if urls::is_non_link(href) {
            continue;
        }
        let resolved;
        let t = match targets.get(n) {
            Some(t) => t,
            None => {
                resolved = page.resolve(href, r);
                &resolved
            }
        };
        let f = facts(dom, n, href, t, r, marks);
        if rule0_same_page(&f, &page) {
            continue;
        }
        let c = context(dom, n, &m, r, &mut memo, marks);
        let d = decide_link(&f, &c, &m, r);
        let title_text = !f.has_image && !f.anchor_text.is_empty() && !f.read_more && !f.non_item;
        let (group, ranked) = (d.group, d.ranked);
        pending.push(Pending {
            draft: draft(dom, n, f, d, &c, &m, &page),
            group,
            ranked,
            title_text,
        });
    }
    let links = merge::merge_and_rank(pending);
    let (related_status, warnings) = related_status(&links, blocks);
    LinksOut {
        links,
        related_status,
        warnings,
    }
}

/// `extracted` when a related block yielded links, `js_only` when only empty script shells
/// were found, else `none` (adjacent and inline read-more links alone count as extracted).
fn related_status(links: &[LinkDraft], blocks: &[LinkBlock]) -> (String, Vec<Warning>) {
    let from_block = links.iter().any(|l| {
        l.kind == "related"
            && !matches!(
                l.block.as_deref(),
                Some(ADJACENT) | Some("inline_read_more")
            )
    });
    let any_related = links.iter().any(|l| l.kind == "related");
    let shells: Vec<&str> = blocks
        .iter()
        .filter(|b| b.js_only)
        .map(|b| b.label.as_str())
        .collect();
    if !from_block && !shells.is_empty() {
        let mut systems: Vec<&str> = shells.clone();
        systems.sort_unstable();
        systems.dedup();
        let w = Warning {
            code: "w_related_js_only",
            stage: "links",
            message: format!(
                "related block is an empty script shell ({})",
                systems.join(", ")
            ),
            detail: Some(serde_json::json!({ "systems": systems })),
        };
        return ("js_only".into(), vec![w]);
    }
    let status = if any_related { "extracted" } else { "none" };
    (status.into(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_phrases_agree_with_normalising_every_text() {
        let r = &super::super::test_util::rules().links;
        let full = |t: &str| {
            let label = super::super::rules::normalize_label(t);
            (
                r.non_item_anchors.matches_label(&label).is_some(),
                r.read_more.matches_label(&label).is_some(),
            )
        };
        let mut texts: Vec<String> = [
            "",
            "  ",
            "»",
            "» View all",
            "VIEW ALL posts",
            "Read more",
            "  read   MORE »",
            "Readmore",
            "Zebra",
            "123 things",
            "\u{a0}Read more",
            "…Read more",
            "Lire la suite",
            "Weiterlesen",
            "Ver todos",
            "Étiquettes",
            "→ See all",
            "\u{200b}Read more",
            "-- Continue reading --",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for c in (b' '..=b'~').map(char::from) {
            texts.push(format!("{c}ead more"));
            texts.push(format!("  {c}iew all"));
        }
        for t in &texts {
            assert_eq!(anchor_phrases(t, r), full(t), "{t:?}");
        }
        assert_eq!(anchor_phrases("Read more", r), (false, true));
    }
}
