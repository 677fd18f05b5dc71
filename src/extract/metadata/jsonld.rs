//! JSON-LD: every `script[type="application/ld+json"]`, parsed leniently, flattened, with `@id`
//! references resolvable, and the page's main node chosen (SCHEMA §6.3).
//!
//! Why it exists: JSON-LD is the most reliable metadata a page carries, but in the wild it is
//! often broken (trailing commas, raw newlines inside strings, `\'` escapes, several objects in
//! one script) and Yoast-style `@graph`s scatter one article over nodes linked by `@id`. A
//! strict parser would lose the very pages where the rest of the markup is weakest, so repairs
//! are tried first and a regex rescue (as trafilatura's `extract_json_parse_error`) last.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::dom::{name, Dom};

/// Deepest JSON nesting walked when collecting nodes (serde_json refuses deeper input anyway).
const MAX_WALK_DEPTH: usize = 128;

/// All JSON-LD of a page.
#[derive(Clone, Debug, Default)]
pub struct JsonLd {
    /// Top-level nodes: script roots, array items and `@graph` members, in document order.
    pub top: Vec<Value>,
    /// Every object met anywhere that has an `@type` (top-level and nested), in walk order.
    pub typed: Vec<Value>,
    /// `@id` → index into `typed` (first definition with more than the `@id` wins).
    ids: BTreeMap<String, usize>,
    /// True when at least one script could only be read by the regex rescue.
    pub recovered: bool,
}

/// The texts of every JSON-LD script of the page, in document order.
pub fn scripts(dom: &Dom) -> Vec<String> {
    let mut out = Vec::new();
    for n in dom.descendants(dom.root()) {
        if !dom.is(n, name::SCRIPT) {
            continue;
        }
        let is_ld = dom.attr_by(n, name::TYPE).is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        });
        if !is_ld {
            continue;
        }
        let mut text = String::new();
        for c in dom.children(n) {
            text.push_str(dom.text(c));
        }
        out.push(text);
    }
    out
}

/// Parses and indexes the JSON-LD of a page.
pub fn collect(dom: &Dom) -> JsonLd {
    let mut ld = JsonLd::default();
    for text in scripts(dom) {
        let (values, recovered) = parse_lenient(&text);
        ld.recovered |= recovered;
        for v in values {
            flatten_into(v, &mut ld.top);
        }
    }
    ld.index();
    ld
}

/// Parses one script's text: strict, then repaired, then a regex rescue of the key fields.
/// Returns the values and whether the rescue was needed.
pub fn parse_lenient(text: &str) -> (Vec<Value>, bool) {
    let t = strip_wrappers(text);
    if t.is_empty() {
        return (Vec::new(), false);
    }
    if let Some(v) = parse_stream(t) {
        return (v, false);
    }
    let repaired = repair(t);
    if let Some(v) = parse_stream(&repaired) {
        return (v, false);
    }
    match rescue(t) {
        Some(v) => (vec![v], true),
        None => (Vec::new(), false),
    }
}

/// Removes HTML comment / CDATA wrappers and trailing semicolons around the JSON.
fn strip_wrappers(text: &str) -> &str {
    let mut t = text.trim().trim_start_matches('\u{feff}').trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("//<![CDATA[", "//]]>"),
        ("<![CDATA[", "]]>"),
    ] {
        if let Some(rest) = t.strip_prefix(open) {
            t = rest.trim();
            if let Some(rest) = t.strip_suffix(close) {
                t = rest.trim();
            }
        }
    }
    t.trim_end_matches(';').trim()
}

/// Parses one or several concatenated JSON values; None when any of them is broken.
fn parse_stream(t: &str) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    for v in serde_json::Deserializer::from_str(t).into_iter::<Value>() {
        out.push(v.ok()?);
    }
    Some(out)
}

/// Repairs the common breakages in one string-aware pass: control characters inside strings
/// become spaces, invalid escapes (`\'`) lose their backslash, trailing commas before `}`/`]`
/// are dropped, and objects written one after another with a comma between them become a
/// stream.
pub fn repair(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut in_string = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            match c {
                '\\' => {
                    let next = chars.get(i + 1).copied();
                    match next {
                        Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u') => {
                            out.push('\\');
                            if let Some(n) = next {
                                out.push(n);
                            }
                            i += 2;
                            continue;
                        }
                        Some(n) if (n as u32) < 0x20 => {
                            out.push(' ');
                            i += 2;
                            continue;
                        }
                        Some(n) => {
                            out.push(n);
                            i += 2;
                            continue;
                        }
                        None => {}
                    }
                }
                '"' => in_string = false,
                c if (c as u32) < 0x20 => {
                    out.push(' ');
                    i += 1;
                    continue;
                }
                _ => {}
            }
            out.push(c);
        } else {
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                ',' => {
                    let mut j = i + 1;
                    while j < chars.len() && chars[j].is_whitespace() {
                        j += 1;
                    }
                    match chars.get(j) {
                        // trailing comma: drop it
                        Some('}' | ']') | None => {}
                        // `{…},{…}` at the top level: a stream, not a syntax error
                        Some('{') if out.trim_end().ends_with('}') && depth_of(&out) == 0 => {
                            out.push(' ')
                        }
                        _ => out.push(','),
                    }
                }
                c if (c as u32) < 0x20 => out.push(' '),
                _ => out.push(c),
            }
        }
        i += 1;
    }
    if in_string {
        out.push('"');
    }
    out
}

/// Bracket depth at the end of `s` (strings skipped), for the top-level stream repair.
fn depth_of(s: &str) -> i64 {
    let mut depth = 0i64;
    let mut in_string = false;
    let mut escape = false;
    for c in s.chars() {
        if in_string {
            if escape {
                escape = false;
            } else if c == '\\' {
                escape = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    depth
}

static RESCUE_TYPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""@type"\s*:\s*"([A-Za-z]+)""#).ok());
static RESCUE_FIELD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#""(headline|datePublished|dateModified|description|inLanguage|articleSection|keywords|url)"\s*:\s*"((?:[^"\\]|\\.)*)""#).ok()
});
static RESCUE_AUTHOR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#""author"\s*:\s*(?:\[\s*)?\{[^{}]*?"name"\s*:\s*"((?:[^"\\]|\\.)*)""#).ok()
});

/// Regex rescue of a script no repair could read: the article type, headline, dates and first
/// author name become one synthetic node (trafilatura does the same).
fn rescue(t: &str) -> Option<Value> {
    let mut node = Map::new();
    let ty = RESCUE_TYPE.as_ref().and_then(|re| {
        re.captures_iter(t)
            .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
            .find(|s| s.to_ascii_lowercase().contains("article") || s.ends_with("Posting"))
    });
    if let Some(ty) = ty {
        node.insert("@type".into(), Value::from(ty));
    }
    if let Some(re) = RESCUE_FIELD.as_ref() {
        for c in re.captures_iter(t) {
            if let (Some(k), Some(v)) = (c.get(1), c.get(2)) {
                if !node.contains_key(k.as_str()) {
                    node.insert(k.as_str().into(), Value::from(unescape(v.as_str())));
                }
            }
        }
    }
    if let Some(name) = RESCUE_AUTHOR
        .as_ref()
        .and_then(|re| re.captures(t))
        .and_then(|c| c.get(1))
    {
        let mut a = Map::new();
        a.insert("@type".into(), Value::from("Person"));
        a.insert("name".into(), Value::from(unescape(name.as_str())));
        node.insert("author".into(), Value::Object(a));
    }
    let useful = node.keys().any(|k| k != "@type");
    (useful && node.contains_key("@type")).then_some(Value::Object(node))
}

/// Unescapes a JSON string body as well as it can.
fn unescape(s: &str) -> String {
    serde_json::from_str::<String>(&format!("\"{s}\"")).unwrap_or_else(|_| s.replace("\\\"", "\""))
}

/// Pushes a parsed root as top-level nodes: arrays are spread, `@graph` members lifted (the
/// wrapper itself is kept when it has a type of its own).
fn flatten_into(v: Value, out: &mut Vec<Value>) {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Value::Array(items) if depth < 4 => {
                for it in items.into_iter().rev() {
                    stack.push((it, depth + 1));
                }
            }
            Value::Object(mut o) if depth < 4 => {
                if let Some(g) = o.remove("@graph") {
                    if o.contains_key("@type") {
                        out.push(Value::Object(o));
                    }
                    stack.push((g, depth + 1));
                } else {
                    out.push(Value::Object(o));
                }
            }
            Value::Object(o) => out.push(Value::Object(o)),
            _ => {}
        }
    }
}

impl JsonLd {
    /// Collects every typed object (nested ones too) and the `@id` index.
    fn index(&mut self) {
        let mut typed = Vec::new();
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        for top in &self.top {
            let mut stack: Vec<(&Value, usize)> = vec![(top, 0)];
            while let Some((v, depth)) = stack.pop() {
                if depth > MAX_WALK_DEPTH {
                    continue;
                }
                match v {
                    Value::Object(o) => {
                        let defines = o.keys().any(|k| k != "@id");
                        if o.contains_key("@type") || (defines && o.contains_key("@id")) {
                            let idx = typed.len();
                            typed.push(v.clone());
                            if let Some(id) = o.get("@id").and_then(Value::as_str) {
                                if defines {
                                    ids.entry(id.to_string()).or_insert(idx);
                                }
                            }
                        }
                        // reverse so that children are visited in document order
                        let children: Vec<&Value> = o.values().collect();
                        for c in children.into_iter().rev() {
                            if c.is_object() || c.is_array() {
                                stack.push((c, depth + 1));
                            }
                        }
                    }
                    Value::Array(a) => {
                        for c in a.iter().rev() {
                            stack.push((c, depth + 1));
                        }
                    }
                    _ => {}
                }
            }
        }
        self.typed = typed;
        self.ids = ids;
    }

    /// Follows an `@id` reference (`{"@id": "…"}` with nothing else) to its definition.
    pub fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        if let Value::Object(o) = v {
            if o.keys().all(|k| k == "@id" || k == "@type") {
                if let Some(node) = o
                    .get("@id")
                    .and_then(Value::as_str)
                    .and_then(|id| self.ids.get(id))
                    .and_then(|&i| self.typed.get(i))
                {
                    return node;
                }
            }
        }
        v
    }

    /// The value at a dotted property path from `node`; references are resolved at each step
    /// and the first item of an array is taken for intermediate steps.
    pub fn get<'a>(&'a self, node: &'a Value, path: &str) -> Option<&'a Value> {
        let mut cur = self.resolve(node);
        let mut parts = path.split('.').peekable();
        while let Some(p) = parts.next() {
            let obj = match cur {
                Value::Array(a) => self.resolve(a.first()?).as_object()?,
                v => v.as_object()?,
            };
            let next = obj.get(p)?;
            cur = if parts.peek().is_some() {
                self.resolve(next)
            } else {
                next
            };
        }
        (!is_empty(cur)).then_some(cur)
    }

    /// The first typed node whose `@type` includes `ty` (lowercase).
    pub fn first_of_type(&self, ty: &str) -> Option<&Value> {
        self.typed.iter().find(|n| types(n).iter().any(|t| t == ty))
    }

    /// Chooses the main node: an article-family node (preferring the one whose `url`,
    /// `mainEntityOfPage` or `@id` is the canonical URL, then top-level ones, then ones with a
    /// headline), else a node of `other` types. Returns the node and its main type.
    pub fn main_node(
        &self,
        article_types: &[String],
        other: &[String],
        canonical_key: Option<&str>,
    ) -> Option<(&Value, String)> {
        for family in [article_types, other] {
            let mut best: Option<(i32, usize, String)> = None;
            for (i, n) in self.typed.iter().enumerate() {
                let ts = types(n);
                let Some(t) = ts.iter().find(|t| family.contains(t)) else {
                    continue;
                };
                let mut score = 0;
                if canonical_key.is_some()
                    && self
                        .node_url_keys(n)
                        .iter()
                        .any(|k| Some(k.as_str()) == canonical_key)
                {
                    score += 4;
                }
                if self.top.iter().any(|top| top == n) {
                    score += 2;
                }
                if n.get("headline").is_some_and(|h| !is_empty(h)) {
                    score += 1;
                }
                if best.as_ref().map_or(true, |(s, _, _)| score > *s) {
                    best = Some((score, i, t.clone()));
                }
            }
            if let Some((_, i, t)) = best {
                return self.typed.get(i).map(|n| (n, t));
            }
        }
        None
    }

    /// `url_key`s of a node's `url`, `mainEntityOfPage` and `@id` (fragment dropped).
    fn node_url_keys(&self, n: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for k in ["url", "mainEntityOfPage", "@id"] {
            let Some(v) = n.get(k) else { continue };
            let s = match v {
                Value::String(s) => Some(s.as_str()),
                Value::Object(o) => o
                    .get("@id")
                    .or_else(|| o.get("url"))
                    .and_then(Value::as_str),
                _ => None,
            };
            if let Some(key) = s
                .and_then(|s| url::Url::parse(s.trim()).ok())
                .and_then(|u| crate::urlnorm::url_key(&u))
            {
                out.push(key);
            }
        }
        out
    }
}

/// Lowercased `@type` values of a node (`schema:` / `https://schema.org/` prefixes removed).
pub fn types(n: &Value) -> Vec<String> {
    let one = |s: &str| {
        let s = s.trim();
        let s = s.rsplit(['/', ':']).next().unwrap_or(s);
        s.to_ascii_lowercase()
    };
    match n.get("@type") {
        Some(Value::String(s)) => vec![one(s)],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(one).collect(),
        _ => Vec::new(),
    }
}

/// True for null, empty strings, arrays and objects.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Frontend, ParseLimits};
    use serde_json::json;

    fn ld(html: &str) -> JsonLd {
        collect(&parse(html, Frontend::Html5ever, ParseLimits::default()).unwrap())
    }

    fn types_of(l: &[String]) -> Vec<String> {
        l.to_vec()
    }

    #[test]
    fn repairs_trailing_commas_control_chars_and_bad_escapes() {
        let broken = "{\"@type\":\"NewsArticle\",\"headline\":\"Line one\nline two \\'quoted\\'\",\"keywords\":[\"a\",\"b\",],}";
        let (v, rescued) = parse_lenient(broken);
        assert!(!rescued);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0]["headline"], json!("Line one line two 'quoted'"));
        assert_eq!(v[0]["keywords"], json!(["a", "b"]));
    }

    #[test]
    fn reads_comment_wrapped_and_concatenated_objects() {
        let (v, _) =
            parse_lenient("<!-- {\"@type\":\"Person\",\"name\":\"A\"} {\"@type\":\"Thing\"} -->");
        assert_eq!(v.len(), 2);
        let (v, _) = parse_lenient("{\"@type\":\"A\"},\n{\"@type\":\"B\"};");
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn rescues_hopeless_json_with_regexes() {
        let t = r#"{"@type": "NewsArticle", "headline": "Big "news" today", "datePublished": "2020-01-02", "author": {"@type":"Person","name":"Jane Roe"}"#;
        let (v, rescued) = parse_lenient(t);
        assert!(rescued);
        assert_eq!(v[0]["@type"], json!("NewsArticle"));
        assert_eq!(v[0]["datePublished"], json!("2020-01-02"));
        assert_eq!(v[0]["author"]["name"], json!("Jane Roe"));
        assert!(parse_lenient("not json at all").0.is_empty());
    }

    #[test]
    fn graph_is_flattened_and_ids_resolve() {
        let l = ld(
            r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"Organization","@id":"#org","name":"Daily"},
            {"@type":"Person","@id":"#p1","name":"Ann Lee"},
            {"@type":"BlogPosting","headline":"H","author":{"@id":"#p1"},"publisher":{"@id":"#org"}}]}</script>"##,
        );
        assert_eq!(l.top.len(), 3);
        let (main, t) = l
            .main_node(&types_of(&["blogposting".into()]), &[], None)
            .unwrap();
        assert_eq!(t, "blogposting");
        assert_eq!(l.get(main, "author.name"), Some(&json!("Ann Lee")));
        assert_eq!(l.get(main, "publisher.name"), Some(&json!("Daily")));
        assert!(l.get(main, "nope").is_none());
    }

    #[test]
    fn main_node_prefers_the_canonical_url() {
        let l = ld(r#"<script type="application/ld+json">[
            {"@type":"NewsArticle","headline":"Other","url":"https://x.com/other"},
            {"@type":"NewsArticle","headline":"Mine","mainEntityOfPage":{"@id":"https://x.com/mine/"}}]</script>
            <script type="application/ld+json">{"@type":"Product","name":"P"}</script>"#);
        let arts = vec!["newsarticle".to_string()];
        let (m, _) = l.main_node(&arts, &[], Some("x.com/mine")).unwrap();
        assert_eq!(m["headline"], json!("Mine"));
        let (m, _) = l.main_node(&arts, &[], None).unwrap();
        assert_eq!(m["headline"], json!("Other"));
        let (m, t) = l.main_node(&[], &["product".to_string()], None).unwrap();
        assert_eq!((m["name"].clone(), t.as_str()), (json!("P"), "product"));
    }

    #[test]
    fn types_strip_prefixes_and_lowercase() {
        assert_eq!(
            types(&json!({"@type": ["schema:NewsArticle", "http://schema.org/Thing"]})),
            vec!["newsarticle", "thing"]
        );
        assert!(types(&json!({})).is_empty());
    }
}
