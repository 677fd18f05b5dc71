//! Streamed server rendering (React 18 Suspense): put each late segment where the browser puts it.
//!
//! Why it exists: pages rendered with streaming SSR (Next.js app router and others) send the
//! shell first, with a placeholder per pending part (`<template id="B:0">` followed by a fallback
//! such as "Loading…", or `<template id="P:0">`), and the real content later at the end of the
//! body in a hidden `<div hidden id="S:0">` that a script (`$RC("B:0","S:0")`, `$RS("S:0","P:0")`)
//! moves into place. A saved page keeps that layout: the content is hidden and far from its
//! place, and the container holds only the fallbacks. This module does the script's move on the
//! parsed tree, before extraction: the segment's children replace the fallback (up to the
//! `<!--/$-->` end marker, or the one short element after the template when a saver stripped the
//! comments), and the emptied hidden segment and the template go.

use crate::dom::{name, Dom, NodeId};

/// The suffix `x` of an id `prefix` + `x` (`S:1a` → `1a`).
fn suffix<'a>(id: &'a str, prefix: &str) -> Option<&'a str> {
    id.strip_prefix(prefix)
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Visible characters (whitespace not counted) under `n`, stopping past `limit`.
fn text_chars_upto(dom: &Dom, n: NodeId, limit: usize) -> usize {
    let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
    if dom.is_text(n) {
        return visible(dom.text(n));
    }
    let mut count = 0usize;
    for d in dom.descendants(n) {
        if dom.is_text(d) {
            count += visible(dom.text(d));
            if count > limit {
                break;
            }
        }
    }
    count
}

/// The nodes after a boundary template that the segment replaces: up to the matching `/$`
/// comment when the template follows a `$?`/`$!` comment (nested boundaries counted), else the
/// next element when it has at most `max_fallback_chars` visible characters. Returns the nodes
/// to remove and the node to insert before (`None`: append to the parent).
fn fallback(
    dom: &Dom,
    template: NodeId,
    max_fallback_chars: usize,
) -> (Vec<NodeId>, Option<NodeId>) {
    let mut remove = Vec::new();
    let marked = dom
        .prev_sibling(template)
        .is_some_and(|p| dom.is_comment(p) && matches!(dom.text(p), "$?" | "$!"));
    let mut cur = dom.next_sibling(template);
    if marked {
        let mut depth = 0usize;
        while let Some(c) = cur {
            if dom.is_comment(c) {
                match dom.text(c) {
                    "/$" if depth == 0 => return (remove, Some(c)),
                    "/$" => depth -= 1,
                    "$" | "$?" | "$!" => depth += 1,
                    _ => {}
                }
            }
            remove.push(c);
            cur = dom.next_sibling(c);
        }
        // no end marker: keep the page as it is rather than drop the rest of the parent
        return (Vec::new(), dom.next_sibling(template));
    }
    while let Some(c) = cur {
        if dom.is_text(c) && dom.text(c).trim().is_empty() {
            cur = dom.next_sibling(c);
            continue;
        }
        if dom.is_element(c)
            && !dom.is(c, name::TEMPLATE)
            && text_chars_upto(dom, c, max_fallback_chars) <= max_fallback_chars
        {
            remove.push(c);
            return (remove, dom.next_sibling(c));
        }
        break;
    }
    (remove, dom.next_sibling(template))
}

/// Moves every hidden streamed segment (`<div hidden id="S:x">`) into the place of its
/// template (`B:x` boundary, whose fallback goes, or `P:x` placeholder). Segments without a
/// template stay where they are (hidden). Returns the number of segments moved.
pub fn resolve(dom: &mut Dom, max_fallback_chars: usize) -> usize {
    if !dom.presence().has_tag(name::TEMPLATE) {
        return 0;
    }
    let mut segments: Vec<(NodeId, String)> = Vec::new();
    let mut templates: Vec<(String, NodeId)> = Vec::new();
    for n in dom.descendants(dom.root()) {
        let Some(id) = dom.id_attr(n) else { continue };
        if dom.is(n, name::TEMPLATE) {
            if id.starts_with("B:") || id.starts_with("P:") {
                templates.push((id.to_string(), n));
            }
        } else if dom.attr_by(n, name::HIDDEN).is_some() {
            if let Some(x) = suffix(id, "S:") {
                segments.push((n, x.to_string()));
            }
        }
    }
    templates.sort();
    let find = |key: &str| {
        templates
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| templates[i].1)
    };
    let mut moved = 0;
    for (seg, x) in segments {
        let (template, boundary) = match find(&format!("B:{x}")) {
            Some(t) => (t, true),
            None => match find(&format!("P:{x}")) {
                Some(t) => (t, false),
                None => continue,
            },
        };
        // a template inside its own segment would make a cycle
        if dom.parent(template).is_none() || dom.is_inclusive_ancestor(seg, template) {
            continue;
        }
        let (remove, before) = if boundary {
            fallback(dom, template, max_fallback_chars)
        } else {
            (Vec::new(), dom.next_sibling(template))
        };
        let Some(parent) = dom.parent(template) else {
            continue;
        };
        let children: Vec<NodeId> = dom.children(seg).collect();
        for c in children {
            match before {
                Some(b) => dom.insert_before(b, c),
                None => dom.append(parent, c),
            }
        }
        for r in remove {
            dom.detach(r);
        }
        dom.detach(template);
        dom.detach(seg);
        moved += 1;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};

    fn body_text(d: &Dom) -> String {
        crate::dom::collapse_ws(&d.text_content(d.body()))
    }

    #[test]
    fn boundary_with_markers_replaces_the_fallback() {
        for f in [Frontend::Html5ever, Frontend::Fast] {
            let mut d = parse(
                "<body><main><h1>T</h1><!--$?--><template id=\"B:0\"></template>\
                 <p>Loading…</p><!--/$--><p>tail</p></main>\
                 <div hidden id=\"S:0\"><p>Real one</p><p>Real two</p></div></body>",
                f,
                ParseLimits::default(),
            )
            .unwrap();
            assert_eq!(resolve(&mut d, 60), 1);
            assert_eq!(body_text(&d), "TReal oneReal twotail");
            let main = d.find(d.body(), |n| d.is(n, name::MAIN)).unwrap();
            assert!(d.find(main, |n| d.is(n, name::P)).is_some());
            assert!(d
                .find(d.body(), |n| d.attr_by(n, name::HIDDEN).is_some())
                .is_none());
        }
    }

    #[test]
    fn boundary_without_markers_drops_one_short_fallback() {
        let mut d = parse(
            "<body><div id=c><template id=\"B:0\"></template><div>Loading paragraph...</div>\
             <template id=\"B:1\"></template><div>A long paragraph that is already here and \
             is certainly not a loading placeholder of any kind at all.</div></div>\
             <div hidden id=\"S:0\"><p>First</p></div>\
             <div hidden id=\"S:1\"><p>Second</p></div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        assert_eq!(resolve(&mut d, 60), 2);
        let t = body_text(&d);
        assert!(t.starts_with("FirstSecondA long paragraph"), "{t}");
        assert!(!t.contains("Loading"));
    }

    #[test]
    fn placeholder_and_orphans() {
        let mut d = parse(
            "<body><div><template id=\"P:3\"></template>after</div>\
             <div hidden id=\"S:3\">moved</div><div hidden id=\"S:9\">orphan</div></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        assert_eq!(resolve(&mut d, 60), 1);
        let t = body_text(&d);
        assert!(t.starts_with("movedafter"), "{t}");
        // the orphan stays hidden where it was
        assert!(d.find(d.body(), |n| d.id_attr(n) == Some("S:9")).is_some());
    }

    #[test]
    fn pages_without_segments_are_untouched() {
        let mut d = parse(
            "<body><div hidden id=\"x\">a</div><template id=\"B:0\"></template></body>",
            Frontend::Html5ever,
            ParseLimits::default(),
        )
        .unwrap();
        assert_eq!(resolve(&mut d, 60), 0);
        assert_eq!(suffix("S:1a", "S:"), Some("1a"));
        assert_eq!(suffix("S:", "S:"), None);
        assert_eq!(suffix("S:a b", "S:"), None);
    }
}
