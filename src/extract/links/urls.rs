//! What a link's target URL says: share intent, ad network, taxonomy page, pagination,
//! attachment, or an article.
//!
//! Why it exists: rules 2, 3 and 6–10 of SCHEMA §6.6 look at the target URL alone; keeping
//! those tests here, as pure functions over `url::Url` and the config lists, makes each one
//! testable without a page.

use std::borrow::Cow;

use url::Url;

use super::rules::{
    LinkRules, Paths, SEG_AUTHOR, SEG_CATEGORY, SEG_NON_ARTICLE, SEG_PAGINATION, SEG_SECTION_INDEX,
    SEG_TAG,
};
use super::urlstr::{self, UrlStr};
use crate::urlnorm;

/// A resolved http(s) target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Absolute URL before normalisation (query intact, for share-action detection).
    pub absolute: UrlStr,
    /// Normalised URL (fragment and tracking parameters removed).
    pub url: UrlStr,
    /// `url_key`.
    pub key: String,
    /// Lowercase host.
    pub host: String,
}

/// Resolves an `href` against the base URL. `None` for non-http(s) targets and unparsable ones.
///
/// Plain `href` shapes take the string fast path of [`urlstr`]; the rest [`resolve_with_url`].
pub fn resolve(href: &str, base: Option<&Url>) -> Option<Target> {
    let Some(absolute) = urlstr::fast_absolute(href, base) else {
        return resolve_with_url(href, base);
    };
    let url = urlstr::normalize(&absolute);
    let key = urlstr::key_of(&url)?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(Target {
        absolute,
        url,
        key,
        host,
    })
}

/// [`resolve`] through `url::Url` (join, [`urlnorm::normalize`], [`urlnorm::key_of_normalized`]).
pub fn resolve_with_url(href: &str, base: Option<&Url>) -> Option<Target> {
    let absolute = urlnorm::absolutize(href, base)?;
    let url = urlnorm::normalize(&absolute);
    let key = urlnorm::key_of_normalized(&url)?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(Target {
        absolute: UrlStr::from_url(&absolute),
        url: UrlStr::from_url(&url),
        key,
        host,
    })
}

/// True when `host` is `entry` or a subdomain of it (`www.` ignored).
pub fn host_is(host: &str, entry: &str) -> bool {
    // = host.trim_start_matches("www."), without building a substring searcher per call
    let mut h = host;
    while let Some(rest) = h.strip_prefix("www.") {
        h = rest;
    }
    h.eq_ignore_ascii_case(entry)
        || (h.len() > entry.len()
            && h.as_bytes()[h.len() - entry.len() - 1] == b'.'
            && h[h.len() - entry.len()..].eq_ignore_ascii_case(entry))
}

/// A host list compiled for [`HostSet::contains`]: `contains(h)` equals
/// `list.iter().any(|e| host_is(h, e))`, by looking up each dot-suffix of `h` in a set.
#[derive(Debug, Default)]
pub struct HostSet {
    set: std::collections::HashSet<String, super::FastBuild>,
}

impl HostSet {
    /// Compiles a host list.
    pub fn new(entries: &[String]) -> Self {
        HostSet {
            set: entries.iter().map(|e| e.to_ascii_lowercase()).collect(),
        }
    }

    /// True when `host` is an entry or a subdomain of one (`www.` ignored, ASCII case-blind).
    pub fn contains(&self, host: &str) -> bool {
        !self.set.is_empty() && any_host_suffix(host, |h| self.set.contains(h))
    }
}

/// True when `hit` holds for `host` (`www.` stripped, ASCII-lowercased) or for one of its
/// dot-suffixes (`a.b.example.com` → `b.example.com`, `example.com`, `com`).
fn any_host_suffix(host: &str, mut hit: impl FnMut(&str) -> bool) -> bool {
    let mut h = host;
    while let Some(rest) = h.strip_prefix("www.") {
        h = rest;
    }
    let lower;
    let h = if h.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = h.to_ascii_lowercase();
        lower.as_str()
    } else {
        h
    };
    hit(h)
        || h.bytes()
            .enumerate()
            .any(|(i, b)| b == b'.' && hit(&h[i + 1..]))
}

/// True when `s.to_ascii_lowercase().starts_with(prefix)`, without the lowercase copy
/// (ASCII lowercasing keeps every byte in place).
pub(crate) fn lower_starts_with(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.bytes()
            .zip(prefix.bytes())
            .all(|(a, b)| a.to_ascii_lowercase() == b)
}

/// Rule 0: hrefs that are not links (`javascript:`, empty, `#`, `#…`).
pub fn is_non_link(href: &str) -> bool {
    let h = href.trim();
    h.is_empty()
        || h.starts_with('#')
        || lower_starts_with(h, "javascript:")
        || lower_starts_with(h, "vbscript:")
        || lower_starts_with(h, "data:")
        || lower_starts_with(h, "about:")
}

/// Rule 3: a share action (intent URL, share scheme, `mailto:?subject=`, Jetpack `?share=`).
pub fn share_rule(href: &str, target: Option<&Target>, r: &LinkRules) -> Option<&'static str> {
    // every test below reads the ASCII-lowercased href or path: compared in place
    let h = href.trim();
    if lower_starts_with(h, "mailto:") {
        let q = h.split_once('?').map(|x| x.1).unwrap_or("");
        return q
            .split('&')
            .any(|kv| lower_starts_with(kv, "subject=") || lower_starts_with(kv, "body="))
            .then_some("mailto:share");
    }
    if r.hosts
        .share_schemes
        .iter()
        .any(|s| lower_starts_with(h, s))
    {
        return Some("scheme:share");
    }
    let t = target?;
    if is_share_intent(&t.host, t.absolute.path(), r) {
        return Some("host:share_intent");
    }
    if t.absolute.query().is_some()
        && t.absolute.query_pairs().any(|(k, _)| {
            r.hosts
                .share_query_keys
                .iter()
                .any(|s| k.eq_ignore_ascii_case(s))
        })
    {
        return Some("query:share");
    }
    None
}

/// `r.hosts.share_intents.iter().any(|(h, prefix)| host_is(host, h) && lower_starts_with(path,
/// prefix))`, by looking up each dot-suffix of `host` in the host map (as [`HostSet`]).
fn is_share_intent(host: &str, path: &str, r: &LinkRules) -> bool {
    let map = &r.hosts.share_intent_map;
    !map.is_empty()
        && any_host_suffix(host, |suffix| {
            map.get(suffix)
                .is_some_and(|prefixes| prefixes.iter().any(|p| lower_starts_with(path, p)))
        })
}

/// Rule 2: the target is an ad / recirculation network.
pub fn is_ad_host(t: &Target, r: &LinkRules) -> bool {
    r.hosts.ad_set.contains(&t.host)
}

/// Rule 3 (chrome): the target is a social network profile.
pub fn is_social_host(t: &Target, r: &LinkRules) -> bool {
    r.hosts.social_set.contains(&t.host)
}

/// The non-empty path segments of `u`, lowercased (borrowed when already lowercase ASCII).
fn segments(u: &UrlStr) -> Vec<Cow<'_, str>> {
    path_segments(u.path())
}

/// [`segments`] of a path.
fn path_segments(path: &str) -> Vec<Cow<'_, str>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(s.to_lowercase())
            }
        })
        .collect()
}

/// Per segment: the `SEG_*` bits of the segment lists holding it.
fn seg_bits(segs: &[Cow<'_, str>], p: &Paths) -> Vec<u8> {
    segs.iter().map(|s| p.seg_bits(s)).collect()
}

/// A page number: one to four ASCII digits.
fn numeric(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Which query-key lists the parameters of a URL hit, from one pass over its pairs: a key of
/// `category_query_keys`, `tag_query_keys`, `search_query_keys` with a non-empty value, a key
/// of `pagination_query_keys` with a page number (keys compared ASCII case-blind).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct QueryHits {
    category: bool,
    tag: bool,
    search: bool,
    pagination: bool,
}

fn query_hits(u: &UrlStr, p: &Paths) -> QueryHits {
    let mut h = QueryHits::default();
    if u.query().is_none() {
        return h;
    }
    for (k, v) in u.query_pairs() {
        if v.is_empty() {
            continue;
        }
        let has = |keys: &[String]| keys.iter().any(|s| k.eq_ignore_ascii_case(s));
        h.category |= has(&p.category_query_keys);
        h.tag |= has(&p.tag_query_keys);
        h.search |= has(&p.search_query_keys);
        h.pagination |= numeric(&v) && has(&p.pagination_query_keys);
    }
    h
}

/// Rules 8–10 by URL: `category`, `tag` or `author`, with the `kind_rule` text.
pub fn taxonomy(u: &UrlStr, p: &Paths) -> Option<(&'static str, String)> {
    let segs = segments(u);
    taxonomy_of(&segs, &seg_bits(&segs, p), query_hits(u, p))
}

/// [`taxonomy`] with the path segments of `u` already split.
fn taxonomy_of(segs: &[Cow<'_, str>], bits: &[u8], q: QueryHits) -> Option<(&'static str, String)> {
    let hit = |bit: u8| {
        segs.iter()
            .zip(bits)
            .find(|(_, &b)| b & bit != 0)
            .map(|(s, _)| format!("path:/{s}/"))
    };
    if let Some(r) = hit(SEG_CATEGORY) {
        return Some(("category", r));
    }
    if q.category {
        return Some(("category", "query:category".into()));
    }
    if let Some(r) = hit(SEG_TAG) {
        return Some(("tag", r));
    }
    if q.tag {
        return Some(("tag", "query:tag".into()));
    }
    hit(SEG_AUTHOR).map(|r| ("author", r))
}

/// Pagination: `/page/2/`, `?paged=2`, or the page's own path followed by a page number.
pub fn is_pagination(u: &UrlStr, page: Option<&Url>, p: &Paths) -> bool {
    let segs = segments(u);
    is_pagination_of(u, &segs, &seg_bits(&segs, p), query_hits(u, p), page)
}

/// [`is_pagination`] with the path segments of `u` already split.
fn is_pagination_of(
    u: &UrlStr,
    segs: &[Cow<'_, str>],
    bits: &[u8],
    q: QueryHits,
    page: Option<&Url>,
) -> bool {
    if segs
        .windows(2)
        .zip(bits)
        .any(|(w, &b)| b & SEG_PAGINATION != 0 && numeric(&w[1]))
    {
        return true;
    }
    if q.pagination {
        return true;
    }
    if let (Some(page), Some(last)) = (page, segs.last()) {
        if numeric(last) && u.host_str() == page.host_str() {
            let own = path_segments(page.path());
            return segs.len() == own.len() + 1 && segs[..own.len()] == own[..];
        }
    }
    false
}

/// `/2025/`, `/2025/12/16/`, `/blog/2025/11/`: a year segment followed only by month/day
/// numbers, after at most one section word (`/topic/a-slug/2022/11` is an article).
fn is_date_archive(segs: &[Cow<'_, str>]) -> bool {
    let numeric = |s: &Cow<'_, str>| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    segs.iter()
        .position(|s| s.len() == 4 && numeric(s) && (s.starts_with("19") || s.starts_with("20")))
        .is_some_and(|y| {
            y <= 1
                && segs[..y].iter().all(|s| !s.contains('-'))
                && segs[y + 1..].iter().all(|s| numeric(s) && s.len() <= 2)
        })
}

/// Why a target is not an article, or `None` when it looks like one (rules 6 and 7).
pub fn not_article_reason(
    t: &Target,
    page: Option<&Url>,
    page_key: Option<&str>,
    r: &LinkRules,
) -> Option<&'static str> {
    url_facts(t, page, page_key, r).0
}

/// [`not_article_reason`] and [`taxonomy`] of one target, from one split of its path.
pub(crate) fn url_facts(
    t: &Target,
    page: Option<&Url>,
    page_key: Option<&str>,
    r: &LinkRules,
) -> (Option<&'static str>, Option<(&'static str, String)>) {
    let segs = segments(&t.url);
    let bits = seg_bits(&segs, &r.paths);
    let q = query_hits(&t.url, &r.paths);
    let taxonomy = taxonomy_of(&segs, &bits, q);
    let why = not_article_of(t, &segs, &bits, q, taxonomy.is_some(), page, page_key, r);
    (why, taxonomy)
}

/// [`not_article_reason`] with the path segments, query hits and the taxonomy test of `t`
/// done (each computed once per target and shared with [`taxonomy_of`]).
#[allow(clippy::too_many_arguments)]
fn not_article_of(
    t: &Target,
    segs: &[Cow<'_, str>],
    bits: &[u8],
    q: QueryHits,
    is_taxonomy: bool,
    page: Option<&Url>,
    page_key: Option<&str>,
    r: &LinkRules,
) -> Option<&'static str> {
    let p = &r.paths;
    if page_key == Some(t.key.as_str()) {
        return Some("self");
    }
    if segs.is_empty() && t.url.query().is_none() {
        return Some("root");
    }
    if segs.len() == 1 && p.language_root.is_match(&segs[0]) {
        return Some("root");
    }
    if segs.len() == 1
        && t.url.query().is_none()
        && bits.first().is_some_and(|b| b & SEG_SECTION_INDEX != 0)
    {
        return Some("section_index");
    }
    if is_date_archive(segs) {
        return Some("date_archive");
    }
    if let Some(last) = segs.last() {
        if let Some((_, ext)) = last.rsplit_once('.') {
            if p.attachment_extensions.iter().any(|e| e == ext) {
                return Some("attachment");
            }
        }
    }
    if is_taxonomy {
        return Some("taxonomy");
    }
    if is_pagination_of(&t.url, segs, bits, q, page) {
        return Some("pagination");
    }
    if bits.iter().any(|b| b & SEG_NON_ARTICLE != 0) || q.search {
        return Some("non_article");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Rules;

    fn t(s: &str) -> Target {
        resolve(s, None).unwrap()
    }

    #[test]
    fn host_matching_respects_labels() {
        assert!(host_is("www.facebook.com", "facebook.com"));
        assert!(host_is("m.facebook.com", "facebook.com"));
        assert!(!host_is("notfacebook.com", "facebook.com"));
        assert!(host_is("x.com", "x.com"));
        assert!(!host_is("box.com", "x.com"));
    }

    #[test]
    fn host_set_agrees_with_host_is() {
        let list: Vec<String> = [
            "facebook.com",
            "x.com",
            "Pinterest.com",
            "t.co",
            "a.b.example",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let set = HostSet::new(&list);
        for h in [
            "www.facebook.com",
            "m.facebook.com",
            "notfacebook.com",
            "x.com",
            "box.com",
            "www.www.x.com",
            "pinterest.com",
            "de.PINTEREST.com",
            "t.co",
            "at.co",
            "b.example",
            "z.a.b.example",
            "",
            "com",
            ".x.com",
        ] {
            let want = list.iter().any(|e| host_is(h, e));
            assert_eq!(set.contains(h), want, "{h}");
        }
    }

    #[test]
    fn lower_starts_with_is_lowercase_then_starts_with() {
        for s in [
            "JavaScript:void(0)",
            "java",
            "",
            "Ünï:x",
            "MAILTO:?Subject=x",
        ] {
            for p in ["javascript:", "", "ünï", "mailto:", "mailto:?subject="] {
                assert_eq!(
                    lower_starts_with(s, p),
                    s.to_ascii_lowercase().starts_with(p),
                    "{s:?} {p:?}"
                );
            }
        }
    }

    #[test]
    fn non_links_are_dropped() {
        for h in ["", " ", "#", "#top", "javascript:void(0)", "JavaScript:;"] {
            assert!(is_non_link(h), "{h}");
        }
        assert!(!is_non_link("/a"));
        assert!(!is_non_link("mailto:a@b.c"));
    }

    #[test]
    fn share_actions() {
        let r = Rules::defaults().unwrap();
        let r = &r.links;
        let s = |h: &str| share_rule(h, resolve(h, None).as_ref(), r);
        assert_eq!(
            s("https://www.facebook.com/sharer.php?u=x"),
            Some("host:share_intent")
        );
        assert_eq!(
            s("https://twitter.com/intent/tweet?text=a"),
            Some("host:share_intent")
        );
        assert_eq!(s("https://wa.me/?text=a"), Some("host:share_intent"));
        assert_eq!(s("mailto:?subject=Hello"), Some("mailto:share"));
        assert_eq!(s("mailto:info@site.com"), None);
        assert_eq!(s("whatsapp://send?text=x"), Some("scheme:share"));
        assert_eq!(
            s("https://blog.com/post/?share=twitter&nb=1"),
            Some("query:share")
        );
        assert_eq!(s("https://www.facebook.com/theduran"), None);
    }

    #[test]
    fn share_intent_map_agrees_with_the_pair_scan() {
        let r = Rules::defaults().unwrap();
        let r = &r.links;
        let scan = |host: &str, path: &str| {
            r.hosts
                .share_intents
                .iter()
                .any(|(h, prefix)| host_is(host, h) && lower_starts_with(path, prefix))
        };
        let mut hosts: Vec<String> = vec![
            "".into(),
            "com".into(),
            "notfacebook.com".into(),
            "www.www.Facebook.COM".into(),
            ".x.com".into(),
            "x.com.".into(),
            "m.twitter.com".into(),
        ];
        for (h, _) in &r.hosts.share_intents {
            hosts.push(h.clone());
            hosts.push(format!("www.{h}"));
            hosts.push(format!("sub.{}", h.to_ascii_uppercase()));
            hosts.push(format!("x{h}"));
        }
        let mut paths: Vec<String> = vec!["/".into(), "".into(), "/SHARER.php".into()];
        for (_, p) in &r.hosts.share_intents {
            paths.push(p.clone());
            paths.push(format!("{p}/x"));
            paths.push(p.to_ascii_uppercase());
            paths.push(p[..p.len() / 2].to_string());
        }
        for h in &hosts {
            for p in &paths {
                assert_eq!(is_share_intent(h, p, r), scan(h, p), "{h} {p}");
            }
        }
    }

    #[test]
    fn url_facts_agree_with_the_separate_tests() {
        let r = Rules::defaults().unwrap();
        let page = Url::parse("https://a.com/my-story/").unwrap();
        let pk = urlnorm::url_key(&page);
        for s in [
            "https://a.com/Category/News/",
            "https://a.com/TAG/x/?tag=y",
            "https://a.com/?cat=3",
            "https://a.com/author/Jane/",
            "https://a.com/my-story/2/",
            "https://a.com/my-story#c",
            "https://a.com/",
            "https://a.com/EN/",
            "https://a.com/Blog",
            "https://a.com/2025/12/",
            "https://a.com/x/Ünï/Feed/",
            "https://a.com/files/A.PDF",
            "https://a.com/page/2/",
            "https://a.com/?s=x",
            "https://a.com/?S=x&TAG=y&cat=&Paged=12",
            "https://a.com/x?paged=12345&s=&tag",
            "https://a.com/x?page=3&cat=%20",
            "https://a.com/a-post",
            "https://b.org/Étiquette/Tag/x",
        ] {
            let t = t(s);
            let (why, tax) = url_facts(&t, Some(&page), pk.as_deref(), &r.links);
            assert_eq!(tax, taxonomy(&t.url, &r.links.paths), "{s}");
            // the reference: the segments as owned lowercase strings, as before
            let segs: Vec<Cow<'_, str>> = t
                .url
                .path()
                .split('/')
                .filter(|x| !x.is_empty())
                .map(|x| Cow::Owned(x.to_lowercase()))
                .collect();
            assert_eq!(segments(&t.url), segs, "{s}");
            let p = &r.links.paths;
            let bits: Vec<u8> = segs
                .iter()
                .map(|x| {
                    super::super::rules::SEG_ALL
                        .into_iter()
                        .filter(|&b| p.seg_list(b).iter().any(|l| l == x))
                        .fold(0, |m, b| m | b)
                })
                .collect();
            assert_eq!(seg_bits(&segs, p), bits, "{s}");
            // the one-pass query hits against one scan per key list
            let scan = |keys: &[String], value_ok: &dyn Fn(&str) -> bool| {
                t.url.query().is_some()
                    && t.url.query_pairs().any(|(k, v)| {
                        value_ok(&v) && keys.iter().any(|x| k.eq_ignore_ascii_case(x))
                    })
            };
            let non_empty = |v: &str| !v.is_empty();
            let q = query_hits(&t.url, p);
            assert_eq!(
                q,
                QueryHits {
                    category: scan(&p.category_query_keys, &non_empty),
                    tag: scan(&p.tag_query_keys, &non_empty),
                    search: scan(&p.search_query_keys, &non_empty),
                    pagination: scan(&p.pagination_query_keys, &numeric),
                },
                "{s}"
            );
            let is_tax = taxonomy_of(&segs, &bits, q).is_some();
            let want = not_article_of(
                &t,
                &segs,
                &bits,
                q,
                is_tax,
                Some(&page),
                pk.as_deref(),
                &r.links,
            );
            assert_eq!(why, want, "{s}");
        }
    }

    #[test]
    fn taxonomy_paths() {
        let r = Rules::defaults().unwrap();
        let p = &r.links.paths;
        let k = |s: &str| taxonomy(&t(s).url, p).map(|x| x.0);
        assert_eq!(k("https://a.com/category/news/"), Some("category"));
        assert_eq!(k("https://a.com/tag/inf-treaty/"), Some("tag"));
        assert_eq!(k("https://a.com/?tag=x"), Some("tag"));
        assert_eq!(k("https://a.com/author/jane/"), Some("author"));
        assert_eq!(k("https://a.com/2018/11/story-about-tags/"), None);
    }

    #[test]
    fn articles_and_non_articles() {
        let r = Rules::defaults().unwrap();
        let page = Url::parse("https://a.com/my-story/").unwrap();
        let pk = urlnorm::url_key(&page);
        let why = |s: &str| not_article_reason(&t(s), Some(&page), pk.as_deref(), &r.links);
        assert_eq!(why("https://a.com/other-story/"), None);
        assert_eq!(
            why("https://a.com/2018/11/02/other/?relatedposts_hit=1"),
            None
        );
        assert_eq!(why("http://www.a.com/my-story#comments"), Some("self"));
        assert_eq!(why("https://a.com/"), Some("root"));
        assert_eq!(why("https://a.com/en/"), Some("root"));
        assert_eq!(
            why("https://a.com/wp-content/uploads/x.jpg"),
            Some("attachment")
        );
        assert_eq!(why("https://a.com/page/2/"), Some("pagination"));
        assert_eq!(why("https://a.com/my-story/2/"), Some("pagination"));
        assert_eq!(why("https://a.com/?paged=3"), Some("pagination"));
        assert_eq!(why("https://a.com/?p=123"), None);
        assert_eq!(why("https://a.com/feed/"), Some("non_article"));
        assert_eq!(why("https://a.com/?s=putin"), Some("non_article"));
        assert_eq!(why("https://a.com/category/x/"), Some("taxonomy"));
        assert_eq!(why("https://a.com/blog"), Some("section_index"));
        assert_eq!(why("https://a.com/blog/a-post"), None);
        assert_eq!(why("https://a.com/2025/12/16/"), Some("date_archive"));
        assert_eq!(why("https://a.com/2025/12/16/a-post/"), None);
        assert_eq!(why("https://a.com/blog/2025/11/"), Some("date_archive"));
        assert_eq!(why("https://a.com/story/2025/12/19/236259/slug"), None);
        assert_eq!(why("https://a.com/leadership/a-slug/2022/11"), None);
        assert_eq!(why("https://a.com/2021/03/03/13179/"), None);
        assert_eq!(
            why("https://a.com/shop/?add-to-cart=12"),
            Some("non_article")
        );
    }
}
