//! Link targets as strings with part offsets, and a fast path that resolves the plain `href`
//! shapes without a `url::Url` parse.
//!
//! Why it exists: resolving, normalising and keying every distinct `href` of a page through
//! `url::Url` (a join, a clone, a query rewrite, a second serialisation) was the costliest
//! part of link handling. Most `href`s are plain (`https://host/path`, `/path?q`, `page.html`):
//! for those the serialisation the `url` crate would produce is the input itself, so
//! [`fast_absolute`] builds it directly and [`normalize`] / [`key_of`] work on the string.
//! Anything not plainly simple (uppercase or non-ASCII hosts, ports, user info, dot segments,
//! percent-encoded dots, characters the `url` crate would escape, IDN labels, numeric hosts)
//! goes through the `url` crate as before; the tests compare both paths over many shapes.

use url::{form_urlencoded, Position, Url};

/// An http(s) URL as the `url` crate serialises it, with the offsets of its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlStr {
    s: String,
    /// Host range (`None` for a URL without host).
    host: Option<(usize, usize)>,
    /// End of the host part (start of `:port`, when there is one).
    after_host: usize,
    /// Path range.
    path: (usize, usize),
    /// Query range (after `?`).
    query: Option<(usize, usize)>,
    /// Start of the fragment (after `#`).
    fragment: Option<usize>,
}

impl UrlStr {
    /// The parts of a parsed URL.
    pub fn from_url(u: &Url) -> UrlStr {
        let len = |p: Position| u[..p].len();
        let after_path = len(Position::AfterPath);
        UrlStr {
            s: u.as_str().to_owned(),
            host: u
                .host_str()
                .map(|_| (len(Position::BeforeHost), len(Position::AfterHost))),
            after_host: len(Position::AfterHost),
            path: (len(Position::BeforePath), after_path),
            query: u
                .query()
                .map(|q| (after_path + 1, after_path + 1 + q.len())),
            fragment: u.fragment().map(|_| len(Position::AfterQuery) + 1),
        }
    }

    /// The serialisation (`Url::as_str`).
    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// `Url::host_str`.
    pub fn host_str(&self) -> Option<&str> {
        self.host.and_then(|(a, b)| self.s.get(a..b))
    }

    /// `Url::path`.
    pub fn path(&self) -> &str {
        self.s.get(self.path.0..self.path.1).unwrap_or("")
    }

    /// `Url::query`.
    pub fn query(&self) -> Option<&str> {
        self.query.and_then(|(a, b)| self.s.get(a..b))
    }

    /// `Url::fragment`.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment.and_then(|a| self.s.get(a..))
    }

    /// `Url::query_pairs`.
    pub fn query_pairs(&self) -> form_urlencoded::Parse<'_> {
        form_urlencoded::parse(self.query().unwrap_or("").as_bytes())
    }

    /// `:port` as serialised (empty for the scheme's default port).
    fn port_part(&self) -> &str {
        self.s.get(self.after_host..self.path.0).unwrap_or("")
    }
}

/// `crate::urlnorm::normalize` of an http(s) URL held as a [`UrlStr`]: fragment dropped,
/// tracking parameters removed, the other pairs sorted and re-serialised (form-urlencoded, as
/// `Url::query_pairs_mut` writes them).
pub fn normalize(a: &UrlStr) -> UrlStr {
    let end = a.fragment.map_or(a.s.len(), |f| f - 1);
    let mut n = UrlStr {
        s: a.s.get(..end).unwrap_or("").to_owned(),
        fragment: None,
        ..a.clone_parts()
    };
    if let Some((qs, qe)) = a.query {
        let mut pairs: Vec<(String, String)> =
            form_urlencoded::parse(a.s.get(qs..qe).unwrap_or("").as_bytes())
                .filter(|(k, _)| !crate::urlnorm::is_tracker(k))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        pairs.sort();
        n.s.truncate(qs - 1);
        if pairs.is_empty() {
            n.query = None;
        } else {
            n.s.push('?');
            let start = n.s.len();
            let mut ser = form_urlencoded::Serializer::for_suffix(std::mem::take(&mut n.s), start);
            ser.extend_pairs(pairs);
            n.s = ser.finish();
            n.query = Some((start, n.s.len()));
        }
    }
    n
}

impl UrlStr {
    /// The offsets without the string (filled in by the caller).
    fn clone_parts(&self) -> UrlStr {
        UrlStr {
            s: String::new(),
            host: self.host,
            after_host: self.after_host,
            path: self.path,
            query: self.query,
            fragment: self.fragment,
        }
    }
}

/// `crate::urlnorm::key_of_normalized` of a normalised http(s) URL held as a [`UrlStr`].
pub fn key_of(n: &UrlStr) -> Option<String> {
    Some(crate::urlnorm::key_from_parts(
        n.host_str()?,
        n.port_part(),
        n.path(),
        n.query(),
    ))
}

/// Bytes the `url` crate copies unchanged into an http(s) path, query and fragment (ASCII
/// letters and digits, unreserved and sub-delimiter characters, `:`, `@`, `/`, `%`; not `'`,
/// which a special URL's query escapes), as a byte table.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'%'
            );
        c += 1;
    }
    t
};

/// A host the `url` crate keeps as written: dot-separated labels of lowercase ASCII letters,
/// digits and inner single hyphens (no `xn--` or other `--`), the last label starting with a
/// letter (so it is never read as an IPv4 number), no empty label, no trailing dot.
fn is_plain_host(h: &[u8]) -> bool {
    let mut label = 0usize; // start of the current label
    for (i, &c) in h.iter().enumerate() {
        if c == b'.' {
            // no empty label, none ending with '-'
            if i == label || h[i - 1] == b'-' {
                return false;
            }
            label = i + 1;
        } else if c == b'-' {
            // none starting with '-', no "--"
            if i == label || h[i - 1] == b'-' {
                return false;
            }
        } else if !(c.is_ascii_lowercase() || c.is_ascii_digit()) {
            return false;
        }
    }
    // the last label: not empty, not ending with '-', starting with a letter
    label < h.len() && h[h.len() - 1] != b'-' && h[label].is_ascii_lowercase()
}

/// `path?query#fragment` (the part after the authority) made only of plain bytes, with at
/// most one `#`, no dot segment (`/.`) and no percent-encoded dot (`%2e`, `%2E`) in the path:
/// the `url` crate copies such a tail unchanged.
fn is_plain_tail(t: &[u8]) -> bool {
    let mut in_path = true;
    let mut hashes = 0;
    let mut prev = 0u8;
    for (i, &c) in t.iter().enumerate() {
        if PLAIN[c as usize] {
            if in_path
                && ((c == b'.' && prev == b'/')
                    || (c == b'%'
                        && t.get(i + 1) == Some(&b'2')
                        && matches!(t.get(i + 2), Some(b'e' | b'E'))))
            {
                return false;
            }
        } else if c == b'?' {
            in_path = false;
        } else if c == b'#' {
            in_path = false;
            hashes += 1;
            if hashes > 1 {
                return false;
            }
        } else {
            return false;
        }
        prev = c;
    }
    true
}

/// Index of the first of `/`, `?`, `#` in `b` (its length when none).
fn authority_end(b: &[u8]) -> usize {
    b.iter()
        .position(|&c| matches!(c, b'/' | b'?' | b'#'))
        .unwrap_or(b.len())
}

/// Parts of a URL string known to be `http(s)://host[:port]/path[?query][#fragment]` (no user
/// info; the host holds no `:`).
fn parts_of(s: String) -> Option<UrlStr> {
    let b = s.as_bytes();
    let host_start = if b.starts_with(b"https://") {
        8
    } else if b.starts_with(b"http://") {
        7
    } else {
        return None;
    };
    let path_start = host_start + memchr::memchr(b'/', &b[host_start..])?;
    let host_end = host_start
        + memchr::memchr(b':', &b[host_start..path_start]).unwrap_or(path_start - host_start);
    let tail = &b[path_start..];
    let frag = memchr::memchr(b'#', tail).map(|i| path_start + i);
    let path_end = path_start + memchr::memchr2(b'?', b'#', tail).unwrap_or(tail.len());
    let q = (b.get(path_end) == Some(&b'?')).then_some(path_end);
    Some(UrlStr {
        host: Some((host_start, host_end)),
        after_host: host_end,
        path: (path_start, path_end),
        query: q.map(|i| (i + 1, frag.unwrap_or(b.len()))),
        fragment: frag.map(|f| f + 1),
        s,
    })
}

/// `http://host…` / `https://host…` with a plain host and tail: the serialisation the `url`
/// crate gives it (a `/` path added when the path is empty).
fn plain_absolute(h: &str) -> Option<String> {
    let after = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))?;
    let scheme_len = h.len() - after.len();
    let auth_len = authority_end(after.as_bytes());
    let (host, tail) = after.split_at(auth_len);
    if !is_plain_host(host.as_bytes()) || !is_plain_tail(tail.as_bytes()) {
        return None;
    }
    let mut s = String::with_capacity(h.len() + 1);
    s.push_str(&h[..scheme_len]);
    s.push_str(host);
    if !tail.starts_with('/') {
        s.push('/');
    }
    s.push_str(tail);
    Some(s)
}

/// What `url` would make of `href` (trimmed) joined onto `base`, when the result is an
/// http(s) URL and `href` has one of the plain shapes: absolute http(s) with a plain host,
/// scheme-relative `//host…`, path-absolute `/…`, query-only `?…`, or a relative path whose
/// first segment has no `:`. `None` = not plainly simple (the caller falls back to `url`).
pub fn fast_absolute(href: &str, base: Option<&Url>) -> Option<UrlStr> {
    let h = href.trim();
    let first = *h.as_bytes().first()?;
    if h.starts_with("http://") || h.starts_with("https://") {
        return parts_of(plain_absolute(h)?);
    }
    let b = base?;
    if !matches!(b.scheme(), "http" | "https")
        || b.cannot_be_a_base()
        || !b.username().is_empty()
        || b.password().is_some()
        || b.host_str().map_or(true, |h| h.starts_with('['))
    {
        return None;
    }
    if let Some(rest) = h.strip_prefix("//") {
        let mut abs = String::with_capacity(h.len() + 6);
        abs.push_str(b.scheme());
        abs.push_str("://");
        abs.push_str(rest);
        return parts_of(plain_absolute(&abs)?);
    }
    let s = if first == b'/' {
        if !is_plain_tail(h.as_bytes()) {
            return None;
        }
        let mut s = b[..Position::BeforePath].to_owned();
        s.push_str(h);
        s
    } else if first == b'?' {
        if !is_plain_tail(h.as_bytes()) {
            return None;
        }
        let mut s = b[..Position::AfterPath].to_owned();
        s.push_str(h);
        s
    } else {
        // a relative path: its first segment must not read as a scheme (`mailto:`, `c:`)
        let seg_end = authority_end(h.as_bytes());
        if first == b'#'
            || first == b'.'
            || memchr::memchr(b':', &h.as_bytes()[..seg_end]).is_some()
        {
            return None;
        }
        let base_path = b.path();
        let dir = &base_path[..base_path.rfind('/')? + 1];
        let mut s = b[..Position::BeforePath].to_owned();
        s.push_str(dir);
        let tail_start = s.len() - 1;
        s.push_str(h);
        if !is_plain_tail(&s.as_bytes()[tail_start..]) {
            return None;
        }
        s
    };
    parts_of(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_scans_agree_with_their_definitions() {
        let host_ref = |h: &str| {
            !h.is_empty()
                && !h.contains("--")
                && h.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                })
                && h.rsplit('.')
                    .next()
                    .is_some_and(|l| l.bytes().next().is_some_and(|c| c.is_ascii_lowercase()))
        };
        for h in [
            "", ".", "a", "a.", ".a", "a..b", "a.b", "a-b.c", "-a.b", "a-.b", "a.-b", "a.b-",
            "a--b.c", "xn--x.c", "a.1", "1.a", "a.1b", "A.b", "a_b.c", "a.b.c.d", "é.a", "-",
        ] {
            assert_eq!(is_plain_host(h.as_bytes()), host_ref(h), "{h:?}");
        }
        let tail_ref = |t: &str| {
            let path_end = t.find(['?', '#']).unwrap_or(t.len());
            let path = &t[..path_end];
            t.bytes()
                .all(|c| PLAIN[c as usize] || c == b'?' || c == b'#')
                && t.matches('#').count() <= 1
                && !path.contains("/.")
                && !path.contains("%2e")
                && !path.contains("%2E")
        };
        for t in [
            "", "/", "/a/b", "/a/./b", "/.", "/a?/.", "/a#/.", "/%2e", "/%2E/", "/%2", "/x%2e",
            "?%2e", "#a#b", "?a#b?c", "/a b", "/é", "/a'b", "/a?b'c", "//x", "/a.b/c.",
        ] {
            assert_eq!(is_plain_tail(t.as_bytes()), tail_ref(t), "{t:?}");
        }
    }

    #[test]
    fn parts_agree_with_the_url_crate() {
        for s in [
            "https://a.com/",
            "http://a.com:8080/x/y?q=1&r#frag",
            "https://u:p@a.com/x",
            "https://[::1]:9/p?#",
            "https://a.com/?",
            "https://a.com/#",
            "https://xn--bcher-kva.example/Ünï",
        ] {
            let u = Url::parse(s).unwrap();
            let p = UrlStr::from_url(&u);
            assert_eq!(p.as_str(), u.as_str());
            assert_eq!(p.host_str(), u.host_str(), "{s}");
            assert_eq!(p.path(), u.path(), "{s}");
            assert_eq!(p.query(), u.query(), "{s}");
            assert_eq!(p.fragment(), u.fragment(), "{s}");
            let n = crate::urlnorm::normalize(&u);
            assert_eq!(normalize(&p), UrlStr::from_url(&n), "{s}");
            assert_eq!(
                key_of(&UrlStr::from_url(&n)),
                crate::urlnorm::key_of_normalized(&n),
                "{s}"
            );
        }
    }
}

#[cfg(test)]
mod agreement {
    use super::super::urls::{resolve, resolve_with_url};
    use super::*;

    /// Hrefs of every shape, plain and odd.
    fn hrefs() -> Vec<String> {
        let mut v: Vec<String> = [
            "https://a.com/x/y",
            "http://a.com",
            "https://a.com?q=1",
            "https://a.com#f",
            "https://a.com/p?b=2&a=1&utm_source=x#frag",
            "https://www.a.com/p/?ref=z&x=%20y+z",
            "https://a.com/p?a&b=&=c&&d=1",
            "https://a.com/p?share=twitter&nb=1",
            "https://a.com/p?x=%zz&y=%41",
            "https://a.com/%7Euser/a%2fb",
            "https://a.com/a%2eb/%2e/c",
            "https://a.com/a/%2E%2E/c",
            "https://a.com/./a/../b/.",
            "https://a.com/a/.well-known/x",
            "https://a.com//double//slash/",
            "https://a.com/a:b@c!$&()*+,;=-._~/",
            "https://a.com/it's?it's#it's",
            "https://a.com/a b?c d#e f",
            "https://a.com/a\tb\nc",
            "https://a.com/ü?ü#ü",
            "https://a.com/a|b^c{d}`e[f]\"g<h>",
            "https://a.com/p#a#b",
            "https://a.com/p#a?b",
            "https://a.com/p?a?b#c",
            "https://A.COM/X",
            "HTTPS://a.com/x",
            "Http://a.com/x",
            "https://a.com:443/x",
            "http://a.com:80/x",
            "https://a.com:8080/x",
            "https://a.com:/x",
            "https://user:pw@a.com/x",
            "https://@a.com/x",
            "https://a.com./x",
            "https://.a.com/x",
            "https://a..com/x",
            "https://-a.com/x",
            "https://a-.com/x",
            "https://a--b.com/x",
            "https://xn--bcher-kva.example/x",
            "https://xn--zz.example/x",
            "https://bücher.example/x",
            "https://127.0.0.1/x",
            "https://0x7f.1/x",
            "https://123/x",
            "https://a.123/x",
            "https://1a.com/x",
            "https://a.b1/x",
            "https://[::1]/x",
            "https://a.com\\x\\y",
            "https:/a.com/x",
            "https:a.com/x",
            "http:x",
            "https:///a.com/x",
            "https://",
            "https://?x",
            "https://#x",
            "//b.org/x?y#z",
            "//B.org/x",
            "///x",
            "//",
            "//b.org",
            "/",
            "/x/y.html",
            "/x/./y",
            "/x/../y",
            "/x/..",
            "/x/.",
            "/.hidden",
            "/x?y=1&utm_medium=2#z",
            "/x y",
            "/é",
            "/%2e%2e/x",
            "/a\\b",
            "?",
            "?q=1",
            "?q=1#f",
            "?q='x'",
            "#f",
            "#",
            "y.html",
            "y",
            "a/b/c?d#e",
            "./y",
            "../y",
            "..",
            ".",
            "a/./b",
            "a/../b",
            "a:b/c",
            "c:/x",
            "mailto:a@b.c",
            "mailto:?subject=x",
            "tel:+123",
            "javascript:void(0)",
            "JavaScript:void(0)",
            "data:text/plain,x",
            "whatsapp://send?text=x",
            "ftp://a.com/x",
            "file:///x",
            "  https://a.com/x  ",
            "\u{a0}/x\u{a0}",
            "\u{1}/x",
            "/x\u{7f}",
            "",
            " ",
            "%41/b",
            "a%2e/b",
            "@x",
            "~x/y",
            "x?#",
            "https://a.com/?#",
            "https://a.com/x?",
            "https://a.com/x?#",
            "https://a.com/x?&",
            "https://a.com/x?=",
            "https://a.com/x?utm_a=1",
            "https://a.com/x?UTM_A=1&b=2",
            "https://a.com/x?a=1+2&a=1%202",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // generated combinations of plain and odd parts
        let hosts = [
            "a.com",
            "www.a.com",
            "A.com",
            "a.com:8080",
            "b-c.d9.org",
            "x.y",
        ];
        let paths = [
            "",
            "/",
            "/p",
            "/p/",
            "/p/q.html",
            "/p/./q",
            "/P%20q",
            "/p;x=1",
        ];
        let queries = ["", "?", "?a=1", "?b=2&a=1", "?a=%41&utm_x=1", "?x=a+b"];
        let frags = ["", "#", "#f", "#f?g"];
        for h in hosts {
            for p in paths {
                for q in queries {
                    for f in frags {
                        v.push(format!("https://{h}{p}{q}{f}"));
                        v.push(format!("//{h}{p}{q}{f}"));
                        if !p.is_empty() {
                            v.push(format!("{p}{q}{f}"));
                            v.push(format!("{}{q}{f}", &p[1..]));
                        }
                    }
                }
            }
        }
        v
    }

    #[test]
    fn fast_path_agrees_with_the_url_crate() {
        let bases: Vec<Option<Url>> = [
            None,
            Some("https://a.com/dir/page.html?x=1#y"),
            Some("http://www.a.com/"),
            Some("https://a.com"),
            Some("https://a.com:8443/d/e/"),
            Some("https://u:p@a.com/d/f"),
            Some("https://[::1]:8080/d/f"),
            Some("https://xn--bcher-kva.example/d/"),
            Some("https://a.com/%7Ed/é/x"),
            Some("http://127.0.0.1/a/b"),
            Some("file:///tmp/x.html"),
            Some("mailto:a@b.c"),
        ]
        .iter()
        .map(|b| b.map(|s| Url::parse(s).unwrap()))
        .collect();
        let mut fast = 0;
        let mut total = 0;
        for base in &bases {
            for h in hrefs() {
                let got = resolve(&h, base.as_ref());
                let want = resolve_with_url(&h, base.as_ref());
                assert_eq!(got, want, "{h:?} on {:?}", base.as_ref().map(Url::as_str));
                if let Some(f) = fast_absolute(&h, base.as_ref()) {
                    fast += 1;
                    // the fast path claims only what the url crate resolves to the same string
                    let u = crate::urlnorm::absolutize(&h, base.as_ref());
                    assert_eq!(Some(f.as_str()), u.as_ref().map(Url::as_str), "{h:?}");
                    assert_eq!(Some(f), u.as_ref().map(UrlStr::from_url), "{h:?}");
                }
                total += 1;
            }
        }
        // most shapes are plain: the fast path must actually be taken
        assert!(fast * 3 > total, "{fast} of {total}");
    }
}
