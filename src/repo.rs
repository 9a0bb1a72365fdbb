//! The repository index: what each file holds (its collection, key, name and the references it
//! makes), gathered from the same parse that lints it, so cross-file checks cost no second
//! parse of the linted files. Files of the repository that were not asked for are indexed too
//! (pre-commit passes only the changed files), but reported on only when asked for.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, join_pointer};
use crate::endpoint::{ENDPOINTS, Endpoint, Kind};

/// Built-in objects SPS ships, by collection (below /api/configuration). They have negative
/// keys and never appear in a configuration repository.
pub const BUILT_INS: &[(&str, &[&str], &str)] = &[
    (
        "policies/time_policies",
        &["-100"],
        "-100 is the built-in all-day, every-day time policy (7x24)",
    ),
    (
        "policies/userlists",
        &["-1", "-2", "-3", "-4"],
        "-1 to -4 are the default user lists",
    ),
    (
        "rdp/channel_policies",
        &["-20100"],
        "-20100 is the default RDP channel policy",
    ),
];

pub fn is_built_in(collection: &str, key: &str) -> bool {
    BUILT_INS
        .iter()
        .any(|(c, keys, _)| *c == collection && keys.contains(&key))
}

/// One reference a body makes to another object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Pointer of the key string in the file (the wrapper's `/body` included).
    pub pointer: String,
    /// Target collection below /api/configuration (e.g. `passwords`).
    pub collection: &'static str,
    pub key: String,
}

/// What the cross-file checks need to know of one file.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub endpoint: Option<&'static Endpoint>,
    /// Object key, for one object of a collection: the saved response's key, else the file stem.
    pub key: Option<String>,
    /// The file name without `.json`.
    pub stem: Option<String>,
    /// A saved response's `key` and its pointer.
    pub response_key: Option<(String, String)>,
    /// `name` and its pointer.
    pub name: Option<(String, String)>,
    pub references: Vec<Reference>,
    /// For password objects: whether the text meets the SNMP password rules (never the text).
    pub snmp_password_problem: Option<Option<String>>,
}

impl Facts {
    pub fn collection(&self) -> Option<&'static str> {
        self.endpoint
            .filter(|e| e.kind == Kind::Collection)
            .map(|e| e.config_path())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    AnyItem,
}

/// A reference position (path through the body) and the collection it refers to.
type RefPath = (Vec<Seg>, &'static str);

/// Reference positions of an endpoint, read from its schema's `x-spslint-ref` annotations.
fn reference_paths(endpoint: &Endpoint) -> &'static [RefPath] {
    static CACHE: OnceLock<Vec<Vec<RefPath>>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        ENDPOINTS
            .iter()
            .map(|e| {
                let schema = crate::schema::schema(e);
                let mut out = Vec::new();
                collect_refs(schema, schema, &mut Vec::new(), &mut out, 0);
                out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                out.dedup();
                out
            })
            .collect()
    });
    &all[endpoint.index()]
}

fn collect_refs(
    root: &Value,
    node: &Value,
    path: &mut Vec<Seg>,
    out: &mut Vec<(Vec<Seg>, &'static str)>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let node = match node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(target) => match root.pointer(target) {
            Some(n) => n,
            None => return,
        },
        None => node,
    };
    if let Some(c) = node.get("x-spslint-ref").and_then(Value::as_str) {
        out.push((path.clone(), leak(c)));
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            path.push(Seg::Key(k.clone()));
            collect_refs(root, v, path, out, depth + 1);
            path.pop();
        }
    }
    if let Some(items) = node.get("items") {
        path.push(Seg::AnyItem);
        collect_refs(root, items, path, out, depth + 1);
        path.pop();
    }
    for k in ["then", "else"] {
        if let Some(sub) = node.get(k) {
            collect_refs(root, sub, path, out, depth + 1);
        }
    }
    if let Some(all) = node.get("allOf").and_then(Value::as_array) {
        for sub in all {
            collect_refs(root, sub, path, out, depth + 1);
        }
    }
}

/// Collection names live as long as the schemas (the whole process); interning them keeps
/// `Reference` cheap to copy around.
fn leak(s: &str) -> &'static str {
    static NAMES: OnceLock<std::sync::Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == s) {
        return n;
    }
    let n: &'static str = Box::leak(s.to_string().into_boxed_str());
    names.push(n);
    n
}

fn extract(
    value: &Value,
    segs: &[Seg],
    pointer: String,
    collection: &'static str,
    out: &mut Vec<Reference>,
) {
    match segs.split_first() {
        None => {
            if let Some(k) = value.as_str() {
                out.push(Reference {
                    pointer,
                    collection,
                    key: k.to_string(),
                });
            }
        }
        Some((Seg::Key(k), rest)) => {
            if let Some(v) = value.get(k) {
                extract(v, rest, join_pointer(&pointer, k), collection, out);
            }
        }
        Some((Seg::AnyItem, rest)) => {
            if let Some(a) = value.as_array() {
                for (i, v) in a.iter().enumerate() {
                    extract(v, rest, format!("{pointer}/{i}"), collection, out);
                }
            }
        }
    }
}

/// The facts of one parsed body (`body` at `base` in the file).
pub fn facts(
    endpoint: &'static Endpoint,
    body: &Value,
    base: &str,
    key: Option<String>,
    stem: Option<String>,
    response_key: Option<String>,
) -> Facts {
    let mut references = Vec::new();
    for (segs, collection) in reference_paths(endpoint) {
        extract(body, segs, base.to_string(), collection, &mut references);
    }
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .map(|n| (join_pointer(base, "name"), n.to_string()));
    let snmp_password_problem = (endpoint.config_path() == "passwords")
        .then(|| body.get("plain").and_then(Value::as_str))
        .flatten()
        .map(|plain| {
            crate::rules::snmp_password_syntax::check_snmp_password(plain)
                .err()
                .map(|e| e.to_string())
        });
    Facts {
        endpoint: Some(endpoint),
        key,
        stem,
        response_key: response_key.map(|k| ("/key".to_string(), k)),
        name,
        references,
        snmp_password_problem,
    }
}

/// Where the repository of a run starts: the nearest folder at or above `start` holding
/// `spslint.toml`, else the nearest holding `.git`. Without either there is no repository to
/// index beyond the files given (a stray folder of bodies is not a configuration repository,
/// and indexing the current directory could mean reading a whole home folder).
pub fn root_for(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    ["spslint.toml", ".git"]
        .iter()
        .find_map(|marker| dir.ancestors().find(|d| d.join(marker).exists()))
        .map(Path::to_path_buf)
}

/// One file in the index: its path as reported and its facts.
pub struct Entry<'a> {
    pub path: &'a str,
    pub facts: &'a Facts,
    /// Whether diagnostics are reported for it.
    pub reported: bool,
}

/// Cross-file findings, by the path of the file they belong to.
pub type Findings = BTreeMap<String, Vec<Diagnostic>>;

/// The index of a whole repository.
pub struct Index<'a> {
    pub entries: Vec<Entry<'a>>,
    /// collection -> key -> entry indexes (more than one is a clash of file and response key).
    by_key: HashMap<&'static str, HashMap<&'a str, Vec<usize>>>,
}

impl<'a> Index<'a> {
    pub fn new(entries: Vec<Entry<'a>>) -> Self {
        let mut by_key: HashMap<&'static str, HashMap<&'a str, Vec<usize>>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let (Some(c), Some(k)) = (e.facts.collection(), e.facts.key.as_deref()) {
                by_key.entry(c).or_default().entry(k).or_default().push(i);
            }
        }
        Index { entries, by_key }
    }

    /// Whether the repository keeps objects of this collection at all.
    pub fn keeps(&self, collection: &str) -> bool {
        self.by_key.contains_key(collection)
    }

    pub fn lookup(&self, collection: &str, key: &str) -> Option<&Entry<'a>> {
        self.by_key
            .get(collection)
            .and_then(|m| m.get(key))
            .and_then(|v| v.first())
            .map(|&i| &self.entries[i])
    }

    /// Collections other than `collection` that hold an object with this key.
    pub fn elsewhere(&self, collection: &str, key: &str) -> Vec<(&'static str, &Entry<'a>)> {
        let mut found: Vec<(&'static str, &Entry<'a>)> = self
            .by_key
            .iter()
            .filter(|(c, _)| **c != collection)
            .filter_map(|(c, m)| {
                m.get(key)
                    .and_then(|v| v.first())
                    .map(|&i| (*c, &self.entries[i]))
            })
            .collect();
        found.sort_by_key(|(c, _)| *c);
        found
    }
}

/// A reference key for a message: hidden under a secret-looking field, where a pasted password
/// may stand instead of a key.
pub fn shown_key(r: &Reference) -> String {
    if crate::secrets::is_secret_pointer(&r.pointer) && r.collection != "passwords" {
        "(hidden)".to_string()
    } else if crate::secrets::is_secret_pointer(&r.pointer) {
        // A password reference key is an identifier, but the field may hold a pasted password:
        // show only enough of it to find it.
        let shown: String = r.key.chars().take(4).collect();
        format!("\"{shown}…\"")
    } else {
        format!("\"{}\"", r.key)
    }
}

#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::Settings;
    use crate::diagnostic::Severity;
    use crate::rules::{RepoContext, Rule};

    /// Facts of one object of `collection` with `key`, an optional name and references
    /// `(pointer, collection, key)`.
    pub fn facts_of(
        collection: &str,
        key: &str,
        name: Option<&str>,
        refs: Vec<(&str, &'static str, &str)>,
    ) -> Facts {
        Facts {
            endpoint: crate::endpoint::by_name(collection),
            key: Some(key.to_string()),
            stem: Some(key.to_string()),
            response_key: None,
            name: name.map(|n| ("/name".to_string(), n.to_string())),
            references: refs
                .into_iter()
                .map(|(p, c, k)| Reference {
                    pointer: p.to_string(),
                    collection: c,
                    key: k.to_string(),
                })
                .collect(),
            snmp_password_problem: None,
        }
    }

    /// Run one repository rule over files `(path, facts)`, all reported; returns
    /// `(path, pointer, severity)` of each finding.
    pub fn run_repo(
        rule: &dyn Rule,
        files: &[(&str, &Facts)],
        strict_refs: bool,
    ) -> Vec<(String, String, Severity)> {
        let index = Index::new(
            files
                .iter()
                .map(|(p, f)| Entry {
                    path: p,
                    facts: f,
                    reported: true,
                })
                .collect(),
        );
        let settings = Settings {
            strict_refs,
            ..Settings::default()
        };
        let mut out = Findings::new();
        let mut cx = RepoContext::new(&index, &settings, &mut out);
        cx.set_code(rule.meta().as_code());
        rule.check_repository(&mut cx);
        out.into_iter()
            .flat_map(|(p, ds)| {
                ds.into_iter()
                    .map(move |d| (p.clone(), d.pointer, d.severity))
            })
            .collect()
    }
}
