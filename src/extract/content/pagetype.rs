//! Page-type detection: article, forum, product, collection, listing, documentation, service.
//!
//! Why it exists: the shape of "the main content" depends on the kind of page. An article is one
//! container of sequential paragraphs; a forum thread is its posts; a product page is its
//! description and specs; collections and listings are every card; documentation keeps its code;
//! a service or landing page spreads over many sections. Structured data decides first
//! (JSON-LD `@type`, `og:type`), then the URL path, then the DOM (repeated cards, prices, code).

use serde_json::Value;

use super::stats::Stats;
use crate::dom::{name, Dom, NodeId};

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
}

fn path_has(url: &str, parts: &[&str]) -> bool {
    let path = url
        .split_once("://")
        .map_or(url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p))
        .to_ascii_lowercase();
    path.split(['/', '?', '#', '.', '-', '_'])
        .any(|seg| parts.contains(&seg))
}

/// Detects the page type.
pub fn detect(dom: &Dom, st: &Stats, body: NodeId, sig: &Signals<'_>) -> PageType {
    if sig.is_forum {
        return PageType::Forum;
    }
    let types = jsonld_types(sig.jsonld);
    let has = |t: &[&str]| types.iter().any(|x| t.contains(&x.as_str()));
    if is_thread_by_types(&types) || sig.forum_markers >= sig.min_posts {
        return PageType::Forum;
    }
    if has(&[
        "product",
        "productgroup",
        "individualproduct",
        "vehicle",
        "book",
        "course",
    ]) && !has(&["collectionpage", "itemlist", "searchresultspage"])
    {
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
    if og == "product" || og.starts_with("product.") || og == "og:product" {
        return PageType::Product;
    }
    let dom_type = dom_signals(dom, st, body, sig.cart_words, sig.max_cart_controls);
    if sig.grid_share >= sig.listing_min_grid_share {
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
        return t;
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

/// True when the JSON-LD types make the page a thread: a Q&A page or forum posting, or a
/// `Question` that is not one of a FAQ's (shops and service pages mark up their FAQ as
/// `FAQPage` → `Question` → `Answer`; a FAQ is not a discussion).
fn is_thread_by_types(types: &[String]) -> bool {
    let has = |t: &str| types.iter().any(|x| x == t);
    has("qapage") || has("discussionforumposting") || (has("question") && !has("faqpage"))
}

/// DOM evidence: a price with one to `max_cart` add-to-cart controls (product), many code blocks
/// (documentation).
fn dom_signals(
    dom: &Dom,
    st: &Stats,
    body: NodeId,
    cart_words: &[String],
    max_cart: usize,
) -> Option<PageType> {
    let mut price = 0usize;
    let mut cart = 0usize;
    let mut code = 0usize;
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
        if is_price(dom, n) {
            price += 1;
        }
        if is_cart_control(dom, n, cart_words) {
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
/// text holds a digit.
fn is_price(dom: &Dom, n: NodeId) -> bool {
    if dom.attr_by(n, name::ITEMPROP).is_some_and(|v| v == "price") {
        return true;
    }
    dom.attr_by(n, name::CLASS)
        .is_some_and(|c| c.to_ascii_lowercase().contains("price"))
        && dom
            .children(n)
            .any(|c| dom.is_text(c) && dom.text(c).chars().any(|ch| ch.is_ascii_digit()))
}

/// A visible add-to-cart control: a button, link, form or non-hidden input whose class, id or
/// name holds one of `words`.
fn is_cart_control(dom: &Dom, n: NodeId, words: &[String]) -> bool {
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
    [name::CLASS, name::NAME_ATTR].into_iter().any(|a| {
        dom.attr_by(n, a).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            words.iter().any(|w| v.contains(w.as_str()))
        })
    }) || dom.id_attr(n).is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        words.iter().any(|w| v.contains(w.as_str()))
    })
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
        let t = |v: serde_json::Value| is_thread_by_types(&jsonld_types(&[v]));
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
        let prices = all.iter().filter(|&&n| is_price(&d, n)).count();
        assert_eq!(carts, 2);
        assert_eq!(prices, 2);
    }

    #[test]
    fn url_paths() {
        assert!(path_has("https://x.org/docs/intro", &["docs"]));
        assert!(!path_has("https://docs.x.org/intro", &["docs"]));
        assert!(path_has("https://x.org/a/product-123", &["product"]));
    }
}
