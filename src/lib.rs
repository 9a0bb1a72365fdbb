//! spslint: an offline schema validator and linter for One Identity Safeguard for Privileged
//! Sessions (SPS) REST API request bodies.
//!
//! The pipeline for one file ([`engine::lint_file`]): strict parse ([`document`]) → endpoint
//! ([`endpoint`]) → request form checks and schema ([`schema`]) → semantic rules ([`rules`]) →
//! selection and suppressions → locations and fixes, computed only for files with findings
//! ([`spans`], [`fix`]). Around it: the repository index and its rules ([`repo`], [`lint`]),
//! configuration ([`config`]), output ([`render`]), the commands ([`check`], [`lsp`]).
//!
//! The modules form three layers (model, engine, application) whose uses point down only;
//! `tests/layers.rs` lists them and checks it, CONTRIBUTING.md describes them.

pub mod check;
pub mod codes;
pub mod config;
pub mod core_docs;
pub mod diagnostic;
pub mod document;
pub mod endpoint;
pub mod engine;
pub mod fix;
pub mod fixer;
pub mod lint;
pub mod lsp;
pub mod read;
pub mod registry;
pub mod render;
pub mod repo;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod secrets;
pub mod selection;
pub mod settings;
pub mod spans;
pub mod text;
pub mod values;
pub mod workspace;

pub use diagnostic::{Diagnostic, Severity};
pub use lint::{FileReport, RunReport, Settings, discover, lint_bytes, lint_files};
