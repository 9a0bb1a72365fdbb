//! A private key pasted where a user's public key belongs (UDB001) is reported without any of
//! its content: no run of its base64 appears in any output format, on stdout or stderr.
//!
//! The key is the throwaway fixtures/keys/pasted-private-ed25519, pasted in
//! fixtures/invalid/api/configuration/policies/user_databases/public-key-is-private-key.json.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const FIXTURE: &str =
    "fixtures/invalid/api/configuration/policies/user_databases/public-key-is-private-key.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spslint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spslint"));
    c.current_dir(root());
    c
}

/// The key's base64, without its BEGIN and END lines.
fn key_lines() -> Vec<String> {
    let key = std::fs::read_to_string(root().join("fixtures/keys/pasted-private-ed25519")).unwrap();
    let lines: Vec<String> = key
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("-----"))
        .map(str::to_string)
        .collect();
    assert!(lines.len() >= 4, "not an OpenSSH private key: {key}");
    lines
}

/// A piece of the key found in `text`: a whole line, or any run of 16 characters of the base64
/// (a line cut short, or two lines' ends and starts, still give the key away).
fn leaked(text: &str) -> Option<String> {
    let lines = key_lines();
    if let Some(l) = lines.iter().find(|l| text.contains(l.as_str())) {
        return Some(l.clone());
    }
    let all: String = lines.concat();
    (0..all.len().saturating_sub(16))
        .step_by(4)
        .map(|i| &all[i..i + 16])
        .find(|w| text.contains(w))
        .map(str::to_string)
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The formats `spslint check --help` lists under `--format`, so new ones are covered.
fn formats() -> Vec<String> {
    let out = spslint().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let mut lines = help
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("--format"));
    lines.next();
    let formats: Vec<String> = lines
        .take_while(|l| !l.trim_start().starts_with("--"))
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect();
    assert!(
        formats.iter().any(|f| f == "human") && formats.iter().any(|f| f == "json"),
        "cannot read the formats from --help: {formats:?}"
    );
    formats
}

#[test]
fn the_fixture_holds_the_key_and_the_finding_is_there() {
    // The test is not passing by looking at the wrong file: the key is in the fixture, the
    // search finds it there, and UDB001 reports it.
    let body = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
    assert!(leaked(&body).is_some());
    let out = spslint()
        .args(["check", "--format", "json", "--ignore", "REPO", FIXTURE])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("\"UDB001\"") && s.contains("holds a private key"),
        "{s}"
    );
}

#[test]
fn no_part_of_the_private_key_in_any_output_format() {
    for format in formats() {
        // --statistics only goes with some formats; it prints counts, checked all the same.
        let statistics = ["human", "short", "json"].contains(&format.as_str());
        let variants: &[&[&str]] = if statistics {
            &[&[], &["--statistics"]]
        } else {
            &[&[]]
        };
        for &extra in variants {
            let out = spslint()
                .args(["check", "--color", "never", "--format", &format])
                .args(extra)
                .arg(FIXTURE)
                .output()
                .unwrap();
            let what = format!("--format {format} {extra:?}");
            assert_eq!(out.status.code(), Some(1), "{what}: {}", text(&out));
            // The human format's source snippets included: a private key is never quoted.
            let shown = text(&out);
            if format == "human" && extra.is_empty() {
                assert!(shown.contains("holds a private key"), "{what}: {shown}");
                assert!(
                    shown.contains(" │"),
                    "{what}: the snippet is shown: {shown}"
                );
            }
            if let Some(piece) = leaked(&shown) {
                panic!("{what}: the private key ({piece}) is printed:\n{shown}");
            }
        }
    }
}

#[test]
fn no_part_of_the_private_key_from_standard_input() {
    let body = std::fs::read(root().join(FIXTURE)).unwrap();
    for format in ["json", "short", "sarif", "github", "junit"] {
        let mut child = spslint()
            .args([
                "check",
                "--format",
                format,
                "--stdin-filename",
                FIXTURE,
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&body).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        let shown = text(&out);
        assert!(shown.contains("UDB001"), "--format {format}: {shown}");
        if let Some(piece) = leaked(&shown) {
            panic!("stdin --format {format}: the private key ({piece}) is printed:\n{shown}");
        }
    }
}
