//! Issue 6: spslint never crashes, whatever it is given.
//!
//! Two halves:
//! - property tests (proptest) over the library, for every endpoint: arbitrary bytes, arbitrary
//!   JSON values and mutated valid fixtures never panic, every diagnostic has a span inside the
//!   file on character boundaries with the right line and column, its pointer resolves in the
//!   document when the file is strict JSON, every output format renders, and the result does not
//!   depend on the number of threads;
//! - hostile inputs, each run through the real binary beside a good and a bad file: huge files,
//!   huge arrays, strings and lines, deep nesting, NUL bytes, invalid UTF-8, directories named
//!   `x.json`, FIFOs, broken and looping symlinks, unreadable and vanishing files. Each gives a
//!   diagnostic or an error naming the file, the other files are still linted, the exit status
//!   is right and the output stays small.
//!
//!
//! Issue 12 adds the cases of a CI gate on untrusted pull requests: file names and keys that
//! try to forge output lines or drive the terminal, symbolic links out of the repository, files
//! over the size limit, globs that cannot be compiled, `--fix` on files of another owner or
//! with hard links, and CRLF files in the human format.
//!
//! `PROPTEST_CASES=10000 cargo test --test robustness` runs the properties longer.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};
use spslint::endpoint::{ENDPOINTS, Kind};
use spslint::render::{self, Format, RenderOptions};
use spslint::{FileReport, RunReport, Settings};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ============================================================================ inputs

/// A file path that maps to the endpoint: `x/api/configuration/management/snmp/trap.json`,
/// `x/api/configuration/policies/time_policies/k.json`.
fn endpoint_path(e: &spslint::endpoint::Endpoint) -> String {
    match e.kind {
        Kind::Singleton => format!("x{}.json", e.path),
        Kind::Collection => format!("x{}/k.json", e.path),
    }
}

/// Every way a file reaches the pipeline: by path for each endpoint, by `--endpoint` for each,
/// and unmapped (skipped, or an error with `--require-endpoint`).
fn targets() -> &'static [(String, Settings)] {
    static T: OnceLock<Vec<(String, Settings)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Vec::new();
        for e in ENDPOINTS {
            t.push((endpoint_path(e), Settings::default()));
            t.push((
                "stdin.json".to_string(),
                Settings {
                    endpoint: Some(e),
                    ..Settings::default()
                },
            ));
        }
        t.push(("x/unknown.json".to_string(), Settings::default()));
        t.push((
            "x/unknown.json".to_string(),
            Settings {
                require_endpoint: true,
                ..Settings::default()
            },
        ));
        t
    })
}

/// Every valid fixture: its path relative to the repository, and its text.
fn fixtures() -> &'static [(String, String)] {
    static F: OnceLock<Vec<(String, String)>> = OnceLock::new();
    F.get_or_init(|| {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "json") {
                    out.push(p);
                }
            }
        }
        let mut paths = Vec::new();
        walk(&root().join("fixtures/valid"), &mut paths);
        paths.sort();
        let f: Vec<(String, String)> = paths
            .iter()
            .map(|p| {
                let rel = p
                    .strip_prefix(root())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read_to_string(p).unwrap())
            })
            .collect();
        assert!(f.len() > 20, "valid fixtures went missing");
        f
    })
}

/// Keys and string values the schemas know (property names, enums, consts), so that generated
/// documents reach the schema's and the rules' deeper paths.
fn vocabulary() -> &'static (Vec<String>, Vec<String>) {
    static V: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    V.get_or_init(|| {
        fn walk(v: &Value, keys: &mut BTreeSet<String>, values: &mut BTreeSet<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        match (k.as_str(), x) {
                            ("properties", Value::Object(p)) => keys.extend(p.keys().cloned()),
                            ("enum", Value::Array(a)) => {
                                values.extend(a.iter().filter_map(|s| s.as_str().map(String::from)))
                            }
                            ("const", Value::String(s)) => {
                                values.insert(s.clone());
                            }
                            _ => {}
                        }
                        walk(x, keys, values);
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, keys, values)),
                _ => {}
            }
        }
        let (mut keys, mut values) = (BTreeSet::new(), BTreeSet::new());
        for e in ENDPOINTS {
            walk(
                &serde_json::from_str(e.schema).unwrap(),
                &mut keys,
                &mut values,
            );
        }
        keys.extend(["body", "key", "meta", "href", "plain"].map(String::from));
        values.extend(
            [
                "",
                " ",
                "192.0.2.1",
                "2001:db8::1",
                "::1",
                "256.1.1.1",
                "example.com",
                "-bad-.example",
                "a@example.com",
                "@",
                "0x80001F8880C71100000000",
                "0x",
                "8:00",
                "24:00",
                "-100",
                "-1",
                "public",
                "private",
                "sha",
                "/api/configuration/management/email",
                "/api/configuration/passwords/k",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                "-----BEGIN X509 CRL-----\n-----END X509 CRL-----",
                "é€😀\u{0}\u{feff}\\\"/",
            ]
            .map(String::from),
        );
        for cert in [
            "ca-valid-2099.pem",
            "expired-ca.pem",
            "leaf-not-ca.pem",
            "crl.pem",
        ] {
            if let Ok(pem) = fs::read_to_string(root().join("fixtures/certs").join(cert)) {
                values.insert(pem);
            }
        }
        (keys.into_iter().collect(), values.into_iter().collect())
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vocabulary().0.clone()),
        1 => "[a-z_]{0,12}",
        1 => any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => prop_oneof![any::<i64>(), -2i64..70000].prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        4 => prop::sample::select(vocabulary().1.clone()).prop_map(Value::String),
        1 => any::<String>().prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A JSON document as text: mostly objects (request bodies), compact or pretty.
fn json_text() -> impl Strategy<Value = String> {
    let doc = prop_oneof![
        4 => prop::collection::vec((key(), json_value()), 0..10)
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        1 => json_value(),
    ];
    (doc, any::<bool>()).prop_map(|(v, pretty)| {
        if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            v.to_string()
        }
    })
}

/// Text made of JSON's own tokens and near misses, so the parsers get past the first byte.
fn json_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let tokens = vec![
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        " ",
        "\n",
        "\r\n",
        "\t",
        "\"a\"",
        "\"plain\"",
        "\"community\"",
        "\"selection\"",
        "\"2c\"",
        "1",
        "-0.5e3",
        "01",
        "1e999",
        "true",
        "null",
        "nul",
        "//",
        "/*",
        "*/",
        "\\",
        "\\u00e9",
        "\\ud800",
        "\\x",
        "é",
        "😀",
        "\u{feff}",
        "\u{0}",
        "\u{1f}",
        "NaN",
        "-Infinity",
        "'x'",
        "+1",
        ".5",
        "0x1F",
    ];
    prop::collection::vec(prop::sample::select(tokens), 0..120)
        .prop_map(|t| t.concat().into_bytes())
}

fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '"', '{', '}', '[', ']', ',', ':', '\\', '/', '*', '\n', '\r', '\0', '\u{feff}', 'é',
            '€', '😀', ' ', '-', '0', '9', 'e', '.', 'n', 't',
        ]),
        1 => any::<char>(),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Rename the n-th object member.
    RenameKey(usize, String),
    /// Replace the n-th value (the root included) by a value of another type.
    ChangeType(usize, Value),
    /// Insert a character at a position.
    Insert(usize, char),
    /// Delete the character at a position.
    Delete(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), key()).prop_map(|(n, k)| Mutation::RenameKey(n, k)),
        (any::<usize>(), json_value()).prop_map(|(n, v)| Mutation::ChangeType(n, v)),
        (any::<usize>(), interesting_char()).prop_map(|(n, c)| Mutation::Insert(n, c)),
        any::<usize>().prop_map(Mutation::Delete),
    ]
}

/// Pointers of every value (`values`) and of every object member (`members`).
fn pointers(v: &Value, at: String, values: &mut Vec<String>, members: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                members.push(p.clone());
                pointers(x, p, values, members);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), values, members);
            }
        }
        _ => {}
    }
    values.push(at);
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> String {
    match m {
        Mutation::Insert(at, c) => {
            let at = floor_boundary(text, at % (text.len() + 1));
            let mut s = text.to_string();
            s.insert(at, *c);
            s
        }
        Mutation::Delete(at) if !text.is_empty() => {
            let at = floor_boundary(text, at % text.len());
            let mut s = text.to_string();
            s.remove(at);
            s
        }
        Mutation::Delete(_) => text.to_string(),
        Mutation::RenameKey(n, to) => {
            let Ok(mut v) = serde_json::from_str::<Value>(text) else {
                return text.to_string();
            };
            let (mut values, mut members) = (Vec::new(), Vec::new());
            pointers(&v, String::new(), &mut values, &mut members);
            if members.is_empty() {
                return text.to_string();
            }
            let p = &members[n % members.len()];
            let (parent, name) = p.rsplit_once('/').unwrap();
            let name = name.replace("~1", "/").replace("~0", "~");
            if let Some(Value::Object(o)) = v.pointer_mut(parent)
                && let Some(x) = o.remove(&name)
            {
                o.insert(to.clone(), x);
            }
            serde_json::to_string_pretty(&v).unwrap()
        }
        Mutation::ChangeType(n, to) => {
            let Ok(mut v) = serde_json::from_str::<Value>(text) else {
                return text.to_string();
            };
            let (mut values, mut members) = (Vec::new(), Vec::new());
            pointers(&v, String::new(), &mut values, &mut members);
            let p = &values[n % values.len()];
            let slot = v.pointer_mut(p).unwrap();
            *slot = if same_type(slot, to) {
                match slot {
                    Value::Null => json!("x"),
                    Value::Bool(_) => Value::Null,
                    Value::Number(_) => json!("1"),
                    Value::String(_) => json!(1),
                    Value::Array(_) => json!({}),
                    Value::Object(_) => json!([]),
                }
            } else {
                to.clone()
            };
            serde_json::to_string_pretty(&v).unwrap()
        }
    }
}

fn mutated_fixture() -> impl Strategy<Value = (String, String)> {
    (0..fixtures().len(), prop::collection::vec(mutation(), 1..4)).prop_map(|(i, ms)| {
        let (path, text) = &fixtures()[i];
        let text = ms.iter().fold(text.clone(), |t, m| apply(&t, m));
        (path.clone(), text)
    })
}

// ============================================================================ properties

/// Line and column (1-based, in characters) of a byte offset, counted the plain way.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// What must hold for every report of every input.
fn check_report(bytes: &[u8], report: &FileReport) -> Result<(), TestCaseError> {
    // The text the spans refer to: the file, or its valid UTF-8 prefix.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
    };
    let strict: Option<Value> = serde_json::from_slice(bytes).ok();
    for d in &report.diagnostics {
        let s = d
            .span
            .ok_or_else(|| TestCaseError::fail(format!("no span: {d:?}")))?;
        prop_assert!(
            s.start <= s.end && s.end <= text.len(),
            "span {}..{} outside the text ({} bytes): {d:?}",
            s.start,
            s.end,
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {}..{} not on character boundaries: {d:?}",
            s.start,
            s.end
        );
        prop_assert!(s.line >= 1 && s.column >= 1 && s.end_line >= 1 && s.end_column >= 1);
        prop_assert_eq!(
            (s.line, s.column),
            line_col(text, s.start),
            "start of {:?}",
            d
        );
        prop_assert_eq!(
            (s.end_line, s.end_column),
            line_col(text, s.end),
            "end of {:?}",
            d
        );
        prop_assert!(
            d.pointer.is_empty() || d.pointer.starts_with('/'),
            "bad pointer {:?}",
            d.pointer
        );
        if let Some(v) = &strict {
            prop_assert!(
                v.pointer(&d.pointer).is_some(),
                "pointer {:?} does not resolve in the document: {d:?}",
                d.pointer
            );
        }
        prop_assert!(!d.message.is_empty());
    }
    // Sorted by position.
    let keys: Vec<_> = report.diagnostics.iter().map(|d| d.sort_key()).collect();
    prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    Ok(())
}

/// Every output format renders the report; the JSON one is JSON with every diagnostic.
fn check_render(report: FileReport) -> Result<(), TestCaseError> {
    let n = report.diagnostics.len();
    let run = RunReport {
        files: vec![report],
        ..RunReport::default()
    };
    for format in Format::value_variants() {
        for color in [false, true] {
            let mut out = Vec::new();
            let options = RenderOptions {
                color,
                ..RenderOptions::default()
            };
            render::render(&run, *format, &options, &mut out)
                .map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))?;
            if *format == Format::Json {
                let v: Value = serde_json::from_slice(&out)
                    .map_err(|e| TestCaseError::fail(format!("JSON output: {e}")))?;
                prop_assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(n));
            }
        }
    }
    Ok(())
}

/// Lint the bytes as every target; render the report of one of them (rendering is the slow part).
fn check_everywhere(bytes: &[u8], render_as: usize) -> Result<(), TestCaseError> {
    for (i, (path, settings)) in targets().iter().enumerate() {
        let report = spslint::lint_bytes(path, bytes, settings);
        check_report(bytes, &report)?;
        if i == render_as % targets().len() {
            check_render(report)?;
        }
    }
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[test]
fn every_endpoint_has_a_test_path_that_maps_to_it() {
    for e in ENDPOINTS {
        let p = endpoint_path(e);
        let got = spslint::endpoint::by_path(Path::new(&p)).map(|x| x.path);
        assert_eq!(got, Some(e.path), "{p}");
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_crash(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        render_as in any::<usize>(),
    ) {
        check_everywhere(&bytes, render_as)?;
    }

    #[test]
    fn json_like_bytes_never_crash(bytes in json_ish_bytes(), render_as in any::<usize>()) {
        check_everywhere(&bytes, render_as)?;
    }

    #[test]
    fn arbitrary_json_never_crashes(text in json_text(), render_as in any::<usize>()) {
        check_everywhere(text.as_bytes(), render_as)?;
    }

    #[test]
    fn mutated_fixtures_never_crash((path, text) in mutated_fixture()) {
        // As the file it came from (its endpoint, its key), and as every other endpoint.
        let report = spslint::lint_bytes(&path, text.as_bytes(), &Settings::default());
        check_report(text.as_bytes(), &report)?;
        check_render(report)?;
        for (path, settings) in targets() {
            check_report(text.as_bytes(), &spslint::lint_bytes(path, text.as_bytes(), settings))?;
        }
    }

    #[test]
    fn a_valid_fixture_with_a_generated_value_never_crashes(
        i in 0..200usize,
        n in any::<usize>(),
        v in json_value(),
    ) {
        // A value of any shape in a real body, where the rules look.
        let (path, text) = &fixtures()[i % fixtures().len()];
        let mut doc: Value = serde_json::from_str(text).unwrap();
        let (mut values, mut members) = (Vec::new(), Vec::new());
        pointers(&doc, String::new(), &mut values, &mut members);
        let p = &values[n % values.len()];
        if !p.is_empty() {
            *doc.pointer_mut(p).unwrap() = v;
        }
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let report = spslint::lint_bytes(path, text.as_bytes(), &Settings::default());
        check_report(text.as_bytes(), &report)?;
        check_render(report)?;
    }
}

// ============================================================================ threads

/// Lint a folder as `spslint check` does, in a pool of `threads`, and render every format.
fn run_in_pool(threads: usize, dir: &Path, settings: &Settings) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let (files, errors) = spslint::discover(&[dir.to_path_buf()]);
        let mut report = spslint::lint::lint_repository(inputs(files), None, None, settings, None);
        report.errors.extend(errors);
        report.files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut out = Vec::new();
        for format in Format::value_variants() {
            render::render(&report, *format, &RenderOptions::default(), &mut out).unwrap();
        }
        out
    })
}

#[test]
fn output_does_not_depend_on_the_thread_count_over_the_fixtures() {
    let settings = Settings::default();
    let dir = root().join("fixtures");
    let one = run_in_pool(1, &dir, &settings);
    assert!(one.len() > 10_000, "the fixtures gave almost no output");
    for _ in 0..3 {
        let four = run_in_pool(4, &dir, &settings);
        assert!(one == four, "1 and 4 threads disagree over fixtures/");
    }
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn output_does_not_depend_on_the_thread_count(
        files in prop::collection::vec(mutated_fixture(), 1..16),
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (i, (path, text)) in files.iter().enumerate() {
            // Below the temporary folder, as in a repository: `api/...`, names kept unique.
            let rel = path.strip_prefix("fixtures/valid/").unwrap();
            let p = dir.path().join(rel.replace(".json", &format!("-{i}.json")));
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let settings = Settings::default();
        let one = run_in_pool(1, dir.path(), &settings);
        let four = run_in_pool(4, dir.path(), &settings);
        prop_assert!(one == four, "1 and 4 threads disagree");
    }
}

// ============================================================================ hostile inputs

const GOOD: &str = "api/configuration/management/health_monitoring/good.json";
const BAD: &str = "api/configuration/management/health_monitoring/bad.json";
/// Where hostile files go: a collection, so any file name maps to it.
const HOSTILE_DIR: &str = "api/configuration/policies/userlists";

/// A temporary folder with a good file and a bad file (one known error) beside the hostile one.
struct Workspace {
    dir: tempfile::TempDir,
    out: tempfile::TempDir,
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "output is not JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(4000)]),
                self.stderr
            )
        })
    }

    fn diagnostics_of(&self, path: &str) -> Vec<Value> {
        self.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == path)
            .cloned()
            .collect()
    }
}

impl Workspace {
    fn new() -> Self {
        let ws = Workspace {
            dir: tempfile::tempdir().unwrap(),
            out: tempfile::tempdir().unwrap(),
        };
        let fixture = |p: &str| fs::read(root().join(p)).unwrap();
        ws.write(
            GOOD,
            &fixture("fixtures/valid/api/configuration/management/health_monitoring/bounds.json"),
        );
        ws.write(
            BAD,
            &fixture(
                "fixtures/invalid/api/configuration/management/health_monitoring/ratio-over-100.json",
            ),
        );
        fs::create_dir_all(ws.path(HOSTILE_DIR)).unwrap();
        ws
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    /// A file written piece by piece (for the big ones).
    fn write_with(&self, rel: &str, f: impl FnOnce(&mut dyn Write)) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut w = std::io::BufWriter::new(fs::File::create(p).unwrap());
        f(&mut w);
        w.flush().unwrap();
    }

    /// Run the binary in the folder; output to files (it may be large), and never wait
    /// forever: a run that hangs fails the test.
    fn run(&self, args: &[&str]) -> Run {
        let out = self.out.path().join("stdout");
        let err = self.out.path().join("stderr");
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_spslint"))
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .args(args)
            .stdin(Stdio::null())
            .stdout(fs::File::create(&out).unwrap())
            .stderr(fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed() > Duration::from_secs(600) {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("spslint {args:?} hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // Not asserted (machines differ), but shown with --nocapture.
        eprintln!("spslint {args:?}: {:.1?}", started.elapsed());
        Run {
            code: status.code(),
            stdout: fs::read(&out).unwrap(),
            stderr: String::from_utf8_lossy(&fs::read(&err).unwrap()).into_owned(),
        }
    }

    /// Check the whole folder: the companions are linted as always, whatever sits beside them,
    /// and the human output stays proportionate to the findings (a few lines each), not to the
    /// size of the files.
    fn check_all(&self, expected_code: i32) -> Run {
        let run = self.run(&["check", "--format", "json", "api"]);
        assert_eq!(run.code, Some(expected_code), "json: {}", run.stderr);
        assert_eq!(run.diagnostics_of(GOOD), Vec::<Value>::new());
        let bad = run.diagnostics_of(BAD);
        assert!(
            bad.iter().any(|d| d["code"] == "SCHEMA006"
                && d["pointer"] == "/maximum_disk_utilization_ratio"
                && d["line"] == 2),
            "the bad companion was not linted: {bad:?}"
        );
        let findings = run.json()["diagnostics"].as_array().unwrap().len();
        let human = self.run(&["check", "api"]);
        assert_eq!(human.code, Some(expected_code), "human: {}", human.stderr);
        assert!(
            human.stdout.len() < 2048 * (findings + 1),
            "human output of {} bytes for {findings} findings",
            human.stdout.len()
        );
        run
    }
}

/// The path of a hostile file as reported.
fn hostile(name: &str) -> String {
    format!("{HOSTILE_DIR}/{name}")
}

/// The diagnostics of one file, which must exist and have codes starting with `prefix`.
fn assert_reported(run: &Run, path: &str, code_prefix: &str) -> Vec<Value> {
    let ds = run.diagnostics_of(path);
    assert!(
        ds.iter()
            .any(|d| d["code"].as_str().unwrap().starts_with(code_prefix)),
        "{path}: expected a {code_prefix} diagnostic, got {ds:?}\n{}",
        run.stderr
    );
    for d in &ds {
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
    ds
}

/// The file alone: its own exit status, and its name in the output.
fn assert_alone(ws: &Workspace, path: &str, code: i32) -> Run {
    let run = ws.run(&["check", path]);
    assert_eq!(run.code, Some(code), "{path} alone: {}", run.stderr);
    let all = format!("{}{}", String::from_utf8_lossy(&run.stdout), run.stderr);
    assert!(all.contains(path), "{path} is not named: {all}");
    run
}

#[test]
fn a_100_mb_file() {
    let ws = Workspace::new();
    // Over the default size limit (see `a_file_over_the_size_limit`): raised, to lint it.
    ws.write("spslint.toml", b"max_file_size = \"200M\"\n");
    let name = hostile("huge.json");
    ws.write_with(&name, |w| {
        w.write_all(br#"{"allow": "no_user", "except": [], "name": "huge", "notes": ""#)
            .unwrap();
        let chunk = [b'x'; 1 << 20];
        for _ in 0..100 {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"\"}\n").unwrap();
    });
    assert!(fs::metadata(ws.path(&name)).unwrap().len() > 100 << 20);
    let run = ws.check_all(1);
    let ds = assert_reported(&run, &name, "SCHEMA001");
    assert_eq!(ds[0]["pointer"], "/notes");
    // The snippet shows a window of the line, not 100 MB.
    let alone = assert_alone(&ws, &name, 1);
    assert!(alone.stdout.len() < 10_000, "{} bytes", alone.stdout.len());
}

#[test]
fn a_million_element_array() {
    let ws = Workspace::new();
    // 18 MB: over the default size limit, raised.
    ws.write("spslint.toml", b"max_file_size = \"64M\"\n");
    let name = hostile("million.json");
    ws.write_with(&name, |w| {
        w.write_all(b"{\n  \"allow\": \"no_user\",\n  \"except\": [\n")
            .unwrap();
        for i in 0..1_000_000 {
            writeln!(w, "    \"user{i}\",").unwrap();
        }
        w.write_all(b"    \"last\"\n  ],\n  \"name\": \"million\",\n  \"extra\": 1\n}\n")
            .unwrap();
    });
    let run = ws.check_all(1);
    let ds = assert_reported(&run, &name, "SCHEMA001");
    assert_eq!(ds[0]["pointer"], "/extra");
    assert_eq!(ds[0]["line"], 1_000_007);
    assert_eq!(ds[0]["column"], 3);
    assert_alone(&ws, &name, 1);
}

#[test]
fn fifty_thousand_findings_on_one_line() {
    // Each finding's line and column and snippet must cost little, not the length of the line.
    let ws = Workspace::new();
    let name = "api/configuration/management/syslog.json";
    let items = vec!["1"; 50_000].join(",");
    let body = format!(
        r#"{{"encryption": {{"client_authentication": null, "trust_store": null}}, "include_node_id": true, "receivers": [{items}]}}"#
    );
    ws.write(name, body.as_bytes());
    let run = ws.check_all(1);
    let ds = run.diagnostics_of(name);
    assert_eq!(ds.len(), 50_000);
    let last = &ds[49_999];
    assert_eq!(last["pointer"], "/receivers/49999");
    // One-based: the column after the bracket, then two characters per item.
    assert_eq!(last["column"], body.find('[').unwrap() + 2 + 2 * 49_999);
    for format in ["short", "human"] {
        let out = ws.run(&["check", "--format", format, name]);
        assert_eq!(out.code, Some(1), "{format}");
        let lines = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("must be an object"))
            .count();
        assert_eq!(lines, 50_000, "{format}");
    }
}

#[test]
fn a_10_mb_string() {
    // In fields whose rules quote the value: messages shorten it, snippets cut the line.
    let ws = Workspace::new();
    // 40 MB: over the default size limit, raised.
    ws.write("spslint.toml", b"max_file_size = \"64M\"\n");
    let name = "api/configuration/management/email.json";
    let big = "a".repeat(10 << 20);
    let mut body: Value = serde_json::from_slice(
        &fs::read(root().join(
            "fixtures/valid/api/configuration/management/email/fqdn-server-with-sender.json",
        ))
        .unwrap(),
    )
    .unwrap();
    body["admin_address"] = json!(format!("{big}@{big}"));
    body["sender_address"] = json!(big);
    body["smtp_server"]["value"] = json!(big);
    ws.write(
        name,
        serde_json::to_string_pretty(&body).unwrap().as_bytes(),
    );
    let run = ws.check_all(1);
    let ds = run.diagnostics_of(name);
    assert!(ds.len() >= 3, "{ds:?}");
    for format in ["human", "short", "json"] {
        let out = ws.run(&["check", "--format", format, name]);
        assert_eq!(out.code, Some(1));
        assert!(
            out.stdout.len() < 100_000,
            "--format {format}: {} bytes of output for a 10 MB value",
            out.stdout.len()
        );
    }
}

#[test]
fn a_1_mb_line() {
    // A minified body: every finding is on line 1, far to the right.
    let ws = Workspace::new();
    let name = hostile("minified.json");
    let names: Vec<String> = (0..150_000).map(|i| format!("u{i}")).collect();
    let body = json!({"allow": "nobody", "except": names, "name": "m", "zz_extra": 1}).to_string();
    assert!(body.len() > 1 << 20 && !body.contains('\n'));
    ws.write(&name, body.as_bytes());
    let run = ws.check_all(1);
    let ds = run.diagnostics_of(&name);
    assert!(ds.len() >= 2, "{ds:?}");
    let extra = ds.iter().find(|d| d["pointer"] == "/zz_extra").unwrap();
    assert_eq!(extra["line"], 1);
    assert_eq!(
        extra["column"].as_u64().unwrap() as usize,
        body.find("\"zz_extra\"").unwrap() + 1
    );
    let alone = assert_alone(&ws, &name, 1);
    assert!(alone.stdout.len() < 10_000, "{} bytes", alone.stdout.len());
    let text = String::from_utf8_lossy(&alone.stdout);
    assert!(text.contains(&format!("{name}:1:")), "{text}");
}

#[test]
fn nesting_a_million_levels_deep() {
    let ws = Workspace::new();
    let n = 1_000_000;
    let files = [
        ("deep-array.json", "[".repeat(n) + &"]".repeat(n)),
        (
            "deep-object.json",
            "{\"a\":".repeat(n) + "1" + &"}".repeat(n),
        ),
        ("deep-unclosed.json", "[".repeat(n)),
        (
            "deep-in-body.json",
            format!(
                "{{\"allow\": \"no_user\", \"except\": {}{}, \"name\": \"d\"}}",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
        (
            "deep-with-comment.json",
            format!("// c\n{}{}", "[".repeat(n), "]".repeat(n)),
        ),
    ];
    for (name, text) in &files {
        ws.write(&hostile(name), text.as_bytes());
    }
    // At the limit, linted in parallel (rayon's threads have smaller stacks than the main one).
    let at = |levels: usize| {
        format!(
            "{{\"allow\": \"no_user\", \"name\": \"d{levels}\", \"except\": {}{}}}",
            "[".repeat(levels - 1),
            "]".repeat(levels - 1)
        )
    };
    ws.write(&hostile("deep-127.json"), at(127).as_bytes());
    ws.write(&hostile("deep-128.json"), at(128).as_bytes());
    let run = ws.check_all(1);
    for (name, _) in &files {
        assert_reported(&run, &hostile(name), "JSON009");
        assert_alone(&ws, &hostile(name), 1);
    }
    let ds = assert_reported(&run, &hostile("deep-127.json"), "SCHEMA003");
    assert!(
        ds.iter()
            .all(|d| !d["code"].as_str().unwrap().starts_with("JSON")),
        "{ds:?}"
    );
    assert_reported(&run, &hostile("deep-128.json"), "JSON009");
}

#[test]
fn nul_bytes() {
    let ws = Workspace::new();
    let files: [(&str, &[u8]); 5] = [
        ("nul-in-string.json", b"{\"name\": \"a\0b\"}"),
        ("nul-between.json", b"{\0\"name\": \"a\"}"),
        ("nul-only.json", &[0u8; 4096]),
        (
            "nul-after.json",
            b"{\"allow\": \"no_user\", \"except\": [], \"name\": \"n\"}\0",
        ),
        ("nul-in-key.json", b"{\"na\0me\": \"n\"}"),
    ];
    for (name, bytes) in files {
        ws.write(&hostile(name), bytes);
    }
    let run = ws.check_all(1);
    for (name, _) in files {
        assert_reported(&run, &hostile(name), "JSON");
        assert_alone(&ws, &hostile(name), 1);
    }
}

#[test]
fn invalid_utf8() {
    let ws = Workspace::new();
    let files: [(&str, &[u8], (u64, u64)); 5] = [
        ("key.json", b"{\n  \"na\xffme\": 1}", (2, 6)),
        ("latin1.json", b"{\"caf\xe9\": \"cr\xe8me\"}", (1, 6)),
        ("utf16.json", b"\xff\xfe{\0}\0", (1, 1)),
        ("truncated.json", b"{\"name\": \"\xe2\x82", (1, 11)),
        ("overlong.json", b"{\"name\": \"\xc0\xaf\"}", (1, 11)),
    ];
    for (name, bytes, _) in files {
        ws.write(&hostile(name), bytes);
    }
    let run = ws.check_all(1);
    for (name, _, (line, column)) in files {
        let ds = assert_reported(&run, &hostile(name), "JSON006");
        assert_eq!(
            (&ds[0]["line"], &ds[0]["column"]),
            (&json!(line), &json!(column))
        );
        assert_alone(&ws, &hostile(name), 1);
    }
}

#[test]
fn empty_blank_and_binary_files() {
    let ws = Workspace::new();
    let files: [(&str, Vec<u8>); 4] = [
        ("empty.json", Vec::new()),
        ("blank.json", b" \n\t\r\n".to_vec()),
        ("bom-only.json", b"\xef\xbb\xbf".to_vec()),
        (
            "binary.json",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
        ),
    ];
    for (name, bytes) in &files {
        ws.write(&hostile(name), bytes);
    }
    let run = ws.check_all(1);
    for (name, _) in &files {
        assert_reported(&run, &hostile(name), "JSON");
        assert_alone(&ws, &hostile(name), 1);
    }
}

#[test]
fn a_directory_named_like_a_json_file() {
    let ws = Workspace::new();
    let dir = hostile("folder.json");
    fs::create_dir_all(ws.path(&dir)).unwrap();
    // Walked into like any folder, not read as a file.
    ws.write(&format!("{dir}/inner.json"), b"{\"name\": 1}");
    let run = ws.check_all(1);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let alone = ws.run(&["check", "--format", "json", &dir]);
    assert_eq!(alone.code, Some(0), "{}", alone.stderr);
    assert_eq!(alone.json()["summary"]["files"], 1);
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn a_fifo() {
    let ws = Workspace::new();
    let name = hostile("pipe.json");
    mkfifo(&ws.path(&name));
    let run = ws.check_all(2);
    assert!(
        run.stderr.contains(&name) && run.stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
    assert_alone(&ws, &name, 2);
    // In a repository the other files are read for references: never the FIFO.
    fs::create_dir(ws.path(".git")).unwrap();
    let run = ws.run(&["check", GOOD]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let run = ws.check_all(2);
    assert!(run.stderr.contains(&name), "{}", run.stderr);
}

#[test]
fn a_broken_symlink() {
    let ws = Workspace::new();
    let name = hostile("broken.json");
    std::os::unix::fs::symlink("nowhere.json", ws.path(&name)).unwrap();
    let run = ws.check_all(2);
    assert!(run.stderr.contains(&name), "{}", run.stderr);
    assert_alone(&ws, &name, 2);
}

#[test]
fn symlink_loops() {
    let ws = Workspace::new();
    let (a, b, me) = (hostile("a.json"), hostile("b.json"), hostile("me.json"));
    std::os::unix::fs::symlink("b.json", ws.path(&a)).unwrap();
    std::os::unix::fs::symlink("a.json", ws.path(&b)).unwrap();
    std::os::unix::fs::symlink("me.json", ws.path(&me)).unwrap();
    // A folder link back up: not followed while walking.
    std::os::unix::fs::symlink("..", ws.path(&hostile("up"))).unwrap();
    let run = ws.check_all(2);
    for p in [&a, &b, &me] {
        assert!(run.stderr.contains(p.as_str()), "{p}: {}", run.stderr);
        assert_alone(&ws, p, 2);
    }
    // A link named like a file that points to a folder is not read as a file.
    std::os::unix::fs::symlink("..", ws.path(&hostile("dir-link.json"))).unwrap();
    let run = ws.check_all(2);
    assert!(
        run.stderr.contains(&hostile("dir-link.json")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_path_given_explicitly() {
    let ws = Workspace::new();
    let run = ws.run(&["check", "api", "nowhere.json"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("nowhere.json"), "{}", run.stderr);
    assert!(String::from_utf8_lossy(&run.stdout).contains(BAD));
}

#[test]
fn an_unreadable_file_and_folder() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    let name = hostile("locked.json");
    ws.write(
        &name,
        b"{\"allow\": \"no_user\", \"except\": [], \"name\": \"locked\"}",
    );
    fs::set_permissions(ws.path(&name), fs::Permissions::from_mode(0o000)).unwrap();
    let folder = "api/configuration/policies/time_policies";
    ws.write(&format!("{folder}/inside.json"), b"{}");
    fs::set_permissions(ws.path(folder), fs::Permissions::from_mode(0o000)).unwrap();
    // Root (as in many CI containers) reads them anyway: then they must simply be linted.
    let privileged = fs::read(ws.path(&name)).is_ok();
    if privileged {
        let run = ws.check_all(1);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        assert_eq!(run.diagnostics_of(&name), Vec::<Value>::new());
        assert!(
            !run.diagnostics_of(&format!("{folder}/inside.json"))
                .is_empty()
        );
        assert_eq!(ws.run(&["check", &name]).code, Some(0));
    } else {
        let run = ws.check_all(2);
        assert!(
            run.stderr.contains(&name) && run.stderr.contains(folder),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("ermission denied"), "{}", run.stderr);
        assert_alone(&ws, &name, 2);
    }
    // Let the temporary folder be removed.
    fs::set_permissions(ws.path(folder), fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_file_that_disappears_between_listing_and_reading() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join(GOOD);
    let gone = dir.path().join(HOSTILE_DIR).join("gone.json");
    let swapped = dir.path().join(HOSTILE_DIR).join("swapped.json");
    for p in [&good, &gone, &swapped] {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
    }
    fs::copy(
        root().join("fixtures/valid/api/configuration/management/health_monitoring/bounds.json"),
        &good,
    )
    .unwrap();
    fs::write(&gone, b"{}").unwrap();
    fs::write(&swapped, b"{}").unwrap();
    let (files, errors) = spslint::discover(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty());
    assert_eq!(files.len(), 3);
    // Removed, and replaced by a folder, after the listing.
    fs::remove_file(&gone).unwrap();
    fs::remove_file(&swapped).unwrap();
    fs::create_dir(&swapped).unwrap();
    let settings = Settings::default();
    for report in [
        spslint::lint_files(&files, &settings),
        spslint::lint::lint_repository(inputs(files.clone()), None, None, &settings, None),
    ] {
        let named = |p: &Path| {
            report
                .errors
                .iter()
                .find(|e| e.path == p.display().to_string())
                .map(|e| e.message.clone())
        };
        let m = named(&gone).expect("no error for the vanished file");
        assert!(m.contains("No such file"), "{m}");
        assert!(named(&swapped).is_some(), "no error for the swapped file");
        assert_eq!(report.files.len(), 1);
        assert_eq!(report.files[0].path, good.display().to_string());
        assert!(report.files[0].diagnostics.is_empty());
    }
}

/// Files of a folder given whole: nothing else to index.
fn inputs(files: Vec<std::path::PathBuf>) -> Vec<spslint::lint::Input> {
    files.into_iter().map(spslint::lint::Input::new).collect()
}

// ============================================================================ issue 12

/// Whether any output line starts with text a file name or key chose, or any control
/// character but a line break or tab reached the output raw (the colours' own SGR sequences,
/// `ESC [ ... m`, aside: the file's ESC sequences here are others).
fn assert_not_hijacked(what: &str, out: &[u8]) {
    let raw = String::from_utf8_lossy(out);
    let mut text = String::new();
    let mut rest = raw.as_ref();
    while let Some(i) = rest.find("\u{1b}[") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(j) if after[j..].starts_with('m') => rest = &after[j + 1..],
            _ => {
                text.push_str("\u{1b}[");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    for line in text.lines() {
        assert!(
            !line.starts_with("::error file=forged") && !line.starts_with("forged:"),
            "{what}: forged line {line:?}\n{text}"
        );
    }
    let raw = text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c)
    });
    assert!(raw.is_none(), "{what}: raw {raw:?} in output\n{text}");
}

#[test]
fn file_names_and_keys_cannot_forge_output() {
    let ws = Workspace::new();
    // A file name with a line break, a GitHub workflow command, an ESC sequence, a C1 CSI and a
    // bidi override; the body has keys with the same (a raw C1 character is valid JSON).
    let name = hostile(
        "x\n::error file=forged,line=1::owned\nforged:1:1: error[X] owned\u{1b}[2J\u{9b}31m\u{202e}.json",
    );
    ws.write(
        &name,
        "{\"allow\": \"no_user\", \"except\": [], \"name\": \"n\", \"\\u001b]0;owned\\u0007\\n::error file=forged::x\": 1, \"a\u{9b}2J\": 2}".as_bytes(),
    );
    // A second one that cannot be read (a broken link): its name goes to standard error.
    let broken = hostile("y\n::error file=forged::owned\u{1b}[31m.json");
    std::os::unix::fs::symlink("nowhere", ws.path(&broken)).unwrap();
    for format in ["human", "short", "github"] {
        for color in ["never", "always"] {
            let run = ws.run(&["check", "--format", format, "--color", color, "api"]);
            assert_eq!(run.code, Some(2), "{format}: {}", run.stderr);
            assert_not_hijacked(&format!("{format} stdout"), &run.stdout);
            if color == "never" {
                assert_not_hijacked(&format!("{format} stderr"), run.stderr.as_bytes());
            }
            let text = String::from_utf8_lossy(&run.stdout);
            // Still named, written out.
            assert!(text.contains("x\\n::error file=forged"), "{format}: {text}");
            assert!(run.stderr.contains("y\\n::error"), "{}", run.stderr);
        }
    }
    // The machine formats keep the raw text under their own escaping, and stay valid.
    let run = ws.run(&["check", "--format", "json", "api"]);
    let ds = run.diagnostics_of(&name);
    assert!(!ds.is_empty(), "the file was not linted");
    assert!(
        ds.iter()
            .any(|d| d["message"].as_str().unwrap().contains("\u{1b}]0;owned")),
        "{ds:?}"
    );
    let sarif = ws.run(&["check", "--format", "sarif", "api"]);
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert!(log["runs"][0]["results"].as_array().unwrap().len() > 1);
    let junit = ws.run(&["check", "--format", "junit", "api"]);
    let mut reader = quick_xml::Reader::from_reader(&junit.stdout[..]);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => buf.clear(),
            Err(e) => panic!("JUnit output is not XML: {e}"),
        }
    }
    // --diff names files in its headers and shows their lines.
    let fixable = hostile("z\n+++ forged\u{1b}[2J.json");
    ws.write(
        &fixable,
        b"\xEF\xBB\xBF{\"allow\": \"no_user\", \"except\": [], \"name\": \"\xc2\x9b\"}",
    );
    let diff = ws.run(&["check", "--diff", &fixable]);
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert_not_hijacked("--diff", &diff.stdout);
    assert!(
        !String::from_utf8_lossy(&diff.stdout)
            .lines()
            .any(|l| l.starts_with("+++ forged"))
    );
}

/// A repository with a `.git` folder, a file outside it holding a token, and links to it.
struct Outside {
    ws: Workspace,
    outside: tempfile::TempDir,
    token: String,
}

impl Outside {
    fn new() -> Self {
        let ws = Workspace::new();
        fs::create_dir(ws.path(".git")).unwrap();
        let outside = tempfile::tempdir().unwrap();
        let token = format!("Zz9outsideSecret{}", std::process::id());
        fs::write(
            outside.path().join("victim.json"),
            format!("{{\"allow\": \"no_user\", \"except\": [], \"name\": \"{token} x\", \"{token}\": 1}}"),
        )
        .unwrap();
        Outside { ws, outside, token }
    }

    fn all_outputs(&self, args: &[&str]) -> String {
        let mut all = String::new();
        for format in ["human", "short", "json", "sarif", "github", "junit"] {
            let mut a = vec!["check", "--format", format];
            a.extend_from_slice(args);
            let run = self.ws.run(&a);
            all.push_str(&String::from_utf8_lossy(&run.stdout));
            all.push_str(&run.stderr);
        }
        all
    }
}

#[test]
fn symlinks_out_of_the_repository_are_not_read() {
    let o = Outside::new();
    let ws = &o.ws;
    let victim = o.outside.path().join("victim.json");
    let out_link = hostile("out.json");
    std::os::unix::fs::symlink(&victim, ws.path(&out_link)).unwrap();
    let proc_link = hostile("proc.json");
    std::os::unix::fs::symlink("/proc/self/environ", ws.path(&proc_link)).unwrap();
    let fifo = ws.path("pipe");
    mkfifo(&fifo);
    let fifo_link = hostile("fifo.json");
    std::os::unix::fs::symlink(&fifo, ws.path(&fifo_link)).unwrap();
    let dev_link = hostile("zero.json");
    std::os::unix::fs::symlink("/dev/zero", ws.path(&dev_link)).unwrap();
    // A link inside the repository is followed as before.
    let inside_link = hostile("inside.json");
    ws.write(
        "store/inside.json",
        b"{\"allow\": \"no_user\", \"except\": [], \"name\": \"n\", \"extra\": 1}",
    );
    std::os::unix::fs::symlink(ws.path("store/inside.json"), ws.path(&inside_link)).unwrap();

    // The companions are linted as always: exit 1 for the bad one, the links are warnings.
    let run = ws.check_all(1);
    for (link, words) in [
        (&out_link, "outside the repository"),
        (&proc_link, "kernel interface"),
        (&fifo_link, "a FIFO"),
        (&dev_link, "a device"),
    ] {
        let ds = assert_reported(&run, link, "FILE002");
        let m = ds[0]["message"].as_str().unwrap();
        assert!(m.contains(words), "{link}: {m}");
        assert_eq!(ds[0]["severity"], "warning");
    }
    let m = run.diagnostics_of(&out_link)[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        m.contains(&victim.canonicalize().unwrap().display().to_string()),
        "{m}"
    );
    assert_reported(&run, &inside_link, "SCHEMA001");
    // Named explicitly (as pre-commit does), and in every format: the victim's text never shows.
    let all = o.all_outputs(&["api", &out_link, &proc_link]);
    assert!(!all.contains(&o.token), "the outside file was read:\n{all}");
    assert!(!all.contains("PATH="), "/proc was read:\n{all}");
    // --fix does not write through it either.
    let before = fs::read(&victim).unwrap();
    let fix = ws.run(&["check", "--fix", &out_link]);
    assert_eq!(fix.code, Some(0), "{}", fix.stderr);
    assert_eq!(fs::read(&victim).unwrap(), before);
    // --fail-on warning makes them fail the run; --ignore FILE002 silences them.
    assert_eq!(
        ws.run(&["check", "--fail-on", "warning", &out_link]).code,
        Some(1)
    );
    let quiet = ws.run(&[
        "check", "--format", "json", "--ignore", "FILE002", &out_link,
    ]);
    assert_eq!(quiet.json()["diagnostics"], json!([]));
}

#[test]
fn a_symlink_outside_any_repository_is_read_as_given() {
    // No .git, no spslint.toml: the files given are all there is, and a link is followed.
    let o = Outside::new();
    fs::remove_dir(o.ws.path(".git")).unwrap();
    let link = hostile("given.json");
    std::os::unix::fs::symlink(o.outside.path().join("victim.json"), o.ws.path(&link)).unwrap();
    let run = o.ws.run(&["check", "--format", "json", &link]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_reported(&run, &link, "SCHEMA001");
}

#[test]
fn a_file_over_the_size_limit() {
    let ws = Workspace::new();
    let name = hostile("big.json");
    // 17 MiB: over the default limit of 16 MiB.
    ws.write_with(&name, |w| {
        w.write_all(br#"{"allow": "no_user", "except": [], "name": "n", "notes": ""#)
            .unwrap();
        w.write_all(&vec![b'x'; 17 << 20]).unwrap();
        w.write_all(b"\"}").unwrap();
    });
    let run = ws.check_all(1);
    let ds = assert_reported(&run, &name, "FILE003");
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert!(
        ds[0]["message"]
            .as_str()
            .unwrap()
            .contains("over the limit")
    );
    // Raised on the command line or in spslint.toml: linted.
    let run = ws.run(&["check", "--format", "json", "--max-file-size", "32M", &name]);
    assert_reported(&run, &name, "SCHEMA001");
    ws.write("spslint.toml", b"max_file_size = 100\n");
    let run = ws.run(&["check", "--format", "json", GOOD]);
    assert_reported(&run, GOOD, "FILE003");
    assert_eq!(
        ws.run(&["check", "--max-file-size", "1M", GOOD]).code,
        Some(0)
    );
    let run = ws.run(&["check", "--max-file-size", "12 parsecs", GOOD]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    fs::remove_file(ws.path("spslint.toml")).unwrap();
    // Standard input is cut at the limit too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(ws.dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--max-file-size",
            "1K",
            "--stdin-filename",
            GOOD,
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // More than the limit; the write may fail once spslint stops reading.
    let _ = stdin.write_all(&vec![b' '; 1 << 20]);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "FILE003", "{v}");
}

#[test]
fn a_huge_sparse_file_is_not_read() {
    // 64 GiB that cost no disk: reading it would take minutes and more memory than the machine
    // has; it is reported from its size.
    let ws = Workspace::new();
    let name = hostile("sparse.json");
    let f = fs::File::create(ws.path(&name)).unwrap();
    f.set_len(64 << 30).unwrap();
    drop(f);
    let started = Instant::now();
    let run = ws.run(&["check", "--format", "json", &name]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_reported(&run, &name, "FILE003");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // Linted in a repository walk too (the index reads the other files under the same limit).
    fs::create_dir(ws.path(".git")).unwrap();
    let run = ws.run(&["check", "--format", "json", GOOD]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn globs_that_cannot_be_used_are_configuration_errors() {
    let ws = Workspace::new();
    let huge_q = "?".repeat(1 << 20);
    let huge_a = "a*".repeat(50_000);
    let cases = [
        // Too large to compile (this one made the old binary panic), or only too long.
        format!("[endpoints]\n\"{huge_q}\" = \"management/email\"\n"),
        format!("[endpoints]\n\"{huge_a}\" = \"management/email\"\n"),
        format!("[[overrides]]\nfiles = [\"{huge_q}\"]\nignore = [\"JSON\"]\n"),
        format!("[[suppress]]\nfiles = \"{huge_a}\"\nreason = \"r\"\n"),
        // Not a glob.
        "[endpoints]\n\"a/[b.json\" = \"management/email\"\n".to_string(),
        "\n[[overrides]]\nfiles = [\"ok/*.json\", \"{a,b\"]\nignore = [\"JSON\"]\n".to_string(),
    ];
    for (i, toml) in cases.iter().enumerate() {
        ws.write("spslint.toml", toml.as_bytes());
        let run = ws.run(&["check", "api"]);
        assert_eq!(run.code, Some(2), "case {i}: {}", run.stderr);
        let line = run.stderr.lines().next().unwrap_or_default();
        assert!(
            line.starts_with("spslint: error: spslint.toml:")
                && line.contains("error[CONFIG002] invalid glob"),
            "case {i}: {line}"
        );
        // Located: at the glob's line (the second or third).
        let at: Vec<&str> = line.split(':').collect();
        assert!(matches!(at[3], "2" | "3"), "case {i}: {line}");
        // The glob is quoted shortened, not echoed whole.
        assert!(
            run.stderr.len() < 1000,
            "case {i}: {} bytes",
            run.stderr.len()
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn fix_keeps_the_owner_and_group_and_refuses_hard_links() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let ws = Workspace::new();
    let name = hostile("owned.json");
    let body = b"\xEF\xBB\xBF{\"allow\": \"no_user\", \"except\": [], \"name\": \"owned\"}";
    ws.write(&name, body);
    fs::set_permissions(ws.path(&name), fs::Permissions::from_mode(0o640)).unwrap();
    // As root (as in many CI containers) the file can be given to another user first.
    let root = fs::metadata(ws.path(&name)).unwrap().uid() == 0;
    let owner = if root {
        let chown = std::os::unix::fs::chown(ws.path(&name), Some(12345), Some(23456));
        chown.unwrap();
        (12345, 23456)
    } else {
        eprintln!("not root: the file keeps our own uid and gid");
        let m = fs::metadata(ws.path(&name)).unwrap();
        (m.uid(), m.gid())
    };
    let run = ws.run(&["check", "--fix", &name]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(fs::read(ws.path(&name)).unwrap(), &body[3..], "not fixed");
    let m = fs::metadata(ws.path(&name)).unwrap();
    assert_eq!((m.uid(), m.gid()), owner, "owner or group changed");
    assert_eq!(m.permissions().mode() & 0o7777, 0o640);

    // Run by another user (nobody, through setpriv) on a file of a third one in a folder anyone
    // may write: the fixed copy could not be given back to the owner, so the file is left alone.
    if root && Path::new("/usr/bin/setpriv").exists() {
        let other = hostile("others.json");
        ws.write(&other, body);
        std::os::unix::fs::chown(ws.path(&other), Some(12345), Some(23456)).unwrap();
        fs::set_permissions(ws.path(&other), fs::Permissions::from_mode(0o666)).unwrap();
        let mut dir = ws.path(HOSTILE_DIR);
        while dir.starts_with(ws.dir.path()) {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
            dir.pop();
        }
        let out = Command::new("/usr/bin/setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_spslint"))
            .args(["check", "--fix", &other])
            .current_dir(ws.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("cannot be given back"), "{stderr}");
        assert_eq!(fs::read(ws.path(&other)).unwrap(), body);
        let m = fs::metadata(ws.path(&other)).unwrap();
        assert_eq!((m.uid(), m.gid()), (12345, 23456));
        let left: Vec<_> = fs::read_dir(ws.path(HOSTILE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().contains(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    } else {
        eprintln!("not root or no setpriv: the refusal for another owner is not exercised");
    }

    // A hard-linked file: a rename would leave the other name with the old text. Refused.
    let linked = hostile("linked.json");
    ws.write(&linked, body);
    fs::hard_link(ws.path(&linked), ws.path("twin.json")).unwrap();
    let run = ws.run(&["check", "--fix", &linked]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("hard links") && run.stderr.contains(&linked),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(ws.path(&linked)).unwrap(), body);
    assert_eq!(fs::read(ws.path("twin.json")).unwrap(), body);
}

#[test]
fn crlf_files_number_their_lines_as_the_other_formats_do() {
    let ws = Workspace::new();
    let name = hostile("crlf.json");
    ws.write(
        &name,
        b"{\r\n  \"allow\": \"no_user\",\r\n  \"except\": [],\r\n  \"name\": \"n\",\r\n  \"zz\": 1,\r\n  \"yy\": 2\r\n}\r\n",
    );
    let short = ws.run(&["check", "--format", "short", &name]);
    let lines: Vec<usize> = String::from_utf8_lossy(&short.stdout)
        .lines()
        .map(|l| l.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines, vec![5, 6]);
    let human = String::from_utf8_lossy(&ws.run(&["check", &name]).stdout).into_owned();
    // Each report's gutter: numbers that follow each other, the finding's among them, and the
    // header's line is the short format's.
    for (report, line) in human.split("unknown-key").skip(1).zip(&lines) {
        assert!(report.contains(&format!("crlf.json:{line}:3]")), "{report}");
        let gutter: Vec<usize> = report
            .lines()
            .filter_map(|l| l.split('│').next()?.trim().parse().ok())
            .collect();
        assert!(
            gutter.windows(2).all(|w| w[1] == w[0] + 1),
            "{gutter:?}\n{report}"
        );
        assert!(
            gutter.contains(line) && gutter.len() >= 3,
            "{gutter:?}\n{report}"
        );
        assert!(!report.contains('\r'), "{report:?}");
    }
}
