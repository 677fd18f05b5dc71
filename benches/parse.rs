//! Parse throughput of the two front ends (html5ever reference vs the fast one), in bytes/s.
//!
//! Pages come from /work/shared/eval/wcxb-dev/html when present (an evenly spaced sample of
//! about `PAGEMILL_BENCH_MB` MB, default 24), else from a generated page.
//! Run: `cargo bench --bench parse`.

use std::io::Read;

use criterion::{criterion_group, Criterion, Throughput};
use pagemill::parse::{parse, Frontend, ParseLimits};

fn generated_page() -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>Bench &amp; page</title>\
         <style>p { color: red }</style><script>var x = '<div>' + 1 < 2;</script></head><body>",
    );
    for i in 0..2000 {
        s.push_str(&format!(
            "<div class=\"post item-{i}\" data-id={i}><h2><a href=\"/p/{i}?a=1&amp;b=2\">Title {i}</a></h2>\
             <p>Some <b>bold</b> and <i>italic &eacute; text</i>, a <a href=x>link</a>.<p>Second\
             <ul><li>one<li>two</ul><table><tr><td>c1<td>c2</table><img src=a.png alt=''><br></div>\n"
        ));
    }
    s.push_str("</body></html>");
    s
}

fn pages() -> Vec<String> {
    let dir = std::path::Path::new("/work/shared/eval/wcxb-dev/html");
    let budget: usize = std::env::var("PAGEMILL_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
        * 1_000_000;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return vec![generated_page()];
    };
    let mut files: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    files.sort();
    if files.is_empty() {
        return vec![generated_page()];
    }
    // Evenly spaced sample: every k-th page until the budget is reached.
    let mut out = Vec::new();
    for k in [7usize, 5, 3, 2, 1] {
        out.clear();
        let mut total = 0;
        for p in files.iter().step_by(k) {
            let mut raw = Vec::new();
            if let Ok(f) = std::fs::File::open(p) {
                if flate2::read::GzDecoder::new(f)
                    .read_to_end(&mut raw)
                    .is_ok()
                {
                    total += raw.len();
                    out.push(String::from_utf8_lossy(&raw).into_owned());
                }
            }
            if total >= budget {
                break;
            }
        }
        if total >= budget {
            break;
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    eprintln!(
        "parse bench: {} pages, {:.1} MB",
        pages.len(),
        bytes as f64 / 1e6
    );
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    for (label, fe) in [("fast", Frontend::Fast), ("html5ever", Frontend::Html5ever)] {
        g.bench_function(label, |b| {
            b.iter(|| {
                let mut nodes = 0usize;
                for p in &pages {
                    if let Ok(d) = parse(p, fe, ParseLimits::default()) {
                        nodes += d.len();
                    }
                }
                nodes
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

/// `PAGEMILL_PARSE_ONCE=fast|html5ever` parses the sample once and exits (for instruction
/// counts under `valgrind --tool=callgrind --toggle-collect='pagemill::parse::parse'`).
fn main() {
    if let Ok(which) = std::env::var("PAGEMILL_PARSE_ONCE") {
        let fe = if which == "fast" {
            Frontend::Fast
        } else {
            Frontend::Html5ever
        };
        let pages = pages();
        let bytes: usize = pages.iter().map(|p| p.len()).sum();
        let nodes: usize = pages
            .iter()
            .filter_map(|p| parse(p, fe, ParseLimits::default()).ok())
            .map(|d| d.len())
            .sum();
        println!(
            "{which}: {} pages, {bytes} bytes, {nodes} nodes",
            pages.len()
        );
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
