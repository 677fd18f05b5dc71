//! Discover: which files are inputs, in a stable order, for this shard.
//!
//! Why it exists: a run must see the same inputs in the same order every time (deterministic
//! output), and a cluster job array must split them without coordination (`--shard K/N` by a
//! hash of the relative path, so the N shards together are exactly one full run).

use std::path::{Path, PathBuf};

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Absolute (or as given) path to open.
    pub path: PathBuf,
    /// Path relative to its input root, `/`-separated: `source_path`.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// True for WARC files.
    pub warc: bool,
}

/// Extensions taken as HTML (also under `.gz` / `.zst`).
const HTML_EXTS: &[&str] = &["html", "htm", "xhtml", "shtml"];

/// `--shard K/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected K/N, got {s:?}"))?;
        let index: u32 = k.trim().parse().map_err(|_| format!("bad K in {s:?}"))?;
        let count: u32 = n.trim().parse().map_err(|_| format!("bad N in {s:?}"))?;
        if count == 0 || index >= count {
            return Err(format!("need 0 <= K < N, got {s:?}"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// True when `rel` belongs to this shard (xxh3 of the relative path).
    pub fn contains(&self, rel: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % u64::from(self.count) == u64::from(self.index)
    }
}

/// Classifies a file name: Some(warc?) when it is an input by name, None when it must be
/// sniffed (no extension) or skipped.
fn by_name(name: &str) -> NameClass {
    let lower = name.to_ascii_lowercase();
    if crate::read::is_warc_name(&lower) {
        return NameClass::Warc;
    }
    let base = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".zst"))
        .unwrap_or(&lower);
    match base.rsplit_once('.') {
        Some((_, ext)) if HTML_EXTS.contains(&ext) => NameClass::Html,
        Some(_) => NameClass::Skip,
        None => NameClass::Sniff,
    }
}

enum NameClass {
    Html,
    Warc,
    Sniff,
    Skip,
}

fn sniff_file(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else {
        return true; // unreadable: keep it so the error is reported
    };
    let mut head = vec![0u8; 4096];
    let n = f.read(&mut head).unwrap_or(0);
    head.truncate(n);
    match crate::read::sniff_compression(&head) {
        crate::read::Compression::None => crate::decode::sniff_html(&head),
        _ => true,
    }
}

fn mtime_ns(m: &std::fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// Walks the inputs. Directories are walked recursively (hidden entries and the output
/// directory skipped); files given directly are always taken. Sorted by relative path.
pub fn discover(
    inputs: &[PathBuf],
    exclude: Option<&Path>,
) -> Result<Vec<InputFile>, std::io::Error> {
    let multi = inputs.len() > 1;
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut out = Vec::new();
    for root in inputs {
        let meta = std::fs::metadata(root)?;
        let prefix = if multi {
            format!(
                "{}/",
                root.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "input".into())
            )
        } else {
            String::new()
        };
        if meta.is_file() {
            let name = root
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(InputFile {
                path: root.clone(),
                rel: name.clone(),
                size: meta.len(),
                mtime_ns: mtime_ns(&meta),
                warc: crate::read::is_warc_name(&name),
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                let excluded = exclude.as_ref().is_some_and(|x| {
                    e.file_type().is_dir() && e.path().canonicalize().ok().as_ref() == Some(x)
                });
                !hidden && !excluded
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // unreadable directory entries are reported as unreadable inputs
                    if let Some(p) = e.path() {
                        out.push(InputFile {
                            path: p.to_path_buf(),
                            rel: format!("{prefix}{}", rel_path(root, p)),
                            size: 0,
                            mtime_ns: 0,
                            warc: false,
                        });
                    }
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let warc = match by_name(&name) {
                NameClass::Html => false,
                NameClass::Warc => true,
                NameClass::Sniff if sniff_file(entry.path()) => false,
                NameClass::Sniff | NameClass::Skip => continue,
            };
            let meta = entry.metadata().ok();
            out.push(InputFile {
                path: entry.path().to_path_buf(),
                rel: format!("{prefix}{}", rel_path(root, entry.path())),
                size: meta.as_ref().map(|m| m.len()).unwrap_or(0),
                mtime_ns: meta.as_ref().map(mtime_ns).unwrap_or(0),
                warc,
            });
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.dedup_by(|a, b| a.rel == b.rel);
    Ok(out)
}

fn rel_path(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A URL from a `host/path` folder layout as `wget -x` makes it (`example.com/a/b.html`).
pub fn path_url(rel: &str) -> Option<String> {
    let rel = rel.split('#').next()?;
    let (host, rest) = rel.split_once('/')?;
    let host_ok = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
        && psl::suffix_str(host).is_some_and(|s| s.contains('.') || s.len() >= 2)
        && psl::domain_str(host).is_some();
    if !host_ok {
        return None;
    }
    let rest = rest
        .strip_suffix(".gz")
        .or_else(|| rest.strip_suffix(".zst"))
        .unwrap_or(rest);
    let path = rest
        .strip_suffix("index.html")
        .or_else(|| rest.strip_suffix("index.htm"))
        .unwrap_or(rest);
    Some(format!("https://{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_filters_sorts_and_sniffs() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::create_dir_all(p.join("b/c")).unwrap();
        std::fs::create_dir_all(p.join(".git")).unwrap();
        std::fs::write(p.join("b/c/z.htm"), "<p>").unwrap();
        std::fs::write(p.join("a.html.gz"), [0x1f, 0x8b]).unwrap();
        std::fs::write(p.join("x.warc.gz"), "").unwrap();
        std::fs::write(p.join("noext"), "<!DOCTYPE html><p>").unwrap();
        std::fs::write(p.join("notes"), "plain text").unwrap();
        std::fs::write(p.join("img.png"), "x").unwrap();
        std::fs::write(p.join(".git/h.html"), "<p>").unwrap();
        let got: Vec<_> = discover(&[p.to_path_buf()], None)
            .unwrap()
            .into_iter()
            .map(|f| (f.rel, f.warc))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.html.gz".to_string(), false),
                ("b/c/z.htm".to_string(), false),
                ("noext".to_string(), false),
                ("x.warc.gz".to_string(), true)
            ]
        );
    }

    #[test]
    fn shards_partition_inputs() {
        let s: Vec<Shard> = (0..3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        for i in 0..200 {
            let rel = format!("p/{i}.html");
            assert_eq!(s.iter().filter(|sh| sh.contains(&rel)).count(), 1);
        }
        assert!("3/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn wget_layout_gives_a_url() {
        assert_eq!(
            path_url("example.com/2024/05/slug/index.html").as_deref(),
            Some("https://example.com/2024/05/slug/")
        );
        assert_eq!(path_url("pages/a.html"), None);
        assert_eq!(path_url("a.html"), None);
    }
}
