//! Progress: an indicatif bar on a terminal, a heartbeat line off a terminal.
//!
//! Why it exists: interactive users want pages/s, MB/s, errors and an ETA; cron and CI logs want
//! a periodic line (every N seconds or N pages) instead of a bar that nobody sees; with
//! `--log-format json` that line is a `progress` event like every other log line.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::run::log::{Level, Logger};

/// Progress reporter for one run.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    total: u64,
    done: u64,
    bytes: u64,
    errors: u64,
    start: Instant,
    last_beat: Instant,
    beat_every: Duration,
    beat_pages: u64,
    last_beat_pages: u64,
    log: Logger,
}

impl Progress {
    /// A reporter for `total` inputs (pages are counted as they come).
    pub fn new(total: u64, quiet: bool, beat_secs: u64, beat_pages: u64, log: Logger) -> Progress {
        let tty = std::io::stderr().is_terminal();
        let bar = (!quiet && tty && !log.is_json()).then(|| {
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{bar:30} {pos}/{len} inputs  {msg}  ETA {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            b.set_style(style);
            b
        });
        let now = Instant::now();
        Progress {
            bar,
            quiet,
            total,
            done: 0,
            bytes: 0,
            errors: 0,
            start: now,
            last_beat: now,
            beat_every: Duration::from_secs(beat_secs.max(1)),
            beat_pages: beat_pages.max(1),
            last_beat_pages: 0,
            log,
        }
    }

    fn rates(&self) -> (f64, f64) {
        let secs = self.start.elapsed().as_secs_f64().max(1e-6);
        (self.done as f64 / secs, self.bytes as f64 / secs / 1e6)
    }

    /// Records one processed page.
    pub fn page(&mut self, bytes: u64, failed: bool) {
        self.done += 1;
        self.bytes += bytes;
        if failed {
            self.errors += 1;
        }
        let (pps, mbs) = self.rates();
        if let Some(b) = &self.bar {
            b.set_message(format!(
                "{} pages  {pps:.0} pages/s  {mbs:.1} MB/s  {} errors",
                self.done, self.errors
            ));
        } else if !self.quiet
            && (self.last_beat.elapsed() >= self.beat_every
                || self.done - self.last_beat_pages >= self.beat_pages)
        {
            let secs = self.start.elapsed().as_secs_f64();
            self.log.event(
                Level::Info,
                "progress",
                &format!(
                    "{} pages ({} errors), {pps:.0} pages/s, {mbs:.1} MB/s, {secs:.0} s",
                    self.done, self.errors
                ),
                serde_json::json!({
                    "pages": self.done,
                    "inputs_to_extract": self.total,
                    "errors": self.errors,
                    "bytes": self.bytes,
                    "pages_per_s": (pps * 10.0).round() / 10.0,
                    "mb_per_s": (mbs * 10.0).round() / 10.0,
                    "elapsed_s": (secs * 10.0).round() / 10.0,
                }),
            );
            self.last_beat = Instant::now();
            self.last_beat_pages = self.done;
        }
    }

    /// Records one finished input file.
    pub fn input_done(&mut self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// Logs one event through the bar (so lines do not tear it); `text = false` keeps it out of
    /// the text format.
    pub fn event(
        &self,
        level: Level,
        event: &str,
        message: &str,
        fields: serde_json::Value,
        text: bool,
    ) {
        match &self.bar {
            Some(b) => b.suspend(|| self.log.emit(level, event, message, fields, text)),
            None => self.log.emit(level, event, message, fields, text),
        }
    }

    /// Ends the bar; returns (pages, bytes, errors, seconds).
    pub fn finish(&self) -> (u64, u64, u64, f64) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        let _ = self.total;
        (
            self.done,
            self.bytes,
            self.errors,
            self.start.elapsed().as_secs_f64(),
        )
    }
}
