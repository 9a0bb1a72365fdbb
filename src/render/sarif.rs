//! `--format sarif`: a SARIF 2.1.0 log for code-scanning services (GitHub code scanning, Azure
//! DevOps, the VS Code SARIF viewer).
//!
//! One run. The driver's rule table lists every code that can appear: the core codes, then the
//! semantic rules. Results point at files by URI relative to `%SRCROOT%` (the working directory,
//! given in `originalUriBaseIds`); columns count Unicode code points, and `endColumn` is the
//! column after the last character, as SARIF wants. Files that could not be read become tool
//! execution notifications. No snippet is included: the source may hold secrets.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::diagnostic::{Diagnostic, Severity, pointer_tokens};
use crate::registry::{self, Source};
use crate::report::{FileReport, RunReport};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SRCROOT: &str = "%SRCROOT%";

pub fn render(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let log = log(report, std::env::current_dir().ok().as_deref());
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The whole log. `cwd` is what `%SRCROOT%` stands for (left undefined when unknown).
pub fn log(report: &RunReport, cwd: Option<&Path>) -> Value {
    let (rules, index) = rule_table();
    let results: Vec<Value> = report
        .diagnostics()
        .map(|(f, d)| result(f, d, index.get(d.code).copied()))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": format!("cannot read {}: {}", e.path, e.message)},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(&e.path)}}],
            })
        })
        .collect();
    let notifications: Vec<Value> = notifications
        .into_iter()
        .chain(report.skipped_files().map(|(f, why)| {
            json!({
                "level": "note",
                "message": {"text": format!("{} (help: {})", why.message(), why.help())},
                "descriptor": {"id": crate::codes::UNKNOWN_ENDPOINT.code},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(&f.path)}}],
            })
        }))
        .collect();
    let mut invocation = json!({"executionSuccessful": report.errors.is_empty()});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "spslint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = cwd.and_then(|c| url::Url::from_directory_path(c).ok()) {
        run["originalUriBaseIds"] = json!({SRCROOT: {"uri": root.as_str()}});
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// `tool.driver.rules`: core codes then rules, and each code's index in that list.
fn rule_table() -> (Vec<Value>, HashMap<&'static str, usize>) {
    let entries = registry::all();
    let table = entries
        .iter()
        .map(|e| {
            let page = e.page();
            // A core code's help is its paragraph; a rule's, its whole page.
            let help = match e.source {
                Source::Core(d) => d.doc.to_string(),
                Source::Rule(_) => page.clone(),
            };
            json!({
                "id": e.code.code,
                "name": e.code.name,
                "shortDescription": {"text": e.summary()},
                "fullDescription": {"text": e.description()},
                "help": {"text": help, "markdown": page},
                "defaultConfiguration": {"level": level(e.code.severity)},
                "properties": {
                    "fixable": e.fixable(),
                    "endpoints": e.endpoint_paths(),
                    "tags": ["spslint", e.kind()],
                },
            })
        })
        .collect();
    let index = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.code, i))
        .collect();
    (table, index)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result(file: &FileReport, d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let text = match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    };
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), artifact_location(&file.path));
    if let Some(s) = d.span.filter(|s| s.line > 0) {
        physical.insert(
            "region".into(),
            json!({
                "startLine": s.line,
                "startColumn": s.column.max(1),
                "endLine": s.end_line.max(s.line),
                "endColumn": s.end_column.max(1),
            }),
        );
    }
    let mut location = json!({"physicalLocation": physical});
    if !d.pointer.is_empty() {
        let last = pointer_tokens(&d.pointer).last().unwrap_or_default();
        let kind = if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
            "element"
        } else {
            "property"
        };
        location["logicalLocations"] = json!([{
            "name": last,
            "fullyQualifiedName": d.pointer,
            "kind": kind,
        }]);
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [location],
        "properties": {
            "name": d.name,
            "pointer": d.pointer,
            "endpoint": file.endpoint.map(|e| e.path),
            "fixable": d.fix.is_some(),
        },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    r
}

/// A file's location: relative paths against `%SRCROOT%`, absolute ones as `file:` URIs.
fn artifact_location(path: &str) -> Value {
    let p = Path::new(path);
    if p.is_absolute()
        && let Ok(u) = url::Url::from_file_path(p)
    {
        return json!({"uri": u.as_str()});
    }
    json!({"uri": relative_uri(&super::portable_path(path)), "uriBaseId": SRCROOT})
}

/// Percent-encode a relative path (forward slashes) as a URI reference: everything but
/// unreserved characters and `/` is encoded, so no segment can be read as a scheme.
pub fn relative_uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_uris_are_percent_encoded() {
        assert_eq!(relative_uri("a b/c:d.json"), "a%20b/c%3Ad.json");
        assert_eq!(relative_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(relative_uri("é.json"), "%C3%A9.json");
    }

    #[test]
    fn every_code_has_a_rule_entry_and_index() {
        let (table, index) = rule_table();
        assert_eq!(
            table.len(),
            crate::codes::ALL.len() + crate::rules::all().len()
        );
        assert_eq!(index.len(), table.len(), "ids are unique");
        for c in crate::codes::ALL {
            assert_eq!(table[index[c.code]]["id"], c.code);
        }
    }
}
