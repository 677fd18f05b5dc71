//! Snapshot writer: the five tables of one run from cached, pre-encoded rows (SCHEMA §7.2 step
//! 1–2), plus `manifest.json`.
//!
//! Why it exists: writing the snapshot is most of a rerun's cost, so it never decodes rows. For
//! each winning page it copies the cached JSONL and CSV bytes and splices in the run-dependent
//! values (`duplicate_of`, `host_dup_count`). When a table's content key (which cached rows, in
//! which order, with which spliced values) equals the key of the same table in the previous
//! snapshot, that table's files are hard-linked from it instead of written again: a rerun over
//! unchanged inputs writes only `errors` (its warnings carry the current `run_id`) and the
//! manifest. Published snapshots are never modified in place, so sharing inodes is safe.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::cache::{self, PageSummary};
use super::dedup::{self, Capture, ParaCounts};
use super::state::{InputState, CACHE_VERSION};
use crate::error::{out_err, RunError};
use crate::model::{self, Article, Comment, ErrorRow, Link, Paragraph};
use crate::output::{self, FileInfo, Formats, RowEncoder, TableWriter};

/// The four tables built from cached rows, in file order.
pub const DATA_TABLES: [&str; 4] = ["articles", "paragraphs", "comments", "links"];

/// One table of a published snapshot, as remembered for the next run.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TableEntry {
    /// Content key ([`table_keys`]).
    pub key: String,
    /// Rows.
    pub rows: u64,
    /// Files with size and sha256.
    pub files: Vec<FileInfo>,
}

/// `_state/tables.json`: the data tables of the last published snapshot.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TableIndex {
    /// Run id (= folder name under `snapshots/`).
    pub snapshot: String,
    /// Table name -> entry.
    pub tables: BTreeMap<String, TableEntry>,
}

/// Reads `_state/tables.json`.
pub fn load_index(out: &Path) -> Option<TableIndex> {
    let text = fs::read(out.join("_state/tables.json")).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Writes `_state/tables.json` atomically.
pub fn save_index(out: &Path, idx: &TableIndex) -> std::io::Result<()> {
    let text = serde_json::to_vec(idx).map_err(std::io::Error::other)?;
    output::write_atomic(&out.join("_state/tables.json"), &text)
}

/// What the snapshot is made of.
pub struct Plan<'a> {
    /// Winning captures, sorted by article id.
    pub winners: &'a [Capture<'a>],
    /// `duplicate_of` per winner.
    pub duplicate_of: &'a [Option<&'a str>],
    /// Paragraph hash counts per host.
    pub para_counts: &'a ParaCounts<'a>,
    /// State row per input (by `Capture::order`).
    pub states: &'a [Option<InputState>],
    /// `_state/cache`.
    pub cache_root: &'a Path,
    /// Formats to write.
    pub formats: Formats,
}

impl Plan<'_> {
    fn state(&self, w: &Capture) -> Option<&InputState> {
        self.states.get(w.order).and_then(Option::as_ref)
    }
}

/// Content keys of the four data tables: sha256 over the formats, the cache layout and, per
/// winner, the cache file, the run that wrote it, the page offset and the spliced values.
/// Cache files are written once per (input, content, run), so equal keys mean equal bytes.
pub fn table_keys(plan: &Plan) -> [String; 4] {
    let mut h: [Sha256; 4] = Default::default();
    for (i, t) in h.iter_mut().enumerate() {
        t.update(format!(
            "{}|{}|{}|{}\n",
            DATA_TABLES[i], CACHE_VERSION, plan.formats.jsonl, plan.formats.csv
        ));
    }
    for (k, w) in plan.winners.iter().enumerate() {
        let st = plan.state(w);
        let loc = format!(
            "{}|{}|{}\n",
            st.map(|s| s.cache_path.as_str()).unwrap_or(""),
            st.map(|s| s.last_run_id.as_str()).unwrap_or(""),
            w.page.offset
        );
        for t in h.iter_mut() {
            t.update(loc.as_bytes());
        }
        h[0].update(plan.duplicate_of[k].unwrap_or("\u{0}").as_bytes());
        h[0].update(b"\n");
        for p in &w.page.paragraphs {
            h[1].update(dedup::host_dup_count(plan.para_counts, w, &p.hash).to_le_bytes());
        }
    }
    h.map(|t| hex::encode(t.finalize()))
}

/// The result of writing a snapshot.
pub struct Written {
    /// Rows of articles, paragraphs, comments, links, errors.
    pub rows: [u64; 5],
    /// Warning rows in `errors`.
    pub warnings: u64,
    /// Tables hard-linked from the previous snapshot.
    pub reused: Vec<&'static str>,
    /// This snapshot's data tables, for `_state/tables.json`.
    pub index: BTreeMap<String, TableEntry>,
}

/// Links the files of `entry` from the previous snapshot into `staging`; false (and nothing
/// left behind) when any is missing, has another size or cannot be linked.
fn link_previous(prev_dir: &Path, entry: &TableEntry, staging: &Path) -> bool {
    let mut done: Vec<PathBuf> = Vec::new();
    for f in &entry.files {
        let src = prev_dir.join(&f.path);
        let dst = staging.join(&f.path);
        let ok = fs::metadata(&src).is_ok_and(|m| m.len() == f.bytes)
            && fs::hard_link(&src, &dst).is_ok();
        if !ok {
            for d in done {
                let _ = fs::remove_file(d);
            }
            return false;
        }
        done.push(dst);
    }
    !entry.files.is_empty()
}

/// Writes the tables and `manifest.json` into `staging`. `tail` rows (input errors, duplicate
/// captures) end the `errors` table after the cached warnings.
#[allow(clippy::too_many_arguments)]
pub fn write(
    staging: &Path,
    out: &Path,
    run_id: &str,
    plan: &Plan,
    tail: &[ErrorRow],
    prev: Option<&TableIndex>,
    manifest: serde_json::Map<String, serde_json::Value>,
    stop: &AtomicBool,
) -> Result<Written, RunError> {
    let e = |err: std::io::Error| out_err(staging, err);
    let keys = table_keys(plan);
    let mut reused = Vec::new();
    let mut index = BTreeMap::new();
    let mut prev_entries: [Option<TableEntry>; 4] = Default::default();
    if let Some(p) = prev {
        let dir = out.join("snapshots").join(&p.snapshot);
        for (i, name) in DATA_TABLES.iter().enumerate() {
            if let Some(entry) = p.tables.get(*name).filter(|t| t.key == keys[i]) {
                if link_previous(&dir, entry, staging) {
                    reused.push(*name);
                    prev_entries[i] = Some(entry.clone());
                }
            }
        }
    }
    let columns = [
        output::columns::<Article>(),
        output::columns::<Paragraph>(),
        output::columns::<Comment>(),
        output::columns::<Link>(),
    ];
    let mut writers: Vec<Option<TableWriter>> = Vec::with_capacity(4);
    for (i, cols) in columns.into_iter().enumerate() {
        writers.push(if prev_entries[i].is_some() {
            None
        } else {
            Some(TableWriter::create(staging, DATA_TABLES[i], cols, plan.formats).map_err(e)?)
        });
    }
    let mut we = TableWriter::create(
        staging,
        "errors",
        output::columns::<ErrorRow>(),
        plan.formats,
    )
    .map_err(e)?;
    let need_blocks = writers.iter().any(Option::is_some);
    let mut open: Option<(usize, File)> = None;
    let mut block = Vec::new();
    let (mut sj, mut sc, mut val) = (Vec::new(), Vec::new(), Vec::new());
    let mut warnings = 0u64;
    for (k, w) in plan.winners.iter().enumerate() {
        if k % 256 == 0 && stop.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted);
        }
        let st = plan.state(w);
        if need_blocks {
            if open.as_ref().map(|o| o.0) != Some(w.order) {
                let path = plan
                    .cache_root
                    .join(st.map(|s| s.cache_path.as_str()).unwrap_or(""));
                open = Some((w.order, File::open(&path).map_err(|x| out_err(&path, x))?));
            }
            if let Some((_, f)) = open.as_mut() {
                cache::read_block(f, w.page, &mut block).map_err(e)?;
            }
            let parts = w.page.parts(&block).ok_or_else(|| {
                e(std::io::Error::other(
                    "cache block does not match its summary",
                ))
            })?;
            write_page(
                &mut writers,
                &parts,
                plan,
                k,
                w,
                (&mut sj, &mut sc, &mut val),
            )
            .map_err(e)?;
        }
        let first_seen = st
            .and_then(|s| s.first_seen.get(&w.page.article_id).cloned())
            .unwrap_or_else(|| run_id.to_string());
        for er in &w.page.warnings {
            let mut er = er.clone();
            er.run_id = run_id.to_string();
            er.first_seen_run_id = st
                .and_then(|s| s.error_first_seen.get(&er.code).cloned())
                .unwrap_or_else(|| first_seen.clone());
            we.write(&er).map_err(e)?;
            warnings += 1;
        }
    }
    for r in tail {
        we.write(r).map_err(e)?;
        if r.severity == "warning" {
            warnings += 1;
        }
    }
    let mut rows = [0u64; 5];
    let mut tables = serde_json::Map::new();
    for (i, w) in writers.into_iter().enumerate() {
        let entry = match (w, prev_entries[i].take()) {
            (Some(w), _) => {
                let (n, files) = w.finish().map_err(e)?;
                TableEntry {
                    key: keys[i].clone(),
                    rows: n,
                    files,
                }
            }
            (None, Some(p)) => p,
            (None, None) => TableEntry::default(),
        };
        rows[i] = entry.rows;
        tables.insert(
            DATA_TABLES[i].to_string(),
            serde_json::json!({"rows": entry.rows, "files": entry.files}),
        );
        index.insert(DATA_TABLES[i].to_string(), entry);
    }
    let (n, files) = we.finish().map_err(e)?;
    rows[4] = n;
    tables.insert(
        "errors".into(),
        serde_json::json!({"rows": n, "files": files}),
    );
    let mut manifest = manifest;
    manifest.insert("tables".into(), serde_json::Value::Object(tables));
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(manifest))
        .map_err(|x| e(std::io::Error::other(x)))?;
    output::write_atomic(&staging.join("manifest.json"), text.as_bytes()).map_err(e)?;
    let _ = model::TABLES;
    Ok(Written {
        rows,
        warnings,
        reused,
        index,
    })
}

/// Copies one page's cached rows into the writers that need them, splicing `duplicate_of`
/// and `host_dup_count`.
fn write_page(
    writers: &mut [Option<TableWriter>],
    parts: &[&[u8]; 8],
    plan: &Plan,
    k: usize,
    w: &Capture,
    scratch: (&mut Vec<u8>, &mut Vec<u8>, &mut Vec<u8>),
) -> std::io::Result<()> {
    let (sj, sc, val) = scratch;
    let page: &PageSummary = w.page;
    if let Some(wa) = writers[0].as_mut() {
        sj.clear();
        sc.clear();
        val.clear();
        match plan.duplicate_of[k] {
            Some(id) => serde_json::to_writer(&mut *val, id).map_err(std::io::Error::other)?,
            None => val.extend_from_slice(b"null"),
        }
        page.article_holes[0].splice(parts[0], val, sj);
        val.clear();
        if let Some(id) = plan.duplicate_of[k] {
            RowEncoder::csv_value(id, val);
        }
        page.article_holes[1].splice(parts[1], val, sc);
        wa.write_encoded(sj, sc, 1)?;
    }
    if let Some(wp) = writers[1].as_mut() {
        sj.clear();
        sc.clear();
        let (mut aj, mut ac) = (0usize, 0usize);
        for p in &page.paragraphs {
            val.clear();
            let n = dedup::host_dup_count(plan.para_counts, w, &p.hash);
            val.extend_from_slice(n.to_string().as_bytes());
            let (lj, lc) = (p.lens[0] as usize, p.lens[1] as usize);
            let rj = parts[2].get(aj..aj + lj).ok_or_else(bad_block)?;
            let rc = parts[3].get(ac..ac + lc).ok_or_else(bad_block)?;
            p.holes[0].splice(rj, val, sj);
            p.holes[1].splice(rc, val, sc);
            aj += lj;
            ac += lc;
        }
        wp.write_encoded(sj, sc, page.paragraphs.len() as u64)?;
    }
    if let Some(wc) = writers[2].as_mut() {
        wc.write_encoded(parts[4], parts[5], page.counts[0])?;
    }
    if let Some(wl) = writers[3].as_mut() {
        wl.write_encoded(parts[6], parts[7], page.counts[1])?;
    }
    Ok(())
}

fn bad_block() -> std::io::Error {
    std::io::Error::other("cached paragraph rows do not match their summary")
}
