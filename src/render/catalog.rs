//! What spslint knows, listed: `spslint rules` (every code) and `spslint endpoints`.

use std::io::{self, Write};

use serde::Serialize;

use crate::endpoint::{ENDPOINTS, Kind};
use crate::registry;
use crate::schema::level;

/// One code, core or rule.
#[derive(Debug, Serialize)]
pub struct CodeEntry {
    pub code: &'static str,
    pub name: &'static str,
    /// `core` (syntax, schema, request form, files) or `rule` (semantic rule).
    pub kind: &'static str,
    pub severity: &'static str,
    pub fixable: bool,
    /// Full API paths of the endpoints it applies to (core codes: all of them).
    pub endpoints: Vec<&'static str>,
    /// A whole-repository rule: it judges files against each other.
    pub repository: bool,
    pub summary: &'static str,
}

/// Every code that can be reported: the core codes, then the rules, in registry order.
pub fn codes() -> Vec<CodeEntry> {
    registry::all()
        .iter()
        .map(|e| CodeEntry {
            code: e.code.code,
            name: e.code.name,
            kind: e.kind(),
            severity: e.code.severity.as_str(),
            fixable: e.fixable(),
            endpoints: e.endpoint_paths(),
            repository: e.is_repository(),
            summary: e.summary(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct EndpointEntry {
    pub path: &'static str,
    pub kind: &'static str,
    /// Relative to the repository root.
    pub schema_file: String,
    pub summary: &'static str,
    /// `documented`, `examples` (the whole body is known from examples only) or `mixed`.
    pub level: &'static str,
    /// Where in a body the parts known from examples only start (`*`: any item).
    pub example_only: Vec<String>,
    /// The SPS versions of the reference pages the schema is drawn from.
    pub versions: Vec<String>,
    /// Those pages.
    pub sources: Vec<level::Source>,
}

pub fn endpoints() -> Vec<EndpointEntry> {
    ENDPOINTS
        .iter()
        .map(|e| {
            let schema = e.schema_json();
            EndpointEntry {
                path: e.path,
                kind: match e.kind {
                    Kind::Singleton => "singleton",
                    Kind::Collection => "collection",
                },
                schema_file: format!("schemas/{}", e.schema_file),
                summary: e.summary,
                level: level::endpoint_level(schema),
                example_only: level::example_only_nodes(schema),
                versions: level::versions(schema),
                sources: level::sources(schema),
            }
        })
        .collect()
}

pub fn render_codes_table(out: &mut dyn Write) -> io::Result<()> {
    let all = ENDPOINTS.len();
    let rows: Vec<Vec<String>> = codes()
        .into_iter()
        .map(|c| {
            let endpoints = if c.repository {
                "repository".to_string()
            } else if c.endpoints.len() == all {
                "all".to_string()
            } else {
                c.endpoints
                    .iter()
                    .map(|p| crate::endpoint::by_name(p).map_or(*p, |e| e.config_path()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            vec![
                c.code.to_string(),
                c.name.to_string(),
                c.severity.to_string(),
                if c.fixable { "yes" } else { "no" }.to_string(),
                endpoints,
            ]
        })
        .collect();
    table(
        out,
        &["CODE", "NAME", "SEVERITY", "FIXABLE", "ENDPOINTS"],
        &rows,
    )
}

/// One row per endpoint; below the table, each endpoint's example-only parts and source pages.
pub fn render_endpoints_table(out: &mut dyn Write) -> io::Result<()> {
    let entries = endpoints();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.path.to_string(),
                e.kind.to_string(),
                e.level.to_string(),
                if e.versions.is_empty() {
                    "-".to_string()
                } else {
                    e.versions.join(",")
                },
                e.schema_file.clone(),
                e.summary.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &["PATH", "KIND", "LEVEL", "VERSIONS", "SCHEMA", "SUMMARY"],
        &rows,
    )?;
    writeln!(out, "\nSOURCES")?;
    for e in &entries {
        writeln!(out, "{}", e.path)?;
        if !e.example_only.is_empty() {
            writeln!(
                out,
                "  known from examples only: {}",
                e.example_only.join(", ")
            )?;
        }
        for s in &e.sources {
            let shows = if s.shows.is_empty() {
                String::new()
            } else {
                format!(": {}", s.shows)
            };
            writeln!(out, "  {} ({}){shows}", s.page, s.versions.join(", "))?;
        }
    }
    Ok(())
}

/// `spslint rules`: the table, or JSON.
pub fn write_codes(json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        render_json(&codes(), out)
    } else {
        render_codes_table(out)
    }
}

/// `spslint endpoints`: the table, or JSON.
pub fn write_endpoints(json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        render_json(&endpoints(), out)
    } else {
        render_endpoints_table(out)
    }
}

pub fn render_json<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Left-aligned columns two spaces apart; the last column is not padded.
fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>, out: &mut dyn Write| -> io::Result<()> {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(cell);
                let pad = widths[i] - cell.chars().count() + 2;
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(header.to_vec(), out)?;
    for row in rows {
        line(row.iter().map(String::as_str).collect(), out)?;
    }
    Ok(())
}
