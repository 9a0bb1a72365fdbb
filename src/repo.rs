//! The repository index: what each file holds (its collection, key, name and the references it
//! makes), gathered from the same parse that lints it, so cross-file checks cost no second
//! parse of the linted files. Files of the repository that were not asked for are indexed too
//! (pre-commit passes only the changed files), but reported on only when asked for.

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::endpoint::{Endpoint, Kind, PerEndpoint};

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
    (
        "rdp/settings_policies",
        &["-301", "-303"],
        "-301 and -303 are the built-in RDP settings policies (6.0.10 list)",
    ),
    (
        "ssh/settings_policies",
        &["-300"],
        "-300 is the built-in SSH settings policy (7.1 list)",
    ),
    (
        "ica/settings_policies",
        &["-301101020"],
        "-301101020 is the built-in ICA settings policy (6.0.2 list)",
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
    /// The pointer followed by the key, in one allocation: a repository of 100,000 files holds
    /// hundreds of thousands of these until the cross-file rules run.
    text: Box<str>,
    split: u32,
    /// Target collection below /api/configuration (e.g. `passwords`).
    pub collection: &'static str,
}

impl Reference {
    pub fn new(pointer: &str, collection: &'static str, key: &str) -> Self {
        let mut text = String::with_capacity(pointer.len() + key.len());
        text.push_str(pointer);
        text.push_str(key);
        Reference {
            text: text.into_boxed_str(),
            // A pointer of 4 GiB cannot come from a file spslint reads whole.
            split: u32::try_from(pointer.len()).unwrap_or(u32::MAX),
            collection,
        }
    }

    /// Pointer of the key string in the file (the wrapper's `/body` included).
    pub fn pointer(&self) -> &str {
        &self.text[..self.split as usize]
    }

    /// The key referred to.
    pub fn key(&self) -> &str {
        &self.text[self.split as usize..]
    }
}

/// Where a saved response keeps the object's key.
pub const RESPONSE_KEY_POINTER: &str = "/key";

/// What the cross-file checks need to know of one file. Kept for every file of a run, so it
/// holds no more than the rules use, in boxed strings and slices (no spare capacity).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub endpoint: Option<&'static Endpoint>,
    /// The file name without `.json` (objects of a collection only).
    pub stem: Option<Box<str>>,
    /// A saved response's `key` (objects of a collection only).
    pub response_key: Option<Box<str>>,
    /// The body's `name`.
    pub name: Option<Box<str>>,
    /// The body is a saved response's `/body`.
    pub wrapped: bool,
    pub references: Box<[Reference]>,
    /// For password objects: whether the text meets SNMP's password syntax (never the text);
    /// the repository rule REPO005 judges the references to it.
    pub snmp_password: Option<Result<(), crate::values::snmp_password::PasswordError>>,
    /// For connection policies and protocol options: how many days connection metadata is kept
    /// when cleanup is enabled, and where that number is in the body.
    pub cleanup_days: Option<(u64, &'static str)>,
}

impl Facts {
    pub fn collection(&self) -> Option<&'static str> {
        self.endpoint
            .filter(|e| e.kind == Kind::Collection)
            .map(|e| e.config_path())
    }

    /// Object key, for one object of a collection: the saved response's key, else the file stem.
    pub fn key(&self) -> Option<&str> {
        self.response_key.as_deref().or(self.stem.as_deref())
    }

    /// Pointer of `name` in the file.
    pub fn name_pointer(&self) -> &'static str {
        if self.wrapped { "/body/name" } else { "/name" }
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
    // Per endpoint, on first use: a one-file run reads one schema, not all of them.
    static CACHE: PerEndpoint<Vec<RefPath>> = PerEndpoint::new();
    CACHE.get_or_init(endpoint, || {
        let schema = endpoint.schema_json();
        let mut out = Vec::new();
        collect_refs(schema, schema, &mut Vec::new(), &mut out, 0);
        out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        out.dedup();
        out
    })
}

/// The schemas live as long as the process, so the collection names found in them are
/// borrowed for good: `Reference` stays cheap to copy, with nothing interned.
fn collect_refs(
    root: &'static Value,
    node: &'static Value,
    path: &mut Vec<Seg>,
    out: &mut Vec<(Vec<Seg>, &'static str)>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    // A `$ref` that resolves nowhere ends the walk there.
    let local_ref = node
        .get("$ref")
        .and_then(Value::as_str)
        .filter(|r| r.starts_with('#'));
    let node = match local_ref {
        Some(r) => match crate::endpoint::ref_target(root, r) {
            Some(n) => n,
            None => return,
        },
        None => node,
    };
    if let Some(c) = node.get("x-spslint-ref").and_then(Value::as_str) {
        out.push((path.clone(), c));
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

/// Collect the references at `segs` below `value`; `pointer` is the buffer of the current
/// position, restored on return.
fn extract(
    value: &Value,
    segs: &[Seg],
    pointer: &mut String,
    collection: &'static str,
    out: &mut Vec<Reference>,
) {
    let len = pointer.len();
    match segs.split_first() {
        None => {
            if let Some(k) = value.as_str() {
                out.push(Reference::new(pointer, collection, k));
            }
        }
        Some((Seg::Key(k), rest)) => {
            if let Some(v) = value.get(k) {
                crate::diagnostic::push_token(pointer, k);
                extract(v, rest, pointer, collection, out);
            }
        }
        Some((Seg::AnyItem, rest)) => {
            if let Some(a) = value.as_array() {
                for (i, v) in a.iter().enumerate() {
                    crate::diagnostic::push_index(pointer, i);
                    extract(v, rest, pointer, collection, out);
                    pointer.truncate(len);
                }
            }
        }
    }
    pointer.truncate(len);
}

/// The facts of one parsed body (`body` at `/body` in the file when `wrapped`).
pub fn facts(
    endpoint: &'static Endpoint,
    body: &Value,
    wrapped: bool,
    stem: Option<&str>,
    response_key: Option<&str>,
) -> Facts {
    let mut references = Vec::new();
    let mut pointer = String::with_capacity(64);
    for (segs, collection) in reference_paths(endpoint) {
        pointer.clear();
        if wrapped {
            pointer.push_str("/body");
        }
        extract(body, segs, &mut pointer, collection, &mut references);
    }
    let snmp_password = (endpoint.config_path() == "passwords")
        .then(|| body.get("plain").and_then(Value::as_str))
        .flatten()
        .map(crate::values::snmp_password::check_snmp_password);
    Facts {
        endpoint: Some(endpoint),
        stem: stem.map(Box::from),
        response_key: response_key.map(Box::from),
        name: body.get("name").and_then(Value::as_str).map(Box::from),
        wrapped,
        references: references.into_boxed_slice(),
        snmp_password,
        cleanup_days: cleanup_days(endpoint, body),
    }
}

/// The metadata retention of a connection policy or of a protocol's options, when its cleanup
/// is enabled: `channel_database_cleanup.days`, or in the earlier options shape
/// `audit.cleanup.channel_database_cleanup_days`.
fn cleanup_days(endpoint: &Endpoint, body: &Value) -> Option<(u64, &'static str)> {
    let path = endpoint.config_path();
    if !(path.ends_with("/connections") || path.ends_with("/options")) {
        return None;
    }
    let enabled = |v: &Value| v.get("enabled") == Some(&Value::Bool(true));
    if let Some(c) = body.get("channel_database_cleanup").filter(|c| enabled(c)) {
        return Some((c.get("days")?.as_u64()?, "/channel_database_cleanup/days"));
    }
    let c = body.get("audit")?.get("cleanup").filter(|c| enabled(c))?;
    Some((
        c.get("channel_database_cleanup_days")?.as_u64()?,
        "/audit/cleanup/channel_database_cleanup_days",
    ))
}

/// One file in the index: its path as reported and its facts.
pub struct Entry<'a> {
    pub path: &'a str,
    pub facts: &'a Facts,
    /// Where its diagnostics go: the file's index in the run's report, or `None` for a file
    /// that is indexed only (references resolve against it, nothing is reported on it).
    pub reported: Option<usize>,
}

impl Entry<'_> {
    pub fn is_reported(&self) -> bool {
        self.reported.is_some()
    }
}

/// Cross-file findings, with the index in the run's report of the file each belongs to.
pub type Findings = Vec<(usize, Diagnostic)>;

/// The index of a whole repository.
pub struct Index<'a> {
    pub entries: Vec<Entry<'a>>,
    /// collection -> key -> the first entry with that key (a second one is a clash of file
    /// and response key, which the key rules report).
    by_key: FastMap<&'static str, FastMap<&'a str, u32>>,
}

type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

impl<'a> Index<'a> {
    pub fn new(entries: Vec<Entry<'a>>) -> Self {
        let mut by_key: FastMap<&'static str, FastMap<&'a str, u32>> = FastMap::default();
        for (i, e) in entries.iter().enumerate() {
            if let (Some(c), Some(k)) = (e.facts.collection(), e.facts.key()) {
                let i = u32::try_from(i).expect("fewer than 4 billion files");
                by_key.entry(c).or_default().entry(k).or_insert(i);
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
            .map(|&i| &self.entries[i as usize])
    }

    /// The key of `collection` a mistyped `key` was probably meant to be: within about one
    /// edit in three characters (as every did-you-mean of spslint), the closest first.
    pub fn closest_key(&self, collection: &str, key: &str) -> Option<&'a str> {
        let keys = self.by_key.get(collection)?;
        let len = key.chars().count();
        let counts = key.is_ascii().then(|| char_counts(key));
        let mut best: Option<(&'a str, usize)> = None;
        for &candidate in keys.keys() {
            let clen = candidate.chars().count();
            let allowed = (len.max(clen) / 3).max(1);
            if clen.abs_diff(len) > allowed {
                continue;
            }
            // The characters the two do not share bound the edit distance from below, and
            // cost a pass over each: most keys (random identifiers) are ruled out here.
            if let Some(counts) = counts.as_ref().filter(|_| candidate.is_ascii()) {
                let other = char_counts(candidate);
                let (more, fewer) =
                    counts
                        .iter()
                        .zip(other.iter())
                        .fold((0usize, 0usize), |(m, f), (a, b)| {
                            (
                                m + a.saturating_sub(*b) as usize,
                                f + b.saturating_sub(*a) as usize,
                            )
                        });
                if more.max(fewer) > allowed {
                    continue;
                }
            }
            let distance = strsim::damerau_levenshtein(key, candidate);
            // Ties go to the smaller key: the map's order is not the same from run to run.
            if distance <= allowed && best.is_none_or(|(k, d)| (distance, candidate) < (d, k)) {
                best = Some((candidate, distance));
            }
        }
        best.map(|(k, _)| k)
    }

    /// Collections other than `collection` that hold an object with this key.
    pub fn elsewhere(&self, collection: &str, key: &str) -> Vec<(&'static str, &Entry<'a>)> {
        let mut found: Vec<(&'static str, &Entry<'a>)> = self
            .by_key
            .iter()
            .filter(|(c, _)| **c != collection)
            .filter_map(|(c, m)| m.get(key).map(|&i| (*c, &self.entries[i as usize])))
            .collect();
        found.sort_by_key(|(c, _)| *c);
        found
    }
}

/// How often each byte occurs (saturating), for the cheap lower bound of an edit distance.
fn char_counts(s: &str) -> [u8; 256] {
    let mut counts = [0u8; 256];
    for b in s.bytes() {
        counts[b as usize] = counts[b as usize].saturating_add(1);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_keys_are_known_per_collection() {
        assert!(is_built_in("policies/time_policies", "-100"));
        assert!(is_built_in("rdp/settings_policies", "-301"));
        assert!(is_built_in("rdp/settings_policies", "-303"));
        assert!(is_built_in("ssh/settings_policies", "-300"));
        assert!(!is_built_in("ssh/settings_policies", "-301"));
        assert!(!is_built_in("rdp/settings_policies", "-300"));
    }
}

#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::{RepoContext, Rule};
    use crate::settings::Settings;

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
            stem: Some(key.into()),
            response_key: None,
            name: name.map(Box::from),
            wrapped: false,
            references: refs
                .into_iter()
                .map(|(p, c, k)| Reference::new(p, c, k))
                .collect(),
            snmp_password: None,
            cleanup_days: None,
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
                .enumerate()
                .map(|(i, (p, f))| Entry {
                    path: p,
                    facts: f,
                    reported: Some(i),
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
        let mut found: Vec<(String, String, Severity)> = out
            .into_iter()
            .map(|(i, d)| (files[i].0.to_string(), d.pointer, d.severity))
            .collect();
        // By file, each file's findings in the order the rule made them.
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    }
}
