//! Evaluation of the main-text extractor against a gold set (WCXB-style word F1).
//!
//! Why it exists: the accuracy of `articles.text` must be reproducible by anyone with one
//! command. This module runs the real extraction path (parse → [`crate::extract::extract`] →
//! [`crate::extract::assemble::assemble`]) over every gold page and scores `article.text` with
//! exactly the metric of the WCXB `evaluate.py` (and of `score_extraction.py`): tokens are
//! `\w+` runs of the lower-cased text, precision/recall/F1 over the multiset overlap of tokens
//! per page, both-empty = 1, macro-averaged over pages and per page type.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::parse::Frontend;
use crate::settings::Rules;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The gold file could not be read.
    #[error("gold file {path}: {source}")]
    Io {
        /// Path.
        path: String,
        /// Error.
        source: std::io::Error,
    },
    /// A gold line is not valid JSON or lacks `id`.
    #[error("gold file line {line}: {message}")]
    Gold {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The worker pool could not be built.
    #[error("thread pool: {0}")]
    Pool(String),
}

/// Precision, recall and F1 of one page (or a mean over pages).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1.
    pub f1: f64,
}

/// The score of one gold page.
#[derive(Clone, Debug)]
pub struct PageScore {
    /// Gold id (also the file stem).
    pub id: String,
    /// Gold page type.
    pub page_type: String,
    /// Page type the extractor detected.
    pub detected_type: Option<String>,
    /// Scores.
    pub prf: Prf,
    /// Why the page produced no text (missing file, parse error), if it failed.
    pub error: Option<String>,
    /// The extracted text.
    pub text: String,
}

/// The result of a whole evaluation.
#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    /// Every page in gold order.
    pub pages: Vec<PageScore>,
    /// Mean per gold page type (sorted by type).
    pub by_type: BTreeMap<String, (usize, Prf)>,
    /// Mean over all pages.
    pub overall: Prf,
    /// How many worst pages [`EvalReport::render`] lists.
    pub worst: usize,
}

impl EvalReport {
    /// Human-readable report: overall, per type, the worst pages; the last line is the F1.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let failed = self.pages.iter().filter(|p| p.error.is_some()).count();
        let _ = writeln!(s, "pages {}  failed {}", self.pages.len(), failed);
        let _ = writeln!(
            s,
            "precision {:.4}  recall {:.4}",
            self.overall.p, self.overall.r
        );
        for (t, (n, m)) in &self.by_type {
            let _ = writeln!(
                s,
                "  {t:<14} n={n:<5} F1 {:.4}  P {:.4}  R {:.4}",
                m.f1, m.p, m.r
            );
        }
        let mut order: Vec<&PageScore> = self.pages.iter().collect();
        order.sort_by(|a, b| a.prf.f1.total_cmp(&b.prf.f1).then(a.id.cmp(&b.id)));
        for x in order.into_iter().take(self.worst) {
            let _ = writeln!(
                s,
                "  worst {} {} (detected {}) F1 {:.3} P {:.3} R {:.3}{}",
                x.id,
                x.page_type,
                x.detected_type.as_deref().unwrap_or("-"),
                x.prf.f1,
                x.prf.p,
                x.prf.r,
                x.error
                    .as_deref()
                    .map(|e| format!("  error: {e}"))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(s, "F1 {:.4}", self.overall.f1);
        s
    }
}

fn token_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    // Python's `\w` on str: Unicode letters, numbers and the underscore.
    RE.get_or_init(|| regex::Regex::new(r"[\p{L}\p{N}_]+").unwrap_or_else(|_| unreachable!()))
}

/// Multiset of `\w+` tokens of the lower-cased text.
pub fn tokens(text: &str) -> HashMap<String, usize> {
    let lower = text.to_lowercase();
    let mut m = HashMap::new();
    for t in token_re().find_iter(&lower) {
        *m.entry(t.as_str().to_string()).or_insert(0) += 1;
    }
    m
}

/// Word precision/recall/F1 of `pred` against `gold` (both empty = 1).
pub fn score(pred: &str, gold: &str) -> Prf {
    let p = tokens(pred);
    let r = tokens(gold);
    if r.is_empty() {
        return if p.is_empty() {
            Prf {
                p: 1.0,
                r: 1.0,
                f1: 1.0,
            }
        } else {
            Prf::default()
        };
    }
    if p.is_empty() {
        return Prf::default();
    }
    let overlap: usize = p
        .iter()
        .map(|(t, &c)| c.min(r.get(t).copied().unwrap_or(0)))
        .sum();
    let np: usize = p.values().sum();
    let nr: usize = r.values().sum();
    let pr = overlap as f64 / np as f64;
    let rc = overlap as f64 / nr as f64;
    let f1 = if pr + rc > 0.0 {
        2.0 * pr * rc / (pr + rc)
    } else {
        0.0
    };
    Prf { p: pr, r: rc, f1 }
}

fn mean(scores: &[Prf]) -> Prf {
    if scores.is_empty() {
        return Prf::default();
    }
    let n = scores.len() as f64;
    Prf {
        p: scores.iter().map(|s| s.p).sum::<f64>() / n,
        r: scores.iter().map(|s| s.r).sum::<f64>() / n,
        f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
    }
}

/// Extracts one page file through the real pipeline path (read, decompress, decode, parse,
/// extract, assemble) and returns `(text, detected page type)`. A page with no main text gives
/// an empty text (it scores 0 unless the gold is empty too).
pub fn extract_file(
    path: &Path,
    url: Option<&str>,
    rules: &Rules,
) -> Result<(String, Option<String>), String> {
    let rel = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut raw = crate::read::read_file(path, &rel, rules.limits.max_input_bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    raw.url = url.map(str::to_string);
    match crate::pipeline::process_raw(
        raw,
        &crate::pipeline::mtime_iso(0),
        None,
        rules,
        Frontend::default(),
    ) {
        Ok(rows) => Ok((rows.article.text, rows.article.page_type)),
        Err(crate::error::PageError::Empty) => Ok((String::new(), None)),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

struct GoldRow {
    id: String,
    page_type: String,
    url: Option<String>,
    main: String,
}

fn read_gold(gold: &Path) -> Result<Vec<GoldRow>, EvalError> {
    let text = std::fs::read_to_string(gold).map_err(|source| EvalError::Io {
        path: gold.display().to_string(),
        source,
    })?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| EvalError::Gold {
            line: i + 1,
            message: e.to_string(),
        })?;
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(EvalError::Gold {
                    line: i + 1,
                    message: "no id".into(),
                })
            }
        };
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        rows.push(GoldRow {
            id,
            page_type: s("page_type").unwrap_or_else(|| "?".into()),
            url: s("url"),
            main: s("main_content").unwrap_or_default(),
        });
    }
    Ok(rows)
}

fn page_path(pages_dir: &Path, id: &str) -> PathBuf {
    for ext in ["html.gz", "html", "htm"] {
        let p = pages_dir.join(format!("{id}.{ext}"));
        if p.exists() {
            return p;
        }
    }
    pages_dir.join(format!("{id}.html.gz"))
}

/// Runs the extractor over every gold page (`jobs` threads, 0 = all cores) and scores it.
/// `worst` is how many of the lowest-scoring pages the report lists.
pub fn run_eval(
    gold: &Path,
    pages_dir: &Path,
    rules: &Rules,
    jobs: usize,
    worst: usize,
) -> Result<EvalReport, EvalError> {
    let rows = read_gold(gold)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| EvalError::Pool(e.to_string()))?;
    let pages: Vec<PageScore> = pool.install(|| {
        rows.par_iter()
            .map(|g| {
                let path = page_path(pages_dir, &g.id);
                let (text, detected, error) = match extract_file(&path, g.url.as_deref(), rules) {
                    Ok((t, d)) => (t, d, None),
                    Err(e) => (String::new(), None, Some(e)),
                };
                PageScore {
                    id: g.id.clone(),
                    page_type: g.page_type.clone(),
                    detected_type: detected,
                    prf: score(&text, &g.main),
                    error,
                    text,
                }
            })
            .collect()
    });
    let mut groups: BTreeMap<String, Vec<Prf>> = BTreeMap::new();
    for p in &pages {
        groups.entry(p.page_type.clone()).or_default().push(p.prf);
    }
    let by_type = groups
        .into_iter()
        .map(|(t, v)| (t, (v.len(), mean(&v))))
        .collect();
    let all: Vec<Prf> = pages.iter().map(|p| p.prf).collect();
    Ok(EvalReport {
        overall: mean(&all),
        pages,
        by_type,
        worst,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_matches_the_python_definition() {
        let s = score("The cat, the CAT sat.", "the cat sat on the mat");
        // pred tokens: the×2 cat×2 sat; gold: the×2 cat sat on mat → overlap 4
        assert!((s.p - 4.0 / 5.0).abs() < 1e-12);
        assert!((s.r - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(score("", "").f1, 1.0);
        assert_eq!(score("x", "").f1, 0.0);
        assert_eq!(score("", "x").f1, 0.0);
        assert_eq!(score("...", "!!").f1, 1.0);
    }

    #[test]
    fn tokens_are_unicode_words() {
        let t = tokens("Straße_1 café—naïve 東京");
        assert_eq!(t.get("straße_1"), Some(&1));
        assert_eq!(t.get("café"), Some(&1));
        assert_eq!(t.get("naïve"), Some(&1));
        assert_eq!(t.get("東京"), Some(&1));
    }

    #[test]
    fn evaluates_a_tiny_gold_set() {
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("html");
        std::fs::create_dir(&pages).unwrap();
        std::fs::write(
            pages.join("a.html"),
            "<html><body><article><p>Hello world, this is the text of the page.</p></article></body></html>",
        )
        .unwrap();
        let gold = dir.path().join("gold.jsonl");
        std::fs::write(
            &gold,
            "{\"id\":\"a\",\"page_type\":\"article\",\"main_content\":\"Hello world, this is the text of the page.\"}\n{\"id\":\"b\",\"page_type\":\"forum\",\"main_content\":\"x\"}\n",
        )
        .unwrap();
        let rules = Rules::defaults().unwrap();
        let r = run_eval(&gold, &pages, &rules, 1, 2).unwrap();
        assert_eq!(r.pages.len(), 2);
        assert!((r.by_type["article"].1.f1 - 1.0).abs() < 1e-9);
        assert!(r.pages[1].error.is_some());
        assert!((r.overall.f1 - 0.5).abs() < 1e-9);
        assert!(r.render().ends_with("F1 0.5000\n"));
    }
}
