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

/// Runs the pipeline over `files`; `on_outcome` sees every page in input order.
/// Stops early (returning false) when `stop` becomes true.
pub fn run(
    files: &[InputFile],
    rules: &Rules,
    opts: Options,
    stop: &AtomicBool,
    mut on_outcome: impl FnMut(Outcome),
) -> bool {
    let batch_pages = rules.run.batch_pages.max(1);
    let batch_bytes: u64 = 64 * 1024 * 1024;
    let max_bytes = rules.limits.max_input_bytes;
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
    {
        Ok(p) => p,
        Err(_) => return false,
    };
    let (tx, rx) = crossbeam_channel::bounded::<Vec<Item>>(2);
    std::thread::scope(|scope| {
        // Owned here so an early return drops it and unblocks the reader.
        let rx = rx;
        scope.spawn(move || {
            let mut batch = Vec::new();
            let mut bytes = 0u64;
            let flush = |batch: &mut Vec<Item>, bytes: &mut u64| -> bool {
                *bytes = 0;
                tx.send(std::mem::take(batch)).is_ok()
            };
            for (i, f) in files.iter().enumerate() {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if f.warc {
                    let mut alive = true;
                    let res = read::for_each_warc_record(&f.path, &f.rel, max_bytes, |(sp, r)| {
                        if !alive {
                            return;
                        }
                        match r {
                            Ok(p) => {
                                bytes += p.bytes.len() as u64;
                                batch.push(Item::Page(i, p));
                            }
                            Err(e) => batch.push(Item::Failed(i, sp, e)),
                        }
                        if batch.len() >= batch_pages || bytes >= batch_bytes {
                            alive = flush(&mut batch, &mut bytes);
                        }
                    });
                    if let Err(e) = res {
                        batch.push(Item::Failed(i, f.rel.clone(), e));
                    }
                    if !alive {
                        return;
                    }
                } else {
                    match read::read_file(&f.path, &f.rel, max_bytes) {
                        Ok(p) => {
                            bytes += p.bytes.len() as u64;
                            batch.push(Item::Page(i, p));
                        }
                        Err(e) => batch.push(Item::Failed(i, f.rel.clone(), e)),
                    }
                }
                if (batch.len() >= batch_pages || bytes >= batch_bytes)
                    && !flush(&mut batch, &mut bytes)
                {
                    return;
                }
            }
            if !batch.is_empty() {
                flush(&mut batch, &mut bytes);
            }
        });
        for batch in rx.iter() {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            let outcomes: Vec<Outcome> = pool.install(|| {
                use rayon::prelude::*;
                batch
                    .into_par_iter()
                    .map(|item| match item {
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
                                process_raw(
                                    p,
                                    &mtime_iso(f.mtime_ns),
                                    path_url,
                                    rules,
                                    opts.frontend,
                                )
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
                    })
                    .collect()
            });
            for o in outcomes {
                on_outcome(o);
            }
        }
        !stop.load(Ordering::Relaxed)
    })
}
