//! Segmentation (SCHEMA §6.4): walk the main container in document order and cut it into
//! [`Block`]s of the kinds of §5.1.
//!
//! Why it exists: paragraphs are the unit users chunk, deduplicate and filter by, so block
//! boundaries must follow the page's own structure: `p`, headings, list items (with order and
//! depth), quotes, code (whitespace kept), captions and data tables (layout tables are
//! unwrapped), plus runs of loose text in `div`s split at `<br><br>`. Inline elements stay
//! inside their block and every `<a>` keeps its code-point span in the block text.
//!
//! The walk is an explicit stack (pages can nest 1,500 deep), and chrome found inside the
//! container (share bars, forms, hidden parts) is skipped and counted.

use super::stats::{is_block_tag, Stats};
use super::ContentRules;
use crate::dom::{self, name, Dom, NodeId};
use crate::extract::text::CpCursor;
use crate::extract::{Block, BlockKind, InlineLink};

/// Text being collected for one block, with link spans as byte offsets.
#[derive(Default)]
struct Run {
    text: String,
    links: Vec<(NodeId, usize, usize)>,
    pending_br: u8,
}

impl Run {
    fn push_text(&mut self, t: &str) {
        if t.trim_matches(dom::is_ws).is_empty() {
            if !t.is_empty() && !self.text.is_empty() && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
            return;
        }
        self.pending_br = 0;
        if glued_words(&self.text, t) {
            self.text.push(' ');
        }
        crate::dom::push_collapsed(&mut self.text, t);
    }

    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    fn is_blank(&self) -> bool {
        crate::extract::text::is_invisible(&self.text)
    }

    /// Trims the text and turns byte spans into code-point [`InlineLink`]s.
    fn finish(self) -> (String, Vec<InlineLink>) {
        let lead = self.text.len() - self.text.trim_start().len();
        let text = self.text.trim().to_string();
        let mut links = Vec::new();
        let mut cp = CpCursor::new(&text);
        for (node, s, e) in self.links {
            let mut s = s.saturating_sub(lead).min(text.len());
            let mut e = e.saturating_sub(lead).min(text.len());
            let bytes = text.as_bytes();
            while s < e && bytes[s] == b' ' {
                s += 1;
            }
            while e > s && bytes[e - 1] == b' ' {
                e -= 1;
            }
            if s < e && text.is_char_boundary(s) && text.is_char_boundary(e) {
                links.push(InlineLink {
                    node,
                    start: cp.at(s),
                    end: cp.at(e),
                });
            }
        }
        (text, links)
    }
}

/// List context of a frame.
#[derive(Clone, Copy)]
struct ListCx {
    list: NodeId,
    ordered: bool,
    depth: u32,
}

/// One element being walked: its next child and the loose text collected so far.
struct Frame {
    node: NodeId,
    next: Option<NodeId>,
    run: Run,
    /// Kind given to loose-text runs of this frame.
    kind: BlockKind,
    /// Innermost enclosing list.
    list: Option<ListCx>,
    /// Number of enclosing lists (depth of a list opened here).
    list_depth: u32,
}

/// The segmenter: container, stats and rules, and what it produced.
pub struct Segmenter<'a> {
    dom: &'a Dom,
    st: &'a Stats,
    rules: &'a ContentRules,
    protect_chars: f64,
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// Chrome elements with text skipped inside the container.
    pub dropped: usize,
    /// Quotations to skip (earlier posts quoted in a forum post).
    pub drop_quotes: Option<&'a crate::select::Selector>,
}

impl<'a> Segmenter<'a> {
    /// A segmenter for `container`.
    pub fn new(dom: &'a Dom, st: &'a Stats, rules: &'a ContentRules, container: NodeId) -> Self {
        let protect_chars = f64::from(st.text[container as usize]) * rules.boiler.protect_share;
        Segmenter {
            dom,
            st,
            rules,
            protect_chars,
            blocks: Vec::new(),
            dropped: 0,
            drop_quotes: None,
        }
    }

    /// True when the element must be skipped (never rendered, excluded, or chrome small enough
    /// not to be the content itself).
    fn skip(&mut self, n: NodeId) -> bool {
        if self.st.dead.contains(n) {
            return true;
        }
        if self.drop_quotes.is_some_and(|q| q.matches(self.dom, n)) {
            return true;
        }
        if self.st.chrome.contains(n)
            && (self.st.absolute.contains(n)
                || f64::from(self.st.text[n as usize]) < self.protect_chars)
        {
            if self.st.text[n as usize] > 0 {
                self.dropped += 1;
            }
            return true;
        }
        false
    }

    fn push_block(&mut self, kind: BlockKind, run: Run, node: NodeId, list: Option<ListCx>) {
        if run.is_blank() {
            return;
        }
        let (text, links) = run.finish();
        let is_item = kind == BlockKind::ListItem;
        self.blocks.push(Block {
            kind,
            text,
            heading_level: None,
            list_ordered: if is_item {
                list.map(|l| l.ordered)
            } else {
                None
            },
            list_depth: if is_item { list.map(|l| l.depth) } else { None },
            links,
            node,
            list: if is_item { list.map(|l| l.list) } else { None },
        });
    }

    /// Appends the inline text of `n` (and everything under it) to `run`. Block elements inside
    /// become spaces; `skip_lists` leaves nested lists out (they become their own items).
    fn flatten(&mut self, n: NodeId, run: &mut Run, skip_lists: bool) {
        if self.dom.is(n, name::A) {
            let start = run.text.len();
            self.flatten_in(n, run, skip_lists, true);
            run.links.push((n, start, run.text.len()));
        } else {
            self.flatten_in(n, run, skip_lists, false);
        }
    }

    /// [`Segmenter::flatten`]; an `<a>` met outside a link is flattened by one nested call (links
    /// do not nest in parsed HTML, so the nesting is at most two calls deep) to record its span.
    fn flatten_in(&mut self, n: NodeId, run: &mut Run, skip_lists: bool, in_link: bool) {
        let dom = self.dom;
        if dom.is_text(n) {
            run.push_text(dom.text(n));
            return;
        }
        let mut it = dom.descendants(n);
        while let Some(c) = it.next() {
            if dom.is_text(c) {
                run.push_text(dom.text(c));
                continue;
            }
            let Some(t) = dom.tag(c) else { continue };
            if c == n {
                continue;
            }
            if self.skip(c) {
                it.skip_subtree(c);
                continue;
            }
            if skip_lists && matches!(t, name::UL | name::OL | name::DL | name::MENU) {
                it.skip_subtree(c);
                continue;
            }
            match t {
                name::BR | name::HR => run.space(),
                name::A if !in_link => {
                    let start = run.text.len();
                    self.flatten_in(c, run, skip_lists, true);
                    run.links.push((c, start, run.text.len()));
                    it.skip_subtree(c);
                }
                _ if is_block_tag(t) => run.space(),
                _ => {}
            }
        }
    }

    fn heading_level(t: dom::Name) -> Option<u8> {
        match t {
            name::H1 => Some(1),
            name::H2 => Some(2),
            name::H3 => Some(3),
            name::H4 => Some(4),
            name::H5 => Some(5),
            name::H6 => Some(6),
            _ => None,
        }
    }

    fn is_caption(&self, n: NodeId, t: dom::Name) -> bool {
        t == name::FIGCAPTION
            || t == name::CAPTION
            || self
                .dom
                .classes(n)
                .any(|c| c == "wp-caption-text" || c == "wp-element-caption")
    }

    /// True when a list item is a card or section (headings, several paragraphs, tables)
    /// rather than one line: it is then walked as a container.
    fn is_heavy_item(&self, li: NodeId) -> bool {
        let dom = self.dom;
        let mut paras = 0;
        let mut it = dom.descendants(li);
        while let Some(c) = it.next() {
            match dom.tag(c) {
                Some(name::UL | name::OL | name::DL) if c != li => it.skip_subtree(c),
                Some(
                    name::H1
                    | name::H2
                    | name::H3
                    | name::H4
                    | name::H5
                    | name::H6
                    | name::TABLE
                    | name::PRE
                    | name::BLOCKQUOTE,
                ) => return true,
                Some(name::P) => {
                    paras += 1;
                    if paras >= 2 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Data table: `table_min_rows` rows and `table_min_cols` columns, no nested table, and
    /// cells of table size (not page sections).
    fn table_rows(&self, table: NodeId) -> Option<Vec<Vec<NodeId>>> {
        let dom = self.dom;
        let mut rows = Vec::new();
        let mut cells_total = 0usize;
        for c in dom.descendants(table) {
            match dom.tag(c) {
                Some(name::TABLE) if c != table => return None,
                Some(name::TR) => {
                    let cells: Vec<NodeId> = dom
                        .element_children(c)
                        .filter(|&x| dom.is(x, name::TD) || dom.is(x, name::TH))
                        .filter(|&x| !self.st.dead.contains(x))
                        .collect();
                    cells_total += cells.len();
                    rows.push(cells);
                }
                _ => {}
            }
        }
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        if rows.len() < self.rules.table_min_rows || cols < self.rules.table_min_cols {
            return None;
        }
        let text = self.st.text[table as usize] as usize;
        if cells_total == 0 || text / cells_total > self.rules.table_max_cell_chars {
            return None;
        }
        Some(rows)
    }

    fn emit_table(&mut self, table: NodeId, rows: Vec<Vec<NodeId>>) {
        let mut out = Run::default();
        for row in rows {
            let mut line = Run::default();
            let mut first = true;
            for cell in row {
                let mut c = Run::default();
                self.flatten(cell, &mut c, false);
                let (t, links) = c.finish();
                if !first {
                    line.text.push('\t');
                }
                first = false;
                let base = line.text.len();
                for l in links {
                    let s = base + byte_of_cp(&t, l.start);
                    let e = base + byte_of_cp(&t, l.end);
                    line.links.push((l.node, s, e));
                }
                line.text.push_str(&t);
            }
            if line.text.trim().is_empty() {
                continue;
            }
            if !out.text.is_empty() {
                out.text.push('\n');
            }
            let base = out.text.len();
            out.links.extend(
                line.links
                    .into_iter()
                    .map(|(n, s, e)| (n, s + base, e + base)),
            );
            out.text.push_str(&line.text);
        }
        if out.text.trim().is_empty() {
            return;
        }
        // cells are already collapsed; keep the tabs and newlines, trim the ends only
        let lead = out.text.len() - out.text.trim_start().len();
        let text = out.text.trim().to_string();
        let mut cp = CpCursor::new(&text);
        let links = out
            .links
            .into_iter()
            .filter_map(|(node, s, e)| {
                let s = s.checked_sub(lead)?.min(text.len());
                let e = e.checked_sub(lead)?.min(text.len());
                (s < e && text.is_char_boundary(s) && text.is_char_boundary(e)).then(|| {
                    InlineLink {
                        node,
                        start: cp.at(s),
                        end: cp.at(e),
                    }
                })
            })
            .collect();
        self.blocks
            .push(Block::plain(BlockKind::Table, text, links, table));
    }

    fn code_text(&self, pre: NodeId) -> String {
        let mut s = String::new();
        let mut it = self.dom.descendants(pre);
        while let Some(c) = it.next() {
            if self.dom.is_text(c) {
                s.push_str(self.dom.text(c));
            } else if self.st.dead.contains(c) {
                it.skip_subtree(c);
            } else if self.dom.is(c, name::BR) {
                s.push('\n');
            }
        }
        let s = s.trim_end().trim_start_matches(['\n', '\r']);
        s.to_string()
    }

    /// Walks `container` and appends its blocks.
    pub fn run(&mut self, container: NodeId) {
        let dom = self.dom;
        let mut stack: Vec<Frame> = vec![Frame {
            node: container,
            next: dom.first_child(container),
            run: Run::default(),
            kind: BlockKind::Paragraph,
            list: None,
            list_depth: 0,
        }];
        while let Some(top) = stack.last_mut() {
            let Some(c) = top.next else {
                let f = stack.pop();
                if let Some(f) = f {
                    self.push_block(f.kind, f.run, f.node, f.list);
                }
                continue;
            };
            top.next = dom.next_sibling(c);
            if dom.is_text(c) {
                if top.run.pending_br >= 2 && !dom.text(c).trim_matches(dom::is_ws).is_empty() {
                    let run = std::mem::take(&mut top.run);
                    let (kind, node, list) = (top.kind, top.node, top.list);
                    self.push_block(kind, run, node, list);
                    continue_text(stack.last_mut(), dom.text(c));
                } else {
                    if top.run.pending_br == 1 {
                        top.run.space();
                    }
                    top.run.push_text(dom.text(c));
                }
                continue;
            }
            let Some(t) = dom.tag(c) else { continue };
            if self.skip(c) {
                continue;
            }
            if t == name::BR {
                top.run.pending_br = top.run.pending_br.saturating_add(1);
                top.run.space();
                continue;
            }
            let inline = !is_block_tag(t) && !self.st.has_block.contains(c);
            if inline {
                let Some(top) = stack.last_mut() else { break };
                let mut run = std::mem::take(&mut top.run);
                if run.pending_br >= 2 && self.st.text[c as usize] > 0 {
                    let (kind, node, list) = (top.kind, top.node, top.list);
                    self.push_block(kind, run, node, list);
                    run = Run::default();
                }
                if run.pending_br == 1 {
                    run.space();
                }
                self.flatten(c, &mut run, false);
                if self.st.text[c as usize] > 0 {
                    run.pending_br = 0;
                }
                if let Some(top) = stack.last_mut() {
                    top.run = run;
                }
                continue;
            }
            // a block element: the loose text so far is one block
            let (fkind, fnode, flist, fdepth) = {
                let Some(top) = stack.last_mut() else { break };
                let run = std::mem::take(&mut top.run);
                let r = (top.kind, top.node, top.list, top.list_depth);
                self.push_block(r.0, run, r.1, r.2);
                r
            };
            let _ = (fkind, fnode);
            if let Some(level) = Self::heading_level(t) {
                let mut run = Run::default();
                self.flatten(c, &mut run, false);
                let before = self.blocks.len();
                self.push_block(BlockKind::Heading, run, c, None);
                if let Some(b) = self.blocks.get_mut(before) {
                    b.heading_level = Some(level);
                }
                continue;
            }
            if self.is_caption(c, t) {
                let mut run = Run::default();
                self.flatten(c, &mut run, false);
                self.push_block(BlockKind::Caption, run, c, None);
                continue;
            }
            match t {
                name::P if !self.st.has_block.contains(c) => {
                    let mut run = Run::default();
                    self.flatten(c, &mut run, false);
                    self.push_block(BlockKind::Paragraph, run, c, None);
                }
                name::PRE => {
                    let text = self.code_text(c);
                    if !text.trim().is_empty() {
                        self.blocks
                            .push(Block::plain(BlockKind::Code, text, Vec::new(), c));
                    }
                }
                name::BLOCKQUOTE => {
                    let mut run = Run::default();
                    self.flatten(c, &mut run, false);
                    self.push_block(BlockKind::Quote, run, c, None);
                }
                name::TABLE => match self.table_rows(c) {
                    Some(rows) => {
                        // a data table's caption comes first
                        if let Some(cap) =
                            dom.element_children(c).find(|&x| dom.is(x, name::CAPTION))
                        {
                            let mut run = Run::default();
                            self.flatten(cap, &mut run, false);
                            self.push_block(BlockKind::Caption, run, cap, None);
                        }
                        self.emit_table(c, rows);
                    }
                    None => stack.push(Frame {
                        node: c,
                        next: dom.first_child(c),
                        run: Run::default(),
                        kind: BlockKind::Paragraph,
                        list: flist,
                        list_depth: fdepth,
                    }),
                },
                name::UL | name::OL | name::MENU | name::DL => {
                    stack.push(Frame {
                        node: c,
                        next: dom.first_child(c),
                        run: Run::default(),
                        kind: BlockKind::ListItem,
                        list: Some(ListCx {
                            list: c,
                            ordered: t == name::OL,
                            depth: fdepth,
                        }),
                        list_depth: fdepth + 1,
                    });
                }
                name::LI | name::DT | name::DD if !self.is_heavy_item(c) => {
                    let list = flist.or(Some(ListCx {
                        list: dom.parent(c).unwrap_or(c),
                        ordered: false,
                        depth: fdepth,
                    }));
                    let mut run = Run::default();
                    self.flatten(c, &mut run, true);
                    self.push_block(BlockKind::ListItem, run, c, list);
                    // nested lists follow their item, one level deeper
                    let nested = nested_lists(dom, c);
                    for &l in nested.iter().rev() {
                        if self.skip(l) {
                            continue;
                        }
                        stack.push(Frame {
                            node: l,
                            next: dom.first_child(l),
                            run: Run::default(),
                            kind: BlockKind::ListItem,
                            list: Some(ListCx {
                                list: l,
                                ordered: dom.is(l, name::OL),
                                depth: fdepth,
                            }),
                            list_depth: fdepth + 1,
                        });
                    }
                }
                _ => {
                    let kind = if matches!(t, name::LI | name::DT | name::DD)
                        || (flist.is_some() && matches!(fkind, BlockKind::ListItem))
                    {
                        BlockKind::ListItem
                    } else {
                        BlockKind::Paragraph
                    };
                    stack.push(Frame {
                        node: c,
                        next: dom.first_child(c),
                        run: Run::default(),
                        kind,
                        list: flist,
                        list_depth: fdepth,
                    });
                }
            }
        }
    }
}

/// Lists directly nested in a list item (not inside another nested list).
fn nested_lists(dom: &Dom, li: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut it = dom.descendants(li);
    while let Some(c) = it.next() {
        if c != li
            && matches!(
                dom.tag(c),
                Some(name::UL | name::OL | name::DL | name::MENU)
            )
        {
            out.push(c);
            it.skip_subtree(c);
        }
    }
    out
}

/// True when the text `next` written right after `prev` would glue two words that the page
/// keeps in separate elements (`<span>La Sportiva</span><span>Aragon</span>`, a brand and a
/// product name laid out as separate lines by the style sheet): `prev` ends with a lowercase
/// letter and `next` starts with an uppercase one. Authors never glue a word across elements
/// on purpose, so such a boundary is a line break of the rendered page.
fn glued_words(prev: &str, next: &str) -> bool {
    prev.chars().next_back().is_some_and(char::is_lowercase)
        && next.chars().next().is_some_and(char::is_uppercase)
}

fn continue_text(top: Option<&mut Frame>, t: &str) {
    if let Some(top) = top {
        top.run.push_text(t);
    }
}

fn byte_of_cp(s: &str, cp: usize) -> usize {
    s.char_indices().nth(cp).map_or(s.len(), |(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    #[test]
    fn glued_words_only_at_a_case_change() {
        assert!(glued_words("La Sportiva", "Aragon Climbing"));
        assert!(glued_words("Top Rated", "La Sportiva"));
        assert!(!glued_words("La Sportiva", " Aragon"));
        assert!(!glued_words("Save 25%", "Compared"));
        assert!(!glued_words("Java", "script"));
        assert!(!glued_words("", "Upper"));
        assert!(!glued_words("ABC", "Def"));
    }

    fn item_text(html: &str) -> Vec<String> {
        let d = parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap();
        let rules = crate::settings::Rules::defaults().unwrap().content;
        let st = Stats::compute(&d, &rules.boiler, &crate::dom::NodeSet::for_dom(&d), false);
        let mut seg = Segmenter::new(&d, &st, &rules, d.body());
        seg.run(d.body());
        seg.blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn separate_elements_do_not_glue_words() {
        let t = item_text(
            "<body><ul><li><a href=/p><span>La Sportiva</span><span>Aragon Shoes</span></a>\
             <span> compared to </span><!-- c --><span>$129</span></li>\
             <li>Para <b>bold</b>ly <i>x</i>Y</li></ul></body>",
        );
        assert_eq!(
            t,
            vec![
                "La Sportiva Aragon Shoes compared to $129".to_string(),
                "Para boldly x Y".to_string(),
            ]
        );
    }

    #[test]
    fn paragraphs_holding_only_invisible_characters_are_no_blocks() {
        let t =
            item_text("<body><p>&zwj;</p><p> &#8203; </p><p>Kept text.</p><li>&zwj;</li></body>");
        assert_eq!(t, ["Kept text."]);
    }
}
