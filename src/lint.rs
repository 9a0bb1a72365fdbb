//! Orchestration: find the files, read them, resolve each one's configuration, lint each one
//! with the engine (in parallel), index the rest of the repository, run the repository rules,
//! and collect the reports in a deterministic order.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::document;
use crate::endpoint;
use crate::engine::{self, clip_quoted_values, file_facts, lint_file};
use crate::read::{self, ReadError, Refusal};
use crate::rules;

pub use crate::engine::{lint_bytes, reference_key};
pub use crate::report::{FileError, FileReport, RunReport, Skipped};
pub use crate::settings::Settings;

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

/// Facts of a file of the repository that is not linted (pre-commit passes only the changed
/// files; references still resolve against the rest). `place` is its path below the root.
pub fn index_only(
    path: &Path,
    place: &str,
    cwd: Option<&Path>,
    settings: &Settings,
    config: Option<&Config>,
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
        .or_else(|| config.and_then(|c| c.endpoint_of(&display)))
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
    config: Option<&Config>,
) -> RunReport {
    let linted: Option<std::collections::HashSet<Box<str>>> =
        scope.filter(|s| s.index_rest).map(|_| {
            inputs
                .iter()
                .filter_map(|i| i.place.clone())
                .chain(stdin.and_then(|s| s.place.clone()))
                .collect()
        });
    let mut report = lint_owned(inputs, settings, config);
    if let Some(stdin) = stdin {
        report.files.push(lint_file(
            stdin.name.clone(),
            stdin.place.as_deref(),
            &stdin.bytes,
            settings,
            &config::resolve(config, settings, &stdin.name),
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
            .filter_map(|(p, place)| index_only(p, place, cwd.as_deref(), settings, config))
            .collect();
        // Only suppressions need to know which files went unlinted.
        if config.is_some_and(|c| c.has_suppressions()) {
            unlinted = rest
                .into_iter()
                .map(|(p, _)| shown_path_from(cwd.as_deref(), &p))
                .collect();
        }
    }
    check_repository(&mut report, extra, settings, config);
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
    config: Option<&Config>,
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
                    suppressions: Default::default(),
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
        let used = engine::finish(
            &config::resolve(config, settings, &file.path),
            &mut found,
            None,
        );
        file.suppressions.merge(&used);
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
pub fn refused(
    name: String,
    refusal: &Refusal,
    settings: &Settings,
    config: Option<&Config>,
) -> FileReport {
    let mut diagnostics = vec![refusal.diagnostic()];
    let suppressions = engine::finish(
        &config::resolve(config, settings, &name),
        &mut diagnostics,
        None,
    );
    FileReport {
        path: name,
        endpoint: None,
        diagnostics,
        skipped: None,
        source: None,
        facts: None,
        suppressions,
    }
}

/// Read and lint every file; in parallel when there is more than one.
pub fn lint_files(files: &[PathBuf], settings: &Settings) -> RunReport {
    lint_owned(
        files.iter().cloned().map(Input::new).collect(),
        settings,
        None,
    )
}

/// How a path is named in the report: as given, when it is UTF-8 (the path's own buffer is
/// reused), else lossily.
fn display_name(path: PathBuf) -> String {
    path.into_os_string()
        .into_string()
        .unwrap_or_else(|os| PathBuf::from(os).display().to_string())
}

fn lint_owned(files: Vec<Input>, settings: &Settings, config: Option<&Config>) -> RunReport {
    let one = |Input { path: p, place }: Input| -> Result<FileReport, FileError> {
        match read::read_file(&p, settings.max_file_size) {
            Ok(bytes) => {
                let name = display_name(p);
                let file = config::resolve(config, settings, &name);
                Ok(lint_file(name, place.as_deref(), &bytes, settings, &file))
            }
            Err(ReadError::Refused(r)) => Ok(refused(display_name(p), &r, settings, config)),
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
