//! Pipeline: inputs → pages → rows, in parallel, delivered in input order.
//!
//! Why it exists: pages are independent, so rayon workers parse and extract them in parallel,
//! while one reader thread streams inputs (splitting WARC files record by record) into bounded
//! batches and the caller receives outcomes strictly in input order (deterministic output with
//! any number of threads). A panic inside one page is caught and becomes that page's error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::discover::InputFile;
use crate::error::PageError;
use crate::extract::{self, SourceInfo};
use crate::model::PageRows;
use crate::parse::{self, Frontend, ParseLimits};
use crate::read::{self, RawPage};
use crate::settings::Rules;

/// What happened to one page (a file, or one WARC record).
#[derive(Debug)]
pub struct Outcome {
    /// Index of the input file in the list given to [`run`].
    pub file_index: usize,
    /// `source_path` of the page.
    pub source_path: String,
    /// sha256 of the raw input, when it could be read.
    pub source_sha256: Option<String>,
    /// Bytes read for this page.
    pub bytes_read: u64,
    /// Rows or the error.
    pub result: Result<PageRows, PageError>,
}

/// Options for one pipeline run.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Parser front end.
    pub frontend: Frontend,
    /// Worker threads.
    pub jobs: usize,
}

/// Formats a file mtime (ns) as ISO 8601 UTC.
pub fn mtime_iso(mtime_ns: i128) -> String {
    let secs = (mtime_ns / 1_000_000_000) as i64;
    let nanos = (mtime_ns % 1_000_000_000) as u32;
    chrono::DateTime::from_timestamp(secs, nanos)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Processes one raw page: check, decode, parse, extract, assemble.
pub fn process_raw(
    raw: RawPage,
    mtime: &str,
    path_url: Option<String>,
    rules: &Rules,
    frontend: Frontend,
) -> Result<PageRows, PageError> {
    crate::decode::check_html(&raw.bytes)?;
    let tld = raw
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| {
            u.host_str()
                .map(|h| h.rsplit('.').next().unwrap_or("").to_string())
        });
    let decoded = crate::decode::decode(
        raw.bytes,
        raw.transport_charset.as_deref(),
        tld.as_deref().map(str::as_bytes),
    );
    let origin = crate::decode::saved_origin(&decoded.text);
    let source = SourceInfo {
        source_path: raw.source_path,
        source_sha256: raw.sha256,
        source_bytes: raw.raw_bytes as i64,
        source_mtime: mtime.to_string(),
        saved_url: raw.url.or(origin.url),
        path_url,
        captured_at: raw
            .captured_at
            .as_deref()
            .and_then(|d| extract::dates::parse_date(d, &Default::default()))
            .map(|d| d.iso)
            .or(origin.captured_at),
        encoding: decoded.encoding,
        content_language: raw.content_language,
    };
    let limits = ParseLimits {
        max_depth: rules.limits.max_nesting_depth,
        max_nodes: rules.limits.max_nodes,
    };
    let text = decoded.text;
    let rows = catch_unwind(AssertUnwindSafe(|| {
        let mut dom = parse::parse(&text, frontend, limits)?;
        extract::content::streaming::resolve(&mut dom, rules.content.streaming_fallback_max_chars);
        let ex = extract::extract(&dom, &source, rules);
        Ok::<_, PageError>(extract::assemble::assemble(ex, &source, rules))
    }))
    .map_err(|p| PageError::Internal(panic_message(&p)))??;
    if rows.article.text.is_empty() && rows.comments.is_empty() {
        return Err(PageError::Empty);
    }
    Ok(rows)
}

/// Extracts one in-memory page (for `pagemill extract` and the eval).
pub fn extract_bytes(
    bytes: Vec<u8>,
    source_path: &str,
    url: Option<String>,
    rules: &Rules,
    frontend: Frontend,
) -> Result<PageRows, PageError> {
    let raw = RawPage {
        source_path: source_path.to_string(),
        sha256: crate::extract::text::sha256_hex(&bytes),
        raw_bytes: bytes.len() as u64,
        bytes,
        url,
        ..RawPage::default()
    };
    process_raw(raw, &mtime_iso(0), None, rules, frontend)
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

enum Item {
    Page(usize, RawPage),
    Failed(usize, String, PageError),
}

/// Bytes of HTML in flight (read, in a worker, or awaiting delivery) before the reader waits.
const MAX_BYTES_IN_FLIGHT: u64 = 64 * 1024 * 1024;

/// How much work is in flight between the reader and the ordered delivery: the reader waits
/// while `[run] batch_pages` pages or [`MAX_BYTES_IN_FLIGHT`] bytes are out (so memory stays
/// bounded however unevenly pages take time); the consumer gives each page back as it is
/// delivered.
struct Window {
    state: std::sync::Mutex<(usize, u64)>,
    freed: std::sync::Condvar,
    max_pages: usize,
}

impl Window {
    /// Waits for room for one more page of `bytes`; false when `stop` or `closed` became true.
    fn take(&self, bytes: u64, stop: &AtomicBool, closed: &AtomicBool) -> bool {
        let Ok(mut g) = self.state.lock() else {
            return false;
        };
        loop {
            if stop.load(Ordering::Relaxed) || closed.load(Ordering::Relaxed) {
                return false;
            }
            let (pages, held) = *g;
            if pages == 0 || (pages < self.max_pages && held + bytes <= MAX_BYTES_IN_FLIGHT) {
                *g = (pages + 1, held + bytes);
                return true;
            }
            // bounded wait: `stop` is a plain flag set from a signal handler
            g = match self
                .freed
                .wait_timeout(g, std::time::Duration::from_millis(50))
            {
                Ok((g, _)) => g,
                Err(_) => return false,
            };
        }
    }

    fn give(&self, bytes: u64) {
        if let Ok(mut g) = self.state.lock() {
            g.0 = g.0.saturating_sub(1);
            g.1 = g.1.saturating_sub(bytes);
        }
        self.freed.notify_all();
    }

    fn wake(&self) {
        self.freed.notify_all();
    }
}

/// Processes one item (a page, or a read failure) into its outcome.
fn outcome_of(item: Item, files: &[InputFile], rules: &Rules, frontend: Frontend) -> Outcome {
    match item {
        Item::Failed(i, sp, e) => Outcome {
            file_index: i,
            source_path: sp,
            source_sha256: None,
            bytes_read: 0,
            result: Err(e),
        },
        Item::Page(i, p) => {
            let f = &files[i];
            let sp = p.source_path.clone();
            let sha = Some(p.sha256.clone());
            let n = p.bytes.len() as u64;
            let path_url = if f.warc {
                None
            } else {
                crate::discover::path_url(&f.rel)
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                process_raw(p, &mtime_iso(f.mtime_ns), path_url, rules, frontend)
            }))
            .unwrap_or_else(|e| Err(PageError::Internal(panic_message(&e))));
            Outcome {
                file_index: i,
                source_path: sp,
                source_sha256: sha,
                bytes_read: n,
                result,
            }
        }
    }
}

/// Runs the pipeline over `files`; `on_outcome` sees every page in input order.
/// Stops early (returning false) when `stop` becomes true.
pub fn run(
    files: &[InputFile],
    rules: &Rules,
    opts: Options,
    stop: &AtomicBool,
    on_outcome: impl FnMut(Outcome),
) -> bool {
    run_map(files, rules, opts, stop, || (), |_, o| o, on_outcome)
}

/// [`run`] with a per-page step run on the workers: each worker builds its state with `init`
/// once, turns every outcome into a `T` with `work` (encoding rows, say), and `deliver` sees
/// the `T`s on the calling thread strictly in input order, whatever the number of threads.
///
/// One reader thread streams inputs (WARC files record by record) to `opts.jobs` workers
/// that take pages one at a time (no batch barrier: a slow page holds up nobody but its own
/// delivery); the caller reorders their results. At most `[run] batch_pages` pages (and 64
/// MB of HTML) are in flight at once. Returns false when stopped early (by `stop`, or when a
/// worker's `work` panicked).
pub fn run_map<S, T: Send>(
    files: &[InputFile],
    rules: &Rules,
    opts: Options,
    stop: &AtomicBool,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, Outcome) -> T + Sync,
    mut deliver: impl FnMut(T),
) -> bool {
    let max_bytes = rules.limits.max_input_bytes;
    let window = Window {
        state: std::sync::Mutex::new((0, 0)),
        freed: std::sync::Condvar::new(),
        max_pages: rules.run.batch_pages.max(1),
    };
    // set when the consumer stops early, so the reader and the workers wind down
    let closed = AtomicBool::new(false);
    let jobs = opts.jobs.max(1);
    let (job_tx, job_rx) = crossbeam_channel::bounded::<(usize, u64, Item)>(jobs * 2);
    let (res_tx, res_rx) = crossbeam_channel::unbounded::<(usize, u64, Option<T>)>();
    std::thread::scope(|scope| {
        let (window, closed) = (&window, &closed);
        scope.spawn(move || {
            let mut seq = 0usize;
            let mut send = |item: Item| -> bool {
                let bytes = match &item {
                    Item::Page(_, p) => p.bytes.len() as u64,
                    Item::Failed(..) => 0,
                };
                if !window.take(bytes, stop, closed) {
                    return false;
                }
                let ok = job_tx.send((seq, bytes, item)).is_ok();
                seq += 1;
                ok
            };
            for (i, f) in files.iter().enumerate() {
                if stop.load(Ordering::Relaxed) || closed.load(Ordering::Relaxed) {
                    return;
                }
                if f.warc {
                    let mut alive = true;
                    let res = read::for_each_warc_record(&f.path, &f.rel, max_bytes, |(sp, r)| {
                        if alive {
                            alive = send(match r {
                                Ok(p) => Item::Page(i, p),
                                Err(e) => Item::Failed(i, sp, e),
                            });
                        }
                    });
                    if !alive {
                        return;
                    }
                    if let Err(e) = res {
                        if !send(Item::Failed(i, f.rel.clone(), e)) {
                            return;
                        }
                    }
                } else {
                    let item = match read::read_file(&f.path, &f.rel, max_bytes) {
                        Ok(p) => Item::Page(i, p),
                        Err(e) => Item::Failed(i, f.rel.clone(), e),
                    };
                    if !send(item) {
                        return;
                    }
                }
            }
        });
        for _ in 0..jobs {
            let (job_rx, res_tx) = (job_rx.clone(), res_tx.clone());
            let (init, work) = (&init, &work);
            scope.spawn(move || {
                let mut state = init();
                for (seq, bytes, item) in job_rx.iter() {
                    if closed.load(Ordering::Relaxed) {
                        break;
                    }
                    let o = outcome_of(item, files, rules, opts.frontend);
                    let t = catch_unwind(AssertUnwindSafe(|| work(&mut state, o))).ok();
                    let failed = t.is_none();
                    if res_tx.send((seq, bytes, t)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop((job_rx, res_tx));
        // deliver in input order
        let mut next = 0usize;
        let mut held: std::collections::BTreeMap<usize, (u64, Option<T>)> = Default::default();
        let mut ok = true;
        'recv: for (seq, bytes, t) in res_rx.iter() {
            held.insert(seq, (bytes, t));
            while let Some((bytes, t)) = held.remove(&next) {
                next += 1;
                window.give(bytes);
                match t {
                    Some(t) if !stop.load(Ordering::Relaxed) => deliver(t),
                    _ => {
                        ok = false;
                        break 'recv;
                    }
                }
            }
        }
        closed.store(true, Ordering::Relaxed);
        window.wake();
        // drain so no worker blocks on a full channel (they exit on `closed`)
        drop(res_rx);
        ok && held.is_empty() && !stop.load(Ordering::Relaxed)
    })
}
