//! html5ever front end: a `TreeSink` that builds the arena DOM directly.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, parse_document, Attribute, ParseOpts, QualName};

use super::{ParseError, ParseLimits};
use crate::dom::{Dom, NodeId};

/// A handle: the node id plus its qualified name (html5ever asks for names by reference).
#[derive(Clone, Debug)]
pub struct Handle {
    id: NodeId,
    qn: QualName,
}

struct Sink {
    dom: RefCell<Dom>,
    depth: RefCell<Vec<u32>>,
    templates: RefCell<HashMap<NodeId, NodeId>>,
    limits: ParseLimits,
    aborted: Cell<Option<ParseError>>,
    empty_name: QualName,
}

impl Sink {
    fn handle(&self, id: NodeId) -> Handle {
        Handle {
            id,
            qn: self.empty_name.clone(),
        }
    }

    fn set_depth(&self, child: NodeId, parent: NodeId) {
        let mut depth = self.depth.borrow_mut();
        let d = depth.get(parent as usize).copied().unwrap_or(0) + 1;
        if depth.len() <= child as usize {
            depth.resize(child as usize + 1, 0);
        }
        depth[child as usize] = d;
        if d as usize > self.limits.max_depth {
            self.abort(ParseError::TooDeep {
                max: self.limits.max_depth,
            });
        }
    }

    fn abort(&self, e: ParseError) {
        let prev = self.aborted.take();
        self.aborted.set(prev.or(Some(e)));
    }

    fn is_aborted(&self) -> bool {
        let v = self.aborted.take();
        let r = v.is_some();
        self.aborted.set(v);
        r
    }

    fn append_node_or_text(&self, parent: NodeId, child: NodeOrText<Handle>) {
        if self.is_aborted() {
            return;
        }
        let mut dom = self.dom.borrow_mut();
        match child {
            NodeOrText::AppendNode(h) => {
                dom.append(parent, h.id);
                drop(dom);
                self.set_depth(h.id, parent);
            }
            NodeOrText::AppendText(t) => dom.append_text(parent, &t),
        }
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.handle(0)
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        &target.qn
    }

    fn create_element(&self, qn: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let mut dom = self.dom.borrow_mut();
        if dom.len() >= self.limits.max_nodes {
            drop(dom);
            self.abort(ParseError::TooManyNodes {
                max: self.limits.max_nodes,
            });
            return self.handle(0);
        }
        let foreign = qn.ns != ns!(html);
        let name = dom.intern(&qn.local);
        let interned: Vec<_> = attrs
            .iter()
            .map(|a| (dom.intern(&a.name.local), &*a.value))
            .collect();
        let id = dom.create_element(name, interned, foreign);
        if flags.template {
            let frag = dom.create_fragment();
            self.templates.borrow_mut().insert(id, frag);
        }
        Handle { id, qn }
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        let id = self.dom.borrow_mut().create_comment(&text);
        self.handle(id)
    }

    fn create_pi(&self, _target: StrTendril, data: StrTendril) -> Handle {
        let id = self.dom.borrow_mut().create_comment(&data);
        self.handle(id)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.append_node_or_text(parent.id, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = self.dom.borrow().parent(element.id).is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let id = self
            .templates
            .borrow()
            .get(&target.id)
            .copied()
            .unwrap_or(target.id);
        self.handle(id)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        if self.is_aborted() {
            return;
        }
        let mut dom = self.dom.borrow_mut();
        match new_node {
            NodeOrText::AppendNode(h) => {
                dom.insert_before(sibling.id, h.id);
                let parent = dom.parent(sibling.id);
                drop(dom);
                if let Some(p) = parent {
                    self.set_depth(h.id, p);
                }
            }
            NodeOrText::AppendText(t) => dom.insert_text_before(sibling.id, &t),
        }
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut dom = self.dom.borrow_mut();
        let interned: Vec<_> = attrs
            .iter()
            .map(|a| (dom.intern(&a.name.local), a.value.to_string()))
            .collect();
        dom.add_attrs_if_missing(target.id, interned.iter().map(|(n, v)| (*n, v.as_str())));
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.dom.borrow_mut().detach(target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.dom
            .borrow_mut()
            .reparent_children(node.id, new_parent.id);
    }
}

/// Feed size: small enough that an abort (depth limit) stops the work early.
const CHUNK_BYTES: usize = 32 * 1024;

pub(super) fn parse(html: &str, limits: ParseLimits) -> Result<Dom, ParseError> {
    let sink = Sink {
        dom: RefCell::new(Dom::with_capacity(html.len())),
        depth: RefCell::new(Vec::new()),
        templates: RefCell::new(HashMap::new()),
        limits,
        aborted: Cell::new(None),
        empty_name: QualName::new(None, ns!(), local_name!("")),
    };
    let mut opts = ParseOpts::default();
    opts.tree_builder.scripting_enabled = false;
    opts.tree_builder.drop_doctype = true;
    let mut parser = parse_document(sink, opts);
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        rest = tail;
        if parser.tokenizer.sink.sink.is_aborted() {
            break;
        }
    }
    let sink = parser.finish();
    if let Some(e) = sink.aborted.take() {
        return Err(e);
    }
    Ok(sink.dom.into_inner())
}
