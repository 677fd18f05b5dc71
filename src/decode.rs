//! Decode: raw bytes to text, and the page's own record of where it came from.
//!
//! Why it exists: saved pages come in every charset and lose their HTTP headers. The order is
//! BOM → transport charset (WARC HTTP header) → `<meta charset>` / `http-equiv` → detector
//! (chardetng); invalid sequences are replaced, never fatal. Text is NFC-normalised once here, so
//! every table is NFC without per-field work. Saving tools leave their own header (SingleFile's
//! comment, the "saved from url" mark of the web); it is read here, before parsing.

use encoding_rs::Encoding;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::PageError;

/// Decoded text and the charset used.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The document text, NFC.
    pub text: String,
    /// Charset name as written to `articles.encoding` (lowercase WHATWG name).
    pub encoding: String,
}

/// Bytes scanned for a `<meta charset>` declaration.
const META_SCAN_BYTES: usize = 4096;

/// True when the first bytes look like HTML (for extensionless files and untyped payloads).
pub fn sniff_html(head: &[u8]) -> bool {
    let s = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<div",
        "<p>",
        "<script",
        "<!-- saved from",
        "<!--",
    ]
    .iter()
    .any(|m| s.contains(m))
}

/// Rejects inputs that are certainly not HTML: empty, binary, known non-HTML formats.
pub fn check_html(bytes: &[u8]) -> Result<(), PageError> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..])
        .unwrap_or(&[]);
    if trimmed.is_empty() {
        return Err(PageError::NotHtml("empty input".into()));
    }
    let magic: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"RIFF", "a RIFF media file"),
        (b"\x7fELF", "an executable"),
        (b"\x1f\x8b", "gzip data that did not decompress"),
    ];
    for (m, what) in magic {
        if trimmed.starts_with(m) {
            return Err(PageError::NotHtml(format!("input is {what}")));
        }
    }
    let is_utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    let head = &bytes[..bytes.len().min(8192)];
    if !is_utf16 {
        let control = head
            .iter()
            .filter(|&&b| b == 0 || (b < 0x09) || (0x0e..0x20).contains(&b) && b != 0x1b)
            .count();
        if control * 20 > head.len() || head.contains(&0) && control * 100 > head.len() {
            return Err(PageError::NotHtml("input is binary data".into()));
        }
        if !head.contains(&b'<') {
            return Err(PageError::NotHtml("no markup in the first 8 KiB".into()));
        }
    }
    Ok(())
}

/// Finds a charset declared in `<meta charset>` or `<meta http-equiv content="…charset=…">`.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = memchr::memchr(b'>', &lower[start..])
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(ci) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[ci + 7..];
            let rest = rest
                .iter()
                .position(|&b| b != b' ' && b != b'=' && b != b'"' && b != b'\'')
                .map(|k| &rest[k..])
                .unwrap_or(&[]);
            let len = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\'' || b == b';' || b == b' ' || b == b'/')
                .unwrap_or(rest.len());
            if let Some(enc) = Encoding::for_label(&rest[..len]) {
                // A page that says UTF-16 in ASCII-compatible bytes is really UTF-8 (HTML spec).
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    return Some(encoding_rs::UTF_8);
                }
                return Some(enc);
            }
        }
        from = end.max(start + 5);
        if from >= lower.len() {
            break;
        }
    }
    None
}

/// Decodes bytes: BOM → transport charset → meta → detector. `tld` helps the detector.
pub fn decode(bytes: Vec<u8>, transport: Option<&str>, tld: Option<&[u8]>) -> Decoded {
    let declared = match Encoding::for_bom(&bytes) {
        Some((e, n)) => Some((e, n)),
        None => transport
            .and_then(|t| Encoding::for_label(t.trim().as_bytes()))
            .or_else(|| meta_charset(&bytes))
            .map(|e| (e, 0)),
    };
    let (enc, text) = match declared {
        Some((enc, bom_len)) => (enc, decode_as(bytes, enc, bom_len)),
        // undeclared: valid UTF-8 is UTF-8 (validated once, the bytes become the text);
        // anything else goes to the detector
        None => match String::from_utf8(bytes) {
            Ok(s) => (encoding_rs::UTF_8, s),
            Err(e) => {
                let bytes = e.into_bytes();
                let enc = detect_non_utf8(&bytes, tld);
                (enc, decode_as(bytes, enc, 0))
            }
        },
    };
    let text = to_nfc(text);
    Decoded {
        text,
        encoding: enc.name().to_ascii_lowercase(),
    }
}

/// `bytes` (after a BOM of `bom_len` bytes) decoded as `enc`, invalid sequences replaced.
fn decode_as(bytes: Vec<u8>, enc: &'static Encoding, bom_len: usize) -> String {
    if enc == encoding_rs::UTF_8 {
        match String::from_utf8(bytes) {
            Ok(mut s) => {
                if bom_len > 0 {
                    s.drain(..bom_len);
                }
                s
            }
            Err(e) => String::from_utf8_lossy(&e.into_bytes()[bom_len..]).into_owned(),
        }
    } else {
        let (cow, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        cow.into_owned()
    }
}

/// `text` in NFC, normalising only the stretches that need it.
///
/// Characters below U+0300 are starters with canonical combining class 0 that are always
/// allowed in NFC and never combine with what precedes them, so NFC can be computed piece by
/// piece between them, and for the quick check they behave like ASCII (they reset its state).
/// Only the runs of characters at or above U+0300 (UTF-8 lead byte 0xCC or higher) are looked
/// up; a run that the quick check does not pass is normalised together with the character
/// before it (which may compose with it). Pages in Latin scripts are checked at memory speed,
/// and a page with one odd accent is not normalised as a whole.
fn to_nfc(text: String) -> String {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    // bytes of `text` already in `out`
    let mut done = 0;
    let mut i = 0;
    while i < b.len() {
        let Some(k) = find_high(&b[i..]) else {
            break;
        };
        let start = i + k;
        let end = run_end(b, start);
        // both ends are character boundaries (a lead byte, ASCII, or the end)
        let Some(run) = text.get(start..end) else {
            return text.nfc().collect();
        };
        if is_nfc_quick(run.chars()) != IsNormalized::Yes {
            // the character before the run (below U+0300: one or two bytes) may compose
            let from = if start > done && b[start - 1] >= 0x80 {
                start.saturating_sub(2).max(done)
            } else {
                start.saturating_sub(1).max(done)
            };
            let (Some(keep), Some(seg)) = (text.get(done..from), text.get(from..end)) else {
                return text.nfc().collect();
            };
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(keep);
            o.extend(seg.nfc());
            done = end;
        }
        i = end;
    }
    match out {
        None => text,
        Some(mut o) => {
            o.push_str(text.get(done..).unwrap_or(""));
            o
        }
    }
}

/// End of the run of characters at or above U+0300 starting at `start`: the next ASCII byte
/// or lead byte 0xC0..=0xCB (continuation bytes are 0x80..=0xBF), or the end.
fn run_end(b: &[u8], start: usize) -> usize {
    b[start..]
        .iter()
        .position(|&x| x < 0x80 || (0xC0..0xCC).contains(&x))
        .map_or(b.len(), |k| start + k)
}

/// Offset of the first byte at or above 0xCC, scanning 32 bytes at a time.
fn find_high(b: &[u8]) -> Option<usize> {
    let mut chunks = b.chunks_exact(32);
    let mut at = 0;
    for c in &mut chunks {
        // no early exit inside the chunk: the compiler vectorises the fold
        if c.iter().fold(false, |a, &x| a | (x >= 0xCC)) {
            return c.iter().position(|&x| x >= 0xCC).map(|k| at + k);
        }
        at += 32;
    }
    chunks
        .remainder()
        .iter()
        .position(|&x| x >= 0xCC)
        .map(|k| at + k)
}

/// The detector's guess for bytes that are not valid UTF-8.
fn detect_non_utf8(bytes: &[u8], tld: Option<&[u8]>) -> &'static Encoding {
    let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    d.feed(
        &bytes[..bytes.len().min(64 * 1024)],
        bytes.len() <= 64 * 1024,
    );
    d.guess(tld, chardetng::Utf8Detection::Allow)
}

/// What a saving tool recorded in the page itself.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SavedOrigin {
    /// The URL the page was saved from.
    pub url: Option<String>,
    /// When it was saved (ISO 8601), if the tool recorded it.
    pub captured_at: Option<String>,
}

/// Reads SingleFile's header comment and the "saved from url" mark of the web.
pub fn saved_origin(text: &str) -> SavedOrigin {
    let mut head_end = text.len().min(4096);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &text[..head_end];
    let mut out = SavedOrigin::default();
    if let Some(i) = head.find("saved from url=(") {
        let rest = &head[i + 16..];
        if let Some(close) = rest.find(')') {
            let declared: usize = rest[..close].trim().parse().unwrap_or(usize::MAX);
            let url: String = rest[close + 1..]
                .chars()
                .take(declared)
                .take_while(|c| !c.is_whitespace())
                .collect();
            let url = url.trim_end_matches("-->").to_string();
            if url.starts_with("http") {
                out.url = Some(url);
            }
        }
    }
    if let Some(i) = head.find("Page saved with SingleFile") {
        let block = &head[i..];
        let block = &block[..block.find("-->").unwrap_or(block.len())];
        for line in block.lines() {
            let line = line.trim();
            if let Some(u) = line.strip_prefix("url:") {
                out.url = Some(u.trim().to_string());
            } else if let Some(d) = line.strip_prefix("saved date:") {
                out.captured_at = parse_singlefile_date(d.trim());
            }
        }
    }
    out
}

/// SingleFile writes JavaScript's `Date.toString()`: `Mon Jun 03 2024 10:20:30 GMT+0200 (…)`.
fn parse_singlefile_date(s: &str) -> Option<String> {
    let s = s.split(" (").next()?.trim();
    let s = s.replace("GMT", "");
    chrono::DateTime::parse_from_str(s.trim(), "%a %b %d %Y %H:%M:%S %z")
        .ok()
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins() {
        let d = decode(
            b"\xef\xbb\xbf<p>\xc3\xa9".to_vec(),
            Some("iso-8859-1"),
            None,
        );
        assert_eq!(d.text, "<p>é");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn transport_then_meta_then_detector() {
        let d = decode(b"<p>caf\xe9".to_vec(), Some("windows-1252"), None);
        assert_eq!(d.text, "<p>café");
        let d = decode(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>caf\xe9"
                .to_vec(),
            None,
            None,
        );
        assert_eq!(
            (d.text.ends_with("café"), d.encoding.as_str()),
            (true, "windows-1252")
        );
        let d = decode("<meta charset=utf-8><p>é".as_bytes().to_vec(), None, None);
        assert_eq!(d.encoding, "utf-8");
        let d = decode(
            b"<p>Gr\xfc\xdfe aus M\xfcnchen und K\xf6ln".to_vec(),
            None,
            None,
        );
        assert!(d.text.contains("Grüße"));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let d = decode(b"<meta charset=utf-8><p>a\xff\xfeb".to_vec(), None, None);
        assert!(d.text.contains('\u{fffd}'));
    }

    #[test]
    fn nfc_is_applied() {
        let d = decode("<p>e\u{301}".as_bytes().to_vec(), None, None);
        assert_eq!(d.text, "<p>é");
    }

    #[test]
    fn piecewise_nfc_equals_whole_nfc() {
        let cases = [
            "plain ascii",
            "caf\u{e9} na\u{ef}ve \u{2c6}",
            "e\u{301}",
            "\u{e9}\u{301}",
            "a\u{e9}\u{301}b",
            "\u{f1}\u{303}\u{301} x \u{ea}\u{323}",
            "\u{4e2d}\u{6587} text \u{1f600}",
            "\u{1100}\u{1161}\u{11a8} \u{ac00}\u{11a8}",
            "\u{a}\u{300}",
            "x\u{316}\u{301}",
            "x\u{301}\u{316}",
            "\u{2000}\u{340}",
            "\u{300}leading mark",
            "\u{645}\u{653}\u{627}\u{653}",
            "\u{915}\u{93c} \u{9c7}\u{9be}",
            "",
        ];
        for c in cases {
            let long = format!("{}{c}{}{c}", "abcdefgh".repeat(9), "\u{e9}".repeat(20));
            for s in [c.to_string(), long] {
                assert_eq!(to_nfc(s.clone()), s.nfc().collect::<String>(), "{s:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn piecewise_nfc_matches_on_mixed_text(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('a', 'e'),
                    proptest::char::range('\u{c0}', '\u{ff}'),
                    proptest::char::range('\u{2b0}', '\u{36f}'),
                    proptest::char::range('\u{1100}', '\u{1112}'),
                    proptest::char::range('\u{1161}', '\u{1175}'),
                    proptest::char::range('\u{11a8}', '\u{11c2}'),
                    proptest::char::range('\u{ac00}', '\u{ac20}'),
                    proptest::char::range('\u{1e00}', '\u{1e20}'),
                    proptest::char::range('\u{1dc0}', '\u{1dcf}'),
                ],
                0..40,
            )
        ) {
            let s: String = parts.into_iter().collect();
            proptest::prop_assert_eq!(to_nfc(s.clone()), s.nfc().collect::<String>());
        }
    }

    #[test]
    fn find_high_finds_the_first_high_byte() {
        let mut v = vec![b'a'; 100];
        assert_eq!(find_high(&v), None);
        for at in [0, 5, 31, 32, 63, 64, 99] {
            v[at] = 0xE4;
            assert_eq!(find_high(&v), Some(at));
            v[at] = 0xCB;
            assert_eq!(find_high(&v), None);
            v[at] = b'a';
        }
    }

    #[test]
    fn undeclared_utf8_and_legacy_bytes() {
        let d = decode("<p>\u{e9}t\u{e9}".as_bytes().to_vec(), None, None);
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("<p>\u{e9}t\u{e9}", "utf-8")
        );
        let d = decode(b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e".to_vec(), None, None);
        assert_ne!(d.encoding, "utf-8");
        assert!(d.text.contains("caf\u{e9}"));
    }

    #[test]
    fn junk_is_rejected() {
        assert!(check_html(b"").is_err());
        assert!(check_html(b"   \n").is_err());
        assert!(check_html(b"%PDF-1.4 ...").is_err());
        assert!(check_html(&[0u8, 1, 2, 3, 4, 5, 6, 7, 200, 201, 3, 4]).is_err());
        assert!(check_html(b"<html><p>ok").is_ok());
        assert!(check_html(b"just some prose without tags").is_err());
    }

    #[test]
    fn saver_headers() {
        let o = saved_origin(
            "<!DOCTYPE html>\n<!-- saved from url=(0033)https://example.com/a-b/c.html -->\n<html>",
        );
        assert_eq!(o.url.as_deref(), Some("https://example.com/a-b/c.html"));
        let o = saved_origin("<!--\n Page saved with SingleFile \n url: https://ex.com/p \n saved date: Mon Jun 03 2024 10:20:30 GMT+0200 (Central European Summer Time)\n-->");
        assert_eq!(o.url.as_deref(), Some("https://ex.com/p"));
        assert_eq!(o.captured_at.as_deref(), Some("2024-06-03T10:20:30+02:00"));
    }
}
