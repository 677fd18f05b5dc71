//! Page-level tests: the fixtures under `tests/fixtures/links/` (one per block type, shells,
//! chrome that must never be related) and the shared seed page when it is present.

use super::test_util::*;
use super::*;
use crate::dom::{push_collapsed, Dom, NodeId, NodeSet};
use crate::extract::{Block, BlockKind, CommentsOut, ContentOut, InlineLink, LinkDraft, LinksOut};
use crate::select::Selector;

/// Stands in for the content stage: every `p`/`li` under `scope` outside the found blocks,
/// with its links and their code-point spans.
pub(crate) fn content_from(dom: &Dom, scope: &str, excluded: &NodeSet) -> ContentOut {
    let sel = Selector::parse(scope).unwrap();
    let para = Selector::parse("p, li, h2, h3, blockquote").unwrap();
    let mut out = ContentOut::default();
    for root in sel.outermost(dom, dom.root()) {
        out.main_node.get_or_insert(root);
        for p in para.outermost(dom, root) {
            if excluded.covers(dom, p) {
                continue;
            }
            let (text, links) = text_with_links(dom, p);
            if text.is_empty() {
                continue;
            }
            out.blocks
                .push(Block::plain(BlockKind::Paragraph, text, links, p));
        }
    }
    out
}

fn text_with_links(dom: &Dom, p: NodeId) -> (String, Vec<InlineLink>) {
    let mut text = String::new();
    let mut links = Vec::new();
    let mut open: Vec<(NodeId, usize)> = Vec::new();
    for d in dom.descendants(p) {
        while let Some(&(a, start)) = open.last() {
            if dom.is_inclusive_ancestor(a, d) {
                break;
            }
            open.pop();
            links.push(InlineLink {
                node: a,
                start,
                end: text.trim_end().chars().count(),
            });
        }
        if dom.is_text(d) {
            push_collapsed(&mut text, dom.text(d));
        } else if dom.is(d, crate::dom::name::A) {
            open.push((d, text.chars().count()));
        }
    }
    while let Some((a, start)) = open.pop() {
        links.push(InlineLink {
            node: a,
            start,
            end: text.trim_end().chars().count(),
        });
    }
    let t = text.trim().to_string();
    (t, links)
}

pub(crate) struct Run {
    pub blocks: Vec<crate::extract::LinkBlock>,
    pub out: LinksOut,
}

/// find_blocks → (simulated) content → classify, with `comments` marking the comment area.
pub(crate) fn run(html: &str, page: Option<&str>, scope: &str, comments_sel: Option<&str>) -> Run {
    let d = dom(html);
    let c = cx(&d, page);
    let mut excluded = NodeSet::for_dom(&d);
    let mut comments = CommentsOut::default();
    if let Some(s) = comments_sel {
        for n in Selector::parse(s).unwrap().outermost(&d, d.root()) {
            excluded.insert(n);
            comments.regions.push(n);
        }
    }
    let blocks = find_blocks(&c, &excluded);
    for b in &blocks {
        excluded.insert(b.node);
    }
    let content = content_from(&d, scope, &excluded);
    let out = classify(&c, &content, &comments, &blocks);
    Run { blocks, out }
}

pub(crate) fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/links/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub(crate) fn find<'a>(out: &'a LinksOut, url: &str) -> Vec<&'a LinkDraft> {
    out.links.iter().filter(|l| l.url == url).collect()
}

pub(crate) fn related(out: &LinksOut) -> Vec<(&str, &str, Option<i64>)> {
    out.links
        .iter()
        .filter(|l| l.kind == "related")
        .map(|l| (l.url.as_str(), l.anchor_text.as_str(), l.block_position))
        .collect()
}

#[allow(dead_code)]
pub(crate) fn dump(out: &LinksOut) -> String {
    out.links
        .iter()
        .map(|l| {
            format!(
                "{:<10} {:<28} {:<16} {:?} pos={:?} img={} {} | {}",
                l.kind,
                l.kind_rule,
                l.block.as_deref().unwrap_or("-"),
                l.block_heading,
                l.block_position,
                l.has_image,
                l.url,
                l.anchor_text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `PAGEMILL_LINKS_DUMP=path [PAGEMILL_LINKS_URL=url] cargo test --lib dump_page -- --ignored --nocapture`
#[test]
#[ignore]
fn dump_page() {
    let Ok(p) = std::env::var("PAGEMILL_LINKS_DUMP") else {
        return;
    };
    let bytes = std::fs::read(&p).unwrap();
    let html = if p.ends_with(".gz") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut s)
            .unwrap();
        s
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let url = std::env::var("PAGEMILL_LINKS_URL").ok();
    let d = dom(&html);
    let canonical = crate::extract::metadata::extract(&d, source(), rules()).url;
    let page = url.or(canonical);
    let r = run(
        &html,
        page.as_deref(),
        "article, .entry-content, main",
        None,
    );
    for b in &r.blocks {
        println!(
            "BLOCK {} {:?} {} js_only={}",
            b.label, b.heading, b.rule, b.js_only
        );
    }
    println!("{}\nstatus={}", dump(&r.out), r.out.related_status);
}

#[test]
fn seed_page_duran_g20() {
    let path = "/work/shared/fixtures/duran-g20/page.html";
    let Ok(html) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let page = "https://theduran.com/putin-trump-to-hold-long-and-substantive-meeting-on-sidelines-of-g20/";
    let r = run(&html, Some(page), ".td-post-content", Some("#comments"));
    let rel = related(&r.out);
    assert_eq!(
        rel,
        vec![
            ("https://theduran.com/jamal-khashoggi-died-for-nothing/", "Jamal Khashoggi Died for Nothing", Some(0)),
            (
                "https://theduran.com/50000-nato-troops-stage-massive-military-drills-on-russias-border-video/",
                "50,000 NATO troops stage MASSIVE military drills on Russia’s border (Video)",
                Some(1)
            ),
        ],
        "{}",
        dump(&r.out)
    );
    assert!(r
        .out
        .links
        .iter()
        .filter(|l| l.kind == "related")
        .all(|l| l.block.as_deref() == Some("adjacent")));
    for (url, text) in [
        (
            "https://sputniknews.com/russia/201811021069482545-putin-trump-g20-meeting/",
            "Sputnik News",
        ),
        ("https://theduran.com/tag/inf-treaty/", "INF Treaty"),
    ] {
        let l = find(&r.out, url);
        assert!(
            l.iter().any(|l| l.kind == "in_body"
                && l.anchor_text == text
                && l.block_index.is_some()
                && l.anchor_start.is_some()),
            "{url}\n{}",
            dump(&r.out)
        );
    }
    for url in [
        "https://theduran.com/",
        "https://theduran.com/category/news/",
        "https://theduran.com/contact/",
        "https://theduran.com/privacy-policy/",
        "https://www.facebook.com/theduran",
        "https://www.patreon.com/theduran",
    ] {
        assert!(
            find(&r.out, url).iter().all(|l| l.kind != "related"),
            "{url}"
        );
    }
    // Share buttons, the sidebar's "Latest Articles", tags, comments.
    let kind = |u: &str| {
        find(&r.out, u)
            .first()
            .map(|l| l.kind.clone())
            .unwrap_or_default()
    };
    assert_eq!(kind("https://www.facebook.com/sharer.php?u=https%3A%2F%2Ftheduran.com%2Fputin-trump-to-hold-long-and-substantive-meeting-on-sidelines-of-g20%2F"), "social");
    assert_eq!(
        kind("https://theduran.com/brexit-deal-faces-defeat-in-parliament/"),
        "navigation"
    );
    assert_eq!(kind("https://theduran.com/tag/g20/"), "tag");
    assert_eq!(
        kind("https://viableopposition.blogspot.com/2018/10/vladimir-putin-on-nuclear-war.html"),
        "comment"
    );
    assert_eq!(kind("https://theduran.com/author/theduran/"), "author");
    assert_eq!(r.out.related_status, "extracted");
}

fn kinds_of<'a>(out: &'a LinksOut, url: &str) -> Vec<&'a str> {
    find(out, url).iter().map(|l| l.kind.as_str()).collect()
}

fn no_related_except(out: &LinksOut, allowed: &[&str]) {
    for l in out.links.iter().filter(|l| l.kind == "related") {
        assert!(
            allowed.contains(&l.url.as_str()),
            "unexpected related {}\n{}",
            l.url,
            dump(out)
        );
    }
}

#[test]
fn jetpack_rendered_block_inside_sharedaddy() {
    let r = run(
        &fixture("jetpack_rendered.html"),
        Some("https://gardenblog.example.com/2024/05/garden-diary-may/"),
        ".entry-content",
        None,
    );
    let g = "https://gardenblog.example.com";
    assert_eq!(
        related(&r.out),
        vec![
            (
                "https://gardenblog.example.com/2023/05/garden-diary-may-2023/",
                "Garden diary: May 2023",
                Some(0)
            ),
            (
                "https://gardenblog.example.com/2024/03/sowing-chillies/",
                "Sowing chillies indoors",
                Some(1)
            ),
            (
                "https://gardenblog.example.com/2022/09/saving-seeds/",
                "Saving seeds",
                Some(2)
            ),
        ],
        "{}",
        dump(&r.out)
    );
    let first = &find(&r.out, &format!("{g}/2023/05/garden-diary-may-2023/"))[0];
    assert!(first.has_image);
    assert_eq!(first.kind_rule, "block:jetpack_related");
    assert_eq!(first.block_heading.as_deref(), Some("Related"));
    assert!(first.url_raw.contains("relatedposts_hit=1"));
    assert_eq!(r.out.related_status, "extracted");
    // Jetpack share buttons (`?share=`) next to the block are social, not related.
    assert!(r
        .out
        .links
        .iter()
        .filter(|l| l.url_raw.contains("share="))
        .all(|l| l.kind == "social"));
    // The sidebar "Recent Posts" widget is navigation even though it lists articles.
    assert_eq!(
        kinds_of(&r.out, &format!("{g}/2024/05/compost-bins/")),
        vec!["navigation"]
    );
    assert_eq!(kinds_of(&r.out, &format!("{g}/tag/tomatoes/")), vec!["tag"]);
    assert_eq!(
        kinds_of(&r.out, &format!("{g}/category/diary/")),
        vec!["category"]
    );
    // Continue reading to the page itself (#more-12) is not emitted.
    assert!(r.out.links.iter().all(|l| !l.url_raw.contains("#more-12")));
}

#[test]
fn jetpack_server_rendered_block_variant() {
    let r = run(
        &fixture("jetpack_block_i2.html"),
        Some("https://algoritmos.example.org/2022/07/01/media-geometrica/"),
        ".entry-content",
        None,
    );
    let rel = related(&r.out);
    assert_eq!(rel.len(), 3, "{}", dump(&r.out));
    assert_eq!(
        rel[0],
        (
            "https://algoritmos.example.org/2022/06/27/media-armonica/",
            "¿Cómo calcular la media armónica?",
            Some(0)
        )
    );
    let l = &find(&r.out, rel[0].0)[0];
    assert!(l.has_image, "title link and image link merged");
    assert_eq!(l.block_heading.as_deref(), Some("Artículos relacionados"));
    assert_eq!(
        kinds_of(
            &r.out,
            "https://algoritmos.example.org/2022/06/15/media-aritmetica/"
        ),
        vec!["in_body"]
    );
}

#[test]
fn empty_jetpack_shell_is_js_only() {
    let r = run(
        &fixture("jetpack_shell.html"),
        Some("https://yarn.example.net/knitting-patterns-for-winter/"),
        ".entry-content",
        None,
    );
    assert!(r
        .blocks
        .iter()
        .any(|b| b.label == "jetpack_related" && b.js_only));
    assert_eq!(r.out.related_status, "js_only");
    assert_eq!(r.out.warnings.len(), 1);
    assert_eq!(r.out.warnings[0].code, "w_related_js_only");
    no_related_except(&r.out, &[]);
    // Jetpack "Top Posts" widget: popular, navigation.
    let l = &find(&r.out, "https://yarn.example.net/sock-heels/")[0];
    assert_eq!(
        (l.kind.as_str(), l.block.as_deref()),
        ("navigation", Some("popular_posts"))
    );
}

#[test]
fn empty_outbrain_and_taboola_shells_are_js_only() {
    let r = run(
        &fixture("outbrain_taboola_shell.html"),
        Some("https://www.dailynews.example.com/local/city-council-budget-vote-2024"),
        ".article-body",
        None,
    );
    let labels: Vec<(&str, bool)> = r
        .blocks
        .iter()
        .map(|b| (b.label.as_str(), b.js_only))
        .collect();
    assert_eq!(labels, vec![("outbrain", true), ("taboola", true)]);
    assert_eq!(r.out.related_status, "js_only");
    let detail = r.out.warnings[0].detail.as_ref().unwrap();
    assert_eq!(
        detail["systems"],
        serde_json::json!(["outbrain", "taboola"])
    );
}

#[test]
fn rendered_outbrain_splits_organic_and_paid() {
    let r = run(
        &fixture("outbrain_rendered.html"),
        Some("https://www.dailynews.example.com/weather/storm-warning-coast"),
        ".article-body",
        None,
    );
    assert_eq!(
        related(&r.out),
        vec![
            (
                "https://www.dailynews.example.com/weather/how-warnings-work",
                "How weather warnings work",
                Some(0)
            ),
            (
                "https://www.dailynews.example.com/local/flood-defences-upgrade",
                "Flood defences get an upgrade",
                Some(1)
            ),
        ],
        "{}",
        dump(&r.out)
    );
    assert_eq!(
        kinds_of(
            &r.out,
            "https://paid.outbrain.com/network/redir?c=def&p=abc"
        ),
        vec!["sponsored"]
    );
    assert_eq!(r.out.related_status, "extracted");
    assert!(r.out.warnings.is_empty());
}

#[test]
fn yarpp_block_and_post_navigation() {
    let r = run(
        &fixture("yarpp.html"),
        Some("https://backen.example.de/sauerteig-ansetzen/"),
        ".entry-content",
        None,
    );
    let rel = related(&r.out);
    assert_eq!(rel.len(), 5, "{}", dump(&r.out));
    let y = &find(&r.out, "https://backen.example.de/lievito-madre/")[0];
    assert_eq!(y.kind_rule, "block:yarpp");
    assert_eq!(y.block_position, Some(1));
    assert_eq!(
        y.block_heading.as_deref(),
        Some("Artikel, die dir auch gefallen könnten:")
    );
    let prev = &find(&r.out, "https://backen.example.de/dinkelbroetchen/")[0];
    assert_eq!(
        (
            prev.kind.as_str(),
            prev.block.as_deref(),
            prev.kind_rule.as_str()
        ),
        ("related", Some("adjacent"), "rel:prev")
    );
    let next = &find(&r.out, "https://backen.example.de/zimtschnecken/")[0];
    assert_eq!(next.block_position, Some(1));
    // `yarpp-related-none` in the sidebar: a block without links, not a shell.
    assert!(r
        .blocks
        .iter()
        .filter(|b| b.label == "yarpp")
        .all(|b| !b.js_only));
    assert_eq!(
        kinds_of(&r.out, "https://backen.example.de/category/brot/"),
        vec!["category"]
    );
}

#[test]
fn crp_thumbnail_anchor() {
    let r = run(
        &fixture("crp.html"),
        Some("https://diyhome.example.com/fixing-a-leaky-tap/"),
        ".entry-content",
        None,
    );
    assert_eq!(
        related(&r.out),
        vec![
            (
                "https://diyhome.example.com/replace-a-toilet-fill-valve/",
                "Replace a toilet fill valve",
                Some(0)
            ),
            (
                "https://diyhome.example.com/bleed-a-radiator/",
                "Bleed a radiator",
                Some(1)
            ),
        ]
    );
    assert!(find(&r.out, "https://diyhome.example.com/bleed-a-radiator/")[0].has_image);
    assert_eq!(
        find(&r.out, "https://diyhome.example.com/bleed-a-radiator/")[0]
            .block_heading
            .as_deref(),
        Some("Related Posts:")
    );
    assert_eq!(
        kinds_of(&r.out, "https://shop.example.org/washer-kit"),
        vec!["in_body"]
    );
}

#[test]
fn tagdiv_related_with_tabs_and_category_links() {
    let r = run(
        &fixture("td_related.html"),
        Some("https://worldwire.example.com/election-results-analysis/"),
        ".td-post-content",
        None,
    );
    assert_eq!(
        related(&r.out),
        vec![
            (
                "https://worldwire.example.com/coalition-talks-begin/",
                "Coalition talks begin",
                Some(0)
            ),
            (
                "https://worldwire.example.com/markets-react-to-vote/",
                "Markets react to vote",
                Some(1)
            ),
        ],
        "{}",
        dump(&r.out)
    );
    let c = &find(&r.out, "https://worldwire.example.com/category/politics/")[0];
    assert_eq!(
        (c.kind.as_str(), c.block.as_deref()),
        ("category", Some("td_related"))
    );
    assert_eq!(
        find(
            &r.out,
            "https://worldwire.example.com/coalition-talks-begin/"
        )[0]
        .block_heading
        .as_deref(),
        Some("RELATED ARTICLES")
    );
    // Tab links (`href="#"`) are not emitted.
    assert_eq!(r.out.links.len(), 5);
}

#[test]
fn related_posts_for_wp() {
    let r = run(
        &fixture("rp4wp.html"),
        Some("https://pets.example.com/puppy-training-basics/"),
        ".entry-content",
        None,
    );
    assert_eq!(
        related(&r.out),
        vec![
            (
                "https://pets.example.com/crate-training/",
                "Crate training without tears",
                Some(0)
            ),
            (
                "https://pets.example.com/leash-walking/",
                "Loose-leash walking",
                Some(1)
            ),
        ]
    );
    assert_eq!(
        find(&r.out, "https://pets.example.com/crate-training/")[0].kind_rule,
        "block:rp4wp"
    );
}

#[test]
fn generic_blocks_by_class_and_heading() {
    let r = run(
        &fixture("generic_class.html"),
        Some("https://www.homeandgarden.example.co.uk/how-to-prune-roses"),
        ".article-body",
        None,
    );
    let base = "https://www.homeandgarden.example.co.uk";
    let rel = related(&r.out);
    assert_eq!(
        rel,
        vec![
            (
                "https://www.homeandgarden.example.co.uk/climbing-roses-guide",
                "A guide to climbing roses",
                Some(0)
            ),
            (
                "https://www.homeandgarden.example.co.uk/rose-black-spot",
                "Dealing with black spot",
                Some(1)
            ),
            (
                "https://www.homeandgarden.example.co.uk/best-hedging-plants",
                "Best hedging plants",
                Some(0)
            ),
            (
                "https://www.homeandgarden.example.co.uk/lawn-care-calendar",
                "Lawn care calendar",
                Some(1)
            ),
        ],
        "{}",
        dump(&r.out)
    );
    assert!(r
        .out
        .links
        .iter()
        .filter(|l| l.kind == "related")
        .all(|l| l.block.as_deref() == Some("related_generic")));
    assert_eq!(
        find(&r.out, &format!("{base}/climbing-roses-guide"))[0]
            .block_heading
            .as_deref(),
        Some("You might also like")
    );
    assert_eq!(
        kinds_of(&r.out, &format!("{base}/category/roses")),
        vec!["category"]
    );
    assert_eq!(
        kinds_of(&r.out, &format!("{base}/secateurs-tested")),
        vec!["in_body"]
    );
}

#[test]
fn multilingual_heading_blocks_and_sidebar_widgets() {
    let r = run(
        &fixture("generic_heading.html"),
        Some("https://actu.example.fr/politique/reforme-des-retraites-le-vote"),
        ".texte",
        None,
    );
    let rel: Vec<&str> = related(&r.out).into_iter().map(|x| x.0).collect();
    assert_eq!(
        rel,
        vec![
            "https://actu.example.fr/politique/retraites-ce-qui-change",
            "https://actu.example.fr/economie/regimes-speciaux",
            "https://actu.example.fr/politique/manifestations-bilan",
            "https://actu.example.fr/politique/syndicats-reponse",
        ],
        "{}",
        dump(&r.out)
    );
    let a = &find(&r.out, rel[1])[0];
    assert_eq!(
        (a.block_heading.as_deref(), a.block_position),
        (Some("À lire aussi"), Some(1))
    );
    assert_eq!(
        find(&r.out, rel[2])[0].block_heading.as_deref(),
        Some("Sur le même sujet")
    );
    assert_eq!(
        kinds_of(&r.out, "https://actu.example.fr/faits-divers/incendie-lyon"),
        vec!["navigation"]
    );
    assert_eq!(
        kinds_of(&r.out, "https://ads.partner.example.com/click?id=1"),
        vec!["sponsored"]
    );
    assert_ne!(
        kinds_of(&r.out, "https://actu.example.fr/"),
        vec!["related"]
    );
    // The "Lire aussi :" line stays a paragraph link until the content stage lifts it out.
    assert_eq!(
        kinds_of(&r.out, "https://actu.example.fr/politique/senat-calendrier"),
        vec!["in_body"]
    );
}

#[test]
fn chrome_never_related() {
    let r = run(
        &fixture("no_block.html"),
        Some("https://essays.example.com/2024/on-walking/"),
        ".entry-content",
        None,
    );
    no_related_except(&r.out, &[]);
    assert_eq!(r.out.related_status, "none");
    assert!(r.out.warnings.is_empty());
    let e = "https://essays.example.com";
    let kind = |u: &str| kinds_of(&r.out, &format!("{e}{u}"));
    assert_eq!(kind("/archive/"), vec!["navigation"]);
    assert_eq!(kind("/category/essays/"), vec!["category", "category"]);
    assert_eq!(kind("/author/mara/"), vec!["author", "author"]);
    assert_eq!(kind("/tag/walking/"), vec!["tag"]);
    assert_eq!(kind("/2024/on-sleeping/"), vec!["navigation"]);
    assert_eq!(kind("/2020/on-boredom/"), vec!["navigation"]);
    assert_eq!(kind("/page/3/"), vec!["navigation", "navigation"]);
    assert_eq!(
        kind("/2024/on-walking/2/"),
        vec!["other"],
        "article pagination is not adjacent"
    );
    assert_eq!(
        kind("/2024/on-walking/"),
        vec!["other"],
        "the page's own URL"
    );
    assert_eq!(kind("/privacy/"), vec!["navigation"]);
    assert_eq!(
        kinds_of(&r.out, "https://www.instagram.com/essays"),
        vec!["social"]
    );
    assert_eq!(
        kinds_of(
            &r.out,
            "https://www.linkedin.com/shareArticle?mini=true&url=x"
        ),
        vec!["social"]
    );
    assert!(r
        .out
        .links
        .iter()
        .any(|l| l.url.starts_with("mailto:?subject") && l.kind == "social"));
    // Rule 0: skip link (#content), javascript:, the self "Read more" (#more-77).
    assert!(r
        .out
        .links
        .iter()
        .all(|l| !l.url_raw.starts_with('#') && !l.url_raw.starts_with("javascript")));
    assert!(r.out.links.iter().all(|l| !l.url_raw.contains("#more-77")));
    // <base href> resolves relative links; the Recent Posts widget is ranked.
    let w = &find(&r.out, &format!("{e}/2024/on-reading/"))[0];
    assert_eq!(
        (w.block.as_deref(), w.block_position),
        (Some("recent_posts"), Some(1))
    );
}

#[test]
fn inline_read_more_lines_become_related() {
    // The content stage moves "Lire aussi : …" lines to `read_more`; their links are related.
    let html = fixture("generic_heading.html");
    let d = dom(&html);
    let c = cx(
        &d,
        Some("https://actu.example.fr/politique/reforme-des-retraites-le-vote"),
    );
    let mut excluded = NodeSet::for_dom(&d);
    let blocks = find_blocks(&c, &excluded);
    for b in &blocks {
        excluded.insert(b.node);
    }
    let mut content = content_from(&d, ".texte", &excluded);
    let i = content
        .blocks
        .iter()
        .position(|b| b.text.starts_with("Lire aussi"))
        .unwrap();
    let rm = content.blocks.remove(i);
    content.read_more.push(rm);
    let out = classify(&c, &content, &CommentsOut::default(), &blocks);
    let l = &find(&out, "https://actu.example.fr/politique/senat-calendrier")[0];
    assert_eq!(
        (
            l.kind.as_str(),
            l.kind_rule.as_str(),
            l.block.as_deref(),
            l.block_heading.as_deref(),
            l.block_position
        ),
        (
            "related",
            "block:inline_read_more",
            Some("inline_read_more"),
            Some("Lire aussi :"),
            Some(0)
        )
    );
    assert_eq!(l.block_index, None);
}

#[test]
fn comment_links_carry_comment_index_and_span() {
    let html = r#"<html><body><article><div class="entry-content"><p>Body.</p></div></article>
        <div id="comments" class="comments-area"><ol>
        <li id="comment-5"><div class="comment-author"><a href="https://blog.example.org/" rel="external nofollow ugc">Ann</a></div>
        <div class="comment-content"><p>See <a id="x" href="https://news.example.com/story/">this story</a> and the <a href="https://site.example.com/related-thing/">related post</a>.</p></div>
        <ol class="children"><li id="comment-6"><p>Reply with <a id="y" href="/tag/x/">a tag</a></p></li></ol></li></ol>
        <div class="nav-links"><a href="https://site.example.com/post/comment-page-2/#comments">Older comments</a></div></div>
        </body></html>"#;
    let d = dom(html);
    let c = cx(&d, Some("https://site.example.com/post/"));
    let region = by_id(&d, "comments");
    let mut excluded = NodeSet::for_dom(&d);
    excluded.insert(region);
    let blocks = find_blocks(&c, &excluded);
    assert!(
        blocks.is_empty(),
        "nothing inside the comment area is a block: {blocks:?}"
    );
    let x = by_id(&d, "x");
    let comments = CommentsOut {
        regions: vec![region],
        comments: vec![
            crate::extract::CommentDraft {
                node: Some(by_id(&d, "comment-5")),
                text: "See this story and the related post.".into(),
                links: vec![InlineLink {
                    node: x,
                    start: 4,
                    end: 14,
                }],
                ..Default::default()
            },
            crate::extract::CommentDraft {
                node: Some(by_id(&d, "comment-6")),
                parent: Some(0),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let out = classify(&c, &ContentOut::default(), &comments, &blocks);
    assert!(
        out.links.iter().all(|l| l.kind == "comment"),
        "{}",
        dump(&out)
    );
    let s = &find(&out, "https://news.example.com/story/")[0];
    assert_eq!(
        (s.comment_index, s.anchor_start, s.anchor_end),
        (Some(0), Some(4), Some(14))
    );
    assert_eq!(
        find(&out, "https://site.example.com/tag/x/")[0].comment_index,
        Some(1)
    );
    assert_eq!(
        find(&out, "https://site.example.com/post/comment-page-2/").len(),
        1
    );
    assert_eq!(out.related_status, "none");
}

#[test]
fn nothing_panics_on_odd_input() {
    for html in [
        "",
        "<a href>x</a>",
        "<a href='http://[::1'>bad</a><a href='%%%'>pct</a>",
        "<svg><a href='/x'>svg link</a></svg>",
        "<h3>Related</h3>",
        "<div class=related></div><div class='OUTBRAIN'></div>",
        "<a rel=next href='/n'>next</a>",
    ] {
        let r = run(html, None, "body", None);
        let _ = r.out.related_status;
        let r = run(html, Some("https://a.example/x/"), "p", None);
        let _ = r.out.related_status;
    }
    let deep = format!(
        "{}<a href='/deep'>d</a>{}",
        "<div>".repeat(1400),
        "</div>".repeat(1400)
    );
    let r = run(&deep, Some("https://a.example/x/"), "p", None);
    assert!(r.out.links.len() <= 1);
}

/// `cargo test --lib big_page_timing -- --ignored --nocapture`
#[test]
#[ignore]
fn big_page_timing() {
    let mut html =
        String::from("<html><body><div class=wrap><main><article><div class=entry-content>");
    for i in 0..3000 {
        html.push_str(&format!(
            "<div class=item><h3>Read more</h3><p>Text {i} with <a href='/p{i}/'>a link</a> and more words here.</p><div class='share'><a href='https://twitter.com/intent/tweet?u={i}'>t</a></div></div>"
        ));
    }
    html.push_str("</div></article></main><aside class=sidebar>");
    for i in 0..2000 {
        html.push_str(&format!("<li class=widget><a href='/s{i}/'>S {i}</a></li>"));
    }
    html.push_str("</aside></div></body></html>");
    let t = std::time::Instant::now();
    let d = dom(&html);
    let c = cx(&d, Some("https://site.example/x/"));
    println!("parse {:?}", t.elapsed());
    let mut excluded = NodeSet::for_dom(&d);
    let blocks = find_blocks(&c, &excluded);
    println!("find_blocks {:?}", t.elapsed());
    for b in &blocks {
        excluded.insert(b.node);
    }
    let content = content_from(&d, ".entry-content", &excluded);
    println!("content {:?}", t.elapsed());
    let out = classify(&c, &content, &CommentsOut::default(), &blocks);
    println!(
        "{} links, {} blocks in {:?}",
        out.links.len(),
        blocks.len(),
        t.elapsed()
    );
}

#[test]
fn generic_blocks_on_listing_pages_are_not_related() {
    let html = fixture("generic_class.html");
    let d = dom(&html);
    let c = cx(
        &d,
        Some("https://www.homeandgarden.example.co.uk/how-to-prune-roses"),
    );
    let mut excluded = NodeSet::for_dom(&d);
    let blocks = find_blocks(&c, &excluded);
    for b in &blocks {
        excluded.insert(b.node);
    }
    let mut content = content_from(&d, ".article-body", &excluded);
    content.page_type = Some("listing".into());
    let out = classify(&c, &content, &CommentsOut::default(), &blocks);
    assert!(
        out.links.iter().all(|l| l.kind != "related"),
        "{}",
        dump(&out)
    );
    assert_eq!(out.related_status, "none");
}

#[test]
fn topics_menus_and_index_links_are_never_related() {
    let html = r#"<html><body>
        <header><nav><h3>More stories</h3><ul><li><a href="/a-story/">A story</a></li><li><a href="/b-story/">B story</a></li></ul></nav></header>
        <main><article><h1>Title</h1><div class="entry-content"><p>Body text of the article.</p></div>
        <section><h2>Related Topics</h2><a href="/topics/health/">Health</a> <a href="/nutrition-hub/">Nutrition</a></section>
        <div class="related-posts"><h3>Related posts</h3><ul>
          <li><a href="/one-post/">One post</a> <a href="/2024/05/01/">May 1, 2024</a></li>
          <li><a href="/two-post/">Two post</a></li></ul>
          <a href="/blog/all-posts/">View all posts</a> <a href="/blog">Blog</a></div>
        <div class="related" role="navigation"><a href="/prev-chapter/">previous</a> <a href="/next-chapter/">next</a></div>
        </article></main>
        <footer><h4>More from us</h4><a href="/footer-one/">Footer one</a> <a href="/footer-two/">Footer two</a></footer>
        </body></html>"#;
    let r = run(
        html,
        Some("https://site.example/this-post/"),
        ".entry-content",
        None,
    );
    let rel: Vec<&str> = related(&r.out).into_iter().map(|x| x.0).collect();
    assert_eq!(
        rel,
        vec![
            "https://site.example/one-post/",
            "https://site.example/two-post/"
        ],
        "{}",
        dump(&r.out)
    );
    let n = &find(&r.out, "https://site.example/nutrition-hub/")[0];
    assert_eq!(
        (n.kind.as_str(), n.block.as_deref()),
        ("navigation", Some("topics"))
    );
}

#[test]
#[ignore]
fn debug_node_stats() {
    let Ok(p) = std::env::var("PAGEMILL_LINKS_DUMP") else {
        return;
    };
    let cls = std::env::var("PAGEMILL_CLASS").unwrap_or_default();
    let bytes = std::fs::read(&p).unwrap();
    let mut html = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut html)
        .unwrap();
    let d = dom(&html);
    let url = crate::extract::metadata::extract(&d, source(), rules()).url;
    let c = cx(&d, url.as_deref());
    let none = NodeSet::for_dom(&d);
    let s = Scan::new(&c, &none);
    for n in d.find_all(d.root(), |n| d.has_class(n, &cls)) {
        let anc: Vec<String> = d
            .ancestors(n)
            .map(|a| format!("{}.{}", d.tag_name(a), d.attr(a, "class").unwrap_or("")))
            .collect();
        println!(
            "{n} {:?} hidden={} skipped={}\n  {:?}",
            s.stats(n),
            is_hidden(&d, n),
            d.ancestors(n).any(|a| is_skipped(&d, a)),
            anc
        );
    }
}
