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

/// Whitespace-separated tokens (`s.split_whitespace().count()`).
pub fn word_count(s: &str) -> usize {
    let b = s.as_bytes();
    if !b.is_ascii() {
        return word_count_utf8(s);
    }
    // ASCII: a word starts at a non-space byte at the start or after a space byte (the ASCII
    // White_Space of `char::is_whitespace`: tab, LF, VT, FF, CR, space)
    let ws = crate::dom::ascii_blank;
    let first = b.first().map_or(0, |&c| usize::from(!ws(c)));
    first
        + b.iter()
            .zip(b.iter().skip(1))
            .map(|(&p, &c)| usize::from(ws(p) & !ws(c)))
            .sum::<usize>()
}

/// [`word_count`] of a text with non-ASCII characters, byte by byte: besides the ASCII blanks,
/// `char::is_whitespace` holds only for characters whose UTF-8 lead byte is `C2` (U+0085,
/// U+00A0), `E1` (U+1680), `E2` (U+2000–U+200A, U+2028, U+2029, U+202F, U+205F) or `E3`
/// (U+3000), so only those characters are decoded; other bytes are inside words.
fn word_count_utf8(s: &str) -> usize {
    let b = s.as_bytes();
    let mut words = 0usize;
    let mut prev_blank = true;
    let mut i = 0usize;
    while let Some(&c) = b.get(i) {
        let (blank, len) = if c.is_ascii() {
            (crate::dom::ascii_blank(c), 1)
        } else if matches!(c, 0xc2 | 0xe1 | 0xe2 | 0xe3) {
            match s.get(i..).and_then(|t| t.chars().next()) {
                Some(ch) => (ch.is_whitespace(), ch.len_utf8()),
                None => (false, 1),
            }
        } else {
            (false, 1)
        };
        words += usize::from(prev_blank & !blank);
        prev_blank = blank;
        i += len;
    }
    words
}

/// True when `s` shows nothing: only whitespace and invisible format characters (zero-width
/// space and joiners, word joiner, byte-order mark, soft hyphen). Themes put a lone `&zwj;` or
/// `&#8203;` in empty paragraphs to keep them from collapsing; such a block is not content.
pub fn is_invisible(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
            )
    })
}

/// True when `s` is already in [`crate::dom::collapse_ws`] form: no leading or trailing
/// blank, and every blank ([`crate::dom::is_ws`]) is a single ASCII space between two
/// non-blanks. Such a string is also its own `split_whitespace().join(" ")`.
pub fn is_collapsed(s: &str) -> bool {
    let mut prev_space = true; // a blank at the start is a leading blank
    for c in s.chars() {
        if c == ' ' {
            if prev_space {
                return false;
            }
            prev_space = true;
        } else if crate::dom::is_ws(c) {
            return false;
        } else {
            prev_space = false;
        }
    }
    !prev_space || s.is_empty()
}

/// `hay.to_ascii_lowercase().contains(needle)`, without building the lowercased copy.
pub fn contains_ascii_lower(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    // a lowercased copy holds no ASCII capital
    if n.iter().any(u8::is_ascii_uppercase) || n.len() > h.len() {
        return false;
    }
    // candidates for the first byte found by memchr, the rest compared in place
    let tail_fits = |i: usize| {
        h.get(i + 1..i + n.len()).is_some_and(|t| {
            t.iter()
                .zip(rest)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
    };
    if first.is_ascii_lowercase() {
        memchr::memchr2_iter(first, first.to_ascii_uppercase(), h).any(tail_fits)
    } else {
        memchr::memchr_iter(first, h).any(tail_fits)
    }
}

/// Full sha256 hex (64 chars).
pub fn sha256_hex(data: &[u8]) -> String {
    lower_hex(&Sha256::digest(data))
}

/// First 32 hex chars of sha256 (128 bits).
pub fn sha256_32(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    lower_hex(&d[..16])
}

/// `hex::encode(bytes)`: lowercase hex, two digits a byte, written straight into the string.
pub fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// 64-bit Charikar simhash over word 3-shingles (xxh3), hex; None for empty text.
///
/// Words (alphanumeric runs, lowercased) are laid end to end in one buffer, one space apart,
/// so each shingle (`w1 w2 w3`) is a slice of it, hashed as soon as its third word is in: no
/// string is built per word or shingle (an all-ASCII word is lowercased byte by byte, any
/// other with `str::to_lowercase`, which knows the final sigma). A text of one or two words is
/// one shingle. Bit `b` of the result is set when more than half of the shingle hashes have
/// bit `b` set (Charikar's ±1 vote); the votes are counted eight bits at a time ([`BitVotes`]).
pub fn simhash(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut buf: Vec<u8> = Vec::with_capacity(text.len());
    // buffer offsets of the last three words' starts, by word number modulo 3
    let mut starts = [0usize; 3];
    let mut words = 0usize;
    let mut votes = BitVotes::default();
    let mut i = 0;
    while i < b.len() {
        let word_start = i;
        let mut ascii = true;
        while let Some(&c) = b.get(i) {
            if c.is_ascii() {
                if !c.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                match text.get(i..).and_then(|t| t.chars().next()) {
                    Some(ch) if ch.is_alphanumeric() => {
                        ascii = false;
                        i += ch.len_utf8();
                    }
                    _ => break,
                }
            }
        }
        if i == word_start {
            // a separator character
            i += text
                .get(i..)
                .and_then(|t| t.chars().next())
                .map_or(1, char::len_utf8);
            continue;
        }
        if words > 0 {
            buf.push(b' ');
        }
        starts[words % 3] = buf.len();
        if ascii {
            buf.extend(b[word_start..i].iter().map(u8::to_ascii_lowercase));
        } else {
            buf.extend_from_slice(text[word_start..i].to_lowercase().as_bytes());
        }
        words += 1;
        if words >= 3 {
            let first = starts[(words - 3) % 3];
            votes.add(xxhash_rust::xxh3::xxh3_64(&buf[first..]));
        }
    }
    match words {
        0 => return None,
        1 | 2 => votes.add(xxhash_rust::xxh3::xxh3_64(&buf)),
        _ => {}
    }
    Some(format!("{:016x}", votes.majority()))
}

/// Per-bit counts of set bits over a stream of 64-bit hashes, for [`simhash`].
///
/// Each hash byte is spread to eight one-byte lanes of a `u64` ([`SPREAD`]) and added to that
/// byte's lane accumulator: eight additions per hash instead of 64 bit tests. Lanes hold at most
/// 255, so they are emptied into the `u32` counts every 255 hashes.
struct BitVotes {
    lanes: [u64; 8],
    pending: u32,
    ones: [u32; 64],
    total: u32,
}

impl Default for BitVotes {
    fn default() -> Self {
        BitVotes {
            lanes: [0; 8],
            pending: 0,
            ones: [0; 64],
            total: 0,
        }
    }
}

/// `SPREAD[x]` has byte `j` equal to bit `j` of `x`.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut x = 0;
    while x < 256 {
        let mut j = 0;
        while j < 8 {
            if x >> j & 1 == 1 {
                t[x] |= 1u64 << (8 * j);
            }
            j += 1;
        }
        x += 1;
    }
    t
};

impl BitVotes {
    fn add(&mut self, h: u64) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            *lane += SPREAD[(h >> (8 * k)) as usize & 0xff];
        }
        self.pending += 1;
        self.total += 1;
        if self.pending == 255 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            for j in 0..8 {
                self.ones[8 * k + j] += (*lane >> (8 * j)) as u32 & 0xff;
            }
            *lane = 0;
        }
        self.pending = 0;
    }

    /// Bit `b` set when more hashes had it set than not.
    fn majority(mut self) -> u64 {
        self.flush();
        let mut out = 0u64;
        for (b, &ones) in self.ones.iter().enumerate() {
            if 2 * u64::from(ones) > u64::from(self.total) {
                out |= 1 << b;
            }
        }
        out
    }
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

/// [`cp_offset`] for many offsets of one string: counting resumes from the previous offset
/// when offsets come in ascending order (link spans of a block), so a block with many links
/// is counted once instead of once per link; a smaller offset counts again from the start.
pub struct CpCursor<'a> {
    s: &'a str,
    byte: usize,
    cp: usize,
}

impl<'a> CpCursor<'a> {
    /// A cursor at the start of `s`.
    pub fn new(s: &'a str) -> Self {
        CpCursor { s, byte: 0, cp: 0 }
    }

    /// `cp_offset(s, byte)` (same precondition: `byte` on a character boundary or past the end).
    pub fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.s.len());
        if byte < self.byte {
            self.byte = 0;
            self.cp = 0;
        }
        self.cp += self.s[self.byte..byte].chars().count();
        self.byte = byte;
        self.cp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp_cursor_matches_cp_offset_in_any_order() {
        let s = "añb €x 😀 end";
        let bounds: Vec<usize> = (0..=s.len() + 2)
            .filter(|&b| b >= s.len() || s.is_char_boundary(b))
            .collect();
        let mut c = CpCursor::new(s);
        for &b in bounds
            .iter()
            .chain(bounds.iter().rev())
            .chain(bounds.iter().step_by(2))
        {
            assert_eq!(c.at(b), cp_offset(s, b), "{b}");
        }
    }

    /// The word-by-word collapse `dom::push_collapsed` replaced: the reference it must match.
    fn push_collapsed_by_words(out: &mut String, t: &str) {
        for (i, word) in t.split(crate::dom::is_ws).enumerate() {
            if word.is_empty() {
                if i == 0 && !t.is_empty() && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                continue;
            }
            if i > 0 && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(word);
        }
        if t.ends_with(crate::dom::is_ws) && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }

    #[test]
    fn push_collapsed_writes_what_the_dom_helper_writes() {
        let texts = [
            "",
            " ",
            "a",
            "  lead",
            "trail  ",
            "in  \t\n side",
            "\u{a0}nbsp\u{a0}\u{a0}x",
            "zw\u{200b}sp\u{feff}",
            "\u{3000}ideo graphic\u{2028}",
            "Ünï cödé  wörds ",
            "\u{1c}not blank\u{85}next",
            "\r\n",
            "one two three  four\tfive six ",
            "a b",
            "a \u{a0}b",
            "a é b\u{200b} c",
            "x \u{2003}",
        ];
        for before in ["", "x", "x ", " "] {
            for t in texts {
                let mut want = before.to_string();
                push_collapsed_by_words(&mut want, t);
                let mut got = before.to_string();
                crate::dom::push_collapsed(&mut got, t);
                assert_eq!(got, want, "{before:?} + {t:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn push_collapsed_matches_on_any_text(
            before in "[a \u{a0}]{0,3}",
            t in "[a-zé \t\n\u{a0}\u{200b}\u{2003}.]{0,40}",
        ) {
            let mut want = before.clone();
            push_collapsed_by_words(&mut want, &t);
            let mut got = before.clone();
            crate::dom::push_collapsed(&mut got, &t);
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn collapsed_strings_are_recognised_exactly() {
        for t in [
            "",
            "a",
            "a b",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\u{a0}b",
            "a\u{200b}b",
            "\u{feff}",
            " ",
            "Soft wool, itch-free.",
            "x \u{3000} y",
        ] {
            let collapsed = crate::dom::collapse_ws(t);
            assert_eq!(is_collapsed(t), collapsed == t, "{t:?}");
            if is_collapsed(t) {
                assert_eq!(t.split_whitespace().collect::<Vec<_>>().join(" "), t);
            }
        }
    }

    #[test]
    fn ascii_lower_containment_matches_the_lowercased_copy() {
        let long = format!("{}Product-PRICE {}", "x-".repeat(40), "é".repeat(30));
        let hays = [
            "",
            "Price",
            "product-PRICE__value",
            "PrIcE",
            "pric",
            "ÉPRICE",
            "açai price",
            long.as_str(),
            &long[..80],
            &long[..60],
        ];
        let needles = ["", "price", "Price", "é", "add-to-cart", "e"];
        for h in hays {
            for n in needles {
                assert_eq!(
                    contains_ascii_lower(h, n),
                    h.to_ascii_lowercase().contains(n),
                    "{h:?} {n:?}"
                );
            }
        }
    }

    #[test]
    fn ascii_word_count_matches_split_whitespace() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "a  b\tc\nd\x0be\x0cf\rg",
            "\x1c\x1dx\x1e\x1f y",
            "  many   spaces   here  ",
            "x\u{a0}y z\u{2003}w",
            "\u{85}a\u{3000}b",
        ] {
            assert_eq!(word_count(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    #[test]
    fn every_unicode_blank_separates_words() {
        // every White_Space character outside ASCII, between words, doubled, at both ends
        let blanks: Vec<char> = (0x80u32..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(blanks.len(), 19);
        for c in blanks {
            let s = format!("{c}é{c}{c}x{c}ü ÿ\u{2003}{c}");
            assert_eq!(word_count(&s), s.split_whitespace().count(), "{c:?}");
            assert_eq!(word_count(&s), 4, "{c:?}");
        }
        // lead bytes of blanks that start non-blank characters
        for s in [
            "\u{c0}\u{1681}\u{200b} \u{2030}\u{3001}",
            "á\u{e000}\u{1f600} x",
        ] {
            assert_eq!(word_count(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn word_count_matches_split_whitespace_on_any_text(
            s in "[a é\t\n\u{85}\u{a0}\u{1680}\u{2000}-\u{200d}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}ÿ😀]{0,40}",
        ) {
            proptest::prop_assert_eq!(word_count(&s), s.split_whitespace().count());
        }
    }

    #[test]
    fn counts_use_code_points() {
        assert_eq!(char_count("héllo"), 5);
        assert_eq!(word_count(" a  b\nc "), 3);
        assert_eq!(cp_offset("héllo", 3), 2);
    }

    /// The ±1 vote of the original definition, bit by bit.
    fn simhash_votes_slow(hashes: &[u64]) -> u64 {
        let mut acc = [0i64; 64];
        for h in hashes {
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
        out
    }

    #[test]
    fn bit_votes_equal_the_plus_minus_one_vote() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for len in [1usize, 2, 3, 254, 255, 256, 600, 1000] {
            let hashes: Vec<u64> = (0..len)
                .map(|i| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // skewed bits too, so some columns are near a tie
                    if i % 3 == 0 {
                        x | 0xff00
                    } else {
                        x
                    }
                })
                .collect();
            let mut v = BitVotes::default();
            for &h in &hashes {
                v.add(h);
            }
            assert_eq!(v.majority(), simhash_votes_slow(&hashes), "len {len}");
        }
        let mut v = BitVotes::default();
        v.add(u64::MAX);
        v.add(0);
        assert_eq!(v.majority(), 0, "a tie is not a majority");
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
            "ΟΔΟΣ ΣΟΦΟΣ, ΣΣ Σ. όλοι μαζί ΧΑΟΣ τέλος",
            "x\u{a0}y\u{200b}z 3½ ①② Ǆemal ǅ İi ﬁne naïve café-au-lait",
            "日本語のテキスト、句読点。漢字 123 abc",
            "a",
            "a b",
            "a b c",
            "a b c d",
        ] {
            assert_eq!(simhash(t), simhash_reference(t), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn simhash_matches_the_reference_on_any_text(
            t in "[a-zA-Z0-9 .,\u{a0}éÉΣσςİ½①日\u{200b}-]{0,60}",
        ) {
            proptest::prop_assert_eq!(simhash(&t), simhash_reference(&t));
        }
    }

    #[test]
    fn hashes_have_fixed_length() {
        assert_eq!(sha256_hex(b"x").len(), 64);
        assert_eq!(sha256_32(b"x").len(), 32);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sha256_32(b"abc"), "ba7816bf8f01cfea414140de5dae2223");
    }

    #[test]
    fn lower_hex_matches_hex_encode() {
        let all: Vec<u8> = (0..=255u8).collect();
        assert_eq!(lower_hex(&all), hex::encode(&all));
        assert_eq!(lower_hex(&[]), "");
    }

    #[test]
    fn invisible_text_is_only_blanks_and_format_characters() {
        assert!(is_invisible(""));
        assert!(is_invisible(" \u{200D} "));
        assert!(is_invisible("\u{200B}\u{FEFF}\u{00A0}\u{00AD}"));
        assert!(!is_invisible("\u{200D}a"));
        assert!(!is_invisible("👍"));
        assert!(!is_invisible("x"));
    }
}
