//! Run: one scheduled run from inputs to a published snapshot (SCHEMA §1, §7).
//!
//! Why it exists: users run pagemill from cron, CI and clusters, so a run must be safe to
//! repeat. This module owns the run's life cycle and delegates each concern:
//! [`history`] (lock, run ids, `runs` rows), [`state`] (what changed since the last run),
//! [`cache`] (rows encoded once per extracted input), [`dedup`] (snapshot-wide duplicates),
//! [`snapshot`] (tables and manifest from cached bytes) and [`log`] (stderr events). Extraction
//! itself goes through the [`pipeline`](crate::pipeline).

pub mod cache;
pub mod dedup;
mod extract;
pub mod history;
pub mod log;
pub mod snapshot;
pub mod state;
pub mod syncer;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::json;

use crate::discover::{self, InputFile, Shard};
use crate::error::{out_err, RunError};
use crate::model::{self, ErrorRow};
use crate::output::{self, Formats, RowEncoder};
use crate::parse::Frontend;
use crate::pipeline;
use crate::progress::Progress;
use crate::settings::Rules;

pub use history::{record_run, RunRow};
pub use state::InputState;

use cache::InputSummary;
use dedup::Capture;
use extract::Extraction;
use log::{Level, Logger};
use state::Decision;

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
    /// Log events as JSON lines (else text).
    pub log_json: bool,
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

fn formats_list(f: Formats) -> Vec<&'static str> {
    let mut v = Vec::new();
    if f.jsonl {
        v.push("jsonl");
    }
    if f.csv {
        v.push("csv");
    }
    v
}

/// Runs a whole scheduled run and logs its events. Fatal problems return `Err` (with the runs
/// row recorded where an output folder exists).
pub fn run(args: &RunArgs) -> Result<RunReport, RunError> {
    let started = std::time::Instant::now();
    let run_id = history::new_run_id();
    let log = Logger::new(args.log_json).for_run(&run_id);
    let mut row = RunRow {
        run_id: run_id.clone(),
        started_at: history::now_iso(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: model::SCHEMA_VERSION.into(),
        input_root: args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        output_root: args.out.display().to_string(),
        host: history::host_name(),
        pid: i64::from(std::process::id()),
        argv: args.argv.clone(),
        ..RunRow::default()
    };
    let result = start(args, &mut row, &log, started);
    row.finished_at = history::now_iso();
    row.duration_s = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    if let Err(e) = &result {
        row.exit_code = i64::from(e.exit_code());
        row.status = match e {
            RunError::Interrupted => "aborted",
            RunError::Locked { .. } => "locked",
            _ => "failed",
        }
        .into();
        row.message = Some(e.to_string());
    }
    let recordable = !args.dry_run
        && args.out.is_dir()
        && !matches!(result, Err(RunError::Config(_)) | Err(RunError::Usage(_)));
    if recordable {
        let _ = record_run(&args.out, &row);
    }
    log_end(&log, &row, &result, args);
    result.map(|()| RunReport { row })
}

fn log_end(log: &Logger, r: &RunRow, result: &Result<(), RunError>, args: &RunArgs) {
    match result {
        Err(e) => {
            let (event, mut fields) = match e {
                RunError::Locked { path, holder } => {
                    ("locked", json!({"lock_path": path, "holder": holder}))
                }
                RunError::Refused(reason) => ("refused", json!({"reason": reason})),
                RunError::Interrupted => ("interrupted", json!({})),
                RunError::Config(_) | RunError::Usage(_) => ("usage_error", json!({})),
                RunError::Output { .. } => ("output_error", json!({})),
            };
            fields["exit_code"] = json!(r.exit_code);
            fields["status"] = json!(r.status);
            log.event(Level::Error, event, &e.to_string(), fields);
        }
        Ok(()) if args.quiet && !log.is_json() => {}
        Ok(()) => {
            let msg = if args.dry_run {
                format!(
                    "dry run: {} inputs: {} new, {} changed, {} unchanged, {} removed",
                    r.inputs_total,
                    r.inputs_new,
                    r.inputs_changed,
                    r.inputs_unchanged,
                    r.inputs_removed
                )
            } else {
                format!(
                    "{}: {} inputs ({} extracted pages, {} unchanged, {} failed) -> {} articles, {} paragraphs, {} comments, {} links, {} errors, {} warnings in {:.1} s; snapshot {}",
                    r.status, r.inputs_total, r.pages_extracted, r.inputs_unchanged, r.inputs_failed,
                    r.articles, r.paragraphs, r.comments, r.links, r.errors, r.warnings, r.duration_s,
                    r.snapshot.as_deref().unwrap_or("-")
                )
            };
            log.event(Level::Info, "summary", &msg, json!({ "run": r }));
        }
    }
}

fn start(
    args: &RunArgs,
    row: &mut RunRow,
    log: &Logger,
    started: std::time::Instant,
) -> Result<(), RunError> {
    let rules = Rules::load(args.config.as_deref())?;
    row.config_hash = rules.config_hash.clone();
    row.extractor_fingerprint = rules.extractor_fingerprint();
    log.event(
        Level::Info,
        "run_start",
        &format!(
            "run {} started: {} -> {}",
            row.run_id, row.input_root, row.output_root
        ),
        json!({
            "config": {
                "inputs": args.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "out": row.output_root,
                "formats": formats_list(args.formats),
                "jobs": args.jobs,
                "config_file": args.config.as_ref().map(|p| p.display().to_string()),
                "shard": args.shard.map(|s| format!("{s:?}")),
                "limit": args.limit,
                "force": args.force,
                "dry_run": args.dry_run,
                "parser": format!("{:?}", args.frontend),
                "tool_version": row.tool_version,
                "config_hash": row.config_hash,
                "extractor_fingerprint": row.extractor_fingerprint,
            }
        }),
    );
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
        Some(history::take_lock(&args.out, &row.run_id)?)
    };
    run_locked(args, &rules, row, log, started)
}

fn run_locked(
    args: &RunArgs,
    rules: &Rules,
    row: &mut RunRow,
    log: &Logger,
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
    let prev = state::load(out);
    let full = args.force
        || prev
            .values()
            .any(|s| s.extractor_fingerprint != fingerprint);
    row.mode = if full { "full" } else { "incremental" }.into();
    let cache_root = out.join("_state/cache");
    let mut states: Vec<Option<InputState>> = vec![None; files.len()];
    let mut summaries: Vec<Option<InputSummary>> = vec![None; files.len()];
    let mut todo: Vec<usize> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let mut summary = None;
        let d = state::decide(
            prev.get(&f.rel),
            f,
            full,
            &fingerprint,
            |s| {
                summary = cache::read_summary(&cache_root.join(&s.cache_path)).ok();
                summary.is_some()
            },
            || state::file_sha256(&f.path),
        );
        match d {
            Decision::Reuse(s) => {
                states[i] = Some(*s);
                summaries[i] = summary;
                row.inputs_unchanged += 1;
            }
            Decision::New => {
                row.inputs_new += 1;
                todo.push(i);
            }
            Decision::Changed => {
                row.inputs_changed += 1;
                todo.push(i);
            }
        }
    }
    let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    row.inputs_removed = prev
        .keys()
        .filter(|k| !present.contains(k.as_str()))
        .count() as i64;
    log.event(
        Level::Info,
        "plan",
        &format!(
            "{} inputs ({} mode): {} new, {} changed, {} unchanged, {} removed",
            row.inputs_total,
            row.mode,
            row.inputs_new,
            row.inputs_changed,
            row.inputs_unchanged,
            row.inputs_removed
        ),
        json!({
            "mode": row.mode, "inputs_total": row.inputs_total, "inputs_new": row.inputs_new,
            "inputs_changed": row.inputs_changed, "inputs_unchanged": row.inputs_unchanged,
            "inputs_removed": row.inputs_removed,
        }),
    );
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
        log.clone(),
    );
    let todo_files: Vec<InputFile> = todo.iter().map(|&i| files[i].clone()).collect();
    let mut ex = Extraction {
        run_id: &run_id,
        fingerprint: &fingerprint,
        cache_root: &cache_root,
        prev: &prev,
        files: &files,
        todo: &todo,
        current: None,
        states,
        summaries,
        failed_rows: Vec::new(),
        failed_inputs: BTreeSet::new(),
        io_error: None,
        // fsync is waiting, not work: more threads than cores
        syncer: syncer::Syncer::new(4),
    };
    let opts = pipeline::Options {
        frontend: args.frontend,
        jobs: args.jobs,
    };
    let completed = pipeline::run_map(
        &todo_files,
        rules,
        opts,
        &stop,
        RowEncoder::new,
        |enc, o| extract::encode_outcome(enc, o, &run_id, &prev, &todo_files),
        |o| ex.outcome(o, row, &mut progress),
    );
    ex.finish_input(&mut progress);
    ex.wait_synced();
    progress.finish();
    if let Some(e) = ex.io_error.take() {
        return Err(e);
    }
    if !completed || stop.load(Ordering::Relaxed) {
        return Err(RunError::Interrupted);
    }
    row.inputs_failed = ex.failed_inputs.len() as i64;
    let Extraction {
        states,
        summaries,
        mut failed_rows,
        ..
    } = ex;

    // ---- snapshot-wide passes over the page summaries
    let mut caps: Vec<Capture> = Vec::new();
    for (order, (st, sum)) in states.iter().zip(&summaries).enumerate() {
        let (Some(st), Some(sum)) = (st, sum) else {
            continue;
        };
        if st.status != "ok" && st.article_ids.is_empty() {
            continue;
        }
        caps.extend(sum.pages.iter().map(|page| Capture { order, page }));
    }
    let (winners, lost) = dedup::resolve_ids(caps);
    let path_of = |c: &Capture| {
        states[c.order]
            .as_ref()
            .map(|x| x.source_path.clone())
            .unwrap_or_default()
    };
    let mut tail: Vec<ErrorRow> = Vec::new();
    failed_rows.sort_by(|a, b| a.source_path.cmp(&b.source_path).then(a.code.cmp(&b.code)));
    row.errors = failed_rows.len() as i64;
    tail.extend(failed_rows);
    for (l, kept) in &lost {
        tail.push(ErrorRow {
            run_id: run_id.clone(),
            severity: "warning".into(),
            code: "w_duplicate_article".into(),
            stage: "write".into(),
            source_path: path_of(l),
            source_sha256: None,
            article_id: Some(l.page.article_id.clone()),
            message: "another input has the same article id; the latest capture is kept".into(),
            detail: Some(json!({"kept_source_path": path_of(kept)}).to_string()),
            first_seen_run_id: run_id.clone(),
        });
    }
    let para_counts = dedup::para_counts(&winners);
    let duplicate_of = dedup::duplicate_of(
        &winners,
        rules.dedup.simhash_min_words,
        rules.dedup.simhash_max_distance_bits,
    );
    row.duplicates = (lost.len() + duplicate_of.iter().flatten().count()) as i64;

    // ---- write the snapshot
    if stop.load(Ordering::Relaxed) {
        return Err(RunError::Interrupted);
    }
    let snapshots = out.join("snapshots");
    let staging = snapshots.join(format!(".staging-{run_id}"));
    fs::create_dir_all(&staging).map_err(|e| out_err(&staging, e))?;
    let plan = snapshot::Plan {
        winners: &winners,
        duplicate_of: &duplicate_of,
        para_counts: &para_counts,
        states: &states,
        cache_root: &cache_root,
        formats: args.formats,
    };
    let prev_index = if full {
        None
    } else {
        snapshot::load_index(out)
    };
    let mut manifest = serde_json::Map::new();
    for (k, v) in [
        ("schema_version", json!(model::SCHEMA_VERSION)),
        ("run_id", json!(run_id)),
        ("created_at", json!(history::now_iso())),
        (
            "tool",
            json!({"name": "pagemill", "version": env!("CARGO_PKG_VERSION")}),
        ),
        ("config_hash", json!(rules.config_hash)),
        ("extractor_fingerprint", json!(fingerprint)),
        ("input_root", json!(row.input_root)),
    ] {
        manifest.insert(k.into(), v);
    }
    let written = match snapshot::write(
        &staging,
        out,
        &run_id,
        &plan,
        &tail,
        prev_index.as_ref(),
        manifest,
        &stop,
    ) {
        Ok(w) => w,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    row.articles = written.rows[0] as i64;
    row.paragraphs = written.rows[1] as i64;
    row.comments = written.rows[2] as i64;
    row.links = written.rows[3] as i64;
    row.warnings = written.warnings as i64;

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
    log.event(
        Level::Info,
        "published",
        &format!(
            "published {} ({} articles; {} tables reused from the previous snapshot)",
            final_dir.display(),
            row.articles,
            written.reused.len()
        ),
        json!({
            "snapshot": row.snapshot, "articles": row.articles, "paragraphs": row.paragraphs,
            "comments": row.comments, "links": row.links, "errors": row.errors,
            "warnings": row.warnings, "reused_tables": written.reused,
        }),
    );

    // ---- state (after publication: a crash before this only costs re-extraction)
    let (state_text, keep_cache) = state::finalize(&states, &run_id);
    output::write_atomic(&out.join("_state/inputs.jsonl"), state_text.as_bytes())
        .map_err(|e| out_err(&out.join("_state/inputs.jsonl"), e))?;
    let index = snapshot::TableIndex {
        snapshot: run_id.clone(),
        tables: written.index,
    };
    let _ = snapshot::save_index(out, &index);
    state::prune_cache(&cache_root, &keep_cache);
    let keep = args.keep.unwrap_or(rules.run.keep_snapshots);
    match output::prune(out, keep) {
        Ok(removed) if !removed.is_empty() => log.event(
            Level::Info,
            "pruned",
            &format!(
                "removed {} old snapshot(s): {}",
                removed.len(),
                removed.join(", ")
            ),
            json!({"removed": removed, "keep": keep}),
        ),
        Ok(_) => {}
        Err(e) => log.event(
            Level::Warn,
            "prune_failed",
            &format!("could not prune old snapshots: {e}"),
            json!({"keep": keep}),
        ),
    }

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
