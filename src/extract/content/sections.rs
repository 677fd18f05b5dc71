//! Teaser sections announced by a heading: "Related posts", "More from the author", "Recent
//! articles".
//!
//! Why it exists: themes print lists of other pages inside the article's own container, under
//! a heading that says what they are. Class names do not always give them away (the links
//! stage's block rules catch the ones that do), and each item is a short link or a linked
//! title with a one-line excerpt, so per-block link filters keep the excerpts and dates. The
//! heading's words plus the section's link share do: a section that opens with one of the
//! configured phrases and whose text is mostly links (or whose sub-headings are linked titles)
//! is a teaser list. Its blocks leave the main text and go to `read_more`, so their links are
//! `kind = related`. Listings and collections are never filtered this way (their cards are the
//! content).

use regex::Regex;
use serde::Deserialize;

use crate::dom::{name, Dom};
use crate::extract::{Block, BlockKind};
use crate::settings::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionConfig {
    heading_patterns: Vec<String>,
    trigger_max_words: usize,
    min_link_share: f64,
    min_linked_headings: usize,
    linked_heading_min_share: f64,
    min_card_headings: usize,
    card_max_excerpt_words: usize,
    max_section_blocks: usize,
    bio_heading_patterns: Vec<String>,
    bio_max_words: usize,
}

/// Compiled `[related_sections]`.
#[derive(Debug)]
pub struct SectionRules {
    heading: Option<Regex>,
    trigger_max_words: usize,
    min_link_share: f64,
    min_linked_headings: usize,
    linked_heading_min_share: f64,
    min_card_headings: usize,
    card_max_excerpt_words: usize,
    max_section_blocks: usize,
    bio_heading: Option<Regex>,
    bio_max_words: usize,
}

impl SectionRules {
    /// Compiles the `[related_sections]` section.
    pub fn compile(table: &toml::Table) -> Result<Self, ConfigError> {
        let c: SectionConfig = crate::settings::section(table, "related_sections")?;
        let heading = super::boilerplate::phrase_regex(&c.heading_patterns)?;
        Ok(SectionRules {
            heading,
            trigger_max_words: c.trigger_max_words,
            min_link_share: c.min_link_share,
            min_linked_headings: c.min_linked_headings,
            linked_heading_min_share: c.linked_heading_min_share,
            min_card_headings: c.min_card_headings,
            card_max_excerpt_words: c.card_max_excerpt_words,
            max_section_blocks: c.max_section_blocks,
            bio_heading: super::boilerplate::phrase_regex(&c.bio_heading_patterns)?,
            bio_max_words: c.bio_max_words,
        })
    }

    /// The level of the heading a block acts as when it announces a teaser list: its own level
    /// for a heading, 7 (so that any heading ends its section) for a short paragraph or item.
    fn trigger_level(&self, b: &Block) -> Option<u8> {
        self.level_if(self.heading.as_ref()?, b)
    }

    /// The level of a heading that opens an author's or reviewer's bio box ("About the
    /// author"): headings only (a short paragraph saying so is a byline label).
    fn bio_level(&self, b: &Block) -> Option<u8> {
        if b.kind != BlockKind::Heading {
            return None;
        }
        self.level_if(self.bio_heading.as_ref()?, b)
    }

    fn level_if(&self, re: &Regex, b: &Block) -> Option<u8> {
        let level = match b.kind {
            BlockKind::Heading => b.heading_level.unwrap_or(6),
            BlockKind::Paragraph | BlockKind::ListItem => 7,
            _ => return None,
        };
        if super::super::text::word_count(&b.text) > self.trigger_max_words {
            return None;
        }
        let t = b
            .text
            .trim()
            .trim_end_matches([':', '.', '…', '›', '»', '→']);
        re.is_match(t.trim()).then_some(level)
    }
}

/// Non-space characters of `b`'s text and of its link text (all of it when the block sits
/// inside a link: card teasers wrap title and excerpt in one `<a>`).
fn link_chars(dom: &Dom, b: &Block) -> (usize, usize) {
    let chars: Vec<char> = b.text.chars().collect();
    let total = chars.iter().filter(|c| !c.is_whitespace()).count();
    if dom.ancestors(b.node).any(|a| dom.is(a, name::A)) {
        return (total, total);
    }
    let mut covered = vec![false; chars.len()];
    for l in &b.links {
        for c in covered
            .iter_mut()
            .take(l.end.min(chars.len()))
            .skip(l.start)
        {
            *c = true;
        }
    }
    let linked = chars
        .iter()
        .zip(&covered)
        .filter(|(c, &k)| k && !c.is_whitespace())
        .count();
    (total, linked)
}

/// A heading that is (mostly) a link: a teaser's title.
fn linked_heading(dom: &Dom, b: &Block, min_share: f64) -> bool {
    if b.kind != BlockKind::Heading {
        return false;
    }
    let (total, linked) = link_chars(dom, b);
    total > 0 && linked as f64 >= min_share * total as f64
}

/// Where the author bio box opened by `blocks[i]` ends (exclusive), when `blocks[i]` opens
/// one: the box runs to the next heading of the same or a higher rank and holds at most
/// `bio_max_words` words (a longer section under such a heading is a page of its own).
fn bio_end(rules: &SectionRules, blocks: &[Block], i: usize) -> Option<usize> {
    let level = rules.bio_level(&blocks[i])?;
    let mut end = i + 1;
    let mut words = 0;
    while end < blocks.len() {
        let b = &blocks[end];
        if b.kind == BlockKind::Heading && b.heading_level.unwrap_or(6) <= level {
            break;
        }
        words += super::super::text::word_count(&b.text);
        if words > rules.bio_max_words {
            return None;
        }
        end += 1;
    }
    (end > i + 1).then_some(end)
}

/// Splits `blocks` into the main text and the teaser sections (trigger included), in order;
/// author bio boxes are dropped (their count is the third value: their links are the
/// author's pages, not related reading).
pub fn split(
    dom: &Dom,
    rules: &SectionRules,
    blocks: Vec<Block>,
) -> (Vec<Block>, Vec<Block>, usize) {
    let mut drop = vec![false; blocks.len()];
    let mut bio = vec![false; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        if i > 0 {
            if let Some(end) = bio_end(rules, &blocks, i) {
                for d in bio.iter_mut().take(end).skip(i) {
                    *d = true;
                }
                i = end;
                continue;
            }
        }
        let Some(level) = rules.trigger_level(&blocks[i]) else {
            i += 1;
            continue;
        };
        // the section runs to the next heading of the same or a higher rank (under a paragraph
        // acting as a heading: to the next heading; a page's own lists of that kind are
        // measured per section, not across the teaser cards that follow)
        let mut end = i + 1;
        while end < blocks.len() && end - i <= rules.max_section_blocks {
            let b = &blocks[end];
            if b.kind == BlockKind::Heading && b.heading_level.unwrap_or(6) <= level {
                break;
            }
            end += 1;
        }
        let section = &blocks[i + 1..end];
        let (mut total, mut linked, mut titles) = (0usize, 0usize, 0usize);
        let (mut headings, mut longest) = (0usize, 0usize);
        for b in section {
            let (t, l) = link_chars(dom, b);
            total += t;
            linked += l;
            titles += usize::from(linked_heading(dom, b, rules.linked_heading_min_share));
            if b.kind == BlockKind::Heading {
                headings += 1;
            } else {
                longest = longest.max(super::super::text::word_count(&b.text));
            }
        }
        // cards: titled teasers whose excerpts are all short
        let cards =
            headings >= rules.min_card_headings.max(2) && longest <= rules.card_max_excerpt_words;
        let teaser = total > 0
            && (linked as f64 >= rules.min_link_share * total as f64
                || titles >= rules.min_linked_headings.max(1)
                || cards);
        if teaser {
            for d in drop.iter_mut().take(end).skip(i) {
                *d = true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let mut keep = Vec::with_capacity(blocks.len());
    let mut gone = Vec::new();
    let mut bios = 0;
    for ((b, d), bio) in blocks.into_iter().zip(drop).zip(bio) {
        if d {
            gone.push(b);
        } else if bio {
            bios += 1;
        } else {
            keep.push(b);
        }
    }
    (keep, gone, bios)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::InlineLink;
    use crate::settings::Rules;

    fn dom() -> Dom {
        crate::parse::parse("<p>x</p>", crate::parse::Frontend::Fast, Default::default()).unwrap()
    }

    fn rules() -> SectionRules {
        Rules::defaults().unwrap().content.sections
    }

    fn block(kind: BlockKind, level: Option<u8>, text: &str, linked: bool) -> Block {
        let end = text.chars().count();
        let links = if linked {
            vec![InlineLink {
                node: 0,
                start: 0,
                end,
            }]
        } else {
            Vec::new()
        };
        let mut b = Block::plain(kind, text.to_string(), links, 0);
        b.heading_level = level;
        b
    }

    fn p(text: &str) -> Block {
        block(BlockKind::Paragraph, None, text, false)
    }

    fn texts(v: &[Block]) -> Vec<&str> {
        v.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn linked_list_under_related_heading_goes() {
        let blocks = vec![
            p("The article's own text, long enough to be prose in any sense of the word."),
            block(BlockKind::Heading, Some(2), "Related posts", false),
            block(BlockKind::ListItem, None, "Ten ways to cook rice", true),
            block(BlockKind::ListItem, None, "Why bread rises", true),
            block(BlockKind::Heading, Some(2), "About the recipe", false),
            p("More prose that belongs to the page."),
        ];
        let (keep, gone, _) = split(&dom(), &rules(), blocks);
        assert_eq!(
            texts(&gone),
            ["Related posts", "Ten ways to cook rice", "Why bread rises"]
        );
        assert_eq!(keep.len(), 3);
    }

    #[test]
    fn teaser_titles_with_excerpts_go() {
        let blocks =
            vec![
            p("Body text of the page that stays where it is."),
            block(BlockKind::Heading, Some(2), "More from Jane Doe", false),
            block(BlockKind::Heading, Some(3), "How we tested the tents", true),
            p("A long excerpt of the other article that has no links at all in it, just words."),
            block(BlockKind::Heading, Some(3), "The best stoves of the year", true),
            p("Another excerpt of another article, again without any link in the text."),
        ];
        let (keep, gone, _) = split(&dom(), &rules(), blocks);
        assert_eq!(
            texts(&keep),
            ["Body text of the page that stays where it is."]
        );
        assert_eq!(gone.len(), 5);
    }

    #[test]
    fn prose_under_a_lookalike_heading_stays() {
        // "More" headings that introduce the page's own text (no links) are not teasers
        let blocks = vec![
            block(BlockKind::Heading, Some(2), "More cushioning", false),
            p("The heel holds more foam than last year's model, which testers noticed at once."),
            block(BlockKind::Heading, Some(2), "Related articles", false),
            p("Earlier studies measured the same effect in mice, see the table below."),
        ];
        let (keep, gone, _) = split(&dom(), &rules(), blocks);
        assert!(gone.is_empty());
        assert_eq!(keep.len(), 4);
    }

    #[test]
    fn cards_wrapped_in_one_link_count_as_links() {
        let d = crate::parse::parse(
            "<h2>Recent Articles</h2><a href=/a><p>Stopping a medication?</p></a>\
             <a href=/b><p>How we make memories</p></a>",
            crate::parse::Frontend::Fast,
            Default::default(),
        )
        .unwrap();
        let ps = d.find_all(d.root(), |n| d.is(n, name::P));
        assert_eq!(ps.len(), 2);
        let mut blocks = vec![block(BlockKind::Heading, Some(2), "Recent Articles", false)];
        for (i, &n) in ps.iter().enumerate() {
            let mut b = p(["Stopping a medication?", "How we make memories"][i]);
            b.node = n;
            blocks.push(b);
        }
        let (keep, gone, _) = split(&d, &rules(), blocks.clone());
        assert!(keep.is_empty());
        assert_eq!(gone.len(), 3);
        // the same blocks outside any link stay
        let (keep, _, _) = split(
            &dom(),
            &rules(),
            blocks
                .into_iter()
                .map(|mut b| {
                    b.node = 0;
                    b
                })
                .collect(),
        );
        assert_eq!(keep.len(), 3);
    }

    #[test]
    fn titled_cards_with_short_excerpts_go() {
        let blocks = vec![
            block(BlockKind::Heading, Some(2), "Related Reads", false),
            p("Knowledge Hub"),
            block(
                BlockKind::Heading,
                Some(3),
                "What is event scheduling?",
                false,
            ),
            p("Explore event scheduling solutions that simplify planning."),
            p("Knowledge Hub"),
            block(
                BlockKind::Heading,
                Some(3),
                "Hybrid event management",
                false,
            ),
            p("Explore hybrid event strategies to streamline planning."),
            block(BlockKind::Heading, Some(2), "Contact us", false),
        ];
        let (keep, gone, _) = split(&dom(), &rules(), blocks);
        assert_eq!(texts(&keep), ["Contact us"]);
        assert_eq!(gone.len(), 7);
    }

    #[test]
    fn unrelated_heading_is_not_a_trigger() {
        let blocks = vec![
            block(BlockKind::Heading, Some(2), "Ingredients", false),
            block(BlockKind::ListItem, None, "Flour", true),
            block(BlockKind::ListItem, None, "Water", true),
        ];
        let (keep, gone, _) = split(&dom(), &rules(), blocks);
        assert!(gone.is_empty());
        assert_eq!(keep.len(), 3);
    }

    #[test]
    fn short_author_bio_boxes_go_and_long_sections_stay() {
        let h = |t: &str, l: u8| block(BlockKind::Heading, Some(l), t, false);
        let body = "The study followed two thousand people for ten years.";
        let bio = "Jane Doe is a health writer who covers research on sleep.";
        let blocks = vec![
            p(body),
            h("About the Author", 3),
            p(bio),
            h("About the reviewer:", 3),
            p(bio),
            h("Next section", 2),
            p(body),
        ];
        let (keep, gone, bios) = split(&dom(), &rules(), blocks);
        assert_eq!(texts(&keep), [body, "Next section", body]);
        assert!(gone.is_empty(), "a bio is not related reading");
        assert_eq!(bios, 4);
        // a long section under such a heading is a page of its own; the first block never opens one
        let long = "word ".repeat(250);
        let blocks = vec![
            h("About the author", 2),
            p(body),
            h("About the author", 2),
            p(&long),
        ];
        let (keep, _, bios) = split(&dom(), &rules(), blocks);
        assert_eq!(keep.len(), 4);
        assert_eq!(bios, 0);
    }
}
