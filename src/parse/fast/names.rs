//! Name interning for the tokenizer: an open-addressing table keyed by the (lowercased) first
//! 16 bytes of a name held inline, one multiply to hash, seeded with the document-independent
//! [`KNOWN_NAMES`], falling back to [`Dom::intern`] once per new name. `Dom::intern` hashes
//! with SipHash; doing that for every tag and attribute would cost more than tokenizing them.

use std::sync::OnceLock;

use crate::dom::{Dom, Name, KNOWN_NAMES};

#[derive(Clone, Copy)]
struct Slot {
    k0: u64,
    k1: u64,
    /// Offset of the full name in `bytes` (names longer than 16 bytes are compared there).
    off: u32,
    /// 0 = empty slot (names are never empty).
    len: u16,
    name: Name,
}

const EMPTY: Slot = Slot {
    k0: 0,
    k1: 0,
    off: 0,
    len: 0,
    name: Name(0),
};

/// Open addressing from lowercase name keys to names.
struct Table {
    slots: Vec<Slot>,
    bits: u32,
    bytes: Vec<u8>,
    count: usize,
}

/// Lowercase name bytes → interned name: the known names in a process-wide table (read only,
/// so it stays in cache from page to page instead of being copied for each), the page's other
/// names in a small table of its own.
pub(super) struct NameTable {
    seed: &'static Table,
    local: Table,
}

#[inline]
fn lower(c: u8) -> u8 {
    c | ((c.wrapping_sub(b'A') < 26) as u8) << 5
}

/// The first 16 bytes, ASCII-lowercased, packed little-endian. None when a NUL is present.
#[inline]
fn keys(s: &[u8]) -> Option<(u64, u64)> {
    let mut k = [0u64; 2];
    for (i, &c) in s.iter().take(16).enumerate() {
        if c == 0 {
            return None;
        }
        k[i >> 3] |= (lower(c) as u64) << ((i & 7) * 8);
    }
    Some((k[0], k[1]))
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// ASCII-lowercases eight bytes at once (non-ASCII bytes are left alone).
#[inline]
fn lower8(w: u64) -> u64 {
    let h = w & !HI;
    let ge_a = h.wrapping_add(0x3f * LO);
    let gt_z = h.wrapping_add(0x25 * LO);
    let upper = ge_a & !gt_z & !w & HI;
    w | (upper >> 2)
}

#[inline]
fn has_zero(w: u64) -> bool {
    w.wrapping_sub(LO) & !w & HI != 0
}

/// Keys of `b[start..start + len]` (len <= 16) by word loads. None when a NUL is present.
#[inline]
fn keys_at(b: &[u8], start: usize, len: usize) -> Option<(u64, u64)> {
    let mut buf = [0u8; 16];
    match b.get(start..start + 16) {
        Some(src) => buf.copy_from_slice(src),
        None => buf[..len].copy_from_slice(b.get(start..start + len)?),
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = buf;
    let w0 = u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]);
    let w1 = u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
    let m0 = if len >= 8 {
        !0
    } else {
        (1u64 << (len * 8)) - 1
    };
    let m1 = if len >= 16 {
        !0
    } else if len <= 8 {
        0
    } else {
        (1u64 << ((len - 8) * 8)) - 1
    };
    let (w0, w1) = (w0 & m0, w1 & m1);
    if has_zero(w0 | !m0) || has_zero(w1 | !m1) {
        return None;
    }
    Some((lower8(w0), lower8(w1)))
}

/// Marks (high bit) the bytes of `w` that are zero; exact up to and including the lowest mark
/// (higher marks can be false, which the callers never look at).
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(LO) & !w & HI
}

/// Marks the bytes of `w` equal to `c` (lowest mark exact, as [`zero_bytes`]).
#[inline]
fn eq_bytes(w: u64, c: u8) -> u64 {
    zero_bytes(w ^ (LO * c as u64))
}

/// Marks the bytes that may end a name: below 0x21 (white space and other controls), `/`, and
/// `<` `=` `>` `?` (one test: they differ only in the low two bits). Lowest mark exact. The
/// caller checks which byte it found: `<`, `?`, `=` in a tag name and the controls other than
/// white space belong to the name and send it to the byte-wise path.
#[inline]
fn name_stops(w: u64) -> u64 {
    (w.wrapping_sub(LO * 0x21) & !w & HI) | eq_bytes(w, b'/') | eq_bytes(w & (LO * 0xFC), b'<')
}

/// Little-endian word at `b[at..at + 8]`.
#[inline]
fn word(b: &[u8], at: usize) -> Option<u64> {
    let c: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(c))
}

#[inline]
fn hash(k0: u64, k1: u64, len: usize) -> u64 {
    (k0 ^ k1.rotate_left(29) ^ ((len as u64) << 56)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Table {
    fn with_bits(bits: u32) -> Self {
        Table {
            slots: vec![EMPTY; 1 << bits],
            bits,
            bytes: Vec::with_capacity(4096),
            count: 0,
        }
    }

    #[inline]
    fn index(&self, h: u64) -> usize {
        (h >> (64 - self.bits)) as usize
    }

    fn insert(&mut self, k0: u64, k1: u64, lower_bytes: &[u8], name: Name) {
        if (self.count + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let off = self.bytes.len() as u32;
        self.bytes.extend_from_slice(lower_bytes);
        self.place(Slot {
            k0,
            k1,
            off,
            len: lower_bytes.len().min(u16::MAX as usize) as u16,
            name,
        });
        self.count += 1;
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = self.index(hash(slot.k0, slot.k1, slot.len as usize));
        while self.slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        self.bits += 1;
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; 1 << self.bits]);
        for s in old.into_iter().filter(|s| s.len != 0) {
            self.place(s);
        }
    }

    /// Linear probe from `h`'s slot: the name of the first occupied slot `hit` accepts, `None`
    /// at the first empty slot.
    #[inline(always)]
    fn probe(&self, h: u64, hit: impl Fn(&Slot) -> bool) -> Option<Name> {
        let mask = self.slots.len() - 1;
        let mut i = self.index(h);
        loop {
            let s = &self.slots[i];
            if s.len == 0 {
                return None;
            }
            if hit(s) {
                return Some(s.name);
            }
            i = (i + 1) & mask;
        }
    }

    /// The name whose key is `k0, k1` (hash `h`) and length `len` <= 16.
    #[inline(always)]
    fn find_short(&self, h: u64, k0: u64, k1: u64, len: usize) -> Option<Name> {
        self.probe(h, |s| s.k0 == k0 && s.k1 == k1 && s.len as usize == len)
    }

    /// The name of the lowercase bytes `full` (any length; key `k0, k1`, hash `h`).
    fn find_long(&self, h: u64, k0: u64, k1: u64, full: &[u8]) -> Option<Name> {
        let len = full.len();
        self.probe(h, |s| {
            s.k0 == k0
                && s.k1 == k1
                && s.len as usize == len
                && self.bytes.get(s.off as usize..s.off as usize + len) == Some(full)
        })
    }
}

impl NameTable {
    /// A table for one document: the shared known names and an empty table for the rest.
    pub(super) fn seeded() -> Self {
        static SEED: OnceLock<Table> = OnceLock::new();
        let seed = SEED.get_or_init(|| {
            let mut t = Table::with_bits(9);
            for (i, s) in KNOWN_NAMES.iter().enumerate() {
                if let Some((k0, k1)) = keys(s.as_bytes()) {
                    t.insert(k0, k1, s.as_bytes(), Name(i as u16));
                }
            }
            t
        });
        NameTable {
            seed,
            local: Table::with_bits(6),
        }
    }

    /// The name whose key is `k0, k1` and length `len` <= 16, if seen before.
    #[inline(always)]
    fn find_short(&self, k0: u64, k1: u64, len: usize) -> Option<Name> {
        let h = hash(k0, k1, len);
        match self.seed.find_short(h, k0, k1, len) {
            Some(n) => Some(n),
            None => self.local.find_short(h, k0, k1, len),
        }
    }

    /// The interned name of `raw` (ASCII-lowercased; NUL becomes U+FFFD), interning it in
    /// `dom` the first time.
    #[cfg(test)]
    pub(super) fn get(&mut self, raw: &[u8], dom: &mut Dom) -> Name {
        self.get_at(raw, 0, raw.len(), dom)
    }

    /// [`NameTable::get`] for `b[start..end]`, loading whole words from `b` when it can.
    #[inline]
    pub(super) fn get_at(&mut self, b: &[u8], start: usize, end: usize, dom: &mut Dom) -> Name {
        let len = end.saturating_sub(start);
        let raw = b.get(start..end).unwrap_or(&[]);
        if len <= 16 {
            if let Some((k0, k1)) = keys_at(b, start, len) {
                if len > 0 {
                    if let Some(n) = self.find_short(k0, k1, len) {
                        return n;
                    }
                }
                let mut buf = [0u8; 16];
                for (d, &c) in buf.iter_mut().zip(raw) {
                    *d = lower(c);
                }
                return self.add(k0, k1, &buf[..len], dom);
            }
        }
        self.get_slow(raw, dom)
    }

    /// Scans a tag name (`attr` false) or attribute name starting at `start` and interns it in
    /// one pass: two word loads find the end and give the key. Returns the name and its end
    /// (the delimiter's index), or None when the name is longer than 16 bytes, holds a control
    /// byte other than white space, or ends within 16 bytes of the input's end: the caller then
    /// scans byte by byte. The first byte always belongs to the name (an attribute name may
    /// start with `=`).
    #[inline(always)]
    pub(super) fn scan(
        &mut self,
        b: &[u8],
        start: usize,
        attr: bool,
        dom: &mut Dom,
    ) -> Option<(Name, usize)> {
        let w0 = word(b, start)?;
        if b[start] < 0x21 || b.len() < start + 16 {
            return None;
        }
        // The first byte is part of the name whatever it is (an attribute name may start with
        // `=`).
        let m0 = name_stops(w0) & !0x80;
        let (len, k0, k1) = if m0 != 0 {
            let p = (m0.trailing_zeros() / 8) as usize;
            (p, w0 & ((1u64 << (p * 8)) - 1), 0)
        } else {
            let w1 = word(b, start + 8)?;
            let m1 = name_stops(w1);
            if m1 == 0 {
                return None;
            }
            let p = (m1.trailing_zeros() / 8) as usize;
            let k1 = if p == 0 {
                0
            } else {
                w1 & ((1u64 << (p * 8)) - 1)
            };
            (8 + p, w0, k1)
        };
        // A control byte other than white space, `<`, `?` (and `=` in a tag name) stopped
        // the scan but belong to the name.
        let end = b[start + len];
        if !(matches!(end, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>')
            || (attr && end == b'='))
        {
            return None;
        }
        let (k0, k1) = (lower8(k0), lower8(k1));
        if let Some(n) = self.find_short(k0, k1, len) {
            return Some((n, start + len));
        }
        let mut buf = [0u8; 16];
        buf[..8].copy_from_slice(&k0.to_le_bytes());
        buf[8..].copy_from_slice(&k1.to_le_bytes());
        Some((self.add(k0, k1, &buf[..len], dom), start + len))
    }

    #[cold]
    fn get_slow(&mut self, raw: &[u8], dom: &mut Dom) -> Name {
        // Long `data-…` attribute names land here on every page: lowercase them into a stack
        // buffer (no allocation) unless they are very long or hold a NUL.
        let mut small = [0u8; 64];
        let mut heap = Vec::new();
        let full: &[u8] = if raw.len() <= small.len() && memchr::memchr(0, raw).is_none() {
            for (d, &c) in small.iter_mut().zip(raw) {
                *d = lower(c);
            }
            &small[..raw.len()]
        } else {
            heap.reserve(raw.len() + 8);
            for &c in raw {
                if c == 0 {
                    heap.extend_from_slice("\u{FFFD}".as_bytes());
                } else {
                    heap.push(lower(c));
                }
            }
            &heap
        };
        let Some((k0, k1)) = keys(full) else {
            return dom.intern(&String::from_utf8_lossy(full));
        };
        let h = hash(k0, k1, full.len().min(u16::MAX as usize));
        if let Some(n) = self.seed.find_long(h, k0, k1, full) {
            return n;
        }
        if let Some(n) = self.local.find_long(h, k0, k1, full) {
            return n;
        }
        self.add(k0, k1, full, dom)
    }

    fn add(&mut self, k0: u64, k1: u64, lower_bytes: &[u8], dom: &mut Dom) -> Name {
        let name = dom.intern(&String::from_utf8_lossy(lower_bytes));
        if lower_bytes.len() < u16::MAX as usize {
            self.local.insert(k0, k1, lower_bytes, name);
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::name;

    /// The byte-wise scan `scan` replaces: the name runs to the first white space, `/`, `>`
    /// (or `=` after the first byte of an attribute name).
    fn scan_ref(b: &[u8], start: usize, attr: bool) -> usize {
        let mut j = start + 1;
        while j < b.len()
            && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>')
            && !(attr && b[j] == b'=')
        {
            j += 1;
        }
        j
    }

    #[test]
    fn scan_agrees_with_the_bytewise_scan() {
        // Names of every length around the word and 16-byte edges, made of name bytes and the
        // bytes that stop (or only look like they stop) the word scan, at several offsets and
        // near the end of the input.
        let alphabet: &[&[u8]] = &[
            b"a",
            b"Z",
            b"-",
            b"=",
            b"<",
            b"?",
            b"/",
            b">",
            b" ",
            b"\t",
            b"\n",
            b"\r",
            b"\x0c",
            b"\x01",
            b"\0",
            b"\xc3\xa9",
            b"9",
            b"_",
        ];
        let mut d = Dom::new();
        let mut t = NameTable::seeded();
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut fast = 0;
        for case in 0..20_000 {
            let mut page = b"<".repeat(case % 9);
            let start = page.len();
            page.push(b"dIvXq"[case % 5]);
            let n = next() as usize % 24;
            for _ in 0..n {
                // mostly name bytes so that long names occur
                let r = next() as usize;
                let piece: &[u8] = if r % 3 == 0 {
                    alphabet[r / 3 % alphabet.len()]
                } else {
                    b"aBc-d".get(r % 5..r % 5 + 1).unwrap_or(b"x")
                };
                page.extend_from_slice(piece);
            }
            if case % 4 != 0 {
                page.extend_from_slice(&b"> trailing bytes of the page"[..next() as usize % 28]);
            }
            let Ok(text) = std::str::from_utf8(&page) else {
                continue;
            };
            let b = text.as_bytes();
            for attr in [false, true] {
                let want_end = scan_ref(b, start, attr);
                if let Some((got, end)) = t.scan(b, start, attr, &mut d) {
                    fast += 1;
                    assert_eq!(end, want_end, "{text:?} attr={attr}");
                    let want = t.get_at(b, start, want_end, &mut d);
                    assert_eq!(got, want, "{text:?} attr={attr}");
                }
            }
        }
        assert!(fast > 5_000, "the word path ran {fast} times");
        // Non-ASCII, upper case and the first-byte `=` of an attribute name.
        let page = "<ÉtÉ-Data x=1 =a=b STYLE>0123456789abcdef";
        let b = page.as_bytes();
        let (n, e) = t.scan(b, 1, false, &mut d).unwrap();
        // (ASCII letters only are lowercased, as in the byte-wise path)
        assert_eq!((d.name_str(n), e), ("ÉtÉ-data", 11));
        let (n, e) = t.scan(b, 16, true, &mut d).unwrap();
        assert_eq!((d.name_str(n), e), ("=a", 18));
        let (n, e) = t.scan(b, 21, true, &mut d).unwrap();
        assert_eq!((n, e), (name::STYLE, 26));
        // Fewer than 16 bytes left, a 17-byte name, a control byte: the byte-wise path.
        assert!(t.scan(b"<div>", 1, false, &mut d).is_none());
        assert!(t
            .scan(b"<abcdefghijklmnopq class=x>", 1, false, &mut d)
            .is_none());
        assert!(t
            .scan(b"<di\x01v class=x-yyyyyy>", 1, false, &mut d)
            .is_none());
    }

    #[test]
    fn known_and_new_names() {
        let mut d = Dom::new();
        let mut t = NameTable::seeded();
        assert_eq!(t.get(b"div", &mut d), name::DIV);
        assert_eq!(t.get(b"DiV", &mut d), name::DIV);
        assert_eq!(t.get(b"data-src", &mut d), name::DATA_SRC);
        let a = t.get(b"my-widget", &mut d);
        assert_eq!(d.name_str(a), "my-widget");
        for i in 0..3000 {
            t.get(format!("x{i}").as_bytes(), &mut d);
        }
        assert_eq!(t.get(b"MY-widget", &mut d), a);
        assert_eq!(t.get(b"x2999", &mut d), d.lookup("x2999").unwrap());
        let long1 = t.get(b"data-analytics-event-category", &mut d);
        let long2 = t.get(b"data-analytics-event-action", &mut d);
        assert_ne!(long1, long2);
        assert_eq!(t.get(b"DATA-analytics-event-category", &mut d), long1);
        assert_eq!(d.name_str(long2), "data-analytics-event-action");
        let nul = t.get(b"a\0b", &mut d);
        assert_eq!(d.name_str(nul), "a\u{FFFD}b");
        let page = b"<DIV CLASS=x><Span>";
        assert_eq!(t.get_at(page, 1, 4, &mut d), name::DIV);
        assert_eq!(t.get_at(page, 5, 10, &mut d), name::CLASS);
        assert_eq!(t.get_at(page, 14, 18, &mut d), name::SPAN);
        assert_eq!(
            lower8(u64::from_le_bytes(*b"AZaz@[\xC3Q")),
            u64::from_le_bytes(*b"azaz@[\xC3q")
        );
    }
}
