//! The command line, end to end: the listing subcommands (`rules`, `explain`, `endpoints`,
//! `schema`, `completions`) and the flags of `check` that shape output and exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spslint"));
    c.current_dir(dir).env_remove("NO_COLOR").args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("run spslint")
}

fn run(args: &[&str]) -> Output {
    run_in(&root(), args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

// ---------------------------------------------------------------- rules, explain

#[test]
fn rules_lists_every_core_code_and_rule_once() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let entries = json(&out);
    let entries = entries.as_array().unwrap();
    let core: Vec<&str> = spslint::codes::ALL.iter().map(|c| c.code).collect();
    let rules: Vec<&str> = spslint::rules::all()
        .iter()
        .map(|r| r.meta().code)
        .collect();
    let listed: Vec<&str> = entries
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [core.clone(), rules].concat());
    for e in entries {
        assert!(
            matches!(e["severity"].as_str(), Some("error" | "warning")),
            "{e}"
        );
        assert!(e["fixable"].is_boolean());
        assert!(!e["endpoints"].as_array().unwrap().is_empty(), "{e}");
        assert!(!e["summary"].as_str().unwrap().is_empty(), "{e}");
        let kind = if core.contains(&e["code"].as_str().unwrap()) {
            "core"
        } else {
            "rule"
        };
        assert_eq!(e["kind"], kind);
    }
    let by_code = |c: &str| entries.iter().find(|e| e["code"] == c).unwrap();
    assert_eq!(by_code("REQ001")["fixable"], true);
    assert_eq!(by_code("SCHEMA001")["fixable"], false);

    // The table: a header, then one row per code, in the same order.
    let table = stdout(&run(&["rules"]));
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["CODE", "NAME", "SEVERITY", "FIXABLE", "ENDPOINTS"]);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), entries.len());
    for (row, e) in rows.iter().zip(entries) {
        assert_eq!(row[0], e["code"]);
        assert_eq!(row[1], e["name"]);
        assert_eq!(row[2], e["severity"]);
        assert_eq!(row[3], if e["fixable"] == true { "yes" } else { "no" });
        // Repository rules judge files against each other: no endpoint list for them.
        let repository = e["code"].as_str().unwrap().starts_with("REPO");
        assert_eq!(e["repository"], repository);
        assert_eq!(row[4] == "repository", repository, "{row:?}");
    }
}

#[test]
fn explain_prints_rule_pages_and_core_docs_by_code_or_name() {
    for r in spslint::rules::all() {
        let m = r.meta();
        let page = spslint::rules::doc_page(m);
        for key in [
            m.code.to_string(),
            m.code.to_lowercase(),
            m.name.to_string(),
        ] {
            let out = run(&["explain", &key]);
            assert_eq!(out.status.code(), Some(0), "{key}");
            assert_eq!(stdout(&out), page, "{key}");
        }
    }
    for c in spslint::codes::ALL {
        let out = run(&["explain", c.name]);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(
            text.starts_with(&format!("# {} ({})\n", c.name, c.code)),
            "{text}"
        );
        let doc = spslint::core_docs::core_code_doc(c.code).unwrap();
        assert!(text.contains(doc));
        assert_eq!(stdout(&run(&["explain", c.code])), text);
    }
}

#[test]
fn explain_of_an_unknown_code_exits_2_with_a_suggestion() {
    let out = run(&["explain", "SCHEMA01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("unknown code or name `SCHEMA01`"), "{err}");
    assert!(err.contains("did you mean"), "{err}");

    let out = run(&["explain", "unknwn-key"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `unknown-key`?"),
        "{}",
        stderr(&out)
    );

    let out = run(&["explain", "completely-unrelated-words"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("did you mean"));
    assert!(stderr(&out).contains("spslint rules"));
}

/// Every finding `--fix` can repair is of a code listed as fixable, so `spslint rules` and the
/// SARIF rule table do not under-promise.
#[test]
fn fixable_findings_are_of_codes_listed_as_fixable() {
    let listed = json(&run(&["rules", "--format", "json"]));
    let fixable: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["fixable"] == true)
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    let (files, _) = spslint::discover(&[root().join("fixtures")]);
    let report = spslint::lint_files(&files, &spslint::Settings::default());
    for (f, d) in report.diagnostics() {
        if d.fix.is_some() {
            assert!(
                fixable.contains(&d.code),
                "{}: {} has a fix but is not listed as fixable",
                f.path,
                d.code
            );
        }
    }
    // A byte-order mark is fixable; make sure one fix was looked at.
    let bom = spslint::lint_bytes(
        "x/management/email.json",
        b"\xEF\xBB\xBF{}",
        &spslint::Settings::default(),
    );
    assert!(
        bom.diagnostics
            .iter()
            .any(|d| d.code == "JSON005" && d.fix.is_some())
    );
    assert!(fixable.contains(&"JSON005"));
}

// ---------------------------------------------------------------- endpoints, schema

#[test]
fn endpoints_lists_every_endpoint_with_an_existing_schema_file() {
    let listed = json(&run(&["endpoints", "--format", "json"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), spslint::endpoint::ENDPOINTS.len());
    for (e, known) in listed.iter().zip(spslint::endpoint::ENDPOINTS) {
        assert_eq!(e["path"], known.path);
        assert!(matches!(
            e["kind"].as_str(),
            Some("singleton" | "collection")
        ));
        let file = root().join(e["schema_file"].as_str().unwrap());
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            known.schema,
            "{file:?}"
        );
    }
    let table = stdout(&run(&["endpoints"]));
    let (rows, sources) = table.split_once("\nSOURCES\n").expect("a sources section");
    let lines: Vec<&str> = rows.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["PATH", "KIND", "LEVEL", "VERSIONS", "SCHEMA", "SUMMARY"]
    );
    assert_eq!(lines.len(), listed.len() + 1);
    for (line, e) in lines[1..].iter().zip(listed) {
        assert!(line.starts_with(e["path"].as_str().unwrap()), "{line}");
        assert!(line.contains(e["schema_file"].as_str().unwrap()), "{line}");
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[2], e["level"].as_str().unwrap(), "{line}");
        for s in e["sources"].as_array().unwrap() {
            assert!(sources.contains(s["page"].as_str().unwrap()), "{s}");
        }
    }
}

/// Every endpoint says how well it is known, from which pages and SPS versions; the parts known
/// from examples only are named.
#[test]
fn endpoints_show_their_level_sources_and_versions() {
    let listed = json(&run(&["endpoints", "--format", "json"]));
    let by_path = |p: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == p)
            .unwrap_or_else(|| panic!("{p} not listed"))
            .clone()
    };
    for e in listed.as_array().unwrap() {
        assert!(
            matches!(
                e["level"].as_str(),
                Some("documented" | "examples" | "mixed")
            ),
            "{e}"
        );
        assert!(!e["sources"].as_array().unwrap().is_empty(), "{e}");
        assert!(!e["versions"].as_array().unwrap().is_empty(), "{e}");
        assert_eq!(
            e["level"] == "documented",
            e["example_only"].as_array().unwrap().is_empty(),
            "{e}"
        );
    }
    let email = by_path("/api/configuration/management/email");
    assert_eq!(email["level"], "documented");
    assert_eq!(email["versions"][0], "6.0.1");
    let ssh = by_path("/api/configuration/ssh/authentication_policies");
    assert_eq!(ssh["level"], "examples");
    assert_eq!(ssh["example_only"], serde_json::json!(["/"]));
    assert!(
        ssh["sources"][0]["page"]
            .as_str()
            .unwrap()
            .contains("?defaults")
    );
    let table = stdout(&run(&["endpoints"]));
    assert!(
        table.contains(
            "/api/configuration/ssh/authentication_policies\n  known from examples only: /"
        ),
        "{table}"
    );
}

/// The README's endpoint table lists every endpoint with its kind, level and versions, as
/// `spslint endpoints` does.
#[test]
fn the_readme_endpoint_table_is_up_to_date() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let listed = json(&run(&["endpoints", "--format", "json"]));
    for e in listed.as_array().unwrap() {
        let path = e["path"].as_str().unwrap();
        let short = path.strip_prefix("/api/configuration/").unwrap_or(path);
        let row = format!(
            "| `{short}` | {} | {} | {} |",
            e["kind"].as_str().unwrap(),
            e["level"].as_str().unwrap(),
            e["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

/// `explain` of the example-only codes says where only examples are known.
#[test]
fn explain_of_the_example_only_codes_lists_the_example_only_nodes() {
    for code in ["SCHEMA008", "undocumented-value"] {
        let out = run(&["explain", code]);
        assert_eq!(out.status.code(), Some(0));
        let page = stdout(&out);
        assert!(page.contains("## Where only examples are known"), "{page}");
        assert!(
            page.contains("- `ssh/authentication_policies`: `/`"),
            "{page}"
        );
        assert!(!page.contains("`management/email`"), "{page}");
    }
    assert!(!stdout(&run(&["explain", "SCHEMA001"])).contains("Where only examples"));
}

#[test]
fn schema_prints_the_embedded_schema_byte_for_byte() {
    let email = std::fs::read(root().join("schemas/configuration/management/email.json")).unwrap();
    for spelling in [
        "management/email",
        "/api/configuration/management/email",
        "configuration/management/email",
        "management/email.json",
    ] {
        let out = run(&["schema", spelling]);
        assert_eq!(out.status.code(), Some(0), "{spelling}");
        assert_eq!(out.stdout, email, "{spelling}");
    }
    for e in spslint::endpoint::ENDPOINTS {
        let out = run(&["schema", e.config_path()]);
        let file = std::fs::read(root().join("schemas").join(e.schema_file)).unwrap();
        assert_eq!(out.stdout, file, "{}", e.path);
    }
    let out = run(&["schema", "management/emial"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown endpoint"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        for word in [
            "spslint",
            "check",
            "explain",
            "endpoints",
            "statistics",
            "fail-on",
        ] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

// ---------------------------------------------------------------- check flags

/// A folder of its own (so no other file takes part in cross-file checks) holding one body that
/// gives warnings and no error: the first such fixture.
fn warnings_only() -> (tempfile::TempDir, String) {
    let fixtures = root().join("fixtures");
    let (files, _) = spslint::discover(std::slice::from_ref(&fixtures));
    for f in files {
        let rel = f
            .strip_prefix(&fixtures)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&f).unwrap();
        let alone = spslint::lint_bytes(&rel, &bytes, &spslint::Settings::default());
        if alone.diagnostics.is_empty()
            || alone
                .diagnostics
                .iter()
                .any(|d| d.severity == spslint::Severity::Error)
        {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let out = json(&run_in(
            dir.path(),
            &["check", "--format", "json", &rel],
            &[],
        ));
        let summary = &out["summary"];
        if summary["errors"] == 0 && summary["warnings"].as_u64().unwrap() > 0 {
            return (dir, rel);
        }
    }
    panic!("no fixture gives warnings and no error");
}

/// A body with errors only: unknown and missing keys.
fn with_errors() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let rel = "api/configuration/management/email.json".to_string();
    let path = dir.path().join(&rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"usrname\": \"x\"}\n").unwrap();
    (dir, rel)
}

fn code_in(dir: &Path, args: &[&str]) -> Option<i32> {
    run_in(dir, &[&["check"], args].concat(), &[]).status.code()
}

#[test]
fn fail_on_sets_the_threshold_of_exit_status_1() {
    let (wdir, warned) = warnings_only();
    let w = wdir.path();
    assert_eq!(
        code_in(w, &[&warned]),
        Some(0),
        "warnings alone pass by default"
    );
    assert_eq!(code_in(w, &["--fail-on", "error", &warned]), Some(0));
    assert_eq!(code_in(w, &["--fail-on", "warning", &warned]), Some(1));
    let (edir, errored) = with_errors();
    let e = edir.path();
    assert_eq!(code_in(e, &[&errored]), Some(1));
    assert_eq!(code_in(e, &["--fail-on", "warning", &errored]), Some(1));
    assert_eq!(
        code_in(e, &["--fail-on", "info", &errored]),
        Some(2),
        "bad value"
    );
}

#[test]
fn exit_zero_passes_findings_but_not_unreadable_files() {
    let (edir, errored) = with_errors();
    let out = run_in(
        edir.path(),
        &["check", "--exit-zero", "--format", "json", &errored],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        json(&out)["summary"]["errors"].as_u64().unwrap() > 0,
        "still reported"
    );
    let (wdir, warned) = warnings_only();
    assert_eq!(
        code_in(
            wdir.path(),
            &["--exit-zero", "--fail-on", "warning", &warned]
        ),
        Some(0)
    );
    assert_eq!(
        code_in(edir.path(), &["--exit-zero", "no/such/file.json"]),
        Some(2)
    );
}

#[test]
fn quiet_drops_warnings_from_output_but_not_from_the_status() {
    let (dir, warned) = warnings_only();
    let (edir, errored) = with_errors();
    // Both bodies in one folder.
    let copy = dir.path().join("errors").join(&errored);
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(edir.path().join(&errored), &copy).unwrap();
    let d = dir.path();
    let loud = json(&run_in(d, &["check", "--format", "json", "."], &[]));
    let quiet = json(&run_in(
        d,
        &["check", "--quiet", "--format", "json", "."],
        &[],
    ));
    assert!(loud["summary"]["warnings"].as_u64().unwrap() > 0);
    assert!(loud["summary"]["errors"].as_u64().unwrap() > 0);
    assert_eq!(quiet["summary"]["warnings"], 0);
    assert_eq!(quiet["summary"]["errors"], loud["summary"]["errors"]);
    let errors: Vec<&Value> = loud["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    let quiet_diags: Vec<&Value> = quiet["diagnostics"].as_array().unwrap().iter().collect();
    assert_eq!(quiet_diags, errors);

    let out = run_in(
        d,
        &[
            "check",
            "-q",
            "--fail-on",
            "warning",
            "--format",
            "short",
            &warned,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "hidden warnings still fail");
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let (dir, file) = with_errors();
    let d = dir.path();
    let ansi = |o: &Output| o.stdout.contains(&0x1b);
    let always = run_in(d, &["check", "--color", "always", &file], &[]);
    assert!(ansi(&always), "{}", stdout(&always));
    assert!(!ansi(&run_in(
        d,
        &["check", "--color", "never", &file],
        &[]
    )));
    // Not a terminal: auto means no color.
    assert!(!ansi(&run_in(d, &["check", &file], &[])));
    assert!(!ansi(&run_in(d, &["check", "--color", "auto", &file], &[])));
    // An explicit --color always wins over NO_COLOR.
    let forced = run_in(
        d,
        &["check", "--color", "always", &file],
        &[("NO_COLOR", "1")],
    );
    assert!(ansi(&forced));
}

#[test]
fn statistics_replace_the_findings() {
    let (dir, file) = with_errors();
    let d = dir.path();
    let reference = json(&run_in(d, &["check", "--format", "json", &file], &[]));
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for diag in reference["diagnostics"].as_array().unwrap() {
        *counts
            .entry(diag["code"].as_str().unwrap().into())
            .or_default() += 1;
    }
    assert!(
        counts["SCHEMA002"] > 1 && counts["SCHEMA001"] == 1,
        "{counts:?}"
    );
    let out = run_in(d, &["check", "--statistics", &file], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "same status as without --statistics"
    );
    let text = stdout(&out);
    assert!(!text.contains("usrname"), "no finding is printed: {text}");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with("[*]"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), counts.len(), "{text}");
    for row in &rows {
        assert_eq!(row[0], counts[row[1]].to_string(), "{text}");
    }
    assert_eq!(rows[0][1], "SCHEMA002", "most frequent first: {text}");
    let unknown = rows.iter().find(|r| r[1] == "SCHEMA001").unwrap();
    assert_eq!(unknown[2..], ["error", "unknown-key"]);

    for format in ["sarif", "github", "junit"] {
        let out = run_in(
            d,
            &["check", "--statistics", "--format", format, &file],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(stderr(&out).contains("--statistics"), "{}", stderr(&out));
    }
}

#[test]
fn new_formats_are_accepted_by_check() {
    let (dir, file) = with_errors();
    for format in ["sarif", "github", "junit"] {
        let out = run_in(dir.path(), &["check", "--format", format, &file], &[]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
    }
    let help = stdout(&run(&["check", "--help"]));
    for word in [
        "sarif",
        "github",
        "junit",
        "--quiet",
        "--statistics",
        "--color",
        "--exit-zero",
        "--fail-on",
    ] {
        assert!(help.contains(word), "check --help lacks {word}");
    }
}
