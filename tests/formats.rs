//! The CI output formats, end to end: the real binary's SARIF, GitHub and JUnit output is parsed
//! back and compared, finding by finding, with its `--format json` output for the same files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spslint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("run spslint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// `check --format json` on the same arguments: the reference the other formats are held to.
fn json_diagnostics(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = spslint(dir, &all);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json output");
    v["diagnostics"].as_array().unwrap().clone()
}

fn check(dir: &Path, format: &str, args: &[&str]) -> Output {
    let mut all = vec!["check", "--format", format];
    all.extend_from_slice(args);
    spslint(dir, &all)
}

const FIXTURES: &[&str] = &["fixtures/valid", "fixtures/invalid"];

/// A folder whose name and file need every kind of escaping, with a body whose findings quote a
/// key holding markup, `%`, `,`, `:`, a newline and a control character.
fn tricky() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let rel = "we,ird dir:%é/management/email.json";
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"a%b\\nc,d:e<f>&\\u0007'\\\"\": 1}\n").unwrap();
    (dir, rel.to_string())
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("two hex digits"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

// ---------------------------------------------------------------- SARIF

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/data/sarif-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
}

fn sarif(dir: &Path, args: &[&str]) -> (Value, Output) {
    let out = check(dir, "sarif", args);
    let log = serde_json::from_slice(&out.stdout).expect("SARIF output is JSON");
    (log, out)
}

#[test]
fn sarif_is_valid_and_has_one_result_per_json_diagnostic() {
    let (log, out) = sarif(&root(), FIXTURES);
    assert_eq!(out.status.code(), Some(1), "the invalid fixtures fail");
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "spslint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");

    let expected = json_diagnostics(&root(), FIXTURES);
    let results = run["results"].as_array().unwrap();
    assert!(!expected.is_empty());
    assert_eq!(results.len(), expected.len());
    let rules = driver["rules"].as_array().unwrap();
    for (r, d) in results.iter().zip(&expected) {
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(r["level"], d["severity"]);
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], d["code"], "ruleIndex points at the rule");
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(d["message"].as_str().unwrap()));
        if let Some(h) = d["help"].as_str() {
            assert!(text.ends_with(&format!("\nhelp: {h}")), "{text}");
        }
        let loc = &r["locations"][0];
        let artifact = &loc["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            percent_decode(artifact["uri"].as_str().unwrap()),
            d["path"].as_str().unwrap()
        );
        let region = &loc["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        assert_eq!(r["properties"]["pointer"], d["pointer"]);
        if d["pointer"] != "" {
            assert_eq!(
                loc["logicalLocations"][0]["fullyQualifiedName"],
                d["pointer"]
            );
        }
    }
}

#[test]
fn sarif_rule_table_lists_every_code_with_its_documentation() {
    let (log, _) = sarif(&root(), &["fixtures/valid"]);
    let listed: Value =
        serde_json::from_slice(&spslint(&root(), &["rules", "--format", "json"]).stdout).unwrap();
    let listed = listed.as_array().unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = listed.iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(ids, codes);
    assert!(ids.contains(&"JSON001") && ids.contains(&"FILE001"));
    for (rule, entry) in rules.iter().zip(listed) {
        assert_eq!(rule["name"], entry["name"]);
        assert_eq!(rule["defaultConfiguration"]["level"], entry["severity"]);
        assert_eq!(rule["shortDescription"]["text"], entry["summary"]);
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        let heading = format!(
            "# {} ({})",
            entry["name"].as_str().unwrap(),
            entry["code"].as_str().unwrap()
        );
        assert!(markdown.starts_with(&heading), "{markdown}");
        // The help is what `spslint explain` prints.
        let explained = spslint(&root(), &["explain", entry["code"].as_str().unwrap()]);
        assert_eq!(stdout(&explained), markdown);
    }
}

#[test]
fn sarif_uris_are_encoded_relative_or_absolute_file_uris() {
    let (dir, rel) = tricky();
    let (log, _) = sarif(dir.path(), &[&rel]);
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let artifact = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = artifact["uri"].as_str().unwrap();
    assert!(!uri.contains([' ', ',', ':']), "{uri}");
    assert_eq!(percent_decode(uri), rel);
    let base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(base.starts_with("file://") && base.ends_with('/'), "{base}");

    // An absolute path is its own file: URI, with no base.
    let abs = dir.path().join(&rel);
    let (log, _) = sarif(dir.path(), &[abs.to_str().unwrap()]);
    assert_valid_sarif(&log);
    let artifact =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(artifact["uri"].as_str().unwrap().starts_with("file:///"));
    assert!(artifact.get("uriBaseId").is_none());
}

#[test]
fn sarif_reports_unreadable_files_as_notifications() {
    let (log, out) = sarif(&root(), &["fixtures/valid", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("no/such/file.json")
    );
}

#[test]
fn sarif_schema_check_is_not_vacuous() {
    // The vendored schema does reject a broken log, so the validations above mean something.
    let (log, _) = sarif(&root(), &["fixtures/invalid"]);
    let validator = sarif_validator();
    assert!(validator.is_valid(&log));
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
    // Formats are checked too: an unencoded space is not a URI reference.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b.json".into();
    assert!(!validator.is_valid(&bad));
}

// ---------------------------------------------------------------- GitHub

/// The Actions toolkit's escapes, undone.
fn unescape(s: &str, property: bool) -> String {
    let mut s = s.to_string();
    if property {
        s = s.replace("%3A", ":").replace("%2C", ",");
    }
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

struct Annotation {
    command: String,
    props: BTreeMap<String, String>,
    message: String,
}

fn parse_annotation(line: &str) -> Annotation {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect(":: before the message");
    let (command, props) = head.split_once(' ').expect("properties");
    let props = props
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_string(), unescape(v, true))
        })
        .collect();
    Annotation {
        command: command.to_string(),
        props,
        message: unescape(message, false),
    }
}

fn assert_annotations_match(dir: &Path, args: &[&str]) -> usize {
    let out = check(dir, "github", args);
    let text = stdout(&out);
    let expected = json_diagnostics(dir, args);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len(),
        "one line per diagnostic:\n{text}"
    );
    for (line, d) in lines.iter().zip(&expected) {
        let a = parse_annotation(line);
        assert_eq!(a.command, d["severity"].as_str().unwrap());
        assert_eq!(
            a.props["file"],
            spslint::render::escape::controls(d["path"].as_str().unwrap().trim_start_matches("./"))
        );
        assert_eq!(a.props["line"], d["line"].to_string());
        assert_eq!(a.props["endLine"], d["end_line"].to_string());
        if d["line"] == d["end_line"] {
            assert_eq!(a.props["col"], d["column"].to_string());
            assert_eq!(a.props["endColumn"], d["end_column"].to_string());
        } else {
            assert!(!a.props.contains_key("col"), "columns only on one line");
        }
        assert_eq!(
            a.props["title"],
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            )
        );
        // Text from the files has its control characters written out (issue 12); the line
        // break before the help is the format's own.
        use spslint::render::escape::controls;
        let mut message = controls(d["message"].as_str().unwrap()).into_owned();
        if let Some(h) = d["help"].as_str() {
            message = format!("{message}\nhelp: {}", controls(h));
        }
        assert_eq!(a.message, message);
    }
    expected.len()
}

#[test]
fn github_annotations_parse_back_to_the_json_diagnostics() {
    let n = assert_annotations_match(&root(), FIXTURES);
    assert!(n > 0);
}

#[test]
fn github_annotations_escape_paths_and_messages() {
    let (dir, rel) = tricky();
    let out = check(dir.path(), "github", &[&rel]);
    let text = stdout(&out);
    // The folder's `,` and `:` are escaped as properties; the key's newline and BEL are written
    // out first (issue 12: no text from a file reaches the log raw), then `%` is escaped.
    assert!(
        text.contains("file=we%2Cird dir%3A%25é/management/email.json,"),
        "{text}"
    );
    assert!(text.contains("a%25b\\nc,d:e<f>&\\u{7}"), "{text}");
    assert!(assert_annotations_match(dir.path(), &[&rel]) > 0);
}

// ---------------------------------------------------------------- JUnit

#[derive(Debug, Default)]
struct Case {
    classname: String,
    name: String,
    /// (type, message, body)
    failures: Vec<(String, String, String)>,
    skipped: bool,
    error: bool,
}

#[derive(Debug, Default)]
struct Suite {
    attrs: BTreeMap<String, String>,
    cases: Vec<Case>,
}

fn attrs(e: &quick_xml::events::BytesStart) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                a.key.as_ref().to_string(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .expect("valid escapes")
                    .into_owned(),
            )
        })
        .collect()
}

/// A strict parse: any malformed markup or unknown entity fails the test.
fn parse_junit(xml: &str) -> Suite {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suite = Suite::default();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                open(&mut suite, &name, attrs(&e));
                text.clear();
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                open(&mut suite, &name, attrs(&e));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if r.is_char_ref() {
                    text.push(r.resolve_char_ref().unwrap().expect("a character"));
                } else {
                    let name = r.xml10_content();
                    text.push_str(
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity {name}")),
                    );
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                if name == "failure" {
                    suite
                        .cases
                        .last_mut()
                        .unwrap()
                        .failures
                        .last_mut()
                        .unwrap()
                        .2 = std::mem::take(&mut text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    suite
}

fn open(suite: &mut Suite, name: &str, a: BTreeMap<String, String>) {
    match name {
        "testsuite" => suite.attrs = a,
        "testcase" => suite.cases.push(Case {
            classname: a["classname"].clone(),
            name: a["name"].clone(),
            ..Case::default()
        }),
        "failure" => suite.cases.last_mut().unwrap().failures.push((
            a["type"].clone(),
            a["message"].clone(),
            String::new(),
        )),
        "skipped" => suite.cases.last_mut().unwrap().skipped = true,
        "error" => suite.cases.last_mut().unwrap().error = true,
        _ => {}
    }
}

/// With `--fail-on warning`, every finding is a failure of its file's test case.
fn assert_junit_matches(dir: &Path, args: &[&str]) -> Suite {
    let mut all = vec!["--fail-on", "warning"];
    all.extend_from_slice(args);
    let out = check(dir, "junit", &all);
    let suite = parse_junit(&stdout(&out));
    let expected = json_diagnostics(dir, args);
    let mut by_path: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for d in &expected {
        by_path
            .entry(
                d["path"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_string(),
            )
            .or_default()
            .push(d);
    }
    let failures: usize = suite.cases.iter().map(|c| c.failures.len()).sum();
    assert_eq!(failures, expected.len(), "one <failure> per diagnostic");
    let failed_cases = suite
        .cases
        .iter()
        .filter(|c| !c.failures.is_empty())
        .count();
    assert_eq!(suite.attrs["failures"], failed_cases.to_string());
    assert_eq!(failed_cases, by_path.len());
    assert_eq!(suite.attrs["tests"], suite.cases.len().to_string());
    let skipped = suite.cases.iter().filter(|c| c.skipped).count();
    assert_eq!(suite.attrs["skipped"], skipped.to_string());
    for case in &suite.cases {
        let want = by_path.get(&case.name).map_or(&[][..], Vec::as_slice);
        assert_eq!(case.failures.len(), want.len(), "{}", case.name);
        for ((kind, message, body), d) in case.failures.iter().zip(want) {
            assert_eq!(kind, d["code"].as_str().unwrap());
            let m = d["message"].as_str().unwrap();
            assert_eq!(message, &m.replace('\u{7}', "\u{FFFD}"));
            let position = format!("{}:{}:{}: ", case.name, d["line"], d["column"]);
            assert!(body.starts_with(&position), "{body}");
            if d["pointer"] != "" {
                let pointer = d["pointer"].as_str().unwrap().replace('\u{7}', "\u{FFFD}");
                assert!(body.contains(&format!("\npointer: {pointer}")), "{body}");
            }
            if let Some(h) = d["help"].as_str() {
                assert!(body.ends_with(&format!("\nhelp: {}", h.replace('\u{7}', "\u{FFFD}"))));
            }
        }
        if let Some(first) = want.first() {
            let endpoint = first["endpoint"].as_str().unwrap_or("spslint");
            assert_eq!(case.classname, endpoint);
        }
    }
    suite
}

#[test]
fn junit_parses_and_has_a_failure_per_json_diagnostic() {
    let suite = assert_junit_matches(&root(), FIXTURES);
    assert!(suite.cases.len() > 10);
    assert!(suite.cases.iter().any(|c| c.failures.len() > 1));
    assert!(suite.cases.iter().any(|c| c.failures.is_empty()));
}

#[test]
fn junit_failures_follow_fail_on() {
    // By default only errors fail: a file with warnings alone passes, as the exit status does.
    let dir = root().join("fixtures/valid/api/configuration/management/snmp/trap");
    let out = check(&dir, "junit", &["--ignore", "REPO", "v3-md5.json"]);
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout(&out);
    let suite = parse_junit(&xml);
    assert_eq!(suite.attrs["failures"], "0", "{xml}");
    assert!(suite.cases.iter().all(|c| c.failures.is_empty()), "{xml}");
    assert!(
        xml.contains("<system-out>") && xml.contains("SNMP"),
        "{xml}"
    );
    let out = check(
        &dir,
        "junit",
        &["--ignore", "REPO", "--fail-on", "warning", "v3-md5.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(parse_junit(&stdout(&out)).attrs["failures"], "1");
}

#[test]
fn junit_escapes_markup_and_control_characters() {
    let (dir, rel) = tricky();
    let xml = stdout(&check(dir.path(), "junit", &[&rel]));
    assert!(!xml.contains('\u{7}'), "no raw control character");
    let suite = assert_junit_matches(dir.path(), &[&rel]);
    let case = &suite.cases[0];
    assert_eq!(case.name, rel);
    assert!(
        case.failures
            .iter()
            .any(|(_, m, _)| m.contains("a%b\nc,d:e<f>&\u{FFFD}'\"")),
        "{:?}",
        case.failures
    );
}

#[test]
fn junit_marks_skipped_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.json"), "{}").unwrap();
    let out = check(dir.path(), "junit", &["notes.json", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    let suite = parse_junit(&stdout(&out));
    assert_eq!(suite.cases.len(), 2);
    assert!(suite.cases[0].skipped && suite.cases[0].name == "notes.json");
    assert!(suite.cases[1].error && suite.cases[1].name == "missing.json");
    assert_eq!(suite.attrs["skipped"], "1");
    assert_eq!(suite.attrs["errors"], "1");
    assert_eq!(suite.attrs["tests"], "2");
}

// ---------------------------------------------------------------- statistics

#[test]
fn statistics_count_every_diagnostic_once() {
    let expected = json_diagnostics(&root(), FIXTURES);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in &expected {
        *counts
            .entry(d["code"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let mut args = vec!["--statistics"];
    args.extend_from_slice(FIXTURES);
    let out: Value = serde_json::from_slice(&check(&root(), "json", &args).stdout).unwrap();
    // The same versioned envelope as the findings.
    assert_eq!(out["version"], 1);
    assert_eq!(
        out["summary"]["errors"].as_u64().unwrap() + out["summary"]["warnings"].as_u64().unwrap(),
        expected.len() as u64
    );
    let rows = &out["statistics"];
    let got: BTreeMap<String, usize> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(got, counts);
    let sorted: Vec<u64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .collect();
    assert!(
        sorted.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );

    let text = stdout(&check(&root(), "human", &args));
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("[*]")).collect();
    assert_eq!(lines.len(), counts.len(), "{text}");
    for line in lines {
        let mut cols = line.split_whitespace();
        let n: usize = cols.next().unwrap().parse().unwrap();
        let code = cols.next().unwrap();
        assert_eq!(counts[code], n, "{line}");
    }
}

/// A file that maps to no endpoint is named in every format, with the endpoint it was probably
/// meant for, and changes no count but `skipped`.
#[test]
fn skipped_files_are_named_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let rel = "policies/time_policy/night.json";
    std::fs::create_dir_all(dir.path().join("policies/time_policy")).unwrap();
    std::fs::write(dir.path().join(rel), "{\"name\": \"night\"}").unwrap();
    let hint = "policies/time_policies";
    for format in ["human", "short", "github", "json", "sarif", "junit"] {
        let out = check(dir.path(), format, &[rel]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = stdout(&out);
        assert!(text.contains(rel), "{format}: {text}");
        assert!(text.contains(hint), "{format}: {text}");
    }
    let out = check(dir.path(), "short", &[rel]);
    assert!(stdout(&out).starts_with(&format!("{rel}:1:1: note[FILE001] not checked")));
    let out = check(dir.path(), "github", &[rel]);
    assert!(stdout(&out).starts_with(&format!("::notice file={rel},")));
    let json: Value = serde_json::from_slice(&check(dir.path(), "json", &[rel]).stdout).unwrap();
    assert_eq!(json["summary"]["skipped"], 1);
    assert_eq!(json["skipped_files"][0]["reason"], "no-endpoint");
    let sarif: Value = serde_json::from_slice(&check(dir.path(), "sarif", &[rel]).stdout).unwrap();
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "note");
    let junit = parse_junit(&stdout(&check(dir.path(), "junit", &[rel])));
    assert!(junit.cases[0].skipped);
}
