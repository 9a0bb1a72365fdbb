//! The language server's one door into the library. Every use of the linter's internals (parse,
//! endpoints, schemas, rules, the repository index, fixes, masking, `spslint.toml`, rule pages)
//! goes through this file, so a reorganisation of the library changes the imports here and
//! nothing else in `crate::lsp`. The rest of the server sees only the plain types below: byte
//! offsets into the document's text, codes, messages and edits. (The `url` crate, for file URIs,
//! is used here too, so the other files need nothing but the protocol crates.)

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Severity};
use crate::endpoint::Endpoint;
use crate::lint;
use crate::read::Refusal;
use crate::registry;
use crate::repo::{self, Entry, Facts, Index};
use crate::settings::Settings;
use crate::workspace as repo_files;
use crate::{engine, rules, schema, secrets, spans};

/// The configuration file a repository may have.
pub const CONFIG_FILE: &str = config::FILE_NAME;

/// One finding, located in the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub error: bool,
    /// Masked as in every CLI format: no secret value is ever quoted.
    pub message: String,
    pub help: Option<String>,
    /// RFC 6901 pointer of the node the finding is about.
    pub pointer: String,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    pub fix: Option<Fix>,
}

/// A safe fix: byte-range replacements in the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(usize, usize, String)>,
}

/// An open document: its text (the buffer, which replaces the file on disk for every check)
/// and what the last lint found.
struct Open {
    text: String,
    /// Not a file: never placed in the repository.
    alone: bool,
    /// Its place below the repository root, when it is in the workspace's repository.
    place: Option<String>,
    endpoint: Option<&'static Endpoint>,
    /// The body is a saved response's `/body`.
    wrapped: bool,
    /// Per-file findings, located (they depend on this text alone).
    own: Vec<Diagnostic>,
    /// Repository findings, not located: their pointers are resolved against the current text
    /// when published, so an edit that leaves the repository facts alone needs no new pass.
    repo: Vec<Diagnostic>,
}

/// A file of the repository as the index knows it: from disk, or from an open buffer.
struct Indexed {
    /// Its place, as repository messages name it.
    shown: String,
    facts: Facts,
}

type Place = Arc<str>;
type Places = BTreeSet<Place>;
/// A set of places, sorted: most keys and names have one file, and a vector of one costs a
/// tenth of a tree set's node.
type PlaceList = Vec<Place>;

/// The repository's files with facts, by place, and which places hold what: the maps pick the
/// part of the index that the repository rules read for one document (see [`Store::related`]).
#[derive(Default)]
struct Store {
    /// Sorted by place, so the rules see the files in one stable order.
    files: BTreeMap<Place, Indexed>,
    /// Endpoint (below /api/configuration) -> places of its files.
    by_endpoint: HashMap<&'static str, PlaceList>,
    // The maps below are keyed by a hash of the text, not the text: a 10,000-file repository
    // holds tens of thousands of password references, and a copy of each key would be most of
    // the server's memory. A collision only adds a file to what the rules read, which changes
    // no finding (every finding about a document comes from files it names).
    /// Object key -> places of the objects with that key, in any collection.
    by_key: HashMap<u64, PlaceList>,
    /// (collection, name) -> places.
    by_name: HashMap<u64, PlaceList>,
    /// Password key -> places of the files that refer to it.
    password_users: HashMap<u64, PlaceList>,
}

/// Add or remove `place` in the set at `key`, dropping emptied sets.
fn mark<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, PlaceList>,
    key: K,
    place: &Place,
    add: bool,
) {
    if add {
        let list = map.entry(key).or_default();
        if let Err(i) = list.binary_search(place) {
            list.insert(i, place.clone());
        }
    } else if let Some(list) = map.get_mut(&key) {
        if let Ok(i) = list.binary_search(place) {
            list.remove(i);
        }
        if list.is_empty() {
            map.remove(&key);
        }
    }
}

/// The hash the maps of [`Store`] are keyed by (fixed: the same in every process).
fn hash(parts: &[&str]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = foldhash::quality::FixedState::default().build_hasher();
    for p in parts {
        h.write(p.as_bytes());
        h.write_u8(0xff);
    }
    h.finish()
}

impl Store {
    fn len(&self) -> usize {
        self.files.len()
    }

    fn get(&self, place: &str) -> Option<&Indexed> {
        self.files.get(place)
    }

    fn clear(&mut self) {
        *self = Store::default();
    }

    fn index_maps(&mut self, place: &Place, facts: &Facts, add: bool) {
        if let Some(e) = facts.endpoint {
            mark(&mut self.by_endpoint, e.config_path(), place, add);
        }
        if let Some(k) = facts.key() {
            mark(&mut self.by_key, hash(&[k]), place, add);
        }
        if let (Some(c), Some(n)) = (facts.collection(), facts.name.as_deref()) {
            mark(&mut self.by_name, hash(&[c, n]), place, add);
        }
        for r in facts
            .references
            .iter()
            .filter(|r| r.collection == "passwords")
        {
            mark(&mut self.password_users, hash(&[r.key()]), place, add);
        }
    }

    fn insert(&mut self, place: &str, indexed: Indexed) {
        self.remove(place);
        let place: Place = Arc::from(place);
        self.index_maps(&place, &indexed.facts, true);
        self.files.insert(place, indexed);
    }

    fn remove(&mut self, place: &str) -> Option<Indexed> {
        let (place, old) = self.files.remove_entry(place)?;
        self.index_maps(&place, &old.facts, false);
        Some(old)
    }

    /// The places whose facts the repository rules may read when they report on `reported`:
    /// the files themselves; the objects each reference may resolve to (any collection with
    /// that key, for the wrong-collection rule); all of a collection only for a reference that
    /// resolves nowhere in it (the did-you-mean looks at every key); the other objects of the
    /// same collection and name; the other users of each password referred to; and the
    /// protocol's options and connection policies for the retention rule. Every rule reports
    /// on these documents from these facts alone, so the findings are those of the whole index
    /// (a test compares both).
    fn related(&self, reported: &[&str]) -> Places {
        let mut out = Places::new();
        let mut add = |list: Option<&PlaceList>| {
            if let Some(list) = list {
                out.extend(list.iter().cloned());
            }
        };
        for place in reported {
            let Some((p, ix)) = self.files.get_key_value(*place) else {
                continue;
            };
            add(Some(&vec![p.clone()]));
            let f = &ix.facts;
            if let Some(k) = f.key() {
                add(self.by_key.get(&hash(&[k])));
            }
            if let (Some(c), Some(n)) = (f.collection(), f.name.as_deref()) {
                add(self.by_name.get(&hash(&[c, n])));
            }
            for r in f.references.iter() {
                let holders = self.by_key.get(&hash(&[r.key()]));
                let resolves = holders.is_some_and(|h| {
                    h.iter().filter_map(|p| self.files.get(p)).any(|i| {
                        i.facts.collection() == Some(r.collection) && i.facts.key() == Some(r.key())
                    })
                });
                add(holders);
                // Built-in objects (negative keys) are in no repository, and every rule takes
                // them as resolved: their collection is not needed.
                if !resolves && !repo::is_built_in(r.collection, r.key()) {
                    add(self.by_endpoint.get(r.collection));
                }
                if r.collection == "passwords" {
                    add(self.password_users.get(&hash(&[r.key()])));
                }
            }
            if let Some(e) = f.endpoint {
                for protocol in ["rdp", "ssh"] {
                    let options = format!("{protocol}/options");
                    let connections = format!("{protocol}/connections");
                    let path = e.config_path();
                    if path == options || path == connections {
                        add(self.by_endpoint.get(options.as_str()));
                        add(self.by_endpoint.get(connections.as_str()));
                    }
                }
            }
        }
        out
    }
}

/// The workspace's repository, its configuration, its index and the open documents.
pub struct Workspace {
    root: Option<PathBuf>,
    settings: Settings,
    /// The repository's `spslint.toml`, when it has a usable one.
    config: Option<Config>,
    /// The settings of documents outside the repository: the defaults, no configuration.
    alone: Settings,
    /// `spslint.toml` could not be used: said once to the user; files are linted without it.
    pub config_error: Option<String>,
    /// Every file of the repository with facts.
    files: Store,
    open: HashMap<PathBuf, Open>,
}

/// Settings for files outside any repository: the defaults, no configuration.
fn plain_settings() -> Settings {
    Settings {
        keep_source: false,
        ..Settings::default()
    }
}

impl Workspace {
    /// A workspace without a repository: every document is linted alone.
    pub fn empty() -> Workspace {
        Workspace {
            root: None,
            settings: plain_settings(),
            config: None,
            alone: plain_settings(),
            config_error: None,
            files: Store::default(),
            open: HashMap::new(),
        }
    }

    /// The repository of the workspace folder `folder` (the nearest `spslint.toml`, else `.git`,
    /// at or above it, as the CLI finds it), with its configuration, indexed once.
    pub fn new(folder: &Path) -> Workspace {
        let mut ws = Workspace::empty();
        ws.root = repo_files::locate(folder).map(|(root, _)| root);
        ws.load();
        ws
    }

    /// The repository root, when the workspace has one.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// How many files the index holds.
    pub fn indexed(&self) -> usize {
        self.files.len()
    }

    /// Read the configuration and index every file of the repository (open buffers win over
    /// their files on disk).
    fn load(&mut self) {
        self.settings = plain_settings();
        self.config = None;
        self.config_error = None;
        self.files.clear();
        let Some(root) = self.root.clone() else {
            return;
        };
        let file = root.join(CONFIG_FILE);
        if file.is_file() {
            match config::load_at(&file, CONFIG_FILE.to_string()) {
                Ok(c) => {
                    c.apply_shared(&mut self.settings);
                    self.config = Some(c);
                }
                Err(e) => self.config_error = Some(e.to_string()),
            }
        }
        let (all, _unreadable) = lint::discover(std::slice::from_ref(&root));
        let (settings, config) = (&self.settings, self.config.as_ref());
        let found: Vec<(String, Indexed)> = all
            .par_iter()
            .filter_map(|p| {
                let place = repo_files::place_below(&root, p)?;
                let (shown, facts) = lint::index_only(p, &place, Some(&root), settings, config)?;
                Some((place, Indexed { shown, facts }))
            })
            .collect();
        for (place, indexed) in found {
            self.files.insert(&place, indexed);
        }
        let paths: Vec<(PathBuf, bool)> = self
            .open
            .iter()
            .map(|(p, o)| (p.clone(), o.alone))
            .collect();
        for (path, alone) in paths {
            let text = std::mem::take(&mut self.open.get_mut(&path).expect("open").text);
            self.set_document(&path, text, alone);
        }
    }

    /// `spslint.toml` changed: read it again and index anew (its `[endpoints]` may map files
    /// differently).
    pub fn reload(&mut self) {
        self.load();
    }

    /// Where a path is in the repository, when it is in it.
    fn place_of(&self, path: &Path) -> Option<String> {
        let root = self.root.as_deref()?;
        let (r, place) = repo_files::locate(path)?;
        (r == root).then_some(place)
    }

    /// Lint a buffer (the document's unsaved text). Returns whether what the repository knows
    /// of the file (its key, name, references, ...) changed, so the repository rules must run
    /// again.
    /// `alone`: a document that is no file (an untitled buffer) is never placed in the
    /// repository.
    pub fn set_document(&mut self, path: &Path, text: String, alone: bool) -> bool {
        let place = if alone { None } else { self.place_of(path) };
        // Certificates are judged at the time of the edit, not of the server's start.
        let now = Settings::default().now_unix;
        self.settings.now_unix = now;
        self.alone.now_unix = now;
        let (settings, config, name) = match (&place, &self.root) {
            (Some(p), Some(root)) => (
                &self.settings,
                self.config.as_ref(),
                root.join(p).display().to_string(),
            ),
            _ => (&self.alone, None, path.display().to_string()),
        };
        let limit = settings.max_file_size;
        let report = if text.len() as u64 > limit {
            // As the CLI does with a file over the limit: reported, not parsed.
            let refusal = Refusal::TooLarge {
                size: Some(text.len() as u64),
                limit,
            };
            lint::refused(name, &refusal, settings, config)
        } else {
            let file = config::resolve(config, settings, &name);
            engine::lint_file(
                name.clone(),
                place.as_deref(),
                text.as_bytes(),
                settings,
                &file,
            )
        };
        let wrapped = report.facts.as_ref().is_some_and(|f| f.wrapped);
        let changed = match &place {
            Some(p) => {
                let old = self.files.get(p).map(|i| &i.facts);
                let changed = !same_facts(old, report.facts.as_ref());
                match report.facts {
                    Some(facts) => {
                        self.files.insert(
                            p,
                            Indexed {
                                shown: p.clone(),
                                facts,
                            },
                        );
                    }
                    // A buffer that does not parse holds nothing the index can use, as a
                    // file on disk that does not parse.
                    None => {
                        self.files.remove(p);
                    }
                }
                changed
            }
            None => false,
        };
        let repo = self.open.remove(path).map(|o| o.repo).unwrap_or_default();
        self.open.insert(
            path.to_path_buf(),
            Open {
                text,
                alone,
                place,
                endpoint: report.endpoint,
                wrapped,
                own: report.diagnostics,
                repo,
            },
        );
        changed
    }

    /// The document is closed: the file on disk is what the repository holds again. Returns
    /// whether the index changed.
    pub fn close_document(&mut self, path: &Path) -> bool {
        let Some(open) = self.open.remove(path) else {
            return false;
        };
        match open.place {
            Some(place) => self.reindex(&place),
            None => false,
        }
    }

    /// The text of an open document.
    pub fn text(&self, path: &Path) -> Option<&str> {
        self.open.get(path).map(|o| o.text.as_str())
    }

    /// A file changed, appeared or disappeared on disk. Open documents are not affected (their
    /// buffer wins). Returns whether the index changed.
    pub fn disk_changed(&mut self, path: &Path) -> bool {
        if path.file_name().and_then(|n| n.to_str()) == Some(CONFIG_FILE) {
            self.reload();
            return true;
        }
        if self.open.contains_key(path) {
            return false;
        }
        match self.place_of(path) {
            Some(place) => self.reindex(&place),
            None => false,
        }
    }

    /// Read one file of the repository from disk again.
    fn reindex(&mut self, place: &str) -> bool {
        let Some(root) = self.root.clone() else {
            return false;
        };
        let old = self.files.remove(place);
        let new = lint::index_only(
            &root.join(place),
            place,
            Some(&root),
            &self.settings,
            self.config.as_ref(),
        );
        let changed = !same_facts(old.as_ref().map(|i| &i.facts), new.as_ref().map(|n| &n.1));
        if let Some((shown, facts)) = new {
            self.files.insert(place, Indexed { shown, facts });
        }
        changed
    }

    /// Run the repository rules for the open documents. Returns the open documents whose
    /// repository findings changed. The rules see only the part of the index these documents
    /// touch (`Store::related`), in memory: no other file is read or parsed, and a change
    /// costs the facts it involves, not the size of the repository.
    pub fn check_repository(&mut self) -> Vec<PathBuf> {
        self.check_repository_over(false)
    }

    /// [`Workspace::check_repository`], over the related part of the index or (`whole`) over
    /// all of it.
    fn check_repository_over(&mut self, whole: bool) -> Vec<PathBuf> {
        let Some(root) = self.root.clone() else {
            return Vec::new();
        };
        let open_in_repo: Vec<(PathBuf, String)> = self
            .open
            .iter()
            .filter_map(|(path, o)| Some((path.clone(), o.place.clone()?)))
            .collect();
        let places: Vec<&str> = open_in_repo.iter().map(|(_, p)| p.as_str()).collect();
        let related = (!whole).then(|| self.files.related(&places));
        let mut reported: Vec<usize> = Vec::new();
        let entries: Vec<Entry<'_>> = self
            .files
            .files
            .iter()
            .filter(|(place, _)| related.as_ref().is_none_or(|r| r.contains(*place)))
            .map(|(place, ix)| Entry {
                path: &ix.shown,
                facts: &ix.facts,
                reported: places.iter().position(|p| **p == **place).map(|doc| {
                    reported.push(doc);
                    reported.len() - 1
                }),
            })
            .collect();
        let index = Index::new(entries);
        let settings = &self.settings;
        let findings = rules::run_repository(&index, settings, &|m| {
            settings.selection.enabled(m.code, m.name)
        });
        drop(index);
        let mut per_doc: Vec<Vec<Diagnostic>> = vec![Vec::new(); open_in_repo.len()];
        for (i, d) in findings {
            per_doc[reported[i]].push(d);
        }
        let mut changed = Vec::new();
        // Open documents that were not reported on (no facts) have no findings now.
        for ((path, place), mut found) in open_in_repo.into_iter().zip(per_doc) {
            let name = root.join(&place).display().to_string();
            let file = config::resolve(self.config.as_ref(), &self.settings, &name);
            engine::finish(&file, &mut found, None);
            engine::clip_quoted_values(&mut found);
            let open = self.open.get_mut(&path).expect("open");
            if found != open.repo {
                open.repo = found;
                changed.push(path);
            }
        }
        changed
    }

    /// Every finding of an open document: its own and the repository's, located in its text,
    /// sorted by position.
    pub fn findings(&self, path: &Path) -> Vec<Finding> {
        let Some(open) = self.open.get(path) else {
            return Vec::new();
        };
        let mut all = open.own.clone();
        if !open.repo.is_empty() {
            let mut repo = open.repo.clone();
            let offset = if open.text.starts_with('\u{feff}') {
                3
            } else {
                0
            };
            spans::locate(&open.text, offset, &mut repo);
            all.append(&mut repo);
        }
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        all.into_iter().map(finding).collect()
    }

    /// The hover text of the key (or of the value of the key) at `offset`: the schema's
    /// description, type, allowed values and the level of the docs behind it. Never a value
    /// from the document.
    pub fn hover(&self, path: &Path, offset: usize) -> Option<Hover> {
        let open = self.open.get(path)?;
        let endpoint = open.endpoint?;
        let cx = context_at(&open.text, offset);
        let (tokens, range) = match &cx.slot {
            Slot::Key { token: Some(t) } => (cx.path_with(&t.text), (t.start, t.end)),
            Slot::Value {
                token: Some(t),
                key,
            } => (cx.path_with_opt(key.as_deref()), (t.start, t.end)),
            _ => return None,
        };
        let body_tokens = body_path(&tokens, open.wrapped)?;
        let root = endpoint.schema_json();
        let (node, location) = schema_node(root, &body_tokens)?;
        let mut md = String::new();
        let title = tokens.last().map_or("(body)", String::as_str);
        md.push_str(&format!("**`{}`** · {}", title, endpoint.config_path()));
        let kind = type_text(root, node);
        if !kind.is_empty() {
            md.push_str(&format!(" · {kind}"));
        }
        md.push_str("\n\n");
        if let Some(d) = node.get("description").and_then(Value::as_str) {
            md.push_str(d.trim());
            md.push_str("\n\n");
        }
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            let shown: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            md.push_str(&format!("Allowed values: {}\n\n", shown.join(", ")));
        }
        if let Some(c) = node.get("x-spslint-ref").and_then(Value::as_str) {
            md.push_str(&format!(
                "A reference: the key of an object at `/api/configuration/{c}`.\n\n"
            ));
        }
        let pointer: String = body_tokens
            .iter()
            .map(|t| format!("/{}", crate::diagnostic::escape_token(t)))
            .collect();
        if node.get("x-spslint-secret") == Some(&Value::Bool(true))
            || secrets::is_secret_pointer(&pointer)
        {
            md.push_str("A secret: spslint never shows its value.\n\n");
        }
        let level = match schema::level::level_at(root, &location) {
            schema::level::Level::Documented => {
                "documented (the SPS reference gives this field's table: an unknown key or value is an error)"
            }
            schema::level::Level::Examples => {
                "example-only (the SPS reference shows examples only: an unknown key or value is a warning)"
            }
        };
        md.push_str(&format!("Docs level: {level}"));
        Some(Hover {
            markdown: md,
            start: range.0,
            end: range.1,
        })
    }

    /// Completion at `offset`: the keys the schema allows in the object being written (those
    /// not written yet), or the allowed values of the key whose value is being written.
    pub fn complete(&self, path: &Path, offset: usize) -> Vec<Completion> {
        let Some(open) = self.open.get(path) else {
            return Vec::new();
        };
        let Some(endpoint) = open.endpoint else {
            return Vec::new();
        };
        let root = endpoint.schema_json();
        let cx = context_at(&open.text, offset);
        let (start, end) = match &cx.slot {
            Slot::Key { token: Some(t) } | Slot::Value { token: Some(t), .. } => (t.start, t.end),
            _ => (offset, offset),
        };
        let mut out = Vec::new();
        match &cx.slot {
            Slot::Key { .. } => {
                let Some(tokens) = body_path(&cx.path, open.wrapped) else {
                    return out;
                };
                let Some((node, _)) = schema_node(root, &tokens) else {
                    return out;
                };
                let mut keys = BTreeMap::new();
                properties(root, node, &mut keys, 0);
                for (k, sub) in keys {
                    if cx.siblings.iter().any(|s| *s == k) {
                        continue;
                    }
                    out.push(Completion {
                        label: k.to_string(),
                        detail: type_text(root, resolve(root, sub)),
                        insert: serde_json::to_string(k).unwrap_or_default(),
                        start,
                        end,
                        key: true,
                    });
                }
            }
            Slot::Value { key, .. } => {
                let tokens = cx.path_with_opt(key.as_deref());
                let Some(tokens) = body_path(&tokens, open.wrapped) else {
                    return out;
                };
                let Some((node, _)) = schema_node(root, &tokens) else {
                    return out;
                };
                let mut values = Vec::new();
                enum_values(root, node, &mut values, 0);
                for v in values {
                    let text = v.to_string();
                    out.push(Completion {
                        label: text.clone(),
                        detail: String::new(),
                        insert: text,
                        start,
                        end,
                        key: false,
                    });
                }
            }
        }
        out
    }

    /// "Ignore this finding here": a `[[suppress]]` table for `finding` in the document at
    /// `path`, and where it goes. `None` outside a repository (there is no `spslint.toml` to
    /// write to).
    pub fn suppression(&self, path: &Path, finding: &Finding) -> Option<Suppression> {
        let root = self.root.as_deref()?;
        let place = self.open.get(path)?.place.as_deref()?;
        let file = root.join(CONFIG_FILE);
        let existing = std::fs::read_to_string(&file).ok();
        let mut table = String::new();
        match &existing {
            Some(t) if !t.is_empty() && !t.ends_with('\n') => table.push_str("\n\n"),
            Some(t) if !t.is_empty() => table.push('\n'),
            _ => {}
        }
        table.push_str(&format!(
            "[[suppress]]\nfiles = {}\n",
            toml_string(&glob_literal(place))
        ));
        if !finding.pointer.is_empty() {
            table.push_str(&format!("pointer = {}\n", toml_string(&finding.pointer)));
        }
        table.push_str(&format!(
            "codes = [{}]\nreason = \"TODO: say why this finding is accepted\"\n",
            toml_string(finding.code)
        ));
        Some(Suppression {
            end: existing.as_deref().map(|t| (t.len(), t.to_string())),
            file,
            text: table,
        })
    }
}

/// Where a suppression is written: appended to `file`, whose current text (and its length in
/// bytes) is `end` when the file exists; `None`: the file is created with `text`.
pub struct Suppression {
    pub file: PathBuf,
    pub end: Option<(usize, String)>,
    pub text: String,
}

pub struct Hover {
    pub markdown: String,
    /// The byte range hovered (the key's string, or the value's).
    pub start: usize,
    pub end: usize,
}

pub struct Completion {
    pub label: String,
    pub detail: String,
    /// JSON text that replaces `start..end` (the partial token under the cursor).
    pub insert: String,
    pub start: usize,
    pub end: usize,
    /// A key (else a value).
    pub key: bool,
}

/// The path of a `file:` URI (`None` for other schemes: an untitled buffer is no file).
pub fn path_of_uri(uri: &str) -> Option<PathBuf> {
    let url = url::Url::parse(uri).ok()?;
    (url.scheme() == "file")
        .then(|| url.to_file_path().ok())
        .flatten()
}

/// The `file:` URI of an absolute path.
pub fn uri_of_path(path: &Path) -> Option<String> {
    Some(url::Url::from_file_path(path).ok()?.to_string())
}

/// The reference page of a code's rule (`rules/<name>.md`), when the code is a rule's; core
/// codes have no page of their own.
pub fn rule_page(code: &str) -> Option<String> {
    match registry::find(code)?.source {
        registry::Source::Rule(r) => Some(format!("{}.md", r.meta().name)),
        _ => None,
    }
}

/// Whether two sets of facts tell the repository rules the same.
fn same_facts(a: Option<&Facts>, b: Option<&Facts>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.endpoint.map(|e| e as *const Endpoint) == b.endpoint.map(|e| e as *const Endpoint)
                && a.stem == b.stem
                && a.response_key == b.response_key
                && a.name == b.name
                && a.wrapped == b.wrapped
                && a.references == b.references
                && a.snmp_password == b.snmp_password
                && a.cleanup_days == b.cleanup_days
        }
        _ => false,
    }
}

fn finding(d: Diagnostic) -> Finding {
    let (start, end) = d.span.map_or((0, 0), |s| (s.start, s.end));
    Finding {
        code: d.code,
        name: d.name,
        error: d.severity == Severity::Error,
        message: d.message,
        help: d.help,
        pointer: d.pointer,
        start,
        end,
        // A fix whose range was not resolved is not offered.
        fix: d
            .fix
            .filter(|f| f.edits.iter().all(|e| e.start != crate::fix::AT_VALUE))
            .map(|f| Fix {
                title: f.description,
                edits: f
                    .edits
                    .into_iter()
                    .map(|e| (e.start, e.end, e.replacement))
                    .collect(),
            }),
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A glob that matches exactly this path (`spslint.toml`'s globs take `\` as an escape).
fn glob_literal(place: &str) -> String {
    let mut out = String::with_capacity(place.len());
    for c in place.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The path below the body: a saved response's body is at `/body`.
fn body_path(tokens: &[String], wrapped: bool) -> Option<Vec<String>> {
    if wrapped {
        match tokens.split_first() {
            Some((first, rest)) if first == "body" => Some(rest.to_vec()),
            _ => None,
        }
    } else {
        Some(tokens.to_vec())
    }
}

/// Follow local `$ref`s (a chain of a few at most).
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        match crate::endpoint::follow_ref(root, node) {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// The schema node of a path below the body, and its keyword location (for the docs level).
fn schema_node<'a>(root: &'a Value, tokens: &[String]) -> Option<(&'a Value, String)> {
    let mut node = root;
    let mut location = String::new();
    for t in tokens {
        let (next, at) = child(root, node, t, 0)?;
        location.push_str(&at);
        node = next;
    }
    Some((node, location))
}

/// The schema of `token` below `node` (a property or an array item), searching the branches
/// of `allOf`, `anyOf`, `oneOf`, `then` and `else`; with the keyword path taken.
fn child<'a>(
    root: &'a Value,
    node: &'a Value,
    token: &str,
    depth: usize,
) -> Option<(&'a Value, String)> {
    if depth > 16 {
        return None;
    }
    let (node, mut at) = if let Some(r) = node.get("$ref") {
        let target = crate::endpoint::ref_target(root, r.as_str()?)?;
        (target, "/$ref".to_string())
    } else {
        (node, String::new())
    };
    if let Some(p) = node.get("properties").and_then(|p| p.get(token)) {
        at.push_str(&format!(
            "/properties/{}",
            crate::diagnostic::escape_token(token)
        ));
        return Some((p, at));
    }
    if token.parse::<usize>().is_ok()
        && let Some(items) = node.get("items")
    {
        at.push_str("/items");
        return Some((items, at));
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        if let Some(subs) = node.get(k).and_then(Value::as_array) {
            for (i, sub) in subs.iter().enumerate() {
                if let Some((n, sub_at)) = child(root, sub, token, depth + 1) {
                    return Some((n, format!("{at}/{k}/{i}{sub_at}")));
                }
            }
        }
    }
    for k in ["then", "else"] {
        if let Some(sub) = node.get(k)
            && let Some((n, sub_at)) = child(root, sub, token, depth + 1)
        {
            return Some((n, format!("{at}/{k}{sub_at}")));
        }
    }
    match node.get("additionalProperties") {
        Some(extra @ Value::Object(_)) => Some((extra, format!("{at}/additionalProperties"))),
        _ => None,
    }
}

/// Every property a node allows, its branches included.
fn properties<'a>(
    root: &'a Value,
    node: &'a Value,
    out: &mut BTreeMap<&'a str, &'a Value>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let node = resolve(root, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            out.entry(k.as_str()).or_insert(v);
        }
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        for sub in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            properties(root, sub, out, depth + 1);
        }
    }
    for k in ["then", "else"] {
        if let Some(sub) = node.get(k) {
            properties(root, sub, out, depth + 1);
        }
    }
}

/// The allowed values of a node (`enum`, `const`), its branches included.
fn enum_values<'a>(root: &'a Value, node: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 16 {
        return;
    }
    let node = resolve(root, node);
    for v in node
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if let Some(v) = node.get("const")
        && !out.contains(&v)
    {
        out.push(v);
    }
    for k in ["anyOf", "oneOf"] {
        for sub in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            enum_values(root, sub, out, depth + 1);
        }
    }
}

/// "string", "integer or null", ...
fn type_text(root: &Value, node: &Value) -> String {
    let node = resolve(root, node);
    match node.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => String::new(),
    }
}

/// A string or scalar token of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    start: usize,
    end: usize,
    /// A string's content (escapes resolved, lossily), else the token as written.
    text: String,
}

/// What the cursor is on.
#[derive(Debug, PartialEq, Eq)]
enum Slot {
    /// Where a key is written in an object (on a key string, when `token`).
    Key { token: Option<Token> },
    /// Where a value is written: of `key` in an object, or an array item (`key` the index).
    Value {
        token: Option<Token>,
        key: Option<String>,
    },
}

/// The place of a cursor in a JSON text, read by a tolerant scan: the text being typed is
/// seldom valid JSON, and completion is wanted exactly then.
#[derive(Debug)]
struct Context {
    /// The path of the container the cursor is in.
    path: Vec<String>,
    slot: Slot,
    /// Keys already written in that object (before the cursor).
    siblings: Vec<String>,
}

impl Context {
    fn path_with(&self, last: &str) -> Vec<String> {
        let mut p = self.path.clone();
        p.push(last.to_string());
        p
    }

    fn path_with_opt(&self, last: Option<&str>) -> Vec<String> {
        match last {
            Some(l) => self.path_with(l),
            None => self.path.clone(),
        }
    }
}

enum Frame {
    Object {
        /// The key whose value comes (or came) last.
        key: Option<String>,
        expecting_key: bool,
        keys: Vec<String>,
    },
    Array {
        index: usize,
    },
}

/// Scan `text` up to `offset` (a byte offset), keeping the stack of containers.
fn context_at(text: &str, offset: usize) -> Context {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut hit: Option<(Token, bool)> = None;
    while i < bytes.len() && i <= offset {
        let b = bytes[i];
        match b {
            b'{' => {
                if i == offset {
                    break;
                }
                stack.push(Frame::Object {
                    key: None,
                    expecting_key: true,
                    keys: Vec::new(),
                });
                i += 1;
            }
            b'[' => {
                if i == offset {
                    break;
                }
                stack.push(Frame::Array { index: 0 });
                i += 1;
            }
            b'}' | b']' => {
                if i == offset {
                    break;
                }
                stack.pop();
                i += 1;
            }
            b',' => {
                if i == offset {
                    break;
                }
                match stack.last_mut() {
                    Some(Frame::Object {
                        expecting_key, key, ..
                    }) => {
                        *expecting_key = true;
                        *key = None;
                    }
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if i == offset {
                    break;
                }
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
                i += 1;
            }
            b'"' => {
                let start = i;
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' && bytes[j] != b'\n' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(bytes.len());
                let raw = text.get(start..end).unwrap_or_default();
                let content = serde_json::from_str::<String>(raw)
                    .unwrap_or_else(|_| raw.trim_matches('"').to_string());
                let is_key = matches!(
                    stack.last(),
                    Some(Frame::Object {
                        expecting_key: true,
                        ..
                    })
                );
                let token = Token {
                    start,
                    end,
                    text: content.clone(),
                };
                // In the string, or just after it (an unclosed string ends at its line's end).
                if start < offset && offset <= end {
                    hit = Some((token, is_key));
                    break;
                }
                if let Some(Frame::Object {
                    key,
                    expecting_key: true,
                    keys,
                }) = stack.last_mut()
                {
                    *key = Some(content.clone());
                    keys.push(content);
                }
                i = end;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                let mut j = i;
                while j < bytes.len()
                    && !matches!(bytes[j], b',' | b'}' | b']' | b':' | b'"')
                    && !bytes[j].is_ascii_whitespace()
                {
                    j += 1;
                }
                if offset >= start && offset <= j {
                    let token = Token {
                        start,
                        end: j,
                        text: text.get(start..j).unwrap_or_default().to_string(),
                    };
                    let is_key = matches!(
                        stack.last(),
                        Some(Frame::Object {
                            expecting_key: true,
                            ..
                        })
                    );
                    hit = Some((token, is_key));
                    break;
                }
                i = j.max(i + 1);
            }
        }
    }
    // Each container is named by its parent: the key it is the value of, or its index.
    let path: Vec<String> = stack
        .windows(2)
        .map(|pair| match &pair[0] {
            Frame::Object { key, .. } => key.clone().unwrap_or_default(),
            Frame::Array { index } => index.to_string(),
        })
        .collect();
    let (slot, siblings) = match stack.last() {
        Some(Frame::Object {
            key,
            expecting_key,
            keys,
        }) => {
            let slot = match (hit, expecting_key) {
                (Some((t, true)), _) => Slot::Key { token: Some(t) },
                (Some((t, false)), _) => Slot::Value {
                    token: Some(t),
                    key: key.clone(),
                },
                (None, true) => Slot::Key { token: None },
                (None, false) => Slot::Value {
                    token: None,
                    key: key.clone(),
                },
            };
            (slot, keys.clone())
        }
        Some(Frame::Array { index }) => (
            Slot::Value {
                token: hit.map(|(t, _)| t),
                key: Some(index.to_string()),
            },
            Vec::new(),
        ),
        None => (
            Slot::Value {
                token: None,
                key: None,
            },
            Vec::new(),
        ),
    };
    Context {
        path,
        slot,
        siblings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot_at(text: &str, marker: &str) -> Context {
        let offset = text.find(marker).expect("marker");
        context_at(&text.replace(marker, ""), offset)
    }

    #[test]
    fn the_scan_finds_keys_values_and_paths() {
        let cx = slot_at(r#"{"a": {"b|": 1}}"#, "|");
        assert_eq!(cx.path, ["a"]);
        assert!(matches!(&cx.slot, Slot::Key { token: Some(t) } if t.text == "b"));
        let cx = slot_at(r#"{"a": [1, {"x": "v|"}]}"#, "|");
        assert_eq!(cx.path, ["a", "1"]);
        assert!(
            matches!(&cx.slot, Slot::Value { token: Some(t), key: Some(k) } if t.text == "v" && k == "x")
        );
        // Typing a new key after others: the keys written so far are known.
        let cx = slot_at("{\"a\": 1,\n  \"|", "|");
        assert!(matches!(&cx.slot, Slot::Key { token: Some(_) }));
        assert_eq!(cx.siblings, ["a"]);
        let cx = slot_at(r#"{"a": |"#, "|");
        assert!(matches!(&cx.slot, Slot::Value { token: None, key: Some(k) } if k == "a"));
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                copy_dir(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }

    /// The part of the index a document touches gives the findings of the whole index: every
    /// repository rule, on edits that make each report.
    #[test]
    fn the_related_index_finds_what_the_whole_index_finds() {
        let dir = tempfile::tempdir().unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example-repo");
        copy_dir(&example, dir.path());
        let root = dir.path().canonicalize().unwrap();
        let cfg = root.join("api/configuration");
        let mut ws = Workspace::new(&root);
        assert_eq!(ws.indexed(), 24);
        let read = |rel: &str| std::fs::read_to_string(cfg.join(rel)).unwrap();
        let edits: Vec<(&str, String)> = vec![
            // A password another file uses too, and one SNMP cannot use.
            (
                "management/snmp/trap.json",
                read("management/snmp/trap.json").replace("\"snmp-auth\"", "\"gw-alice\""),
            ),
            ("passwords/snmp-priv.json", "{\"plain\": \"short\"}".to_string()),
            // Unresolved, with a did-you-mean.
            (
                "ssh/channel_policies/x11-office-hours.json",
                read("ssh/channel_policies/x11-office-hours.json")
                    .replace("\"office-hours\"", "\"office-hourz\""),
            ),
            // A saved response whose key is not its file name.
            (
                "passwords/pw-one.json",
                "{\"body\": {\"plain\": \"one two three\"}, \"key\": \"pw-two\", \"meta\": {\"href\": \"/api/configuration/passwords/pw-two\"}}".to_string(),
            ),
            // Wrong collection: a password key where a time policy belongs.
            (
                "rdp/channel_policies/drawing-office-hours.json",
                read("rdp/channel_policies/drawing-office-hours.json")
                    .replace("\"office-hours\"", "\"gw-alice\""),
            ),
            // A second time policy of the same name.
            (
                "policies/time_policies/office-hours-copy.json",
                read("policies/time_policies/office-hours.json"),
            ),
            // A global retention below a connection policy's.
            (
                "rdp/options.json",
                read("rdp/options.json").replace("\"days\": 365", "\"days\": 30"),
            ),
            // A key with a capital letter.
            ("passwords/Bad-Key.json", "{\"plain\": \"x\"}".to_string()),
        ];
        for (rel, text) in &edits {
            ws.set_document(&cfg.join(rel), text.clone(), false);
        }
        // The related part first: the whole index then changes nothing.
        let changed = ws.check_repository_over(false);
        // The password itself is not reported on: its user is.
        assert_eq!(changed.len(), edits.len() - 1, "each edit makes a finding");
        let mut codes: Vec<&str> = edits
            .iter()
            .flat_map(|(rel, _)| ws.open[&cfg.join(rel)].repo.iter().map(|d| d.code))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes,
            [
                "REPO001", "REPO002", "REPO003", "REPO004", "REPO005", "REPO006", "REPO007",
                "REPO008"
            ]
        );
        assert!(ws.check_repository_over(true).is_empty());
        // And the other way round, after a change that the related part must see: the trap's
        // password is deleted on disk.
        std::fs::remove_file(cfg.join("passwords/gw-alice.json")).unwrap();
        assert!(ws.disk_changed(&cfg.join("passwords/gw-alice.json")));
        assert!(!ws.check_repository_over(true).is_empty());
        assert!(ws.check_repository_over(false).is_empty());
    }

    #[test]
    fn suppression_strings_are_escaped_for_toml_and_globs() {
        assert_eq!(toml_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(glob_literal("p/[x]*.json"), r"p/\[x\]\*.json");
    }
}
