//! Main content (SCHEMA §6.2 step 5, §6.4, §6.7): choose the container, segment it into blocks,
//! drop boilerplate.
//!
//! Why it exists: `articles.text` and `paragraphs` are what most users want from a page, on every
//! kind of page. The stage runs a strict → relaxed cascade:
//!
//! 1. [`stats`]: per-node text and link counts, dead (never rendered, excluded by the comment
//!    and related stages) and chrome (boilerplate containers) marks, in one pass;
//! 2. [`pagetype`]: what kind of page this is (JSON-LD, `og:type`, URL, DOM evidence);
//! 3. [`candidates`]: the main container (selector tiers, then readability-style scoring),
//!    widened on pages whose content spreads over many sections;
//! 4. [`segment`]: the container walked into blocks of the §5.1 kinds;
//! 5. [`boilerplate`]: phrase rules, "Read more" lines, link-dense lines, the repeated title;
//! 6. when the strict result is too short, the cascade retries on the whole body, then without
//!    the link-density filter.

pub mod boilerplate;
pub mod candidates;
pub mod cards;
pub mod disclosure;
pub mod lines;
pub mod pagetype;
pub mod product;
pub mod sections;
pub mod segment;
pub mod stats;
pub mod streaming;
pub mod tail;

use serde::Deserialize;

use super::metadata::Metadata;
use super::{Block, BlockKind, CommentsOut, ContentOut, Cx};
use crate::dom::{name, Dom, NodeId, NodeSet};
use crate::select::Selector;
use crate::settings::ConfigError;
use pagetype::PageType;
use stats::Stats;

/// Extracts the main text blocks.
pub fn extract(
    cx: &Cx<'_>,
    meta: &Metadata,
    comments: &CommentsOut,
    excluded: &NodeSet,
) -> ContentOut {
    let dom = cx.dom;
    let rules = &cx.rules.content;
    let mut regions = NodeSet::for_dom(dom);
    for &r in &comments.regions {
        regions.insert(r);
    }
    let body = dom.body();
    // a "related" or "recent posts" block holding most of the page is the page (an archive's
    // post list), not a recommendation beside it
    let page_blocks =
        page_sized_blocks(dom, excluded, &regions, body, rules.related_max_page_share);
    let unexcluded;
    let excluded = if page_blocks.is_empty() {
        excluded
    } else {
        let mut e = excluded.clone();
        for &n in &page_blocks {
            e.remove(n);
        }
        unexcluded = e;
        &unexcluded
    };
    let mut st = Stats::compute(dom, &rules.boiler, excluded, false);
    let parsed;
    let jsonld = if meta.jsonld.is_empty() {
        parsed = pagetype::parse_jsonld(dom);
        &parsed
    } else {
        &meta.jsonld
    };
    let url = meta.url.as_deref().or(cx.source.saved_url.as_deref());
    let grids = cards::grids(dom, &st, body, &rules.grid);
    let grid_chars: u32 = grids.iter().map(|&n| st.clean[n as usize]).sum();
    let grid_share = f64::from(grid_chars) / f64::from(st.clean[body as usize]).max(1.0);
    let ptype = pagetype::detect(
        dom,
        &st,
        body,
        &pagetype::Signals {
            jsonld,
            og_type: meta_content(dom, "og:type"),
            url,
            is_forum: comments.is_forum,
            forum_markers: forum_markers(dom, &st, rules, body, &regions),
            min_posts: rules.min_posts,
            grid_share,
            listing_min_grid_share: rules.listing_min_grid_share,
            cart_words: &rules.cart_words,
            max_cart_controls: rules.max_cart_controls,
            list_min_products: rules.typed.list_min_products,
            og_product_yields_to_grid: rules.typed.og_product_yields_to_grid,
            article_markup_beats_grid: rules.listing.article_markup_beats_grid,
            price_max_nested_chars: rules.typed.price_max_nested_chars,
            product_url_segments: &rules.typed.product_url_segments,
        },
    );
    // a page that is nothing but its "comment" area is a thread whose posts are the content
    let mut ptype = ptype;
    // (not a product page: its comment area is the product's reviews)
    if !matches!(ptype, PageType::Forum | PageType::Product)
        && !comments.is_forum
        && !comments.regions.is_empty()
    {
        let outside = candidates::prose(&st, body) as usize;
        let inside: usize = comments.regions.iter().map(|&r| dom.text_len(r)).sum();
        if outside < rules.thread_max_outside_chars && inside >= 2 * outside {
            ptype = PageType::Forum;
        }
    }
    let forum_excluded;
    if ptype == PageType::Forum {
        // the thread's posts may sit in what looks like a comment area, or in the comment
        // regions of the comments stage when it did not see a forum
        let mut e = excluded.clone();
        if !comments.is_forum {
            for &r in &comments.regions {
                e.remove(r);
            }
        }
        forum_excluded = e;
        st = st.recompute(dom, &rules.boiler, &forum_excluded, true);
    }
    let titles = title_forms(dom, meta);
    let listing = matches!(ptype, PageType::Listing | PageType::Collection);
    if listing {
        // card ratings are card text, filter and facet panels are not; on a listing the
        // "related" blocks of the links stage are sections of the page (its guides, its
        // other categories), not recirculation beside one story
        let readmit = page_sized_blocks(
            dom,
            excluded,
            &regions,
            body,
            rules.listing.related_min_page_share,
        );
        let mut e = excluded.clone();
        for &n in &readmit {
            e.remove(n);
        }
        st = st.recompute(dom, &rules.listing.boiler, &e, false);
        // teaser lists ("Recent posts", "You may also like") stay out: only sections of prose
        // (a related block inside a card is the card's tag line)
        let teasers = cards::teaser_blocks(
            dom,
            &st,
            &readmit,
            &grids,
            rules.listing.related_max_link_share,
        );
        if !teasers.is_empty() {
            for &n in &teasers {
                e.insert(n);
            }
            st = st.recompute(dom, &rules.listing.boiler, &e, false);
        }
    }

    let mut strict = container(dom, &st, rules, body, &grids);
    if listing {
        let l = &rules.listing;
        strict = cards::cover(
            dom,
            &st,
            strict,
            &grids,
            l.cover_min_grid_share,
            l.cover_max_growth,
        );
    }
    let product_excluded;
    if ptype == PageType::Product {
        // the buy box, reviews and strips of other products are not the description; the
        // container is chosen before they go (they are part of what makes it the product)
        let noise = product::noise(dom, &st, body, &rules.typed, &grids);
        if !noise.is_empty() {
            let mut e = excluded.clone();
            for n in noise {
                e.insert(n);
            }
            product_excluded = e;
            st = st.recompute(dom, &rules.boiler, &product_excluded, false);
            // a container inside a dropped element (a hidden template dump holding most of the
            // page's text) is chosen again without it
            if std::iter::once(strict)
                .chain(dom.ancestors(strict))
                .any(|a| st.dead.contains(a))
            {
                strict = container(dom, &st, rules, body, &grids);
            }
        }
    }
    // a bare row of teaser cards after an article's last paragraph is recirculation
    if rules.tail.applies(ptype.as_str()) {
        for g in tail::tail_grids(dom, &st, strict, &grids, &rules.tail) {
            st.chrome.insert(g);
            st.absolute.insert(g);
        }
    }
    // folded accordions, tabs and FAQ answers hold a product's description and specs, a
    // service page's answers and a documentation page's details
    for n in boilerplate::hidden_panels(dom, &st, body, &rules.typed.hidden_panels) {
        st.chrome.remove(n);
    }
    for n in disclosure::heading_buttons(dom, &st, body, rules.typed.accordion_title_max_words) {
        st.chrome.remove(n);
    }
    if rules.boiler.controlled_panels_open {
        for n in boilerplate::controlled_panels(dom, &st, body) {
            st.chrome.remove(n);
        }
    }
    let posts = if ptype == PageType::Forum {
        let mut p = live_matches(dom, &st, &rules.posts, body, None);
        p.retain(|&n| !is_post_comment(dom, &rules.post_comments, n));
        p
    } else {
        Vec::new()
    };
    let mut out = if posts.len() >= rules.min_posts {
        let authors = if rules.post_author_lines {
            post_authors(dom, &posts, comments, rules.post_author_max_chars)
        } else {
            Vec::new()
        };
        run(dom, &st, rules, &posts, &authors, ptype, &titles, true)
    } else {
        run(dom, &st, rules, &[strict], &[], ptype, &titles, true)
    };
    if chars(&out.blocks) < rules.min_result_chars && (strict != body || !posts.is_empty()) {
        let wide = run(dom, &st, rules, &[body], &[], ptype, &titles, true);
        if chars(&wide.blocks) > chars(&out.blocks) {
            out = wide;
        }
    }
    if chars(&out.blocks) < rules.min_result_chars {
        let loose = run(dom, &st, rules, &[body], &[], ptype, &titles, false);
        if chars(&loose.blocks) > chars(&out.blocks) {
            out = loose;
        }
    }
    if ptype == PageType::Product {
        let before = out.blocks.len();
        out.blocks
            .retain(|b| b.kind == BlockKind::Code || !rules.typed.is_shop_phrase(&b.text));
        out.boilerplate_dropped += before - out.blocks.len();
        add_jsonld_description(dom, rules, jsonld, &mut out);
    }
    if listing {
        let before = out.blocks.len();
        out.blocks
            .retain(|b| b.kind == BlockKind::Code || !rules.listing.is_phrase(&b.text));
        out.boilerplate_dropped += before - out.blocks.len();
    }
    if rules
        .listing
        .card_repeat_on
        .iter()
        .any(|t| t == ptype.as_str())
    {
        out.boilerplate_dropped += cards::drop_card_repeats(
            dom,
            &st,
            &mut out.blocks,
            rules.listing.card_repeat_window,
            rules.listing.card_repeat_max_scope_chars,
        );
    }
    if rules.typed.dedup_types.iter().any(|t| t == ptype.as_str()) {
        let before = out.blocks.len();
        let mut repeats = rules.typed.repeats_for(ptype.as_str());
        out.blocks
            .retain(|b| b.kind == BlockKind::Code || !repeats.repeated(&b.text));
        out.boilerplate_dropped += before - out.blocks.len();
    }
    out.page_type = Some(ptype.as_str().to_string());
    out
}

/// A product page whose description only its JSON-LD carries (scripts render the DOM copy)
/// gets that description as its first paragraphs.
fn add_jsonld_description(
    dom: &Dom,
    rules: &ContentRules,
    jsonld: &[serde_json::Value],
    out: &mut ContentOut,
) {
    let Some(desc) = product::jsonld_description(jsonld) else {
        return;
    };
    let text: String = out
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let Some(lines) = product::missing_description(
        &desc,
        &text,
        rules.typed.ld_min_words,
        rules.typed.ld_probe_words,
        rules.typed.ld_max_extracted_ratio,
    ) else {
        return;
    };
    let node = out.main_node.unwrap_or(dom.body());
    let add = lines
        .into_iter()
        .map(|t| Block::plain(BlockKind::Paragraph, t, Vec::new(), node));
    out.blocks.splice(0..0, add);
}

/// Outermost matches of `sel` with text that are not inside dead or chrome elements
/// (`comment_regions`: matches inside comment areas count, to recognise a thread there).
fn live_matches(
    dom: &Dom,
    st: &Stats,
    sel: &Selector,
    body: NodeId,
    comment_regions: Option<&NodeSet>,
) -> Vec<NodeId> {
    let in_comments = comment_regions.is_some();
    let region = |a: NodeId| comment_regions.is_some_and(|r| r.contains(a));
    if sel.is_empty() {
        return Vec::new();
    }
    let protect = f64::from(st.text[body as usize]) * 0.5;
    sel.outermost(dom, body)
        .into_iter()
        .filter(|&n| {
            st.text[n as usize] > 0
                && !std::iter::once(n).chain(dom.ancestors(n)).any(|a| {
                    (st.dead.contains(a) && !region(a))
                        || (st.chrome.contains(a)
                            && (in_comments || !st.weak_tag.contains(a))
                            && !(in_comments && st.absolute.contains(a))
                            && (st.absolute.contains(a)
                                || f64::from(st.text[a as usize]) < protect))
                })
        })
        .collect()
}

/// Outermost live matches of the forum-software markers, FAQ answers left out.
fn forum_markers(
    dom: &Dom,
    st: &Stats,
    rules: &ContentRules,
    body: NodeId,
    regions: &NodeSet,
) -> usize {
    let m = live_matches(dom, st, &rules.forum_markers, body, Some(regions));
    if m.is_empty() {
        return 0;
    }
    let questions = pagetype::question_scopes(dom, body);
    m.into_iter()
        .filter(|&n| !pagetype::is_faq_answer(dom, n, questions))
        .count()
}

/// The author of each post, for a line before its text (who wrote what is part of a
/// thread): the comment draft whose item element is the nearest ancestor-or-self of the post
/// gives the name. Each draft labels one post only; names longer than `max_chars` are left
/// out (a misread block, not a name).
fn post_authors(
    dom: &Dom,
    posts: &[NodeId],
    comments: &CommentsOut,
    max_chars: usize,
) -> Vec<Option<String>> {
    let mut by_node: std::collections::BTreeMap<NodeId, usize> = std::collections::BTreeMap::new();
    for (i, d) in comments.comments.iter().enumerate() {
        if let Some(n) = d.node {
            by_node.entry(n).or_insert(i);
        }
    }
    let mut used = vec![false; comments.comments.len()];
    posts
        .iter()
        .map(|&p| {
            let i = std::iter::once(p)
                .chain(dom.ancestors(p))
                .find_map(|a| by_node.get(&a).copied())?;
            if std::mem::replace(used.get_mut(i)?, true) {
                return None;
            }
            let name = comments.comments[i].author.as_deref()?.trim();
            (!name.is_empty() && name.chars().count() <= max_chars).then(|| name.to_string())
        })
        .collect()
}

/// True when the post match `n` is a comment on a post rather than a post: it sits inside a
/// match of `comments` (schema.org `Comment` items inside a Q&A `Question` or `Answer`: the
/// short remarks under each Stack Exchange post).
fn is_post_comment(dom: &Dom, comments: &Selector, n: NodeId) -> bool {
    !comments.is_empty() && comments.closest(dom, n).is_some()
}

fn chars(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| b.text.len()).sum()
}

/// Outermost excluded elements under `root` that are not comment areas (`regions`) and hold at
/// least `min_share` (0–1) of the visible text of `root`.
fn page_sized_blocks(
    dom: &Dom,
    excluded: &NodeSet,
    regions: &NodeSet,
    root: NodeId,
    min_share: f64,
) -> Vec<NodeId> {
    if min_share > 1.0 {
        return Vec::new();
    }
    // the outermost excluded elements outside comment areas, with their text
    let mut cands: Vec<(NodeId, usize)> = Vec::new();
    let mut it = dom.descendants(root);
    while let Some(n) = it.next() {
        if excluded.contains(n) {
            it.skip_subtree(n);
            if !regions.contains(n) {
                cands.push((n, dom.text_len(n)));
            }
        }
    }
    // the page's text (`Dom::text_len` of `root`) is measured only while it can still decide:
    // once the largest candidate is below its share of the text counted so far, none can pass
    // (nor can any fail with a share of 0 or less once the page has text)
    let Some(most) = cands.iter().map(|&(_, len)| len).max() else {
        return Vec::new();
    };
    let mut total = 0usize;
    let mut complete = true;
    let mut count = |t: &str| {
        total += t.trim().len();
        total > 0 && (min_share <= 0.0 || (most as f64) < min_share * total as f64)
    };
    if dom.is_text(root) {
        count(dom.text(root));
    } else {
        let mut it = dom.descendants(root);
        while let Some(n) = it.next() {
            if dom.is_text(n) {
                if count(dom.text(n)) {
                    complete = false;
                    break;
                }
            } else if dom.tag(n).is_some_and(crate::dom::is_non_rendered) {
                it.skip_subtree(n);
            }
        }
    }
    if total == 0 || (!complete && min_share > 0.0) {
        return Vec::new();
    }
    cands
        .into_iter()
        .filter(|&(_, len)| len as f64 >= min_share * total as f64)
        .map(|(n, _)| n)
        .collect()
}

/// The strict container: a tier match or the best-scored node, widened on pages whose content
/// spreads over many sections. A container inside a card grid that holds a listing's share of
/// the page (one card of the listing) becomes the grid.
fn container(
    dom: &Dom,
    st: &Stats,
    rules: &ContentRules,
    body: NodeId,
    grids: &[NodeId],
) -> NodeId {
    let mut c = match candidates::by_tiers(dom, st, rules, body) {
        Some((n, _)) => n,
        None => candidates::by_score(dom, st, rules, body).unwrap_or(body),
    };
    let page_clean = f64::from(st.clean[body as usize]);
    if let Some(&g) = grids.iter().find(|&&g| {
        g != c
            && dom.is_inclusive_ancestor(g, c)
            && f64::from(st.clean[g as usize]) >= rules.listing_min_grid_share * page_clean
    }) {
        c = g;
    }
    let page = f64::from(candidates::prose(st, body));
    while c != body && f64::from(candidates::prose(st, c)) < rules.widen_below_share * page {
        match dom.parent(c) {
            Some(p) if dom.is_element(p) => c = p,
            _ => break,
        }
    }
    c
}

/// Segments `container` and applies the block filters.
#[allow(clippy::too_many_arguments)]
fn run(
    dom: &Dom,
    st: &Stats,
    rules: &ContentRules,
    containers: &[NodeId],
    labels: &[Option<String>],
    ptype: PageType,
    titles: &[String],
    link_filter: bool,
) -> ContentOut {
    let first = containers.first().copied().unwrap_or(dom.body());
    let mut seg = segment::Segmenter::new(dom, st, rules, first);
    if containers.len() > 1 {
        seg.drop_quotes = Some(&rules.post_skip);
    }
    for (k, &c) in containers.iter().enumerate() {
        let at = seg.blocks.len();
        let labelled = matches!(labels.get(k), Some(Some(_)));
        if let Some(Some(label)) = labels.get(k) {
            seg.blocks.push(Block::plain(
                BlockKind::Paragraph,
                label.clone(),
                Vec::new(),
                c,
            ));
        }
        seg.run(c);
        // a post that yields no text gets no author line either
        if labelled && seg.blocks.len() == at + 1 {
            seg.blocks.truncate(at);
        }
    }
    let mut out = ContentOut {
        main_node: Some(if containers.len() > 1 {
            dom.body()
        } else {
            first
        }),
        boilerplate_dropped: seg.dropped,
        ..ContentOut::default()
    };
    let filter_links = link_filter && !matches!(ptype, PageType::Listing | PageType::Collection);
    let mut title_seen = false;
    for mut b in seg.blocks {
        if rules.boiler.is_phrase(&b.text) {
            out.boilerplate_dropped += 1;
            continue;
        }
        if b.kind != BlockKind::Code {
            if b.links.is_empty() {
                if let Some(once) = lines::undoubled(&b.text, rules.undouble_min_chars) {
                    b.text = once.to_string();
                }
            }
            if lines::is_machine_line(
                &b.text,
                rules.machine_token_min_chars,
                rules.machine_token_min_digits,
                rules.machine_line_min_share,
            ) || lines::is_marquee(
                &b.text,
                rules.marquee_max_unit_words,
                rules.marquee_min_repeats,
            ) {
                out.boilerplate_dropped += 1;
                continue;
            }
        }
        if matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem)
            && rules.boiler.is_read_more(&b.text)
            && !b.links.is_empty()
        {
            out.read_more.push(b);
            continue;
        }
        if filter_links && is_link_line(rules, &b) {
            continue;
        }
        if !title_seen
            && b.kind == BlockKind::Heading
            && b.heading_level == Some(1)
            && is_title(&b.text, titles)
        {
            title_seen = true;
            continue;
        }
        out.blocks.push(b);
    }
    if !matches!(ptype, PageType::Listing | PageType::Collection) {
        let (keep, gone, bios) =
            sections::split(dom, &rules.sections, std::mem::take(&mut out.blocks));
        out.blocks = keep;
        out.boilerplate_dropped += gone.len() + bios;
        out.read_more
            .extend(gone.into_iter().filter(|b| !b.links.is_empty()));
    }
    out
}

/// A short paragraph or item that is mostly link text (navigation, tag lines).
fn is_link_line(rules: &ContentRules, b: &Block) -> bool {
    if !matches!(b.kind, BlockKind::Paragraph) || b.links.is_empty() {
        return false;
    }
    if super::text::word_count(&b.text) >= rules.link_density_max_words {
        return false;
    }
    let total = b.text.chars().filter(|c| !c.is_whitespace()).count();
    if total == 0 {
        return false;
    }
    let chars: Vec<char> = b.text.chars().collect();
    let linked: usize = b
        .links
        .iter()
        .map(|l| {
            chars
                .get(l.start..l.end.min(chars.len()))
                .map_or(0, |s| s.iter().filter(|c| !c.is_whitespace()).count())
        })
        .sum();
    linked as f64 / total as f64 > rules.max_block_link_density
}

/// `content` of `<meta property|name=…>`.
fn meta_content(dom: &Dom, key: &str) -> Option<String> {
    let head = dom.head().unwrap_or(dom.root());
    let n = dom.find(head, |n| {
        dom.is(n, name::META)
            && (dom.attr_by(n, name::PROPERTY) == Some(key)
                || dom.attr_by(n, name::NAME_ATTR) == Some(key))
    })?;
    dom.attr_by(n, name::CONTENT).map(|s| s.trim().to_string())
}

fn norm_title(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Normalised forms of the page title: metadata title, `og:title`, `<title>` and its parts.
fn title_forms(dom: &Dom, meta: &Metadata) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    raw.extend(meta.title.clone());
    raw.extend(meta_content(dom, "og:title"));
    if let Some(t) = dom.find(dom.root(), |n| dom.is(n, name::TITLE) && !dom.is_foreign(n)) {
        let t = dom.text_content(t);
        for sep in [" | ", " - ", " – ", " — ", " » ", " :: ", ": "] {
            if let Some((a, _)) = t.split_once(sep) {
                raw.push(a.to_string());
            }
            if let Some((_, b)) = t.rsplit_once(sep) {
                raw.push(b.to_string());
            }
        }
        raw.push(t);
    }
    let mut out: Vec<String> = raw
        .iter()
        .map(|s| norm_title(s))
        .filter(|s| s.chars().count() >= 4)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn is_title(text: &str, titles: &[String]) -> bool {
    let t = norm_title(text);
    !t.is_empty() && titles.contains(&t)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentConfig {
    container_tiers: Vec<String>,
    min_container_chars: usize,
    min_container_share: f64,
    widen_below_share: f64,
    min_result_chars: usize,
    post_selectors: String,
    post_quote_selectors: String,
    post_chrome_selectors: String,
    post_comment_selectors: String,
    forum_markers: String,
    min_posts: usize,
    thread_max_outside_chars: usize,
    related_max_page_share: f64,
    listing_min_grid_share: f64,
    grid_min_items: usize,
    grid_min_same_share: f64,
    grid_min_linked_share: f64,
    grid_max_item_chars: u32,
    grid_min_item_chars: u32,
    score_chars_per_point: usize,
    score_min_paragraph_chars: usize,
    max_block_link_density: f64,
    link_density_max_words: usize,
    table_min_rows: usize,
    table_min_cols: usize,
    table_max_cell_chars: usize,
    streaming_fallback_max_chars: usize,
    product_cart_words: Vec<String>,
    product_max_cart_controls: usize,
    post_author_lines: bool,
    post_author_max_chars: usize,
    undouble_min_chars: usize,
    machine_token_min_chars: usize,
    machine_token_min_digits: usize,
    machine_line_min_share: f64,
    marquee_max_unit_words: usize,
    marquee_min_repeats: usize,
}

/// Compiled `[content]` and `[boilerplate]` rules.
#[derive(Debug)]
pub struct ContentRules {
    /// Container selector tiers.
    pub tiers: Vec<Selector>,
    /// Least clean characters of a tier match.
    pub min_container_chars: usize,
    /// Least share of the page's prose of a tier match.
    pub min_container_share: f64,
    /// Non-article containers below this share of the page's prose are widened.
    pub widen_below_share: f64,
    /// Results shorter than this relax the cascade.
    pub min_result_chars: usize,
    /// Post bodies of forum software.
    pub posts: Selector,
    /// Quotations inside posts.
    pub post_quotes: Selector,
    /// Quotations and author panels, signatures: skipped inside posts read one by one.
    pub post_skip: Selector,
    /// Comments on a post: post matches inside these are not posts.
    pub post_comments: Selector,
    /// Forum software markers.
    pub forum_markers: Selector,
    /// Least post matches of a thread.
    pub min_posts: usize,
    /// A page with less prose than this outside its comment area is a thread.
    pub thread_max_outside_chars: usize,
    /// An excluded related block holding at least this share of the page's text is content.
    pub related_max_page_share: f64,
    /// Share of the page's text in card grids from which it is a listing.
    pub listing_min_grid_share: f64,
    /// Card-grid thresholds.
    pub grid: cards::GridRules,
    /// Scoring: characters per point.
    pub score_chars_per_point: usize,
    /// Scoring: shortest paragraph that votes.
    pub score_min_paragraph_chars: usize,
    /// Link-line filter: link share above which a short block is navigation.
    pub max_block_link_density: f64,
    /// Link-line filter: blocks with at least this many words are kept.
    pub link_density_max_words: usize,
    /// Least rows of a data table.
    pub table_min_rows: usize,
    /// Least columns of a data table.
    pub table_min_cols: usize,
    /// Mean characters per cell above which a table is layout.
    pub table_max_cell_chars: usize,
    /// A streamed-rendering fallback without comment markers is dropped when it has at most
    /// this many visible characters ([`streaming`]).
    pub streaming_fallback_max_chars: usize,
    /// On a thread read post by post, each post starts with its author's name.
    pub post_author_lines: bool,
    /// Longest author name written (characters).
    pub post_author_max_chars: usize,
    /// Words of add-to-cart controls (class, id, name; lowercase).
    pub cart_words: Vec<String>,
    /// A page with more cart controls than this lists many products.
    pub max_cart_controls: usize,
    /// A block that is one text written twice is cut to one copy when the copy has at least
    /// this many characters.
    pub undouble_min_chars: usize,
    /// Machine tokens (ids, hashes) have at least this many characters…
    pub machine_token_min_chars: usize,
    /// …and at least this many digits.
    pub machine_token_min_digits: usize,
    /// A block with at least this share (0–1) of its characters in machine tokens is dropped.
    pub machine_line_min_share: f64,
    /// A marquee repeats a unit of at most this many words…
    pub marquee_max_unit_words: usize,
    /// …at least this many times.
    pub marquee_min_repeats: usize,
    /// `[boilerplate]`.
    pub boiler: boilerplate::BoilerRules,
    /// `[pagetype_rules]`.
    pub typed: product::TypedRules,
    /// `[related_sections]`.
    pub sections: sections::SectionRules,
    /// `[listing]`.
    pub listing: cards::ListingRules,
    /// `[tail_grids]`.
    pub tail: tail::TailRules,
}

impl ContentRules {
    /// Compiles the `[content]` and `[boilerplate]` sections.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: ContentConfig = crate::settings::section(table, "content")?;
        let tiers = c
            .container_tiers
            .iter()
            .map(|t| Selector::parse(t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ContentRules {
            tiers,
            min_container_chars: c.min_container_chars,
            min_container_share: c.min_container_share,
            widen_below_share: c.widen_below_share,
            min_result_chars: c.min_result_chars,
            posts: Selector::parse(&c.post_selectors)?,
            post_quotes: Selector::parse(&c.post_quote_selectors)?,
            post_skip: Selector::parse(&join_selectors(&[
                &c.post_quote_selectors,
                &c.post_chrome_selectors,
            ]))?,
            post_comments: optional_selector(&c.post_comment_selectors)?,
            forum_markers: Selector::parse(&c.forum_markers)?,
            min_posts: c.min_posts,
            thread_max_outside_chars: c.thread_max_outside_chars,
            related_max_page_share: c.related_max_page_share,
            listing_min_grid_share: c.listing_min_grid_share,
            grid: cards::GridRules {
                min_items: c.grid_min_items,
                min_same_share: c.grid_min_same_share,
                min_linked_share: c.grid_min_linked_share,
                max_item_chars: c.grid_max_item_chars,
                min_item_chars: c.grid_min_item_chars,
            },
            score_chars_per_point: c.score_chars_per_point.max(1),
            score_min_paragraph_chars: c.score_min_paragraph_chars,
            max_block_link_density: c.max_block_link_density,
            link_density_max_words: c.link_density_max_words,
            table_min_rows: c.table_min_rows,
            table_min_cols: c.table_min_cols,
            table_max_cell_chars: c.table_max_cell_chars,
            streaming_fallback_max_chars: c.streaming_fallback_max_chars,
            cart_words: c
                .product_cart_words
                .iter()
                .map(|w| w.to_ascii_lowercase())
                .collect(),
            max_cart_controls: c.product_max_cart_controls,
            post_author_lines: c.post_author_lines,
            post_author_max_chars: c.post_author_max_chars,
            undouble_min_chars: c.undouble_min_chars.max(1),
            machine_token_min_chars: c.machine_token_min_chars,
            machine_token_min_digits: c.machine_token_min_digits,
            machine_line_min_share: c.machine_line_min_share,
            marquee_max_unit_words: c.marquee_max_unit_words,
            marquee_min_repeats: c.marquee_min_repeats,
            boiler: boilerplate::BoilerRules::compile(table)?,
            typed: product::TypedRules::compile(table)?,
            sections: sections::SectionRules::compile(table)?,
            listing: cards::ListingRules::compile(table)?,
            tail: tail::TailRules::compile(table)?,
        })
    }
}

/// Selector lists joined with `, `, empty ones left out.
fn join_selectors(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A selector, or the empty selector (matches nothing) for an empty string.
fn optional_selector(s: &str) -> Result<Selector, ConfigError> {
    if s.trim().is_empty() {
        Ok(Selector::default())
    } else {
        Ok(Selector::parse(s)?)
    }
}

#[cfg(test)]
mod tests;
