//! Name interning for the tokenizer: an open-addressing table with a cheap multiplicative hash,
//! seeded with the document-independent [`KNOWN_NAMES`], falling back to [`Dom::intern`] once
//! per new name. `Dom::intern` hashes with SipHash; doing that for every tag and attribute would
//! cost more than tokenizing them.

use std::sync::OnceLock;

use crate::dom::{Dom, Name, KNOWN_NAMES};

#[derive(Clone, Copy)]
struct Slot {
    hash: u64,
    off: u32,
    len: u32,
    name: Name,
    used: bool,
}

const EMPTY: Slot = Slot {
    hash: 0,
    off: 0,
    len: 0,
    name: Name(0),
    used: false,
};

/// Lowercase name bytes → interned name.
#[derive(Clone)]
pub(super) struct NameTable {
    slots: Vec<Slot>,
    bytes: Vec<u8>,
    count: usize,
}

#[inline]
fn hash(s: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

impl NameTable {
    fn with_slots(n: usize) -> Self {
        NameTable {
            slots: vec![EMPTY; n],
            bytes: Vec::with_capacity(4096),
            count: 0,
        }
    }

    /// A table holding the known names (cloned from a process-wide seed).
    pub(super) fn seeded() -> Self {
        static SEED: OnceLock<NameTable> = OnceLock::new();
        SEED.get_or_init(|| {
            let mut t = NameTable::with_slots(1024);
            for (i, s) in KNOWN_NAMES.iter().enumerate() {
                t.insert(s.as_bytes(), Name(i as u16));
            }
            t
        })
        .clone()
    }

    fn insert(&mut self, s: &[u8], name: Name) {
        if (self.count + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = hash(s);
        let off = self.bytes.len() as u32;
        self.bytes.extend_from_slice(s);
        self.place(Slot {
            hash: h,
            off,
            len: s.len() as u32,
            name,
            used: true,
        });
        self.count += 1;
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = slot.hash as usize & mask;
        while self.slots[i].used {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let n = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; n]);
        for s in old.into_iter().filter(|s| s.used) {
            self.place(s);
        }
    }

    /// The interned name of lowercase `s` (interning it in `dom` the first time).
    #[inline]
    pub(super) fn get(&mut self, s: &[u8], dom: &mut Dom) -> Name {
        let h = hash(s);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if !slot.used {
                break;
            }
            if slot.hash == h
                && slot.len as usize == s.len()
                && &self.bytes[slot.off as usize..(slot.off + slot.len) as usize] == s
            {
                return slot.name;
            }
            i = (i + 1) & mask;
        }
        let name = dom.intern(&String::from_utf8_lossy(s));
        self.insert(s, name);
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
        assert_eq!(t.get(b"data-src", &mut d), name::DATA_SRC);
        let a = t.get(b"my-widget", &mut d);
        assert_eq!(d.name_str(a), "my-widget");
        for i in 0..3000 {
            t.get(format!("x{i}").as_bytes(), &mut d);
        }
        assert_eq!(t.get(b"my-widget", &mut d), a);
        assert_eq!(t.get(b"x2999", &mut d), d.lookup("x2999").unwrap());
    }
}
