//! Differential test of the two parser front ends: the fast one must build the same tree as
//! html5ever on hand-written cases covering each tree-construction rule, and give the same
//! extraction on the WCXB dev pages (ignored by default; needs /work/shared).

use pagemill::parse::{outline, parse, Frontend, ParseLimits, ParseError};

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
];

#[test]
fn fast_front_end_builds_html5evers_tree() {
    let mut failures = Vec::new();
    for case in CASES {
        let (a, b) = both(case);
        if a != b {
            failures.push(format!(
                "=== {case:?}\n--- html5ever\n{a}--- fast\n{b}"
            ));
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
