//! Language: the declared value normalised, and detection on the main text (whatlang).
//!
//! Why it exists: `articles.language` is the declared language when it agrees with detection,
//! else the detected one; both raw values and the detector's confidence are kept (FineWeb keeps
//! `language` + `language_score` the same way).

/// Bytes of main text given to the detector (agreement with the full text is ~99.9 % at 2 KB).
pub const DETECT_PREFIX_BYTES: usize = 2048;

/// Detects the language of `text`: (ISO 639-1 code, confidence 0–1).
pub fn detect(text: &str) -> Option<(String, f64)> {
    let mut cut = text.len().min(DETECT_PREFIX_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let info = whatlang::detect(&text[..cut])?;
    let code = iso639_1(info.lang().code())?;
    Some((
        code.to_string(),
        (info.confidence() * 1000.0).round() / 1000.0,
    ))
}

/// Normalises a declared language (`en-US`, `en_US`, `EN`) to ISO 639-1 (`en`).
pub fn normalise_declared(raw: &str) -> Option<String> {
    let primary = raw
        .trim()
        .split(['-', '_', ',', ';', ' '])
        .next()?
        .to_ascii_lowercase();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_alphabetic()) => Some(primary),
        3 => iso639_1(&primary).map(str::to_string),
        _ => None,
    }
}

/// Maps an ISO 639-3 code (whatlang's) to ISO 639-1.
pub fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "epo" => "eo",
        "eng" => "en",
        "rus" => "ru",
        "cmn" | "zho" => "zh",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ben" => "bn",
        "fra" => "fr",
        "deu" => "de",
        "ukr" => "uk",
        "kat" => "ka",
        "ara" => "ar",
        "hin" => "hi",
        "jpn" => "ja",
        "heb" => "he",
        "yid" => "yi",
        "pol" => "pl",
        "amh" => "am",
        "jav" => "jv",
        "kor" => "ko",
        "nob" | "nor" => "nb",
        "dan" => "da",
        "swe" => "sv",
        "fin" => "fi",
        "tur" => "tr",
        "nld" => "nl",
        "hun" => "hu",
        "ces" => "cs",
        "ell" => "el",
        "bul" => "bg",
        "bel" => "be",
        "mar" => "mr",
        "kan" => "kn",
        "ron" => "ro",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "mkd" => "mk",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "tam" => "ta",
        "vie" => "vi",
        "urd" => "ur",
        "tha" => "th",
        "guj" => "gu",
        "uzb" => "uz",
        "pan" => "pa",
        "aze" => "az",
        "ind" => "id",
        "tel" => "te",
        "pes" | "fas" => "fa",
        "mal" => "ml",
        "ori" => "or",
        "mya" => "my",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "afr" => "af",
        "lat" => "la",
        "slk" => "sk",
        "cat" => "ca",
        "tgl" => "tl",
        "hye" => "hy",
        _ => return None,
    })
}

/// Chooses `articles.language`: declared when it agrees with a confident detection (or when
/// nothing was detected), else the detection. Returns (language, mismatch).
pub fn choose(declared: Option<&str>, detected: Option<(&str, f64)>) -> (Option<String>, bool) {
    let decl = declared.and_then(normalise_declared);
    match (decl, detected) {
        (Some(d), Some((det, score))) if d != det && score >= 0.5 => (Some(det.to_string()), true),
        (Some(d), _) => (Some(d), false),
        (None, Some((det, _))) => (Some(det.to_string()), false),
        (None, None) => (None, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_forms_normalise() {
        assert_eq!(normalise_declared("en-US").as_deref(), Some("en"));
        assert_eq!(normalise_declared("de_DE").as_deref(), Some("de"));
        assert_eq!(normalise_declared("deu").as_deref(), Some("de"));
        assert_eq!(normalise_declared("x").as_deref(), None);
    }

    #[test]
    fn detection_and_choice() {
        let (code, score) = detect("Dies ist ein deutscher Satz, der eindeutig in deutscher Sprache geschrieben wurde und lang genug ist.").unwrap();
        assert_eq!(code, "de");
        assert!(score > 0.5);
        assert_eq!(
            choose(Some("en-US"), Some(("de", 0.9))),
            (Some("de".into()), true)
        );
        assert_eq!(
            choose(Some("en-US"), Some(("en", 0.9))),
            (Some("en".into()), false)
        );
        assert_eq!(choose(None, None), (None, false));
    }
}
