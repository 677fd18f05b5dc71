fn main() {
    let html = std::env::args().nth(1).unwrap();
    let d = pagemill::parse::parse(&html, Default::default(), Default::default()).unwrap();
    for n in d.descendants(0) {
        println!(
            "{} {} {:?} {:?}",
            d.depth(n),
            d.tag_name(n),
            d.text(n),
            d.attrs(n).collect::<Vec<_>>()
        );
    }
}
