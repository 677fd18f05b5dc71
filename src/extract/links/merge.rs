//! Duplicate anchors inside one block become one row; block members get their rank.
//!
//! Why it exists: a related item is usually two anchors to one URL (thumbnail, then title);
//! SCHEMA §4.4 wants one row with the title's text and `has_image = true`, and
//! `block_position` is the rank among the block's distinct targets.

use std::collections::HashMap;

use super::FastBuild;

use crate::dom::NodeId;
use crate::extract::LinkDraft;

/// The block instance a link belongs to (merging and ranking happen inside one instance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// A found block (group index of its run).
    Block(usize),
    /// A chrome container element.
    Chrome(NodeId),
    /// An inline read-more line.
    ReadMore(usize),
    /// Bare `rel=prev|next` links of the page.
    Rel,
}

/// A classified link before merging.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The row draft.
    pub draft: LinkDraft,
    /// Its block instance, if grouped.
    pub group: Option<Group>,
    /// Takes a `block_position`.
    pub ranked: bool,
    /// The anchor text is a title (not an image's alt, not "Read more").
    pub title_text: bool,
}

/// Folds `dup` (same block, target and kind) into `kept`: the first title text wins over
/// image alts and "Read more" labels; `has_image` and `rel` accumulate.
pub fn merge_into(kept: &mut Pending, dup: Pending) {
    let take_text = !kept.title_text && (dup.title_text || kept.draft.anchor_text.is_empty());
    let (k, d) = (&mut kept.draft, dup.draft);
    if take_text && !d.anchor_text.is_empty() {
        k.anchor_text = d.anchor_text;
        kept.title_text = dup.title_text;
    }
    if d.title_attr.is_some() && (take_text || k.title_attr.is_none()) {
        k.title_attr = d.title_attr;
    }
    k.has_image |= d.has_image;
    for r in d.rel {
        if !k.rel.contains(&r) {
            k.rel.push(r);
        }
    }
}

/// Merges duplicates inside each group (document order kept: a merged row sits where its
/// first anchor was) and numbers ranked rows per group.
pub fn merge_and_rank(pending: Vec<Pending>) -> Vec<LinkDraft> {
    // first pass: the first row of each (group, url, kind), keyed by borrowed strings
    let mut first_of: Vec<usize> = Vec::with_capacity(pending.len());
    {
        let mut seen: HashMap<(Group, &str, &str), usize, FastBuild> = HashMap::default();
        for (i, p) in pending.iter().enumerate() {
            first_of.push(match p.group {
                Some(g) => *seen
                    .entry((g, p.draft.url.as_str(), p.draft.kind.as_str()))
                    .or_insert(i),
                None => i,
            });
        }
    }
    // second pass: rows move into place; a duplicate folds into its first row
    let mut out: Vec<Pending> = Vec::with_capacity(pending.len());
    let mut slot: Vec<usize> = vec![usize::MAX; pending.len()];
    for (i, p) in pending.into_iter().enumerate() {
        let first = first_of.get(i).copied().unwrap_or(i);
        if first != i {
            if let Some(kept) = slot.get(first).and_then(|&k| out.get_mut(k)) {
                merge_into(kept, p);
                continue;
            }
        }
        if let Some(s) = slot.get_mut(i) {
            *s = out.len();
        }
        out.push(p);
    }
    let mut rank: HashMap<Group, i64, FastBuild> = HashMap::default();
    out.into_iter()
        .map(|mut p| {
            if let (true, Some(g)) = (p.ranked, p.group) {
                let c = rank.entry(g).or_insert(0);
                p.draft.block_position = Some(*c);
                *c += 1;
            }
            p.draft
        })
        .collect()
}

/// The straightforward version of [`merge_and_rank`] (owned keys), kept as the reference the
/// tests compare it with.
#[cfg(test)]
fn merge_and_rank_reference(pending: Vec<Pending>) -> Vec<LinkDraft> {
    let mut out: Vec<Pending> = Vec::with_capacity(pending.len());
    let mut seen: HashMap<(Group, String, String), usize> = HashMap::new();
    for p in pending {
        if let Some(g) = p.group {
            let key = (g, p.draft.url.clone(), p.draft.kind.clone());
            if let Some(&i) = seen.get(&key) {
                merge_into(&mut out[i], p);
                continue;
            }
            seen.insert(key, out.len());
        }
        out.push(p);
    }
    let mut rank: HashMap<Group, i64> = HashMap::new();
    out.into_iter()
        .map(|mut p| {
            if let (true, Some(g)) = (p.ranked, p.group) {
                let c = rank.entry(g).or_insert(0);
                p.draft.block_position = Some(*c);
                *c += 1;
            }
            p.draft
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(url: &str, text: &str, img: bool) -> Pending {
        Pending {
            draft: LinkDraft {
                url: url.into(),
                anchor_text: text.into(),
                has_image: img,
                kind: "related".into(),
                ..LinkDraft::default()
            },
            group: Some(Group::Block(0)),
            ranked: true,
            title_text: !img && !text.is_empty() && text != "Read more",
        }
    }

    #[test]
    fn thumbnail_and_title_become_one_ranked_row() {
        let out = merge_and_rank(vec![
            d("https://a.com/x", "Thumb alt", true),
            d("https://a.com/x", "The X story", false),
            d("https://a.com/y", "The Y story", false),
            d("https://a.com/y", "", true),
            d("https://a.com/y", "Read more", false),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].anchor_text, "The X story");
        assert!(out[0].has_image);
        assert_eq!(out[0].block_position, Some(0));
        assert_eq!(out[1].anchor_text, "The Y story");
        assert!(out[1].has_image);
        assert_eq!(out[1].block_position, Some(1));
    }

    #[test]
    fn merge_agrees_with_the_reference() {
        let groups = [
            None,
            Some(Group::Block(0)),
            Some(Group::Block(1)),
            Some(Group::Chrome(7)),
            Some(Group::ReadMore(0)),
            Some(Group::Rel),
        ];
        let urls = ["https://a.com/x", "https://a.com/y", "https://b.com/x"];
        let texts = ["", "Thumb", "Title", "Read more"];
        let kinds = ["related", "navigation"];
        // a deterministic pseudo-random mix of rows (xorshift)
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for _ in 0..200 {
            let rows: Vec<Pending> = (0..next(12))
                .map(|_| {
                    let text = texts[next(texts.len())];
                    let img = next(2) == 0;
                    let mut p = d(urls[next(urls.len())], text, img);
                    p.draft.kind = kinds[next(kinds.len())].into();
                    p.group = groups[next(groups.len())];
                    p.ranked = next(3) > 0;
                    if next(2) == 0 {
                        p.draft.rel = vec![["nofollow", "next", "tag"][next(3)].into()];
                    }
                    if next(3) == 0 {
                        p.draft.title_attr = Some(format!("t{}", next(3)));
                    }
                    p
                })
                .collect();
            assert_eq!(merge_and_rank(rows.clone()), merge_and_rank_reference(rows));
        }
    }

    #[test]
    fn different_groups_are_not_merged() {
        let mut b = d("https://a.com/x", "X", false);
        b.group = Some(Group::Block(1));
        let out = merge_and_rank(vec![d("https://a.com/x", "X", false), b]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].block_position, Some(0));
    }
}
