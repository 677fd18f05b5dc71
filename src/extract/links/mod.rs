//! Links: every kept `<a href>` of a page, classified (SCHEMA §4.4, §5.2, §6.6).
//!
//! Why it exists: the `links` table answers "which articles does this page point readers to,
//! and how" — the related articles under a post, the links in the prose, tag pages, chrome. It
//! runs in two steps around content extraction:
//!
//! * [`find_blocks`] (before content): related / recirculation / adjacent blocks are located
//!   ([`blocks`]: plugin containers, class/id tokens, a multilingual heading lexicon, prev/next
//!   navigation) so the content stage can leave them out of the text;
//! * [`classify`] (after content): every `<a href>` in document order goes through the ordered
//!   rules 0–12 of §6.6 ([`classify`](mod@classify)), then duplicate anchors inside one block are
//!   merged and ranked ([`merge`]).
//!
//! All lists (selectors, tokens, lexicons, hosts, paths) are data in `config/links.toml`
//! ([`rules`]); URL tests live in [`urls`].

pub mod blocks;
pub mod classify;
pub mod heading;
mod marks;
pub mod merge;
pub mod rules;
pub mod urls;
pub mod urlstr;

#[cfg(test)]
mod fixture_tests;

pub use classify::{classify, classify_with};
pub use rules::LinkRules;

use url::Url;

use super::{Cx, LinkBlock};
use crate::dom::{name, Dom, NodeId, NodeSet};

/// A fast hasher for the per-page and per-run lookup maps of this stage (short string keys,
/// small ids). Deterministic; nothing iterates these maps, so their order never reaches the
/// output.
#[derive(Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59))
                .wrapping_mul(K);
        }
        self.0 = h;
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(K);
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn finish(&self) -> u64 {
        // fold the high bits down: the multiply leaves the low bits weakest
        self.0 ^ (self.0 >> 29)
    }
}

/// [`FastHasher`] for `HashMap`s and `HashSet`s.
pub(crate) type FastBuild = std::hash::BuildHasherDefault<FastHasher>;

/// Finds related/recirculation blocks (run before content extraction, which then skips them).
///
/// Returns related blocks (plugins, generic), adjacent (prev/next) navigation, sitewide
/// recent/popular widgets and sponsored recirculation, none of them inside `excluded` (the
/// comment area). Empty Jetpack/Outbrain/Taboola shells come back with `js_only = true`.
pub fn find_blocks(cx: &Cx<'_>, excluded: &NodeSet) -> Vec<LinkBlock> {
    blocks::find(cx, excluded, &Targets::resolve(cx))
}

/// [`find_blocks`] with the page's link targets already resolved (shared with [`classify`]).
pub fn find_blocks_with(cx: &Cx<'_>, excluded: &NodeSet, targets: &Targets) -> Vec<LinkBlock> {
    blocks::find(cx, excluded, targets)
}

/// The page's own URLs, as the link rules need them.
pub(crate) struct Page<'a> {
    /// Base for resolving hrefs.
    pub base: Option<&'a Url>,
    /// The article URL.
    pub url: Option<&'a Url>,
    /// Its `url_key`.
    pub key: Option<String>,
    /// The site of its host (else the base's host), for same-site tests.
    site: Option<crate::urlnorm::Site>,
}

impl<'a> Page<'a> {
    pub fn new(cx: &'a Cx<'_>) -> Self {
        let url = cx.page_url.as_ref();
        let host: Option<String> = url
            .or(cx.base_url.as_ref())
            .and_then(|u| u.host_str())
            .map(str::to_ascii_lowercase);
        Page {
            base: cx.base_url.as_ref().or(url),
            url,
            key: url.and_then(crate::urlnorm::url_key),
            site: host.as_deref().map(crate::urlnorm::Site::new),
        }
    }

    /// Same registrable domain as the page (true when the page's host is unknown).
    pub fn same_site(&self, host: &str) -> bool {
        self.site.as_ref().map_or(true, |s| s.contains(host))
    }

    /// Everything the rules need of one `href`'s target.
    pub(crate) fn resolve(&self, href: &str, r: &LinkRules) -> Resolved {
        let target = urls::resolve(href, self.base);
        let same_site = target.as_ref().is_some_and(|t| self.same_site(&t.host));
        let (not_article, taxonomy) = match &target {
            Some(t) => urls::url_facts(t, self.url, self.key.as_deref(), r),
            None => (Some("not_http"), None),
        };
        let share = urls::share_rule(href, target.as_ref(), r);
        let ad_host = target.as_ref().is_some_and(|t| urls::is_ad_host(t, r));
        let social_host = target.as_ref().is_some_and(|t| urls::is_social_host(t, r));
        Resolved {
            target,
            same_site,
            not_article,
            taxonomy,
            share,
            ad_host,
            social_host,
        }
    }
}

/// One link target as the rules read it.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    /// Resolved http(s) target.
    pub target: Option<urls::Target>,
    /// Target on the page's registrable domain (true when the page's host is unknown).
    pub same_site: bool,
    /// Why the target is not an article of this site (`None` = it is one); `not_http` when
    /// there is no http(s) target.
    pub not_article: Option<&'static str>,
    /// [`urls::taxonomy`] of the normalised target (rules 8–10 by URL).
    pub taxonomy: Option<(&'static str, String)>,
    /// [`urls::share_rule`] of the `href` (rule 3).
    pub share: Option<&'static str>,
    /// [`urls::is_ad_host`] of the target (false without one; rule 2).
    pub ad_host: bool,
    /// [`urls::is_social_host`] of the target (false without one; rule 3).
    pub social_host: bool,
}

impl Resolved {
    /// An article of this site (rules 6 and 7).
    pub fn is_site_article(&self) -> bool {
        self.target.is_some() && self.same_site && self.not_article.is_none()
    }
}

/// The target of every link of the page, resolved once per distinct `href` and shared by the
/// block finders (which anchors point to articles) and the classifier (every rule).
///
/// Why it exists: URL parsing and normalisation are the costliest part of link handling, and
/// menus, thumbnails and titles repeat the same `href`s.
pub struct Targets {
    /// Per node: index + 1 into `entries` (0 = not a resolved link).
    slot: Vec<u32>,
    entries: Vec<Resolved>,
    /// Skipped subtrees and class/id token masks of every node (one pass, shared too).
    pub(crate) marks: marks::Marks,
}

impl Targets {
    /// Resolves the `href` of every link (rule 0 passed) outside skipped subtrees.
    pub fn resolve(cx: &Cx<'_>) -> Targets {
        let dom = cx.dom;
        let r = &cx.rules.links;
        let page = Page::new(cx);
        let mut t = Targets {
            slot: vec![0; dom.len()],
            entries: Vec::new(),
            marks: marks::Marks::build(dom, r),
        };
        let mut by_href: std::collections::HashMap<&str, u32, FastBuild> = Default::default();
        let mut it = dom.descendants(dom.root());
        while let Some(n) = it.next() {
            if t.marks.skipped(n) {
                it.skip_subtree(n);
                continue;
            }
            let Some(href) = real_href(dom, n) else {
                continue;
            };
            let i = *by_href.entry(href).or_insert_with(|| {
                t.entries.push(page.resolve(href, r));
                t.entries.len() as u32
            });
            if let Some(s) = t.slot.get_mut(n as usize) {
                *s = i;
            }
        }
        t
    }

    /// The resolved target of link `n`, when it was resolved.
    pub(crate) fn get(&self, n: NodeId) -> Option<&Resolved> {
        let i = *self.slot.get(n as usize)?;
        self.entries.get((i as usize).checked_sub(1)?)
    }
}

/// Every `<a>` of the document whose target is an article of this site.
pub(crate) fn article_anchors(dom: &Dom, targets: &Targets) -> NodeSet {
    let mut set = NodeSet::for_dom(dom);
    for (n, &i) in targets.slot.iter().enumerate() {
        let article = i > 0
            && targets
                .entries
                .get(i as usize - 1)
                .is_some_and(Resolved::is_site_article);
        if article {
            set.insert(n as NodeId);
        }
    }
    set
}

/// The `href` of an HTML `<a>` that is a link at all (rule 0 passed).
pub(crate) fn real_href(dom: &Dom, a: NodeId) -> Option<&str> {
    if !dom.is(a, name::A) || dom.is_foreign(a) {
        return None;
    }
    dom.attr_by(a, name::HREF).filter(|h| !urls::is_non_link(h))
}

/// Subtrees whose links are never emitted (not rendered, or not part of the page body).
pub(crate) fn is_skipped(dom: &Dom, n: NodeId) -> bool {
    match dom.tag(n) {
        Some(t) => is_skipped_tag(dom, n, t) || is_hidden(dom, n),
        None => false,
    }
}

/// The tag part of [`is_skipped`] for element `n` with tag `t`: not rendered, or foreign.
fn is_skipped_tag(dom: &Dom, n: NodeId, t: crate::dom::Name) -> bool {
    matches!(
        t,
        name::HEAD | name::SCRIPT | name::TEMPLATE | name::NOSCRIPT | name::STYLE
    ) || (t != name::A && dom.is_foreign(n))
}

/// `hidden` attribute or an inline `display:none` / `visibility:hidden` style.
pub(crate) fn is_hidden(dom: &Dom, n: NodeId) -> bool {
    if dom.attr_by(n, name::HIDDEN).is_some() {
        return true;
    }
    dom.attr_by(n, name::STYLE).is_some_and(style_hides)
}

/// True when `style`, with all whitespace removed and ASCII-lowercased, contains
/// `display:none` or `visibility:hidden` (streamed: no copy of the style is made).
fn style_hides(style: &str) -> bool {
    if style.is_ascii() {
        return style_hides_ascii(style.as_bytes());
    }
    style_hides_chars(style)
}

/// [`style_hides`] of an ASCII style: the collapsed text holds `display:none` exactly when some
/// colon of the style has `display` before it and `none` after it once whitespace is skipped
/// (likewise `visibility`/`hidden`), so only the few colons are looked at (ASCII
/// `char::is_whitespace` is tab, LF, VT, FF, CR and space).
fn style_hides_ascii(style: &[u8]) -> bool {
    let ws = |b: &&u8| matches!(**b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    // the non-blank bytes of `it` begin with `word` (ASCII case-blind)
    fn begins<'a>(mut it: impl Iterator<Item = &'a u8>, word: &[u8]) -> bool {
        word.iter()
            .all(|&w| it.next().is_some_and(|b| b.to_ascii_lowercase() == w))
    }
    memchr::memchr_iter(b':', style).any(|i| {
        let (before, after) = (&style[..i], &style[i + 1..]);
        let back = || before.iter().rev().filter(|b| !ws(b));
        let fwd = || after.iter().filter(|b| !ws(b));
        (begins(back(), b"yalpsid") && begins(fwd(), b"none"))
            || (begins(back(), b"ytilibisiv") && begins(fwd(), b"hidden"))
    })
}

/// [`style_hides`] for any text, char by char.
fn style_hides_chars(style: &str) -> bool {
    // Neither needle's first letter recurs inside it, so restarting a partial match at the
    // current character is exact.
    fn step(state: &mut usize, needle: &[u8], c: char) -> bool {
        let b = if c.is_ascii() { c as u8 } else { 0 };
        if needle.get(*state) == Some(&b) {
            *state += 1;
        } else {
            *state = usize::from(needle.first() == Some(&b));
        }
        *state == needle.len()
    }
    const DISPLAY: &[u8] = b"display:none";
    const VISIBILITY: &[u8] = b"visibility:hidden";
    let (mut d, mut v) = (0usize, 0usize);
    for c in style.chars().filter(|c| !c.is_whitespace()) {
        let c = c.to_ascii_lowercase();
        if step(&mut d, DISPLAY, c) || step(&mut v, VISIBILITY, c) {
            return true;
        }
    }
    false
}

/// [`crate::extract::text::word_count`] (`s.split_whitespace().count()`), eight bytes at a
/// time for ASCII text: a word starts at a byte that is not blank (tab, LF, VT, FF, CR, space)
/// and follows a blank byte or the start. Text with a non-ASCII byte goes to the general
/// count.
fn word_count(s: &str) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    let mut words = 0u32;
    // high bit of byte k set when byte k is blank; `prev` = the blank bit of the byte before
    let mut prev: u64 = 0x80; // the start counts as after a blank
    let mut chunks = b.chunks_exact(8);
    let blanks = |x: u64| -> u64 {
        // bytes equal to 0x20: zero bytes of x ^ 0x20..20 (exact for ASCII bytes)
        let t = x ^ (0x20 * LO);
        let space = !(((t & !HI) + !HI) | t) & HI;
        // bytes in 0x09..=0x0d: x + 0x77 has the high bit set when x >= 0x09, x + 0x72 when
        // x >= 0x0e (no carry between bytes: every byte is below 0x80)
        let ctl = (x + 0x77 * LO) & !(x + 0x72 * LO) & HI;
        space | ctl
    };
    let mut count = |x: u64, n: u32| {
        let blank = blanks(x);
        // blank bit of the byte before each byte
        let before = (blank << 8) | prev;
        let starts = !blank & before & HI;
        words += starts.count_ones();
        prev = (blank >> ((n - 1) * 8)) & 0x80;
    };
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        if x & HI != 0 {
            return crate::extract::text::word_count(s);
        }
        count(x, 8);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        if !rest.is_ascii() {
            return crate::extract::text::word_count(s);
        }
        // pad with spaces: blank padding starts no word
        let mut w = [b' '; 8];
        w[..rest.len()].copy_from_slice(rest);
        count(u64::from_le_bytes(w), 8);
    }
    words as usize
}

/// Word and link counts of a subtree.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Stats {
    /// `<a href>` elements (real links).
    pub links: usize,
    /// Of those, links to articles of this site.
    pub articles: usize,
    /// Words inside links.
    pub link_words: usize,
    /// All words.
    pub words: usize,
    /// Contains an `h1`.
    pub has_h1: bool,
}

impl Stats {
    /// Words outside links.
    pub fn nonlink_words(&self) -> usize {
        self.words.saturating_sub(self.link_words)
    }

    /// Share of words inside links (1.0 when there are no words).
    pub fn link_density(&self) -> f64 {
        if self.words == 0 {
            1.0
        } else {
            self.link_words as f64 / self.words as f64
        }
    }
}

/// Per-node subtree totals (links, article links, words, link words, `h1`s), computed in one
/// pass so every block test is O(1) instead of a walk (pages hold thousands of candidates).
pub(crate) struct Census {
    links: Vec<u32>,
    articles: Vec<u32>,
    words: Vec<u32>,
    link_words: Vec<u32>,
    h1: Vec<u32>,
}

impl Census {
    fn build(dom: &Dom, articles: &NodeSet, marks: &marks::Marks) -> Self {
        let n = dom.len();
        let mut c = Census {
            links: vec![0; n],
            articles: vec![0; n],
            words: vec![0; n],
            link_words: vec![0; n],
            h1: vec![0; n],
        };
        let mut order = Vec::with_capacity(n);
        let mut it = dom.descendants(dom.root());
        while let Some(d) = it.next() {
            if marks.skipped(d) {
                it.skip_subtree(d);
                continue;
            }
            order.push(d);
        }
        for &d in order.iter().rev() {
            let i = d as usize;
            if dom.is_text(d) {
                c.words[i] = word_count(dom.text(d)) as u32;
            } else if real_href(dom, d).is_some() {
                c.links[i] += 1;
                c.articles[i] += u32::from(articles.contains(d));
                c.link_words[i] = c.words[i];
            } else if dom.is(d, name::H1) {
                c.h1[i] += 1;
            }
            if let Some(p) = dom.parent(d) {
                let p = p as usize;
                c.links[p] += c.links[i];
                c.articles[p] += c.articles[i];
                c.words[p] += c.words[i];
                c.link_words[p] += c.link_words[i];
                c.h1[p] += c.h1[i];
            }
        }
        c
    }

    fn get(v: &[u32], n: NodeId) -> usize {
        v.get(n as usize).copied().unwrap_or(0) as usize
    }
}

/// What the block finders share for one page: the tree, the rules, the excluded comment area,
/// the article anchors and the subtree totals.
pub(crate) struct Scan<'a> {
    pub dom: &'a Dom,
    pub r: &'a LinkRules,
    pub excluded: &'a NodeSet,
    /// `<a>` elements pointing to articles of this site.
    pub articles: NodeSet,
    /// Skipped subtrees and class/id token masks.
    pub marks: &'a marks::Marks,
    census: Census,
}

impl<'a> Scan<'a> {
    #[cfg(test)]
    pub fn new(cx: &'a Cx<'_>, excluded: &'a NodeSet) -> Self {
        Scan::with_targets(cx, excluded, Box::leak(Box::new(Targets::resolve(cx))))
    }

    pub fn with_targets(cx: &'a Cx<'_>, excluded: &'a NodeSet, targets: &'a Targets) -> Self {
        let dom = cx.dom;
        let r = &cx.rules.links;
        let articles = article_anchors(dom, targets);
        let census = Census::build(dom, &articles, &targets.marks);
        Scan {
            dom,
            r,
            excluded,
            articles,
            marks: &targets.marks,
            census,
        }
    }

    /// `t.matches(dom, n, taxonomy prefixes)`, from the page's token masks.
    pub fn has(&self, n: NodeId, t: &rules::Tokens) -> bool {
        self.marks.has(self.dom, n, t, self.r)
    }

    /// Subtree totals of `n`.
    pub fn stats(&self, n: NodeId) -> Stats {
        let c = &self.census;
        Stats {
            links: Census::get(&c.links, n),
            articles: Census::get(&c.articles, n),
            link_words: Census::get(&c.link_words, n),
            words: Census::get(&c.words, n),
            has_h1: Census::get(&c.h1, n) > 0,
        }
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;
    use crate::dom::Dom;
    use crate::extract::SourceInfo;
    use crate::settings::Rules;

    pub fn dom(html: &str) -> Dom {
        crate::parse::parse(
            html,
            crate::parse::Frontend::Html5ever,
            crate::parse::ParseLimits::default(),
        )
        .unwrap()
    }

    pub fn rules() -> &'static Rules {
        static R: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
        R.get_or_init(|| Rules::defaults().unwrap())
    }

    pub fn source() -> &'static SourceInfo {
        static S: std::sync::OnceLock<SourceInfo> = std::sync::OnceLock::new();
        S.get_or_init(SourceInfo::default)
    }

    pub fn cx<'a>(dom: &'a Dom, page: Option<&str>) -> Cx<'a> {
        let page_url = page.and_then(|p| Url::parse(p).ok());
        Cx {
            dom,
            source: source(),
            rules: rules(),
            base_url: page_url.clone(),
            page_url,
        }
    }

    pub fn by_id(dom: &Dom, id: &str) -> NodeId {
        dom.find(dom.root(), |n| dom.id_attr(n) == Some(id))
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;

    #[test]
    fn census_counts_links_and_words() {
        let d = dom(
            r##"<div id=x><h1>T</h1><h3>Related posts</h3><ul><li><a href="/a">One two</a> three</li><li><a href="#">tab</a></li></ul><script>var a = "x y z"</script></div>"##,
        );
        let c = cx(&d, Some("https://site.com/p/"));
        let none = NodeSet::for_dom(&d);
        let st = Scan::new(&c, &none).stats(by_id(&d, "x"));
        assert_eq!(st.articles, 1);
        assert!(st.has_h1);
        assert_eq!(st.links, 1);
        assert_eq!(st.link_words, 2);
        assert_eq!(st.words, 7);
        assert_eq!(st.nonlink_words(), 5);
    }

    #[test]
    fn hidden_elements() {
        let d = dom(
            r#"<div id=a style="display: none"></div><div id=b hidden></div><div id=c style="color:red"></div>"#,
        );
        assert!(is_hidden(&d, by_id(&d, "a")));
        assert!(is_hidden(&d, by_id(&d, "b")));
        assert!(!is_hidden(&d, by_id(&d, "c")));
    }

    #[test]
    fn style_hides_matches_the_collapsed_lowercase_test() {
        let slow = |s: &str| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        };
        for s in [
            "display: none",
            "DISPLAY:NONE",
            "dis play : no\u{a0}ne",
            "ddisplay:none",
            "display:nondisplay:none",
            "display:block; visibility : Hidden",
            "visibility:visible",
            "color:red",
            "display:non e;x",
            "displaý:none",
            "",
        ] {
            assert_eq!(style_hides(s), slow(s), "{s}");
            assert_eq!(style_hides_chars(s), slow(s), "{s}");
        }
        // random strings over the needles' letters, whitespace and case, against the char loop
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let alphabet = b"displayvisibilityhiddennone: \t\n\x0b\x0c\r\x1cDISPLAY;x";
        for _ in 0..20_000 {
            let len = (x % 24) as usize;
            let s: String = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize] as char
                })
                .collect();
            assert_eq!(style_hides(&s), slow(&s), "{s:?}");
            assert_eq!(
                style_hides_ascii(s.as_bytes()),
                style_hides_chars(&s),
                "{s:?}"
            );
            x = x.wrapping_add(1);
        }
    }

    #[test]
    fn fast_hasher_spreads_short_keys() {
        use std::hash::{BuildHasher, Hash, Hasher};
        let b = FastBuild::default();
        let h = |s: &str| b.hash_one(s);
        let mut seen = std::collections::HashSet::new();
        for i in 0..2000 {
            assert!(seen.insert(h(&format!("menu-item-{i}"))));
        }
        assert_ne!(h(""), h("\0"));
        assert_ne!(h("ab"), h("ab\0"));
        let mut a = FastHasher::default();
        (3u32, "x").hash(&mut a);
        let mut c = FastHasher::default();
        (3u32, "x").hash(&mut c);
        assert_eq!(a.finish(), c.finish());
    }

    #[test]
    fn word_count_is_split_whitespace_count() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "a b",
            "  a  b  ",
            "\t\n\x0b\x0c\r a\x0b\x0cb\rc",
            "\x08a\x0eb\x1fc\x21d",
            "abcdefgh",
            "abcdefg h",
            "abcdefgh ijklmnop",
            "       a",
            "        a",
            "a       ",
            "é à",
            "a\u{a0}b",
            "x\u{2003}y z",
            "\x7f\x7f \x7f",
            "0123456789abcdef0123456789 abcdef",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // every ASCII byte in every position of short texts, and pseudo-random ASCII texts
        for c in 0u8..128 {
            for len in 1..18 {
                for pos in 0..len {
                    let mut v = vec![b'x'; len];
                    v[pos] = c;
                    if pos + 2 < len {
                        v[pos + 2] = b' ';
                    }
                    texts.push(String::from_utf8(v).unwrap());
                }
            }
        }
        let mut x: u32 = 7;
        for _ in 0..3000 {
            let len = (x % 40) as usize;
            let t: String = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from(b" \t\nab\x0bc\x0c\rd\x1f!"[(x >> 16) as usize % 12])
                })
                .collect();
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(word_count(t), t.split_whitespace().count(), "{t:?}");
        }
    }
}
