//! Run: one scheduled run from inputs to a published snapshot (SCHEMA §1, §7).
//!
//! Why it exists: users run pagemill from cron, CI and clusters, so a run must be safe to
//! repeat. This module owns the run's life cycle: take the lock, load the incremental state,
//! decide per input whether its cached rows can be reused (size + mtime, confirmed by sha256,
//! same extractor fingerprint), extract the rest through the [`pipeline`](crate::pipeline),
//! resolve duplicates and `host_dup_count` over the whole snapshot, write and publish it
//! atomically, and append the `runs` row, also for failed, refused, interrupted and locked runs.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::discover::{self, InputFile, Shard};
use crate::error::{out_err, PageError, RunError};
use crate::model::{self, Article, Comment, ErrorRow, Link, PageRows, Paragraph};
use crate::output::{self, Formats, TableWriter};
use crate::parse::Frontend;
use crate::pipeline;
use crate::progress::Progress;
use crate::settings::Rules;

/// Everything a run needs from the command line.
#[derive(Clone, Debug)]
pub struct RunArgs {
    /// Input files and directories.
    pub inputs: Vec<PathBuf>,
    /// Output root.
    pub out: PathBuf,
    /// Formats to write.
    pub formats: Formats,
    /// Worker threads.
    pub jobs: usize,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--shard K/N`.
    pub shard: Option<Shard>,
    /// `--limit N` inputs.
    pub limit: Option<usize>,
    /// No progress output.
    pub quiet: bool,
    /// Print the runs row as JSON on stdout.
    pub json: bool,
    /// Re-extract everything.
    pub force: bool,
    /// Report what would be done, write nothing.
    pub dry_run: bool,
    /// Override of `[run] max_failure_rate`.
    pub max_failure_rate: Option<f64>,
    /// Override of `[run] min_keep_ratio`.
    pub min_keep_ratio: Option<f64>,
    /// Override of `[run] keep_snapshots`.
    pub keep: Option<usize>,
    /// Exit 3 when there are no inputs.
    pub fail_on_empty: bool,
    /// Parser front end.
    pub frontend: Frontend,
    /// The command line, for the runs row.
    pub argv: Vec<String>,
}

/// `runs` row (SCHEMA §4.5).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunRow {
    pub run_id: String,
    pub started_at: String,
    pub finished_at: String,
    pub duration_s: f64,
    pub status: String,
    pub exit_code: i64,
    pub tool_version: String,
    pub schema_version: String,
    pub config_hash: String,
    pub extractor_fingerprint: String,
    pub mode: String,
    pub input_root: String,
    pub output_root: String,
    pub snapshot: Option<String>,
    pub inputs_total: i64,
    pub inputs_new: i64,
    pub inputs_changed: i64,
    pub inputs_unchanged: i64,
    pub inputs_removed: i64,
    pub inputs_failed: i64,
    pub pages_extracted: i64,
    pub articles: i64,
    pub paragraphs: i64,
    pub comments: i64,
    pub links: i64,
    pub errors: i64,
    pub warnings: i64,
    pub duplicates: i64,
    pub bytes_read: i64,
    pub host: String,
    pub pid: i64,
    pub argv: Vec<String>,
    pub message: Option<String>,
}

/// `_state/inputs.jsonl` row.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
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
}

fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn new_run_id() -> String {
    let t = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    format!("{t}-{:06x}", rand::random::<u32>() & 0xff_ffff)
}

/// Per-article facts kept in memory for the snapshot-wide passes (small: no text).
struct Summary {
    article_id: String,
    host: Option<String>,
    captured_at: Option<String>,
    source_mtime: String,
    order: usize,
    cache: PathBuf,
    offset: u64,
    text_hash: String,
    simhash: Option<String>,
    words: i64,
    para_hashes: Vec<[u8; 16]>,
}

fn hash16(hex_str: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    if let Ok(b) = hex::decode(hex_str.get(..32).unwrap_or("")) {
        out.copy_from_slice(&b[..16.min(b.len())]);
    }
    out
}

struct Lock {
    _file: File,
}

fn take_lock(out: &Path, run_id: &str) -> Result<Lock, RunError> {
    use fs2::FileExt;
    let path = out.join(".lock");
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| out_err(&path, e))?;
    if f.try_lock_exclusive().is_err() {
        let mut holder = String::new();
        let _ = f.read_to_string(&mut holder);
        return Err(RunError::Locked {
            path: path.display().to_string(),
            holder: holder.trim().to_string(),
        });
    }
    let host = hostname::get()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _ = f.set_len(0);
    let _ = f.seek(SeekFrom::Start(0));
    let _ = write!(
        f,
        "pid {} host {} started {} run {}",
        std::process::id(),
        host,
        now_iso(),
        run_id
    );
    let _ = f.sync_all();
    Ok(Lock { _file: f })
}

fn append_line(path: &Path, line: &str, header: Option<&str>) -> std::io::Result<()> {
    let new = !path.exists();
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let mut buf = String::new();
    if new {
        if let Some(h) = header {
            buf.push_str(h);
            buf.push('\n');
        }
    }
    buf.push_str(line);
    buf.push('\n');
    f.write_all(buf.as_bytes())?;
    f.sync_all()
}

/// Appends the runs row to `runs.jsonl` and `runs.csv`.
pub fn record_run(out: &Path, row: &RunRow) -> std::io::Result<()> {
    let v = serde_json::to_value(row).map_err(std::io::Error::other)?;
    append_line(&out.join("runs.jsonl"), &v.to_string(), None)?;
    let cols = output::columns::<RunRow>();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .from_writer(Vec::new());
    let cells: Vec<String> = cols.iter().map(|k| output::csv_cell(&v[k])).collect();
    w.write_record(&cells).map_err(std::io::Error::other)?;
    let mut h = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    h.write_record(&cols).map_err(std::io::Error::other)?;
    let line = String::from_utf8_lossy(&w.into_inner().unwrap_or_default())
        .trim_end()
        .to_string();
    let header = String::from_utf8_lossy(&h.into_inner().unwrap_or_default())
        .trim_end()
        .to_string();
    append_line(&out.join("runs.csv"), &line, Some(&header))
}

fn load_state(out: &Path) -> HashMap<String, InputState> {
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

fn cache_rel(rel: &str, sha: &str) -> String {
    let k = crate::extract::text::sha256_32(rel.as_bytes());
    format!("{}/{}-{}.jsonl", &k[..2], &k, sha.get(..16).unwrap_or(""))
}

fn file_sha256(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut f = File::open(path).ok()?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).ok()?;
    Some(hex::encode(h.finalize()))
}

/// What a finished run reports back to `main`.
pub struct RunReport {
    /// The runs row (also appended to runs.jsonl / runs.csv).
    pub row: RunRow,
}

fn previous_article_count(out: &Path) -> Option<u64> {
    let m = fs::read_to_string(out.join("latest/manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&m).ok()?;
    v["tables"]["articles"]["rows"].as_u64()
}

/// Runs a whole scheduled run. Fatal problems return `Err` (with the runs row recorded where
/// an output folder exists).
pub fn run(args: &RunArgs) -> Result<RunReport, RunError> {
    let started = std::time::Instant::now();
    let run_id = new_run_id();
    let mut row = RunRow {
        run_id: run_id.clone(),
        started_at: now_iso(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: model::SCHEMA_VERSION.into(),
        input_root: args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        output_root: args.out.display().to_string(),
        host: hostname::get()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_default(),
        pid: i64::from(std::process::id()),
        argv: args.argv.clone(),
        ..RunRow::default()
    };
    let rules = Rules::load(args.config.as_deref())?;
    row.config_hash = rules.config_hash.clone();
    row.extractor_fingerprint = rules.extractor_fingerprint();
    for p in &args.inputs {
        if !p.exists() {
            return Err(RunError::Usage(format!(
                "input {} does not exist",
                p.display()
            )));
        }
    }
    if !args.dry_run {
        fs::create_dir_all(args.out.join("snapshots")).map_err(|e| out_err(&args.out, e))?;
        fs::create_dir_all(args.out.join("_state/cache")).map_err(|e| out_err(&args.out, e))?;
    }
    let _lock = if args.dry_run {
        None
    } else {
        match take_lock(&args.out, &run_id) {
            Ok(l) => Some(l),
            Err(e) => {
                row.status = "locked".into();
                row.exit_code = 75;
                row.finished_at = now_iso();
                row.message = Some(e.to_string());
                let _ = record_run(&args.out, &row);
                return Err(e);
            }
        }
    };
    let result = run_locked(args, &rules, &mut row, started);
    row.finished_at = now_iso();
    row.duration_s = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    match &result {
        Ok(()) => {}
        Err(e) => {
            row.exit_code = i64::from(e.exit_code());
            row.status = if matches!(e, RunError::Interrupted) {
                "aborted".into()
            } else {
                "failed".into()
            };
            row.message = Some(e.to_string());
        }
    }
    if !args.dry_run {
        let _ = record_run(&args.out, &row);
    }
    result.map(|()| RunReport { row })
}

fn run_locked(
    args: &RunArgs,
    rules: &Rules,
    row: &mut RunRow,
    started: std::time::Instant,
) -> Result<(), RunError> {
    let out = &args.out;
    let run_id = row.run_id.clone();
    if !args.dry_run {
        output::clean_stale_staging(out);
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }

    // ---- discover
    let mut files = discover::discover(&args.inputs, Some(out))
        .map_err(|e| RunError::Usage(format!("cannot list inputs: {e}")))?;
    if let Some(s) = args.shard {
        files.retain(|f| s.contains(&f.rel));
    }
    if let Some(n) = args.limit {
        files.truncate(n);
    }
    row.inputs_total = files.len() as i64;
    if files.is_empty() && args.fail_on_empty {
        return Err(RunError::Refused(
            "no inputs found (--fail-on-empty)".into(),
        ));
    }

    // ---- incremental decisions
    let fingerprint = rules.extractor_fingerprint();
    let state = load_state(out);
    let full = args.force
        || state
            .values()
            .any(|s| s.extractor_fingerprint != fingerprint);
    row.mode = if full { "full" } else { "incremental" }.into();
    let cache_root = out.join("_state/cache");
    let mut reuse: Vec<Option<InputState>> = vec![None; files.len()];
    let mut todo: Vec<usize> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let prev = state.get(&f.rel);
        let usable = prev.filter(|s| {
            !full
                && s.status == "ok"
                && s.extractor_fingerprint == fingerprint
                && cache_root.join(&s.cache_path).exists()
        });
        match (prev, usable) {
            (_, Some(s)) if s.size == f.size && s.mtime_ns == f.mtime_ns => {
                reuse[i] = Some(s.clone());
                row.inputs_unchanged += 1;
            }
            (_, Some(s)) if file_sha256(&f.path).as_deref() == Some(s.source_sha256.as_str()) => {
                let mut s = s.clone();
                s.size = f.size;
                s.mtime_ns = f.mtime_ns;
                reuse[i] = Some(s);
                row.inputs_unchanged += 1;
            }
            (None, _) => {
                row.inputs_new += 1;
                todo.push(i);
            }
            (Some(_), _) => {
                row.inputs_changed += 1;
                todo.push(i);
            }
        }
    }
    let present: std::collections::HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    row.inputs_removed = state
        .keys()
        .filter(|k| !present.contains(k.as_str()))
        .count() as i64;
    if args.dry_run {
        row.status = "dry_run".into();
        row.exit_code = 0;
        return Ok(());
    }

    // ---- extract what changed
    let mut progress = Progress::new(
        todo.len() as u64,
        args.quiet,
        rules.run.heartbeat_secs,
        rules.run.heartbeat_pages,
    );
    let todo_files: Vec<InputFile> = todo.iter().map(|&i| files[i].clone()).collect();
    let mut new_state: Vec<Option<InputState>> = reuse.clone();
    let mut failed_rows: Vec<ErrorRow> = Vec::new();
    let mut failed_inputs = std::collections::BTreeSet::new();
    let mut current: Option<(usize, File, PathBuf, String, InputState)> = None;
    let mut io_error: Option<RunError> = None;
    let finish_file = |cur: Option<(usize, File, PathBuf, String, InputState)>,
                       new_state: &mut Vec<Option<InputState>>,
                       failed: &std::collections::BTreeSet<usize>,
                       progress: &mut Progress| {
        if let Some((ti, f, _path, _rel, mut st)) = cur {
            let _ = f.sync_all();
            st.status = if failed.contains(&ti) { "failed" } else { "ok" }.into();
            new_state[todo[ti]] = Some(st);
            progress.input_done();
        }
    };
    let opts = pipeline::Options {
        frontend: args.frontend,
        jobs: args.jobs,
    };
    let completed = pipeline::run(&todo_files, rules, opts, &stop, |o| {
        if io_error.is_some() {
            return;
        }
        let ti = o.file_index;
        if current.as_ref().map(|c| c.0) != Some(ti) {
            let cur = current.take();
            finish_file(cur, &mut new_state, &failed_inputs, &mut progress);
            let f = &todo_files[ti];
            let sha = file_sha256(&f.path).unwrap_or_default();
            let rel_cache = cache_rel(&f.rel, &sha);
            let path = cache_root.join(&rel_cache);
            if let Some(p) = path.parent() {
                let _ = fs::create_dir_all(p);
            }
            match File::create(&path) {
                Ok(file) => {
                    let prev = state.get(&f.rel);
                    current = Some((
                        ti,
                        file,
                        path,
                        f.rel.clone(),
                        InputState {
                            source_path: f.rel.clone(),
                            size: f.size,
                            mtime_ns: f.mtime_ns,
                            source_sha256: sha,
                            article_ids: Vec::new(),
                            status: "ok".into(),
                            extractor_fingerprint: fingerprint.clone(),
                            last_run_id: run_id.clone(),
                            cache_path: rel_cache,
                            first_seen: prev.map(|p| p.first_seen.clone()).unwrap_or_default(),
                            error_first_seen: prev
                                .map(|p| p.error_first_seen.clone())
                                .unwrap_or_default(),
                        },
                    ));
                }
                Err(e) => {
                    io_error = Some(out_err(&path, e));
                    return;
                }
            }
        }
        row.bytes_read += o.bytes_read as i64;
        let Some((_, file, path, _, st)) = current.as_mut() else {
            return;
        };
        match o.result {
            Ok(rows) => {
                row.pages_extracted += 1;
                progress.page(o.bytes_read, false);
                st.article_ids.push(rows.article.article_id.clone());
                match serde_json::to_string(&rows) {
                    Ok(line) => {
                        if let Err(e) = file
                            .write_all(line.as_bytes())
                            .and_then(|_| file.write_all(b"\n"))
                        {
                            io_error = Some(out_err(path, e));
                        }
                    }
                    Err(e) => io_error = Some(out_err(path, std::io::Error::other(e))),
                }
            }
            Err(e) => {
                progress.page(o.bytes_read, true);
                failed_inputs.insert(ti);
                let code = e.code();
                let first = st
                    .error_first_seen
                    .entry(code.to_string())
                    .or_insert_with(|| run_id.clone())
                    .clone();
                failed_rows.push(page_error_row(
                    &run_id,
                    &o.source_path,
                    o.source_sha256,
                    &e,
                    first,
                ));
            }
        }
    });
    finish_file(
        current.take(),
        &mut new_state,
        &failed_inputs,
        &mut progress,
    );
    let (_pages, _bytes, _errs, _secs) = progress.finish();
    if let Some(e) = io_error {
        return Err(e);
    }
    if !completed || stop.load(Ordering::Relaxed) {
        return Err(RunError::Interrupted);
    }
    row.inputs_failed = failed_inputs.len() as i64;

    // ---- snapshot-wide passes over the summaries
    let mut summaries: Vec<Summary> = Vec::new();
    for (order, st) in new_state.iter().enumerate() {
        let Some(st) = st else { continue };
        if st.status != "ok" && st.article_ids.is_empty() {
            continue;
        }
        let path = cache_root.join(&st.cache_path);
        let Ok(f) = File::open(&path) else { continue };
        let mut reader = BufReader::new(f);
        let mut offset = 0u64;
        let mut line = String::new();
        loop {
            line.clear();
            let n = match reader.read_line(&mut line) {
                Ok(n) => n,
                Err(_) => break,
            };
            if n == 0 {
                break;
            }
            if let Ok(rows) = serde_json::from_str::<PageRows>(&line) {
                summaries.push(Summary {
                    article_id: rows.article.article_id.clone(),
                    host: rows.article.host.clone(),
                    captured_at: rows.article.captured_at.clone(),
                    source_mtime: rows.article.source_mtime.clone(),
                    order,
                    cache: path.clone(),
                    offset,
                    text_hash: rows.article.text_hash.clone(),
                    simhash: rows.article.simhash.clone(),
                    words: rows.article.word_count,
                    para_hashes: rows
                        .paragraphs
                        .iter()
                        .map(|p| hash16(&p.text_hash))
                        .collect(),
                });
            }
            offset += n as u64;
        }
    }
    // duplicate captures of one article id: latest captured_at, then mtime, then path order
    summaries.sort_by(|a, b| {
        a.article_id
            .cmp(&b.article_id)
            .then_with(|| b.captured_at.cmp(&a.captured_at))
            .then_with(|| b.source_mtime.cmp(&a.source_mtime))
            .then_with(|| a.order.cmp(&b.order))
    });
    let mut dup_rows: Vec<ErrorRow> = Vec::new();
    let mut winners: Vec<Summary> = Vec::new();
    for s in summaries {
        if let Some(w) = winners.last() {
            if w.article_id == s.article_id {
                let kept = new_state[w.order]
                    .as_ref()
                    .map(|x| x.source_path.clone())
                    .unwrap_or_default();
                let lost = new_state[s.order]
                    .as_ref()
                    .map(|x| x.source_path.clone())
                    .unwrap_or_default();
                dup_rows.push(ErrorRow {
                    run_id: run_id.clone(),
                    severity: "warning".into(),
                    code: "w_duplicate_article".into(),
                    stage: "write".into(),
                    source_path: lost,
                    source_sha256: None,
                    article_id: Some(s.article_id.clone()),
                    message: "another input has the same article id; the latest capture is kept"
                        .into(),
                    detail: Some(serde_json::json!({"kept_source_path": kept}).to_string()),
                    first_seen_run_id: run_id.clone(),
                });
                row.duplicates += 1;
                continue;
            }
        }
        winners.push(s);
    }
    // host_dup_count: distinct articles of one host holding a paragraph hash
    let mut para_counts: HashMap<(Option<&str>, [u8; 16]), u32> = HashMap::new();
    for w in &winners {
        let mut seen: Vec<[u8; 16]> = w.para_hashes.clone();
        seen.sort_unstable();
        seen.dedup();
        for h in seen {
            *para_counts.entry((w.host.as_deref(), h)).or_insert(0) += 1;
        }
    }
    // exact and near duplicates of text (different ids): duplicate_of = first in id order
    let mut duplicate_of: HashMap<String, String> = HashMap::new();
    {
        let mut by_hash: HashMap<&str, &str> = HashMap::new();
        let mut bands: HashMap<BandKey, Vec<(&str, u64)>> = HashMap::new();
        for w in &winners {
            if w.words == 0 {
                continue;
            }
            if let Some(first) = by_hash.get(w.text_hash.as_str()) {
                duplicate_of.insert(w.article_id.clone(), first.to_string());
                continue;
            }
            by_hash.insert(&w.text_hash, &w.article_id);
            if (w.words as usize) < rules.dedup.simhash_min_words {
                continue;
            }
            let Some(sh) = w
                .simhash
                .as_deref()
                .and_then(|s| u64::from_str_radix(s, 16).ok())
            else {
                continue;
            };
            let mut found: Option<&str> = None;
            for band in 0..4 {
                let key = (w.host.as_deref(), band, (sh >> (band * 16)) as u16);
                if let Some(cands) = bands.get(&key) {
                    if let Some((id, _)) = cands.iter().find(|(_, o)| {
                        (o ^ sh).count_ones() <= rules.dedup.simhash_max_distance_bits
                    }) {
                        found = Some(id);
                        break;
                    }
                }
            }
            match found {
                Some(id) => {
                    duplicate_of.insert(w.article_id.clone(), id.to_string());
                }
                None => {
                    for band in 0..4 {
                        bands
                            .entry((w.host.as_deref(), band, (sh >> (band * 16)) as u16))
                            .or_default()
                            .push((&w.article_id, sh));
                    }
                }
            }
        }
    }

    // ---- write the snapshot
    if stop.load(Ordering::Relaxed) {
        return Err(RunError::Interrupted);
    }
    let snapshots = out.join("snapshots");
    let staging = snapshots.join(format!(".staging-{run_id}"));
    fs::create_dir_all(&staging).map_err(|e| out_err(&staging, e))?;
    let write_result = write_snapshot(
        &staging,
        args.formats,
        &run_id,
        &winners,
        &new_state,
        &para_counts,
        &duplicate_of,
        &mut failed_rows,
        dup_rows,
        row,
        rules,
        &stop,
    );
    if let Err(e) = write_result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    // ---- safety thresholds
    let max_fail = args.max_failure_rate.unwrap_or(rules.run.max_failure_rate);
    let min_keep = args.min_keep_ratio.unwrap_or(rules.run.min_keep_ratio);
    let fail_rate = if row.inputs_total > 0 {
        row.inputs_failed as f64 / row.inputs_total as f64
    } else {
        0.0
    };
    let refusal = if fail_rate > max_fail {
        Some(format!(
            "{:.1} % of inputs failed (--max-failure-rate {max_fail})",
            fail_rate * 100.0
        ))
    } else {
        previous_article_count(out).and_then(|prev| {
            ((row.articles as f64) < min_keep * prev as f64).then(|| {
                format!(
                    "{} articles against {prev} in the previous snapshot (--min-keep-ratio {min_keep})",
                    row.articles
                )
            })
        })
    };
    if let Some(msg) = refusal {
        let _ = fs::remove_dir_all(&staging);
        return Err(RunError::Refused(msg));
    }
    if stop.load(Ordering::Relaxed) {
        let _ = fs::remove_dir_all(&staging);
        return Err(RunError::Interrupted);
    }
    let final_dir = output::publish(out, &staging, &run_id).map_err(|e| out_err(&staging, e))?;
    row.snapshot = Some(final_dir.display().to_string());

    // ---- state (after publication: a crash before this only costs re-extraction)
    let mut state_text = String::new();
    let mut keep_cache = std::collections::HashSet::new();
    for st in new_state.iter().flatten() {
        let mut st = st.clone();
        st.last_run_id = if st.last_run_id.is_empty() {
            run_id.clone()
        } else {
            st.last_run_id
        };
        for id in &st.article_ids {
            st.first_seen
                .entry(id.clone())
                .or_insert_with(|| run_id.clone());
        }
        st.first_seen.retain(|k, _| st.article_ids.contains(k));
        keep_cache.insert(st.cache_path.clone());
        if let Ok(line) = serde_json::to_string(&st) {
            state_text.push_str(&line);
            state_text.push('\n');
        }
    }
    output::write_atomic(&out.join("_state/inputs.jsonl"), state_text.as_bytes())
        .map_err(|e| out_err(&out.join("_state/inputs.jsonl"), e))?;
    prune_cache(&cache_root, &keep_cache);
    let keep = args.keep.unwrap_or(rules.run.keep_snapshots);
    let _ = output::prune(out, keep);

    row.status = if row.inputs_failed > 0 {
        "partial"
    } else {
        "success"
    }
    .into();
    row.exit_code = if row.inputs_failed > 0 { 1 } else { 0 };
    let _ = started;
    Ok(())
}

/// (host, band index, 16 bits of the simhash): simhashes within 3 bits share at least one band.
type BandKey<'a> = (Option<&'a str>, usize, u16);

fn prune_cache(root: &Path, keep: &std::collections::HashSet<String>) {
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

fn page_error_row(
    run_id: &str,
    source_path: &str,
    sha: Option<String>,
    e: &PageError,
    first_seen: String,
) -> ErrorRow {
    let mut message = e.to_string();
    if let Some(i) = message.find('\n') {
        message.truncate(i);
    }
    ErrorRow {
        run_id: run_id.to_string(),
        severity: "error".into(),
        code: e.code().into(),
        stage: e.stage().into(),
        source_path: source_path.to_string(),
        source_sha256: sha,
        article_id: None,
        message,
        detail: None,
        first_seen_run_id: first_seen,
    }
}

fn read_cached(path: &Path, offset: u64) -> Option<PageRows> {
    let mut f = File::open(path).ok()?;
    f.seek(SeekFrom::Start(offset)).ok()?;
    let mut line = String::new();
    BufReader::new(f).read_line(&mut line).ok()?;
    serde_json::from_str(&line).ok()
}

#[allow(clippy::too_many_arguments)]
fn write_snapshot(
    staging: &Path,
    formats: Formats,
    run_id: &str,
    winners: &[Summary],
    state: &[Option<InputState>],
    para_counts: &HashMap<(Option<&str>, [u8; 16]), u32>,
    duplicate_of: &HashMap<String, String>,
    failed_rows: &mut [ErrorRow],
    dup_rows: Vec<ErrorRow>,
    row: &mut RunRow,
    rules: &Rules,
    stop: &AtomicBool,
) -> Result<(), RunError> {
    let e = |err: std::io::Error| out_err(staging, err);
    let mut wa = TableWriter::create(staging, "articles", output::columns::<Article>(), formats)
        .map_err(e)?;
    let mut wp = TableWriter::create(
        staging,
        "paragraphs",
        output::columns::<Paragraph>(),
        formats,
    )
    .map_err(e)?;
    let mut wc = TableWriter::create(staging, "comments", output::columns::<Comment>(), formats)
        .map_err(e)?;
    let mut wl =
        TableWriter::create(staging, "links", output::columns::<Link>(), formats).map_err(e)?;
    let mut we = TableWriter::create(staging, "errors", output::columns::<ErrorRow>(), formats)
        .map_err(e)?;
    let mut warnings = 0i64;
    for (k, w) in winners.iter().enumerate() {
        if k % 256 == 0 && stop.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted);
        }
        let Some(mut rows) = read_cached(&w.cache, w.offset) else {
            continue;
        };
        let st = state[w.order].as_ref();
        let first_seen = st
            .and_then(|s| s.first_seen.get(&w.article_id).cloned())
            .unwrap_or_else(|| run_id.to_string());
        let a = &mut rows.article;
        a.run_id = st
            .map(|s| s.last_run_id.clone())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| run_id.to_string());
        a.first_seen_run_id = first_seen.clone();
        a.duplicate_of = duplicate_of.get(&w.article_id).cloned();
        if a.duplicate_of.is_some() {
            row.duplicates += 1;
        }
        wa.write(&rows.article).map_err(e)?;
        for p in &mut rows.paragraphs {
            let n = para_counts
                .get(&(w.host.as_deref(), hash16(&p.text_hash)))
                .copied()
                .unwrap_or(1);
            p.host_dup_count = i64::from(n.saturating_sub(1));
            wp.write(p).map_err(e)?;
        }
        for c in &rows.comments {
            wc.write(c).map_err(e)?;
        }
        for l in &rows.links {
            wl.write(l).map_err(e)?;
        }
        for mut er in rows.warnings {
            er.run_id = run_id.to_string();
            er.first_seen_run_id = st
                .and_then(|s| s.error_first_seen.get(&er.code).cloned())
                .unwrap_or_else(|| first_seen.clone());
            we.write(&er).map_err(e)?;
            warnings += 1;
        }
    }
    failed_rows.sort_by(|a, b| a.source_path.cmp(&b.source_path).then(a.code.cmp(&b.code)));
    for r in failed_rows.iter() {
        we.write(r).map_err(e)?;
    }
    for r in &dup_rows {
        we.write(r).map_err(e)?;
        warnings += 1;
    }
    let mut tables = serde_json::Map::new();
    let mut counts = [0u64; 5];
    for (i, (name, w)) in [
        ("articles", wa),
        ("paragraphs", wp),
        ("comments", wc),
        ("links", wl),
        ("errors", we),
    ]
    .into_iter()
    .enumerate()
    {
        let (rows_n, files) = w.finish().map_err(e)?;
        counts[i] = rows_n;
        tables.insert(
            name.to_string(),
            serde_json::json!({"rows": rows_n, "files": files}),
        );
    }
    row.articles = counts[0] as i64;
    row.paragraphs = counts[1] as i64;
    row.comments = counts[2] as i64;
    row.links = counts[3] as i64;
    row.errors = failed_rows.len() as i64;
    row.warnings = warnings;
    let manifest = serde_json::json!({
        "schema_version": model::SCHEMA_VERSION,
        "run_id": run_id,
        "created_at": now_iso(),
        "tool": {"name": "pagemill", "version": env!("CARGO_PKG_VERSION")},
        "config_hash": rules.config_hash,
        "extractor_fingerprint": rules.extractor_fingerprint(),
        "input_root": row.input_root,
        "tables": tables,
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|x| e(std::io::Error::other(x)))?;
    output::write_atomic(&staging.join("manifest.json"), text.as_bytes()).map_err(e)?;
    let _ = model::TABLES;
    Ok(())
}
