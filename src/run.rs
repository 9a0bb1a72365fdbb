//! The run policy of `spslint check`: which repository each path belongs to, which
//! configuration applies there, which files are linted and which only indexed, and the one
//! report that comes out. The command line gathers the request and prints the result; every
//! decision in between is here, where it can be tested without a process.
//!
//! The repository, not the current directory, decides: a file is mapped to its endpoint by
//! its place below its repository root (the nearest `spslint.toml` at or above it, else the
//! nearest `.git`), and is linted with that root's `spslint.toml`, wherever the command was
//! started. Paths from two repositories are two groups, each with its own configuration and
//! its own index.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config, ConfigError, Layer};
use crate::lint::{self, FileError, FileReport, Input, RunReport, Scope, Settings, StdinInput};
use crate::read::Refusal;
use crate::render::Format;
use crate::selection::{Selection, SuppressionUse};

/// Where the configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// Each repository's own `spslint.toml`; outside any repository, the nearest one at or
    /// above the current directory.
    Repository,
    /// `--config PATH`, for every path.
    File(PathBuf),
    /// `--no-config`.
    Disabled,
}

/// What the command line asks for.
#[derive(Debug, Clone)]
pub struct Request {
    /// Files and folders (standard input is `stdin`).
    pub paths: Vec<PathBuf>,
    /// Standard input's bytes (or why they were not read) and the name it is linted under
    /// (`--stdin-filename`).
    pub stdin: Option<(String, Result<Vec<u8>, Refusal>)>,
    pub config: ConfigSource,
    /// `--select` and `--ignore`, applied after every configuration.
    pub cli: Layer,
    /// The settings the command line gives (endpoint, strict references, ...).
    pub settings: Settings,
    /// `--format`, when given.
    pub format: Option<Format>,
    /// `--statistics`: no excerpts are shown, so no text is kept.
    pub statistics: bool,
    /// `--max-file-size`, over every configuration's `max_file_size`.
    pub max_file_size: Option<u64>,
}

/// The files of one repository (or of none), linted together.
#[derive(Debug)]
pub struct Group {
    pub scope: Option<Scope>,
    pub settings: Settings,
    /// The repository's configuration (or `--config`'s), resolved per file by the run.
    pub config: Option<Arc<Config>>,
    pub inputs: Vec<Input>,
    pub stdin: Option<StdinInput>,
}

/// What will be linted, and how.
#[derive(Debug)]
pub struct Plan {
    pub groups: Vec<Group>,
    pub format: Format,
    /// Paths that cannot be read.
    pub errors: Vec<FileError>,
    /// Configurations that cannot be used: the files of their repository are not linted.
    pub config_errors: Vec<ConfigError>,
    /// Said on standard error; they change nothing in the report.
    pub notes: Vec<String>,
    /// Files reported without being linted (standard input over the size limit).
    pub refused: Vec<FileReport>,
}

/// The name standard input has when `--stdin-filename` is not given.
pub const STDIN_NAME: &str = "<stdin>";

/// Decide the groups, their configuration and settings, and their files.
pub fn plan(request: Request) -> Plan {
    let mut plan = Plan {
        groups: Vec::new(),
        format: Format::Human,
        errors: Vec::new(),
        config_errors: Vec::new(),
        notes: Vec::new(),
        refused: Vec::new(),
    };
    // Each path's repository and its place there, grouped by repository in the order given.
    let mut roots: Vec<Option<PathBuf>> = Vec::new();
    let mut paths: Vec<Vec<(PathBuf, Option<String>)>> = Vec::new();
    let group_of = |roots: &mut Vec<Option<PathBuf>>,
                    paths: &mut Vec<Vec<(PathBuf, Option<String>)>>,
                    root: Option<PathBuf>|
     -> usize {
        roots.iter().position(|r| *r == root).unwrap_or_else(|| {
            roots.push(root);
            paths.push(Vec::new());
            roots.len() - 1
        })
    };
    for path in &request.paths {
        let located = path
            .symlink_metadata()
            .is_ok()
            .then(|| crate::workspace::locate(path))
            .flatten();
        let (root, place) = match located {
            Some((root, place)) => (Some(root), Some(place)),
            None => (None, None),
        };
        let g = group_of(&mut roots, &mut paths, root);
        paths[g].push((path.clone(), place));
    }
    let mut stdin = None;
    if let Some((name, Err(refusal))) = &request.stdin {
        plan.refused.push(lint::refused(
            name.clone(),
            refusal,
            &request.settings,
            None,
        ));
    }
    if let Some((name, Ok(bytes))) = request.stdin {
        let located = (name != STDIN_NAME)
            .then(|| crate::workspace::locate(Path::new(&name)))
            .flatten();
        if located.is_none() && name != STDIN_NAME {
            plan.notes.push(format!(
                "{} is in no repository (no spslint.toml or .git at or above it): standard input is linted alone, without the whole-repository checks",
                crate::text::escape::controls(&name)
            ));
        }
        let (root, place) = match located {
            Some((root, place)) => (Some(root), Some(place.into_boxed_str())),
            None => (None, None),
        };
        let g = group_of(&mut roots, &mut paths, root);
        stdin = Some((g, StdinInput { name, place, bytes }));
    }

    // One configuration per repository; `--config` is read once and shared.
    let explicit: Option<Result<Arc<Config>, ConfigError>> = match &request.config {
        ConfigSource::File(p) => Some(config::load(Some(p), false).map(|c| {
            Arc::new(
                c.expect("an explicit configuration is always loaded")
                    .with_cli(request.cli.clone()),
            )
        })),
        _ => None,
    };
    if let Some(Err(e)) = &explicit {
        plan.config_errors.push(e.clone());
        return plan;
    }
    let mut format = request.format;
    for (g, (root, group_paths)) in roots.into_iter().zip(paths).enumerate() {
        let loaded = match (&request.config, &explicit) {
            (ConfigSource::Disabled, _) => Ok(None),
            (_, Some(Ok(c))) => Ok(Some(c.clone())),
            _ => repository_config(root.as_deref())
                .map(|c| c.map(|c| Arc::new(c.with_cli(request.cli.clone())))),
        };
        let loaded = match loaded {
            Ok(c) => c,
            Err(e) => {
                plan.config_errors.push(e);
                continue;
            }
        };
        let mut settings = request.settings.clone();
        match &loaded {
            Some(c) => {
                format = format.or(c.format);
                c.apply_shared(&mut settings);
            }
            None => request.cli.apply(&mut settings.selection),
        }
        if let Some(limit) = request.max_file_size {
            settings.max_file_size = limit;
        }
        let group_stdin = match stdin.take() {
            Some((sg, s)) if sg == g => Some(s),
            other => {
                stdin = other;
                None
            }
        };
        // A folder given at the root covers the repository: nothing else to index.
        let covers_root = group_paths
            .iter()
            .any(|(p, place)| place.as_deref() == Some("") && p.is_dir());
        let mut inputs = Vec::new();
        let group_paths_given = group_paths.len();
        for (path, place) in group_paths {
            let (files, mut errors) = lint::discover(std::slice::from_ref(&path));
            plan.errors.append(&mut errors);
            let base = path.as_os_str().len();
            inputs.extend(files.into_iter().map(|file| {
                let place = place.as_deref().map(|prefix| {
                    let below = file
                        .as_os_str()
                        .as_encoded_bytes()
                        .get(base..)
                        .unwrap_or(&[]);
                    let below = String::from_utf8_lossy(below);
                    let below = below.trim_start_matches(std::path::is_separator);
                    join_place(prefix, below)
                });
                Input { path: file, place }
            }));
        }
        if group_paths_given > 1 {
            // One argument's files come sorted from discovery; several need merging.
            inputs.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
            inputs.dedup_by(|a, b| a.path == b.path);
        }
        if let Some(place) = group_stdin.as_ref().and_then(|s| s.place.as_deref()) {
            // The buffer replaces the file on disk for this run.
            inputs.retain(|i| i.place.as_deref() != Some(place));
        }
        let scope = root.map(|root| Scope {
            root,
            index_rest: !covers_root,
        });
        plan.groups.push(Group {
            scope,
            settings,
            config: loaded,
            inputs,
            stdin: group_stdin,
        });
    }
    plan.format = format.unwrap_or(Format::Human);
    // Only the human format shows excerpts of the files (--statistics shows none).
    let keep_source = plan.format == Format::Human && !request.statistics;
    for g in &mut plan.groups {
        g.settings.keep_source = keep_source;
    }
    plan
}

/// `prefix/below`, either part possibly empty.
fn join_place(prefix: &str, below: &str) -> Box<str> {
    // A backslash separates folders only on Windows; elsewhere it is part of a name.
    let below: std::borrow::Cow<'_, str> = if cfg!(windows) {
        below.replace('\\', "/").into()
    } else {
        below.into()
    };
    match (prefix.is_empty(), below.is_empty()) {
        (true, _) => below.into(),
        (_, true) => prefix.into(),
        _ => format!("{prefix}/{below}").into_boxed_str(),
    }
}

/// The configuration of a repository: its root's `spslint.toml`. Outside any repository, the
/// nearest one at or above the current directory, as before repositories were known.
fn repository_config(root: Option<&Path>) -> Result<Option<Config>, ConfigError> {
    let Some(root) = root else {
        return config::load(None, false);
    };
    let file = root.join(config::FILE_NAME);
    if !file.is_file() {
        return Ok(None);
    }
    let shown = lint::shown_path(&file);
    config::load_at(&file, shown).map(Some)
}

/// Lint every group and gather one report, ordered by path. The plan is consumed: each path
/// becomes its report's name without a copy (a run over 100,000 files holds the list once).
pub fn lint(mut plan: Plan) -> RunReport {
    let mut report = RunReport::default();
    // Per configuration: the selection it was run with, the suppressions the files used, and
    // the repository's files left unlinted.
    let mut seen: Vec<(Arc<Config>, Selection, SuppressionUse, Vec<String>)> = Vec::new();
    for g in plan.groups {
        let mut part = lint::lint_repository(
            g.inputs,
            g.scope.as_ref(),
            g.stdin.as_ref(),
            &g.settings,
            g.config.as_deref(),
        );
        if let Some(c) = &g.config {
            let i = match seen.iter().position(|(d, ..)| Arc::ptr_eq(c, d)) {
                Some(i) => i,
                None => {
                    let fresh = (
                        c.clone(),
                        g.settings.selection.clone(),
                        SuppressionUse::default(),
                        Vec::new(),
                    );
                    seen.push(fresh);
                    seen.len() - 1
                }
            };
            let (_, _, used, unlinted) = &mut seen[i];
            for f in &part.files {
                used.merge(&f.suppressions);
            }
            unlinted.append(&mut part.unlinted);
        }
        report.files.append(&mut part.files);
        report.errors.append(&mut part.errors);
    }
    for (c, selection, used, unlinted) in &seen {
        if let Some(found) = c.report(selection, used, unlinted) {
            report.files.push(found);
        }
    }
    report.files.append(&mut plan.refused);
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.extend(plan.errors);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_join_below_the_prefix() {
        assert_eq!(&*join_place("", "passwords/k.json"), "passwords/k.json");
        assert_eq!(&*join_place("policies", ""), "policies");
        assert_eq!(
            &*join_place("policies", "time_policies/k.json"),
            "policies/time_policies/k.json"
        );
        if !cfg!(windows) {
            // Part of a name, not a separator.
            assert_eq!(
                &*join_place("passwords", "a\\b.json"),
                "passwords/a\\b.json"
            );
        }
    }
}
