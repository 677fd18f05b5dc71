//! Teaser grids after the end of an article: "more stories" cards printed inside the article's
//! own container, below its last paragraph, without a class name or a heading that gives
//! them away.
//!
//! Why it exists: the links stage drops recommendation blocks by class and heading, and
//! [`super::sections`] drops teaser lists announced by a heading ("Related posts"). Themes also
//! print a bare row of cards (linked title, one-line excerpt, author, date) after the story. The
//! card grid detector ([`super::cards`]) finds the row by shape; what makes it recirculation
//! rather than part of the story is where it sits: after the article's prose (almost nothing
//! but links follows it) and small beside it (a listicle's own cards are most of the page and
//! are kept).

use serde::Deserialize;

use super::stats::Stats;
use crate::dom::{name, Dom, NodeId};
use crate::settings::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TailConfig {
    on: Vec<String>,
    min_prose_before_chars: u32,
    min_prose_per_grid_char: f64,
    max_prose_after_share: f64,
}

/// Compiled `[tail_grids]`.
#[derive(Debug)]
pub struct TailRules {
    /// Page types the rule applies to (`PageType::as_str` values).
    pub on: Vec<String>,
    /// Least prose (non-link visible characters) before a grid for it to be a tail.
    pub min_prose_before_chars: u32,
    /// Least prose before a grid per visible character of the grid (a listicle's cards
    /// outweigh its introduction and are kept).
    pub min_prose_per_grid_char: f64,
    /// Most prose after the grid, as a share of the prose before it (0–1).
    pub max_prose_after_share: f64,
}

impl TailRules {
    /// Compiles the `[tail_grids]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: TailConfig = crate::settings::section(table, "tail_grids")?;
        Ok(TailRules {
            on: c.on,
            min_prose_before_chars: c.min_prose_before_chars,
            min_prose_per_grid_char: c.min_prose_per_grid_char,
            max_prose_after_share: c.max_prose_after_share,
        })
    }

    /// True when the rule applies to pages of type `ptype`.
    pub fn applies(&self, ptype: &str) -> bool {
        self.on.iter().any(|t| t == ptype)
    }
}

/// The card grids among `grids` that sit inside `container` after its prose: at least
/// `min_prose_before_chars` and `min_prose_per_grid_char` characters of prose per grid
/// character before the grid, and at most `max_prose_after_share` of that after it. Prose is
/// the visible text of `container` outside links, dead and chrome elements and grids.
pub fn tail_grids(
    dom: &Dom,
    st: &Stats,
    container: NodeId,
    grids: &[NodeId],
    r: &TailRules,
) -> Vec<NodeId> {
    let inside: Vec<NodeId> = grids
        .iter()
        .copied()
        .filter(|&g| g != container && dom.is_inclusive_ancestor(container, g))
        .collect();
    if inside.is_empty() {
        return Vec::new();
    }
    // prose seen before each grid, in document order
    let mut before: Vec<(NodeId, u64)> = Vec::new();
    let mut prose: u64 = 0;
    let mut it = dom.descendants(container);
    while let Some(n) = it.next() {
        if dom.is_text(n) {
            prose += u64::from(st.text[n as usize].saturating_sub(st.link[n as usize]));
            continue;
        }
        if !dom.is_element(n) {
            continue;
        }
        if inside.contains(&n) {
            before.push((n, prose));
            it.skip_subtree(n);
            continue;
        }
        if st.dead.contains(n) || st.chrome.contains(n) || dom.is(n, name::A) {
            it.skip_subtree(n);
        }
    }
    let total = prose;
    before
        .into_iter()
        .filter(|&(g, b)| {
            let after = total - b;
            b >= u64::from(r.min_prose_before_chars)
                && b as f64 >= r.min_prose_per_grid_char * f64::from(st.text[g as usize])
                && after as f64 <= r.max_prose_after_share * b as f64
        })
        .map(|(g, _)| g)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::content::cards::{grids, GridRules};
    use crate::extract::content::stats::Stats;
    use crate::parse::{parse, Frontend, ParseLimits};

    fn tail_rules() -> TailRules {
        TailRules {
            on: vec!["article".into()],
            min_prose_before_chars: 200,
            min_prose_per_grid_char: 1.0,
            max_prose_after_share: 0.25,
        }
    }

    fn grid_rules() -> GridRules {
        GridRules {
            min_items: 3,
            min_same_share: 0.6,
            min_linked_share: 0.7,
            max_item_chars: 400,
            min_item_chars: 25,
        }
    }

    fn card(i: usize) -> String {
        format!(
            r#"<div class="card"><a href="/p{i}">Another story number {i} title</a><p>A short excerpt.</p></div>"#
        )
    }

    fn page(before: &str, after: &str) -> String {
        let cards: String = (0..3).map(card).collect();
        format!(
            r#"<html><body><div id="c">{before}<div class="row">{cards}</div>{after}</div></body></html>"#
        )
    }

    fn run(html: &str) -> usize {
        let dom = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let st = Stats::with_default_rules(&dom);
        let body = dom.body();
        let g = grids(&dom, &st, body, &grid_rules());
        assert_eq!(g.len(), 1, "the cards form one grid");
        let c = dom.find(body, |n| dom.attr(n, "id") == Some("c")).unwrap();
        tail_grids(&dom, &st, c, &g, &tail_rules()).len()
    }

    const STORY: &str = "<p>The story itself runs for a good while, long enough to be an article: \
        it has sentences, clauses and a point, and then it goes on with more of the same.</p>\
        <p>A second paragraph follows, as long as the first one, with its own sentences and \
        another point that the reader came here to read about today.</p>";

    #[test]
    fn cards_after_the_story_are_a_tail() {
        assert_eq!(run(&page(STORY, "")), 1);
    }

    #[test]
    fn cards_before_more_prose_stay() {
        assert_eq!(run(&page(STORY, STORY)), 0);
    }

    #[test]
    fn cards_after_a_short_intro_stay() {
        assert_eq!(run(&page("<p>Our picks for this week.</p>", "")), 0);
    }
}
