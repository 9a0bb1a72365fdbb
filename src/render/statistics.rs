//! `check --statistics`: how many findings of each code, instead of the findings themselves
//! (as `ruff check --statistics`). Most frequent first; `[*]` marks codes with fixable findings.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::report::RunReport;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Row {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub count: usize,
    /// How many of them `--fix` can repair.
    pub fixable: usize,
}

pub fn rows(report: &RunReport) -> Vec<Row> {
    let mut by_code: BTreeMap<&'static str, Row> = BTreeMap::new();
    for (_, d) in report.diagnostics() {
        let row = by_code.entry(d.code).or_insert(Row {
            code: d.code,
            name: d.name,
            severity: d.severity.as_str(),
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        row.fixable += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<Row> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

pub fn render_text(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let rows = rows(report);
    let count_w = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let code_w = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let sev_w = rows.iter().map(|r| r.severity.len()).max().unwrap_or(0);
    let any_fixable = rows.iter().any(|r| r.fixable > 0);
    for r in &rows {
        let mark = match (any_fixable, r.fixable > 0) {
            (false, _) => "",
            (true, true) => "[*] ",
            (true, false) => "    ",
        };
        writeln!(
            out,
            "{:>count_w$}  {:<code_w$}  {:<sev_w$}  {mark}{}",
            r.count, r.code, r.severity, r.name
        )?;
    }
    if any_fixable {
        writeln!(out, "[*] fixable with --fix")?;
    }
    Ok(())
}

/// The same versioned envelope as `--format json`, with the counts in place of the findings.
pub fn render_json(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Output {
        version: u32,
        summary: super::json::Summary,
        statistics: Vec<Row>,
    }
    let output = Output {
        version: 1,
        summary: super::json::Summary::of(report),
        statistics: rows(report),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
