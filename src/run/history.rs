//! Run history and the output lock: the `runs` row (SCHEMA §4.5), its append-only files, run ids
//! and the `flock` on `OUT/.lock` (§7.3).
//!
//! Why it exists: every run, including failed, refused and locked ones, must leave one line in
//! `runs.jsonl` / `runs.csv`, and two runs must never write one output folder at once. Both are
//! about the run as a whole, not about its rows, so they live apart from the snapshot writer.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{out_err, RunError};
use crate::output::{self, RowEncoder};

/// `runs` row (SCHEMA §4.5).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunRow {
    pub run_id: String,
    pub started_at: String,
    pub finished_at: String,
    pub duration_s: f64,
    pub status: String,
    pub exit_code: i64,
    pub tool_version: String,
    pub schema_version: String,
    pub config_hash: String,
    pub extractor_fingerprint: String,
    pub mode: String,
    pub input_root: String,
    pub output_root: String,
    pub snapshot: Option<String>,
    pub inputs_total: i64,
    pub inputs_new: i64,
    pub inputs_changed: i64,
    pub inputs_unchanged: i64,
    pub inputs_removed: i64,
    pub inputs_failed: i64,
    pub pages_extracted: i64,
    pub articles: i64,
    pub paragraphs: i64,
    pub comments: i64,
    pub links: i64,
    pub errors: i64,
    pub warnings: i64,
    pub duplicates: i64,
    pub bytes_read: i64,
    pub host: String,
    pub pid: i64,
    pub argv: Vec<String>,
    pub message: Option<String>,
}

/// Now as an RFC 3339 UTC timestamp (seconds).
pub fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A new run id: UTC start time plus 24 random bits (SCHEMA §3.2).
pub fn new_run_id() -> String {
    let t = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    format!("{t}-{:06x}", rand::random::<u32>() & 0xff_ffff)
}

/// This machine's host name (for the runs row and the lock file).
pub fn host_name() -> String {
    hostname::get()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The held lock; dropping it releases the `flock`.
pub struct Lock {
    _file: File,
}

/// Takes the non-blocking exclusive lock on `OUT/.lock` and writes who holds it.
pub fn take_lock(out: &Path, run_id: &str) -> Result<Lock, RunError> {
    use fs2::FileExt;
    let path = out.join(".lock");
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| out_err(&path, e))?;
    if f.try_lock_exclusive().is_err() {
        let mut holder = String::new();
        let _ = f.read_to_string(&mut holder);
        return Err(RunError::Locked {
            path: path.display().to_string(),
            holder: holder.trim().to_string(),
        });
    }
    let _ = f.set_len(0);
    let _ = f.seek(SeekFrom::Start(0));
    let _ = write!(
        f,
        "pid {} host {} started {} run {}",
        std::process::id(),
        host_name(),
        now_iso(),
        run_id
    );
    let _ = f.sync_all();
    Ok(Lock { _file: f })
}

fn append_line(path: &Path, line: &[u8], header: Option<&[u8]>) -> std::io::Result<()> {
    let new = !path.exists();
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let mut buf = Vec::new();
    if new {
        if let Some(h) = header {
            buf.extend_from_slice(h);
        }
    }
    buf.extend_from_slice(line);
    f.write_all(&buf)?;
    f.sync_all()
}

/// Appends the runs row to `runs.jsonl` and `runs.csv` (one `write` each, then fsync).
pub fn record_run(out: &Path, row: &RunRow) -> std::io::Result<()> {
    let mut enc = RowEncoder::new();
    let (mut j, mut c) = (Vec::new(), Vec::new());
    enc.jsonl(row, &mut j, None)?;
    enc.csv(row, &mut c, None)?;
    append_line(&out.join("runs.jsonl"), &j, None)?;
    let mut h = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    h.write_record(output::columns::<RunRow>())
        .map_err(std::io::Error::other)?;
    let header = h
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    append_line(&out.join("runs.csv"), &c, Some(&header))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_files_get_one_line_per_run_and_one_csv_header() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..2 {
            let row = RunRow {
                run_id: format!("r{i}"),
                argv: vec!["pagemill".into(), "a,b".into()],
                ..RunRow::default()
            };
            record_run(d.path(), &row).unwrap();
        }
        let j = std::fs::read_to_string(d.path().join("runs.jsonl")).unwrap();
        assert_eq!(j.lines().count(), 2);
        let mut r = csv::Reader::from_path(d.path().join("runs.csv")).unwrap();
        let recs: Vec<_> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(recs.len(), 2);
        assert_eq!(&recs[1][0], "r1");
        let argv = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "argv")
            .unwrap();
        assert_eq!(&recs[0][argv], "[\"pagemill\",\"a,b\"]");
    }

    #[test]
    fn second_lock_is_refused_with_the_holder() {
        let d = tempfile::tempdir().unwrap();
        let _held = take_lock(d.path(), "r1").unwrap();
        match take_lock(d.path(), "r2") {
            Err(RunError::Locked { holder, .. }) => assert!(holder.contains("run r1")),
            other => panic!("expected Locked, got {:?}", other.err()),
        }
    }
}
