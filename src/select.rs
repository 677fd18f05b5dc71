//! A small CSS selector engine over the arena DOM.
//!
//! Why it exists: selectors live as data in `config/` (comment containers, boilerplate blocks,
//! related-link blocks), so they must be parsed at start-up and matched fast per node. The
//! subset covers what those lists need: type, `*`, `#id`, `.class`, attribute tests
//! (`[a]`, `=`, `~=`, `^=`, `$=`, `*=`, `|=`, with an optional ` i` flag), `:not(compound)`,
//! and the descendant (` `) and child (`>`) combinators, in comma-separated lists.
//! Selectors are compiled once; matching allocates nothing.

use crate::dom::{Dom, NodeId};

/// A compiled selector list (`a, b, c`).
///
/// Alternatives are bucketed by a key of their subject compound (id, else a class, else a
/// known tag), like a browser's rule hash: a node is only tested against the alternatives whose
/// key it carries, so long selector lists cost a few hash lookups per node.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    alternatives: Vec<Complex>,
    source: String,
    by_id: FastMap<String, Vec<usize>>,
    by_class: FastMap<String, Vec<usize>>,
    by_tag: FastMap<crate::dom::Name, Vec<usize>>,
    rest: Vec<usize>,
    /// [`crate::dom::presence_key`]s of the `by_id` / `by_class` keys, for [`Self::may_match`].
    id_keys: Vec<u64>,
    class_keys: Vec<u64>,
    /// 256-bit prefilters over [`key_sig`] of the `by_id` / `by_class` keys: a token whose bit
    /// is clear cannot be a key, so it is not hashed and looked up.
    id_sigs: [u64; 4],
    class_sigs: [u64; 4],
    /// Alternatives without an id or class key whose subject tests an attribute value
    /// (`[class*=comment]`, `div[id^=post]`): keyed by a substring the value must contain, so a
    /// node runs one automaton over the value instead of every such test.
    needles: Vec<NeedleBucket>,
    /// Tags of the `needles` alternatives, for [`Self::may_match`]; `needle_any_tag` when one
    /// has no known tag.
    needle_tags: Vec<crate::dom::Name>,
    needle_any_tag: bool,
    /// The keys of `by_tag`, for the indexed walks.
    tag_keys: Vec<crate::dom::Name>,
    /// Per `rest` alternative, an attribute its subject must carry or its (unknown) tag, for
    /// the indexed walks; None when one of them has neither.
    rest_keys: Option<Vec<RestKey>>,
}

/// What a `rest` alternative's subject must carry: an attribute or a tag, by name.
#[derive(Clone, Debug)]
enum RestKey {
    Attr(NameRef),
    Tag(NameRef),
}

/// The [`RestKey`] of a subject compound: its first attribute test, else its tag.
fn rest_key(c: &Compound) -> Option<RestKey> {
    c.tests
        .iter()
        .find_map(|t| match t {
            Test::Attr { name, .. } => Some(RestKey::Attr(name.clone())),
            _ => None,
        })
        .or_else(|| c.tag.clone().map(RestKey::Tag))
}

/// (needle, alternatives) pairs of one attribute, while compiling.
type NeedleList = Vec<(String, Vec<usize>)>;

/// The needle-keyed alternatives of one attribute.
#[derive(Clone, Debug)]
struct NeedleBucket {
    attr: crate::dom::Name,
    /// What the bucket tests (attribute, case flag, needles), and its hash: the key of the
    /// bucket's per-document hit list ([`crate::dom::ElementIndex::memo`]), shared by equal
    /// buckets of different selectors (the same lists are compiled into several rule sets).
    sig: String,
    key: u64,
    /// Needles of case-insensitive tests (lowercase; the automaton folds ASCII case).
    ci: bool,
    /// Over the needles (standard match kind, so every occurring needle is reported).
    ac: aho_corasick::AhoCorasick,
    /// The same automaton stepped by hand for [`Self::may_hit`] (see [`dfa_is_match`]).
    dfa: Option<aho_corasick::dfa::DFA>,
    /// For a case-sensitive bucket of at most [`MAX_FINDERS`] needles, a substring searcher
    /// per needle, which [`Self::may_hit`] uses instead of the automaton (vectorised search
    /// over long class strings and URLs).
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// Alternatives per needle (pattern id).
    lists: Vec<Vec<usize>>,
}

/// A DFA over `pats` (standard match kind, no prefilter) for [`dfa_is_match`] and
/// [`dfa_each_match`]; None when it cannot be built.
pub(crate) fn plain_dfa(
    pats: &[&str],
    ascii_case_insensitive: bool,
) -> Option<aho_corasick::dfa::DFA> {
    if pats.iter().any(|p| p.is_empty()) {
        return None;
    }
    aho_corasick::dfa::DFA::builder()
        .ascii_case_insensitive(ascii_case_insensitive)
        .match_kind(aho_corasick::MatchKind::Standard)
        .prefilter(false)
        .build(pats)
        .ok()
}

/// True when one of the DFA's (non-empty) patterns occurs in `s` (as `AhoCorasick::is_match`);
/// None when the DFA cannot search unanchored. Stepping by hand: attribute values are a few
/// dozen bytes, where the set-up of a library search costs more than the search.
pub(crate) fn dfa_is_match(dfa: &aho_corasick::dfa::DFA, s: &[u8]) -> Option<bool> {
    use aho_corasick::automaton::Automaton;
    use aho_corasick::Anchored;
    let mut sid = dfa.start_state(Anchored::No).ok()?;
    for &b in s {
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_special(sid) {
            if dfa.is_match(sid) {
                return Some(true);
            }
            if dfa.is_dead(sid) {
                return Some(false);
            }
        }
    }
    Some(false)
}

/// Calls `f(pattern, start)` for every occurrence of the DFA's (non-empty) patterns in `s`,
/// overlapping ones included (as `find_overlapping_iter`), until `f` returns false; None when
/// the DFA cannot search unanchored.
pub(crate) fn dfa_each_match(
    dfa: &aho_corasick::dfa::DFA,
    s: &[u8],
    mut f: impl FnMut(usize, usize) -> bool,
) -> Option<()> {
    use aho_corasick::automaton::Automaton;
    use aho_corasick::Anchored;
    let mut sid = dfa.start_state(Anchored::No).ok()?;
    for (i, &b) in s.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, b);
        if !dfa.is_special(sid) {
            continue;
        }
        if dfa.is_dead(sid) {
            break;
        }
        if dfa.is_match(sid) {
            for k in 0..dfa.match_len(sid) {
                let p = dfa.match_pattern(sid, k);
                let start = (i + 1).saturating_sub(dfa.pattern_len(p));
                if !f(p.as_usize(), start) {
                    return Some(());
                }
            }
        }
    }
    Some(())
}

/// Buckets with more needles than this are searched by their automaton.
const MAX_FINDERS: usize = 3;

impl NeedleBucket {
    /// True when `v` may satisfy one of the bucket's tests: it holds a needle (values that are
    /// not ASCII under a case-insensitive bucket are lowercased by the test: always true).
    fn may_hit(&self, v: &str) -> bool {
        if !self.finders.is_empty() {
            return self.finders.iter().any(|f| f.find(v.as_bytes()).is_some());
        }
        (self.ci && !v.is_ascii())
            || self
                .dfa
                .as_ref()
                .and_then(|d| dfa_is_match(d, v.as_bytes()))
                .unwrap_or_else(|| self.ac.is_match(v))
    }

    /// The elements of the whole document whose `self.attr` value may satisfy one of the
    /// bucket's tests ([`Self::hits`] over every element carrying it), in document order:
    /// computed once per document and kept in its index, so each walk only slices it.
    fn doc_hits(
        &self,
        dom: &Dom,
        ix: &crate::dom::ElementIndex,
    ) -> std::sync::Arc<(String, Vec<NodeId>)> {
        let compute = || {
            (
                self.sig.clone(),
                self.hits(dom, ix, ix.with_attr(self.attr)),
            )
        };
        let kept = ix.memo(self.key, compute);
        if kept.0 == self.sig {
            kept
        } else {
            // another bucket's key collided with this one: not kept
            std::sync::Arc::new(compute())
        }
    }

    /// The elements of the document-ordered `list` (all carrying `self.attr`) whose value may
    /// satisfy one of the bucket's tests ([`Self::may_hit`]); class values are tested once per
    /// distinct value of the page.
    fn hits(&self, dom: &Dom, ix: &crate::dom::ElementIndex, list: &[NodeId]) -> Vec<NodeId> {
        if self.attr == crate::dom::name::CLASS {
            // every distinct value first (the index gives each element of `list` a value id,
            // and each id is some listed element's value): most buckets hit no value of a
            // page, which then needs no walk over its elements
            let hit: Vec<bool> = (0..ix.class_value_count())
                .map(|vid| self.may_hit(dom.class_value(vid as u32)))
                .collect();
            if !hit.contains(&true) {
                return Vec::new();
            }
            list.iter()
                .copied()
                .filter(|&n| match ix.class_value_id(n) {
                    Some(vid) => hit.get(vid as usize).copied().unwrap_or(true),
                    None => dom.attr_by(n, self.attr).is_some_and(|v| self.may_hit(v)),
                })
                .collect()
        } else {
            list.iter()
                .copied()
                .filter(|&n| dom.attr_by(n, self.attr).is_some_and(|v| self.may_hit(v)))
                .collect()
        }
    }
}

/// A substring an attribute value must contain for the test to pass: every operator but
/// `[a]` implies `value ⊆ v` (for case-insensitive tests: `value ⊆ lowercase(v)`).
fn needle_of(c: &Compound) -> Option<(crate::dom::Name, bool, &str)> {
    c.tests.iter().find_map(|t| match t {
        Test::Attr {
            name: NameRef::Known(n),
            op,
            value,
            ci,
            ..
        } if *op != AttrOp::Exists && !value.is_empty() => Some((*n, *ci, value.as_str())),
        _ => None,
    })
}

/// A one-byte signature of a token (first byte mixed with length) for the key prefilters.
fn key_sig(s: &str) -> u8 {
    let b = s.as_bytes();
    let first = b.first().copied().unwrap_or(0);
    let last = b.last().copied().unwrap_or(0);
    first ^ last.rotate_left(3) ^ (b.len() as u8).wrapping_mul(37)
}

fn sig_set(bits: &mut [u64; 4], s: &str) {
    let i = key_sig(s) as usize;
    bits[i / 64] |= 1u64 << (i % 64);
}

fn sig_has(bits: &[u64; 4], s: &str) -> bool {
    let i = key_sig(s) as usize;
    bits[i / 64] & (1u64 << (i % 64)) != 0
}

type FastMap<K, V> = std::collections::HashMap<K, V, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

#[derive(Clone, Debug)]
struct Complex {
    /// Compounds right to left with the combinator that joins each to the next one leftwards.
    parts: Vec<(Compound, Combinator)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Combinator {
    Descendant,
    Child,
    None,
}

#[derive(Clone, Debug, Default)]
struct Compound {
    tag: Option<NameRef>,
    tests: Vec<Test>,
    /// The compound's text, and its hash as the key of its per-document answers when it is
    /// tested on ancestors (see [`ancestor_memo`]); equal texts are the same test.
    text: String,
    key: u64,
}

/// Per-node answers of one ancestor compound on one document: 0 not known yet, 1 no, 2 yes.
type CompoundMemo = (String, Vec<std::sync::atomic::AtomicU8>);

/// The per-document answers of `c` when the document's index is already built (a descendant
/// combinator tests the same ancestors for every candidate: `[class*=author] a` tests each
/// link's whole ancestor chain). None without an index (a changing document would rebuild it
/// per test) or when another compound holds the key.
fn ancestor_memo(dom: &Dom, c: &Compound) -> Option<std::sync::Arc<CompoundMemo>> {
    let ix = dom.built_index()?;
    let m = ix.memo(c.key, || {
        let slots = (0..dom.len())
            .map(|_| std::sync::atomic::AtomicU8::new(0))
            .collect();
        (c.text.clone(), slots)
    });
    (m.0 == c.text).then_some(m)
}

/// [`match_compound`] through the memo when there is one.
fn match_compound_memo(dom: &Dom, node: NodeId, c: &Compound, memo: Option<&CompoundMemo>) -> bool {
    use std::sync::atomic::Ordering::Relaxed;
    let Some(slot) = memo.and_then(|m| m.1.get(node as usize)) else {
        return match_compound(dom, node, c);
    };
    match slot.load(Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let yes = match_compound(dom, node, c);
            slot.store(1 + u8::from(yes), Relaxed);
            yes
        }
    }
}

/// A tag or attribute name resolved at compile time: known names compare as integers.
#[derive(Clone, Debug)]
enum NameRef {
    Known(crate::dom::Name),
    Other(String),
}

impl NameRef {
    fn new(s: &str) -> NameRef {
        match crate::dom::known_name(s) {
            Some(n) => NameRef::Known(n),
            None => NameRef::Other(s.to_string()),
        }
    }
}

#[derive(Clone, Debug)]
enum Test {
    Id(String),
    Class(String),
    Attr {
        name: NameRef,
        op: AttrOp,
        value: String,
        ci: bool,
        /// For `*=` with a non-empty value: the substring searcher, built once.
        finder: Option<Box<memchr::memmem::Finder<'static>>>,
    },
    Not(Box<Compound>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum AttrOp {
    Exists,
    Eq,
    Word,
    Prefix,
    Suffix,
    Contains,
    Dash,
}

/// A selector that could not be compiled.
#[derive(Debug, thiserror::Error)]
#[error("invalid selector {selector:?}: {reason}")]
pub struct SelectorError {
    /// The selector text.
    pub selector: String,
    /// What is wrong.
    pub reason: String,
}

impl Selector {
    /// Compiles a selector list.
    pub fn parse(src: &str) -> Result<Selector, SelectorError> {
        let err = |reason: &str| SelectorError {
            selector: src.to_string(),
            reason: reason.to_string(),
        };
        let mut alternatives = Vec::new();
        for alt in split_top_level(src, ',') {
            let alt = alt.trim();
            if alt.is_empty() {
                continue;
            }
            alternatives.push(parse_complex(alt).map_err(|r| err(&r))?);
        }
        if alternatives.is_empty() {
            return Err(err("empty selector"));
        }
        let mut sel = Selector {
            alternatives,
            source: src.to_string(),
            ..Selector::default()
        };
        // (attribute, case-insensitive, needle) -> alternatives, in first-seen order
        let mut needles: Vec<(crate::dom::Name, bool, NeedleList)> = Vec::new();
        for (i, alt) in sel.alternatives.iter().enumerate() {
            let subject = &alt.parts[0].0;
            let id = subject.tests.iter().find_map(|t| match t {
                Test::Id(x) => Some(x.clone()),
                _ => None,
            });
            let class = subject.tests.iter().find_map(|t| match t {
                Test::Class(x) => Some(x.clone()),
                _ => None,
            });
            if let Some(id) = id {
                sel.by_id.entry(id).or_default().push(i);
            } else if let Some(c) = class {
                sel.by_class.entry(c).or_default().push(i);
            } else if let Some((attr, ci, value)) = needle_of(subject) {
                match &subject.tag {
                    Some(NameRef::Known(t)) => sel.needle_tags.push(*t),
                    _ => sel.needle_any_tag = true,
                }
                let k = match needles.iter().position(|(a, c, _)| *a == attr && *c == ci) {
                    Some(k) => k,
                    None => {
                        needles.push((attr, ci, Vec::new()));
                        needles.len() - 1
                    }
                };
                let list = &mut needles[k].2;
                match list.iter_mut().find(|(v, _)| v == value) {
                    Some((_, alts)) => alts.push(i),
                    None => list.push((value.to_string(), vec![i])),
                }
            } else if let Some(NameRef::Known(n)) = subject.tag {
                sel.by_tag.entry(n).or_default().push(i);
            } else {
                sel.rest.push(i);
            }
        }
        for (attr, ci, list) in needles {
            let pats: Vec<&str> = list.iter().map(|(v, _)| v.as_str()).collect();
            match aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(ci)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&pats)
            {
                Ok(ac) => {
                    let sig = format!("{}\u{0}{}\u{0}{}", attr.0, ci, pats.join("\u{0}"));
                    sel.needles.push(NeedleBucket {
                        attr,
                        key: crate::dom::presence_key(&sig),
                        sig,
                        ci,
                        dfa: plain_dfa(&pats, ci),
                        finders: if !ci && pats.len() <= MAX_FINDERS {
                            pats.iter()
                                .map(|p| memchr::memmem::Finder::new(p.as_bytes()).into_owned())
                                .collect()
                        } else {
                            Vec::new()
                        },
                        ac,
                        lists: list.into_iter().map(|(_, alts)| alts).collect(),
                    })
                }
                Err(_) => {
                    // cannot happen for a few short needles; fall back to testing them all
                    sel.needle_any_tag = true;
                    sel.rest.extend(list.into_iter().flat_map(|(_, alts)| alts));
                }
            }
        }
        sel.rest.sort_unstable();
        sel.rest_keys = sel
            .rest
            .iter()
            .map(|&i| rest_key(&sel.alternatives[i].parts[0].0))
            .collect();
        sel.tag_keys = sel.by_tag.keys().copied().collect();
        sel.tag_keys.sort_unstable();
        for k in sel.by_id.keys() {
            sig_set(&mut sel.id_sigs, k);
        }
        for k in sel.by_class.keys() {
            sig_set(&mut sel.class_sigs, k);
        }
        sel.id_keys = sel
            .by_id
            .keys()
            .map(|k| crate::dom::presence_key(k))
            .collect();
        sel.class_keys = sel
            .by_class
            .keys()
            .map(|k| crate::dom::presence_key(k))
            .collect();
        Ok(sel)
    }

    /// Compiles a list of selectors into one (`["a", "b"]` = `a, b`).
    pub fn parse_list<S: AsRef<str>>(list: &[S]) -> Result<Selector, SelectorError> {
        let joined: Vec<&str> = list.iter().map(|s| s.as_ref()).collect();
        if joined.is_empty() {
            return Ok(Selector::default());
        }
        Selector::parse(&joined.join(", "))
    }

    /// The text it was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the element matches.
    pub fn matches(&self, dom: &Dom, node: NodeId) -> bool {
        let Some(tag) = dom.tag(node) else {
            return false;
        };
        let test = |list: &[usize]| {
            list.iter()
                .any(|&i| match_complex(dom, node, &self.alternatives[i].parts))
        };
        if test(&self.rest) {
            return true;
        }
        if let Some(list) = self.by_tag.get(&tag) {
            if test(list) {
                return true;
            }
        }
        for b in &self.needles {
            if let Some(v) = dom.attr_by(node, b.attr) {
                // a case-insensitive needle is lowercase: the automaton folds ASCII case, other
                // values are searched lowercased (as the test compares them)
                let lowered;
                let hay = if b.ci && !v.is_ascii() {
                    lowered = v.to_lowercase();
                    lowered.as_str()
                } else {
                    v
                };
                for m in b.ac.find_overlapping_iter(hay) {
                    if b.lists.get(m.pattern().as_usize()).is_some_and(|l| test(l)) {
                        return true;
                    }
                }
            }
        }
        if !self.by_id.is_empty() {
            if let Some(list) = dom
                .id_attr(node)
                .filter(|id| sig_has(&self.id_sigs, id))
                .and_then(|id| self.by_id.get(id))
            {
                if test(list) {
                    return true;
                }
            }
        }
        if !self.by_class.is_empty() {
            for c in dom.classes(node) {
                if !sig_has(&self.class_sigs, c) {
                    continue;
                }
                if let Some(list) = self.by_class.get(c) {
                    if test(list) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// False when no element of the document can match: every alternative needs an id, class
    /// or tag that occurs nowhere in it ([`Dom::presence`], [`crate::dom::ElementIndex::has_id`],
    /// [`crate::dom::ElementIndex::has_class`]). True means "walk and see".
    pub fn may_match(&self, dom: &Dom) -> bool {
        if !self.rest.is_empty() || self.needle_any_tag {
            return true;
        }
        let p = dom.presence();
        if self.needle_tags.iter().any(|&t| p.has_tag(t)) {
            return true;
        }
        if self.by_tag.keys().any(|&t| p.has_tag(t)) {
            return true;
        }
        if self.id_keys.is_empty() && self.class_keys.is_empty() {
            return false;
        }
        // ids and classes anywhere in the document: the index has them (its walks follow)
        let ix = dom.index();
        self.id_keys.iter().any(|&k| ix.has_id(k))
            || self.class_keys.iter().any(|&k| ix.has_class(k))
    }

    /// Calls `f` on every element under `root` (document order) that may match, using the
    /// document's [`ElementIndex`](crate::dom::ElementIndex): only the elements carrying one
    /// of the selector's keys (tag, id, class, needle attribute) are visited; `f` returns false
    /// to stop. Returns false (calling nothing) when the index does not apply: an alternative
    /// without a key, `root` not reachable from the document root, or a subtree so small that
    /// walking it is cheaper.
    fn for_candidates(&self, dom: &Dom, root: NodeId, mut f: impl FnMut(NodeId) -> bool) -> bool {
        let rest_keys: &[RestKey] = match &self.rest_keys {
            Some(k) => k,
            None if self.rest.is_empty() => &[],
            None => return false,
        };
        let keys = self.tag_keys.len()
            + self.needles.len()
            + self.id_keys.len()
            + self.class_keys.len()
            + rest_keys.len();
        let ix = dom.index();
        let Some(range) = ix.inside(root) else {
            return false;
        };
        if (range.end - range.start) as usize <= 2 * keys + 8 {
            return false;
        }
        // elements carrying a needle attribute are candidates only when the value holds one of
        // the needles (one automaton run per distinct class value, per value otherwise, once
        // per document)
        let needle_lists: Vec<std::sync::Arc<(String, Vec<NodeId>)>> =
            self.needles.iter().map(|b| b.doc_hits(dom, ix)).collect();
        let lists: Vec<&[NodeId]> = (self.tag_keys.iter().map(|&t| ix.with_tag(t)))
            .chain(self.id_keys.iter().map(|&k| ix.with_id(k)))
            .chain(self.class_keys.iter().map(|&k| ix.with_class(k)))
            .chain(rest_keys.iter().filter_map(|k| {
                // a name the document never interned is on no element
                let name = |r: &NameRef| match r {
                    NameRef::Known(n) => Some(*n),
                    NameRef::Other(s) => dom.lookup(s),
                };
                match k {
                    RestKey::Attr(a) => name(a).map(|n| ix.with_attr(n)),
                    RestKey::Tag(t) => name(t).map(|n| ix.with_tag(n)),
                }
            }))
            .map(|l| ix.slice(l, &range))
            .chain(needle_lists.iter().map(|l| ix.slice(&l.1, &range)))
            .filter(|l| !l.is_empty())
            .collect();
        match lists.as_slice() {
            [] => {}
            [one] => {
                for &n in *one {
                    if !f(n) {
                        break;
                    }
                }
            }
            many => {
                let mut all: Vec<NodeId> = many.iter().flat_map(|l| l.iter().copied()).collect();
                all.sort_unstable_by_key(|&n| ix.pre(n));
                all.dedup();
                for n in all {
                    if !f(n) {
                        break;
                    }
                }
            }
        }
        true
    }

    /// First matching descendant of `root` (document order).
    pub fn first(&self, dom: &Dom, root: NodeId) -> Option<NodeId> {
        if !self.may_match(dom) {
            return None;
        }
        let mut found = None;
        if self.for_candidates(dom, root, |n| {
            if self.matches(dom, n) {
                found = Some(n);
                return false;
            }
            true
        }) {
            return found;
        }
        dom.descendants(root).find(|&n| self.matches(dom, n))
    }

    /// All matching descendants of `root` (document order).
    pub fn all(&self, dom: &Dom, root: NodeId) -> Vec<NodeId> {
        if !self.may_match(dom) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if self.for_candidates(dom, root, |n| {
            if self.matches(dom, n) {
                out.push(n);
            }
            true
        }) {
            return out;
        }
        dom.descendants(root)
            .filter(|&n| self.matches(dom, n))
            .collect()
    }

    /// Matching descendants, but not inside an earlier match (outermost matches only).
    pub fn outermost(&self, dom: &Dom, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        if !self.may_match(dom) {
            return out;
        }
        // candidates come in document order: one inside the last match has a position below
        // that match's subtree end
        let mut skip_below = 0u32;
        if self.for_candidates(dom, root, |n| {
            let ix = dom.index();
            if ix.pre(n).is_some_and(|p| p >= skip_below) && self.matches(dom, n) {
                out.push(n);
                skip_below = ix.end(n);
            }
            true
        }) {
            return out;
        }
        let mut it = dom.descendants(root);
        while let Some(n) = it.next() {
            if self.matches(dom, n) {
                out.push(n);
                it.skip_subtree(n);
            }
        }
        out
    }

    /// The nearest inclusive ancestor of `node` that matches.
    pub fn closest(&self, dom: &Dom, node: NodeId) -> Option<NodeId> {
        std::iter::once(node)
            .chain(dom.ancestors(node))
            .find(|&n| self.matches(dom, n))
    }

    /// True when nothing can match (empty list).
    pub fn is_empty(&self) -> bool {
        self.alternatives.is_empty()
    }
}

fn split_top_level(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_complex(s: &str) -> Result<Complex, String> {
    // tokenise into compounds and combinators
    let mut parts: Vec<(Compound, Combinator)> = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut pending = Combinator::None;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            if pending == Combinator::None && !parts.is_empty() {
                pending = Combinator::Descendant;
            }
            i += 1;
            continue;
        }
        if c == '>' {
            pending = Combinator::Child;
            i += 1;
            continue;
        }
        let start = i;
        let (mut depth, mut quote) = (0, None::<char>);
        while i < chars.len() {
            let c = chars[i];
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']' | ')') => depth -= 1,
                (None, c) if depth == 0 && (c.is_whitespace() || c == '>') => break,
                _ => {}
            }
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let mut compound = parse_compound(&text)?;
        compound.key = crate::dom::presence_key(&format!("compound\u{0}{text}"));
        compound.text = text;
        if parts.is_empty() {
            parts.push((compound, Combinator::None));
        } else {
            if pending == Combinator::None {
                return Err("missing combinator".into());
            }
            parts.push((compound, Combinator::None));
            let n = parts.len();
            parts[n - 2].1 = pending;
        }
        pending = Combinator::None;
    }
    if parts.is_empty() {
        return Err("empty compound".into());
    }
    // store right to left: parts[0] is the subject; its combinator joins it to parts[1].
    parts.reverse();
    let n = parts.len();
    let combs: Vec<Combinator> = parts.iter().map(|p| p.1).collect();
    for k in 0..n {
        parts[k].1 = if k + 1 < n {
            combs[k + 1]
        } else {
            Combinator::None
        };
    }
    Ok(Complex { parts })
}

fn parse_compound(s: &str) -> Result<Compound, String> {
    let mut c = Compound::default();
    let b = s.as_bytes();
    let mut i = 0;
    let ident_end = |mut j: usize| {
        while j < b.len()
            && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'-' | b'_') || b[j] >= 0x80)
        {
            j += 1;
        }
        j
    };
    if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'*') {
        let j = if b[i] == b'*' { i + 1 } else { ident_end(i) };
        if &s[i..j] != "*" {
            c.tag = Some(NameRef::new(&s[i..j].to_ascii_lowercase()));
        }
        i = j;
    }
    while i < b.len() {
        match b[i] {
            b'#' => {
                let j = ident_end(i + 1);
                c.tests.push(Test::Id(s[i + 1..j].to_string()));
                i = j;
            }
            b'.' => {
                let j = ident_end(i + 1);
                if j == i + 1 {
                    return Err("empty class".into());
                }
                c.tests.push(Test::Class(s[i + 1..j].to_string()));
                i = j;
            }
            b'[' => {
                let close = find_close(s, i, '[', ']').ok_or("unclosed [")?;
                c.tests.push(parse_attr(&s[i + 1..close])?);
                i = close + 1;
            }
            b':' if s[i..].starts_with(":not(") => {
                let close = find_close(s, i + 4, '(', ')').ok_or("unclosed :not(")?;
                let inner = parse_compound(s[i + 5..close].trim())?;
                c.tests.push(Test::Not(Box::new(inner)));
                i = close + 1;
            }
            _ => return Err(format!("unexpected {:?}", &s[i..])),
        }
    }
    Ok(c)
}

fn find_close(s: &str, open_at: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    let mut quote = None;
    for (k, ch) in s[open_at..].char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(ch),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(open_at + k);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_attr(inner: &str) -> Result<Test, String> {
    let ops = [
        ("~=", AttrOp::Word),
        ("^=", AttrOp::Prefix),
        ("$=", AttrOp::Suffix),
        ("*=", AttrOp::Contains),
        ("|=", AttrOp::Dash),
        ("=", AttrOp::Eq),
    ];
    for (tok, op) in ops {
        if let Some(pos) = inner.find(tok) {
            let name = NameRef::new(&inner[..pos].trim().to_ascii_lowercase());
            let mut rest = inner[pos + tok.len()..].trim();
            let mut ci = false;
            if let Some(r) = rest.strip_suffix(" i").or_else(|| rest.strip_suffix(" I")) {
                rest = r.trim();
                ci = true;
            }
            let value = rest.trim_matches(|c| c == '"' || c == '\'').to_string();
            let value = if ci { value.to_lowercase() } else { value };
            let finder = (op == AttrOp::Contains && !value.is_empty())
                .then(|| Box::new(memchr::memmem::Finder::new(value.as_bytes()).into_owned()));
            return Ok(Test::Attr {
                name,
                op,
                value,
                ci,
                finder,
            });
        }
    }
    Ok(Test::Attr {
        name: NameRef::new(&inner.trim().to_ascii_lowercase()),
        op: AttrOp::Exists,
        value: String::new(),
        ci: false,
        finder: None,
    })
}

fn match_complex(dom: &Dom, node: NodeId, parts: &[(Compound, Combinator)]) -> bool {
    let Some(((first, comb), rest)) = parts.split_first() else {
        return true;
    };
    if !match_compound(dom, node, first) {
        return false;
    }
    match_rest(dom, node, *comb, rest)
}

/// The part of [`match_complex`] after `node` matched a compound joined by `comb` to `rest`.
fn match_rest(dom: &Dom, node: NodeId, comb: Combinator, rest: &[(Compound, Combinator)]) -> bool {
    match comb {
        Combinator::None => true,
        Combinator::Child => dom
            .parent(node)
            .is_some_and(|p| dom.is_element(p) && match_complex(dom, p, rest)),
        Combinator::Descendant => {
            let Some(((c, next), after)) = rest.split_first() else {
                return dom.ancestors(node).any(|a| dom.is_element(a));
            };
            let memo = ancestor_memo(dom, c);
            dom.ancestors(node).any(|a| {
                dom.is_element(a)
                    && match_compound_memo(dom, a, c, memo.as_deref())
                    && match_rest(dom, a, *next, after)
            })
        }
    }
}

fn match_compound(dom: &Dom, node: NodeId, c: &Compound) -> bool {
    match &c.tag {
        Some(NameRef::Known(n)) if dom.tag(node) != Some(*n) => return false,
        Some(NameRef::Other(t)) if dom.tag_name(node) != t => return false,
        _ => {}
    }
    c.tests.iter().all(|t| match t {
        Test::Id(id) => dom.id_attr(node) == Some(id.as_str()),
        Test::Class(cl) => dom.has_class(node, cl),
        Test::Not(inner) => !match_compound(dom, node, inner),
        Test::Attr {
            name,
            op,
            value,
            ci,
            finder,
        } => {
            let v = match name {
                NameRef::Known(n) => dom.attr_by(node, *n),
                NameRef::Other(s) => dom.attr(node, s),
            };
            let Some(v) = v else {
                return false;
            };
            if *op == AttrOp::Exists {
                return true;
            }
            // ASCII values lowercase in place of a `to_lowercase` copy (same result: Unicode
            // lowercasing of ASCII is ASCII lowercasing); others take the general path.
            let mut small = [0u8; 128];
            let lowered;
            let v = if !*ci {
                v
            } else if v.is_ascii() && v.len() <= small.len() {
                let buf = &mut small[..v.len()];
                buf.copy_from_slice(v.as_bytes());
                buf.make_ascii_lowercase();
                // ASCII stays valid UTF-8
                std::str::from_utf8(buf).unwrap_or("")
            } else {
                lowered = v.to_lowercase();
                lowered.as_str()
            };
            match finder {
                // the same answer as `attr_op` (the value is not empty) without building a
                // searcher per test
                Some(f) if *op == AttrOp::Contains => {
                    v.len() >= value.len() && f.find(v.as_bytes()).is_some()
                }
                _ => attr_op(*op, v, value),
            }
        }
    })
}

/// The attribute operator `op` applied to value `v` (already lowercased for ` i` tests).
fn attr_op(op: AttrOp, v: &str, value: &str) -> bool {
    match op {
        AttrOp::Exists => true,
        AttrOp::Eq => v == value,
        AttrOp::Word => v.split_ascii_whitespace().any(|w| w == value),
        AttrOp::Prefix => !value.is_empty() && v.starts_with(value),
        AttrOp::Suffix => !value.is_empty() && v.ends_with(value),
        AttrOp::Contains => {
            !value.is_empty()
                && v.len() >= value.len()
                && memchr::memmem::find(v.as_bytes(), value.as_bytes()).is_some()
        }
        AttrOp::Dash => {
            v == value
                || (v.len() > value.len()
                    && v.starts_with(value)
                    && v.as_bytes()[value.len()] == b'-')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    /// The bucketed `matches` agrees with testing every alternative on every node.
    #[test]
    fn buckets_agree_with_brute_force() {
        let d = parse(
            r#"<body><div id="post-12" class="post-content Big"><p class="x comment-list">a</p>
               <section class="entry-content"><span id="comments-3" data-x="y-z">b</span></section>
               <iframe id="dsq-app7"></iframe><div class="Articlebody" lang="en-GB">c</div>
               <ul class="a b"><li class="comments-area" title="one two">d</li></ul></div></body>"#,
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let sels = [
            "[class*=comment-list], [id^=comments-], div[class*='post-content'], iframe[id^=dsq-app]",
            "div[class*=articlebody i], [lang|=en], [title~=two], [data-x$=z], [class=entry-content]",
            "div > [class*=comment] p, section [id*=ments], ul li[class^=comments], [id=post-12]",
            "[class*=nothing], li:not([class*=area]), p.x, #post-12 > p",
            "[class*=POST i], div[class*=articlebody i], [id^=COMMENTS i], [lang|=EN i], [title~=ONE i]",
        ];
        for src in sels {
            let sel = Selector::parse(src).unwrap();
            for n in d.descendants(d.root()) {
                let brute = d.is_element(n)
                    && sel
                        .alternatives
                        .iter()
                        .any(|a| match_complex(&d, n, &a.parts));
                assert_eq!(sel.matches(&d, n), brute, "{src} on {:?}", d.tag_name(n));
            }
            assert!(sel.may_match(&d));
        }
    }

    /// The indexed `all`, `outermost` and `first` agree with walking the subtree, from every
    /// root, including case-insensitive needles on non-ASCII values.
    #[test]
    fn indexed_walks_agree_with_walking() {
        let item = r#"<div class="card Post-Content x" id="c1"><p class="lead">a <span class="ArticleBody">b</span></p>
               <div class="post-content"><ul><li class="Rating">r</li><li data-k="İD-1">s</li></ul><foo-bar component="x">f</foo-bar></div>
               <section role="main"><article><p>t</p><div id="c1">dup</div></article></section></div>"#;
        let html = format!(
            "<body><main>{}</main><aside>{}</aside>{}</body>",
            item,
            item,
            item.repeat(3)
        );
        let d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let sels = [
            "div[class*=post-content], [role=main], #c1, .lead, li",
            "[class*=articlebody i], [class*=RATING i], [data-k*=i̇d i], p",
            "div.card > p, section article, main, aside .post-content li",
            r#"div[class*="post-content" i], article, span, ul"#,
            "*, p",
            "[data-k], [component=x], foo-bar, div:not(.card) [data-k], [role]",
        ];
        for src in sels {
            let sel = Selector::parse(src).unwrap();
            for root in std::iter::once(d.root()).chain(d.descendants(d.root())) {
                let walk: Vec<NodeId> = d
                    .descendants(root)
                    .filter(|&n| sel.matches(&d, n))
                    .collect();
                assert_eq!(sel.all(&d, root), walk, "{src}");
                assert_eq!(sel.first(&d, root), walk.first().copied(), "{src}");
                let mut outer = Vec::new();
                let mut it = d.descendants(root);
                while let Some(n) = it.next() {
                    if sel.matches(&d, n) {
                        outer.push(n);
                        it.skip_subtree(n);
                    }
                }
                assert_eq!(sel.outermost(&d, root), outer, "{src}");
            }
        }
        // the case-insensitive needles find mixed-case and lowercased non-ASCII values
        let ci = Selector::parse("[class*=articlebody i], [data-k*=i̇d i]").unwrap();
        assert_eq!(ci.all(&d, d.root()).len(), 2 * 5);
    }

    /// The hand-stepped DFA answers as the library's search: `is_match` and every overlapping
    /// occurrence, with and without ASCII case folding.
    #[test]
    fn hand_stepped_dfa_agrees_with_the_library_search() {
        let pats = [
            "ab", "b", "abc", "bc", "comment", "comments", "ment", "Nav", "x-y",
        ];
        let hays = [
            "",
            "a",
            "abc",
            "xabcx",
            "COMMENTS-area",
            "comment comments",
            "nav navbar NAV",
            "x-y-x-y",
            "caf\u{e9}-comment",
            "\u{130}ab",
            "bbbb",
            "no match here",
        ];
        for ci in [false, true] {
            let dfa = plain_dfa(&pats, ci).unwrap();
            let ac = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(ci)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(pats)
                .unwrap();
            for h in hays {
                assert_eq!(
                    dfa_is_match(&dfa, h.as_bytes()),
                    Some(ac.is_match(h)),
                    "{h:?}"
                );
                let mut mine = Vec::new();
                dfa_each_match(&dfa, h.as_bytes(), |p, s| {
                    mine.push((p, s));
                    true
                })
                .unwrap();
                let mut lib: Vec<(usize, usize)> = ac
                    .find_overlapping_iter(h)
                    .map(|m| (m.pattern().as_usize(), m.start()))
                    .collect();
                mine.sort_unstable();
                lib.sort_unstable();
                assert_eq!(mine, lib, "{h:?} ci={ci}");
            }
        }
        // stopping early reports a prefix of the occurrences
        let dfa = plain_dfa(&pats, false).unwrap();
        let mut n = 0;
        dfa_each_match(&dfa, b"abcabc", |_, _| {
            n += 1;
            n < 2
        });
        assert_eq!(n, 2);
        assert!(plain_dfa(&["a", ""], false).is_none());
    }

    /// Complex matching as it was before ancestor compounds kept per-document answers.
    fn plain_complex(dom: &Dom, node: NodeId, parts: &[(Compound, Combinator)]) -> bool {
        let Some(((first, comb), rest)) = parts.split_first() else {
            return true;
        };
        if !match_compound(dom, node, first) {
            return false;
        }
        match comb {
            Combinator::None => true,
            Combinator::Child => dom
                .parent(node)
                .is_some_and(|p| dom.is_element(p) && plain_complex(dom, p, rest)),
            Combinator::Descendant => dom
                .ancestors(node)
                .any(|a| dom.is_element(a) && plain_complex(dom, a, rest)),
        }
    }

    /// Descendant combinators answer the same with the ancestor memo (index built, cold and
    /// warm) and without it (no index), and after the document changes.
    #[test]
    fn ancestor_memo_keeps_the_answers() {
        let item = r#"<div class="post-author x"><span><a href="/author/a">A</a></span>
               <div class="byline"><p class="author"><a href="/b">B</a></p></div></div>
               <section class="byline"><ul><li><a class="author">C</a></li></ul></section>"#;
        let html = format!(
            "<body><main>{}</main><aside>{}</aside></body>",
            item,
            item.repeat(3)
        );
        let mut d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let sels = [
            "[class*=post-author] a, .byline .author, section ul a, main div > p a",
            "[class*=author] a[href*='/author/'], div:not(.x) .author, aside [class*=byline] li a",
            "body main .byline p, div span a, [class*=AUTHOR i] span > a",
        ];
        for round in 0..3 {
            if round == 1 {
                d.index();
            }
            if round == 2 {
                let el = d.create_element(
                    crate::dom::name::P,
                    [(crate::dom::name::CLASS, "author")],
                    false,
                );
                let sec = d
                    .find(d.root(), |n| d.is(n, crate::dom::name::SECTION))
                    .unwrap();
                d.append(sec, el);
                d.index();
            }
            assert_eq!(d.built_index().is_some(), round > 0);
            for src in sels {
                let sel = Selector::parse(src).unwrap();
                for _warm in 0..2 {
                    for n in d.descendants(d.root()) {
                        let plain = d.is_element(n)
                            && sel
                                .alternatives
                                .iter()
                                .any(|a| plain_complex(&d, n, &a.parts));
                        assert_eq!(sel.matches(&d, n), plain, "{src} round {round}");
                    }
                }
            }
        }
    }

    /// A bucket's substring searchers and its automaton give the same `may_hit`.
    #[test]
    fn needle_searchers_agree_with_the_automaton() {
        let sel = Selector::parse("[class*=comment], [class*=post-body], [class*=x]").unwrap();
        let few = &sel.needles[0];
        assert_eq!(few.finders.len(), 3);
        let many = Selector::parse("[class*=a], [class*=b], [class*=c], [class*=d]").unwrap();
        assert!(many.needles[0].finders.is_empty());
        let ci = Selector::parse("[class*=comment i]").unwrap();
        assert!(ci.needles[0].finders.is_empty());
        for v in [
            "",
            "comment",
            "x",
            "post-bod",
            "a-post-body",
            "Comment",
            "caf\u{e9} x",
            "cd",
        ] {
            let dfa = few.dfa.as_ref().unwrap();
            assert_eq!(
                few.may_hit(v),
                dfa_is_match(dfa, v.as_bytes()).unwrap(),
                "{v:?}"
            );
            assert_eq!(few.may_hit(v), few.ac.is_match(v), "{v:?}");
            let m = &many.needles[0];
            assert_eq!(m.may_hit(v), m.ac.is_match(v), "{v:?}");
        }
    }

    /// `*=` tests with their prebuilt searcher answer as the plain operator.
    #[test]
    fn contains_searcher_agrees_with_the_operator() {
        let values = [
            "",
            "a",
            "post-content",
            "Post-Content x",
            "xpost",
            "ab ab",
            "\u{e9}t\u{e9}",
        ];
        let needles = [
            "a",
            "post",
            "content x",
            "b a",
            "\u{e9}t",
            "zz",
            "post-content-long",
        ];
        for v in values {
            let html = format!("<p data-x=\"{v}\">t</p>");
            let d = parse(&html, Frontend::Html5ever, ParseLimits::default()).unwrap();
            let p = d.find(d.root(), |n| d.is(n, crate::dom::name::P)).unwrap();
            for nd in needles {
                let sel = Selector::parse(&format!("[data-x*=\"{nd}\"]")).unwrap();
                assert_eq!(
                    sel.matches(&d, p),
                    attr_op(AttrOp::Contains, v, nd),
                    "{v:?} {nd:?}"
                );
                let ci =
                    Selector::parse(&format!("[data-x*=\"{}\" i]", nd.to_uppercase())).unwrap();
                let want = attr_op(AttrOp::Contains, &v.to_lowercase(), &nd.to_lowercase());
                assert_eq!(ci.matches(&d, p), want, "{v:?} {nd:?} i");
            }
        }
    }

    /// Equal needle buckets of separately compiled selectors share one per-document hit list;
    /// a changed document gets a new one; a key holding another type is recomputed.
    #[test]
    fn needle_hits_are_kept_per_document_and_shared() {
        let mut d = parse(
            &format!(
                "<body>{}<div class=\"Comment-Body x\" id=\"post-1\">c</div></body>",
                "<p class=\"comment-meta\">m</p><span class=other>o</span>".repeat(20)
            ),
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let a = Selector::parse("[class*=comment], div[class*=body i], [id^=post-]").unwrap();
        let b = Selector::parse("[class*=comment], div[class*=body i], [id^=post-]").unwrap();
        let c = Selector::parse("p[class*=comment], [class*=BODY]").unwrap();
        for sel in [&a, &b, &c, &a] {
            let walk: Vec<NodeId> = d
                .descendants(d.root())
                .filter(|&n| sel.matches(&d, n))
                .collect();
            assert_eq!(sel.all(&d, d.root()), walk, "{}", sel.source());
        }
        assert_eq!(a.needles[0].key, b.needles[0].key);
        assert_ne!(a.needles[0].key, c.needles[0].key);
        assert_eq!(a.all(&d, d.root()).len(), 21);
        let el = d.create_element(
            crate::dom::name::DIV,
            [(crate::dom::name::CLASS, "late-comment")],
            false,
        );
        d.append(d.body(), el);
        assert_eq!(a.all(&d, d.root()).len(), 22);
        assert_eq!(b.outermost(&d, d.root()).last(), Some(&el));
        // the memo recomputes under a key that holds another type
        let ix = d.index();
        assert_eq!(*ix.memo(7, || 1u32), 1);
        assert_eq!(*ix.memo(7, || 2u32), 1);
        assert_eq!(ix.memo(7, || "x".to_string()).as_str(), "x");
    }

    fn doc() -> Dom {
        parse(
            r#"<div id="comments" class="comments-area"><ol class="comment-list">
               <li id="comment-1" class="comment depth-1"><p>a</p>
                 <ul class="children"><li id="comment-2" class="comment depth-2"><p>b</p></li></ul></li>
               </ol><a rel="category tag" href="/c">c</a></div>"#,
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap()
    }

    fn count(d: &Dom, s: &str) -> usize {
        Selector::parse(s).unwrap().all(d, 0).len()
    }

    #[test]
    fn simple_and_compound() {
        let d = doc();
        assert_eq!(count(&d, "li.comment"), 2);
        assert_eq!(count(&d, "#comments"), 1);
        assert_eq!(count(&d, "li[id^=comment-]"), 2);
        assert_eq!(count(&d, "a[rel~=tag]"), 1);
        assert_eq!(count(&d, "a[rel=tag]"), 0);
        assert_eq!(count(&d, "[class*=depth]"), 2);
        assert_eq!(count(&d, "li:not(.depth-2)"), 1);
        assert_eq!(count(&d, "LI[ID$='-2' i]"), 1);
    }

    #[test]
    fn combinators() {
        let d = doc();
        assert_eq!(count(&d, "ol > li"), 1);
        assert_eq!(count(&d, "ol li"), 2);
        assert_eq!(count(&d, "#comments ul.children > li p"), 1);
        assert_eq!(count(&d, "ol.comment-list, a"), 2);
    }

    #[test]
    fn outermost_skips_nested_matches() {
        let d = doc();
        let s = Selector::parse("li").unwrap();
        assert_eq!(s.outermost(&d, 0).len(), 1);
    }

    #[test]
    fn absent_keys_skip_the_walk_and_new_elements_reset_presence() {
        let mut d = doc();
        assert!(Selector::parse("#comments, .nope").unwrap().may_match(&d));
        assert!(!Selector::parse("li.nope").unwrap().may_match(&d));
        assert!(!Selector::parse("#nope, .nope, table")
            .unwrap()
            .may_match(&d));
        assert!(Selector::parse("[rel]").unwrap().may_match(&d));
        let s = Selector::parse(".late").unwrap();
        assert!(s.first(&d, 0).is_none());
        let el = d.create_element(
            crate::dom::name::DIV,
            [(crate::dom::name::CLASS, "late")],
            false,
        );
        d.append(0, el);
        assert_eq!(s.first(&d, 0), Some(el));
        assert_eq!(s.all(&d, 0), vec![el]);
    }

    #[test]
    fn bad_selectors_are_errors() {
        assert!(Selector::parse("").is_err());
        assert!(Selector::parse("a[href").is_err());
        assert!(Selector::parse("a!b").is_err());
    }
}
