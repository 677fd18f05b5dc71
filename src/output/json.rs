//! Compact JSON encoding of table rows, byte for byte what `serde_json::to_writer` writes.
//!
//! Why it exists: rows are mostly long texts (article text, paragraphs, anchors, URLs) with
//! little or nothing to escape, and serde_json tests every byte against its escape table and
//! escapes every key again. Here a string is scanned 16 bytes at a time for a byte that needs
//! escaping and copied in runs; keys, numbers, booleans, `null`, options, lists and structs are
//! written directly. Values this encoder does not write itself (maps, enum variants with data,
//! tuples, byte strings — no table column has them) are handed to serde_json field by field, so
//! the bytes stay serde_json's in every case; floats always go through serde_json.

use serde::ser::{self, Serialize};

/// Appends the compact JSON of `value` to `out` (the bytes of `serde_json::to_writer`).
pub fn write<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let start = out.len();
    match value.serialize(Json { out: &mut *out }) {
        Ok(()) => Ok(()),
        Err(_) => {
            // an unsupported value at the top, or a serialisation error: serde_json decides
            out.truncate(start);
            let r = serde_json::to_writer(&mut *out, value);
            if r.is_err() {
                out.truncate(start);
            }
            r
        }
    }
}

/// Why this encoder did not write a value (the caller falls back to serde_json).
#[derive(Debug)]
pub struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported() -> Unsupported {
    Unsupported("left to serde_json".into())
}

/// True for the bytes serde_json escapes: control characters, `"` and `\`.
#[inline(always)]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// serde_json's escape of one byte that [`needs_escape`].
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

/// Appends `s` as a JSON string (quoted, escaped as serde_json does).
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    const LANES: usize = 16;
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    // `run` = start of the bytes not copied yet
    let mut run = 0usize;
    let mut base = 0usize;
    let mut chunks = b.chunks_exact(LANES);
    for chunk in &mut chunks {
        // no early exit per byte: the compiler vectorises the whole chunk test
        if chunk.iter().fold(false, |a, &c| a | needs_escape(c)) {
            escape_chunk(out, b, &mut run, base, chunk);
        }
        base += LANES;
    }
    // the tail (and every short string, e.g. keys) is tested as one padded chunk too
    let tail = chunks.remainder();
    let mut pad = [b'a'; LANES];
    pad[..tail.len()].copy_from_slice(tail);
    if pad.iter().fold(false, |a, &c| a | needs_escape(c)) {
        escape_chunk(out, b, &mut run, base, tail);
    }
    out.extend_from_slice(&b[run..]);
    out.push(b'"');
}

/// Copies the unescaped bytes of `b` before each byte of `chunk` (which starts at `base` in
/// `b`) that needs an escape, then the escape; `run` is the start of the bytes not copied yet.
fn escape_chunk(out: &mut Vec<u8>, b: &[u8], run: &mut usize, base: usize, chunk: &[u8]) {
    for (j, &c) in chunk.iter().enumerate() {
        if needs_escape(c) {
            let at = base + j;
            out.extend_from_slice(&b[*run..at]);
            push_escape(out, c);
            *run = at + 1;
        }
    }
}

/// The serializer: writes into `out`.
struct Json<'a> {
    out: &'a mut Vec<u8>,
}

/// A list or struct being written (`first` = no element written yet).
pub struct Compound<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

macro_rules! ints {
    ($($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), Unsupported> {
            self.out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for Json<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = ser::Impossible<(), Unsupported>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    ints!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_i128 i128, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_u128 u128);
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        serde_json::to_writer(&mut *self.out, &v).map_err(|e| Unsupported(e.to_string()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        serde_json::to_writer(&mut *self.out, &v).map_err(|e| Unsupported(e.to_string()))
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        let mut b = [0u8; 4];
        push_str(self.out, v.encode_utf8(&mut b));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        push_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(unsupported())
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(unsupported())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        self.out.push(b'[');
        Ok(Compound {
            out: self.out,
            first: true,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(unsupported())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(unsupported())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(unsupported())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(unsupported())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unsupported> {
        self.out.push(b'{');
        Ok(Compound {
            out: self.out,
            first: true,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(unsupported())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        v.serialize(Json {
            out: &mut *self.out,
        })
    }
    fn end(self) -> Result<(), Unsupported> {
        self.out.push(b']');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        push_str(self.out, key);
        self.out.push(b':');
        let at = self.out.len();
        if v.serialize(Json {
            out: &mut *self.out,
        })
        .is_err()
        {
            // a value written by serde_json (or its error, which ends the row)
            self.out.truncate(at);
            serde_json::to_writer(&mut *self.out, v).map_err(|e| Unsupported(e.to_string()))?;
        }
        Ok(())
    }
    fn end(self) -> Result<(), Unsupported> {
        self.out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Comment, ErrorRow, Link, PageRows, Paragraph};

    fn same<T: Serialize>(v: &T) {
        let want = serde_json::to_vec(v).unwrap();
        let mut got = b"prefix".to_vec();
        write(&mut got, v).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got[6..]),
            String::from_utf8_lossy(&want)
        );
    }

    /// Strings with every escaped byte at every position around the 16-byte chunk edges.
    fn nasty() -> Vec<String> {
        let mut v = vec![
            String::new(),
            "plain".into(),
            "é ü 中 \u{2028} \u{7f}".into(),
        ];
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '/', '\u{7f}'])
            .collect();
        for sp in specials {
            for at in [0usize, 1, 14, 15, 16, 17, 31, 32, 33, 40] {
                let mut s = "a".repeat(at);
                s.push(sp);
                s.push_str(&"é".repeat(at % 7));
                s.push(sp);
                v.push(s);
            }
        }
        v
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for s in nasty() {
            same(&s);
        }
        same(&'"');
        same(&'\u{1}');
    }

    #[test]
    fn rows_scalars_lists_and_fallbacks_match_serde_json() {
        let strings = nasty();
        let mut page = PageRows::default();
        for (i, s) in strings.iter().enumerate() {
            let a = Article {
                article_id: s.clone(),
                title: Some(s.clone()),
                authors: vec![s.clone(), "x".into()],
                language_score: [Some(0.1 + 0.2), Some(f64::NAN), None, Some(1e300)][i % 4],
                comment_count_declared: Some(-(i as i64)),
                char_count: i64::MAX,
                ..Article::default()
            };
            let p = Paragraph {
                text: s.clone(),
                list_ordered: Some(i % 2 == 0),
                heading_level: (i % 3 == 0).then_some(2),
                ..Paragraph::default()
            };
            let l = Link {
                anchor_text: s.clone(),
                rel: if i % 2 == 0 { vec![] } else { vec![s.clone()] },
                is_internal: Some(true),
                ..Link::default()
            };
            let c = Comment {
                text: s.clone(),
                flags: vec![s.clone(); i % 3],
                ..Comment::default()
            };
            let e = ErrorRow {
                detail: Some(s.clone()),
                ..ErrorRow::default()
            };
            same(&a);
            same(&p);
            same(&l);
            same(&c);
            same(&e);
            page.article = a;
            page.paragraphs.push(p);
            page.links.push(l);
            page.comments.push(c);
            page.warnings.push(e);
        }
        same(&page);
        same(&PageRows::default());
        same(&Vec::<String>::new());
        same(&(1u8, "x"));
        same(&Some(f32::INFINITY));
        same(&1.5f32);
        same(&u128::MAX);
        same(&i128::MIN);
        same(&());
    }

    #[test]
    fn values_left_to_serde_json_keep_its_bytes() {
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, String),
            Struct { a: String },
        }
        #[derive(serde::Serialize)]
        struct Mixed {
            a: String,
            map: std::collections::BTreeMap<String, Vec<i32>>,
            value: serde_json::Value,
            variants: Vec<E>,
            bytes: serde_bytes_like::Bytes,
            after: Option<String>,
        }
        mod serde_bytes_like {
            pub struct Bytes(pub Vec<u8>);
            impl serde::Serialize for Bytes {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(&self.0)
                }
            }
        }
        let m = Mixed {
            a: "a\"b".into(),
            map: [("k\n".to_string(), vec![1, -2])].into_iter().collect(),
            value: serde_json::json!({"z": [1, "x\u{1}"], "a": null}),
            variants: vec![
                E::Unit,
                E::New(3),
                E::Tuple(1, "t".into()),
                E::Struct { a: "s".into() },
            ],
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            after: Some("end".into()),
        };
        same(&m);
        same(&E::Unit);
        same(&E::New(1));
        same(&serde_json::json!({"x": 1}));
        // a map with a non-string key: serde_json's error, not partial output
        let bad: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 2)].into_iter().collect();
        let mut out = b"keep".to_vec();
        assert!(write(&mut out, &bad).is_err());
        assert!(serde_json::to_vec(&bad).is_err());
    }
}
