//! Accordion triggers: the button that is a heading's whole text.
//!
//! Why it exists: the WAI-ARIA accordion pattern wraps each folded section's title in a button
//! inside a heading (`<h3><button aria-expanded=false>How long does setup take?</button></h3>`,
//! then the panel). Buttons are controls and are dropped as boilerplate, so the answers of an
//! FAQ or the sections of a feature page lost their questions and titles while the panels
//! themselves are read. A button that carries all of its heading's text is that heading's
//! title, not a control: it is read like the heading around it.

use super::stats::Stats;
use crate::dom::{name, Dom, NodeId};

/// Buttons under `root` that are chrome (not dead, not named widgets), sit inside a heading
/// (`h1`–`h6`) whose whole visible text they hold, and have between one and `max_words` words
/// (0 = the rule is off). The caller reads them like text.
pub fn heading_buttons(dom: &Dom, st: &Stats, root: NodeId, max_words: usize) -> Vec<NodeId> {
    if max_words == 0 || !dom.presence().has_tag(name::BUTTON) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut it = dom.descendants(root);
    while let Some(n) = it.next() {
        if st.dead.contains(n) {
            it.skip_subtree(n);
            continue;
        }
        if !dom.is(n, name::BUTTON) {
            continue;
        }
        it.skip_subtree(n);
        if !st.chrome.contains(n) || st.absolute.contains(n) {
            continue;
        }
        if is_heading_title(dom, n, max_words) {
            out.push(n);
        }
    }
    out
}

/// True when the button `b` holds the whole visible text of its nearest heading ancestor and
/// that text has between one and `max_words` words.
fn is_heading_title(dom: &Dom, b: NodeId, max_words: usize) -> bool {
    let Some(h) = dom.ancestors(b).find(|&a| {
        matches!(
            dom.tag(a),
            Some(name::H1 | name::H2 | name::H3 | name::H4 | name::H5 | name::H6)
        )
    }) else {
        return false;
    };
    let text = dom.text_content(b);
    let words = text.split_whitespace().count();
    words >= 1 && words <= max_words && dom.text_content(h) == text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    #[test]
    fn a_button_that_is_its_headings_text_is_a_title() {
        let dom = parse(
            "<body><h3 id=h1><button id=q1 aria-expanded=false><span>How long does setup take?\
             </span></button></h3><div><p>About a week.</p></div>\
             <h3>Pricing <button id=b2>Show</button></h3>\
             <div><button id=b3>Subscribe now</button></div>\
             <h2><button id=b4>one two three four five six</button></h2>\
             <h4><button id=b5> </button></h4></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        let st = Stats::with_default_rules(&dom);
        let found = heading_buttons(&dom, &st, dom.body(), 5);
        let ids: Vec<_> = found.iter().map(|&n| dom.id_attr(n)).collect();
        // the lone title is found; a button beside other heading text, a button outside a
        // heading, a title over the word limit and an empty button are not
        assert_eq!(ids, vec![Some("q1")]);
        assert!(heading_buttons(&dom, &st, dom.body(), 0).is_empty());
        assert_eq!(heading_buttons(&dom, &st, dom.body(), 6).len(), 2);
    }
}
