//! spslint: an offline schema validator and linter for One Identity Safeguard for Privileged
//! Sessions (SPS) REST API request bodies.
//!
//! The pipeline for one file: strict parse ([`document`]) → endpoint ([`endpoint`]) → request
//! form checks and schema ([`schema`]) → semantic rules ([`rules`]) → locations, computed only for
//! files with findings ([`spans`]) → output ([`render`]).

pub mod codes;
pub mod config;
pub mod core_docs;
pub mod diagnostic;
pub mod document;
pub mod endpoint;
pub mod fix;
pub mod lint;
pub mod read;
pub mod render;
pub mod repo;
pub mod rules;
pub mod run;
pub mod schema;
pub mod secrets;
pub mod selection;
pub mod spans;
pub mod text;
pub mod values;
pub mod workspace;

pub use diagnostic::{Diagnostic, Severity};
pub use lint::{FileReport, RunReport, Settings, discover, lint_bytes, lint_files};
