//! The crate's layers: every top-level module of `src/` belongs to one, and a module uses only
//! modules listed before it (its own layer's earlier ones, or a lower layer's). That makes the
//! module graph acyclic by construction; this test reads the sources and fails on any `use`
//! that points up or sideways, naming the file and the path.
//!
//! Unit tests (`#[cfg(test)] mod tests`, at the end of a file by convention) are not counted:
//! a test may build its input through any layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Bottom to top. A new module is added here, in the layer it belongs to.
const LAYERS: &[(&str, &[&str])] = &[
    // What everything talks about: findings, codes, selections, the endpoint catalogue.
    (
        "model",
        &["diagnostic", "codes", "text", "selection", "endpoint"],
    ),
    // One file's bytes to its report, and the repository rules over an index of facts.
    // No file system, no configuration lookup, no printing.
    (
        "engine",
        &[
            "values",
            "document",
            "spans",
            "secrets",
            "schema",
            "settings",
            "fix",
            "repo",
            "report",
            "rules",
            "core_docs",
            "registry",
            "engine",
        ],
    ),
    // Files, configuration, output and the commands.
    (
        "application",
        &[
            "workspace",
            "read",
            "render",
            "config",
            "lint",
            "fixer",
            "run",
            "check",
            "lsp",
        ],
    ),
];

fn order() -> BTreeMap<&'static str, (usize, &'static str)> {
    let mut out = BTreeMap::new();
    for (layer, modules) in LAYERS {
        for m in *modules {
            let rank = out.len();
            assert!(out.insert(*m, (rank, *layer)).is_none(), "{m} listed twice");
        }
    }
    out
}

/// The code of a file without its unit tests and comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file names through `crate::`, with the text that names them.
fn uses(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: every first segment inside the braces.
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((name.clone(), format!("crate::{{{name}…}}")));
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((name.clone(), format!("crate::{name}")));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let order = order();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(&(rank, layer)) = order.get(top.as_str()) else {
            problems.push(format!(
                "src/{}: module `{top}` is in no layer of LAYERS",
                rel.display()
            ));
            continue;
        };
        seen.insert(top.clone());
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for (name, text) in uses(&code) {
            if name == top {
                continue;
            }
            match order.get(name.as_str()) {
                Some(&(r, _)) if r < rank => {}
                Some(&(_, l)) => problems.push(format!(
                    "src/{}: `{text}`: {top} ({layer}) may not use {name} ({l}), listed after it",
                    rel.display()
                )),
                // `crate::Settings` and the like: the library's re-exports are for its users;
                // inside, a module names the module it uses.
                None => problems.push(format!(
                    "src/{}: `{text}`: name the module (crate::<module>::…), not a re-export",
                    rel.display()
                )),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering broken:\n{}",
        problems.join("\n")
    );
    // Every listed module exists (a renamed one must be renamed here too).
    for (_, modules) in LAYERS {
        for m in *modules {
            assert!(
                seen.contains(*m),
                "LAYERS lists `{m}`, which is not a module of src/"
            );
        }
    }
}

/// The check itself sees what it must: a use of a later module is caught.
#[test]
fn an_upward_use_is_found() {
    let code = code_of(
        "use crate::{lint::Settings, diagnostic};\nfn f() { crate::render::x(); }\n// crate::run\n#[cfg(test)]\nmod tests { use crate::check; }",
    );
    let names: Vec<String> = uses(&code).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["lint", "diagnostic", "render"]);
}
