//! Line-level clean-ups of finished blocks: text rendered twice in one block, marquees, and
//! blocks made of machine tokens.
//!
//! Why it exists: shops and marketplaces print a label twice in one element (a visually hidden
//! copy for screen readers next to the visible one: "See all detailsSee all details"), and
//! script-driven widgets leave tracking ids or hashes as the only text of an element
//! ("Sf2f260c3-bf1f-466a-…"); landing pages scroll a call to action as a marquee that repeats
//! one short phrase across the screen ("Book Now *Book Now *Book Now *…"). None is caught by container or phrase rules; both are found
//! here from the text alone, on any page type.

/// The text once when `text` is one string written twice with nothing between (trimmed), and
/// the half has at least `min_chars` characters; `None` otherwise.
pub fn undoubled(text: &str, min_chars: usize) -> Option<&str> {
    let t = text.trim();
    let n = t.len();
    if n % 2 != 0 || !t.is_char_boundary(n / 2) {
        return None;
    }
    let (a, b) = t.split_at(n / 2);
    (a == b && a.chars().count() >= min_chars && !a.ends_with(char::is_whitespace)).then_some(a)
}

/// True when the block is one short phrase repeated: its words (letters and digits, case
/// ignored; separators such as `*`, `|` or tabs do not count) are a unit of at most
/// `max_unit_words` words, at least one with a letter, written at least `min_repeats` times
/// (the last copy may be cut off, as a marquee's is).
pub fn is_marquee(text: &str, max_unit_words: usize, min_repeats: usize) -> bool {
    if min_repeats < 2 {
        return false;
    }
    let same = |a: &str, b: &str| {
        a.eq_ignore_ascii_case(b)
            || (!a.is_ascii()
                && a.chars()
                    .flat_map(char::to_lowercase)
                    .eq(b.chars().flat_map(char::to_lowercase)))
    };
    let mut split = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    // a unit of `u` words repeats its first word as word `u`: without the first word again
    // among the next `max_unit_words` words there is no marquee (most blocks end here)
    let Some(first) = split.next() else {
        return false;
    };
    if !split.take(max_unit_words).any(|w| same(w, first)) {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < min_repeats || !words.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return false;
    }
    (1..=max_unit_words.min(words.len() / min_repeats)).any(|unit| {
        words
            .iter()
            .enumerate()
            .skip(unit)
            .all(|(i, w)| same(w, words[i % unit]))
    })
}

/// True when a token looks like a machine id: at least `min_chars` characters of letters,
/// digits, `-` and `_` only (so no web address, path or markup), with letters and at least
/// `min_digits` digits.
fn is_machine_token(tok: &str, min_chars: usize, min_digits: usize) -> bool {
    if tok.chars().count() < min_chars
        || !tok
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return false;
    }
    let digits = tok.chars().filter(char::is_ascii_digit).count();
    digits >= min_digits && tok.chars().any(char::is_alphabetic)
}

/// True when `b` holds a run of at least `min_chars` (> 0) bytes without an ASCII blank (the
/// whitespace of `str::split_whitespace` below U+0080). Such a run covers one position p with
/// p % min_chars == min_chars - 1: only those bytes are looked at, and the run around each
/// non-blank one measured.
fn has_long_run(b: &[u8], min_chars: usize) -> bool {
    let blank = |c: u8| c.is_ascii_whitespace() || c == b'\x0b';
    (min_chars.saturating_sub(1)..b.len())
        .step_by(min_chars.max(1))
        .any(|p| {
            b.get(p).is_some_and(|&c| !blank(c)) && {
                let left = b[..p].iter().rev().take_while(|&&c| !blank(c)).count();
                let right = b[p + 1..].iter().take_while(|&&c| !blank(c)).count();
                left + 1 + right >= min_chars
            }
        })
}

/// True when at least `min_share` (0–1) of the block's visible characters are in machine tokens
/// (ids, hashes, UUID runs).
pub fn is_machine_line(text: &str, min_chars: usize, min_digits: usize, min_share: f64) -> bool {
    // a token of `min_chars` characters has at least that many bytes between two ASCII
    // whitespace bytes: without such a run no token is a machine token
    if min_share > 0.0 && min_chars > 0 && !has_long_run(text.as_bytes(), min_chars) {
        return false;
    }
    let mut total = 0usize;
    let mut machine = 0usize;
    for tok in text.split_whitespace() {
        let n = tok.chars().count();
        total += n;
        if is_machine_token(tok, min_chars, min_digits) {
            machine += n;
        }
    }
    total > 0 && machine as f64 >= min_share * total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_labels_are_found() {
        assert_eq!(
            undoubled("See all detailsSee all details", 4),
            Some("See all details")
        );
        assert_eq!(undoubled(" ÉtéÉté ", 3), Some("Été"));
        assert_eq!(undoubled("abab", 3), None);
        assert_eq!(undoubled("hello world", 3), None);
        assert_eq!(undoubled("", 1), None);
        // a refrain with a space between is left to the repeat rules
        assert_eq!(undoubled("la la ", 1), None);
    }

    #[test]
    fn marquees_are_found() {
        let book = "Book Now *".repeat(16);
        assert!(is_marquee(&book, 6, 4));
        assert!(is_marquee(
            "Order Now\tOrder Now\tOrder Now\tOrder Now\tOrder",
            6,
            4
        ));
        assert!(is_marquee(
            "AI website builder | AI Website Builder | AI website builder | AI website builder",
            6,
            4
        ));
        // three copies are not enough; separators alone are not words
        assert!(!is_marquee("Order Now Order Now Order Now", 6, 4));
        assert!(!is_marquee("---------------------------------", 6, 4));
        assert!(!is_marquee("1 1 1 1 1", 6, 4));
        // a sentence with a repeated word is prose
        assert!(!is_marquee(
            "Buy now, buy now, buy now and buy now later today",
            6,
            4
        ));
        assert!(!is_marquee("", 6, 4));
        // the unit may be long but not longer than the limit
        assert!(!is_marquee(
            &"one two three four five six seven ".repeat(5),
            6,
            4
        ));
    }

    #[test]
    fn long_runs_are_found_by_sampling() {
        let scan = |b: &[u8], min: usize| {
            let mut run = 0usize;
            b.iter().any(|&c| {
                run = if c.is_ascii_whitespace() || c == b'\x0b' {
                    0
                } else {
                    run + 1
                };
                run >= min
            })
        };
        let alphabet = [b'a', b' ', b'\t', b'\x0b', b'\n', b'7', 0xc3, 0xa9];
        let mut x = 987_654_321u32;
        for len in 0..90 {
            for _ in 0..40 {
                // mostly non-blank bytes, so that long runs occur
                let t: Vec<u8> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        let r = (x >> 8) as usize;
                        if r % 5 == 0 {
                            alphabet[r / 5 % alphabet.len()]
                        } else {
                            b'x'
                        }
                    })
                    .collect();
                for min in [1, 2, 3, 5, 20] {
                    assert_eq!(has_long_run(&t, min), scan(&t, min), "{t:?} {min}");
                }
            }
        }
    }

    #[test]
    fn machine_lines_are_found() {
        let uuid = "Sf2f260c3-bf1f-466a-b856-6f031758a086p16207f0d-5442-4472-ad51-162a45a841c3";
        assert!(is_machine_line(uuid, 20, 4, 0.8));
        assert!(is_machine_line(&format!("{uuid} {uuid}"), 20, 4, 0.8));
        assert!(!is_machine_line(
            "Item number 276702815108 ships today",
            20,
            4,
            0.8
        ));
        assert!(!is_machine_line(
            "https://cdn11.example.com/s-hsi95a83fz/images/stencil/160x160/a.jpg",
            20,
            4,
            0.8
        ));
        assert!(!is_machine_line("", 20, 4, 0.8));
        assert!(!is_machine_line(
            r#"{"painterId":"Grid2024","asins":["B0CXGXT6W8"]}"#,
            20,
            4,
            0.8
        ));
    }
}
