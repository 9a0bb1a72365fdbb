//! Strict JSON, as SPS parses it.
//!
//! The fast path is serde_json (with a duplicate-key check): most files are clean and must cost
//! no more than a parse. Only when it fails do we parse again with jsonc-parser, which knows the
//! exact range of every token, to say what is wrong and where.

use std::cell::Cell;
use std::fmt;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::codes;
use crate::diagnostic::{Diagnostic, Edit, Fix, join_pointer};
use crate::text::LineIndex;

/// This deep is refused. SPS bodies are a handful of levels deep; serde_json's own recursion
/// limit refuses a 128th level of nesting, and a recursive parser must never be allowed to
/// overflow the stack.
pub const MAX_DEPTH: usize = 128;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The result of reading one file as strict JSON.
pub struct Parsed<'a> {
    /// The text, when the bytes were UTF-8 (the BOM, if any, included).
    pub text: Option<&'a str>,
    /// Where the JSON starts in `text`: 3 after a byte-order mark, else 0.
    pub offset: usize,
    /// The document, when it parsed (duplicate keys keep the last value, as SPS does).
    pub value: Option<Value>,
    /// Syntax findings. Their spans are already resolved.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse(bytes: &[u8]) -> Parsed<'_> {
    let mut diagnostics = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // Locate the first bad byte within the valid prefix.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let index = LineIndex::new(valid);
            let span = index.span(valid, valid.len(), valid.len());
            diagnostics.push(
                Diagnostic::new(
                    &codes::INVALID_UTF8,
                    "",
                    format!(
                        "the file is not valid UTF-8: byte 0x{:02X} at offset {} cannot start or continue a character",
                        bytes[e.valid_up_to()],
                        e.valid_up_to()
                    ),
                )
                .with_help("SPS reads request bodies as UTF-8: save the file as UTF-8 (it may be a binary file, or Latin-1/UTF-16 text)")
                .at_span(span),
            );
            return Parsed {
                text: None,
                offset: 0,
                value: None,
                diagnostics,
            };
        }
    };
    let mut offset = 0;
    if bytes.starts_with(UTF8_BOM) {
        offset = UTF8_BOM.len();
        let index = LineIndex::new(text);
        diagnostics.push(
            Diagnostic::new(
                &codes::BYTE_ORDER_MARK,
                "",
                "the file starts with a UTF-8 byte-order mark, which is not JSON",
            )
            .with_help("save the file as UTF-8 without BOM")
            .with_fix(Fix {
                description: "remove the byte-order mark".into(),
                edits: vec![Edit {
                    start: 0,
                    end: offset,
                    replacement: String::new(),
                }],
            })
            .at_span(index.span(text, 0, offset)),
        );
    }
    let json = &text[offset..];
    if json.trim().is_empty() {
        let index = LineIndex::new(text);
        diagnostics.push(
            Diagnostic::new(
                &codes::EMPTY_FILE,
                "",
                "the file is empty: a request body is a JSON object",
            )
            .with_help("write the endpoint's JSON object, or remove the file")
            .at_span(index.span(text, offset, text.len())),
        );
        return Parsed {
            text: Some(text),
            offset,
            value: None,
            diagnostics,
        };
    }
    match fast_parse(json) {
        Ok((value, false)) => finish(text, offset, value, diagnostics),
        Ok((value, true)) => {
            diagnostics.extend(duplicate_keys(text, offset));
            finish(text, offset, value, diagnostics)
        }
        Err(err) => {
            diagnostics.extend(explain_syntax_error(text, offset, &err));
            Parsed {
                text: Some(text),
                offset,
                value: None,
                diagnostics,
            }
        }
    }
}

fn finish<'a>(
    text: &'a str,
    offset: usize,
    value: Value,
    diagnostics: Vec<Diagnostic>,
) -> Parsed<'a> {
    // A top level that is not an object is judged once the endpoint is known (see
    // `not_an_object`): a few endpoints take a string or a list.
    Parsed {
        text: Some(text),
        offset,
        value: Some(value),
        diagnostics,
    }
}

/// The finding for a top level that is not an object, where the endpoint (or the lack of one)
/// asks for an object.
pub fn not_an_object(value: &Value) -> Diagnostic {
    Diagnostic::new(
        &codes::NOT_AN_OBJECT,
        "",
        format!(
            "the top level is {}: a request body is a JSON object",
            json_type(value)
        ),
    )
    .with_help("wrap the settings in the endpoint's object: { \"key\": value, ... }")
}

/// "an array", "a string", ... for messages.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json into a `Value`, noting whether any object repeated a key.
/// From `&str`: the text is known to be UTF-8 already, and serde_json checks it again when given
/// bytes.
fn fast_parse(json: &str) -> Result<(Value, bool), serde_json::Error> {
    let dup = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(json);
    let value = StrictValue(&dup).deserialize(&mut de)?;
    de.end()?;
    Ok((value, dup.get()))
}

/// Builds a `Value` exactly like serde_json's own, but records a repeated key instead of
/// silently keeping the last one.
struct StrictValue<'a>(&'a Cell<bool>);

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(StrictValue(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let v = map.next_value_seed(StrictValue(self.0))?;
            if out.insert(key, v).is_some() {
                self.0.set(true);
            }
        }
        Ok(Value::Object(out))
    }
}

fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parse `text[offset..]` strictly into an AST with ranges relative to `text[offset..]`.
pub fn parse_ast(json: &str) -> Option<ast::Value<'_>> {
    parse_to_ast(json, &CollectOptions::default(), &strict_options())
        .ok()
        .and_then(|r| r.value)
}

/// serde_json refused the text: find every comment and the first other problem, with ranges.
fn explain_syntax_error(text: &str, offset: usize, err: &serde_json::Error) -> Vec<Diagnostic> {
    let json = &text[offset..];
    let index = LineIndex::new(text);
    let at = |start: usize, end: usize| index.span(text, offset + start, offset + end);
    let mut out = Vec::new();

    // Pass 1: anything goes but the structure, to collect every comment.
    let lenient = ParseOptions::default();
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Separate,
        tokens: false,
    };
    match parse_to_ast(json, &collect, &lenient) {
        Err(e) => {
            out.push(from_parse_error(
                e.kind(),
                e.range().start,
                e.range().end,
                &at,
            ));
            return out;
        }
        Ok(result) => {
            let mut comments: Vec<(usize, usize)> = result
                .comments
                .iter()
                .flat_map(|m| m.values())
                .flat_map(|v| v.iter())
                .map(|c| (c.start(), c.end()))
                .collect();
            comments.sort_unstable();
            comments.dedup();
            for (s, e) in comments {
                out.push(
                    Diagnostic::new(&codes::COMMENT, "", "comments are not allowed in JSON: SPS refuses the body")
                        .with_help("remove the comment; to document a setting, keep notes in a README or the commit message")
                        .at_span(at(s, e)),
                );
            }
        }
    }

    // Pass 2: strict but for comments, which pass 1 reported already.
    let options = ParseOptions {
        allow_comments: true,
        ..strict_options()
    };
    match parse_to_ast(json, &CollectOptions::default(), &options) {
        Err(e) => {
            let r = e.range();
            let word = json
                .get(r.start..r.end)
                .unwrap_or_default()
                .trim_start_matches(['-', '+']);
            let kind = match e.kind() {
                // jsonc-parser sees a bare NaN or Infinity as an unknown word.
                ParseErrorKind::UnexpectedWord | ParseErrorKind::UnexpectedToken
                    if matches!(word, "NaN" | "Infinity") =>
                {
                    &ParseErrorKind::NonFiniteNumbersNotAllowed
                }
                k => k,
            };
            out.push(from_parse_error(kind, r.start, r.end, &at))
        }
        Ok(result) if out.is_empty() => {
            // jsonc-parser accepts what serde_json refused: nesting past our limit, or an
            // escape serde_json rejects (a lone surrogate).
            if let Some(value) = result.value
                && let Some((pointer, s, e)) = too_deep(&value, String::new(), 0)
            {
                out.push(
                    Diagnostic::new(
                        &codes::TOO_DEEP,
                        pointer,
                        format!("the document is nested {MAX_DEPTH} levels deep or more"),
                    )
                    .with_help("SPS request bodies are only a few levels deep: check for a generated or corrupted file")
                    .at_span(at(s, e)),
                );
            } else {
                let (line, column) = (err.line(), err.column());
                let start = index.offset_of(text, line, column);
                out.push(
                    Diagnostic::new(
                        &codes::INVALID_JSON,
                        "",
                        format!("invalid JSON: {}", strip_position(err)),
                    )
                    .with_help("fix the syntax at this position")
                    .at_span(index.span(text, start, start)),
                );
            }
        }
        Ok(_) => {}
    }
    out
}

/// The first container at the `MAX_DEPTH`th level (the top level is the first: `depth` counts
/// from 0), where serde_json stopped, with its pointer and range.
fn too_deep(
    value: &ast::Value<'_>,
    pointer: String,
    depth: usize,
) -> Option<(String, usize, usize)> {
    let container = matches!(value, ast::Value::Object(_) | ast::Value::Array(_));
    if container && depth + 1 >= MAX_DEPTH {
        let r = value.range();
        return Some((pointer, r.start, r.end));
    }
    match value {
        ast::Value::Object(o) => o
            .properties
            .iter()
            .find_map(|p| too_deep(&p.value, join_pointer(&pointer, p.name.as_str()), depth + 1)),
        ast::Value::Array(a) => a
            .elements
            .iter()
            .enumerate()
            .find_map(|(i, v)| too_deep(v, format!("{pointer}/{i}"), depth + 1)),
        _ => None,
    }
}

fn strip_position(err: &serde_json::Error) -> String {
    let s = err.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn from_parse_error(
    kind: &ParseErrorKind,
    start: usize,
    end: usize,
    at: &dyn Fn(usize, usize) -> crate::diagnostic::Span,
) -> Diagnostic {
    let (code, message, help) = match kind {
        ParseErrorKind::CommentsNotAllowed => (
            &codes::COMMENT,
            "comments are not allowed in JSON: SPS refuses the body".to_string(),
            "remove the comment",
        ),
        ParseErrorKind::TrailingCommasNotAllowed => (
            &codes::TRAILING_COMMA,
            "trailing comma: JSON allows no comma after the last item".to_string(),
            "remove the comma",
        ),
        ParseErrorKind::NonFiniteNumbersNotAllowed => (
            &codes::NON_FINITE_NUMBER,
            "NaN and Infinity are not JSON numbers".to_string(),
            "use a finite number, or null where the setting allows it",
        ),
        ParseErrorKind::NestingDepthExceeded => (
            &codes::TOO_DEEP,
            format!("the document is nested more than {MAX_DEPTH} levels deep"),
            "SPS request bodies are only a few levels deep: check for a generated or corrupted file",
        ),
        ParseErrorKind::SingleQuotedStringsNotAllowed => (
            &codes::INVALID_JSON,
            "strings must be in double quotes".to_string(),
            "replace the single quotes with double quotes",
        ),
        ParseErrorKind::ExpectedStringObjectProperty => (
            &codes::INVALID_JSON,
            "object keys must be strings in double quotes".to_string(),
            "quote the key: \"key\": value",
        ),
        ParseErrorKind::ExpectedComma => (
            &codes::INVALID_JSON,
            "a comma is missing between two items".to_string(),
            "add a comma after the previous item",
        ),
        other => (
            &codes::INVALID_JSON,
            format!("invalid JSON: {}", lowercase_first(&other.to_string())),
            "fix the syntax at this position",
        ),
    };
    Diagnostic::new(code, "", message)
        .with_help(help)
        .at_span(at(start, end))
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Every repeated key, reported at its first occurrence: SPS keeps the last value, so the
/// first one is what gets lost.
fn duplicate_keys(text: &str, offset: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(value) = parse_ast(&text[offset..]) else {
        return out;
    };
    let index = LineIndex::new(text);
    let mut stack = vec![(&value, String::new())];
    while let Some((v, pointer)) = stack.pop() {
        match v {
            ast::Value::Object(o) => {
                for (i, p) in o.properties.iter().enumerate() {
                    let name = p.name.as_str();
                    let child = join_pointer(&pointer, name);
                    if let Some(later) = o.properties[i + 1..]
                        .iter()
                        .find(|q| q.name.as_str() == name)
                        && !o.properties[..i].iter().any(|q| q.name.as_str() == name)
                    {
                        let r = p.name.range();
                        let later_line = index
                            .span(text, offset + later.name.start(), offset + later.name.end())
                            .line;
                        out.push(
                            Diagnostic::at_key(
                                &codes::DUPLICATE_KEY,
                                child.clone(),
                                format!("key \"{name}\" appears more than once in this object (again on line {later_line}); SPS keeps only the last value, so this one is lost"),
                            )
                            .with_help("keep one of them: delete the copy you do not want")
                            .at_span(index.span(text, offset + r.start, offset + r.end)),
                        );
                    }
                    stack.push((&p.value, child));
                }
            }
            ast::Value::Array(a) => {
                for (i, e) in a.elements.iter().enumerate() {
                    stack.push((e, format!("{pointer}/{i}")));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(src: &str) -> Vec<(&'static str, usize, usize)> {
        let p = parse(src.as_bytes());
        p.diagnostics
            .iter()
            .map(|d| {
                let s = d.span.unwrap();
                (d.code, s.line, s.column)
            })
            .collect()
    }

    #[test]
    fn clean_object_parses_without_findings() {
        let p = parse(br#"{"a": [1, 2.5, "x", null, true]}"#);
        assert!(p.diagnostics.is_empty());
        assert_eq!(p.value.unwrap()["a"][2], "x");
    }

    #[test]
    fn each_non_strict_construct_is_located() {
        assert_eq!(
            codes_of("{\n  // note\n  \"a\": 1\n}"),
            vec![("JSON002", 2, 3)]
        );
        assert_eq!(codes_of("{\n  \"a\": 1,\n}"), vec![("JSON003", 2, 9)]);
        assert_eq!(codes_of("{\"a\": NaN}"), vec![("JSON004", 1, 7)]);
        assert_eq!(codes_of("   \n"), vec![("JSON010", 1, 1)]);
        assert_eq!(codes_of("{\"a\": 1 \"b\": 2}"), vec![("JSON001", 1, 8)]);
    }

    #[test]
    fn byte_order_mark_is_reported_and_the_body_still_parsed() {
        let p = parse(b"\xEF\xBB\xBF{\"a\": 1}");
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].code, "JSON005");
        assert!(p.diagnostics[0].fix.is_some());
        assert_eq!(p.offset, 3);
        assert!(p.value.is_some());
    }

    #[test]
    fn invalid_utf8_is_located_at_the_bad_byte() {
        let p = parse(b"{\n  \"a\": \"\xFF\"}");
        assert_eq!(p.diagnostics[0].code, "JSON006");
        let s = p.diagnostics[0].span.unwrap();
        assert_eq!((s.line, s.column), (2, 9));
        assert!(p.diagnostics[0].message.contains("0xFF"));
    }

    #[test]
    fn duplicate_key_points_at_the_lost_first_occurrence() {
        let p = parse(b"{\n  \"a\": 1,\n  \"a\": 2\n}");
        assert_eq!(p.value.as_ref().unwrap()["a"], 2);
        assert_eq!(p.diagnostics.len(), 1);
        let d = &p.diagnostics[0];
        assert_eq!((d.code, d.pointer.as_str()), ("JSON007", "/a"));
        assert_eq!((d.span.unwrap().line, d.span.unwrap().column), (2, 3));
        assert!(d.message.contains("line 3"));
    }

    #[test]
    fn deep_nesting_never_overflows_the_stack() {
        for depth in [200usize, 600, 100_000] {
            let src = "[".repeat(depth) + &"]".repeat(depth);
            let p = parse(src.as_bytes());
            assert!(p.value.is_none());
            assert_eq!(p.diagnostics[0].code, "JSON009", "depth {depth}");
        }
        let src = format!("{{\"a\": {}{}}}", "[".repeat(150), "]".repeat(150));
        let p = parse(src.as_bytes());
        assert_eq!(p.diagnostics[0].pointer, format!("/a{}", "/0".repeat(126)));
    }

    #[test]
    fn the_depth_limit_is_serde_json_s() {
        // 127 levels parse; at 128, serde_json stops and the finding says why (not a generic
        // "recursion limit exceeded"), at the 128th level.
        for (levels, code) in [(127, None), (128, Some("JSON009")), (129, Some("JSON009"))] {
            for src in [
                format!(
                    "{{\"a\":{}{}}}",
                    "[".repeat(levels - 1),
                    "]".repeat(levels - 1)
                ),
                "{\"a\":".repeat(levels) + "1" + &"}".repeat(levels),
            ] {
                let p = parse(src.as_bytes());
                assert_eq!(
                    p.diagnostics.first().map(|d| d.code),
                    code,
                    "{levels}: {src}"
                );
                if let Some(d) = p.diagnostics.first() {
                    assert_eq!(d.pointer.matches('/').count(), MAX_DEPTH - 1);
                }
            }
        }
    }
}
