//! Output formats. Each turns a `RunReport` into bytes; the diagnostic model knows none of them.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::report::RunReport;

pub mod catalog;
pub use crate::text::escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod short;
pub mod statistics;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with the source snippet (miette), for people.
    Human,
    /// `path:line:col: severity[code] message`, one line each, for editors.
    Short,
    /// The stable machine-readable contract.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

impl Format {
    /// Whether `--statistics` has a view in this format.
    pub fn has_statistics(self) -> bool {
        matches!(self, Format::Human | Format::Short | Format::Json)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub color: bool,
    /// `--fail-on`: findings of this severity or higher fail the run (JUnit's failures).
    pub fail_on: Severity,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            fail_on: Severity::Error,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Color when writing to a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to color, given whether the output is a terminal and the value of `NO_COLOR`.
    pub fn enabled(self, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
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
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
        Format::Junit => junit::render(report, options.fail_on, out),
    }
}

/// `--statistics`: counts per code instead of the findings; JSON for `--format json`, a table
/// for `human` and `short`. `None` for the formats that have no such view.
pub fn render_statistics(
    report: &RunReport,
    format: Format,
    out: &mut dyn Write,
) -> Option<io::Result<()>> {
    match format {
        Format::Human | Format::Short => Some(statistics::render_text(report, out)),
        Format::Json => Some(statistics::render_json(report, out)),
        Format::Sarif | Format::Github | Format::Junit => None,
    }
}

/// `--quiet`: keep errors only (the exit status is decided before this).
pub fn retain_errors(report: &mut RunReport) {
    for f in &mut report.files {
        f.diagnostics.retain(|d| d.severity == Severity::Error);
    }
}

/// A path as CI services want it: forward slashes, no leading `./`.
pub fn portable_path(path: &str) -> Cow<'_, str> {
    let path: Cow<'_, str> = if cfg!(windows) && path.contains('\\') {
        path.replace('\\', "/").into()
    } else {
        path.into()
    };
    let mut trimmed: &str = &path;
    while let Some(rest) = trimmed.strip_prefix("./") {
        trimmed = rest.trim_start_matches('/');
    }
    if trimmed.len() == path.len() {
        path
    } else {
        trimmed.to_string().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn portable_paths_lose_leading_dot_slash() {
        assert_eq!(portable_path("./a/b.json"), "a/b.json");
        assert_eq!(portable_path(".//./a.json"), "a.json");
        assert_eq!(portable_path("a/./b.json"), "a/./b.json");
        assert_eq!(portable_path("../a.json"), "../a.json");
    }

    #[test]
    fn color_choice_respects_no_color_in_auto_only() {
        assert!(ColorChoice::Auto.enabled(true, None));
        assert!(ColorChoice::Auto.enabled(true, Some(OsStr::new(""))));
        assert!(!ColorChoice::Auto.enabled(true, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Auto.enabled(false, None));
        assert!(ColorChoice::Always.enabled(false, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Never.enabled(true, None));
    }
}
