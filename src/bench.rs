//! Stage benchmark: MB/s per stage (read, decompress, decode, parse, extract, write) on one
//! thread, then whole-pipeline pages/s and MB/s for 1 and N threads.
//!
//! Why it exists: speed claims must be reproducible with one command (`pagemill bench DIR`),
//! and a per-stage table shows where time goes, so work on the parser or the extractor can be
//! judged on its own stage. Timings are wall-clock on the machine at hand; compare ratios.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::Serialize;

use crate::discover;
use crate::extract::{self, SourceInfo};
use crate::model::PageRows;
use crate::output::{self, Formats, TableWriter};
use crate::parse::{self, Frontend, ParseLimits};
use crate::pipeline;
use crate::read;
use crate::settings::Rules;

/// One row of the stage table.
#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    /// Stage name.
    pub stage: String,
    /// Seconds spent.
    pub seconds: f64,
    /// Megabytes (decompressed HTML) per second through this stage.
    pub mb_per_s: f64,
}

/// The benchmark result.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Pages measured.
    pub pages: usize,
    /// Decompressed HTML bytes.
    pub html_bytes: u64,
    /// Single-thread stage table.
    pub stages: Vec<StageTime>,
    /// Whole pipeline (read → write) runs: (threads, pages/s, MB/s).
    pub whole: Vec<(usize, f64, f64)>,
}

fn mbs(bytes: u64, secs: f64) -> f64 {
    (bytes as f64 / 1e6 / secs.max(1e-9) * 10.0).round() / 10.0
}

/// Runs the benchmark over the HTML files under `dir`.
pub fn run(
    dir: &Path,
    rules: &Rules,
    frontend: Frontend,
    jobs: usize,
    limit: Option<usize>,
) -> std::io::Result<BenchReport> {
    let mut files = discover::discover(&[dir.to_path_buf()], None)?;
    files.retain(|f| !f.warc);
    if let Some(n) = limit {
        files.truncate(n);
    }
    // read (raw bytes from disk)
    let t = Instant::now();
    let raws: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| std::fs::read(&f.path).ok())
        .collect();
    let t_read = t.elapsed().as_secs_f64();
    // decompress
    let t = Instant::now();
    let max_bytes = rules.limits.max_input_bytes;
    let htmls: Vec<Vec<u8>> = raws
        .into_iter()
        .map(|r| read::decompress(r, max_bytes).unwrap_or_default())
        .collect();
    let t_decomp = t.elapsed().as_secs_f64();
    let bytes: u64 = htmls.iter().map(|h| h.len() as u64).sum();
    // decode
    let t = Instant::now();
    let texts: Vec<(String, String)> = htmls
        .into_iter()
        .map(|h| {
            let d = crate::decode::decode(h, None, None);
            (d.text, d.encoding)
        })
        .collect();
    let t_decode = t.elapsed().as_secs_f64();
    let limits = ParseLimits {
        max_depth: rules.limits.max_nesting_depth,
        max_nodes: rules.limits.max_nodes,
    };
    // parse
    let t = Instant::now();
    let mut doms: Vec<Option<crate::dom::Dom>> = texts
        .iter()
        .map(|(t, _)| parse::parse(t, frontend, limits).ok())
        .collect();
    let t_parse = t.elapsed().as_secs_f64();
    // extract
    let t = Instant::now();
    let rows: Vec<PageRows> = doms
        .iter_mut()
        .zip(&files)
        .zip(&texts)
        .filter_map(|((d, f), (_, enc))| {
            let d = d.as_mut()?;
            extract::content::streaming::resolve(d, rules.content.streaming_fallback_max_chars);
            let src = SourceInfo {
                source_path: f.rel.clone(),
                encoding: enc.clone(),
                ..SourceInfo::default()
            };
            let ex = extract::extract(d, &src, rules);
            Some(extract::assemble::assemble(ex, &src, rules))
        })
        .collect();
    let t_extract = t.elapsed().as_secs_f64();
    drop(doms);
    // write (to a temporary folder, both formats)
    let tmp = std::env::temp_dir().join(format!("pagemill-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let t = Instant::now();
    {
        let f = Formats::default();
        let mut wa = TableWriter::create(
            &tmp,
            "articles",
            output::columns::<crate::model::Article>(),
            f,
        )?;
        let mut wp = TableWriter::create(
            &tmp,
            "paragraphs",
            output::columns::<crate::model::Paragraph>(),
            f,
        )?;
        let mut wc = TableWriter::create(
            &tmp,
            "comments",
            output::columns::<crate::model::Comment>(),
            f,
        )?;
        let mut wl =
            TableWriter::create(&tmp, "links", output::columns::<crate::model::Link>(), f)?;
        for r in &rows {
            wa.write(&r.article)?;
            for p in &r.paragraphs {
                wp.write(p)?;
            }
            for c in &r.comments {
                wc.write(c)?;
            }
            for l in &r.links {
                wl.write(l)?;
            }
        }
        for w in [wa, wp, wc, wl] {
            w.finish()?;
        }
    }
    let t_write = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&tmp);
    let mut stages = vec![
        ("read", t_read),
        ("decompress", t_decomp),
        ("decode", t_decode),
        ("parse", t_parse),
        ("extract", t_extract),
        ("write", t_write),
    ]
    .into_iter()
    .map(|(s, secs)| StageTime {
        stage: s.into(),
        seconds: (secs * 1000.0).round() / 1000.0,
        mb_per_s: mbs(bytes, secs),
    })
    .collect::<Vec<_>>();
    let total: f64 = [t_read, t_decomp, t_decode, t_parse, t_extract, t_write]
        .iter()
        .sum();
    stages.push(StageTime {
        stage: "all stages".into(),
        seconds: (total * 1000.0).round() / 1000.0,
        mb_per_s: mbs(bytes, total),
    });
    // whole pipeline, 1 and N threads (rows are serialised on the workers, as `run` encodes
    // them, not written: the writer is measured above)
    let mut whole = Vec::new();
    let mut thread_counts = vec![1];
    if jobs > 1 {
        thread_counts.push(jobs);
    }
    for n in thread_counts {
        let stop = AtomicBool::new(false);
        let t = Instant::now();
        let mut pages = 0usize;
        let mut b = 0u64;
        pipeline::run_map(
            &files,
            rules,
            pipeline::Options { frontend, jobs: n },
            &stop,
            Vec::new,
            |sink: &mut Vec<u8>, o| {
                if let Ok(r) = &o.result {
                    sink.clear();
                    let _ = crate::output::json::write(sink, r);
                }
                o.bytes_read
            },
            |bytes| {
                pages += 1;
                b += bytes;
            },
        );
        let secs = t.elapsed().as_secs_f64();
        whole.push((n, (pages as f64 / secs * 10.0).round() / 10.0, mbs(b, secs)));
    }
    Ok(BenchReport {
        pages: files.len(),
        html_bytes: bytes,
        stages,
        whole,
    })
}

/// Prints the report as a table.
pub fn print(r: &BenchReport) {
    println!(
        "{} pages, {:.1} MB of HTML (decompressed)\n",
        r.pages,
        r.html_bytes as f64 / 1e6
    );
    println!("{:<12} {:>9} {:>10}", "stage", "seconds", "MB/s");
    for s in &r.stages {
        println!("{:<12} {:>9.3} {:>10.1}", s.stage, s.seconds, s.mb_per_s);
    }
    println!("\nwhole pipeline (read → decode → parse → extract → serialise rows):");
    for (n, pps, mb) in &r.whole {
        println!("  {n} thread(s): {pps:.1} pages/s, {mb:.1} MB/s");
    }
}
