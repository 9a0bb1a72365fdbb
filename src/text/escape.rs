//! Control characters made visible. Paths, keys, values and messages come from the files and
//! the command line; printed raw, a newline in a file name forges a line of output (an
//! `::error file=...` workflow command, a `path:line:col:` finding) and an ESC sequence drives
//! the terminal or the CI log viewer. Every text format calls [`controls`] where it prints such
//! text; JSON, SARIF and JUnit rely on their own escaping instead.

use std::borrow::Cow;

/// Whether a character is escaped: C0 controls (tab, line feed and carriage return included),
/// DEL, C1 controls, the Unicode line and paragraph separators (some viewers break lines at
/// them) and the bidirectional formatting characters (they reorder what a reader sees).
pub fn is_escaped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_escaped`] character written as `\n`, `\r`, `\t` or `\u{1b}`. Borrowed
/// when there is nothing to escape (the common case).
pub fn controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, false);
    Cow::Owned(out)
}

/// Append `s` to `out` with control characters escaped; with `keep_layout`, tabs and line
/// feeds stay as they are (source snippets and diffs keep their lines).
pub fn push_escaped(out: &mut String, s: &str, keep_layout: bool) {
    for c in s.chars() {
        match c {
            '\n' | '\t' if keep_layout => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_escaped(c) => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// The length `s` takes once escaped with [`push_escaped`].
pub fn escaped_len(s: &str, keep_layout: bool) -> usize {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' if keep_layout => 1,
            '\n' | '\r' | '\t' => 2,
            c if is_escaped(c) => format!("{:x}", c as u32).len() + 4,
            c => c.len_utf8(),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_out_and_plain_text_is_borrowed() {
        assert!(matches!(controls("api/a b/é.json"), Cow::Borrowed(_)));
        assert_eq!(
            controls("x.json\n::error file=y::owned\r\u{1b}[2J\t\u{9b}\u{202e}"),
            "x.json\\n::error file=y::owned\\r\\u{1b}[2J\\t\\u{9b}\\u{202e}"
        );
        let mut s = String::new();
        push_escaped(&mut s, "a\tb\nc\rd\u{7f}", true);
        assert_eq!(s, "a\tb\nc\\rd\\u{7f}");
        for (text, layout) in [("a\tb\nc\rd\u{7f}\u{2028}é", true), ("\u{0}\u{1f}x", false)] {
            let mut s = String::new();
            push_escaped(&mut s, text, layout);
            assert_eq!(s.len(), escaped_len(text, layout), "{text:?}");
        }
    }
}
