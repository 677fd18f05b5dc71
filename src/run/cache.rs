//! Row cache: one file per extracted input holding its rows already encoded for the snapshot,
//! plus a small summary of what the snapshot-wide passes need.
//!
//! Why it exists: a rerun over unchanged inputs must not decode and re-encode hundreds of
//! megabytes of rows. Each input's rows are encoded once, at extraction, as the exact JSONL
//! lines and CSV records of the snapshot tables; the snapshot writer copies those bytes and
//! splices in the only run-dependent values (`articles.duplicate_of`,
//! `paragraphs.host_dup_count`) at positions recorded here ([`Hole`]). The summary (ids,
//! hashes, simhash, byte ranges, warnings) sits at the end of the same file, so one read of a
//! few kilobytes gives dedup, `host_dup_count` and the writer everything they need.
//!
//! Layout: `blocks… | summary JSON | summary offset (u64 LE) | MAGIC`. One block per page:
//! article JSONL, article CSV, paragraphs JSONL, paragraphs CSV, comments JSONL, comments CSV,
//! links JSONL, links CSV.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::{ErrorRow, PageRows};
use crate::output::{Hole, RowEncoder};

const MAGIC: &[u8; 8] = b"PMCACHE2";

/// The column spliced into cached article rows.
pub const ARTICLE_HOLE: &str = "duplicate_of";
/// The column spliced into cached paragraph rows.
pub const PARAGRAPH_HOLE: &str = "host_dup_count";

/// One cached paragraph: its hash (for `host_dup_count`) and where its rows and hole are.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ParaMeta {
    /// First 32 hex digits of the paragraph `text_hash`.
    pub hash: String,
    /// Bytes of its JSONL line and CSV record.
    pub lens: [u32; 2],
    /// `host_dup_count` in the JSONL line and the CSV record.
    pub holes: [Hole; 2],
}

/// What the snapshot passes need of one cached page (no text).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PageSummary {
    pub article_id: String,
    pub host: Option<String>,
    pub captured_at: Option<String>,
    pub source_mtime: String,
    pub text_hash: String,
    pub simhash: Option<String>,
    pub words: i64,
    /// Offset of the page's block in the file.
    pub offset: u64,
    /// Byte lengths: article, paragraphs, comments, links; JSONL then CSV for each.
    pub lens: [u64; 8],
    /// Rows of comments and links.
    pub counts: [u64; 2],
    /// `duplicate_of` in the article's JSONL line and CSV record.
    pub article_holes: [Hole; 2],
    pub paragraphs: Vec<ParaMeta>,
    /// Warning rows (rewritten every run: their `run_id` is the current run).
    pub warnings: Vec<ErrorRow>,
}

impl PageSummary {
    /// Bytes of the whole block.
    pub fn block_len(&self) -> u64 {
        self.lens.iter().sum()
    }

    /// The 8 parts of a block read with [`read_block`].
    pub fn parts<'a>(&self, block: &'a [u8]) -> Option<[&'a [u8]; 8]> {
        let mut out: [&[u8]; 8] = [&[]; 8];
        let mut at = 0usize;
        for (i, &n) in self.lens.iter().enumerate() {
            let end = at.checked_add(usize::try_from(n).ok()?)?;
            out[i] = block.get(at..end)?;
            at = end;
        }
        Some(out)
    }
}

/// Everything cached for one input.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct InputSummary {
    pub pages: Vec<PageSummary>,
}

/// One page's rows encoded as its cache block, with its summary (offset not yet known).
///
/// Built by [`encode_page`] on a pipeline worker, so encoding runs in parallel; the writer
/// thread only appends the bytes ([`CacheWriter::append`]).
#[derive(Debug)]
pub struct EncodedPage {
    /// The block: article, paragraphs, comments, links; JSONL then CSV for each.
    pub block: Vec<u8>,
    /// The page's summary (`offset` is set when the block is appended).
    pub summary: PageSummary,
}

/// Encodes one page's rows (as they will appear in the snapshot, with `duplicate_of` null
/// and `host_dup_count` 0 as placeholders) into its cache block. The warnings move into the
/// summary.
pub fn encode_page(enc: &mut RowEncoder, rows: &mut PageRows) -> io::Result<EncodedPage> {
    let mut buf = Vec::with_capacity(rows.article.text.len() * 4 + 4096);
    let buf = &mut buf;
    let mut lens = [0u64; 8];
    let mut mark = |buf: &Vec<u8>, i: usize, start: usize| lens[i] = (buf.len() - start) as u64;
    rows.article.duplicate_of = None;
    let missing = || io::Error::other("cached row lacks a spliced column");
    let s = buf.len();
    let aj = enc
        .jsonl(&rows.article, buf, Some(ARTICLE_HOLE))?
        .ok_or_else(missing)?;
    mark(buf, 0, s);
    let s = buf.len();
    let ac = enc
        .csv(&rows.article, buf, Some(ARTICLE_HOLE))?
        .ok_or_else(missing)?;
    mark(buf, 1, s);
    let mut paragraphs = Vec::with_capacity(rows.paragraphs.len());
    let s = buf.len();
    for p in &mut rows.paragraphs {
        p.host_dup_count = 0;
        let r = buf.len();
        let h = enc
            .jsonl(p, buf, Some(PARAGRAPH_HOLE))?
            .ok_or_else(missing)?;
        paragraphs.push(ParaMeta {
            hash: p.text_hash.get(..32).unwrap_or(&p.text_hash).to_string(),
            lens: [(buf.len() - r) as u32, 0],
            holes: [h, Hole::default()],
        });
    }
    mark(buf, 2, s);
    let s = buf.len();
    for (p, m) in rows.paragraphs.iter().zip(paragraphs.iter_mut()) {
        let r = buf.len();
        m.holes[1] = enc.csv(p, buf, Some(PARAGRAPH_HOLE))?.ok_or_else(missing)?;
        m.lens[1] = (buf.len() - r) as u32;
    }
    mark(buf, 3, s);
    let s = buf.len();
    for c in &rows.comments {
        enc.jsonl(c, buf, None)?;
    }
    mark(buf, 4, s);
    let s = buf.len();
    for c in &rows.comments {
        enc.csv(c, buf, None)?;
    }
    mark(buf, 5, s);
    let s = buf.len();
    for l in &rows.links {
        enc.jsonl(l, buf, None)?;
    }
    mark(buf, 6, s);
    let s = buf.len();
    for l in &rows.links {
        enc.csv(l, buf, None)?;
    }
    mark(buf, 7, s);
    let a = &rows.article;
    let summary = PageSummary {
        article_id: a.article_id.clone(),
        host: a.host.clone(),
        captured_at: a.captured_at.clone(),
        source_mtime: a.source_mtime.clone(),
        text_hash: a.text_hash.clone(),
        simhash: a.simhash.clone(),
        words: a.word_count,
        offset: 0,
        lens,
        counts: [rows.comments.len() as u64, rows.links.len() as u64],
        article_holes: [aj, ac],
        paragraphs,
        warnings: std::mem::take(&mut rows.warnings),
    };
    Ok(EncodedPage {
        block: std::mem::take(buf),
        summary,
    })
}

/// Writes one input's cache file, page by page.
pub struct CacheWriter {
    file: BufWriter<File>,
    offset: u64,
    summary: InputSummary,
}

impl CacheWriter {
    /// Creates (truncates) the cache file.
    pub fn create(path: &Path) -> io::Result<CacheWriter> {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        Ok(CacheWriter {
            file: BufWriter::with_capacity(256 * 1024, File::create(path)?),
            offset: 0,
            summary: InputSummary::default(),
        })
    }

    /// Encodes one page's rows ([`encode_page`]) and appends them.
    pub fn add(&mut self, enc: &mut RowEncoder, rows: &mut PageRows) -> io::Result<()> {
        self.append(encode_page(enc, rows)?)
    }

    /// Appends one encoded page.
    pub fn append(&mut self, page: EncodedPage) -> io::Result<()> {
        let EncodedPage { block, mut summary } = page;
        self.file.write_all(&block)?;
        summary.offset = self.offset;
        self.offset += block.len() as u64;
        self.summary.pages.push(summary);
        Ok(())
    }

    /// Writes the summary and trailer, fsyncs, and returns the summary.
    pub fn finish(self) -> io::Result<InputSummary> {
        let (summary, f) = self.finish_unsynced()?;
        f.sync_all()?;
        Ok(summary)
    }

    /// Writes the summary and trailer and returns the summary with the file, which the caller
    /// must fsync before anything refers to it (see `run::syncer`).
    pub fn finish_unsynced(mut self) -> io::Result<(InputSummary, File)> {
        let text = serde_json::to_vec(&self.summary).map_err(io::Error::other)?;
        self.file.write_all(&text)?;
        self.file.write_all(&self.offset.to_le_bytes())?;
        self.file.write_all(MAGIC)?;
        let f = self.file.into_inner().map_err(|e| e.into_error())?;
        Ok((self.summary, f))
    }
}

/// Reads the summary of a cache file; fails on a missing, truncated or foreign file.
pub fn read_summary(path: &Path) -> io::Result<InputSummary> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    if len < 16 {
        return Err(io::Error::other("cache file too short"));
    }
    f.seek(SeekFrom::Start(len - 16))?;
    let mut tail = [0u8; 16];
    f.read_exact(&mut tail)?;
    if &tail[8..] != MAGIC {
        return Err(io::Error::other("not a pagemill cache file"));
    }
    let mut off = [0u8; 8];
    off.copy_from_slice(&tail[..8]);
    let start = u64::from_le_bytes(off);
    if start > len - 16 {
        return Err(io::Error::other("bad cache summary offset"));
    }
    f.seek(SeekFrom::Start(start))?;
    let mut text = vec![0u8; usize::try_from(len - 16 - start).map_err(io::Error::other)?];
    f.read_exact(&mut text)?;
    let s: InputSummary = serde_json::from_slice(&text).map_err(io::Error::other)?;
    let out_of_range = |p: &PageSummary| match p.offset.checked_add(p.block_len()) {
        Some(end) => end > start,
        None => true,
    };
    if s.pages.iter().any(out_of_range) {
        return Err(io::Error::other("cache block out of range"));
    }
    Ok(s)
}

/// Reads one page's block into `buf`.
pub fn read_block(f: &mut File, page: &PageSummary, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    buf.resize(
        usize::try_from(page.block_len()).map_err(io::Error::other)?,
        0,
    );
    f.seek(SeekFrom::Start(page.offset))?;
    f.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Comment, Link, Paragraph};

    fn page(id: &str) -> PageRows {
        PageRows {
            article: Article {
                article_id: id.into(),
                text_hash: "ab".repeat(32),
                host: Some("h.example".into()),
                ..Article::default()
            },
            paragraphs: vec![
                Paragraph {
                    text: "one, \"two\"".into(),
                    text_hash: "cd".repeat(32),
                    host_dup_count: 7,
                    ..Paragraph::default()
                },
                Paragraph {
                    text: "three".into(),
                    text_hash: "ef".repeat(32),
                    ..Paragraph::default()
                },
            ],
            comments: vec![Comment::default()],
            links: vec![Link::default(), Link::default()],
            warnings: vec![ErrorRow {
                code: "w_x".into(),
                ..ErrorRow::default()
            }],
        }
    }

    #[test]
    fn blocks_and_summary_round_trip() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("ab/x.rows");
        let mut w = CacheWriter::create(&path).unwrap();
        let mut enc = RowEncoder::new();
        let (mut p1, mut p2) = (page("a1"), page("a2"));
        w.add(&mut enc, &mut p1).unwrap();
        w.add(&mut enc, &mut p2).unwrap();
        let written = w.finish().unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(s, written);
        assert_eq!(s.pages.len(), 2);
        assert_eq!(s.pages[1].warnings[0].code, "w_x");
        assert_eq!(s.pages[0].paragraphs[0].hash, "cd".repeat(16));
        let mut f = File::open(&path).unwrap();
        let mut block = Vec::new();
        read_block(&mut f, &s.pages[1], &mut block).unwrap();
        let parts = s.pages[1].parts(&block).unwrap();
        let mut want = Vec::new();
        let p = &p2.paragraphs[0];
        assert_eq!(p.host_dup_count, 0, "placeholder");
        enc.jsonl(&p2.article, &mut want, None).unwrap();
        assert_eq!(parts[0], &want[..]);
        want.clear();
        for p in &p2.paragraphs {
            enc.csv(p, &mut want, None).unwrap();
        }
        assert_eq!(parts[3], &want[..]);
        assert_eq!(parts[6].iter().filter(|&&b| b == b'\n').count(), 2);
    }

    #[test]
    fn damaged_files_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("x.rows");
        let mut w = CacheWriter::create(&path).unwrap();
        w.add(&mut RowEncoder::new(), &mut page("a1")).unwrap();
        w.finish().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(read_summary(&path).is_err());
        std::fs::write(&path, b"").unwrap();
        assert!(read_summary(&path).is_err());
        assert!(read_summary(&d.path().join("missing")).is_err());
    }
}
