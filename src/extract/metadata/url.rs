//! The article URL and its trust (SCHEMA §6.1): canonical → `og:url` → JSON-LD
//! `url`/`mainEntityOfPage` → the saving tool's URL → a `host/path` folder layout.
//!
//! Why it exists: `article_id` is derived from this URL, so a wrong one merges different
//! articles (a canonical pointing at the home page) or splits one. Candidates that are relative
//! and cannot be resolved, that are a site root or a listing page while the page is an article,
//! or that sit on another registrable domain than the saved URL (unless another declared URL
//! agrees) are rejected and reported as `w_canonical_suspect`.

use regex::Regex;
use url::Url;

use crate::extract::SourceInfo;
use crate::urlnorm;

/// One declared URL of the page.
#[derive(Clone, Debug, Default)]
pub struct Declared {
    /// `link[rel=canonical]` href as written.
    pub canonical: Option<String>,
    /// `og:url` as written.
    pub og_url: Option<String>,
    /// JSON-LD main node `url` / `mainEntityOfPage`.
    pub jsonld_url: Option<String>,
}

/// A rejected candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// `canonical`, `og_url`, `jsonld_url`.
    pub basis: &'static str,
    /// The value as written.
    pub value: String,
    /// `relative`, `not_http`, `site_root`, `listing`, `other_domain`.
    pub reason: &'static str,
}

/// The chosen URL.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    /// Absolute URL.
    pub url: Option<String>,
    /// `id_basis` (`canonical`, `og_url`, `jsonld_url`, `saved_url`, `content`).
    pub id_basis: &'static str,
    /// Source name for `meta_sources` (`link:canonical`, `source:path_url`, …).
    pub source: Option<&'static str>,
    /// Declared candidates that were rejected.
    pub rejected: Vec<Rejected>,
}

fn http(u: Url) -> Option<Url> {
    matches!(u.scheme(), "http" | "https").then_some(u)
}

/// True for `/` (no query): the home page.
pub fn is_site_root(u: &Url) -> bool {
    (u.path() == "/" || u.path().is_empty()) && u.query().is_none()
}

/// Chooses the article URL. `base` resolves relative candidates (`<base href>` or the saved
/// URL); `is_article` enables the root/listing rejections.
pub fn choose(
    declared: &Declared,
    source: &SourceInfo,
    base: Option<&Url>,
    is_article: bool,
    listing: &[Regex],
) -> Choice {
    let saved = source
        .saved_url
        .as_deref()
        .and_then(|s| Url::parse(s.trim()).ok())
        .and_then(http);
    let path_url = source
        .path_url
        .as_deref()
        .and_then(|s| Url::parse(s.trim()).ok())
        .and_then(http);
    let base = base
        .cloned()
        .or_else(|| saved.clone())
        .or_else(|| path_url.clone());
    let resolve = |v: &str| -> Result<Url, &'static str> {
        let v = v.trim();
        match Url::parse(v) {
            Ok(u) => http(u).ok_or("not_http"),
            Err(_) => match &base {
                Some(b) => b.join(v).ok().and_then(http).ok_or("relative"),
                None => Err("relative"),
            },
        }
    };
    let cands: [(&'static str, &'static str, &Option<String>); 3] = [
        ("canonical", "link:canonical", &declared.canonical),
        ("og_url", "meta:og:url", &declared.og_url),
        ("jsonld_url", "jsonld:url", &declared.jsonld_url),
    ];
    let resolved: Vec<Option<Url>> = cands
        .iter()
        .map(|(_, _, v)| v.as_deref().and_then(|v| resolve(v).ok()))
        .collect();
    let own = saved.as_ref().or(path_url.as_ref());
    let own_key = own.and_then(urlnorm::url_key);
    let mut choice = Choice::default();
    for (i, (basis, src, value)) in cands.iter().enumerate() {
        let Some(value) = value.as_deref() else {
            continue;
        };
        let u = match resolve(value) {
            Ok(u) => u,
            Err(reason) => {
                choice.rejected.push(Rejected {
                    basis,
                    value: value.to_string(),
                    reason,
                });
                continue;
            }
        };
        let same_as_own = own_key.is_some() && urlnorm::url_key(&u) == own_key;
        let reason = if is_article && !same_as_own && is_site_root(&u) {
            Some("site_root")
        } else if is_article && !same_as_own && listing.iter().any(|re| re.is_match(u.path())) {
            Some("listing")
        } else if let (Some(own), Some(host)) = (saved.as_ref(), u.host_str()) {
            let agreed = resolved.iter().enumerate().any(|(j, r)| {
                j != i
                    && r.as_ref()
                        .and_then(|r| r.host_str())
                        .is_some_and(|h| urlnorm::same_site(h, host))
            });
            let own_host = own.host_str().unwrap_or("");
            (!urlnorm::same_site(own_host, host) && !agreed).then_some("other_domain")
        } else {
            None
        };
        match reason {
            Some(reason) => choice.rejected.push(Rejected {
                basis,
                value: value.to_string(),
                reason,
            }),
            None if choice.url.is_none() => {
                choice.url = Some(u.to_string());
                choice.id_basis = basis;
                choice.source = Some(src);
            }
            None => {}
        }
    }
    if choice.url.is_none() {
        if let Some(s) = &saved {
            choice.url = Some(s.to_string());
            choice.id_basis = "saved_url";
            choice.source = Some("source:saved_url");
        } else if let Some(p) = &path_url {
            // A folder layout is the saving tool's record of the URL: same id basis.
            choice.url = Some(p.to_string());
            choice.id_basis = "saved_url";
            choice.source = Some("source:path_url");
        } else {
            choice.id_basis = "content";
        }
    }
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing() -> Vec<Regex> {
        vec![Regex::new(r"^/(category|tag|author)(/|$)").unwrap()]
    }

    fn src(saved: Option<&str>) -> SourceInfo {
        SourceInfo {
            saved_url: saved.map(str::to_string),
            ..Default::default()
        }
    }

    fn decl(c: Option<&str>, og: Option<&str>, ld: Option<&str>) -> Declared {
        Declared {
            canonical: c.map(str::to_string),
            og_url: og.map(str::to_string),
            jsonld_url: ld.map(str::to_string),
        }
    }

    #[test]
    fn canonical_first() {
        let c = choose(
            &decl(Some("https://x.com/a/"), Some("https://x.com/b"), None),
            &src(None),
            None,
            true,
            &listing(),
        );
        assert_eq!(
            (c.url.as_deref(), c.id_basis),
            (Some("https://x.com/a/"), "canonical")
        );
        assert!(c.rejected.is_empty());
    }

    #[test]
    fn relative_canonical_resolves_against_saved_url_or_is_rejected() {
        let c = choose(
            &decl(Some("/story"), None, None),
            &src(Some("https://x.com/story?utm_source=a")),
            None,
            true,
            &listing(),
        );
        assert_eq!(
            (c.url.as_deref(), c.id_basis),
            (Some("https://x.com/story"), "canonical")
        );
        let c = choose(
            &decl(Some("/story"), None, None),
            &src(None),
            None,
            true,
            &listing(),
        );
        assert_eq!((c.url, c.id_basis), (None, "content"));
        assert_eq!(c.rejected[0].reason, "relative");
    }

    #[test]
    fn site_root_and_listing_rejected_for_articles() {
        let c = choose(
            &decl(
                Some("https://x.com/"),
                Some("https://x.com/category/news/"),
                None,
            ),
            &src(Some("https://x.com/2020/01/story")),
            None,
            true,
            &listing(),
        );
        assert_eq!(
            (c.url.as_deref(), c.id_basis),
            (Some("https://x.com/2020/01/story"), "saved_url")
        );
        let reasons: Vec<_> = c.rejected.iter().map(|r| r.reason).collect();
        assert_eq!(reasons, vec!["site_root", "listing"]);
        // the home page itself keeps its root canonical
        let c = choose(
            &decl(Some("https://x.com/"), None, None),
            &src(Some("https://www.x.com/")),
            None,
            true,
            &listing(),
        );
        assert_eq!(c.id_basis, "canonical");
        let c = choose(
            &decl(Some("https://x.com/"), None, None),
            &src(None),
            None,
            false,
            &listing(),
        );
        assert_eq!(c.id_basis, "canonical");
    }

    #[test]
    fn other_domain_needs_agreement() {
        let saved = src(Some("https://mirror.org/copy/story"));
        let c = choose(
            &decl(Some("https://orig.com/story"), None, None),
            &saved,
            None,
            true,
            &listing(),
        );
        assert_eq!(
            (c.id_basis, c.rejected[0].reason),
            ("saved_url", "other_domain")
        );
        let c = choose(
            &decl(
                Some("https://orig.com/story"),
                Some("https://www.orig.com/story"),
                None,
            ),
            &saved,
            None,
            true,
            &listing(),
        );
        assert_eq!(
            (c.url.as_deref(), c.id_basis),
            (Some("https://orig.com/story"), "canonical")
        );
        let c = choose(
            &decl(Some("https://news.mirror.org/story"), None, None),
            &saved,
            None,
            true,
            &listing(),
        );
        assert_eq!(c.id_basis, "canonical");
    }

    #[test]
    fn path_url_is_the_last_resort() {
        let s = SourceInfo {
            path_url: Some("https://x.com/p".into()),
            ..Default::default()
        };
        let c = choose(&Declared::default(), &s, None, true, &listing());
        assert_eq!(
            (c.url.as_deref(), c.id_basis, c.source),
            (
                Some("https://x.com/p"),
                "saved_url",
                Some("source:path_url")
            )
        );
        let c = choose(
            &decl(None, Some("mailto:a@b.c"), None),
            &SourceInfo::default(),
            None,
            true,
            &listing(),
        );
        assert_eq!((c.id_basis, c.rejected[0].reason), ("content", "not_http"));
    }
}
