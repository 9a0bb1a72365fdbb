//! The `--format json` contract:
//! `{"version": 1, "summary": {...}, "diagnostics": [{path, endpoint, code, name, severity,
//! message, help, pointer, line, column, end_line, end_column}]}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::lint::RunReport;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct Item<'a> {
    path: &'a str,
    endpoint: Option<&'a str>,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    pointer: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn render(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = report
        .diagnostics()
        .map(|(f, d)| {
            let s = d.span.unwrap_or_default();
            Item {
                path: &f.path,
                endpoint: f.endpoint.map(|e| e.path),
                code: d.code,
                name: d.name,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                pointer: &d.pointer,
                line: s.line.max(1),
                column: s.column.max(1),
                end_line: s.end_line.max(1),
                end_column: s.end_column.max(1),
            }
        })
        .collect();
    let output = Output {
        version: 1,
        summary: Summary {
            files: report.files.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            skipped: report.skipped(),
        },
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
