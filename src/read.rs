//! Read: from an input file to raw page bytes (decompressed, WARC records split out).
//!
//! Why it exists: inputs arrive as plain files, `.gz`/`.zst` files, and WARC archives whose
//! records are pages of their own. This module turns every input into [`RawPage`]s with the
//! transport facts (URL, capture date, HTTP charset) that later stages need, with size limits
//! enforced while reading: a WARC is streamed record by record and an oversized record is
//! skipped without being held in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::PageError;

/// One page's raw bytes and what the container said about it.
#[derive(Debug, Clone, Default)]
pub struct RawPage {
    /// `source_path`: the input's relative path, `#rN` appended for WARC records.
    pub source_path: String,
    /// Decompressed bytes (the HTTP body for WARC records).
    pub bytes: Vec<u8>,
    /// sha256 hex of the raw input (of the record block for WARC).
    pub sha256: String,
    /// Raw size in bytes (compressed size for a plain compressed file).
    pub raw_bytes: u64,
    /// `WARC-Target-URI`.
    pub url: Option<String>,
    /// `WARC-Date`.
    pub captured_at: Option<String>,
    /// charset from the HTTP `Content-Type`.
    pub transport_charset: Option<String>,
    /// HTTP `Content-Language`.
    pub content_language: Option<String>,
    /// `WARC-Record-ID`.
    pub record_id: Option<String>,
}

/// The result of reading one unit (a file or a WARC record).
pub type ReadItem = (String, Result<RawPage, PageError>);

/// Compression of a file, from its magic bytes (not its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain.
    None,
    /// gzip (possibly multi-member).
    Gzip,
    /// zstd.
    Zstd,
}

/// Sniffs compression from the first bytes.
pub fn sniff_compression(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// True when the name says WARC (`.warc`, `.warc.gz`, `.warc.zst`).
pub fn is_warc_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".warc") || n.ends_with(".warc.gz") || n.ends_with(".warc.zst")
}

fn open_decompressed(path: &Path) -> Result<(Box<dyn BufRead + Send>, Compression), PageError> {
    let mut f = File::open(path).map_err(|e| PageError::Read(e.to_string()))?;
    let mut head = [0u8; 4];
    let n = read_up_to(&mut f, &mut head).map_err(|e| PageError::Read(e.to_string()))?;
    let comp = sniff_compression(&head[..n]);
    let f = File::open(path).map_err(|e| PageError::Read(e.to_string()))?;
    let buf = BufReader::with_capacity(256 * 1024, f);
    let r: Box<dyn BufRead + Send> = match comp {
        Compression::None => Box::new(buf),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(buf),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            256 * 1024,
            zstd::stream::read::Decoder::with_buffer(buf)
                .map_err(|e| PageError::Read(e.to_string()))?,
        )),
    };
    Ok((r, comp))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn decompress_error(comp: Compression, e: io::Error) -> PageError {
    match comp {
        Compression::None => PageError::Read(e.to_string()),
        Compression::Gzip => PageError::Decompress {
            format: "gzip",
            message: e.to_string(),
        },
        Compression::Zstd => PageError::Decompress {
            format: "zstd",
            message: e.to_string(),
        },
    }
}

/// Reads a whole non-WARC file (decompressing), at most `max_bytes` after decompression.
pub fn read_file(path: &Path, rel: &str, max_bytes: u64) -> Result<RawPage, PageError> {
    let meta = std::fs::metadata(path).map_err(|e| PageError::Read(e.to_string()))?;
    if meta.len() > max_bytes {
        return Err(PageError::TooLarge {
            bytes: meta.len(),
            max: max_bytes,
        });
    }
    let raw = std::fs::read(path).map_err(|e| PageError::Read(e.to_string()))?;
    let sha256 = crate::extract::text::sha256_hex(&raw);
    let raw_bytes = raw.len() as u64;
    let bytes = decompress(raw, max_bytes)?;
    Ok(RawPage {
        source_path: rel.to_string(),
        sha256,
        raw_bytes,
        bytes,
        ..RawPage::default()
    })
}

/// Decompresses a whole file's bytes (gzip, possibly multi-member, or zstd; plain bytes are
/// returned as they are), at most `max_bytes` after decompression.
///
/// The output is allocated once at the size the container declares (gzip's ISIZE trailer,
/// zstd's frame content size), capped by `max_bytes`: no regrowth and copying while inflating,
/// and the decoder (reading straight from the slice, no intermediate buffer) checksums and
/// writes large runs at a time.
pub fn decompress(raw: Vec<u8>, max_bytes: u64) -> Result<Vec<u8>, PageError> {
    let comp = sniff_compression(&raw);
    match comp {
        Compression::None => Ok(raw),
        Compression::Gzip => {
            // deflate expands at most ~1032:1: a corrupt trailer cannot ask for more
            let hint = gzip_size_hint(&raw).min((raw.len() as u64).saturating_mul(1032));
            if hint > 0 && hint <= max_bytes {
                if let Some(out) = whole_gzip::inflate(&raw, hint) {
                    return Ok(out);
                }
            }
            decompress_limited(
                flate2::bufread::MultiGzDecoder::new(&raw[..]),
                comp,
                max_bytes,
                hint,
            )
        }
        Compression::Zstd => {
            let hint = zstd::zstd_safe::get_frame_content_size(&raw)
                .ok()
                .flatten()
                .unwrap_or(0);
            let d = zstd::stream::read::Decoder::with_buffer(&raw[..])
                .map_err(|e| decompress_error(comp, e))?;
            decompress_limited(d, comp, max_bytes, hint)
        }
    }
}

/// Whole-buffer gzip inflation with libdeflate, for the common case: one gzip member whose
/// trailer's ISIZE is the page's size.
///
/// Why it exists: streaming inflate (flate2 over zlib-rs) was the second most expensive stage
/// after extraction; libdeflate decodes a whole member into a buffer allocated once at its final
/// size, with no window bookkeeping, in roughly two thirds of the time. It only ever answers
/// "done, here are exactly the member's bytes" (CRC32 and ISIZE checked, the whole input
/// consumed by one member); anything else (several members, truncated or corrupt data, a wrong
/// ISIZE) returns `None` and the caller decodes with flate2 as before, so partial output and
/// error messages are unchanged.
mod whole_gzip {
    use libdeflate_sys as ld;
    use std::cell::RefCell;
    use std::ptr::NonNull;

    /// One libdeflate decompressor (a few KB of tables), reused by a thread for every page.
    struct Inflater(NonNull<ld::libdeflate_decompressor>);

    impl Drop for Inflater {
        fn drop(&mut self) {
            // SAFETY: the pointer came from `libdeflate_alloc_decompressor` and is freed once.
            unsafe { ld::libdeflate_free_decompressor(self.0.as_ptr()) }
        }
    }

    thread_local! {
        static INFLATER: RefCell<Option<Inflater>> = const { RefCell::new(None) };
    }

    /// The bytes of the single gzip member `raw`, which declares `size` uncompressed bytes.
    /// None unless `raw` is exactly one valid member of exactly that size.
    pub(super) fn inflate(raw: &[u8], size: u64) -> Option<Vec<u8>> {
        let size = usize::try_from(size).ok()?;
        INFLATER.with(|cell| {
            let mut slot = cell.try_borrow_mut().ok()?;
            if slot.is_none() {
                // SAFETY: plain allocation; a null result (out of memory) is handled below.
                let p = unsafe { ld::libdeflate_alloc_decompressor() };
                *slot = Some(Inflater(NonNull::new(p)?));
            }
            let d = slot.as_ref()?.0.as_ptr();
            let mut out: Vec<u8> = Vec::with_capacity(size);
            let mut used_in = 0usize;
            let mut used_out = 0usize;
            // SAFETY: `raw` is readable for `raw.len()` bytes; `out` has `size` bytes of
            // capacity that libdeflate may write (never more than `out_nbytes_avail`); `d` is a
            // live decompressor owned by this thread and not used re-entrantly.
            let r = unsafe {
                ld::libdeflate_gzip_decompress_ex(
                    d,
                    raw.as_ptr().cast(),
                    raw.len(),
                    out.as_mut_ptr().cast(),
                    size,
                    &mut used_in,
                    &mut used_out,
                )
            };
            if r != ld::libdeflate_result_LIBDEFLATE_SUCCESS
                || used_in != raw.len()
                || used_out != size
            {
                return None;
            }
            // SAFETY: libdeflate reported success and wrote exactly `used_out == size` bytes.
            unsafe { out.set_len(used_out) };
            Some(out)
        })
    }
}

/// The uncompressed size a gzip stream declares: ISIZE, the last member's size mod 2^32 (a
/// capacity hint only: never trusted for correctness).
fn gzip_size_hint(raw: &[u8]) -> u64 {
    raw.len()
        .checked_sub(4)
        .and_then(|i| raw.get(i..))
        .and_then(|t| <[u8; 4]>::try_from(t).ok())
        .map(|t| u64::from(u32::from_le_bytes(t)))
        .unwrap_or(0)
}

fn decompress_limited(
    r: impl Read,
    comp: Compression,
    max_bytes: u64,
    size_hint: u64,
) -> Result<Vec<u8>, PageError> {
    // one byte over the limit tells "too large" from "exactly at the limit"
    let cap = size_hint.min(max_bytes.saturating_add(1));
    let mut out = Vec::with_capacity(usize::try_from(cap).unwrap_or(0));
    r.take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| decompress_error(comp, e))?;
    if out.len() as u64 > max_bytes {
        return Err(PageError::TooLarge {
            bytes: out.len() as u64,
            max: max_bytes,
        });
    }
    Ok(out)
}

/// Calls `f` for every page record of a WARC file, in order, streaming.
///
/// `response` records with an HTTP payload of an HTML type (or that sniffs as HTML), and
/// `resource` records of an HTML type, are pages. A broken record ends the file with one error
/// item; records before it are kept.
pub fn for_each_warc_record(
    path: &Path,
    rel: &str,
    max_bytes: u64,
    mut f: impl FnMut(ReadItem),
) -> Result<(), PageError> {
    let (mut r, comp) = open_decompressed(path)?;
    let mut index = 0usize;
    loop {
        let headers = match read_warc_headers(&mut r) {
            Ok(Some(h)) => h,
            Ok(None) => return Ok(()),
            Err(e) => {
                f((
                    format!("{rel}#r{index}"),
                    Err(match e {
                        WarcErr::Io(e) => decompress_error(comp, e),
                        WarcErr::Bad(m) => PageError::Warc(m),
                    }),
                ));
                return Ok(());
            }
        };
        let sp = format!("{rel}#r{index}");
        index += 1;
        let len = headers.content_length;
        let wtype = headers.get("warc-type").unwrap_or("").to_ascii_lowercase();
        let ctype = headers
            .get("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let is_candidate = (wtype == "response" && ctype.contains("application/http"))
            || (wtype == "resource" && ctype.contains("html"));
        if !is_candidate {
            if let Err(e) = skip(&mut r, len) {
                f((sp, Err(decompress_error(comp, e))));
                return Ok(());
            }
            skip_record_end(&mut r);
            continue;
        }
        if len > max_bytes {
            let res = skip(&mut r, len);
            f((
                sp.clone(),
                Err(PageError::TooLarge {
                    bytes: len,
                    max: max_bytes,
                }),
            ));
            if let Err(e) = res {
                f((sp, Err(decompress_error(comp, e))));
                return Ok(());
            }
            skip_record_end(&mut r);
            continue;
        }
        let mut block = Vec::with_capacity(len as usize);
        if let Err(e) = (&mut r).take(len).read_to_end(&mut block) {
            f((sp, Err(decompress_error(comp, e))));
            return Ok(());
        }
        if (block.len() as u64) < len {
            f((
                sp,
                Err(PageError::Warc(format!(
                    "record truncated: {} of {len} bytes",
                    block.len()
                ))),
            ));
            return Ok(());
        }
        skip_record_end(&mut r);
        let sha256 = crate::extract::text::sha256_hex(&block);
        let mut page = RawPage {
            source_path: sp.clone(),
            sha256,
            raw_bytes: len,
            url: headers.get("warc-target-uri").map(|u| {
                u.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            }),
            captured_at: headers.get("warc-date").map(str::to_string),
            record_id: headers.get("warc-record-id").map(str::to_string),
            ..RawPage::default()
        };
        if wtype == "response" {
            match split_http(&block) {
                Some(http) => {
                    if !http.is_html {
                        continue;
                    }
                    page.transport_charset = http.charset;
                    page.content_language = http.content_language;
                    let body = &block[http.body_start..];
                    let body = if http.chunked {
                        dechunk(body)
                    } else {
                        body.to_vec()
                    };
                    page.bytes = match http.content_encoding.as_deref() {
                        Some("gzip") | Some("x-gzip") => {
                            let mut out = Vec::new();
                            match flate2::read::MultiGzDecoder::new(&body[..])
                                .take(max_bytes + 1)
                                .read_to_end(&mut out)
                            {
                                Ok(_) => out,
                                Err(e) => {
                                    f((
                                        sp,
                                        Err(PageError::Decompress {
                                            format: "gzip",
                                            message: e.to_string(),
                                        }),
                                    ));
                                    continue;
                                }
                            }
                        }
                        Some("deflate") => {
                            let mut out = Vec::new();
                            let _ = flate2::read::ZlibDecoder::new(&body[..])
                                .take(max_bytes + 1)
                                .read_to_end(&mut out);
                            out
                        }
                        _ => body,
                    };
                }
                None => {
                    f((sp, Err(PageError::Warc("no HTTP header block".into()))));
                    continue;
                }
            }
        } else {
            page.bytes = block;
        }
        f((sp, Ok(page)));
    }
}

#[derive(Debug)]
enum WarcErr {
    Io(io::Error),
    Bad(String),
}

struct WarcHeaders {
    fields: Vec<(String, String)>,
    content_length: u64,
}

impl WarcHeaders {
    fn get(&self, k: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
}

fn read_line_limited(r: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    let n = r.take(64 * 1024).read_until(b'\n', buf)?;
    Ok(n)
}

fn read_warc_headers(r: &mut impl BufRead) -> Result<Option<WarcHeaders>, WarcErr> {
    let mut line = Vec::new();
    // skip blank lines between records
    loop {
        let n = read_line_limited(r, &mut line).map_err(WarcErr::Io)?;
        if n == 0 {
            return Ok(None);
        }
        if !line.iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        return Err(WarcErr::Bad("record does not start with WARC/".into()));
    }
    let mut fields = Vec::new();
    let mut count = 0;
    loop {
        let n = read_line_limited(r, &mut line).map_err(WarcErr::Io)?;
        if n == 0 {
            return Err(WarcErr::Bad("end of file inside record header".into()));
        }
        let s = String::from_utf8_lossy(&line);
        let s = s.trim_end_matches(['\r', '\n']);
        if s.is_empty() {
            break;
        }
        count += 1;
        if count > 1000 {
            return Err(WarcErr::Bad("too many header lines".into()));
        }
        if let Some((k, v)) = s.split_once(':') {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let content_length = fields
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .ok_or_else(|| WarcErr::Bad("missing or bad Content-Length".into()))?;
    Ok(Some(WarcHeaders {
        fields,
        content_length,
    }))
}

fn skip(r: &mut impl Read, n: u64) -> io::Result<()> {
    let copied = io::copy(&mut r.take(n), &mut io::sink())?;
    if copied < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "record truncated",
        ));
    }
    Ok(())
}

fn skip_record_end(r: &mut impl BufRead) {
    // Records end with "\r\n\r\n"; tolerate bare "\n" and missing separators.
    for _ in 0..4 {
        match r.fill_buf() {
            Ok(b) if !b.is_empty() && (b[0] == b'\r' || b[0] == b'\n') => r.consume(1),
            _ => break,
        }
    }
}

struct HttpHead {
    body_start: usize,
    is_html: bool,
    charset: Option<String>,
    content_language: Option<String>,
    content_encoding: Option<String>,
    chunked: bool,
}

fn split_http(block: &[u8]) -> Option<HttpHead> {
    let end = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| i + 2))?;
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status = lines.next()?;
    if !status.starts_with("HTTP/") {
        return None;
    }
    let mut h = HttpHead {
        body_start: end,
        is_html: false,
        charset: None,
        content_language: None,
        content_encoding: None,
        chunked: false,
    };
    let mut ctype = None;
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "content-type" => ctype = Some(v.to_ascii_lowercase()),
            "content-language" => h.content_language = Some(v.to_string()),
            "content-encoding" => h.content_encoding = Some(v.to_ascii_lowercase()),
            "transfer-encoding" => h.chunked = v.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    match &ctype {
        Some(ct) => {
            h.is_html = ct.contains("html");
            h.charset = charset_param(ct);
        }
        None => {
            let body = &block[end..];
            h.is_html = crate::decode::sniff_html(&body[..body.len().min(4096)]);
        }
    }
    Some(h)
}

/// The `charset=` parameter of a Content-Type value.
pub fn charset_param(ct: &str) -> Option<String> {
    let i = ct.to_ascii_lowercase().find("charset=")?;
    let v = ct[i + 8..]
        .trim_start()
        .trim_start_matches(['"', '\''])
        .split(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .next()?;
    (!v.is_empty()).then(|| v.to_string())
}

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let Some(nl) = memchr::memchr(b'\n', &body[i..]) else {
            break;
        };
        let line = String::from_utf8_lossy(&body[i..i + nl]);
        let size_str = line.trim().split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_str, 16) else {
            // not chunked after all: keep the rest as is
            out.extend_from_slice(&body[i..]);
            break;
        };
        i += nl + 1;
        if size == 0 {
            break;
        }
        let end = (i + size).min(body.len());
        out.extend_from_slice(&body[i..end]);
        i = end;
        while i < body.len() && (body[i] == b'\r' || body[i] == b'\n') {
            i += 1;
            if body.get(i - 1) == Some(&b'\n') {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn warc_record(kind: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
        let mut v = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-17T09:30:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        v.extend_from_slice(block);
        v.extend_from_slice(b"\r\n\r\n");
        v
    }

    #[test]
    fn warc_records_are_split_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.warc.gz");
        let http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<html><p>caf\xe9</p>";
        let mut all = Vec::new();
        all.extend(warc_record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"x: y\r\n",
        ));
        all.extend(warc_record(
            "request",
            "http://e.com/",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        all.extend(warc_record(
            "response",
            "http://e.com/a",
            "application/http; msgtype=response",
            http,
        ));
        all.extend(warc_record(
            "response",
            "http://e.com/img",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&all).unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        let mut got = Vec::new();
        for_each_warc_record(&p, "a.warc.gz", 1 << 20, |item| got.push(item)).unwrap();
        assert_eq!(got.len(), 1);
        let page = got[0].1.as_ref().unwrap();
        assert_eq!(page.source_path, "a.warc.gz#r2");
        assert_eq!(page.url.as_deref(), Some("http://e.com/a"));
        assert_eq!(page.transport_charset.as_deref(), Some("iso-8859-1"));
        assert_eq!(page.bytes, b"<html><p>caf\xe9</p>");
    }

    #[test]
    fn oversized_warc_record_is_an_error_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.warc");
        let big = vec![b'a'; 5000];
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        http.extend(&big);
        let mut all = warc_record("response", "http://e.com/big", "application/http", &http);
        all.extend(warc_record(
            "response",
            "http://e.com/ok",
            "application/http",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>ok",
        ));
        std::fs::write(&p, all).unwrap();
        let mut got = Vec::new();
        for_each_warc_record(&p, "b.warc", 1000, |item| got.push(item)).unwrap();
        assert_eq!(got.len(), 2);
        assert!(matches!(got[0].1, Err(PageError::TooLarge { .. })));
        assert_eq!(got[1].1.as_ref().unwrap().bytes, b"<p>ok");
    }

    #[test]
    fn truncated_gzip_is_a_decompress_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.html.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&vec![b'x'; 100_000]).unwrap();
        let data = gz.finish().unwrap();
        std::fs::write(&p, &data[..data.len() / 2]).unwrap();
        let r = read_file(&p, "t.html.gz", 1 << 20);
        assert!(matches!(
            r,
            Err(PageError::Decompress { format: "gzip", .. })
        ));
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_members_sizes_and_limits() {
        let page: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("<p>{}</p>", i % 977).into_bytes())
            .collect();
        // one member: the whole-buffer path
        assert_eq!(decompress(gz(&page), 1 << 30).unwrap(), page);
        assert_eq!(
            whole_gzip::inflate(&gz(&page), page.len() as u64),
            Some(page.clone())
        );
        // a wrong declared size, or trailing bytes after the member, is left to flate2
        assert_eq!(whole_gzip::inflate(&gz(&page), page.len() as u64 - 1), None);
        let mut padded = gz(b"abc");
        padded.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(whole_gzip::inflate(&padded, 3), None);
        // several members, also two identical ones (same CRC and ISIZE as the first): all kept
        let mut two = gz(b"<p>one</p>");
        two.extend(gz(b"<p>two!</p>"));
        assert_eq!(decompress(two, 1000).unwrap(), b"<p>one</p><p>two!</p>");
        let mut same = gz(b"<p>x</p>");
        same.extend(gz(b"<p>x</p>"));
        assert_eq!(whole_gzip::inflate(&same, 8), None);
        assert_eq!(decompress(same, 1000).unwrap(), b"<p>x</p><p>x</p>");
        // empty content and the size limit
        assert_eq!(decompress(gz(b""), 10).unwrap(), b"");
        assert_eq!(decompress(gz(&page), page.len() as u64).unwrap(), page);
        assert!(matches!(
            decompress(gz(&page), page.len() as u64 - 1),
            Err(PageError::TooLarge { .. })
        ));
        // corrupt CRC: flate2 reports it
        let mut bad = gz(&page);
        let n = bad.len();
        bad[n - 8] ^= 1;
        assert!(matches!(
            decompress(bad, 1 << 30),
            Err(PageError::Decompress { format: "gzip", .. })
        ));
    }

    #[test]
    fn zstd_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("z.html.zst");
        std::fs::write(&p, zstd::encode_all(&b"<p>hi</p>"[..], 1).unwrap()).unwrap();
        assert_eq!(read_file(&p, "z", 100).unwrap().bytes, b"<p>hi</p>");
        assert!(matches!(
            read_file(&p, "z", 3),
            Err(PageError::TooLarge { .. })
        ));
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
        assert_eq!(
            charset_param("text/html; Charset=\"UTF-8\"").as_deref(),
            Some("UTF-8")
        );
    }
}
