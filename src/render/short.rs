//! `path:line:col: severity[code] message`: one line per finding, the shape editors' error
//! parsers (VS Code problem matchers, Vim's errorformat) expect. Control characters in the
//! path, message and help are escaped, so no text from a file can start a line of its own.

use std::io::{self, Write};

use crate::report::RunReport;
use crate::text::escape::controls;

pub fn render(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    // Files not checked are named, at note level (problem matchers that take errors and
    // warnings pass over them), so a misnamed folder cannot slip through a hook unseen.
    for (file, why) in report.skipped_files() {
        writeln!(
            out,
            "{}:1:1: note[{}] {} (help: {})",
            super::escape::controls(&file.path),
            crate::codes::UNKNOWN_ENDPOINT.code,
            why.message(),
            why.help()
        )?;
    }
    for (file, d) in report.diagnostics() {
        let (line, col) = d.span.map_or((1, 1), |s| (s.line, s.column));
        let help = d
            .help
            .as_deref()
            .map(|h| format!(" (help: {})", controls(h)))
            .unwrap_or_default();
        writeln!(
            out,
            "{}:{line}:{col}: {}[{}] {}{help}",
            controls(&file.path),
            d.severity,
            d.code,
            controls(&d.message)
        )?;
    }
    Ok(())
}
