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
use serde_json::Value;
use sha2::{Digest, Sha256};

pub mod json;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileInfo {
    /// File name inside the snapshot.
    pub path: String,
    /// Size.
    pub bytes: u64,
    /// sha256 hex.
    pub sha256: String,
}

/// Where one column's value sits inside an encoded row: `len` bytes at `pos` (relative to the
/// row's first byte). Used to splice run-dependent values (`duplicate_of`, `host_dup_count`) into
/// cached, pre-encoded rows without decoding them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Hole {
    /// Offset of the value from the start of the row.
    pub pos: u32,
    /// Length of the placeholder value.
    pub len: u32,
}

impl Hole {
    /// `row` with the hole's bytes replaced by `value`, appended to `out`.
    pub fn splice(self, row: &[u8], value: &[u8], out: &mut Vec<u8>) {
        let a = (self.pos as usize).min(row.len());
        let b = (a + self.len as usize).min(row.len());
        out.extend_from_slice(&row[..a]);
        out.extend_from_slice(value);
        out.extend_from_slice(&row[b..]);
    }
}

/// Encodes row structs straight to JSONL lines and CSV records (no `serde_json::Value` per
/// row). Bytes are the same as serialising the row to a JSON object and writing each value as
/// [`csv_cell`]: JSON in field order; CSV `null` = empty, lists and objects as compact JSON.
///
/// CSV records are written straight into the caller's buffer with the quoting of the `csv`
/// crate's writer as configured by `csv_builder` (quote style "necessary": a field is quoted
/// when it holds `,`, `"`, `\r` or `\n`, quotes doubled; `\n` ends a record; a record that
/// would be empty is written as `""`), which the tests check byte for byte.
#[derive(Default)]
pub struct RowEncoder {
    cell: Vec<u8>,
}

impl RowEncoder {
    /// A new encoder (reuse it: it keeps its buffers).
    pub fn new() -> RowEncoder {
        RowEncoder::default()
    }

    /// Appends the row's JSONL line (with `\n`) to `out`; returns where the value of the
    /// column `hole` sits (a number or `null`), relative to the line start.
    pub fn jsonl<T: Serialize>(
        &mut self,
        row: &T,
        out: &mut Vec<u8>,
        hole: Option<&str>,
    ) -> io::Result<Option<Hole>> {
        let start = out.len();
        json::write(out, row).map_err(io::Error::other)?;
        out.push(b'\n');
        Ok(hole.and_then(|h| json_hole(&out[start..], h)))
    }

    /// Appends the row's CSV record (with `\n`) to `out`; returns where the cell of the column
    /// `hole` sits, relative to the record start.
    pub fn csv<T: Serialize>(
        &mut self,
        row: &T,
        out: &mut Vec<u8>,
        hole: Option<&str>,
    ) -> io::Result<Option<Hole>> {
        let start = out.len();
        let mut ser = CsvRow {
            out,
            start,
            fields: 0,
            cell: &mut self.cell,
            hole,
            found: None,
        };
        row.serialize(&mut ser).map_err(io::Error::other)?;
        let found = ser.found;
        if out.len() == start {
            // a record of one empty field (the csv writer's rule)
            out.extend_from_slice(b"\"\"");
        }
        out.push(b'\n');
        Ok(found)
    }

    /// One CSV cell for a spliced value, quoted when needed.
    pub fn csv_value(value: &str, out: &mut Vec<u8>) {
        csv_field(value.as_bytes(), out);
    }
}

/// True when a CSV field must be quoted.
fn csv_needs_quotes(v: &[u8]) -> bool {
    // no early exit per byte: the compiler vectorises each 32-byte chunk
    let special = |a: bool, &b: &u8| a | matches!(b, b',' | b'"' | b'\n' | b'\r');
    let mut chunks = v.chunks_exact(32);
    for c in &mut chunks {
        if c.iter().fold(false, special) {
            return true;
        }
    }
    chunks.remainder().iter().fold(false, special)
}

/// Appends one CSV field, quoted (quotes doubled) when needed. Returns the offset in `out`
/// just after the field's content, before any closing quote.
fn csv_field(v: &[u8], out: &mut Vec<u8>) -> usize {
    if !csv_needs_quotes(v) {
        out.extend_from_slice(v);
        return out.len();
    }
    out.reserve(v.len() + 2);
    out.push(b'"');
    let mut rest = v;
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.push(b'"');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    let end = out.len();
    out.push(b'"');
    end
}

fn csv_builder() -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.terminator(csv::Terminator::Any(b'\n'));
    b
}

/// The value of key `key` in one encoded JSON object line: after `"key":`, up to `,` or `}`.
/// The quoted key followed by `:` cannot occur inside a JSON string (its quotes would be
/// escaped), so the first match is the key; values looked up are numbers or `null`.
fn json_hole(line: &[u8], key: &str) -> Option<Hole> {
    let pat = format!("\"{key}\":");
    let at = memchr::memmem::find(line, pat.as_bytes())? + pat.len();
    let len = line[at..].iter().position(|&b| b == b',' || b == b'}')?;
    Some(Hole {
        pos: u32::try_from(at).ok()?,
        len: u32::try_from(len).ok()?,
    })
}

/// Serialises a struct as one CSV record, field by field, into `out`.
struct CsvRow<'a> {
    out: &'a mut Vec<u8>,
    /// Where the record starts in `out`.
    start: usize,
    fields: usize,
    cell: &'a mut Vec<u8>,
    hole: Option<&'a str>,
    found: Option<Hole>,
}

#[derive(Debug)]
struct CellError(String);

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl serde::ser::Error for CellError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

impl<'a> CsvRow<'a> {
    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), CellError> {
        self.cell.clear();
        if value.serialize(Cell(self.cell)).is_err() {
            // lists, maps, nested structs: compact JSON
            self.cell.clear();
            json::write(self.cell, value).map_err(|e| CellError(e.to_string()))?;
        }
        let before = self.out.len();
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.fields += 1;
        let end = csv_field(self.cell, self.out);
        if self.hole == Some(key) {
            // the delimiter (if any) comes first; the placeholder is never quoted
            let len = end - before;
            let after = end - self.start;
            self.found = Some(Hole {
                pos: u32::try_from(after - len.min(self.cell.len())).unwrap_or(0),
                len: u32::try_from(self.cell.len().min(len)).unwrap_or(0),
            });
        }
        Ok(())
    }
}

impl<'a, 'b> serde::Serializer for &'b mut CsvRow<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = serde::ser::Impossible<(), CellError>;
    type SerializeTuple = serde::ser::Impossible<(), CellError>;
    type SerializeTupleStruct = serde::ser::Impossible<(), CellError>;
    type SerializeTupleVariant = serde::ser::Impossible<(), CellError>;
    type SerializeMap = serde::ser::Impossible<(), CellError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), CellError>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_bool(self, _: bool) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_i8(self, _: i8) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_i16(self, _: i16) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_i32(self, _: i32) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_i64(self, _: i64) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_u8(self, _: u8) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_u16(self, _: u16) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_u32(self, _: u32) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_u64(self, _: u64) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_f32(self, _: f32) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_f64(self, _: f64) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_char(self, _: char) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_str(self, _: &str) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_none(self) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), CellError> {
        Err(not_a_row())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
        Err(not_a_row())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CellError> {
        Err(not_a_row())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, CellError> {
        Err(not_a_row())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CellError> {
        Err(not_a_row())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        Err(not_a_row())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CellError> {
        Err(not_a_row())
    }
}

fn not_a_row() -> CellError {
    CellError("a table row must be a struct".into())
}

impl<'a, 'b> serde::ser::SerializeStruct for &'b mut CsvRow<'a> {
    type Ok = ();
    type Error = CellError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// Serialises one scalar value as CSV cell text ([`csv_cell`] semantics); compound values
/// are refused (the caller writes them as compact JSON).
struct Cell<'a>(&'a mut Vec<u8>);

/// `serialize_<int>` methods writing the integer in decimal (as serde_json writes them).
macro_rules! decimal_ints {
    ($($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), CellError> {
            self.0.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            Ok(())
        }
    )*};
}

fn compound() -> CellError {
    CellError("compound".into())
}

impl serde::Serializer for Cell<'_> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = serde::ser::Impossible<(), CellError>;
    type SerializeTuple = serde::ser::Impossible<(), CellError>;
    type SerializeTupleStruct = serde::ser::Impossible<(), CellError>;
    type SerializeTupleVariant = serde::ser::Impossible<(), CellError>;
    type SerializeMap = serde::ser::Impossible<(), CellError>;
    type SerializeStruct = serde::ser::Impossible<(), CellError>;
    type SerializeStructVariant = serde::ser::Impossible<(), CellError>;

    fn serialize_bool(self, v: bool) -> Result<(), CellError> {
        self.0.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    decimal_ints!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_i128 i128, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_u128 u128);
    fn serialize_f32(self, v: f32) -> Result<(), CellError> {
        // as `serde_json::to_value` (f32 widened to f64; non-finite = null = empty)
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), CellError> {
        if v.is_finite() {
            serde_json::to_writer(&mut *self.0, &v).map_err(|e| CellError(e.to_string()))?;
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        let mut b = [0u8; 4];
        self.0.extend_from_slice(v.encode_utf8(&mut b).as_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        self.0.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), CellError> {
        Err(compound())
    }
    fn serialize_none(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), CellError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), CellError> {
        Err(compound())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
        Err(compound())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CellError> {
        Err(compound())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, CellError> {
        Err(compound())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CellError> {
        Err(compound())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        Err(compound())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, CellError> {
        Err(compound())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CellError> {
        Err(compound())
    }
}

/// Streams one table to JSONL and/or CSV.
pub struct TableWriter {
    name: String,
    jsonl: Option<HashingWriter<BufWriter<File>>>,
    csv: Option<HashingWriter<BufWriter<File>>>,
    enc: RowEncoder,
    jbuf: Vec<u8>,
    cbuf: Vec<u8>,
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
            let mut w = open("csv")?;
            let mut h = csv_builder().from_writer(Vec::new());
            h.write_record(&columns).map_err(io::Error::other)?;
            let header = h
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?;
            w.write_all(&header)?;
            Some(w)
        } else {
            None
        };
        Ok(TableWriter {
            name: name.to_string(),
            jsonl,
            csv,
            enc: RowEncoder::new(),
            jbuf: Vec::new(),
            cbuf: Vec::new(),
            rows: 0,
        })
    }

    /// Writes one row.
    pub fn write<T: Serialize>(&mut self, row: &T) -> io::Result<()> {
        if let Some(j) = &mut self.jsonl {
            self.jbuf.clear();
            self.enc.jsonl(row, &mut self.jbuf, None)?;
            j.write_all(&self.jbuf)?;
        }
        if let Some(c) = &mut self.csv {
            self.cbuf.clear();
            self.enc.csv(row, &mut self.cbuf, None)?;
            c.write_all(&self.cbuf)?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes `rows` rows already encoded by a [`RowEncoder`] (JSONL lines, CSV records).
    pub fn write_encoded(&mut self, jsonl: &[u8], csv: &[u8], rows: u64) -> io::Result<()> {
        if let Some(j) = &mut self.jsonl {
            j.write_all(jsonl)?;
        }
        if let Some(c) = &mut self.csv {
            c.write_all(csv)?;
        }
        self.rows += rows;
        Ok(())
    }

    /// Flushes, fsyncs and returns (rows, files).
    pub fn finish(self) -> io::Result<(u64, Vec<FileInfo>)> {
        let mut files = Vec::new();
        let done = |mut w: HashingWriter<BufWriter<File>>, ext: &str| -> io::Result<FileInfo> {
            w.flush()?;
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
        if let Some(j) = self.jsonl {
            files.push(done(j, "jsonl")?);
        }
        if let Some(c) = self.csv {
            files.push(done(c, "csv")?);
        }
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
    // oldest first: by the run id's timestamp, then by folder mtime (two runs in the same second
    // get random suffixes that do not sort by age); `latest` is always kept and counts as one
    let mut others: Vec<(String, std::time::SystemTime, String)> = fs::read_dir(&snapshots)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || Some(&name) == latest.as_ref() {
                return None;
            }
            let mtime = e
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            let stamp = name.split('-').next().unwrap_or("").to_string();
            Some((stamp, mtime, name))
        })
        .collect();
    others.sort();
    let keep_others = keep.max(1) - usize::from(latest.is_some());
    let excess = others.len().saturating_sub(keep_others);
    let mut removed = Vec::new();
    for (_, _, n) in others.into_iter().take(excess) {
        fs::remove_dir_all(snapshots.join(&n))?;
        removed.push(n);
    }
    removed.sort();
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

    #[test]
    fn prune_keeps_the_latest_when_runs_share_a_second() {
        // same timestamp, random suffixes: the newer run sorts first by name
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir_all(out.join("snapshots")).unwrap();
        for id in ["20260101T000000Z-ffffff", "20260101T000000Z-000000"] {
            let st = out.join("snapshots").join(format!(".staging-{id}"));
            fs::create_dir_all(&st).unwrap();
            publish(out, &st, id).unwrap();
        }
        let removed = prune(out, 1).unwrap();
        assert_eq!(removed, vec!["20260101T000000Z-ffffff".to_string()]);
        assert!(out.join("snapshots/20260101T000000Z-000000").exists());
        assert!(out.join("latest").exists());
    }

    /// The reference encoding: row -> JSON object -> JSON line / csv_cell per column.
    fn via_value<T: Serialize + Default>(row: &T) -> (Vec<u8>, Vec<u8>) {
        let Value::Object(map) = serde_json::to_value(row).unwrap() else {
            panic!("not an object")
        };
        let mut j = serde_json::to_vec(&map).unwrap();
        j.push(b'\n');
        let mut w = csv_builder().has_headers(false).from_writer(Vec::new());
        let cells: Vec<String> = columns::<T>()
            .iter()
            .map(|k| map.get(k).map(csv_cell).unwrap_or_default())
            .collect();
        w.write_record(&cells).unwrap();
        (j, w.into_inner().unwrap())
    }

    #[test]
    fn encoder_matches_the_value_path_byte_for_byte() {
        let mut enc = RowEncoder::new();
        let a = Article {
            article_id: "a1".into(),
            title: Some("Quote \" comma, newline\n and \u{2028} é".into()),
            authors: vec!["x".into(), "y \"z\"".into()],
            language_score: Some(0.1 + 0.2),
            comment_count_declared: Some(-3),
            meta_sources: "{\"title\":\"og\"}".into(),
            text: "line1\r\nline2".into(),
            ..Article::default()
        };
        let nan = Article {
            language_score: Some(f64::NAN),
            ..a.clone()
        };
        let l = Link {
            anchor_text: "a, \"b\"\nc".into(),
            rel: vec!["tag".into()],
            is_internal: Some(true),
            ..Link::default()
        };
        for (j, c) in [via_value(&a), via_value(&nan)] {
            let (mut jj, mut cc) = (Vec::new(), Vec::new());
            let row = if j == via_value(&a).0 { &a } else { &nan };
            enc.jsonl(row, &mut jj, None).unwrap();
            enc.csv(row, &mut cc, None).unwrap();
            assert_eq!(String::from_utf8_lossy(&jj), String::from_utf8_lossy(&j));
            assert_eq!(String::from_utf8_lossy(&cc), String::from_utf8_lossy(&c));
        }
        let (j, c) = via_value(&l);
        let (mut jj, mut cc) = (Vec::new(), Vec::new());
        enc.jsonl(&l, &mut jj, None).unwrap();
        enc.csv(&l, &mut cc, None).unwrap();
        assert_eq!(jj, j);
        assert_eq!(cc, c);
    }

    #[test]
    fn csv_fields_are_quoted_like_the_csv_writer() {
        let specials = [",", "\"", "\n", "\r", "\"\"", ", \"x\"\r\n"];
        let mut fields: Vec<String> = vec![String::new(), "plain".into(), "é ü 中".into()];
        for sp in specials {
            for at in [0usize, 1, 31, 32, 33, 64, 70] {
                let mut f = "a".repeat(at);
                f.push_str(sp);
                f.push_str(&"b".repeat(40));
                fields.push(f);
            }
            fields.push(sp.to_string());
        }
        for f in &fields {
            let mut ours = Vec::new();
            RowEncoder::csv_value(f, &mut ours);
            let mut w = csv_builder().has_headers(false).from_writer(Vec::new());
            w.write_record([f.as_str(), "x"]).unwrap();
            let theirs = w.into_inner().unwrap();
            ours.extend_from_slice(b",x\n");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
        // rows with empty and quoted cells in every position, against the csv writer
        let mut enc = RowEncoder::new();
        for f in &fields {
            let l = Link {
                anchor_text: f.clone(),
                article_id: f.clone(),
                rel: vec![f.clone()],
                ..Link::default()
            };
            let (_, c) = via_value(&l);
            let mut cc = Vec::new();
            enc.csv(&l, &mut cc, None).unwrap();
            assert_eq!(String::from_utf8_lossy(&cc), String::from_utf8_lossy(&c));
        }
    }

    #[test]
    fn holes_splice_to_the_directly_encoded_row() {
        use crate::model::Paragraph;
        let mut enc = RowEncoder::new();
        let p = Paragraph {
            text: "x,\"host_dup_count\":5, y".into(),
            host_dup_count: 0,
            link_count: 2,
            ..Paragraph::default()
        };
        let (mut j, mut c) = (Vec::new(), Vec::new());
        let hj = enc
            .jsonl(&p, &mut j, Some("host_dup_count"))
            .unwrap()
            .unwrap();
        let hc = enc
            .csv(&p, &mut c, Some("host_dup_count"))
            .unwrap()
            .unwrap();
        let q = Paragraph {
            host_dup_count: 17,
            ..p.clone()
        };
        let (mut sj, mut sc) = (Vec::new(), Vec::new());
        hj.splice(&j, b"17", &mut sj);
        hc.splice(&c, b"17", &mut sc);
        assert_eq!(sj, via_value(&q).0);
        assert_eq!(sc, via_value(&q).1);
        // last column, null placeholder (articles' duplicate_of)
        let a = Article {
            article_id: "a,1".into(),
            ..Article::default()
        };
        let (mut j, mut c) = (Vec::new(), Vec::new());
        let hj = enc
            .jsonl(&a, &mut j, Some("duplicate_of"))
            .unwrap()
            .unwrap();
        let hc = enc.csv(&a, &mut c, Some("duplicate_of")).unwrap().unwrap();
        let b = Article {
            duplicate_of: Some("b,\"2".into()),
            ..a.clone()
        };
        let (mut sj, mut sc) = (Vec::new(), Vec::new());
        hj.splice(&j, &serde_json::to_vec("b,\"2").unwrap(), &mut sj);
        let mut cell = Vec::new();
        RowEncoder::csv_value("b,\"2", &mut cell);
        hc.splice(&c, &cell, &mut sc);
        assert_eq!(sj, via_value(&b).0);
        assert_eq!(sc, via_value(&b).1);
    }
}
