//! Orchestration: find the files, lint each one (in parallel), collect the reports in a
//! deterministic order.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document;
use crate::endpoint::{self, Endpoint, Kind};
use crate::read::{self, ReadError, Refusal};
use crate::rules::{self, RuleContext};
use crate::schema;
use crate::secrets;
use crate::selection::Selection;

/// Everything that shapes a run besides the files themselves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--endpoint`: every file is linted as this endpoint.
    pub endpoint: Option<&'static Endpoint>,
    /// `--require-endpoint`: a file that maps to no endpoint is an error, not skipped.
    pub require_endpoint: bool,
    /// The time certificates are judged at (Unix seconds).
    pub now_unix: i64,
    /// Certificates expiring within this many days are reported.
    pub expiry_window_days: i64,
    /// Which codes run, and at which severity.
    pub selection: Selection,
    /// `--strict-refs`: every unresolved reference is an error, whatever the repository keeps.
    pub strict_refs: bool,
    /// `--sps-version`, else `sps_version` of spslint.toml: the release the bodies are for
    /// (`None`: the newest documented one).
    pub sps_version: Option<crate::schema::version::Version>,
    /// `spslint.toml`: endpoint globs, per-file overrides and suppressions (see `crate::config`).
    pub config: Option<Arc<crate::config::Config>>,
    /// Keep the text of files with findings in their report, for output that shows source
    /// excerpts. Formats that print positions only turn it off: on a large repository the
    /// texts would be most of the memory.
    pub keep_source: bool,
    /// Files larger than this many bytes are reported, not read (`crate::read`).
    pub max_file_size: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoint: None,
            require_endpoint: false,
            now_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            expiry_window_days: 30,
            selection: Selection::default(),
            strict_refs: false,
            sps_version: None,
            config: None,
            keep_source: true,
            max_file_size: crate::read::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// The outcome for one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user gave it (or as found below a directory they gave).
    pub path: String,
    pub endpoint: Option<&'static Endpoint>,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Not linted, and why (counted in the summary and named in every format).
    pub skipped: Option<Skipped>,
    /// The text, kept only when there is something to show.
    pub source: Option<Arc<str>>,
    /// What the repository checks need of this file (when it parsed and has an endpoint).
    pub facts: Option<crate::repo::Facts>,
}

/// Why a file was not linted.
#[derive(Debug, Clone, Copy)]
pub enum Skipped {
    /// No endpoint matches its path; the endpoint it was probably meant for, when one is near,
    /// and the endpoint the SPS reference lists for that path when spslint has no schema for it.
    NoEndpoint {
        closest: Option<&'static Endpoint>,
        documented: Option<&'static str>,
    },
    /// A saved list response (GET of a collection): no request body, whatever its path.
    ListResponse { endpoint: Option<&'static Endpoint> },
}

impl Skipped {
    pub fn message(&self) -> String {
        match self {
            Skipped::NoEndpoint {
                documented: Some(d),
                ..
            } => format!(
                "not checked: the SPS reference lists {d}, but spslint has no schema for it"
            ),
            Skipped::NoEndpoint { .. } => {
                "not checked: no endpoint matches this file's path".to_string()
            }
            Skipped::ListResponse { endpoint: Some(e) } => format!(
                "not checked: a saved list response of {} (GET of a collection), not a request body",
                e.path
            ),
            Skipped::ListResponse { endpoint: None } => {
                "not checked: a saved list response (GET of a collection), not a request body"
                    .to_string()
            }
        }
    }

    pub fn help(&self) -> String {
        match self {
            Skipped::NoEndpoint {
                documented: Some(_),
                ..
            } => "the reference shows too little of this endpoint for a schema (see the README's endpoint list); check the file by hand".to_string(),
            Skipped::NoEndpoint {
                closest: Some(e), ..
            } => format!(
                "did you mean a file under {}? (name the file by its API path, pass --endpoint, or map it in spslint.toml's [endpoints])",
                e.config_path()
            ),
            Skipped::NoEndpoint { closest: None, .. } => "name the file by its API path (…/management/email.json, …/policies/time_policies/<key>.json), pass --endpoint, or map it in spslint.toml's [endpoints]".to_string(),
            Skipped::ListResponse { .. } => "keep one object per file, each as its request body, named <collection>/<key>.json".to_string(),
        }
    }
}

/// A file to lint: its path as given or walked (shown in output, and read), and its place in
/// its repository (the path relative to the repository root, `/`-separated), which decides
/// its endpoint wherever the run started. `None` outside any repository: the path as given
/// decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub place: Option<Box<str>>,
}

impl Input {
    pub fn new(path: PathBuf) -> Self {
        Input { path, place: None }
    }
}

/// The repository of a run: its root (canonical) and whether its other files must be indexed
/// (the inputs do not cover it).
#[derive(Debug, Clone)]
pub struct Scope {
    pub root: PathBuf,
    pub index_rest: bool,
}

/// A file that could not be read at all.
#[derive(Debug, Clone)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// `cannot read PATH: MESSAGE`, for the terminal and logs: control characters written out.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::escape::controls;
        write!(
            f,
            "cannot read {}: {}",
            controls(&self.path),
            controls(&self.message)
        )
    }
}

#[derive(Debug, Default)]
pub struct RunReport {
    pub files: Vec<FileReport>,
    pub errors: Vec<FileError>,
    /// The repository's files that were indexed but not linted (as shown), for judging which
    /// suppressions this run saw all the files of.
    pub unlinted: Vec<String>,
}

impl RunReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn skipped(&self) -> usize {
        self.files.iter().filter(|f| f.skipped.is_some()).count()
    }

    /// The files that were not checked, and why.
    pub fn skipped_files(&self) -> impl Iterator<Item = (&FileReport, Skipped)> {
        self.files
            .iter()
            .filter_map(|f| f.skipped.map(|why| (f, why)))
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }
}

/// Lint one file's bytes. `path` names the file in output and, unless `--endpoint` or a saved
/// response says otherwise, decides its endpoint.
pub fn lint_bytes(path: &str, bytes: &[u8], settings: &Settings) -> FileReport {
    lint_named(path.to_string(), None, bytes, settings)
}

/// [`lint_bytes`] for a file at `place` in its repository (see [`Input`]).
pub fn lint_placed(
    path: &str,
    place: Option<&str>,
    bytes: &[u8],
    settings: &Settings,
) -> FileReport {
    lint_named(path.to_string(), place, bytes, settings)
}

/// The endpoint a path designates: by its place in the repository when it has one.
fn endpoint_of(path: &str, place: Option<&str>) -> Option<&'static Endpoint> {
    match place {
        Some(place) => endpoint::by_repo_path(place),
        None => endpoint::by_path(Path::new(path)),
    }
}

/// A saved list response: `{"items": [...], "meta": {"href": "/api/..."}}`, and the endpoint
/// its href names.
fn list_response(value: &Value) -> Option<Option<&'static Endpoint>> {
    let obj = value.as_object()?;
    if !obj.get("items")?.is_array() || !obj.keys().all(|k| k == "items" || k == "meta") {
        return None;
    }
    let href = obj.get("meta")?.get("href")?.as_str()?;
    href.starts_with("/api/")
        .then(|| endpoint::by_href(href).map(|(e, _)| e))
}

/// [`lint_bytes`] with the name already owned: it becomes the report's without a copy.
fn lint_named(name: String, place: Option<&str>, bytes: &[u8], settings: &Settings) -> FileReport {
    let path = name.as_str();
    let mut parsed = document::parse(bytes);
    let mut diagnostics = std::mem::take(&mut parsed.diagnostics);
    // --endpoint, then spslint.toml's [endpoints], then a saved response's href, then the path.
    let config = crate::config::FileConfig::new(settings, path);
    let mut endpoint = settings.endpoint.or(config.endpoint);
    // A top level that is not an object has no href: its endpoint is known now. Only the
    // endpoints whose body is a string or a list take one; for every other file it is the end.
    if let Some(value) = parsed.value.as_ref().filter(|v| !v.is_object()) {
        let known = endpoint.or_else(|| endpoint_of(path, place));
        if known.is_none_or(|e| e.top == endpoint::Top::Object) {
            diagnostics.push(document::not_an_object(value));
            parsed.value = None;
        }
    }
    let mut skipped = None;
    let mut facts = None;
    if let Some(value) = &parsed.value {
        let href = endpoint::response_href(value);
        let from_href = href.and_then(endpoint::by_href);
        endpoint = endpoint
            .or(from_href.map(|(e, _)| e))
            .or_else(|| endpoint_of(path, place));
        let list = if settings.endpoint.is_none() {
            list_response(value)
        } else {
            None
        };
        if let Some(listed) = list {
            endpoint = None;
            skipped = Some(Skipped::ListResponse { endpoint: listed });
        }
        match endpoint {
            Some(e) => {
                lint_value(
                    e,
                    value,
                    path,
                    href.is_some(),
                    config.selection(),
                    settings,
                    &mut diagnostics,
                );
                facts = file_facts(e, value, path, href.is_some());
            }
            None => {
                let why = skipped.unwrap_or_else(|| Skipped::NoEndpoint {
                    closest: endpoint::closest(place.unwrap_or(path)),
                    documented: endpoint::without_schema(place.unwrap_or(path)),
                });
                if settings.require_endpoint {
                    diagnostics.push(unknown_endpoint(&why));
                    skipped = None;
                } else {
                    skipped = Some(why);
                }
            }
        }
    } else if endpoint.is_none() {
        endpoint = endpoint_of(path, place);
    }
    config.finish(
        &mut diagnostics,
        endpoint.filter(|_| parsed.value.is_some()),
    );
    clip_quoted_values(&mut diagnostics);
    let source = match (diagnostics.is_empty(), parsed.text) {
        (false, Some(text)) => {
            crate::spans::locate(text, parsed.offset, &mut diagnostics);
            crate::fix::attach(text, parsed.offset, parsed.value.as_ref(), &mut diagnostics);
            settings.keep_source.then(|| Arc::from(text))
        }
        _ => None,
    };
    // A private key written as an object key is in the pointers too: its data goes, now that
    // the places are known.
    for d in &mut diagnostics {
        secrets::redact_private_keys(&mut d.pointer);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    FileReport {
        path: name,
        endpoint,
        diagnostics,
        skipped,
        source,
        facts,
    }
}

/// The repository facts of a parsed file, from the same parse that linted it.
fn file_facts(
    endpoint: &'static Endpoint,
    value: &Value,
    path: &str,
    wrapped: bool,
) -> Option<crate::repo::Facts> {
    let body = if wrapped { value.get("body")? } else { value };
    if !body.is_object() {
        return None;
    }
    let (stem, response_key) = object_keys(endpoint, value, path, wrapped);
    Some(crate::repo::facts(
        endpoint,
        body,
        wrapped,
        stem,
        response_key,
    ))
}

/// Facts of a file of the repository that is not linted (pre-commit passes only the changed
/// files; references still resolve against the rest). `place` is its path below the root.
fn index_only(
    path: &Path,
    place: &str,
    cwd: Option<&Path>,
    settings: &Settings,
) -> Option<(String, crate::repo::Facts)> {
    // Under the same policy as the linted files (regular files, no link out of the repository,
    // the size limit); a file refused here is simply not indexed.
    let bytes = read::read_file(path, settings.max_file_size).ok()?;
    let parsed = document::parse(&bytes);
    let value = parsed.value?;
    let display = shown_path_from(cwd, path);
    let href = endpoint::response_href(&value);
    let endpoint = settings
        .endpoint
        .or_else(|| crate::config::FileConfig::new(settings, &display).endpoint)
        .or(href.and_then(endpoint::by_href).map(|(e, _)| e))
        .or_else(|| endpoint::by_repo_path(place))?;
    let facts = file_facts(endpoint, &value, &display, href.is_some())?;
    Some((display, facts))
}

/// An absolute path as output names it: relative to the current directory when below it.
pub fn shown_path(path: &Path) -> String {
    shown_path_from(std::env::current_dir().ok().as_deref(), path)
}

/// [`shown_path`] with the current directory asked once for many paths.
fn shown_path_from(cwd: Option<&Path>, path: &Path) -> String {
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Standard input linted as the file at `path` (`--stdin-filename`): in its repository, it
/// takes the place of the file on disk for this run.
#[derive(Debug, Clone)]
pub struct StdinInput {
    pub name: String,
    pub place: Option<Box<str>>,
    pub bytes: Vec<u8>,
}

/// Lint files and run the whole-repository checks. Without a scope the repository is just the
/// files given. With one, when its files are not all given, the others are indexed (not
/// reported on) so references resolve against them, and the files that refer to a linted
/// object get the findings that object causes. The list is taken by value: each path becomes
/// its report's name without a copy, so a run over 100,000 files does not hold it twice.
pub fn lint_repository(
    inputs: Vec<Input>,
    scope: Option<&Scope>,
    stdin: Option<&StdinInput>,
    settings: &Settings,
) -> RunReport {
    let linted: Option<std::collections::HashSet<Box<str>>> =
        scope.filter(|s| s.index_rest).map(|_| {
            inputs
                .iter()
                .filter_map(|i| i.place.clone())
                .chain(stdin.and_then(|s| s.place.clone()))
                .collect()
        });
    let mut report = lint_owned(inputs, settings);
    if let Some(stdin) = stdin {
        report.files.push(lint_named(
            stdin.name.clone(),
            stdin.place.as_deref(),
            &stdin.bytes,
            settings,
        ));
    }
    let mut extra = Vec::new();
    let mut unlinted = Vec::new();
    if let (Some(scope), Some(linted)) = (scope, linted) {
        // The root is canonical and the walk follows no links, so the paths it yields are too.
        // A part of the repository that cannot be read is said: references into it would
        // otherwise look unresolved, or a dependent file go unchecked.
        let (all, mut unreadable) = discover(std::slice::from_ref(&scope.root));
        report.errors.append(&mut unreadable);
        let rest: Vec<(PathBuf, String)> = all
            .into_iter()
            .filter_map(|p| {
                let place = crate::workspace::place_below(&scope.root, &p)?;
                (!linted.contains(place.as_str())).then_some((p, place))
            })
            .collect();
        let cwd = std::env::current_dir().ok();
        extra = rest
            .par_iter()
            .filter_map(|(p, place)| index_only(p, place, cwd.as_deref(), settings))
            .collect();
        // Only suppressions need to know which files went unlinted.
        if settings
            .config
            .as_ref()
            .is_some_and(|c| c.has_suppressions())
        {
            unlinted = rest
                .into_iter()
                .map(|(p, _)| shown_path_from(cwd.as_deref(), &p))
                .collect();
        }
    }
    check_repository(&mut report, extra, settings);
    report.unlinted = unlinted;
    report
}

/// Run the repository rules over the linted files (reported) and `extra` (indexed only).
/// An indexed file that refers to a linted object, or whose reference into a collection with
/// a linted object resolves nowhere (the object was renamed or deleted), is reported too, on
/// those references only: a change to one object is checked against what depends on it.
pub fn check_repository(
    report: &mut RunReport,
    extra: Vec<(String, crate::repo::Facts)>,
    settings: &Settings,
) {
    use crate::repo::{Entry, Index};
    let referrers = referrers_of_linted(report, extra);
    let mut extra = Vec::new();
    // Referring files join the report; what they may be reported on is kept apart.
    let mut allowed: Vec<(usize, Vec<Box<str>>)> = Vec::new();
    for (path, facts, pointers) in referrers {
        match pointers {
            Some(pointers) => {
                allowed.push((report.files.len(), pointers));
                report.files.push(FileReport {
                    path,
                    endpoint: facts.endpoint,
                    diagnostics: Vec::new(),
                    skipped: None,
                    source: None,
                    facts: Some(facts),
                });
            }
            None => extra.push((path, facts)),
        }
    }
    let entries: Vec<Entry<'_>> = report
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            f.facts.as_ref().map(|facts| Entry {
                path: &f.path,
                facts,
                reported: Some(i),
            })
        })
        .chain(extra.iter().map(|(p, facts)| Entry {
            path: p,
            facts,
            reported: None,
        }))
        .collect();
    let index = Index::new(entries);
    let mut findings = rules::run_repository(&index, settings, &|m| {
        settings.selection.enabled(m.code, m.name)
    });
    drop(index);
    if !allowed.is_empty() {
        findings.retain(
            |(i, d)| match allowed.binary_search_by_key(i, |(j, _)| *j) {
                Ok(k) => allowed[k].1.iter().any(|p| **p == *d.pointer),
                Err(_) => true,
            },
        );
    }
    // Group by file, keeping each file's findings in the order the rules made them.
    findings.sort_by_key(|(file, _)| *file);
    let mut findings = findings.into_iter().peekable();
    while let Some(&(i, _)) = findings.peek() {
        let mut found: Vec<Diagnostic> =
            std::iter::from_fn(|| findings.next_if(|(j, _)| *j == i).map(|(_, d)| d)).collect();
        let file = &mut report.files[i];
        crate::config::FileConfig::new(settings, &file.path).finish(&mut found, None);
        clip_quoted_values(&mut found);
        if found.is_empty() {
            continue;
        }
        let text = file.source.clone().or_else(|| {
            read::read_file(Path::new(&file.path), settings.max_file_size)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .map(Arc::from)
        });
        if let Some(text) = text {
            let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
            crate::spans::locate(&text, offset, &mut found);
            if settings.keep_source {
                file.source = Some(text);
            }
        }
        file.diagnostics.append(&mut found);
        file.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    // Referring files with nothing to say were not asked for: they leave the report.
    if !allowed.is_empty() {
        let mut i = 0;
        report.files.retain(|f| {
            let keep =
                allowed.binary_search_by_key(&i, |(j, _)| *j).is_err() || !f.diagnostics.is_empty();
            i += 1;
            keep
        });
    }
}

/// The indexed files, each with the pointers of its references that a linted file decides
/// (`Some`: it becomes a reported file), or `None` (indexed only). Runs on every pre-commit
/// run over the whole index: small sets of the linted objects, looked up once per reference.
#[allow(clippy::type_complexity)]
fn referrers_of_linted(
    report: &RunReport,
    extra: Vec<(String, crate::repo::Facts)>,
) -> Vec<(String, crate::repo::Facts, Option<Vec<Box<str>>>)> {
    type Set<'a> = std::collections::HashSet<(&'a str, &'a str), foldhash::fast::RandomState>;
    let mut objects = Set::default();
    for facts in report.files.iter().filter_map(|f| f.facts.as_ref()) {
        if let (Some(c), Some(k)) = (facts.collection(), facts.key()) {
            objects.insert((c, k));
        }
    }
    if extra.is_empty() || objects.is_empty() {
        return extra.into_iter().map(|(p, f)| (p, f, None)).collect();
    }
    // References to a linted object, and which linted objects something refers to.
    let mut referred = Set::default();
    let mut decided: Vec<Vec<Box<str>>> = Vec::with_capacity(extra.len());
    let linted_refs = report
        .files
        .iter()
        .filter_map(|f| f.facts.as_ref())
        .flat_map(|f| f.references.iter());
    for r in linted_refs {
        if objects.contains(&(r.collection, r.key())) {
            referred.insert((r.collection, r.key()));
        }
    }
    for (_, facts) in &extra {
        let mut pointers = Vec::new();
        for r in facts.references.iter() {
            if objects.contains(&(r.collection, r.key())) {
                referred.insert((r.collection, r.key()));
                pointers.push(Box::from(r.pointer()));
            }
        }
        decided.push(pointers);
    }
    // A reference that resolves nowhere is laid at a linted object's door only when that
    // object is new or renamed: nothing refers to its key. Its collection's keys are then
    // gathered, and only its.
    let orphans: Vec<&str> = objects
        .iter()
        .filter(|o| !referred.contains(*o))
        .map(|(c, _)| *c)
        .collect();
    if !orphans.is_empty() {
        let known: Set = extra
            .iter()
            .filter_map(|(_, f)| Some((f.collection()?, f.key()?)))
            .filter(|(c, _)| orphans.contains(c))
            .chain(objects.iter().copied())
            .collect();
        for ((_, facts), pointers) in extra.iter().zip(decided.iter_mut()) {
            for r in facts.references.iter() {
                if orphans.contains(&r.collection) && !known.contains(&(r.collection, r.key())) {
                    pointers.push(Box::from(r.pointer()));
                }
            }
        }
    }
    drop(referred);
    drop(objects);
    extra
        .into_iter()
        .zip(decided)
        .map(|((p, f), d)| (p, f, (!d.is_empty()).then_some(d)))
        .collect()
}

/// Quoted parts of messages and help longer than this many characters are shortened.
const MAX_QUOTED: usize = 100;
/// No message or help is longer than this many characters.
const MAX_TEXT: usize = 2000;

/// Messages quote values from the file. A 10 MB value must not be printed whole, in every
/// format, for each finding about it: a quoted part longer than `MAX_QUOTED` keeps its start
/// and end around an ellipsis, and the whole text is capped at `MAX_TEXT`. The data of a
/// private key quoted anywhere is removed first.
fn clip_quoted_values(diagnostics: &mut [Diagnostic]) {
    fn clip(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else {
                break;
            };
            out.push_str(&rest[..=open]);
            let inner = &after[..close];
            match (
                inner.char_indices().nth(MAX_QUOTED * 2 / 3),
                inner.char_indices().rev().nth(MAX_QUOTED / 3),
            ) {
                (Some((head, _)), Some((tail, _))) if inner.chars().count() > MAX_QUOTED => {
                    out.push_str(&inner[..head]);
                    out.push('…');
                    out.push_str(&inner[tail..]);
                }
                _ => out.push_str(inner),
            }
            out.push('"');
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        if let Some((cut, _)) = out.char_indices().nth(MAX_TEXT) {
            out.truncate(cut);
            out.push('…');
        }
        out
    }
    for d in diagnostics.iter_mut() {
        // A private key quoted anywhere (a rule quoting a value, a schema error) loses its data.
        secrets::redact_private_keys(&mut d.message);
        if let Some(h) = d.help.as_mut() {
            secrets::redact_private_keys(h);
        }
        if d.message.len() > MAX_QUOTED {
            d.message = clip(&d.message);
        }
        if let Some(h) = d.help.as_mut().filter(|h| h.len() > MAX_QUOTED) {
            *h = clip(h);
        }
    }
}

fn unknown_endpoint(why: &Skipped) -> Diagnostic {
    let message = why.message();
    let message = message.strip_prefix("not checked: ").unwrap_or(&message);
    Diagnostic::new(
        &codes::UNKNOWN_ENDPOINT,
        "",
        format!("{message}: it is not linted"),
    )
    .with_help(why.help())
}

#[allow(clippy::too_many_arguments)]
fn lint_value(
    endpoint: &'static Endpoint,
    value: &Value,
    path: &str,
    wrapped: bool,
    selection: &Selection,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    let (body, base) = if wrapped {
        out.push(response_wrapper());
        (&value["body"], "/body")
    } else {
        (value, "")
    };
    if endpoint.top == endpoint::Top::Object && !body.is_object() {
        out.push(
            Diagnostic::new(
                &codes::NOT_AN_OBJECT,
                base,
                format!(
                    "the body is {}: a request body is a JSON object",
                    document::json_type(body)
                ),
            )
            .with_help("put the endpoint's JSON object under \"body\""),
        );
        return;
    }
    // As `repo::Facts::key`: the saved response's key, else the file stem.
    let (stem, response_key) = object_keys(endpoint, value, path, wrapped);
    let key = response_key.or(stem);
    let skip = embedded_references(endpoint, body, base, out);
    let version = settings.sps_version.unwrap_or(schema::version::NEWEST);
    schema::check_version(endpoint, version, body, base, &skip, out);
    let before = out.len();
    let mut cx = RuleContext::new(endpoint, body, base, key, settings, out);
    rules::run(&mut cx, &|m| selection.enabled(m.code, m.name));
    drop_superseded(out, before);
}

/// A rule's error about a value says more than the schema's generic one at the same place
/// (for example the docs' "sha" for "sha1"): keep the rule's.
fn drop_superseded(out: &mut Vec<Diagnostic>, rules_from: usize) {
    let rule_pointers: Vec<String> = out[rules_from..]
        .iter()
        .filter(|d| d.severity == Severity::Error && d.target == crate::diagnostic::Target::Value)
        .map(|d| d.pointer.clone())
        .collect();
    if rule_pointers.is_empty() {
        return;
    }
    let superseded = [
        codes::WRONG_TYPE.code,
        codes::INVALID_VALUE.code,
        codes::INVALID_FORMAT.code,
    ];
    let mut i = 0;
    out.retain(|d| {
        i += 1;
        !(i <= rules_from && superseded.contains(&d.code) && rule_pointers.contains(&d.pointer))
    });
}

/// The keys of one object of a collection: its file stem, and a saved response's `key`.
fn object_keys<'a>(
    endpoint: &Endpoint,
    value: &'a Value,
    path: &'a str,
    wrapped: bool,
) -> (Option<&'a str>, Option<&'a str>) {
    if endpoint.kind != Kind::Collection {
        return (None, None);
    }
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str());
    let response_key = wrapped
        .then(|| value.get("key").and_then(Value::as_str))
        .flatten();
    (stem, response_key)
}

/// The unwrap fix is attached once the file's spans are known (`crate::fix::attach`): it keeps
/// the body's text as written.
fn response_wrapper() -> Diagnostic {
    Diagnostic::new(
        &codes::RESPONSE_WRAPPER,
        "",
        "this is a saved GET response: SPS expects the request body alone, without \"body\", \"key\" and \"meta\"",
    )
    .with_help("replace the file's content by the value of \"body\" (spslint --fix does it)")
}

/// `{"key": "...", "meta": {"href": ...}}` where a request needs the key string. Returns the
/// pointers reported, so the schema does not report the same values again as wrong types.
fn embedded_references(
    endpoint: &Endpoint,
    body: &Value,
    base: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut found = Vec::new();
    rules::walk(body, "", &mut |pointer, v| {
        if let Some(key) = reference_key(v) {
            found.push(pointer.to_string());
            // Quoted only where a value may be shown: a password reference's "key" may hold a
            // pasted password, unless the object's own href names it (`.../passwords/<key>`),
            // which proves it a key (keys are identifiers, not secrets).
            let key_pointer = format!("{pointer}/key");
            let value = Value::String(key.to_string());
            let named_by_href = v
                .pointer("/meta/href")
                .and_then(Value::as_str)
                .and_then(|href| href.strip_suffix(key))
                .is_some_and(|rest| rest.ends_with('/') && !key.is_empty());
            let (expects, help) = if !named_by_href
                && secrets::hidden_in_messages(endpoint, &key_pointer, &value)
            {
                (
                        "the key string, the value of its \"key\" (not shown: this field may hold a secret)".to_string(),
                        "replace the object by the value of its \"key\"".to_string(),
                    )
            } else {
                (
                    format!("the key string \"{key}\""),
                    format!("replace the object by \"{key}\""),
                )
            };
            out.push(
                Diagnostic::new(
                    &codes::EMBEDDED_REFERENCE,
                    format!("{base}{pointer}"),
                    format!("an embedded reference object is not accepted in a request: SPS expects {expects}"),
                )
                .with_help(help)
                .with_fix(crate::fix::replace_value(
                    "replace the reference object by its key",
                    serde_json::to_string(key).unwrap_or_default(),
                )),
            );
        }
    });
    found
}

/// The key of an embedded reference object, as in saved GET responses.
pub fn reference_key(v: &Value) -> Option<&str> {
    let m = v.as_object()?;
    if m.len() != 2 {
        return None;
    }
    let key = m.get("key")?.as_str()?;
    m.get("meta")?.get("href")?.as_str()?;
    Some(key)
}

/// Files to lint below the given paths: `*.json`, recursively, skipping hidden folders.
/// Files named explicitly are taken whatever their name. Sorted, so output never depends on
/// the file system's order.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => {
                let walker = walkdir::WalkDir::new(root)
                    .follow_links(false)
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    });
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let is_json = e.file_name().to_string_lossy().ends_with(".json");
                            if is_json && !e.file_type().is_dir() {
                                files.push(e.into_path());
                            }
                        }
                        Err(e) => errors.push(FileError {
                            path: e.path().map_or_else(
                                || root.display().to_string(),
                                |p| p.display().to_string(),
                            ),
                            message: e
                                .io_error()
                                .map_or_else(|| e.to_string(), |io| io.to_string()),
                        }),
                    }
                }
            }
            Ok(_) => files.push(root.clone()),
            Err(e) => errors.push(FileError {
                path: root.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
    // Byte order of the paths: the order of the report (paths as strings), and far cheaper
    // than comparing paths component by component.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files.dedup();
    (files, errors)
}

/// The report on a file that was deliberately not read (a link out of the repository, a file
/// over the size limit): one finding at its start, under the file's selection like any other.
pub fn refused(name: String, refusal: &Refusal, settings: &Settings) -> FileReport {
    let mut diagnostics = vec![refusal.diagnostic()];
    crate::config::FileConfig::new(settings, &name).finish(&mut diagnostics, None);
    FileReport {
        path: name,
        endpoint: None,
        diagnostics,
        skipped: None,
        source: None,
        facts: None,
    }
}

/// Read and lint every file; in parallel when there is more than one.
pub fn lint_files(files: &[PathBuf], settings: &Settings) -> RunReport {
    lint_owned(files.iter().cloned().map(Input::new).collect(), settings)
}

/// How a path is named in the report: as given, when it is UTF-8 (the path's own buffer is
/// reused), else lossily.
fn display_name(path: PathBuf) -> String {
    path.into_os_string()
        .into_string()
        .unwrap_or_else(|os| PathBuf::from(os).display().to_string())
}

fn lint_owned(files: Vec<Input>, settings: &Settings) -> RunReport {
    let one = |Input { path: p, place }: Input| -> Result<FileReport, FileError> {
        match read::read_file(&p, settings.max_file_size) {
            Ok(bytes) => Ok(lint_named(
                display_name(p),
                place.as_deref(),
                &bytes,
                settings,
            )),
            Err(ReadError::Refused(r)) => Ok(refused(display_name(p), &r, settings)),
            Err(ReadError::Io(e)) => Err(FileError {
                path: display_name(p),
                message: e.to_string(),
            }),
        }
    };
    let results: Vec<Result<FileReport, FileError>> = if files.len() > 1 {
        files.into_par_iter().map(one).collect()
    } else {
        files.into_iter().map(one).collect()
    };
    let mut report = RunReport {
        files: Vec::with_capacity(results.len()),
        ..RunReport::default()
    };
    for r in results {
        match r {
            Ok(f) => report.files.push(f),
            Err(e) => report.errors.push(e),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(path: &str, text: &str) -> Vec<(&'static str, String)> {
        lint_bytes(path, text.as_bytes(), &Settings::default())
            .diagnostics
            .into_iter()
            .map(|d| (d.code, d.pointer))
            .collect()
    }

    /// A file for an endpoint the reference lists but spslint has no schema for is skipped, and
    /// the skip says so.
    #[test]
    fn documented_endpoints_without_a_schema_are_skipped_and_named() {
        let r = lint_bytes(
            "api/configuration/policies/signing_cas/991699365727ac4eb4606.json",
            br#"{"ca": "55b2419c"}"#,
            &Settings::default(),
        );
        let why = r.skipped.expect("skipped");
        assert!(r.diagnostics.is_empty());
        assert!(
            why.message().contains("lists policies/signing_cas")
                && why.message().contains("no schema"),
            "{}",
            why.message()
        );
        let r = lint_bytes("notes/x.json", b"{}", &Settings::default());
        assert!(r.skipped.unwrap().message().contains("no endpoint matches"));
    }

    /// Whether the top level may be something else than an object depends on the endpoint.
    #[test]
    fn the_top_level_is_judged_per_endpoint() {
        let tz = "api/configuration/datetime/timezone.json";
        let pairs = "api/configuration/network/ip_forwarding_rule_pairs.json";
        let email = "api/configuration/management/email.json";
        assert!(codes(tz, "\"Europe/Budapest\"").is_empty());
        assert!(codes(pairs, "[]").is_empty());
        assert_eq!(codes(email, "[]"), [("JSON008", String::new())]);
        assert_eq!(codes(email, "\"x\""), [("JSON008", String::new())]);
        // Without an endpoint, a bare string is still not a request body.
        assert_eq!(codes("notes/x.json", "\"x\""), [("JSON008", String::new())]);
        // The wrong kind of top level for a string or list endpoint is a type error.
        assert_eq!(codes(tz, "{}"), [("SCHEMA003", String::new())]);
        assert_eq!(codes(pairs, "\"x\""), [("SCHEMA003", String::new())]);
        // In a saved response, the body is judged the same way.
        let wrapped = r#"{"body": "Europe/Budapest", "key": "timezone", "meta": {"href": "/api/configuration/datetime/timezone"}}"#;
        assert_eq!(codes("saved.json", wrapped), [("REQ001", String::new())]);
        let wrapped = r#"{"body": [], "key": "email", "meta": {"href": "/api/configuration/management/email"}}"#;
        assert_eq!(
            codes("saved.json", wrapped),
            [("REQ001", String::new()), ("JSON008", "/body".to_string())]
        );
        // --fix unwraps a saved string body to the bare string.
        let fixed = crate::fix::fix_bytes(
            tz,
            None,
            br#"{"body": "Europe/Budapest", "key": "timezone", "meta": {"href": "/api/configuration/datetime/timezone"}}"#,
            &Settings::default(),
        );
        assert_eq!(fixed.bytes, br#""Europe/Budapest""#);
    }

    #[test]
    fn long_quoted_values_are_shortened_in_messages() {
        let big = "a".repeat(10_000_000);
        let mut d = vec![
            Diagnostic::new(
                &codes::INVALID_VALUE,
                "/x",
                format!("\"x\" is \"{big}\", not \"y\""),
            )
            .with_help(format!("write \"{big}@example.com\" differently")),
            Diagnostic::new(&codes::INVALID_VALUE, "/x", format!("unquoted {big}")),
        ];
        clip_quoted_values(&mut d);
        let m = &d[0].message;
        assert!(
            m.starts_with("\"x\" is \"aaa") && m.ends_with("aaa\", not \"y\""),
            "{m}"
        );
        assert!(m.contains('…') && m.chars().count() < 130, "{m}");
        let h = d[0].help.as_deref().unwrap();
        assert!(
            h.ends_with("@example.com\" differently") && h.len() < 200,
            "{h}"
        );
        assert_eq!(d[1].message.chars().count(), MAX_TEXT + 1);
    }
}
