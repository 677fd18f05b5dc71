//! Extraction: from a parsed [`Dom`] to the rows of one page.
//!
//! Why it exists: this is the orchestration of SCHEMA §6.2, the region order that keeps the
//! tables separate. Each stage removes its region before the next one runs:
//!
//! 1. [`metadata`]: structured data and meta tags (reads the whole document, removes nothing);
//! 2. [`comments`]: the comment area is turned into comment rows, then excluded;
//! 3. [`links::find_blocks`]: related/recirculation blocks are found, then excluded;
//! 4. [`content`]: the main container is chosen and segmented into blocks (boilerplate
//!    dropped);
//! 5. [`links::classify`]: every `<a href>` of the page is classified with what the stages
//!    above learned (in body, in a comment, in a related block, in navigation…);
//! 6. [`assemble`]: ids, spans, hashes and counts turn the drafts into rows.
//!
//! Every stage is a set of small pure functions over `&Dom`; none mutates the tree.

pub mod assemble;
pub mod comments;
pub mod content;
pub mod dates;
pub mod language;
pub mod links;
pub mod metadata;
pub mod mojibake;
pub mod text;

use crate::dom::{Dom, NodeId, NodeSet};
use crate::settings::Rules;

/// What the reading stages know about where a page came from.
#[derive(Clone, Debug, Default)]
pub struct SourceInfo {
    /// Input path relative to the input root, `/`-separated (WARC records: `file.warc.gz#N`).
    pub source_path: String,
    /// sha256 hex of the raw input bytes (of the record for WARC).
    pub source_sha256: String,
    /// Raw input size in bytes.
    pub source_bytes: i64,
    /// File modification time, ISO 8601 UTC.
    pub source_mtime: String,
    /// URL recorded by the saving tool (WARC target URI, SingleFile, "saved from url").
    pub saved_url: Option<String>,
    /// A URL derived from a `host/path` folder layout (`wget -x`), weakest hint.
    pub path_url: Option<String>,
    /// When the page was saved (WARC-Date, SingleFile "saved date"), ISO 8601.
    pub captured_at: Option<String>,
    /// Charset used to decode.
    pub encoding: String,
    /// Transport `Content-Language`, when known.
    pub content_language: Option<String>,
}

/// Everything a stage may read: the tree, the page's origin and the compiled rules.
pub struct Cx<'a> {
    /// The parsed page.
    pub dom: &'a Dom,
    /// Where it came from.
    pub source: &'a SourceInfo,
    /// Compiled rules (selectors, thresholds, lexicons).
    pub rules: &'a Rules,
    /// Base URL for resolving relative links (`<base href>` over the page URL), if known.
    pub base_url: Option<url::Url>,
    /// The page's own URL (the article URL), if known.
    pub page_url: Option<url::Url>,
}

/// Paragraph kinds (SCHEMA §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// `h1`–`h6`.
    Heading,
    /// `p` and text runs.
    Paragraph,
    /// `li`, `dt`, `dd`.
    ListItem,
    /// `blockquote`.
    Quote,
    /// `pre`, block `code` (whitespace kept).
    Code,
    /// `figcaption`, `caption`, WordPress caption classes.
    Caption,
    /// A data table: cells by `\t`, rows by `\n`.
    Table,
}

impl BlockKind {
    /// The enum value written to `paragraphs.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list_item",
            BlockKind::Quote => "quote",
            BlockKind::Code => "code",
            BlockKind::Caption => "caption",
            BlockKind::Table => "table",
        }
    }
}

/// A link found inside a block's or a comment's text, with its code-point span in that text.
#[derive(Clone, Debug, PartialEq)]
pub struct InlineLink {
    /// The `<a>` element.
    pub node: NodeId,
    /// Code-point start of the anchor text in the block text.
    pub start: usize,
    /// Code-point end (exclusive).
    pub end: usize,
}

/// One block of main text.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Kind of block.
    pub kind: BlockKind,
    /// Text (collapsed whitespace; code keeps its whitespace; tables use `\t`/`\n`).
    pub text: String,
    /// 1–6 for headings.
    pub heading_level: Option<u8>,
    /// For list items: inside an `ol`.
    pub list_ordered: Option<bool>,
    /// For list items: 0 = top-level list.
    pub list_depth: Option<u32>,
    /// Links inside the block.
    pub links: Vec<InlineLink>,
    /// The element the block came from.
    pub node: NodeId,
    /// For list items: the enclosing list element (items of one list are joined by `\n`).
    pub list: Option<NodeId>,
}

impl Block {
    /// A block that is not a heading or list item: `kind`, its text, the links in it and the
    /// element it came from.
    pub fn plain(kind: BlockKind, text: String, links: Vec<InlineLink>, node: NodeId) -> Block {
        Block {
            kind,
            text,
            heading_level: None,
            list_ordered: None,
            list_depth: None,
            links,
            node,
            list: None,
        }
    }
}

/// What the main-content stage returns.
#[derive(Clone, Debug, Default)]
pub struct ContentOut {
    /// Blocks of main text in order.
    pub blocks: Vec<Block>,
    /// Detected page type (article, forum, product, collection, listing, documentation, service).
    pub page_type: Option<String>,
    /// Blocks removed by phrase or selector rules inside the content container.
    pub boilerplate_dropped: usize,
    /// Inline "Read more: …" blocks removed from the text; their links become `related`.
    pub read_more: Vec<Block>,
    /// The chosen main container, if any.
    pub main_node: Option<NodeId>,
}

/// A comment before ids are assigned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommentDraft {
    /// The item element (for links inside the comment).
    pub node: Option<NodeId>,
    /// The page's own id (`4413`, `t1_abc`, `post-12`).
    pub native_id: Option<String>,
    /// Index of the parent draft in the same vector.
    pub parent: Option<usize>,
    /// 0 = top level.
    pub depth: u32,
    pub author: Option<String>,
    pub author_url: Option<String>,
    pub author_is_op: bool,
    /// Parsed date (ISO 8601).
    pub published_at: Option<String>,
    /// The date as found.
    pub published_raw: Option<String>,
    pub published_inferred: bool,
    pub text: String,
    pub quoted_text: Option<String>,
    pub reply_to_author: Option<String>,
    pub likes: Option<i64>,
    pub dislikes: Option<i64>,
    pub score: Option<i64>,
    pub flags: Vec<String>,
    pub url: Option<String>,
    /// Links inside `text`, with spans.
    pub links: Vec<InlineLink>,
    /// `dom`, `jsonld`, `microdata`, `dom+jsonld`.
    pub extraction: String,
}

/// `articles.comments_status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CommentsStatus {
    /// Items were extracted.
    Extracted,
    /// No comment area.
    #[default]
    None,
    /// Comments closed.
    Closed,
    /// The area is loaded by script.
    JsOnly,
    /// Fewer items than the declared count.
    Partial,
}

impl CommentsStatus {
    /// The enum value written to the table.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentsStatus::Extracted => "extracted",
            CommentsStatus::None => "none",
            CommentsStatus::Closed => "closed",
            CommentsStatus::JsOnly => "js_only",
            CommentsStatus::Partial => "partial",
        }
    }
}

/// A warning raised by a stage (becomes an `errors` row with severity `warning`).
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// Stable code (`w_comments_js_only`, …).
    pub code: &'static str,
    /// Stage (`metadata`, `body`, `comments`, `links`).
    pub stage: &'static str,
    /// One human sentence.
    pub message: String,
    /// Machine-readable context (a JSON object), if any.
    pub detail: Option<serde_json::Value>,
}

/// What the comments stage returns.
#[derive(Clone, Debug, Default)]
pub struct CommentsOut {
    /// Comments in document order; `parent` indexes into this vector.
    pub comments: Vec<CommentDraft>,
    /// Elements that make up the comment area (excluded from content; links there are `comment`).
    pub regions: Vec<NodeId>,
    /// Adapter that produced the comments (`wordpress`, `wpdiscuz`, …).
    pub system: Option<String>,
    /// Status for `articles.comments_status`.
    pub status: CommentsStatus,
    /// Count the page itself declares.
    pub declared: Option<i64>,
    /// True when the comments are the page's content (forum thread): the first post also
    /// forms the article body.
    pub is_forum: bool,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// A related/recirculation block found before content extraction.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkBlock {
    /// Container element.
    pub node: NodeId,
    /// Label for `links.block` (`jetpack_related`, `yarpp`, `related_generic`, `adjacent`, …).
    pub label: String,
    /// Heading shown above the block.
    pub heading: Option<String>,
    /// How it was recognised (for `kind_rule`, e.g. `block:yarpp`).
    pub rule: String,
    /// True when the block is an empty script shell (Jetpack/Outbrain/Taboola).
    pub js_only: bool,
    /// External recommender (links to other domains allowed).
    pub external: bool,
}

/// A classified link before ids are assigned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkDraft {
    /// The `<a>` element.
    pub node: Option<NodeId>,
    /// Absolute, normalised URL.
    pub url: String,
    /// `href` as written.
    pub url_raw: String,
    /// `url_key` of the target (None for non-http(s)).
    pub target_key: Option<String>,
    pub target_host: Option<String>,
    pub is_internal: Option<bool>,
    pub anchor_text: String,
    pub title_attr: Option<String>,
    pub rel: Vec<String>,
    pub kind: String,
    pub kind_rule: String,
    pub block: Option<String>,
    pub block_heading: Option<String>,
    pub block_position: Option<i64>,
    /// Index into `ContentOut::blocks` for `in_body` links.
    pub block_index: Option<usize>,
    /// Index into `CommentsOut::comments` for links in comments.
    pub comment_index: Option<usize>,
    pub anchor_start: Option<i64>,
    pub anchor_end: Option<i64>,
    pub has_image: bool,
}

/// What the links stage returns.
#[derive(Clone, Debug, Default)]
pub struct LinksOut {
    /// Links in document order.
    pub links: Vec<LinkDraft>,
    /// `articles.related_status`: `extracted`, `none`, `js_only`.
    pub related_status: String,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// Everything extracted from one page, before ids.
pub struct Extraction {
    /// Article metadata.
    pub meta: metadata::Metadata,
    /// Main text.
    pub content: ContentOut,
    /// Comments.
    pub comments: CommentsOut,
    /// Links.
    pub links: LinksOut,
}

/// Runs every stage in the order of SCHEMA §6.2.
pub fn extract(dom: &Dom, source: &SourceInfo, rules: &Rules) -> Extraction {
    let mut meta = metadata::extract(dom, source, rules);
    let page_url = meta.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    let base_url = metadata::base_href(dom)
        .and_then(|b| match &page_url {
            Some(p) => p.join(&b).ok(),
            None => url::Url::parse(&b).ok(),
        })
        .or_else(|| page_url.clone());
    let cx = Cx {
        dom,
        source,
        rules,
        base_url,
        page_url,
    };
    let mut comments = comments::extract(&cx, &meta);
    let mut excluded = NodeSet::for_dom(dom);
    // On a forum thread the posts are the content (they are also comment rows).
    if !comments.is_forum {
        for &r in &comments.regions {
            excluded.insert(r);
        }
    }
    let targets = links::Targets::resolve(&cx);
    let blocks = links::find_blocks_with(&cx, &excluded, &targets);
    for b in &blocks {
        excluded.insert(b.node);
    }
    let mut content = content::extract(&cx, &meta, &comments, &excluded);
    let links = links::classify_with(&cx, &content, &comments, &blocks, &targets);
    repair_mojibake(&mut meta, &mut content, &mut comments);
    Extraction {
        meta,
        content,
        comments,
        links,
    }
}

/// Repairs double-encoded UTF-8 ([`mojibake`]) in the texts the tables carry: the title, every
/// block and every comment (their link spans move with the text). Runs after link
/// classification, which reads anchors from the DOM, not from these texts.
fn repair_mojibake(
    meta: &mut metadata::Metadata,
    content: &mut ContentOut,
    comments: &mut CommentsOut,
) {
    if let Some(t) = meta.title.as_mut() {
        mojibake::repair_in_place(t, std::iter::empty());
    }
    for b in &mut content.blocks {
        let spans = b.links.iter_mut().map(|l| (&mut l.start, &mut l.end));
        mojibake::repair_in_place(&mut b.text, spans);
    }
    for c in &mut comments.comments {
        let spans = c.links.iter_mut().map(|l| (&mut l.start, &mut l.end));
        mojibake::repair_in_place(&mut c.text, spans);
    }
}
