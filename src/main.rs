//! The `pagemill` binary: parse the command line, call the library, map results to exit codes.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use pagemill::cli::{Cli, Command, Format, LogFormat, ParserChoice};
use pagemill::output::Formats;
use pagemill::parse::Frontend;
use pagemill::run::log::{Level, Logger};
use pagemill::run::{self, RunArgs};

fn frontend(p: ParserChoice) -> Frontend {
    match p {
        ParserChoice::Html5ever => Frontend::Html5ever,
        ParserChoice::Fast => Frontend::Fast,
    }
}

/// Logs one line for the subcommands other than `run` (which logs through `run::log`).
fn log(json: bool, level: &str, msg: &str) {
    let level = match level {
        "error" => Level::Error,
        "warn" => Level::Warn,
        _ => Level::Info,
    };
    Logger::new(json).event(level, "error", msg, serde_json::Value::Null);
}

fn main() -> ExitCode {
    // Worker panics are caught per page and reported as `e_internal` rows; keep stderr clean.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Run {
            inputs,
            out,
            format,
            jobs,
            config,
            shard,
            limit,
            quiet,
            json,
            force,
            dry_run,
            max_failure_rate,
            min_keep_ratio,
            keep,
            fail_on_empty,
            parser,
            log_format,
        } => {
            let json_logs = match log_format {
                Some(LogFormat::Json) => true,
                Some(LogFormat::Text) => false,
                None => !std::io::stderr().is_terminal(),
            };
            let args = RunArgs {
                inputs,
                out,
                formats: Formats {
                    jsonl: format.contains(&Format::Jsonl),
                    csv: format.contains(&Format::Csv),
                },
                jobs: jobs.unwrap_or_else(|| {
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1)
                }),
                config,
                shard,
                limit,
                quiet,
                json,
                force,
                dry_run,
                max_failure_rate,
                min_keep_ratio,
                keep,
                fail_on_empty,
                frontend: frontend(parser),
                argv: std::env::args().collect(),
                log_json: json_logs,
            };
            // run::run logs every event (start, page errors, publish, summary, failures)
            match run::run(&args) {
                Ok(report) => {
                    if json {
                        println!("{}", serde_json::to_string(&report.row).unwrap_or_default());
                    }
                    ExitCode::from(report.row.exit_code.clamp(0, 255) as u8)
                }
                Err(e) => ExitCode::from(e.exit_code() as u8),
            }
        }
        Command::Bench {
            dir,
            jobs,
            limit,
            parser,
            json,
        } => {
            let rules = match pagemill::settings::Rules::defaults() {
                Ok(r) => r,
                Err(e) => {
                    log(false, "error", &e.to_string());
                    return ExitCode::from(2);
                }
            };
            let jobs = jobs.unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1)
            });
            match pagemill::bench::run(&dir, &rules, frontend(parser), jobs, limit) {
                Ok(r) => {
                    if json {
                        println!("{}", serde_json::to_string(&r).unwrap_or_default());
                    } else {
                        pagemill::bench::print(&r);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    log(false, "error", &e.to_string());
                    ExitCode::from(2)
                }
            }
        }
        Command::Eval {
            gold,
            pages,
            jobs,
            worst,
            dump,
            config,
        } => {
            let rules = match pagemill::settings::Rules::load(config.as_deref()) {
                Ok(r) => r,
                Err(e) => {
                    log(false, "error", &e.to_string());
                    return ExitCode::from(2);
                }
            };
            match pagemill::eval::run_eval(&gold, &pages, &rules, jobs.unwrap_or(0), worst) {
                Ok(report) => {
                    if let Some(d) = dump {
                        let mut text = String::new();
                        for p in &report.pages {
                            text.push_str(
                                &serde_json::json!({"id": p.id, "text": p.text, "detected_type": p.detected_type})
                                    .to_string(),
                            );
                            text.push('\n');
                        }
                        if let Err(e) = std::fs::write(&d, text) {
                            log(false, "error", &format!("{}: {e}", d.display()));
                            return ExitCode::from(3);
                        }
                    }
                    print!("{}", report.render());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    log(false, "error", &e.to_string());
                    ExitCode::from(2)
                }
            }
        }
        Command::Extract {
            file,
            url,
            config,
            parser,
        } => {
            let rules = match pagemill::settings::Rules::load(config.as_deref()) {
                Ok(r) => r,
                Err(e) => {
                    log(false, "error", &e.to_string());
                    return ExitCode::from(2);
                }
            };
            let rel = file
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let raw = match pagemill::read::read_file(&file, &rel, rules.limits.max_input_bytes) {
                Ok(r) => r,
                Err(e) => {
                    log(false, "error", &format!("{}: {e}", file.display()));
                    return ExitCode::from(1);
                }
            };
            match pagemill::pipeline::extract_bytes(raw.bytes, &rel, url, &rules, frontend(parser))
            {
                Ok(rows) => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&rows).unwrap_or_default()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    log(
                        false,
                        "error",
                        &format!("{} [{}]: {e}", file.display(), e.code()),
                    );
                    ExitCode::from(1)
                }
            }
        }
    }
}
