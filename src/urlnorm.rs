//! URL normalisation and the URL-based ids (SCHEMA §3.1, §3.2).
//!
//! Why it exists: article ids, link targets and `is_internal` all depend on one normal form of a
//! URL, so http/https, www/non-www, tracking parameters and fragments never split one article
//! into several ids.

use url::Url;

/// Query parameters dropped from URLs (courlan's `TRACKERS_RE` set plus Jetpack's related-posts
/// parameters). Matched case-insensitively; entries ending in `_` are prefixes.
const TRACKERS: &[&str] = &[
    "utm_",
    "mc_",
    "ga_",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "ref",
    "ref_src",
    "referrer",
    "source",
    "campaign",
    "affiliate",
    "aff",
    "partner",
    "cmpid",
    "icid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "trk",
    "trkcampaign",
    "sc_campaign",
    "sc_channel",
    "sc_content",
    "sc_medium",
    "sc_outcome",
    "sc_geo",
    "sc_country",
    "wt.mc_id",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "s_cid",
    "vero_conv",
    "vero_id",
    "spm",
    "share",
    "relatedposts_hit",
    "relatedposts_origin",
    "relatedposts_position",
    "amp",
    // recommender click ids (Outbrain, Taboola) and WordPress reply-form links
    "oborigurl",
    "dicbo",
    "tblci",
    "replytocom",
];

/// A tracking query parameter, dropped by [`normalize`].
pub(crate) fn is_tracker(key: &str) -> bool {
    // ASCII case-blind, without lowercasing `key` or formatting the prefixes per call
    let k = key.as_bytes();
    TRACKERS.iter().any(|t| {
        let t = t.as_bytes();
        if t.last() == Some(&b'_') {
            k.len() >= t.len() && k[..t.len()].eq_ignore_ascii_case(t)
        } else {
            k.eq_ignore_ascii_case(t)
        }
    })
}

/// Resolves `href` against `base` (or parses it when absolute). Only http(s) URLs are returned.
pub fn absolutize(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let u = match base {
        Some(b) => b.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(u.scheme(), "http" | "https").then_some(u)
}

/// Normalises a URL for display: lowercased host (the `url` crate does it), default port
/// dropped, fragment and tracking parameters removed, remaining parameters sorted.
pub fn normalize(u: &Url) -> Url {
    let mut u = u.clone();
    u.set_fragment(None);
    if u.query().is_some() {
        let mut pairs: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| !is_tracker(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        pairs.sort();
        if pairs.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    u
}

/// The `url_key`: host (no `www.`) + path (no trailing `/` unless root) + sorted query.
pub fn url_key(u: &Url) -> Option<String> {
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    key_of_normalized(&normalize(u))
}

/// [`url_key`] of a URL already passed through [`normalize`] (which is idempotent), without
/// normalising it a second time.
pub fn key_of_normalized(n: &Url) -> Option<String> {
    if !matches!(n.scheme(), "http" | "https") {
        return None;
    }
    let port = n.port().map(|p| format!(":{p}"));
    Some(key_from_parts(
        n.host_str()?,
        port.as_deref().unwrap_or(""),
        n.path(),
        n.query(),
    ))
}

/// The `url_key` of a normalised http(s) URL from its parts (`port` with its colon, or
/// empty): host lowercased without `www.`, the path without trailing slashes (`/` when empty),
/// then `?query`. Shared by [`key_of_normalized`] and the links stage's string-held URLs.
pub(crate) fn key_from_parts(host: &str, port: &str, path: &str, query: Option<&str>) -> String {
    let lower;
    let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = host.to_ascii_lowercase();
        lower.as_str()
    } else {
        host
    };
    let host = host.strip_prefix("www.").unwrap_or(host);
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let mut key = String::with_capacity(
        host.len() + port.len() + path.len() + query.map_or(0, |q| q.len() + 1) + 1,
    );
    key.push_str(host);
    key.push_str(port);
    key.push_str(if path.is_empty() { "/" } else { path });
    if let Some(q) = query {
        key.push('?');
        key.push_str(q);
    }
    key
}

/// `article_id` from a `url_key`.
pub fn article_id_for_key(key: &str) -> String {
    use sha2::{Digest, Sha256};
    // = "a" + sha256_32("url:" + key), hashed in two parts instead of formatting the input
    let d = Sha256::new()
        .chain_update(b"url:")
        .chain_update(key.as_bytes())
        .finalize();
    let mut id = String::with_capacity(33);
    id.push('a');
    id.push_str(&hex::encode(&d[..16]));
    id
}

/// `article_id` from the raw input's sha256 (no trustworthy URL).
pub fn article_id_for_content(source_sha256: &str) -> String {
    format!(
        "a{}",
        crate::extract::text::sha256_32(format!("sha256:{source_sha256}").as_bytes())
    )
}

/// Registrable domain (public-suffix list), lowercase.
pub fn registrable_domain(host: &str) -> Option<String> {
    let host = host.to_ascii_lowercase();
    psl::domain_str(&host).map(str::to_string)
}

/// True when two hosts share a registrable domain.
pub fn same_site(a: &str, b: &str) -> bool {
    match (registrable_domain(a), registrable_domain(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.eq_ignore_ascii_case(b),
    }
}

/// [`same_site`] against one fixed host, with its registrable domain looked up once.
#[derive(Clone, Debug)]
pub struct Site {
    host: String,
    domain: Option<String>,
}

impl Site {
    /// The site of `host`.
    pub fn new(host: &str) -> Site {
        Site {
            host: host.to_string(),
            domain: registrable_domain(host),
        }
    }

    /// `same_site(self.host, host)`, allocating only when `host` has upper-case letters.
    pub fn contains(&self, host: &str) -> bool {
        // the same host (ASCII case-blind) lowercases to the same string: same answer below
        if self.host.eq_ignore_ascii_case(host) {
            return true;
        }
        let lower;
        let h = if host.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = host.to_ascii_lowercase();
            lower.as_str()
        } else {
            host
        };
        match (&self.domain, psl::domain_str(h)) {
            (Some(x), Some(y)) => x == y,
            _ => self.host.eq_ignore_ascii_case(host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        url_key(&Url::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn key_ignores_scheme_www_slash_fragment_and_trackers() {
        let k = "example.com/a/b?x=1&y=2";
        assert_eq!(
            key("https://www.Example.com:443/a/b/?y=2&utm_source=z&x=1#frag"),
            k
        );
        assert_eq!(key("http://example.com/a/b?x=1&y=2&fbclid=1"), k);
        assert_eq!(key("https://example.com/"), "example.com/");
        assert_eq!(key("https://example.com:8080/p"), "example.com:8080/p");
        assert_eq!(
            key("https://ex.com/p?relatedposts_hit=1&relatedposts_origin=2"),
            "ex.com/p"
        );
        assert_eq!(
            key("https://ex.com/p?obOrigUrl=true&replytocom=12"),
            "ex.com/p"
        );
    }

    #[test]
    fn key_ids_hash_the_prefixed_key() {
        for k in ["", "example.com/a", "ex.com/é?x=1"] {
            assert_eq!(
                article_id_for_key(k),
                format!(
                    "a{}",
                    crate::extract::text::sha256_32(format!("url:{k}").as_bytes())
                )
            );
        }
    }

    #[test]
    fn ids_are_stable_and_prefixed() {
        let a = article_id_for_key("example.com/a");
        assert_eq!(a.len(), 33);
        assert!(a.starts_with('a'));
        assert_eq!(a, article_id_for_key("example.com/a"));
        assert_ne!(a, article_id_for_content("00"));
    }

    #[test]
    fn absolutize_and_sites() {
        let base = Url::parse("https://news.example.co.uk/x/y.html").unwrap();
        assert_eq!(
            absolutize("../z", Some(&base)).unwrap().as_str(),
            "https://news.example.co.uk/z"
        );
        assert!(absolutize("mailto:a@b", Some(&base)).is_none());
        assert!(same_site("news.example.co.uk", "www.example.co.uk"));
        assert!(!same_site("a.co.uk", "b.co.uk"));
        for (a, b) in [
            ("news.example.co.uk", "www.Example.co.uk"),
            ("a.co.uk", "b.co.uk"),
            ("localhost", "LOCALHOST"),
            ("localhost", "other"),
            ("x.com", "y.x.COM"),
            ("x.com", "X.com"),
            ("WWW.Example.co.uk", "www.example.CO.UK"),
            ("", ""),
            ("co.uk", "CO.uk"),
            ("127.0.0.1", "127.0.0.1"),
        ] {
            assert_eq!(Site::new(a).contains(b), same_site(a, b), "{a} {b}");
        }
    }

    #[test]
    fn trackers_and_normalized_keys() {
        assert!(is_tracker("UTM_Source") && is_tracker("utm_") && !is_tracker("utm"));
        assert!(is_tracker("FBCLID") && !is_tracker("fbclid2") && !is_tracker("xutm_a"));
        for s in [
            "https://www.Example.com:443/a/b/?y=2&utm_source=z&x=1#frag",
            "https://ex.com/p?a=%20b+c&&d&e=",
            "http://ex.com:8080/",
            "https://ex.com/?utm_x=1",
        ] {
            let u = Url::parse(s).unwrap();
            let n = normalize(&u);
            assert_eq!(normalize(&n), n, "idempotent: {s}");
            assert_eq!(key_of_normalized(&n), url_key(&u), "{s}");
        }
    }
}
