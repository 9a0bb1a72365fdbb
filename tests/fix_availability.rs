//! A rule's declared fix availability holds: a rule declared `Never` offers no fix, one declared
//! `Always` offers one with every finding, on its documented example and on every fixture.

use std::path::Path;

use spslint::rules::{self, FixAvailability};
use spslint::{Diagnostic, Settings};

fn json_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Every finding of a rule, from the documented examples and every fixture, through the whole
/// engine (fixes are attached there, once the spans are known).
fn findings() -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    for r in rules::all().iter().filter(|r| !r.is_repository()) {
        let m = r.meta();
        let settings = Settings {
            endpoint: Some(m.endpoints[0]),
            ..Settings::default()
        };
        let report = spslint::lint_bytes("example.json", m.bad.as_bytes(), &settings);
        out.extend(
            report
                .diagnostics
                .into_iter()
                .map(|d| (format!("{} documented example", m.code), d)),
        );
    }
    let mut files = Vec::new();
    json_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    let report = spslint::lint_files(&files, &Settings::default());
    for f in report.files {
        out.extend(f.diagnostics.into_iter().map(|d| (f.path.clone(), d)));
    }
    out
}

#[test]
fn rules_keep_their_declared_fix_availability() {
    let mut seen_fix = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for (origin, d) in findings() {
        let Some(rule) = spslint::registry::find(d.code).and_then(|e| e.rule()) else {
            continue;
        };
        let m = rule.meta();
        match (m.fix, d.fix.is_some()) {
            (FixAvailability::Never, true) => problems.push(format!(
                "{origin}: {} is declared Never but offers a fix at {}",
                m.code, d.pointer
            )),
            (FixAvailability::Always, false) => problems.push(format!(
                "{origin}: {} is declared Always but offers no fix at {}",
                m.code, d.pointer
            )),
            _ => {}
        }
        if d.fix.is_some() {
            seen_fix.insert(m.code);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // A rule declared able to fix shows it somewhere, or the declaration is not tested.
    for r in rules::all() {
        let m = r.meta();
        if m.fix != FixAvailability::Never {
            assert!(
                seen_fix.contains(m.code),
                "{} is declared fixable, yet no example or fixture shows a fix",
                m.code
            );
        }
    }
}
