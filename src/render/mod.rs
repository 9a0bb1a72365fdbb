//! Output formats. Each turns a `RunReport` into bytes; the diagnostic model knows none of them.

use std::io::{self, Write};

use crate::lint::RunReport;

pub mod human;
pub mod json;
pub mod short;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with the source snippet (miette), for people.
    Human,
    /// `path:line:col: severity[code] message`, one line each, for editors.
    Short,
    /// The stable machine-readable contract.
    Json,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
}

pub fn render(
    report: &RunReport,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, options, out),
        Format::Short => short::render(report, out),
        Format::Json => json::render(report, out),
    }
}
