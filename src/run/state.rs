//! Incremental state: `_state/inputs.jsonl`, one row per input (SCHEMA §4.7, §7.1).
//!
//! Why it exists: a scheduled rerun must only extract what changed. This module decides per
//! input whether its cached rows can be reused (same extractor fingerprint and cache format,
//! same size and mtime, or else the same sha256), and writes the state back after publication,
//! carrying `first_seen_run_id` forward. The decision itself is a pure function.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::discover::InputFile;

/// Version of the per-input cache file layout ([`super::cache`]); a cache written in another
/// layout is never read, the input is extracted again.
pub const CACHE_VERSION: u32 = 2;

/// `_state/inputs.jsonl` row.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct InputState {
    pub source_path: String,
    pub size: u64,
    pub mtime_ns: i128,
    pub source_sha256: String,
    pub article_ids: Vec<String>,
    pub status: String,
    pub extractor_fingerprint: String,
    pub last_run_id: String,
    pub cache_path: String,
    /// article_id -> run that first emitted it.
    pub first_seen: BTreeMap<String, String>,
    /// error code -> run that first reported it for this input.
    pub error_first_seen: BTreeMap<String, String>,
    /// Layout of the cache file ([`CACHE_VERSION`]); 0 for states written before it existed.
    #[serde(default)]
    pub cache_version: u32,
}

/// Reads `_state/inputs.jsonl` (a missing or damaged line only costs a re-extraction).
pub fn load(out: &Path) -> HashMap<String, InputState> {
    let mut m = HashMap::new();
    if let Ok(f) = File::open(out.join("_state/inputs.jsonl")) {
        for line in BufReader::new(f).lines().map_while(Result::ok) {
            if let Ok(s) = serde_json::from_str::<InputState>(&line) {
                m.insert(s.source_path.clone(), s);
            }
        }
    }
    m
}

/// Cache file of one input, relative to `_state/cache`: keyed by path and content.
pub fn cache_rel(rel: &str, sha: &str) -> String {
    let k = crate::extract::text::sha256_32(rel.as_bytes());
    format!(
        "{}/{}-{}.rows",
        k.get(..2).unwrap_or("00"),
        &k,
        sha.get(..16).unwrap_or("")
    )
}

/// sha256 hex of a whole file.
pub fn file_sha256(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut f = File::open(path).ok()?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).ok()?;
    Some(hex::encode(h.finalize()))
}

/// What to do with one input.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Reuse the cached rows; the state row (size and mtime refreshed).
    Reuse(Box<InputState>),
    /// Never seen: extract.
    New,
    /// Seen, but changed, failed last time, or extracted by other rules: extract.
    Changed,
}

/// SCHEMA §7.1 for one input. `cache_ok` says whether the cache file is present and readable;
/// `sha` hashes the file (only called when size or mtime differ).
pub fn decide(
    prev: Option<&InputState>,
    f: &InputFile,
    full: bool,
    fingerprint: &str,
    cache_ok: impl FnOnce(&InputState) -> bool,
    sha: impl FnOnce() -> Option<String>,
) -> Decision {
    let Some(p) = prev else {
        return Decision::New;
    };
    let usable = !full
        && p.status == "ok"
        && p.extractor_fingerprint == fingerprint
        && p.cache_version == CACHE_VERSION;
    if !usable {
        return Decision::Changed;
    }
    let same_stat = p.size == f.size && p.mtime_ns == f.mtime_ns;
    if !same_stat && sha().as_deref() != Some(p.source_sha256.as_str()) {
        return Decision::Changed;
    }
    if !cache_ok(p) {
        return Decision::Changed;
    }
    let mut s = p.clone();
    s.size = f.size;
    s.mtime_ns = f.mtime_ns;
    Decision::Reuse(Box::new(s))
}

/// The new `_state/inputs.jsonl` text after publishing run `run_id`, and the cache files it
/// refers to (everything else in the cache can go).
pub fn finalize(states: &[Option<InputState>], run_id: &str) -> (String, HashSet<String>) {
    let mut text = String::new();
    let mut keep = HashSet::new();
    for st in states.iter().flatten() {
        let mut st = st.clone();
        if st.last_run_id.is_empty() {
            st.last_run_id = run_id.to_string();
        }
        for id in &st.article_ids {
            st.first_seen
                .entry(id.clone())
                .or_insert_with(|| run_id.to_string());
        }
        st.first_seen.retain(|k, _| st.article_ids.contains(k));
        keep.insert(st.cache_path.clone());
        if let Ok(line) = serde_json::to_string(&st) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    (text, keep)
}

/// Removes cache files no state row refers to.
pub fn prune_cache(root: &Path, keep: &HashSet<String>) {
    let Ok(dirs) = fs::read_dir(root) else { return };
    for d in dirs.flatten() {
        let Ok(files) = fs::read_dir(d.path()) else {
            continue;
        };
        for f in files.flatten() {
            let rel = format!(
                "{}/{}",
                d.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            );
            if !keep.contains(&rel) {
                let _ = fs::remove_file(f.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(size: u64, mtime_ns: i128) -> InputFile {
        InputFile {
            path: "/x/a.html".into(),
            rel: "a.html".into(),
            size,
            mtime_ns,
            warc: false,
        }
    }

    fn state() -> InputState {
        InputState {
            source_path: "a.html".into(),
            size: 10,
            mtime_ns: 5,
            source_sha256: "abc".into(),
            status: "ok".into(),
            extractor_fingerprint: "fp".into(),
            cache_version: CACHE_VERSION,
            ..InputState::default()
        }
    }

    fn no_sha() -> Option<String> {
        panic!("sha256 must not be computed when size and mtime match")
    }

    #[test]
    fn unchanged_stat_reuses_without_hashing() {
        let s = state();
        let d = decide(Some(&s), &input(10, 5), false, "fp", |_| true, no_sha);
        assert_eq!(d, Decision::Reuse(Box::new(s)));
    }

    #[test]
    fn touched_but_same_content_reuses_with_new_stat() {
        let d = decide(
            Some(&state()),
            &input(10, 9),
            false,
            "fp",
            |_| true,
            || Some("abc".into()),
        );
        let Decision::Reuse(s) = d else {
            panic!("{d:?}")
        };
        assert_eq!(s.mtime_ns, 9);
    }

    #[test]
    fn changes_failures_rules_force_and_bad_caches_extract() {
        let s = state();
        let f = input(10, 5);
        assert_eq!(
            decide(None, &f, false, "fp", |_| true, no_sha),
            Decision::New
        );
        let ch = |d| assert_eq!(d, Decision::Changed);
        ch(decide(
            Some(&s),
            &input(11, 6),
            false,
            "fp",
            |_| true,
            || Some("def".into()),
        ));
        ch(decide(Some(&s), &f, true, "fp", |_| true, no_sha));
        ch(decide(Some(&s), &f, false, "other", |_| true, no_sha));
        ch(decide(Some(&s), &f, false, "fp", |_| false, no_sha));
        let failed = InputState {
            status: "failed".into(),
            ..s.clone()
        };
        ch(decide(Some(&failed), &f, false, "fp", |_| true, no_sha));
        let old_layout = InputState {
            cache_version: 0,
            ..s
        };
        ch(decide(Some(&old_layout), &f, false, "fp", |_| true, no_sha));
    }

    #[test]
    fn finalize_records_first_seen_and_drops_vanished_ids() {
        let mut s = state();
        s.article_ids = vec!["a1".into(), "a2".into()];
        s.first_seen.insert("a1".into(), "R0".into());
        s.first_seen.insert("gone".into(), "R0".into());
        s.cache_path = "ab/c.rows".into();
        let (text, keep) = finalize(&[Some(s), None], "R1");
        let back: InputState = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(back.first_seen.get("a1").unwrap(), "R0");
        assert_eq!(back.first_seen.get("a2").unwrap(), "R1");
        assert!(!back.first_seen.contains_key("gone"));
        assert_eq!(back.last_run_id, "R1");
        assert!(keep.contains("ab/c.rows"));
    }
}
