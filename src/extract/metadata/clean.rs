//! Normalisation of metadata values: author names, `<title>` site suffixes, term lists, HTML
//! entities left in structured data, URL dates.
//!
//! Why it exists: every source gives values in its own dress ("By Jane Doe and John Roe",
//! "Headline | Site", "a,b,c", "&#8217;"); the tables want one clean form whatever source won,
//! so these rules are shared by all of them and tested on their own.

use std::sync::LazyLock;

use regex::Regex;

/// Decodes the HTML entities that leak into JSON-LD strings (`&amp;`, `&#8217;`, `&#x2019;`,
/// a few common named ones), then collapses whitespace.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return crate::dom::collapse_ws(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let c = if let Some(num) = ent.strip_prefix('#') {
                let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    num.parse::<u32>().ok()
                };
                n.and_then(char::from_u32)
            } else {
                match ent {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    "rsquo" => Some('’'),
                    "lsquo" => Some('‘'),
                    "rdquo" => Some('”'),
                    "ldquo" => Some('“'),
                    "ndash" => Some('–'),
                    "mdash" => Some('—'),
                    "hellip" => Some('…'),
                    "bull" => Some('•'),
                    "middot" => Some('·'),
                    "raquo" => Some('»'),
                    "laquo" => Some('«'),
                    "trade" => Some('™'),
                    "reg" => Some('®'),
                    "copy" => Some('©'),
                    "eacute" => Some('é'),
                    "uuml" => Some('ü'),
                    "ouml" => Some('ö'),
                    "auml" => Some('ä'),
                    "szlig" => Some('ß'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    crate::dom::collapse_ws(&out)
}

/// Lowercase alphanumerics only, for loose comparisons ("The Duran" ~ "theduran").
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when `part` names the site: equal to the site name or the host's label, loosely.
pub fn is_site_name(part: &str, site: Option<&str>, host: Option<&str>) -> bool {
    let p = squash(part);
    if p.is_empty() {
        return false;
    }
    if site.map(squash).is_some_and(|s| !s.is_empty() && s == p) {
        return true;
    }
    host.is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        let h = h.strip_prefix("www.").unwrap_or(&h);
        let label = h.split('.').next().unwrap_or("");
        squash(h) == p || (label.len() >= 3 && squash(label) == p)
    })
}

/// The last separator of `title` (any of `seps`): (head, tail).
fn split_last<'a>(title: &'a str, seps: &[String]) -> Option<(&'a str, &'a str)> {
    seps.iter()
        .filter_map(|s| title.rfind(s.as_str()).map(|i| (i, s.len())))
        .max_by_key(|&(i, _)| i)
        .map(|(i, l)| (title[..i].trim(), title[i + l..].trim()))
        .filter(|(h, t)| !h.is_empty() && !t.is_empty())
}

/// The first separator of `title`: (head, tail).
fn split_first<'a>(title: &'a str, seps: &[String]) -> Option<(&'a str, &'a str)> {
    seps.iter()
        .filter_map(|s| title.find(s.as_str()).map(|i| (i, s.len())))
        .min_by_key(|&(i, _)| i)
        .map(|(i, l)| (title[..i].trim(), title[i + l..].trim()))
        .filter(|(h, t)| !h.is_empty() && !t.is_empty())
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Removes a site name from the end (or start) of a title. With `loose`, a short last part
/// (at most `max_words` words, shorter than the rest) is taken as the site name even when it
/// does not match `site`/`host` (the `<title>` element); otherwise only matching parts go.
pub fn strip_site_suffix(
    title: &str,
    site: Option<&str>,
    host: Option<&str>,
    seps: &[String],
    max_words: usize,
    loose: bool,
) -> String {
    let mut t = title.trim().to_string();
    for _ in 0..3 {
        if let Some((head, tail)) = split_last(&t, seps) {
            let short = words(tail) <= max_words && words(tail) < words(head);
            if is_site_name(tail, site, host) || (loose && short) {
                t = head.to_string();
                continue;
            }
        }
        if let Some((head, tail)) = split_first(&t, seps) {
            if is_site_name(head, site, host) {
                t = tail.to_string();
                continue;
            }
        }
        break;
    }
    t
}

/// When a title is "Headline | extra" (or "extra | Headline") and one side is a heading shown
/// on the page, that side alone.
pub fn part_matching_heading(title: &str, seps: &[String], headings: &[String]) -> Option<String> {
    if headings.is_empty() {
        return None;
    }
    let heads: Vec<String> = headings
        .iter()
        .map(|h| squash(h))
        .filter(|h| !h.is_empty())
        .collect();
    for sep in seps {
        for (i, _) in title.match_indices(sep.as_str()) {
            for part in [&title[..i], &title[i + sep.len()..]] {
                let part = part.trim();
                if !part.is_empty() && heads.contains(&squash(part)) {
                    return Some(part.to_string());
                }
            }
        }
    }
    None
}

/// The site-name suffix of a `<title>`: its last part when short.
pub fn title_suffix(title: &str, seps: &[String], max_words: usize) -> Option<String> {
    let (head, tail) = split_last(title, seps)?;
    (words(tail) <= max_words && words(tail) <= words(head)).then(|| tail.to_string())
}

/// Splits a term list (`"a, b"`, `"Latest,News"`) and removes duplicates (case-insensitive).
pub fn split_terms<'a>(values: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        for t in v.split([',', ';']) {
            let t = decode_entities(t);
            let t = t.trim_matches(|c: char| c == '#' || c.is_whitespace());
            if t.is_empty() || t.chars().count() > 100 {
                continue;
            }
            if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
                out.push(t.to_string());
            }
            if out.len() >= max {
                return out;
            }
        }
    }
    out
}

static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^[^\s@]+@[^\s@]+\.[a-z]{2,}$").ok());

/// What author normalisation needs from the rules.
pub struct AuthorRules<'a> {
    /// Lowercase prefixes to strip ("by", "von").
    pub prefixes: &'a [String],
    /// Lowercase conjunction words that separate names ("and", "und").
    pub conjunctions: &'a [String],
    /// Most names kept.
    pub max: usize,
    /// Longest name kept (characters).
    pub max_chars: usize,
    /// Lowercase values that are never names ("undefined", "admin").
    pub stopwords: &'a [String],
    /// A piece matching one of these is dropped ("3 days ago", "© 2025").
    pub drop: &'a [Regex],
    /// Lowercase credentials and suffixes that follow a name after a comma ("md", "phd").
    pub credentials: &'a [String],
}

/// Strips one leading "By"/"Von"… prefix (case-insensitive, followed by a space or `:`).
fn strip_prefix_word(s: &str, prefixes: &[String]) -> String {
    let mut t = s
        .trim()
        .trim_start_matches(['-', '–', '—', '|', ':'])
        .trim()
        .to_string();
    loop {
        let lower = t.to_lowercase();
        let hit = prefixes.iter().find(|p| {
            lower.starts_with(p.as_str())
                && lower[p.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c == ':' || c.is_whitespace())
        });
        // `lower` and `t` may differ in byte length (Unicode case mapping): compare the
        // prefix on `t` itself, case-insensitively, and slice only at a char boundary
        let rest = hit.and_then(|p| {
            t.get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .and_then(|_| t.get(p.len()..))
        });
        match rest {
            Some(rest) => t = rest.trim_start_matches(':').trim().to_string(),
            None => return t,
        }
    }
}

/// Normalises raw author strings into names: prefixes stripped, split on `,` `;` `&` `|` and
/// the conjunctions, e-mails, `@handles`, URLs and non-names dropped, duplicates removed.
/// Returns the names and whether they are only the site's own name.
pub fn normalize_authors(
    raw: &[String],
    r: &AuthorRules<'_>,
    site: Option<&str>,
    host: Option<&str>,
) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    // one name per value (repeated `citation_author` tags): "Last, First" is reordered
    let one_per_value = raw.len() > 1;
    for value in raw {
        let v = decode_entities(value);
        // URLs, e-mails and handles go before splitting (their `/` and `.` are not separators)
        let v: Vec<&str> = v.split_whitespace().filter(|w| !is_address(w)).collect();
        let mut v = strip_prefix_word(&v.join(" "), r.prefixes);
        if one_per_value {
            if let Some((last, first)) = v.split_once(',') {
                let (last, first) = (last.trim(), first.trim());
                let credential = r
                    .credentials
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(first.trim_matches('.')));
                if !first.contains(',') && !credential && words(last) == 1 && words(first) <= 2 {
                    v = format!("{first} {last}");
                }
            }
        }
        for part in v.split([',', ';', '&', '|', '/', '\n']) {
            let mut pieces = vec![part.trim().to_string()];
            for conj in r.conjunctions {
                pieces = pieces
                    .into_iter()
                    .flat_map(|p| split_word(&p, conj))
                    .collect();
            }
            for p in pieces {
                let p = strip_prefix_word(&p, r.prefixes);
                let p = p.trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '.' | '-' | '–' | '·' | '(' | ')')
                });
                let stop = r.stopwords.iter().any(|w| w.eq_ignore_ascii_case(p))
                    || r.credentials.iter().any(|w| w.eq_ignore_ascii_case(p))
                    || r.drop.iter().any(|re| re.is_match(p));
                if !stop
                    && keep_name(p, r.max_chars)
                    && !out.iter().any(|o| o.to_lowercase() == p.to_lowercase())
                {
                    out.push(p.to_string());
                }
            }
        }
    }
    out.truncate(r.max);
    let site_only = !out.is_empty() && out.iter().all(|a| is_site_name(a, site, host));
    if !site_only {
        out.retain(|a| !is_site_name(a, site, host));
    }
    (out, site_only)
}

/// Splits on a whole word (case-insensitive).
fn split_word(s: &str, word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for w in s.split_whitespace() {
        if w.eq_ignore_ascii_case(word) && !cur.is_empty() {
            out.push(cur.join(" "));
            cur.clear();
        } else {
            cur.push(w);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

/// True for a URL, an e-mail address or an `@handle`.
fn is_address(w: &str) -> bool {
    let w = w.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | '<' | '>'));
    let lower = w.to_ascii_lowercase();
    w.starts_with('@')
        || lower.contains("://")
        || lower.starts_with("www.")
        || EMAIL.as_ref().is_some_and(|re| re.is_match(w))
}

/// True when a piece looks like a person's (or organisation's) name.
fn keep_name(p: &str, max_chars: usize) -> bool {
    if p.is_empty() || p.chars().count() > max_chars || p.starts_with('@') {
        return false;
    }
    let lower = p.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || lower.starts_with("http") {
        return false;
    }
    if EMAIL.as_ref().is_some_and(|re| re.is_match(p)) {
        return false;
    }
    // at least one letter, and not mostly digits (dates, counts)
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    if letters < 2 || digits > 0 && p.split_whitespace().count() == 1 {
        return false;
    }
    // a single all-lowercase token with a `.`, `_` or `-` is a user name ("jane.doe", "jd-42")
    let single = p.split_whitespace().count() == 1;
    let username = single
        && !p.chars().any(char::is_uppercase)
        && (p.chars().any(|c| matches!(c, '.' | '_' | '-'))
            || p.chars().all(|c| c.is_ascii_lowercase()));
    !username && digits * 2 < letters && p.split_whitespace().count() <= 8
}

static URL_DATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/_.-]|$)").ok());

/// A `/YYYY/MM/DD/` (or `/YYYY-MM-DD`) date in a URL path, as `YYYY-MM-DD`.
pub fn url_date(url: &str) -> Option<String> {
    let path = url::Url::parse(url)
        .ok()
        .map(|u| u.path().to_string())
        .unwrap_or_else(|| url.to_string());
    let c = URL_DATE.as_ref()?.captures(&path)?;
    let y: i32 = c.get(1)?.as_str().parse().ok()?;
    let m: u32 = c.get(2)?.as_str().parse().ok()?;
    let d: u32 = c.get(3)?.as_str().parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

/// A short license name for a Creative Commons URL (`CC BY-SA 4.0`, `CC0 1.0`).
pub fn license_name(href: &str) -> Option<String> {
    let u = url::Url::parse(href.trim()).ok()?;
    if !u.host_str()?.ends_with("creativecommons.org") {
        return None;
    }
    let segs: Vec<&str> = u.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        ["licenses", kind, version, ..] => {
            Some(format!("CC {} {}", kind.to_ascii_uppercase(), version))
        }
        ["licenses", kind] => Some(format!("CC {}", kind.to_ascii_uppercase())),
        ["publicdomain", "zero", version, ..] => Some(format!("CC0 {version}")),
        ["publicdomain", "mark", version, ..] => Some(format!("Public Domain Mark {version}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seps() -> Vec<String> {
        [" | ", " - ", " – ", " » "]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn ar<'a>(p: &'a [String], c: &'a [String]) -> AuthorRules<'a> {
        AuthorRules {
            prefixes: p,
            conjunctions: c,
            max: 12,
            max_chars: 80,
            stopwords: &[],
            drop: &[],
            credentials: &[],
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("Rock &amp; Roll&#8217;s &#x2014; &bogus; a&b"),
            "Rock & Roll’s — &bogus; a&b"
        );
    }

    #[test]
    fn title_suffix_stripping() {
        let s = seps();
        assert_eq!(
            strip_site_suffix(
                "Putin meets Trump | The Duran",
                Some("The Duran"),
                None,
                &s,
                5,
                false
            ),
            "Putin meets Trump"
        );
        assert_eq!(
            strip_site_suffix(
                "Putin meets Trump - theduran.com",
                None,
                Some("theduran.com"),
                &s,
                5,
                false
            ),
            "Putin meets Trump"
        );
        assert_eq!(
            strip_site_suffix(
                "Daily Planet » Big story here",
                Some("Daily Planet"),
                None,
                &s,
                5,
                false
            ),
            "Big story here"
        );
        // strict mode keeps a non-matching part; loose mode drops a short tail
        assert_eq!(
            strip_site_suffix("Rust - a language for all", None, None, &s, 5, false),
            "Rust - a language for all"
        );
        assert_eq!(
            strip_site_suffix(
                "A long headline about things | Some Blog",
                None,
                None,
                &s,
                5,
                true
            ),
            "A long headline about things"
        );
        assert_eq!(
            strip_site_suffix(
                "A Story | Section | Paper",
                Some("Paper"),
                None,
                &s,
                5,
                true
            ),
            "A Story"
        );
        assert_eq!(
            title_suffix("A long headline about things | Some Blog", &s, 5).as_deref(),
            Some("Some Blog")
        );
        assert_eq!(title_suffix("Nothing to split", &s, 5), None);
    }

    #[test]
    fn title_part_matching_a_heading() {
        let s = seps();
        let h = vec!["Six Steps to Health".to_string()];
        assert_eq!(
            part_matching_heading("Six steps to health | Health Focus SA", &s, &h).as_deref(),
            Some("Six steps to health")
        );
        assert_eq!(
            part_matching_heading("AlignMerge - Six Steps to Health", &s, &h).as_deref(),
            Some("Six Steps to Health")
        );
        assert_eq!(part_matching_heading("Other | Thing", &s, &h), None);
    }

    #[test]
    fn authors_split_and_cleaned() {
        let p = strings(&["by", "von", "written by"]);
        let c = strings(&["and", "und"]);
        let r = ar(&p, &c);
        let (a, _) = normalize_authors(
            &strings(&[
                "By Jane Doe and John Roe",
                "Von Max Muster und Erika Muster",
            ]),
            &r,
            None,
            None,
        );
        assert_eq!(
            a,
            vec!["Jane Doe", "John Roe", "Max Muster", "Erika Muster"]
        );
        let (a, _) = normalize_authors(
            &strings(&["Ann Lee, bob@example.com; @annlee & https://x.com/ann | Carl Dee"]),
            &r,
            None,
            None,
        );
        assert_eq!(a, vec!["Ann Lee", "Carl Dee"]);
        let (a, site_only) = normalize_authors(
            &strings(&["Ann Lee", "The Paper"]),
            &r,
            Some("The Paper"),
            None,
        );
        assert_eq!((a, site_only), (vec!["Ann Lee".to_string()], false));
        let (a, site_only) =
            normalize_authors(&strings(&["The Paper"]), &r, Some("The Paper"), None);
        assert_eq!((a, site_only), (vec!["The Paper".to_string()], true));
        let cred = strings(&["md", "phd"]);
        let r2 = AuthorRules {
            credentials: &cred,
            ..ar(&p, &c)
        };
        let (a, _) = normalize_authors(
            &strings(&["Roy, Aniruddha", "Patel, Jyoti"]),
            &r2,
            None,
            None,
        );
        assert_eq!(a, vec!["Aniruddha Roy", "Jyoti Patel"]);
        let (a, _) = normalize_authors(&strings(&["Mo Hill, MD, PhD"]), &r2, None, None);
        assert_eq!(a, vec!["Mo Hill"]);
        // Unicode case mappings that change byte lengths never panic
        let (a, _) = normalize_authors(
            &strings(&["\u{212a}by Ann İİ", "İby x", "BY Kim Lee"]),
            &r,
            None,
            None,
        );
        assert_eq!(a.last().map(String::as_str), Some("Kim Lee"));
        let (a, _) = normalize_authors(
            &strings(&["Written by: Zoe Q.", "12/05/2020"]),
            &r,
            None,
            None,
        );
        assert_eq!(a, vec!["Zoe Q"]);
    }

    #[test]
    fn terms_split_and_dedupe() {
        assert_eq!(
            split_terms(["Latest,News", "news", " #G20 "], 10),
            vec!["Latest", "News", "G20"]
        );
        assert_eq!(split_terms(["a,b,c"], 2), vec!["a", "b"]);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            url_date("https://x.com/2024/05/17/slug/").as_deref(),
            Some("2024-05-17")
        );
        assert_eq!(
            url_date("https://x.com/news/2024-5-7-slug").as_deref(),
            Some("2024-05-07")
        );
        assert_eq!(url_date("https://x.com/2024/02/31/slug"), None);
        assert_eq!(url_date("https://x.com/p/123456/789"), None);
    }

    #[test]
    fn licenses() {
        assert_eq!(
            license_name("https://creativecommons.org/licenses/by-sa/4.0/").as_deref(),
            Some("CC BY-SA 4.0")
        );
        assert_eq!(
            license_name("http://creativecommons.org/publicdomain/zero/1.0/").as_deref(),
            Some("CC0 1.0")
        );
        assert_eq!(license_name("https://example.com/licenses/by/4.0/"), None);
    }
}
