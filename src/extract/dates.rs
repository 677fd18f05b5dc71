//! Date parsing shared by metadata and comments: ISO 8601, epoch seconds, human dates in several
//! languages, relative dates resolved against `captured_at`.
//!
//! Why it exists: dates come in every shape ("2019-06-20T02:41:00+00:00", "Jun 20th at 2:41 am",
//! "1. November 2023 10:50", "vor 1 Stunde", "1738909416"), and the output must be
//! deterministic: nothing is ever resolved against the clock of the run. A date without a year
//! takes the year of the article (`inferred = true`); a relative date is resolved against the
//! capture time only, and is `None` when that is unknown.
//!
//! The month, weekday and unit words below are language data (English, German, French, Spanish,
//! Italian, Portuguese, Dutch), not tunable thresholds, so they live here beside the parser.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
};

/// A parsed date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedDate {
    /// ISO 8601: with offset when the source gave one, date-only when that is all there is.
    pub iso: String,
    /// True when a part was inferred (missing year, relative date).
    pub inferred: bool,
}

/// Context for resolving incomplete dates.
#[derive(Clone, Debug, Default)]
pub struct DateHints<'a> {
    /// When the page was saved (ISO 8601), for relative dates.
    pub captured_at: Option<&'a str>,
    /// The article's publication date (ISO 8601), for dates without a year.
    pub article_date: Option<&'a str>,
}

/// Earliest and latest plausible years (epoch numbers outside are not dates).
const MIN_YEAR: i32 = 1990;
const MAX_YEAR: i32 = 2100;

/// Parses a date string; None when it is not a date.
pub fn parse_date(raw: &str, hints: &DateHints<'_>) -> Option<ParsedDate> {
    parse_date_ordered(raw, hints, None)
}

/// Like [`parse_date`], with the order of all-numeric dates known from the rest of the page
/// (`Some(true)` = month first, as in `01/13/2020`), see [`numeric_order`].
pub fn parse_date_ordered(
    raw: &str,
    hints: &DateHints<'_>,
    month_first: Option<bool>,
) -> Option<ParsedDate> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Some(p) = parse_epoch(s) {
        return Some(p);
    }
    if let Some(p) = parse_iso(s) {
        return Some(p);
    }
    let lower = s.to_lowercase();
    if let Some(r) = parse_relative(&lower) {
        return resolve_relative(r, hints);
    }
    // the CJK, numeric and month-name forms all need an ASCII digit (a year, a day)
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_cjk(s)
        .or_else(|| parse_numeric(&lower, hints, month_first))
        .or_else(|| parse_textual(&lower, hints))
}

/// Chinese/Japanese `2020年1月5日 10:00` and Korean `2020년 1월 5일 10:00`.
fn parse_cjk(s: &str) -> Option<ParsedDate> {
    if !(s.contains('年') || s.contains('년')) {
        return None;
    }
    let mut nums: Vec<u32> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            nums.push(cur.parse().ok()?);
            cur.clear();
        }
        if nums.len() > 6 {
            return None;
        }
    }
    if !cur.is_empty() {
        nums.push(cur.parse().ok()?);
    }
    if nums.len() < 3 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(nums[0]).ok()?, nums[1], nums[2])?;
    if !year_ok(date.year()) {
        return None;
    }
    let mut clock = None;
    if nums.len() >= 5 && s.contains(':') {
        let mut h = nums[3];
        if (s.contains("午後") || s.contains("下午") || s.contains("오후")) && h < 12 {
            h += 12;
        }
        clock = Some(Clock {
            h,
            m: nums[4],
            s: nums.get(5).copied().unwrap_or(0),
        });
    }
    if clock
        .as_ref()
        .is_some_and(|c| c.h > 23 || c.m > 59 || c.s > 59)
    {
        return done(fmt_date(date), false);
    }
    finish(date, clock, None, false)
}

/// `YYYY-MM-DD` of an ISO 8601 string.
pub fn date_part(iso: &str) -> Option<String> {
    let d = iso.get(..10)?;
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .map(|_| d.to_string())
}

// ---------------------------------------------------------------------------------------------
// formatting

fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn fmt_naive(dt: NaiveDateTime) -> String {
    dt.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn fmt_fixed(dt: DateTime<FixedOffset>) -> String {
    if dt.offset().local_minus_utc() == 0 {
        dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

fn year_ok(y: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&y)
}

fn done(iso: String, inferred: bool) -> Option<ParsedDate> {
    Some(ParsedDate { iso, inferred })
}

// ---------------------------------------------------------------------------------------------
// epoch and ISO

/// Epoch seconds (9–10 digits) or milliseconds (12–13 digits).
fn parse_epoch(s: &str) -> Option<ParsedDate> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    let secs = match s.len() {
        9 | 10 => n,
        12 | 13 => n / 1000,
        _ => return None,
    };
    let dt = DateTime::from_timestamp(secs, 0)?;
    if !year_ok(dt.year()) {
        return None;
    }
    done(dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(), false)
}

/// ISO 8601 and its common variants: `2019-06-20`, `2019-06-20T02:41:00+00:00`,
/// `2019-06-20 02:41:00`, `2019-06-20T02:41Z`, `20190620T024100Z` is not accepted, trailing
/// text after a space (`2025-01-02T03:04:05 1738909416`) is ignored. `2019/06/20` too.
fn parse_iso(s: &str) -> Option<ParsedDate> {
    let b = s.as_bytes();
    if b.len() < 10 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/' || sep == b'.') || b[7] != sep {
        return None;
    }
    let y: i32 = s.get(..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    if !year_ok(y) {
        return None;
    }
    let rest = &s[10..];
    let rest_b = rest.as_bytes();
    if rest_b.is_empty() || !(rest_b[0] == b'T' || rest_b[0] == b't' || rest_b[0] == b' ') {
        return done(fmt_date(date), false);
    }
    let t = &rest[1..];
    let (h, mi, sec, mut tail) = match parse_hms(t) {
        Some(x) => x,
        None => return done(fmt_date(date), false),
    };
    let time = NaiveTime::from_hms_opt(h, mi, sec)?;
    let ndt = date.and_time(time);
    // Fractional seconds.
    if let Some(f) = tail.strip_prefix(['.', ',']) {
        tail = f.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let tail = tail.trim_start();
    match parse_offset(tail) {
        Some(off) => {
            let dt = ndt.and_local_timezone(off).single()?;
            done(fmt_fixed(dt), false)
        }
        None => done(fmt_naive(ndt), false),
    }
}

/// `HH:MM[:SS]` at the start of `t`; returns the rest.
fn parse_hms(t: &str) -> Option<(u32, u32, u32, &str)> {
    let b = t.as_bytes();
    if b.len() < 5 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() || b[2] != b':' {
        return None;
    }
    let h: u32 = t.get(..2)?.parse().ok()?;
    let m: u32 = t.get(3..5)?.parse().ok()?;
    if b.len() >= 8 && b[5] == b':' && b[6].is_ascii_digit() && b[7].is_ascii_digit() {
        let s: u32 = t.get(6..8)?.parse().ok()?;
        return Some((h, m, s.min(59), &t[8..]));
    }
    Some((h, m, 0, &t[5..]))
}

/// `Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `+02` at the start of `t`.
fn parse_offset(t: &str) -> Option<FixedOffset> {
    let up = t.trim_start();
    if up.starts_with('Z') || up.starts_with('z') {
        return FixedOffset::east_opt(0);
    }
    let lower = up.to_ascii_lowercase();
    if lower.starts_with("utc") || lower.starts_with("gmt") {
        let after = &up[3..];
        if after.starts_with(['+', '-']) {
            return parse_offset(after);
        }
        return FixedOffset::east_opt(0);
    }
    let b = up.as_bytes();
    if b.len() < 3 || !(b[0] == b'+' || b[0] == b'-') {
        return None;
    }
    let sign = if b[0] == b'-' { -1 } else { 1 };
    let digits: String = up[1..]
        .chars()
        .filter(|c| *c != ':')
        .take_while(|c| c.is_ascii_digit())
        .take(4)
        .collect();
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

// ---------------------------------------------------------------------------------------------
// relative dates

#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Relative {
    amount: i64,
    unit: Unit,
}

/// Words that mark a phrase as "in the past" (`ago`, `vor`, `il y a`, `hace`, `fa`, `há`,
/// `atrás`, `geleden`).
const PAST_MARKERS: &[&str] = &["ago", "vor", "hace", "fa", "há", "ha", "atrás", "geleden"];

/// Number words meaning one.
const ONE_WORDS: &[&str] = &[
    "a", "an", "one", "ein", "eine", "einer", "einem", "einen", "un", "une", "una", "uno", "um",
    "uma", "een",
];

/// Whole-phrase relative words: (word, days back).
const DAY_WORDS: &[(&str, i64)] = &[
    ("yesterday", 1),
    ("today", 0),
    ("just now", 0),
    ("gestern", 1),
    ("heute", 0),
    ("vorgestern", 2),
    ("hier", 1),
    ("aujourd'hui", 0),
    ("aujourd’hui", 0),
    ("ayer", 1),
    ("hoy", 0),
    ("ieri", 1),
    ("oggi", 0),
    ("ontem", 1),
    ("hoje", 0),
    ("gisteren", 1),
    ("vandaag", 0),
];

/// Unit words by prefix, longest first where prefixes overlap.
fn unit_of(word: &str) -> Option<Unit> {
    const UNITS: &[(&str, Unit)] = &[
        ("sec", Unit::Second),
        ("sek", Unit::Second),
        ("seg", Unit::Second),
        ("min", Unit::Minute),
        ("hour", Unit::Hour),
        ("hr", Unit::Hour),
        ("stunde", Unit::Hour),
        ("std", Unit::Hour),
        ("heure", Unit::Hour),
        ("hora", Unit::Hour),
        ("ora", Unit::Hour),
        ("ore", Unit::Hour),
        ("uur", Unit::Hour),
        ("day", Unit::Day),
        ("tag", Unit::Day),
        ("jour", Unit::Day),
        ("día", Unit::Day),
        ("dia", Unit::Day),
        ("giorn", Unit::Day),
        ("dag", Unit::Day),
        ("week", Unit::Week),
        ("woche", Unit::Week),
        ("semaine", Unit::Week),
        ("semana", Unit::Week),
        ("settiman", Unit::Week),
        ("month", Unit::Month),
        ("monat", Unit::Month),
        ("mois", Unit::Month),
        ("mes", Unit::Month),
        ("mês", Unit::Month),
        ("maand", Unit::Month),
        ("year", Unit::Year),
        ("yr", Unit::Year),
        ("jahr", Unit::Year),
        ("année", Unit::Year),
        ("annee", Unit::Year),
        ("ans", Unit::Year),
        ("an", Unit::Year),
        ("año", Unit::Year),
        ("anno", Unit::Year),
        ("anni", Unit::Year),
        ("ano", Unit::Year),
        ("jaar", Unit::Year),
    ];
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    // `an`/`ans` (French years) only as whole words, so "and" or "another" do not collide.
    UNITS
        .iter()
        .find(|(p, _)| {
            if *p == "an" || *p == "ans" {
                w == *p
            } else {
                w.starts_with(p)
            }
        })
        .map(|(_, u)| *u)
}

fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect()
}

/// Days back of the first [`DAY_WORDS`] entry that `t` is, alone or followed by a space or a
/// comma ("yesterday", "gestern, 10:00").
fn day_word(t: &str) -> Option<i64> {
    DAY_WORDS.iter().find_map(|&(w, days)| {
        t.strip_prefix(w)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',']))
            .then_some(days)
    })
}

/// Recognises "3 weeks ago", "vor 1 Stunde", "il y a 2 jours", "hace 3 días", "2 giorni fa",
/// "há 3 dias", "3 dagen geleden", "yesterday".
fn parse_relative(lower: &str) -> Option<Relative> {
    let t = lower.trim().trim_end_matches('.');
    if let Some(days) = day_word(t) {
        return Some(Relative {
            amount: days,
            unit: Unit::Day,
        });
    }
    let ws = words(t);
    if ws.len() > 8 {
        return None;
    }
    let has_marker =
        ws.iter().any(|w| PAST_MARKERS.contains(w)) || t.contains("il y a") || t.starts_with("y ");
    if !has_marker {
        return None;
    }
    for (i, w) in ws.iter().enumerate() {
        let amount = if let Ok(n) = w.parse::<i64>() {
            n
        } else if ONE_WORDS.contains(w) {
            1
        } else {
            continue;
        };
        let Some(unit) = ws.get(i + 1).and_then(|u| unit_of(u)) else {
            continue;
        };
        if !(0..=10_000).contains(&amount) {
            return None;
        }
        return Some(Relative { amount, unit });
    }
    None
}

fn resolve_relative(r: Relative, hints: &DateHints<'_>) -> Option<ParsedDate> {
    let cap = hints.captured_at.and_then(instant)?;
    let back = |d: Duration| cap.checked_sub_signed(d);
    let iso = match r.unit {
        Unit::Second => fmt_fixed(back(Duration::seconds(r.amount))?),
        Unit::Minute => fmt_fixed(back(Duration::minutes(r.amount))?),
        Unit::Hour => fmt_fixed(back(Duration::hours(r.amount))?),
        Unit::Day => fmt_date(back(Duration::days(r.amount))?.date_naive()),
        Unit::Week => fmt_date(back(Duration::weeks(r.amount))?.date_naive()),
        Unit::Month => fmt_date(
            cap.date_naive()
                .checked_sub_months(Months::new(u32::try_from(r.amount).ok()?))?,
        ),
        Unit::Year => fmt_date(
            cap.date_naive()
                .checked_sub_months(Months::new(u32::try_from(r.amount * 12).ok()?))?,
        ),
    };
    done(iso, true)
}

/// An ISO string as an instant (a date-only or zone-less string is taken as UTC).
fn instant(s: &str) -> Option<DateTime<FixedOffset>> {
    let p = parse_iso(s.trim())?;
    if let Ok(dt) = DateTime::parse_from_rfc3339(&p.iso) {
        return Some(dt);
    }
    let utc = FixedOffset::east_opt(0)?;
    if let Ok(n) = NaiveDateTime::parse_from_str(&p.iso, "%Y-%m-%dT%H:%M:%S") {
        return n.and_local_timezone(utc).single();
    }
    let d = NaiveDate::parse_from_str(&p.iso, "%Y-%m-%d").ok()?;
    d.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single()
}

fn hint_date(s: Option<&str>) -> Option<NaiveDate> {
    s.and_then(instant).map(|d| d.date_naive())
}

// ---------------------------------------------------------------------------------------------
// human absolute dates

/// Month names and abbreviations in the supported languages (lowercase, accents kept).
fn month_of(word: &str) -> Option<u32> {
    const MONTHS: &[(&str, u32)] = &[
        // English
        ("january", 1),
        ("february", 2),
        ("march", 3),
        ("april", 4),
        ("may", 5),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("september", 9),
        ("october", 10),
        ("november", 11),
        ("december", 12),
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
        // German
        ("januar", 1),
        ("jänner", 1),
        ("jän", 1),
        ("februar", 2),
        ("märz", 3),
        ("mär", 3),
        ("maerz", 3),
        ("mai", 5),
        ("juni", 6),
        ("juli", 7),
        ("oktober", 10),
        ("okt", 10),
        ("dezember", 12),
        ("dez", 12),
        // French
        ("janvier", 1),
        ("janv", 1),
        ("février", 2),
        ("fevrier", 2),
        ("févr", 2),
        ("fév", 2),
        ("mars", 3),
        ("avril", 4),
        ("avr", 4),
        ("juin", 6),
        ("juillet", 7),
        ("juil", 7),
        ("août", 8),
        ("aout", 8),
        ("septembre", 9),
        ("octobre", 10),
        ("novembre", 11),
        ("décembre", 12),
        ("decembre", 12),
        ("déc", 12),
        // Spanish
        ("enero", 1),
        ("ene", 1),
        ("febrero", 2),
        ("marzo", 3),
        ("abril", 4),
        ("abr", 4),
        ("mayo", 5),
        ("junio", 6),
        ("julio", 7),
        ("agosto", 8),
        ("septiembre", 9),
        ("setiembre", 9),
        ("octubre", 10),
        ("noviembre", 11),
        ("diciembre", 12),
        ("dic", 12),
        // Italian
        ("gennaio", 1),
        ("gen", 1),
        ("febbraio", 2),
        ("aprile", 4),
        ("maggio", 5),
        ("mag", 5),
        ("giugno", 6),
        ("giu", 6),
        ("luglio", 7),
        ("lug", 7),
        ("settembre", 9),
        ("set", 9),
        ("ottobre", 10),
        ("ott", 10),
        ("dicembre", 12),
        // Portuguese
        ("janeiro", 1),
        ("fevereiro", 2),
        ("fev", 2),
        ("março", 3),
        ("marco", 3),
        ("maio", 5),
        ("junho", 6),
        ("julho", 7),
        ("setembro", 9),
        ("outubro", 10),
        ("out", 10),
        ("novembro", 11),
        ("dezembro", 12),
        // Dutch
        ("januari", 1),
        ("februari", 2),
        ("maart", 3),
        ("mrt", 3),
        ("mei", 5),
        ("augustus", 8),
        ("oktober", 10),
    ];
    let w = word.trim_end_matches('.');
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

/// Words allowed around a date without making the string "not a date".
fn is_filler(w: &str) -> bool {
    const FILLER: &[&str] = &[
        "at",
        "on",
        "um",
        "am",
        "à",
        "a",
        "le",
        "de",
        "del",
        "las",
        "la",
        "alle",
        "às",
        "as",
        "om",
        "uhr",
        "h",
        "posted",
        "published",
        "den",
        "der",
        "el",
        "il",
        "o",
        "em",
        "op",
        "the",
        "of",
        "-",
        "–",
        "|",
        "@",
        "·",
        "•",
        "/",
        "klo",
        "kl",
        "hrs",
    ];
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    let w = w.trim_end_matches(['.', ',']);
    FILLER.contains(&w) || WEEKDAYS.contains(&w)
}

#[derive(Default, Debug)]
struct Clock {
    h: u32,
    m: u32,
    s: u32,
}

/// Finds a clock time (`2:41 am`, `14:41`, `14h41`, `14 h 41`, `10:50:12`) in the tokens and
/// removes its tokens.
fn take_time(toks: &mut Vec<String>) -> Option<Clock> {
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].clone();
        let mut clock: Option<(Clock, usize)> = None;
        let parts: Vec<&str> = t.split([':', 'h']).collect();
        let is_num =
            |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
        if (t.contains(':') || (t.contains('h') && !t.starts_with('h')))
            && parts.len() >= 2
            && parts.len() <= 3
            && is_num(parts[0])
            && is_num(parts[1])
            && (parts.len() == 2 || is_num(parts[2]))
        {
            let c = Clock {
                h: parts[0].parse().unwrap_or(99),
                m: parts[1].parse().unwrap_or(99),
                s: parts.get(2).and_then(|x| x.parse().ok()).unwrap_or(0),
            };
            clock = Some((c, 1));
        } else if is_num(&t)
            && toks.get(i + 1).map(String::as_str) == Some("h")
            && toks.get(i + 2).is_some_and(|x| is_num(x))
        {
            let c = Clock {
                h: t.parse().unwrap_or(99),
                m: toks[i + 2].parse().unwrap_or(99),
                s: 0,
            };
            clock = Some((c, 3));
        }
        if let Some((mut c, used)) = clock {
            let mut n = used;
            let suffix = toks.get(i + used).map(|x| x.replace('.', ""));
            let inline = t.trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == ':');
            let ampm = match suffix.as_deref() {
                Some("am") | Some("pm") => {
                    n += 1;
                    suffix
                }
                _ if inline == "am" || inline == "pm" => Some(inline.to_string()),
                _ => None,
            };
            if let Some(ap) = ampm {
                if c.h == 0 || c.h > 12 {
                    return None;
                }
                if ap == "pm" && c.h < 12 {
                    c.h += 12;
                } else if ap == "am" && c.h == 12 {
                    c.h = 0;
                }
            }
            if c.h > 23 || c.m > 59 || c.s > 59 {
                return None;
            }
            toks.drain(i..i + n);
            return Some(c);
        }
        // "2:41am" written together
        if let Some(stripped) = t.strip_suffix("am").or_else(|| t.strip_suffix("pm")) {
            if stripped.contains(':') {
                let pm = t.ends_with("pm");
                let mut v = vec![
                    stripped.to_string(),
                    if pm { "pm" } else { "am" }.to_string(),
                ];
                if let Some(c) = take_time(&mut v) {
                    toks.remove(i);
                    return Some(c);
                }
            }
        }
        i += 1;
    }
    None
}

fn tokenize(lower: &str) -> Vec<String> {
    const PUNCT: &[char] = &[
        '«', '»', '‹', '›', '"', '“', '”', '„', ':', ';', '|', '[', ']', '{', '}', '·', '•', '(',
        ')',
    ];
    lower
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .map(|w| w.trim_matches(PUNCT))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_string())
        .collect()
}

/// Day number token: `20`, `20th`, `1.`, `1er`, `1º`.
fn day_of(tok: &str) -> Option<u32> {
    let t = tok.trim_end_matches('.');
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let suffix = &t[digits.len()..];
    if !matches!(
        suffix,
        "" | "st" | "nd" | "rd" | "th" | "er" | "º" | "°" | "ª" | "e"
    ) {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(tok: &str) -> Option<i32> {
    let t = tok.trim_end_matches(['.', ',']);
    let t = t.strip_prefix('\'').unwrap_or(t);
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = t.parse().ok()?;
        return year_ok(y).then_some(y);
    }
    None
}

/// Dates written with a month name: "June 20, 2019 at 2:41 am", "1. November 2023 10:50",
/// "20 de junio de 2019", "Jun 20th at 2:41 am" (year inferred).
fn parse_textual(lower: &str, hints: &DateHints<'_>) -> Option<ParsedDate> {
    let mut toks = tokenize(lower);
    if toks.len() > 14 {
        return None;
    }
    let clock = take_time(&mut toks);
    let tz = toks
        .iter()
        .position(|t| {
            matches!(t.as_str(), "utc" | "gmt" | "z") || t.starts_with(['+', '-']) && t.len() >= 3
        })
        .and_then(|i| parse_offset(&toks[i].to_uppercase()).map(|o| (i, o)));
    if let Some((i, _)) = tz {
        toks.remove(i);
    }
    let mut month = None;
    let mut day = None;
    let mut year = None;
    let mut month_pos = 0usize;
    let mut unknown = 0usize;
    let mut day_candidates: Vec<(usize, u32)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if month.is_none() {
            if let Some(m) = month_of(t) {
                month = Some(m);
                month_pos = i;
                continue;
            }
        }
        if year.is_none() {
            if let Some(y) = year_of(t) {
                year = Some(y);
                continue;
            }
        }
        if let Some(d) = day_of(t) {
            day_candidates.push((i, d));
            continue;
        }
        if !is_filler(t) {
            unknown += 1;
        }
    }
    let month = month?;
    if unknown > 2 {
        return None;
    }
    // The day next to the month name wins.
    if let Some(&(_, d)) = day_candidates
        .iter()
        .min_by_key(|(i, _)| i.abs_diff(month_pos))
    {
        day = Some(d);
    }
    let day = day?;
    let (year, inferred) = match year {
        Some(y) => (y, false),
        None => (infer_year(month, day, hints)?, true),
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    finish(date, clock, tz.map(|(_, o)| o), inferred)
}

/// A year for "Jun 20": the article's year (next year when that would precede the article),
/// else the capture year (previous year when that would follow the capture).
fn infer_year(month: u32, day: u32, hints: &DateHints<'_>) -> Option<i32> {
    if let Some(a) = hint_date(hints.article_date) {
        let y = a.year();
        let cand = NaiveDate::from_ymd_opt(y, month, day)?;
        return Some(if cand < a - Duration::days(1) {
            y + 1
        } else {
            y
        });
    }
    let c = hint_date(hints.captured_at)?;
    let y = c.year();
    let cand = NaiveDate::from_ymd_opt(y, month, day)?;
    Some(if cand > c + Duration::days(1) {
        y - 1
    } else {
        y
    })
}

fn finish(
    date: NaiveDate,
    clock: Option<Clock>,
    tz: Option<FixedOffset>,
    inferred: bool,
) -> Option<ParsedDate> {
    let Some(c) = clock else {
        return done(fmt_date(date), inferred);
    };
    let ndt = date.and_time(NaiveTime::from_hms_opt(c.h, c.m, c.s)?);
    match tz {
        Some(off) => done(fmt_fixed(ndt.and_local_timezone(off).single()?), inferred),
        None => done(fmt_naive(ndt), inferred),
    }
}

/// All-numeric day/month/year dates: `02/11/2018`, `2.11.2018 10:50`, `11-02-18`. Day-first
/// unless that is impossible; an ambiguous `/` date takes the reading closest to (not before)
/// the article date when it is known.
fn parse_numeric(
    lower: &str,
    hints: &DateHints<'_>,
    month_first: Option<bool>,
) -> Option<ParsedDate> {
    let mut toks = tokenize(lower);
    if toks.is_empty() || toks.len() > 8 {
        return None;
    }
    let clock = take_time(&mut toks);
    let pos = toks.iter().position(|t| {
        let n = t.split(['/', '.', '-']).filter(|p| !p.is_empty()).count();
        n == 3 && t.bytes().all(|b| b.is_ascii_digit() || b"/.-".contains(&b))
    })?;
    let unknown = toks
        .iter()
        .enumerate()
        .filter(|(i, t)| *i != pos && !is_filler(t))
        .count();
    if unknown > 1 {
        return None;
    }
    let tok = &toks[pos];
    let sep = tok.bytes().find(|b| !b.is_ascii_digit())?;
    let parts: Vec<&str> = tok.trim_end_matches('.').split(sep as char).collect();
    if parts.len() != 3 {
        return None;
    }
    let nums: Vec<i64> = parts
        .iter()
        .map(|p| p.parse::<i64>().ok())
        .collect::<Option<_>>()?;
    let (a, b, c) = (nums[0], nums[1], nums[2]);
    if parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2 {
        // 2019/6/5, 2019.06.05
        let date = NaiveDate::from_ymd_opt(a as i32, b as u32, c as u32)?;
        return if year_ok(date.year()) {
            finish(date, clock, None, false)
        } else {
            None
        };
    }
    let year = if parts[2].len() == 4 {
        c as i32
    } else if parts[2].len() == 2 {
        if c >= 70 {
            1900 + c as i32
        } else {
            2000 + c as i32
        }
    } else {
        return None;
    };
    if !year_ok(year) || parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let dm = NaiveDate::from_ymd_opt(year, b as u32, a as u32);
    let md = NaiveDate::from_ymd_opt(year, a as u32, b as u32);
    let date = match (dm, md) {
        (Some(x), None) | (None, Some(x)) => x,
        (Some(x), Some(y)) if x == y => x,
        (Some(x), Some(y)) if month_first.is_some() => {
            if month_first == Some(true) {
                y
            } else {
                x
            }
        }
        (Some(x), Some(y)) => {
            let article = hint_date(hints.article_date);
            match (sep, article) {
                (b'/', Some(a)) => {
                    let score = |d: NaiveDate| {
                        let diff = (d - a).num_days();
                        if diff < -1 {
                            i64::MAX
                        } else {
                            diff
                        }
                    };
                    if score(y) < score(x) {
                        y
                    } else {
                        x
                    }
                }
                _ => x,
            }
        }
        (None, None) => return None,
    };
    finish(date, clock, None, false)
}

/// True when `s` is a date by itself (absolute or relative), whatever the hints: used to
/// find the date element of a comment.
pub fn looks_like_date(s: &str) -> bool {
    let hints = DateHints {
        captured_at: Some("2000-01-01T00:00:00Z"),
        article_date: Some("2000-01-01"),
    };
    s.chars().count() <= 80 && parse_date(s, &hints).is_some()
}

/// The first two numbers of an all-numeric date (`13/01/2020` → (13, 1)), if any.
fn numeric_pair(raw: &str) -> Option<(u32, u32)> {
    tokenize(&raw.to_lowercase()).into_iter().find_map(|t| {
        let parts: Vec<&str> = t.trim_end_matches('.').split(['/', '.', '-']).collect();
        if parts.len() != 3
            || parts[0].len() > 2
            || parts[1].len() > 2
            || !(parts[2].len() == 2 || parts[2].len() == 4)
        {
            return None;
        }
        Some((parts[0].parse().ok()?, parts[1].parse().ok()?))
    })
}

/// True when the string holds an all-numeric day/month/year date (`02/11/2018`).
pub fn is_numeric_date(raw: &str) -> bool {
    numeric_pair(raw).is_some()
}

/// Decides the order of all-numeric dates for a whole page: a date like `13/01/2020` proves
/// day-first, `01/13/2020` month-first; a machine date of the same item (`known`, ISO) tells
/// which reading is right. Returns `Some(true)` for month-first, None when nothing decides.
pub fn numeric_order<'a>(
    dates: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Option<bool> {
    let (mut md, mut dm) = (0usize, 0usize);
    for (raw, known) in dates {
        let Some((a, b)) = numeric_pair(raw) else {
            continue;
        };
        if a > 12 && b <= 12 {
            dm += 1;
        } else if b > 12 && a <= 12 {
            md += 1;
        } else if let Some(k) = known.and_then(date_part) {
            let (m, d) = (
                k.get(5..7).and_then(|x| x.parse::<u32>().ok()),
                k.get(8..10).and_then(|x| x.parse::<u32>().ok()),
            );
            if a != b && (Some(a), Some(b)) == (m, d) {
                md += 1;
            } else if a != b && (Some(a), Some(b)) == (d, m) {
                dm += 1;
            }
        }
    }
    match md.cmp(&dm) {
        std::cmp::Ordering::Greater => Some(true),
        std::cmp::Ordering::Less => Some(false),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_words_match_alone_or_before_a_space_or_comma() {
        // the definition the prefix test replaces (two strings built per word)
        let reference = |t: &str| {
            DAY_WORDS.iter().find_map(|(w, d)| {
                (t == *w || t.starts_with(&format!("{w} ")) || t.starts_with(&format!("{w},")))
                    .then_some(*d)
            })
        };
        for t in [
            "yesterday",
            "yesterday at 5 pm",
            "yesterday,",
            "yesterdays",
            "today",
            "just now",
            "just nowhere",
            "hier, 10:00",
            "hieronymus",
            "vorgestern",
            "aujourd’hui à 9h",
            "",
            "3 days ago",
        ] {
            assert_eq!(day_word(t), reference(t), "{t:?}");
        }
        assert_eq!(day_word("gestern um 10"), Some(1));
        assert_eq!(day_word("heutemorgen"), None);
    }

    fn p(raw: &str) -> Option<String> {
        parse_date(raw, &DateHints::default()).map(|d| d.iso)
    }

    fn ph(raw: &str, cap: Option<&str>, art: Option<&str>) -> Option<ParsedDate> {
        parse_date(
            raw,
            &DateHints {
                captured_at: cap,
                article_date: art,
            },
        )
    }

    #[test]
    fn iso_variants() {
        assert_eq!(
            p("2019-06-20T02:41:00+00:00").unwrap(),
            "2019-06-20T02:41:00Z"
        );
        assert_eq!(
            p("2019-06-20T02:41:00+02:00").unwrap(),
            "2019-06-20T02:41:00+02:00"
        );
        assert_eq!(
            p("2019-06-20T02:41:00.123+0200").unwrap(),
            "2019-06-20T02:41:00+02:00"
        );
        assert_eq!(p("2019-06-20 02:41:00").unwrap(), "2019-06-20T02:41:00");
        assert_eq!(p("2019-06-20T02:41Z").unwrap(), "2019-06-20T02:41:00Z");
        assert_eq!(p("2019-06-20").unwrap(), "2019-06-20");
        assert_eq!(p("2019/06/20").unwrap(), "2019-06-20");
        assert_eq!(
            p("2025-01-02T03:04:05 1735787045").unwrap(),
            "2025-01-02T03:04:05"
        );
        assert_eq!(p("2019-13-20"), None);
    }

    #[test]
    fn epoch_seconds_and_millis() {
        assert_eq!(p("1541149200").unwrap(), "2018-11-02T09:00:00Z");
        assert_eq!(p("1541149200000").unwrap(), "2018-11-02T09:00:00Z");
        assert_eq!(p("12345"), None);
    }

    #[test]
    fn english_textual() {
        assert_eq!(
            p("June 20, 2019 at 2:41 am").unwrap(),
            "2019-06-20T02:41:00"
        );
        assert_eq!(
            p("November 2, 2018 2:37 pm").unwrap(),
            "2018-11-02T14:37:00"
        );
        assert_eq!(
            p("November 2, 2018 12:15 pm").unwrap(),
            "2018-11-02T12:15:00"
        );
        assert_eq!(p("12 am, Jan 3 2020").unwrap(), "2020-01-03");
        assert_eq!(p("Thursday, 20th June 2019").unwrap(), "2019-06-20");
        assert_eq!(p("20 Jun 2019 14:41 UTC").unwrap(), "2019-06-20T14:41:00Z");
        assert_eq!(p("2:41pm on June 20, 2019").unwrap(), "2019-06-20T14:41:00");
    }

    #[test]
    fn other_languages() {
        assert_eq!(p("1. November 2023 10:50").unwrap(), "2023-11-01T10:50:00");
        assert_eq!(
            p("Donnerstag, 2. März 2023 um 10:50 Uhr").unwrap(),
            "2023-03-02T10:50:00"
        );
        assert_eq!(p("20 juin 2019 à 14 h 41").unwrap(), "2019-06-20T14:41:00");
        assert_eq!(p("1er août 2019").unwrap(), "2019-08-01");
        assert_eq!(
            p("20 de junio de 2019 a las 14:41").unwrap(),
            "2019-06-20T14:41:00"
        );
        assert_eq!(
            p("20 giugno 2019 alle 14:41").unwrap(),
            "2019-06-20T14:41:00"
        );
        assert_eq!(
            p("20 de setembro de 2019 às 14:41").unwrap(),
            "2019-09-20T14:41:00"
        );
        assert_eq!(p("20 mei 2019 om 14:41").unwrap(), "2019-05-20T14:41:00");
        assert_eq!(
            p("14 mars 2026 10 h 03 min").unwrap(),
            "2026-03-14T10:03:00"
        );
        assert_eq!(
            p("30 January, 2025 7:55 pm").unwrap(),
            "2025-01-30T19:55:00"
        );
        assert_eq!(
            p("2. Dezember 2021 um 8:05 Uhr").unwrap(),
            "2021-12-02T08:05:00"
        );
        assert_eq!(
            p("15 de março de 2022 às 09:10").unwrap(),
            "2022-03-15T09:10:00"
        );
    }

    #[test]
    fn missing_year_comes_from_article() {
        let d = ph(
            "Jun 20th at 2:41 am",
            None,
            Some("2019-06-18T10:00:00+00:00"),
        )
        .unwrap();
        assert_eq!(d.iso, "2019-06-20T02:41:00");
        assert!(d.inferred);
        // A January comment under a December article is in the next year.
        let d = ph("Jan 3 at 9:00 pm", None, Some("2019-12-30")).unwrap();
        assert_eq!(d.iso, "2020-01-03T21:00:00");
        assert_eq!(ph("Jun 20th at 2:41 am", None, None), None);
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(p("02/11/2018").unwrap(), "2018-11-02");
        assert_eq!(p("2.11.2018 10:50").unwrap(), "2018-11-02T10:50:00");
        assert_eq!(p("11/25/2018").unwrap(), "2018-11-25");
        let d = ph("11/02/2018", None, Some("2018-11-01")).unwrap();
        assert_eq!(d.iso, "2018-11-02");
        assert_eq!(p("1/2/3"), None);
        assert_eq!(p("2019-6-5").unwrap(), "2019-06-05");
        assert_eq!(p("2020年1月5日 10:30").unwrap(), "2020-01-05T10:30:00");
        assert_eq!(
            p("2020년 1월 5일 오후 3:05").unwrap(),
            "2020-01-05T15:05:00"
        );
        assert_eq!(p("2020年13月5日"), None);
        assert_eq!(p("2019/6/5 14:00").unwrap(), "2019-06-05T14:00:00");
        assert_eq!(p("05.01.98").unwrap(), "1998-01-05");
        assert_eq!(p("05.01.2020 um 10:00 Uhr").unwrap(), "2020-01-05T10:00:00");
        assert_eq!(
            p("Tue, 05 Jan 2020 10:00:00 +0000").unwrap(),
            "2020-01-05T10:00:00Z"
        );
    }

    #[test]
    fn relative_needs_capture_time() {
        let cap = Some("2018-11-25T12:00:00Z");
        assert_eq!(ph("3 weeks ago", cap, None).unwrap().iso, "2018-11-04");
        assert!(ph("3 weeks ago", cap, None).unwrap().inferred);
        assert_eq!(
            ph("vor 1 Stunde", cap, None).unwrap().iso,
            "2018-11-25T11:00:00Z"
        );
        assert_eq!(
            ph("vor einer Stunde", cap, None).unwrap().iso,
            "2018-11-25T11:00:00Z"
        );
        assert_eq!(ph("il y a 2 jours", cap, None).unwrap().iso, "2018-11-23");
        assert_eq!(ph("hace 3 días", cap, None).unwrap().iso, "2018-11-22");
        assert_eq!(ph("2 giorni fa", cap, None).unwrap().iso, "2018-11-23");
        assert_eq!(ph("há 2 meses", cap, None).unwrap().iso, "2018-09-25");
        assert_eq!(ph("3 dagen geleden", cap, None).unwrap().iso, "2018-11-22");
        assert_eq!(
            ph("an hour ago", cap, None).unwrap().iso,
            "2018-11-25T11:00:00Z"
        );
        assert_eq!(ph("yesterday", cap, None).unwrap().iso, "2018-11-24");
        assert_eq!(ph("il y a 1 an", cap, None).unwrap().iso, "2017-11-25");
        assert_eq!(ph("3 weeks ago", None, Some("2018-11-02")), None);
        assert_eq!(ph("yesterday", None, None), None);
    }

    #[test]
    fn prose_is_not_a_date() {
        assert_eq!(p("I went there in May and it was lovely, 3 of us"), None);
        assert_eq!(p("Reply"), None);
        assert_eq!(p("Great article, thanks a lot"), None);
    }

    #[test]
    fn numeric_order_from_the_page() {
        assert_eq!(
            numeric_order([("01-13-2020, 10:00 AM", None), ("01-05-2020", None)]),
            Some(true)
        );
        assert_eq!(numeric_order([("13.01.2020", None)]), Some(false));
        assert_eq!(
            numeric_order([("Sun, 01/05/2020 - 10:00", Some("2020-01-05T10:00:00Z"))]),
            Some(true)
        );
        assert_eq!(numeric_order([("01/05/2020", None)]), None);
        let h = DateHints::default();
        assert_eq!(
            parse_date_ordered("01/05/2020", &h, Some(true))
                .unwrap()
                .iso,
            "2020-01-05"
        );
        assert_eq!(
            parse_date_ordered("01/05/2020", &h, Some(false))
                .unwrap()
                .iso,
            "2020-05-01"
        );
    }

    #[test]
    fn date_part_works() {
        assert_eq!(date_part("2019-06-20T02:41:00Z").unwrap(), "2019-06-20");
        assert_eq!(date_part("junk"), None);
    }
}
