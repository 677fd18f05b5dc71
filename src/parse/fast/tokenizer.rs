//! The HTML5 tokenizer of the fast front end.
//!
//! It follows the WHATWG tokenizer states that matter for the tree (data, tags with every
//! attribute quoting form, character references with the full named table, comments and bogus
//! comments, doctype with quirks detection, CDATA in foreign content, RCDATA, RAWTEXT, script
//! data with its escape states, PLAINTEXT) but works on whole runs: text between tags is found
//! with `memchr` and handed over as a span of the input, copied into a scratch buffer only when
//! it holds a character reference, a carriage return or a NUL. The tree builder switches the
//! state after `title`, `textarea`, `style`, `script`, ... start tags, as the spec's tree
//! construction does.

use memchr::{memchr, memchr2, memchr3, memmem};

use super::names::NameTable;
use crate::dom::{Dom, Name};

/// Content model the tokenizer is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum State {
    Data,
    Rcdata,
    Rawtext,
    Script,
    Plaintext,
}

/// Where a piece of token text lives: in the input or in the tokenizer's scratch buffer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    pub start: u32,
    pub end: u32,
    pub scratch: bool,
}

/// One attribute of the current tag.
#[derive(Clone, Copy, Debug)]
pub(super) struct AttrTok {
    pub name: Name,
    pub value: Span,
}

/// The current tag token (reused between tags).
#[derive(Debug)]
pub(super) struct Tag {
    pub name: Name,
    pub attrs: Vec<AttrTok>,
    /// Decoded attribute values (those with character references).
    pub vals: String,
    pub self_closing: bool,
}

impl Default for Tag {
    fn default() -> Self {
        Tag {
            name: Name(0),
            attrs: Vec::new(),
            vals: String::new(),
            self_closing: false,
        }
    }
}

impl Tag {
    /// The value of an attribute of this tag.
    pub fn value<'s>(&'s self, a: &AttrTok, input: &'s str) -> &'s str {
        let s = if a.value.scratch {
            self.vals.as_str()
        } else {
            input
        };
        s.get(a.value.start as usize..a.value.end as usize)
            .unwrap_or("")
    }

    /// The value of the attribute `name`, if present.
    pub fn get<'s>(&'s self, name: Name, input: &'s str) -> Option<&'s str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| self.value(a, input))
    }
}

/// A token. Text and comments are spans ([`Tokenizer::text`]); tags are in [`Tokenizer::tag`].
#[derive(Clone, Copy, Debug)]
pub(super) enum Tok {
    Text(Span),
    Comment(Span),
    Start,
    End,
    Doctype { quirks: bool },
    Eof,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Data,
    Attr,
    Rcdata,
    Raw,
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

pub(super) struct Tokenizer<'a> {
    input: &'a str,
    b: &'a [u8],
    pos: usize,
    pub state: State,
    /// Lowercase name whose end tag closes RCDATA/RAWTEXT/script data.
    pub end_name: &'static [u8],
    /// The adjusted current node is foreign (CDATA sections are recognised).
    pub allow_cdata: bool,
    pub tag: Tag,
    /// Scratch for decoded text and comments.
    pub text: String,
    names: NameTable,
    /// Bitset over name ids for the duplicate-attribute check of tags with many attributes
    /// (keeps a tag with 100,000 attributes linear).
    seen: Vec<u64>,
    seen_used: bool,
}

impl<'a> Tokenizer<'a> {
    pub fn new(input: &'a str) -> Self {
        Tokenizer {
            input,
            b: input.as_bytes(),
            pos: 0,
            state: State::Data,
            end_name: b"",
            allow_cdata: false,
            tag: Tag::default(),
            text: String::new(),
            names: NameTable::seeded(),
            seen: Vec::new(),
            seen_used: false,
        }
    }

    fn span(&mut self, start: usize, end: usize, mode: Mode) -> Span {
        let s = &self.b[start..end];
        let needs = match mode {
            Mode::Raw => memchr2(b'\r', 0, s).is_some(),
            _ => memchr3(b'&', b'\r', 0, s).is_some(),
        };
        if !needs {
            return Span {
                start: start as u32,
                end: end as u32,
                scratch: false,
            };
        }
        self.text.clear();
        decode(self.input, start, end, mode, &mut self.text);
        Span {
            start: 0,
            end: self.text.len() as u32,
            scratch: true,
        }
    }

    /// The next token.
    pub fn next(&mut self, dom: &mut Dom) -> Tok {
        loop {
            let len = self.b.len();
            if self.pos >= len {
                return Tok::Eof;
            }
            match self.state {
                State::Data => {}
                State::Plaintext => {
                    let start = self.pos;
                    self.pos = len;
                    return Tok::Text(self.span(start, len, Mode::Raw));
                }
                State::Rcdata | State::Rawtext | State::Script => {
                    let start = self.pos;
                    let end = if self.state == State::Script {
                        self.script_end(start)
                    } else {
                        self.raw_end(start)
                    };
                    let mode = if self.state == State::Rcdata {
                        Mode::Rcdata
                    } else {
                        Mode::Raw
                    };
                    self.state = State::Data;
                    self.pos = end;
                    if end > start {
                        return Tok::Text(self.span(start, end, mode));
                    }
                    continue;
                }
            }
            // Data state: a text run up to the next real markup.
            let start = self.pos;
            let mut i = start;
            // Markup right after markup (`><`) needs no search.
            if self.b[i] == b'<' && markup_at(self.b, i) {
                if let Some(t) = self.markup(dom) {
                    return t;
                }
                continue;
            }
            // A short clean run up to markup (indentation, a word or two) needs neither
            // `memchr` nor the check for references.
            if let Ok(p) = first_special(self.b, start, b'<') {
                if self.b[p] == b'<' && markup_at(self.b, p) {
                    self.pos = p;
                    return Tok::Text(Span {
                        start: start as u32,
                        end: p as u32,
                        scratch: false,
                    });
                }
            }
            loop {
                match memchr(b'<', &self.b[i..]) {
                    None => {
                        i = len;
                        break;
                    }
                    Some(k) => {
                        i += k;
                        let next = self.b.get(i + 1).copied().unwrap_or(0);
                        if next.is_ascii_alphabetic()
                            || next == b'!'
                            || next == b'?'
                            || (next == b'/' && i + 2 < len)
                        {
                            break;
                        }
                        i += 1;
                    }
                }
            }
            if i > start {
                self.pos = i;
                return Tok::Text(self.span(start, i, Mode::Data));
            }
            if let Some(t) = self.markup(dom) {
                return t;
            }
        }
    }

    /// Markup at `self.pos` (a `<`). None when it produced no token (`</>`, empty CDATA).
    fn markup(&mut self, dom: &mut Dom) -> Option<Tok> {
        let b = self.b;
        let i = self.pos;
        let next = b.get(i + 1).copied().unwrap_or(0);
        match next {
            b'/' => {
                let c = b.get(i + 2).copied().unwrap_or(0);
                if c.is_ascii_alphabetic() {
                    Some(self.tag(i + 2, dom, true))
                } else if c == b'>' {
                    self.pos = i + 3;
                    None
                } else {
                    Some(self.bogus_comment(i + 2))
                }
            }
            b'!' => {
                let rest = &b[i + 2..];
                if rest.starts_with(b"--") {
                    Some(self.comment(i + 4))
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
                    Some(self.doctype(i + 9))
                } else if self.allow_cdata && rest.starts_with(b"[CDATA[") {
                    let start = i + 9;
                    let end = memmem::find(&b[start..], b"]]>")
                        .map(|k| start + k)
                        .unwrap_or(b.len());
                    self.pos = (end + 3).min(b.len());
                    if end > start {
                        Some(Tok::Text(self.span(start, end, Mode::Raw)))
                    } else {
                        None
                    }
                } else {
                    Some(self.bogus_comment(i + 2))
                }
            }
            b'?' => Some(self.bogus_comment(i + 1)),
            _ => Some(self.tag(i + 1, dom, false)),
        }
    }

    fn bogus_comment(&mut self, start: usize) -> Tok {
        let end = memchr(b'>', &self.b[start..])
            .map(|k| start + k)
            .unwrap_or(self.b.len());
        self.pos = (end + 1).min(self.b.len());
        Tok::Comment(self.span(start, end, Mode::Raw))
    }

    fn comment(&mut self, c: usize) -> Tok {
        let b = self.b;
        let len = b.len();
        if b.get(c) == Some(&b'>') {
            self.pos = c + 1;
            return Tok::Comment(Span {
                start: c as u32,
                end: c as u32,
                scratch: false,
            });
        }
        if b[c.min(len)..].starts_with(b"->") {
            self.pos = c + 2;
            return Tok::Comment(Span {
                start: c as u32,
                end: c as u32,
                scratch: false,
            });
        }
        let mut p = c.min(len);
        loop {
            match memmem::find(&b[p..], b"--") {
                None => {
                    // EOF inside the comment: a trailing `-`, `--` or `--!` was a would-be end.
                    self.pos = len;
                    let start = c.min(len);
                    let body = &b[start..];
                    let cut = if body.ends_with(b"--!") {
                        3
                    } else if body.ends_with(b"--") {
                        2
                    } else if body.ends_with(b"-") {
                        1
                    } else {
                        0
                    };
                    return Tok::Comment(self.span(start, len - cut, Mode::Raw));
                }
                Some(k) => {
                    let k = p + k;
                    if b.get(k + 2) == Some(&b'>') {
                        self.pos = k + 3;
                        return Tok::Comment(self.span(c, k, Mode::Raw));
                    }
                    if b[k + 2..].starts_with(b"!>") {
                        self.pos = k + 4;
                        return Tok::Comment(self.span(c, k, Mode::Raw));
                    }
                    p = k + 1;
                }
            }
        }
    }

    fn doctype(&mut self, start: usize) -> Tok {
        let b = self.b;
        let end = memchr(b'>', &b[start.min(b.len())..])
            .map(|k| start + k)
            .unwrap_or(b.len());
        self.pos = (end + 1).min(b.len());
        let body = &b[start.min(end)..end];
        Tok::Doctype {
            quirks: doctype_quirks(body),
        }
    }

    /// A start or end tag whose name begins at `start`.
    fn tag(&mut self, start: usize, dom: &mut Dom, end_tag: bool) -> Tok {
        let b = self.b;
        let len = b.len();
        let (name, mut j) = match self.names.scan(b, start, false, dom) {
            Some(r) => r,
            None => {
                let mut j = start;
                while j < len && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>')
                {
                    j += 1;
                }
                if j >= len {
                    self.pos = len;
                    return Tok::Eof;
                }
                (self.name_of(start, j, dom), j)
            }
        };
        self.tag.name = name;
        if self.seen_used {
            for a in &self.tag.attrs {
                if let Some(w) = self.seen.get_mut(a.name.0 as usize / 64) {
                    *w = 0;
                }
            }
            self.seen_used = false;
        }
        self.tag.attrs.clear();
        self.tag.vals.clear();
        self.tag.self_closing = false;
        loop {
            while j < len && is_ws(b[j]) {
                j += 1;
            }
            if j >= len {
                self.pos = len;
                return Tok::Eof;
            }
            match b[j] {
                b'>' => {
                    j += 1;
                    break;
                }
                b'/' => {
                    if b.get(j + 1) == Some(&b'>') {
                        self.tag.self_closing = true;
                        j += 2;
                        break;
                    }
                    j += 1;
                    continue;
                }
                _ => {}
            }
            let ns = j;
            // Start tags intern the name in the same pass that finds its end.
            let mut scanned = None;
            if !end_tag {
                if let Some((an, e)) = self.names.scan(b, ns, true, dom) {
                    scanned = Some(an);
                    j = e;
                }
            }
            if scanned.is_none() {
                j += 1;
                while j < len
                    && !matches!(
                        b[j],
                        b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>' | b'='
                    )
                {
                    j += 1;
                }
            }
            let ne = j;
            while j < len && is_ws(b[j]) {
                j += 1;
            }
            let mut value = Span {
                start: 0,
                end: 0,
                scratch: false,
            };
            if j < len && b[j] == b'=' {
                j += 1;
                while j < len && is_ws(b[j]) {
                    j += 1;
                }
                if j >= len {
                    self.pos = len;
                    return Tok::Eof;
                }
                match b[j] {
                    q @ (b'"' | b'\'') => {
                        let Some((k, clean)) = quoted_end(b, j + 1, q) else {
                            self.pos = len;
                            return Tok::Eof;
                        };
                        if !end_tag {
                            value = if clean {
                                Span {
                                    start: (j + 1) as u32,
                                    end: k as u32,
                                    scratch: false,
                                }
                            } else {
                                self.attr_value(j + 1, k)
                            };
                        }
                        j = k + 1;
                    }
                    b'>' => {}
                    _ => {
                        let vs = j;
                        while j < len && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'>')
                        {
                            j += 1;
                        }
                        if !end_tag {
                            value = self.attr_value(vs, j);
                        }
                    }
                }
            }
            if !end_tag {
                let an = match scanned {
                    Some(an) => an,
                    None => self.name_of(ns, ne, dom),
                };
                if !self.is_dup(an) {
                    self.tag.attrs.push(AttrTok { name: an, value });
                }
            }
        }
        self.pos = j;
        if end_tag {
            Tok::End
        } else {
            Tok::Start
        }
    }

    /// True when the current tag already has attribute `an`; records it otherwise (in the
    /// bitset once the tag has many attributes).
    fn is_dup(&mut self, an: Name) -> bool {
        if self.tag.attrs.len() < 16 {
            return self.tag.attrs.iter().any(|a| a.name == an);
        }
        if !self.seen_used {
            if self.seen.is_empty() {
                self.seen = vec![0; 1024];
            }
            for a in &self.tag.attrs {
                self.seen[a.name.0 as usize / 64] |= 1 << (a.name.0 % 64);
            }
            self.seen_used = true;
        }
        let (w, bit) = (an.0 as usize / 64, 1u64 << (an.0 % 64));
        let dup = self.seen[w] & bit != 0;
        self.seen[w] |= bit;
        dup
    }

    fn attr_value(&mut self, start: usize, end: usize) -> Span {
        let s = &self.b[start..end];
        if memchr3(b'&', b'\r', 0, s).is_none() {
            return Span {
                start: start as u32,
                end: end as u32,
                scratch: false,
            };
        }
        let vs = self.tag.vals.len();
        decode(self.input, start, end, Mode::Attr, &mut self.tag.vals);
        Span {
            start: vs as u32,
            end: self.tag.vals.len() as u32,
            scratch: true,
        }
    }

    fn name_of(&mut self, start: usize, end: usize, dom: &mut Dom) -> Name {
        self.names.get_at(self.b, start, end, dom)
    }

    /// True when `</name` followed by a tag delimiter starts at `k`.
    fn end_tag_at(&self, k: usize, name: &[u8]) -> bool {
        let b = self.b;
        b.get(k + 1) == Some(&b'/')
            && b.len() > k + 2 + name.len()
            && b[k + 2..k + 2 + name.len()].eq_ignore_ascii_case(name)
            && matches!(
                b[k + 2 + name.len()],
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>'
            )
    }

    /// End of RCDATA/RAWTEXT content starting at `start`.
    fn raw_end(&self, start: usize) -> usize {
        let mut i = start;
        while let Some(k) = memchr(b'<', &self.b[i..]) {
            let k = i + k;
            if self.end_tag_at(k, self.end_name) {
                return k;
            }
            i = k + 1;
        }
        self.b.len()
    }

    /// End of script data starting at `start`, honouring the escaped and double-escaped states
    /// (`<!-- document.write("<script></script>") -->` does not end the script).
    fn script_end(&self, start: usize) -> usize {
        let b = self.b;
        let len = b.len();
        let mut esc = 0u8;
        let mut i = start;
        loop {
            let found = if esc == 0 {
                memchr(b'<', &b[i..])
            } else {
                memchr2(b'<', b'-', &b[i..])
            };
            let Some(k) = found else {
                return len;
            };
            let k = i + k;
            if b[k] == b'-' {
                let mut d = k;
                while d < len && b[d] == b'-' {
                    d += 1;
                }
                if d - k >= 2 && d < len && b[d] == b'>' {
                    esc = 0;
                    i = d + 1;
                } else {
                    i = d;
                }
                continue;
            }
            if esc != 2 && self.end_tag_at(k, b"script") {
                return k;
            }
            if esc == 0 && b[k + 1..].starts_with(b"!--") {
                esc = 1;
                i = k + 2;
                continue;
            }
            if esc == 1
                && len > k + 7
                && b[k + 1..k + 7].eq_ignore_ascii_case(b"script")
                && matches!(b[k + 7], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>')
            {
                esc = 2;
                i = k + 7;
                continue;
            }
            if esc == 2 && self.end_tag_at(k, b"script") {
                esc = 1;
                i = k + 8;
                continue;
            }
            i = k + 1;
        }
    }
}

/// Bytes `c` repeated in every lane of a word.
const LANES: u64 = 0x0101_0101_0101_0101;

/// Marks (high bit) the zero bytes of `w`; the lowest mark is exact.
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(LANES) & !w & (LANES << 7)
}

/// The index of the quote `q` closing an attribute value that starts at `from`, and whether the
/// value is clean (no `&`, CR or NUL: it needs no decoding). None when the input ends first.
/// The first 64 bytes are read a word at a time (most values are short); longer values go to
/// `memchr`.
#[inline]
fn quoted_end(b: &[u8], from: usize, q: u8) -> Option<(usize, bool)> {
    match first_special(b, from, q) {
        Ok(p) if b[p] == q => Some((p, true)),
        Ok(p) => memchr(q, &b[p..]).map(|k| (p + k, false)),
        Err(i) => {
            let k = i + memchr(q, b.get(i..)?)?;
            Some((k, memchr3(b'&', b'\r', 0, &b[from..k]).is_none()))
        }
    }
}

/// The index of the first byte among `c`, `&`, CR and NUL in the 64 bytes from `from`, read a
/// word at a time. `Err(i)` when none is in `from..i` (the 64 bytes, or up to the last whole
/// word before the input's end): the caller goes on with `memchr` from `i`. Short runs (most
/// attribute values, the indentation between tags) end here without a `memchr` call.
#[inline]
fn first_special(b: &[u8], from: usize, c: u8) -> Result<usize, usize> {
    let mut i = from;
    let limit = from + 64;
    while i < limit {
        let Some(w) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) else {
            break;
        };
        let w = u64::from_le_bytes(w);
        let m = zero_bytes(w ^ (LANES * c as u64))
            | zero_bytes(w ^ (LANES * b'&' as u64))
            | zero_bytes(w ^ (LANES * b'\r' as u64))
            | zero_bytes(w);
        if m != 0 {
            return Ok(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    Err(i)
}

/// True when the `<` at `i` starts markup in the data state (a tag, end tag, comment,
/// doctype or processing instruction), not text.
#[inline]
fn markup_at(b: &[u8], i: usize) -> bool {
    let next = b.get(i + 1).copied().unwrap_or(0);
    next.is_ascii_alphabetic() || next == b'!' || next == b'?' || (next == b'/' && i + 2 < b.len())
}

/// Decodes `input[start..end]` into `out`: newlines normalised, NUL kept (data) or replaced,
/// character references resolved (data, attribute values and RCDATA).
fn decode(input: &str, start: usize, end: usize, mode: Mode, out: &mut String) {
    let s = &input[start..end];
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let found = if mode == Mode::Raw {
            memchr2(b'\r', 0, &bytes[i..])
        } else {
            memchr3(b'&', b'\r', 0, &bytes[i..])
        };
        let Some(k) = found else { break };
        let k = i + k;
        match bytes[k] {
            b'\r' => {
                out.push_str(&s[last..k]);
                out.push('\n');
                i = k + 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                last = i;
            }
            0 => {
                out.push_str(&s[last..k]);
                // Data keeps the NUL: the tree builder ignores it in body, but before the body
                // it is a non-space character that opens html/head/body.
                out.push(if mode == Mode::Data { '\0' } else { '\u{FFFD}' });
                i = k + 1;
                last = i;
            }
            _ => match char_ref(&bytes[k + 1..], mode == Mode::Attr) {
                Some((used, c1, c2)) => {
                    out.push_str(&s[last..k]);
                    out.push(c1);
                    if let Some(c2) = c2 {
                        out.push(c2);
                    }
                    i = k + 1 + used;
                    last = i;
                }
                None => i = k + 1,
            },
        }
    }
    out.push_str(&s[last..]);
}

const C1: [u16; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

fn num_char(v: u32) -> char {
    match v {
        0 | 0xD800..=0xDFFF => '\u{FFFD}',
        0x80..=0x9F => char::from_u32(C1[(v - 0x80) as usize] as u32).unwrap_or('\u{FFFD}'),
        _ => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// A character reference after `&`: bytes used, and the one or two characters.
fn char_ref(rest: &[u8], in_attr: bool) -> Option<(usize, char, Option<char>)> {
    if rest.first() == Some(&b'#') {
        let hex = matches!(rest.get(1), Some(b'x' | b'X'));
        let mut j = if hex { 2 } else { 1 };
        let ds = j;
        let mut v: u32 = 0;
        while j < rest.len() {
            let d = match (rest[j] as char).to_digit(if hex { 16 } else { 10 }) {
                Some(d) => d,
                None => break,
            };
            v = v
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000);
            j += 1;
        }
        if j == ds {
            return None;
        }
        if rest.get(j) == Some(&b';') {
            j += 1;
        }
        return Some((j, num_char(v), None));
    }
    let mut j = 0;
    while j < rest.len() && j < 40 && rest[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == 0 {
        return None;
    }
    // The few references that fill real pages (`&quot;` in JSON-in-attribute values, `&amp;` in
    // URLs, `&nbsp;`) resolve without the table's hashing.
    if rest.get(j) == Some(&b';') {
        let c = match &rest[..j] {
            b"quot" => Some('"'),
            b"amp" => Some('&'),
            b"nbsp" => Some('\u{A0}'),
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"apos" => Some('\''),
            _ => None,
        };
        if let Some(c) = c {
            return Some((j + 1, c, None));
        }
    }
    let map = &markup5ever::data::NAMED_ENTITIES;
    let chars = |(a, b): (u32, u32)| {
        (
            char::from_u32(a).unwrap_or('\u{FFFD}'),
            if b == 0 { None } else { char::from_u32(b) },
        )
    };
    if rest.get(j) == Some(&b';') {
        if let Some(&v) = std::str::from_utf8(&rest[..=j])
            .ok()
            .and_then(|s| map.get(s))
        {
            if v.0 != 0 {
                let (a, b) = chars(v);
                return Some((j + 1, a, b));
            }
        }
    }
    for k in (1..=j).rev() {
        let Some(&v) = std::str::from_utf8(&rest[..k])
            .ok()
            .and_then(|s| map.get(s))
        else {
            continue;
        };
        if v.0 == 0 {
            continue;
        }
        if in_attr {
            if let Some(&n) = rest.get(k) {
                if n == b'=' || n.is_ascii_alphanumeric() {
                    return None;
                }
            }
        }
        let (a, b) = chars(v);
        return Some((k, a, b));
    }
    None
}

static QUIRKY_PUBLIC_PREFIXES: &[&str] = &[
    "-//advasoft ltd//dtd html 3.0 aswedit + extensions//",
    "-//as//dtd html 3.0 aswedit + extensions//",
    "-//ietf//dtd html 2.0 level 1//",
    "-//ietf//dtd html 2.0 level 2//",
    "-//ietf//dtd html 2.0 strict level 1//",
    "-//ietf//dtd html 2.0 strict level 2//",
    "-//ietf//dtd html 2.0 strict//",
    "-//ietf//dtd html 2.0//",
    "-//ietf//dtd html 2.1e//",
    "-//ietf//dtd html 3.0//",
    "-//ietf//dtd html 3.2 final//",
    "-//ietf//dtd html 3.2//",
    "-//ietf//dtd html 3//",
    "-//ietf//dtd html level 0//",
    "-//ietf//dtd html level 1//",
    "-//ietf//dtd html level 2//",
    "-//ietf//dtd html level 3//",
    "-//ietf//dtd html strict level 0//",
    "-//ietf//dtd html strict level 1//",
    "-//ietf//dtd html strict level 2//",
    "-//ietf//dtd html strict level 3//",
    "-//ietf//dtd html strict//",
    "-//ietf//dtd html//",
    "-//metrius//dtd metrius presentational//",
    "-//microsoft//dtd internet explorer 2.0 html strict//",
    "-//microsoft//dtd internet explorer 2.0 html//",
    "-//microsoft//dtd internet explorer 2.0 tables//",
    "-//microsoft//dtd internet explorer 3.0 html strict//",
    "-//microsoft//dtd internet explorer 3.0 html//",
    "-//microsoft//dtd internet explorer 3.0 tables//",
    "-//netscape comm. corp.//dtd html//",
    "-//netscape comm. corp.//dtd strict html//",
    "-//o'reilly and associates//dtd html 2.0//",
    "-//o'reilly and associates//dtd html extended 1.0//",
    "-//o'reilly and associates//dtd html extended relaxed 1.0//",
    "-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//",
    "-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//",
    "-//spyglass//dtd html 2.0 extended//",
    "-//sq//dtd html 2.0 hotmetal + extensions//",
    "-//sun microsystems corp.//dtd hotjava html//",
    "-//sun microsystems corp.//dtd hotjava strict html//",
    "-//w3c//dtd html 3 1995-03-24//",
    "-//w3c//dtd html 3.2 draft//",
    "-//w3c//dtd html 3.2 final//",
    "-//w3c//dtd html 3.2//",
    "-//w3c//dtd html 3.2s draft//",
    "-//w3c//dtd html 4.0 frameset//",
    "-//w3c//dtd html 4.0 transitional//",
    "-//w3c//dtd html experimental 19960712//",
    "-//w3c//dtd html experimental 970421//",
    "-//w3c//dtd w3 html//",
    "-//w3o//dtd w3 html 3.0//",
    "-//webtechs//dtd mozilla html 2.0//",
    "-//webtechs//dtd mozilla html//",
];

/// Full quirks mode for a doctype body (the text after `<!DOCTYPE`, before `>`).
fn doctype_quirks(body: &[u8]) -> bool {
    let s = String::from_utf8_lossy(body).to_ascii_lowercase();
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let name_end = s.find(|c: char| c.is_ascii_whitespace()).unwrap_or(s.len());
    let name = &s[..name_end];
    if name != "html" {
        return true;
    }
    let mut rest = s[name_end..].trim_start();
    let mut public: Option<&str> = None;
    let mut system: Option<&str> = None;
    let quoted = |r: &str| -> Option<(String, usize)> {
        let q = r.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let end = r[1..].find(q)?;
        Some((r[1..1 + end].to_string(), end + 2))
    };
    let mut pub_s = String::new();
    let mut sys_s = String::new();
    if let Some(r) = rest.strip_prefix("public") {
        let r = r.trim_start();
        match quoted(r) {
            Some((p, used)) => {
                pub_s = p;
                rest = r[used..].trim_start();
                if !rest.is_empty() {
                    match quoted(rest) {
                        Some((sy, _)) => sys_s = sy,
                        None => return true,
                    }
                    system = Some("");
                }
            }
            None => return true,
        }
        public = Some("");
    } else if let Some(r) = rest.strip_prefix("system") {
        match quoted(r.trim_start()) {
            Some((sy, _)) => {
                sys_s = sy;
                system = Some("");
            }
            None => return true,
        }
    } else if !rest.is_empty() {
        return true;
    }
    let public = public.map(|_| pub_s.as_str());
    let system = system.map(|_| sys_s.as_str());
    if let Some(p) = public {
        if matches!(
            p,
            "-//w3o//dtd w3 html strict 3.0//en//" | "-/w3c/dtd html 4.0 transitional/en" | "html"
        ) {
            return true;
        }
    }
    if system == Some("http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd") {
        return true;
    }
    if let Some(p) = public {
        if QUIRKY_PUBLIC_PREFIXES.iter().any(|x| p.starts_with(x)) {
            return true;
        }
        if (p.starts_with("-//w3c//dtd html 4.01 frameset//")
            || p.starts_with("-//w3c//dtd html 4.01 transitional//"))
            && system.is_none()
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str, mode: Mode) -> String {
        let mut o = String::new();
        decode(s, 0, s.len(), mode, &mut o);
        o
    }

    #[test]
    fn character_references() {
        assert_eq!(
            dec(
                "a &amp; b &lt;&gt; &copy &notit; &#65;&#x42;&#128;",
                Mode::Data
            ),
            "a & b <> © ¬it; AB€"
        );
        assert_eq!(dec("?a=1&copy=2&amp;x", Mode::Attr), "?a=1&copy=2&x");
        assert_eq!(
            dec("&nosuch; & &#; &#0;", Mode::Data),
            "&nosuch; & &#; \u{FFFD}"
        );
        assert_eq!(dec("a\r\nb\rc", Mode::Raw), "a\nb\nc");
        assert_eq!(dec("a\0b", Mode::Data), "a\0b");
        assert_eq!(dec("a\0b", Mode::Attr), "a\u{FFFD}b");
        assert_eq!(dec("&NotEqualTilde;", Mode::Data), "\u{2242}\u{338}");
        // the table-free common references give what the table gives
        let map = &markup5ever::data::NAMED_ENTITIES;
        for name in ["quot", "amp", "nbsp", "lt", "gt", "apos"] {
            let v = map[format!("{name};").as_str()];
            let want: String = [v.0, v.1]
                .iter()
                .filter(|&&c| c != 0)
                .filter_map(|&c| char::from_u32(c))
                .collect();
            assert_eq!(dec(&format!("&{name};"), Mode::Attr), want);
            assert_eq!(dec(&format!("x&{name};y"), Mode::Data), format!("x{want}y"));
        }
        assert_eq!(dec("&QUOT;&Amp;&quot", Mode::Data), "\"&Amp;\"");
    }

    #[test]
    fn doctypes() {
        assert!(!doctype_quirks(b" html"));
        assert!(doctype_quirks(b""));
        assert!(doctype_quirks(
            br#" HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN""#
        ));
        assert!(!doctype_quirks(
            br#" HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd""#
        ));
        assert!(!doctype_quirks(
            br#" html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd""#
        ));
    }

    #[test]
    fn quoted_values_at_word_and_chunk_edges() {
        // The closing quote and a byte that needs decoding at every position around the 8-byte
        // words and the 64-byte limit of the word loop, at several offsets, with non-ASCII text
        // and with the input ending early; compared with the two-`memchr` answer.
        for off in 0..9 {
            for len in 0..80 {
                for dirty in [None, Some(b'&'), Some(b'\r'), Some(0u8)] {
                    for at in [0, 7, 8, 63, 64, 65] {
                        let mut v: Vec<u8> = vec![b'x'; off];
                        v.push(b'"');
                        let from = v.len();
                        for i in 0..len {
                            v.push(if i % 11 == 5 {
                                b'\''
                            } else {
                                b'a' + (i % 26) as u8
                            });
                        }
                        if let Some(c) = dirty {
                            if at < len {
                                v[from + at] = c;
                            }
                        }
                        v.extend_from_slice("\"é>".as_bytes());
                        for cut in [v.len(), from + len / 2] {
                            let b = &v[..cut];
                            let want = memchr(b'"', &b[from..]).map(|k| {
                                let k = from + k;
                                (k, memchr3(b'&', b'\r', 0, &b[from..k]).is_none())
                            });
                            assert_eq!(quoted_end(b, from, b'"'), want, "{off} {len} {at} {cut}");
                        }
                    }
                }
            }
        }
        assert_eq!(quoted_end(b"'", 1, b'\''), None);
        assert_eq!(quoted_end("'é'".as_bytes(), 1, b'\''), Some((3, true)));
    }

    /// All text and tag tokens of a page, text decoded.
    fn tokens(src: &str) -> Vec<String> {
        let mut d = Dom::new();
        let mut t = Tokenizer::new(src);
        let mut out = Vec::new();
        loop {
            match t.next(&mut d) {
                Tok::Text(sp) => {
                    let s = if sp.scratch { t.text.as_str() } else { src };
                    out.push(format!("{:?}", &s[sp.start as usize..sp.end as usize]));
                }
                Tok::Start => out.push(format!("<{}>", d.name_str(t.tag.name))),
                Tok::End => out.push(format!("</{}>", d.name_str(t.tag.name))),
                Tok::Comment(_) => out.push("<!---->".into()),
                Tok::Doctype { .. } => out.push("<!doctype>".into()),
                Tok::Eof => return out,
            }
        }
    }

    #[test]
    fn text_runs_end_at_markup_only() {
        assert_eq!(
            tokens("<p>a < b<b>x</b>\n  <i>é&amp;</i>2 <3 4<!--c-->5<"),
            [
                "<p>",
                "\"a < b\"",
                "<b>",
                "\"x\"",
                "</b>",
                "\"\\n  \"",
                "<i>",
                "\"é&\"",
                "</i>",
                "\"2 <3 4\"",
                "<!---->",
                "\"5<\""
            ]
        );
        // Runs of every length up to past the 64-byte word loop, clean or not, ended by a tag,
        // by a `<` that is text, or by a `<` inside a tag name.
        for n in 0..80 {
            let body = &"ab cd".repeat(16)[..n];
            for tail in ["", "&lt;", "\r\n", "< ", "é"] {
                let text = format!("{body}{tail}");
                let want = text.replace("&lt;", "<").replace("\r\n", "\n");
                let mut expect = vec!["<p>".to_string()];
                if !want.is_empty() {
                    expect.push(format!("{want:?}"));
                }
                expect.push("<br>".into());
                assert_eq!(tokens(&format!("<p>{text}<br>")), expect, "{text:?}");
            }
            let mut expect = vec!["<p>".to_string()];
            if n > 0 {
                expect.push(format!("{body:?}"));
            }
            expect.push("<x<br>".into());
            assert_eq!(tokens(&format!("<p>{body}<x<br>")), expect, "{body:?}");
        }
    }

    #[test]
    fn script_escapes() {
        let src = r#"<!-- document.write("<script></script>"); //--></script>x"#;
        let t = Tokenizer::new(src);
        assert_eq!(t.script_end(0), src.len() - 10);
        let src2 = "var a = '</div>'; </SCRIPT >";
        let t2 = Tokenizer::new(src2);
        assert_eq!(t2.script_end(0), 18);
    }
}
