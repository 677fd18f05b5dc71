//! Fuzz read → decode → parse → extract → assemble on arbitrary bytes: whatever the input,
//! the result is rows or a typed error, never a panic, a hang or unbounded memory.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pagemill::parse::Frontend;
use pagemill::settings::Rules;

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| Rules::defaults().expect("default rules"))
}

fuzz_target!(|data: &[u8]| {
    // bytes as a page (exercises charset sniffing, parsing and every extractor)
    let _ = pagemill::pipeline::extract_bytes(
        data.to_vec(),
        "fuzz.html",
        Some("https://fuzz.example/a/b".into()),
        rules(),
        Frontend::Html5ever,
    );
});
