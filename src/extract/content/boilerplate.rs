//! Boilerplate rules (SCHEMA §6.7): chrome containers dropped whole, and single blocks dropped
//! by phrase.
//!
//! Why it exists: the main container usually still holds share bars, comment forms, newsletter
//! boxes and plugin lines (the Patreon button message, "Leave a Reply", "Like this:"). Container
//! rules (tags, selectors, class/id fragments) catch the wrappers; phrase rules catch the lines
//! that sit directly in the body. All lists are data in `config/boilerplate.toml`, compiled once.

use serde::Deserialize;

use super::stats::{self, Stats};
use crate::dom::{name, Dom, Name, NodeId};
use crate::select::Selector;
use crate::settings::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BoilerConfig {
    discard_tags: Vec<String>,
    weak_tags: Vec<String>,
    chrome_tags: Vec<String>,
    discard_selectors: String,
    tab_strip_selectors: String,
    tab_panel_selectors: String,
    discard_tokens: Vec<String>,
    protect_share: f64,
    protect_max_link_density: f64,
    strong_tokens: Vec<String>,
    comment_selectors: String,
    taxonomy_prefixes: Vec<String>,
    weak_protect_paragraphs: u16,
    weak_protect_section_paragraphs: u16,
    weak_protect_max_link_density: f64,
    leaf_paragraph_chars: u32,
    weak_tag_protect_min_chars: u32,
    weak_tag_protect_min_chars_per_control: u32,
    block_phrases: Vec<String>,
    read_more_prefixes: Vec<String>,
    read_more_max_chars: usize,
    controlled_panels_open: bool,
}

/// How an element matched the chrome rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chrome {
    /// Not chrome.
    No,
    /// A class/id fragment only: overruled when the element holds several link-poor paragraphs
    /// (frameworks put words like `widget` on every block).
    Weak,
    /// A weak tag (`form`): like [`Chrome::Weak`], and also overruled when it holds much
    /// link-poor text however it is split (forum posts cut by `<br>`).
    WeakTag,
    /// A tag or hidden-markup rule (a mislabelled page wrapper is still protected by share).
    Strong,
    /// A reader-comment area: never the content whatever its size (comment threads can
    /// outweigh the article).
    Absolute,
}

/// Compiled `[boilerplate]` rules.
#[derive(Debug)]
pub struct BoilerRules {
    discard_tags: Vec<Name>,
    weak_tags: Vec<Name>,
    chrome_tags: Vec<Name>,
    selectors: Selector,
    tab_strips: Selector,
    tab_panels: Selector,
    tokens: Option<TokenSet>,
    strong_tokens: Option<TokenSet>,
    /// Both token lists in one ASCII automaton (strong first), when every token is ASCII.
    both: Option<BothTokens>,
    comments: Selector,
    taxonomy_prefixes: Vec<String>,
    /// An element holding at least this share of the container's text is never dropped.
    pub protect_share: f64,
    /// …unless more than this share of its text is link text (0–1): a huge tag cloud or archive
    /// list is still chrome.
    pub protect_max_link_density: f64,
    /// A weak (class/id) match holding at least this many paragraphs is not chrome…
    pub weak_protect_paragraphs: u16,
    /// …or this many when it also holds a sub-heading (`h2`–`h4`): a titled content section.
    pub weak_protect_section_paragraphs: u16,
    /// …when its link density is below this (0–1).
    pub weak_protect_max_link_density: f64,
    /// A text-only `div`/cell with at least this many visible characters counts as a paragraph.
    pub leaf_paragraph_chars: u32,
    /// A weak tag holding at least this many visible characters (and link-poor) is not chrome.
    pub weak_tag_protect_min_chars: u32,
    /// …and at least this many visible characters per visible form control.
    pub weak_tag_protect_min_chars_per_control: u32,
    phrases: PhraseSet,
    read_more_prefixes: Vec<String>,
    read_more_max_chars: usize,
    /// Hidden elements named by a disclosure control (`aria-controls` on an element with
    /// `aria-expanded`) are folded panels read like visible text ([`controlled_panels`]).
    pub controlled_panels_open: bool,
}

fn tag_names(list: &[String], section: &str) -> Result<Vec<Name>, ConfigError> {
    list.iter()
        .map(|t| {
            crate::dom::known_name(&t.to_ascii_lowercase()).ok_or_else(|| ConfigError::Section {
                section: section.into(),
                message: format!("unknown tag {t:?}"),
            })
        })
        .collect()
}

/// `["footer", "^shar"]` → one case-insensitive regex; `^x` anchors at a word start.
///
/// ASCII strings (nearly all class names and ids) are searched with an ASCII-case-folding
/// automaton instead, which gives the regex's answer (on ASCII text Unicode case folding and
/// `\s` reduce to their ASCII forms) at a fraction of the cost per string.
#[derive(Debug)]
struct TokenSet {
    re: regex::Regex,
    /// Over the tokens without their `^`; None when a token is not ASCII.
    ac: Option<aho_corasick::AhoCorasick>,
    /// Per token: must start the string or follow whitespace.
    anchored: Vec<bool>,
}

impl TokenSet {
    fn is_match(&self, s: &str) -> bool {
        match &self.ac {
            Some(ac) if s.is_ascii() => ac.find_overlapping_iter(s).any(|m| {
                !self
                    .anchored
                    .get(m.pattern().as_usize())
                    .copied()
                    .unwrap_or(false)
                    || m.start() == 0
                    || matches!(
                        s.as_bytes()[m.start() - 1],
                        b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' '
                    )
            }),
            _ => self.re.is_match(s),
        }
    }
}

/// One case-insensitive regex matching a whole text against any of `phrases` (each a regular
/// expression; the block-phrase lexicons of this module, product pages and related-section
/// headings); `None` for an empty list.
pub(crate) fn phrase_regex(phrases: &[String]) -> Result<Option<regex::Regex>, ConfigError> {
    if phrases.is_empty() {
        return Ok(None);
    }
    let alts: Vec<String> = phrases.iter().map(|p| format!("(?:{p})")).collect();
    Ok(Some(regex::Regex::new(&format!(
        "(?i)^(?:{})$",
        alts.join("|")
    ))?))
}

/// A phrase lexicon as [`phrase_regex`] compiles it, split in two regexes: the phrases with
/// word-boundary assertions (`\b`, `\B`) apart. Unicode word boundaries make the lazy DFA give
/// up on text with non-ASCII bytes, so one such phrase would slow the test of every block; the
/// union of the two answers is the answer of the single regex.
#[derive(Debug)]
pub(crate) struct PhraseSet {
    pub(crate) plain: Option<regex::Regex>,
    pub(crate) bounded: Option<regex::Regex>,
}

impl PhraseSet {
    pub(crate) fn compile(phrases: &[String]) -> Result<Self, ConfigError> {
        let (bounded, plain): (Vec<String>, Vec<String>) = phrases
            .iter()
            .cloned()
            .partition(|p| p.contains("\\b") || p.contains("\\B"));
        Ok(PhraseSet {
            plain: phrase_regex(&plain)?,
            bounded: phrase_regex(&bounded)?,
        })
    }

    /// True when no phrase is configured.
    pub(crate) fn is_empty(&self) -> bool {
        self.plain.is_none() && self.bounded.is_none()
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.plain.as_ref().is_some_and(|re| re.is_match(text))
            || self.bounded.as_ref().is_some_and(|re| re.is_match(text))
    }
}

fn token_regex(tokens: &[String]) -> Result<Option<TokenSet>, ConfigError> {
    if tokens.is_empty() {
        return Ok(None);
    }
    let alts: Vec<String> = tokens
        .iter()
        .map(|t| match t.strip_prefix('^') {
            Some(rest) => format!(r"(?:^|\s){}", regex::escape(rest)),
            None => regex::escape(t),
        })
        .collect();
    let re = regex::Regex::new(&format!("(?i){}", alts.join("|")))?;
    let bare: Vec<&str> = tokens
        .iter()
        .map(|t| t.strip_prefix('^').unwrap_or(t))
        .collect();
    let ac = if bare.iter().all(|t| t.is_ascii() && !t.is_empty()) {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&bare)
            .ok()
    } else {
        None
    };
    Ok(Some(TokenSet {
        re,
        ac,
        anchored: tokens.iter().map(|t| t.starts_with('^')).collect(),
    }))
}

/// The strong and the weak (discard) tokens in one ASCII-case-folding automaton, so that one
/// pass over a class or id string answers both lists.
#[derive(Debug)]
struct BothTokens {
    /// Stepped by hand ([`crate::select::dfa_each_match`]): class tokens and ids are a few
    /// bytes long, where the set-up of a library search costs more than the search.
    dfa: aho_corasick::dfa::DFA,
    /// Per pattern: (must start the string or follow whitespace, is a strong token).
    kinds: Vec<(bool, bool)>,
}

impl BothTokens {
    fn new(strong: &[String], weak: &[String]) -> Option<Self> {
        let all: Vec<&String> = strong.iter().chain(weak).collect();
        let bare: Vec<&str> = all
            .iter()
            .map(|t| t.strip_prefix('^').unwrap_or(t))
            .collect();
        if bare.is_empty() || !bare.iter().all(|t| t.is_ascii() && !t.is_empty()) {
            return None;
        }
        let dfa = crate::select::plain_dfa(&bare, true)?;
        // it searches unanchored (as built), or the lists are answered by their regexes
        crate::select::dfa_is_match(&dfa, b"")?;
        let kinds = all
            .iter()
            .enumerate()
            .map(|(i, t)| (t.starts_with('^'), i < strong.len()))
            .collect();
        Some(BothTokens { dfa, kinds })
    }

    /// (a strong token matches, a weak token matches) for an ASCII string.
    fn answer(&self, s: &str) -> (bool, bool) {
        let (mut strong, mut weak) = (false, false);
        let b = s.as_bytes();
        // `new` checked that the DFA searches
        let _ = crate::select::dfa_each_match(&self.dfa, b, |p, start| {
            let Some(&(anchored, is_strong)) = self.kinds.get(p) else {
                return true;
            };
            if anchored
                && start != 0
                && !matches!(
                    b.get(start - 1),
                    Some(b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ')
                )
            {
                return true;
            }
            if is_strong {
                strong = true;
            } else {
                weak = true;
            }
            !(strong && weak)
        });
        (strong, weak)
    }
}

/// Per-page matches of the chrome selectors (see [`BoilerRules::prepare`]), and the token
/// answers per class value already seen on the page (pages repeat a few hundred class strings
/// over thousands of elements).
pub struct Prepared<'d> {
    comments: crate::dom::NodeSet,
    selectors: crate::dom::NodeSet,
    tab_strips: crate::dom::NodeSet,
    /// (strong token hit, weak token hit) of a whole class value (its tokens outside the
    /// taxonomy prefixes), per class value id of the element index: 0 not computed yet, else
    /// 1 + strong + 2 × weak.
    class_hits: std::cell::RefCell<Vec<u8>>,
    /// Elements carrying `hidden`, `aria-hidden` or `style` (the others cannot be hidden by
    /// their markup, so their attributes are not read).
    hides: crate::dom::NodeSet,
    /// Elements carrying `id`.
    ided: crate::dom::NodeSet,
    /// Per tag id: [`TAG_DISCARD`] | [`TAG_CHROME`] | [`TAG_WEAK`] (tags past its end: none).
    tag_bits: Vec<u8>,
    ix: &'d crate::dom::ElementIndex,
}

/// [`Prepared::tag_bits`]: one of `discard_tags`.
const TAG_DISCARD: u8 = 1;
/// [`Prepared::tag_bits`]: one of `chrome_tags`.
const TAG_CHROME: u8 = 2;
/// [`Prepared::tag_bits`]: one of `weak_tags`.
const TAG_WEAK: u8 = 4;

impl BoilerRules {
    /// Compiles the `[boilerplate]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        Self::compile_with_tokens(table, &[], &[])
    }

    /// Compiles the `[boilerplate]` section with the class/id fragments `keep` left out of
    /// `discard_tokens` and `add` added (the rules of one page type, e.g. listings, whose card
    /// ratings are content and whose filter panels are chrome).
    pub fn compile_with_tokens(
        table: &toml::Table,
        keep: &[String],
        add: &[String],
    ) -> Result<Self, ConfigError> {
        let mut c: BoilerConfig = crate::settings::section(table, "boilerplate")?;
        c.discard_tokens.retain(|t| !keep.contains(t));
        c.discard_tokens.extend(add.iter().cloned());
        // every pattern is anchored at both ends already
        let phrases = PhraseSet::compile(&c.block_phrases)?;
        Ok(BoilerRules {
            discard_tags: tag_names(&c.discard_tags, "boilerplate")?,
            weak_tags: tag_names(&c.weak_tags, "boilerplate")?,
            chrome_tags: tag_names(&c.chrome_tags, "boilerplate")?,
            selectors: if c.discard_selectors.trim().is_empty() {
                Selector::default()
            } else {
                Selector::parse(&c.discard_selectors)?
            },
            tab_strips: super::optional_selector(&c.tab_strip_selectors)?,
            tab_panels: super::optional_selector(&c.tab_panel_selectors)?,
            tokens: token_regex(&c.discard_tokens)?,
            strong_tokens: token_regex(&c.strong_tokens)?,
            both: BothTokens::new(&c.strong_tokens, &c.discard_tokens),
            comments: if c.comment_selectors.trim().is_empty() {
                Selector::default()
            } else {
                Selector::parse(&c.comment_selectors)?
            },
            taxonomy_prefixes: c.taxonomy_prefixes.clone(),
            protect_share: c.protect_share,
            protect_max_link_density: c.protect_max_link_density,
            weak_protect_paragraphs: c.weak_protect_paragraphs,
            weak_protect_section_paragraphs: c.weak_protect_section_paragraphs,
            weak_protect_max_link_density: c.weak_protect_max_link_density,
            leaf_paragraph_chars: c.leaf_paragraph_chars,
            weak_tag_protect_min_chars: c.weak_tag_protect_min_chars,
            weak_tag_protect_min_chars_per_control: c.weak_tag_protect_min_chars_per_control,
            phrases,
            read_more_prefixes: c
                .read_more_prefixes
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
            read_more_max_chars: c.read_more_max_chars,
            controlled_panels_open: c.controlled_panels_open,
        })
    }

    /// True when the element itself matches a chrome rule (tag, selector, class/id fragment,
    /// hidden markup). Share protection is applied by the caller.
    pub fn is_chrome(&self, dom: &Dom, n: NodeId) -> bool {
        self.chrome_level(dom, n, false) != Chrome::No
    }

    /// True when the element's tag is one of `discard_tags` (`aside`, `nav`, `footer`, …).
    pub fn is_discard_tag(&self, dom: &Dom, n: NodeId) -> bool {
        dom.tag(n).is_some_and(|t| self.discard_tags.contains(&t))
    }

    /// The matches of the chrome selectors over the whole document, in one indexed pass each,
    /// for [`Self::chrome_level_in`] (elements reachable from the root).
    pub fn prepare<'d>(&self, dom: &'d Dom) -> Prepared<'d> {
        let set = |sel: &Selector| {
            let mut s = crate::dom::NodeSet::for_dom(dom);
            for n in sel.all(dom, dom.root()) {
                s.insert(n);
            }
            s
        };
        let ix = dom.index();
        let with = |names: &[Name]| {
            let mut s = crate::dom::NodeSet::for_dom(dom);
            for &a in names {
                for &n in ix.with_attr(a) {
                    s.insert(n);
                }
            }
            s
        };
        let mut tag_bits = Vec::new();
        for (list, bit) in [
            (&self.discard_tags, TAG_DISCARD),
            (&self.chrome_tags, TAG_CHROME),
            (&self.weak_tags, TAG_WEAK),
        ] {
            for t in list.iter() {
                let i = t.0 as usize;
                if tag_bits.len() <= i {
                    tag_bits.resize(i + 1, 0);
                }
                tag_bits[i] |= bit;
            }
        }
        Prepared {
            comments: set(&self.comments),
            selectors: set(&self.selectors),
            tab_strips: set(&self.tab_strips),
            class_hits: std::cell::RefCell::new(vec![0; ix.class_value_count()]),
            hides: with(&[name::HIDDEN, name::ARIA_HIDDEN, name::STYLE]),
            ided: with(&[name::ID]),
            tag_bits,
            ix,
        }
    }

    /// How strongly the element matches a chrome rule.
    /// On a forum thread (`forum`) comment areas are content.
    pub fn chrome_level(&self, dom: &Dom, n: NodeId, forum: bool) -> Chrome {
        self.level(dom, n, forum)
    }

    /// [`Self::chrome_level`] of an element reachable from the root, with the selector matches
    /// looked up in `pre` (from [`Self::prepare`] on the same document).
    pub fn chrome_level_in<'d>(
        &self,
        dom: &'d Dom,
        n: NodeId,
        forum: bool,
        pre: &Prepared<'d>,
    ) -> Chrome {
        if pre.ix.pre(n).is_none() {
            // not reachable: the prepared sets do not describe it
            return self.level(dom, n, forum);
        }
        // the checks of `level` in the same order of precedence, the cheapest first: set and
        // table lookups, then the attributes of the few elements that carry hiding markup,
        // then the class answer once per distinct class value of the page
        let Some(t) = dom.tag(n) else {
            return Chrome::No;
        };
        if t == name::BODY || t == name::HTML {
            return Chrome::No;
        }
        if !forum && pre.comments.contains(n) {
            return Chrome::Absolute;
        }
        let bits = pre.tag_bits.get(t.0 as usize).copied().unwrap_or(0);
        if bits & TAG_DISCARD != 0
            || pre.selectors.contains(n)
            || (bits & TAG_CHROME != 0 && !is_inside_article(dom, n))
        {
            return Chrome::Strong;
        }
        if pre.hides.contains(n) {
            // the first of each name counts, as `attr_by`
            let (mut aria, mut style) = (None, None);
            let mut hidden = false;
            for (a, v) in dom.attr_pairs(n) {
                match a {
                    name::HIDDEN => hidden = true,
                    name::ARIA_HIDDEN if aria.is_none() => aria = Some(v),
                    name::STYLE if style.is_none() => style = Some(v),
                    _ => {}
                }
            }
            if stats::hidden_by(hidden, aria, style) {
                return Chrome::Strong;
            }
        }
        if pre.tab_strips.contains(n) && self.tab_panels.first(dom, n).is_none() {
            return Chrome::Weak;
        }
        let classes = match pre.ix.class_value_id(n) {
            None => (false, false),
            Some(vid) => {
                let mut memo = pre.class_hits.borrow_mut();
                match memo.get(vid as usize).copied() {
                    Some(0) => {
                        let (a, b) = self.class_value_answer(dom.class_value(vid));
                        memo[vid as usize] = 1 + u8::from(a) + 2 * u8::from(b);
                        (a, b)
                    }
                    Some(m) => ((m - 1) & 1 != 0, (m - 1) & 2 != 0),
                    None => self.class_value_answer(dom.class_value(vid)),
                }
            }
        };
        let ids = std::cell::OnceCell::new();
        let id_answer = || {
            *ids.get_or_init(|| match pre.ided.contains(n).then(|| dom.id_attr(n)) {
                Some(Some(s)) if !s.is_empty() => self.token_answer(s),
                _ => (false, false),
            })
        };
        token_level(classes, id_answer, bits & TAG_WEAK != 0, forum)
    }

    /// (a strong token matches, a weak token matches) over the tokens of a class value outside
    /// the taxonomy prefixes. An ASCII value is searched whole in one pass of the combined
    /// automaton: a match lying inside one token, past its start or after whitespace when
    /// anchored, is a match of that token (a match spanning whitespace belongs to no token).
    fn class_value_answer(&self, v: &str) -> (bool, bool) {
        let taxonomy = |tok: &str| {
            self.taxonomy_prefixes
                .iter()
                .any(|p| tok.starts_with(p.as_str()))
        };
        let Some(both) = self.both.as_ref().filter(|_| v.is_ascii()) else {
            let mut out = (false, false);
            for c in v.split_ascii_whitespace().filter(|c| !taxonomy(c)) {
                let (a, b) = self.token_answer(c);
                out = (out.0 || a, out.1 || b);
                if out.0 && out.1 {
                    break;
                }
            }
            return out;
        };
        // the separators of `split_ascii_whitespace`
        let sep = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
        let b = v.as_bytes();
        let (mut strong, mut weak) = (false, false);
        let _ = crate::select::dfa_each_match(&both.dfa, b, |p, start| {
            let Some(&(anchored, is_strong)) = both.kinds.get(p) else {
                return true;
            };
            if (is_strong && strong) || (!is_strong && weak) {
                return true;
            }
            if anchored
                && start != 0
                && !matches!(
                    b.get(start - 1),
                    Some(b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ')
                )
            {
                return true;
            }
            let len = aho_corasick::PatternID::new(p).map_or(usize::MAX, |id| {
                aho_corasick::automaton::Automaton::pattern_len(&both.dfa, id)
            });
            let end = start.saturating_add(len);
            let Some(m) = b.get(start..end) else {
                return true;
            };
            if m.iter().any(|&c| sep(c)) {
                return true;
            }
            let ts = b[..start]
                .iter()
                .rposition(|&c| sep(c))
                .map_or(0, |i| i + 1);
            let te = b[start..]
                .iter()
                .position(|&c| sep(c))
                .map_or(b.len(), |i| start + i);
            if taxonomy(&v[ts..te]) {
                return true;
            }
            if is_strong {
                strong = true;
            } else {
                weak = true;
            }
            !(strong && weak)
        });
        (strong, weak)
    }

    fn level(&self, dom: &Dom, n: NodeId, forum: bool) -> Chrome {
        let Some(t) = dom.tag(n) else {
            return Chrome::No;
        };
        if t == name::BODY || t == name::HTML {
            return Chrome::No;
        }
        if !forum && self.comments.matches(dom, n) {
            return Chrome::Absolute;
        }
        // one pass over the attributes; the first of each name counts, as `attr_by`
        let (mut class, mut id, mut aria, mut style) = (None, None, None, None);
        let mut hidden = false;
        for (a, v) in dom.attr_pairs(n) {
            match a {
                name::HIDDEN => hidden = true,
                name::CLASS if class.is_none() => class = Some(v),
                name::ID if id.is_none() => id = Some(v),
                name::ARIA_HIDDEN if aria.is_none() => aria = Some(v),
                name::STYLE if style.is_none() => style = Some(v),
                _ => {}
            }
        }
        if self.discard_tags.contains(&t)
            || (self.chrome_tags.contains(&t) && !is_inside_article(dom, n))
            || self.selectors.matches(dom, n)
            || stats::hidden_by(hidden, aria, style)
        {
            return Chrome::Strong;
        }
        if self.tab_strips.matches(dom, n) && self.tab_panels.first(dom, n).is_none() {
            return Chrome::Weak;
        }
        // (strong, weak) answers of the class tokens outside the taxonomy prefixes
        let class_answer = |v: &str| -> (bool, bool) {
            let mut out = (false, false);
            for c in v.split_ascii_whitespace().filter(|c| {
                !self
                    .taxonomy_prefixes
                    .iter()
                    .any(|p| c.starts_with(p.as_str()))
            }) {
                let (a, b) = self.token_answer(c);
                out = (out.0 || a, out.1 || b);
                if out.0 && out.1 {
                    break;
                }
            }
            out
        };
        let classes = class.map_or((false, false), class_answer);
        let ids = std::cell::OnceCell::new();
        let id_answer = || {
            *ids.get_or_init(|| match id {
                Some(s) if !s.is_empty() => self.token_answer(s),
                _ => (false, false),
            })
        };
        token_level(classes, id_answer, self.weak_tags.contains(&t), forum)
    }

    /// (a strong token matches, a discard token matches) for one class token or id string.
    fn token_answer(&self, s: &str) -> (bool, bool) {
        let test = |re: &Option<TokenSet>| re.as_ref().is_some_and(|re| re.is_match(s));
        match &self.both {
            Some(both) if s.is_ascii() => both.answer(s),
            _ => (test(&self.strong_tokens), test(&self.tokens)),
        }
    }

    /// True when the block text as a whole is a boilerplate phrase.
    pub fn is_phrase(&self, text: &str) -> bool {
        // the longest phrase rule is a few hundred characters
        text.len() < 600 && self.phrases.is_match(text.trim())
    }

    /// True when the block is an inline "Read more: …" line.
    pub fn is_read_more(&self, text: &str) -> bool {
        if text.chars().count() > self.read_more_max_chars {
            return false;
        }
        let lower = text.trim_start().to_lowercase();
        self.read_more_prefixes
            .iter()
            .any(|p| lower.starts_with(p.as_str()) && lower.len() > p.len() + 2)
    }
}

/// Visible form controls under `n` (`input` other than `type=hidden`, `select`, `textarea`,
/// `button`): a cart or filter form is mostly fields, a form wrapping a thread mostly text.
pub fn form_controls(dom: &Dom, n: NodeId) -> usize {
    dom.descendants(n)
        .filter(|&c| match dom.tag(c) {
            Some(name::INPUT) => !dom
                .attr_by(c, name::TYPE)
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden")),
            Some(t) => matches!(t, name::SELECT | name::TEXTAREA | name::BUTTON),
            None => false,
        })
        .count()
}

/// Disclosure panels under `root` that only their hidden markup makes chrome: matches of
/// `panels` that are hidden themselves (`display:none`, `hidden`, …), marked chrome and not
/// dead. A product page folds its description, specs and FAQ into accordions and tabs that a
/// click opens, a service page its answers; they are the page's text, not a widget's.
pub fn hidden_panels(dom: &Dom, st: &Stats, root: NodeId, panels: &Selector) -> Vec<NodeId> {
    if panels.is_empty() {
        return Vec::new();
    }
    let live_hidden = |n: NodeId| {
        st.chrome.contains(n)
            && !st.dead.contains(n)
            && !st.absolute.contains(n)
            && stats::is_hidden(dom, n)
    };
    // only an element with hiding markup is hidden: the few of them (from the element index)
    // are asked the panel selector, in document order
    let ix = dom.index();
    let Some(range) = ix.inside(root) else {
        return panels
            .all(dom, root)
            .into_iter()
            .filter(|&n| live_hidden(n))
            .collect();
    };
    let mut found: Vec<NodeId> = [name::HIDDEN, name::ARIA_HIDDEN, name::STYLE]
        .into_iter()
        .flat_map(|a| ix.slice(ix.with_attr(a), &range).iter().copied())
        .collect();
    found.sort_unstable_by_key(|&n| ix.pre(n));
    found.dedup();
    found.retain(|&n| live_hidden(n) && panels.matches(dom, n));
    found
}

/// Hidden chrome elements under `root` whose `id` a disclosure control names: the WAI-ARIA
/// accordion and disclosure patterns (`<a aria-controls=content-1 aria-expanded=false>`) point
/// the control at the folded panel, whatever its class. The answers of an FAQ and the sections
/// of a folded page are text a click opens, read like visible text.
pub fn controlled_panels(dom: &Dom, st: &Stats, root: NodeId) -> Vec<NodeId> {
    // a page whose markup never names the attribute has no control (no walk at all)
    let (Some(expanded), Some(controls)) =
        (dom.lookup("aria-expanded"), dom.lookup("aria-controls"))
    else {
        return Vec::new();
    };
    let mut ids: Vec<&str> = Vec::new();
    for n in with_attr_under(dom, root, expanded) {
        if let Some(c) = dom.attr_by(n, controls) {
            ids.extend(c.split_ascii_whitespace());
        }
    }
    if ids.is_empty() {
        return Vec::new();
    }
    ids.sort_unstable();
    ids.dedup();
    with_attr_under(dom, root, name::ID)
        .into_iter()
        .filter(|&n| {
            st.chrome.contains(n)
                && !st.dead.contains(n)
                && !st.absolute.contains(n)
                && dom
                    .id_attr(n)
                    .is_some_and(|id| ids.binary_search(&id).is_ok())
                && stats::is_hidden(dom, n)
        })
        .collect()
}

/// The elements under `root` (not `root` itself) carrying the attribute `a`, in document order:
/// from the document's element index when `root` is reachable, else by a walk.
fn with_attr_under(dom: &Dom, root: NodeId, a: Name) -> Vec<NodeId> {
    let ix = dom.index();
    match ix.inside(root) {
        Some(range) => ix.slice(ix.with_attr(a), &range).to_vec(),
        None => dom.find_all(root, |n| dom.attr_by(n, a).is_some()),
    }
}

/// The last checks of a chrome level, shared by the prepared and the general path: a strong
/// class or id token, then a weak tag (only a thread wraps its posts in a form; on other pages
/// a form is chrome), then a weak class or id token. `id_answer` is asked only when needed.
fn token_level(
    classes: (bool, bool),
    id_answer: impl Fn() -> (bool, bool),
    weak_tag: bool,
    forum: bool,
) -> Chrome {
    if classes.0 || id_answer().0 {
        return Chrome::Strong;
    }
    if weak_tag {
        return if forum {
            Chrome::WeakTag
        } else {
            Chrome::Strong
        };
    }
    if classes.1 || id_answer().1 {
        return Chrome::Weak;
    }
    Chrome::No
}

/// A `header` inside an `article` (or `main`) holds the headline and standfirst, not chrome.
fn is_inside_article(dom: &Dom, n: NodeId) -> bool {
    dom.ancestors(n)
        .any(|a| dom.is(a, name::ARTICLE) || dom.is(a, name::MAIN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};
    use crate::settings::Rules;

    fn rules() -> BoilerRules {
        Rules::defaults().unwrap().content.boiler
    }

    #[test]
    fn hidden_disclosure_panels_are_found_but_not_hidden_widgets() {
        let dom = parse(
            "<body><div class=accordion><button>Specs</button>\
             <div id=p class=accordion__panel style='display:none'><p>Steel, 2 kg.</p></div></div>\
             <div id=m class=size-modal style='display: none'><p>Size guide</p></div>\
             <div id=v class=accordion__panel><p>Visible already.</p></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let st = Stats::with_default_rules(&dom);
        let found = hidden_panels(&dom, &st, dom.body(), &rules.content.typed.hidden_panels);
        let ids: Vec<_> = found.iter().map(|&n| dom.id_attr(n)).collect();
        assert_eq!(ids, vec![Some("p")]);
    }

    #[test]
    fn tab_strips_are_weak_and_accordions_with_panels_are_not_chrome() {
        let d = parse(
            "<body><div id=strip role=tablist><a role=tab>One</a><a role=tab>Two</a></div>\
             <div id=acc role=tablist><h2>Eligibility</h2>\
             <div role=tabpanel><ul><li>Must be certified.</li></ul></div></div>\
             <div id=menu role=tablist class=menu><div role=tabpanel>x</div></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let r = rules();
        let f = |id: &str| d.find(d.root(), |n| d.id_attr(n) == Some(id)).unwrap();
        assert_eq!(r.chrome_level(&d, f("strip"), false), Chrome::Weak);
        assert_eq!(r.chrome_level(&d, f("acc"), false), Chrome::No);
        // holding a panel does not excuse a class that names chrome
        assert_eq!(r.chrome_level(&d, f("menu"), false), Chrome::Weak);
        let pre = r.prepare(&d);
        assert_eq!(r.chrome_level_in(&d, f("strip"), false, &pre), Chrome::Weak);
        assert_eq!(r.chrome_level_in(&d, f("acc"), false, &pre), Chrome::No);
    }

    /// The chrome level as this module computed it before it read the attributes in one pass
    /// and answered both token lists with one automaton: `is_hidden`, then the class tokens and
    /// the id against each token list's regex-backed set, selectors matched per element.
    fn reference_level(r: &BoilerRules, d: &Dom, n: NodeId, forum: bool) -> Chrome {
        let Some(t) = d.tag(n) else {
            return Chrome::No;
        };
        if t == name::BODY || t == name::HTML {
            return Chrome::No;
        }
        if !forum && r.comments.matches(d, n) {
            return Chrome::Absolute;
        }
        if r.discard_tags.contains(&t)
            || (r.chrome_tags.contains(&t) && !is_inside_article(d, n))
            || stats::is_hidden(d, n)
            || r.selectors.matches(d, n)
        {
            return Chrome::Strong;
        }
        if r.tab_strips.matches(d, n) && r.tab_panels.first(d, n).is_none() {
            return Chrome::Weak;
        }
        let hit = |set: &Option<TokenSet>| {
            let test = |s: &str| set.as_ref().is_some_and(|re| re.is_match(s));
            d.classes(n)
                .filter(|c| {
                    !r.taxonomy_prefixes
                        .iter()
                        .any(|p| c.starts_with(p.as_str()))
                })
                .any(test)
                || d.id_attr(n).is_some_and(|s| !s.is_empty() && test(s))
        };
        if hit(&r.strong_tokens) {
            return Chrome::Strong;
        }
        if r.weak_tags.contains(&t) {
            return if forum {
                Chrome::WeakTag
            } else {
                Chrome::Strong
            };
        }
        if hit(&r.tokens) {
            return Chrome::Weak;
        }
        Chrome::No
    }

    #[test]
    fn one_pass_levels_agree_with_the_reference() {
        let html = "<body><div class='entry-content' id=main><p>text</p>\
             <div class='Share-Buttons x' style='color: red'>s</div>\
             <div class='category-news tag-sidebar'>t</div><div class='x sidebar'>w</div>\
             <div id=navBar class=''>n</div><div id='' class='reviews'>r</div>\
             <span aria-hidden=' TRUE '>a</span><span aria-hidden=false class=menu>b</span>\
             <p style='DISPLAY : None'>h</p><p style='visibility: visible'>v</p>\
             <p hidden class=ok>x</p><form class=search><input></form>\
             <header id=h>site</header><article><header>t</header></article>\
             <div class='caf\u{e9} footer-caf\u{e9}'>f</div><div id='men\u{fc}-nav'>m</div>\
             <div id=comments class=comments-area><p class='comment-body'>c</p></div>\
             <div role=tablist class=tabs><a role=tab>1</a></div>\
             <div class='entry-content'>again</div><div class='x sidebar'>again</div>\
             </div></body>";
        let d = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let all = Rules::defaults().unwrap();
        for r in [&all.content.boiler, &all.content.listing.boiler] {
            let pre = r.prepare(&d);
            let mut seen = 0;
            for n in d.descendants(d.root()) {
                for forum in [false, true] {
                    let want = reference_level(r, &d, n, forum);
                    assert_eq!(r.chrome_level(&d, n, forum), want, "{:?}", d.tag_name(n));
                    assert_eq!(r.chrome_level_in(&d, n, forum, &pre), want);
                    seen += usize::from(want != Chrome::No);
                }
            }
            assert!(seen > 10);
        }
    }

    /// Random pages of class strings cut from chrome tokens, taxonomy prefixes and separators
    /// (including the \x0b that `split_ascii_whitespace` does not split on, and non-ASCII
    /// letters), ids, hiding markup, headers and forms: the prepared levels are the reference's.
    #[test]
    fn prepared_levels_agree_with_the_reference_on_random_pages() {
        let parts = [
            "nav",
            "navbar",
            "share",
            "shar",
            "-ad-",
            "ad-",
            "x",
            "sidebar",
            "tag-",
            "tags",
            "category-",
            "footer",
            "reviews",
            "bv-",
            "menu",
            "Share",
            "NAV",
            "caf\u{e9}",
            "post-nav",
            "toc",
            "jp-",
            "term-side",
            "promo",
            "yotpo",
            "a",
            "-",
        ];
        let seps = [" ", " ", "", "", "\t", "\x0b", "\n", "  "];
        let tags = [
            "div", "div", "span", "p", "section", "header", "form", "article", "main", "ul", "li",
            "nav", "aside",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |k: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % k as u64) as usize
        };
        let all = Rules::defaults().unwrap();
        let mut seen = 0;
        for _page in 0..40 {
            let mut html = String::from("<body>");
            let mut open: Vec<&str> = Vec::new();
            for _ in 0..60 {
                if !open.is_empty() && next(3) == 0 {
                    html.push_str(&format!("</{}>", open.pop().unwrap()));
                    continue;
                }
                let t = tags[next(tags.len())];
                html.push('<');
                html.push_str(t);
                if next(4) != 0 {
                    let mut v = String::new();
                    for _ in 0..next(5) {
                        v.push_str(parts[next(parts.len())]);
                        v.push_str(seps[next(seps.len())]);
                    }
                    html.push_str(&format!(" class=\"{v}\""));
                }
                if next(4) == 0 {
                    let v = parts[next(parts.len())];
                    html.push_str(&format!(" id=\"{v}{}\"", parts[next(parts.len())]));
                }
                match next(12) {
                    0 => html.push_str(" hidden"),
                    1 => html.push_str(" aria-hidden=' True '"),
                    2 => html.push_str(" style='display : NONE'"),
                    3 => html.push_str(" style='color:navy'"),
                    4 => html.push_str(" class=second-nav"),
                    5 => html.push_str(" role=tablist"),
                    _ => {}
                }
                html.push_str(">w ");
                open.push(t);
            }
            let d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
            for r in [&all.content.boiler, &all.content.listing.boiler] {
                let pre = r.prepare(&d);
                for n in d.descendants(d.root()) {
                    for forum in [false, true] {
                        let want = reference_level(r, &d, n, forum);
                        assert_eq!(r.chrome_level_in(&d, n, forum, &pre), want, "{html}");
                        seen += usize::from(want != Chrome::No);
                    }
                }
            }
        }
        assert!(seen > 500, "{seen}");
    }

    #[test]
    fn whole_class_values_answer_as_their_tokens() {
        let r = rules();
        for v in [
            "",
            "nav",
            "x nav",
            "xnav",
            "x\x0bnav",
            "category-nav",
            "category-x nav",
            "tag-share share",
            "share-x",
            "a-ad- b",
            "ad-x",
            "bad-x",
            "foo-ter",
            "caf\u{e9} menu",
            "reviews\tx",
            "\x0cbv-x",
            "sub bv-x",
            "  ",
            "category-reviews tag-menu",
        ] {
            let mut want = (false, false);
            for c in v.split_ascii_whitespace().filter(|c| {
                !r.taxonomy_prefixes
                    .iter()
                    .any(|p| c.starts_with(p.as_str()))
            }) {
                let (a, b) = r.token_answer(c);
                want = (want.0 || a, want.1 || b);
            }
            assert_eq!(r.class_value_answer(v), want, "{v:?}");
        }
    }

    #[test]
    fn both_token_lists_in_one_pass_answer_as_each_list() {
        let strong: Vec<String> = ["share", "^nav", "cookie", "ad"].map(String::from).to_vec();
        let weak: Vec<String> = ["side", "^ad", "widget", "share"]
            .map(String::from)
            .to_vec();
        let both = BothTokens::new(&strong, &weak).unwrap();
        let (s, w) = (
            token_regex(&strong).unwrap().unwrap(),
            token_regex(&weak).unwrap().unwrap(),
        );
        for v in [
            "",
            "nav",
            "top-nav",
            "x nav",
            "Navbar",
            "SHARE",
            "sidebar widget",
            "road",
            "ad",
            "x\tad",
            "shadow",
            "cookie-side",
            "main",
            "ads nav",
            "side\x0bnav",
            "a d",
        ] {
            assert_eq!(both.answer(v), (s.is_match(v), w.is_match(v)), "{v:?}");
        }
        let r = rules();
        assert!(r.both.is_some());
        assert!(BothTokens::new(&["caf\u{e9}".to_string()], &weak).is_none());
    }

    #[test]
    fn phrases_with_word_boundaries_are_apart_and_answer_as_one_regex() {
        let list: Vec<String> = [r"^lorem ipsum\b.{0,60}$", r"^share( this)?:?$", r"^x\By$"]
            .map(String::from)
            .to_vec();
        let set = PhraseSet::compile(&list).unwrap();
        assert!(set.plain.is_some() && set.bounded.is_some());
        let one = phrase_regex(&list).unwrap().unwrap();
        for t in [
            "Lorem ipsum dolor",
            "lorem ipsumdolor",
            "Share this:",
            "share",
            "xy",
            "x y",
            "caf\u{e9} lorem ipsum",
            "Lorem ipsum \u{e9}t\u{e9}",
        ] {
            assert_eq!(set.is_match(t), one.is_match(t), "{t:?}");
        }
        assert!(rules().phrases.bounded.is_some());
    }

    #[test]
    fn phrases_match_whole_blocks_only() {
        let r = rules();
        assert!(r.is_phrase("Liked it? Take a second to support Jane Doe on Patreon!"));
        assert!(r.is_phrase("Leave a Reply"));
        assert!(r.is_phrase("Leave a Reply to Sally Snyder"));
        assert!(r.is_phrase("Notify of"));
        assert!(r.is_phrase("Share this:"));
        assert!(r.is_phrase("Facebook"));
        assert!(r.is_phrase("Please enable JavaScript to view the comments powered by Disqus."));
        assert!(r.is_phrase("We use cookies to improve your experience."));
        assert!(r.is_phrase("Wir verwenden Cookies, um die Seite zu verbessern."));
        assert!(r.is_phrase("Table of Contents"));
        assert!(r.is_phrase("Inhaltsverzeichnis"));
        assert!(r.is_phrase("Quick View"));
        assert!(r.is_phrase("reply | flag"));
        assert!(r.is_phrase("Read full article"));
        assert!(r.is_phrase("Tags:"));
        assert!(r.is_phrase("Discussion about this post"));
        assert!(r.is_phrase("Ready for more?"));
        assert!(!r.is_phrase("Tags: politics, economy"));
        assert!(!r.is_phrase("Ready for more? The sequel arrives in May."));
        assert!(!r.is_phrase("The table of contents lists every chapter."));
        assert!(!r.is_phrase("Facebook said on Monday that it would leave a reply to regulators."));
        assert!(!r.is_phrase("Leave a reply to the survey if you want, the minister said."));
        assert!(r.is_phrase("You need to enable JavaScript to run this app."));
        assert!(r.is_phrase("Please enable JavaScript"));
        assert!(r.is_phrase("8 min read"));
        assert!(r.is_phrase("3 MIN. READ"));
        assert!(r.is_phrase("Lesezeit: 4 Min."));
        assert!(r.is_phrase("Print This Page"));
        assert!(r.is_phrase("Posted By"));
        assert!(r.is_phrase("Lorem ipsum dolor sit amet, consectetur adipiscing elit."));
        assert!(!r.is_phrase("It takes 8 min to read the whole report, she said."));
        assert!(!r.is_phrase("Posted by a reader in the forum last year."));
        assert!(
            !r.is_phrase("You need to enable JavaScript to run this app on older phones, he said.")
        );
    }

    #[test]
    fn read_more_lines() {
        let r = rules();
        assert!(r.is_read_more("Read more: Putin and Trump to meet in Paris"));
        assert!(r.is_read_more("READ ALSO: something else"));
        assert!(!r.is_read_more("Read more:"));
        assert!(!r.is_read_more("He said: read more books."));
    }

    #[test]
    fn chrome_by_tag_token_selector_and_hidden() {
        let d = parse(
            "<body><nav id=n>x</nav><div id=a class='entry-share-buttons'>s</div>\
             <div id=b class='post-body'>t</div><div id=c class=sharedaddy>j</div>\
             <div id=d hidden>h</div><article><header id=e>Title</header></article>\
             <header id=f>Site</header><div id=g class='nav-main'>m</div>\
             <div id=h class='canvas'>c</div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let r = rules();
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        assert!(r.is_chrome(&d, f("n")));
        assert!(r.is_chrome(&d, f("a")));
        assert!(!r.is_chrome(&d, f("b")));
        assert!(r.is_chrome(&d, f("c")));
        assert!(r.is_chrome(&d, f("d")));
        assert!(!r.is_chrome(&d, f("e")));
        assert!(r.is_chrome(&d, f("f")));
        assert!(r.is_chrome(&d, f("g")));
        assert!(!r.is_chrome(&d, f("h")));
    }

    #[test]
    fn forms_are_weak_chrome_wrappers_are_content() {
        // on a thread, a search form is chrome and a form wrapping the posts (moderation
        // checkboxes) holds paragraphs and is protected by the weak-chrome rule; elsewhere a
        // form is chrome (the page holds more text outside the forms: a form holding the bulk
        // of the page is protected by share whatever its kind)
        let html = format!(
            "<body><form id=s><label>Search</label><input name=q></form>\
             <form id=t><article><p>First post with enough words to count.</p></article>\
             <article><p>Second post, also a real paragraph of text.</p></article>\
             <article><p>Third post closes the thread politely.</p></article></form>\
             <div>{}</div></body>",
            "Sidebar text outside the thread. ".repeat(20)
        );
        let d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let r = rules();
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        assert_eq!(r.chrome_level(&d, f("s"), true), Chrome::WeakTag);
        assert_eq!(r.chrome_level(&d, f("t"), false), Chrome::Strong);
        let st = stats::Stats::compute(&d, &r, &crate::dom::NodeSet::for_dom(&d), true);
        assert!(st.chrome.contains(f("s")));
        assert!(!st.chrome.contains(f("t")));
        let article = stats::Stats::compute(&d, &r, &crate::dom::NodeSet::for_dom(&d), false);
        assert!(article.chrome.contains(f("t")));
    }

    #[test]
    fn form_with_much_unsplit_text_is_content() {
        let post = "A forum post written without paragraphs, lines cut by breaks only.<br>";
        let html = format!(
            "<body><form id=t><blockquote>{}<div></div></blockquote></form>\
             <form id=l><a href=a>{}</a></form></body>",
            post.repeat(20),
            "link ".repeat(300)
        );
        let d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let r = rules();
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        let st = stats::Stats::compute(&d, &r, &crate::dom::NodeSet::for_dom(&d), true);
        assert!(!st.chrome.contains(f("t")));
        assert!(st.chrome.contains(f("l")));
    }

    #[test]
    fn form_of_many_fields_stays_chrome() {
        let row = "<tr><td>Blue backpack, forty litres, variant code ABC</td>\
                   <td><input name=q type=number><button>Remove</button></td></tr>";
        let html = format!(
            "<body><form id=c><input type=hidden name=x><table>{}</table></form>             <div>{}</div></body>",
            row.repeat(30),
            "Text of the page outside the cart form. ".repeat(60)
        );
        let d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let r = rules();
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        assert_eq!(form_controls(&d, f("c")), 60);
        let st = stats::Stats::compute(&d, &r, &crate::dom::NodeSet::for_dom(&d), true);
        assert!(st.chrome.contains(f("c")));
    }

    #[test]
    fn panels_named_by_a_disclosure_control_are_found() {
        let dom = parse(
            "<body><h3><a aria-controls='c1 c9' aria-expanded=false>How long?</a></h3>\
             <div id=c1 class=acd-content aria-hidden=true><p>Four weeks.</p></div>\
             <a aria-controls=c2>No state</a><div id=c2 aria-hidden=true><p>Left.</p></div>\
             <div id=c3 aria-hidden=true><p>Not named.</p></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let st = Stats::with_default_rules(&dom);
        let found = controlled_panels(&dom, &st, dom.body());
        let ids: Vec<_> = found.iter().map(|&n| dom.id_attr(n)).collect();
        assert_eq!(ids, vec![Some("c1")]);
    }
}
