//! Card grids: runs of three or more sibling elements of one shape, each a short linked item
//! (product tiles, article teasers, program cards).
//!
//! Why it exists: on a listing or collection page the cards are the content; on a product or
//! article page the same shape is a recommendation carousel ("customers also bought", "more
//! stories"). Finding them structurally lets the page-type detector tell the two apart and lets
//! the extractor drop recommendation grids on single-item pages without any class-name list.

use serde::Deserialize;

use super::boilerplate::{BoilerRules, PhraseSet};
use super::stats::Stats;
use crate::dom::{Dom, NodeId};
use crate::settings::ConfigError;

/// Shape of a sibling: tag and first class token without its trailing digits (CMSs number
/// their items in the first class: `post-30149`, `item-3`).
fn signature(dom: &Dom, n: NodeId) -> (u16, &str) {
    (
        dom.tag(n).map_or(u16::MAX, |t| t.0),
        dom.classes(n)
            .next()
            .unwrap_or("")
            .trim_end_matches(|c: char| c.is_ascii_digit()),
    )
}

/// Thresholds of the grid test.
#[derive(Clone, Copy, Debug)]
pub struct GridRules {
    /// Least items of one shape.
    pub min_items: usize,
    /// Least share of the element's children that have the dominant shape (0–1).
    pub min_same_share: f64,
    /// Least share of items holding a link (0–1).
    pub min_linked_share: f64,
    /// Most visible characters per item on average.
    pub max_item_chars: u32,
    /// Least visible characters per item on average (menus of one-word links are not cards).
    pub min_item_chars: u32,
}

/// True when the children of `g` form a card grid.
pub fn is_grid(dom: &Dom, st: &Stats, g: NodeId, r: &GridRules) -> bool {
    let live = |k: &NodeId| !st.dead.contains(*k) && st.text[*k as usize] > 0;
    // most elements have fewer live children than a grid: counted without building a list
    if dom
        .element_children(g)
        .filter(live)
        .take(r.min_items)
        .count()
        < r.min_items
    {
        return false;
    }
    let kids: Vec<(NodeId, (u16, &str))> = dom
        .element_children(g)
        .filter(live)
        .map(|k| (k, signature(dom, k)))
        .collect();
    // dominant signature (children are few: quadratic is fine, bounded below)
    let mut best: Option<((u16, &str), usize)> = None;
    for &(_, s) in kids.iter().take(64) {
        let c = kids.iter().filter(|&&(_, x)| x == s).count();
        match best {
            Some((_, b)) if b >= c => {}
            _ => best = Some((s, c)),
        }
    }
    let Some((sig, count)) = best else {
        return false;
    };
    if count < r.min_items || (count as f64) < r.min_same_share * kids.len() as f64 {
        return false;
    }
    let items: Vec<NodeId> = kids
        .into_iter()
        .filter(|&(_, s)| s == sig)
        .map(|(k, _)| k)
        .collect();
    let linked = items
        .iter()
        .filter(|&&k| st.anchors[k as usize] > 0)
        .count();
    let chars: u64 = items.iter().map(|&k| u64::from(st.text[k as usize])).sum();
    (linked as f64) >= r.min_linked_share * items.len() as f64
        && chars / items.len() as u64 <= u64::from(r.max_item_chars)
        && chars / items.len() as u64 >= u64::from(r.min_item_chars)
}

/// Outermost card grids under `root` (skipping dead subtrees).
pub fn grids(dom: &Dom, st: &Stats, root: NodeId, r: &GridRules) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut it = dom.descendants(root);
    while let Some(n) = it.next() {
        if !dom.is_element(n) {
            continue;
        }
        if st.dead.contains(n) || st.chrome.contains(n) || st.text[n as usize] == 0 {
            it.skip_subtree(n);
            continue;
        }
        if is_grid(dom, st, n, r) {
            out.push(n);
            it.skip_subtree(n);
        }
    }
    out
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListingConfig {
    keep_tokens: Vec<String>,
    facet_tokens: Vec<String>,
    cover_min_grid_share: f64,
    cover_max_growth: f64,
    card_repeat_window: usize,
    card_repeat_max_scope_chars: u32,
    card_repeat_on: Vec<String>,
    block_phrases: Vec<String>,
    article_markup_beats_grid: bool,
    related_min_page_share: f64,
    related_max_link_share: f64,
}

/// Compiled `[listing]` rules: how listing and collection pages differ from the others.
#[derive(Debug)]
pub struct ListingRules {
    /// The `[boilerplate]` rules with the listing changes to the class/id fragments.
    pub boiler: BoilerRules,
    /// Grids holding at least this share (0–1) of all grid text are inside the container…
    pub cover_min_grid_share: f64,
    /// …when taking one in adds at most this many characters of other text per character of
    /// the grid (a strip of teasers elsewhere on the page is not pulled in with the page).
    pub cover_max_growth: f64,
    /// A block repeating one of this many blocks before it inside one card is dropped…
    pub card_repeat_window: usize,
    /// …when the two blocks' nearest common ancestor has at most this many visible
    /// characters (a card, not the grid).
    pub card_repeat_max_scope_chars: u32,
    /// Page types on which card repeats are dropped.
    pub card_repeat_on: Vec<String>,
    /// Article JSON-LD outweighs a listing's share of card grids in page-type detection.
    pub article_markup_beats_grid: bool,
    /// On listings and collections, a related block of the links stage holding at least this
    /// share (0–1) of the page's visible text is read as content (above 1: none is).
    pub related_min_page_share: f64,
    /// …and at most this share (0–1) of its visible text is link text (a teaser list of
    /// titles is recirculation on any page).
    pub related_max_link_share: f64,
    /// The `block_phrases`, split on word-boundary assertions (see `PhraseSet`).
    phrases: PhraseSet,
}

impl ListingRules {
    /// Compiles the `[listing]` section (and `[boilerplate]`, which it amends).
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: ListingConfig = crate::settings::section(table, "listing")?;
        Ok(ListingRules {
            boiler: BoilerRules::compile_with_tokens(table, &c.keep_tokens, &c.facet_tokens)?,
            cover_min_grid_share: c.cover_min_grid_share,
            cover_max_growth: c.cover_max_growth,
            card_repeat_window: c.card_repeat_window,
            card_repeat_max_scope_chars: c.card_repeat_max_scope_chars,
            card_repeat_on: c.card_repeat_on,
            article_markup_beats_grid: c.article_markup_beats_grid,
            related_min_page_share: c.related_min_page_share,
            related_max_link_share: c.related_max_link_share,
            phrases: PhraseSet::compile(&c.block_phrases)?,
        })
    }

    /// True when a block's whole text is a card control or stamp of a listing ("Quick view",
    /// "Add to cart", "Sort by", "3 days ago", a bare date).
    pub fn is_phrase(&self, text: &str) -> bool {
        if self.phrases.is_empty() {
            return false;
        }
        // block texts are mostly collapsed already: matched without a copy
        if crate::extract::text::is_collapsed(text) {
            return self.phrases.is_match(text);
        }
        self.phrases.is_match(crate::dom::collapse_ws(text).trim())
    }
}

/// The blocks of `blocks` outside every card grid of `grids` whose visible text is more than
/// `max_link_share` (0–1) link text, or that have no visible text: teaser lists, not sections
/// of prose or a card's own tag line.
pub fn teaser_blocks(
    dom: &Dom,
    st: &Stats,
    blocks: &[NodeId],
    grids: &[NodeId],
    max_link_share: f64,
) -> Vec<NodeId> {
    blocks
        .iter()
        .copied()
        .filter(|&n| {
            let text = f64::from(st.text[n as usize]);
            let link = f64::from(st.link[n as usize]);
            let in_card = grids
                .iter()
                .any(|&g| g != n && dom.is_inclusive_ancestor(g, n));
            text == 0.0 || (!in_card && link > max_link_share * text)
        })
        .collect()
}

/// The nearest common inclusive ancestor of `a` and `b` (the root when they share no other).
pub fn common_ancestor(dom: &Dom, a: NodeId, b: NodeId) -> NodeId {
    let mut x = a;
    loop {
        if dom.is_inclusive_ancestor(x, b) {
            return x;
        }
        match dom.parent(x) {
            Some(p) => x = p,
            None => return x,
        }
    }
}

/// The container of a listing widened to hold every card grid that carries at least
/// `min_share` (0–1) of all grid text: the page's cards are its content, not the one grid (or
/// card) the container scoring picked. A grid is taken in only when the widening adds at most
/// `max_growth` characters of other text per character of the grid (grids in sibling sections
/// of the content, not a teaser strip across the page).
pub fn cover(
    dom: &Dom,
    st: &Stats,
    c: NodeId,
    grids: &[NodeId],
    min_share: f64,
    max_growth: f64,
) -> NodeId {
    let clean = |n: NodeId| f64::from(st.clean[n as usize]);
    let total: f64 = grids.iter().map(|&g| clean(g)).sum();
    if total == 0.0 || min_share > 1.0 {
        return c;
    }
    let mut acc = c;
    for &g in grids {
        if clean(g) < min_share * total || dom.is_inclusive_ancestor(acc, g) {
            continue;
        }
        let wide = common_ancestor(dom, acc, g);
        let other = clean(wide) - clean(acc) - clean(g);
        if other <= max_growth * clean(g) {
            acc = wide;
        }
    }
    acc
}

/// Letters and digits of `text`, lowercased: the key two copies of one label share (compared
/// lazily, never collected: most pairs of blocks differ in their first letters).
fn repeat_key(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

/// Drops every block (code aside) whose text repeats one of the `window` blocks before it
/// when the two sit in one element of at most `max_scope_chars` visible characters (their
/// nearest common ancestor). Card themes print a title over the image, in a hidden hover panel
/// and under the image, and a price as "regular" and "sale" copies; sliders clone a slide next
/// to itself; the reader sees each once. A label two cards print stays when the cards are
/// further apart than the window or meet in an element larger than the scope. Returns the
/// number of blocks dropped.
pub fn drop_card_repeats(
    dom: &Dom,
    st: &Stats,
    blocks: &mut Vec<crate::extract::Block>,
    window: usize,
    max_scope_chars: u32,
) -> usize {
    if window == 0 {
        return 0;
    }
    let mut keep = vec![true; blocks.len()];
    for i in 0..blocks.len() {
        if blocks[i].kind == crate::extract::BlockKind::Code
            || repeat_key(&blocks[i].text).next().is_none()
        {
            continue;
        }
        let from = i.saturating_sub(window);
        let repeat = (from..i).rev().any(|j| {
            keep[j]
                && blocks[j].kind != crate::extract::BlockKind::Code
                && repeat_key(&blocks[j].text).eq(repeat_key(&blocks[i].text))
                && st
                    .text
                    .get(common_ancestor(dom, blocks[j].node, blocks[i].node) as usize)
                    .is_some_and(|&t| t <= max_scope_chars)
        });
        if repeat {
            keep[i] = false;
        }
    }
    let before = blocks.len();
    let mut k = keep.into_iter();
    blocks.retain(|_| k.next().unwrap_or(true));
    before - blocks.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    #[test]
    fn split_listing_phrases_answer_like_one_regex() {
        let table: toml::Table = toml::from_str(crate::settings::DEFAULT_CONFIG).unwrap();
        let c: ListingConfig = crate::settings::section(&table, "listing").unwrap();
        assert!(c.block_phrases.iter().any(|p| p.contains("\\b")));
        let one = crate::extract::content::boilerplate::phrase_regex(&c.block_phrases)
            .unwrap()
            .unwrap();
        let rules = ListingRules::compile(&table).unwrap();
        for t in [
            "Quick view",
            "Photo: Getty Images",
            "Foto © Shutterstock",
            "Fotó: Getty Images",
            "3 days ago",
            "Sort by: Price",
            "Add  to\tcart",
            " Sale ",
            "Getty Imagesx",
            "Café opening hours and menu",
            "",
        ] {
            let single = one.is_match(crate::dom::collapse_ws(t).trim());
            assert_eq!(rules.is_phrase(t), single, "{t:?}");
        }
    }

    fn doc(html: &str) -> Dom {
        parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap()
    }

    fn stats(d: &Dom, rules: &crate::settings::Rules) -> Stats {
        Stats::compute(
            d,
            &rules.content.boiler,
            &crate::dom::NodeSet::for_dom(d),
            false,
        )
    }

    fn by_id(d: &Dom, id: &str) -> NodeId {
        d.find(d.root(), |n| d.id_attr(n) == Some(id)).unwrap()
    }

    #[test]
    fn common_ancestor_of_cousins() {
        let d = doc("<div id=top><div id=a><p id=x>x</p></div><div id=b><p id=y>y</p></div></div>");
        assert_eq!(
            common_ancestor(&d, by_id(&d, "x"), by_id(&d, "y")),
            by_id(&d, "top")
        );
        assert_eq!(
            common_ancestor(&d, by_id(&d, "a"), by_id(&d, "x")),
            by_id(&d, "a")
        );
    }

    fn card(t: &str) -> String {
        format!("<li class=c><a href=/{t}>{t} card title</a> with a short excerpt</li>")
    }

    #[test]
    fn cover_takes_every_big_grid() {
        let a: String = ["a1", "a2", "a3"].iter().map(|t| card(t)).collect();
        let b: String = ["b1", "b2", "b3"].iter().map(|t| card(t)).collect();
        let html = format!(
            "<body><main id=m><section><ul id=ga>{a}</ul></section>\
             <section><ul id=gb>{b}</ul></section></main></body>"
        );
        let d = doc(&html);
        let rules = crate::settings::Rules::defaults().unwrap();
        let st = stats(&d, &rules);
        let grids = grids(&d, &st, d.body(), &rules.content.grid);
        assert_eq!(grids, vec![by_id(&d, "ga"), by_id(&d, "gb")]);
        let m = by_id(&d, "m");
        assert_eq!(cover(&d, &st, by_id(&d, "ga"), &grids, 0.1, 1.0), m);
        // a grid below the share stays out
        assert_eq!(
            cover(&d, &st, by_id(&d, "ga"), &grids, 0.9, 1.0),
            by_id(&d, "ga")
        );
    }

    #[test]
    fn cover_leaves_a_far_strip_out() {
        let a: String = ["a1", "a2", "a3"].iter().map(|t| card(t)).collect();
        let b: String = ["b1", "b2", "b3"].iter().map(|t| card(t)).collect();
        let prose = "Long article text that is the page itself and not a card. ".repeat(8);
        let html = format!(
            "<body><div id=w><main id=m><ul id=ga>{a}</ul></main><div><p>{prose}</p></div>\
             <div><ul id=gb>{b}</ul></div></div></body>"
        );
        let d = doc(&html);
        let rules = crate::settings::Rules::defaults().unwrap();
        let st = stats(&d, &rules);
        let grids = grids(&d, &st, d.body(), &rules.content.grid);
        assert_eq!(grids.len(), 2);
        // taking `gb` in would bring the prose between them
        assert_eq!(
            cover(&d, &st, by_id(&d, "ga"), &grids, 0.1, 1.0),
            by_id(&d, "ga")
        );
        assert_eq!(
            cover(&d, &st, by_id(&d, "ga"), &grids, 0.1, 10.0),
            by_id(&d, "w")
        );
    }

    #[test]
    fn teasers_are_link_lists_outside_cards() {
        let cards: String = ["a1", "a2", "a3"]
            .iter()
            .map(|t| {
                format!(
                    "<li class=c><a href=/{t}>{t} card title</a> short excerpt \
                     <ul id=tags-{t}><li><a href=/t>Action</a></li><li><a href=/u>Co-op</a></li></ul></li>"
                )
            })
            .collect();
        let prose = "How to choose one: look at the size, the weight and the price. ".repeat(4);
        let html = format!(
            "<body><ul id=g>{cards}</ul>\
             <div id=advice><h2>Related advice</h2><p>{prose}</p><a href=/guide>Read more</a></div>\
             <div id=recent><h2>Recent posts</h2><a href=/p1>A first post title here</a>\
             <a href=/p2>A second post title here</a></div><div id=empty></div></body>"
        );
        let d = doc(&html);
        let rules = crate::settings::Rules::defaults().unwrap();
        let st = stats(&d, &rules);
        let grids = grids(&d, &st, d.body(), &rules.content.grid);
        assert_eq!(grids, vec![by_id(&d, "g")]);
        let blocks: Vec<NodeId> = ["tags-a1", "advice", "recent", "empty"]
            .iter()
            .map(|i| by_id(&d, i))
            .collect();
        assert_eq!(
            teaser_blocks(&d, &st, &blocks, &grids, 0.3),
            vec![by_id(&d, "recent"), by_id(&d, "empty")]
        );
        // with every share allowed only the empty block stays out
        assert_eq!(
            teaser_blocks(&d, &st, &blocks, &grids, 1.0),
            vec![by_id(&d, "empty")]
        );
    }

    #[test]
    fn listing_phrases() {
        let r = crate::settings::Rules::defaults().unwrap().content.listing;
        for t in [
            "Quick view",
            "Add to cart",
            "3 days ago",
            "Sort by: Best Match",
            "Mar 5, 2026",
            "Shop now",
            "In stock",
            "Best Seller",
            "+ 3 more",
            "Win McNamee via Getty Images",
        ] {
            assert!(r.is_phrase(t), "{t}");
        }
        for t in [
            "$19.99",
            "Wool socks, 3 pack",
            "672 results",
            "Ankle",
            "Sale prices on 30 items",
            "Compare the two stoves",
        ] {
            assert!(!r.is_phrase(t), "{t}");
        }
    }

    #[test]
    fn listing_boiler_keeps_ratings_and_drops_facets() {
        let d = doc(
            "<body><div id=r class=card-rating>4 reviews with an average rating of 4.8</div>\
             <div id=f class=facet-panel>Brand Colour Size</div></body>",
        );
        let rules = crate::settings::Rules::defaults().unwrap().content;
        let (r, f) = (by_id(&d, "r"), by_id(&d, "f"));
        assert!(rules.boiler.is_chrome(&d, r));
        assert!(!rules.boiler.is_chrome(&d, f));
        assert!(!rules.listing.boiler.is_chrome(&d, r));
        assert!(rules.listing.boiler.is_chrome(&d, f));
    }

    #[test]
    fn card_repeats_go_and_labels_shared_by_cards_stay() {
        use crate::extract::{Block, BlockKind};
        let d = doc("<body><ul id=g>\
             <li><a id=t1 href=/a>Dark Roast</a><h3 id=h1>Dark Roast</h3><p id=p1>$19.99</p></li>\
             <li><h3 id=h2>Blueberry</h3><p id=p2>$19.99</p><p id=q2>$19.99</p></li>\
             </ul></body>");
        let rules = crate::settings::Rules::defaults().unwrap();
        let st = stats(&d, &rules);
        let b =
            |id: &str, t: &str| Block::plain(BlockKind::Paragraph, t.into(), vec![], by_id(&d, id));
        let mut blocks = vec![
            b("t1", "Dark Roast"),
            b("h1", "Dark  roast"),
            b("p1", "$19.99"),
            b("h2", "Blueberry"),
            b("p2", "$19.99"),
            b("q2", "$19.99"),
        ];
        // the title's second copy and the second price of one card go; the price both cards
        // print stays (the two cards meet in the grid, which is larger than the scope)
        assert_eq!(drop_card_repeats(&d, &st, &mut blocks, 3, 35), 2);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Dark Roast", "$19.99", "Blueberry", "$19.99"]);
        // beyond the window nothing is compared; window 0 is off
        let mut blocks = vec![
            b("t1", "Dark Roast"),
            b("p1", "$19.99"),
            b("h1", "Dark Roast"),
        ];
        assert_eq!(drop_card_repeats(&d, &st, &mut blocks, 1, 1000), 0);
        assert_eq!(drop_card_repeats(&d, &st, &mut blocks, 0, 1000), 0);
        assert_eq!(drop_card_repeats(&d, &st, &mut blocks, 2, 1000), 1);
    }

    #[test]
    fn numbered_first_classes_share_one_shape() {
        let items: String = (1..=4)
            .map(|i| {
                format!(
                    "<article class='post-{i}0149 post'><h2><a href=/p{i}>Recipe number {i} \
                     for the air fryer</a></h2></article>"
                )
            })
            .collect();
        let d = doc(&format!("<body><main id=m>{items}</main></body>"));
        let rules = crate::settings::Rules::defaults().unwrap();
        let st = stats(&d, &rules);
        assert_eq!(
            grids(&d, &st, d.body(), &rules.content.grid),
            vec![by_id(&d, "m")]
        );
        assert_eq!(signature(&d, by_id(&d, "m")).1, "");
    }
}
