//! Output: tables as JSONL and CSV in a snapshot folder, published atomically.
//!
//! Why it exists: readers must only ever see complete datasets. Rows stream into a staging
//! folder (`snapshots/.staging-<run_id>/`), every file is hashed while written, `manifest.json`
//! is written last, files and folders are fsynced, then the folder is renamed into place and the
//! `latest` symlink is swapped with `rename(2)` (SCHEMA §7.2). Both formats are written from the
//! same row structs (`model.rs`): every column in every row, one type per column.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Formats {
    /// Write `<table>.jsonl`.
    pub jsonl: bool,
    /// Write `<table>.csv`.
    pub csv: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            jsonl: true,
            csv: true,
        }
    }
}

/// A writer that hashes and counts what passes through it.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The column names of a row type, in order (the keys of its serialised default).
pub fn columns<T: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// One CSV cell from a JSON value (SCHEMA §2: null = empty, lists as compact JSON).
pub fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// File facts for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// File name inside the snapshot.
    pub path: String,
    /// Size.
    pub bytes: u64,
    /// sha256 hex.
    pub sha256: String,
}

/// Streams one table to JSONL and/or CSV.
pub struct TableWriter {
    name: String,
    dir: PathBuf,
    jsonl: Option<HashingWriter<BufWriter<File>>>,
    csv: Option<csv::Writer<HashingWriter<BufWriter<File>>>>,
    columns: Vec<String>,
    rows: u64,
}

impl TableWriter {
    /// Creates `<dir>/<name>.jsonl` / `.csv` with the given columns.
    pub fn create(dir: &Path, name: &str, columns: Vec<String>, f: Formats) -> io::Result<Self> {
        let open = |ext: &str| -> io::Result<HashingWriter<BufWriter<File>>> {
            Ok(HashingWriter {
                inner: BufWriter::with_capacity(
                    256 * 1024,
                    File::create(dir.join(format!("{name}.{ext}")))?,
                ),
                hasher: Sha256::new(),
                bytes: 0,
            })
        };
        let jsonl = if f.jsonl { Some(open("jsonl")?) } else { None };
        let csv = if f.csv {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(open("csv")?);
            w.write_record(&columns).map_err(io::Error::other)?;
            Some(w)
        } else {
            None
        };
        Ok(TableWriter {
            name: name.to_string(),
            dir: dir.to_path_buf(),
            jsonl,
            csv,
            columns,
            rows: 0,
        })
    }

    /// Writes one row.
    pub fn write<T: Serialize>(&mut self, row: &T) -> io::Result<()> {
        let v = serde_json::to_value(row).map_err(io::Error::other)?;
        let Value::Object(map) = v else {
            return Err(io::Error::other("row is not an object"));
        };
        self.write_map(&map)
    }

    fn write_map(&mut self, map: &Map<String, Value>) -> io::Result<()> {
        if let Some(j) = &mut self.jsonl {
            serde_json::to_writer(&mut *j, map).map_err(io::Error::other)?;
            j.write_all(b"\n")?;
        }
        if let Some(c) = &mut self.csv {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|k| map.get(k).map(csv_cell).unwrap_or_default())
                .collect();
            c.write_record(&cells).map_err(io::Error::other)?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Flushes, fsyncs and returns (rows, files).
    pub fn finish(self) -> io::Result<(u64, Vec<FileInfo>)> {
        let mut files = Vec::new();
        let done = |w: HashingWriter<BufWriter<File>>, ext: &str| -> io::Result<FileInfo> {
            let HashingWriter {
                inner,
                hasher,
                bytes,
            } = w;
            let file = inner.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            Ok(FileInfo {
                path: format!("{}.{ext}", self.name),
                bytes,
                sha256: hex::encode(hasher.finalize()),
            })
        };
        if let Some(mut j) = self.jsonl {
            j.flush()?;
            files.push(done(j, "jsonl")?);
        }
        if let Some(c) = self.csv {
            let w = c
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?;
            files.push(done(w, "csv")?);
        }
        let _ = &self.dir;
        Ok((self.rows, files))
    }
}

/// fsync a directory (so renames and new entries are durable).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `bytes` to `path` atomically (temp file, fsync, rename, fsync dir).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(dir)
}

/// Renames the staging folder into `snapshots/<run_id>` and swaps `latest` to it.
pub fn publish(out: &Path, staging: &Path, run_id: &str) -> io::Result<PathBuf> {
    let snapshots = out.join("snapshots");
    let final_dir = snapshots.join(run_id);
    sync_dir(staging)?;
    fs::rename(staging, &final_dir)?;
    sync_dir(&snapshots)?;
    let tmp_link = out.join(format!(".latest.tmp-{}", std::process::id()));
    let _ = fs::remove_file(&tmp_link);
    symlink_dir(Path::new("snapshots").join(run_id).as_path(), &tmp_link)?;
    fs::rename(&tmp_link, out.join("latest"))?;
    sync_dir(out)?;
    Ok(final_dir)
}

#[cfg(unix)]
fn symlink_dir(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink_dir(target: &Path, link: &Path) -> io::Result<()> {
    // Without symlinks, `latest` is a file naming the snapshot.
    fs::write(link, target.to_string_lossy().as_bytes())
}

/// Removes all but the newest `keep` snapshots (never the one `latest` points to).
pub fn prune(out: &Path, keep: usize) -> io::Result<Vec<String>> {
    let snapshots = out.join("snapshots");
    let latest = fs::read_link(out.join("latest"))
        .ok()
        .and_then(|p| p.file_name().map(|s| s.to_string_lossy().into_owned()));
    let mut names: Vec<String> = fs::read_dir(&snapshots)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let mut removed = Vec::new();
    let excess = names.len().saturating_sub(keep.max(1));
    for n in names.into_iter().take(excess) {
        if Some(&n) == latest.as_ref() {
            continue;
        }
        fs::remove_dir_all(snapshots.join(&n))?;
        removed.push(n);
    }
    Ok(removed)
}

/// Removes staging folders left by killed runs.
pub fn clean_stale_staging(out: &Path) {
    if let Ok(rd) = fs::read_dir(out.join("snapshots")) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with(".staging-") {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Link};

    #[test]
    fn both_formats_have_every_column() {
        let d = tempfile::tempdir().unwrap();
        let mut w =
            TableWriter::create(d.path(), "links", columns::<Link>(), Formats::default()).unwrap();
        let l = Link {
            anchor_text: "a, \"b\"\nc".into(),
            rel: vec!["tag".into()],
            ..Link::default()
        };
        w.write(&l).unwrap();
        let (rows, files) = w.finish().unwrap();
        assert_eq!(rows, 1);
        assert_eq!(files.len(), 2);
        let j = fs::read_to_string(d.path().join("links.jsonl")).unwrap();
        let v: Value = serde_json::from_str(j.trim()).unwrap();
        assert_eq!(v.as_object().unwrap().len(), columns::<Link>().len());
        assert!(v["target_article_id"].is_null());
        let mut r = csv::Reader::from_path(d.path().join("links.csv")).unwrap();
        let rec = r.records().next().unwrap().unwrap();
        let hdr = r.headers().unwrap().clone();
        let idx = |k: &str| hdr.iter().position(|h| h == k).unwrap();
        assert_eq!(&rec[idx("anchor_text")], "a, \"b\"\nc");
        assert_eq!(&rec[idx("rel")], "[\"tag\"]");
        assert_eq!(&rec[idx("has_image")], "false");
        assert_eq!(&rec[idx("target_article_id")], "");
        assert!(columns::<Article>().contains(&"meta_sources".to_string()));
    }

    #[test]
    fn publish_swaps_latest_and_prunes() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir_all(out.join("snapshots")).unwrap();
        for id in ["r1", "r2", "r3"] {
            let st = out.join("snapshots").join(format!(".staging-{id}"));
            fs::create_dir_all(&st).unwrap();
            fs::write(st.join("x"), id).unwrap();
            publish(out, &st, id).unwrap();
            assert_eq!(fs::read_to_string(out.join("latest/x")).unwrap(), id);
        }
        let removed = prune(out, 2).unwrap();
        assert_eq!(removed, vec!["r1".to_string()]);
        assert!(out.join("snapshots/r3").exists());
    }
}
