//! Article metadata (SCHEMA §6.1, §6.3): URL, title, authors, dates, site, language, taxonomy.
//!
//! Why it exists: structured data first (JSON-LD with `@graph` and `@id` references), meta tags
//! next (OpenGraph, `article:*`, Twitter, Dublin Core, `itemprop`), DOM heuristics last, and the
//! winning source of every field recorded in `meta_sources`. The precedence of every field is
//! data (`config/metadata.toml`, lists of source names); this module resolves each source name
//! to a value and keeps the first usable one.
//!
//! * [`jsonld`]: lenient parsing, `@graph` flattening, `@id` resolution, the main node;
//! * [`meta`]: `<meta>` tags and `itemprop` microdata;
//! * [`dom`]: DOM fallbacks (h1, bylines, times, taxonomy links, licence, images);
//! * [`url`]: the article URL and its trust (§6.1);
//! * [`clean`]: normalisation (authors, title suffixes, term lists, URL dates).

pub mod clean;
pub mod dom;
pub mod jsonld;
pub mod meta;
pub mod url;

use regex::Regex;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::dates::{date_part, parse_date, DateHints};
use super::{SourceInfo, Warning};
use crate::dom::{name, Dom};
use crate::select::Selector;
use crate::settings::{ConfigError, Rules};
use clean::AuthorRules;
use jsonld::JsonLd;
use meta::{MetaTags, Microdata};

/// Article-level metadata, each field with its winning source in `sources`.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// Best absolute URL of the article (§6.1 trust order), if any.
    pub url: Option<String>,
    /// `canonical`, `og_url`, `jsonld_url`, `saved_url` or `content`.
    pub id_basis: String,
    pub title: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    /// ISO 8601.
    pub published_at: Option<String>,
    /// ISO 8601.
    pub modified_at: Option<String>,
    /// Raw declared language (`en-US`).
    pub language_declared: Option<String>,
    /// Lowercased JSON-LD `@type` of the main node, else `og:type`.
    pub schema_type: Option<String>,
    pub section: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub lead_image: Option<String>,
    pub license: Option<String>,
    /// JSON-LD `commentCount` of the main node.
    pub comment_count_declared: Option<i64>,
    /// Every JSON-LD node, `@graph` flattened (for comments and product text).
    pub jsonld: Vec<Value>,
    /// field -> winning source.
    pub sources: Map<String, Value>,
    /// Warnings (`w_no_url`, `w_canonical_suspect`, `w_date_unparsed`).
    pub warnings: Vec<super::Warning>,
    /// True when the page declares itself an article (article-family JSON-LD main node,
    /// `og:type` article, or `article:published_time`).
    pub is_article: bool,
    /// The publication date string as found when it could not be parsed.
    pub published_raw: Option<String>,
}

/// `<base href>` of the document, if any.
pub fn base_href(dom: &Dom) -> Option<String> {
    let b = dom.find(dom.root(), |n| {
        dom.is(n, name::BASE) && dom.attr_by(n, name::HREF).is_some()
    })?;
    dom.attr_by(b, name::HREF).map(|s| s.trim().to_string())
}

/// `link[rel~=canonical]` href.
fn canonical_href(dom: &Dom) -> Option<String> {
    let n = dom.find(dom.root(), |n| {
        dom.is(n, name::LINK)
            && dom
                .attr_by(n, name::HREF)
                .is_some_and(|h| !h.trim().is_empty())
            && dom.attr_by(n, name::REL).is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("canonical"))
            })
    })?;
    dom.attr_by(n, name::HREF).map(|s| s.trim().to_string())
}

/// More `itemprop=author` values than this make the page a listing or a thread.
const MAX_MICRODATA_AUTHORS: usize = 3;

/// Everything the field resolvers read.
struct Ctx<'a> {
    dom: &'a Dom,
    rules: &'a MetaRules,
    ld: &'a JsonLd,
    /// The JSON-LD main node, else the WebPage node.
    node: Option<&'a Value>,
    /// True when `node` is a real main node (not the WebPage fallback).
    node_is_main: bool,
    meta: &'a MetaTags,
    micro: &'a Microdata,
    source: &'a SourceInfo,
    /// Base for resolving relative URLs (`<base href>` over the article URL).
    base: Option<::url::Url>,
    host: Option<String>,
    url: Option<String>,
    /// The page prepared for DOM rules, built on first use.
    page: std::cell::OnceCell<dom::Page<'a>>,
}

impl<'a> Ctx<'a> {
    /// The page prepared for the DOM rules.
    fn page(&self) -> &dom::Page<'a> {
        self.page
            .get_or_init(|| dom::Page::new(self.dom, self.rules))
    }

    /// The JSON-LD value of a `jsonld:` or `jsonld_type:` source.
    fn ld_value(&self, src: &Source) -> Option<&Value> {
        match src {
            Source::JsonLd(path) => self.node.and_then(|n| self.ld.get(n, path)),
            Source::JsonLdType(ty, path) => {
                self.ld.first_of_type(ty).and_then(|n| self.ld.get(n, path))
            }
            _ => None,
        }
    }

    /// Text values of a source that yields plain strings (JSON-LD text, meta, microdata).
    fn texts(&self, src: &Source) -> Vec<String> {
        match src {
            Source::JsonLd(_) | Source::JsonLdType(..) => self
                .ld_value(src)
                .map(|v| ld_texts(self.ld, v))
                .unwrap_or_default(),
            Source::Meta(k) => self.meta.all(k).map(str::to_string).collect(),
            Source::Microdata(k) => self.micro.all(k).map(str::to_string).collect(),
            _ => Vec::new(),
        }
    }

    fn absolutize(&self, s: &str) -> Option<String> {
        crate::urlnorm::absolutize(s, self.base.as_ref()).map(|u| u.to_string())
    }
}

/// The strings of a JSON-LD value: a string, a number, an object's `name`/`@value`/`url`, or
/// each of those in an array (references resolved, entities decoded).
fn ld_texts(ld: &JsonLd, v: &Value) -> Vec<String> {
    let one = |v: &Value| -> Option<String> {
        let v = ld.resolve(v);
        let s = match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(o) => ["name", "@value", "url", "contentUrl"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_string)),
            _ => None,
        }?;
        let s = clean::decode_entities(&s);
        (!s.is_empty()).then_some(s)
    };
    match v {
        Value::Array(a) => a.iter().filter_map(one).collect(),
        v => one(v).into_iter().collect(),
    }
}

/// People in a JSON-LD `author` value: (persons, organisations).
fn ld_people(ld: &JsonLd, v: &Value, org_types: &[String]) -> (Vec<String>, Vec<String>) {
    let mut persons = Vec::new();
    let mut orgs = Vec::new();
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    for it in items {
        let it = ld.resolve(it);
        match it {
            Value::String(s) => persons.push(s.clone()),
            Value::Object(o) => {
                let name = o
                    .get("name")
                    .and_then(|n| ld_texts(ld, n).into_iter().next())
                    .or_else(|| {
                        let g = o.get("givenName").and_then(Value::as_str).unwrap_or("");
                        let f = o.get("familyName").and_then(Value::as_str).unwrap_or("");
                        let full = format!("{g} {f}");
                        let full = full.trim();
                        (!full.is_empty()).then(|| full.to_string())
                    });
                let Some(name) = name else { continue };
                if jsonld::types(it).iter().any(|t| org_types.contains(t)) {
                    orgs.push(name);
                } else {
                    persons.push(name);
                }
            }
            _ => {}
        }
    }
    (persons, orgs)
}

/// Extracts the metadata of a page.
pub fn extract(dom: &Dom, source: &SourceInfo, rules: &Rules) -> Metadata {
    let r = &rules.metadata;
    let mut m = Metadata::default();
    let ld = jsonld::collect(dom);
    let meta = MetaTags::collect(dom);
    let micro = Microdata::collect(dom, &r.microdata_props, &r.discard);

    // --- the main node needs the canonical URL, the URL choice needs the main node
    let base_decl = base_href(dom).and_then(|b| ::url::Url::parse(&b).ok());
    let saved_base = source
        .saved_url
        .as_deref()
        .or(source.path_url.as_deref())
        .and_then(|s| ::url::Url::parse(s).ok());
    let pre_base = base_decl.clone().or_else(|| saved_base.clone());
    let canonical = canonical_href(dom);
    let canonical_key = canonical
        .as_deref()
        .and_then(|c| crate::urlnorm::absolutize(c, pre_base.as_ref()))
        .and_then(|u| crate::urlnorm::url_key(&u));
    let main = ld.main_node(
        &r.cfg.article_types,
        &r.cfg.other_main_types,
        canonical_key.as_deref(),
    );
    let node = main
        .as_ref()
        .map(|(n, _)| *n)
        .or_else(|| r.cfg.page_types.iter().find_map(|t| ld.first_of_type(t)));
    let og_type = meta.first("og:type").map(|t| t.trim().to_ascii_lowercase());
    m.is_article = main
        .as_ref()
        .is_some_and(|(_, t)| r.cfg.article_types.contains(t))
        || og_type
            .as_deref()
            .is_some_and(|t| r.cfg.article_og_types.iter().any(|a| a == t))
        || meta.first("article:published_time").is_some();
    m.schema_type = main.as_ref().map(|(_, t)| t.clone()).or(og_type);
    if m.schema_type.is_some() {
        let src = if main.is_some() {
            "jsonld:@type"
        } else {
            "meta:og:type"
        };
        m.sources.insert("schema_type".into(), Value::from(src));
    }

    // --- URL (§6.1)
    let jsonld_url = main.as_ref().and_then(|(n, _)| {
        ["url", "mainEntityOfPage"].iter().find_map(|k| {
            ld.get(n, k).and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o
                    .get("@id")
                    .or_else(|| o.get("url"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                _ => None,
            })
        })
    });
    let declared = url::Declared {
        canonical,
        og_url: meta.first("og:url").map(str::to_string),
        jsonld_url,
    };
    let choice = url::choose(
        &declared,
        source,
        base_decl.as_ref(),
        m.is_article,
        &r.listing,
    );
    m.url = choice.url.clone();
    m.id_basis = choice.id_basis.to_string();
    if let Some(s) = choice.source {
        m.sources.insert("url".into(), Value::from(s));
    }
    if !choice.rejected.is_empty() {
        let detail: Vec<Value> = choice
            .rejected
            .iter()
            .map(|x| serde_json::json!({"basis": x.basis, "value": x.value, "reason": x.reason}))
            .collect();
        m.warnings.push(Warning {
            code: "w_canonical_suspect",
            stage: "metadata",
            message: format!(
                "declared URL rejected ({}): {}",
                choice.rejected[0].reason, choice.rejected[0].value
            ),
            detail: Some(serde_json::json!({ "rejected": detail, "chosen": choice.url })),
        });
    }
    if m.url.is_none() {
        m.warnings.push(Warning {
            code: "w_no_url",
            stage: "metadata",
            message: "no trustworthy URL: the article id is derived from the file content".into(),
            detail: None,
        });
    }
    let page_url = m.url.as_deref().and_then(|u| ::url::Url::parse(u).ok());
    let base = match (&base_decl, &page_url) {
        (Some(b), _) => Some(b.clone()),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => base_href(dom)
            .and_then(|b| saved_base.as_ref().and_then(|s| s.join(&b).ok()))
            .or(saved_base),
    };
    let host = page_url
        .as_ref()
        .and_then(|u| u.host_str())
        .map(|h| h.trim_start_matches("www.").to_ascii_lowercase());

    let cx = Ctx {
        dom,
        rules: r,
        ld: &ld,
        node,
        node_is_main: main.is_some(),
        meta: &meta,
        micro: &micro,
        source,
        base,
        host,
        url: m.url.clone(),
        page: std::cell::OnceCell::new(),
    };
    let html_title = dom
        .find(dom.root(), |n| dom.is(n, name::TITLE) && !dom.is_foreign(n))
        .map(|t| dom.text_content(t))
        .filter(|t| !t.is_empty());

    site_name(&cx, &mut m, html_title.as_deref());
    title(&cx, &mut m, html_title.as_deref());
    description(&cx, &mut m);
    authors(&cx, &mut m);
    dates(&cx, &mut m);
    language(&cx, &mut m);
    lead_image(&cx, &mut m);
    taxonomy(&cx, &mut m);
    license(&cx, &mut m);
    m.comment_count_declared = main.as_ref().and_then(|(n, _)| comment_count(&ld, n));
    if m.comment_count_declared.is_some() {
        m.sources.insert(
            "comment_count_declared".into(),
            Value::from("jsonld:commentCount"),
        );
    }
    m.jsonld = ld.top.clone();
    m
}

fn record(m: &mut Metadata, field: &str, src: &str) {
    m.sources.insert(field.into(), Value::from(src));
}

fn site_name(cx: &Ctx<'_>, m: &mut Metadata, html_title: Option<&str>) {
    for src in &cx.rules.site_name {
        let v = match &src.kind {
            Source::HtmlTitleSuffix => html_title.and_then(|t| {
                clean::title_suffix(
                    t,
                    &cx.rules.cfg.title_separators,
                    cx.rules.cfg.site_suffix_max_words,
                )
            }),
            Source::Host => cx.host.clone(),
            k => cx.texts(k).into_iter().next().map(|s| {
                if src.name == "meta:twitter:site" {
                    s.trim_start_matches('@').to_string()
                } else {
                    s
                }
            }),
        };
        if let Some(v) = v
            .map(|v| clean::decode_entities(&v))
            .filter(|v| !v.is_empty() && v.chars().count() <= 100)
        {
            m.site_name = Some(v);
            record(m, "site_name", &src.name);
            return;
        }
    }
}

fn title(cx: &Ctx<'_>, m: &mut Metadata, html_title: Option<&str>) {
    let r = cx.rules;
    let suffix = html_title
        .and_then(|t| clean::title_suffix(t, &r.cfg.title_separators, r.cfg.site_suffix_max_words));
    let strip = |t: &str, loose: bool| {
        let seps = &r.cfg.title_separators;
        let max = r.cfg.site_suffix_max_words;
        let t = clean::strip_site_suffix(
            t,
            m.site_name.as_deref(),
            cx.host.as_deref(),
            seps,
            max,
            loose,
        );
        clean::strip_site_suffix(&t, suffix.as_deref(), None, seps, max, false)
    };
    let page = cx.page();
    let h1 = dom::only_h1(page);
    let entry = dom::entry_title(page);
    let mut headings = dom::h1_texts(page);
    headings.extend(entry.clone());
    let mut found: Option<(String, &str)> = None;
    let mut site_only: Option<(String, &str)> = None;
    for src in &r.title {
        let v = match &src.kind {
            Source::Dom(DomRule::H1) => h1.clone(),
            Source::Dom(DomRule::EntryTitle) => entry.clone(),
            Source::HtmlTitle => html_title.map(|t| {
                clean::part_matching_heading(t, &r.cfg.title_separators, &headings)
                    .unwrap_or_else(|| strip(t, true))
            }),
            Source::JsonLd(_) if !cx.node_is_main => None,
            k => cx.texts(k).into_iter().next().map(|t| {
                clean::part_matching_heading(&t, &r.cfg.title_separators, &headings)
                    .unwrap_or_else(|| strip(&t, false))
            }),
        };
        let Some(v) = v.filter(|v| !v.is_empty()) else {
            continue;
        };
        // a "title" that is just the site's name (a logo h1) is kept only if nothing else comes
        if clean::is_site_name(&v, m.site_name.as_deref(), cx.host.as_deref()) {
            site_only.get_or_insert((v, &src.name));
            continue;
        }
        found = Some((v, &src.name));
        break;
    }
    if found.is_none() {
        found = site_only;
    }
    // a truncated JSON-LD headline loses to og:title
    if let Some((t, s)) = &found {
        if s.starts_with("jsonld:") {
            let reference = h1.clone().or_else(|| entry.clone());
            let og = cx.meta.first("og:title").map(|o| strip(o, false));
            if let (Some(h), Some(og)) = (reference, og) {
                let (tl, hl) = (t.chars().count() as f64, h.chars().count() as f64);
                if hl >= tl * r.cfg.headline_truncated_ratio
                    && og.chars().count() > t.chars().count()
                {
                    found = Some((og, "meta:og:title"));
                }
            }
        }
    }
    if let Some((t, s)) = found {
        let s = s.to_string();
        m.title = Some(t);
        record(m, "title", &s);
    }
}

fn description(cx: &Ctx<'_>, m: &mut Metadata) {
    for src in &cx.rules.description {
        if let Some(v) = cx.texts(&src.kind).into_iter().next() {
            m.description = Some(clean::decode_entities(&v));
            record(m, "description", &src.name);
            return;
        }
    }
}

fn authors(cx: &Ctx<'_>, m: &mut Metadata) {
    let r = cx.rules;
    let ar = AuthorRules {
        prefixes: &r.cfg.author_prefixes,
        conjunctions: &r.cfg.author_conjunctions,
        max: r.cfg.max_authors,
        max_chars: r.cfg.max_author_chars,
        stopwords: &r.cfg.author_stopwords,
        drop: &r.author_drop,
        credentials: &r.cfg.author_credentials,
    };
    let site = m.site_name.clone();
    let norm =
        |raw: &[String]| clean::normalize_authors(raw, &ar, site.as_deref(), cx.host.as_deref());
    // weak results (organisations only, the site's own name) are kept until nothing better
    let mut weak: Option<(Vec<String>, String)> = None;
    for src in &r.authors {
        let (raws, orgs): (Vec<Vec<String>>, Vec<String>) = match &src.kind {
            k @ (Source::JsonLd(_) | Source::JsonLdType(..)) => match cx.ld_value(k) {
                Some(v) => {
                    let (p, o) = ld_people(cx.ld, v, &r.cfg.organization_types);
                    (vec![p], o)
                }
                None => continue,
            },
            // a product or other non-article main node has no byline in its chrome
            Source::Dom(_) if cx.node_is_main && !m.is_article => continue,
            Source::Dom(DomRule::Byline) => (dom::bylines(cx.page()), Vec::new()),
            Source::Dom(DomRule::BylineLabel) => (dom::labelled_bylines(cx.page()), Vec::new()),
            // many itemprop=author values are a listing's or a thread's, not the page's
            Source::Microdata(k) if cx.micro.all(k).count() > MAX_MICRODATA_AUTHORS => continue,
            k => {
                // a meta author must look like a name: drop URLs and single tokens
                let vals: Vec<String> = cx
                    .texts(k)
                    .into_iter()
                    .filter(|v| v.trim().contains(' ') || v.contains(','))
                    .collect();
                (vec![vals], Vec::new())
            }
        };
        for raw in raws {
            let (names, site_only) = norm(&raw);
            if names.is_empty() {
                continue;
            }
            if site_only {
                weak.get_or_insert((names, src.name.clone()));
                continue;
            }
            m.authors = names;
            record(m, "authors", &src.name);
            return;
        }
        if !orgs.is_empty() {
            let (names, _) = norm(&orgs);
            if !names.is_empty() {
                weak.get_or_insert((names, src.name.clone()));
            }
        }
    }
    if let Some((names, s)) = weak {
        m.authors = names;
        record(m, "authors", &s);
    }
}

/// Tries date candidates in order; the first that parses within bounds wins. Unparsed strings
/// are remembered for `w_date_unparsed`.
fn first_date(
    cx: &Ctx<'_>,
    sources: &[NamedSource],
    published: Option<&str>,
    unparsed: &mut Option<(String, String)>,
) -> Option<(String, String)> {
    let hints = DateHints {
        captured_at: cx.source.captured_at.as_deref(),
        article_date: published,
    };
    for src in sources {
        let raws: Vec<String> = match &src.kind {
            Source::Dom(DomRule::Time) => dom::published_times(cx.page()),
            Source::Dom(DomRule::TimeModified) => dom::modified_times(cx.page()),
            Source::Dom(DomRule::DateText) => dom::date_texts(cx.page()),
            Source::Dom(DomRule::DateScan) => {
                dom::date_scan(cx.page(), cx.rules.cfg.date_scan_text_nodes)
            }
            Source::UrlDate => cx
                .url
                .iter()
                .chain(cx.source.saved_url.iter())
                .filter_map(|u| clean::url_date(u))
                .collect(),
            k => cx.texts(k),
        };
        let is_text = matches!(src.kind, Source::Dom(DomRule::DateText | DomRule::DateScan));
        for raw in raws {
            match parse_date(&raw, &hints) {
                Some(d) if cx.rules.in_bounds(&d.iso, cx.source.captured_at.as_deref()) => {
                    return Some((as_written(&raw).unwrap_or(d.iso), src.name.clone()));
                }
                Some(_) => {}
                // free text near the title is often not a date at all
                None if !is_text => {
                    unparsed.get_or_insert((raw, src.name.clone()));
                }
                None => {}
            }
        }
    }
    None
}

/// A full RFC 3339 timestamp is kept as the page wrote it (its own offset notation).
fn as_written(raw: &str) -> Option<String> {
    let t = raw.trim();
    let t = match t.as_bytes().get(10) {
        Some(b' ' | b't') => format!("{}T{}", &t[..10], &t[11..]),
        _ => t.to_string(),
    };
    chrono::DateTime::parse_from_rfc3339(&t).ok().map(|_| t)
}

fn dates(cx: &Ctx<'_>, m: &mut Metadata) {
    let mut unparsed = None;
    if let Some((d, s)) = first_date(cx, &cx.rules.published, None, &mut unparsed) {
        m.published_at = Some(d);
        record(m, "published_at", &s);
    } else if let Some((raw, s)) = unparsed {
        m.warnings.push(Warning {
            code: "w_date_unparsed",
            stage: "metadata",
            message: format!("publication date not understood: {raw:?} ({s})"),
            detail: Some(serde_json::json!({"raw": raw, "source": s})),
        });
        m.published_raw = Some(raw);
    }
    let mut ignored = None;
    if let Some((d, s)) = first_date(
        cx,
        &cx.rules.modified,
        m.published_at.as_deref(),
        &mut ignored,
    ) {
        m.modified_at = Some(d);
        record(m, "modified_at", &s);
    }
}

fn language(cx: &Ctx<'_>, m: &mut Metadata) {
    for src in &cx.rules.language {
        let v = match &src.kind {
            Source::Dom(DomRule::HtmlLang) => dom::html_lang(cx.dom),
            k => cx.texts(k).into_iter().next(),
        };
        if let Some(v) = v
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() <= 35)
        {
            m.language_declared = Some(v);
            record(m, "language_declared", &src.name);
            return;
        }
    }
}

fn lead_image(cx: &Ctx<'_>, m: &mut Metadata) {
    for src in &cx.rules.lead_image {
        let v = match &src.kind {
            Source::Dom(DomRule::ImageSrc) => dom::image_src(cx.dom),
            Source::Dom(DomRule::ContentImage) => dom::content_image(cx.page()),
            k => cx.texts(k).into_iter().next(),
        };
        let v = v
            .and_then(|v| cx.absolutize(&v))
            .filter(|u| !dom::rejected_favicon(u));
        if let Some(v) = v {
            m.lead_image = Some(v);
            record(m, "lead_image", &src.name);
            return;
        }
    }
}

fn taxonomy(cx: &Ctx<'_>, m: &mut Metadata) {
    let max = cx.rules.cfg.max_terms;
    let terms = |src: &NamedSource| -> Vec<String> {
        let raw = match &src.kind {
            Source::Dom(DomRule::CategoryLinks) => dom::category_links(cx.page()),
            Source::Dom(DomRule::TagLinks) => dom::tag_links(cx.page()),
            k => cx.texts(k),
        };
        clean::split_terms(raw.iter().map(String::as_str), max)
    };
    for src in &cx.rules.section {
        if let Some(s) = terms(src).into_iter().next() {
            m.section = Some(s);
            record(m, "section", &src.name);
            break;
        }
    }
    for src in &cx.rules.categories {
        let t = terms(src);
        if !t.is_empty() {
            m.categories = t;
            record(m, "categories", &src.name);
            break;
        }
    }
    for src in &cx.rules.tags {
        let t = terms(src);
        if !t.is_empty() {
            m.tags = t;
            record(m, "tags", &src.name);
            break;
        }
    }
}

fn license(cx: &Ctx<'_>, m: &mut Metadata) {
    for src in &cx.rules.license {
        let v = match &src.kind {
            Source::Dom(DomRule::LicenseLink) => dom::license_link(cx.dom, cx.rules),
            k => cx
                .texts(k)
                .into_iter()
                .next()
                .map(|l| clean::license_name(&l).unwrap_or(l)),
        };
        if let Some(v) = v {
            m.license = Some(v);
            record(m, "license", &src.name);
            return;
        }
    }
}

/// JSON-LD `commentCount` (number or numeric string), else a `CommentAction` interaction count.
fn comment_count(ld: &JsonLd, n: &Value) -> Option<i64> {
    let num = |v: &Value| match v {
        Value::Number(x) => x.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if let Some(c) = ld.get(n, "commentCount").and_then(num) {
        return (c >= 0).then_some(c);
    }
    let stats = ld.get(n, "interactionStatistic")?;
    let items: Vec<&Value> = match stats {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    items.into_iter().find_map(|s| {
        let t = ld_texts(ld, s.get("interactionType")?).join(" ");
        if t.contains("Comment") {
            s.get("userInteractionCount")
                .and_then(num)
                .filter(|&c| c >= 0)
        } else {
            None
        }
    })
}

/// A DOM heuristic named in the precedence lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DomRule {
    H1,
    EntryTitle,
    Byline,
    BylineLabel,
    Time,
    TimeModified,
    DateText,
    DateScan,
    CategoryLinks,
    TagLinks,
    LicenseLink,
    ContentImage,
    ImageSrc,
    HtmlLang,
}

/// A parsed source name.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    JsonLd(String),
    JsonLdType(String, String),
    Meta(String),
    Microdata(String),
    Dom(DomRule),
    HtmlTitle,
    HtmlTitleSuffix,
    Host,
    UrlDate,
}

/// A source with the name recorded in `meta_sources`.
#[derive(Clone, Debug)]
struct NamedSource {
    name: String,
    kind: Source,
}

/// Parses one source name; `allowed` lists the non-generic sources valid for the field.
fn parse_source(field: &str, s: &str, allowed: &[&str]) -> Result<NamedSource, ConfigError> {
    let err = |msg: &str| ConfigError::Section {
        section: "metadata".into(),
        message: format!("{field}: source {s:?}: {msg}"),
    };
    let kind = if let Some(p) = s.strip_prefix("jsonld_type:") {
        let (ty, path) = p
            .split_once('.')
            .ok_or_else(|| err("expected jsonld_type:<type>.<prop>"))?;
        Source::JsonLdType(ty.to_ascii_lowercase(), path.to_string())
    } else if let Some(p) = s.strip_prefix("jsonld:") {
        Source::JsonLd(p.to_string())
    } else if let Some(p) = s.strip_prefix("meta:") {
        Source::Meta(p.to_ascii_lowercase())
    } else if let Some(p) = s.strip_prefix("microdata:") {
        Source::Microdata(p.to_ascii_lowercase())
    } else {
        if !allowed.contains(&s) {
            return Err(err("unknown or not valid for this field"));
        }
        match s {
            "html:title" => Source::HtmlTitle,
            "html:title_suffix" => Source::HtmlTitleSuffix,
            "host" => Source::Host,
            "url:date" => Source::UrlDate,
            "dom:h1" => Source::Dom(DomRule::H1),
            "dom:entry_title" => Source::Dom(DomRule::EntryTitle),
            "dom:byline" => Source::Dom(DomRule::Byline),
            "dom:byline_label" => Source::Dom(DomRule::BylineLabel),
            "dom:time" => Source::Dom(DomRule::Time),
            "dom:time_modified" => Source::Dom(DomRule::TimeModified),
            "dom:date_text" => Source::Dom(DomRule::DateText),
            "dom:date_scan" => Source::Dom(DomRule::DateScan),
            "dom:category_links" => Source::Dom(DomRule::CategoryLinks),
            "dom:tag_links" => Source::Dom(DomRule::TagLinks),
            "dom:license_link" => Source::Dom(DomRule::LicenseLink),
            "dom:content_image" => Source::Dom(DomRule::ContentImage),
            "dom:image_src" => Source::Dom(DomRule::ImageSrc),
            "dom:html_lang" => Source::Dom(DomRule::HtmlLang),
            _ => return Err(err("unknown source")),
        }
    };
    if matches!(&kind, Source::JsonLd(p) | Source::Meta(p) | Source::Microdata(p) if p.is_empty()) {
        return Err(err("empty key"));
    }
    Ok(NamedSource {
        name: s.to_string(),
        kind,
    })
}

fn sources(
    field: &str,
    list: &[String],
    allowed: &[&str],
) -> Result<Vec<NamedSource>, ConfigError> {
    list.iter()
        .map(|s| parse_source(field, s, allowed))
        .collect()
}

/// The `[metadata]` section as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaConfig {
    article_types: Vec<String>,
    other_main_types: Vec<String>,
    page_types: Vec<String>,
    organization_types: Vec<String>,
    title_sources: Vec<String>,
    headline_truncated_ratio: f64,
    site_name_sources: Vec<String>,
    description_sources: Vec<String>,
    author_sources: Vec<String>,
    published_sources: Vec<String>,
    modified_sources: Vec<String>,
    language_sources: Vec<String>,
    lead_image_sources: Vec<String>,
    section_sources: Vec<String>,
    category_sources: Vec<String>,
    tag_sources: Vec<String>,
    license_sources: Vec<String>,
    min_date: String,
    max_days_after_capture: i64,
    author_prefixes: Vec<String>,
    author_conjunctions: Vec<String>,
    max_authors: usize,
    max_author_chars: usize,
    author_stopwords: Vec<String>,
    author_credentials: Vec<String>,
    author_drop_regexes: Vec<String>,
    byline_labels: Vec<String>,
    date_labels: Vec<String>,
    date_scan_text_nodes: usize,
    discard_selectors: Vec<String>,
    h1_ignore_selectors: Vec<String>,
    entry_title_selectors: Vec<String>,
    byline_selectors: Vec<String>,
    published_time_selectors: Vec<String>,
    modified_time_selectors: Vec<String>,
    date_text_selectors: Vec<String>,
    category_selectors: Vec<String>,
    category_link_selectors: Vec<String>,
    category_href_patterns: Vec<String>,
    tag_selectors: Vec<String>,
    tag_link_selectors: Vec<String>,
    tag_href_patterns: Vec<String>,
    max_terms: usize,
    license_selectors: Vec<String>,
    license_href_patterns: Vec<String>,
    content_image_containers: Vec<String>,
    image_reject_patterns: Vec<String>,
    min_image_px: u32,
    listing_path_regexes: Vec<String>,
    article_og_types: Vec<String>,
    title_separators: Vec<String>,
    site_suffix_max_words: usize,
}

/// Compiled `[metadata]` rules.
#[derive(Debug)]
pub struct MetaRules {
    cfg: MetaConfig,
    title: Vec<NamedSource>,
    site_name: Vec<NamedSource>,
    description: Vec<NamedSource>,
    authors: Vec<NamedSource>,
    published: Vec<NamedSource>,
    modified: Vec<NamedSource>,
    language: Vec<NamedSource>,
    lead_image: Vec<NamedSource>,
    section: Vec<NamedSource>,
    categories: Vec<NamedSource>,
    tags: Vec<NamedSource>,
    license: Vec<NamedSource>,
    /// Lowercase itemprops any list reads.
    microdata_props: Vec<String>,
    /// Min date (`YYYY-MM-DD`).
    min_date: chrono::NaiveDate,
    discard: Selector,
    h1_ignore: Selector,
    entry_title: Vec<Selector>,
    byline: Vec<Selector>,
    published_time: Vec<Selector>,
    modified_time: Vec<Selector>,
    date_text: Vec<Selector>,
    category: Selector,
    category_links: Selector,
    tag: Selector,
    tag_links: Selector,
    license_sel: Selector,
    /// `license_href_patterns` compiled (see [`MetaRules::is_license_href`]).
    license_hrefs: LowerContains,
    content_image_containers: Vec<Selector>,
    listing: Vec<Regex>,
    author_drop: Vec<Regex>,
}

impl MetaRules {
    /// Compiles the `[metadata]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let cfg: MetaConfig = crate::settings::section(table, "metadata")?;
        let lower = |v: &[String]| v.iter().map(|s| s.to_ascii_lowercase()).collect::<Vec<_>>();
        let each = |v: &[String]| -> Result<Vec<Selector>, ConfigError> {
            v.iter()
                .map(|s| Selector::parse(s).map_err(ConfigError::from))
                .collect()
        };
        let min_date =
            chrono::NaiveDate::parse_from_str(&cfg.min_date, "%Y-%m-%d").map_err(|e| {
                ConfigError::Section {
                    section: "metadata".into(),
                    message: format!("min_date: {e}"),
                }
            })?;
        let title = sources(
            "title_sources",
            &cfg.title_sources,
            &["dom:h1", "dom:entry_title", "html:title"],
        )?;
        let site_name = sources(
            "site_name_sources",
            &cfg.site_name_sources,
            &["html:title_suffix", "host"],
        )?;
        let description = sources("description_sources", &cfg.description_sources, &[])?;
        let authors = sources(
            "author_sources",
            &cfg.author_sources,
            &["dom:byline", "dom:byline_label"],
        )?;
        let published = sources(
            "published_sources",
            &cfg.published_sources,
            &["dom:time", "dom:date_text", "dom:date_scan", "url:date"],
        )?;
        let modified = sources(
            "modified_sources",
            &cfg.modified_sources,
            &["dom:time_modified"],
        )?;
        let language = sources(
            "language_sources",
            &cfg.language_sources,
            &["dom:html_lang"],
        )?;
        let lead_image = sources(
            "lead_image_sources",
            &cfg.lead_image_sources,
            &["dom:image_src", "dom:content_image"],
        )?;
        let section = sources("section_sources", &cfg.section_sources, &[])?;
        let categories = sources(
            "category_sources",
            &cfg.category_sources,
            &["dom:category_links"],
        )?;
        let tags = sources("tag_sources", &cfg.tag_sources, &["dom:tag_links"])?;
        let license = sources(
            "license_sources",
            &cfg.license_sources,
            &["dom:license_link"],
        )?;
        let mut microdata_props: Vec<String> = Vec::new();
        for s in [
            &title,
            &site_name,
            &description,
            &authors,
            &published,
            &modified,
            &language,
            &lead_image,
            &section,
            &categories,
            &tags,
            &license,
        ]
        .into_iter()
        .flatten()
        {
            if let Source::Microdata(p) = &s.kind {
                if !microdata_props.contains(p) {
                    microdata_props.push(p.clone());
                }
            }
        }
        let listing = cfg
            .listing_path_regexes
            .iter()
            .map(|s| Regex::new(s))
            .collect::<Result<Vec<_>, _>>()?;
        let author_drop = cfg
            .author_drop_regexes
            .iter()
            .map(|s| Regex::new(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MetaRules {
            author_drop,
            title,
            site_name,
            description,
            authors,
            published,
            modified,
            language,
            lead_image,
            section,
            categories,
            tags,
            license,
            microdata_props,
            min_date,
            discard: Selector::parse_list(&cfg.discard_selectors)?,
            h1_ignore: Selector::parse_list(&cfg.h1_ignore_selectors)?,
            entry_title: each(&cfg.entry_title_selectors)?,
            byline: each(&cfg.byline_selectors)?,
            published_time: each(&cfg.published_time_selectors)?,
            modified_time: each(&cfg.modified_time_selectors)?,
            date_text: each(&cfg.date_text_selectors)?,
            category: Selector::parse_list(&cfg.category_selectors)?,
            category_links: Selector::parse_list(&cfg.category_link_selectors)?,
            tag: Selector::parse_list(&cfg.tag_selectors)?,
            tag_links: Selector::parse_list(&cfg.tag_link_selectors)?,
            license_sel: Selector::parse_list(&cfg.license_selectors)?,
            license_hrefs: LowerContains::new(&lower(&cfg.license_href_patterns)),
            content_image_containers: each(&cfg.content_image_containers)?,
            listing,
            cfg: MetaConfig {
                article_types: lower(&cfg.article_types),
                other_main_types: lower(&cfg.other_main_types),
                page_types: lower(&cfg.page_types),
                organization_types: lower(&cfg.organization_types),
                author_prefixes: lower(&cfg.author_prefixes),
                author_conjunctions: lower(&cfg.author_conjunctions),
                author_stopwords: lower(&cfg.author_stopwords),
                author_credentials: lower(&cfg.author_credentials),
                byline_labels: lower(&cfg.byline_labels),
                date_labels: lower(&cfg.date_labels),
                article_og_types: lower(&cfg.article_og_types),
                category_href_patterns: lower(&cfg.category_href_patterns),
                tag_href_patterns: lower(&cfg.tag_href_patterns),
                license_href_patterns: lower(&cfg.license_href_patterns),
                image_reject_patterns: lower(&cfg.image_reject_patterns),
                ..cfg.clone()
            },
        })
    }

    /// True when `href.to_ascii_lowercase()` contains one of `license_href_patterns`.
    fn is_license_href(&self, href: &str) -> bool {
        self.license_hrefs.any_in(href)
    }

    /// True when a date lies in [min_date, captured_at + max_days_after_capture].
    fn in_bounds(&self, iso: &str, captured_at: Option<&str>) -> bool {
        let Some(d) =
            date_part(iso).and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        else {
            return false;
        };
        if d < self.min_date {
            return false;
        }
        let cap = captured_at
            .and_then(date_part)
            .and_then(|c| chrono::NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok());
        match cap {
            Some(c) => d <= c + chrono::Duration::days(self.cfg.max_days_after_capture),
            None => true,
        }
    }
}

/// A list of ASCII-lowercase patterns, each a prebuilt substring searcher: [`any_in`] is
/// `patterns.iter().any(|p| text.to_ascii_lowercase().contains(p))`, lowercasing only texts
/// that hold an ASCII capital.
///
/// [`any_in`]: LowerContains::any_in
#[derive(Debug)]
struct LowerContains {
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl LowerContains {
    fn new(patterns: &[String]) -> Self {
        LowerContains {
            finders: patterns
                .iter()
                .map(|p| memchr::memmem::Finder::new(p.as_bytes()).into_owned())
                .collect(),
        }
    }

    fn any_in(&self, text: &str) -> bool {
        if self.finders.is_empty() {
            return false;
        }
        let lower;
        let t = if text.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = text.to_ascii_lowercase();
            lower.as_str()
        } else {
            text
        };
        self.finders.iter().any(|f| f.find(t.as_bytes()).is_some())
    }
}

#[cfg(test)]
mod tests;
