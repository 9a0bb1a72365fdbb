//! From pointers to places in the source. Only files with findings pay for this: the text is
//! parsed a second time with jsonc-parser, which keeps the range of every key and value.

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;

use crate::diagnostic::{Diagnostic, Target, pointer_tokens};
use crate::document::parse_ast;
use crate::text::LineIndex;

/// A byte range `start..end`.
pub type Range = (usize, usize);

/// Key (for object members) and value ranges of the node at a pointer, relative to the AST's text.
pub fn find<'a>(root: &'a ast::Value<'a>, pointer: &str) -> Option<(Option<Range>, Range)> {
    let mut node = root;
    let mut key = None;
    for token in pointer_tokens(pointer) {
        match node {
            ast::Value::Object(o) => {
                // The first occurrence of a repeated key, as every other tool reports it.
                let p = o.properties.iter().find(|p| p.name.as_str() == token)?;
                key = Some((p.name.start(), p.name.end()));
                node = &p.value;
            }
            ast::Value::Array(a) => {
                let i: usize = token.parse().ok()?;
                node = a.elements.get(i)?;
                key = None;
            }
            _ => return None,
        }
    }
    let r = node.range();
    Some((key, (r.start, r.end)))
}

/// Fill in the span of every diagnostic that lacks one. `offset` is where the JSON starts in
/// `text` (after a byte-order mark). A pointer that does not resolve (it should not happen)
/// falls back to the whole document rather than to nothing.
pub fn locate(text: &str, offset: usize, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.span.is_some()) {
        return;
    }
    let index = LineIndex::new(text);
    let json = &text[offset..];
    let root = parse_ast(json);
    for d in diagnostics.iter_mut().filter(|d| d.span.is_none()) {
        let found = root.as_ref().and_then(|r| find(r, &d.pointer));
        let (s, e) = match found {
            Some((Some(k), _)) if d.target == Target::Key => k,
            Some((_, v)) => v,
            None => (0, json.len()),
        };
        d.span = Some(index.span(text, offset + s, offset + e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"é\": \"ü\", \"k\": 1}";
        let mut d = vec![
            Diagnostic::at_key(&codes::UNKNOWN_KEY, "/k", "x"),
            Diagnostic::new(&codes::WRONG_TYPE, "/é", "x"),
        ];
        locate(text, 0, &mut d);
        let k = d[0].span.unwrap();
        assert_eq!((k.line, k.column, k.end_column), (1, 12, 15));
        let v = d[1].span.unwrap();
        assert_eq!((v.line, v.column, v.end_column), (1, 7, 10));
    }

    #[test]
    fn columns_on_long_lines_match_a_plain_count() {
        // Multi-byte characters straddle the index's chunk boundaries.
        let text = format!(
            "{{\"a\": \"{}\"}}\n  é{}",
            "éx€".repeat(2000),
            "ü".repeat(3000)
        );
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let col = text[line_start..offset].chars().count() + 1;
            assert_eq!(
                index.line_col(&text, offset),
                (line, col),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn array_elements_and_escaped_tokens_resolve() {
        let text = "{\n  \"a/b\": [\n    1,\n    {\"x\": true}\n  ]\n}";
        let mut d = vec![Diagnostic::new(&codes::WRONG_TYPE, "/a~1b/1/x", "x")];
        locate(text, 0, &mut d);
        let s = d[0].span.unwrap();
        assert_eq!((s.line, s.column), (4, 11));
    }
}
