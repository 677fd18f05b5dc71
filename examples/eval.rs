//! Scores the main-text extractor on a gold set (WCXB format).
//!
//! usage: cargo run --release --example eval -- GOLD.jsonl PAGES_DIR [--jobs N] [--worst N]
//!        [--dump PRED.jsonl] [--show ID]
//!
//! `--dump` writes `{"id","text","detected"}` lines (readable by `score_extraction.py`);
//! `--show ID` prints the extracted text of one page and exits.

use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let (mut jobs, mut worst, mut dump, mut show) = (0usize, 20usize, None, None);
    let mut i = 0;
    while i < args.len() {
        let next = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--jobs" => (jobs, i) = (next.parse()?, i + 1),
            "--worst" => (worst, i) = (next.parse()?, i + 1),
            "--dump" => (dump, i) = (Some(PathBuf::from(next)), i + 1),
            "--show" => (show, i) = (Some(next), i + 1),
            a => pos.push(a.to_string()),
        }
        i += 1;
    }
    if pos.len() != 2 {
        eprintln!(
            "usage: eval GOLD.jsonl PAGES_DIR [--jobs N] [--worst N] [--dump FILE] [--show ID]"
        );
        std::process::exit(2);
    }
    let rules = pagemill::settings::Rules::defaults()?;
    if let Some(id) = show {
        let p = PathBuf::from(&pos[1]).join(format!("{id}.html.gz"));
        let (text, t) = pagemill::eval::extract_file(&p, None, &rules)?;
        println!("[detected {}]\n{text}", t.unwrap_or_default());
        return Ok(());
    }
    let report = pagemill::eval::run_eval(pos[0].as_ref(), pos[1].as_ref(), &rules, jobs, worst)?;
    if let Some(d) = dump {
        let mut f = std::io::BufWriter::new(std::fs::File::create(d)?);
        for p in &report.pages {
            let row = serde_json::json!({"id": p.id, "text": p.text, "detected": p.detected_type});
            writeln!(f, "{row}")?;
        }
    }
    print!("{}", report.render());
    Ok(())
}
