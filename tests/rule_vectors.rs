//! Snapshots of what users read for every rule's documented failing example: the full
//! short-format lines (position, code, message and help) and, for a rule that can fix, the
//! diff `--fix` would apply. One file per rule under `tests/snapshots/rules/`, so a change of
//! wording shows in review. `SPSLINT_BLESS=1 cargo test --test rule_vectors` rewrites them
//! from the actual output; read the diff before committing.
//!
//! Repository rules judge several files at once; their findings are in the fixtures'
//! snapshots (`fixtures/**/*.expected`), not here.

use std::path::PathBuf;

use spslint::fixer::{self, FileFix};
use spslint::render::{self, Format, RenderOptions};
use spslint::report::RunReport;
use spslint::rules::{self, FixAvailability};
use spslint::{Settings, lint_bytes};

/// What a user sees for `body` linted as the rule's first endpoint.
fn snapshot(rule: &dyn rules::Rule) -> String {
    let m = rule.meta();
    let settings = Settings {
        endpoint: Some(m.endpoints[0]),
        ..Settings::default()
    };
    let name = format!("{}.json", m.name);
    let report = RunReport {
        files: vec![lint_bytes(&name, m.bad.as_bytes(), &settings)],
        ..RunReport::default()
    };
    let mut out = Vec::new();
    render::render(&report, Format::Short, &RenderOptions::default(), &mut out).unwrap();
    let mut text = String::from_utf8(out).unwrap();
    if m.fix != FixAvailability::Never {
        let fixed = fixer::fix_bytes(&name, None, m.bad.as_bytes(), &settings, None);
        let diff = fixer::unified_diff(&FileFix {
            path: PathBuf::from(&name),
            display: name.clone(),
            original: m.bad.as_bytes().to_vec(),
            fixed: fixed.bytes,
            applied: fixed.applied,
            endpoint: fixed.endpoint,
        });
        text.push_str("\n--- fix ---\n");
        text.push_str(&diff);
    }
    text
}

#[test]
fn every_rule_example_reads_as_its_snapshot() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/rules");
    let bless = std::env::var_os("SPSLINT_BLESS").is_some();
    let mut failures = Vec::new();
    let mut expected_files = std::collections::BTreeSet::new();
    for rule in rules::all().iter().filter(|r| !r.is_repository()) {
        let m = rule.meta();
        let got = snapshot(*rule);
        assert!(
            got.contains(&format!("[{}]", m.code)),
            "{}: its documented example does not report it:\n{got}",
            m.code
        );
        let path = dir.join(format!("{}.snap", m.name));
        expected_files.insert(path.clone());
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != got {
            failures.push(format!(
                "{} ({}):\n--- expected\n{want}\n--- actual\n{got}",
                m.code,
                path.display()
            ));
        }
    }
    // A snapshot of a rule that no longer exists is stale.
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if !expected_files.contains(&p) {
            failures.push(format!("{}: no rule has this snapshot", p.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) differ (SPSLINT_BLESS=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
