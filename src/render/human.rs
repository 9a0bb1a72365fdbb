//! Reports for people: miette's graphical output with the source snippet. Secret values are
//! masked in the snippet before miette ever sees the text (`crate::secrets::display_text`),
//! and control characters in the path, messages, pointers and snippet lines are written out
//! (`crate::text::escape`).

use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, Report, SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::Severity;
use crate::report::RunReport;
use crate::secrets;
use crate::text::escape::{controls, escaped_len, push_escaped};

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
        // Only files with findings get here: masking costs a second parse of their text.
        // spslint.toml's own findings (CONFIG codes, reported on nothing else) show the
        // configuration as written: it is not a body and holds none of its values.
        let config = file
            .diagnostics
            .iter()
            .all(|d| d.code.starts_with("CONFIG"));
        let masked = file.source.as_deref().map(|t| {
            if config {
                t.to_string()
            } else {
                secrets::display_text(t, file.endpoint)
            }
        });
        let index = masked.as_deref().map(crate::text::LineIndex::new);
        let starts = index.as_ref().map_or(&[][..], |i| i.line_starts());
        for d in &file.diagnostics {
            let mut md = MietteDiagnostic::new(controls(&d.message).into_owned())
                .with_code(format!("{}({})", d.code, d.name))
                .with_severity(match d.severity {
                    Severity::Error => miette::Severity::Error,
                    Severity::Warning => miette::Severity::Warning,
                });
            if let Some(h) = &d.help {
                md = md.with_help(controls(h).into_owned());
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
                controls(&d.pointer).into_owned()
            };
            buf.clear();
            let result = match &masked {
                Some(text) => {
                    let excerpt = Excerpt::new(&file.path, text, starts, span);
                    md = md.with_label(LabeledSpan::new(
                        Some(label),
                        excerpt.label.0,
                        excerpt.label.1 - excerpt.label.0,
                    ));
                    let report = Report::new(md).with_source_code(excerpt);
                    handler.render_report(&mut buf, report.as_ref())
                }
                None => {
                    let md = MietteDiagnostic { labels: None, ..md };
                    handler.render_report(&mut buf, &md)
                }
            };
            if result.is_err() {
                buf = format!(
                    "{}: {}[{}] {}\n",
                    controls(&file.path),
                    d.severity,
                    d.code,
                    controls(&d.message)
                );
            }
            if masked.is_none() {
                writeln!(out, "{}:", controls(&file.path))?;
            }
            out.write_all(buf.as_bytes())?;
        }
    }
    for (file, why) in report.skipped_files() {
        writeln!(
            out,
            "{}: note[{}]: {}\n  help: {}",
            super::escape::controls(&file.path),
            crate::codes::UNKNOWN_ENDPOINT.code,
            why.message(),
            why.help()
        )?;
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
            format!(", {skipped} not checked (named above; see --require-endpoint)")
        } else {
            String::new()
        }
    )
}

/// Lines of context shown above and below a finding.
const CONTEXT_LINES: usize = 2;
/// Longer lines are cut to this many bytes around the finding (a minified body is one line).
const MAX_LINE: usize = 200;
/// A finding covering more lines is underlined on its first line only (miette would print
/// every line it covers: the whole file, for a finding about the document).
const MAX_LABEL_LINES: usize = 12;

/// The few lines a snippet shows, cut to a readable width, given to miette instead of the
/// whole file: what miette reads and prints per finding stays small however large the file
/// (reading the whole text for each of many findings would be quadratic). Gutter line numbers
/// and the `[path:line:column]` header still give the places in the real file.
struct Excerpt {
    name: String,
    text: String,
    /// 0-based number of the excerpt's first line in the file.
    first_line: usize,
    /// The label's range in `text`.
    label: (usize, usize),
    /// 0-based line and column of the finding in the file.
    at: (usize, usize),
}

impl Excerpt {
    fn new(name: &str, source: &str, starts: &[usize], span: crate::diagnostic::Span) -> Self {
        let start = source.floor_char_boundary(span.start);
        let mut end = source.floor_char_boundary(span.end.max(start));
        let line_of = |o: usize| starts.partition_point(|&s| s <= o).saturating_sub(1);
        // A line ends before its `\n`, and before the `\r` of a `\r\n`: miette would count
        // that `\r` as a line break of its own and number the lines after it twice.
        let line_end = |l: usize| {
            starts.get(l + 1).map_or(source.len(), |&s| {
                if s >= 2 && source.as_bytes()[s - 2] == b'\r' {
                    s - 2
                } else {
                    s - 1
                }
            })
        };
        let first = line_of(start);
        let mut last = line_of(end);
        if last - first >= MAX_LABEL_LINES {
            last = first;
            end = line_end(first);
        }
        let from = first.saturating_sub(CONTEXT_LINES);
        let to = (last + CONTEXT_LINES).min(starts.len().saturating_sub(1));
        let mut text = String::new();
        let mut label = (0, 0);
        for (l, &ls) in starts.iter().enumerate().take(to + 1).skip(from) {
            let le = line_end(l).max(ls);
            let anchor = if l == first {
                start
            } else if l == last {
                end
            } else {
                ls
            };
            let (mut a, mut b) = (ls, le);
            if le - ls > MAX_LINE {
                b = (anchor.saturating_sub(MAX_LINE / 3).max(ls) + MAX_LINE).min(le);
                a = source.ceil_char_boundary(b.saturating_sub(MAX_LINE).max(ls));
                b = source.floor_char_boundary(b).max(a);
            }
            if l > from {
                text.push('\n');
            }
            if a > ls {
                text.push('…');
            }
            // Control characters (a lone `\r`, ESC, C1) are written out, so the label's
            // offsets are counted in the escaped text.
            let base = text.len();
            let at = |o: usize| base + escaped_len(&source[a..o.clamp(a, b)], true);
            if l == first {
                label.0 = at(start);
            }
            if l == last {
                label.1 = at(end);
            }
            push_escaped(&mut text, &source[a..b], true);
            if b < le {
                text.push('…');
            }
        }
        label.1 = label.1.max(label.0);
        Excerpt {
            name: controls(name).into_owned(),
            text,
            first_line: from,
            label,
            at: (span.line.saturating_sub(1), span.column.saturating_sub(1)),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self.text.read_span(span, before, after)?;
        // The header's place: the finding's, in the real file.
        let (line, column) = if before == 0 && after == 0 && span.offset() == self.label.0 {
            self.at
        } else {
            (c.line() + self.first_line, c.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            line,
            column,
            c.line_count(),
        )))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lint_bytes;
    use crate::report::RunReport;
    use crate::settings::Settings;

    fn human(path: &str, text: &str) -> String {
        let report = RunReport {
            files: vec![lint_bytes(path, text.as_bytes(), &Settings::default())],
            ..RunReport::default()
        };
        let mut out = Vec::new();
        render(&report, &crate::render::RenderOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn long_lines_are_cut_around_the_finding_with_real_places() {
        let names: Vec<String> = (0..5000).map(|i| format!("user{i}")).collect();
        let text = format!(
            "{{\n\"allow\": \"no_user\", \"except\": {}, \"name\": \"n\", \"zz\": 1\n}}\n",
            serde_json::to_string(&names).unwrap()
        );
        let col = text.lines().nth(1).unwrap().find("\"zz\"").unwrap() + 1;
        let out = human("x/api/configuration/policies/userlists/k.json", &text);
        assert!(out.contains(&format!("userlists/k.json:2:{col}]")), "{out}");
        // The value of an unknown key is masked.
        assert!(out.contains(" 2 │ …") && out.contains("\"zz\": *"), "{out}");
        assert!(out.len() < 2000, "{out}");
    }

    #[test]
    fn a_finding_over_many_lines_is_underlined_on_its_first() {
        let names: Vec<String> = (0..40).map(|i| format!("user{i}")).collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({"except": names, "name": "n"}))
            .unwrap();
        let out = human("x/api/configuration/policies/userlists/k.json", &text);
        // The missing key is a finding about the whole body: its first line is shown, with
        // context, not its 44 lines.
        assert!(out.contains("lacks the required key \"allow\""), "{out}");
        assert!(out.contains("k.json:1:1]"), "{out}");
        assert!(out.contains("user0\"") && !out.contains("user1\""), "{out}");
    }
}
