//! Product pages: what is not the description, and blocks a page repeats.
//!
//! Why it exists: a product page wraps a short description and spec list in a buy box (price,
//! variant pickers, quantity, add-to-cart), shipping and returns widgets, review and Q&A
//! sections, and strips of other products. Those sit inside the same container as the
//! description, so container choice alone keeps them. Here they are found by the words shops
//! use in their class and id names (`quantity`, `upsell`, `reviews`, …) and structurally (card
//! grids of other products), never by a site's name; an element that holds the description
//! marker, the `<h1>` or most of the page is never dropped. Responsive shops also render the
//! same block twice (desktop and mobile copies): a block whose text repeats an earlier one is
//! dropped on the page types listed in the config. When a shop renders its description only
//! with scripts, the JSON-LD `Product` description is the text (SCHEMA issue 6 item 1).

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::Value;

use super::boilerplate::PhraseSet;
use super::stats::Stats;
use crate::dom::{name, Dom, NodeId, NodeSet};
use crate::select::Selector;
use crate::settings::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypedConfig {
    product_noise_class_words: Vec<String>,
    product_noise_selectors: String,
    product_keep_selectors: String,
    product_hidden_selectors: String,
    product_noise_max_share: f64,
    product_grid_min_link_share: f64,
    jsonld_description_min_words: usize,
    jsonld_description_probe_words: usize,
    jsonld_description_max_extracted_ratio: f64,
    drop_repeated_min_words: usize,
    drop_repeated_blocks_on: Vec<String>,
    product_block_phrases: Vec<String>,
    disclosure_panel_selectors: String,
    accordion_title_max_words: usize,
    product_list_min_jsonld_nodes: usize,
    og_product_yields_to_grid: bool,
    product_price_max_nested_chars: usize,
    product_detail_url_segments: Vec<String>,
    product_drop_repeated_min_words: usize,
    product_drop_adjacent_repeats: bool,
    strict_repeats_on: Vec<String>,
}

/// Compiled `[pagetype_rules]`.
#[derive(Debug)]
pub struct TypedRules {
    /// Elements of a product page that are not its description.
    pub noise: Selector,
    /// Description markers: a noise element holding one is kept.
    pub keep: Selector,
    /// Elements hidden by a utility class (template data dumps: raw variant fields, price
    /// tiers, image lists): noise however much of the page's text they hold.
    pub hidden: Selector,
    /// A noise element holding more than this share of the page's text is kept (0–1).
    pub noise_max_share: f64,
    /// A card grid is a strip of other products when at least this share of its text is link
    /// text (0–1); slides of the description itself carry little link text.
    pub grid_min_link_share: f64,
    /// A JSON-LD description shorter than this (words) is a slogan, not a description.
    pub ld_min_words: usize,
    /// The extraction holds the JSON-LD description when its first this-many words occur in it.
    pub ld_probe_words: usize,
    /// The JSON-LD description is added only when the extraction has fewer words than this
    /// many times the description's (0 = no limit): a longer extraction found the page's own
    /// description, worded differently from the shop's search-engine summary.
    pub ld_max_extracted_ratio: f64,
    /// Repeated blocks shorter than this (words) stay: cards repeat short lines on purpose.
    pub dedup_min_words: usize,
    /// Page types (`articles.page_type` values) on which repeated blocks are dropped.
    pub dedup_types: Vec<String>,
    /// Whole-block phrases of shop widgets (stock, shipping, rating and cart lines), dropped on
    /// product pages only (split on word-boundary assertions, see `PhraseSet`).
    pub(crate) phrases: PhraseSet,
    /// Disclosure panels (collapsed accordions, inactive tabs, folded FAQ answers): hidden by
    /// markup until clicked, they hold a product's description and specs, a service page's
    /// answers; read on every page type.
    pub hidden_panels: Selector,
    /// A button holding all of its heading's text and at most this many words is the title of
    /// an accordion section, read like text (0 = buttons are always dropped).
    pub accordion_title_max_words: usize,
    /// Page-type evidence: JSON-LD with this many product nodes lists products (0 = never).
    pub list_min_products: usize,
    /// Page-type evidence: `og:type` `product` yields to a listing-sized card grid.
    pub og_product_yields_to_grid: bool,
    /// Page-type evidence: a `*price*` element with nested digits counts when its visible text
    /// has at most this many non-space characters (0 = own text only).
    pub price_max_nested_chars: usize,
    /// Page-type evidence: URL path segments naming one product's detail page (lowercase).
    pub product_url_segments: Vec<String>,
    /// On the `strict_types` pages, repeated blocks of at least this many words are dropped
    /// (the other page types use `dedup_min_words`).
    pub product_dedup_min_words: usize,
    /// On the `strict_types` pages, a block repeating the block right before it is dropped too.
    pub product_dedup_adjacent: bool,
    /// Page types (`articles.page_type` values) whose repeats are dropped with the product
    /// rules above (shop pages: product and collection pages print labels, titles and specs
    /// again in tabs, sliders and mobile copies).
    pub strict_types: Vec<String>,
}

/// `[class*="w" i], [id*="w" i]` for every word.
fn class_word_selector(words: &[String]) -> String {
    words
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty() && !w.contains(['"', '\\']))
        .map(|w| format!("[class*=\"{w}\" i], [id*=\"{w}\" i]"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl TypedRules {
    /// Compiles the `[pagetype_rules]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: TypedConfig = crate::settings::section(table, "pagetype_rules")?;
        let mut noise = class_word_selector(&c.product_noise_class_words);
        if !c.product_noise_selectors.trim().is_empty() {
            if !noise.is_empty() {
                noise.push_str(", ");
            }
            noise.push_str(&c.product_noise_selectors);
        }
        Ok(TypedRules {
            noise: Selector::parse(&noise)?,
            keep: Selector::parse(&c.product_keep_selectors)?,
            hidden: if c.product_hidden_selectors.trim().is_empty() {
                Selector::default()
            } else {
                Selector::parse(&c.product_hidden_selectors)?
            },
            noise_max_share: c.product_noise_max_share,
            grid_min_link_share: c.product_grid_min_link_share,
            ld_min_words: c.jsonld_description_min_words,
            ld_probe_words: c.jsonld_description_probe_words.max(1),
            ld_max_extracted_ratio: c.jsonld_description_max_extracted_ratio,
            dedup_min_words: c.drop_repeated_min_words,
            dedup_types: c.drop_repeated_blocks_on,
            phrases: PhraseSet::compile(&c.product_block_phrases)?,
            hidden_panels: if c.disclosure_panel_selectors.trim().is_empty() {
                Selector::default()
            } else {
                Selector::parse(&c.disclosure_panel_selectors)?
            },
            accordion_title_max_words: c.accordion_title_max_words,
            list_min_products: c.product_list_min_jsonld_nodes,
            og_product_yields_to_grid: c.og_product_yields_to_grid,
            price_max_nested_chars: c.product_price_max_nested_chars,
            product_url_segments: c
                .product_detail_url_segments
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
            product_dedup_min_words: c.product_drop_repeated_min_words,
            product_dedup_adjacent: c.product_drop_adjacent_repeats,
            strict_types: c.strict_repeats_on,
        })
    }
}

impl TypedRules {
    /// True when the whole block (whitespace collapsed) is a shop-widget phrase.
    pub fn is_shop_phrase(&self, text: &str) -> bool {
        if text.len() > 300 {
            return false;
        }
        if self.phrases.is_empty() {
            return false;
        }
        // block texts are mostly collapsed already: matched without a copy
        if crate::extract::text::is_collapsed(text) {
            return self.phrases.is_match(text);
        }
        let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.phrases.is_match(&t)
    }
}

/// True when `n` holds (or is) a description marker or the page's `<h1>`.
fn holds_keep(dom: &Dom, keep: &Selector, n: NodeId) -> bool {
    keep.matches(dom, n)
        || dom.is(n, name::H1)
        || dom
            .descendants(n)
            .any(|d| dom.is(d, name::H1) || keep.matches(dom, d))
}

/// True when the card grid `g` is mostly link text (tiles of other products).
fn linky_grid(st: &Stats, g: NodeId, min_share: f64) -> bool {
    let t = st.text[g as usize];
    t > 0 && f64::from(st.link[g as usize]) >= min_share * f64::from(t)
}

/// Elements of a product page that are not its description: matches of the noise rules and
/// the link-heavy card grids among `grids`, minus any that hold a description marker or the
/// `<h1>`, or (unless hidden by a utility class) more than `noise_max_share` of the page's text.
/// Outermost first; nested matches are not repeated.
pub fn noise(dom: &Dom, st: &Stats, body: NodeId, r: &TypedRules, grids: &[NodeId]) -> Vec<NodeId> {
    let page = f64::from(st.text[body as usize]);
    let mut hidden = r.hidden.all(dom, body);
    hidden.sort_unstable();
    let mut cands: Vec<NodeId> = r.noise.all(dom, body);
    cands.extend(hidden.iter().copied());
    cands.extend(
        grids
            .iter()
            .copied()
            .filter(|&g| linky_grid(st, g, r.grid_min_link_share)),
    );
    cands.sort_unstable();
    cands.dedup();
    let mut taken = NodeSet::for_dom(dom);
    let mut out = Vec::new();
    for n in cands {
        if n == body || st.dead.contains(n) || st.text[n as usize] == 0 {
            continue;
        }
        if dom.ancestors(n).any(|a| taken.contains(a)) {
            continue;
        }
        let too_big = f64::from(st.text[n as usize]) > r.noise_max_share * page
            && hidden.binary_search(&n).is_err();
        if too_big || holds_keep(dom, &r.keep, n) {
            continue;
        }
        taken.insert(n);
        out.push(n);
    }
    out
}

fn is_product_type(o: &serde_json::Map<String, Value>) -> bool {
    let t = |s: &str| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "product" | "productgroup" | "individualproduct"
        )
    };
    match o.get("@type") {
        Some(Value::String(s)) => t(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(t),
        _ => false,
    }
}

/// Tags removed and entities decoded, one paragraph per line (JSON-LD descriptions are often
/// HTML-escaped markup).
fn plain(desc: &str) -> String {
    let mut out = String::with_capacity(desc.len());
    let mut in_tag = false;
    for ch in crate::extract::metadata::clean::decode_entities(desc).chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest `description` of the JSON-LD `Product` nodes, as plain text lines.
pub fn jsonld_description(nodes: &[Value]) -> Option<String> {
    let mut best: Option<String> = None;
    let nested = ["@graph", "mainEntity", "hasVariant"];
    super::pagetype::for_each_object(nodes, &nested, |o| {
        if is_product_type(o) {
            if let Some(d) = o.get("description").and_then(Value::as_str) {
                let d = plain(d);
                if best.as_ref().map_or(true, |b| d.len() > b.len()) {
                    best = Some(d);
                }
            }
        }
    });
    best.filter(|b| !b.is_empty())
}

/// The JSON-LD description lines to add to an extraction whose text is `extracted`: none when
/// the description is shorter than `min_words`, its first `probe` words already occur, or the
/// extraction already has at least `max_ratio` times its words (0 = no limit: a long
/// extraction found the page's own description, worded differently from the shop's summary).
pub fn missing_description(
    desc: &str,
    extracted: &str,
    min_words: usize,
    probe: usize,
    max_ratio: f64,
) -> Option<Vec<String>> {
    let key = repeat_key(desc);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < min_words {
        return None;
    }
    let extracted_key = repeat_key(extracted);
    if max_ratio > 0.0 {
        let have = extracted_key.split(' ').filter(|w| !w.is_empty()).count();
        if have as f64 >= max_ratio * words.len() as f64 {
            return None;
        }
    }
    let head = words[..probe.min(words.len())].join(" ");
    if extracted_key.contains(&head) {
        return None;
    }
    Some(desc.lines().map(str::to_string).collect())
}

/// Key under which two blocks count as the same text: lowercased words, punctuation dropped.
pub fn repeat_key(text: &str) -> String {
    let mut k = String::with_capacity(text.len());
    repeat_key_into(text, &mut k);
    k
}

/// [`repeat_key`] written into `k` (cleared first, its buffer reused); returns the number of
/// words of the key.
fn repeat_key_into(text: &str, k: &mut String) -> usize {
    // one pass (words are runs of alphanumerics); ASCII bytes are tested and lowercased
    // without decoding or the Unicode tables
    k.clear();
    let mut words = 0usize;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (alnum, c, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), b as char, 1)
        } else {
            // `i` is on a character boundary: ASCII bytes are whole characters
            let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            (c.is_alphanumeric(), c, c.len_utf8())
        };
        i += len;
        if !alnum {
            in_word = false;
            continue;
        }
        if !in_word {
            if !k.is_empty() {
                k.push(' ');
            }
            words += 1;
        }
        in_word = true;
        if c.is_ascii() {
            k.push(c.to_ascii_lowercase());
        } else {
            k.extend(c.to_lowercase());
        }
    }
    words
}

impl TypedRules {
    /// The repeat tracker for a page of type `ptype` (an `articles.page_type` value).
    pub fn repeats_for(&self, ptype: &str) -> Repeats {
        if !self.strict_types.iter().any(|t| t == ptype) {
            Repeats::new(self.dedup_min_words)
        } else if self.product_dedup_adjacent {
            Repeats::with_adjacent(self.product_dedup_min_words)
        } else {
            Repeats::new(self.product_dedup_min_words)
        }
    }
}

/// Remembers block texts and says whether a text was seen before.
#[derive(Default)]
pub struct Repeats {
    seen: HashSet<String, xxhash_rust::xxh3::Xxh3DefaultBuilder>,
    last: String,
    /// Buffer for the next key (the previous `last`, reused).
    key: String,
    min_words: usize,
    adjacent: bool,
}

impl Repeats {
    /// A tracker for which blocks of fewer than `min_words` words never repeat.
    pub fn new(min_words: usize) -> Self {
        Repeats {
            min_words,
            ..Repeats::default()
        }
    }

    /// A tracker that also reports a block repeating the block right before it (product pages:
    /// a responsive theme prints a title or label twice in a row, never as a refrain).
    pub fn with_adjacent(min_words: usize) -> Self {
        Repeats {
            min_words,
            adjacent: true,
            ..Repeats::default()
        }
    }

    /// True when a block with the same [`repeat_key`] was seen earlier but not as the block
    /// just before (a refrain or a deliberately doubled line stays; a copy further down is a
    /// responsive duplicate), or also as the block just before when built
    /// [`with_adjacent`](Self::with_adjacent). Empty keys never repeat.
    pub fn repeated(&mut self, text: &str) -> bool {
        let mut k = std::mem::take(&mut self.key);
        let words = repeat_key_into(text, &mut k);
        if k.is_empty() {
            self.key = k;
            return false;
        }
        // the key becomes `last`; the old `last` buffer is reused for the next key
        let adjacent = k == self.last;
        self.key = std::mem::replace(&mut self.last, k);
        if words < self.min_words {
            return false;
        }
        let seen = self.seen.contains(self.last.as_str());
        if !seen {
            self.seen.insert(self.last.clone());
        }
        seen && (self.adjacent || !adjacent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};
    use crate::settings::Rules;

    fn setup(html: &str) -> (Dom, Stats) {
        let dom = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let st = Stats::with_default_rules(&dom);
        (dom, st)
    }

    fn classes(dom: &Dom, ns: &[NodeId]) -> Vec<String> {
        ns.iter()
            .map(|&n| dom.attr(n, "class").unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn buy_box_is_noise_but_not_the_description_or_reviews() {
        let (dom, st) = setup(
            "<body><div class=product><h1>Mug</h1>\
             <div class=product-price>$20</div>\
             <div class=quantity-picker>Qty 1 2 3</div>\
             <div class=product-description><p>A wheel thrown mug for tea.</p>\
               <span class=price-note>incl. tax</span></div>\
             <section id=customer-reviews><p>Great mug, five stars from me.</p></section>\
             </div><p>Footer words that fill the page a little more here.</p></body>",
        );
        let rules = Rules::defaults().unwrap();
        let n = noise(&dom, &st, dom.body(), &rules.content.typed, &[]);
        let c = classes(&dom, &n);
        assert!(c.contains(&"product-price".to_string()));
        assert!(c.contains(&"quantity-picker".to_string()));
        // written reviews are kept (reference extractions keep them as often as not)
        assert!(!n
            .iter()
            .any(|&x| dom.id_attr(x) == Some("customer-reviews")));
        // the description and its wrapper (which holds the h1) stay
        assert!(!c.contains(&"product-description".to_string()));
        assert!(!c.contains(&"product".to_string()));
    }

    #[test]
    fn a_hidden_dump_is_noise_however_big_unless_it_holds_the_title() {
        let (dom, st) = setup(
            "<body><dl id=dump class='info hide'><dt>cat_thumb_Bone:</dt><dd>https://cdn.x/a.jpg              and many more field values of a template dump</dd></dl>\
             <div id=top class=hidden><h1>Mug</h1><p>A long folded text about the mug here.</p></div>\
             <p>Short description.</p></body>",
        );
        let rules = Rules::defaults().unwrap();
        let n = noise(&dom, &st, dom.body(), &rules.content.typed, &[]);
        let id = |x: NodeId| dom.id_attr(x).unwrap_or("");
        assert_eq!(n.iter().map(|&x| id(x)).collect::<Vec<_>>(), vec!["dump"]);
    }

    #[test]
    fn a_wrapper_holding_most_of_the_page_is_kept() {
        let (dom, st) = setup(
            "<body><div class=reviews-and-more><p>Almost all of the page text lives in here, \
             many words long.</p></div><p>tiny</p></body>",
        );
        let rules = Rules::defaults().unwrap();
        assert!(noise(&dom, &st, dom.body(), &rules.content.typed, &[]).is_empty());
    }

    #[test]
    fn grids_are_noise_unless_they_hold_the_description_or_little_link_text() {
        let (dom, st) = setup(
            "<body><ul id=g><li><a href=/a>Other product A</a></li></ul>\
             <ul id=d><li itemprop=description><a href=/d>Spec line</a></li></ul>\
             <ul id=s><li>Soft wool keeps you warm all day. <a href=/m>More</a></li></ul>\
             <p>filler text here</p></body>",
        );
        let rules = Rules::defaults().unwrap();
        let g = dom
            .find(dom.body(), |n| dom.id_attr(n) == Some("g"))
            .unwrap();
        let d = dom
            .find(dom.body(), |n| dom.id_attr(n) == Some("d"))
            .unwrap();
        let sl = dom
            .find(dom.body(), |n| dom.id_attr(n) == Some("s"))
            .unwrap();
        let n = noise(&dom, &st, dom.body(), &rules.content.typed, &[g, d, sl]);
        assert_eq!(n, vec![g]);
    }

    #[test]
    fn shop_phrases_match_whole_blocks() {
        let r = Rules::defaults().unwrap().content.typed;
        assert!(r.is_shop_phrase("Sold and shipped by Example Store"));
        assert!(r.is_shop_phrase("Notify me when   back in stock"));
        assert!(r.is_shop_phrase("4.6 out of 5 stars"));
        assert!(r.is_shop_phrase("369 Reviews"));
        assert!(r.is_shop_phrase("4.4 stars out of 1935 reviews"));
        assert!(r.is_shop_phrase("4.6 out of 5 Stars. 1664 reviews"));
        assert!(r.is_shop_phrase("(4.4)|"));
        assert!(!r.is_shop_phrase("4.4 stars out of 5 for comfort, and it fits well"));
        assert!(!r.is_shop_phrase("Add to cart this mug, a gift we loved for years."));
        assert!(!r.is_shop_phrase("Hand-applied antique brass nail trim"));
        assert!(r.is_shop_phrase("Loading content..."));
        assert!(r.is_shop_phrase("https://cdn.example.com/img/5001_BONE_THUMB.jpg"));
        assert!(!r.is_shop_phrase("See https://example.com/care.jpg for care steps"));
        // bare amounts and numbers (price lines, size pickers) and loyalty-point lines
        assert!(r.is_shop_phrase("$110"));
        assert!(r.is_shop_phrase("Sale price $74.95"));
        assert!(r.is_shop_phrase("12"));
        assert!(r.is_shop_phrase("49,35€"));
        assert!(r.is_shop_phrase("Members earn 179 points on this purchase."));
        assert!(!r.is_shop_phrase("Weight: 13 oz (369 g)"));
        assert!(!r.is_shop_phrase("12 mugs in a box"));
        // marketplace widget lines
        assert!(r.is_shop_phrase("People who viewed this item also viewed"));
        assert!(r.is_shop_phrase("Seller feedback (7,310)"));
        assert!(!r.is_shop_phrase("Similar items are sold in sets of four."));
    }

    #[test]
    fn split_shop_phrases_answer_like_one_regex() {
        let table: toml::Table = toml::from_str(crate::settings::DEFAULT_CONFIG).unwrap();
        let c: TypedConfig = crate::settings::section(&table, "pagetype_rules").unwrap();
        assert!(c.product_block_phrases.iter().any(|p| p.contains("\\b")));
        let one = super::super::boilerplate::phrase_regex(&c.product_block_phrases)
            .unwrap()
            .unwrap();
        let r = TypedRules::compile(&table).unwrap();
        assert!(r.phrases.plain.is_some() && r.phrases.bounded.is_some());
        for t in [
            "Members earn 179 points on this purchase.",
            "Membres earn 179 points café",
            "Café points earn x",
            "earn 5 points",
            "4.6 out of 5 stars",
            "Add  to\tcart",
            "Ça coûte 12 €",
            "49,35€",
            "Hand-applied antique brass nail trim",
            "",
        ] {
            let single = one.is_match(&t.split_whitespace().collect::<Vec<_>>().join(" "));
            assert_eq!(r.is_shop_phrase(t), single, "{t:?}");
        }
    }

    #[test]
    fn repeated_blocks_are_found_by_their_words() {
        let mut r = Repeats::default();
        assert!(!r.repeated("Soft wool, itch-free."));
        assert!(!r.repeated("Soft wool"));
        assert!(r.repeated("soft WOOL itch free"));
        assert!(!r.repeated("…"));
        assert!(!r.repeated("…"));
        // the block right before is not a duplicate
        assert!(!r.repeated("Chorus line"));
        assert!(!r.repeated("Chorus line"));
        // short lines repeat freely when a least length is set
        let mut r = Repeats::new(3);
        assert!(!r.repeated("Expires today"));
        assert!(!r.repeated("Soft wool itch free"));
        assert!(!r.repeated("Expires today"));
        assert!(r.repeated("Soft wool itch free"));
    }

    #[test]
    fn adjacent_repeats_are_reported_when_asked() {
        let mut r = Repeats::with_adjacent(1);
        assert!(!r.repeated("With MagSlider lid"));
        assert!(r.repeated("WITH MAGSLIDER LID"));
        assert!(!r.repeated("New"));
        assert!(!r.repeated("Sale"));
        assert!(r.repeated("New"));
        assert!(!r.repeated(""));
        assert!(!r.repeated(""));
        // the default tracker keeps a line doubled in a row
        let mut r = Repeats::new(1);
        assert!(!r.repeated("Lifetime Guarantee"));
        assert!(!r.repeated("Lifetime Guarantee"));
    }

    #[test]
    fn shop_pages_get_the_strict_repeat_tracker() {
        let r = Rules::defaults().unwrap().content.typed;
        let mut shop = r.repeats_for("product");
        assert!(!shop.repeated("New"));
        assert!(shop.repeated("New"));
        let mut story = r.repeats_for("article");
        assert!(!story.repeated("New"));
        assert!(!story.repeated("New"));
    }

    #[test]
    fn jsonld_product_description_is_found_and_cleaned() {
        let v = vec![serde_json::json!({"@graph": [
            {"@type": "WebPage", "description": "A shop page"},
            {"@type": ["Product"], "description": "&lt;p&gt;Soft wool &amp; foam.&lt;/p&gt;&lt;p&gt;Washable.&lt;/p&gt;"}
        ]})];
        assert_eq!(
            jsonld_description(&v).as_deref(),
            Some("Soft wool & foam.\nWashable.")
        );
        assert_eq!(
            jsonld_description(&[serde_json::json!({"@type": "Article", "description": "x"})]),
            None
        );
    }

    #[test]
    fn description_is_added_only_when_missing_and_long_enough() {
        let d = "Soft wool runner for all day wear.\nMachine washable.";
        assert_eq!(
            missing_description(d, "Price $10", 5, 4, 0.0),
            Some(vec![
                "Soft wool runner for all day wear.".to_string(),
                "Machine washable.".to_string()
            ])
        );
        assert_eq!(
            missing_description(d, "Intro. Soft WOOL runner, for all", 5, 4, 0.0),
            None
        );
        assert_eq!(missing_description(d, "", 50, 4, 0.0), None);
        // an extraction already as long as the description found the page's own text
        assert!(missing_description(d, "Price $10", 5, 4, 1.0).is_some());
        let long = "Our own words about this runner shoe and its wool upper here";
        assert_eq!(missing_description(d, long, 5, 4, 1.0), None);
    }

    #[test]
    fn class_words_become_substring_selectors() {
        let s = class_word_selector(&["upsell".into(), " ".into(), "bad\"q".into()]);
        assert_eq!(s, "[class*=\"upsell\" i], [id*=\"upsell\" i]");
    }

    #[test]
    fn repeat_key_matches_the_word_split_definition() {
        let reference = |text: &str| {
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| w.chars().flat_map(char::to_lowercase).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for t in [
            "",
            "  Hello, World!  ",
            "\u{201c}Caf\u{c9}\u{201d} \u{2014} na\u{ef}ve--x_y 42",
            "\u{130}stanbul \u{41a}\u{418}\u{404}\u{412} \u{4e2d}\u{6587}\u{3002}ok",
            "...",
            "ABC123def GHI-jkl__mnoÄÖÜx9 Ωmega end",
            "trailing ASCII run",
        ] {
            assert_eq!(repeat_key(t), reference(t), "{t:?}");
            let mut k = String::from("stale buffer");
            let words = repeat_key_into(t, &mut k);
            assert_eq!(k, reference(t), "{t:?}");
            assert_eq!(
                words,
                k.split(' ').filter(|w| !w.is_empty()).count(),
                "{t:?}"
            );
        }
    }
}
