//! Tree construction for the fast front end: the WHATWG insertion modes writing straight into
//! the arena [`Dom`].
//!
//! The rules follow the spec (and html5ever, the reference front end, where the two differ):
//! implied `html`/`head`/`body`, head-only elements, implied end tags, the `p`-closing block
//! starts, table modes with foster parenting, the adoption agency algorithm with the list of
//! active formatting elements, `template` contents kept in a detached fragment, `select`, framesets,
//! and foreign (SVG/MathML) islands with their integration points. Limits are checked as nodes
//! are created and linked, so a 200,000-deep page stops at the first element past the depth
//! limit. Nothing here recurses.
//!
//! Where html5ever 0.35 departs from the current spec, this follows html5ever, so both front
//! ends build the same tree: no reconstruction of formatting elements before `<svg>`/`<math>`;
//! the "special" set names HTML elements only; MathML `annotation-xml` is neither an HTML
//! integration point nor a scope boundary; `<hr>` is accepted inside `<select>`.

use super::tokenizer::{Span, State, Tag, Tok, Tokenizer};
use crate::dom::{name, Dom, Name, NodeId, KNOWN_NAMES};
use crate::parse::{ParseError, ParseLimits};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ns {
    Html,
    Svg,
    Math,
}

#[derive(Clone, Copy, Debug)]
struct Open {
    id: NodeId,
    name: Name,
    ns: Ns,
    /// HTML integration point (svg foreignObject/desc/title).
    ip: bool,
}

/// The stack of open elements, counting its HTML elements per name so that scope checks for
/// a name with no open element (`p` before most block starts, `li`, `button`, ...) answer
/// without walking the stack. Reads go through `Deref` to the slice; every change goes
/// through the methods below, which keep the counts.
struct Stack {
    v: Vec<Open>,
    count: Vec<u32>,
}

impl std::ops::Deref for Stack {
    type Target = [Open];
    fn deref(&self) -> &[Open] {
        &self.v
    }
}

impl Stack {
    fn with_capacity(n: usize) -> Self {
        Stack {
            v: Vec::with_capacity(n),
            count: vec![0; KNOWN_NAMES.len() + 64],
        }
    }

    /// Open HTML elements named `n`.
    #[inline]
    fn open(&self, n: Name) -> u32 {
        self.count.get(n.0 as usize).copied().unwrap_or(0)
    }

    #[inline]
    fn add(&mut self, o: &Open) {
        if o.ns == Ns::Html {
            let i = o.name.0 as usize;
            if i >= self.count.len() {
                self.count.resize(i + 1, 0);
            }
            self.count[i] += 1;
        }
    }

    #[inline]
    fn sub(&mut self, o: &Open) {
        if o.ns == Ns::Html {
            if let Some(c) = self.count.get_mut(o.name.0 as usize) {
                *c = c.saturating_sub(1);
            }
        }
    }

    #[inline]
    fn push(&mut self, o: Open) {
        self.add(&o);
        self.v.push(o);
    }

    #[inline]
    fn pop(&mut self) -> Option<Open> {
        let o = self.v.pop()?;
        self.sub(&o);
        Some(o)
    }

    fn truncate(&mut self, len: usize) {
        while self.v.len() > len {
            self.pop();
        }
    }

    fn remove(&mut self, i: usize) -> Open {
        let o = self.v.remove(i);
        self.sub(&o);
        o
    }

    fn insert(&mut self, i: usize, o: Open) {
        self.add(&o);
        self.v.insert(i, o);
    }

    fn set(&mut self, i: usize, o: Open) {
        if let Some(old) = self.v.get(i).copied() {
            self.sub(&old);
            self.add(&o);
            self.v[i] = o;
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Fmt {
    id: NodeId,
    name: Name,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Initial,
    BeforeHtml,
    BeforeHead,
    InHead,
    InHeadNoscript,
    AfterHead,
    InBody,
    Text,
    InTable,
    InCaption,
    InColumnGroup,
    InTableBody,
    InRow,
    InCell,
    InSelect,
    InSelectInTable,
    InTemplate,
    AfterBody,
    InFrameset,
    AfterFrameset,
    AfterAfterBody,
    AfterAfterFrameset,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
    Select,
}

/// A token as the tree builder sees it.
#[derive(Clone, Copy)]
enum T<'t> {
    Text(&'t str),
    Comment(&'t str),
    Start(&'t Tag),
    End(Name),
    Doctype(bool),
    Eof,
}

enum Step<'t> {
    Done,
    Again,
    Text(&'t str),
}

enum Place {
    Append(NodeId),
    Before(NodeId),
}

// Per-name flags (HTML namespace).
const SPECIAL: u32 = 1;
const SCOPE: u32 = 1 << 1;
const FORMATTING: u32 = 1 << 2;
const IMPLIED: u32 = 1 << 3;
const IMPLIED_THOROUGH: u32 = 1 << 4;
const CLOSES_P: u32 = 1 << 5;
const BLOCK_END: u32 = 1 << 6;
const HEADING: u32 = 1 << 7;
const BREAKOUT: u32 = 1 << 8;
const HEAD_ELEM: u32 = 1 << 9;
const TABLE_PART: u32 = 1 << 10; // caption col colgroup tbody td tfoot th thead tr
const FOSTER_TARGET: u32 = 1 << 11; // table tbody tfoot thead tr

/// Names outside [`KNOWN_NAMES`] that the rules test.
struct Extra {
    rb: Name,
    rtc: Name,
    dir: Name,
    mglyph: Name,
    malignmark: Name,
    mi: Name,
    mo: Name,
    mn: Name,
    ms: Name,
    mtext: Name,
    annotation_xml: Name,
    foreign_object: Name,
    desc: Name,
    isindex: Name,
}

fn ws_only(s: &str) -> bool {
    s.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
}

fn split_ws(s: &str) -> (&str, &str) {
    let n = s
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    s.split_at(n)
}

pub(crate) struct Builder<'a> {
    tok: Tokenizer<'a>,
    input: &'a str,
    dom: Dom,
    limits: ParseLimits,
    depth: Vec<u32>,
    stack: Stack,
    afe: Vec<Option<Fmt>>,
    mode: Mode,
    orig_mode: Mode,
    template_modes: Vec<Mode>,
    templates: Vec<(NodeId, NodeId)>,
    head: Option<NodeId>,
    form: Option<NodeId>,
    frameset_ok: bool,
    foster: bool,
    quirks: bool,
    skip_lf: bool,
    flags: Vec<u32>,
    /// The current text token came straight from the input (so it holds no NUL).
    text_clean: bool,
    x: Extra,
    err: Option<ParseError>,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(input: &'a str, limits: ParseLimits) -> Self {
        let mut dom = Dom::with_capacity(input.len());
        let x = Extra {
            rb: dom.intern("rb"),
            rtc: dom.intern("rtc"),
            dir: dom.intern("dir"),
            mglyph: dom.intern("mglyph"),
            malignmark: dom.intern("malignmark"),
            mi: dom.intern("mi"),
            mo: dom.intern("mo"),
            mn: dom.intern("mn"),
            ms: dom.intern("ms"),
            mtext: dom.intern("mtext"),
            annotation_xml: dom.intern("annotation-xml"),
            foreign_object: dom.intern("foreignObject"),
            desc: dom.intern("desc"),
            isindex: name::ISINDEX,
        };
        let flags = build_flags(&x);
        Builder {
            tok: Tokenizer::new(input),
            input,
            dom,
            limits,
            depth: Vec::with_capacity(input.len() / 24 + 8),
            stack: Stack::with_capacity(64),
            afe: Vec::with_capacity(16),
            mode: Mode::Initial,
            orig_mode: Mode::InBody,
            template_modes: Vec::new(),
            templates: Vec::new(),
            head: None,
            form: None,
            frameset_ok: true,
            foster: false,
            quirks: false,
            skip_lf: false,
            flags,
            text_clean: false,
            x,
            err: None,
        }
    }

    pub(crate) fn run(mut self) -> Result<Dom, ParseError> {
        let input = self.input;
        loop {
            self.tok.allow_cdata = self.stack.last().is_some_and(|o| o.ns != Ns::Html);
            let t = self.tok.next(&mut self.dom);
            match t {
                Tok::Text(sp) | Tok::Comment(sp) => {
                    self.text_clean = !sp.scratch;
                    let scratch = std::mem::take(&mut self.tok.text);
                    let s = span_str(input, &scratch, sp);
                    if matches!(t, Tok::Text(_)) {
                        if self.plain_body() {
                            self.body_text(s);
                        } else {
                            self.process(T::Text(s));
                        }
                    } else {
                        self.process(T::Comment(s));
                    }
                    self.tok.text = scratch;
                }
                Tok::Start => {
                    let tag = std::mem::take(&mut self.tok.tag);
                    if self.plain_body() {
                        let step = self.body_start(&tag, T::Start(&tag));
                        self.resume(step, T::Start(&tag));
                    } else {
                        self.process(T::Start(&tag));
                    }
                    self.tok.tag = tag;
                }
                Tok::End => {
                    let n = self.tok.tag.name;
                    if self.plain_body() {
                        let step = self.body_end(n, T::End(n));
                        self.resume(step, T::End(n));
                    } else {
                        self.process(T::End(n));
                    }
                }
                Tok::Doctype { quirks } => self.process(T::Doctype(quirks)),
                Tok::Eof => {
                    self.process(T::Eof);
                    break;
                }
            }
            if let Some(e) = self.err.take() {
                return Err(e);
            }
        }
        match self.err.take() {
            Some(e) => Err(e),
            None => Ok(self.dom),
        }
    }

    // ----- helpers ------------------------------------------------------------------------

    /// True when `s` (the current text token or a piece of it) holds a NUL. A token the
    /// tokenizer handed over as a span of the input has none: it checked while scanning.
    #[inline]
    fn has_nul(&self, s: &str) -> bool {
        !self.text_clean && memchr::memchr(0, s.as_bytes()).is_some()
    }

    #[inline]
    fn fl(&self, n: Name) -> u32 {
        self.flags.get(n.0 as usize).copied().unwrap_or(0)
    }

    #[inline]
    fn html_has(&self, o: &Open, f: u32) -> bool {
        o.ns == Ns::Html && self.fl(o.name) & f != 0
    }

    fn cur(&self) -> Option<Open> {
        self.stack.last().copied()
    }

    fn cur_is(&self, n: Name) -> bool {
        self.stack
            .last()
            .is_some_and(|o| o.ns == Ns::Html && o.name == n)
    }

    /// "Special" elements. html5ever's set names HTML elements only (the spec also lists the
    /// MathML and SVG integration points); the reference wins.
    fn is_special(&self, o: &Open) -> bool {
        self.html_has(o, SPECIAL)
    }

    fn is_math_text_ip(&self, o: &Open) -> bool {
        o.ns == Ns::Math
            && (o.name == self.x.mi
                || o.name == self.x.mo
                || o.name == self.x.mn
                || o.name == self.x.ms
                || o.name == self.x.mtext)
    }

    fn boundary(&self, o: &Open, kind: Scope) -> bool {
        match (o.ns, kind) {
            (Ns::Html, Scope::Default) => self.fl(o.name) & SCOPE != 0,
            (Ns::Html, Scope::ListItem) => {
                self.fl(o.name) & SCOPE != 0 || o.name == name::OL || o.name == name::UL
            }
            (Ns::Html, Scope::Button) => self.fl(o.name) & SCOPE != 0 || o.name == name::BUTTON,
            (Ns::Html, Scope::Table) => matches!(o.name, name::HTML | name::TABLE | name::TEMPLATE),
            (Ns::Html, Scope::Select) => !matches!(o.name, name::OPTGROUP | name::OPTION),
            (_, Scope::Table) => false,
            (_, Scope::Select) => true,
            // html5ever's default scope leaves out MathML annotation-xml.
            (Ns::Math, _) => self.is_math_text_ip(o),
            (Ns::Svg, _) => {
                o.name == self.x.foreign_object || o.name == self.x.desc || o.name == name::TITLE
            }
        }
    }

    fn in_scope(&self, n: Name, kind: Scope) -> bool {
        if self.stack.open(n) == 0 {
            return false;
        }
        for o in self.stack.iter().rev() {
            if o.ns == Ns::Html && o.name == n {
                return true;
            }
            if self.boundary(o, kind) {
                return false;
            }
        }
        false
    }

    fn in_scope_flag(&self, f: u32, kind: Scope) -> bool {
        for o in self.stack.iter().rev() {
            if self.html_has(o, f) {
                return true;
            }
            if self.boundary(o, kind) {
                return false;
            }
        }
        false
    }

    fn in_scope_any(&self, names: &[Name], kind: Scope) -> bool {
        for o in self.stack.iter().rev() {
            if o.ns == Ns::Html && names.contains(&o.name) {
                return true;
            }
            if self.boundary(o, kind) {
                return false;
            }
        }
        false
    }

    fn in_scope_node(&self, id: NodeId) -> bool {
        for o in self.stack.iter().rev() {
            if o.id == id {
                return true;
            }
            if self.boundary(o, Scope::Default) {
                return false;
            }
        }
        false
    }

    fn has_template(&self) -> bool {
        self.stack.open(name::TEMPLATE) > 0
    }

    fn pop(&mut self) {
        self.stack.pop();
    }

    fn pop_until(&mut self, n: Name) {
        while let Some(o) = self.stack.pop() {
            if o.ns == Ns::Html && o.name == n {
                break;
            }
        }
    }

    fn pop_until_flag(&mut self, f: u32) {
        while let Some(o) = self.stack.pop() {
            if self.html_has(&o, f) {
                break;
            }
        }
    }

    fn implied(&mut self, except: Option<Name>) {
        while let Some(o) = self.stack.last() {
            if self.html_has(o, IMPLIED) && Some(o.name) != except {
                self.stack.pop();
            } else {
                break;
            }
        }
    }

    fn implied_thorough(&mut self) {
        while let Some(o) = self.stack.last() {
            if self.html_has(o, IMPLIED_THOROUGH) {
                self.stack.pop();
            } else {
                break;
            }
        }
    }

    fn close_p(&mut self) {
        if self.in_scope(name::P, Scope::Button) {
            self.implied(Some(name::P));
            self.pop_until(name::P);
        }
    }

    fn clear_afe_to_marker(&mut self) {
        while let Some(e) = self.afe.pop() {
            if e.is_none() {
                break;
            }
        }
    }

    fn afe_index(&self, id: NodeId) -> Option<usize> {
        self.afe.iter().rposition(|e| e.is_some_and(|f| f.id == id))
    }

    fn stack_index(&self, id: NodeId) -> Option<usize> {
        self.stack.iter().rposition(|o| o.id == id)
    }

    fn contents(&self, id: NodeId) -> NodeId {
        self.templates
            .iter()
            .rev()
            .find(|(t, _)| *t == id)
            .map(|(_, f)| *f)
            .unwrap_or(id)
    }

    fn abort(&mut self, e: ParseError) {
        if self.err.is_none() {
            self.err = Some(e);
        }
    }

    fn set_depth(&mut self, child: NodeId, parent: NodeId) {
        let d = self.depth.get(parent as usize).copied().unwrap_or(0) + 1;
        if self.depth.len() <= child as usize {
            self.depth.resize(child as usize + 1, 0);
        }
        self.depth[child as usize] = d;
        if d as usize > self.limits.max_depth {
            self.abort(ParseError::TooDeep {
                max: self.limits.max_depth,
            });
        }
    }

    fn check_nodes(&mut self) -> bool {
        if self.dom.len() >= self.limits.max_nodes {
            self.abort(ParseError::TooManyNodes {
                max: self.limits.max_nodes,
            });
            return false;
        }
        true
    }

    /// The appropriate place for inserting a node (foster parenting included).
    fn place(&self, target: Option<usize>) -> Place {
        let Some(ti) = target.or(self.stack.len().checked_sub(1)) else {
            return Place::Append(0);
        };
        let t = self.stack[ti];
        if self.foster && self.html_has(&t, FOSTER_TARGET) {
            for (i, o) in self.stack.iter().enumerate().rev() {
                if o.ns != Ns::Html {
                    continue;
                }
                if o.name == name::TEMPLATE {
                    return Place::Append(self.contents(o.id));
                }
                if o.name == name::TABLE {
                    if self.dom.parent(o.id).is_some() {
                        return Place::Before(o.id);
                    }
                    return Place::Append(self.stack[i.saturating_sub(1)].id);
                }
            }
            return Place::Append(self.stack[0].id);
        }
        if t.ns == Ns::Html && t.name == name::TEMPLATE {
            return Place::Append(self.contents(t.id));
        }
        Place::Append(t.id)
    }

    fn insert_at(&mut self, place: Place, id: NodeId) {
        match place {
            Place::Append(p) => {
                self.dom.append(p, id);
                self.set_depth(id, p);
            }
            Place::Before(s) => {
                self.dom.insert_before(s, id);
                if let Some(p) = self.dom.parent(s) {
                    self.set_depth(id, p);
                }
            }
        }
    }

    fn insert_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.place(None) {
            Place::Append(p) => self.dom.append_text(p, s),
            Place::Before(sib) => self.dom.insert_text_before(sib, s),
        }
    }

    fn insert_comment(&mut self, s: &str, place: Option<NodeId>) {
        let id = self.dom.create_comment(s);
        let p = match place {
            Some(p) => Place::Append(p),
            None => self.place(None),
        };
        match p {
            Place::Append(p) => self.dom.append(p, id),
            Place::Before(sib) => self.dom.insert_before(sib, id),
        }
    }

    /// Creates an element for a tag (attributes from `tag` when given).
    fn create(&mut self, n: Name, tag: Option<&Tag>, foreign: bool) -> Option<NodeId> {
        if !self.check_nodes() {
            return None;
        }
        let input = self.input;
        let id = match tag {
            Some(t) => self.dom.create_element(
                n,
                t.attrs.iter().map(|a| (a.name, t.value(a, input))),
                foreign,
            ),
            None => self.dom.create_element(n, [], foreign),
        };
        if n == name::TEMPLATE && !foreign {
            let frag = self.dom.create_fragment();
            self.templates.push((id, frag));
        }
        Some(id)
    }

    fn insert_html(&mut self, n: Name, tag: Option<&Tag>) -> Option<NodeId> {
        let id = self.create(n, tag, false)?;
        let p = self.place(None);
        self.insert_at(p, id);
        self.stack.push(Open {
            id,
            name: n,
            ns: Ns::Html,
            ip: false,
        });
        Some(id)
    }

    fn insert_void(&mut self, n: Name, tag: Option<&Tag>) {
        if self.insert_html(n, tag).is_some() {
            self.pop();
        }
    }

    fn insert_foreign(&mut self, tag: &Tag, ns: Ns) {
        let lname = self.dom.name_str(tag.name).to_string();
        let n = if ns == Ns::Svg {
            match svg_tag(&lname) {
                Some(adj) => self.dom.intern(adj),
                None => tag.name,
            }
        } else {
            tag.name
        };
        if !self.check_nodes() {
            return;
        }
        let input = self.input;
        let mut attrs: Vec<(Name, &str)> = Vec::with_capacity(tag.attrs.len());
        for a in &tag.attrs {
            let an = self.dom.name_str(a.name);
            let adj = match ns {
                Ns::Svg => svg_attr(an),
                Ns::Math if an == "definitionurl" => Some("definitionURL"),
                _ => None,
            }
            .or_else(|| foreign_attr(an));
            let v = tag.value(a, input);
            let nn = match adj {
                Some(s) => self.dom.intern(s),
                None => a.name,
            };
            attrs.push((nn, v));
        }
        let id = self.dom.create_element(n, attrs, true);
        let p = self.place(None);
        self.insert_at(p, id);
        let ip = match ns {
            Ns::Svg => n == self.x.foreign_object || n == self.x.desc || n == name::TITLE,
            // html5ever asks the sink, whose default says no: annotation-xml is never one.
            Ns::Math | Ns::Html => false,
        };
        self.stack.push(Open {
            id,
            name: n,
            ns,
            ip,
        });
        if tag.self_closing {
            self.pop();
        }
    }

    fn clone_of(&mut self, id: NodeId) -> Option<NodeId> {
        if !self.check_nodes() {
            return None;
        }
        Some(self.dom.clone_element(id))
    }

    fn reconstruct(&mut self) {
        let Some(Some(last)) = self.afe.last().copied() else {
            return;
        };
        if self.stack_index(last.id).is_some() {
            return;
        }
        let mut i = self.afe.len() - 1;
        while i > 0 {
            match self.afe[i - 1] {
                None => break,
                Some(f) if self.stack_index(f.id).is_some() => break,
                _ => i -= 1,
            }
        }
        for j in i..self.afe.len() {
            let Some(f) = self.afe[j] else { continue };
            let Some(new) = self.clone_of(f.id) else {
                return;
            };
            let p = self.place(None);
            self.insert_at(p, new);
            self.stack.push(Open {
                id: new,
                name: f.name,
                ns: Ns::Html,
                ip: false,
            });
            self.afe[j] = Some(Fmt {
                id: new,
                name: f.name,
            });
        }
    }

    fn push_afe(&mut self, id: NodeId, n: Name) {
        // Noah's Ark: at most three equal entries after the last marker.
        let mut count = 0;
        let mut earliest = None;
        for i in (0..self.afe.len()).rev() {
            let Some(f) = self.afe[i] else { break };
            if f.name == n && self.same_attrs(f.id, id) {
                count += 1;
                earliest = Some(i);
            }
        }
        if count >= 3 {
            if let Some(e) = earliest {
                self.afe.remove(e);
            }
        }
        self.afe.push(Some(Fmt { id, name: n }));
    }

    fn same_attrs(&self, a: NodeId, b: NodeId) -> bool {
        let ca = self.dom.attrs(a).count();
        if ca != self.dom.attrs(b).count() {
            return false;
        }
        if ca < 16 {
            return self
                .dom
                .attrs(a)
                .all(|(n, v)| self.dom.attrs(b).any(|(m, w)| m == n && w == v));
        }
        let mut va: Vec<(&str, &str)> = self.dom.attrs(a).collect();
        let mut vb: Vec<(&str, &str)> = self.dom.attrs(b).collect();
        va.sort_unstable();
        vb.sort_unstable();
        va == vb
    }

    /// The adoption agency algorithm. False when the caller must run "any other end tag".
    fn adoption(&mut self, subject: Name) -> bool {
        if let Some(c) = self.cur() {
            if c.ns == Ns::Html && c.name == subject && self.afe_index(c.id).is_none() {
                self.pop();
                return true;
            }
        }
        for _ in 0..8 {
            let mut fi = None;
            for i in (0..self.afe.len()).rev() {
                match self.afe[i] {
                    None => break,
                    Some(f) if f.name == subject => {
                        fi = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(fi) = fi else { return false };
            let Some(fe) = self.afe[fi].map(|f| f.id) else {
                return true;
            };
            let Some(si) = self.stack_index(fe) else {
                self.afe.remove(fi);
                return true;
            };
            if !self.in_scope_node(fe) {
                return true;
            }
            let fb = (si + 1..self.stack.len()).find(|&k| self.is_special(&self.stack[k]));
            let Some(fbi) = fb else {
                self.stack.truncate(si);
                self.afe.remove(fi);
                return true;
            };
            if si == 0 {
                return true;
            }
            let fb_id = self.stack[fbi].id;
            let common = si - 1;
            let mut bookmark = fi;
            let mut node_i = fbi;
            let mut last = fb_id;
            let mut inner = 0;
            loop {
                inner += 1;
                node_i -= 1;
                let node = self.stack[node_i];
                if node.id == fe {
                    break;
                }
                let mut ai = self.afe_index(node.id);
                if inner > 3 {
                    if let Some(k) = ai {
                        self.afe.remove(k);
                        if k < bookmark {
                            bookmark -= 1;
                        }
                        ai = None;
                    }
                }
                let Some(ai) = ai else {
                    self.stack.remove(node_i);
                    continue;
                };
                let Some(new) = self.clone_of(node.id) else {
                    return true;
                };
                self.afe[ai] = Some(Fmt {
                    id: new,
                    name: node.name,
                });
                self.stack.set(node_i, Open { id: new, ..node });
                if last == fb_id {
                    bookmark = ai + 1;
                }
                self.dom.append(new, last);
                self.set_depth(last, new);
                last = new;
            }
            let common_i = self.stack_index(self.stack[common].id).unwrap_or(common);
            let p = self.place(Some(common_i));
            self.insert_at(p, last);
            let Some(new) = self.clone_of(fe) else {
                return true;
            };
            self.dom.reparent_children(fb_id, new);
            self.dom.append(fb_id, new);
            self.set_depth(new, fb_id);
            if let Some(k) = self.afe_index(fe) {
                self.afe.remove(k);
                if k < bookmark {
                    bookmark -= 1;
                }
            }
            let bm = bookmark.min(self.afe.len());
            self.afe.insert(
                bm,
                Some(Fmt {
                    id: new,
                    name: subject,
                }),
            );
            if let Some(k) = self.stack_index(fe) {
                self.stack.remove(k);
            }
            let at = self.stack_index(fb_id).map_or(self.stack.len(), |k| k + 1);
            self.stack.insert(
                at,
                Open {
                    id: new,
                    name: subject,
                    ns: Ns::Html,
                    ip: false,
                },
            );
        }
        true
    }

    fn reset_mode(&mut self) {
        for i in (0..self.stack.len()).rev() {
            let o = self.stack[i];
            let last = i == 0;
            if o.ns != Ns::Html {
                if last {
                    self.mode = Mode::InBody;
                    return;
                }
                continue;
            }
            self.mode = match o.name {
                name::SELECT => {
                    let mut m = Mode::InSelect;
                    if !last {
                        for a in self.stack[..i].iter().rev() {
                            if a.ns == Ns::Html && a.name == name::TEMPLATE {
                                break;
                            }
                            if a.ns == Ns::Html && a.name == name::TABLE {
                                m = Mode::InSelectInTable;
                                break;
                            }
                        }
                    }
                    m
                }
                name::TD | name::TH if !last => Mode::InCell,
                name::TR => Mode::InRow,
                name::TBODY | name::THEAD | name::TFOOT => Mode::InTableBody,
                name::CAPTION => Mode::InCaption,
                name::COLGROUP => Mode::InColumnGroup,
                name::TABLE => Mode::InTable,
                name::TEMPLATE => *self.template_modes.last().unwrap_or(&Mode::InBody),
                name::HEAD if !last => Mode::InHead,
                name::BODY => Mode::InBody,
                name::FRAMESET => Mode::InFrameset,
                name::HTML => {
                    if self.head.is_none() {
                        Mode::BeforeHead
                    } else {
                        Mode::AfterHead
                    }
                }
                _ if last => Mode::InBody,
                _ => continue,
            };
            return;
        }
        self.mode = Mode::InBody;
    }

    fn raw(&mut self, tag: &Tag, state: State, end: &'static [u8]) {
        self.insert_html(tag.name, Some(tag));
        self.tok.state = state;
        self.tok.end_name = end;
        self.orig_mode = self.mode;
        self.mode = Mode::Text;
    }

    // ----- dispatch -----------------------------------------------------------------------

    /// True when the next token goes straight to the "in body" rules: [`Builder::process`]
    /// would dispatch it there (body mode, an HTML current node, no pending newline skip).
    /// Most tokens of a page take this path, which skips two dispatch layers.
    #[inline]
    fn plain_body(&self) -> bool {
        self.mode == Mode::InBody
            && !self.skip_lf
            && match self.stack.last() {
                Some(c) => c.ns == Ns::Html,
                None => true,
            }
    }

    /// Continues [`Builder::process`] after a first step taken outside it.
    #[inline]
    fn resume<'t>(&mut self, step: Step<'t>, t: T<'t>) {
        match step {
            Step::Done => {}
            Step::Again => self.drive(t),
            Step::Text(s) => self.drive(T::Text(s)),
        }
    }

    fn process(&mut self, t: T<'_>) {
        let mut t = t;
        if self.skip_lf {
            self.skip_lf = false;
            if let T::Text(s) = t {
                let s = s.strip_prefix('\n').unwrap_or(s);
                if s.is_empty() {
                    return;
                }
                t = T::Text(s);
            }
        }
        self.drive(t);
    }

    /// Runs the tree-construction rules on `t` until it is consumed.
    fn drive(&mut self, t: T<'_>) {
        let mut t = t;
        for _ in 0..10_000 {
            if self.err.is_some() {
                return;
            }
            let step = if self.use_foreign(&t) {
                self.foreign(t)
            } else {
                self.step(t)
            };
            match step {
                Step::Done => return,
                Step::Again => {}
                Step::Text(s) => t = T::Text(s),
            }
        }
    }

    fn use_foreign(&self, t: &T<'_>) -> bool {
        let Some(c) = self.stack.last() else {
            return false;
        };
        if c.ns == Ns::Html || matches!(t, T::Eof) {
            return false;
        }
        if self.is_math_text_ip(c) {
            match t {
                T::Start(tag) if tag.name != self.x.mglyph && tag.name != self.x.malignmark => {
                    return false
                }
                T::Text(_) => return false,
                _ => {}
            }
        }
        if c.ns == Ns::Math && c.name == self.x.annotation_xml {
            if let T::Start(tag) = t {
                if tag.name == name::SVG {
                    return false;
                }
            }
        }
        if c.ip && matches!(t, T::Start(_) | T::Text(_)) {
            return false;
        }
        true
    }

    fn step<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match self.mode {
            Mode::Initial => self.initial(t),
            Mode::BeforeHtml => self.before_html(t),
            Mode::BeforeHead => self.before_head(t),
            Mode::InHead => self.in_head(t),
            Mode::InHeadNoscript => self.in_head_noscript(t),
            Mode::AfterHead => self.after_head(t),
            Mode::InBody => self.in_body(t),
            Mode::Text => self.text_mode(t),
            Mode::InTable => self.in_table(t),
            Mode::InCaption => self.in_caption(t),
            Mode::InColumnGroup => self.in_column_group(t),
            Mode::InTableBody => self.in_table_body(t),
            Mode::InRow => self.in_row(t),
            Mode::InCell => self.in_cell(t),
            Mode::InSelect => self.in_select(t),
            Mode::InSelectInTable => self.in_select_in_table(t),
            Mode::InTemplate => self.in_template(t),
            Mode::AfterBody => self.after_body(t),
            Mode::InFrameset => self.in_frameset(t),
            Mode::AfterFrameset => self.after_frameset(t),
            Mode::AfterAfterBody => self.after_after_body(t),
            Mode::AfterAfterFrameset => self.after_after_frameset(t),
        }
    }

    fn initial<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let (_, rest) = split_ws(s);
                if rest.is_empty() {
                    return Step::Done;
                }
                self.quirks = true;
                self.mode = Mode::BeforeHtml;
                Step::Text(rest)
            }
            T::Comment(s) => {
                self.insert_comment(s, Some(0));
                Step::Done
            }
            T::Doctype(q) => {
                self.quirks = q;
                self.mode = Mode::BeforeHtml;
                Step::Done
            }
            _ => {
                self.quirks = true;
                self.mode = Mode::BeforeHtml;
                Step::Again
            }
        }
    }

    fn push_html(&mut self, tag: Option<&Tag>) {
        if let Some(id) = self.create(name::HTML, tag, false) {
            self.dom.append(0, id);
            self.set_depth(id, 0);
            self.stack.push(Open {
                id,
                name: name::HTML,
                ns: Ns::Html,
                ip: false,
            });
        }
        self.mode = Mode::BeforeHead;
    }

    fn before_html<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Doctype(_) => Step::Done,
            T::Comment(s) => {
                self.insert_comment(s, Some(0));
                Step::Done
            }
            T::Text(s) => {
                let (_, rest) = split_ws(s);
                if rest.is_empty() {
                    return Step::Done;
                }
                self.push_html(None);
                Step::Text(rest)
            }
            T::Start(tag) if tag.name == name::HTML => {
                self.push_html(Some(tag));
                Step::Done
            }
            T::End(n) if !matches!(n, name::HEAD | name::BODY | name::HTML | name::BR) => {
                Step::Done
            }
            _ => {
                self.push_html(None);
                Step::Again
            }
        }
    }

    fn before_head<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let (_, rest) = split_ws(s);
                if rest.is_empty() {
                    return Step::Done;
                }
                self.head = self.insert_html(name::HEAD, None);
                self.mode = Mode::InHead;
                Step::Text(rest)
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::Start(tag) if tag.name == name::HEAD => {
                self.head = self.insert_html(name::HEAD, Some(tag));
                self.mode = Mode::InHead;
                Step::Done
            }
            T::End(n) if !matches!(n, name::HEAD | name::BODY | name::HTML | name::BR) => {
                Step::Done
            }
            _ => {
                self.head = self.insert_html(name::HEAD, None);
                self.mode = Mode::InHead;
                Step::Again
            }
        }
    }

    fn in_head<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let (ws, rest) = split_ws(s);
                self.insert_text(ws);
                if rest.is_empty() {
                    return Step::Done;
                }
                self.pop();
                self.mode = Mode::AfterHead;
                Step::Text(rest)
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) => match tag.name {
                name::HTML => self.in_body(t),
                name::BASE | name::BASEFONT | name::BGSOUND | name::LINK | name::META => {
                    self.insert_void(tag.name, Some(tag));
                    Step::Done
                }
                name::TITLE => {
                    self.raw(tag, State::Rcdata, b"title");
                    Step::Done
                }
                name::NOSCRIPT => {
                    self.insert_html(tag.name, Some(tag));
                    self.mode = Mode::InHeadNoscript;
                    Step::Done
                }
                name::NOFRAMES => {
                    self.raw(tag, State::Rawtext, b"noframes");
                    Step::Done
                }
                name::STYLE => {
                    self.raw(tag, State::Rawtext, b"style");
                    Step::Done
                }
                name::SCRIPT => {
                    self.raw(tag, State::Script, b"script");
                    Step::Done
                }
                name::TEMPLATE => {
                    self.insert_html(tag.name, Some(tag));
                    self.afe.push(None);
                    self.frameset_ok = false;
                    self.mode = Mode::InTemplate;
                    self.template_modes.push(Mode::InTemplate);
                    Step::Done
                }
                name::HEAD => Step::Done,
                _ => {
                    self.pop();
                    self.mode = Mode::AfterHead;
                    Step::Again
                }
            },
            T::End(n) => match n {
                name::HEAD => {
                    self.pop();
                    self.mode = Mode::AfterHead;
                    Step::Done
                }
                name::BODY | name::HTML | name::BR => {
                    self.pop();
                    self.mode = Mode::AfterHead;
                    Step::Again
                }
                name::TEMPLATE => {
                    if !self.has_template() {
                        return Step::Done;
                    }
                    self.implied_thorough();
                    self.pop_until(name::TEMPLATE);
                    self.clear_afe_to_marker();
                    self.template_modes.pop();
                    self.reset_mode();
                    Step::Done
                }
                _ => Step::Done,
            },
            T::Eof => {
                self.pop();
                self.mode = Mode::AfterHead;
                Step::Again
            }
        }
    }

    fn in_head_noscript<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Doctype(_) => Step::Done,
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::End(name::NOSCRIPT) => {
                self.pop();
                self.mode = Mode::InHead;
                Step::Done
            }
            T::Text(s) => {
                let (ws, rest) = split_ws(s);
                self.insert_text(ws);
                if rest.is_empty() {
                    return Step::Done;
                }
                self.pop();
                self.mode = Mode::InHead;
                Step::Text(rest)
            }
            T::Comment(_) => self.in_head(t),
            T::Start(tag)
                if matches!(
                    tag.name,
                    name::BASEFONT
                        | name::BGSOUND
                        | name::LINK
                        | name::META
                        | name::NOFRAMES
                        | name::STYLE
                ) =>
            {
                self.in_head(t)
            }
            T::Start(tag) if matches!(tag.name, name::HEAD | name::NOSCRIPT) => Step::Done,
            T::End(n) if n != name::BR => Step::Done,
            _ => {
                self.pop();
                self.mode = Mode::InHead;
                Step::Again
            }
        }
    }

    fn after_head<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let (ws, rest) = split_ws(s);
                self.insert_text(ws);
                if rest.is_empty() {
                    return Step::Done;
                }
                self.insert_html(name::BODY, None);
                self.mode = Mode::InBody;
                Step::Text(rest)
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) => match tag.name {
                name::HTML => self.in_body(t),
                name::BODY => {
                    self.insert_html(name::BODY, Some(tag));
                    self.frameset_ok = false;
                    self.mode = Mode::InBody;
                    Step::Done
                }
                name::FRAMESET => {
                    self.insert_html(name::FRAMESET, Some(tag));
                    self.mode = Mode::InFrameset;
                    Step::Done
                }
                n if self.fl(n) & HEAD_ELEM != 0 => {
                    let Some(head) = self.head else {
                        return Step::Done;
                    };
                    self.stack.push(Open {
                        id: head,
                        name: name::HEAD,
                        ns: Ns::Html,
                        ip: false,
                    });
                    let r = self.in_head(t);
                    if let Some(k) = self.stack_index(head) {
                        self.stack.remove(k);
                    }
                    r
                }
                name::HEAD => Step::Done,
                _ => {
                    self.insert_html(name::BODY, None);
                    self.mode = Mode::InBody;
                    Step::Again
                }
            },
            T::End(name::TEMPLATE) => self.in_head(t),
            T::End(n) if !matches!(n, name::BODY | name::HTML | name::BR) => Step::Done,
            _ => {
                self.insert_html(name::BODY, None);
                self.mode = Mode::InBody;
                Step::Again
            }
        }
    }

    fn text_mode<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                self.insert_text(s);
                Step::Done
            }
            T::Eof => {
                self.pop();
                self.mode = self.orig_mode;
                Step::Again
            }
            T::End(_) => {
                self.pop();
                self.mode = self.orig_mode;
                Step::Done
            }
            _ => Step::Done,
        }
    }

    fn body_text(&mut self, s: &str) {
        if self.has_nul(s) {
            let kept = s.replace('\0', "");
            return self.body_text(&kept);
        }
        if s.is_empty() {
            return;
        }
        self.reconstruct();
        self.insert_text(s);
        if self.frameset_ok && !ws_only(s) {
            self.frameset_ok = false;
        }
    }

    fn in_body<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                self.body_text(s);
                Step::Done
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Eof => {
                if !self.template_modes.is_empty() {
                    return self.in_template(t);
                }
                Step::Done
            }
            T::Start(tag) => self.body_start(tag, t),
            T::End(n) => self.body_end(n, t),
        }
    }

    fn body_start<'t>(&mut self, tag: &Tag, t: T<'t>) -> Step<'t> {
        let n = tag.name;
        let f = self.fl(n);
        match n {
            name::HTML => {
                if !self.has_template() {
                    if let Some(h) = self.stack.first().map(|o| o.id) {
                        let input = self.input;
                        self.dom.add_attrs_if_missing(
                            h,
                            tag.attrs.iter().map(|a| (a.name, tag.value(a, input))),
                        );
                    }
                }
                return Step::Done;
            }
            name::BODY => {
                if self.stack.len() < 2
                    || !(self.stack[1].ns == Ns::Html && self.stack[1].name == name::BODY)
                    || self.has_template()
                {
                    return Step::Done;
                }
                self.frameset_ok = false;
                let b = self.stack[1].id;
                let input = self.input;
                self.dom.add_attrs_if_missing(
                    b,
                    tag.attrs.iter().map(|a| (a.name, tag.value(a, input))),
                );
                return Step::Done;
            }
            name::FRAMESET => {
                if self.stack.len() < 2
                    || !(self.stack[1].ns == Ns::Html && self.stack[1].name == name::BODY)
                    || !self.frameset_ok
                {
                    return Step::Done;
                }
                let b = self.stack[1].id;
                self.dom.detach(b);
                self.stack.truncate(1);
                self.insert_html(name::FRAMESET, Some(tag));
                self.mode = Mode::InFrameset;
                return Step::Done;
            }
            _ => {}
        }
        if f & HEAD_ELEM != 0 {
            return self.in_head(t);
        }
        if f & CLOSES_P != 0 {
            self.close_p();
            self.insert_html(n, Some(tag));
            return Step::Done;
        }
        if f & HEADING != 0 {
            self.close_p();
            if self.cur().is_some_and(|c| self.html_has(&c, HEADING)) {
                self.pop();
            }
            self.insert_html(n, Some(tag));
            return Step::Done;
        }
        if f & FORMATTING != 0 {
            match n {
                name::A => {
                    let mut found = None;
                    for e in self.afe.iter().rev() {
                        match e {
                            None => break,
                            Some(fm) if fm.name == name::A => {
                                found = Some(fm.id);
                                break;
                            }
                            _ => {}
                        }
                    }
                    if let Some(old) = found {
                        if !self.adoption(name::A) {
                            self.any_other_end(name::A);
                        }
                        if let Some(k) = self.afe_index(old) {
                            self.afe.remove(k);
                        }
                        if let Some(k) = self.stack_index(old) {
                            self.stack.remove(k);
                        }
                    }
                }
                name::NOBR => {
                    self.reconstruct();
                    if self.in_scope(name::NOBR, Scope::Default) && !self.adoption(name::NOBR) {
                        self.any_other_end(name::NOBR);
                    }
                }
                _ => {}
            }
            self.reconstruct();
            if let Some(id) = self.insert_html(n, Some(tag)) {
                self.push_afe(id, n);
            }
            return Step::Done;
        }
        match n {
            name::PRE | name::LISTING => {
                self.close_p();
                self.insert_html(n, Some(tag));
                self.skip_lf = true;
                self.frameset_ok = false;
            }
            name::FORM => {
                let tpl = self.has_template();
                if self.form.is_some() && !tpl {
                    return Step::Done;
                }
                self.close_p();
                let id = self.insert_html(n, Some(tag));
                if !tpl {
                    self.form = id;
                }
            }
            name::LI | name::DD | name::DT => {
                self.frameset_ok = false;
                for i in (0..self.stack.len()).rev() {
                    let o = self.stack[i];
                    let hit = o.ns == Ns::Html
                        && if n == name::LI {
                            o.name == name::LI
                        } else {
                            o.name == name::DD || o.name == name::DT
                        };
                    if hit {
                        self.implied(Some(o.name));
                        self.pop_until(o.name);
                        break;
                    }
                    if self.is_special(&o)
                        && !(o.ns == Ns::Html
                            && matches!(o.name, name::ADDRESS | name::DIV | name::P))
                    {
                        break;
                    }
                }
                self.close_p();
                self.insert_html(n, Some(tag));
            }
            name::PLAINTEXT => {
                self.close_p();
                self.insert_html(n, Some(tag));
                self.tok.state = State::Plaintext;
            }
            name::BUTTON => {
                if self.in_scope(name::BUTTON, Scope::Default) {
                    self.implied(None);
                    self.pop_until(name::BUTTON);
                }
                self.reconstruct();
                self.insert_html(n, Some(tag));
                self.frameset_ok = false;
            }
            name::APPLET | name::MARQUEE | name::OBJECT => {
                self.reconstruct();
                self.insert_html(n, Some(tag));
                self.afe.push(None);
                self.frameset_ok = false;
            }
            name::TABLE => {
                if !self.quirks {
                    self.close_p();
                }
                self.insert_html(n, Some(tag));
                self.frameset_ok = false;
                self.mode = Mode::InTable;
            }
            name::AREA | name::BR | name::EMBED | name::IMG | name::KEYGEN | name::WBR => {
                self.reconstruct();
                self.insert_void(n, Some(tag));
                self.frameset_ok = false;
            }
            name::INPUT => {
                self.reconstruct();
                self.insert_void(n, Some(tag));
                let hidden = tag
                    .get(name::TYPE, self.input)
                    .is_some_and(|v| v.eq_ignore_ascii_case("hidden"));
                if !hidden {
                    self.frameset_ok = false;
                }
            }
            name::PARAM | name::SOURCE | name::TRACK => {
                self.insert_void(n, Some(tag));
            }
            name::HR => {
                self.close_p();
                self.insert_void(n, Some(tag));
                self.frameset_ok = false;
            }
            name::IMAGE => {
                self.reconstruct();
                self.insert_void(name::IMG, Some(tag));
                self.frameset_ok = false;
            }
            name::TEXTAREA => {
                self.skip_lf = true;
                self.frameset_ok = false;
                self.raw(tag, State::Rcdata, b"textarea");
            }
            name::XMP => {
                self.close_p();
                self.reconstruct();
                self.frameset_ok = false;
                self.raw(tag, State::Rawtext, b"xmp");
            }
            name::IFRAME => {
                self.frameset_ok = false;
                self.raw(tag, State::Rawtext, b"iframe");
            }
            name::NOEMBED => {
                self.raw(tag, State::Rawtext, b"noembed");
            }
            name::SELECT => {
                self.reconstruct();
                self.insert_html(n, Some(tag));
                self.frameset_ok = false;
                self.mode = match self.mode {
                    Mode::InTable
                    | Mode::InCaption
                    | Mode::InTableBody
                    | Mode::InRow
                    | Mode::InCell => Mode::InSelectInTable,
                    _ => Mode::InSelect,
                };
            }
            name::OPTGROUP | name::OPTION => {
                if self.cur_is(name::OPTION) {
                    self.pop();
                }
                self.reconstruct();
                self.insert_html(n, Some(tag));
            }
            name::RP | name::RT => {
                if self.in_scope(name::RUBY, Scope::Default) {
                    self.implied(Some(self.x.rtc));
                }
                self.insert_html(n, Some(tag));
            }
            name::MATH | name::SVG => {
                // html5ever (the reference) does not reconstruct formatting elements here.
                let ns = if n == name::SVG { Ns::Svg } else { Ns::Math };
                self.insert_foreign(tag, ns);
            }
            _ if f & TABLE_PART != 0 || n == name::FRAME || n == name::HEAD => {}
            _ if n == self.x.rb || n == self.x.rtc => {
                if self.in_scope(name::RUBY, Scope::Default) {
                    self.implied(None);
                }
                self.insert_html(n, Some(tag));
            }
            _ => {
                self.reconstruct();
                self.insert_html(n, Some(tag));
            }
        }
        Step::Done
    }

    fn body_end<'t>(&mut self, n: Name, t: T<'t>) -> Step<'t> {
        let f = self.fl(n);
        match n {
            name::TEMPLATE => return self.in_head(t),
            name::BODY | name::HTML => {
                if !self.in_scope(name::BODY, Scope::Default) {
                    return Step::Done;
                }
                self.mode = Mode::AfterBody;
                return if n == name::HTML {
                    Step::Again
                } else {
                    Step::Done
                };
            }
            name::FORM => {
                if !self.has_template() {
                    let node = self.form.take();
                    let Some(node) = node else {
                        return Step::Done;
                    };
                    if !self.in_scope_node(node) {
                        return Step::Done;
                    }
                    self.implied(None);
                    if let Some(k) = self.stack_index(node) {
                        self.stack.remove(k);
                    }
                } else {
                    if !self.in_scope(name::FORM, Scope::Default) {
                        return Step::Done;
                    }
                    self.implied(None);
                    self.pop_until(name::FORM);
                }
                return Step::Done;
            }
            name::P => {
                if !self.in_scope(name::P, Scope::Button) {
                    self.insert_html(name::P, None);
                }
                self.close_p();
                return Step::Done;
            }
            name::LI => {
                if self.in_scope(name::LI, Scope::ListItem) {
                    self.implied(Some(name::LI));
                    self.pop_until(name::LI);
                }
                return Step::Done;
            }
            name::DD | name::DT => {
                if self.in_scope(n, Scope::Default) {
                    self.implied(Some(n));
                    self.pop_until(n);
                }
                return Step::Done;
            }
            name::APPLET | name::MARQUEE | name::OBJECT => {
                if self.in_scope(n, Scope::Default) {
                    self.implied(None);
                    self.pop_until(n);
                    self.clear_afe_to_marker();
                }
                return Step::Done;
            }
            name::BR => {
                self.reconstruct();
                self.insert_void(name::BR, None);
                self.frameset_ok = false;
                return Step::Done;
            }
            _ => {}
        }
        if f & BLOCK_END != 0 {
            if self.in_scope(n, Scope::Default) {
                self.implied(None);
                self.pop_until(n);
            }
            return Step::Done;
        }
        if f & HEADING != 0 {
            if self.in_scope_flag(HEADING, Scope::Default) {
                self.implied(None);
                self.pop_until_flag(HEADING);
            }
            return Step::Done;
        }
        if f & FORMATTING != 0 {
            if !self.adoption(n) {
                self.any_other_end(n);
            }
            return Step::Done;
        }
        self.any_other_end(n);
        Step::Done
    }

    fn any_other_end(&mut self, n: Name) {
        // With no open element of that name the walk below ends without a change.
        if self.stack.open(n) == 0 {
            return;
        }
        for i in (0..self.stack.len()).rev() {
            let o = self.stack[i];
            if o.ns == Ns::Html && o.name == n {
                self.implied(Some(n));
                self.stack.truncate(i);
                return;
            }
            if self.is_special(&o) {
                return;
            }
        }
    }

    fn clear_to_ctx(&mut self, names: &[Name]) {
        while let Some(o) = self.stack.last() {
            if o.ns == Ns::Html && (names.contains(&o.name) || o.name == name::HTML) {
                break;
            }
            self.stack.pop();
        }
    }

    fn in_table<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) if self.has_nul(s) => {
                let kept = s.replace('\0', "");
                if !kept.is_empty() {
                    self.in_table(T::Text(&kept));
                }
                Step::Done
            }
            T::Text(s) => {
                let target = self.cur().is_some_and(|c| {
                    self.html_has(&c, FOSTER_TARGET)
                        || (c.ns == Ns::Html && c.name == name::TEMPLATE)
                });
                if !target {
                    return self.table_anything(t);
                }
                if ws_only(s) {
                    self.insert_text(s);
                } else {
                    self.foster = true;
                    self.body_text(s);
                    self.foster = false;
                }
                Step::Done
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) => match tag.name {
                name::CAPTION => {
                    self.clear_to_ctx(&[name::TABLE, name::TEMPLATE]);
                    self.afe.push(None);
                    self.insert_html(name::CAPTION, Some(tag));
                    self.mode = Mode::InCaption;
                    Step::Done
                }
                name::COLGROUP => {
                    self.clear_to_ctx(&[name::TABLE, name::TEMPLATE]);
                    self.insert_html(name::COLGROUP, Some(tag));
                    self.mode = Mode::InColumnGroup;
                    Step::Done
                }
                name::COL => {
                    self.clear_to_ctx(&[name::TABLE, name::TEMPLATE]);
                    self.insert_html(name::COLGROUP, None);
                    self.mode = Mode::InColumnGroup;
                    Step::Again
                }
                name::TBODY | name::TFOOT | name::THEAD => {
                    self.clear_to_ctx(&[name::TABLE, name::TEMPLATE]);
                    self.insert_html(tag.name, Some(tag));
                    self.mode = Mode::InTableBody;
                    Step::Done
                }
                name::TD | name::TH | name::TR => {
                    self.clear_to_ctx(&[name::TABLE, name::TEMPLATE]);
                    self.insert_html(name::TBODY, None);
                    self.mode = Mode::InTableBody;
                    Step::Again
                }
                name::TABLE => {
                    if !self.in_scope(name::TABLE, Scope::Table) {
                        return Step::Done;
                    }
                    self.pop_until(name::TABLE);
                    self.reset_mode();
                    Step::Again
                }
                name::STYLE | name::SCRIPT | name::TEMPLATE => self.in_head(t),
                name::INPUT
                    if tag
                        .get(name::TYPE, self.input)
                        .is_some_and(|v| v.eq_ignore_ascii_case("hidden")) =>
                {
                    self.insert_void(name::INPUT, Some(tag));
                    Step::Done
                }
                name::FORM => {
                    if self.has_template() || self.form.is_some() {
                        return Step::Done;
                    }
                    self.form = self.insert_html(name::FORM, Some(tag));
                    self.pop();
                    Step::Done
                }
                _ => self.table_anything(t),
            },
            T::End(n) => match n {
                name::TABLE => {
                    if !self.in_scope(name::TABLE, Scope::Table) {
                        return Step::Done;
                    }
                    self.pop_until(name::TABLE);
                    self.reset_mode();
                    Step::Done
                }
                name::BODY
                | name::CAPTION
                | name::COL
                | name::COLGROUP
                | name::HTML
                | name::TBODY
                | name::TD
                | name::TFOOT
                | name::TH
                | name::THEAD
                | name::TR => Step::Done,
                name::TEMPLATE => self.in_head(t),
                _ => self.table_anything(t),
            },
            T::Eof => self.in_body(t),
        }
    }

    fn table_anything<'t>(&mut self, t: T<'t>) -> Step<'t> {
        self.foster = true;
        let r = self.in_body(t);
        self.foster = false;
        r
    }

    fn in_caption<'t>(&mut self, t: T<'t>) -> Step<'t> {
        let close = |b: &mut Self| -> bool {
            if !b.in_scope(name::CAPTION, Scope::Table) {
                return false;
            }
            b.implied(None);
            b.pop_until(name::CAPTION);
            b.clear_afe_to_marker();
            b.mode = Mode::InTable;
            true
        };
        match t {
            T::End(name::CAPTION) => {
                close(self);
                Step::Done
            }
            T::Start(tag)
                if matches!(
                    tag.name,
                    name::CAPTION
                        | name::COL
                        | name::COLGROUP
                        | name::TBODY
                        | name::TD
                        | name::TFOOT
                        | name::TH
                        | name::THEAD
                        | name::TR
                ) =>
            {
                if close(self) {
                    Step::Again
                } else {
                    Step::Done
                }
            }
            T::End(name::TABLE) => {
                if close(self) {
                    Step::Again
                } else {
                    Step::Done
                }
            }
            T::End(
                name::BODY
                | name::COL
                | name::COLGROUP
                | name::HTML
                | name::TBODY
                | name::TD
                | name::TFOOT
                | name::TH
                | name::THEAD
                | name::TR,
            ) => Step::Done,
            _ => self.in_body(t),
        }
    }

    fn in_column_group<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let (ws, rest) = split_ws(s);
                self.insert_text(ws);
                if rest.is_empty() {
                    return Step::Done;
                }
                if !self.cur_is(name::COLGROUP) {
                    return Step::Done;
                }
                self.pop();
                self.mode = Mode::InTable;
                Step::Text(rest)
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::Start(tag) if tag.name == name::COL => {
                self.insert_void(name::COL, Some(tag));
                Step::Done
            }
            T::End(name::COLGROUP) => {
                if self.cur_is(name::COLGROUP) {
                    self.pop();
                    self.mode = Mode::InTable;
                }
                Step::Done
            }
            T::End(name::COL) => Step::Done,
            T::Start(tag) if tag.name == name::TEMPLATE => self.in_head(t),
            T::End(name::TEMPLATE) => self.in_head(t),
            T::Eof => self.in_body(t),
            _ => {
                if !self.cur_is(name::COLGROUP) {
                    return Step::Done;
                }
                self.pop();
                self.mode = Mode::InTable;
                Step::Again
            }
        }
    }

    fn in_table_body<'t>(&mut self, t: T<'t>) -> Step<'t> {
        const CTX: [Name; 4] = [name::TBODY, name::TFOOT, name::THEAD, name::TEMPLATE];
        const SECTIONS: [Name; 3] = [name::TBODY, name::THEAD, name::TFOOT];
        match t {
            T::Start(tag) if tag.name == name::TR => {
                self.clear_to_ctx(&CTX);
                self.insert_html(name::TR, Some(tag));
                self.mode = Mode::InRow;
                Step::Done
            }
            T::Start(tag) if matches!(tag.name, name::TH | name::TD) => {
                self.clear_to_ctx(&CTX);
                self.insert_html(name::TR, None);
                self.mode = Mode::InRow;
                Step::Again
            }
            T::End(n @ (name::TBODY | name::TFOOT | name::THEAD)) => {
                if !self.in_scope(n, Scope::Table) {
                    return Step::Done;
                }
                self.clear_to_ctx(&CTX);
                self.pop();
                self.mode = Mode::InTable;
                Step::Done
            }
            T::Start(tag)
                if matches!(
                    tag.name,
                    name::CAPTION
                        | name::COL
                        | name::COLGROUP
                        | name::TBODY
                        | name::TFOOT
                        | name::THEAD
                ) =>
            {
                self.table_body_exit()
            }
            T::End(name::TABLE) => self.table_body_exit(),
            T::End(
                name::BODY
                | name::CAPTION
                | name::COL
                | name::COLGROUP
                | name::HTML
                | name::TD
                | name::TH
                | name::TR,
            ) => Step::Done,
            _ => {
                let _ = SECTIONS;
                self.in_table(t)
            }
        }
    }

    fn table_body_exit<'t>(&mut self) -> Step<'t> {
        if !self.in_scope_any(&[name::TBODY, name::THEAD, name::TFOOT], Scope::Table) {
            return Step::Done;
        }
        self.clear_to_ctx(&[name::TBODY, name::TFOOT, name::THEAD, name::TEMPLATE]);
        self.pop();
        self.mode = Mode::InTable;
        Step::Again
    }

    fn close_row(&mut self) -> bool {
        if !self.in_scope(name::TR, Scope::Table) {
            return false;
        }
        self.clear_to_ctx(&[name::TR, name::TEMPLATE]);
        self.pop();
        self.mode = Mode::InTableBody;
        true
    }

    fn in_row<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Start(tag) if matches!(tag.name, name::TH | name::TD) => {
                self.clear_to_ctx(&[name::TR, name::TEMPLATE]);
                self.insert_html(tag.name, Some(tag));
                self.mode = Mode::InCell;
                self.afe.push(None);
                Step::Done
            }
            T::End(name::TR) => {
                self.close_row();
                Step::Done
            }
            T::Start(tag)
                if matches!(
                    tag.name,
                    name::CAPTION
                        | name::COL
                        | name::COLGROUP
                        | name::TBODY
                        | name::TFOOT
                        | name::THEAD
                        | name::TR
                ) =>
            {
                if self.close_row() {
                    Step::Again
                } else {
                    Step::Done
                }
            }
            T::End(name::TABLE) => {
                if self.close_row() {
                    Step::Again
                } else {
                    Step::Done
                }
            }
            T::End(n @ (name::TBODY | name::TFOOT | name::THEAD)) => {
                if !self.in_scope(n, Scope::Table) {
                    return Step::Done;
                }
                if self.close_row() {
                    Step::Again
                } else {
                    Step::Done
                }
            }
            T::End(
                name::BODY
                | name::CAPTION
                | name::COL
                | name::COLGROUP
                | name::HTML
                | name::TD
                | name::TH,
            ) => Step::Done,
            _ => self.in_table(t),
        }
    }

    fn close_cell(&mut self) {
        self.implied(None);
        while let Some(o) = self.stack.pop() {
            if o.ns == Ns::Html && matches!(o.name, name::TD | name::TH) {
                break;
            }
        }
        self.clear_afe_to_marker();
        self.mode = Mode::InRow;
    }

    fn in_cell<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::End(n @ (name::TD | name::TH)) => {
                if !self.in_scope(n, Scope::Table) {
                    return Step::Done;
                }
                self.implied(None);
                self.pop_until(n);
                self.clear_afe_to_marker();
                self.mode = Mode::InRow;
                Step::Done
            }
            T::Start(tag) if self.fl(tag.name) & TABLE_PART != 0 => {
                if !self.in_scope_any(&[name::TD, name::TH], Scope::Table) {
                    return Step::Done;
                }
                self.close_cell();
                Step::Again
            }
            T::End(name::BODY | name::CAPTION | name::COL | name::COLGROUP | name::HTML) => {
                Step::Done
            }
            T::End(n @ (name::TABLE | name::TBODY | name::TFOOT | name::THEAD | name::TR)) => {
                if !self.in_scope(n, Scope::Table) {
                    return Step::Done;
                }
                self.close_cell();
                Step::Again
            }
            _ => self.in_body(t),
        }
    }

    fn in_select<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                if self.has_nul(s) {
                    self.insert_text(&s.replace('\0', ""));
                } else {
                    self.insert_text(s);
                }
                Step::Done
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) => match tag.name {
                name::HTML => self.in_body(t),
                name::OPTION => {
                    if self.cur_is(name::OPTION) {
                        self.pop();
                    }
                    self.insert_html(name::OPTION, Some(tag));
                    Step::Done
                }
                name::OPTGROUP | name::HR => {
                    if self.cur_is(name::OPTION) {
                        self.pop();
                    }
                    if self.cur_is(name::OPTGROUP) {
                        self.pop();
                    }
                    if tag.name == name::HR {
                        self.insert_void(name::HR, Some(tag));
                    } else {
                        self.insert_html(name::OPTGROUP, Some(tag));
                    }
                    Step::Done
                }
                name::SELECT => {
                    if self.in_scope(name::SELECT, Scope::Select) {
                        self.pop_until(name::SELECT);
                        self.reset_mode();
                    }
                    Step::Done
                }
                name::INPUT | name::KEYGEN | name::TEXTAREA => {
                    if self.in_scope(name::SELECT, Scope::Select) {
                        self.pop_until(name::SELECT);
                        self.reset_mode();
                        Step::Again
                    } else {
                        Step::Done
                    }
                }
                name::SCRIPT | name::TEMPLATE => self.in_head(t),
                _ => Step::Done,
            },
            T::End(n) => match n {
                name::OPTGROUP => {
                    let l = self.stack.len();
                    if l >= 2
                        && self.cur_is(name::OPTION)
                        && self.stack[l - 2].ns == Ns::Html
                        && self.stack[l - 2].name == name::OPTGROUP
                    {
                        self.pop();
                    }
                    if self.cur_is(name::OPTGROUP) {
                        self.pop();
                    }
                    Step::Done
                }
                name::OPTION => {
                    if self.cur_is(name::OPTION) {
                        self.pop();
                    }
                    Step::Done
                }
                name::SELECT => {
                    if self.in_scope(name::SELECT, Scope::Select) {
                        self.pop_until(name::SELECT);
                        self.reset_mode();
                    }
                    Step::Done
                }
                name::TEMPLATE => self.in_head(t),
                _ => Step::Done,
            },
            T::Eof => self.in_body(t),
        }
    }

    fn in_select_in_table<'t>(&mut self, t: T<'t>) -> Step<'t> {
        const TBL: [Name; 8] = [
            name::CAPTION,
            name::TABLE,
            name::TBODY,
            name::TFOOT,
            name::THEAD,
            name::TR,
            name::TD,
            name::TH,
        ];
        match t {
            T::Start(tag) if TBL.contains(&tag.name) => {
                self.pop_until(name::SELECT);
                self.reset_mode();
                Step::Again
            }
            T::End(n) if TBL.contains(&n) => {
                if self.in_scope(n, Scope::Table) {
                    self.pop_until(name::SELECT);
                    self.reset_mode();
                    Step::Again
                } else {
                    Step::Done
                }
            }
            _ => self.in_select(t),
        }
    }

    fn in_template<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(_) | T::Comment(_) | T::Doctype(_) => self.in_body(t),
            T::Start(tag) => {
                let n = tag.name;
                if self.fl(n) & HEAD_ELEM != 0 {
                    return self.in_head(t);
                }
                let m = match n {
                    name::CAPTION | name::COLGROUP | name::TBODY | name::TFOOT | name::THEAD => {
                        Mode::InTable
                    }
                    name::COL => Mode::InColumnGroup,
                    name::TR => Mode::InTableBody,
                    name::TD | name::TH => Mode::InRow,
                    _ => Mode::InBody,
                };
                self.template_modes.pop();
                self.template_modes.push(m);
                self.mode = m;
                Step::Again
            }
            T::End(name::TEMPLATE) => self.in_head(t),
            T::End(_) => Step::Done,
            T::Eof => {
                if !self.has_template() {
                    return Step::Done;
                }
                self.pop_until(name::TEMPLATE);
                self.clear_afe_to_marker();
                self.template_modes.pop();
                self.reset_mode();
                Step::Again
            }
        }
    }

    fn after_body<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) if ws_only(s) => self.in_body(t),
            T::Comment(s) => {
                let html = self.stack.first().map(|o| o.id).unwrap_or(0);
                self.insert_comment(s, Some(html));
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::End(name::HTML) => {
                self.mode = Mode::AfterAfterBody;
                Step::Done
            }
            T::Eof => Step::Done,
            _ => {
                self.mode = Mode::InBody;
                Step::Again
            }
        }
    }

    fn in_frameset<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let ws: String = s
                    .chars()
                    .filter(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
                    .collect();
                self.insert_text(&ws);
                Step::Done
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Start(tag) => match tag.name {
                name::HTML => self.in_body(t),
                name::FRAMESET => {
                    self.insert_html(name::FRAMESET, Some(tag));
                    Step::Done
                }
                name::FRAME => {
                    self.insert_void(name::FRAME, Some(tag));
                    Step::Done
                }
                name::NOFRAMES => self.in_head(t),
                _ => Step::Done,
            },
            T::End(name::FRAMESET) => {
                if self.stack.len() > 1 {
                    self.pop();
                    if !self.cur_is(name::FRAMESET) {
                        self.mode = Mode::AfterFrameset;
                    }
                }
                Step::Done
            }
            _ => Step::Done,
        }
    }

    fn after_frameset<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                let ws: String = s
                    .chars()
                    .filter(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
                    .collect();
                self.insert_text(&ws);
                Step::Done
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::Start(tag) if tag.name == name::NOFRAMES => self.in_head(t),
            T::End(name::HTML) => {
                self.mode = Mode::AfterAfterFrameset;
                Step::Done
            }
            _ => Step::Done,
        }
    }

    fn after_after_body<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Comment(s) => {
                self.insert_comment(s, Some(0));
                Step::Done
            }
            T::Doctype(_) => self.in_body(t),
            T::Text(s) if ws_only(s) => self.in_body(t),
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::Eof => Step::Done,
            _ => {
                self.mode = Mode::InBody;
                Step::Again
            }
        }
    }

    fn after_after_frameset<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Comment(s) => {
                self.insert_comment(s, Some(0));
                Step::Done
            }
            T::Doctype(_) => self.in_body(t),
            T::Text(s) if ws_only(s) => self.in_body(t),
            T::Start(tag) if tag.name == name::HTML => self.in_body(t),
            T::Start(tag) if tag.name == name::NOFRAMES => self.in_head(t),
            _ => Step::Done,
        }
    }

    // ----- foreign content ----------------------------------------------------------------

    fn foreign<'t>(&mut self, t: T<'t>) -> Step<'t> {
        match t {
            T::Text(s) => {
                if self.has_nul(s) {
                    self.insert_text(&s.replace('\0', "\u{FFFD}"));
                } else {
                    self.insert_text(s);
                }
                if !ws_only(s) {
                    self.frameset_ok = false;
                }
                Step::Done
            }
            T::Comment(s) => {
                self.insert_comment(s, None);
                Step::Done
            }
            T::Doctype(_) => Step::Done,
            T::Start(tag) => {
                let breakout = self.fl(tag.name) & BREAKOUT != 0
                    || (tag.name == name::FONT
                        && tag.attrs.iter().any(|a| {
                            matches!(self.dom.name_str(a.name), "color" | "face" | "size")
                        }));
                if breakout {
                    self.breakout_pop();
                    return self.step(t);
                }
                let ns = self.cur().map_or(Ns::Html, |c| c.ns);
                self.insert_foreign(tag, ns);
                Step::Done
            }
            T::End(n) if n == name::BR || n == name::P => {
                self.breakout_pop();
                self.step(t)
            }
            T::End(n) => {
                let Some(c) = self.cur() else {
                    return Step::Done;
                };
                if n == name::SCRIPT && c.ns == Ns::Svg && c.name == name::SCRIPT {
                    self.pop();
                    return Step::Done;
                }
                let mut i = self.stack.len() - 1;
                loop {
                    if i == 0 {
                        return Step::Done;
                    }
                    let node = self.stack[i];
                    if node.name == n
                        || self
                            .dom
                            .name_str(node.name)
                            .eq_ignore_ascii_case(self.dom.name_str(n))
                    {
                        self.stack.truncate(i);
                        return Step::Done;
                    }
                    i -= 1;
                    if self.stack[i].ns == Ns::Html {
                        return self.step(t);
                    }
                }
            }
            T::Eof => self.step(t),
        }
    }

    fn breakout_pop(&mut self) {
        while let Some(c) = self.cur() {
            if c.ns == Ns::Html || self.is_math_text_ip(&c) || (c.ns == Ns::Svg && c.ip) {
                break;
            }
            self.pop();
        }
    }
}

fn span_str<'s>(input: &'s str, scratch: &'s str, sp: Span) -> &'s str {
    let s = if sp.scratch { scratch } else { input };
    s.get(sp.start as usize..sp.end as usize).unwrap_or("")
}

fn build_flags(x: &Extra) -> Vec<u32> {
    use name::*;
    let mut f = vec![0u32; KNOWN_NAMES.len() + 64];
    let mut set = |names: &[Name], bit: u32| {
        for n in names {
            if let Some(v) = f.get_mut(n.0 as usize) {
                *v |= bit;
            }
        }
    };
    set(
        &[
            ADDRESS, APPLET, AREA, ARTICLE, ASIDE, BASE, BASEFONT, BGSOUND, BLOCKQUOTE, BODY, BR,
            BUTTON, CAPTION, CENTER, COL, COLGROUP, DD, DETAILS, x.dir, DIV, DL, DT, EMBED,
            FIELDSET, FIGCAPTION, FIGURE, FOOTER, FORM, FRAME, FRAMESET, H1, H2, H3, H4, H5, H6,
            HEAD, HEADER, HGROUP, HR, HTML, IFRAME, IMG, INPUT, x.isindex, LI, LINK, LISTING, MAIN,
            MARQUEE, MENU, META, NAV, NOEMBED, NOFRAMES, NOSCRIPT, OBJECT, OL, P, PARAM, PLAINTEXT,
            PRE, SCRIPT, SECTION, SELECT, SOURCE, STYLE, SUMMARY, TABLE, TBODY, TD, TEMPLATE,
            TEXTAREA, TFOOT, TH, THEAD, TITLE, TR, TRACK, UL, WBR, XMP,
        ],
        SPECIAL,
    );
    set(
        &[
            APPLET, CAPTION, HTML, TABLE, TD, TH, MARQUEE, OBJECT, TEMPLATE,
        ],
        SCOPE,
    );
    set(
        &[
            A, B, BIG, CODE, EM, FONT, I, NOBR, S, SMALL, STRIKE, STRONG, TT, U,
        ],
        FORMATTING,
    );
    set(
        &[DD, DT, LI, OPTGROUP, OPTION, P, x.rb, RP, RT, x.rtc],
        IMPLIED | IMPLIED_THOROUGH,
    );
    set(
        &[CAPTION, COLGROUP, TBODY, TD, TFOOT, TH, THEAD, TR],
        IMPLIED_THOROUGH,
    );
    set(
        &[
            ADDRESS, ARTICLE, ASIDE, BLOCKQUOTE, CENTER, DETAILS, DIALOG, x.dir, DIV, DL, FIELDSET,
            FIGCAPTION, FIGURE, FOOTER, HEADER, HGROUP, MAIN, MENU, NAV, OL, P, SEARCH, SECTION,
            SUMMARY, UL,
        ],
        CLOSES_P,
    );
    set(
        &[
            ADDRESS, ARTICLE, ASIDE, BLOCKQUOTE, BUTTON, CENTER, DETAILS, DIALOG, x.dir, DIV, DL,
            FIELDSET, FIGCAPTION, FIGURE, FOOTER, HEADER, HGROUP, LISTING, MAIN, MENU, NAV, OL,
            PRE, SEARCH, SECTION, SUMMARY, UL,
        ],
        BLOCK_END,
    );
    set(&[H1, H2, H3, H4, H5, H6], HEADING);
    set(
        &[
            B, BIG, BLOCKQUOTE, BODY, BR, CENTER, CODE, DD, DIV, DL, DT, EM, EMBED, H1, H2, H3, H4,
            H5, H6, HEAD, HR, I, IMG, LI, LISTING, MENU, META, NOBR, OL, P, PRE, RUBY, S, SMALL,
            SPAN, STRONG, STRIKE, SUB, SUP, TABLE, TT, U, UL, VAR,
        ],
        BREAKOUT,
    );
    set(
        &[
            BASE, BASEFONT, BGSOUND, LINK, META, NOFRAMES, SCRIPT, STYLE, TEMPLATE, TITLE,
        ],
        HEAD_ELEM,
    );
    set(
        &[CAPTION, COL, COLGROUP, TBODY, TD, TFOOT, TH, THEAD, TR],
        TABLE_PART,
    );
    set(&[TABLE, TBODY, TFOOT, THEAD, TR], FOSTER_TARGET);
    f
}

fn svg_tag(s: &str) -> Option<&'static str> {
    Some(match s {
        "altglyph" => "altGlyph",
        "altglyphdef" => "altGlyphDef",
        "altglyphitem" => "altGlyphItem",
        "animatecolor" => "animateColor",
        "animatemotion" => "animateMotion",
        "animatetransform" => "animateTransform",
        "clippath" => "clipPath",
        "feblend" => "feBlend",
        "fecolormatrix" => "feColorMatrix",
        "fecomponenttransfer" => "feComponentTransfer",
        "fecomposite" => "feComposite",
        "feconvolvematrix" => "feConvolveMatrix",
        "fediffuselighting" => "feDiffuseLighting",
        "fedisplacementmap" => "feDisplacementMap",
        "fedistantlight" => "feDistantLight",
        "fedropshadow" => "feDropShadow",
        "feflood" => "feFlood",
        "fefunca" => "feFuncA",
        "fefuncb" => "feFuncB",
        "fefuncg" => "feFuncG",
        "fefuncr" => "feFuncR",
        "fegaussianblur" => "feGaussianBlur",
        "feimage" => "feImage",
        "femerge" => "feMerge",
        "femergenode" => "feMergeNode",
        "femorphology" => "feMorphology",
        "feoffset" => "feOffset",
        "fepointlight" => "fePointLight",
        "fespecularlighting" => "feSpecularLighting",
        "fespotlight" => "feSpotLight",
        "fetile" => "feTile",
        "feturbulence" => "feTurbulence",
        "foreignobject" => "foreignObject",
        "glyphref" => "glyphRef",
        "lineargradient" => "linearGradient",
        "radialgradient" => "radialGradient",
        "textpath" => "textPath",
        _ => return None,
    })
}

fn svg_attr(s: &str) -> Option<&'static str> {
    Some(match s {
        "attributename" => "attributeName",
        "attributetype" => "attributeType",
        "basefrequency" => "baseFrequency",
        "baseprofile" => "baseProfile",
        "calcmode" => "calcMode",
        "clippathunits" => "clipPathUnits",
        "diffuseconstant" => "diffuseConstant",
        "edgemode" => "edgeMode",
        "filterunits" => "filterUnits",
        "glyphref" => "glyphRef",
        "gradienttransform" => "gradientTransform",
        "gradientunits" => "gradientUnits",
        "kernelmatrix" => "kernelMatrix",
        "kernelunitlength" => "kernelUnitLength",
        "keypoints" => "keyPoints",
        "keysplines" => "keySplines",
        "keytimes" => "keyTimes",
        "lengthadjust" => "lengthAdjust",
        "limitingconeangle" => "limitingConeAngle",
        "markerheight" => "markerHeight",
        "markerunits" => "markerUnits",
        "markerwidth" => "markerWidth",
        "maskcontentunits" => "maskContentUnits",
        "maskunits" => "maskUnits",
        "numoctaves" => "numOctaves",
        "pathlength" => "pathLength",
        "patterncontentunits" => "patternContentUnits",
        "patterntransform" => "patternTransform",
        "patternunits" => "patternUnits",
        "pointsatx" => "pointsAtX",
        "pointsaty" => "pointsAtY",
        "pointsatz" => "pointsAtZ",
        "preservealpha" => "preserveAlpha",
        "preserveaspectratio" => "preserveAspectRatio",
        "primitiveunits" => "primitiveUnits",
        "refx" => "refX",
        "refy" => "refY",
        "repeatcount" => "repeatCount",
        "repeatdur" => "repeatDur",
        "requiredextensions" => "requiredExtensions",
        "requiredfeatures" => "requiredFeatures",
        "specularconstant" => "specularConstant",
        "specularexponent" => "specularExponent",
        "spreadmethod" => "spreadMethod",
        "startoffset" => "startOffset",
        "stddeviation" => "stdDeviation",
        "stitchtiles" => "stitchTiles",
        "surfacescale" => "surfaceScale",
        "systemlanguage" => "systemLanguage",
        "tablevalues" => "tableValues",
        "targetx" => "targetX",
        "targety" => "targetY",
        "textlength" => "textLength",
        "viewbox" => "viewBox",
        "viewtarget" => "viewTarget",
        "xchannelselector" => "xChannelSelector",
        "ychannelselector" => "yChannelSelector",
        "zoomandpan" => "zoomAndPan",
        _ => return None,
    })
}

/// Namespaced attributes keep only their local name (as the html5ever sink stores them).
fn foreign_attr(s: &str) -> Option<&'static str> {
    Some(match s {
        "xlink:actuate" => "actuate",
        "xlink:arcrole" => "arcrole",
        "xlink:href" => "href",
        "xlink:role" => "role",
        "xlink:show" => "show",
        "xlink:title" => "title",
        "xlink:type" => "type",
        "xml:lang" => "lang",
        "xml:space" => "space",
        "xmlns:xlink" => "xlink",
        _ => return None,
    })
}
