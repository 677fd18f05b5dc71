//! Hostile and huge inputs: each becomes rows or an error row, never a crash or an
//! out-of-memory kill, and peak memory stays within a stated bound.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

fn run(input: &Path, out: &Path) -> (Option<i32>, u64) {
    let status = Command::new(env!("CARGO_BIN_EXE_pagemill"))
        .args([
            "run",
            &input.display().to_string(),
            "--out",
            &out.display().to_string(),
            "--quiet",
            "--jobs",
            "2",
            "--max-failure-rate",
            "1",
        ])
        .status()
        .expect("binary runs");
    (status.code(), peak_child_rss_bytes())
}

/// Peak resident set size of any waited-for child so far (Linux reports KiB).
fn peak_child_rss_bytes() -> u64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss as u64 * 1024
}

fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn errors(out: &Path) -> Vec<(String, String)> {
    jsonl(&out.join("latest/errors.jsonl"))
        .into_iter()
        .filter(|e| e["severity"] == "error")
        .map(|e| {
            (
                e["source_path"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect()
}

const GOOD: &str = "<html><head><title>Ok</title></head><body><article><p>This page is fine and has enough words to be an article of its own, with a second sentence for good measure.</p></article></body></html>";

#[test]
fn huge_and_deep_inputs_are_bounded() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("good.html"), GOOD).unwrap();
    // ~48 MB page under the 50 MiB limit: parsed and extracted
    let mut big = String::from("<html><body><article>");
    let para =
        "<p>The council met on Monday and agreed to repair the old bridge before winter.</p>\n";
    while big.len() < 48_000_000 {
        big.push_str(para);
    }
    big.push_str("</article></body></html>");
    fs::write(input.join("big.html"), &big).unwrap();
    drop(big);
    // above the limit: rejected before reading
    let f = fs::File::create(input.join("toobig.html")).unwrap();
    f.set_len(60 * 1024 * 1024).unwrap();
    // 100,000-deep nesting
    fs::write(input.join("deep.html"), "<div>".repeat(100_000) + "x").unwrap();
    // a million links
    let mut links = String::from("<html><body><div>");
    for i in 0..1_000_000 {
        links.push_str(&format!("<a href=\"/p/{i}\">l{i}</a> "));
    }
    links.push_str("</div><article><p>A page that is mostly links but has a sentence of text as well, long enough.</p></article></body></html>");
    fs::write(input.join("links.html"), &links).unwrap();
    drop(links);
    let out = d.path().join("out");
    let (code, rss) = run(&input, &out);
    assert_eq!(code, Some(1));
    let errs = errors(&out);
    assert!(
        errs.contains(&("toobig.html".into(), "e_too_large".into())),
        "{errs:?}"
    );
    assert!(
        errs.contains(&("deep.html".into(), "e_too_large".into())),
        "{errs:?}"
    );
    let arts = jsonl(&out.join("latest/articles.jsonl"));
    let paths: Vec<&str> = arts
        .iter()
        .map(|a| a["source_path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"good.html") && paths.contains(&"big.html"),
        "{paths:?}"
    );
    // stated bound (README): a small constant + jobs × a few times the largest page in flight
    assert!(
        rss < 3 * 1024 * 1024 * 1024,
        "peak RSS {} MB",
        rss / 1_000_000
    );
}

#[test]
fn warc_with_a_2gb_record_is_streamed() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let path = input.join("big.warc");
    let mut f = fs::File::create(&path).unwrap();
    let len: u64 = 2 * 1024 * 1024 * 1024;
    write!(
        f,
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://e.example/huge\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {len}\r\n\r\n"
    )
    .unwrap();
    let start = f.metadata().unwrap().len();
    // sparse: the 2 GB body costs no disk
    f.set_len(start + len).unwrap();
    drop(f);
    let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{GOOD}");
    write!(
        f,
        "\r\n\r\nWARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://e.example/ok\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .unwrap();
    drop(f);
    let out = d.path().join("out");
    let (code, rss) = run(&input, &out);
    assert_eq!(code, Some(1));
    assert_eq!(
        errors(&out),
        vec![("big.warc#r0".to_string(), "e_too_large".to_string())]
    );
    let arts = jsonl(&out.join("latest/articles.jsonl"));
    assert_eq!(arts.len(), 1);
    assert_eq!(arts[0]["url"], "https://e.example/ok");
    assert!(
        rss < 3 * 1024 * 1024 * 1024,
        "peak RSS {} MB",
        rss / 1_000_000
    );
}
