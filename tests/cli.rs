//! End-to-end tests: run the binary on pages written here or shipped in `examples/pages`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pagemill"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn run_in(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut a = vec![
        "run".to_string(),
        input.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    bin().args(&a).output().expect("binary runs")
}

fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pages")
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.exists().then_some(p)
}

fn latest_bytes(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(out.join("latest"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != "manifest.json")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Replaces run-specific values (run ids) so two runs can be compared byte for byte.
fn strip_run_ids(tables: Vec<(String, Vec<u8>)>) -> Vec<(String, String)> {
    let re = regex::Regex::new(r"\d{8}T\d{6}Z-[0-9a-f]{6}").unwrap();
    tables
        .into_iter()
        .map(|(n, b)| {
            (
                n,
                re.replace_all(&String::from_utf8_lossy(&b), "RUN")
                    .into_owned(),
            )
        })
        .collect()
}

#[test]
fn examples_produce_all_tables_in_both_formats() {
    let d = tempfile::tempdir().unwrap();
    let o = run_in(&examples(), d.path(), &["--json"]);
    assert!(o.status.code().is_some_and(|c| c == 0 || c == 1), "{o:?}");
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json summary");
    assert_eq!(summary["inputs_total"], 5);
    for t in ["articles", "paragraphs", "comments", "links", "errors"] {
        assert!(
            d.path().join(format!("latest/{t}.jsonl")).exists(),
            "{t}.jsonl"
        );
        let csv = d.path().join(format!("latest/{t}.csv"));
        let mut r = csv::Reader::from_path(&csv).unwrap();
        let n_cols = r.headers().unwrap().len();
        for rec in r.records() {
            assert_eq!(rec.unwrap().len(), n_cols, "{t}.csv rows have every column");
        }
    }
    let arts = jsonl(&d.path().join("latest/articles.jsonl"));
    // the WARC holds three pages, the gzip one, the news and blog pages one each
    assert!(arts.len() >= 6, "{} articles", arts.len());
    let keys: Vec<usize> = arts.iter().map(|a| a.as_object().unwrap().len()).collect();
    assert!(
        keys.windows(2).all(|w| w[0] == w[1]),
        "every key in every row"
    );
    let warc: Vec<_> = arts
        .iter()
        .filter(|a| a["source_path"].as_str().unwrap().contains(".warc.gz#r"))
        .collect();
    assert_eq!(warc.len(), 3);
    assert!(warc.iter().all(|a| a["captured_at"]
        .as_str()
        .is_some_and(|c| c.starts_with("2022-10-01"))));
    assert!(warc.iter().all(|a| a["url"]
        .as_str()
        .unwrap()
        .starts_with("https://fieldnotes.example/2022/")));
    let gz = arts
        .iter()
        .find(|a| a["source_path"] == "news/neue-fahrradwege.html.gz")
        .expect("gzip page");
    assert!(gz["text"]
        .as_str()
        .unwrap()
        .contains("Fahrradwege durch die Altstadt"));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("latest/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["tables"]["articles"]["rows"], arts.len());
    let runs = jsonl(&d.path().join("runs.jsonl"));
    assert_eq!(runs.len(), 1);
}

#[test]
fn windows_1252_page_is_decoded() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Caf\xe9</title></head><body><article><p>".to_vec();
    page.extend_from_slice(b"Le caf\xe9 de la place ouvre \xe0 sept heures \x96 m\xeame le dimanche, et les croissants sont toujours frais le matin.</p></article></body></html>");
    fs::write(input.join("cafe.html"), page).unwrap();
    let out = d.path().join("out");
    let o = run_in(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let a = &jsonl(&out.join("latest/articles.jsonl"))[0];
    assert_eq!(a["encoding"], "windows-1252");
    assert!(a["text"]
        .as_str()
        .unwrap()
        .contains("Le café de la place ouvre à sept heures – même"));
}

#[test]
fn junk_inputs_become_error_rows_and_good_pages_survive() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::copy(
        examples().join("news/harbour-bridge-reopens.html"),
        input.join("good.html"),
    )
    .unwrap();
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        junk.push((x >> 16) as u8);
    }
    fs::write(input.join("random.html"), &junk).unwrap();
    fs::write(input.join("empty.html"), b"").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fs::read(examples().join("news/harbour-bridge-reopens.html")).unwrap())
        .unwrap();
    let gzb = gz.finish().unwrap();
    fs::write(input.join("truncated.html.gz"), &gzb[..gzb.len() / 2]).unwrap();
    fs::write(input.join("deep.html"), "<div>".repeat(200_000)).unwrap();
    let out = d.path().join("out");
    let o = run_in(&input, &out, &["--max-failure-rate", "1"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let arts = jsonl(&out.join("latest/articles.jsonl"));
    assert_eq!(arts.len(), 1);
    assert_eq!(arts[0]["source_path"], "good.html");
    let errs: Vec<(String, String)> = jsonl(&out.join("latest/errors.jsonl"))
        .into_iter()
        .filter(|e| e["severity"] == "error")
        .map(|e| {
            (
                e["source_path"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errs,
        vec![
            ("deep.html".to_string(), "e_too_large".to_string()),
            ("empty.html".to_string(), "e_not_html".to_string()),
            ("random.html".to_string(), "e_not_html".to_string()),
            ("truncated.html.gz".to_string(), "e_read".to_string()),
        ]
    );
}

#[test]
fn output_is_identical_with_one_or_many_threads() {
    let d = tempfile::tempdir().unwrap();
    let (o1, o2) = (d.path().join("o1"), d.path().join("o2"));
    // real pages when the shared eval set is present (60+), else the shipped examples
    let input = match shared() {
        Some(s) => {
            let dir = d.path().join("in");
            fs::create_dir_all(&dir).unwrap();
            let mut names: Vec<_> = fs::read_dir(s.join("eval/wcxb-dev/html"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            names.sort();
            for p in names.iter().take(80) {
                fs::copy(p, dir.join(p.file_name().unwrap())).unwrap();
            }
            dir
        }
        None => examples(),
    };
    let a = run_in(&input, &o1, &["--jobs", "1", "--max-failure-rate", "1"]);
    let b = run_in(&input, &o2, &["--jobs", "2", "--max-failure-rate", "1"]);
    assert_eq!(a.status.code(), b.status.code());
    assert_eq!(
        strip_run_ids(latest_bytes(&o1)),
        strip_run_ids(latest_bytes(&o2))
    );
}

#[test]
fn second_run_reuses_everything_and_changes_are_picked_up() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    for f in [
        "news/harbour-bridge-reopens.html",
        "blog/sourdough-starter.html",
    ] {
        fs::copy(
            examples().join(f),
            input.join(Path::new(f).file_name().unwrap()),
        )
        .unwrap();
    }
    let out = d.path().join("out");
    let first = run_in(&input, &out, &["--json"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let before = strip_run_ids(latest_bytes(&out));
    let second = run_in(&input, &out, &["--json"]);
    let s: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(s["pages_extracted"], 0);
    assert_eq!(s["inputs_unchanged"], 2);
    assert_eq!(s["mode"], "incremental");
    assert_eq!(strip_run_ids(latest_bytes(&out)), before);
    // a removed input drops out, a changed one is re-extracted
    fs::remove_file(input.join("sourdough-starter.html")).unwrap();
    let page = fs::read_to_string(input.join("harbour-bridge-reopens.html")).unwrap();
    fs::write(
        input.join("harbour-bridge-reopens.html"),
        page.replace("Friday morning", "Saturday morning"),
    )
    .unwrap();
    let third = run_in(&input, &out, &["--json", "--min-keep-ratio", "0"]);
    let s: serde_json::Value = serde_json::from_slice(&third.stdout).unwrap();
    assert_eq!(
        (s["inputs_changed"].clone(), s["inputs_removed"].clone()),
        (1.into(), 1.into())
    );
    let arts = jsonl(&out.join("latest/articles.jsonl"));
    assert_eq!(arts.len(), 1);
    assert!(arts[0]["text"]
        .as_str()
        .unwrap()
        .contains("Saturday morning"));
    // --force re-extracts, --dry-run writes nothing
    let forced = run_in(&input, &out, &["--json", "--force"]);
    let s: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(
        (s["pages_extracted"].clone(), s["mode"].clone()),
        (1.into(), "full".into())
    );
    let runs_before = jsonl(&out.join("runs.jsonl")).len();
    let dry = run_in(&input, &out, &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    assert_eq!(jsonl(&out.join("runs.jsonl")).len(), runs_before);
}

#[test]
fn concurrent_run_exits_75_and_is_recorded() {
    use fs2::FileExt;
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .read(true)
        .open(out.join(".lock"))
        .unwrap();
    lock.try_lock_exclusive().unwrap();
    let o = run_in(&examples(), &out, &[]);
    assert_eq!(o.status.code(), Some(75), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("lock"));
    let runs = jsonl(&out.join("runs.jsonl"));
    assert_eq!(runs.last().unwrap()["status"], "locked");
    FileExt::unlock(&lock).unwrap();
    assert!(run_in(&examples(), &out, &[])
        .status
        .code()
        .is_some_and(|c| c <= 1));
}

#[test]
fn sigkill_mid_run_keeps_the_previous_snapshot() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let page = fs::read_to_string(examples().join("news/harbour-bridge-reopens.html")).unwrap();
    for i in 0..4 {
        fs::write(input.join(format!("p{i}.html")), variant(&page, i)).unwrap();
    }
    let out = d.path().join("out");
    assert_eq!(run_in(&input, &out, &[]).status.code(), Some(0));
    let good = fs::read_link(out.join("latest")).unwrap();
    for i in 4..3000 {
        fs::write(input.join(format!("p{i}.html")), variant(&page, i)).unwrap();
    }
    let mut child = bin()
        .args([
            "run",
            &input.display().to_string(),
            "--out",
            &out.display().to_string(),
            "--quiet",
            "--jobs",
            "1",
        ])
        .spawn()
        .unwrap();
    // wait until the run is extracting (state cache growing), then kill it hard
    let start = std::time::Instant::now();
    loop {
        let n = walk_count(&out.join("_state/cache"));
        if n > 20 || start.elapsed().as_secs() > 60 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on unix
    let _ = child.wait();
    assert_eq!(fs::read_link(out.join("latest")).unwrap(), good);
    assert!(out.join("latest/manifest.json").exists());
    assert_eq!(jsonl(&out.join("latest/articles.jsonl")).len(), 4);
    let o = run_in(&input, &out, &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(jsonl(&out.join("latest/articles.jsonl")).len(), 3000);
    let staging: Vec<_> = fs::read_dir(out.join("snapshots"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".staging"))
        .collect();
    assert!(staging.is_empty());
}

/// The same page under another URL (another article id).
fn variant(page: &str, i: usize) -> String {
    page.replace(
        "harbour-bridge-reopens/",
        &format!("harbour-bridge-reopens-{i}/"),
    )
    .replace("Friday", &format!("Friday {i}"))
}

fn walk_count(p: &Path) -> usize {
    fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| fs::read_dir(e.path()).map(|r| r.count()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn refuses_to_publish_when_most_inputs_fail() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::copy(
        examples().join("news/harbour-bridge-reopens.html"),
        input.join("a.html"),
    )
    .unwrap();
    fs::write(input.join("b.html"), b"").unwrap();
    fs::write(input.join("c.html"), b"").unwrap();
    let out = d.path().join("out");
    let o = run_in(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(!out.join("latest").exists());
    assert_eq!(jsonl(&out.join("runs.jsonl"))[0]["status"], "failed");
}

#[test]
fn extract_prints_one_page_and_usage_errors_exit_2() {
    let o = run(&[
        "extract",
        &examples()
            .join("news/harbour-bridge-reopens.html")
            .display()
            .to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["article"]["text"]
        .as_str()
        .unwrap()
        .contains("harbour bridge reopened"));
    assert_eq!(run(&["run"]).status.code(), Some(2));
    assert_eq!(
        run(&["run", "x", "--out", "y", "--shard", "5/2"])
            .status
            .code(),
        Some(2)
    );
    let help = run(&["run", "--help"]);
    let h = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--format", "--jobs", "--config", "--shard", "--limit", "--quiet", "--json",
    ] {
        assert!(h.contains(flag), "help documents {flag}");
    }
}

#[test]
fn shards_together_equal_one_full_run() {
    let d = tempfile::tempdir().unwrap();
    let full = d.path().join("full");
    run_in(&examples(), &full, &[]);
    let mut ids: Vec<String> = Vec::new();
    for k in 0..3 {
        let o = d.path().join(format!("s{k}"));
        run_in(
            &examples(),
            &o,
            &[
                "--shard",
                &format!("{k}/3"),
                "--min-keep-ratio",
                "0",
                "--max-failure-rate",
                "1",
            ],
        );
        if o.join("latest").exists() {
            ids.extend(
                jsonl(&o.join("latest/articles.jsonl"))
                    .into_iter()
                    .map(|a| a["article_id"].as_str().unwrap().to_string()),
            );
        }
    }
    ids.sort();
    let mut want: Vec<String> = jsonl(&full.join("latest/articles.jsonl"))
        .into_iter()
        .map(|a| a["article_id"].as_str().unwrap().to_string())
        .collect();
    want.sort();
    assert_eq!(ids, want);
}

#[test]
fn canonical_fixture_article_fields() {
    let Some(s) = shared() else { return };
    let d = tempfile::tempdir().unwrap();
    let o = run_in(&s.join("fixtures/duran-g20"), d.path(), &[]);
    assert!(o.status.success(), "{o:?}");
    let a = &jsonl(&d.path().join("latest/articles.jsonl"))[0];
    assert_eq!(
        a["url"],
        "https://theduran.com/putin-trump-to-hold-long-and-substantive-meeting-on-sidelines-of-g20/"
    );
    assert_eq!(a["language"], "en");
}

/// Copies the shipped examples plus an exact copy of one page under another name (same
/// article id: a duplicate capture) and one with another URL (an exact text duplicate).
fn examples_with_duplicates(dir: &Path) {
    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy_dir(&p, &to.join(e.file_name()));
            } else {
                fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    copy_dir(&examples(), dir);
    let page = fs::read_to_string(examples().join("news/harbour-bridge-reopens.html")).unwrap();
    fs::write(dir.join("copy-of-bridge.html"), &page).unwrap();
    fs::write(
        dir.join("bridge-v7.html"),
        variant(&page, 7).replace("Friday 7", "Friday"),
    )
    .unwrap();
}

#[test]
fn reruns_and_partial_reruns_equal_a_forced_full_run() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    examples_with_duplicates(&input);
    let out = d.path().join("out");
    let args = ["--json", "--max-failure-rate", "1", "--min-keep-ratio", "0"];
    assert!(run_in(&input, &out, &args).status.code().unwrap() <= 1);
    let first = strip_run_ids(latest_bytes(&out));
    let arts = jsonl(&out.join("latest/articles.jsonl"));
    assert!(
        arts.iter().any(|a| !a["duplicate_of"].is_null()),
        "the fixture has a duplicate text"
    );
    // unchanged rerun: nothing extracted, data tables linked from the previous snapshot
    let o = run_in(
        &input,
        &out,
        &[&args[..], &["--log-format", "json"]].concat(),
    );
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["pages_extracted"], 0);
    let published = String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["event"] == "published")
        .expect("published event");
    assert_eq!(
        published["reused_tables"],
        serde_json::json!(["articles", "paragraphs", "comments", "links"])
    );
    assert_eq!(strip_run_ids(latest_bytes(&out)), first);
    // one input changed, one removed: the incremental snapshot equals a fresh full run
    let page = fs::read_to_string(input.join("copy-of-bridge.html")).unwrap();
    fs::write(
        input.join("copy-of-bridge.html"),
        page.replace("Friday morning", "Sunday morning"),
    )
    .unwrap();
    fs::remove_file(input.join("blog/sourdough-starter.html")).unwrap();
    let o = run_in(&input, &out, &args);
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["pages_extracted"], 1);
    let fresh = d.path().join("fresh");
    run_in(&input, &fresh, &args);
    assert_eq!(
        strip_run_ids(latest_bytes(&out)),
        strip_run_ids(latest_bytes(&fresh))
    );
    // and a forced run over the same output too
    run_in(&input, &out, &[&args[..], &["--force"]].concat());
    assert_eq!(
        strip_run_ids(latest_bytes(&out)),
        strip_run_ids(latest_bytes(&fresh))
    );
}

fn json_lines(stderr: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
            for k in ["ts", "level", "event", "message"] {
                assert!(v.get(k).is_some(), "{k} in {l}");
            }
            v
        })
        .collect()
}

#[test]
fn json_log_format_makes_every_stderr_line_a_json_event() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::copy(
        examples().join("news/harbour-bridge-reopens.html"),
        input.join("good.html"),
    )
    .unwrap();
    fs::write(input.join("empty.html"), b"").unwrap();
    let out = d.path().join("out");
    // not --quiet: heartbeat lines must be JSON too
    let o = bin()
        .args([
            "run",
            &input.display().to_string(),
            "--out",
            &out.display().to_string(),
        ])
        .args([
            "--log-format",
            "json",
            "--max-failure-rate",
            "1",
            "--keep",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let ev = json_lines(&o.stderr);
    let names: Vec<&str> = ev.iter().map(|v| v["event"].as_str().unwrap()).collect();
    for want in ["run_start", "plan", "page_error", "published", "summary"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    let run_id = ev[0]["run_id"].as_str().unwrap().to_string();
    assert!(ev.iter().all(|v| v["run_id"] == run_id.as_str()));
    let start = &ev[0];
    assert_eq!(
        start["config"]["formats"],
        serde_json::json!(["jsonl", "csv"])
    );
    let err = ev.iter().find(|v| v["event"] == "page_error").unwrap();
    assert_eq!(
        (
            err["source_path"].as_str(),
            err["code"].as_str(),
            err["level"].as_str()
        ),
        (Some("empty.html"), Some("e_not_html"), Some("warn"))
    );
    let summary = ev.iter().find(|v| v["event"] == "summary").unwrap();
    assert_eq!(summary["run"]["inputs_failed"], 1);
    // second run: old snapshot pruned (--keep 1) and logged
    let o = run_in(
        &input,
        &out,
        &[
            "--log-format",
            "json",
            "--max-failure-rate",
            "1",
            "--keep",
            "1",
        ],
    );
    let ev = json_lines(&o.stderr);
    assert!(ev.iter().any(|v| v["event"] == "pruned"), "{ev:?}");
    // refusal and lock are events too
    let o = run_in(
        &input,
        &out,
        &["--log-format", "json", "--max-failure-rate", "0"],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(json_lines(&o.stderr)
        .iter()
        .any(|v| v["event"] == "refused"));
    use fs2::FileExt;
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(out.join(".lock"))
        .unwrap();
    lock.try_lock_exclusive().unwrap();
    let o = run_in(&input, &out, &["--log-format", "json"]);
    assert_eq!(o.status.code(), Some(75));
    let ev = json_lines(&o.stderr);
    let locked = ev
        .iter()
        .find(|v| v["event"] == "locked")
        .expect("locked event");
    assert_eq!(locked["level"], "error");
    assert!(locked["holder"].as_str().is_some());
    // text format (what a terminal gets) stays sentences
    FileExt::unlock(&lock).unwrap();
    let o = run_in(
        &input,
        &out,
        &["--log-format", "text", "--max-failure-rate", "1"],
    );
    let text = String::from_utf8_lossy(&o.stderr);
    assert!(text.lines().all(|l| l.starts_with("pagemill: ")), "{text}");
}
