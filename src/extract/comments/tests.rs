//! Fixture tests for the comment adapters (HTML under `tests/fixtures/comments/`).

use super::*;
use crate::extract::metadata::Metadata;
use crate::extract::SourceInfo;
use crate::parse::{parse, Frontend, ParseLimits};
use crate::settings::Rules;

fn rules() -> &'static Rules {
    static R: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    R.get_or_init(|| Rules::defaults().unwrap())
}

fn run_with(html: &str, captured: Option<&str>, article_date: Option<&str>) -> CommentsOut {
    let dom = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
    let source = SourceInfo {
        captured_at: captured.map(str::to_string),
        ..Default::default()
    };
    let meta = Metadata {
        published_at: article_date.map(str::to_string),
        ..Default::default()
    };
    let base = url::Url::parse("https://example.org/2019/06/post/").ok();
    let cx = Cx {
        dom: &dom,
        source: &source,
        rules: rules(),
        base_url: base.clone(),
        page_url: base,
    };
    let mut out = extract(&cx, &meta);
    // Keep the DOM-dependent checks possible after the DOM is dropped: the text of links.
    for c in &mut out.comments {
        let chars: Vec<char> = c.text.chars().collect();
        for l in &c.links {
            assert!(
                l.start < l.end && l.end <= chars.len(),
                "bad link span in {:?}",
                c.text
            );
        }
    }
    out
}

fn run(html: &str) -> CommentsOut {
    run_with(html, None, None)
}

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/comments")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (native id, parent native id, depth, author)
fn shape(out: &CommentsOut) -> Vec<(String, Option<String>, u32, String)> {
    out.comments
        .iter()
        .map(|c| {
            (
                c.native_id.clone().unwrap_or_default(),
                c.parent.and_then(|p| out.comments[p].native_id.clone()),
                c.depth,
                c.author.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn canonical_duran_fixture_when_present() {
    // The shared canonical fixture sits beside the checkout (`../shared`); skipped when absent.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/duran-g20");
    let (Ok(html), Ok(exp)) = (
        std::fs::read_to_string(dir.join("page.html")),
        std::fs::read_to_string(dir.join("expected.json")),
    ) else {
        eprintln!("canonical fixture not present: skipped");
        return;
    };
    let exp: serde_json::Value = serde_json::from_str(&exp).unwrap();
    let out = run_with(&html, None, Some("2018-11-02T09:24:11+00:00"));
    let want = exp["comments_in_order"].as_array().unwrap();
    assert_eq!(out.comments.len(), want.len());
    assert_eq!(out.system.as_deref(), Some("wpdiscuz"));
    assert_eq!(out.declared, Some(7));
    assert_eq!(out.status, CommentsStatus::Extracted);
    for (c, w) in out.comments.iter().zip(want) {
        assert_eq!(c.native_id.as_deref(), w["native_id"].as_str());
        assert_eq!(c.author.as_deref(), w["author"].as_str());
        assert_eq!(i64::from(c.depth), w["depth"].as_i64().unwrap());
        assert_eq!(c.score, w["score"].as_i64());
        assert_eq!(c.text, w["text"].as_str().unwrap());
        let parent = c.parent.and_then(|p| out.comments[p].native_id.clone());
        assert_eq!(parent.as_deref(), w["parent_native_id"].as_str());
    }
    for bad in exp["comments_text_must_not_contain"].as_array().unwrap() {
        let bad = bad.as_str().unwrap().to_lowercase();
        assert!(out
            .comments
            .iter()
            .all(|c| !c.text.to_lowercase().contains(&bad)));
    }
    // Absolute date from the title, not the relative text.
    assert_eq!(
        out.comments[0].published_raw.as_deref(),
        Some("November 2, 2018 10:02 am")
    );
    assert_eq!(
        out.comments[0].published_at.as_deref(),
        Some("2018-11-02T10:02:00")
    );
    assert_eq!(
        out.comments[2].reply_to_author.as_deref(),
        Some("Sally Snyder")
    );
    assert_eq!(out.comments[1].links.len(), 1);
    assert!(!out.is_forum);
    assert!(!out.regions.is_empty());
}

#[test]
fn wordpress_html5_threads_flags_and_traps() {
    let out = run(&fixture("wordpress_html5.html"));
    assert_eq!(out.system.as_deref(), Some("wordpress"));
    assert_eq!(
        shape(&out),
        vec![
            (s("11"), None, 0, s("Maria")),
            (s("12"), Some(s("11")), 1, s("Gardener Joe")),
            (s("14"), None, 0, s("Anonymous")),
            (s("15"), None, 0, s("Tomato roundup – Other Blog")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "Lovely photos! Which variety is the yellow one?\nWe grew Golden Sunrise last year."
    );
    assert_eq!(
        c[0].author_url.as_deref(),
        Some("https://maria.example.net/")
    );
    assert_eq!(c[0].published_at.as_deref(), Some("2019-06-20T02:41:00Z"));
    assert_eq!(
        c[0].url.as_deref(),
        Some("https://example.org/2019/06/post/#comment-11")
    );
    let chars: Vec<char> = c[0].text.chars().collect();
    let l = &c[0].links[0];
    assert_eq!(
        chars[l.start..l.end].iter().collect::<String>(),
        "Golden Sunrise"
    );
    assert!(c[1].author_is_op && !c[0].author_is_op);
    assert_eq!(c[2].flags, vec![s("pending")]);
    assert_eq!(
        c[2].published_at.as_deref(),
        Some("2019-06-21T10:00:00+02:00")
    );
    assert!(!c[2].text.contains("awaiting"));
    assert_eq!(c[3].flags, vec![s("pingback")]);
    assert_eq!(out.declared, Some(4));
    assert_eq!(out.status, CommentsStatus::Extracted);
    for x in c {
        assert!(!x.text.contains("Reply") && !x.text.contains("says") && !x.text.contains("Edit"));
    }
}

#[test]
fn wordpress_xhtml_list_closed_early_uses_depth_classes() {
    let out = run_with(
        &fixture("wordpress_xhtml_early_close.html"),
        None,
        Some("2019-06-19"),
    );
    assert_eq!(
        shape(&out),
        vec![
            (s("101"), None, 0, s("JanBeek")),
            (s("102"), Some(s("101")), 1, s("Andrea")),
            (s("103"), Some(s("102")), 2, s("JanBeek")),
            (s("104"), None, 0, s("Sam")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "Are there workshops available for an 80 year-old enthusiast?\nI would love to join one."
    );
    assert_eq!(
        c[0].published_raw.as_deref(),
        Some("June 20, 2019 at 2:41 am")
    );
    assert_eq!(c[0].published_at.as_deref(), Some("2019-06-20T02:41:00"));
    assert_eq!(c[1].published_at.as_deref(), Some("2019-06-20T12:50:00"));
    assert_eq!(c[3].published_at.as_deref(), Some("2019-11-02"));
    assert_eq!(out.declared, Some(3));
    // 4 extracted ≥ 3 declared: not partial.
    assert_eq!(out.status, CommentsStatus::Extracted);
}

#[test]
fn jetpack_likes_and_year_from_article() {
    let out = run_with(
        &fixture("jetpack.html"),
        None,
        Some("2019-06-18T10:00:00+00:00"),
    );
    assert_eq!(out.system.as_deref(), Some("jetpack"));
    assert_eq!(
        shape(&out),
        vec![
            (s("411811"), None, 0, s("JanBeek")),
            (s("411829"), Some(s("411811")), 1, s("Andrea Middleton")),
        ]
    );
    let c = &out.comments;
    assert_eq!(c[0].likes, Some(21));
    assert_eq!(c[1].likes, Some(25));
    assert!(c[1].author_is_op);
    assert_eq!(c[0].published_raw.as_deref(), Some("Jun 20th at 2:41 am"));
    assert_eq!(c[0].published_at.as_deref(), Some("2019-06-20T02:41:00"));
    assert!(c[0].published_inferred);
    assert_eq!(
        c[0].text,
        "Are there workshops available for an 80 year-old WordPress enthusiast?"
    );
    assert!(!c.iter().any(|x| x.text.contains("Like")));
}

#[test]
fn wpdiscuz_v7_parent_in_id_votes_roles_and_german_dates() {
    let out = run_with(
        &fixture("wpdiscuz_v7.html"),
        Some("2023-11-01T12:00:00+01:00"),
        Some("2023-10-31"),
    );
    assert_eq!(out.system.as_deref(), Some("wpdiscuz"));
    assert_eq!(
        shape(&out),
        vec![
            (s("5001"), None, 0, s("Luripu")),
            (s("5003"), Some(s("5001")), 1, s("Redakteur")),
            (s("5002"), None, 0, s("Gastautorin")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "Finde ich auch, die Grafik ist wirklich gelungen."
    );
    assert_eq!(
        c[0].quoted_text.as_deref(),
        Some("Der Test zeigt viele Stärken")
    );
    assert_eq!(c[0].score, Some(12));
    assert_eq!(
        c[0].published_raw.as_deref(),
        Some("1. November 2023 10:50")
    );
    assert_eq!(c[0].published_at.as_deref(), Some("2023-11-01T10:50:00"));
    assert_eq!(
        c[0].url.as_deref(),
        Some("https://example.org/2019/06/post/#comment-5001")
    );
    assert!(
        c[1].author_is_op,
        "wpd-blog-post_author is the post's author"
    );
    assert!(!c[2].author_is_op, "wpd-blog-author is only a role");
    assert_eq!(c[1].reply_to_author.as_deref(), Some("Luripu"));
    assert_eq!(
        c[1].author_url.as_deref(),
        Some("https://example.org/author/redakteur/")
    );
    assert_eq!(
        (c[2].likes, c[2].dislikes, c[2].score),
        (Some(5), Some(2), None)
    );
    assert_eq!(c[2].flags, vec![s("pending")]);
    // relative date resolved against captured_at only
    assert_eq!(c[2].published_at.as_deref(), Some("2023-10-30"));
    assert!(c[2].published_inferred);
    assert_eq!(out.declared, Some(3));
    for x in c {
        for bad in ["Antworten", "Benachrichtige", "neueste", "Inline Feedbacks"] {
            assert!(!x.text.contains(bad), "{bad} in {:?}", x.text);
        }
    }
}

#[test]
fn wpdiscuz_v5_and_relative_text_without_capture_time() {
    let out = run(&fixture("wpdiscuz_v5.html"));
    assert_eq!(
        shape(&out),
        vec![
            (s("20"), None, 0, s("Ola")),
            (s("21"), Some(s("20")), 1, s("Per"))
        ]
    );
    assert_eq!(
        out.comments[0].text,
        "First line of my comment.\nSecond line of my comment."
    );
    assert_eq!(out.comments[0].score, Some(-2));
    assert_eq!(
        out.comments[0].published_at.as_deref(),
        Some("2020-03-03T20:00:00")
    );
    assert_eq!(out.comments[1].reply_to_author.as_deref(), Some("Ola"));
}

#[test]
fn wpdiscuz_empty_list_with_count_is_js_only() {
    let out = run(&fixture("wpdiscuz_empty.html"));
    assert_eq!(out.status, CommentsStatus::JsOnly);
    assert_eq!(out.declared, Some(41));
    assert!(out.comments.is_empty());
    assert_eq!(out.warnings[0].code, "w_comments_js_only");
}

#[test]
fn disqus_shell_is_js_only_with_identifier() {
    let out = run(&fixture("disqus_shell.html"));
    assert_eq!(out.status, CommentsStatus::JsOnly);
    assert_eq!(out.system.as_deref(), Some("disqus"));
    let w = &out.warnings[0];
    assert_eq!(w.code, "w_comments_js_only");
    assert_eq!(w.detail.as_ref().unwrap()["identifier"], "story-4711");
    assert_eq!(out.regions.len(), 1);
}

#[test]
fn discourse_posts_flat_with_quotes_and_likes() {
    let out = run(&fixture("discourse.html"));
    assert_eq!(out.system.as_deref(), Some("discourse"));
    assert!(out.is_forum);
    assert_eq!(
        shape(&out),
        vec![
            (s("1"), None, 0, s("alice")),
            (s("2"), None, 0, s("bob")),
            (s("3"), None, 0, s("alice")),
        ]
    );
    let c = &out.comments;
    assert!(c[0].author_is_op && !c[1].author_is_op && c[2].author_is_op);
    assert_eq!(
        (c[0].likes, c[1].likes, c[2].likes),
        (Some(3), Some(5), None)
    );
    assert_eq!(
        c[1].text,
        "Check your spam folder first, it usually lands there."
    );
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("the reset mail never arrives")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("alice"));
    assert_eq!(
        c[0].author_url.as_deref(),
        Some("https://forum.example.org/u/alice")
    );
    assert_eq!(c[1].published_at.as_deref(), Some("2024-02-01T10:30:00Z"));
}

#[test]
fn xenforo_quotes_signatures_and_edits() {
    let out = run(&fixture("xenforo.html"));
    assert_eq!(out.system.as_deref(), Some("xenforo"));
    assert!(out.is_forum);
    assert_eq!(
        shape(&out),
        vec![
            (s("9001"), None, 0, s("GamerGuy")),
            (s("9002"), None, 0, s("Techie")),
            (s("9005"), None, 0, s("GamerGuy")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "Looking for a card under 250 for 1080p gaming.\nAny advice?"
    );
    assert_eq!(
        c[0].published_at.as_deref(),
        Some("2024-03-05T18:22:10+01:00")
    );
    assert_eq!(c[1].text, "Get a used one, the value is much better.");
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("Looking for a card under 250 for 1080p gaming.")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("GamerGuy"));
    assert_eq!(c[1].flags, vec![s("edited")]);
    assert!(c[2].author_is_op);
    assert_eq!(
        c[0].url.as_deref(),
        Some("https://example.org/threads/best-budget-gpu.77/post-9001")
    );
}

#[test]
fn phpbb_posts_quotes_and_old_text_dates() {
    let out = run(&fixture("phpbb.html"));
    assert_eq!(out.system.as_deref(), Some("phpbb"));
    assert_eq!(
        shape(&out),
        vec![
            (s("701"), None, 0, s("rider_one")),
            (s("702"), None, 0, s("mechanic")),
            (s("703"), None, 0, s("Guest")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "My chain slips under load on the smallest cog.\nAlready replaced the chain."
    );
    assert_eq!(
        c[1].text,
        "Then the cassette is worn, replace it together with the chain."
    );
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("Already replaced the chain.")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("rider_one"));
    assert_eq!(c[1].flags, vec![s("edited")]);
    assert_eq!(c[0].published_at.as_deref(), Some("2021-05-02T08:15:00Z"));
    assert_eq!(c[2].published_at.as_deref(), Some("2021-05-02T10:00:00"));
    assert!(c.iter().all(|x| !x.text.contains("Ride safe")));
}

#[test]
fn vbulletin_posts_and_quotes() {
    let out = run(&fixture("vbulletin.html"));
    assert_eq!(out.system.as_deref(), Some("vbulletin"));
    assert_eq!(
        shape(&out),
        vec![
            (s("3001"), None, 0, s("carfan")),
            (s("3002"), None, 0, s("wrench"))
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "My engine makes a ticking noise at idle.\nIt goes away when warm."
    );
    assert_eq!(c[1].text, "Probably the valve lash, have it adjusted.");
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("My engine makes a ticking noise at idle.")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("carfan"));
    assert!(c[0]
        .published_raw
        .as_deref()
        .unwrap()
        .starts_with("01-05-2020"));
    assert!(c[0].published_at.is_some());
    assert!(!c[0].text.contains("2008 hatchback"));
}

#[test]
fn hackernews_indent_parent_links_and_deleted() {
    let out = run(&fixture("hackernews.html"));
    assert_eq!(out.system.as_deref(), Some("hackernews"));
    assert_eq!(
        shape(&out),
        vec![
            (s("4001"), None, 0, s("alpha")),
            (s("4002"), Some(s("4001")), 1, s("maker")),
            (s("4003"), Some(s("4002")), 2, s("")),
            (s("4004"), Some(s("4001")), 1, s("gamma")),
            (s("4005"), None, 0, s("delta")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "How does it compare to SQLite for small workloads?\nI am curious about benchmarks."
    );
    assert_eq!(c[0].links.len(), 1);
    assert_eq!(c[0].published_at.as_deref(), Some("2025-01-02T03:04:05"));
    assert!(c[1].author_is_op && !c[0].author_is_op);
    assert_eq!(c[2].flags, vec![s("deleted")]);
    assert_eq!(c[2].text, "");
    assert!(c.iter().all(|x| !x.text.contains("reply")));
}

#[test]
fn reddit_old_nesting_scores_and_deleted() {
    let out = run(&fixture("reddit_old.html"));
    assert_eq!(out.system.as_deref(), Some("reddit_old"));
    assert_eq!(
        shape(&out),
        vec![
            (s("t1_c1"), None, 0, s("mountaingoat")),
            (s("t1_c2"), Some(s("t1_c1")), 1, s("trailfan")),
            (s("t1_c3"), Some(s("t1_c2")), 2, s("")),
            (s("t1_c4"), None, 0, s("lowlander")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        (c[0].score, c[1].score, c[3].score),
        (Some(42), Some(7), Some(-3))
    );
    assert!(c[1].author_is_op);
    assert_eq!(c[1].flags, vec![s("edited")]);
    assert_eq!(c[2].flags, vec![s("deleted")]);
    assert_eq!(c[0].text, "The West Highland Way, without a doubt.");
    assert_eq!(c[0].published_at.as_deref(), Some("2024-01-02T10:00:00Z"));
    assert_eq!(
        c[0].url.as_deref(),
        Some("https://example.org/r/hiking/comments/abc/what_is_your_favourite/c1/")
    );
}

#[test]
fn drupal_indented_replies() {
    let out = run(&fixture("drupal.html"));
    assert_eq!(out.system.as_deref(), Some("drupal"));
    assert_eq!(
        shape(&out),
        vec![
            (s("31"), None, 0, s("Visitor")),
            (s("32"), Some(s("31")), 1, s("editor")),
            (s("33"), None, 0, s("Neighbour")),
        ]
    );
    let c = &out.comments;
    assert_eq!(c[0].text, "Great news, how do I sign up for a plot?");
    assert_eq!(c[0].published_at.as_deref(), Some("2020-01-05T10:00:00Z"));
    // No timestamp: the page's other items show its dates are month-first.
    assert_eq!(c[2].published_at.as_deref(), Some("2020-01-06T09:00:00"));
    assert!(c[1].author_is_op);
    assert_eq!(
        c[0].url.as_deref(),
        Some("https://example.org/comment/31#comment-31")
    );
    assert!(c
        .iter()
        .all(|x| !x.text.contains("Reply") && !x.text.contains("Save")));
}

#[test]
fn jsonld_comments_when_the_dom_has_none() {
    let out = run(&fixture("jsonld_only.html"));
    assert_eq!(out.system.as_deref(), Some("schema_org"));
    assert_eq!(
        shape(&out),
        vec![
            (s("7"), None, 0, s("Ana")),
            (s("8"), Some(s("7")), 1, s("Cook")),
            (s("9"), None, 0, s("Ben")),
        ]
    );
    let c = &out.comments;
    assert_eq!(c[0].extraction, "jsonld");
    assert_eq!(c[0].likes, Some(4));
    assert_eq!(c[2].dislikes, Some(1));
    assert_eq!(c[0].author_url.as_deref(), Some("https://ana.example.net"));
    assert_eq!(
        c[0].published_at.as_deref(),
        Some("2022-10-02T12:00:00+02:00")
    );
    assert_eq!(c[2].published_at.as_deref(), Some("2022-10-03"));
    assert_eq!(out.declared, Some(3));
    assert_eq!(out.status, CommentsStatus::Extracted);
}

#[test]
fn jsonld_forum_posting_is_a_thread() {
    let html = r#"<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@type":"DiscussionForumPosting","@id":"https://f.example/t/1",
     "headline":"Topic","author":{"name":"op"},"datePublished":"2020-01-01","text":"Question?",
     "comment":[{"@type":"Comment","@id":"https://f.example/t/1#post-2","author":{"name":"x"},
       "text":"Answer.","parentItem":{"@id":"https://f.example/t/1"},"datePublished":"2020-01-02"}]}
    </script></head><body><p>Question?</p></body></html>"#;
    let out = run(html);
    assert!(out.is_forum);
    assert_eq!(out.comments.len(), 2);
    assert_eq!(out.comments[1].parent, None);
    assert!(out.comments[0].author_is_op);
    assert_eq!(out.comments[1].text, "Answer.");
}

#[test]
fn microdata_comments_nest() {
    let out = run(&fixture("microdata.html"));
    assert_eq!(out.system.as_deref(), Some("schema_org"));
    assert_eq!(
        shape(&out),
        vec![
            (s("501"), None, 0, s("Photog")),
            (s("502"), Some(s("501")), 1, s("Skeptic"))
        ]
    );
    let c = &out.comments;
    assert_eq!(c[0].extraction, "microdata");
    assert_eq!(c[0].text, "The autofocus is the best part.");
    assert_eq!(c[0].likes, Some(9));
    assert_eq!(c[1].dislikes, Some(2));
    assert_eq!(c[0].published_at.as_deref(), Some("2021-07-01T10:00:00Z"));
}

#[test]
fn generic_list_found_widget_and_teasers_ignored() {
    let out = run_with(
        &fixture("generic.html"),
        Some("2023-11-21T12:00:00+01:00"),
        Some("2023-11-21"),
    );
    assert_eq!(out.system.as_deref(), Some("generic"));
    assert_eq!(
        shape(&out),
        vec![
            (s("8812"), None, 0, s("Radler72")),
            (s("8813"), Some(s("8812")), 1, s("Autofahrer")),
            (s("8820"), None, 0, s("Anwohnerin")),
        ]
    );
    let c = &out.comments;
    assert_eq!(c[0].text, "Endlich! Darauf warten wir seit Jahren.");
    assert_eq!(c[1].text, "Und wo sollen die Parkplätze hin?");
    assert_eq!(
        c[0].published_at.as_deref(),
        Some("2023-11-21T09:00:00+01:00")
    );
    assert_eq!(c[2].published_at.as_deref(), Some("2023-11-21T08:15:00"));
    assert!(c
        .iter()
        .all(|x| !x.text.contains("Antworten") && !x.text.contains("Parkgebühren")));
}

#[test]
fn teasers_and_recent_comment_widgets_are_not_comments() {
    let out = run(&fixture("teasers_only.html"));
    assert!(out.comments.is_empty(), "{:?}", shape(&out));
    assert_eq!(out.status, CommentsStatus::None);
}

#[test]
fn no_comment_area_at_all() {
    let out = run("<html><body><article><p>Just an article.</p></article></body></html>");
    assert!(out.comments.is_empty());
    assert_eq!(out.status, CommentsStatus::None);
    assert!(out.regions.is_empty());
    assert!(out.warnings.is_empty());
}

#[test]
fn closed_comments() {
    let out = run(
        "<html><body><article><p>Text.</p></article><div id=comments class=comments-area>\
         <p class=nocomments>Comments are closed.</p></div></body></html>",
    );
    assert_eq!(out.status, CommentsStatus::Closed);
}

#[test]
fn partial_when_fewer_than_declared() {
    let html = fixture("wpdiscuz_v5.html")
        .replace("data-comments-count=\"2\"", "data-comments-count=\"9\"");
    let out = run(&html);
    assert_eq!(out.status, CommentsStatus::Partial);
    assert!(out.warnings.iter().any(|w| w.code == "w_comments_partial"));
}

#[test]
fn threading_rule_prefers_markers_and_explicit_parents() {
    let mk = |id: &str, depth: u32, level: Option<u32>, parent: Option<&str>| Item {
        d: CommentDraft {
            native_id: Some(id.into()),
            depth,
            ..Default::default()
        },
        level,
        parent_native: parent.map(str::to_string),
        dates: vec![],
    };
    // nesting says everything is top level, markers say otherwise
    let mut items = vec![
        mk("a", 0, Some(0), None),
        mk("b", 0, Some(1), None),
        mk("c", 0, Some(2), None),
        mk("d", 0, Some(1), None),
        mk("e", 0, Some(5), None), // a skipped level: depth kept, parent unknown
        mk("f", 0, Some(0), Some("a")),
    ];
    thread(&mut items, false);
    let got: Vec<(u32, Option<usize>)> = items.iter().map(|i| (i.d.depth, i.d.parent)).collect();
    assert_eq!(
        got,
        vec![
            (0, None),
            (1, Some(0)),
            (2, Some(1)),
            (1, Some(0)),
            (5, None),
            (1, Some(0))
        ]
    );
    // an explicit parent that is not on the page: unknown, not guessed
    let mut items = vec![mk("a", 0, Some(0), None), mk("b", 0, Some(1), Some("zz"))];
    thread(&mut items, false);
    assert_eq!((items[1].d.depth, items[1].d.parent), (1, None));
    let mut flat = vec![mk("a", 2, Some(3), Some("x"))];
    thread(&mut flat, true);
    assert_eq!((flat[0].d.depth, flat[0].d.parent), (0, None));
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = "<div class=comment id=comment-1>".repeat(1200);
    for html in [
        deep.as_str(),
        "<ol class=commentlist><li id=comment-1 class='comment depth-999999999999'></li></ol>",
        "<div id=wpdcom><div id=wpd-comm-1_1 class='wpd-comment wpd_comment_level-0'></div></div>",
        "<script type='application/ld+json'>{\"comment\":[[[{\"comment\":{}}]]]}</script>",
        "<table class=comment-tree><tr class='athing comtr' id=x><td class=ind indent=-5></td></tr></table>",
    ] {
        let _ = run(html);
    }
}

#[test]
fn a_comments_wrapper_around_the_article_is_not_a_region() {
    let html = r#"<html><body><div id="comments" class="comments-wrap"><h1>Title</h1>
      <div class="entry-content"><p>The article itself, long enough to matter here.</p></div>
      <ol class="commentlist"><li id="comment-1" class="comment depth-1"><div class="comment-author"><cite class="fn">A</cite></div>
      <div class="comment-content"><p>Hello there.</p></div></li></ol></div></body></html>"#;
    let dom = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
    let out = {
        let source = SourceInfo::default();
        let cx = Cx {
            dom: &dom,
            source: &source,
            rules: rules(),
            base_url: None,
            page_url: None,
        };
        extract(&cx, &Metadata::default())
    };
    assert_eq!(out.comments.len(), 1);
    let h1 = dom.find(0, |n| dom.is(n, name::H1)).unwrap();
    assert!(out
        .regions
        .iter()
        .all(|&r| !dom.is_inclusive_ancestor(r, h1)));
    assert!(out.regions.contains(&out.comments[0].node.unwrap()));
}

#[test]
fn discourse_older_crawler_view() {
    let post = |n: u32, user: &str, likes: u32, text: &str| {
        format!(
            "<div itemscope itemtype='http://schema.org/DiscussionForumPosting'><div class='creator'><span>\
             <a href='/u/{user}'><b itemprop='author'>{user}</b></a> <time datetime='2017-03-0{n}T10:00:00Z' \
             itemprop='datePublished'>Mar {n}</time></span><span itemprop='position'>#{n}</span></div>\
             <div class='post' itemprop='articleBody'><p>{text}</p></div>\
             <meta itemprop='interactionCount' content='UserLikes:{likes}'><hr></div>"
        )
    };
    let html = format!(
        "<html><body><h1>Topic</h1><hr>{}{}</body></html>",
        post(1, "ann", 2, "Opening question about the thing."),
        post(2, "bo", 0, "A reply to the opening question.")
    );
    let out = run(&html);
    assert_eq!(out.system.as_deref(), Some("discourse"));
    assert_eq!(
        shape(&out),
        vec![(s("1"), None, 0, s("ann")), (s("2"), None, 0, s("bo"))]
    );
    assert_eq!(out.comments[0].likes, Some(2));
    assert_eq!(out.comments[1].text, "A reply to the opening question.");
    assert_eq!(
        out.comments[1].published_at.as_deref(),
        Some("2017-03-02T10:00:00Z")
    );
}

#[test]
fn wordpress_com_highlander_theme_with_commenttext() {
    let out = run(&fixture("wpcom_highlander.html"));
    assert_eq!(out.system.as_deref(), Some("jetpack"));
    assert_eq!(
        shape(&out),
        vec![
            (s("3001"), None, 0, s("Pat Pixel")),
            (s("3005"), None, 0, s("Win User"))
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "Some of the tools mentioned are Mac-only. What do Windows users use?"
    );
    assert_eq!(
        c[0].author_url.as_deref(),
        Some("http://pixels.example.com/")
    );
    assert_eq!(c[0].published_at.as_deref(), Some("2013-09-11T04:40:00"));
    assert_eq!(c[1].published_at.as_deref(), Some("2013-09-12T21:02:00"));
    assert_eq!((c[0].likes, c[1].likes), (None, Some(3)));
    assert_eq!(out.declared, Some(2));
}

#[test]
fn large_threads_stay_linear_enough() {
    let mut wp = String::from("<html><body><div id=comments><ol class=commentlist>");
    let mut gen = String::from("<html><body><div class=user-comments>");
    for i in 0..1500 {
        wp.push_str(&format!(
            "<li id=comment-{i} class='comment depth-1'><div class=comment-author><cite class=fn>U{i}</cite></div>\
             <div class=comment-metadata><time datetime='2020-01-01T00:00:00Z'>x</time></div>\
             <div class=comment-content><p>Comment number {i} with some words.</p></div></li>"
        ));
        gen.push_str(&format!(
            "<div class=c-item><span class=c-user>U{i}</span> <span class=c-date>March 3, 2020</span>\
             <div class=c-body><p>Generic comment number {i} with words.</p></div></div>"
        ));
    }
    wp.push_str("</ol></div></body></html>");
    gen.push_str("</div></body></html>");
    let t = std::time::Instant::now();
    let _ = parse(&wp, Frontend::Html5ever, ParseLimits::default()).unwrap();
    eprintln!("parse only: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    assert_eq!(run(&wp).comments.len(), 1500);
    eprintln!("large wordpress thread: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    assert_eq!(run(&gen).comments.len(), 1500);
    eprintln!("large generic thread: {:?}", t.elapsed());
}

#[test]
fn current_reddit_shreddit_elements() {
    let out = run(&fixture("reddit_new.html"));
    assert_eq!(out.system.as_deref(), Some("reddit"));
    assert_eq!(
        shape(&out),
        vec![
            (s("t1_aa1"), None, 0, s("outdoorsy")),
            (s("t1_aa2"), Some(s("t1_aa1")), 1, s("tentseeker")),
            (s("t1_aa3"), None, 0, s("")),
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "The cheap dome tents are fine for summer.\nGet a footprint though."
    );
    assert_eq!((c[0].score, c[1].score), (Some(57), Some(12)));
    assert!(c[1].author_is_op);
    assert_eq!(c[0].published_at.as_deref(), Some("2024-04-02T10:11:12Z"));
    assert_eq!(c[2].flags, vec![s("deleted")]);
    assert_eq!(c[2].text, "");
}

#[test]
fn wordpress_depth_class_on_an_id_less_li() {
    let html = r#"<div id="comments"><ol class="comment-list">
      <li class="comment depth-1"><article id="comment-1" class="comment-body"><b class="fn">A</b>
        <div class="comment-content"><p>Top level comment.</p></div></article>
        <ol class="children"><li class="comment depth-2"><article id="comment-2" class="comment-body"><b class="fn">B</b>
          <div class="comment-content"><p>Reply to A.</p></div></article></li></ol></li>
      <li class="comment depth-1"><article id="comment-3" class="comment-body"><b class="fn">C</b>
        <div class="comment-content"><p>Another top level.</p></div></article></li></ol></div>"#;
    let out = run(html);
    assert_eq!(
        shape(&out),
        vec![
            (s("1"), None, 0, s("A")),
            (s("2"), Some(s("1")), 1, s("B")),
            (s("3"), None, 0, s("C"))
        ]
    );
}

#[test]
fn jsonld_comment_references_are_resolved() {
    let html = r#"<script type="application/ld+json">{"@graph":[
      {"@type":"Article","@id":"https://x.example/a#article","comment":[{"@id":"https://x.example/a#comment-5"}]},
      {"@type":"Comment","@id":"https://x.example/a#comment-5","author":{"name":"Zed"},"text":"Referenced comment."}]}
      </script><p>Body.</p>"#;
    let out = run(html);
    assert_eq!(shape(&out), vec![(s("5"), None, 0, s("Zed"))]);
    assert_eq!(out.comments[0].text, "Referenced comment.");
}

#[test]
fn thread_starter_unknown_on_a_later_page() {
    let html = fixture("xenforo.html").replace(">#1</a>", ">#21</a>");
    assert!(html.contains("#21"));
    let out = run(&html);
    assert!(out.comments.iter().all(|c| !c.author_is_op));
}

#[test]
fn blogger_threaded_comments() {
    let out = run(&fixture("blogger_threaded.html"));
    assert_eq!(out.system.as_deref(), Some("blogger"));
    assert_eq!(
        shape(&out),
        vec![
            (s("7001"), None, 0, s("Wool Lover")),
            (s("7002"), Some(s("7001")), 1, s("Knitting Notes")),
            (s("7005"), None, 0, s("Anonymous")),
        ]
    );
    let c = &out.comments;
    assert_eq!(c[0].text, "They look so warm! Which yarn did you use?");
    assert!(c[1].author_is_op && !c[0].author_is_op);
    assert_eq!(c[0].published_at.as_deref(), Some("2020-01-05T10:00:00"));
    assert_eq!(
        c[0].author_url.as_deref(),
        Some("https://www.blogger.com/profile/111")
    );
    assert!(c[0].url.as_deref().unwrap().ends_with("#c7001"));
    assert_eq!(c[2].flags, vec![s("deleted")]);
    assert_eq!(c[2].text, "");
    assert_eq!(out.declared, Some(3));
    assert!(c
        .iter()
        .all(|x| !x.text.contains("Reply") && !x.text.contains("Delete")));
}

#[test]
fn blogger_classic_dt_dd_comments() {
    let out = run(&fixture("blogger_classic.html"));
    assert_eq!(out.system.as_deref(), Some("blogger"));
    assert_eq!(
        shape(&out),
        vec![
            (s("501"), None, 0, s("Traveller Tom")),
            (s("502"), None, 0, s("Old Blog"))
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "Which campsite did you like best?\nWe are going in May."
    );
    assert_eq!(c[0].published_at.as_deref(), Some("2009-07-07T22:53:00"));
    assert!(c[1].author_is_op);
    assert_eq!(out.declared, Some(2));
}

#[test]
fn generic_forum_container_mybb_like() {
    let out = run(&fixture("mybb_forum.html"));
    assert_eq!(out.system.as_deref(), Some("generic"));
    assert!(out.is_forum);
    assert_eq!(
        shape(&out),
        vec![
            (s("901"), None, 0, s("crumbshot")),
            (s("905"), None, 0, s("ovenmitt"))
        ]
    );
    let c = &out.comments;
    assert_eq!(
        c[0].text,
        "My loaf rises well but collapses in the oven. Hydration is 75 percent."
    );
    assert_eq!(c[1].published_at.as_deref(), Some("2023-01-13T11:02:00"));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "<div id=comments>",
        "<ol class=commentlist>",
        "<li id=comment-1 class='comment depth-2'>",
        "<li id=comment-2 class='comment depth-1'>",
        "<div id=wpdcom>",
        "<div id=wpd-comm-5_3 class='wpd-comment wpd_comment_level-3'>",
        "<div class=wpd-comment-text>",
        "<table class=comment-tree>",
        "<tr class='athing comtr' id=9>",
        "<td class=ind indent=7>",
        "<div class=commentarea>",
        "<div class='thing comment' data-fullname=t1_x>",
        "<a data-event-action=parent href=#zz>",
        "<div class=user-comments>",
        "<span class=date>",
        "vor 3 Stunden",
        "June 20, 2019",
        "text that is long enough to count as a comment",
        "<blockquote>",
        "</blockquote>",
        "<p>",
        "</p>",
        "</div>",
        "</li>",
        "</ol>",
        "<br>",
        "<a href=/x>",
        "</a>",
        "<time datetime=2020-01-01>",
        "</time>",
        "<cite class=fn>",
        "<script type=application/ld+json>{\"comment\":[{\"text\":\"x\",\"comment\":{}}]}</script>",
        "<article class='message message--post' data-content=post-4>",
        "<div class=bbWrapper>",
        "<div id=p12 class=post><div class=content>",
        "<shreddit-comment thingid=t1_q depth=9>",
        "<dl id=comments-block><dt id=c5 class=comment-author>",
        "<dd class=comment-body>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn random_comment_markup_never_panics(idx in proptest::collection::vec(0..PIECES.len(), 0..80)) {
            let html: String = idx.iter().map(|&i| PIECES[i]).collect();
            let out = run_with(&html, Some("2024-01-01T00:00:00Z"), Some("2023-12-01"));
            for (i, c) in out.comments.iter().enumerate() {
                prop_assert!(c.parent.map_or(true, |p| p < i));
                if let Some(p) = c.parent {
                    prop_assert_eq!(out.comments[p].depth + 1, c.depth);
                }
            }
        }
    }
}

#[test]
fn an_area_that_cannot_be_split_warns_and_emits_nothing() {
    let html = r#"<html><body><article><h1>T</h1><p>Article text here.</p></article>
      <div id="comments" class="comments-area"><h2>Comments</h2>
      <p>Anna: I really liked this article and the pictures were great. Ben: Me too, the second
      part was the best. Carl: I disagree with most of it but thanks for writing.</p></div>
      </body></html>"#;
    let out = run(html);
    assert!(out.comments.is_empty());
    assert_eq!(out.status, CommentsStatus::None);
    assert!(out
        .warnings
        .iter()
        .any(|w| w.code == "w_comments_unsegmented"));
    assert!(!out.regions.is_empty());
}

/// (native id, parent native id, depth, author, text, published_at)
type Full = (String, Option<String>, u32, String, String, Option<String>);

fn full(out: &CommentsOut) -> Vec<Full> {
    shape(out)
        .into_iter()
        .zip(&out.comments)
        .map(|((a, b, c, d), x)| (a, b, c, d, x.text.clone(), x.published_at.clone()))
        .collect()
}

fn f(id: &str, parent: Option<&str>, depth: u32, author: &str, text: &str, at: &str) -> Full {
    (
        s(id),
        parent.map(s),
        depth,
        s(author),
        s(text),
        (!at.is_empty()).then(|| s(at)),
    )
}

#[test]
fn wordpress_theme_kubrick() {
    let out = run(&fixture("wp_theme_kubrick.html"));
    assert_eq!(
        full(&out),
        vec![
            f(
                "5",
                None,
                0,
                "Dave",
                "First!\nNice new theme you have here.",
                "2008-01-05T10:00:00"
            ),
            f(
                "6",
                None,
                0,
                "Eve",
                "Agreed, very clean.",
                "2008-01-06T20:15:00"
            ),
        ]
    );
    assert_eq!(out.declared, Some(2));
}

#[test]
fn wordpress_theme_avada() {
    let out = run(&fixture("wp_theme_avada.html"));
    assert_eq!(
        full(&out),
        vec![
            f(
                "21",
                None,
                0,
                "Hanna",
                "Which trail was that?",
                "2020-01-05T10:00:00"
            ),
            f(
                "22",
                Some("21"),
                1,
                "Admin",
                "The ridge trail above the lake.",
                "2020-01-05T11:30:00"
            ),
            f("25", None, 0, "Ivo", "Great photos.", "2020-01-07T21:00:00"),
        ]
    );
    assert!(out.comments[1].author_is_op);
    assert_eq!(
        out.comments[2].author_url.as_deref(),
        Some("https://ivo.example.org/")
    );
}

#[test]
fn wordpress_theme_divi() {
    let out = run(&fixture("wp_theme_divi.html"));
    assert_eq!(
        full(&out),
        vec![
            f(
                "31",
                None,
                0,
                "Jo",
                "Can I use spelt flour?",
                "2020-01-05T10:00:00"
            ),
            f(
                "32",
                Some("31"),
                1,
                "Chef",
                "Yes, add a little more water.",
                "2020-01-05T13:00:00"
            ),
        ]
    );
}

#[test]
fn wordpress_theme_newspaper_epoch_pubdate() {
    let out = run(&fixture("wp_theme_newspaper.html"));
    assert_eq!(
        full(&out),
        vec![
            f(
                "41",
                None,
                0,
                "Fan Zone",
                "What a finish in the last minute!",
                "2020-01-05T10:00:00Z"
            ),
            f(
                "42",
                None,
                0,
                "Neutral",
                "The referee had a good day.",
                "2020-01-05T11:00:00Z"
            ),
        ]
    );
}

#[test]
fn wordpress_theme_genesis() {
    let out = run(&fixture("wp_theme_genesis.html"));
    assert_eq!(
        full(&out),
        vec![
            f(
                "51",
                None,
                0,
                "Grower",
                "When should I plant the tomatoes outside?",
                "2020-03-01T08:00:00Z"
            ),
            f(
                "52",
                Some("51"),
                1,
                "Editor",
                "After the last frost, usually mid May.",
                "2020-03-01T09:00:00Z"
            ),
        ]
    );
    assert_eq!(
        out.comments[0].author_url.as_deref(),
        Some("https://grower.example.org/")
    );
    assert_eq!(
        out.comments[0].url.as_deref(),
        Some("https://example.org/garden/#comment-51")
    );
    assert!(out.comments[1].author_is_op);
}

#[test]
fn vbulletin3_tables_and_xenforo1_quotes() {
    let vb3 = r#"<div id="posts">
      <div id="edit777"><table id="post777" class="tborder" width="100%"><tr><td class="thead"><a name="post777"><img src="p.gif" alt="Old"/></a> 03-14-2008, 09:12 PM</td><td class="thead" align="right">#1</td></tr>
      <tr><td class="alt2"><a class="bigusername" href="member.php?u=3">oldtimer</a></td>
      <td class="alt1" id="td_post_777"><div id="post_message_777">First post in the old board style, long enough.</div></td></tr></table></div>
      <div id="edit778"><table id="post778" class="tborder"><tr><td class="thead">03-15-2008, 08:00 AM</td><td class="thead">#2</td></tr>
      <tr><td class="alt2"><a class="bigusername" href="member.php?u=4">replier</a></td>
      <td class="alt1"><div id="post_message_778"><div style="margin:20px"><div class="smallfont">Quote:</div><table><tr><td class="alt2" style="border:1px inset"><div>Originally Posted by <strong>oldtimer</strong></div><div style="font-style:italic">First post in the old board style</div></td></tr></table></div>I agree with that completely.</div></td></tr></table></div></div>"#;
    let out = run(vb3);
    assert_eq!(out.system.as_deref(), Some("vbulletin"));
    assert_eq!(
        shape(&out),
        vec![
            (s("777"), None, 0, s("oldtimer")),
            (s("778"), None, 0, s("replier"))
        ]
    );
    let c = &out.comments;
    assert_eq!(c[1].text, "I agree with that completely.");
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("First post in the old board style")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("oldtimer"));
    assert_eq!(c[0].published_at.as_deref(), Some("2008-03-14T21:12:00"));
    assert!(c[0].author_is_op);

    let xf1 = r#"<ol class="messageList" id="messageList">
      <li id="post-55" class="message" data-author="Ann"><div class="messageInfo"><div class="messageContent"><article>
        <blockquote class="messageText SelectQuoteContainer ugc baseHtml">Opening post of the thread.</blockquote></article></div>
        <div class="messageMeta"><span class="DateTime" title="Jan 5, 2015 at 10:00 AM">Jan 5, 2015</span></div></div></li>
      <li id="post-56" class="message" data-author="Bob"><div class="messageInfo"><div class="messageContent"><article>
        <blockquote class="messageText SelectQuoteContainer ugc baseHtml"><div class="bbCodeBlock bbCodeQuote" data-author="Ann"><aside>
          <div class="attribution type">Ann said: <a href="goto/post?id=55#post-55" class="AttributionLink">↑</a></div>
          <blockquote class="quoteContainer"><div class="quote">Opening post of the thread.</div><div class="quoteExpand">Click to expand...</div></blockquote></aside></div>Welcome to the board!</blockquote></article></div>
        <div class="messageMeta"><abbr class="DateTime" data-time="1420452000" data-datestring="Jan 5, 2015">Jan 5, 2015</abbr></div></div></li></ol>"#;
    let out = run(xf1);
    assert_eq!(out.system.as_deref(), Some("xenforo"));
    assert_eq!(
        shape(&out),
        vec![(s("55"), None, 0, s("Ann")), (s("56"), None, 0, s("Bob"))]
    );
    let c = &out.comments;
    assert_eq!(c[1].text, "Welcome to the board!");
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("Opening post of the thread.")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("Ann"));
    assert_eq!(c[0].published_at.as_deref(), Some("2015-01-05T10:00:00"));
    assert_eq!(c[1].published_at.as_deref(), Some("2015-01-05T10:00:00Z"));
}

#[test]
fn generic_forum_container_smf_alternating_rows() {
    let out = run(&fixture("smf_forum.html"));
    assert_eq!(out.system.as_deref(), Some("generic"));
    assert!(out.is_forum);
    let got: Vec<(String, String, Option<String>)> = out
        .comments
        .iter()
        .map(|c| {
            (
                c.author.clone().unwrap_or_default(),
                c.text.clone(),
                c.published_at.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                s("roadrunner"),
                s("The fuel pump whines loudly when the tank is below a quarter."),
                Some(s("2020-01-05T10:00:00"))
            ),
            (
                s("pumpguy"),
                s("That is normal for that model, keep the tank above a quarter."),
                Some(s("2020-01-05T11:15:00"))
            ),
            (
                s("roadrunner"),
                s("Thanks, good to know it is harmless."),
                Some(s("2020-01-06T08:00:00"))
            ),
        ]
    );
}

#[test]
fn invision_community_via_microdata() {
    let out = run(&fixture("invision_microdata.html"));
    assert_eq!(out.system.as_deref(), Some("schema_org"));
    assert_eq!(
        shape(&out),
        vec![
            (s("8801"), None, 0, s("pegman")),
            (s("8805"), None, 0, s("dunes"))
        ]
    );
    let c = &out.comments;
    assert_eq!(c[1].text, "Long V-shaped pegs, buried at an angle.");
    assert_eq!(
        c[1].quoted_text.as_deref(),
        Some("Which pegs hold best in sandy ground?")
    );
    assert_eq!(c[1].reply_to_author.as_deref(), Some("pegman"));
    assert_eq!(c[0].published_at.as_deref(), Some("2021-08-01T09:00:00Z"));
    assert_eq!(
        c[0].author_url.as_deref(),
        Some("https://camp.example/profile/5-pegman/")
    );
}

#[test]
fn wordpress_without_depth_classes_and_early_closed_items() {
    let html = r#"<div id="comments"><ol class="commentlist">
      <li class="comment" id="comment-1"><cite class="fn">A</cite><p>Top level comment one.</p></li>
      <ul class="children"><li class="comment" id="comment-2"><cite class="fn">B</cite><p>Reply to the first.</p></li>
        <ul class="children"><li class="comment" id="comment-3"><cite class="fn">C</cite><p>Reply to the reply.</p></li></ul></ul>
      <li class="comment" id="comment-4"><cite class="fn">D</cite><p>Top level comment two.</p></li></ol></div>"#;
    let out = run(html);
    assert_eq!(
        shape(&out),
        vec![
            (s("1"), None, 0, s("A")),
            (s("2"), Some(s("1")), 1, s("B")),
            (s("3"), Some(s("2")), 2, s("C")),
            (s("4"), None, 0, s("D")),
        ]
    );
    assert_eq!(out.comments[1].text, "Reply to the first.");
}
