//! Fixes: building them and applying them to bytes (the engine's part of `--fix`; reading,
//! repeating passes and writing files is `crate::fixer`'s).
//!
//! A fix is a set of byte-range edits ([`Fix`]). Fixes are applied together when none of their
//! edits overlap; a fix that overlaps one already taken waits for the next pass, after the file
//! has been linted again. A file that does not parse is never touched, and a pass whose result
//! would not parse is thrown away. Everything outside the edits stays byte for byte.
//!
//! Rules see values, not text: [`replace_value`] builds a fix that replaces the value a
//! diagnostic points at, and [`attach`] turns it into a byte range once the file's spans are
//! known, after checking that the range holds exactly that value.

use jsonc_parser::common::Ranged;
use serde_json::Value;

use crate::codes;
use crate::diagnostic::{Diagnostic, Edit, Fix, Target};
use crate::document;

/// An edit whose range is the value the diagnostic points at, resolved by [`attach`].
pub const AT_VALUE: usize = usize::MAX;

/// How many lint-and-fix passes a file gets (overlapping fixes need more than one).
pub const MAX_PASSES: usize = 10;

/// A fix replacing the value at the diagnostic's pointer with `json` (JSON text, for example
/// `"\"key\""`). Only valid on a diagnostic about a value (not a key).
pub fn replace_value(description: impl Into<String>, json: impl Into<String>) -> Fix {
    Fix {
        description: description.into(),
        edits: vec![Edit {
            start: AT_VALUE,
            end: AT_VALUE,
            replacement: json.into(),
        }],
    }
}

/// Resolve the fixes of a file's located diagnostics. `text` is the whole file (a byte-order
/// mark included), `offset` where the JSON starts, `value` the parsed document. A saved
/// response's REQ001 gets the unwrap fix here. A fix whose range cannot be resolved safely is
/// dropped: the finding stays, without a fix.
pub fn attach(text: &str, offset: usize, value: Option<&Value>, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut() {
        if d.code == codes::RESPONSE_WRAPPER.code {
            d.fix = value.and_then(|v| unwrap_response(text, offset, v));
            continue;
        }
        let Some(fix) = &mut d.fix else { continue };
        if !fix.edits.iter().any(|e| e.start == AT_VALUE) {
            continue;
        }
        let range = match (d.target, d.span, value.and_then(|v| v.pointer(&d.pointer))) {
            (Target::Value, Some(span), Some(expected))
                if holds(text, span.start..span.end, expected) =>
            {
                Some((span.start, span.end))
            }
            _ => None,
        };
        match range {
            Some((start, end)) => {
                for e in fix.edits.iter_mut().filter(|e| e.start == AT_VALUE) {
                    e.start = start;
                    e.end = end;
                }
            }
            None => d.fix = None,
        }
    }
}

/// Whether `text[range]` is exactly the JSON value `expected` (so an edit there changes the
/// value the diagnostic is about, and not a repeated key's lost twin).
fn holds(text: &str, range: std::ops::Range<usize>, expected: &Value) -> bool {
    text.get(range)
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        .is_some_and(|v| &v == expected)
}

/// A saved GET response becomes its `body`: the body's own text, taken from the file and
/// de-indented by the indentation of the `"body"` line, so its formatting is kept. What
/// surrounds the document (leading or trailing whitespace, a byte-order mark) stays.
fn unwrap_response(text: &str, offset: usize, value: &Value) -> Option<Fix> {
    let json = &text[offset..];
    let root = document::parse_ast(json)?;
    let (key, (start, end)) = crate::spans::find(&root, "/body")?;
    if !holds(json, start..end, value.get("body")?) {
        return None;
    }
    let key_start = key?.0;
    let line_start = json[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent: &str = {
        let line = &json[line_start..key_start];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    };
    let range = root.range();
    Some(Fix {
        description: "replace the saved response by its body".into(),
        edits: vec![Edit {
            start: offset + range.start,
            end: offset + range.end,
            replacement: dedent(&json[start..end], indent),
        }],
    })
}

/// Remove `indent` from every line but the first. JSON strings hold no raw newline, so every
/// line break is between tokens and this changes layout only. When a line does not start with
/// the indentation (hand-formatted text), the text is kept as it is.
fn dedent(text: &str, indent: &str) -> String {
    if indent.is_empty() {
        return text.to_string();
    }
    let mut lines = text.split('\n');
    let mut out = String::with_capacity(text.len());
    out.push_str(lines.next().unwrap_or_default());
    for line in lines {
        out.push('\n');
        if let Some(rest) = line.strip_prefix(indent) {
            out.push_str(rest);
        } else if line.trim().is_empty() {
            out.push_str(line.trim_start_matches([' ', '\t']));
        } else {
            return text.to_string();
        }
    }
    out
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Apply every fix whose edits overlap neither each other nor a fix taken before (fixes are
/// taken in the order of their first edit). Returns the new bytes and how many fixes were
/// applied. Edits outside the text or not on character boundaries are skipped.
pub fn apply(bytes: &[u8], fixes: &[&Fix]) -> (Vec<u8>, usize) {
    let text = std::str::from_utf8(bytes).ok();
    let valid = |e: &Edit| {
        e.start <= e.end
            && e.end <= bytes.len()
            && text.is_none_or(|t| t.is_char_boundary(e.start) && t.is_char_boundary(e.end))
    };
    let mut order: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty())
        .collect();
    order.sort_by_key(|f| {
        let start = f.edits.iter().map(|e| e.start).min().unwrap_or(0);
        let end = f.edits.iter().map(|e| e.end).max().unwrap_or(0);
        (start, end)
    });
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in order {
        let own_ok = fix
            .edits
            .iter()
            .enumerate()
            .all(|(i, a)| valid(a) && fix.edits[i + 1..].iter().all(|b| !overlaps(a, b)));
        if own_ok
            && fix
                .edits
                .iter()
                .all(|a| taken.iter().all(|b| !overlaps(a, b)))
        {
            taken.extend(&fix.edits);
            applied += 1;
        }
    }
    taken.sort_by_key(|e| e.start);
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in taken {
        out.extend_from_slice(&bytes[at..e.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        at = e.end;
    }
    out.extend_from_slice(&bytes[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, r: &str) -> Fix {
        Fix {
            description: String::new(),
            edits: vec![Edit {
                start,
                end,
                replacement: r.into(),
            }],
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let a = edit(0, 5, "X");
        let b = edit(3, 7, "Y");
        let c = edit(7, 8, "Z");
        let (out, n) = apply(b"0123456789", &[&b, &a, &c]);
        assert_eq!((out.as_slice(), n), (&b"X56Z89"[..], 2));
        // Two insertions at one place: order would be a guess.
        let (out, n) = apply(b"ab", &[&edit(1, 1, "x"), &edit(1, 1, "y")]);
        assert_eq!((out.as_slice(), n), (&b"axb"[..], 1));
        // Out of range or inside a character: skipped.
        let (out, n) = apply("é".as_bytes(), &[&edit(1, 2, "e"), &edit(0, 9, "")]);
        assert_eq!((out.as_slice(), n), ("é".as_bytes(), 0));
    }

    #[test]
    fn dedent_keeps_layout_relative_to_the_body() {
        assert_eq!(dedent("{\n    \"a\": 1\n  }", "  "), "{\n  \"a\": 1\n}");
        assert_eq!(
            dedent("{\r\n    \"a\": 1\r\n  }", "  "),
            "{\r\n  \"a\": 1\r\n}"
        );
        assert_eq!(dedent("{\n\"a\": 1\n  }", "  "), "{\n\"a\": 1\n  }");
        assert_eq!(dedent("{\"a\": 1}", "  "), "{\"a\": 1}");
    }

    #[test]
    fn a_response_unwraps_to_its_body_text() {
        let text = "{\n  \"body\": {\n    \"a\": [1,  2],\n    \"b\": {\"c\": null}\n  },\n  \"key\": \"k\",\n  \"meta\": {\"href\": \"/api/x\"}\n}\n";
        let value: Value = serde_json::from_str(text).unwrap();
        let fix = unwrap_response(text, 0, &value).unwrap();
        let (out, _) = apply(text.as_bytes(), &[&fix]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": [1,  2],\n  \"b\": {\"c\": null}\n}\n"
        );
        // The first of two "body" keys is not the one a parser keeps: no fix.
        let dup = "{\"body\": {\"a\": 1}, \"body\": {\"b\": 2}, \"meta\": {\"href\": \"/x\"}}";
        let value: Value = serde_json::from_str(dup).unwrap();
        assert!(unwrap_response(dup, 0, &value).is_none());
    }

    #[test]
    fn value_fixes_resolve_only_onto_the_value_they_name() {
        let text = "{\"a\": {\"key\": \"k\", \"meta\": {\"href\": \"/x\"}}}";
        let value: Value = serde_json::from_str(text).unwrap();
        let mut d = vec![
            Diagnostic::new(&codes::EMBEDDED_REFERENCE, "/a", "x")
                .with_fix(replace_value("r", "\"k\"")),
        ];
        crate::spans::locate(text, 0, &mut d);
        attach(text, 0, Some(&value), &mut d);
        let (out, n) = apply(text.as_bytes(), &[d[0].fix.as_ref().unwrap()]);
        assert_eq!(
            (String::from_utf8(out).unwrap().as_str(), n),
            ("{\"a\": \"k\"}", 1)
        );

        let dup = "{\"a\": 1, \"a\": {\"key\": \"k\", \"meta\": {\"href\": \"/x\"}}}";
        let value: Value = serde_json::from_str(dup).unwrap();
        let mut d = vec![
            Diagnostic::new(&codes::EMBEDDED_REFERENCE, "/a", "x")
                .with_fix(replace_value("r", "\"k\"")),
        ];
        crate::spans::locate(dup, 0, &mut d);
        attach(dup, 0, Some(&value), &mut d);
        assert!(d[0].fix.is_none());
    }
}
