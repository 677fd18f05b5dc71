//! Extraction of the inputs that changed: pipeline outcomes in, cache files and state rows out.
//!
//! Why it exists: pages arrive from the pipeline in input order; this module closes one input's
//! cache file when the next input starts, bakes the extraction-time columns (`run_id`,
//! `first_seen_run_id`) into the cached rows, turns page failures into `errors` rows, and logs
//! each page error and warning as it happens.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::json;

use super::cache::{self, CacheWriter, EncodedPage, InputSummary};
use super::log::Level;
use super::state::{self, InputState};
use super::syncer::Syncer;
use super::RunRow;
use crate::discover::InputFile;
use crate::error::{out_err, PageError, RunError};
use crate::model::ErrorRow;
use crate::output::RowEncoder;
use crate::pipeline;
use crate::progress::Progress;

/// Extraction of the inputs that changed, writing their cache files as pages arrive.
pub(super) struct Extraction<'a> {
    pub(super) run_id: &'a str,
    pub(super) fingerprint: &'a str,
    pub(super) cache_root: &'a Path,
    pub(super) prev: &'a HashMap<String, InputState>,
    pub(super) files: &'a [InputFile],
    pub(super) todo: &'a [usize],
    pub(super) current: Option<(usize, CacheWriter, InputState, bool)>,
    pub(super) states: Vec<Option<InputState>>,
    pub(super) summaries: Vec<Option<InputSummary>>,
    pub(super) failed_rows: Vec<ErrorRow>,
    pub(super) failed_inputs: BTreeSet<usize>,
    pub(super) io_error: Option<RunError>,
    /// Syncs finished cache files in the background.
    pub(super) syncer: Syncer,
}

impl Extraction<'_> {
    /// Closes the cache file of the input in progress and records its state.
    pub(super) fn finish_input(&mut self, progress: &mut Progress) {
        let Some((ti, w, mut st, _warc)) = self.current.take() else {
            return;
        };
        let order = self.todo[ti];
        let path = self.cache_root.join(&st.cache_path);
        let finished = w
            .finish_unsynced()
            .and_then(|(summary, f)| self.syncer.sync(path, f).map(|()| summary));
        match finished {
            Ok(summary) => {
                st.status = if self.failed_inputs.contains(&ti) {
                    "failed"
                } else {
                    "ok"
                }
                .into();
                self.summaries[order] = Some(summary);
                self.states[order] = Some(st);
            }
            Err(e) => {
                self.io_error
                    .get_or_insert_with(|| out_err(&self.cache_root.join(&st.cache_path), e));
            }
        }
        progress.input_done();
    }

    /// Waits for the cache files to be synced; an error fails the run.
    pub(super) fn wait_synced(&mut self) {
        if let Err((path, e)) = self.syncer.wait() {
            self.io_error.get_or_insert_with(|| out_err(&path, e));
        }
    }

    /// Starts the cache file of input `ti` (of `todo`).
    fn start_input(&mut self, ti: usize, page_sha: Option<&str>) {
        let f = &self.files[self.todo[ti]];
        // a plain file's page sha256 is the file's: no second read of the input
        let sha = match (f.warc, page_sha) {
            (false, Some(s)) => s.to_string(),
            _ => state::file_sha256(&f.path).unwrap_or_default(),
        };
        let rel_cache = state::cache_rel(&f.rel, &sha);
        let path = self.cache_root.join(&rel_cache);
        match CacheWriter::create(&path) {
            Ok(w) => {
                let prev = self.prev.get(&f.rel);
                let st = InputState {
                    source_path: f.rel.clone(),
                    size: f.size,
                    mtime_ns: f.mtime_ns,
                    source_sha256: sha,
                    article_ids: Vec::new(),
                    status: "ok".into(),
                    extractor_fingerprint: self.fingerprint.to_string(),
                    last_run_id: self.run_id.to_string(),
                    cache_path: rel_cache,
                    first_seen: prev.map(|p| p.first_seen.clone()).unwrap_or_default(),
                    error_first_seen: prev.map(|p| p.error_first_seen.clone()).unwrap_or_default(),
                    cache_version: state::CACHE_VERSION,
                };
                self.current = Some((ti, w, st, f.warc));
            }
            Err(e) => self.io_error = Some(out_err(&path, e)),
        }
    }

    pub(super) fn outcome(&mut self, o: Encoded, row: &mut RunRow, progress: &mut Progress) {
        if self.io_error.is_some() {
            return;
        }
        let ti = o.file_index;
        if self.current.as_ref().map(|c| c.0) != Some(ti) {
            self.finish_input(progress);
            self.start_input(ti, o.source_sha256.as_deref());
        }
        row.bytes_read += o.bytes_read as i64;
        let run_id = self.run_id;
        let Some((_, w, st, _)) = self.current.as_mut() else {
            return;
        };
        match o.result {
            Ok(encoded) => {
                row.pages_extracted += 1;
                progress.page(o.bytes_read, false);
                let res = encoded.and_then(|page| {
                    log_page_warnings(progress, &page.summary.warnings);
                    st.article_ids.push(page.summary.article_id.clone());
                    w.append(page)
                });
                if let Err(e) = res {
                    self.io_error = Some(out_err(&self.cache_root.join(&st.cache_path), e));
                }
            }
            Err(e) => {
                progress.page(o.bytes_read, true);
                self.failed_inputs.insert(ti);
                let first = st
                    .error_first_seen
                    .entry(e.code().to_string())
                    .or_insert_with(|| run_id.to_string())
                    .clone();
                let er = page_error_row(run_id, &o.source_path, o.source_sha256, &e, first);
                progress.event(
                    Level::Warn,
                    "page_error",
                    &format!("{}: {} [{}]", er.source_path, er.message, er.code),
                    json!({"source_path": er.source_path, "code": er.code, "stage": er.stage, "detail": er.message}),
                    true,
                );
                self.failed_rows.push(er);
            }
        }
    }
}

/// A pipeline outcome with its rows already encoded for the cache (done on the worker).
pub(super) struct Encoded {
    file_index: usize,
    source_path: String,
    source_sha256: Option<String>,
    bytes_read: u64,
    /// The encoded page (or the encoding's I/O error), or the page's error.
    result: Result<std::io::Result<EncodedPage>, PageError>,
}

/// Worker side of [`Extraction::outcome`]: bakes the extraction-time columns (`run_id`, and
/// `first_seen_run_id` from the input's previous state) into the rows and encodes them.
/// `files` are the inputs given to the pipeline (`outcome.file_index` indexes them).
pub(super) fn encode_outcome(
    enc: &mut RowEncoder,
    o: pipeline::Outcome,
    run_id: &str,
    prev: &HashMap<String, InputState>,
    files: &[InputFile],
) -> Encoded {
    let pipeline::Outcome {
        file_index,
        source_path,
        source_sha256,
        bytes_read,
        result,
    } = o;
    let result = result.map(|mut rows| {
        let a = &mut rows.article;
        // fixed for this cache file: the run that extracted it, the first run that saw it
        a.run_id = run_id.to_string();
        a.first_seen_run_id = files
            .get(file_index)
            .and_then(|f| prev.get(&f.rel))
            .and_then(|p| p.first_seen.get(&a.article_id))
            .cloned()
            .unwrap_or_else(|| run_id.to_string());
        cache::encode_page(enc, &mut rows)
    });
    Encoded {
        file_index,
        source_path,
        source_sha256,
        bytes_read,
        result,
    }
}

fn log_page_warnings(progress: &Progress, warnings: &[ErrorRow]) {
    for w in warnings {
        progress.event(
            Level::Warn,
            "page_warning",
            &format!("{}: {} [{}]", w.source_path, w.message, w.code),
            json!({"source_path": w.source_path, "article_id": w.article_id, "code": w.code, "stage": w.stage, "detail": w.message}),
            false,
        );
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
