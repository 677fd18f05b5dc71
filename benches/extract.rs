//! Criterion benches on real pages: parse alone, and parse + extract + assemble.
//!
//! Pages come from `../shared/eval/wcxb-dev/html` when it exists (the first 40), else from
//! `examples/pages`. Throughput is reported in bytes of decompressed HTML.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pagemill::extract::{self, SourceInfo};
use pagemill::parse::{parse, Frontend, ParseLimits};
use pagemill::settings::Rules;

fn pages() -> Vec<String> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/wcxb-dev/html");
    let dir = if shared.exists() {
        shared
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pages")
    };
    let files = pagemill::discover::discover(&[dir], None).unwrap_or_default();
    files
        .into_iter()
        .filter(|f| !f.warc)
        .take(40)
        .filter_map(|f| {
            let raw = pagemill::read::read_file(&f.path, &f.rel, 1 << 40).ok()?;
            Some(pagemill::decode::decode(raw.bytes, None, None).text)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    let bytes: u64 = pages.iter().map(|p| p.len() as u64).sum();
    let rules = Rules::defaults().expect("default rules");
    let mut g = c.benchmark_group("pages");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("parse_html5ever", |b| {
        b.iter(|| {
            for p in &pages {
                let _ = parse(p, Frontend::Html5ever, ParseLimits::default());
            }
        })
    });
    let doms: Vec<_> = pages
        .iter()
        .filter_map(|p| parse(p, Frontend::Html5ever, ParseLimits::default()).ok())
        .collect();
    g.bench_function("extract_only", |b| {
        b.iter(|| {
            for d in &doms {
                let src = SourceInfo::default();
                let ex = extract::extract(d, &src, &rules);
                let _ = extract::assemble::assemble(ex, &src, &rules);
            }
        })
    });
    g.bench_function("parse_and_extract", |b| {
        b.iter(|| {
            for p in &pages {
                if let Ok(d) = parse(p, Frontend::Html5ever, ParseLimits::default()) {
                    let src = SourceInfo::default();
                    let ex = extract::extract(&d, &src, &rules);
                    let _ = extract::assemble::assemble(ex, &src, &rules);
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
