//! `--fix` and `--diff`, end to end: the real binary on copies of the fixtures in temporary
//! folders.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use spslint::diagnostic::Edit;
use spslint::{Settings, lint_bytes};

const EMAIL: &str = "api/configuration/management/email.json";

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn spslint_with_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run spslint");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            input.write_all(bytes).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn spslint(dir: &Path, args: &[&str]) -> Run {
    spslint_with_stdin(dir, args, None)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every `*.json` below `root`, relative to it, with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|e| e == "json") {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The edits of a file's fixable findings, and `(code, pointer)` of those findings.
fn fixable(path: &str, bytes: &[u8]) -> (Vec<Edit>, Vec<(String, String)>) {
    let report = lint_bytes(path, bytes, &Settings::default());
    let mut edits = Vec::new();
    let mut found = Vec::new();
    for d in &report.diagnostics {
        if let Some(fix) = &d.fix {
            edits.extend(fix.edits.iter().cloned());
            found.push((d.code.to_string(), d.pointer.clone()));
        }
    }
    (edits, found)
}

/// An independent splice of non-overlapping edits; `None` when some overlap.
fn splice(bytes: &[u8], edits: &[Edit]) -> Option<Vec<u8>> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = Vec::new();
    let mut at = 0;
    for e in sorted {
        if e.start < at {
            return None;
        }
        out.extend_from_slice(&bytes[at..e.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        at = e.end;
    }
    out.extend_from_slice(&bytes[at..]);
    Some(out)
}

/// A saved GET response of management/email (CRLF line ends, a byte-order mark, four-space
/// indented body holding an embedded reference) and the request body it must become.
fn saved_response() -> (Vec<u8>, String) {
    let body_lines = [
        "{",
        "  \"admin_address\": \"admin@example.com\",",
        "  \"alerting_address\": \"alerts@example.com\",",
        "  \"reporting_address\": \"reports@example.com\",",
        "  \"sender_address\": null,",
        "  \"smtp_auth\": {",
        "    \"enabled\": true,",
        "    \"password\": {",
        "      \"key\": \"aec663b5-f5bd-4c93-bb51-36fea3328e58\",",
        "      \"meta\": {\"href\": \"/api/configuration/passwords/aec663b5-f5bd-4c93-bb51-36fea3328e58\"}",
        "    },",
        "    \"username\": \"sps-mailer\"",
        "  },",
        "  \"smtp_encryption\": {\"selection\": \"disabled\"},",
        "  \"smtp_server\": {",
        "    \"selection\": \"ip\",",
        "    \"value\": \"192.0.2.25\"",
        "  }",
        "}",
    ];
    let indented: Vec<String> = body_lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("  {l}")
            }
        })
        .collect();
    let response = format!(
        "\u{feff}{{\r\n  \"body\": {},\r\n  \"key\": \"email\",\r\n  \"meta\": {{\r\n    \"href\": \"/api/configuration/management/email\"\r\n  }}\r\n}}\r\n",
        indented.join("\r\n")
    );
    let expected = body_lines
        .join("\r\n")
        .replace(
            "{\r\n      \"key\": \"aec663b5-f5bd-4c93-bb51-36fea3328e58\",\r\n      \"meta\": {\"href\": \"/api/configuration/passwords/aec663b5-f5bd-4c93-bb51-36fea3328e58\"}\r\n    }",
            "\"aec663b5-f5bd-4c93-bb51-36fea3328e58\"",
        )
        + "\r\n";
    (response.into_bytes(), expected)
}

/// Every fixture with a fixable finding (and a saved response with a byte-order mark) is
/// fixed: the fixed findings are gone, nothing fixable is left, bytes outside the edits are
/// unchanged, a second --fix changes nothing, and no other file is touched.
#[test]
fn every_fixable_fixture_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &root.join("fixtures"),
    );
    let (response, _) = saved_response();
    write(
        root,
        "fixtures/invalid/api/configuration/management/email/saved-response-bom.json",
        &response,
    );
    let before = snapshot(root);
    let mut expected_fixes = BTreeMap::new();
    for (rel, bytes) in &before {
        let (edits, found) = fixable(rel, bytes);
        if !found.is_empty() {
            expected_fixes.insert(rel.clone(), (edits, found));
        }
    }
    for code in ["REQ001", "REQ002", "JSON005"] {
        assert!(
            expected_fixes
                .values()
                .any(|(_, found)| found.iter().any(|(c, _)| c == code)),
            "no fixable {code} among the fixtures"
        );
    }
    assert!(expected_fixes.len() >= 7, "{:?}", expected_fixes.keys());

    let run = spslint(
        root,
        &[
            "check",
            "--no-config",
            "--fix",
            "--format",
            "json",
            "fixtures",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("fixed {} files", expected_fixes.len())),
        "{}: {:?}",
        run.stderr,
        expected_fixes.keys()
    );
    let after = snapshot(root);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (rel, old) in &before {
        let new = &after[rel];
        let Some((edits, found)) = expected_fixes.get(rel) else {
            assert_eq!(old, new, "{rel} has nothing to fix and was changed");
            continue;
        };
        assert_ne!(old, new, "{rel} was not fixed");
        assert!(
            serde_json::from_slice::<serde_json::Value>(new).is_ok(),
            "{rel} no longer parses"
        );
        let (left, remaining) = fixable(rel, new);
        assert!(left.is_empty(), "{rel}: still fixable: {remaining:?}");
        let report = lint_bytes(rel, new, &Settings::default());
        for (code, pointer) in found {
            assert!(
                !report
                    .diagnostics
                    .iter()
                    .any(|d| d.code == code && &d.pointer == pointer),
                "{rel}: {code} at {pointer} is still reported"
            );
        }
        let start = edits.iter().map(|e| e.start).min().unwrap();
        let end = edits.iter().map(|e| e.end).max().unwrap();
        assert!(
            new.starts_with(&old[..start]),
            "{rel}: bytes before the edits changed"
        );
        assert!(
            new.ends_with(&old[end..]),
            "{rel}: bytes after the edits changed"
        );
        // One pass was enough: the result is exactly the original with the edits applied.
        if let Some(spliced) = splice(old, edits)
            && fixable(rel, &spliced).1.is_empty()
        {
            assert_eq!(&spliced, new, "{rel}: more than the edits changed");
        }
    }

    // Idempotent: nothing left to fix, nothing to show.
    let run = spslint(
        root,
        &[
            "check",
            "--no-config",
            "--fix",
            "--format",
            "json",
            "fixtures",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(snapshot(root), after, "a second --fix changed files");
    let run = spslint(root, &["check", "--no-config", "--diff", "fixtures"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

/// The saved response: byte-order mark removed, unwrapped to the body's own text de-indented
/// (line ends kept), then the embedded reference replaced by its key in a second pass.
#[test]
fn a_saved_response_unwraps_keeping_its_formatting() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (response, expected) = saved_response();
    let path = write(root, EMAIL, &response);
    let run = spslint(
        root,
        &["check", "--no-config", "--fix", "--format", "short", EMAIL],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        String::from_utf8(std::fs::read(&path).unwrap()).unwrap(),
        expected
    );
    assert!(!run.stdout.contains("REQ00"), "{}", run.stdout);
    assert!(
        run.stderr.contains("fixed 1 file (3 fixes)"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/invalid/api/configuration/management/email/embedded-reference.json");
    let original = std::fs::read(&source).unwrap();
    let path = write(root, EMAIL, &original);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let run = spslint(root, &["check", "--no-config", "--diff", EMAIL]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with(&format!("--- {EMAIL}\n+++ {EMAIL}\n@@ ")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n-    \"password\": {\n"),
        "{}",
        run.stdout
    );
    // Secret values are masked in a diff as in every output (a password reference's key
    // included: a pasted password would sit there).
    assert!(
        run.stdout
            .contains(&format!("\n+    \"password\": \"{}\",\n", "*".repeat(36))),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("aec663b5"), "{}", run.stdout);
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );

    // Standard input: --diff works, --fix has nowhere to write.
    let run = spslint_with_stdin(
        root,
        &[
            "check",
            "--no-config",
            "--diff",
            "--stdin-filename",
            EMAIL,
            "-",
        ],
        Some(&original),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("+    \"password\": \"****"),
        "{}",
        run.stdout
    );
    let run = spslint_with_stdin(
        root,
        &[
            "check",
            "--no-config",
            "--fix",
            "--stdin-filename",
            EMAIL,
            "-",
        ],
        Some(&original),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("standard input"), "{}", run.stderr);
}

#[test]
fn a_file_that_does_not_parse_is_never_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // A byte-order mark and an embedded reference, both fixable on their own, and a trailing
    // comma that makes the file invalid JSON.
    let broken =
        "\u{feff}{\"admin_address\": {\"key\": \"k\", \"meta\": {\"href\": \"/api/x/k\"}},}\n";
    let path = write(root, EMAIL, broken.as_bytes());
    let run = spslint(root, &["check", "--no-config", "--diff", EMAIL]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let run = spslint(
        root,
        &["check", "--no-config", "--fix", "--format", "short", EMAIL],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("JSON003"), "{}", run.stdout);
    assert_eq!(std::fs::read(&path).unwrap(), broken.as_bytes());
}

#[cfg(unix)]
#[test]
fn writing_keeps_permissions_and_symbolic_links() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let body = b"\xEF\xBB\xBF{\"status\": \"commit\"}\n";
    let real = write(root, "store/commit.json", body);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::create_dir_all(root.join("api")).unwrap();
    std::os::unix::fs::symlink("../store/commit.json", root.join("api/transaction.json")).unwrap();
    let run = spslint(
        root,
        &["check", "--no-config", "--fix", "api/transaction.json"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(std::fs::read(&real).unwrap(), b"{\"status\": \"commit\"}\n");
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(
        std::fs::symlink_metadata(root.join("api/transaction.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(root.join("store")).unwrap().count(), 1);
}

/// A file that changed on disk after it was read is not overwritten.
#[test]
fn a_file_changed_since_it_was_read_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = write(tmp.path(), "a.json", b"{\"a\": 2}");
    let fix = spslint::fixer::FileFix {
        path: path.clone(),
        display: "a.json".into(),
        original: b"{\"a\": 1}".to_vec(),
        fixed: b"{\"a\": 3}".to_vec(),
        applied: 1,
        endpoint: None,
    };
    let err = spslint::fixer::write(&fix).unwrap_err();
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\": 2}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    // Unchanged: written.
    std::fs::write(&path, b"{\"a\": 1}").unwrap();
    spslint::fixer::write(&fix).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\": 3}");
}
