//! The `--format json` contract:
//! `{"version": 1, "summary": {...}, "diagnostics": [{path, endpoint, code, name, severity,
//! message, help, pointer, line, column, end_line, end_column}]}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::report::{RunReport, Skipped};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<Item<'a>>,
    /// The files that were not checked, and why.
    skipped_files: Vec<SkippedItem<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    skipped: usize,
}

impl Summary {
    pub(crate) fn of(report: &RunReport) -> Self {
        Summary {
            files: report.files.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            skipped: report.skipped(),
        }
    }
}

#[derive(Serialize)]
struct SkippedItem<'a> {
    path: &'a str,
    /// `no-endpoint` or `list-response`.
    reason: &'static str,
    message: String,
    help: String,
    /// The endpoint the file was probably meant for (`no-endpoint`), or the one a saved list
    /// response names.
    endpoint: Option<&'static str>,
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
    let skipped_files = report
        .skipped_files()
        .map(|(f, why)| {
            let (reason, endpoint) = match why {
                Skipped::NoEndpoint { closest, .. } => ("no-endpoint", closest),
                Skipped::ListResponse { endpoint } => ("list-response", endpoint),
            };
            SkippedItem {
                path: &f.path,
                reason,
                message: why.message(),
                help: why.help(),
                endpoint: endpoint.map(|e| e.path),
            }
        })
        .collect();
    let output = Output {
        version: 1,
        summary: Summary::of(report),
        diagnostics,
        skipped_files,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
