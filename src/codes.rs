//! Codes of the core checks: JSON syntax, schema, request form and files. Semantic rules declare
//! their own codes beside their logic in `crate::rules`. Codes are stable: never renumber.

use crate::diagnostic::{Code, Severity};

const fn error(code: &'static str, name: &'static str) -> Code {
    Code {
        code,
        name,
        severity: Severity::Error,
    }
}

// Strict JSON, as SPS parses it.
pub const INVALID_JSON: Code = error("JSON001", "invalid-json");
pub const COMMENT: Code = error("JSON002", "comment");
pub const TRAILING_COMMA: Code = error("JSON003", "trailing-comma");
pub const NON_FINITE_NUMBER: Code = error("JSON004", "non-finite-number");
pub const BYTE_ORDER_MARK: Code = error("JSON005", "byte-order-mark");
pub const INVALID_UTF8: Code = error("JSON006", "invalid-utf8");
pub const DUPLICATE_KEY: Code = error("JSON007", "duplicate-key");
pub const NOT_AN_OBJECT: Code = error("JSON008", "top-level-not-object");
pub const TOO_DEEP: Code = error("JSON009", "nesting-too-deep");
pub const EMPTY_FILE: Code = error("JSON010", "empty-file");

// The endpoint's schema.
pub const UNKNOWN_KEY: Code = error("SCHEMA001", "unknown-key");
pub const MISSING_KEY: Code = error("SCHEMA002", "missing-key");
pub const WRONG_TYPE: Code = error("SCHEMA003", "wrong-type");
pub const INVALID_VALUE: Code = error("SCHEMA004", "invalid-value");
pub const INVALID_FORMAT: Code = error("SCHEMA005", "invalid-format");
pub const OUT_OF_RANGE: Code = error("SCHEMA006", "out-of-range");
pub const SCHEMA_VIOLATION: Code = error("SCHEMA007", "schema-violation");
/// A key the reference's examples never show, in a node known from examples only
/// (`crate::schema::level`).
pub const UNDOCUMENTED_KEY: Code = Code {
    code: "SCHEMA008",
    name: "undocumented-key",
    severity: Severity::Warning,
};
/// A value the reference's examples never show, in a node known from examples only.
pub const UNDOCUMENTED_VALUE: Code = Code {
    code: "SCHEMA009",
    name: "undocumented-value",
    severity: Severity::Warning,
};

/// A key or endpoint the chosen SPS version does not have (`crate::schema::version`).
pub const NOT_IN_VERSION: Code = error("SCHEMA010", "not-in-version");

// Request form: what a saved response has that a request must not.
pub const RESPONSE_WRAPPER: Code = error("REQ001", "response-wrapper");
pub const EMBEDDED_REFERENCE: Code = error("REQ002", "embedded-reference");

const fn warning(code: &'static str, name: &'static str) -> Code {
    Code {
        code,
        name,
        severity: Severity::Warning,
    }
}

// Files.
pub const UNKNOWN_ENDPOINT: Code = error("FILE001", "unknown-endpoint");
/// A symbolic link that leads out of the repository (or to /proc, /sys, a FIFO, a device): not
/// read (`crate::read`).
pub const LINK_NOT_FOLLOWED: Code = warning("FILE002", "symlink-not-followed");
/// A file over the size limit: not read (`crate::read`).
pub const FILE_TOO_LARGE: Code = error("FILE003", "file-too-large");

/// A `[[suppress]]` table of spslint.toml that suppressed nothing in the files checked.
pub const UNUSED_SUPPRESSION: Code = warning("CONFIG001", "unused-suppression");
/// A glob of spslint.toml that cannot be used (the run stops, exit 2).
pub const INVALID_GLOB: Code = error("CONFIG002", "invalid-glob");

/// Every core code, for `spslint rules`, SARIF rule tables and configuration validation.
pub const ALL: &[Code] = &[
    INVALID_JSON,
    COMMENT,
    TRAILING_COMMA,
    NON_FINITE_NUMBER,
    BYTE_ORDER_MARK,
    INVALID_UTF8,
    DUPLICATE_KEY,
    NOT_AN_OBJECT,
    TOO_DEEP,
    EMPTY_FILE,
    UNKNOWN_KEY,
    MISSING_KEY,
    WRONG_TYPE,
    INVALID_VALUE,
    INVALID_FORMAT,
    OUT_OF_RANGE,
    SCHEMA_VIOLATION,
    UNDOCUMENTED_KEY,
    UNDOCUMENTED_VALUE,
    NOT_IN_VERSION,
    RESPONSE_WRAPPER,
    EMBEDDED_REFERENCE,
    UNKNOWN_ENDPOINT,
    LINK_NOT_FOLLOWED,
    FILE_TOO_LARGE,
    UNUSED_SUPPRESSION,
    INVALID_GLOB,
];
