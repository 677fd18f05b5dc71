#![recursion_limit = "512"]
//! pagemill: a directory of saved web pages in, clean joinable tables out.
//!
//! The modules follow the data flow:
//!
//! ```text
//! discover → read → decode → parse → extract (metadata, comments, links, content) → write
//! ```
//!
//! * [`discover`] walks the inputs in a stable order and shards them;
//! * [`read`] opens files, decompresses gzip/zstd, splits WARC files into records;
//! * [`decode`] turns bytes into text (BOM → transport charset → `<meta>` → detector);
//! * [`parse`] builds the arena [`dom::Dom`] (the only module that knows the parser crate);
//! * [`extract`] runs the stages of SCHEMA §6.2 over the DOM and assembles rows;
//! * [`output`] writes snapshots (JSONL + CSV, manifest, atomic publication);
//! * [`pipeline`] ties them together with rayon workers and one ordered writer;
//! * [`run`] is a whole scheduled run: locking, incremental state, exit codes.

pub mod bench;
pub mod cli;
pub mod decode;
pub mod discover;
pub mod dom;
pub mod error;
pub mod eval;
pub mod extract;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod progress;
pub mod read;
pub mod run;
pub mod select;
pub mod settings;
pub mod urlnorm;
