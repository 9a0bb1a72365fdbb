//! `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns
//! into annotations on the pull request:
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`.
//!
//! Text from the files (the path, keys and values quoted in messages) first has its control
//! characters written out (`crate::text::escape`), so it can neither end the command nor
//! drive the log viewer; then the Actions toolkit's escaping (`@actions/core`, `command.ts`)
//! applies: in the message `%`, CR and LF (the line break between message and help is ours),
//! in property values also `:` and `,`. GitHub accepts columns only for a single-line range, so
//! `col` and `endColumn` are left out when the finding spans several lines.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::report::RunReport;
use crate::text::escape::controls;

pub fn render(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    for (file, why) in report.skipped_files() {
        writeln!(
            out,
            "::notice file={},title={}::{}",
            escape_property(&super::portable_path(&file.path)),
            escape_property(&format!(
                "{} {}",
                crate::codes::UNKNOWN_ENDPOINT.code,
                crate::codes::UNKNOWN_ENDPOINT.name
            )),
            escape_data(&format!("{}\nhelp: {}", why.message(), why.help()))
        )?;
    }
    for (file, d) in report.diagnostics() {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = super::portable_path(&file.path);
        let mut props = vec![("file", controls(&path).into_owned())];
        if let Some(s) = d.span.filter(|s| s.line > 0) {
            let end_line = s.end_line.max(s.line);
            props.push(("line", s.line.to_string()));
            if end_line == s.line {
                props.push(("col", s.column.max(1).to_string()));
            }
            props.push(("endLine", end_line.to_string()));
            if end_line == s.line {
                props.push(("endColumn", s.end_column.max(1).to_string()));
            }
        }
        props.push(("title", format!("{} {}", d.code, d.name)));
        let props: Vec<String> = props
            .iter()
            .map(|(k, v)| format!("{k}={}", escape_property(v)))
            .collect();
        let message = match &d.help {
            Some(h) => format!("{}\nhelp: {}", controls(&d.message), controls(h)),
            None => controls(&d.message).into_owned(),
        };
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// The toolkit's `escapeData`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The toolkit's `escapeProperty`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first, so an escape is never escaped twice and never produced by accident.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
