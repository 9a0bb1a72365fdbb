//! `spslint.toml`: the project's settings, found by walking up from the current directory (or
//! named with `--config`, or ignored with `--no-config`).
//!
//! ```toml
//! [endpoints]                      # files whose path does not name their endpoint
//! "smtp/*.json" = "management/email"
//!
//! [rules]                          # codes, code prefixes or rule names
//! select = ["JSON", "SCHEMA", "REQ", "SNMP"]
//! ignore = ["snmp-no-encryption"]
//! severity = { "SNMP" = "warning" }
//!
//! [[overrides]]                    # for some files only
//! files = ["legacy/**"]
//! ignore = ["SNMP008"]
//!
//! [[suppress]]                     # one finding, with the reason it is accepted
//! files = "mail/relay.json"
//! pointer = "/smtp_auth/enabled"
//! codes = ["MAIL005"]
//! reason = "the relay accepts unauthenticated mail from SPS only (ticket OPS-123)"
//!
//! [certificates]
//! expiry_window_days = 30
//!
//! [output]
//! format = "short"
//! ```
//!
//! and, at the top level (above the first table), `max_file_size = "16M"`: larger files are
//! reported (FILE003), not read.
//!
//! Globs are relative to the configuration file's folder; `*` stays within one folder, `**`
//! crosses folders. Selection is layered: `[rules]`, then each matching `[[overrides]]` in file
//! order, then `--select`/`--ignore`. In each layer a `select` starts over (it replaces the
//! selection and the ignore list before it) and an `ignore` adds to the ignore list; severities
//! are merged, a later layer winning for the same selector.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::endpoint::{self, Endpoint};
use crate::registry;
use crate::render::Format;
use crate::report::FileReport;
use crate::selection::{PointerPattern, Selection, Suppress, SuppressionUse};
use crate::settings::{FileSettings, Settings};
use crate::text::LineIndex;
use crate::text::did_you_mean;

/// The name looked for in the current directory and its parents.
pub const FILE_NAME: &str = "spslint.toml";

/// The code the configuration itself produces (listed with the core codes).
pub use crate::codes::UNUSED_SUPPRESSION;

/// A configuration that cannot be used: the run stops (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as shown to the user.
    pub path: String,
    /// 1-based; 0 when the error has no position (the file cannot be read).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The code of the error, for those that have one (`CONFIG002`).
    pub code: Option<&'static str>,
}

/// `path:line:column: message`, or `path:line:column: error[CODE] message`; control characters
/// of the path and message (a glob, a key) written out.
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::text::escape::controls;
        write!(f, "{}:", controls(&self.path))?;
        if self.line > 0 {
            write!(f, "{}:{}:", self.line, self.column)?;
        }
        if let Some(code) = self.code {
            write!(f, " error[{code}]")?;
        }
        write!(f, " {}", controls(&self.message))
    }
}

impl std::error::Error for ConfigError {}

/// One layer of rule selection: `[rules]`, one `[[overrides]]` table, or the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    /// When set, starts the selection over with these selectors.
    pub select: Option<Vec<String>>,
    /// Added to the ignore list (after `select`, if any, has cleared it).
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
}

impl Layer {
    pub fn apply(&self, selection: &mut Selection) {
        if let Some(select) = &self.select {
            selection.select = Some(select.clone());
            selection.ignore.clear();
        }
        selection.ignore.extend(self.ignore.iter().cloned());
        for (k, v) in &self.severity {
            selection.severity.insert(k.clone(), *v);
        }
    }

    /// `--select` and `--ignore` (already split at commas). Unknown selectors are errors.
    pub fn from_cli(select: Option<Vec<String>>, ignore: Vec<String>) -> Result<Layer, String> {
        let check = |flag: &str, list: Vec<String>| -> Result<Vec<String>, String> {
            let list: Vec<String> = list
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            for s in &list {
                check_selector(s).map_err(|m| format!("{flag}: {m}"))?;
            }
            Ok(list)
        };
        Ok(Layer {
            select: select.map(|s| check("--select", s)).transpose()?,
            ignore: check("--ignore", ignore)?,
            severity: BTreeMap::new(),
        })
    }
}

/// A selector must match at least one known code; otherwise say what was probably meant.
fn check_selector(selector: &str) -> Result<(), String> {
    let known = registry::all();
    let probe = Selection {
        select: Some(vec![selector.to_string()]),
        ..Selection::default()
    };
    if known
        .iter()
        .any(|k| probe.enabled(k.code.code, k.code.name))
    {
        return Ok(());
    }
    let mut candidates: Vec<&str> = Vec::new();
    for k in known {
        candidates.push(k.code.code);
        candidates.push(k.code.name);
        candidates.push(k.code.code.trim_end_matches(|ch: char| ch.is_ascii_digit()));
    }
    candidates.sort_unstable();
    candidates.dedup();
    let hint = match did_you_mean(selector, &candidates) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => "; `spslint rules` lists the codes and names".to_string(),
    };
    Err(format!(
        "unknown code, prefix or rule name `{selector}`{hint}"
    ))
}

// ---------------------------------------------------------------------------------------------
// The file as written.

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Every unresolved reference is an error (as `--strict-refs`).
    #[serde(default)]
    strict_refs: bool,
    /// The SPS release the bodies are for (as `--sps-version`).
    #[serde(default)]
    sps_version: Option<Spanned<String>>,
    #[serde(default)]
    endpoints: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
    #[serde(default)]
    certificates: RawCertificates,
    #[serde(default)]
    output: RawOutput,
    /// Top-level: bytes, or a string with a unit ("16M").
    max_file_size: Option<Spanned<toml::Value>>,
}

type Selectors = Vec<Spanned<String>>;
type Severities = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    select: Option<Selectors>,
    #[serde(default)]
    ignore: Selectors,
    #[serde(default)]
    severity: Severities,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Spanned<Globs>,
    select: Option<Selectors>,
    #[serde(default)]
    ignore: Selectors,
    #[serde(default)]
    severity: Severities,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    files: Spanned<Globs>,
    pointer: Option<Spanned<String>>,
    codes: Option<Selectors>,
    reason: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCertificates {
    expiry_window_days: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    format: Option<Spanned<String>>,
}

/// `files = "glob"` or `files = ["glob", ...]`.
struct Globs(Vec<String>);

impl<'de> Deserialize<'de> for Globs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Globs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a glob or a list of globs")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Globs, E> {
                Ok(Globs(vec![s.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Globs, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(Globs(v))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// The configuration in use.

#[derive(Debug)]
struct Override {
    files: GlobSet,
    layer: Layer,
}

#[derive(Debug)]
struct Suppression {
    files: GlobSet,
    /// Which findings it removes; its `id` is its place in `Config::suppressions`.
    matcher: Suppress,
    reason: String,
    /// The `[[suppress]]` header, for the unused-suppression warning.
    span: Range<usize>,
}

#[derive(Debug)]
pub struct Config {
    /// The file, as shown in messages (relative to the current directory when it is above it).
    pub path: String,
    /// The folder globs are relative to (absolute, normalised).
    dir: PathBuf,
    /// The same, with symbolic links resolved, for paths given through another route.
    real_dir: Option<PathBuf>,
    /// Relative paths given on the command line are relative to this.
    cwd: PathBuf,
    source: Arc<str>,
    /// `[endpoints]`: the globs, in the order written, and the endpoint of each.
    endpoint_globs: GlobSet,
    endpoints: Vec<&'static Endpoint>,
    rules: Layer,
    overrides: Vec<Override>,
    suppressions: Vec<Suppression>,
    /// `[certificates] expiry_window_days`.
    pub expiry_window_days: Option<i64>,
    /// `strict_refs = true`: every unresolved reference is an error.
    pub strict_refs: bool,
    /// `sps_version = "7.1"`: the release the bodies are for.
    pub sps_version: Option<crate::schema::version::Version>,
    /// `[output] format`: the format when `--format` is not given.
    pub format: Option<Format>,
    /// `max_file_size`: larger files are reported, not read (`--max-file-size` wins).
    pub max_file_size: Option<u64>,
    /// The command line's layer, applied after the configuration's.
    cli: Layer,
}

/// Which configuration to use: `--config PATH`, `--no-config`, or the nearest `spslint.toml`.
pub fn load(explicit: Option<&Path>, no_config: bool) -> Result<Option<Config>, ConfigError> {
    if no_config {
        return Ok(None);
    }
    let cwd = std::env::current_dir().map_err(|e| ConfigError {
        path: ".".into(),
        line: 0,
        column: 0,
        message: format!("cannot read the current directory: {e}"),
        code: None,
    })?;
    let (file, shown) = match explicit {
        Some(p) => (normalise(&cwd, p), p.display().to_string()),
        None => match discover(&cwd) {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    load_at(&file, shown).map(Some)
}

/// The configuration in `file` (absolute), shown in messages as `shown`.
pub fn load_at(file: &Path, shown: String) -> Result<Config, ConfigError> {
    let cwd = std::env::current_dir().map_err(|e| ConfigError {
        path: ".".into(),
        line: 0,
        column: 0,
        message: format!("cannot read the current directory: {e}"),
        code: None,
    })?;
    // A regular file of a sane size, as for the bodies: in a pull request, spslint.toml may be
    // a link to a FIFO or a device too.
    let text = crate::read::read_file(file, crate::read::DEFAULT_MAX_FILE_SIZE)
        .map_err(|e| e.to_string())
        .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8".to_string()))
        .map_err(|e| ConfigError {
            path: shown.clone(),
            line: 0,
            column: 0,
            message: format!("cannot read the configuration: {e}"),
            code: None,
        })?;
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    Config::parse(&text, shown, dir, cwd)
}

/// The nearest `spslint.toml` in `start` or a parent: its absolute path and how to show it.
pub fn discover(start: &Path) -> Option<(PathBuf, String)> {
    let mut shown = String::new();
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some((candidate, format!("{shown}{FILE_NAME}")));
        }
        shown.push_str("../");
    }
    None
}

/// `cwd`-relative to absolute, and `.`/`..` resolved without touching the file system.
fn normalise(cwd: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Longer globs are refused: no path needs one, and the matcher of a huge one costs memory
/// and time out of proportion (or cannot be built at all).
const MAX_GLOB: usize = 4096;

/// Why a glob cannot be used: globset's description (without the glob, which may be huge), or
/// its length.
#[derive(Debug)]
enum GlobError {
    TooLong(usize),
    Glob(globset::ErrorKind),
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlobError::TooLong(n) => write!(
                f,
                "it is {n} characters long; globs are limited to {MAX_GLOB}"
            ),
            GlobError::Glob(kind) => kind.fmt(f),
        }
    }
}

impl From<globset::Error> for GlobError {
    fn from(e: globset::Error) -> Self {
        GlobError::Glob(e.kind().clone())
    }
}

fn glob(pattern: &str) -> Result<globset::Glob, GlobError> {
    let n = pattern.chars().count();
    if n > MAX_GLOB {
        return Err(GlobError::TooLong(n));
    }
    let pattern = pattern.trim_start_matches("./").trim_start_matches('/');
    Ok(GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()?)
}

/// A glob for a message: its first 60 characters.
fn shorten(glob: &str) -> String {
    match glob.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &glob[..i]),
        None => glob.to_string(),
    }
}

/// Reading one spslint.toml: every error located in its text.
struct Reader<'t> {
    text: &'t str,
    path: &'t str,
    index: LineIndex,
}

impl Reader<'_> {
    fn err(&self, span: Range<usize>, message: String) -> ConfigError {
        let (line, column) = self.index.line_col(self.text, span.start);
        ConfigError {
            path: self.path.to_string(),
            line,
            column,
            message,
            code: None,
        }
    }

    fn glob_err(&self, span: Range<usize>, glob: &str, e: &dyn fmt::Display) -> ConfigError {
        ConfigError {
            code: Some(codes::INVALID_GLOB.code),
            ..self.err(span, format!("invalid glob `{}`: {e}", shorten(glob)))
        }
    }

    fn selectors(&self, list: Selectors) -> Result<Vec<String>, ConfigError> {
        list.into_iter()
            .map(|s| {
                let span = s.span();
                let v = s.into_inner().trim().to_string();
                check_selector(&v).map_err(|m| self.err(span, m))?;
                Ok(v)
            })
            .collect()
    }

    fn severities(&self, map: Severities) -> Result<BTreeMap<String, Severity>, ConfigError> {
        let mut out = BTreeMap::new();
        for (k, v) in map {
            let key_span = k.span();
            let key = k.into_inner().trim().to_string();
            check_selector(&key).map_err(|m| self.err(key_span, m))?;
            let value_span = v.span();
            let value = v.into_inner();
            let severity = Severity::parse(&value).ok_or_else(|| {
                self.err(
                    value_span,
                    format!("unknown severity `{value}`: use \"error\" or \"warning\""),
                )
            })?;
            out.insert(key, severity);
        }
        Ok(out)
    }

    /// `[rules]` or one `[[overrides]]` table's selection.
    fn layer(
        &self,
        select: Option<Selectors>,
        ignore: Selectors,
        severity: Severities,
    ) -> Result<Layer, ConfigError> {
        Ok(Layer {
            select: select.map(|s| self.selectors(s)).transpose()?,
            ignore: self.selectors(ignore)?,
            severity: self.severities(severity)?,
        })
    }

    fn globs(&self, files: Spanned<Globs>) -> Result<GlobSet, ConfigError> {
        let span = files.span();
        let Globs(list) = files.into_inner();
        if list.is_empty() {
            return Err(self.err(span, "`files` is empty: give at least one glob".into()));
        }
        let mut set = GlobSetBuilder::new();
        for g in &list {
            set.add(glob(g).map_err(|e| self.glob_err(span.clone(), g, &e))?);
        }
        set.build().map_err(|e| {
            self.glob_err(
                span,
                list.first().map_or("", String::as_str),
                &GlobError::from(e),
            )
        })
    }

    /// `[endpoints]`, in the order written: the first matching glob wins.
    fn endpoints(
        &self,
        raw: BTreeMap<Spanned<String>, Spanned<String>>,
    ) -> Result<(GlobSet, Vec<&'static Endpoint>), ConfigError> {
        let mut mappings: Vec<(Spanned<String>, Spanned<String>)> = raw.into_iter().collect();
        mappings.sort_by_key(|(k, _)| k.span().start);
        let mut endpoints = Vec::new();
        let mut endpoint_globs = GlobSetBuilder::new();
        let first_span = mappings.first().map_or(0..0, |(k, _)| k.span());
        for (pattern, name) in mappings {
            let bad = |e: &dyn fmt::Display| self.glob_err(pattern.span(), pattern.get_ref(), e);
            let g = glob(pattern.get_ref()).map_err(|e| bad(&e))?;
            // Each built alone first, so that a glob too large to compile is reported where it
            // is written (`Glob::compile_matcher` would panic on it).
            GlobSetBuilder::new()
                .add(g.clone())
                .build()
                .map_err(|e| bad(&GlobError::from(e)))?;
            endpoint_globs.add(g);
            endpoints.push(self.endpoint(&name)?);
        }
        let endpoint_globs = endpoint_globs.build().map_err(|e| ConfigError {
            code: Some(codes::INVALID_GLOB.code),
            ..self.err(
                first_span,
                format!(
                    "the [endpoints] globs cannot be compiled together: {}",
                    GlobError::from(e)
                ),
            )
        })?;
        Ok((endpoint_globs, endpoints))
    }

    fn endpoint(&self, name: &Spanned<String>) -> Result<&'static Endpoint, ConfigError> {
        endpoint::by_name(name.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = endpoint::ENDPOINTS
                .iter()
                .map(|e| e.config_path())
                .collect();
            // `snmp/trap` for `management/snmp/trap`, else a typo.
            let wanted = name.get_ref().trim().trim_matches('/');
            let longer = names
                .iter()
                .copied()
                .find(|n| n.ends_with(&format!("/{wanted}")));
            let hint = match longer.or_else(|| did_you_mean(wanted, &names)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known endpoints: {}", names.join(", ")),
            };
            self.err(
                name.span(),
                format!("unknown endpoint `{}`; {hint}", name.get_ref()),
            )
        })
    }

    fn suppression(
        &self,
        raw: Spanned<RawSuppression>,
        id: u32,
    ) -> Result<Suppression, ConfigError> {
        let span = raw.span();
        let s = raw.into_inner();
        let reason = match &s.reason {
            Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().trim().to_string(),
            Some(r) => {
                return Err(self.err(
                    r.span(),
                    "the suppression's `reason` is empty: say why the finding is accepted (JSON has no comments: the reason is the documentation)".into(),
                ));
            }
            None => {
                return Err(self.err(
                    span,
                    "this suppression has no `reason`: add `reason = \"...\"` saying why the finding is accepted (JSON has no comments: the reason is the documentation)".into(),
                ));
            }
        };
        let pointer = match s.pointer {
            None => PointerPattern::Any,
            Some(p) => {
                let text = p.get_ref().trim().to_string();
                if !(text.is_empty() || text.starts_with('/')) {
                    return Err(self.err(
                        p.span(),
                        format!(
                            "`{text}` is not a JSON pointer: it starts with `/` (for example \"/smtp_auth/enabled\"), or is \"\" for the whole document"
                        ),
                    ));
                }
                match text.strip_suffix("/**") {
                    Some(prefix) => PointerPattern::Subtree(prefix.to_string()),
                    None => PointerPattern::Exact(text),
                }
            }
        };
        let codes = s
            .codes
            .map(|c| self.selectors(c))
            .transpose()?
            .map(|select| Selection {
                select: Some(select),
                ..Selection::default()
            });
        Ok(Suppression {
            files: self.globs(s.files)?,
            matcher: Suppress { id, pointer, codes },
            reason,
            span,
        })
    }

    /// `[output] format`.
    fn format(&self, f: Spanned<String>) -> Result<Format, ConfigError> {
        Format::from_str(f.get_ref(), true).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match did_you_mean(f.get_ref(), &refs) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            self.err(
                f.span(),
                format!(
                    "unknown format `{}`; {hint}formats: {}",
                    f.get_ref(),
                    names.join(", ")
                ),
            )
        })
    }

    /// `max_file_size`: bytes, or a string such as "16M".
    fn size(&self, v: Spanned<toml::Value>) -> Result<u64, ConfigError> {
        let size = match v.get_ref() {
            toml::Value::Integer(n) if *n > 0 => Ok(*n as u64),
            toml::Value::String(t) => crate::read::parse_size(t),
            other => Err(format!(
                "`max_file_size` is a size: a number of bytes (more than 0) or a string such as \"16M\", not {other}"
            )),
        };
        size.map_err(|m| self.err(v.span(), m))
    }
}

impl Config {
    /// Read a configuration's text. `dir` is the folder globs are relative to; `cwd` the folder
    /// relative file names are relative to.
    pub fn parse(
        text: &str,
        path: String,
        dir: PathBuf,
        cwd: PathBuf,
    ) -> Result<Config, ConfigError> {
        let r = Reader {
            text,
            path: &path,
            index: LineIndex::new(text),
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            r.err(span, explain_toml_error(e.message()))
        })?;
        let (endpoint_globs, endpoints) = r.endpoints(raw.endpoints)?;
        let rules = r.layer(raw.rules.select, raw.rules.ignore, raw.rules.severity)?;
        let mut overrides = Vec::new();
        for o in raw.overrides {
            overrides.push(Override {
                files: r.globs(o.files)?,
                layer: r.layer(o.select, o.ignore, o.severity)?,
            });
        }
        let mut suppressions = Vec::new();
        for s in raw.suppress {
            let id = suppressions.len() as u32;
            suppressions.push(r.suppression(s, id)?);
        }
        let expiry_window_days = match raw.certificates.expiry_window_days {
            Some(d) if *d.get_ref() < 0 => {
                return Err(r.err(
                    d.span(),
                    "`expiry_window_days` is a number of days: 0 or more".into(),
                ));
            }
            d => d.map(Spanned::into_inner),
        };
        let format = raw.output.format.map(|f| r.format(f)).transpose()?;
        let max_file_size = raw.max_file_size.map(|v| r.size(v)).transpose()?;
        let sps_version = match raw.sps_version {
            None => None,
            Some(v) => {
                let span = v.span();
                Some(
                    crate::schema::version::Version::parse(v.get_ref())
                        .map_err(|m| r.err(span, m))?,
                )
            }
        };
        let real_dir = std::fs::canonicalize(&dir).ok();
        Ok(Config {
            path,
            dir: normalise(&cwd, &dir),
            real_dir,
            cwd,
            source: Arc::from(text),
            endpoint_globs,
            endpoints,
            rules,
            overrides,
            suppressions,
            expiry_window_days,
            strict_refs: raw.strict_refs,
            sps_version,
            format,
            max_file_size,
            cli: Layer::default(),
        })
    }

    /// Fill in a run's settings: the selection for files no override matches, the certificate
    /// window, and the configuration itself for what depends on each file.
    pub fn apply(self, cli: Layer, settings: &mut Settings) {
        Arc::new(self.with_cli(cli)).apply_shared(settings);
    }

    /// The command line's layer, applied after the configuration's in every file.
    pub fn with_cli(mut self, cli: Layer) -> Self {
        self.cli = cli;
        self
    }

    /// [`Config::apply`] for a configuration several groups of files share.
    pub fn apply_shared(&self, settings: &mut Settings) {
        let mut selection = Selection::default();
        self.rules.apply(&mut selection);
        self.cli.apply(&mut selection);
        settings.selection = selection;
        if let Some(days) = self.expiry_window_days {
            settings.expiry_window_days = days;
        }
        if let Some(limit) = self.max_file_size {
            settings.max_file_size = limit;
        }
        settings.strict_refs |= self.strict_refs;
        // The command line's version wins over the file's.
        settings.sps_version = settings.sps_version.or(self.sps_version);
    }

    fn relative(&self, path: &str) -> Option<String> {
        let p = Path::new(path);
        let abs = normalise(&self.cwd, p);
        let rel = match abs.strip_prefix(&self.dir) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => {
                let real = std::fs::canonicalize(p).ok()?;
                real.strip_prefix(self.real_dir.as_ref()?)
                    .ok()?
                    .to_path_buf()
            }
        };
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        Some(parts.join("/"))
    }

    /// What the configuration says about one file: its endpoint mapping, selection and
    /// suppressions. `base` is the run's selection (configuration and command line).
    pub fn for_file<'c>(&'c self, path: &str, base: &'c Selection) -> FileSettings<'c> {
        let Some(rel) = self.relative(path) else {
            return FileSettings {
                endpoint: None,
                selection: Cow::Borrowed(base),
                suppressions: Vec::new(),
            };
        };
        let rel = Path::new(&rel);
        let matching: Vec<&Override> = self
            .overrides
            .iter()
            .filter(|o| o.files.is_match(rel))
            .collect();
        let selection = if matching.is_empty() {
            Cow::Borrowed(base)
        } else {
            let mut s = Selection::default();
            self.rules.apply(&mut s);
            for o in matching {
                o.layer.apply(&mut s);
            }
            self.cli.apply(&mut s);
            Cow::Owned(s)
        };
        FileSettings {
            endpoint: self.endpoint_at(rel),
            selection,
            suppressions: self
                .suppressions
                .iter()
                .filter(|s| s.files.is_match(rel))
                .map(|s| &s.matcher)
                .collect(),
        }
    }

    /// The endpoint `[endpoints]` maps the file at `path` to.
    pub fn endpoint_of(&self, path: &str) -> Option<&'static Endpoint> {
        self.endpoint_at(Path::new(&self.relative(path)?))
    }

    /// The first glob written that matches.
    fn endpoint_at(&self, rel: &Path) -> Option<&'static Endpoint> {
        self.endpoint_globs
            .matches(rel)
            .into_iter()
            .min()
            .map(|i| self.endpoints[i])
    }

    /// A report on the configuration file: one warning per suppression that applied to a
    /// checked file yet suppressed nothing. `None` when there is nothing to say.
    /// Whether any `[[suppress]]` table is written.
    pub fn has_suppressions(&self) -> bool {
        !self.suppressions.is_empty()
    }

    /// The unused-suppression findings of this run. `used` merges the files' reports;
    /// `unlinted` are the repository's files that were not linted (as shown): a suppression
    /// that applies to one of them is not judged, since the finding it is for may be in that
    /// file.
    pub fn report(
        &self,
        selection: &Selection,
        used: &SuppressionUse,
        unlinted: &[String],
    ) -> Option<FileReport> {
        let index = LineIndex::new(&self.source);
        let unseen: Vec<String> = unlinted.iter().filter_map(|p| self.relative(p)).collect();
        let mut diagnostics: Vec<Diagnostic> = self
            .suppressions
            .iter()
            .filter(|s| {
                used.considered.contains(&s.matcher.id) && !used.used.contains(&s.matcher.id)
            })
            .filter(|s| !unseen.iter().any(|p| s.files.is_match(Path::new(p))))
            .map(|s| {
                Diagnostic::new(
                    &UNUSED_SUPPRESSION,
                    "",
                    format!(
                        "this suppression (\"{}\") matched no finding in the files checked",
                        s.reason
                    ),
                )
                .with_help("remove the [[suppress]] table if the finding is gone, or correct its files, pointer or codes")
                .at_span(index.span(&self.source, s.span.start, s.span.end))
            })
            .collect();
        selection.apply(&mut diagnostics);
        if diagnostics.is_empty() {
            return None;
        }
        Some(FileReport {
            path: self.path.clone(),
            endpoint: None,
            diagnostics,
            skipped: None,
            source: Some(self.source.clone()),
            facts: None,
            suppressions: SuppressionUse::default(),
        })
    }
}

/// What applies to the file at `path`: `config`'s view of it, or the run's settings alone.
pub fn resolve<'c>(
    config: Option<&'c Config>,
    settings: &'c Settings,
    path: &str,
) -> FileSettings<'c> {
    match config {
        Some(c) => c.for_file(path, &settings.selection),
        None => FileSettings::plain(settings),
    }
}

/// toml's message, with unknown keys explained: the keys allowed there and the likely typo.
fn explain_toml_error(message: &str) -> String {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        // serde's words for TOML's: a field is a key, a sequence a list, a struct a table.
        let message = message
            .replace("missing field", "missing key")
            .replace("expected a sequence", "expected a list");
        return match message.find("expected struct ") {
            Some(i) => format!("{}expected a table", &message[..i]),
            None => message,
        };
    };
    let Some((key, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    if key == "max_file_size" {
        return "`max_file_size` is a top-level key: write it above the first [table]".into();
    }
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let only = (allowed.len() == 1).then(|| allowed[0]);
    let hint = match did_you_mean(key, &allowed).or(only) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    let list = if allowed.is_empty() {
        "no keys are allowed here".to_string()
    } else {
        format!(
            "allowed here: {}",
            allowed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!("unknown key `{key}`; {hint}({list})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(
            text,
            FILE_NAME.into(),
            PathBuf::from("/repo"),
            PathBuf::from("/repo"),
        )
    }

    #[test]
    fn unknown_keys_suggest_the_likely_one() {
        let e = parse("[rules]\nselct = [\"SNMP\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(
            e.message.contains("did you mean `select`?"),
            "{}",
            e.message
        );
        let e =
            parse("[[suppress]]\nfiles = \"a\"\nreason = \"r\"\npointr = \"/a\"\n").unwrap_err();
        assert!(
            e.message.contains("did you mean `pointer`?"),
            "{}",
            e.message
        );
        let e = parse("[rulez]\n").unwrap_err();
        assert!(e.message.contains("did you mean `rules`?"), "{}", e.message);
    }

    #[test]
    fn unknown_selectors_endpoints_and_formats_are_errors() {
        let e = parse("[rules]\nignore = [\"SCHEMA01\"]\n").unwrap_err();
        assert!(e.message.contains("SCHEMA01"), "{}", e.message);
        assert_eq!((e.line, e.column), (2, 11));
        let e = parse("[endpoints]\n\"a/*.json\" = \"management/emial\"\n").unwrap_err();
        assert!(
            e.message.contains("did you mean `management/email`?"),
            "{}",
            e.message
        );
        let e = parse("[output]\nformat = \"shrot\"\n").unwrap_err();
        assert!(e.message.contains("did you mean `short`?"), "{}", e.message);
        assert!(parse("[rules]\nselect = [\"JSON\", \"unknown-key\", \"REQ001\"]\n").is_ok());
    }

    #[test]
    fn type_errors_speak_toml() {
        let e = parse("rules = 3\n").unwrap_err();
        assert!(e.message.ends_with("expected a table"), "{}", e.message);
        let e = parse("[rules]\nselect = \"SNMP\"\n").unwrap_err();
        assert!(e.message.ends_with("expected a list"), "{}", e.message);
        let e = parse("[[suppress]]\nreason = \"r\"\n").unwrap_err();
        assert_eq!(e.message, "missing key `files`");
    }

    #[test]
    fn suppressions_need_a_reason() {
        let e = parse("[[suppress]]\nfiles = \"a.json\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("reason"));
        let e = parse("[[suppress]]\nfiles = \"a.json\"\nreason = \"  \"\n").unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn layers_select_starts_over_and_ignore_adds() {
        let mut s = Selection::default();
        Layer {
            select: Some(vec!["SCHEMA".into()]),
            ignore: vec!["unknown-key".into()],
            ..Layer::default()
        }
        .apply(&mut s);
        Layer {
            ignore: vec!["SCHEMA002".into()],
            ..Layer::default()
        }
        .apply(&mut s);
        assert!(!s.enabled("SCHEMA001", "unknown-key"));
        assert!(!s.enabled("SCHEMA002", "missing-key"));
        assert!(s.enabled("SCHEMA003", "wrong-type"));
        Layer {
            select: Some(vec!["SCHEMA001".into()]),
            ..Layer::default()
        }
        .apply(&mut s);
        assert!(s.enabled("SCHEMA001", "unknown-key"));
        assert!(!s.enabled("SCHEMA003", "wrong-type"));
    }

    #[test]
    fn endpoint_globs_first_match_wins_relative_to_the_config() {
        let c = parse(
            "[endpoints]\n\"smtp/*.json\" = \"management/email\"\n\"**/*.json\" = \"management/syslog\"\n",
        )
        .unwrap();
        let base = Selection::default();
        let at = |p: &str| c.for_file(p, &base).endpoint.map(|e| e.path);
        assert_eq!(
            at("/repo/smtp/a.json"),
            Some("/api/configuration/management/email")
        );
        assert_eq!(
            at("smtp/./a.json"),
            Some("/api/configuration/management/email")
        );
        assert_eq!(
            at("smtp/deeper/a.json"),
            Some("/api/configuration/management/syslog")
        );
        assert_eq!(at("/elsewhere/smtp/a.json"), None);
    }

    #[test]
    fn pointer_patterns() {
        let sub = PointerPattern::Subtree("/smtp_auth".into());
        assert!(sub.matches("/smtp_auth"));
        assert!(sub.matches("/smtp_auth/enabled"));
        assert!(!sub.matches("/smtp_authx"));
        assert!(PointerPattern::Subtree(String::new()).matches("/a"));
        assert!(!PointerPattern::Exact("/a".into()).matches("/a/b"));
    }
}
