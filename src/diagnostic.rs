//! The diagnostic model: what every check produces and every renderer consumes.
//!
//! A diagnostic knows nothing about how it is printed. It carries an RFC 6901 pointer into the
//! file as written; the byte range and line/column are resolved from the source only for files
//! that have findings (see `crate::spans`), which keeps clean files cheap.

use std::fmt;

/// How serious a finding is. Errors: SPS would refuse the body, drop what was written, or the
/// setting cannot work. Warnings: it works but is risky or probably not what was meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of the JSON node a pointer designates. Unknown and duplicate keys point at the key;
/// everything else at the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Key,
    Value,
}

/// A resolved location in the source: byte range plus 1-based line and column (in characters)
/// of the start and end. `end_column` is exclusive: the column just after the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One text replacement in the file: the bytes `start..end` become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A safe, mechanical fix: applying its edits changes only the bytes it must.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

/// The static identity of a kind of finding: a stable code, a kebab-case name and the default
/// severity. Core checks declare theirs in `crate::codes`; every semantic rule declares its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// RFC 6901 pointer into the file as written ("" is the whole document).
    pub pointer: String,
    pub target: Target,
    /// Filled in by `spans::locate` once the file's findings are known.
    pub span: Option<Span>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding about the value at `pointer`.
    pub fn new(code: &Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.code,
            name: code.name,
            severity: code.severity,
            message: message.into(),
            help: None,
            pointer: pointer.into(),
            target: Target::Value,
            span: None,
            fix: None,
        }
    }

    /// A finding about the key at `pointer` (unknown or duplicate keys).
    pub fn at_key(code: &Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            target: Target::Key,
            ..Diagnostic::new(code, pointer, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// A finding with a span that is already known (syntax errors, found before any pointer
    /// exists). The pointer is where the parse got to: "" for the document.
    pub fn at_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sort key: position in the file, then code, so output is deterministic.
    pub fn sort_key(&self) -> (usize, usize, &'static str, &str) {
        let (line, col) = self.span.map_or((0, 0), |s| (s.line, s.column));
        (line, col, self.code, &self.message)
    }
}

/// Escape one reference token for an RFC 6901 pointer.
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    // Bytes, not chars: this runs for every key of every walked body.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Append a key to a pointer.
pub fn join_pointer(base: &str, token: &str) -> String {
    let token = escape_token(token);
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    s.push_str(&token);
    s
}

/// Append `/token` (escaped) to a pointer being built in place: walks that visit every value
/// reuse one buffer instead of allocating a pointer per value.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape_token(token));
}

/// Append `/index` to a pointer being built in place.
pub fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(pointer, "/{index}");
}

/// Split an RFC 6901 pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_round_trip_escapes_tilde_and_slash() {
        let p = join_pointer(&join_pointer("", "a/b"), "c~d");
        assert_eq!(p, "/a~1b/c~0d");
        assert_eq!(pointer_tokens(&p).collect::<Vec<_>>(), vec!["a/b", "c~d"]);
    }
}
