//! Error types: [`PageError`] for one input (becomes an `errors` row), [`RunError`] for the run
//! (fatal, maps to an exit code).
//!
//! Why it exists: a bad page is data, not a crash. Every way an input can fail has a variant
//! with a stable code (SCHEMA §5.4) and a stage, so users can filter `errors` by cause.

use crate::parse::ParseError;

/// Why one input produced no rows.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    /// The file could not be read or decompressed.
    #[error("cannot read input: {0}")]
    Read(String),
    /// Truncated or corrupt compressed stream.
    #[error("corrupt or truncated {format} stream: {message}")]
    Decompress {
        /// `gzip` or `zstd`.
        format: &'static str,
        /// Decoder message.
        message: String,
    },
    /// Bigger than the limit.
    #[error("input is {bytes} bytes or more, above the limit of {max} bytes")]
    TooLarge {
        /// Size seen (at least).
        bytes: u64,
        /// Limit.
        max: u64,
    },
    /// Not HTML (binary, PDF, image, empty).
    #[error("not HTML: {0}")]
    NotHtml(String),
    /// The parser rejected the document (limits).
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// No main text found.
    #[error("no main text found")]
    Empty,
    /// A panic inside extraction, caught.
    #[error("internal error while extracting: {0}")]
    Internal(String),
    /// A broken WARC record.
    #[error("malformed WARC record: {0}")]
    Warc(String),
}

impl PageError {
    /// Stable code for `errors.code`.
    pub fn code(&self) -> &'static str {
        match self {
            PageError::Read(_) | PageError::Decompress { .. } | PageError::Warc(_) => "e_read",
            PageError::TooLarge { .. } => "e_too_large",
            PageError::NotHtml(_) => "e_not_html",
            PageError::Parse(ParseError::TooDeep { .. } | ParseError::TooManyNodes { .. }) => {
                "e_too_large"
            }
            #[allow(unreachable_patterns)]
            PageError::Parse(_) => "e_parse",
            PageError::Empty => "e_empty",
            PageError::Internal(_) => "e_internal",
        }
    }

    /// Stage for `errors.stage`.
    pub fn stage(&self) -> &'static str {
        match self {
            PageError::Read(_)
            | PageError::Decompress { .. }
            | PageError::TooLarge { .. }
            | PageError::Warc(_) => "read",
            PageError::NotHtml(_) => "decode",
            PageError::Parse(_) => "parse",
            PageError::Empty => "body",
            PageError::Internal(_) => "body",
        }
    }
}

/// A fatal problem of the run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// Bad configuration or arguments (exit 2).
    #[error(transparent)]
    Config(#[from] crate::settings::ConfigError),
    /// Bad usage (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Output could not be written (exit 3).
    #[error("output {path}: {source}")]
    Output {
        /// Path.
        path: String,
        /// Error.
        source: std::io::Error,
    },
    /// Safety threshold tripped (exit 3).
    #[error("refusing to publish: {0}")]
    Refused(String),
    /// Another run holds the lock (exit 75).
    #[error("another run holds the lock on {path}: {holder}")]
    Locked {
        /// Lock file.
        path: String,
        /// Who holds it (pid, host, start time).
        holder: String,
    },
    /// Interrupted by a signal (exit 130).
    #[error("interrupted")]
    Interrupted,
}

impl RunError {
    /// Exit code (SCHEMA §7.4).
    pub fn exit_code(&self) -> i32 {
        match self {
            RunError::Config(_) | RunError::Usage(_) => 2,
            RunError::Output { .. } | RunError::Refused(_) => 3,
            RunError::Locked { .. } => 75,
            RunError::Interrupted => 130,
        }
    }
}

/// Wraps an io::Error with its path.
pub fn out_err(path: &std::path::Path, source: std::io::Error) -> RunError {
    RunError::Output {
        path: path.display().to_string(),
        source,
    }
}
