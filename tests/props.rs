//! Property tests: invariants that must hold for any input.

use pagemill::parse::Frontend;
use pagemill::settings::Rules;
use proptest::prelude::*;

fn rules() -> &'static Rules {
    static R: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    R.get_or_init(|| Rules::defaults().unwrap())
}

fn html_soup() -> impl Strategy<Value = String> {
    let tok = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<div class=\"entry-content\">".to_string()),
        Just("</div>".to_string()),
        Just("<ul><li>".to_string()),
        Just("</li></ul>".to_string()),
        Just("<h2>".to_string()),
        Just("</h2>".to_string()),
        Just("<blockquote>".to_string()),
        Just("<table><tr><td>".to_string()),
        Just("<a href=\"/x\">".to_string()),
        Just("</a>".to_string()),
        Just("<pre>".to_string()),
        Just("<br>".to_string()),
        Just("<script>x<y</script>".to_string()),
        Just("&amp; &eacute; &#x1F600;".to_string()),
        "[a-zA-Zéü ]{1,40}",
    ];
    prop::collection::vec(tok, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..4000)) {
        let _ = pagemill::pipeline::extract_bytes(data, "p.html", None, rules(), Frontend::Html5ever);
    }

    #[test]
    fn spans_ids_and_counts_are_consistent(body in html_soup()) {
        let html = format!("<html><head><title>T</title></head><body><article>{body}</article></body></html>");
        if let Ok(rows) = pagemill::pipeline::extract_bytes(html.into_bytes(), "p.html", Some("https://e.example/a".into()), rules(), Frontend::Html5ever) {
            let text: Vec<char> = rows.article.text.chars().collect();
            prop_assert_eq!(rows.article.char_count as usize, text.len());
            prop_assert_eq!(rows.article.paragraph_count as usize, rows.paragraphs.len());
            for (i, p) in rows.paragraphs.iter().enumerate() {
                prop_assert_eq!(p.position as usize, i);
                prop_assert!(p.paragraph_id.starts_with(&rows.article.article_id));
                let slice: String = text[p.char_start as usize..p.char_end as usize].iter().collect();
                prop_assert_eq!(&slice, &p.text);
            }
            for l in &rows.links {
                if let Some(pid) = &l.paragraph_id {
                    prop_assert!(rows.paragraphs.iter().any(|p| &p.paragraph_id == pid));
                }
            }
        }
    }

    #[test]
    fn url_key_is_idempotent(path in "[a-z0-9/._-]{0,30}", q in "[a-z]{0,5}") {
        let raw = format!("https://www.example.com/{path}?{q}=1&utm_source=x#f");
        if let Ok(u) = url::Url::parse(&raw) {
            if let Some(k) = pagemill::urlnorm::url_key(&u) {
                let again = url::Url::parse(&format!("https://{k}")).unwrap();
                prop_assert_eq!(pagemill::urlnorm::url_key(&again), Some(k));
            }
        }
    }
}
