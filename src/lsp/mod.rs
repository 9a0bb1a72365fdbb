//! `spslint lsp`: a Language Server Protocol server over standard input and output.
//!
//! Open documents are linted from their unsaved text with the same parse, schemas, rules and
//! repository index as `spslint check`, through one adapter ([`engine`]); the rest of this
//! module speaks the protocol (on rust-analyzer's `lsp-server` message types and `lsp-types`).

pub mod engine;
pub mod position;
pub mod server;
pub mod transport;

/// Serve on standard input and output until `exit`; returns the process's exit code (0 after
/// `shutdown`, 1 otherwise, as the protocol asks).
pub fn run() -> i32 {
    server::run()
}
