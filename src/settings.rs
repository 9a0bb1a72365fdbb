//! What shapes the linting of files: the run's settings, and what applies to one file once
//! its configuration (spslint.toml: `[endpoints]`, overrides, suppressions) has been resolved
//! by the caller. The engine takes both as given; it looks nothing up.

use std::borrow::Cow;

use crate::endpoint::Endpoint;
use crate::selection::{Selection, Suppress};

/// Files larger than this are reported, not read, unless configured otherwise: far above any
/// SPS body, small enough that a stray dump or image costs nothing.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

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
    /// Keep the text of files with findings in their report, for output that shows source
    /// excerpts. Formats that print positions only turn it off: on a large repository the
    /// texts would be most of the memory.
    pub keep_source: bool,
    /// Files larger than this many bytes are reported, not read (see `crate::read`).
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
            keep_source: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// What applies to one file, resolved before it is linted.
#[derive(Debug, Clone)]
pub struct FileSettings<'c> {
    /// From `[endpoints]`: after `--endpoint`, before a saved response's href and the path.
    pub endpoint: Option<&'static Endpoint>,
    /// Which codes run for this file, at which severity.
    pub selection: Cow<'c, Selection>,
    /// The `[[suppress]]` entries whose files include this one.
    pub suppressions: Vec<&'c Suppress>,
}

impl<'c> FileSettings<'c> {
    /// No configuration: the run's selection, no mapping, no suppression.
    pub fn plain(settings: &'c Settings) -> Self {
        FileSettings {
            endpoint: None,
            selection: Cow::Borrowed(&settings.selection),
            suppressions: Vec::new(),
        }
    }
}
