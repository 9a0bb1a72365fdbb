//! End-to-end: the real binary over every fixture, compared with the `.expected` file beside
//! each (none means no diagnostic): code, severity, pointer, position, and the message and help
//! the user reads, so wording cannot regress unseen. A fixture that `--fix` changes has its
//! `.diff` beside it too. `SPSLINT_BLESS=1 cargo test --test fixtures` rewrites the
//! expectations from the actual output; review the diff before committing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `spslint check --format json` on the fixture folders, from the repository root. The
/// fixtures are independent bodies, not one repository: the cross-file rules (REPO) are off
/// here and tested on the example repository in tests/repository.rs.
fn run(dirs: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(root())
        .args(["check", "--format", "json", "--ignore", "REPO"])
        .args(dirs)
        .output()
        .expect("run spslint");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "output is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Every fixture under `fixtures/valid` and `fixtures/invalid` gives exactly the diagnostics its
/// `.expected` lists, at the right pointer, line and column.
#[test]
fn fixtures_match_their_expected_diagnostics() {
    let (out, _) = run(&["fixtures/valid", "fixtures/invalid"]);
    let mut actual: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for d in out["diagnostics"].as_array().unwrap() {
        actual
            .entry(d["path"].as_str().unwrap().to_string())
            .or_default()
            .push(json!({
                "code": d["code"], "severity": d["severity"], "pointer": d["pointer"],
                "line": d["line"], "column": d["column"],
                "message": d["message"], "help": d["help"],
            }));
    }
    let mut files = Vec::new();
    json_files(&root().join("fixtures/valid"), &mut files);
    json_files(&root().join("fixtures/invalid"), &mut files);
    files.sort();
    assert!(files.len() > 100, "fixtures went missing: {}", files.len());
    compare_with_expected(actual, &files);
}

/// The fixtures of one SPS version (`fixtures/versions/sps-X.Y/`, whose spslint.toml sets
/// `sps_version`): linted as their own repository, so that configuration applies, and held to
/// their `.expected` files the same way; valid ones have no error, invalid ones have one.
#[test]
fn version_fixtures_match_under_their_own_configuration() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("fixtures/versions")).unwrap() {
        let dir = entry.unwrap().path();
        let rel = relative(&dir);
        assert!(
            std::fs::read_to_string(dir.join("spslint.toml"))
                .unwrap()
                .contains("sps_version"),
            "{rel} has no sps_version"
        );
        let (out, _) = run(&[&rel]);
        let mut actual: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut errors: BTreeMap<String, usize> = BTreeMap::new();
        for d in out["diagnostics"].as_array().unwrap() {
            let path = d["path"].as_str().unwrap().to_string();
            if d["severity"] == "error" {
                *errors.entry(path.clone()).or_default() += 1;
            }
            actual.entry(path).or_default().push(json!({
                "code": d["code"], "pointer": d["pointer"], "line": d["line"], "column": d["column"],
            }));
        }
        let mut files = Vec::new();
        json_files(&dir, &mut files);
        files.sort();
        for f in &files {
            let r = relative(f);
            let valid = r.contains("/valid/");
            assert_eq!(
                errors.contains_key(&r),
                !valid,
                "{r}: {}",
                if valid {
                    "valid but has errors"
                } else {
                    "invalid but has no error"
                }
            );
        }
        seen += files.len();
        compare_with_expected(actual, &files);
    }
    assert!(seen >= 6, "version fixtures went missing: {seen}");
}

/// Compare the diagnostics of `files` with the `.expected` beside each (none: no diagnostic);
/// `SPSLINT_BLESS=1` rewrites them instead.
fn compare_with_expected(mut actual: BTreeMap<String, Vec<Value>>, files: &[PathBuf]) {
    let bless = std::env::var_os("SPSLINT_BLESS").is_some();
    let mut failures = Vec::new();
    for file in files {
        let rel = relative(file);
        let got = actual.remove(&rel).unwrap_or_default();
        let expected_path = file.with_extension("expected");
        let expected: Vec<Value> = match std::fs::read_to_string(&expected_path) {
            Ok(s) => serde_json::from_str(&s)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
            Err(_) => Vec::new(),
        };
        if bless {
            if got.is_empty() {
                let _ = std::fs::remove_file(&expected_path);
            } else {
                std::fs::write(
                    &expected_path,
                    serde_json::to_string_pretty(&got).unwrap() + "\n",
                )
                .unwrap();
            }
            continue;
        }
        if got != expected {
            failures.push(format!(
                "{rel}:\n  expected {}\n  actual   {}",
                serde_json::to_string(&expected).unwrap(),
                serde_json::to_string(&got).unwrap()
            ));
        }
    }
    assert!(
        actual.is_empty(),
        "diagnostics for files that are not fixtures: {actual:?}"
    );
    assert!(
        failures.is_empty(),
        "{} fixtures differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What `--fix` would change in each fixture, as the unified diff `--diff` prints, compared
/// with the `.diff` file beside it (none: no fix applies).
#[test]
fn fixes_match_their_expected_diffs() {
    let out = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(root())
        .args([
            "check",
            "--diff",
            "--ignore",
            "REPO",
            "fixtures/valid",
            "fixtures/invalid",
        ])
        .output()
        .expect("run spslint");
    let text = String::from_utf8(out.stdout).unwrap();
    // One file's diff starts at its `--- PATH` line.
    let mut diffs: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("--- ") {
            current = Some(path.trim_end().to_string());
        }
        let path = current.clone().expect("a diff starts with its header");
        diffs.entry(path).or_default().push_str(line);
    }
    assert!(!diffs.is_empty(), "no fixture has a fix: {text}");
    let mut files = Vec::new();
    json_files(&root().join("fixtures/valid"), &mut files);
    json_files(&root().join("fixtures/invalid"), &mut files);
    let bless = std::env::var_os("SPSLINT_BLESS").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let rel = relative(file);
        let got = diffs.remove(&rel).unwrap_or_default();
        let expected_path = file.with_extension("diff");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if bless {
            if got.is_empty() {
                let _ = std::fs::remove_file(&expected_path);
            } else {
                std::fs::write(&expected_path, &got).unwrap();
            }
        } else if got != expected {
            failures.push(format!("{rel}:\n--- expected\n{expected}--- actual\n{got}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "diffs of files that are not fixtures: {diffs:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Valid fixtures may carry warnings but never an error; every invalid fixture has one.
#[test]
fn valid_fixtures_have_no_error_and_invalid_ones_do() {
    let (out, _) = run(&["fixtures/valid", "fixtures/invalid"]);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for d in out["diagnostics"].as_array().unwrap() {
        if d["severity"] == "error" {
            *errors
                .entry(d["path"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let mut files = Vec::new();
    json_files(&root().join("fixtures/valid"), &mut files);
    for f in &files {
        assert!(
            !errors.contains_key(&relative(f)),
            "{} is valid but has errors",
            relative(f)
        );
    }
    files.clear();
    json_files(&root().join("fixtures/invalid"), &mut files);
    for f in &files {
        assert!(
            errors.contains_key(&relative(f)),
            "{} is invalid but has no error",
            relative(f)
        );
    }
}

/// An expectation file with no fixture beside it is a test that silently stopped running.
#[test]
fn every_expected_file_has_its_fixture() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p
                .extension()
                .is_some_and(|e| e == "expected" || e == "diff")
            {
                out.push(p);
            }
        }
    }
    let mut expected = Vec::new();
    walk(&root().join("fixtures"), &mut expected);
    for e in expected {
        assert!(
            e.with_extension("json").exists(),
            "{} has no fixture",
            e.display()
        );
    }
}

/// The documented exit statuses: 0 clean, 1 with an error, 2 when a file cannot be read.
#[test]
fn exit_status_follows_the_worst_finding() {
    let (_, clean) = run(&["fixtures/valid"]);
    assert_eq!(clean, 0);
    let (_, bad) = run(&["fixtures/invalid"]);
    assert_eq!(bad, 1);
    let (out, missing) = run(&["fixtures/does-not-exist"]);
    assert_eq!(missing, 2);
    assert_eq!(out["summary"]["files"], 0);
}

/// Every finding says how to fix it: a message without a help line leaves the user guessing.
#[test]
fn every_diagnostic_has_a_help_line() {
    let (out, _) = run(&["fixtures/valid", "fixtures/invalid"]);
    let missing: Vec<String> = out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["help"].as_str().is_none_or(str::is_empty))
        .map(|d| format!("{} {} {}", d["path"], d["code"], d["pointer"]))
        .collect();
    assert!(missing.is_empty(), "diagnostics without help: {missing:?}");
}
