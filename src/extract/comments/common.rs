//! Helpers shared by the comment adapters: scoped lookups that stay out of nested replies,
//! comment text with inline-link spans, numbers, ids and URLs.
//!
//! Why it exists: every adapter needs the same three things — find a field *of this item*
//! (not of a reply nested inside it), turn a text container into clean `\n`-joined paragraphs
//! without UI chrome, and read counters like "1,234" or "Liked by 21 people" — so they are
//! written once here, iteratively (pages can be 1500 levels deep).

use crate::dom::{is_non_rendered, name, Dom, NodeId, NodeSet};
use crate::extract::InlineLink;
use crate::select::Selector;

/// Declares a struct of compiled selectors read from one TOML table (all keys required,
/// unknown keys rejected).
macro_rules! selector_set {
    ($(#[$m:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone)]
        #[allow(missing_docs)]
        pub struct $name { $(pub $field: $crate::extract::comments::common::Pick),* }
        impl $name {
            /// Compiles `[comments.<section>]`.
            pub fn compile(
                t: &toml::Table,
                section: &str,
            ) -> Result<Self, $crate::settings::ConfigError> {
                let err = |m: String| $crate::settings::ConfigError::Section {
                    section: format!("comments.{section}"),
                    message: m,
                };
                let known: &[&str] = &[$(stringify!($field)),*];
                for k in t.keys() {
                    if !known.contains(&k.as_str()) {
                        return Err(err(format!("unknown key {k:?}")));
                    }
                }
                Ok(Self { $($field: {
                    let v = t.get(stringify!($field))
                        .ok_or_else(|| err(format!("missing key {:?}", stringify!($field))))?;
                    let s = v.as_str()
                        .ok_or_else(|| err(format!("{:?} must be a string", stringify!($field))))?;
                    $crate::extract::comments::common::Pick::parse(s)?
                }),* })
            }
        }
    };
}
pub(crate) use selector_set;

/// A selector list whose alternatives are also kept apart, so field lookups can honour their
/// order ("`.comment-author .fn`, then `.comment-author`") instead of document order.
#[derive(Debug, Clone)]
pub struct Pick {
    all: Selector,
    alts: Vec<Selector>,
}

impl Pick {
    /// Compiles `a, b, c`.
    pub fn parse(src: &str) -> Result<Self, crate::select::SelectorError> {
        let mut alts = Vec::new();
        let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
        for (i, c) in src.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '(' | '[') => depth += 1,
                (None, ')' | ']') => depth -= 1,
                (None, ',') if depth == 0 => {
                    alts.push(Selector::parse(&src[start..i])?);
                    start = i + 1;
                }
                _ => {}
            }
        }
        alts.push(Selector::parse(&src[start..])?);
        Ok(Pick {
            all: Selector::parse(src)?,
            alts,
        })
    }

    /// True when any alternative matches.
    pub fn matches(&self, dom: &Dom, n: NodeId) -> bool {
        self.all.matches(dom, n)
    }

    /// First match by alternative order, then document order.
    pub fn first(&self, dom: &Dom, root: NodeId) -> Option<NodeId> {
        self.alts.iter().find_map(|a| a.first(dom, root))
    }

    /// All matches in document order.
    pub fn all(&self, dom: &Dom, root: NodeId) -> Vec<NodeId> {
        self.all.all(dom, root)
    }

    /// Outermost matches in document order.
    pub fn outermost(&self, dom: &Dom, root: NodeId) -> Vec<NodeId> {
        self.all.outermost(dom, root)
    }

    /// Nearest inclusive ancestor matching any alternative.
    pub fn closest(&self, dom: &Dom, n: NodeId) -> Option<NodeId> {
        self.all.closest(dom, n)
    }
}

/// A set of item nodes, for "stay inside this item" lookups.
pub struct Scope<'a> {
    dom: &'a Dom,
    items: NodeSet,
}

impl<'a> Scope<'a> {
    /// A scope over these item elements.
    pub fn new(dom: &'a Dom, items: &[NodeId]) -> Self {
        let mut set = NodeSet::for_dom(dom);
        for &i in items {
            set.insert(i);
        }
        Scope { dom, items: set }
    }

    /// True when `n` is an item.
    pub fn is_item(&self, n: NodeId) -> bool {
        self.items.contains(n)
    }

    /// Descendants of `item` in order, not entering nested items.
    pub fn own(&self, item: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut it = self.dom.descendants(item);
        while let Some(n) = it.next() {
            if self.items.contains(n) {
                it.skip_subtree(n);
                continue;
            }
            if self.dom.is_element(n) {
                out.push(n);
            }
        }
        out
    }

    /// First own descendant of `item` matching `sel` (alternatives in order).
    pub fn first(&self, item: NodeId, sel: &Pick) -> Option<NodeId> {
        sel.alts.iter().find_map(|a| self.first_of(item, a))
    }

    fn first_of(&self, item: NodeId, sel: &Selector) -> Option<NodeId> {
        let mut it = self.dom.descendants(item);
        while let Some(n) = it.next() {
            if self.items.contains(n) {
                it.skip_subtree(n);
                continue;
            }
            if sel.matches(self.dom, n) {
                return Some(n);
            }
        }
        None
    }

    /// The first own match of every alternative of `sel`, in alternative order, deduplicated.
    pub fn each_first(&self, item: NodeId, sel: &Pick) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = Vec::new();
        for a in &sel.alts {
            if let Some(n) = self.first_of(item, a) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Short own text nodes of `item` (outside `except`) that read as a date: the fallback when
    /// a theme prints the date without any marker ("<strong>Ann</strong> June 5, 2020 at 9:00").
    pub fn loose_dates(
        &self,
        item: NodeId,
        except: Option<NodeId>,
        max_chars: usize,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let mut it = self.dom.descendants(item);
        while let Some(n) = it.next() {
            if self.items.contains(n) || Some(n) == except {
                it.skip_subtree(n);
                continue;
            }
            if let Some(t) = self.dom.tag(n) {
                if crate::dom::is_non_rendered(t) {
                    it.skip_subtree(n);
                }
                continue;
            }
            if self.dom.is_text(n) {
                let t = crate::dom::collapse_ws(self.dom.text(n));
                let t = t.trim_start_matches(['-', '|', '·', '•', '@', ',']).trim();
                if !t.is_empty()
                    && t.chars().count() <= max_chars
                    && crate::extract::dates::looks_like_date(t)
                {
                    out.push(t.to_string());
                    if out.len() >= 3 {
                        break;
                    }
                }
            }
        }
        out
    }

    /// True when `item` itself or an own descendant matches `sel`.
    pub fn has(&self, item: NodeId, sel: &Pick) -> bool {
        sel.matches(self.dom, item) || self.first_of(item, &sel.all).is_some()
    }

    /// Number of item ancestors of `n` (nesting depth).
    pub fn nesting(&self, n: NodeId) -> u32 {
        self.dom
            .ancestors(n)
            .filter(|&a| self.items.contains(a))
            .count() as u32
    }
}

/// The text of a comment body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BodyText {
    /// Paragraphs joined by `\n`.
    pub text: String,
    /// Text of quoted blocks (removed from `text`), joined by `\n`.
    pub quoted: Option<String>,
    /// `<a href>` spans in `text`.
    pub links: Vec<InlineLink>,
    /// Quote elements found (for attribution).
    pub quote_nodes: Vec<NodeId>,
}

/// What to leave out of a comment body.
pub struct TextOpts<'a> {
    /// Subtrees dropped entirely (UI chrome, nested items…).
    pub skip: &'a dyn Fn(NodeId) -> bool,
    /// Subtrees that quote another post: go to `quoted`.
    pub quote: &'a dyn Fn(NodeId) -> bool,
    /// Whole blocks dropped when they match (Reply, Like, "Liked by 3 people").
    pub ui_line: &'a regex::Regex,
}

fn is_block(dom: &Dom, n: NodeId) -> bool {
    matches!(
        dom.tag(n),
        Some(
            name::P
                | name::DIV
                | name::LI
                | name::UL
                | name::OL
                | name::BLOCKQUOTE
                | name::PRE
                | name::H1
                | name::H2
                | name::H3
                | name::H4
                | name::H5
                | name::H6
                | name::HR
                | name::TABLE
                | name::TR
                | name::DL
                | name::DT
                | name::DD
                | name::SECTION
                | name::ARTICLE
                | name::HEADER
                | name::FOOTER
                | name::FIGURE
                | name::FIGCAPTION
                | name::ADDRESS
                | name::DETAILS
                | name::SUMMARY
                | name::ASIDE
                | name::MAIN
                | name::NAV
                | name::FORM
                | name::FIELDSET
                | name::TD
                | name::TH
        )
    )
}

struct Acc<'r> {
    out: String,
    out_cp: usize,
    links: Vec<InlineLink>,
    cur: String,
    cur_cp: usize,
    cur_links: Vec<InlineLink>,
    open: Vec<(NodeId, usize, usize)>,
    ui_line: &'r regex::Regex,
}

impl Acc<'_> {
    fn push_text(&mut self, t: &str) {
        let before = self.cur.len();
        crate::dom::push_collapsed(&mut self.cur, t);
        self.cur_cp += self.cur[before..].chars().count();
    }

    fn push_raw_block(&mut self, t: &str) {
        self.flush();
        let t = t.trim_matches('\n').trim_end();
        if !t.is_empty() {
            self.cur.push_str(t);
            self.cur_cp = t.chars().count();
        }
        self.flush();
    }

    fn open_link(&mut self, n: NodeId) {
        self.open.push((n, self.cur_cp, self.cur.len()));
    }

    fn close_link(&mut self, n: NodeId) {
        let Some(pos) = self.open.iter().rposition(|o| o.0 == n) else {
            return;
        };
        let (node, mut start, mut byte) = self.open.remove(pos);
        if self.cur[byte.min(self.cur.len())..].starts_with(' ') {
            start += 1;
            byte += 1;
        }
        let mut end = self.cur_cp;
        if self.cur.ends_with(' ') && end > start {
            end -= 1;
        }
        if end > start && byte <= self.cur.len() {
            self.cur_links.push(InlineLink { node, start, end });
        }
    }

    fn flush(&mut self) {
        let tlen = self.cur.trim_end().len();
        let len_cp = self.cur[..tlen].chars().count();
        // Links still open continue in the next block.
        let reopen: Vec<NodeId> = self.open.iter().map(|o| o.0).collect();
        for &n in &reopen {
            self.close_link(n);
        }
        if len_cp > 0 && !self.ui_line.is_match(&self.cur[..tlen]) {
            if !self.out.is_empty() {
                self.out.push('\n');
                self.out_cp += 1;
            }
            for l in self.cur_links.drain(..) {
                let end = l.end.min(len_cp);
                if end > l.start {
                    self.links.push(InlineLink {
                        node: l.node,
                        start: l.start + self.out_cp,
                        end: end + self.out_cp,
                    });
                }
            }
            self.out.push_str(&self.cur[..tlen]);
            self.out_cp += len_cp;
        }
        self.cur.clear();
        self.cur_cp = 0;
        self.cur_links.clear();
        for n in reopen {
            self.open_link(n);
        }
    }
}

/// Collects the text of `root` as `\n`-joined blocks, with link spans; quoted subtrees go to
/// `quoted` instead. Iterative (enter/exit walk), allocation per block only.
pub fn body_text(dom: &Dom, root: NodeId, opts: &TextOpts<'_>) -> BodyText {
    let mut acc = Acc {
        out: String::new(),
        out_cp: 0,
        links: Vec::new(),
        cur: String::new(),
        cur_cp: 0,
        cur_links: Vec::new(),
        open: Vec::new(),
        ui_line: opts.ui_line,
    };
    let mut quoted: Vec<String> = Vec::new();
    let mut quote_nodes = Vec::new();
    let never = |_: NodeId| false;
    let mut cur = match dom.first_child(root) {
        Some(c) => c,
        None => return BodyText::default(),
    };
    loop {
        // enter
        let mut descend = false;
        if dom.is_text(cur) {
            acc.push_text(dom.text(cur));
        } else if let Some(tag) = dom.tag(cur) {
            if is_non_rendered(tag) || tag == name::BUTTON || tag == name::INPUT || (opts.skip)(cur)
            {
                // dropped
            } else if (opts.quote)(cur) {
                let q = body_text(
                    dom,
                    cur,
                    &TextOpts {
                        skip: opts.skip,
                        quote: &never,
                        ui_line: opts.ui_line,
                    },
                );
                if !q.text.is_empty() {
                    quoted.push(q.text);
                }
                quote_nodes.push(cur);
            } else if tag == name::BR {
                acc.flush();
            } else if tag == name::PRE {
                acc.push_raw_block(&dom.raw_text(cur));
            } else if tag == name::IMG {
                let emoji = dom.has_class(cur, "emoji") || dom.has_class(cur, "wp-smiley");
                if emoji {
                    if let Some(alt) = dom.attr_by(cur, name::ALT) {
                        acc.push_text(alt);
                    }
                }
            } else {
                if is_block(dom, cur) {
                    acc.flush();
                }
                if tag == name::A && dom.attr_by(cur, name::HREF).is_some() {
                    acc.open_link(cur);
                }
                descend = true;
            }
        }
        if descend {
            if let Some(c) = dom.first_child(cur) {
                cur = c;
                continue;
            }
        }
        // exit `cur` and climb until a next sibling exists
        loop {
            if dom.is_element(cur) {
                if dom.is(cur, name::A) {
                    acc.close_link(cur);
                }
                if is_block(dom, cur) {
                    acc.flush();
                }
            }
            if let Some(n) = dom.next_sibling(cur) {
                cur = n;
                break;
            }
            match dom.parent(cur) {
                Some(p) if p != root => cur = p,
                _ => {
                    acc.flush();
                    return BodyText {
                        text: acc.out,
                        quoted: (!quoted.is_empty()).then(|| quoted.join("\n")),
                        links: acc.links,
                        quote_nodes,
                    };
                }
            }
        }
    }
}

/// Collapsed text of an element, or None when empty.
pub fn text_of(dom: &Dom, n: NodeId) -> Option<String> {
    let t = dom.text_content(n);
    (!t.is_empty()).then_some(t)
}

/// Parses a counter: "21", "-3", "1,234", "1.2k", "Liked by 21 people" (first number).
pub fn parse_count(s: &str) -> Option<i64> {
    let mut s = s.trim();
    // Skip signs that are not followed by a number (iteratively: hostile input can be long).
    let (neg, rest) = loop {
        let start = s
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | '+' | '−'))?
            .0;
        let mut rest = &s[start..];
        let mut neg = false;
        if let Some(r) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('−')) {
            neg = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            rest = r;
        }
        let rest = rest.trim_start();
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            break (neg, rest);
        }
        let skip = s[start..].chars().next().map_or(1, char::len_utf8);
        s = &s[start + skip..];
    };
    let num: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let after = rest[num.len()..].trim_start();
    let mult = match after.chars().next() {
        Some('k' | 'K') => 1000.0,
        Some('m' | 'M') if !after.to_lowercase().starts_with("min") => 1_000_000.0,
        _ => 1.0,
    };
    let v = if mult > 1.0 {
        num.replace(',', ".").parse::<f64>().ok()? * mult
    } else {
        // thousands separators in either convention
        num.replace([',', '.'], "").parse::<f64>().ok()?
    };
    if !v.is_finite() || v.abs() > 9e15 {
        return None;
    }
    let v = v.round() as i64;
    Some(if neg { -v } else { v })
}

/// The digits after `prefix` in an id (`comment-123` → `123`).
pub fn id_number(id: &str, prefix: &str) -> Option<String> {
    let rest = id.strip_prefix(prefix)?;
    (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then(|| rest.to_string())
}

/// An absolute URL for an `href`, or None.
pub fn abs_url(href: Option<&str>, base: Option<&url::Url>) -> Option<String> {
    let h = href?.trim();
    if h.is_empty() || h.starts_with("javascript:") || h.starts_with("mailto:") {
        return None;
    }
    crate::urlnorm::absolutize(h, base).map(|u| u.to_string())
}

/// A date-carrying element: `datetime`/`content`/`title` attribute first, then text.
pub fn date_of(dom: &Dom, n: NodeId) -> (Option<String>, Option<String>) {
    let attr = [
        dom.attr_by(n, name::DATETIME),
        dom.attr_by(n, name::CONTENT),
        dom.attr(n, "title"),
        dom.attr(n, "data-time"),
        dom.attr(n, "data-timestamp"),
        dom.attr(n, "data-date"),
        dom.attr(n, "pubdate"),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|s| !s.is_empty())
    .map(str::to_string);
    let text = text_of(dom, n);
    (attr, text)
}

/// "Ann on June 5, 2020 at 9:00 am" → "Ann": a date printed after the name in the same element.
pub fn strip_date_tail(s: &str) -> &str {
    const SEPS: &[&str] = &[
        " on ", " am ", " um ", " le ", " el ", " il ", " op ", " | ", " - ", " – ", " — ", " · ",
        " • ", ", ", " ",
    ];
    for sep in SEPS {
        // Rightmost split first: the shortest tail that is a date.
        let mut end = s.len();
        while let Some(at) = s[..end].rfind(sep) {
            let (head, tail) = (&s[..at], &s[at + sep.len()..]);
            if !head.trim().is_empty() && crate::extract::dates::looks_like_date(tail.trim()) {
                return head.trim_end();
            }
            end = at;
        }
    }
    s
}

/// Strips a trailing "says:"-like word from an author name and trims punctuation.
pub fn clean_author(s: &str, says: &regex::Regex) -> Option<String> {
    let s = s.trim().trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '↑' | '↗' | '»' | '›' | '→' | '▲' | '▼' | '⬆')
    });
    let s = strip_date_tail(s);
    let t = says.replace(s, "");
    let t = t.trim().trim_end_matches([':', ',']).trim();
    (!t.is_empty() && t.chars().count() <= 120).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    fn dom(html: &str) -> Dom {
        parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap()
    }

    #[test]
    fn body_text_joins_paragraphs_and_spans_links() {
        let d = dom(
            "<div id=c><p>Hello <a href='/x'> big world </a>!</p><p>Second<br>line</p>\
                     <div class=reply><a href='#'>Reply</a></div><p>Reply</p></div>",
        );
        let root = d.find(0, |n| d.id_attr(n) == Some("c")).unwrap();
        let re = regex::Regex::new("^(?i:reply)$").unwrap();
        let skip = |n: NodeId| d.has_class(n, "reply");
        let no = |_: NodeId| false;
        let b = body_text(
            &d,
            root,
            &TextOpts {
                skip: &skip,
                quote: &no,
                ui_line: &re,
            },
        );
        assert_eq!(b.text, "Hello big world !\nSecond\nline");
        assert_eq!(b.links.len(), 1);
        let chars: Vec<char> = b.text.chars().collect();
        let l = &b.links[0];
        assert_eq!(
            chars[l.start..l.end].iter().collect::<String>(),
            "big world"
        );
    }

    #[test]
    fn quotes_are_separated() {
        let d = dom("<div id=c><blockquote><p>old text</p></blockquote><p>new text</p></div>");
        let root = d.find(0, |n| d.id_attr(n) == Some("c")).unwrap();
        let re = regex::Regex::new("^$").unwrap();
        let no = |_: NodeId| false;
        let q = |n: NodeId| d.is(n, name::BLOCKQUOTE);
        let b = body_text(
            &d,
            root,
            &TextOpts {
                skip: &no,
                quote: &q,
                ui_line: &re,
            },
        );
        assert_eq!(b.text, "new text");
        assert_eq!(b.quoted.as_deref(), Some("old text"));
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("21"), Some(21));
        assert_eq!(parse_count("-3"), Some(-3));
        assert_eq!(parse_count("Liked by 1,234 people"), Some(1234));
        assert_eq!(parse_count("1.2k"), Some(1200));
        assert_eq!(parse_count("none"), None);
        assert_eq!(parse_count("− 4"), Some(-4));
        assert_eq!(parse_count(&"-".repeat(100_000)), None);
        assert_eq!(parse_count("’ 7"), Some(7));
        assert_eq!(id_number("comment-12", "comment-").as_deref(), Some("12"));
        assert_eq!(id_number("comment-x", "comment-"), None);
        assert_eq!(strip_date_tail("Ann on June 5, 2020 at 9:00 am"), "Ann");
        assert_eq!(strip_date_tail("Ann Lee | 5. Juni 2020"), "Ann Lee");
        assert_eq!(strip_date_tail("Ann Lee 3 hours ago"), "Ann Lee");
        assert_eq!(strip_date_tail("Mary May"), "Mary May");
    }
}
