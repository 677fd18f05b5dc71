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

/// Lowercase name bytes → interned name.
#[derive(Clone)]
pub(super) struct NameTable {
    slots: Vec<Slot>,
    bits: u32,
    bytes: Vec<u8>,
    count: usize,
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

#[inline]
fn hash(k0: u64, k1: u64, len: usize) -> u64 {
    (k0 ^ k1.rotate_left(29) ^ ((len as u64) << 56)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl NameTable {
    fn with_bits(bits: u32) -> Self {
        NameTable {
            slots: vec![EMPTY; 1 << bits],
            bits,
            bytes: Vec::with_capacity(4096),
            count: 0,
        }
    }

    /// A table holding the known names (cloned from a process-wide seed).
    pub(super) fn seeded() -> Self {
        static SEED: OnceLock<NameTable> = OnceLock::new();
        SEED.get_or_init(|| {
            let mut t = NameTable::with_bits(10);
            for (i, s) in KNOWN_NAMES.iter().enumerate() {
                if let Some((k0, k1)) = keys(s.as_bytes()) {
                    t.insert(k0, k1, s.as_bytes(), Name(i as u16));
                }
            }
            t
        })
        .clone()
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
                let mask = self.slots.len() - 1;
                let mut i = self.index(hash(k0, k1, len));
                loop {
                    let s = &self.slots[i];
                    if s.len == 0 || len == 0 {
                        break;
                    }
                    if s.k0 == k0 && s.k1 == k1 && s.len as usize == len {
                        return s.name;
                    }
                    i = (i + 1) & mask;
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
        let len = full.len();
        let mask = self.slots.len() - 1;
        let mut i = self.index(hash(k0, k1, len.min(u16::MAX as usize)));
        loop {
            let s = self.slots[i];
            if s.len == 0 {
                break;
            }
            if s.k0 == k0
                && s.k1 == k1
                && s.len as usize == len
                && self.bytes.get(s.off as usize..s.off as usize + len) == Some(full)
            {
                return s.name;
            }
            i = (i + 1) & mask;
        }
        self.add(k0, k1, full, dom)
    }

    fn add(&mut self, k0: u64, k1: u64, lower_bytes: &[u8], dom: &mut Dom) -> Name {
        let name = dom.intern(&String::from_utf8_lossy(lower_bytes));
        if lower_bytes.len() < u16::MAX as usize {
            self.insert(k0, k1, lower_bytes, name);
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::name;

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
