//! Text measures and hashes shared by every table: counts, sha256 ids, simhash.
//!
//! Why it exists: counts (`char_count` in code points, `word_count` in whitespace tokens),
//! hashes (`text_hash`) and fingerprints (`simhash`) must be computed the same way for articles,
//! paragraphs and comments.

use sha2::{Digest, Sha256};

/// Code points in `s` (Python `len`).
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Whitespace-separated tokens.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Full sha256 hex (64 chars).
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// First 32 hex chars of sha256 (128 bits).
pub fn sha256_32(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    hex::encode(&d[..16])
}

/// 64-bit Charikar simhash over word 3-shingles (xxh3), hex; None for empty text.
///
/// Words (alphanumeric runs, lowercased) are laid end to end in one buffer, one space apart,
/// so each shingle (`w1 w2 w3`) is a slice of it: no string is built per word or shingle.
pub fn simhash(text: &str) -> Option<String> {
    let mut buf = String::with_capacity(text.len());
    let mut words: Vec<(usize, usize)> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !words.is_empty() {
            buf.push(' ');
        }
        let start = buf.len();
        if w.is_ascii() {
            buf.extend(w.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            buf.push_str(&w.to_lowercase());
        }
        words.push((start, buf.len()));
    }
    if words.is_empty() {
        return None;
    }
    let mut acc = [0i32; 64];
    let n = if words.len() >= 3 { words.len() - 2 } else { 1 };
    for i in 0..n {
        let end = (i + 3).min(words.len());
        let shingle = &buf[words[i].0..words[end - 1].1];
        let h = xxhash_rust::xxh3::xxh3_64(shingle.as_bytes());
        for (b, a) in acc.iter_mut().enumerate() {
            if h >> b & 1 == 1 {
                *a += 1;
            } else {
                *a -= 1;
            }
        }
    }
    let mut out = 0u64;
    for (b, a) in acc.iter().enumerate() {
        if *a > 0 {
            out |= 1 << b;
        }
    }
    Some(format!("{out:016x}"))
}

/// Hamming distance between two simhash hex strings.
pub fn simhash_distance(a: &str, b: &str) -> Option<u32> {
    let a = u64::from_str_radix(a, 16).ok()?;
    let b = u64::from_str_radix(b, 16).ok()?;
    Some((a ^ b).count_ones())
}

/// Converts a byte offset in `s` into a code-point offset.
pub fn cp_offset(s: &str, byte: usize) -> usize {
    s[..byte.min(s.len())].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_code_points() {
        assert_eq!(char_count("héllo"), 5);
        assert_eq!(word_count(" a  b\nc "), 3);
        assert_eq!(cp_offset("héllo", 3), 2);
    }

    #[test]
    fn simhash_is_close_for_near_duplicates() {
        let a =
            simhash("the quick brown fox jumps over the lazy dog again and again today").unwrap();
        let b =
            simhash("the quick brown fox jumps over the lazy dog again and again tonight").unwrap();
        let c = simhash("completely different words about parsing html documents fast").unwrap();
        assert!(simhash_distance(&a, &b).unwrap() < simhash_distance(&a, &c).unwrap());
        assert_eq!(simhash(""), None);
    }

    /// The simhash as first written: one `String` per word and per shingle.
    fn simhash_reference(text: &str) -> Option<String> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        if words.is_empty() {
            return None;
        }
        let mut acc = [0i32; 64];
        let n = if words.len() >= 3 { words.len() - 2 } else { 1 };
        for i in 0..n {
            let shingle = words[i..(i + 3).min(words.len())].join(" ");
            let h = xxhash_rust::xxh3::xxh3_64(shingle.as_bytes());
            for (b, a) in acc.iter_mut().enumerate() {
                *a += if h >> b & 1 == 1 { 1 } else { -1 };
            }
        }
        let out = (0..64)
            .filter(|&b| acc[b] > 0)
            .fold(0u64, |o, b| o | 1 << b);
        Some(format!("{out:016x}"))
    }

    #[test]
    fn simhash_matches_the_reference() {
        for t in [
            "",
            "one",
            "One two",
            "The QUICK brown fox, jumps over; the lazy dog",
            "Ünïcode İstanbul ΣΊΣΥΦΟΣ straße — and 42 numbers 7",
            "  ...  a  ",
        ] {
            assert_eq!(simhash(t), simhash_reference(t), "{t}");
        }
    }

    #[test]
    fn hashes_have_fixed_length() {
        assert_eq!(sha256_hex(b"x").len(), 64);
        assert_eq!(sha256_32(b"x").len(), 32);
    }
}
