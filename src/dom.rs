//! The project's own compact arena DOM.
//!
//! Why it exists: extraction must never see a parser crate's types, so the parser front end
//! (html5ever today, a faster one later) can be swapped without touching a single heuristic.
//! Nodes live in one `Vec`, linked by `u32` ids; tag and attribute names are interned
//! (`Name`, a `u16`), and all text and attribute values live in one string buffer addressed by
//! spans, so building a tree costs no per-node `String` allocation.
//!
//! Every walk here is iterative: a 200,000-deep page must not overflow the stack.

use std::collections::HashMap;

/// A node id: an index into [`Dom::nodes`].
pub type NodeId = u32;

/// A hash map keyed by [`NodeId`] with a multiply hasher: node ids are small dense integers,
/// so SipHash's cost buys nothing. Use it for get/insert only (iteration order is arbitrary).
pub type NodeMap<V> = HashMap<NodeId, V, std::hash::BuildHasherDefault<NodeHasher>>;

/// The hasher behind [`NodeMap`] (Fx-style rotate, xor, multiply).
#[derive(Clone, Copy, Debug, Default)]
pub struct NodeHasher(u64);

impl std::hash::Hasher for NodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// "No node" in the sibling/parent links.
pub const NONE: NodeId = u32::MAX;

/// An interned tag or attribute name (lowercase). Names in [`KNOWN_NAMES`] have the same id in
/// every document, so `dom.tag(n) == Some(name::P)` is a plain integer comparison.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Name(pub u16);

macro_rules! known_names {
    ($($ident:ident = $s:literal),* $(,)?) => {
        /// Names with a fixed id in every document.
        pub const KNOWN_NAMES: &[&str] = &[$($s),*];
        /// Constants for the known names.
        #[allow(missing_docs)]
        pub mod name {
            use super::Name;
            known_names!(@consts 0u16; $($ident),*);
        }
    };
    (@consts $n:expr; $ident:ident $(, $rest:ident)*) => {
        pub const $ident: Name = Name($n);
        known_names!(@consts $n + 1u16; $($rest),*);
    };
    (@consts $n:expr;) => {};
}

known_names! {
    HTML = "html", HEAD = "head", BODY = "body", TITLE = "title", META = "meta", LINK = "link",
    BASE = "base", SCRIPT = "script", STYLE = "style", NOSCRIPT = "noscript", TEMPLATE = "template",
    IFRAME = "iframe", OBJECT = "object", EMBED = "embed", CANVAS = "canvas", SVG = "svg", MATH = "math",
    DIV = "div", SPAN = "span", P = "p", A = "a", IMG = "img", PICTURE = "picture", SOURCE = "source",
    VIDEO = "video", AUDIO = "audio", BR = "br", HR = "hr", WBR = "wbr",
    H1 = "h1", H2 = "h2", H3 = "h3", H4 = "h4", H5 = "h5", H6 = "h6",
    UL = "ul", OL = "ol", LI = "li", DL = "dl", DT = "dt", DD = "dd", MENU = "menu",
    TABLE = "table", THEAD = "thead", TBODY = "tbody", TFOOT = "tfoot", TR = "tr", TD = "td", TH = "th",
    CAPTION = "caption", COLGROUP = "colgroup", COL = "col",
    BLOCKQUOTE = "blockquote", Q = "q", PRE = "pre", CODE = "code", KBD = "kbd", SAMP = "samp",
    FIGURE = "figure", FIGCAPTION = "figcaption",
    ARTICLE = "article", SECTION = "section", MAIN = "main", ASIDE = "aside", NAV = "nav",
    HEADER = "header", FOOTER = "footer", ADDRESS = "address", DETAILS = "details", SUMMARY = "summary",
    FORM = "form", INPUT = "input", BUTTON = "button", SELECT = "select", OPTION = "option",
    OPTGROUP = "optgroup", TEXTAREA = "textarea", LABEL = "label", FIELDSET = "fieldset", LEGEND = "legend",
    EM = "em", STRONG = "strong", B = "b", I = "i", U = "u", S = "s", SMALL = "small", SUB = "sub",
    SUP = "sup", MARK = "mark", ABBR = "abbr", CITE = "cite", TIME = "time", FONT = "font", CENTER = "center",
    DEL = "del", INS = "ins", DFN = "dfn", VAR = "var", BIG = "big", TT = "tt", STRIKE = "strike",
    NOBR = "nobr", BDI = "bdi", BDO = "bdo", RUBY = "ruby", RT = "rt", RP = "rp", DATA = "data",
    OUTPUT = "output", PROGRESS = "progress", METER = "meter", AREA = "area", MAP = "map", TRACK = "track",
    PARAM = "param", DIALOG = "dialog", HGROUP = "hgroup", SEARCH = "search", FRAME = "frame",
    FRAMESET = "frameset", NOFRAMES = "noframes", XMP = "xmp", PLAINTEXT = "plaintext", LISTING = "listing",
    APPLET = "applet", MARQUEE = "marquee", KEYGEN = "keygen", IMAGE = "image", BASEFONT = "basefont",
    BGSOUND = "bgsound", ISINDEX = "isindex", NOEMBED = "noembed", DATALIST = "datalist",
    // attribute names
    ID = "id", CLASS = "class", HREF = "href", REL = "rel", SRC = "src", ALT = "alt", NAME_ATTR = "name",
    CONTENT = "content", PROPERTY = "property", ITEMPROP = "itemprop", ITEMTYPE = "itemtype",
    ITEMSCOPE = "itemscope", ITEMID = "itemid", DATETIME = "datetime", LANG = "lang", HIDDEN = "hidden",
    ARIA_HIDDEN = "aria-hidden", ROLE = "role", TYPE = "type", CHARSET = "charset",
    HTTP_EQUIV = "http-equiv", VALUE = "value",
    ARIA_LEVEL = "aria-level", ARIA_LABEL = "aria-label", DATA_SRC = "data-src",
}

/// What a node is.
#[derive(Clone, Copy, Debug)]
pub enum NodeData {
    /// The document root (also used for detached template contents).
    Document,
    /// An element: its name, its attributes as a range of [`Dom::attrs`], and whether it is
    /// outside the HTML namespace (`svg`, `math` and their children).
    Element {
        /// Interned lowercase local name.
        name: Name,
        /// Start index in `Dom::attrs`.
        attr_start: u32,
        /// End index (exclusive) in `Dom::attrs`.
        attr_end: u32,
        /// Foreign (SVG/MathML) element.
        foreign: bool,
    },
    /// A text node: span into `Dom::buf`.
    Text {
        /// Byte start.
        start: u32,
        /// Byte end.
        end: u32,
    },
    /// A comment: span into `Dom::buf`.
    Comment {
        /// Byte start.
        start: u32,
        /// Byte end.
        end: u32,
    },
}

/// One node with its tree links.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// Parent id or [`NONE`].
    pub parent: NodeId,
    /// First child or [`NONE`].
    pub first_child: NodeId,
    /// Last child or [`NONE`].
    pub last_child: NodeId,
    /// Previous sibling or [`NONE`].
    pub prev: NodeId,
    /// Next sibling or [`NONE`].
    pub next: NodeId,
    /// Payload.
    pub data: NodeData,
}

/// One attribute: interned name and value span into `Dom::buf`.
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    /// Interned lowercase name.
    pub name: Name,
    /// Value start in `Dom::buf`.
    pub start: u32,
    /// Value end in `Dom::buf`.
    pub end: u32,
}

/// The arena document.
#[derive(Debug, Clone)]
pub struct Dom {
    nodes: Vec<Node>,
    attrs: Vec<Attr>,
    buf: String,
    extra_names: Vec<Box<str>>,
    extra_index: NameIndex<Box<str>>,
    /// Which ids, classes and tags occur anywhere (built on first use, reset on any change).
    presence: std::sync::OnceLock<Presence>,
    /// Elements by tag, id, class and attribute, in document order (built on first use, reset
    /// on any change).
    index: std::sync::OnceLock<ElementIndex>,
}

/// A map keyed by a 64-bit hash that is already well mixed ([`presence_key`]): the key is its
/// own hash (hashing a u64 through xxh3's streaming hasher cost more than the lookup).
type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;
type KeySet = std::collections::HashSet<u64, std::hash::BuildHasherDefault<KeyHasher>>;

/// The hasher behind [`KeyMap`]: the identity on a u64 key (which is an xxh3 output).
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // not used by u64 keys; a plain Fx-style mix keeps it a valid hasher
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Node lists grouped by a small dense group id, all in one flat vector: group `g` is
/// `nodes[offsets[g]..offsets[g + 1]]` (in document order). Built from (group, node) pairs
/// collected in document order by a stable counting sort: a handful of allocations per page
/// instead of one growing vector per tag, attribute, id and class token.
#[derive(Debug, Clone, Default)]
struct Groups {
    offsets: Vec<u32>,
    nodes: Vec<NodeId>,
}

impl Groups {
    /// Groups `pairs` (group, node) by group, keeping their order within each group.
    fn build(pairs: &[(u32, NodeId)], groups: usize) -> Groups {
        let mut offsets = vec![0u32; groups + 1];
        for &(g, _) in pairs {
            offsets[g as usize + 1] += 1;
        }
        for g in 0..groups {
            offsets[g + 1] += offsets[g];
        }
        let mut fill: Vec<u32> = offsets[..groups].to_vec();
        let mut nodes = vec![0; pairs.len()];
        for &(g, n) in pairs {
            let slot = &mut fill[g as usize];
            nodes[*slot as usize] = n;
            *slot += 1;
        }
        Groups { offsets, nodes }
    }

    /// The nodes of group `g` (empty for an unknown group).
    fn get(&self, g: usize) -> &[NodeId] {
        match (self.offsets.get(g), self.offsets.get(g + 1)) {
            (Some(&s), Some(&e)) => &self.nodes[s as usize..e as usize],
            _ => &[],
        }
    }
}

/// The elements reachable from the root grouped by tag, id, class token and attribute name,
/// each group in document order, with every node's pre-order position and subtree end (see
/// [`Dom::index`]). Lets a selector visit only the elements that carry one of its keys instead
/// of walking the whole tree; ids and classes are keyed by [`presence_key`] (a collision only
/// adds candidates, which the selector then tests in full).
#[derive(Debug, Clone, Default)]
pub struct ElementIndex {
    /// Pre-order position of each node reachable from the root ([`u32::MAX`] otherwise).
    pre: Vec<u32>,
    /// One past the last pre-order position inside the node's subtree.
    end: Vec<u32>,
    /// Group = tag name id.
    by_tag: Groups,
    /// Group = attribute name id.
    by_attr: Groups,
    /// Group = dense id of the `id` value's key (see `id_groups`).
    by_id: Groups,
    /// Group = dense id of the class token's key (see `class_groups`).
    by_class: Groups,
    id_groups: KeyMap<u32>,
    class_groups: KeyMap<u32>,
    /// Keys of the ids and class tokens of elements not reachable from the root (detached
    /// subtrees, template contents): with the groups, every element of the arena.
    detached_ids: KeySet,
    detached_classes: KeySet,
    /// Per node: the id of its `class` attribute value among the page's distinct values
    /// ([`u32::MAX`]: no class, or not reachable).
    class_vid: Vec<u32>,
    /// The distinct `class` values (spans into `Dom::buf`), by value id.
    class_values: Vec<(u32, u32)>,
    /// Answers derived from this document by compiled rules (see [`ElementIndex::memo`]).
    memo: Memo,
}

/// A per-document store of answers that compiled rules derive from the document (e.g. which
/// elements a selector's substring tests may match), each computed once per document version:
/// it lives in the [`ElementIndex`], so any change to the document drops it. Entries are keyed
/// by a 64-bit hash of what the rule computes (see [`ElementIndex::memo`]).
#[derive(Default)]
struct Memo(std::sync::Mutex<MemoMap>);

type MemoMap = KeyMap<std::sync::Arc<dyn std::any::Any + Send + Sync>>;

impl Clone for Memo {
    /// A copy starts empty (every entry can be recomputed from the document).
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl ElementIndex {
    /// Pre-order position of `n` (None when it is not reachable from the root).
    pub fn pre(&self, n: NodeId) -> Option<u32> {
        self.pre.get(n as usize).copied().filter(|&p| p != u32::MAX)
    }

    /// Pre-order positions strictly inside the subtree of `n` (its descendants), if reachable.
    pub fn inside(&self, n: NodeId) -> Option<std::ops::Range<u32>> {
        let p = self.pre(n)?;
        Some(p + 1..self.end[n as usize])
    }

    /// One past the last pre-order position of the subtree of `n` (0 when not reachable).
    pub fn end(&self, n: NodeId) -> u32 {
        self.end.get(n as usize).copied().unwrap_or(0)
    }

    /// Elements with this tag, in document order.
    pub fn with_tag(&self, t: Name) -> &[NodeId] {
        self.by_tag.get(t.0 as usize)
    }

    /// Elements carrying this attribute, in document order.
    pub fn with_attr(&self, a: Name) -> &[NodeId] {
        self.by_attr.get(a.0 as usize)
    }

    /// Elements whose `id` may be the one keyed `key` ([`presence_key`]), in document order.
    pub fn with_id(&self, key: u64) -> &[NodeId] {
        self.id_groups
            .get(&key)
            .map_or(&[], |&g| self.by_id.get(g as usize))
    }

    /// True when some element of the document (reachable or not) may carry the id keyed `key`
    /// ([`presence_key`]; a collision can only make it look present, so false is exact).
    pub fn has_id(&self, key: u64) -> bool {
        self.id_groups.contains_key(&key) || self.detached_ids.contains(&key)
    }

    /// True when some element of the document (reachable or not) may carry the class token
    /// keyed `key` (false is exact).
    pub fn has_class(&self, key: u64) -> bool {
        self.class_groups.contains_key(&key) || self.detached_classes.contains(&key)
    }

    /// Elements that may carry the class token keyed `key`, in document order.
    pub fn with_class(&self, key: u64) -> &[NodeId] {
        self.class_groups
            .get(&key)
            .map_or(&[], |&g| self.by_class.get(g as usize))
    }

    /// The id of the element's `class` value among the page's distinct class values (pages
    /// repeat a few hundred class strings over thousands of elements, so a question about a
    /// class value can be answered once per value). None without a class or when unreachable.
    pub fn class_value_id(&self, n: NodeId) -> Option<u32> {
        self.class_vid
            .get(n as usize)
            .copied()
            .filter(|&v| v != u32::MAX)
    }

    /// Number of class value ids ([`Self::class_value_id`] is below it). The same string
    /// usually has one id; a hash collision can give it two, never two strings one id.
    pub fn class_value_count(&self) -> usize {
        self.class_values.len()
    }

    /// The answer stored under `key` for this document, computed by `init` on first use (or
    /// when the entry under `key` has another type). `init` must be a pure function of the
    /// document and of what `key` names, so that caching it changes no result; as keys are
    /// hashes, a caller whose rules could collide keeps what identifies them in the answer and
    /// checks it.
    pub fn memo<T: std::any::Any + Send + Sync>(
        &self,
        key: u64,
        init: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        let cached = self
            .memo
            .0
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
            .and_then(|v| v.downcast::<T>().ok());
        if let Some(v) = cached {
            return v;
        }
        // computed outside the lock: `init` may use other entries
        let v = std::sync::Arc::new(init());
        if let Ok(mut m) = self.memo.0.lock() {
            m.insert(key, v.clone());
        }
        v
    }

    /// The part of a document-ordered `list` whose positions fall in `range`.
    pub fn slice<'l>(&self, list: &'l [NodeId], range: &std::ops::Range<u32>) -> &'l [NodeId] {
        let pos = |n: &NodeId| self.pre[*n as usize];
        let lo = list.partition_point(|n| pos(n) < range.start);
        let hi = list.partition_point(|n| pos(n) < range.end);
        &list[lo..hi.max(lo)]
    }
}

/// The tag names that occur anywhere in a document (see [`Dom::presence`]); whether an id or
/// class occurs anywhere is answered by [`ElementIndex::has_id`] / [`ElementIndex::has_class`].
#[derive(Debug, Clone, Default)]
pub struct Presence {
    tags: Vec<u64>,
}

/// The hash ids and classes are keyed by ([`ElementIndex::has_id`], [`ElementIndex::with_class`]).
pub fn presence_key(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

impl Presence {
    /// True when some element has this tag name.
    pub fn has_tag(&self, n: Name) -> bool {
        let i = n.0 as usize;
        self.tags
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
}

/// Name tables are looked up per attribute access by name: xxh3 instead of SipHash.
type NameIndex<K> = HashMap<K, u16, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

fn known_index() -> &'static NameIndex<&'static str> {
    static INDEX: std::sync::OnceLock<NameIndex<&'static str>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        KNOWN_NAMES
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i as u16))
            .collect()
    })
}

/// Looks up a known name without a document (for selectors and constants).
pub fn known_name(s: &str) -> Option<Name> {
    known_index().get(s).map(|&i| Name(i))
}

impl Default for Dom {
    fn default() -> Self {
        Self::new()
    }
}

/// Buffers of a dropped document held for the next one this thread builds (issue 7: buffers
/// reused per worker). Cleared when kept; buffers of pages above [`SPARE_MAX_BUF_BYTES`] are
/// freed, so a worker holds at most one small spare beside the page in flight.
type Spare = (Vec<Node>, Vec<Attr>, String);

thread_local! {
    static SPARE: std::cell::Cell<Option<Spare>> = const { std::cell::Cell::new(None) };
}

/// Largest text buffer (bytes) kept for reuse; typical pages are well below it.
const SPARE_MAX_BUF_BYTES: usize = 4 << 20;

impl Drop for Dom {
    fn drop(&mut self) {
        if self.buf.capacity() > SPARE_MAX_BUF_BYTES {
            return;
        }
        let mut nodes = std::mem::take(&mut self.nodes);
        let mut attrs = std::mem::take(&mut self.attrs);
        let mut buf = std::mem::take(&mut self.buf);
        nodes.clear();
        attrs.clear();
        buf.clear();
        // `try_with`: a document dropped while the thread's locals are torn down is just freed
        let _ = SPARE.try_with(|s| s.set(Some((nodes, attrs, buf))));
    }
}

impl Dom {
    /// A document holding only its root (id 0).
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// A document with room for roughly `bytes` of input. The node, attribute and text
    /// vectors of the last document this thread dropped are reused (see [`SPARE`]).
    pub fn with_capacity(bytes: usize) -> Self {
        let (mut nodes, mut attrs, mut buf) = SPARE
            .with(|s| s.take())
            .unwrap_or_else(|| (Vec::new(), Vec::new(), String::new()));
        nodes.reserve(bytes / 24 + 8);
        attrs.reserve(bytes / 48 + 8);
        // Text and attribute values can fill nearly all of a script-heavy page: reserving
        // the whole input length avoids growing (copying) the buffer while parsing; pages
        // never touched stay uncommitted.
        buf.reserve(bytes + 64);
        let mut dom = Dom {
            nodes,
            attrs,
            buf,
            extra_names: Vec::new(),
            extra_index: NameIndex::default(),
            presence: std::sync::OnceLock::new(),
            index: std::sync::OnceLock::new(),
        };
        dom.push(NodeData::Document);
        dom
    }

    // ----- building -------------------------------------------------------------------------

    /// Interns a (lowercase) name.
    pub fn intern(&mut self, s: &str) -> Name {
        if let Some(&i) = known_index().get(s) {
            return Name(i);
        }
        if let Some(&i) = self.extra_index.get(s) {
            return Name(i);
        }
        let id = (KNOWN_NAMES.len() + self.extra_names.len()).min(u16::MAX as usize) as u16;
        self.extra_names.push(s.into());
        self.extra_index.insert(s.into(), id);
        Name(id)
    }

    /// Looks up a name without interning it (None if the document never saw it).
    pub fn lookup(&self, s: &str) -> Option<Name> {
        known_index()
            .get(s)
            .or_else(|| self.extra_index.get(s))
            .map(|&i| Name(i))
    }

    fn push(&mut self, data: NodeData) -> NodeId {
        self.reset_presence();
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            data,
        });
        id
    }

    fn reset_presence(&mut self) {
        if self.presence.get().is_some() {
            self.presence = std::sync::OnceLock::new();
        }
        self.reset_index();
    }

    fn reset_index(&mut self) {
        if self.index.get().is_some() {
            self.index = std::sync::OnceLock::new();
        }
    }

    /// The elements reachable from the root grouped by tag, id, class and attribute, in
    /// document order (one walk, done on first use and kept until the document changes).
    pub fn index(&self) -> &ElementIndex {
        self.index.get_or_init(|| self.build_index())
    }

    /// One pre-order walk from the root collecting (group, node) pairs per family, then one
    /// counting sort per family (see [`Groups`]).
    fn build_index(&self) -> ElementIndex {
        let n = self.nodes.len();
        let mut pre = vec![u32::MAX; n];
        let mut end = vec![0u32; n];
        let mut class_vid = vec![u32::MAX; n];
        let mut class_values: Vec<(u32, u32)> = Vec::new();
        // distinct class values by hash (a colliding different string gets its own id)
        let mut value_ids: KeyMap<u32> = KeyMap::default();
        let mut id_groups: KeyMap<u32> = KeyMap::default();
        let mut class_groups: KeyMap<u32> = KeyMap::default();
        let mut tag_pairs: Vec<(u32, NodeId)> = Vec::with_capacity(n / 2 + 1);
        let mut attr_pairs: Vec<(u32, NodeId)> = Vec::with_capacity(self.attrs.len());
        let mut id_pairs: Vec<(u32, NodeId)> = Vec::new();
        let mut class_pairs: Vec<(u32, NodeId)> = Vec::new();
        let (mut tag_groups, mut attr_groups) = (0usize, 0usize);
        let mut pos = 0u32;
        let mut cur = self.root();
        'walk: loop {
            pre[cur as usize] = pos;
            pos += 1;
            if let NodeData::Element {
                name: tag,
                attr_start,
                attr_end,
                ..
            } = self.nodes[cur as usize].data
            {
                let id = cur;
                tag_pairs.push((u32::from(tag.0), id));
                tag_groups = tag_groups.max(tag.0 as usize + 1);
                let attrs = &self.attrs[attr_start as usize..attr_end as usize];
                let (attr_mark, id_mark) = (attr_pairs.len(), id_pairs.len());
                for a in attrs {
                    let k = u32::from(a.name.0);
                    // a repeated attribute name lists the element once
                    if !attr_pairs[attr_mark..].iter().any(|&(g, _)| g == k) {
                        attr_pairs.push((k, id));
                        attr_groups = attr_groups.max(k as usize + 1);
                    }
                    let v = &self.buf[a.start as usize..a.end as usize];
                    if a.name == name::ID {
                        let next = id_groups.len() as u32;
                        let g = *id_groups.entry(presence_key(v)).or_insert(next);
                        if !id_pairs[id_mark..].iter().any(|&(h, _)| h == g) {
                            id_pairs.push((g, id));
                        }
                    } else if a.name == name::CLASS {
                        let class_mark = class_pairs.len();
                        for c in v.split_ascii_whitespace() {
                            let next = class_groups.len() as u32;
                            let g = *class_groups.entry(presence_key(c)).or_insert(next);
                            if !class_pairs[class_mark..].iter().any(|&(h, _)| h == g) {
                                class_pairs.push((g, id));
                            }
                        }
                        // the first `class` attribute is the one `attr_by` reads
                        if class_vid[id as usize] == u32::MAX {
                            let next = class_values.len() as u32;
                            let vid = match value_ids.entry(presence_key(v)) {
                                std::collections::hash_map::Entry::Occupied(e) => {
                                    let (s, t) = class_values[*e.get() as usize];
                                    if &self.buf[s as usize..t as usize] == v {
                                        *e.get()
                                    } else {
                                        next
                                    }
                                }
                                std::collections::hash_map::Entry::Vacant(e) => *e.insert(next),
                            };
                            if vid == next {
                                class_values.push((a.start, a.end));
                            }
                            class_vid[id as usize] = vid;
                        }
                    }
                }
            }
            // next node in pre-order; every node left behind gets its subtree end
            let node = &self.nodes[cur as usize];
            if node.first_child != NONE {
                cur = node.first_child;
                continue;
            }
            loop {
                end[cur as usize] = pos;
                if cur == self.root() {
                    break 'walk;
                }
                let node = &self.nodes[cur as usize];
                if node.next != NONE {
                    cur = node.next;
                    break;
                }
                cur = node.parent;
                if cur == NONE {
                    break 'walk;
                }
            }
        }
        // ids and classes of the elements the walk did not reach
        let (mut detached_ids, mut detached_classes) = (KeySet::default(), KeySet::default());
        for (i, node) in self.nodes.iter().enumerate() {
            if pre[i] != u32::MAX {
                continue;
            }
            if let NodeData::Element {
                attr_start,
                attr_end,
                ..
            } = node.data
            {
                for a in &self.attrs[attr_start as usize..attr_end as usize] {
                    let v = &self.buf[a.start as usize..a.end as usize];
                    if a.name == name::ID {
                        detached_ids.insert(presence_key(v));
                    } else if a.name == name::CLASS {
                        for c in v.split_ascii_whitespace() {
                            detached_classes.insert(presence_key(c));
                        }
                    }
                }
            }
        }
        ElementIndex {
            pre,
            end,
            detached_ids,
            detached_classes,
            by_tag: Groups::build(&tag_pairs, tag_groups),
            by_attr: Groups::build(&attr_pairs, attr_groups),
            by_id: Groups::build(&id_pairs, id_groups.len()),
            by_class: Groups::build(&class_pairs, class_groups.len()),
            id_groups,
            class_groups,
            class_vid,
            class_values,
            memo: Memo::default(),
        }
    }

    /// The index when it is already built (for caches that must not build it).
    pub fn built_index(&self) -> Option<&ElementIndex> {
        self.index.get()
    }

    /// The string of a class value id of [`Self::index`] (see [`ElementIndex::class_value_id`]).
    pub fn class_value(&self, vid: u32) -> &str {
        self.index()
            .class_values
            .get(vid as usize)
            .map_or("", |&(s, e)| &self.buf[s as usize..e as usize])
    }

    /// The tags present anywhere in the document (one pass over the nodes, done on first use
    /// and kept until the document changes).
    pub fn presence(&self) -> &Presence {
        self.presence.get_or_init(|| {
            let mut p = Presence::default();
            for n in &self.nodes {
                if let NodeData::Element { name: tag, .. } = n.data {
                    let i = tag.0 as usize;
                    if p.tags.len() <= i / 64 {
                        p.tags.resize(i / 64 + 1, 0);
                    }
                    p.tags[i / 64] |= 1u64 << (i % 64);
                }
            }
            p
        })
    }

    fn push_str(&mut self, s: &str) -> (u32, u32) {
        let start = self.buf.len() as u32;
        self.buf.push_str(s);
        (start, self.buf.len() as u32)
    }

    /// Creates a detached element.
    pub fn create_element<'a>(
        &mut self,
        name: Name,
        attrs: impl IntoIterator<Item = (Name, &'a str)>,
        foreign: bool,
    ) -> NodeId {
        let attr_start = self.attrs.len() as u32;
        for (n, v) in attrs {
            let (start, end) = self.push_str(v);
            self.attrs.push(Attr {
                name: n,
                start,
                end,
            });
        }
        let attr_end = self.attrs.len() as u32;
        self.push(NodeData::Element {
            name,
            attr_start,
            attr_end,
            foreign,
        })
    }

    /// Creates a detached shallow copy of an element (same name, namespace flag and attributes;
    /// the attribute spans are shared, not copied). Used by parsers that clone formatting
    /// elements. A non-element yields a detached empty fragment.
    pub fn clone_element(&mut self, id: NodeId) -> NodeId {
        match self.nodes[id as usize].data {
            data @ NodeData::Element { .. } => self.push(data),
            _ => self.push(NodeData::Document),
        }
    }

    /// Creates a detached document-like container (template contents).
    pub fn create_fragment(&mut self) -> NodeId {
        self.push(NodeData::Document)
    }

    /// Creates a detached comment.
    pub fn create_comment(&mut self, text: &str) -> NodeId {
        let (start, end) = self.push_str(text);
        self.push(NodeData::Comment { start, end })
    }

    /// Creates a detached text node.
    pub fn create_text(&mut self, text: &str) -> NodeId {
        let (start, end) = self.push_str(text);
        self.push(NodeData::Text { start, end })
    }

    /// Adds attributes the element does not have yet.
    pub fn add_attrs_if_missing<'a>(
        &mut self,
        id: NodeId,
        attrs: impl IntoIterator<Item = (Name, &'a str)>,
    ) {
        self.reset_presence();
        let NodeData::Element {
            name,
            attr_start,
            attr_end,
            foreign,
        } = self.nodes[id as usize].data
        else {
            return;
        };
        let existing: Vec<Attr> = self.attrs[attr_start as usize..attr_end as usize].to_vec();
        let mut new: Vec<(Name, (u32, u32))> = Vec::new();
        for (n, v) in attrs {
            if !existing.iter().any(|a| a.name == n) && !new.iter().any(|(m, _)| *m == n) {
                let span = self.push_str(v);
                new.push((n, span));
            }
        }
        if new.is_empty() {
            return;
        }
        let start = self.attrs.len() as u32;
        self.attrs.extend(existing);
        for (n, (s, e)) in new {
            self.attrs.push(Attr {
                name: n,
                start: s,
                end: e,
            });
        }
        let end = self.attrs.len() as u32;
        self.nodes[id as usize].data = NodeData::Element {
            name,
            attr_start: start,
            attr_end: end,
            foreign,
        };
    }

    /// Appends `child` (detached) as the last child of `parent`.
    pub fn append(&mut self, parent: NodeId, child: NodeId) {
        self.reset_index();
        // parsers append freshly created (detached) nodes: skip the unlinking call for them
        if self.nodes[child as usize].parent != NONE {
            self.detach(child);
        }
        let last = self.nodes[parent as usize].last_child;
        {
            let c = &mut self.nodes[child as usize];
            c.parent = parent;
            c.prev = last;
            c.next = NONE;
        }
        if last == NONE {
            self.nodes[parent as usize].first_child = child;
        } else {
            self.nodes[last as usize].next = child;
        }
        self.nodes[parent as usize].last_child = child;
    }

    /// Appends text to `parent`, merging with a trailing text node.
    pub fn append_text(&mut self, parent: NodeId, text: &str) {
        let last = self.nodes[parent as usize].last_child;
        if last != NONE {
            if let NodeData::Text { start, end } = self.nodes[last as usize].data {
                self.extend_text(last, start, end, text);
                return;
            }
        }
        let t = self.create_text(text);
        self.append(parent, t);
    }

    fn extend_text(&mut self, node: NodeId, start: u32, end: u32, text: &str) {
        if end as usize == self.buf.len() {
            self.buf.push_str(text);
        } else {
            let old = self.buf[start as usize..end as usize].to_string();
            let s = self.buf.len() as u32;
            self.buf.push_str(&old);
            self.buf.push_str(text);
            self.nodes[node as usize].data = NodeData::Text {
                start: s,
                end: self.buf.len() as u32,
            };
            return;
        }
        self.nodes[node as usize].data = NodeData::Text {
            start,
            end: self.buf.len() as u32,
        };
    }

    /// Inserts `new` (detached) before `sibling`.
    pub fn insert_before(&mut self, sibling: NodeId, new: NodeId) {
        self.reset_index();
        self.detach(new);
        let parent = self.nodes[sibling as usize].parent;
        let prev = self.nodes[sibling as usize].prev;
        {
            let n = &mut self.nodes[new as usize];
            n.parent = parent;
            n.prev = prev;
            n.next = sibling;
        }
        self.nodes[sibling as usize].prev = new;
        if prev == NONE {
            if parent != NONE {
                self.nodes[parent as usize].first_child = new;
            }
        } else {
            self.nodes[prev as usize].next = new;
        }
    }

    /// Inserts text before `sibling`, merging with a preceding text node.
    pub fn insert_text_before(&mut self, sibling: NodeId, text: &str) {
        let prev = self.nodes[sibling as usize].prev;
        if prev != NONE {
            if let NodeData::Text { start, end } = self.nodes[prev as usize].data {
                self.extend_text(prev, start, end, text);
                return;
            }
        }
        let t = self.create_text(text);
        self.insert_before(sibling, t);
    }

    /// Unlinks a node from its parent (it and its subtree stay in the arena).
    pub fn detach(&mut self, id: NodeId) {
        self.reset_index();
        let Node {
            parent, prev, next, ..
        } = self.nodes[id as usize];
        if parent == NONE {
            return;
        }
        if prev == NONE {
            self.nodes[parent as usize].first_child = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next == NONE {
            self.nodes[parent as usize].last_child = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
        let n = &mut self.nodes[id as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    /// Moves all children of `from` to the end of `to`.
    pub fn reparent_children(&mut self, from: NodeId, to: NodeId) {
        let mut c = self.nodes[from as usize].first_child;
        while c != NONE {
            let next = self.nodes[c as usize].next;
            self.append(to, c);
            c = next;
        }
    }

    // ----- reading --------------------------------------------------------------------------

    /// The root node.
    pub fn root(&self) -> NodeId {
        0
    }

    /// Number of nodes in the arena (including detached ones).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when only the root exists.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// A node by id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// Parent or None.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id as usize].parent;
        (p != NONE).then_some(p)
    }

    /// Next sibling or None.
    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id as usize].next;
        (p != NONE).then_some(p)
    }

    /// Previous sibling or None.
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id as usize].prev;
        (p != NONE).then_some(p)
    }

    /// First child or None.
    pub fn first_child(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id as usize].first_child;
        (p != NONE).then_some(p)
    }

    /// Children in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Element children in order.
    pub fn element_children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).filter(move |&c| self.is_element(c))
    }

    /// All descendants (not `id` itself) in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Ancestors from the parent up to the root.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut cur = self.nodes[id as usize].parent;
        std::iter::from_fn(move || {
            if cur == NONE {
                return None;
            }
            let r = cur;
            cur = self.nodes[cur as usize].parent;
            Some(r)
        })
    }

    /// True when `anc` is `id` or one of its ancestors.
    pub fn is_inclusive_ancestor(&self, anc: NodeId, id: NodeId) -> bool {
        anc == id || self.ancestors(id).any(|a| a == anc)
    }

    /// Depth below the root (root = 0).
    pub fn depth(&self, id: NodeId) -> usize {
        self.ancestors(id).count()
    }

    /// True for elements.
    pub fn is_element(&self, id: NodeId) -> bool {
        matches!(self.nodes[id as usize].data, NodeData::Element { .. })
    }

    /// The element's name, or None for other nodes.
    pub fn tag(&self, id: NodeId) -> Option<Name> {
        match self.nodes[id as usize].data {
            NodeData::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// True when the node is an element with this name.
    pub fn is(&self, id: NodeId, name: Name) -> bool {
        self.tag(id) == Some(name)
    }

    /// True for foreign (SVG/MathML) elements.
    pub fn is_foreign(&self, id: NodeId) -> bool {
        matches!(
            self.nodes[id as usize].data,
            NodeData::Element { foreign: true, .. }
        )
    }

    /// The string of an interned name.
    pub fn name_str(&self, name: Name) -> &str {
        let i = name.0 as usize;
        if i < KNOWN_NAMES.len() {
            KNOWN_NAMES[i]
        } else {
            self.extra_names
                .get(i - KNOWN_NAMES.len())
                .map(|s| &**s)
                .unwrap_or("")
        }
    }

    /// The element's tag name ("" for non-elements).
    pub fn tag_name(&self, id: NodeId) -> &str {
        self.tag(id).map(|n| self.name_str(n)).unwrap_or("")
    }

    /// The element's attribute records (none for non-elements).
    #[inline]
    fn attr_records(&self, id: NodeId) -> &[Attr] {
        match self.nodes[id as usize].data {
            NodeData::Element {
                attr_start,
                attr_end,
                ..
            } => &self.attrs[attr_start as usize..attr_end as usize],
            _ => &[],
        }
    }

    /// The element's attributes.
    pub fn attrs(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.attr_pairs(id).map(move |(n, v)| (self.name_str(n), v))
    }

    /// The element's attributes as (interned name, value), in source order.
    pub fn attr_pairs(&self, id: NodeId) -> impl Iterator<Item = (Name, &str)> + '_ {
        self.attr_records(id)
            .iter()
            .map(move |a| (a.name, &self.buf[a.start as usize..a.end as usize]))
    }

    /// An attribute value by interned name.
    #[inline]
    pub fn attr_by(&self, id: NodeId, name: Name) -> Option<&str> {
        self.attr_records(id)
            .iter()
            .find(|a| a.name == name)
            .map(|a| &self.buf[a.start as usize..a.end as usize])
    }

    /// An attribute value by (lowercase) name.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        let n = self.lookup(name)?;
        self.attr_by(id, n)
    }

    /// The `id` attribute.
    pub fn id_attr(&self, id: NodeId) -> Option<&str> {
        self.attr_by(id, name::ID)
    }

    /// The `class` attribute tokens.
    pub fn classes(&self, id: NodeId) -> impl Iterator<Item = &str> + '_ {
        self.attr_by(id, name::CLASS)
            .unwrap_or("")
            .split_ascii_whitespace()
    }

    /// True when the class list has `class` (case-sensitive, as HTML).
    pub fn has_class(&self, id: NodeId, class: &str) -> bool {
        self.classes(id).any(|c| c == class)
    }

    /// The text of a text node (or comment), else "".
    pub fn text(&self, id: NodeId) -> &str {
        match self.nodes[id as usize].data {
            NodeData::Text { start, end } | NodeData::Comment { start, end } => {
                &self.buf[start as usize..end as usize]
            }
            _ => "",
        }
    }

    /// True for text nodes.
    pub fn is_text(&self, id: NodeId) -> bool {
        matches!(self.nodes[id as usize].data, NodeData::Text { .. })
    }

    /// True for comment nodes.
    pub fn is_comment(&self, id: NodeId) -> bool {
        matches!(self.nodes[id as usize].data, NodeData::Comment { .. })
    }

    /// Raw concatenated text of all descendant text nodes, skipping `script`/`style`/`template`.
    pub fn raw_text(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.for_each_text(id, |t| out.push_str(t));
        out
    }

    /// Text with whitespace collapsed to single spaces and trimmed.
    pub fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.for_each_text(id, |t| push_collapsed(&mut out, t));
        let trimmed_len = out.trim_end().len();
        out.truncate(trimmed_len);
        out
    }

    /// Calls `f` with every text node under `id` in order, skipping non-rendered subtrees.
    pub fn for_each_text(&self, id: NodeId, mut f: impl FnMut(&str)) {
        if self.is_text(id) {
            f(self.text(id));
            return;
        }
        let mut it = self.descendants(id);
        while let Some(n) = it.next() {
            match self.nodes[n as usize].data {
                NodeData::Text { start, end } => f(&self.buf[start as usize..end as usize]),
                NodeData::Element { name: nm, .. } if is_non_rendered(nm) => it.skip_subtree(n),
                _ => {}
            }
        }
    }

    /// Number of characters (bytes) of collapsed-ish text under `id` (fast, no allocation).
    pub fn text_len(&self, id: NodeId) -> usize {
        let mut n = 0;
        self.for_each_text(id, |t| n += t.trim().len());
        n
    }

    /// First descendant element (document order) for which `pred` holds.
    pub fn find(&self, id: NodeId, mut pred: impl FnMut(NodeId) -> bool) -> Option<NodeId> {
        self.descendants(id)
            .find(|&n| self.is_element(n) && pred(n))
    }

    /// All descendant elements (document order) for which `pred` holds.
    pub fn find_all(&self, id: NodeId, mut pred: impl FnMut(NodeId) -> bool) -> Vec<NodeId> {
        self.descendants(id)
            .filter(|&n| self.is_element(n) && pred(n))
            .collect()
    }

    /// The `<body>` element, or the root.
    pub fn body(&self) -> NodeId {
        self.find(self.root(), |n| self.is(n, name::BODY))
            .unwrap_or(self.root())
    }

    /// The `<head>` element, if any.
    pub fn head(&self) -> Option<NodeId> {
        self.find(self.root(), |n| self.is(n, name::HEAD))
    }

    /// The `<html>` element, if any.
    pub fn html(&self) -> Option<NodeId> {
        self.element_children(self.root())
            .find(|&n| self.is(n, name::HTML))
    }

    /// Maximum element depth in the attached tree (iterative).
    pub fn max_depth(&self) -> usize {
        let mut max = 0usize;
        let mut depth = 0usize;
        let mut cur = self.root();
        loop {
            let first = self.nodes[cur as usize].first_child;
            if first != NONE {
                cur = first;
                depth += 1;
                max = max.max(depth);
                continue;
            }
            loop {
                if cur == self.root() {
                    return max;
                }
                let next = self.nodes[cur as usize].next;
                if next != NONE {
                    cur = next;
                    break;
                }
                cur = self.nodes[cur as usize].parent;
                depth -= 1;
            }
        }
    }

    /// Bytes held by the arena (for memory accounting in benches).
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.attrs.capacity() * std::mem::size_of::<Attr>()
            + self.buf.capacity()
    }
}

/// Elements whose content is never visible text.
pub fn is_non_rendered(n: Name) -> bool {
    matches!(
        n,
        name::SCRIPT | name::STYLE | name::TEMPLATE | name::NOSCRIPT | name::SVG | name::MATH
    ) || n == name::IFRAME
        || n == name::OBJECT
        || n == name::SELECT
        || n == name::TEXTAREA
        || n == name::HEAD
}

/// Appends `t` to `out` with every run of blanks ([`is_ws`]) written as one space, no space at
/// the start of `out` or after a space. Words and the single spaces between them are copied in
/// whole runs (prose is one copy), not word by word.
pub fn push_collapsed(out: &mut String, t: &str) {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (blank, len) = blank_at(t, i);
        let mut j = i + len;
        if blank {
            while j < b.len() {
                let (w, l) = blank_at(t, j);
                if !w {
                    break;
                }
                j += l;
            }
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            // a word run goes on over single spaces between words: each would be written as
            // one space after a non-blank anyway, so prose is copied in one piece
            while j < b.len() {
                let c = b[j];
                if c.is_ascii() {
                    let single_space = c == b' '
                        && j + 1 < b.len()
                        && match b[j + 1] {
                            n if n.is_ascii() => !ascii_blank(n),
                            _ => !blank_at(t, j + 1).0,
                        };
                    if ascii_blank(c) && !single_space {
                        break;
                    }
                    j += 1;
                    continue;
                }
                let (w, l) = blank_at(t, j);
                if w {
                    break;
                }
                j += l;
            }
            if let Some(word) = t.get(i..j) {
                out.push_str(word);
            }
        }
        i = j;
    }
}

/// The ASCII blanks of `char::is_whitespace`: tab, LF, VT, FF, CR and space.
pub(crate) fn ascii_blank(c: u8) -> bool {
    c == b' ' || (0x09..=0x0d).contains(&c)
}

/// Whether the character at byte `i` of `t` (a character boundary) is a blank, and its length.
fn blank_at(t: &str, i: usize) -> (bool, usize) {
    let c = t.as_bytes()[i];
    if c.is_ascii() {
        return (ascii_blank(c), 1);
    }
    match t.get(i..).and_then(|r| r.chars().next()) {
        Some(ch) => (is_ws(ch), ch.len_utf8()),
        None => (false, 1),
    }
}

/// HTML whitespace plus the no-break and other Unicode spaces that render as blanks.
pub fn is_ws(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}'
}

/// Collapses whitespace of a whole string and trims it.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    let l = out.trim_end().len();
    out.truncate(l);
    out
}

/// Iterator over children.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let r = self.next;
        self.next = self.dom.nodes[r as usize].next;
        Some(r)
    }
}

/// Pre-order iterator over descendants; [`Descendants::skip_subtree`] prunes.
pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: NodeId,
}

impl Descendants<'_> {
    /// Skip the subtree of `n`, which must be the node just returned.
    pub fn skip_subtree(&mut self, n: NodeId) {
        self.next = self.after(n);
    }

    fn after(&self, mut n: NodeId) -> NodeId {
        loop {
            if n == self.root {
                return NONE;
            }
            let node = &self.dom.nodes[n as usize];
            if node.next != NONE {
                return node.next;
            }
            n = node.parent;
            if n == NONE {
                return NONE;
            }
        }
    }
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let r = self.next;
        let node = &self.dom.nodes[r as usize];
        self.next = if node.first_child != NONE {
            node.first_child
        } else {
            self.after(r)
        };
        Some(r)
    }
}

/// A set of node ids (bitset), used to mark regions that later stages must skip.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeSet {
    bits: Vec<u64>,
}

impl NodeSet {
    /// An empty set sized for `dom`.
    pub fn for_dom(dom: &Dom) -> Self {
        NodeSet {
            bits: vec![0; dom.len() / 64 + 1],
        }
    }
    /// Adds a node.
    pub fn insert(&mut self, id: NodeId) {
        let i = id as usize / 64;
        if i >= self.bits.len() {
            self.bits.resize(i + 1, 0);
        }
        self.bits[i] |= 1 << (id % 64);
    }
    /// Removes a node.
    pub fn remove(&mut self, id: NodeId) {
        if let Some(w) = self.bits.get_mut(id as usize / 64) {
            *w &= !(1 << (id % 64));
        }
    }
    /// Membership.
    pub fn contains(&self, id: NodeId) -> bool {
        self.bits
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }
    /// True when `id` or an ancestor is in the set.
    pub fn covers(&self, dom: &Dom, id: NodeId) -> bool {
        self.contains(id) || dom.ancestors(id).any(|a| self.contains(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Dom {
        let mut d = Dom::new();
        let html = d.create_element(name::HTML, [], false);
        d.append(0, html);
        let body = d.create_element(name::BODY, [], false);
        d.append(html, body);
        let p = d.create_element(name::P, [(name::CLASS, "a b")], false);
        d.append(body, p);
        d.append_text(p, "Hello ");
        d.append_text(p, "  world ");
        let s = d.create_element(name::SCRIPT, [], false);
        d.append(p, s);
        d.append_text(s, "var x");
        d
    }

    #[test]
    fn a_dropped_documents_buffers_are_reused_empty() {
        // run on its own thread: the spare is per thread
        std::thread::spawn(|| {
            let first = small();
            let buf_ptr = first.buf.as_ptr();
            let nodes_ptr = first.nodes.as_ptr();
            drop(first);
            let mut d = Dom::new(); // asks for no more room than `small` had
            assert_eq!(d.buf.as_ptr(), buf_ptr, "text buffer reused");
            assert_eq!(d.nodes.as_ptr(), nodes_ptr, "node vector reused");
            // nothing of the first document is left: only the new root
            assert_eq!(d.nodes.len(), 1);
            assert!(d.attrs.is_empty() && d.buf.is_empty());
            let p = d.create_element(name::P, [], false);
            d.append(0, p);
            d.append_text(p, "fresh");
            assert_eq!(d.text_content(0), "fresh");
            // a document whose text buffer is above the cap is freed, not kept
            let mut big = Dom::with_capacity(SPARE_MAX_BUF_BYTES + 1);
            big.append_text(0, "x");
            drop(big);
            assert!(SPARE.with(|s| s.take()).is_none());
        })
        .join()
        .unwrap();
    }

    /// The flat groups of the index list what a plain walk finds, in document order, once per
    /// element (repeated attributes and class tokens too); pre-order positions and subtree ends
    /// agree with the walk; ids and classes of detached elements are present, not listed.
    #[test]
    fn index_groups_agree_with_a_plain_walk() {
        let html = "<body><div id=a class='x y x'><p class=y id=a>1<b class='z'>2</b></p>\
                    <span class=' y  w '>3</span></div><template><i class=t id=tid>4</i></template>\
                    <ul><li class=y>5<li class='x'>6</ul><p>7</p></body>";
        let mut d = crate::parse::parse(
            html,
            crate::parse::Frontend::Fast,
            crate::parse::ParseLimits::default(),
        )
        .unwrap();
        // a detached element and a repeated attribute name on a reachable one
        let lone = d.create_element(name::EM, [(name::CLASS, "gone")], false);
        let li = d.find(d.root(), |n| d.is(n, name::LI)).unwrap();
        d.add_attrs_if_missing(li, [(name::TITLE, "t")]);
        let _ = lone;
        let ix = d.index();
        let walk: Vec<NodeId> = std::iter::once(d.root())
            .chain(d.descendants(d.root()))
            .collect();
        for (i, &n) in walk.iter().enumerate() {
            assert_eq!(ix.pre(n), Some(i as u32));
            let inside = d.descendants(n).count() as u32;
            assert_eq!(ix.end(n), i as u32 + 1 + inside);
        }
        let elements: Vec<NodeId> = walk.iter().copied().filter(|&n| d.is_element(n)).collect();
        for t in [name::P, name::LI, name::DIV, name::I, name::EM] {
            let plain: Vec<NodeId> = elements.iter().copied().filter(|&n| d.is(n, t)).collect();
            assert_eq!(ix.with_tag(t), plain.as_slice());
        }
        for a in [name::ID, name::CLASS, name::TITLE] {
            let plain: Vec<NodeId> = elements
                .iter()
                .copied()
                .filter(|&n| d.attr_by(n, a).is_some())
                .collect();
            assert_eq!(ix.with_attr(a), plain.as_slice());
        }
        for c in ["x", "y", "z", "w", "t", "gone", "none"] {
            let plain: Vec<NodeId> = elements
                .iter()
                .copied()
                .filter(|&n| d.has_class(n, c))
                .collect();
            assert_eq!(ix.with_class(presence_key(c)), plain.as_slice(), "{c}");
            assert_eq!(ix.has_class(presence_key(c)), c != "none", "{c}");
        }
        let plain: Vec<NodeId> = elements
            .iter()
            .copied()
            .filter(|&n| d.id_attr(n) == Some("a"))
            .collect();
        assert_eq!(plain.len(), 2);
        assert_eq!(ix.with_id(presence_key("a")), plain.as_slice());
        assert!(ix.with_id(presence_key("tid")).is_empty());
        assert!(ix.has_id(presence_key("tid")) && !ix.has_id(presence_key("b")));
        assert!(d.presence().has_tag(name::EM) && !d.presence().has_tag(name::H1));
    }

    #[test]
    fn class_value_ids_name_each_distinct_class_string() {
        let html = "<body><p class='a b'>1</p><p class='a b'>2</p><p class='b a'>3</p>\
                    <p>4</p><p class=''>5</p></body>";
        let d = crate::parse::parse(
            html,
            crate::parse::Frontend::Fast,
            crate::parse::ParseLimits::default(),
        )
        .unwrap();
        let ps = d.find_all(d.body(), |n| d.is(n, name::P));
        let idx = d.index();
        let ids: Vec<Option<u32>> = ps.iter().map(|&n| idx.class_value_id(n)).collect();
        // the same class string shares an id; another order of the same words is another value
        assert_eq!(ids[0], ids[1]);
        assert_ne!(ids[0], ids[2]);
        // no class attribute: no id
        assert_eq!(ids[3], None);
        for (k, &n) in ps.iter().enumerate() {
            if let Some(v) = ids[k] {
                assert!((v as usize) < idx.class_value_count());
                assert_eq!(d.class_value(v), d.attr(n, "class").unwrap());
            }
        }
        assert_eq!(d.class_value(u32::MAX - 1), "");
    }

    #[test]
    fn text_merges_and_collapses() {
        let d = small();
        let p = d.find(0, |n| d.is(n, name::P)).unwrap();
        assert_eq!(d.text_content(p), "Hello world");
        assert!(d.has_class(p, "b"));
        assert_eq!(d.attr(p, "class"), Some("a b"));
        assert_eq!(d.body(), d.parent(p).unwrap());
    }

    #[test]
    fn detach_and_insert_keep_links() {
        let mut d = small();
        let p = d.find(0, |n| d.is(n, name::P)).unwrap();
        let body = d.parent(p).unwrap();
        let h = d.create_element(name::H1, [], false);
        d.insert_before(p, h);
        assert_eq!(d.children(body).collect::<Vec<_>>(), vec![h, p]);
        d.detach(h);
        assert_eq!(d.children(body).collect::<Vec<_>>(), vec![p]);
        assert_eq!(d.prev_sibling(p), None);
    }

    #[test]
    fn deep_tree_is_walked_without_recursion() {
        let mut d = Dom::new();
        let mut cur = 0;
        for _ in 0..300_000 {
            let e = d.create_element(name::DIV, [], false);
            d.append(cur, e);
            cur = e;
        }
        d.append_text(cur, "x");
        assert_eq!(d.max_depth(), 300_001);
        assert_eq!(d.text_content(0), "x");
    }

    #[test]
    fn unknown_names_are_interned_per_document() {
        let mut d = Dom::new();
        let a = d.intern("my-widget");
        let b = d.intern("my-widget");
        assert_eq!(a, b);
        assert_eq!(d.name_str(a), "my-widget");
        assert_eq!(d.intern("div"), name::DIV);
    }

    #[test]
    fn known_names_are_unique() {
        let mut v = KNOWN_NAMES.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), KNOWN_NAMES.len());
    }

    #[test]
    fn collapse_handles_edges() {
        assert_eq!(collapse_ws("  a \n\t b  "), "a b");
        let mut s = String::from("x");
        push_collapsed(&mut s, " y");
        assert_eq!(s, "x y");
    }
}
