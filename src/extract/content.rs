//! Main content: choose the container and segment it into blocks (SCHEMA §6.4, §6.7).

use super::metadata::Metadata;
use super::{Block, BlockKind, CommentsOut, ContentOut, Cx};
use crate::dom::{name, NodeSet};

/// Extracts the main text blocks.
pub fn extract(
    cx: &Cx<'_>,
    _meta: &Metadata,
    _comments: &CommentsOut,
    excluded: &NodeSet,
) -> ContentOut {
    let dom = cx.dom;
    let mut out = ContentOut::default();
    let body = dom.body();
    let mut it = dom.descendants(body);
    while let Some(n) = it.next() {
        if excluded.contains(n)
            || dom.tag(n).is_some_and(|t| {
                matches!(
                    t,
                    name::NAV
                        | name::HEADER
                        | name::FOOTER
                        | name::ASIDE
                        | name::SCRIPT
                        | name::STYLE
                        | name::FORM
                )
            })
        {
            it.skip_subtree(n);
            continue;
        }
        if dom.is(n, name::P) {
            let text = dom.text_content(n);
            if !text.is_empty() {
                out.blocks.push(Block {
                    kind: BlockKind::Paragraph,
                    text,
                    heading_level: None,
                    list_ordered: None,
                    list_depth: None,
                    links: Vec::new(),
                    node: n,
                    list: None,
                });
            }
            it.skip_subtree(n);
        }
    }
    out.page_type = Some("article".into());
    out
}

/// Compiled `[content]` rules.
#[derive(Debug, Default)]
pub struct ContentRules {}

impl ContentRules {
    /// Compiles the `[content]` section.
    pub fn compile(_table: &toml::Table) -> Result<Self, crate::settings::ConfigError> {
        Ok(Self::default())
    }
}
