//! Per-node text statistics computed in one bottom-up pass.
//!
//! Why it exists: container choice, link-density filters and chrome protection all need "how
//! much visible text (and link text) is under this node". Computing it once per page, bottom-up
//! over a pre-order list, keeps every later question O(1) and the whole stage linear in the page.

use super::boilerplate::{BoilerRules, Chrome};
use crate::dom::{self, name, Dom, NodeId, NodeSet};

/// Elements that start a new block of text (everything else is inline).
pub fn is_block_tag(t: dom::Name) -> bool {
    matches!(
        t,
        name::P
            | name::DIV
            | name::SECTION
            | name::ARTICLE
            | name::MAIN
            | name::ASIDE
            | name::NAV
            | name::HEADER
            | name::FOOTER
            | name::H1
            | name::H2
            | name::H3
            | name::H4
            | name::H5
            | name::H6
            | name::UL
            | name::OL
            | name::LI
            | name::DL
            | name::DT
            | name::DD
            | name::MENU
            | name::TABLE
            | name::THEAD
            | name::TBODY
            | name::TFOOT
            | name::TR
            | name::TD
            | name::TH
            | name::CAPTION
            | name::BLOCKQUOTE
            | name::PRE
            | name::FIGURE
            | name::FIGCAPTION
            | name::FORM
            | name::FIELDSET
            | name::LEGEND
            | name::ADDRESS
            | name::DETAILS
            | name::SUMMARY
            | name::HR
            | name::CENTER
            | name::HGROUP
            | name::DIALOG
            | name::SEARCH
            | name::BODY
            | name::HTML
    )
}

/// True when the element is hidden by markup (`hidden`, `aria-hidden=true`, inline
/// `display:none` / `visibility:hidden`).
pub fn is_hidden(dom: &Dom, n: NodeId) -> bool {
    // one pass over the attributes; the first `aria-hidden` and `style` count, as `attr_by`
    let (mut aria, mut style) = (None, None);
    for (a, v) in dom.attr_pairs(n) {
        match a {
            name::HIDDEN => return true,
            name::ARIA_HIDDEN if aria.is_none() => aria = Some(v),
            name::STYLE if style.is_none() => style = Some(v),
            _ => {}
        }
    }
    hidden_by(false, aria, style)
}

/// [`is_hidden`] from attributes already read: a `hidden` attribute, the first `aria-hidden`
/// and the first `style` value (for callers that read other attributes in the same pass).
pub(crate) fn hidden_by(hidden: bool, aria: Option<&str>, style: Option<&str>) -> bool {
    hidden
        || aria.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || style.is_some_and(style_hides)
}

/// True when an inline style sets `display:none` or `visibility:hidden` (whitespace and case
/// ignored).
fn style_hides(style: &str) -> bool {
    const NEEDLES: [&[u8]; 2] = [b"display:none", b"visibility:hidden"];
    // an ASCII style can only hide when a `:` is followed (past whitespace) by `n` or `h`
    // (the `:none` / `:hidden` of the squeezed text): most styles are passed over here
    if style.is_ascii() && !colon_before_n_or_h(style.as_bytes()) {
        return false;
    }
    // ASCII styles (nearly all) are squeezed on the stack
    let mut small = [0u8; 256];
    if style.is_ascii() && style.len() <= small.len() {
        let mut k = 0;
        for &b in style.as_bytes() {
            if !(b.is_ascii_whitespace() || b == b'\x0b') {
                small[k] = b.to_ascii_lowercase();
                k += 1;
            }
        }
        let s = &small[..k];
        return NEEDLES
            .iter()
            .any(|nd| memchr::memmem::find(s, nd).is_some());
    }
    squeezed_hides(style)
}

/// The general test: `style` with whitespace removed and lowercased holds `display:none` or
/// `visibility:hidden` (the prefilters above answer the common cases without this copy).
fn squeezed_hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// True when some `:` is followed, past ASCII whitespace (and \x0b, as `style_hides` squeezes
/// it), by `n`, `N`, `h` or `H`.
fn colon_before_n_or_h(b: &[u8]) -> bool {
    memchr::memchr_iter(b':', b).any(|i| {
        b[i + 1..]
            .iter()
            .find(|&&c| !(c.is_ascii_whitespace() || c == b'\x0b'))
            .is_some_and(|&c| matches!(c, b'n' | b'N' | b'h' | b'H'))
    })
}

/// Visible characters of a text node (whitespace not counted).
#[inline(never)]
fn visible_chars(t: &str) -> u32 {
    // a character is counted at its first byte (any byte but a continuation byte 80–BF) unless
    // it is whitespace: the ASCII part of `is_ws` (\t \n \x0b \x0c \r and space) is one
    // byte, the other `is_ws` characters are the few sequences of `ws_sequence_at`; both
    // counts are branch-free loops over the bytes (vectorised), the second one only for text
    // with non-ASCII bytes
    let b = t.as_bytes();
    let mut count = 0u32;
    let mut high = 0u8;
    for chunk in b.chunks(128) {
        let mut n = 0u8;
        for &c in chunk {
            let lead = (c as i8) >= -64;
            let ws = (c == b' ') | (c.wrapping_sub(b'\t') <= b'\r' - b'\t');
            n += u8::from(lead & !ws);
            high |= c;
        }
        count += u32::from(n);
    }
    if high < 0x80 {
        return count;
    }
    count - non_ascii_ws(b)
}

/// Number of non-ASCII whitespace characters of `is_ws` in valid UTF-8 `b`: U+0085, U+00A0
/// (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000–U+200B (E2 80 80–8B), U+2028, U+2029, U+202F
/// (E2 80 A8, A9, AF), U+205F (E2 81 9F), U+3000 (E3 80 80), U+FEFF (EF BB BF). Only the
/// positions of the five lead bytes are looked at (found by a vectorised search): most
/// non-ASCII text (accented Latin, Cyrillic, CJK ideographs) holds few or none of them.
fn non_ascii_ws(b: &[u8]) -> u32 {
    // a byte past the end reads as 0, which no sequence continues with
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let hit = |i: usize| -> u32 {
        let (y, z) = (at(i + 1), at(i + 2));
        u32::from(match at(i) {
            0xC2 => y == 0x85 || y == 0xA0,
            0xE1 => y == 0x9A && z == 0x80,
            0xE2 => {
                (y == 0x80 && ((0x80..=0x8B).contains(&z) || matches!(z, 0xA8 | 0xA9 | 0xAF)))
                    || (y == 0x81 && z == 0x9F)
            }
            0xE3 => y == 0x80 && z == 0x80,
            0xEF => y == 0xBB && z == 0xBF,
            _ => false,
        })
    };
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, b)
        .map(hit)
        .sum::<u32>()
        + memchr::memchr2_iter(0xE1, 0xEF, b).map(hit).sum::<u32>()
}

/// Elements that `marks` makes dead whatever the rules and exclusions (`noscript` is chrome).
fn never_rendered(t: dom::Name) -> bool {
    t != name::NOSCRIPT && dom::is_non_rendered(t)
}

/// True when `n` holds an `h1`: an element wrapping the page's headline is a page wrapper
/// whatever its tag, not a sidebar.
fn holds_headline(dom: &Dom, n: NodeId) -> bool {
    dom.descendants(n).any(|d| dom.is(d, name::H1))
}

/// The page's `main` landmark: `<main>` or `role="main"`.
fn is_main_landmark(dom: &Dom, n: NodeId) -> bool {
    dom.is(n, name::MAIN)
        || dom
            .attr_by(n, name::ROLE)
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
}

/// Statistics of every node of a page.
pub struct Stats {
    /// Visible characters under the node (dead subtrees count 0).
    pub text: Vec<u32>,
    /// Of which inside `<a>`.
    pub link: Vec<u32>,
    /// `<a href>` elements under the node (inclusive).
    pub anchors: Vec<u32>,
    /// Visible characters with chrome subtrees removed too.
    pub clean: Vec<u32>,
    /// Of which inside `<a>`.
    pub clean_link: Vec<u32>,
    /// Elements that contain a block-level element.
    pub has_block: NodeSet,
    /// Never rendered or excluded by an earlier stage (comments, related blocks).
    pub dead: NodeSet,
    /// Matched a chrome (boilerplate container) rule, minus the page-wide share protection.
    pub chrome: NodeSet,
    /// Chrome that no protection overrules (named widgets: comment areas, share bars).
    pub absolute: NodeSet,
    /// Paragraphs under each node: `p` with text, and text-only `div`s of paragraph size.
    pub paras: Vec<u16>,
    /// Elements that are chrome only by a weak tag (`form`): a forum post's edit form wraps
    /// the post itself.
    pub weak_tag: NodeSet,
    /// Elements holding the page's `main` landmark.
    holds_main: NodeSet,
    /// Elements holding a sub-heading (`h2`–`h4`).
    holds_heading: NodeSet,
    /// The nodes below the root in pre-order (shared with the statistics recomputed from these).
    order: std::sync::Arc<[NodeId]>,
    /// The chrome level of each element the marks asked about (None: dead or not asked), under
    /// the rules and forum flag of `levels_of`: a recompute under the same ones reads them
    /// instead of asking the rules again (a level depends on the element, rules and flag only).
    levels: Vec<Option<Chrome>>,
    /// (address of the rules, forum flag) of `levels`.
    levels_of: (usize, bool),
}

/// The chrome marks of one set of rules (before any protection).
struct Marks {
    dead: NodeSet,
    chrome: NodeSet,
    absolute: NodeSet,
    weak: NodeSet,
    /// `p` elements that are chrome by a class/id word only.
    weak_paragraphs: Vec<NodeId>,
    weak_tag: NodeSet,
}

impl Stats {
    /// Computes the statistics of the whole document.
    /// On a forum thread (`forum`) comment areas are content, not chrome.
    pub fn compute(dom: &Dom, rules: &BoilerRules, excluded: &NodeSet, forum: bool) -> Stats {
        Self::compute_after(dom, rules, excluded, forum, None)
    }

    /// [`Self::compute`] again on the same document with other rules or exclusions, reusing
    /// what `prev` (computed on the same document) already counted: the characters of every
    /// text node, and all text, link and paragraph counts when the dead elements are the same
    /// (they depend on nothing else). The result is the one [`Self::compute`] gives.
    pub fn recompute(
        &self,
        dom: &Dom,
        rules: &BoilerRules,
        excluded: &NodeSet,
        forum: bool,
    ) -> Stats {
        Self::compute_after(dom, rules, excluded, forum, Some(self))
    }

    fn compute_after(
        dom: &Dom,
        rules: &BoilerRules,
        excluded: &NodeSet,
        forum: bool,
        prev: Option<&Stats>,
    ) -> Stats {
        let n = dom.len();
        let order: std::sync::Arc<[NodeId]> = match prev {
            Some(p) if p.text.len() == n => p.order.clone(),
            _ => dom.descendants(dom.root()).collect(),
        };
        let levels_of = (std::ptr::from_ref(rules) as usize, forum);
        let known = prev
            .filter(|p| p.levels_of == levels_of && p.levels.len() == n)
            .map(|p| p.levels.as_slice());
        let (marks, levels) = Self::marks(dom, rules, excluded, forum, &order, known);
        let mut s = match prev {
            Some(p) if p.text.len() == n && p.dead == marks.dead => Stats {
                text: p.text.clone(),
                link: p.link.clone(),
                anchors: p.anchors.clone(),
                clean: vec![0; n],
                clean_link: vec![0; n],
                has_block: p.has_block.clone(),
                dead: marks.dead,
                chrome: marks.chrome,
                absolute: marks.absolute,
                paras: p.paras.clone(),
                weak_tag: marks.weak_tag,
                holds_main: p.holds_main.clone(),
                holds_heading: p.holds_heading.clone(),
                order: order.clone(),
                levels,
                levels_of,
            },
            _ => {
                let mut s = Stats {
                    text: vec![0; n],
                    link: vec![0; n],
                    anchors: vec![0; n],
                    clean: vec![0; n],
                    clean_link: vec![0; n],
                    has_block: NodeSet::for_dom(dom),
                    dead: marks.dead,
                    chrome: marks.chrome,
                    absolute: marks.absolute,
                    paras: vec![0; n],
                    weak_tag: marks.weak_tag,
                    holds_main: NodeSet::for_dom(dom),
                    holds_heading: NodeSet::for_dom(dom),
                    order: order.clone(),
                    levels,
                    levels_of,
                };
                s.count(dom, rules, &order, prev.filter(|p| p.text.len() == n));
                s
            }
        };
        s.protect(dom, rules, &order, &marks.weak, &marks.weak_paragraphs);
        s.clean_pass(dom, &order);
        s
    }

    /// Dead and chrome marks of every element, and the chrome level of each live one (read
    /// from `known` where it holds one: levels under the same rules and forum flag).
    #[inline(never)]
    fn marks(
        dom: &Dom,
        rules: &BoilerRules,
        excluded: &NodeSet,
        forum: bool,
        order: &[NodeId],
        known: Option<&[Option<Chrome>]>,
    ) -> (Marks, Vec<Option<Chrome>>) {
        let mut m = Marks {
            dead: NodeSet::for_dom(dom),
            chrome: NodeSet::for_dom(dom),
            absolute: NodeSet::for_dom(dom),
            weak: NodeSet::for_dom(dom),
            weak_paragraphs: Vec::new(),
            weak_tag: NodeSet::for_dom(dom),
        };
        let mut levels = vec![None; dom.len()];
        // prepared only when some level is not known
        let mut prepared = None;
        for &id in order {
            if let Some(t) = dom.tag(id) {
                // `noscript` holds what a browser without scripts shows (Discourse serves its
                // posts there): chrome, kept only when it is the bulk of the page
                if t == name::NOSCRIPT {
                    m.chrome.insert(id);
                } else if never_rendered(t) || excluded.contains(id) {
                    m.dead.insert(id);
                } else {
                    let level = match known.and_then(|k| k.get(id as usize).copied().flatten()) {
                        Some(level) => level,
                        None => rules.chrome_level_in(
                            dom,
                            id,
                            forum,
                            prepared.get_or_insert_with(|| rules.prepare(dom)),
                        ),
                    };
                    if let Some(slot) = levels.get_mut(id as usize) {
                        *slot = Some(level);
                    }
                    match level {
                        Chrome::Strong => m.chrome.insert(id),
                        Chrome::Absolute => {
                            m.chrome.insert(id);
                            m.absolute.insert(id);
                        }
                        Chrome::Weak => {
                            m.chrome.insert(id);
                            m.weak.insert(id);
                            if t == name::P {
                                m.weak_paragraphs.push(id);
                            }
                        }
                        Chrome::WeakTag => {
                            m.chrome.insert(id);
                            m.weak.insert(id);
                            m.weak_tag.insert(id);
                        }
                        Chrome::No => {}
                    }
                }
            }
        }
        (m, levels)
    }

    /// Text, links, paragraphs and block structure, bottom-up (they depend on the dead marks
    /// only); the characters of text nodes are taken from `prev` when given.
    #[inline(never)]
    fn count(&mut self, dom: &Dom, rules: &BoilerRules, order: &[NodeId], prev: Option<&Stats>) {
        let s = self;
        // few elements carry a `role`: those come from the element index
        let mut roled = NodeSet::for_dom(dom);
        for &n in dom.index().with_attr(name::ROLE) {
            roled.insert(n);
        }
        for &id in order.iter().rev() {
            let i = id as usize;
            if dom.is_text(id) {
                s.text[i] = match prev {
                    Some(p) => p.text[i],
                    // the text of a script, style and the like is in a dead subtree under any
                    // rules and exclusions (see `marks`): it counts 0, unread
                    None if dom
                        .parent(id)
                        .and_then(|p| dom.tag(p))
                        .is_some_and(never_rendered) =>
                    {
                        0
                    }
                    None => visible_chars(dom.text(id)),
                };
            } else if let Some(t) = dom.tag(id) {
                if s.dead.contains(id) {
                    s.text[i] = 0;
                    s.link[i] = 0;
                    s.paras[i] = 0;
                    continue;
                }
                if t == name::A {
                    s.link[i] = s.text[i];
                    if dom.attr_by(id, name::HREF).is_some() {
                        s.anchors[i] += 1;
                    }
                }
                let leaf_text_block = matches!(
                    t,
                    name::DIV | name::SECTION | name::TD | name::BLOCKQUOTE | name::DD
                ) && !s.has_block.contains(id)
                    && s.text[i] >= rules.leaf_paragraph_chars;
                if (t == name::P && s.text[i] > 0) || leaf_text_block {
                    s.paras[i] = s.paras[i].saturating_add(1);
                }
                if (t == name::MAIN || roled.contains(id)) && is_main_landmark(dom, id) {
                    s.holds_main.insert(id);
                }
                if matches!(t, name::H2 | name::H3 | name::H4) {
                    s.holds_heading.insert(id);
                }
            }
            let Some(p) = dom.parent(id) else { continue };
            let pi = p as usize;
            s.text[pi] += s.text[i];
            s.link[pi] += s.link[i];
            s.anchors[pi] += s.anchors[i];
            s.paras[pi] = s.paras[pi].saturating_add(s.paras[i]);
            if s.holds_main.contains(id) {
                s.holds_main.insert(p);
            }
            if s.holds_heading.contains(id) {
                s.holds_heading.insert(p);
            }
            if dom.tag(id).is_some_and(is_block_tag) || s.has_block.contains(id) {
                s.has_block.insert(p);
            }
        }
    }

    /// The protections that overrule chrome marks: weak marks on elements of content size or
    /// holding the `main` landmark, and chrome holding the bulk of the page.
    #[inline(never)]
    fn protect(
        &mut self,
        dom: &Dom,
        rules: &BoilerRules,
        order: &[NodeId],
        weak: &NodeSet,
        weak_paragraphs: &[NodeId],
    ) {
        let s = self;
        for &id in order {
            if !weak.contains(id) || s.dead.contains(id) {
                continue;
            }
            let i = id as usize;
            // a class word like `sidebar` on a layout wrapper (`content-sidebar-wrap`)
            // holding the `main` landmark names what sits beside the content
            if !s.weak_tag.contains(id) && s.holds_main.contains(id) {
                s.chrome.remove(id);
            }
            if (s.paras[i] >= rules.weak_protect_paragraphs
                || (s.holds_heading.contains(id)
                    && s.paras[i] >= rules.weak_protect_section_paragraphs)
                || (s.weak_tag.contains(id) && s.text[i] >= rules.weak_tag_protect_min_chars))
                && s.link_density(id) < rules.weak_protect_max_link_density
                && (!s.weak_tag.contains(id)
                    || s.text[i] as usize
                        >= rules.weak_tag_protect_min_chars_per_control as usize
                            * super::boilerplate::form_controls(dom, id))
            {
                s.chrome.remove(id);
            }
        }
        for id in styled_paragraph_runs(dom, s, weak_paragraphs, rules) {
            s.chrome.remove(id);
        }
        // chrome holding the bulk of the page is a mislabelled wrapper, not chrome, unless it is
        // an `aside`/`nav`/`footer` that is mostly links and holds no `h1` (a long archive or tag
        // list beside a short article, not a wrapper around the page): that stays chrome
        let protect = f64::from(s.text[dom.body() as usize]) * rules.protect_share;
        for &id in order {
            if s.chrome.contains(id)
                && !s.absolute.contains(id)
                && f64::from(s.text[id as usize]) >= protect
            {
                if rules.is_discard_tag(dom, id)
                    && s.link_density(id) > rules.protect_max_link_density
                    && !holds_headline(dom, id)
                {
                    s.absolute.insert(id);
                } else {
                    s.chrome.remove(id);
                }
            }
        }
    }

    /// Clean text (chrome removed), bottom-up.
    #[inline(never)]
    fn clean_pass(&mut self, dom: &Dom, order: &[NodeId]) {
        let s = self;
        for &id in order.iter().rev() {
            let i = id as usize;
            if dom.is_text(id) {
                s.clean[i] = s.text[i];
            } else if s.dead.contains(id) {
                continue;
            } else if dom.is(id, name::A) {
                s.clean_link[i] = s.clean[i];
            }
            let Some(p) = dom.parent(id) else { continue };
            if !s.chrome.contains(id) {
                s.clean[p as usize] += s.clean[i];
                s.clean_link[p as usize] += s.clean_link[i];
            }
        }
    }

    /// Link density (0–1) of a node's text.
    pub fn link_density(&self, n: NodeId) -> f64 {
        let t = self.text[n as usize];
        if t == 0 {
            0.0
        } else {
            f64::from(self.link[n as usize]) / f64::from(t)
        }
    }
}

/// Paragraphs that a chrome word in their class marks as a style, not as a widget: at least
/// `weak_protect_paragraphs` sibling `p`s with the same class value and, together, a link
/// density below `weak_protect_max_link_density` (`<p class="contextmenu Body">` on every
/// paragraph of a story). A run of prose paragraphs is the text; a widget is one block.
fn styled_paragraph_runs(
    dom: &Dom,
    s: &Stats,
    weak_paragraphs: &[NodeId],
    rules: &BoilerRules,
) -> Vec<NodeId> {
    if weak_paragraphs.len() < usize::from(rules.weak_protect_paragraphs.max(1)) {
        return Vec::new();
    }
    // (parent, class value) → (paragraphs, characters, link characters), in document order
    type Run<'a> = ((NodeId, &'a str), (usize, u64, u64));
    let mut runs: Vec<Run> = Vec::new();
    for &n in weak_paragraphs {
        let (Some(parent), Some(class)) = (dom.parent(n), dom.attr_by(n, name::CLASS)) else {
            continue;
        };
        if s.text[n as usize] == 0 || dom.id_attr(n).is_some_and(|i| !i.is_empty()) {
            continue;
        }
        let key = (parent, class);
        let i = match runs.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                runs.push((key, (0, 0, 0)));
                runs.len() - 1
            }
        };
        let v = &mut runs[i].1;
        v.0 += 1;
        v.1 += u64::from(s.text[n as usize]);
        v.2 += u64::from(s.link[n as usize]);
    }
    let styled: Vec<(NodeId, &str)> = runs
        .into_iter()
        .filter(|&(_, (count, text, link))| {
            count >= usize::from(rules.weak_protect_paragraphs)
                && text > 0
                && (link as f64 / text as f64) < rules.weak_protect_max_link_density
        })
        .map(|(k, _)| k)
        .collect();
    weak_paragraphs
        .iter()
        .copied()
        .filter(|&n| {
            dom.parent(n)
                .zip(dom.attr_by(n, name::CLASS))
                .is_some_and(|k| styled.contains(&k))
        })
        .collect()
}

/// Test set-up shared by the content modules' tests: the statistics of `dom` under the
/// default rules, nothing excluded, not a forum.
#[cfg(test)]
impl Stats {
    pub(crate) fn with_default_rules(dom: &Dom) -> Stats {
        let rules = crate::settings::Rules::defaults().unwrap();
        Stats::compute(dom, &rules.content.boiler, &NodeSet::for_dom(dom), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};
    use crate::settings::Rules;

    #[test]
    fn counts_text_links_and_blocks() {
        let d = parse(
            "<body><div id=a><p>Hello <a href=x>world</a></p><script>var x</script></div>\
             <nav><a href=y>Home</a></nav><span id=s>inline</span></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let st = Stats::compute(&d, &rules.content.boiler, &NodeSet::for_dom(&d), false);
        let a = d.find(0, |n| d.id_attr(n) == Some("a")).unwrap();
        assert_eq!(st.text[a as usize], 10);
        assert_eq!(st.link[a as usize], 5);
        assert!(st.has_block.contains(a));
        let sp = d.find(0, |n| d.id_attr(n) == Some("s")).unwrap();
        assert!(!st.has_block.contains(sp));
        let body = d.body();
        assert_eq!(st.text[body as usize], 10 + 4 + 6);
        assert_eq!(st.clean[body as usize], 10 + 6);
        assert!((st.link_density(a) - 0.5).abs() < 1e-9);
    }

    /// Script and style text is never counted, under any rules; `noscript` text is.
    #[test]
    fn never_rendered_text_counts_nothing() {
        let d = parse(
            "<body><div id=a>Words<script>var x = 1;</script><style>p{}</style>\
             <noscript>Fallback</noscript></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let st = Stats::compute(&d, &rules.content.boiler, &NodeSet::for_dom(&d), false);
        for t in [name::SCRIPT, name::STYLE] {
            let el = d.find(0, |n| d.is(n, t)).unwrap();
            let text = d.first_child(el).unwrap();
            assert!(d.is_text(text));
            assert_eq!((st.text[el as usize], st.text[text as usize]), (0, 0));
        }
        let a = d.find(0, |n| d.id_attr(n) == Some("a")).unwrap();
        assert_eq!(st.text[a as usize], "WordsFallback".len() as u32);
    }

    #[test]
    fn visible_chars_agrees_with_char_filter() {
        for t in [
            "plain ascii text\twith\nbreaks",
            "caf\u{e9} \u{a0}na\u{ef}ve\u{2003}em\u{3000}x\u{feff}\u{200b}y\u{85}z",
            "\u{1680}\u{2028}\u{2029}\u{202f}\u{205f}\u{2060}\u{e9}\u{e1}\u{1f600}\u{20ac}\u{ff21}",
            "",
            "\u{e9}t\u{e9} \u{4e2d}\u{6587} \u{43f}\u{440}\u{438}\u{432}\u{435}\u{442} \u{1f600}",
        ] {
            let slow = t.chars().filter(|c| !dom::is_ws(*c)).count() as u32;
            assert_eq!(visible_chars(t), slow, "{t:?}");
        }
        // more than one chunk of the fast path
        let long = "plain words\tand caf\u{e9} ".repeat(40);
        assert_eq!(visible_chars(&long), 40 * 17);
    }

    #[test]
    fn visible_chars_agrees_on_every_space_and_its_neighbours() {
        let slow = |t: &str| t.chars().filter(|c| !dom::is_ws(*c)).count() as u32;
        // every character sharing a lead byte with a non-ASCII space, every position
        let mut alphabet: Vec<char> = "a \t\n\x0b\x0c\r\u{1f600}".chars().collect();
        for lo in [
            0x80u32, 0x1600, 0x1680, 0x2000, 0x2040, 0x3000, 0xfe00, 0xff00,
        ] {
            alphabet.extend((lo..lo + 0x100).filter_map(char::from_u32));
        }
        for &c in &alphabet {
            for pre in ["", "x", "xy", "\u{e9}"] {
                let t = format!("{pre}{c}");
                assert_eq!(visible_chars(&t), slow(&t), "{t:?}");
                let t = format!("{pre}{c}z{c}{c}");
                assert_eq!(visible_chars(&t), slow(&t), "{t:?}");
            }
        }
        // pseudo-random strings longer than one chunk
        let mut x = 12345u32;
        for _ in 0..200 {
            let t: String = (0..300)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    alphabet[(x >> 8) as usize % alphabet.len()]
                })
                .collect();
            assert_eq!(visible_chars(&t), slow(&t));
        }
    }

    #[test]
    fn recompute_equals_compute() {
        let d = parse(
            "<body><div id=w class='content-sidebar-wrap'><main><p>Body text here</p>\
             <p>More <a href=x>linked</a> text</p></main>\
             <div id=s class='sidebar'><a href=x>Archive</a></div></div>\
             <form id=f><p>Post in a form with words.</p></form>\
             <div id=c class=comments><p>A comment</p></div>\
             <div class='related'><p>Rel \u{a0} text</p></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let (b, l) = (&rules.content.boiler, &rules.content.listing.boiler);
        let none = NodeSet::for_dom(&d);
        let mut some = NodeSet::for_dom(&d);
        some.insert(d.find(0, |n| d.id_attr(n) == Some("c")).unwrap());
        let same = |x: &Stats, y: &Stats| {
            assert_eq!(x.text, y.text);
            assert_eq!(x.link, y.link);
            assert_eq!(x.anchors, y.anchors);
            assert_eq!(x.clean, y.clean);
            assert_eq!(x.clean_link, y.clean_link);
            assert_eq!(x.paras, y.paras);
            assert!(x.has_block == y.has_block && x.dead == y.dead && x.chrome == y.chrome);
            assert!(x.absolute == y.absolute && x.weak_tag == y.weak_tag);
        };
        let first = Stats::compute(&d, b, &none, false);
        // levels known from a compute where an element was dead, now live
        same(
            &Stats::compute(&d, b, &some, false).recompute(&d, b, &none, false),
            &Stats::compute(&d, b, &none, false),
        );
        for (r, ex, forum) in [
            (b, &none, false),
            (l, &none, false),
            (b, &some, true),
            (b, &some, false),
        ] {
            same(
                &first.recompute(&d, r, ex, forum),
                &Stats::compute(&d, r, ex, forum),
            );
        }
    }

    #[test]
    fn layout_wrapper_named_sidebar_holding_main_is_not_chrome() {
        let d = parse(
            "<body><div id=w class='content-sidebar-wrap'><main><p>Body text here</p></main>\
             <div id=s class='sidebar'><a href=x>Archive</a></div></div>\
             <div id=o class='sidebar-wrap'><p>Side</p></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let st = Stats::compute(&d, &rules.content.boiler, &NodeSet::for_dom(&d), false);
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        assert!(!st.chrome.contains(f("w")));
        assert!(st.chrome.contains(f("s")));
        assert!(st.chrome.contains(f("o")));
        assert_eq!(st.clean[d.body() as usize], "Bodytexthere".len() as u32);
    }

    #[test]
    fn a_run_of_paragraphs_styled_with_a_chrome_word_is_text() {
        let d = parse(
            "<body><div><p class='contextmenu Body'>One paragraph of the story.</p>\
             <p class='contextmenu Body'>Another paragraph of it.</p>\
             <p class='contextmenu Body'>And a third one.</p><p>Plain.</p></div>\
             <div><p class='menu-item'><a href=a>Home</a></p><p class='menu-item'><a href=b>News</a></p>\
             <p class='menu-item'><a href=c>Sport</a></p></div>\
             <div><p class='promo'>Buy now.</p><p>Text.</p><p class='promo'>Sale.</p></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let st = Stats::compute(&d, &rules.content.boiler, &NodeSet::for_dom(&d), false);
        let chrome = |class: &str| {
            d.find_all(d.body(), |n| d.attr(n, "class") == Some(class))
                .into_iter()
                .map(|n| st.chrome.contains(n))
                .collect::<Vec<_>>()
        };
        assert_eq!(chrome("contextmenu Body"), vec![false; 3]);
        // link lists and lone styled blocks stay chrome
        assert_eq!(chrome("menu-item"), vec![true; 3]);
        assert_eq!(chrome("promo"), vec![true; 2]);
    }

    #[test]
    fn titled_section_with_a_class_word_is_content() {
        let d = parse(
            "<body><div id=c class='card n-sidebar-left'><h3>Ship instantly</h3>\
             <p>Get your app live from anywhere you build.</p><p>Every change previews.</p></div>\
             <div id=w class='sidebar'><h3>Popular</h3><p><a href=a>One post title</a></p>\
             <p><a href=b>Another post title</a></p></div>\
             <div id=u class='sidebar'><p>A paragraph of a widget.</p><p>And one more.</p></div>\
             </body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let st = Stats::compute(&d, &rules.content.boiler, &NodeSet::for_dom(&d), false);
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        assert!(!st.chrome.contains(f("c")));
        // link-dense or untitled widgets stay chrome
        assert!(st.chrome.contains(f("w")));
        assert!(st.chrome.contains(f("u")));
    }

    #[test]
    fn hidden_markup() {
        let d = parse(
            "<div id=a style='DISPLAY: none'>x</div><div id=b aria-hidden=true>y</div><div id=c>z</div>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let f = |id: &str| d.find(0, |n| d.id_attr(n) == Some(id)).unwrap();
        assert!(is_hidden(&d, f("a")));
        assert!(is_hidden(&d, f("b")));
        assert!(!is_hidden(&d, f("c")));
        assert!(style_hides("color: red; Visibility :\x0bHIDDEN"));
        assert!(style_hides(&format!("{}display: none", " ".repeat(300))));
        assert!(!style_hides("display: block"));
    }

    /// The `:` prefilter never changes the answer of the squeezed search.
    #[test]
    fn style_prefilter_keeps_the_answer() {
        let full = squeezed_hides;
        for st in [
            "",
            "display:none",
            "DISPLAY : NONE",
            "display:\x0b\x0cnone;",
            "color: red; visibility:\thidden",
            "display: no ne",
            "dis play:none",
            "visibility: visible; height: 0",
            "display:block; x:none",
            "display:",
            "a:b:c:n",
            "width: 100px; overflow: hidden",
            "display: inline-block",
            "display: none\u{a0}",
            "display:\u{a0}none",
        ] {
            assert_eq!(style_hides(st), full(st), "{st:?}");
        }
    }
}
