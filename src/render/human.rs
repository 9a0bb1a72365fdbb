//! Reports for people: miette's graphical output with the source snippet. Secret values are
//! masked in the snippet before miette ever sees the text.

use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

use crate::diagnostic::Severity;
use crate::lint::RunReport;
use crate::secrets;

pub fn render(
    report: &RunReport,
    options: &crate::render::RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(2);
    let mut buf = String::new();
    for file in &report.files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let masked = file.source.as_deref().map(secrets::mask_source);
        for d in &file.diagnostics {
            let mut md = MietteDiagnostic::new(d.message.clone())
                .with_code(format!("{}({})", d.code, d.name))
                .with_severity(match d.severity {
                    Severity::Error => miette::Severity::Error,
                    Severity::Warning => miette::Severity::Warning,
                });
            if let Some(h) = &d.help {
                md = md.with_help(h.clone());
            }
            if d.fix.is_some() {
                let h = md
                    .help
                    .take()
                    .map_or_else(String::new, |h| format!("{h}\n"));
                md = md.with_help(format!("{h}fixable with --fix"));
            }
            let span = d.span.unwrap_or_default();
            let label = if d.pointer.is_empty() {
                "here".to_string()
            } else {
                d.pointer.clone()
            };
            md = md.with_label(LabeledSpan::new(
                Some(label),
                span.start,
                span.end.saturating_sub(span.start),
            ));
            buf.clear();
            let result = match &masked {
                Some(text) => {
                    let report = Report::new(md)
                        .with_source_code(NamedSource::new(&file.path, text.clone()));
                    handler.render_report(&mut buf, report.as_ref())
                }
                None => {
                    let md = MietteDiagnostic { labels: None, ..md };
                    handler.render_report(&mut buf, &md)
                }
            };
            if result.is_err() {
                buf = format!("{}: {}[{}] {}\n", file.path, d.severity, d.code, d.message);
            }
            if masked.is_none() {
                writeln!(out, "{}:", file.path)?;
            }
            out.write_all(buf.as_bytes())?;
        }
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let skipped = report.skipped();
    let files = report.files.len();
    writeln!(
        out,
        "{files} file{} checked: {errors} error{}, {warnings} warning{}{}",
        plural(files),
        plural(errors),
        plural(warnings),
        if skipped > 0 {
            format!(", {skipped} skipped (no endpoint matched; see --require-endpoint)")
        } else {
            String::new()
        }
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
