//! Language: the declared value normalised, and detection on the main text (whatlang).
//!
//! Why it exists: `articles.language` is the declared language when it agrees with detection,
//! else the detected one; both raw values and the detector's confidence are kept (FineWeb keeps
//! `language` + `language_score` the same way).
//!
//! Detection gives exactly `whatlang::detect`'s answer (language and confidence), but scores the
//! trigram profiles of the multi-language scripts (Latin, Cyrillic, Arabic, Devanagari, Hebrew)
//! through an inverted index built once: whatlang looks each of a language's 300 profile trigrams
//! up in a per-call hash map, for each of the 36 Latin languages (~11,000 lookups a page), where
//! the index is asked once per distinct text trigram (at most 600). Script detection, the alphabet
//! scores and the single-language scripts stay whatlang's own code (its `dev` API).

mod alphabets;
mod profiles;

use std::sync::OnceLock;

use whatlang::{Lang, Script};

/// Bytes of main text given to the detector (agreement with the full text is ~99.9 % at 2 KB).
pub const DETECT_PREFIX_BYTES: usize = 2048;

/// Detects the language of `text`: (ISO 639-1 code, confidence 0–1).
pub fn detect(text: &str) -> Option<(String, f64)> {
    let mut cut = text.len().min(DETECT_PREFIX_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let (lang, confidence) = detect_lang(&text[..cut])?;
    let code = iso639_1(lang.code())?;
    Some((code.to_string(), (confidence * 1000.0).round() / 1000.0))
}

/// whatlang's `detect` (default options: every language, combined method): (language,
/// confidence), the same values bit for bit.
fn detect_lang(text: &str) -> Option<(Lang, f64)> {
    let script = whatlang::detect_script(text)?;
    let index = match script {
        Script::Latin => latin_index(),
        Script::Cyrillic => cyrillic_index(),
        Script::Arabic => arabic_index(),
        Script::Devanagari => devanagari_index(),
        Script::Hebrew => hebrew_index(),
        // one language per script, or the Mandarin/Japanese split: no trigrams involved
        _ => return whatlang::detect(text).map(|i| (i.lang(), i.confidence())),
    };
    let lower = text.to_lowercase();
    // whatlang::alphabets::raw_detect, counted in the same pass as the trigrams
    let alphabet = match script {
        Script::Latin => Some(latin_alphabets()),
        Script::Cyrillic => Some(cyrillic_alphabets()),
        _ => None,
    };
    let (trigram_count, trigram_scores, alpha) = trigram_scores(&lower, index, alphabet);
    let (alpha_count, alpha_scores) = match alpha {
        Some(a) => a,
        // whatlang has no alphabets for these: every language of the list scores 1
        None => (1, index.langs.iter().map(|&l| (l, 1.0)).collect()),
    };
    // whatlang::combined::raw_detect
    let mut all_langs: Vec<Lang> = alpha_scores.iter().map(|x| x.0).collect();
    for (lang, _) in &trigram_scores {
        if !all_langs.contains(lang) {
            all_langs.push(*lang);
        }
    }
    let alphabet_weight = (-(alpha_count as f64 / 300.0) + 2.0 / 3.0).clamp(1.0 / 3.0, 2.0 / 3.0);
    let trigram_weight = 1.0 - alphabet_weight;
    let mut scores: Vec<(Lang, f64)> = Vec::with_capacity(all_langs.len());
    for lang in all_langs {
        let a = alpha_scores
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(0.0, |x| x.1);
        let t = trigram_scores
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(0.0, |x| x.1);
        scores.push((lang, a * alphabet_weight + t * trigram_weight));
    }
    scores.sort_unstable_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Less));
    // whatlang::combined::detect
    let mut it = scores.into_iter();
    let (lang1, score1) = it.next()?;
    let conf = match it.next() {
        Some((_, score2)) => confidence(score1, score2, trigram_count),
        None => 1.0,
    };
    Some((lang1, conf))
}

/// whatlang's `calculate_confidence`.
fn confidence(highest_score: f64, second_score: f64, count: usize) -> f64 {
    if highest_score == 0.0 {
        return 0.0;
    }
    if second_score == 0.0 {
        return highest_score;
    }
    let confident_rate = (3.0 / count as f64) + 0.015;
    let rate = (highest_score - second_score) / second_score;
    if rate > confident_rate {
        1.0
    } else {
        rate / confident_rate
    }
}

/// whatlang's per-trigram distance cap (`MAX_TRIGRAM_DISTANCE`).
const MAX_TRIGRAM_DISTANCE: u32 = 300;
/// whatlang's distance cap of a language (`MAX_TOTAL_DISTANCE`).
const MAX_TOTAL_DISTANCE: u32 = MAX_TRIGRAM_DISTANCE * MAX_TRIGRAM_DISTANCE;
/// Text trigrams kept, most frequent first (`TEXT_TRIGRAMS_SIZE`).
const TEXT_TRIGRAMS_SIZE: usize = 600;

/// One script's profiles turned around: trigram → (language, rank) pairs.
struct Index {
    /// Languages in whatlang's list order.
    langs: Vec<Lang>,
    /// Distinct profile trigrams ([`pack`]ed), sorted.
    keys: Vec<u64>,
    /// `hits[starts[k]..starts[k + 1]]` are the (language, rank) pairs of `keys[k]`.
    starts: Vec<u32>,
    hits: Vec<(u16, u16)>,
}

impl Index {
    fn build(profiles: profiles::Profiles) -> Index {
        let mut all: Vec<(u64, u16, u16)> = Vec::new();
        for (li, (_, p)) in profiles.iter().enumerate() {
            let cs: Vec<char> = p.chars().collect();
            for (rank, t) in cs.chunks_exact(3).enumerate() {
                all.push((pack(t[0], t[1], t[2]), li as u16, rank as u16));
            }
        }
        all.sort_unstable();
        let mut keys = Vec::new();
        let mut starts = Vec::new();
        let mut hits = Vec::with_capacity(all.len());
        for (i, &(key, li, rank)) in all.iter().enumerate() {
            if i == 0 || all[i - 1].0 != key {
                keys.push(key);
                starts.push(hits.len() as u32);
            }
            hits.push((li, rank));
        }
        starts.push(hits.len() as u32);
        Index {
            langs: profiles.iter().map(|&(l, _)| l).collect(),
            keys,
            starts,
            hits,
        }
    }
}

macro_rules! index_fn {
    ($name:ident, $list:ident) => {
        fn $name() -> &'static Index {
            static INDEX: OnceLock<Index> = OnceLock::new();
            INDEX.get_or_init(|| Index::build(profiles::$list))
        }
    };
}
index_fn!(latin_index, LATIN_LANGS);
index_fn!(cyrillic_index, CYRILLIC_LANGS);
index_fn!(arabic_index, ARABIC_LANGS);
index_fn!(devanagari_index, DEVANAGARI_LANGS);
index_fn!(hebrew_index, HEBREW_LANGS);

/// One script's alphabets as a direct table (whatlang's `alphabets::common`, whose sorted char
/// list is binary-searched per char).
struct Alphabets {
    /// The script's languages, whatlang's `Script::langs()` order.
    script_langs: Vec<Lang>,
    /// `slot[c]` = 1 + the index in `members` of char `c`; 0 (or past the end): in no alphabet.
    slot: Vec<u16>,
    /// Per alphabet char: the indices in `script_langs` of the languages having it, with
    /// whatlang's repeats (one entry per alphabet the char is listed in).
    members: Vec<Vec<u8>>,
}

impl Alphabets {
    fn build(script: Script, alphabets: &[(Lang, &str)]) -> Alphabets {
        let script_langs = script.langs().to_vec();
        let mut slot: Vec<u16> = Vec::new();
        let mut members: Vec<Vec<u8>> = Vec::new();
        for &(lang, alphabet) in alphabets {
            let Some(li) = script_langs.iter().position(|&l| l == lang) else {
                continue;
            };
            for c in alphabet.chars() {
                let at = c as usize;
                if slot.len() <= at {
                    slot.resize(at + 1, 0);
                }
                if slot[at] == 0 {
                    members.push(Vec::new());
                    slot[at] = members.len() as u16;
                }
                members[usize::from(slot[at]) - 1].push(li as u8);
            }
        }
        Alphabets {
            script_langs,
            slot,
            members,
        }
    }

    /// whatlang's `generic_alphabet_calculate_scores` (every language allowed) from the
    /// per-char counts (`counts[i]` = occurrences of `members[i]`'s char) and the number of
    /// non-stop chars: (count, scores best first).
    fn scores(&self, counts: &[usize], max_raw_score: usize) -> (usize, Vec<(Lang, f64)>) {
        let mut lang_scores = vec![0usize; self.script_langs.len()];
        let mut common_score = 0usize;
        for (langs, &n) in self.members.iter().zip(counts) {
            if n == 0 {
                continue;
            }
            let char_score = 2 * n;
            if langs.len() == self.script_langs.len() {
                common_score += char_score;
            } else {
                for &li in langs {
                    lang_scores[usize::from(li)] += char_score;
                }
            }
        }
        let mut raw_scores: Vec<(Lang, usize)> = self
            .script_langs
            .iter()
            .zip(&lang_scores)
            .map(|(&l, &s)| (l, (s + common_score).saturating_sub(max_raw_score)))
            .collect();
        // the same unstable sort on the same input as whatlang's: the same order of ties
        raw_scores.sort_unstable_by_key(|(_, score)| std::cmp::Reverse(*score));
        let scores = raw_scores
            .iter()
            .map(|&(l, raw)| (l, raw as f64 / max_raw_score as f64))
            .collect();
        (max_raw_score, scores)
    }
}

fn latin_alphabets() -> &'static Alphabets {
    static A: OnceLock<Alphabets> = OnceLock::new();
    A.get_or_init(|| Alphabets::build(Script::Latin, alphabets::LATIN_ALPHABETS))
}

fn cyrillic_alphabets() -> &'static Alphabets {
    static A: OnceLock<Alphabets> = OnceLock::new();
    A.get_or_init(|| Alphabets::build(Script::Cyrillic, alphabets::CYRILLIC_ALPHABETS))
}

/// The trigram count table of [`trigram_scores`], reused by the thread's next call.
#[derive(Default)]
struct CountTable {
    /// (trigram, count); trigram 0 = empty.
    slots: Vec<(u64, u32)>,
    /// Indices of the filled slots, in filling order.
    used: Vec<u32>,
}

thread_local! {
    static COUNTS: std::cell::RefCell<CountTable> = std::cell::RefCell::default();
}

/// A trigram as one integer whose order is the order of the (char, char, char) tuple.
fn pack(a: char, b: char, c: char) -> u64 {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

/// Punctuation, digits and whitespace: read as a space by the trigrams, skipped by the
/// alphabets (whatlang's `is_stop_char`).
fn is_stop_char(ch: char) -> bool {
    matches!(ch, '\u{0000}'..='\u{0040}' | '\u{005B}'..='\u{0060}' | '\u{007B}'..='\u{007E}')
}

/// The alphabet outcome of [`Alphabets::scores`].
type AlphabetOutcome = (usize, Vec<(Lang, f64)>);

/// whatlang's `trigrams::raw_detect` on lowercased text: (distinct trigrams kept, scores of the
/// languages best first), and the alphabet scores of `alphabet` counted in the same pass.
fn trigram_scores(
    lower: &str,
    index: &Index,
    alphabet: Option<&Alphabets>,
) -> (usize, Vec<(Lang, f64)>, Option<AlphabetOutcome>) {
    let mut char_counts = vec![0usize; alphabet.map_or(0, |a| a.members.len())];
    let mut non_stop = 0usize;
    let slot: &[u16] = alphabet.map_or(&[], |a| &a.slot);
    // count the trigrams (whatlang::trigrams::utils::count) in an open-addressing table at
    // most half full (a text of n bytes has at most n + 1 trigrams; 0 is never a trigram),
    // kept per thread and emptied slot by slot after use
    let cap = (2 * (lower.len() + 2)).next_power_of_two();
    let counted: Vec<u64> = COUNTS.with(|cell| {
        let mut table = cell.borrow_mut();
        let CountTable { slots, used } = &mut *table;
        if slots.len() < cap {
            *slots = vec![(0, 0); cap];
        }
        let cap = slots.len();
        let shift = 64 - cap.trailing_zeros();
        let mut add = |t: u64| {
            let mut i = (t.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize;
            loop {
                let slot = &mut slots[i];
                if slot.0 == t {
                    slot.1 += 1;
                    return;
                }
                if slot.0 == 0 {
                    *slot = (t, 1);
                    used.push(i as u32);
                    return;
                }
                i = (i + 1) & (cap - 1);
            }
        };
        let mut chars = lower
            .chars()
            .map(|ch| {
                if is_stop_char(ch) {
                    return ' ';
                }
                non_stop += 1;
                if let Some(&k) = slot.get(ch as usize) {
                    if k != 0 {
                        char_counts[usize::from(k) - 1] += 1;
                    }
                }
                ch
            })
            .chain(Some(' '));
        let mut c1 = ' ';
        let mut c2 = chars.next().unwrap_or(' ');
        for c3 in chars {
            if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
                add(pack(c1, c2, c3));
            }
            c1 = c2;
            c2 = c3;
        }
        // most frequent first, ties by the greater trigram: a total order, so positions are
        // whatlang's exactly. Most trigrams occur once: those are only ordered among
        // themselves (by trigram), and only as many as fit after the repeated ones.
        let mut repeated: Vec<(u32, u64)> = Vec::new();
        let mut once: Vec<u64> = Vec::new();
        for &i in used.iter() {
            let (t, n) = std::mem::take(&mut slots[i as usize]);
            if n == 1 {
                once.push(t);
            } else {
                repeated.push((n, t));
            }
        }
        used.clear();
        repeated.sort_unstable_by(|a, b| b.cmp(a));
        repeated.truncate(TEXT_TRIGRAMS_SIZE);
        let room = TEXT_TRIGRAMS_SIZE - repeated.len();
        if room == 0 {
            once.clear();
        } else if once.len() > room {
            // keep the `room` greatest
            let drop = once.len() - room;
            once.select_nth_unstable(drop);
            once.drain(..drop);
        }
        once.sort_unstable();
        let mut counted: Vec<u64> = Vec::with_capacity(repeated.len() + once.len());
        counted.extend(repeated.iter().map(|&(_, t)| t));
        counted.extend(once.iter().rev());
        counted
    });
    let count = counted.len();

    // whatlang::trigrams::detection::calculate_distance, turned around: every language starts
    // at 300 × 300 (no trigram found) and each found trigram replaces 300 by its distance
    let mut found = vec![0i64; index.langs.len()];
    for (pos, &t) in counted.iter().enumerate() {
        let Ok(k) = index.keys.binary_search(&t) else {
            continue;
        };
        let (from, to) = (index.starts[k] as usize, index.starts[k + 1] as usize);
        for &(li, rank) in &index.hits[from..to] {
            let dist = (pos as i64 - i64::from(rank)).abs();
            found[usize::from(li)] += dist - i64::from(MAX_TRIGRAM_DISTANCE);
        }
    }
    let mut distances: Vec<(Lang, u32)> = Vec::with_capacity(index.langs.len());
    for (li, &lang) in index.langs.iter().enumerate() {
        let mut total = (i64::from(MAX_TOTAL_DISTANCE) + found[li]) as u32;
        let n = count as u32;
        if MAX_TRIGRAM_DISTANCE > n {
            // u32 arithmetic as whatlang's (never below zero: a language misses at least
            // 300 - n of its trigrams)
            total = total.wrapping_sub((MAX_TRIGRAM_DISTANCE - n) * MAX_TRIGRAM_DISTANCE);
        }
        distances.push((lang, total.clamp(0, MAX_TOTAL_DISTANCE)));
    }
    distances.sort_unstable_by_key(|(_, dist)| *dist);
    let max_dist = count as u32 * MAX_TRIGRAM_DISTANCE;
    let scores = distances
        .iter()
        .map(|&(lang, d)| (lang, max_dist.wrapping_sub(d) as f64 / max_dist as f64))
        .collect();
    let alpha = alphabet.map(|a| a.scores(&char_counts, non_stop));
    (count, scores, alpha)
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

    /// whatlang's own answer, for comparison.
    fn reference(text: &str) -> Option<(Lang, u64)> {
        whatlang::detect(text).map(|i| (i.lang(), i.confidence().to_bits()))
    }

    fn ours(text: &str) -> Option<(Lang, u64)> {
        detect_lang(text).map(|(l, c)| (l, c.to_bits()))
    }

    /// Every char-boundary prefix at a stride, and the whole text.
    fn assert_same_on_prefixes(text: &str, stride: usize) {
        let cuts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(stride)
            .chain(Some(text.len()))
            .collect();
        for cut in cuts {
            let t = &text[..cut];
            assert_eq!(ours(t), reference(t), "text {t:?}");
        }
    }

    const SAMPLES: &[&str] = &[
        "The quick brown fox jumps over the lazy dog while the committee discusses the budget.",
        "Dies ist ein deutscher Satz, der eindeutig in deutscher Sprache geschrieben wurde.",
        "Le gouvernement a annoncé mercredi une série de mesures pour soutenir l'économie.",
        "El gobierno anunció el miércoles una serie de medidas para apoyar la economía española.",
        "O governo anunciou na quarta-feira uma série de medidas para apoiar a economia.",
        "Il governo ha annunciato mercoledì una serie di misure per sostenere l'economia.",
        "De regering heeft woensdag een reeks maatregelen aangekondigd om de economie te steunen.",
        "Rząd ogłosił w środę szereg środków mających wspierać gospodarkę w trudnym czasie.",
        "Vláda ve středu oznámila řadu opatření na podporu ekonomiky a zaměstnanosti.",
        "Hükümet çarşamba günü ekonomiyi desteklemek için bir dizi önlem açıkladı.",
        "Chính phủ đã công bố một loạt biện pháp hỗ trợ nền kinh tế vào thứ Tư.",
        "Hallitus ilmoitti keskiviikkona joukosta toimia talouden tukemiseksi.",
        "A kormány szerdán intézkedéssorozatot jelentett be a gazdaság támogatására.",
        "Regeringen meddelade på onsdagen en rad åtgärder för att stödja ekonomin.",
        "Regjeringen kunngjorde onsdag en rekke tiltak for å støtte økonomien i landet.",
        "Правительство в среду объявило о ряде мер по поддержке экономики страны.",
        "Уряд у середу оголосив низку заходів для підтримки економіки країни.",
        "Правителството обяви в сряда серия мерки в подкрепа на икономиката.",
        "Влада је у среду најавила низ мера за подршку привреди и запошљавању.",
        "أعلنت الحكومة يوم الأربعاء عن سلسلة من الإجراءات لدعم الاقتصاد الوطني.",
        "دولت روز چهارشنبه مجموعه‌ای از اقدامات را برای حمایت از اقتصاد اعلام کرد.",
        "حکومت نے بدھ کے روز معیشت کی مدد کے لیے اقدامات کا اعلان کیا۔",
        "सरकार ने बुधवार को अर्थव्यवस्था का समर्थन करने के लिए कई उपायों की घोषणा की।",
        "सरकारने बुधवारी अर्थव्यवस्थेला पाठिंबा देण्यासाठी अनेक उपाययोजना जाहीर केल्या.",
        "הממשלה הודיעה ביום רביעי על שורה של צעדים לתמיכה בכלכלה.",
        "די רעגירונג האָט מיטוואָך אַנאַנסירט אַ ריי מיטלען צו שטיצן די עקאָנאָמיע.",
        "政府周三宣布了一系列支持经济的措施，包括减税和增加公共投资。",
        "政府は水曜日、経済を支援するための一連の措置を発表しました。",
        "정부는 수요일 경제를 지원하기 위한 일련의 조치를 발표했다.",
        "Η κυβέρνηση ανακοίνωσε την Τετάρτη μια σειρά μέτρων για τη στήριξη της οικονομίας.",
        "მთავრობამ ოთხშაბათს ეკონომიკის მხარდასაჭერად ზომების სერია გამოაცხადა.",
        "รัฐบาลประกาศมาตรการชุดหนึ่งเพื่อสนับสนุนเศรษฐกิจเมื่อวันพุธ",
        "Mi ne scias, ĉu la registaro anoncis la novajn rimedojn por subteni la ekonomion.",
        "Russian word любовь means love, and Привет! Текст на русском with some English.",
        "1234567890 -- ,;! 42 ... ###",
        "",
        "a",
        "I am begging pardon",
    ];

    #[test]
    fn same_as_whatlang() {
        for text in SAMPLES {
            assert_same_on_prefixes(text, 1);
        }
        // the profiles themselves as text: hits hundreds of profile trigrams at many ranks, so a
        // copied profile that differs from whatlang's in one trigram or its order shows here
        let lists = [
            profiles::LATIN_LANGS,
            profiles::CYRILLIC_LANGS,
            profiles::ARABIC_LANGS,
            profiles::DEVANAGARI_LANGS,
            profiles::HEBREW_LANGS,
        ];
        for list in lists {
            for &(_, p) in list {
                assert_same_on_prefixes(p, 37);
                let reversed: String = p.chars().rev().collect();
                assert_same_on_prefixes(&reversed, 101);
            }
        }
        let long: String = SAMPLES.concat();
        assert_same_on_prefixes(&long, 53);
        // more than 600 trigrams occurring twice or more (none occurring once kept), and
        // mixes of repeated and single ones around the cut at 600
        assert_same_on_prefixes(&long.repeat(2), 211);
        let latin: String = profiles::LATIN_LANGS.iter().map(|&(_, p)| p).collect();
        assert_same_on_prefixes(&format!("{latin} {latin}"), 997);
        let half: String = latin.chars().take(latin.chars().count() / 2).collect();
        let mixed = format!("{half} {latin}");
        assert_same_on_prefixes(&mixed, 499);
    }

    /// Our alphabet scores against whatlang's own (`dev` API), count and every (language,
    /// score) in order, bit for bit.
    fn assert_alphabets_same(text: &str) {
        use whatlang::dev::{FilterList, LowercaseText};
        let lower = text.to_lowercase();
        let all = FilterList::all();
        let wl = LowercaseText::new(text);
        let latin = whatlang::dev::alphabet_latin_calculate_scores(&wl, &all);
        let cyrillic = whatlang::dev::alphabet_cyrillic_calculate_scores(&wl, &all);
        let cases = [
            (latin_index(), latin_alphabets(), latin.count, &latin.scores),
            (
                cyrillic_index(),
                cyrillic_alphabets(),
                cyrillic.count,
                &cyrillic.scores,
            ),
        ];
        for (index, alphabet, count, scores) in cases {
            let (_, _, alpha) = trigram_scores(&lower, index, Some(alphabet));
            let (our_count, our_scores) = alpha.unwrap();
            assert_eq!(our_count, count, "text {text:?}");
            let bits = |v: &[(Lang, f64)]| -> Vec<(Lang, u64)> {
                v.iter().map(|&(l, x)| (l, x.to_bits())).collect()
            };
            assert_eq!(bits(&our_scores), bits(scores), "text {text:?}");
        }
    }

    /// Every alphabet char, alone, upper and lower case, and mixed into texts.
    fn alphabet_texts() -> Vec<String> {
        let mut texts: Vec<String> = Vec::new();
        let mut every = String::new();
        for list in [alphabets::LATIN_ALPHABETS, alphabets::CYRILLIC_ALPHABETS] {
            for &(_, a) in list {
                texts.push(a.to_string());
                texts.push(a.to_uppercase());
                texts.push(format!("{a} {a} the {a}"));
                every.push_str(a);
                for c in a.chars() {
                    texts.push(c.to_string());
                    texts.push(format!("{c}{c} abc"));
                }
            }
        }
        texts.push(every.clone());
        texts.push(every.chars().rev().collect());
        // every char below U+2100 (past the last alphabet char, U+1EF9)
        texts.push((0u32..0x2100).filter_map(char::from_u32).collect());
        texts
    }

    #[test]
    fn alphabets_same_as_whatlang() {
        for text in SAMPLES {
            assert_same_on_prefixes_alpha(text);
        }
        for text in alphabet_texts() {
            assert_alphabets_same(&text);
        }
        for list in [profiles::LATIN_LANGS, profiles::CYRILLIC_LANGS] {
            for &(_, p) in list {
                assert_alphabets_same(p);
            }
        }
    }

    fn assert_same_on_prefixes_alpha(text: &str) {
        for (i, _) in text.char_indices().chain(Some((text.len(), ' '))) {
            assert_alphabets_same(&text[..i]);
        }
    }

    /// The whole detection on the alphabet texts (chars that score few languages).
    #[test]
    fn same_as_whatlang_on_alphabets() {
        for text in alphabet_texts() {
            assert_eq!(ours(&text), reference(&text), "text {text:?}");
        }
        for list in [alphabets::LATIN_ALPHABETS, alphabets::CYRILLIC_ALPHABETS] {
            for &(_, a) in list {
                for sample in SAMPLES {
                    let mixed = format!("{sample} {a}");
                    assert_same_on_prefixes(&mixed, 7);
                }
            }
        }
    }

    /// Over a prediction dump (jsonl with a `text` field, e.g. an `eval --dump`): set
    /// `PAGEMILL_LANG_TEXTS` and run with `--ignored`.
    #[test]
    #[ignore]
    fn same_as_whatlang_on_dump() {
        let Ok(path) = std::env::var("PAGEMILL_LANG_TEXTS") else {
            return;
        };
        let data = std::fs::read_to_string(path).unwrap();
        let mut n = 0;
        for line in data.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap_or("");
            for limit in [DETECT_PREFIX_BYTES, 300, 5000] {
                let mut cut = text.len().min(limit);
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                let t = &text[..cut];
                assert_eq!(ours(t), reference(t), "text {t:?}");
                n += 1;
            }
        }
        assert!(n > 0);
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
