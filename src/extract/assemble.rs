//! Assemble: turn an [`Extraction`] into table rows (ids, spans, hashes, counts).
//!
//! Why it exists: ids (SCHEMA §3), `articles.text` with code-point spans of every paragraph, and
//! the counts that tie the tables together are computed in one place, after every stage ran, so
//! the stages themselves stay free of bookkeeping.

use serde_json::Value;

use super::{dates, language, text, BlockKind, Extraction, SourceInfo, Warning};
use crate::model::{Article, Comment, ErrorRow, Link, PageRows, Paragraph};
use crate::settings::Rules;
use crate::urlnorm;

/// Tool version + rules version, written to `articles.extractor_version`.
pub fn extractor_version() -> String {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION
        .get_or_init(|| {
            format!(
                "pagemill {} rules {}",
                env!("CARGO_PKG_VERSION"),
                crate::settings::RULES_VERSION
            )
        })
        .clone()
}

/// `format!("{base}-{tag}{i:05}")`: row ids built without the formatting machinery.
fn numbered_id(base: &str, tag: char, i: usize) -> String {
    let mut digits = [b'0'; 20];
    let mut n = i;
    let mut at = digits.len();
    while n > 0 || digits.len() - at < 5 {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut id = String::with_capacity(base.len() + 2 + digits.len() - at);
    id.push_str(base);
    id.push('-');
    id.push(tag);
    for &d in &digits[at..] {
        id.push(char::from(d));
    }
    id
}

/// Builds the rows of one page. Run-level fields (`run_id`, `first_seen_run_id`,
/// `host_dup_count`, `duplicate_of`) are filled when the snapshot is written.
pub fn assemble(ex: Extraction, source: &SourceInfo, rules: &Rules) -> PageRows {
    let Extraction {
        mut meta,
        content,
        comments,
        links,
    } = ex;
    let mut warnings: Vec<Warning> = std::mem::take(&mut meta.warnings);

    // --- identity
    let parsed_url = meta.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    let key = parsed_url.as_ref().and_then(urlnorm::url_key);
    let (article_id, id_basis) = match &key {
        Some(k) => (
            urlnorm::article_id_for_key(k),
            std::mem::take(&mut meta.id_basis),
        ),
        None => {
            // metadata reports w_no_url itself when it found no URL at all
            if !warnings.iter().any(|w| w.code == "w_no_url") {
                warnings.push(Warning {
                    code: "w_no_url",
                    stage: "metadata",
                    message: "no trustworthy URL: the article id is derived from the file content"
                        .into(),
                    detail: None,
                });
            }
            (
                urlnorm::article_id_for_content(&source.source_sha256),
                "content".to_string(),
            )
        }
    };
    let host = parsed_url
        .as_ref()
        .and_then(|u| u.host_str())
        .map(|h| h.to_ascii_lowercase());

    // --- paragraphs and text
    let mut full = String::new();
    let mut full_cp = 0usize;
    let mut paragraphs = Vec::with_capacity(content.blocks.len());
    let mut section_heading: Option<String> = None;
    let mut prev_list: Option<u32> = None;
    // in-body links per paragraph, counted in one pass over the links
    let mut in_body_of = vec![0usize; content.blocks.len()];
    for l in &links.links {
        if l.kind == "in_body" {
            if let Some(c) = l.block_index.and_then(|b| in_body_of.get_mut(b)) {
                *c += 1;
            }
        }
    }
    // = word_count(&full): the separators are whitespace, so no word spans two paragraphs
    let mut word_count = 0usize;
    for (i, b) in content.blocks.into_iter().enumerate() {
        let pid = numbered_id(&article_id, 'p', i);
        if !full.is_empty() {
            // `\n` between consecutive items of one list, `\n\n` otherwise
            let same_list =
                b.kind == BlockKind::ListItem && b.list.is_some() && b.list == prev_list;
            let sep = if same_list { "\n" } else { "\n\n" };
            full.push_str(sep);
            full_cp += sep.len();
        }
        let start = full_cp;
        let cp = text::char_count(&b.text);
        full.push_str(&b.text);
        full_cp += cp;
        let in_body = in_body_of[i];
        let words = text::word_count(&b.text);
        word_count += words;
        paragraphs.push(Paragraph {
            paragraph_id: pid.clone(),
            article_id: article_id.clone(),
            position: i as i64,
            kind: b.kind.as_str().to_string(),
            heading_level: b.heading_level.map(i64::from),
            list_ordered: b.list_ordered,
            list_depth: b.list_depth.map(i64::from),
            section_heading_id: if b.kind == BlockKind::Heading {
                None
            } else {
                section_heading.clone()
            },
            text_hash: text::sha256_32(b.text.as_bytes()),
            text: b.text,
            char_start: start as i64,
            char_end: (start + cp) as i64,
            word_count: words as i64,
            host_dup_count: 0,
            link_count: in_body as i64,
        });
        if b.kind == BlockKind::Heading {
            section_heading = Some(pid);
        }
        prev_list = if b.kind == BlockKind::ListItem {
            b.list
        } else {
            None
        };
    }

    // --- comments
    let mut comment_rows: Vec<Comment> = Vec::with_capacity(comments.comments.len());
    let mut seen_ids = std::collections::HashSet::new();
    let comments_system = comments.system.as_deref().unwrap_or("generic");
    for (i, c) in comments.comments.into_iter().enumerate() {
        let mut cid = match &c.native_id {
            Some(n) => format!("{article_id}-c{n}"),
            None => format!(
                "{article_id}-h{}",
                &text::sha256_hex(
                    format!(
                        "{}\x1f{}\x1f{}",
                        c.author.as_deref().unwrap_or(""),
                        c.published_raw.as_deref().unwrap_or(""),
                        c.text
                    )
                    .as_bytes()
                )[..16]
            ),
        };
        if !seen_ids.insert(cid.clone()) {
            cid = format!("{cid}-{i}");
            seen_ids.insert(cid.clone());
        }
        let parent_id = c
            .parent
            .filter(|&p| p < i)
            .map(|p| comment_rows[p].comment_id.clone());
        let root_id = match c.parent.filter(|&p| p < i) {
            Some(p) => comment_rows[p].root_id.clone(),
            None => cid.clone(),
        };
        comment_rows.push(Comment {
            comment_id: cid.clone(),
            article_id: article_id.clone(),
            native_id: c.native_id,
            parent_id,
            root_id,
            depth: i64::from(c.depth),
            position: i as i64,
            author: c.author,
            author_url: c.author_url,
            author_is_op: c.author_is_op,
            published_date: c.published_at.as_deref().and_then(dates::date_part),
            published_at: c.published_at,
            published_raw: c.published_raw,
            published_inferred: c.published_inferred,
            text_hash: text::sha256_32(c.text.as_bytes()),
            word_count: text::word_count(&c.text) as i64,
            text: c.text,
            quoted_text: c.quoted_text,
            reply_to_author: c.reply_to_author,
            likes: c.likes,
            dislikes: c.dislikes,
            score: c.score,
            flags: c.flags,
            url: c.url,
            system: comments_system.to_string(),
            extraction: if c.extraction.is_empty() {
                "dom".into()
            } else {
                c.extraction
            },
        });
    }

    // --- links
    // one target id per distinct target (menus and thumbnails repeat them): hashed once, cloned
    // for the repeats
    let target_article_ids: Vec<Option<String>> = {
        let mut first_of: std::collections::HashMap<
            &str,
            usize,
            xxhash_rust::xxh3::Xxh3DefaultBuilder,
        > = Default::default();
        let mut ids: Vec<Option<String>> = Vec::with_capacity(links.links.len());
        for (i, l) in links.links.iter().enumerate() {
            let id = l.target_key.as_deref().map(|k| match first_of.entry(k) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    ids[*e.get()].clone().unwrap_or_default()
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                    urlnorm::article_id_for_key(k)
                }
            });
            ids.push(id);
        }
        ids
    };
    let link_rows: Vec<Link> = links
        .links
        .into_iter()
        .zip(target_article_ids)
        .enumerate()
        .map(|(i, (l, target_article_id))| Link {
            link_id: numbered_id(&article_id, 'l', i),
            article_id: article_id.clone(),
            position: i as i64,
            url: l.url,
            url_raw: l.url_raw,
            target_article_id,
            target_host: l.target_host,
            is_internal: l.is_internal,
            anchor_text: l.anchor_text,
            title_attr: l.title_attr,
            rel: l.rel,
            kind: l.kind,
            kind_rule: l.kind_rule,
            block: l.block,
            block_heading: l.block_heading,
            block_position: l.block_position,
            paragraph_id: l
                .block_index
                .and_then(|b| paragraphs.get(b))
                .map(|p| p.paragraph_id.clone()),
            comment_id: l
                .comment_index
                .and_then(|c| comment_rows.get(c))
                .map(|c| c.comment_id.clone()),
            anchor_start: l.anchor_start,
            anchor_end: l.anchor_end,
            has_image: l.has_image,
        })
        .collect();
    warnings.extend(links.warnings);
    warnings.extend(comments.warnings);

    // --- language
    let detected = language::detect(&full);
    let declared = meta
        .language_declared
        .take()
        .or_else(|| source.content_language.clone());
    let (lang, mismatch) = language::choose(
        declared.as_deref(),
        detected.as_ref().map(|(c, s)| (c.as_str(), *s)),
    );
    if mismatch {
        warnings.push(Warning {
            code: "w_lang_mismatch",
            stage: "metadata",
            message: "declared and detected language disagree".into(),
            detail: Some(serde_json::json!({
                "declared": declared,
                "detected": detected.as_ref().map(|d| d.0.clone()),
            })),
        });
    }
    let mut sources = std::mem::take(&mut meta.sources);
    if lang.is_some() {
        sources.insert(
            "language".into(),
            Value::from(if mismatch || declared.is_none() {
                "detector:whatlang"
            } else {
                "declared"
            }),
        );
    }

    if meta.title.is_none() {
        warnings.push(Warning {
            code: "w_no_title",
            stage: "metadata",
            message: "no title found".into(),
            detail: None,
        });
    }
    if meta.published_at.is_none() {
        warnings.push(Warning {
            code: "w_no_date",
            stage: "metadata",
            message: "no publication date found".into(),
            detail: None,
        });
    }
    if word_count < rules.limits.min_words {
        warnings.push(Warning {
            code: "w_short_text",
            stage: "body",
            message: format!(
                "main text has {word_count} words (minimum {})",
                rules.limits.min_words
            ),
            detail: Some(serde_json::json!({"words": word_count})),
        });
    }
    let declared_count = comments.declared.or(meta.comment_count_declared);
    let related_count = link_rows.iter().filter(|l| l.kind == "related").count();

    let mut codes: Vec<String> = warnings.iter().map(|w| w.code.to_string()).collect();
    codes.dedup();
    let article = Article {
        article_id: article_id.clone(),
        id_basis,
        url: parsed_url
            .as_ref()
            .map(|u| urlnorm::normalize(u).to_string()),
        url_key: key,
        saved_url: source.saved_url.clone(),
        host,
        site_name: meta.site_name,
        title: meta.title,
        description: meta.description,
        authors: meta.authors,
        published_date: meta.published_at.as_deref().and_then(dates::date_part),
        published_at: meta.published_at,
        modified_at: meta.modified_at,
        language: lang,
        language_declared: declared,
        language_detected: detected.as_ref().map(|d| d.0.clone()),
        language_score: detected.as_ref().map(|d| d.1),
        page_type: content.page_type,
        schema_type: meta.schema_type,
        section: meta.section,
        categories: meta.categories,
        tags: meta.tags,
        lead_image: meta.lead_image,
        license: meta.license,
        meta_sources: Value::Object(sources).to_string(),
        text_hash: text::sha256_hex(full.as_bytes()),
        simhash: text::simhash(&full),
        char_count: full_cp as i64,
        word_count: word_count as i64,
        paragraph_count: paragraphs.len() as i64,
        comment_count: comment_rows.len() as i64,
        comment_count_declared: declared_count,
        comments_system: comments.system,
        comments_status: comments.status.as_str().to_string(),
        link_count: link_rows.len() as i64,
        related_link_count: related_count as i64,
        related_status: if links.related_status.is_empty() {
            "none".into()
        } else {
            links.related_status
        },
        boilerplate_dropped: content.boilerplate_dropped as i64,
        source_path: source.source_path.clone(),
        source_sha256: source.source_sha256.clone(),
        source_bytes: source.source_bytes,
        source_mtime: source.source_mtime.clone(),
        captured_at: source.captured_at.clone(),
        encoding: source.encoding.clone(),
        first_seen_run_id: String::new(),
        run_id: String::new(),
        extractor_version: extractor_version(),
        warnings: codes,
        duplicate_of: None,
        text: full,
    };
    let warning_rows = warnings
        .into_iter()
        .map(|w| ErrorRow {
            run_id: String::new(),
            severity: "warning".into(),
            code: w.code.to_string(),
            stage: w.stage.to_string(),
            source_path: source.source_path.clone(),
            source_sha256: Some(source.source_sha256.clone()),
            article_id: Some(article_id.clone()),
            message: w.message,
            detail: w.detail.map(|d| d.to_string()),
            first_seen_run_id: String::new(),
        })
        .collect();
    PageRows {
        article,
        paragraphs,
        comments: comment_rows,
        links: link_rows,
        warnings: warning_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_ids_match_the_format_they_replace() {
        for i in [
            0usize,
            1,
            9,
            10,
            99,
            12_345,
            99_999,
            100_000,
            1_234_567,
            usize::MAX,
        ] {
            for tag in ['p', 'l'] {
                assert_eq!(
                    numbered_id("a0f3", tag, i),
                    format!("a0f3-{tag}{i:05}"),
                    "{tag}{i}"
                );
            }
        }
        assert_eq!(numbered_id("", 'p', 7), "-p00007");
    }

    #[test]
    fn extractor_version_names_tool_and_rules() {
        let v = extractor_version();
        assert_eq!(v, extractor_version());
        assert!(v.starts_with("pagemill ") && v.contains(" rules "), "{v}");
    }
}
