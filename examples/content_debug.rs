//! Debug aid: shows the container choice and chrome marks of one page.
//! usage: cargo run --example content_debug -- PAGE.html.gz [TEXT]
use pagemill::dom::NodeSet;
use pagemill::extract::content::{candidates, stats::Stats};
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let raw = std::fs::read(&args[1]).unwrap();
    let mut s = String::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_string(&mut s).unwrap();
    let dom = pagemill::parse::parse(&s, Default::default(), Default::default()).unwrap();
    let rules = pagemill::settings::Rules::defaults().unwrap();
    let r = &rules.content;
    let st = Stats::compute(&dom, &r.boiler, &NodeSet::for_dom(&dom), std::env::var_os("FORUM").is_some());
    let body = dom.body();
    let desc = |n: u32| format!("{}#{}.{} text={} clean={} link={} prose={} chrome={} dead={}", dom.tag_name(n), dom.id_attr(n).unwrap_or(""), dom.attr(n, "class").unwrap_or("").chars().take(60).collect::<String>(), st.text[n as usize], st.clean[n as usize], st.link[n as usize], candidates::prose(&st, n), st.chrome.contains(n), st.dead.contains(n));
    println!("body {}", desc(body));
    println!("tiers {:?}", candidates::by_tiers(&dom, &st, r, body).map(|(n, h)| (desc(n), h)));
    println!("score {:?}", candidates::by_score(&dom, &st, r, body).map(desc));
    for n in dom.descendants(body) {
        if st.chrome.contains(n) && st.text[n as usize] >= 300 && !dom.ancestors(n).any(|a| st.chrome.contains(a)) {
            println!("  chrome {}", desc(n));
        }
    }
    if let Some(needle) = args.get(2) {
        let t = dom.descendants(0).find(|&n| dom.is_text(n) && dom.text(n).contains(needle.as_str()));
        if let Some(t) = t {
            for a in dom.ancestors(t) { if dom.is_element(a) { println!("  anc {}", desc(a)); } }
        }
    }
}
