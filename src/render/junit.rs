//! `--format junit`: a JUnit XML report for CI test views (GitLab, Jenkins, Azure DevOps).
//!
//! One `<testcase>` per file (`classname` is its endpoint, `name` its path), one `<failure>` per
//! finding (`type` is the code, `message` the message; the body gives the position, pointer and
//! help). Skipped files carry `<skipped/>`; files that could not be read, `<error/>`. The suite's
//! `failures` counts the files with findings, as JUnit counts failed test cases.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::report::RunReport;

/// `fail_on` is `--fail-on`: a finding below it is no failure (the run's exit status is 0 for
/// it), so it is reported in the test case's output instead.
pub fn render(report: &RunReport, fail_on: Severity, out: &mut dyn Write) -> io::Result<()> {
    let tests = report.files.len() + report.errors.len();
    let failures = report
        .files
        .iter()
        .filter(|f| f.diagnostics.iter().any(|d| d.severity >= fail_on))
        .count();
    let errors = report.errors.len();
    let skipped = report.skipped();
    let counts = format!(
        "tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\""
    );
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(s, "<testsuites name=\"spslint\" {counts}>");
    let _ = writeln!(s, "  <testsuite name=\"spslint\" {counts}>");
    for file in &report.files {
        let classname = file.endpoint.map_or("spslint", |e| e.path);
        let path = super::portable_path(&file.path);
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
            attr(classname),
            attr(&path),
            attr(&path)
        );
        if let Some(why) = &file.skipped {
            let _ = writeln!(
                s,
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(&format!("{} (help: {})", why.message(), why.help()))
            );
            continue;
        }
        if file.diagnostics.is_empty() {
            let _ = writeln!(s, "{open}/>");
            continue;
        }
        let _ = writeln!(s, "{open}>");
        let mut below = String::new();
        for d in &file.diagnostics {
            let (line, col) = d
                .span
                .map_or((1, 1), |sp| (sp.line.max(1), sp.column.max(1)));
            let mut body = format!(
                "{path}:{line}:{col}: {}[{}] {}",
                d.severity, d.code, d.message
            );
            if !d.pointer.is_empty() {
                let _ = write!(body, "\npointer: {}", d.pointer);
            }
            if let Some(h) = &d.help {
                let _ = write!(body, "\nhelp: {h}");
            }
            if d.severity < fail_on {
                let _ = writeln!(below, "{body}");
                continue;
            }
            let _ = writeln!(
                s,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                attr(d.code),
                attr(&d.message),
                text(&body)
            );
        }
        if !below.is_empty() {
            let _ = writeln!(s, "      <system-out>{}</system-out>", text(&below));
        }
        let _ = writeln!(s, "    </testcase>");
    }
    for e in &report.errors {
        let path = super::portable_path(&e.path);
        let _ = writeln!(
            s,
            "    <testcase classname=\"spslint\" name=\"{}\" file=\"{}\">\n      <error type=\"read-error\" message=\"{}\"/>\n    </testcase>",
            attr(&path),
            attr(&path),
            attr(&format!("cannot read {}: {}", e.path, e.message))
        );
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    out.write_all(s.as_bytes())
}

/// Escape character data. Characters XML 1.0 cannot carry at all (most C0 controls, lone
/// surrogates cannot occur in `str`, U+FFFE/U+FFFF) become U+FFFD.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escape an attribute value (double-quoted). Tabs and line breaks are written as character
/// references, or attribute-value normalization would turn them into spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(text("a<b>&\"c\""), "a&lt;b&gt;&amp;\"c\"");
        assert_eq!(attr("\"x\"\n'y'\t"), "&quot;x&quot;&#10;&apos;y&apos;&#9;");
        assert_eq!(text("bell\u{7}\r\n"), "bell\u{FFFD}&#13;\n");
    }
}
