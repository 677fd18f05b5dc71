//! The `[links]` configuration, compiled once per run.
//!
//! Why it exists: every selector, token list, lexicon and host/path list of the link stage lives
//! in `config/links.toml`; this module turns it into matchers (selectors parsed, lexicons
//! normalised, regexes built) so the per-page code never parses anything.

use serde::Deserialize;

use crate::dom::{Dom, NodeId};
use crate::select::Selector;
use crate::settings::ConfigError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinksConfig {
    max_heading_words: usize,
    heading_climb_max_levels: usize,
    container_max_levels_up: usize,
    block_max_links: usize,
    block_max_nonlink_words: usize,
    block_min_link_density: f64,
    block_light_nonlink_words: usize,
    heavy_block_min_articles: usize,
    heavy_block_min_link_density: f64,
    heading_block_min_links: usize,
    class_block_min_links: usize,
    sponsored_block_min_links: usize,
    run_min_link_text_ratio: f64,
    adjacent_wrapper_max_words: usize,
    adjacent_max_links: usize,
    hidden_text_classes: Vec<String>,
    generic_related_skip_page_types: Vec<String>,
    heading_class_tokens: Vec<String>,
    taxonomy_class_prefixes: Vec<String>,
    related_class_tokens: Vec<String>,
    recent_class_tokens: Vec<String>,
    popular_class_tokens: Vec<String>,
    sponsored_class_tokens: Vec<String>,
    topics_class_tokens: Vec<String>,
    non_item_anchor_phrases: Vec<String>,
    share_class_tokens: Vec<String>,
    adjacent_selector: String,
    read_more_phrases: Vec<String>,
    headings: HeadingsConfig,
    hosts: HostsConfig,
    paths: PathsConfig,
    plugins: Vec<PluginConfig>,
    chrome: Vec<ChromeConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingsConfig {
    related: Vec<String>,
    recent: Vec<String>,
    popular: Vec<String>,
    topics: Vec<String>,
    sponsored: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HostsConfig {
    share_intents: Vec<String>,
    share_schemes: Vec<String>,
    share_query_keys: Vec<String>,
    social_hosts: Vec<String>,
    ad_hosts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathsConfig {
    category_segments: Vec<String>,
    tag_segments: Vec<String>,
    author_segments: Vec<String>,
    tag_query_keys: Vec<String>,
    category_query_keys: Vec<String>,
    pagination_segments: Vec<String>,
    pagination_query_keys: Vec<String>,
    non_article_segments: Vec<String>,
    search_query_keys: Vec<String>,
    section_index_segments: Vec<String>,
    attachment_extensions: Vec<String>,
    language_root_regex: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginConfig {
    label: String,
    selector: String,
    heading: Option<String>,
    shell: bool,
    external: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChromeConfig {
    label: String,
    selector: Option<String>,
    #[serde(default)]
    tokens: Vec<String>,
}

/// A heading lexicon: lowercase phrases matched as a prefix of a heading on a word boundary.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    phrases: Vec<String>,
    /// Per first byte: the indexes of the phrases starting with it, in `phrases` order (a
    /// label can only start with a phrase whose first byte it shares).
    by_first: Vec<Vec<u32>>,
}

impl Lexicon {
    /// Builds a lexicon (phrases are normalised like headings).
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> Self {
        let mut phrases: Vec<String> = phrases
            .iter()
            .map(|p| normalize_label(p.as_ref()))
            .filter(|p| !p.is_empty())
            .collect();
        // Longest first, so the reported phrase is the most specific one.
        phrases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        phrases.dedup();
        let mut by_first = vec![Vec::new(); 256];
        for (i, p) in phrases.iter().enumerate() {
            if let Some(&b) = p.as_bytes().first() {
                by_first[b as usize].push(i as u32);
            }
        }
        Lexicon { phrases, by_first }
    }

    /// The phrase that `text` starts with, if any.
    pub fn matches(&self, text: &str) -> Option<&str> {
        self.matches_label(&normalize_label(text))
    }

    /// [`Lexicon::matches`] on a text already passed through [`normalize_label`] (normalise
    /// once, test several lexicons).
    pub fn matches_label(&self, label: &str) -> Option<&str> {
        let first = *label.as_bytes().first()?;
        self.by_first
            .get(first as usize)?
            .iter()
            .filter_map(|&i| self.phrases.get(i as usize))
            .find(|p| Self::starts(label, p))
            .map(String::as_str)
    }

    /// False when no label whose first byte is `b` can match (no phrase starts with it).
    pub fn may_start_with(&self, b: u8) -> bool {
        self.by_first.get(b as usize).is_some_and(|l| !l.is_empty())
    }

    /// `label` starts with `phrase` and the phrase ends on a word boundary.
    fn starts(label: &str, phrase: &str) -> bool {
        label
            .strip_prefix(phrase)
            .is_some_and(|rest| !rest.chars().next().is_some_and(char::is_alphanumeric))
    }
}

/// Lowercase, unify apostrophes, collapse whitespace and drop leading decoration (`» `, `▶`).
pub fn normalize_label(s: &str) -> String {
    if s.is_ascii() {
        // the same steps in one pass: ASCII has no apostrophe to unify, no Unicode space and
        // no case mapping that changes lengths
        let mut out = String::with_capacity(s.len());
        for w in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        out.make_ascii_lowercase();
        let lead = out.len() - out.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        out.drain(..lead);
        return out;
    }
    normalize_label_general(s)
}

/// [`normalize_label`] for any text (the ASCII fast path must agree with it).
fn normalize_label_general(s: &str) -> String {
    let s = crate::dom::collapse_ws(s)
        .to_lowercase()
        .replace(['’', '‘'], "'");
    s.trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim()
        .to_string()
}

/// Class/id substring tokens, blind to WordPress taxonomy classes.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    /// One automaton over all tokens (ASCII case-insensitive), built once per run.
    automaton: Option<aho_corasick::AhoCorasick>,
    /// The bits of this list in [`TokenIndex`] masks (None: not indexed, test with
    /// [`Tokens::matches`]).
    bits: Option<u64>,
}

impl Tokens {
    fn new(list: &[String]) -> Self {
        let subs = token_patterns(list);
        let automaton = (!subs.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&subs)
                    .ok()
            })
            .flatten();
        Tokens {
            automaton,
            bits: None,
        }
    }

    /// The list's bits in the per-node masks of [`TokenIndex::mask`], when indexed.
    pub fn bits(&self) -> Option<u64> {
        self.bits
    }

    /// True when a class name (not a taxonomy class) or the id of `n` contains a token.
    pub fn matches(&self, dom: &Dom, n: NodeId, ignore: &[String]) -> bool {
        let Some(ac) = &self.automaton else {
            return false;
        };
        if !dom.is_element(n) {
            return false;
        }
        let hit = |name: &str| ac.is_match(name) && !ignore.iter().any(|p| starts_with_ci(name, p));
        dom.classes(n).any(hit) || dom.id_attr(n).is_some_and(hit)
    }
}

/// A token list as matched: lowercase, without empty tokens.
fn token_patterns(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every class/id token list of the link rules in one automaton, so a node's class names are
/// scanned once per page for all lists instead of once per list and test.
///
/// `mask(dom, n, ignore)` has bit `i` set exactly when `Tokens::matches(dom, n, ignore)` holds
/// for the list given bit `i`: a list matches when some non-ignored class name (or the id)
/// contains one of its tokens, and the overlapping search reports every token occurring in a
/// name.
#[derive(Clone, Debug, Default)]
pub struct TokenIndex {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// Per pattern: the bits of the lists holding it.
    pattern_bits: Vec<u64>,
}

impl TokenIndex {
    /// Indexes `lists` (at most 64): list `i` gets bit `i`; returns the index and each list's
    /// compiled [`Tokens`] carrying its bit.
    fn new(lists: &[&[String]]) -> (TokenIndex, Vec<Tokens>) {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_bits: Vec<u64> = Vec::new();
        let mut tokens = Vec::with_capacity(lists.len());
        for (i, list) in lists.iter().enumerate() {
            let mut t = Tokens::new(list);
            if i < 64 {
                let bit = 1u64 << i;
                t.bits = Some(bit);
                for p in token_patterns(list) {
                    match patterns.iter().position(|q| *q == p) {
                        Some(k) => pattern_bits[k] |= bit,
                        None => {
                            patterns.push(p);
                            pattern_bits.push(bit);
                        }
                    }
                }
            }
            tokens.push(t);
        }
        let automaton = (!patterns.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        if automaton.is_none() {
            // cannot happen for short tokens; every list then falls back to its own automaton
            for t in &mut tokens {
                t.bits = None;
            }
        }
        (
            TokenIndex {
                automaton,
                pattern_bits,
            },
            tokens,
        )
    }

    /// False when no list has a token (every mask is 0).
    pub fn is_active(&self) -> bool {
        self.automaton.is_some()
    }

    /// The bits of the lists that a class name (not an ignored taxonomy class) or the id of
    /// `n` matches; 0 for non-elements.
    pub fn mask(&self, dom: &Dom, n: NodeId, ignore: &[String]) -> u64 {
        self.mask_with(dom, n, |name| self.name_mask(name, ignore))
    }

    /// [`TokenIndex::mask`] with the per-name mask supplied (e.g. cached per distinct name).
    pub fn mask_with<'d>(
        &self,
        dom: &'d Dom,
        n: NodeId,
        mut of: impl FnMut(&'d str) -> u64,
    ) -> u64 {
        if self.automaton.is_none() || !dom.is_element(n) {
            return 0;
        }
        let mut m = dom.classes(n).fold(0u64, |m, c| m | of(c));
        if let Some(id) = dom.id_attr(n) {
            m |= of(id);
        }
        m
    }

    /// The bits of the lists with a token inside `name` (0 when `name` is an ignored
    /// taxonomy class).
    pub fn name_mask(&self, name: &str, ignore: &[String]) -> u64 {
        let Some(ac) = &self.automaton else {
            return 0;
        };
        // most names hold no token: one plain scan answers them
        if !ac.is_match(name) {
            return 0;
        }
        let mut m = 0u64;
        for hit in ac.find_overlapping_iter(name) {
            m |= self
                .pattern_bits
                .get(hit.pattern().as_usize())
                .copied()
                .unwrap_or(0);
        }
        if m != 0 && ignore.iter().any(|p| starts_with_ci(name, p)) {
            0
        } else {
            m
        }
    }
}

fn starts_with_ci(hay: &str, lower_prefix: &str) -> bool {
    hay.len() >= lower_prefix.len()
        && hay.as_bytes()[..lower_prefix.len()].eq_ignore_ascii_case(lower_prefix.as_bytes())
}

/// ASCII case-insensitive substring test (`needle` lowercase).
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty()
        && hay.len() >= n.len()
        && hay
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

/// One related-block plugin.
#[derive(Debug)]
pub struct Plugin {
    /// `links.block` label.
    pub label: String,
    /// Container selector.
    pub selector: Selector,
    /// Where the visible heading is inside the container, in priority order.
    pub heading: Vec<Selector>,
    /// An empty container is a script shell (`related_status = js_only`).
    pub shell: bool,
    /// Recommender allowed to link to other sites.
    pub external: bool,
}

/// One family of page chrome (breadcrumb, tags, nav, footer, sidebar).
#[derive(Debug)]
pub struct Chrome {
    /// `links.block` label.
    pub label: String,
    /// Exact selector, if any.
    pub selector: Option<Selector>,
    /// Class/id tokens.
    pub tokens: Tokens,
}

/// Host lists (share intents, social profiles, ad networks).
#[derive(Debug, Default)]
pub struct Hosts {
    /// `(host, lowercase path prefix)` pairs.
    pub share_intents: Vec<(String, String)>,
    /// `share_intents` by host: the path prefixes of each host (one lookup per domain suffix
    /// of a target's host instead of a scan of the pairs).
    pub(crate) share_intent_map: std::collections::HashMap<String, Vec<String>, super::FastBuild>,
    /// Non-http schemes of share actions (`whatsapp:`).
    pub share_schemes: Vec<String>,
    /// Same-site share query keys (`share`).
    pub share_query_keys: Vec<String>,
    /// Social networks (follow links).
    pub social_hosts: Vec<String>,
    /// Ad / recirculation networks.
    pub ad_hosts: Vec<String>,
    /// `social_hosts` as a set (one lookup per domain suffix instead of a scan of the list).
    pub social_set: super::urls::HostSet,
    /// `ad_hosts` as a set.
    pub ad_set: super::urls::HostSet,
}

/// URL path lists.
#[derive(Debug)]
pub struct Paths {
    pub category_segments: Vec<String>,
    pub tag_segments: Vec<String>,
    pub author_segments: Vec<String>,
    pub tag_query_keys: Vec<String>,
    pub category_query_keys: Vec<String>,
    pub pagination_segments: Vec<String>,
    pub pagination_query_keys: Vec<String>,
    pub non_article_segments: Vec<String>,
    pub search_query_keys: Vec<String>,
    pub section_index_segments: Vec<String>,
    pub attachment_extensions: Vec<String>,
    pub language_root: regex::Regex,
    /// Per segment of the lists above: the `SEG_*` bits of the lists holding it (one lookup
    /// per segment instead of a scan of each list).
    seg_bits: std::collections::HashMap<String, u8, super::FastBuild>,
}

/// [`Paths::seg_bits`] bit of `category_segments`.
pub const SEG_CATEGORY: u8 = 1;
/// Bit of `tag_segments`.
pub const SEG_TAG: u8 = 2;
/// Bit of `author_segments`.
pub const SEG_AUTHOR: u8 = 4;
/// Bit of `pagination_segments`.
pub const SEG_PAGINATION: u8 = 8;
/// Bit of `non_article_segments`.
pub const SEG_NON_ARTICLE: u8 = 16;
/// Bit of `section_index_segments`.
pub const SEG_SECTION_INDEX: u8 = 32;
/// Every segment bit, in the order of [`PathRules::seg_list`].
pub(crate) const SEG_ALL: [u8; 6] = [
    SEG_CATEGORY,
    SEG_TAG,
    SEG_AUTHOR,
    SEG_PAGINATION,
    SEG_NON_ARTICLE,
    SEG_SECTION_INDEX,
];

impl Paths {
    /// The `SEG_*` bits of the segment lists that contain `seg` (exact match).
    pub fn seg_bits(&self, seg: &str) -> u8 {
        self.seg_bits.get(seg).copied().unwrap_or(0)
    }

    /// The segment list of one `SEG_*` bit.
    pub fn seg_list(&self, bit: u8) -> &[String] {
        match bit {
            SEG_CATEGORY => &self.category_segments,
            SEG_TAG => &self.tag_segments,
            SEG_AUTHOR => &self.author_segments,
            SEG_PAGINATION => &self.pagination_segments,
            SEG_NON_ARTICLE => &self.non_article_segments,
            SEG_SECTION_INDEX => &self.section_index_segments,
            _ => &[],
        }
    }

    fn index_segments(&mut self) {
        let mut bits: std::collections::HashMap<String, u8, super::FastBuild> = Default::default();
        for bit in SEG_ALL {
            for s in self.seg_list(bit) {
                *bits.entry(s.clone()).or_insert(0) |= bit;
            }
        }
        self.seg_bits = bits;
    }
}

/// Compiled `[links]` rules.
#[derive(Debug)]
pub struct LinkRules {
    pub max_heading_words: usize,
    pub heading_climb_max_levels: usize,
    pub container_max_levels_up: usize,
    pub block_max_links: usize,
    pub block_max_nonlink_words: usize,
    pub block_min_link_density: f64,
    pub block_light_nonlink_words: usize,
    pub heavy_block_min_articles: usize,
    pub heavy_block_min_link_density: f64,
    pub heading_block_min_links: usize,
    pub class_block_min_links: usize,
    pub sponsored_block_min_links: usize,
    pub run_min_link_text_ratio: f64,
    pub adjacent_wrapper_max_words: usize,
    pub adjacent_max_links: usize,
    /// Classes whose text is not visible (exact class names).
    pub hidden_text_classes: Vec<String>,
    /// Page types on which class/heading-only related blocks are not related.
    pub generic_related_skip_page_types: Vec<String>,
    pub heading_class: Tokens,
    pub taxonomy_prefixes: Vec<String>,
    pub related_class: Tokens,
    pub recent_class: Tokens,
    pub popular_class: Tokens,
    pub sponsored_class: Tokens,
    pub topics_class: Tokens,
    /// The five family token lists in one automaton: a node none of whose tokens it matches
    /// carries no family class, so [`super::heading::class_family`] skips the five tests.
    pub any_family_class: Tokens,
    pub share_class: Tokens,
    /// All the token lists above and the chrome tokens in one automaton (per-node masks).
    pub token_index: TokenIndex,
    pub adjacent: Selector,
    pub related_headings: Lexicon,
    pub recent_headings: Lexicon,
    pub popular_headings: Lexicon,
    pub topics_headings: Lexicon,
    pub sponsored_headings: Lexicon,
    /// Anchors that lead to an index page ("View all").
    pub non_item_anchors: Lexicon,
    /// Inline "Read more: …" phrases (SCHEMA §6.6 rule 4); the content stage may use them too.
    pub read_more: Lexicon,
    pub hosts: Hosts,
    pub paths: Paths,
    pub plugins: Vec<Plugin>,
    pub chrome: Vec<Chrome>,
}

fn lower(v: Vec<String>) -> Vec<String> {
    v.into_iter().map(|s| s.trim().to_lowercase()).collect()
}

fn host_only(h: &str) -> String {
    h.trim().trim_start_matches("www.").to_ascii_lowercase()
}

impl LinkRules {
    /// Compiles the `[links]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: LinksConfig = crate::settings::section(table, "links")?;
        let share_intents = c
            .hosts
            .share_intents
            .iter()
            .map(|s| {
                let s = s.trim();
                match s.split_once('/') {
                    Some((h, p)) => (host_only(h), format!("/{}", p.to_ascii_lowercase())),
                    None => (host_only(s), "/".to_string()),
                }
            })
            .collect::<Vec<(String, String)>>();
        let mut share_intent_map: std::collections::HashMap<String, Vec<String>, super::FastBuild> =
            Default::default();
        for (h, p) in &share_intents {
            share_intent_map
                .entry(h.clone())
                .or_default()
                .push(p.clone());
        }
        let plugins = c
            .plugins
            .into_iter()
            .map(|p| {
                Ok(Plugin {
                    label: p.label,
                    selector: Selector::parse(&p.selector)?,
                    heading: p
                        .heading
                        .as_deref()
                        .unwrap_or("")
                        .split(',')
                        .filter(|s| !s.trim().is_empty())
                        .map(Selector::parse)
                        .collect::<Result<Vec<_>, _>>()?,
                    shell: p.shell,
                    external: p.external,
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let any_family = [
            &c.related_class_tokens[..],
            &c.recent_class_tokens[..],
            &c.popular_class_tokens[..],
            &c.sponsored_class_tokens[..],
            &c.topics_class_tokens[..],
        ]
        .concat();
        let mut lists: Vec<&[String]> = vec![
            &c.heading_class_tokens,
            &c.related_class_tokens,
            &c.recent_class_tokens,
            &c.popular_class_tokens,
            &c.sponsored_class_tokens,
            &c.topics_class_tokens,
            &any_family,
            &c.share_class_tokens,
        ];
        lists.extend(c.chrome.iter().map(|ch| &ch.tokens[..]));
        let (token_index, tokens) = TokenIndex::new(&lists);
        let mut tokens = tokens.into_iter();
        let mut next = || tokens.next().unwrap_or_default();
        let heading_class = next();
        let related_class = next();
        let recent_class = next();
        let popular_class = next();
        let sponsored_class = next();
        let topics_class = next();
        let any_family_class = next();
        let share_class = next();
        let chrome = c
            .chrome
            .into_iter()
            .map(|ch| {
                Ok(Chrome {
                    label: ch.label,
                    selector: ch.selector.as_deref().map(Selector::parse).transpose()?,
                    tokens: next(),
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let mut rules = LinkRules {
            max_heading_words: c.max_heading_words,
            heading_climb_max_levels: c.heading_climb_max_levels,
            container_max_levels_up: c.container_max_levels_up,
            block_max_links: c.block_max_links,
            block_max_nonlink_words: c.block_max_nonlink_words,
            block_min_link_density: c.block_min_link_density,
            block_light_nonlink_words: c.block_light_nonlink_words,
            heavy_block_min_articles: c.heavy_block_min_articles,
            heavy_block_min_link_density: c.heavy_block_min_link_density,
            heading_block_min_links: c.heading_block_min_links.max(1),
            class_block_min_links: c.class_block_min_links.max(1),
            sponsored_block_min_links: c.sponsored_block_min_links.max(1),
            run_min_link_text_ratio: c.run_min_link_text_ratio,
            adjacent_wrapper_max_words: c.adjacent_wrapper_max_words,
            adjacent_max_links: c.adjacent_max_links,
            hidden_text_classes: c.hidden_text_classes,
            generic_related_skip_page_types: lower(c.generic_related_skip_page_types),
            heading_class,
            taxonomy_prefixes: lower(c.taxonomy_class_prefixes),
            related_class,
            recent_class,
            popular_class,
            sponsored_class,
            topics_class,
            any_family_class,
            share_class,
            token_index,
            adjacent: Selector::parse(&c.adjacent_selector)?,
            related_headings: Lexicon::new(&c.headings.related),
            recent_headings: Lexicon::new(&c.headings.recent),
            popular_headings: Lexicon::new(&c.headings.popular),
            topics_headings: Lexicon::new(&c.headings.topics),
            non_item_anchors: Lexicon::new(&c.non_item_anchor_phrases),
            sponsored_headings: Lexicon::new(&c.headings.sponsored),
            read_more: Lexicon::new(&c.read_more_phrases),
            hosts: {
                let social_hosts: Vec<String> =
                    c.hosts.social_hosts.iter().map(|h| host_only(h)).collect();
                let ad_hosts: Vec<String> = c.hosts.ad_hosts.iter().map(|h| host_only(h)).collect();
                Hosts {
                    share_intents,
                    share_intent_map,
                    share_schemes: lower(c.hosts.share_schemes),
                    share_query_keys: lower(c.hosts.share_query_keys),
                    social_set: super::urls::HostSet::new(&social_hosts),
                    ad_set: super::urls::HostSet::new(&ad_hosts),
                    social_hosts,
                    ad_hosts,
                }
            },
            paths: Paths {
                category_segments: lower(c.paths.category_segments),
                tag_segments: lower(c.paths.tag_segments),
                author_segments: lower(c.paths.author_segments),
                tag_query_keys: lower(c.paths.tag_query_keys),
                category_query_keys: lower(c.paths.category_query_keys),
                pagination_segments: lower(c.paths.pagination_segments),
                pagination_query_keys: lower(c.paths.pagination_query_keys),
                non_article_segments: lower(c.paths.non_article_segments),
                search_query_keys: lower(c.paths.search_query_keys),
                section_index_segments: lower(c.paths.section_index_segments),
                attachment_extensions: lower(c.paths.attachment_extensions),
                language_root: regex::Regex::new(&c.paths.language_root_regex)?,
                seg_bits: Default::default(),
            },
            plugins,
            chrome,
        };
        rules.paths.index_segments();
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_labels_normalise_like_the_general_path() {
        for s in [
            "",
            "   ",
            "  Related   Posts: ",
            "\t\x0bRead\x0cMore\r\n",
            ">> Next",
            "--- ",
            "a",
            "READ MORE \u{bb}",
            "\u{bb} You May Also Like",
            "\u{2019}Tis",
            "x\u{a0}y",
            "Ab\u{200b} C",
        ] {
            assert_eq!(normalize_label(s), normalize_label_general(s), "{s:?}");
        }
    }

    #[test]
    fn lexicon_matches_prefix_on_word_boundary() {
        let l = Lexicon::new(&["Related", "You may also like", "Lesen Sie auch"]);
        assert_eq!(l.matches("  Related posts: "), Some("related"));
        assert_eq!(l.matches("» You May Also Like"), Some("you may also like"));
        assert_eq!(l.matches("Lesen Sie auch:"), Some("lesen sie auch"));
        assert_eq!(l.matches("Relatedness of things"), None);
        assert_eq!(l.matches("Comments"), None);
    }

    #[test]
    fn lexicon_buckets_agree_with_a_scan_of_all_phrases() {
        let r = crate::settings::Rules::defaults().unwrap();
        let r = &r.links;
        let lexicons = [
            &r.related_headings,
            &r.recent_headings,
            &r.popular_headings,
            &r.topics_headings,
            &r.sponsored_headings,
            &r.non_item_anchors,
            &r.read_more,
        ];
        let labels = [
            "",
            "read more",
            "read more about it",
            "readmore",
            "related posts",
            "related",
            "you may also like",
            "view all",
            "more stories",
            "lesen sie auch",
            "関連記事",
            "à lire aussi",
            "popular",
            "latest news",
            "x",
            "sponsored",
        ];
        for lex in lexicons {
            for label in labels {
                let scan = lex
                    .phrases
                    .iter()
                    .find(|p| Lexicon::starts(label, p))
                    .map(String::as_str);
                assert_eq!(lex.matches_label(label), scan, "{label:?}");
            }
            // every phrase finds itself (or a longer phrase it is a prefix of)
            for p in &lex.phrases {
                assert!(lex.matches_label(p).is_some(), "{p:?}");
            }
        }
    }

    #[test]
    fn tokens_ignore_taxonomy_classes() {
        let dom = crate::parse::parse(
            r#"<div id=a class="post tag-social-media category-related"></div><div id=b class="td-social-icons"></div>"#,
            crate::parse::Frontend::Html5ever,
            crate::parse::ParseLimits::default(),
        )
        .unwrap();
        let t = Tokens::new(&["social".to_string(), "related".to_string()]);
        let ignore = vec!["tag-".to_string(), "category-".to_string()];
        let find = |id: &str| {
            dom.find(dom.root(), |n| dom.id_attr(n) == Some(id))
                .unwrap()
        };
        assert!(!t.matches(&dom, find("a"), &ignore));
        assert!(t.matches(&dom, find("b"), &ignore));
    }

    #[test]
    fn segment_bits_agree_with_the_lists() {
        let r = crate::settings::Rules::defaults().unwrap();
        let p = &r.links.paths;
        let bits = SEG_ALL;
        let mut segs: Vec<String> = vec!["".into(), "x".into(), "Tag".into(), "tags2".into()];
        for &b in &bits {
            assert!(!p.seg_list(b).is_empty());
            segs.extend(p.seg_list(b).iter().cloned());
        }
        for s in &segs {
            for &b in &bits {
                let listed = p.seg_list(b).iter().any(|x| x == s);
                assert_eq!(p.seg_bits(s) & b != 0, listed, "{s} {b}");
            }
        }
    }

    #[test]
    fn default_config_compiles() {
        let r = crate::settings::Rules::defaults().unwrap();
        assert!(r.links.plugins.iter().any(|p| p.label == "jetpack_related"));
        assert!(r
            .links
            .related_headings
            .matches("Verwandte Artikel")
            .is_some());
    }
}
