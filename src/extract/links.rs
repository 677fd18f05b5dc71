//! Links: every kept `<a href>`, classified (SCHEMA §6.6).

use super::{CommentsOut, ContentOut, Cx, LinkBlock, LinksOut};
use crate::dom::NodeSet;

/// Finds related/recirculation blocks (run before content extraction, which then skips them).
pub fn find_blocks(_cx: &Cx<'_>, _excluded: &NodeSet) -> Vec<LinkBlock> {
    Vec::new()
}

/// Classifies every link of the page.
pub fn classify(
    _cx: &Cx<'_>,
    _content: &ContentOut,
    _comments: &CommentsOut,
    _blocks: &[LinkBlock],
) -> LinksOut {
    LinksOut {
        links: Vec::new(),
        related_status: "none".into(),
        warnings: Vec::new(),
    }
}

/// Compiled `[links]` rules.
#[derive(Debug, Default)]
pub struct LinkRules {}

impl LinkRules {
    /// Compiles the `[links]` section.
    pub fn compile(_table: &toml::Table) -> Result<Self, crate::settings::ConfigError> {
        Ok(Self::default())
    }
}
