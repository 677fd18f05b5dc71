//! Mojibake repair: UTF-8 text that was once read as Windows-1252 (or Latin-1) and written out
//! again, so that `don’t` reads `donâ€™t`, `café` reads `cafÃ©` and `привет` reads
//! `Ð¿Ñ€Ð¸Ð²ÐµÑ‚`.
//!
//! Why it exists: the damage is in the saved bytes themselves (a CMS that double-encoded its
//! database, or entities such as `&acirc;&euro;&trade;`), so the page's declared charset is right
//! and decoding cannot undo it. Training and analysis users want the words back, and the broken
//! sequences also split words for every downstream tokenizer (`debtânearly`).
//!
//! The repair is local, in the manner of ftfy: a character that can start a UTF-8 sequence
//! (U+00C2–U+00F4), followed by the right number of characters that are UTF-8 continuation
//! bytes in Windows-1252 or Latin-1, is re-encoded and decoded as UTF-8. The result is kept only
//! when it lands in a script block that such damage produces (Latin-1 letters and signs, Latin
//! Extended, Greek, Cyrillic, Hebrew, Arabic, general punctuation, currency and letterlike
//! signs, CJK, Hangul, emoji): a real `ß“` (German closing quote after ß) would decode to an
//! NKo letter and is left alone. A lone `Â` left where a no-break space followed it (whitespace
//! is collapsed before this runs) is dropped after a lowercase letter, digit or punctuation.

/// The Windows-1252 byte of `c` when `c` is a UTF-8 continuation byte (0x80–0xBF) in
/// Windows-1252 or Latin-1 (the C1 controls U+0080–U+009F stand for the bytes Windows-1252
/// leaves undefined, as browsers decode them).
fn continuation_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xBF).contains(&u) {
        return Some(u as u8);
    }
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

/// Number of continuation bytes a UTF-8 lead byte takes (`None`: not a lead byte we repair).
fn continuation_count(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(1),
        0xE0..=0xEF => Some(2),
        0xF0..=0xF4 => Some(3),
        _ => None,
    }
}

/// Whether a repaired character is one that double encoding typically produces (see the module
/// doc); anything else is more likely real text that happens to look like a sequence.
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0x24F          // Latin-1 signs and letters, Latin Extended-A/B
        | 0x370..=0x3FF       // Greek
        | 0x400..=0x4FF       // Cyrillic
        | 0x5D0..=0x5EA       // Hebrew letters
        | 0x600..=0x6FF       // Arabic
        | 0x2010..=0x206F     // general punctuation: dashes, quotes, ellipsis, bullet
        | 0x20A0..=0x20CF     // currency signs
        | 0x2100..=0x214F     // letterlike: ™ №
        | 0x2190..=0x21FF     // arrows
        | 0x3000..=0x30FF     // CJK punctuation, kana
        | 0x4E00..=0x9FFF     // CJK ideographs
        | 0xAC00..=0xD7A3     // Hangul syllables
        | 0xFEFF              // byte-order mark (dropped)
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x1F300..=0x1FAFF   // emoji
    )
}

/// Whether `s` may hold a repairable sequence: every lead character (U+00C2–U+00F4) is encoded
/// as 0xC3 0x82–0xB4 in UTF-8, so text without that byte pair is returned untouched quickly.
fn may_contain(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xC3, b).any(|i| matches!(b.get(i + 1), Some(0x82..=0xB4)))
}

/// Repairs `s`. Returns `None` when nothing changed; otherwise the repaired text and, for every
/// code point of `s` (and one past the end), its code-point position in the repaired text, so
/// spans into `s` can be moved.
pub fn repair(s: &str) -> Option<(String, Vec<usize>)> {
    if !may_contain(s) {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(chars.len() + 1);
    let mut out_cp = 0usize;
    let mut changed = false;
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        let lead = c as u32;
        if (0xC2..=0xF4).contains(&lead) {
            if let Some((fixed, used)) = sequence_at(&chars, i) {
                for _ in 0..used {
                    map.push(out_cp);
                }
                if fixed != '\u{feff}' {
                    out.push(fixed);
                    out_cp += 1;
                }
                changed = true;
                i += used;
                continue;
            }
            if c == 'Â' && stray_nbsp_lead(&chars, i) {
                map.push(out_cp);
                changed = true;
                i += 1;
                continue;
            }
        }
        map.push(out_cp);
        out.push(c);
        out_cp += 1;
        i += 1;
    }
    map.push(out_cp);
    changed.then_some((out, map))
}

/// The repaired character of the sequence starting at `chars[i]` and how many characters it
/// replaces.
fn sequence_at(chars: &[char], i: usize) -> Option<(char, usize)> {
    let lead = u8::try_from(chars[i] as u32).ok()?;
    let n = continuation_count(lead)?;
    let mut bytes = [lead, 0, 0, 0];
    for (b, &c) in bytes[1..=n].iter_mut().zip(chars.get(i + 1..=i + n)?) {
        *b = continuation_byte(c)?;
    }
    let fixed = std::str::from_utf8(&bytes[..=n]).ok()?.chars().next()?;
    plausible(fixed).then_some((fixed, n + 1))
}

/// `Â` left over from `Â` + no-break space: followed by whitespace or the end, preceded by a
/// lowercase letter, a digit or punctuation (never by an uppercase letter, as in `ÂNGULO`).
fn stray_nbsp_lead(chars: &[char], i: usize) -> bool {
    let next_ok = chars.get(i + 1).map_or(true, |c| c.is_whitespace());
    let prev_ok = i
        .checked_sub(1)
        .and_then(|p| chars.get(p))
        .is_some_and(|p| p.is_lowercase() || p.is_ascii_digit() || p.is_ascii_punctuation());
    next_ok && prev_ok
}

/// Repairs `text` in place and moves the code-point spans `(start, end)` that point into it.
/// Returns whether anything changed.
pub fn repair_in_place<'a>(
    text: &mut String,
    spans: impl Iterator<Item = (&'a mut usize, &'a mut usize)>,
) -> bool {
    let Some((fixed, map)) = repair(text) else {
        return false;
    };
    let last = map.last().copied().unwrap_or(0);
    for (start, end) in spans {
        *start = map.get(*start).copied().unwrap_or(last);
        *end = map.get(*end).copied().unwrap_or(last);
    }
    *text = fixed;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        repair(s).map(|(t, _)| t).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn repairs_windows_1252_and_latin1_double_encoding() {
        assert_eq!(fixed("donâ€™t stop"), "don’t stop");
        assert_eq!(fixed("debtâ\u{80}\u{94}nearly"), "debt—nearly");
        assert_eq!(fixed("cafÃ© crÃ¨me"), "café crème");
        assert_eq!(fixed("Ð¿Ñ€Ð¸Ð²ÐµÑ‚"), "привет");
        assert_eq!(fixed("â€œquotedâ€\u{9d}"), "“quoted”");
        assert_eq!(fixed("ä¸\u{AD}æ–‡"), "中文");
        assert_eq!(fixed("ï»¿Title"), "Title");
        assert_eq!(fixed("Price: 5Â €"), "Price: 5 €");
    }

    #[test]
    fn leaves_real_text_alone() {
        for s in [
            "café crème brûlée",
            "Straße“ und Fuß”",
            "ÂNGULO RETO",
            "São Paulo à noite",
            "naïve façade, Ångström",
            "plain ascii",
            "Â",
        ] {
            assert!(repair(s).is_none(), "{s}");
        }
    }

    #[test]
    fn spans_follow_the_repair() {
        // "isnâ€™t [link]": the link starts after the three-character sequence
        let mut t = "isnâ€™t link".to_string();
        let (mut a, mut b) = (8usize, 12usize);
        assert!(repair_in_place(&mut t, std::iter::once((&mut a, &mut b))));
        assert_eq!(t, "isn’t link");
        let linked: String = t.chars().skip(a).take(b - a).collect();
        assert_eq!(linked, "link");
    }

    #[test]
    fn truncated_sequence_at_the_end_is_kept() {
        assert!(repair("endsâ€").is_none());
        assert!(repair("endsÃ").is_none());
    }
}
