//! Duplicates over the whole snapshot (SCHEMA §3.2, issue 5 item 5): the same article saved
//! twice, exact and near copies of a text, and paragraphs repeated across a host.
//!
//! Why it exists: these facts depend on every input of the snapshot, not on one page, so they
//! are recomputed on every run from the cached page summaries (no text is read). All functions
//! here are pure and deterministic: inputs in, decisions out, no `HashMap` order leaking.

use std::collections::HashMap;

use super::cache::PageSummary;

/// One cached capture of an article: input position (path order) and its summary.
#[derive(Clone, Copy, Debug)]
pub struct Capture<'a> {
    /// Index of the input in path order.
    pub order: usize,
    /// The page.
    pub page: &'a PageSummary,
}

/// Captures sharing an article id: the latest `captured_at` wins, then the latest mtime, then
/// the first in path order. Returns the winners sorted by article id and the losers as
/// (lost, kept) pairs.
pub fn resolve_ids<'a>(
    mut caps: Vec<Capture<'a>>,
) -> (Vec<Capture<'a>>, Vec<(Capture<'a>, Capture<'a>)>) {
    caps.sort_by(|a, b| {
        a.page
            .article_id
            .cmp(&b.page.article_id)
            .then_with(|| b.page.captured_at.cmp(&a.page.captured_at))
            .then_with(|| b.page.source_mtime.cmp(&a.page.source_mtime))
            .then_with(|| a.order.cmp(&b.order))
    });
    let mut winners: Vec<Capture> = Vec::with_capacity(caps.len());
    let mut lost = Vec::new();
    for c in caps {
        match winners.last() {
            Some(w) if w.page.article_id == c.page.article_id => lost.push((c, *w)),
            _ => winners.push(c),
        }
    }
    (winners, lost)
}

/// 16 bytes of a hex hash (zeros when malformed).
pub fn hash16(hex_str: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    if let Ok(b) = hex::decode(hex_str.get(..32).unwrap_or("")) {
        let n = b.len().min(16);
        out[..n].copy_from_slice(&b[..n]);
    }
    out
}

/// Paragraph hashes per host: how many distinct winning articles of one host hold each
/// paragraph hash (`host_dup_count` = that number minus one).
pub type ParaCounts<'a> = HashMap<(Option<&'a str>, [u8; 16]), u32>;

/// Counts paragraph hashes per host over the winners.
pub fn para_counts<'a>(winners: &[Capture<'a>]) -> ParaCounts<'a> {
    let mut counts: ParaCounts = HashMap::new();
    let mut seen: Vec<[u8; 16]> = Vec::new();
    for w in winners {
        seen.clear();
        seen.extend(w.page.paragraphs.iter().map(|p| hash16(&p.hash)));
        seen.sort_unstable();
        seen.dedup();
        for h in &seen {
            *counts.entry((w.page.host.as_deref(), *h)).or_insert(0) += 1;
        }
    }
    counts
}

/// `host_dup_count` of one paragraph of `w`.
pub fn host_dup_count(counts: &ParaCounts, w: &Capture, hash: &str) -> i64 {
    let n = counts
        .get(&(w.page.host.as_deref(), hash16(hash)))
        .copied()
        .unwrap_or(1);
    i64::from(n.saturating_sub(1))
}

/// (host, band index, 16 bits of the simhash): simhashes within 3 bits share at least one band.
type BandKey<'a> = (Option<&'a str>, usize, u16);

/// `duplicate_of` for each winner (same order): the first winner in id order with the same
/// `text_hash`, or on the same host with a simhash within `max_bits` bits (texts of at least
/// `min_words` words). Empty texts are never duplicates.
pub fn duplicate_of<'a>(
    winners: &[Capture<'a>],
    min_words: usize,
    max_bits: u32,
) -> Vec<Option<&'a str>> {
    let mut out = vec![None; winners.len()];
    let mut by_hash: HashMap<&str, &str> = HashMap::new();
    let mut bands: HashMap<BandKey, Vec<(&str, u64)>> = HashMap::new();
    for (i, w) in winners.iter().enumerate() {
        let p = w.page;
        if p.words == 0 {
            continue;
        }
        if let Some(first) = by_hash.get(p.text_hash.as_str()) {
            out[i] = Some(*first);
            continue;
        }
        by_hash.insert(&p.text_hash, &p.article_id);
        if (p.words as usize) < min_words {
            continue;
        }
        let Some(sh) = p
            .simhash
            .as_deref()
            .and_then(|s| u64::from_str_radix(s, 16).ok())
        else {
            continue;
        };
        let host = p.host.as_deref();
        let mut found: Option<&str> = None;
        for band in 0..4 {
            let key = (host, band, (sh >> (band * 16)) as u16);
            if let Some(cands) = bands.get(&key) {
                if let Some((id, _)) = cands
                    .iter()
                    .find(|(_, o)| (o ^ sh).count_ones() <= max_bits)
                {
                    found = Some(id);
                    break;
                }
            }
        }
        match found {
            Some(id) => out[i] = Some(id),
            None => {
                for band in 0..4 {
                    bands
                        .entry((host, band, (sh >> (band * 16)) as u16))
                        .or_default()
                        .push((&p.article_id, sh));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::cache::ParaMeta;

    fn page(
        id: &str,
        captured: Option<&str>,
        text_hash: &str,
        simhash: &str,
        words: i64,
    ) -> PageSummary {
        PageSummary {
            article_id: id.into(),
            host: Some("h".into()),
            captured_at: captured.map(String::from),
            source_mtime: "2020".into(),
            text_hash: text_hash.into(),
            simhash: Some(simhash.into()),
            words,
            ..PageSummary::default()
        }
    }

    #[test]
    fn latest_capture_of_one_id_wins() {
        let a = page("x", Some("2021"), "t1", "0", 10);
        let b = page("x", Some("2022"), "t2", "0", 10);
        let c = page("a", None, "t3", "0", 10);
        let caps = vec![
            Capture { order: 0, page: &a },
            Capture { order: 1, page: &b },
            Capture { order: 2, page: &c },
        ];
        let (w, lost) = resolve_ids(caps);
        let ids: Vec<(&str, usize)> = w
            .iter()
            .map(|c| (c.page.article_id.as_str(), c.order))
            .collect();
        assert_eq!(ids, vec![("a", 2), ("x", 1)]);
        assert_eq!(lost.len(), 1);
        assert_eq!((lost[0].0.order, lost[0].1.order), (0, 1));
    }

    #[test]
    fn exact_and_near_copies_point_to_the_first() {
        let a = page("a", None, "same", "ffff0000ffff0000", 100);
        let b = page("b", None, "same", "0", 100);
        let c = page("c", None, "other", "ffff0000ffff0003", 100); // 2 bits from a
        let d = page("d", None, "far", "0000ffff0000ffff", 100);
        let e = page("e", None, "short", "ffff0000ffff0000", 3); // too short for simhash
        let f = page("f", None, "empty", "0", 0);
        let g = page("g", None, "empty", "0", 0);
        let pages = [&a, &b, &c, &d, &e, &f, &g];
        let caps: Vec<Capture> = pages
            .iter()
            .enumerate()
            .map(|(order, p)| Capture { order, page: p })
            .collect();
        let dup = duplicate_of(&caps, 20, 3);
        assert_eq!(
            dup,
            vec![None, Some("a"), Some("a"), None, None, None, None]
        );
    }

    #[test]
    fn host_dup_count_counts_other_articles_of_the_host() {
        let para = |h: &str| ParaMeta {
            hash: h.repeat(16),
            ..ParaMeta::default()
        };
        let mut a = page("a", None, "1", "0", 1);
        a.paragraphs = vec![para("aa"), para("bb"), para("bb")];
        let mut b = page("b", None, "2", "0", 1);
        b.paragraphs = vec![para("aa")];
        let mut c = page("c", None, "3", "0", 1);
        c.host = Some("other".into());
        c.paragraphs = vec![para("aa")];
        let caps = vec![
            Capture { order: 0, page: &a },
            Capture { order: 1, page: &b },
            Capture { order: 2, page: &c },
        ];
        let counts = para_counts(&caps);
        assert_eq!(host_dup_count(&counts, &caps[0], &"aa".repeat(16)), 1);
        assert_eq!(host_dup_count(&counts, &caps[0], &"bb".repeat(16)), 0);
        assert_eq!(host_dup_count(&counts, &caps[2], &"aa".repeat(16)), 0);
    }

    #[test]
    fn hash16_is_total() {
        assert_eq!(hash16("zz"), [0u8; 16]);
        assert_eq!(hash16(&"01".repeat(20))[15], 1);
    }
}
