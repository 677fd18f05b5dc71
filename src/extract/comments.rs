//! Comments: reader comments and forum posts as structured threads (SCHEMA §6.5).

use super::metadata::Metadata;
use super::{CommentsOut, Cx};

/// Finds the comment area, splits it into items with the matching adapter.
pub fn extract(_cx: &Cx<'_>, _meta: &Metadata) -> CommentsOut {
    CommentsOut::default()
}

/// Compiled `[comments]` rules.
#[derive(Debug, Default)]
pub struct CommentRules {}

impl CommentRules {
    /// Compiles the `[comments]` section.
    pub fn compile(_table: &toml::Table) -> Result<Self, crate::settings::ConfigError> {
        Ok(Self::default())
    }
}
