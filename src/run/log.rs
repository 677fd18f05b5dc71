//! Run log: one event per line on stderr, as text on a terminal or JSON off it (SCHEMA §7.5).
//!
//! Why it exists: cron and CI collect stderr and want machine-readable lines, people at a
//! terminal want short sentences. Every event of a run (start, page errors and warnings, lock
//! held, refusal, publish, prune, summary) goes through here with the same shape in JSON:
//! `{"ts", "level", "event", "run_id"?, "message", ...fields}`. Logs never touch the tables.

use serde_json::{Map, Value};

/// Severity of a log event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Progress and results.
    Info,
    /// Something is off; the run goes on.
    Warn,
    /// A page or the run failed.
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// Writes log events to stderr.
#[derive(Clone, Debug, Default)]
pub struct Logger {
    json: bool,
    run_id: Option<String>,
}

impl Logger {
    /// Text (`json = false`) or JSON lines.
    pub fn new(json: bool) -> Logger {
        Logger { json, run_id: None }
    }

    /// The same logger, tagging every event with `run_id`.
    pub fn for_run(&self, run_id: &str) -> Logger {
        Logger {
            json: self.json,
            run_id: Some(run_id.to_string()),
        }
    }

    /// Whether lines are JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// The line for one event: `None` when text format skips it (`text = false`: per-page
    /// warnings, which only the JSON stream carries; their count is in the summary).
    pub fn line(
        &self,
        level: Level,
        event: &str,
        message: &str,
        fields: Map<String, Value>,
        text: bool,
    ) -> Option<String> {
        if !self.json {
            return text.then(|| format!("pagemill: {message}"));
        }
        let mut m = Map::new();
        m.insert(
            "ts".into(),
            chrono::Utc::now()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                .into(),
        );
        m.insert("level".into(), level.as_str().into());
        m.insert("event".into(), event.into());
        if let Some(r) = &self.run_id {
            m.insert("run_id".into(), r.clone().into());
        }
        m.insert("message".into(), message.into());
        for (k, v) in fields {
            if !m.contains_key(&k) {
                m.insert(k, v);
            }
        }
        Some(Value::Object(m).to_string())
    }

    /// Writes one event (shown in both formats).
    pub fn event(&self, level: Level, event: &str, message: &str, fields: Value) {
        self.emit(level, event, message, fields, true);
    }

    /// Writes one event; `text = false` keeps it out of the text format.
    pub fn emit(&self, level: Level, event: &str, message: &str, fields: Value, text: bool) {
        let fields = match fields {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if let Some(l) = self.line(level, event, message, fields, text) {
            eprintln!("{l}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_have_the_stable_shape() {
        let l = Logger::new(true).for_run("R1");
        let mut f = Map::new();
        f.insert("source_path".into(), "a.html".into());
        f.insert("level".into(), "ignored".into());
        let line = l
            .line(Level::Warn, "page_error", "a.html: bad", f, true)
            .unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["level"], "warn");
        assert_eq!(v["event"], "page_error");
        assert_eq!(v["run_id"], "R1");
        assert_eq!(v["message"], "a.html: bad");
        assert_eq!(v["source_path"], "a.html");
        assert!(v["ts"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn text_lines_are_sentences_and_may_skip_events() {
        let l = Logger::new(false);
        assert_eq!(
            l.line(Level::Info, "x", "hello", Map::new(), true)
                .as_deref(),
            Some("pagemill: hello")
        );
        assert_eq!(l.line(Level::Warn, "x", "w", Map::new(), false), None);
    }
}
