//! What linting produces: a report per file and the run's report. Plain data, read by the
//! renderers and the language server.

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::endpoint::Endpoint;
use crate::selection::SuppressionUse;
use crate::text::escape::controls;

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
    /// The configuration's suppressions this file could have used, and used.
    pub suppressions: SuppressionUse,
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

/// A file that could not be read at all.
#[derive(Debug, Clone)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// `cannot read PATH: MESSAGE`, for the terminal and logs: control characters written out.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
