//! Differential test of the two parser front ends: the fast one must build the same tree as
//! html5ever on hand-written cases covering each tree-construction rule, and give the same
//! extraction on the WCXB dev pages (ignored by default; needs /work/shared).

use pagemill::parse::{outline, parse, Frontend, ParseError, ParseLimits};

fn both(html: &str) -> (String, String) {
    let a = parse(html, Frontend::Html5ever, ParseLimits::default()).expect("html5ever");
    let b = parse(html, Frontend::Fast, ParseLimits::default()).expect("fast");
    (outline(&a), outline(&b))
}

const CASES: &[&str] = &[
    // implied html/head/body, head-only elements, text
    "Hello",
    "<title>T &amp; t</title><p>x",
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>a<b></title></head><body><p>x</p></body></html>",
    "<html><head></head>\n<body>\n<p>a</p>\n</body>\n</html>\n",
    "<head><noscript><img src=x></noscript><title>t</title></head><p>body",
    "<head><noscript><link rel=stylesheet href=a.css></noscript></head><p>x",
    "<head><style>p{}</style><script>var a='<p>';</script></head><body>x",
    "<meta charset=utf-8>text<link rel=x>",
    "<!-- c1 --><!DOCTYPE html><!-- c2 --><html><!-- c3 --><head></head><body></body><!-- c4 --></html><!-- c5 -->",
    // attributes: all quoting forms, duplicates, entities
    r#"<div id=a class='b c' data-x="1&amp;2" data-y=&lt;z title=a&b hidden ID=dup>t</div>"#,
    r#"<a href="?a=1&copy=2&amp;b&notit;">l</a><p title="&notit;x &gt">x"#,
    "<div a=1/><span/>text</span>",
    "<p x = 'y' / z>q",
    // character references in text
    "<p>&amp;&lt;&gt;&quot;&apos;&nbsp;&copy &notin; &notit; &#169; &#xA9; &#x; &#128; &#0; &bogus; &</p>",
    "<p>&NotEqualTilde; &acE;</p>",
    // comments, bogus comments, doctype
    "<p>a<!-- x -- y -->b<!--->c<!-->d<?php echo 1 ?>e</ x>f<!a>g</p>",
    "<p>a<!-- unterminated",
    "<p>a<!--x--!>b",
    // raw text and RCDATA
    "<script>if (a < b && c > d) { document.write('</div>'); }</script><p>x",
    "<script><!-- document.write('<script></script>'); --></script><p>after",
    "<script><!--<script>x</script>y--></script>z",
    "<style>a > b { x: '</p>' }</style>t",
    "<textarea>\n  <b>not bold</b> &amp;</textarea>",
    "<title>a &lt; b <i>c</i></title>",
    "<xmp><b>x</b></xmp><iframe><p>y</p></iframe><noembed><i>z</i></noembed><noframes>q</noframes>",
    "<body><noscript><p>no js</p></noscript>",
    "<plaintext><p>all </plaintext> text",
    "<pre>\nfirst</pre><pre>\n\nsecond</pre><listing>\nx</listing>",
    // implied end tags
    "<p>One<p>Two<div>Three</div>",
    "<ul><li>a<li>b<ul><li>c</ul><li>d</ul>",
    "<dl><dt>a<dd>b<dt>c<dd>d</dl>",
    "<select><option>a<option>b<optgroup label=g><option>c</select>",
    "<ruby>a<rb>b<rt>c<rp>d<rtc>e<rt>f</ruby>",
    "<p><h1>x</h1><h2>y<h3>z</h3>",
    "</p>x</br>y",
    "<p>a</div>b</span>c",
    "<button><p>a<button>b",
    "<form><form><input></form>x</form>",
    // tables
    "<table><tr><td>a<td>b<tr><th>c</table>",
    "<table><caption>c<tr><td>x</table>",
    "<table><colgroup><col><col></colgroup><thead><tr><th>h<tbody><tr><td>d<tfoot><tr><td>f</table>",
    "<table>text<tr><td>a</td>more</tr></table>",
    "<table><div>foster</div><tr><td>x</td></tr></table>",
    "<table><b>bold<tr><td>cell</td></tr></b></table>after",
    "<table><tr><td><table><tr><td>nested</table></td></tr></table>",
    "<p>a<table><tr><td>b</table>",
    "<table><input type=hidden><input type=text><form><tr><td>x",
    "<table><td>implicit</td></table>",
    "<table><col><tr><td>x</table>",
    "<table><tr><td>a</tr></tbody></table>",
    "<table><select><option>a</table>",
    "<table>  <tr>  <td> x </td> </tr> </table>",
    // adoption agency and reconstruction
    "<b><i>bi</b>i</i>",
    "<a href=1>a<p>b</a>c</p>",
    "<b>1<p>2</b>3</p>",
    "<a href=x><div>in</div></a>",
    "<a>1<a>2</a>3",
    "<b>x<div>y</b>z</div>",
    "<p><b><i><u>abc</p><p>def",
    "<font color=red><p>a<p>b</font>",
    "<b><b><b><b><b>x</b></b></b></b></b>",
    "<b class=x><b class=x><b class=x><b class=x><p>y",
    "<nobr>a<nobr>b</nobr>",
    "<em><div><p>a</em>b</p></div>",
    "<a><b><c><d><e><f><g><h><i>deep</a>out",
    "<b>a<table><tr><td>c</b>d</td></tr></table>e",
    "<div><span>in</div>after",
    "<marquee><b>a</marquee>b",
    // template
    "<body><template><p>hidden</p></template><p>shown</p>",
    "<head><template><meta name=a></template></head><body>x",
    "<table><template><tr><td>t</td></tr></template><tr><td>x</td></tr></table>",
    "<template><td>x</td></template>y",
    // foreign content
    r#"<div><svg viewbox="0 0 1 1" xlink:href=x><path d=M0/><title>t</title><foreignObject><p>html</p></foreignObject></svg>after</div>"#,
    "<svg><clippath><rect/></clippath><lineargradient/></svg>",
    "<math><mi>x</mi><annotation-xml encoding=text/html><p>y</p></annotation-xml></math>",
    "<svg><p>breakout</p></svg>",
    "<svg><font color=red>x</font><font>y</font></svg>",
    "<svg><![CDATA[ <cdata> ]]></svg><p><![CDATA[ not cdata ]]></p>",
    "<svg><g><rect></g></svg>x",
    "<svg><desc><b>x</b></desc></svg>",
    "<math><mtext><b>x</b></mtext><mglyph/></math>",
    "<svg><script>a<b</script></svg>",
    "<svg></p>x</svg>",
    // void elements and misc
    "<img src=a><br><hr><input><wbr>x<image src=b>",
    "<p>a<br/>b<area><embed><keygen><param><source><track>c",
    "<frameset><frame src=a></frameset>",
    "<body a=1><body b=2><html c=3>",
    "<center><p>x</center>y",
    "<object><p>a</object>b",
    "<h1><a>x</h1>y",
    "<li>a<div><li>b</div>",
    "<dd>a<dt>b<div><dd>c",
    "<applet>a<b>x</applet>y",
    "a\r\nb\rc\0d",
    "<p id='\0'>x\0y</p>",
    "<div \"a\"=b 'c=d>e",
    "<a href=\"x\"\"y\">z",
    "<p>1 < 2 and 3 <4 and <> and </> and </",
    "<",
    "</",
    "<!",
    "<!DOCTYPE",
    "<!doctype html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><p>a<table><tr><td>b</table>",
    "<div><p>unclosed<div>nested",
    "<summary>a<p>b</summary><details>c</details>",
    "<search><p>x</search>",
    "<a><table><a>x</table>",
    "<option>a<option>b",
    "<select><input>x",
    "<select><select>",
    "<table><tr><select><td>x",
    "<caption>x",
    "<math><mi><svg><p>x</p></svg></mi></math>",
    // found by the tag-soup property test
    "<h1><u></h1><svg>",
    "<dt><svg><foreignObject><p><dt>",
    "<li><math><annotation-xml></li><p>",
    "<!--<!--",
    "<!--a---",
    "<!--a--!",
    "<!---",
    "\0\r\n",
    "<table>\0x\0<tr>\0 </table><select>\0a</select><svg>\0b</svg><p>\0c",
];

#[test]
fn fast_front_end_builds_html5evers_tree() {
    let mut failures = Vec::new();
    for case in CASES {
        let (a, b) = both(case);
        if a != b {
            failures.push(format!("=== {case:?}\n--- html5ever\n{a}--- fast\n{b}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn fast_front_end_enforces_limits_quickly() {
    let html = "<div>".repeat(200_000);
    let t = std::time::Instant::now();
    let r = parse(&html, Frontend::Fast, ParseLimits::default());
    assert_eq!(r.unwrap_err(), ParseError::TooDeep { max: 1500 });
    assert!(t.elapsed().as_millis() < 500);
    let html = "<b>".repeat(200_000);
    assert!(parse(&html, Frontend::Fast, ParseLimits::default()).is_err());
    let limits = ParseLimits {
        max_depth: 1500,
        max_nodes: 100,
    };
    let html = "<p>x".repeat(200);
    assert_eq!(
        parse(&html, Frontend::Fast, limits).unwrap_err(),
        ParseError::TooManyNodes { max: 100 }
    );
}

/// The first line where two outlines differ, with a little context.
fn first_difference(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let from = i.saturating_sub(3);
    let show = |v: &[&str]| -> String {
        v.iter()
            .skip(from)
            .take(7)
            .map(|l| {
                let l: String = l.chars().take(160).collect();
                format!("    {l}\n")
            })
            .collect()
    };
    format!(
        "  line {i}\n  html5ever:\n{}  fast:\n{}",
        show(&la),
        show(&lb)
    )
}

/// Over every WCXB dev page: same tree? same rows (articles, paragraphs, comments, links)?
/// Run with `cargo test --release --test parser_diff -- --ignored --nocapture`.
#[test]
#[ignore]
fn wcxb_dev_extraction_is_identical() {
    use pagemill::extract::{assemble::assemble, extract, SourceInfo};
    use pagemill::settings::Rules;
    use rayon::prelude::*;
    use std::io::Read;

    let dir = std::path::Path::new("/work/shared/eval/wcxb-dev/html");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let rules = Rules::defaults().expect("rules");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    files.sort();
    let results: Vec<(String, bool, Option<String>, String)> = files
        .par_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut raw = Vec::new();
            let f = std::fs::File::open(path).expect("open");
            flate2::read::GzDecoder::new(f)
                .read_to_end(&mut raw)
                .expect("gunzip");
            let html = String::from_utf8_lossy(&raw);
            let source = SourceInfo {
                source_path: name.clone(),
                encoding: "utf-8".into(),
                ..Default::default()
            };
            let run = |fe| {
                parse(&html, fe, ParseLimits::default()).map(|dom| {
                    let tree = outline(&dom);
                    let rows = assemble(extract(&dom, &source, &rules), &source, &rules);
                    (tree, rows)
                })
            };
            match (run(Frontend::Html5ever), run(Frontend::Fast)) {
                (Ok((ta, ra)), Ok((tb, rb))) => {
                    let same_tree = ta == tb;
                    let tree_diff = (!same_tree).then(|| first_difference(&ta, &tb));
                    let mut tables = Vec::new();
                    if ra.article != rb.article {
                        tables.push("articles");
                    }
                    if ra.paragraphs != rb.paragraphs {
                        tables.push("paragraphs");
                    }
                    if ra.comments != rb.comments {
                        tables.push("comments");
                    }
                    if ra.links != rb.links {
                        tables.push("links");
                    }
                    if ra.warnings != rb.warnings {
                        tables.push("warnings");
                    }
                    (name, same_tree, tree_diff, tables.join(","))
                }
                (a, b) => (
                    name,
                    false,
                    Some(format!("  html5ever: {:?}\n  fast: {:?}", a.err(), b.err())),
                    "error".into(),
                ),
            }
        })
        .collect();
    let same_rows = results.iter().filter(|r| r.3.is_empty()).count();
    let same_tree = results.iter().filter(|r| r.1).count();
    for (name, _, tree_diff, tables) in &results {
        if let Some(d) = tree_diff {
            println!("{name}: tables differ: [{tables}]\n{d}");
        }
    }
    println!(
        "pages {} | identical trees {} | identical rows {}",
        results.len(),
        same_tree,
        same_rows
    );
    assert_eq!(same_rows, results.len(), "pages with different rows");
}

mod random {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<a href=x>",
        "</a>",
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th>",
        "<tbody>",
        "<caption>",
        "<colgroup>",
        "<col>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<dl>",
        "<dt>",
        "<dd>",
        "<select>",
        "<option>",
        "<optgroup>",
        "</select>",
        "<svg>",
        "</svg>",
        "<math>",
        "<mi>",
        "<foreignObject>",
        "<desc>",
        "<title>",
        "</title>",
        "<template>",
        "</template>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<textarea>",
        "</textarea>",
        "<pre>",
        "<form>",
        "</form>",
        "<input>",
        "<br>",
        "</br>",
        "<img>",
        "<hr>",
        "<h1>",
        "</h1>",
        "<h2>",
        "<font color=red>",
        "</font>",
        "<nobr>",
        "<em>",
        "</em>",
        "<span>",
        "</span>",
        "<button>",
        "<head>",
        "</head>",
        "<body>",
        "</body>",
        "<html>",
        "</html>",
        "<frameset>",
        "<noscript>",
        "</noscript>",
        "<object>",
        "</object>",
        "<marquee>",
        "<ruby>",
        "<rt>",
        "<rp>",
        "<rb>",
        "<plaintext>",
        "<!-- c -->",
        "<!DOCTYPE html>",
        "<![CDATA[x]]>",
        "&amp;",
        "&lt",
        "&#x41;",
        "text",
        " ",
        "\n",
        "<",
        ">",
        "&",
        "<iframe>",
        "<xmp>",
        "<image>",
        "<u>",
        "<s>",
        "<code>",
        "<center>",
        "<address>",
        "<menu>",
        "<strike>",
        "<frame>",
        "</foreignObject>",
        "<annotation-xml>",
        "</math>",
        "<mtext>",
        "<mglyph>",
        "</td>",
        "</th>",
        "</tbody>",
        "</caption>",
        "</colgroup>",
        "</option>",
        "</optgroup>",
        "</dd>",
        "</dt>",
        "</h2>",
        "</button>",
        "</marquee>",
        "</ruby>",
        "<input type=hidden>",
        "</nobr>",
        "</u>",
        "</s>",
        "</code>",
        "<a>",
        "<b class=x>",
        "</frameset>",
        "<body class=y>",
        "<keygen>",
        "<listing>",
        "</pre>",
        "<dir>",
        "<rtc>",
        "</rtc>",
        "<thead>",
        "</thead>",
        "<tfoot>",
        "<noframes>",
        "<noembed>",
        "<path/>",
        "<g>",
        "</g>",
        "<td/>",
        "<p/>",
        "<clippath>",
        "<font>",
        "</center>",
        "<applet>",
        "</applet>",
        "<xmp>",
        "</xmp>",
        "<param>",
        "<meta>",
        "<link>",
        "<base>",
        "</caption>",
        "<dd>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig {
            // PAGEMILL_SOUP_CASES=100000 for a long run.
            cases: std::env::var("PAGEMILL_SOUP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(600),
            ..ProptestConfig::default()
        })]

        #[test]
        fn tag_soup_builds_the_same_tree(idx in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let html: String = idx.iter().map(|&i| PIECES[i]).collect();
            let (a, b) = both(&html);
            prop_assert_eq!(a, b, "input: {:?}", html);
        }

        #[test]
        fn char_soup_builds_the_same_tree(s in "[<>/!=\"'&;#abdiprstuxACDTX0-9 \n?\\[\\]\\-]{0,80}") {
            let (a, b) = both(&s);
            prop_assert_eq!(a, b, "input: {:?}", s);
        }

        #[test]
        fn markup_soup_builds_the_same_tree(parts in proptest::collection::vec(
            prop_oneof![
                Just("<"), Just(">"), Just("</"), Just("/>"), Just("<!--"), Just("-->"), Just("--"),
                Just("<!DOCTYPE"), Just("<![CDATA["), Just("]]>"), Just("<?"), Just("script"),
                Just("style"), Just("title"), Just("textarea"), Just("svg"), Just("math"), Just("p"),
                Just("table"), Just("td"), Just("a"), Just("b"), Just(" "), Just("="), Just("\""),
                Just("'"), Just("&amp"), Just("&amp;"), Just("&#"), Just("&#x"), Just("41"),
                Just(";"), Just("x"), Just("\r\n"), Just("\0"), Just("template"), Just("select"),
                Just("option"), Just("plaintext"), Just("noscript"), Just("iframe"), Just("head"),
                Just("body"), Just("html"), Just("foreignObject"), Just("li"), Just("font"),
            ],
            0..50,
        )) {
            let s: String = parts.concat();
            let (a, b) = both(&s);
            prop_assert_eq!(a, b, "input: {:?}", s);
        }

        #[test]
        fn any_string_parses_without_panic(s in "\\PC*") {
            let _ = parse(&s, Frontend::Fast, ParseLimits::default());
        }

        #[test]
        fn any_bytes_parse_without_panic(v in proptest::collection::vec(any::<u8>(), 0..400)) {
            let s = String::from_utf8_lossy(&v);
            let _ = parse(&s, Frontend::Fast, ParseLimits::default());
        }
    }
}

#[test]
fn hostile_pages_stay_fast() {
    let many_attrs = format!(
        "<p>{}<b {}>x</b><b {}>y</b><b {}>z</b><b {}>w",
        "",
        (0..20_000)
            .map(|i| format!("a{i}=1 a{i}=2 "))
            .collect::<String>(),
        (0..20_000).map(|i| format!("a{i}=1 ")).collect::<String>(),
        (0..20_000).map(|i| format!("a{i}=1 ")).collect::<String>(),
        (0..20_000).map(|i| format!("a{i}=1 ")).collect::<String>(),
    );
    let deep_afe = format!("<a>{}{}", "<div>".repeat(1400), "x<!---->".repeat(20_000));
    let entities = "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ".repeat(20_000);
    let dashes = format!("<script><!--{}", "-".repeat(300_000) + "x");
    let cases = [
        many_attrs,
        deep_afe,
        entities,
        dashes,
        "<a>".repeat(100_000),
        "</p>".repeat(100_000),
        "<table>".repeat(50_000),
        "<table>x".repeat(50_000),
        "<li>".repeat(100_000),
        "<!--".repeat(100_000),
        "<svg>".repeat(100_000),
        "<b><i></b></i>".repeat(30_000),
    ];
    for c in &cases {
        let t = std::time::Instant::now();
        let _ = parse(c, Frontend::Fast, ParseLimits::default());
        let ms = t.elapsed().as_millis();
        eprintln!("{ms:>5} ms  {:?}", &c[..30.min(c.len())]);
        assert!(ms < 3000, "{ms} ms for {:?}…", &c[..40.min(c.len())]);
    }
}
