//! Page-type detection: article, forum, product, collection, listing, documentation, service.
//!
//! Why it exists: the shape of "the main content" depends on the kind of page. An article is one
//! container of sequential paragraphs; a forum thread is its posts; a product page is its
//! description and specs; collections and listings are every card; documentation keeps its code;
//! a service or landing page spreads over many sections. Structured data decides first
//! (JSON-LD `@type`, `og:type`), then the URL path, then the DOM (repeated cards, prices, code).

use serde_json::Value;

use super::stats::Stats;
use crate::dom::{name, Dom, ElementIndex, NodeId};
use crate::extract::text::contains_ascii_lower;

/// The page types of `articles.page_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageType {
    /// One container of sequential paragraphs.
    Article,
    /// A forum or Q&A thread.
    Forum,
    /// A product page.
    Product,
    /// A collection (category, gallery, brand page).
    Collection,
    /// A listing (archive, search results, index of programs).
    Listing,
    /// Technical documentation.
    Documentation,
    /// A service or landing page.
    Service,
}

impl PageType {
    /// The value written to `articles.page_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            PageType::Article => "article",
            PageType::Forum => "forum",
            PageType::Product => "product",
            PageType::Collection => "collection",
            PageType::Listing => "listing",
            PageType::Documentation => "documentation",
            PageType::Service => "service",
        }
    }
}

/// Calls `f` on every JSON-LD object of `nodes`, descending into arrays and into the values of
/// the `nested` keys (`@graph`, `mainEntity`, …); at most 10,000 values are visited (hostile
/// pages can nest deeply).
pub fn for_each_object<'a>(
    nodes: &'a [Value],
    nested: &[&str],
    mut f: impl FnMut(&'a serde_json::Map<String, Value>),
) {
    let mut stack: Vec<&Value> = nodes.iter().collect();
    let mut budget = 10_000usize;
    while let Some(v) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => {
                f(o);
                for k in nested {
                    if let Some(g) = o.get(*k) {
                        stack.push(g);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every `@type` of the JSON-LD nodes, lowercased.
pub fn jsonld_types(nodes: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for_each_object(nodes, &["@graph", "mainEntity"], |o| match o.get("@type") {
        Some(Value::String(s)) => out.push(s.to_ascii_lowercase()),
        Some(Value::Array(a)) => out.extend(
            a.iter()
                .filter_map(|x| x.as_str())
                .map(str::to_ascii_lowercase),
        ),
        _ => {}
    });
    out
}

/// Parses the page's JSON-LD blocks (used when the metadata stage did not provide them).
pub fn parse_jsonld(dom: &Dom) -> Vec<Value> {
    let mut out = Vec::new();
    for s in dom.find_all(dom.root(), |n| {
        dom.is(n, name::SCRIPT)
            && dom
                .attr_by(n, name::TYPE)
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
    }) {
        let raw: String = dom.children(s).map(|c| dom.text(c)).collect();
        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
            out.push(v);
        }
    }
    out
}

/// JSON-LD types of an article (news story, blog post, review).
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "opinionnewsarticle",
    "analysisnewsarticle",
    "liveblogposting",
    "scholarlyarticle",
    "socialmediaposting",
];

/// What the detector looks at.
pub struct Signals<'a> {
    /// JSON-LD nodes.
    pub jsonld: &'a [Value],
    /// `og:type`.
    pub og_type: Option<String>,
    /// The page URL, if known.
    pub url: Option<&'a str>,
    /// The comments stage found a forum thread.
    pub is_forum: bool,
    /// Outermost matches of the forum-software markers.
    pub forum_markers: usize,
    /// Matches needed for a thread.
    pub min_posts: usize,
    /// Share of the page's clean text inside card grids (0–1).
    pub grid_share: f64,
    /// Grid share from which the page is a listing or collection.
    pub listing_min_grid_share: f64,
    /// Words of add-to-cart controls in class, id or name (lowercase).
    pub cart_words: &'a [String],
    /// More cart controls than this make a page of many products, not one.
    pub max_cart_controls: usize,
    /// JSON-LD with at least this many product nodes lists products rather than being one
    /// product's page (0 = never).
    pub list_min_products: usize,
    /// An `og:type` of `product` yields to a card grid holding a listing's share of the page
    /// (shop themes put `product` on category pages too).
    pub og_product_yields_to_grid: bool,
    /// Article JSON-LD (`NewsArticle`, `BlogPosting`, …) outweighs a card grid holding a
    /// listing's share of the page: the grid is the story's recommendation strips.
    pub article_markup_beats_grid: bool,
    /// A `*price*` element whose digits sit in nested elements counts as a price when its
    /// visible text has at most this many non-space characters (0 = own text only).
    pub price_max_nested_chars: usize,
    /// URL path segments (lowercase) that name one product's detail page: they outweigh a card
    /// grid holding a listing's share of the page (the product's strips of other products).
    pub product_url_segments: &'a [String],
}

/// JSON-LD `@type`s (lowercase) of one product.
const PRODUCT_TYPES: &[&str] = &[
    "product",
    "productgroup",
    "individualproduct",
    "vehicle",
    "book",
    "course",
];

/// True when the JSON-LD types mark one product's page: product nodes, no list or collection
/// nodes, and fewer than `list_min` product nodes (0 = no limit): a category page describes
/// each of its products.
fn is_product_markup(types: &[String], list_min: usize) -> bool {
    let n = types
        .iter()
        .filter(|t| PRODUCT_TYPES.contains(&t.as_str()))
        .count();
    let listed = types.iter().any(|t| {
        matches!(
            t.as_str(),
            "collectionpage" | "itemlist" | "searchresultspage"
        )
    });
    n > 0 && !listed && (list_min == 0 || n < list_min)
}

/// True when the JSON-LD types mark one article (a story or post) and no list of items.
fn is_article_markup(types: &[String]) -> bool {
    let has = |t: &[&str]| types.iter().any(|x| t.contains(&x.as_str()));
    has(ARTICLE_TYPES) && !has(&["collectionpage", "itemlist", "searchresultspage"])
}

fn path_has(url: &str, parts: &[&str]) -> bool {
    path_segments(url)
        .iter()
        .any(|seg| parts.contains(&seg.as_str()))
}

/// True when the URL is a site's home page: an empty path, or only a language or locale
/// segment (`/en`, `/en-us/`, `/de_DE`); the query and fragment do not count.
fn is_home_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let path = rest
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split_once('/')
        .map_or("", |(_, p)| p)
        .trim_matches('/');
    if path.is_empty() {
        return true;
    }
    // a two-letter language (`en`) and an optional two-letter region (`us`)
    let code = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic());
    let mut parts = path.split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    let region = parts.next();
    code(lang) && region.map_or(true, code) && parts.next().is_none()
}

/// The lowercase segments of the URL's path and query (split at `/ ? # . - _`).
fn path_segments(url: &str) -> Vec<String> {
    url.split_once("://")
        .map_or(url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p))
        .to_ascii_lowercase()
        .split(['/', '?', '#', '.', '-', '_'])
        .map(str::to_string)
        .collect()
}

/// True when the JSON-LD types mark a Q&A or discussion thread. A `FAQPage`'s `Question`
/// nodes are the site's own FAQ (shops and service pages carry one), not a thread.
fn is_thread_markup(types: &[String]) -> bool {
    let has = |t: &str| types.iter().any(|x| x == t);
    has("qapage") || has("discussionforumposting") || (has("question") && !has("faqpage"))
}

/// Detects the page type.
pub fn detect(dom: &Dom, st: &Stats, body: NodeId, sig: &Signals<'_>) -> PageType {
    if sig.is_forum {
        return PageType::Forum;
    }
    let types = jsonld_types(sig.jsonld);
    let has = |t: &[&str]| types.iter().any(|x| t.contains(&x.as_str()));
    if is_thread_markup(&types) || sig.forum_markers >= sig.min_posts {
        return PageType::Forum;
    }
    if is_product_markup(&types, sig.list_min_products) {
        // a review or news story about products carries their `Product` nodes too
        return if has(ARTICLE_TYPES) {
            PageType::Article
        } else {
            PageType::Product
        };
    }
    if has(&["techarticle", "apireference"]) {
        return PageType::Documentation;
    }
    let og = sig.og_type.as_deref().unwrap_or("").to_ascii_lowercase();
    // `product.group` is a shop's category page (Shopify and others), `product.item` one item
    if og == "product.group" || og == "product:group" {
        return PageType::Collection;
    }
    let og_product = og == "product" || og.starts_with("product.") || og == "og:product";
    if og_product
        && !(sig.og_product_yields_to_grid && sig.grid_share >= sig.listing_min_grid_share)
    {
        return PageType::Product;
    }
    let dom_type = dom_signals(dom, st, body, sig);
    let product_url = sig.url.is_some_and(|u| {
        path_segments(u)
            .iter()
            .any(|s| sig.product_url_segments.contains(s))
    });
    if product_url && sig.grid_share >= sig.listing_min_grid_share && !has(ARTICLE_TYPES) {
        return PageType::Product;
    }
    if sig.grid_share >= sig.listing_min_grid_share
        && !(sig.article_markup_beats_grid && is_article_markup(&types))
    {
        // cards of products (prices, product markup) make a collection
        return if dom_type == Some(PageType::Product) || has(&["product", "offer"]) {
            PageType::Collection
        } else {
            PageType::Listing
        };
    }
    // price and cart widgets on a news story or blog post are ads, not a product
    if dom_type == Some(PageType::Product) && has(ARTICLE_TYPES) {
        return PageType::Article;
    }
    if let Some(t) = dom_type {
        // a site's home page showing code samples is a developer tool's landing page (or a
        // blog's front page), not a manual: the code blocks do not make it documentation
        if !(t == PageType::Documentation && sig.url.is_some_and(is_home_url)) {
            return t;
        }
    }
    if let Some(u) = sig.url {
        if path_has(
            u,
            &[
                "docs",
                "doc",
                "documentation",
                "manual",
                "reference",
                "api",
                "guide",
                "userguide",
                "usersguide",
                "wiki",
                "kb",
                "help",
            ],
        ) {
            return PageType::Documentation;
        }
        if path_has(
            u,
            &[
                "forum",
                "forums",
                "thread",
                "threads",
                "topic",
                "questions",
                "discussion",
                "community",
                "t",
            ],
        ) {
            return PageType::Forum;
        }
        if path_has(
            u,
            &["product", "products", "p", "item", "dp", "shop", "pdp"],
        ) {
            return PageType::Product;
        }
        if path_has(
            u,
            &[
                "category",
                "categories",
                "collections",
                "collection",
                "tag",
                "tags",
                "archive",
                "search",
                "catalog",
            ],
        ) {
            return PageType::Collection;
        }
    }
    if has(&["collectionpage", "itemlist", "searchresultspage"]) {
        return PageType::Listing;
    }
    if has(ARTICLE_TYPES) || og == "article" {
        return PageType::Article;
    }
    if has(&[
        "service",
        "localbusiness",
        "organization",
        "professionalservice",
        "webpage",
    ]) && st.paras[body as usize] < 8
    {
        return PageType::Service;
    }
    PageType::Article
}

/// True when the forum marker `n` is an FAQ answer rather than a post: it sits in a schema.org
/// `FAQPage` (and no `QAPage`), or its nearest `Question` scope holds no other `Answer` while
/// the page has several `Question` scopes (`questions`): an FAQ pairs each of its questions with
/// one answer, a Q&A thread is one question gathering answers. FAQ accordions on service pages
/// and articles carry the same microdata as Q&A threads.
pub fn is_faq_answer(dom: &Dom, n: NodeId, questions: usize) -> bool {
    let itemtype = |a: NodeId| dom.attr(a, "itemtype").map(str::to_ascii_lowercase);
    let mut scope: Option<NodeId> = None;
    for a in std::iter::once(n).chain(dom.ancestors(n)) {
        let Some(t) = itemtype(a) else { continue };
        if t.contains("qapage") {
            return false;
        }
        if t.contains("faqpage") {
            return true;
        }
        if a != n && scope.is_none() && t.contains("question") {
            scope = Some(a);
        }
    }
    let Some(q) = scope else { return false };
    let answers = dom
        .descendants(q)
        .filter(|&d| itemtype(d).is_some_and(|t| t.contains("answer")))
        .take(2)
        .count();
    answers <= 1 && questions >= 2
}

/// Elements of the page whose microdata type is a `Question`.
pub fn question_scopes(dom: &Dom, body: NodeId) -> usize {
    dom.find_all(body, |n| {
        dom.attr(n, "itemtype")
            .is_some_and(|t| t.to_ascii_lowercase().contains("question"))
    })
    .len()
}

/// DOM evidence: a price with one to `max_cart` add-to-cart controls (product), many code blocks
/// (documentation).
fn dom_signals(dom: &Dom, st: &Stats, body: NodeId, sig: &Signals<'_>) -> Option<PageType> {
    let (cart_words, max_cart) = (sig.cart_words, sig.max_cart_controls);
    let mut price = 0usize;
    let mut cart = 0usize;
    let mut code = 0usize;
    // whether a class value names a price or a cart word is asked once per distinct value
    // (pages repeat a few hundred class strings over thousands of elements)
    let ix = dom.index();
    let mut memo = vec![0u8; ix.class_value_count()];
    let mut it = dom.descendants(body);
    while let Some(n) = it.next() {
        if st.dead.contains(n) {
            it.skip_subtree(n);
            continue;
        }
        let Some(t) = dom.tag(n) else { continue };
        if t == name::PRE {
            code += 1;
            it.skip_subtree(n);
            continue;
        }
        if is_price_by(dom, n, sig.price_max_nested_chars, |c| {
            class_answer(ix, &mut memo, n, c, 1, names_price)
        }) {
            price += 1;
        }
        if is_cart_control_by(dom, n, cart_words, |c| {
            class_answer(ix, &mut memo, n, c, 4, |c| holds_any(c, cart_words))
        }) {
            cart += 1;
        }
    }
    if cart > 0 && price > 0 && cart <= max_cart {
        return Some(PageType::Product);
    }
    if code >= 3 {
        return Some(PageType::Documentation);
    }
    None
}

/// A price: schema.org `price` microdata, or an element whose class names a price and whose own
/// text holds a digit, or whose whole visible text is short (at most `max_nested` non-space
/// characters) and holds a digit: shop themes wrap the amount in spans
/// (`<div class=price><span class=sales><span class=value>$35.00</span></span></div>`).
#[cfg(test)]
fn is_price(dom: &Dom, n: NodeId, max_nested: usize) -> bool {
    is_price_by(dom, n, max_nested, names_price)
}

/// [`is_price`] with the class test (`names_price` of the `class` value) given.
fn is_price_by(
    dom: &Dom,
    n: NodeId,
    max_nested: usize,
    names_price: impl FnOnce(&str) -> bool,
) -> bool {
    if dom.attr_by(n, name::ITEMPROP).is_some_and(|v| v == "price") {
        return true;
    }
    if !dom.attr_by(n, name::CLASS).is_some_and(names_price) {
        return false;
    }
    dom.children(n)
        .any(|c| dom.is_text(c) && dom.text(c).chars().any(|ch| ch.is_ascii_digit()))
        || (max_nested > 0 && short_text_has_digit(dom, n, max_nested))
}

/// True when a class value names a price.
fn names_price(class: &str) -> bool {
    contains_ascii_lower(class, "price")
}

/// True when `v` holds one of `words` (lowercase), ASCII case ignored.
fn holds_any(v: &str, words: &[String]) -> bool {
    words.iter().any(|w| contains_ascii_lower(v, w))
}

/// The answer of `f` for the class value `class` of `n` (its first `class` attribute), computed
/// once per distinct value of the page: bit `known` of the value's `memo` slot says it is
/// known, bit `known << 1` holds it.
fn class_answer(
    ix: &ElementIndex,
    memo: &mut [u8],
    n: NodeId,
    class: &str,
    known: u8,
    f: impl FnOnce(&str) -> bool,
) -> bool {
    let Some(slot) = ix.class_value_id(n).and_then(|v| memo.get_mut(v as usize)) else {
        return f(class);
    };
    if *slot & known == 0 {
        *slot |= known | if f(class) { known << 1 } else { 0 };
    }
    *slot & (known << 1) != 0
}

/// True when the visible text under `n` (scripts and styles left out) has a digit and at most
/// `max_chars` non-space characters. Stops as soon as the text grows past `max_chars` or the walk
/// passes `8 * max_chars` nodes (a wrapper of many empty elements is not a price label), so a
/// page of nested `*price*` wrappers costs linear time.
fn short_text_has_digit(dom: &Dom, n: NodeId, max_chars: usize) -> bool {
    let mut len = 0usize;
    let mut digit = false;
    let mut budget = max_chars.saturating_mul(8);
    let mut it = dom.descendants(n);
    while let Some(d) = it.next() {
        if budget == 0 {
            return false;
        }
        budget -= 1;
        if dom.is(d, name::SCRIPT) || dom.is(d, name::STYLE) || dom.is(d, name::TEMPLATE) {
            it.skip_subtree(d);
            continue;
        }
        if !dom.is_text(d) {
            continue;
        }
        let t = dom.text(d);
        len += t.chars().filter(|c| !c.is_whitespace()).count();
        if len > max_chars {
            return false;
        }
        digit |= t.bytes().any(|b| b.is_ascii_digit());
    }
    digit
}

/// A visible add-to-cart control: a button, link, form or non-hidden input whose class, id or
/// name holds one of `words`.
#[cfg(test)]
fn is_cart_control(dom: &Dom, n: NodeId, words: &[String]) -> bool {
    is_cart_control_by(dom, n, words, |c| holds_any(c, words))
}

/// [`is_cart_control`] with the class test (`class_holds` of the `class` value) given.
fn is_cart_control_by(
    dom: &Dom,
    n: NodeId,
    words: &[String],
    class_holds: impl FnOnce(&str) -> bool,
) -> bool {
    let Some(t) = dom.tag(n) else { return false };
    if !matches!(t, name::BUTTON | name::INPUT | name::FORM | name::A) {
        return false;
    }
    if t == name::INPUT
        && dom
            .attr_by(n, name::TYPE)
            .is_some_and(|v| v.eq_ignore_ascii_case("hidden"))
    {
        return false;
    }
    let holds_word = |v: &str| holds_any(v, words);
    dom.attr_by(n, name::CLASS).is_some_and(class_holds)
        || dom.attr_by(n, name::NAME_ATTR).is_some_and(holds_word)
        || dom.id_attr(n).is_some_and(holds_word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jsonld_types_flatten_graphs() {
        let v = vec![json!({"@graph": [{"@type": "WebPage"}, {"@type": ["Product", "Thing"]}]})];
        let t = jsonld_types(&v);
        assert!(t.contains(&"product".to_string()));
        assert!(t.contains(&"webpage".to_string()));
    }

    #[test]
    fn faq_questions_are_not_a_thread() {
        let faq = jsonld_types(&[json!({"@type": "FAQPage",
            "mainEntity": [{"@type": "Question", "name": "Sizes?"}]})]);
        assert!(!is_thread_markup(&faq));
        let qa = jsonld_types(&[json!({"@type": "QAPage",
            "mainEntity": {"@type": "Question", "name": "Why?"}})]);
        assert!(is_thread_markup(&qa));
        let bare = jsonld_types(&[json!({"@type": "Question", "name": "How?"})]);
        assert!(is_thread_markup(&bare));
    }

    #[test]
    fn faq_answers_are_not_posts() {
        use crate::parse::{parse, Frontend, ParseLimits};
        let html = "<div itemscope itemtype='https://schema.org/Question'><h3>Q1</h3>\
            <div id=a1 itemscope itemtype='https://schema.org/Answer'>A1</div></div>\
            <div itemscope itemtype='https://schema.org/Question'><h1>Thread</h1>\
            <div id=p1 itemscope itemtype='https://schema.org/Answer'>P1</div>\
            <div id=p2 itemscope itemtype='https://schema.org/Answer'>P2</div></div>\
            <div itemscope itemtype='https://schema.org/FAQPage'>\
            <div id=f1 itemscope itemtype='https://schema.org/Answer'>F1</div></div>\
            <div id=lone itemscope itemtype='https://schema.org/Answer'>L</div>\
            <div itemscope itemtype='https://schema.org/QAPage'>\
            <div itemscope itemtype='https://schema.org/Question'>\
            <div id=qa itemscope itemtype='https://schema.org/Answer'>Q</div></div></div>";
        let d = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        let q = question_scopes(&d, d.body());
        assert_eq!(q, 3);
        assert!(is_faq_answer(&d, f("a1"), q));
        assert!(is_faq_answer(&d, f("f1"), q));
        assert!(!is_faq_answer(&d, f("p1"), q));
        assert!(!is_faq_answer(&d, f("p2"), q));
        assert!(!is_faq_answer(&d, f("lone"), q));
        // a thread with one answer: one question on the page, or a `QAPage`
        assert!(!is_faq_answer(&d, f("a1"), 1));
        assert!(!is_faq_answer(&d, f("qa"), q));
    }

    /// A one-paragraph page and its statistics (the signals under test carry the evidence).
    fn tiny_page() -> (Dom, Stats) {
        let d = crate::parse::parse(
            "<body><p>x</p></body>",
            crate::parse::Frontend::Html5ever,
            crate::parse::ParseLimits::default(),
        )
        .unwrap();
        let st = Stats::with_default_rules(&d);
        (d, st)
    }

    /// Default signals with the given JSON-LD, card-grid share and article-markup rule.
    fn signals(jsonld: &[Value], grid_share: f64, article_markup_beats_grid: bool) -> Signals<'_> {
        Signals {
            jsonld,
            og_type: None,
            url: None,
            is_forum: false,
            forum_markers: 0,
            min_posts: 2,
            grid_share,
            listing_min_grid_share: 0.4,
            cart_words: &[],
            max_cart_controls: 3,
            list_min_products: 3,
            og_product_yields_to_grid: true,
            article_markup_beats_grid,
            price_max_nested_chars: 40,
            product_url_segments: &[],
        }
    }

    #[test]
    fn faq_questions_do_not_make_a_forum() {
        let (d, st) = tiny_page();
        let sig = |ld: &[Value]| detect(&d, &st, d.body(), &signals(ld, 0.0, true));
        let faq = vec![json!({"@type": "FAQPage", "mainEntity": [{"@type": "Question"}]})];
        assert_ne!(sig(&faq), PageType::Forum);
        let qa = vec![json!({"@type": "Question", "answerCount": 3})];
        assert_eq!(sig(&qa), PageType::Forum);
    }

    #[test]
    fn article_markup_outweighs_a_grid() {
        let (d, st) = tiny_page();
        let sig = |ld: &[Value], beats: bool| detect(&d, &st, d.body(), &signals(ld, 0.6, beats));
        let story = vec![json!({"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle"}]})];
        assert_eq!(sig(&story, true), PageType::Article);
        assert_eq!(sig(&story, false), PageType::Listing);
        // an archive page listing its posts keeps the grid
        let list = vec![json!({"@graph": [{"@type": "CollectionPage"}, {"@type": "BlogPosting"}]})];
        assert_eq!(sig(&list, true), PageType::Listing);
        assert_eq!(sig(&[], true), PageType::Listing);
    }

    #[test]
    fn thread_types() {
        let t = |v: serde_json::Value| is_thread_markup(&jsonld_types(&[v]));
        assert!(t(
            json!({"@type": "QAPage", "mainEntity": {"@type": "Question"}})
        ));
        assert!(t(json!({"@type": "Question", "name": "How?"})));
        assert!(t(json!({"@type": "DiscussionForumPosting"})));
        assert!(!t(
            json!({"@graph": [{"@type": "Product"}, {"@type": "FAQPage",
            "mainEntity": [{"@type": "Question", "acceptedAnswer": {"@type": "Answer"}}]}]})
        ));
    }

    #[test]
    fn cart_controls_and_prices() {
        use crate::parse::{parse, Frontend, ParseLimits};
        let d = parse(
            "<body><button class='btn AddToCart'>Add</button><a id=add-to-bag href=#>Bag</a>\
             <input type=hidden name=add_to_cart><span class=price-now>$20</span>\
             <div class=price-wrap><span>x</span></div><meta itemprop=price content=20></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let words = vec![
            "addtocart".to_string(),
            "add-to-bag".to_string(),
            "add_to_cart".into(),
        ];
        let all = d.find_all(d.root(), |n| d.is_element(n));
        let carts = all
            .iter()
            .filter(|&&n| is_cart_control(&d, n, &words))
            .count();
        let prices = all.iter().filter(|&&n| is_price(&d, n, 40)).count();
        assert_eq!(carts, 2);
        assert_eq!(prices, 2);
    }

    #[test]
    fn nested_short_price_counts_but_not_a_long_block() {
        use crate::parse::{parse, Frontend, ParseLimits};
        let d = parse(
            "<body><div id=a class=price><span class=sales><span class=value>$35.00</span>\
             </span><script>var x = 'long script text that does not count 12345';</script></div>\
             <div id=b class=price-table><p>Plans from 9 dollars a month with every feature \
             included and more words here</p></div>\
             <div id=c class=prices><span>Sold out</span></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let f = |id: &str| d.find(d.body(), |n| d.id_attr(n) == Some(id)).unwrap();
        assert!(is_price(&d, f("a"), 40));
        assert!(!is_price(&d, f("a"), 0));
        assert!(!is_price(&d, f("b"), 40));
        assert!(!is_price(&d, f("c"), 40));
        // a wrapper of many empty elements stops the walk
        let many = format!(
            "<body><div id=w class=price>{}<b>$5</b></div></body>",
            "<i></i>".repeat(400)
        );
        let d = parse(&many, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let w = d.find(d.body(), |n| d.id_attr(n) == Some("w")).unwrap();
        assert!(!is_price(&d, w, 40));
        assert!(is_price(&d, w, 100));
    }

    #[test]
    fn many_product_nodes_list_products() {
        let t = |v: serde_json::Value| jsonld_types(&[v]);
        let one = t(json!({"@graph": [{"@type": "Product"}, {"@type": "WebPage"}]}));
        let many = t(json!([{"@type": "Product"}, {"@type": "Product"}, {"@type": "Product"}]));
        let listed = t(json!([{"@type": "Product"}, {"@type": "ItemList"}]));
        assert!(is_product_markup(&one, 3));
        assert!(!is_product_markup(&many, 3));
        assert!(is_product_markup(&many, 0));
        assert!(!is_product_markup(&listed, 0));
        assert!(!is_product_markup(&t(json!({"@type": "Article"})), 3));
    }

    #[test]
    fn a_product_detail_url_outweighs_a_grid_of_related_products() {
        let (d, st) = tiny_page();
        let segs = vec!["dp".to_string(), "pdp".to_string()];
        let at = |url: &str, ld: &[Value]| {
            let mut s = signals(ld, 0.6, true);
            s.url = Some(url);
            s.product_url_segments = &segs;
            detect(&d, &st, d.body(), &s)
        };
        assert_eq!(
            at("https://x.com/Some-Book/dp/0735211299", &[]),
            PageType::Product
        );
        assert_eq!(
            at("https://x.com/lighting/pdp/lamp-1026.html", &[]),
            PageType::Product
        );
        // a category path is not one product
        assert_eq!(at("https://x.com/products/lamps", &[]), PageType::Listing);
        assert_eq!(at("https://x.com/shop/dpx-lamps", &[]), PageType::Listing);
    }

    #[test]
    fn a_few_editions_with_their_own_cart_buttons_are_one_product() {
        use crate::parse::{parse, Frontend, ParseLimits};
        let buy = |n: usize| {
            (0..n)
                .map(|i| {
                    format!(
                        "<div class=purchase><span class=price>${i}9.99</span>\
                         <form name=add_to_cart_{i}><a href=#>Add</a></form></div>"
                    )
                })
                .collect::<String>()
        };
        let words = vec!["add_to_cart".to_string()];
        let at = |n: usize, max: usize| {
            let d = parse(&buy(n), Frontend::Html5ever, ParseLimits::default()).unwrap();
            let st = Stats::with_default_rules(&d);
            let mut s = signals(&[], 0.0, true);
            s.cart_words = &words;
            s.max_cart_controls = max;
            dom_signals(&d, &st, d.body(), &s)
        };
        assert_eq!(at(5, 6), Some(PageType::Product));
        assert_eq!(at(5, 3), None);
        assert_eq!(at(12, 6), None);
    }

    #[test]
    fn home_urls() {
        for u in [
            "https://example.com",
            "https://example.com/",
            "https://example.com/?ref=x",
            "https://example.com/en-us/",
            "https://example.com/de",
            "https://example.com/#top",
        ] {
            assert!(is_home_url(u), "{u}");
        }
        for u in [
            "https://example.com/docs/",
            "https://example.com/en/docs",
            "https://example.com/api",
            "https://example.com/guide-to-x",
            "https://example.com/a/b",
            "example.com",
        ] {
            assert!(!is_home_url(u), "{u}");
        }
    }

    #[test]
    fn code_samples_on_a_home_page_are_not_documentation() {
        let html = "<body><h1>Ship</h1><p>Deploy in seconds.</p><pre>npm i a</pre>\
                    <pre>a deploy</pre><pre>a logs</pre></body>";
        let dom = crate::parse::parse(
            html,
            crate::parse::Frontend::Html5ever,
            crate::parse::ParseLimits::default(),
        )
        .unwrap();
        let st = Stats::with_default_rules(&dom);
        let body = dom.body();
        let at = |url: &'static str| Signals {
            url: Some(url),
            ..signals(&[], 0.0, true)
        };
        let docs = detect(&dom, &st, body, &at("https://ex.com/cli/deploy"));
        assert_eq!(docs, PageType::Documentation);
        let home = detect(&dom, &st, body, &at("https://ex.com/"));
        assert_ne!(home, PageType::Documentation);
    }

    #[test]
    fn url_paths() {
        assert!(path_has("https://x.org/docs/intro", &["docs"]));
        assert!(!path_has("https://docs.x.org/intro", &["docs"]));
        assert!(path_has("https://x.org/a/product-123", &["product"]));
    }
}
