//! Command line (clap derive): the doc comments are the `--help` text.
//!
//! Why it exists: one place defines every flag, its default and its example; `main.rs` only maps
//! the parsed command to library calls and exit codes.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Turn a directory of saved web pages into clean tables: articles, paragraphs, comments, links.
///
/// Examples:
///   pagemill run examples/pages --out out
///   pagemill run /data/pages --out /data/dataset --jobs 8 --json
///   pagemill run /data/pages --out /data/part3 --shard 3/16
///   pagemill extract page.html --url https://example.com/post
#[derive(Debug, Parser)]
#[command(name = "pagemill", version, about, long_about, verbatim_doc_comment)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// Parser front ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParserChoice {
    /// html5ever (conformant reference).
    Html5ever,
    /// pagemill's own HTML5 tokenizer and tree builder (same trees, several times faster).
    Fast,
}

/// Log line format on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human text.
    Text,
    /// One JSON object per line.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Process inputs and publish a snapshot of all tables under --out.
    ///
    /// Inputs are files or directories (walked recursively): .html .htm .xhtml .shtml, the same
    /// compressed as .gz or .zst, extensionless files that look like HTML, and WARC files
    /// (.warc, .warc.gz). Runs are incremental: unchanged inputs reuse their cached rows.
    ///
    /// Exit codes: 0 published, no input errors; 1 published, some inputs failed; 2 usage or
    /// config error; 3 nothing published (output error or safety threshold); 75 another run
    /// holds the lock; 130 interrupted.
    ///
    /// Example: pagemill run examples/pages --out out --jobs 2 --json
    #[command(verbatim_doc_comment)]
    Run {
        /// Input files or directories. Example: pagemill run pages/ more.warc.gz --out out
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory (snapshots/, latest, runs.jsonl, _state/). Example: --out /data/ds
        #[arg(long, short)]
        out: PathBuf,
        /// Formats to write, comma-separated. Example: --format jsonl
        #[arg(long, value_delimiter = ',', default_value = "jsonl,csv")]
        format: Vec<Format>,
        /// Worker threads (default: all cores). Example: --jobs 4
        #[arg(long, short)]
        jobs: Option<usize>,
        /// TOML file merged over the compiled-in config/. Example: --config my.toml
        #[arg(long)]
        config: Option<PathBuf>,
        /// Process only shard K of N (by a hash of each input's relative path). Example: --shard 0/4
        #[arg(long)]
        shard: Option<crate::discover::Shard>,
        /// Process at most N inputs (after sorting and sharding). Example: --limit 100
        #[arg(long)]
        limit: Option<usize>,
        /// No progress bar or heartbeat lines. Example: --quiet
        #[arg(long, short)]
        quiet: bool,
        /// Print the run summary (the runs row) as one JSON object on stdout. Example: --json
        #[arg(long)]
        json: bool,
        /// Re-extract every input, ignoring the incremental cache. Example: --force
        #[arg(long)]
        force: bool,
        /// Report what would be (re)extracted and exit without writing. Example: --dry-run
        #[arg(long)]
        dry_run: bool,
        /// Refuse to publish (exit 3) above this share of failed inputs. Example: --max-failure-rate 0.05
        #[arg(long)]
        max_failure_rate: Option<f64>,
        /// Refuse to publish (exit 3) below this share of the previous article count. Example: --min-keep-ratio 0.9
        #[arg(long)]
        min_keep_ratio: Option<f64>,
        /// Snapshots to keep. Example: --keep 5
        #[arg(long)]
        keep: Option<usize>,
        /// Exit 3 when no inputs are found. Example: --fail-on-empty
        #[arg(long)]
        fail_on_empty: bool,
        /// Parser front end. Example: --parser html5ever (the reference front end)
        #[arg(long, value_enum, default_value_t = ParserChoice::Fast)]
        parser: ParserChoice,
        /// Log format on stderr (default: text on a terminal, json otherwise). Example: --log-format json
        #[arg(long, value_enum)]
        log_format: Option<LogFormat>,
    },
    /// Measure speed: MB/s per stage on one thread, then whole-pipeline pages/s and MB/s.
    ///
    /// Example: pagemill bench ../shared/eval/wcxb-dev/html --jobs 2
    #[command(verbatim_doc_comment)]
    Bench {
        /// Directory of pages (.html, .html.gz, …).
        dir: PathBuf,
        /// Threads for the parallel whole-pipeline run (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Measure at most N pages. Example: --limit 200
        #[arg(long)]
        limit: Option<usize>,
        /// Parser front end. Example: --parser html5ever (the reference front end)
        #[arg(long, value_enum, default_value_t = ParserChoice::Fast)]
        parser: ParserChoice,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Score the main-text extractor against a gold set (WCXB format: id, page_type, main_content).
    ///
    /// Prints precision, recall and F1 per page type, overall, and the worst pages.
    /// Example: pagemill eval --gold ../shared/eval/wcxb-dev/gold.jsonl --pages ../shared/eval/wcxb-dev/html
    #[command(verbatim_doc_comment)]
    Eval {
        /// Gold JSONL file.
        #[arg(long)]
        gold: PathBuf,
        /// Directory of pages named `<id>.html.gz` / `<id>.html`.
        #[arg(long)]
        pages: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// How many of the worst pages to list. Example: --worst 30
        #[arg(long, default_value_t = 20)]
        worst: usize,
        /// Also write `{"id","text","detected_type"}` lines (readable by score_extraction.py). Example: --dump pred.jsonl
        #[arg(long)]
        dump: Option<PathBuf>,
        /// TOML file merged over the compiled-in config/.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print one page's rows as JSON (for debugging rules).
    ///
    /// Example: pagemill extract saved.html --url https://example.com/post
    #[command(verbatim_doc_comment)]
    Extract {
        /// The page (.html, .gz, .zst).
        file: PathBuf,
        /// The page's URL, when the file does not say.
        #[arg(long)]
        url: Option<String>,
        /// TOML file merged over the compiled-in config/. Example: --config my.toml
        #[arg(long)]
        config: Option<PathBuf>,
        /// Parser front end. Example: --parser html5ever (the reference front end)
        #[arg(long, value_enum, default_value_t = ParserChoice::Fast)]
        parser: ParserChoice,
    },
}
