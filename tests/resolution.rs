//! The repository, not the command line, decides what a file is and what it sees: the same
//! repository, laid out with and without `api/configuration/`, linted from its root, from a
//! subfolder, from its parent folder, through standard input and file by file (pre-commit),
//! reports what a run from the root reports.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_spslint");

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example-repo/api/configuration")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A configuration repository (a git repository with spslint.toml at its root) holding the
/// example repository's objects, below `api/configuration/` or from the root, with:
/// a reversed interval in the office-hours time policy (TIME001), a channel policy referring to
/// "ofice-hours" (REPO001, an error by the repository's configuration), an SNMP password of 5
/// characters that the trap refers to (REPO005, in the trap's file), and a time policy in a
/// misspelt folder.
struct Repo {
    _dir: tempfile::TempDir,
    /// The repository root (canonical).
    root: PathBuf,
    /// `api/configuration/` or nothing.
    prefix: &'static str,
}

impl Repo {
    fn new(prefixed: bool) -> Repo {
        Repo::with_config(
            prefixed,
            "[rules]\nseverity = { \"unresolved-reference\" = \"error\" }\n",
        )
    }

    fn with_config(prefixed: bool, config: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sps-config");
        let prefix = if prefixed { "api/configuration/" } else { "" };
        copy_tree(&example(), &root.join(prefix));
        let git = Command::new("git")
            .args(["init", "-q"])
            .current_dir(&root)
            .status();
        if !git.is_ok_and(|s| s.success()) {
            // No git on this machine: the marker is what spslint looks for.
            std::fs::create_dir_all(root.join(".git")).unwrap();
        }
        std::fs::write(root.join("spslint.toml"), config).unwrap();
        let repo = Repo {
            root: std::fs::canonicalize(&root).unwrap(),
            _dir: dir,
            prefix,
        };
        repo.edit("policies/time_policies/office-hours.json", |t| {
            t.replacen("\"16:00\"", "\"07:00\"", 1)
        });
        repo.edit("rdp/channel_policies/drawing-office-hours.json", |t| {
            t.replace("\"office-hours\"", "\"ofice-hours\"")
        });
        repo.write("passwords/snmp-auth.json", r#"{"plain": "abcde"}"#);
        let night =
            std::fs::read_to_string(repo.path("policies/time_policies/office-hours.json")).unwrap();
        repo.write("policies/time_policy/night.json", &night);
        repo
    }

    /// A path of the repository, below the layout's prefix.
    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(self.prefix).join(rel)
    }

    fn rel(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn edit(&self, rel: &str, f: impl Fn(&str) -> String) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        let changed = f(&text);
        assert_ne!(changed, text, "{rel} unchanged");
        self.write(rel, &changed);
    }
}

fn run(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// A finding as a run from anywhere should agree on: the file (relative to the repository
/// root), code, severity and position.
type Finding = (String, String, String, u64, u64);

/// `check --format json` from `cwd`: the findings with paths made relative to `root`, and
/// the files named as not checked.
fn findings(
    root: &Path,
    cwd: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
) -> (BTreeSet<Finding>, Vec<Value>, Output) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(cwd, &all, stdin);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let relative = |p: &str| -> String {
        let joined = cwd.join(p);
        let parent = std::fs::canonicalize(joined.parent().unwrap()).unwrap();
        parent
            .join(joined.file_name().unwrap())
            .strip_prefix(root)
            .map(|r| r.to_string_lossy().into_owned())
            .unwrap_or_else(|_| p.to_string())
    };
    let set = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                relative(d["path"].as_str().unwrap()),
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let skipped = json["skipped_files"].as_array().unwrap().clone();
    (set, skipped, out)
}

fn of_file(set: &BTreeSet<Finding>, file: &str) -> BTreeSet<Finding> {
    set.iter().filter(|f| f.0 == file).cloned().collect()
}

fn codes(set: &BTreeSet<Finding>) -> BTreeSet<(String, String, String)> {
    set.iter()
        .map(|f| (f.0.clone(), f.1.clone(), f.2.clone()))
        .collect()
}

fn both_layouts(test: impl Fn(&Repo)) {
    for prefixed in [true, false] {
        test(&Repo::new(prefixed));
    }
}

/// What a run from the root reports: the reference for every other way of running.
fn baseline(repo: &Repo) -> BTreeSet<Finding> {
    let (set, skipped, out) = findings(&repo.root, &repo.root, &["."], None);
    assert_eq!(out.status.code(), Some(1));
    let want = [
        (
            repo.rel("policies/time_policies/office-hours.json"),
            "TIME001",
            "error",
        ),
        (
            repo.rel("rdp/channel_policies/drawing-office-hours.json"),
            "REPO001",
            "error",
        ),
        (repo.rel("management/snmp/trap.json"), "REPO005", "error"),
    ];
    let got = codes(&set);
    for (file, code, severity) in want {
        assert!(
            got.contains(&(file.clone(), code.into(), severity.into())),
            "{file} {code} {severity} not in {got:?}"
        );
    }
    // The misspelt folder is named, with the endpoint it was probably meant for.
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("policies/time_policy/night.json")
    );
    assert_eq!(
        skipped[0]["endpoint"],
        "/api/configuration/policies/time_policies"
    );
    set
}

#[test]
fn a_file_linted_from_its_own_folder_is_mapped_by_its_place_in_the_repository() {
    both_layouts(|repo| {
        let all = baseline(repo);
        let file = repo.rel("policies/time_policies/office-hours.json");
        let cwd = repo.path("policies/time_policies");
        let (set, skipped, out) = findings(&repo.root, &cwd, &["office-hours.json"], None);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(of_file(&set, &file), of_file(&all, &file));
        assert!(!set.is_empty());
        assert_eq!(out.status.code(), Some(1));
        // The same file named from the root: the same report, whatever the folder.
        let (from_root, _, _) = findings(&repo.root, &repo.root, &[&file], None);
        assert_eq!(set, from_root);
    });
}

#[test]
fn a_repository_linted_from_its_parent_folder_uses_its_own_configuration() {
    both_layouts(|repo| {
        let all = baseline(repo);
        let parent = repo.root.parent().unwrap();
        let (set, _, out) = findings(&repo.root, parent, &["sps-config"], None);
        assert_eq!(set, all);
        // REPO001 is an error only through the repository's spslint.toml.
        assert!(set.iter().any(|f| f.1 == "REPO001" && f.2 == "error"));
        assert_eq!(out.status.code(), Some(1));
        // A subfolder from outside: the same root, configuration and findings.
        let sub = format!("sps-config/{}rdp", repo.prefix);
        let (set, _, _) = findings(&repo.root, parent, &[&sub], None);
        let drawing = repo.rel("rdp/channel_policies/drawing-office-hours.json");
        assert_eq!(set, of_file(&all, &drawing));
    });
}

#[test]
fn standard_input_is_linted_in_its_repository_in_place_of_the_file() {
    both_layouts(|repo| {
        let all = baseline(repo);
        let rel = repo.rel("rdp/channel_policies/drawing-office-hours.json");
        let buffer =
            std::fs::read(repo.path("rdp/channel_policies/drawing-office-hours.json")).unwrap();
        // The file on disk is already mended: the unsaved buffer is what counts.
        repo.edit("rdp/channel_policies/drawing-office-hours.json", |t| {
            t.replace("\"ofice-hours\"", "\"office-hours\"")
        });
        let args = ["-", "--stdin-filename", &rel];
        let (set, _, out) = findings(&repo.root, &repo.root, &args, Some(&buffer));
        assert_eq!(set, of_file(&all, &rel));
        assert_eq!(out.status.code(), Some(1));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let help = json["diagnostics"][0]["help"].as_str().unwrap();
        assert!(help.contains("did you mean \"office-hours\""), "{help}");
        // From another folder, with an absolute name.
        let absolute = repo.root.join(&rel);
        let args = ["-", "--stdin-filename", absolute.to_str().unwrap()];
        let elsewhere = tempfile::tempdir().unwrap();
        let (set, _, _) = findings(&repo.root, elsewhere.path(), &args, Some(&buffer));
        assert_eq!(codes(&set), codes(&of_file(&all, &rel)));
    });
}

#[test]
fn standard_input_outside_any_repository_is_linted_alone_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let body = br##"{"name": "x", "rules": [{"actions": {"audit": true, "content_policy": null, "four_eyes": false, "ids": false}, "allowed_for": {"clients": [], "gateway_groups": [], "remote_groups": [], "servers": [], "time_policy": "nowhere"}, "channel": "#drawing"}]}"##;
    let name = "somewhere/rdp/channel_policies/x.json";
    let (set, _, out) = findings(
        dir.path(),
        dir.path(),
        &["-", "--stdin-filename", name],
        Some(body),
    );
    assert!(set.is_empty(), "{set:?}");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(name) && stderr.contains("no repository"),
        "{stderr}"
    );
}

#[test]
fn a_changed_object_is_checked_against_the_files_that_refer_to_it() {
    both_layouts(|repo| {
        let all = baseline(repo);
        // pre-commit passes the changed password only; the trap that uses it is reported.
        let changed = repo.rel("passwords/snmp-auth.json");
        let (set, _, out) = findings(&repo.root, &repo.root, &[&changed], None);
        let trap = repo.rel("management/snmp/trap.json");
        assert_eq!(
            codes(&set),
            codes(&of_file(&all, &trap))
                .into_iter()
                .filter(|f| f.1 == "REPO005")
                .collect()
        );
        assert_eq!(out.status.code(), Some(1));
        // A renamed object: the file that still names the old key is reported.
        let old = repo.path("passwords/snmp-priv.json");
        let new = repo.path("passwords/snmp-privacy.json");
        std::fs::rename(old, &new).unwrap();
        let renamed = repo.rel("passwords/snmp-privacy.json");
        let (set, _, out) = findings(&repo.root, &repo.root, &[&renamed], None);
        assert!(
            set.iter().any(|f| f.0 == trap && f.1 == "REPO001"),
            "{set:?}"
        );
        assert_eq!(out.status.code(), Some(1));
        // An object nothing else depends on: nothing else is reported.
        let alone = repo.rel("policies/userlists/rdp-operators.json");
        let (set, _, out) = findings(&repo.root, &repo.root, &[&alone], None);
        assert!(set.is_empty(), "{set:?}");
        assert_eq!(out.status.code(), Some(0));
    });
}

#[test]
fn a_reference_to_a_deleted_object_fails_the_whole_repository_run_with_strict_refs() {
    for prefixed in [true, false] {
        let repo = Repo::with_config(prefixed, "strict_refs = true\n");
        std::fs::remove_file(repo.path("policies/time_policies/office-hours.json")).unwrap();
        let (set, _, out) = findings(&repo.root, &repo.root, &[], None);
        let drawing = repo.rel("rdp/channel_policies/drawing-office-hours.json");
        assert!(
            set.iter()
                .any(|f| f.0 == drawing && f.1 == "REPO001" && f.2 == "error"),
            "{set:?}"
        );
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn a_misspelt_folder_is_named_in_the_hook_format() {
    both_layouts(|repo| {
        let night = repo.rel("policies/time_policy/night.json");
        let out = run(&repo.root, &["check", "--format", "short", &night], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with(&format!("{night}:1:1: note[FILE001] not checked")),
            "{text}"
        );
        assert!(text.contains("policies/time_policies"), "{text}");
        assert_eq!(out.status.code(), Some(0));
        // --require-endpoint makes it an error.
        let out = run(
            &repo.root,
            &["check", "--format", "short", "--require-endpoint", &night],
            None,
        );
        assert_eq!(out.status.code(), Some(1));
    });
}

#[test]
fn a_saved_list_response_says_what_it_is() {
    let repo = Repo::new(true);
    repo.write(
        "policies/time_policies/all.json",
        r#"{"items": [{"key": "-100", "meta": {"href": "/api/configuration/policies/time_policies/-100"}}], "meta": {"href": "/api/configuration/policies/time_policies"}}"#,
    );
    let (set, skipped, _) = findings(
        &repo.root,
        &repo.root,
        &[&repo.rel("policies/time_policies/all.json")],
        None,
    );
    assert!(set.is_empty(), "{set:?}");
    assert_eq!(skipped[0]["reason"], "list-response");
    assert_eq!(
        skipped[0]["endpoint"],
        "/api/configuration/policies/time_policies"
    );
}

#[test]
fn two_repositories_in_one_run_each_use_their_own_configuration() {
    let strict = Repo::new(true);
    let plain = Repo::with_config(false, "");
    let both = tempfile::tempdir().unwrap();
    let a = strict.root.to_str().unwrap();
    let b = plain.root.to_str().unwrap();
    let (set, _, out) = findings(Path::new("/"), both.path(), &[a, b], None);
    let severity_in = |root: &Path| -> Vec<String> {
        set.iter()
            .filter(|f| f.1 == "REPO001" && Path::new("/").join(&f.0).starts_with(root))
            .map(|f| f.2.clone())
            .collect()
    };
    assert_eq!(severity_in(&strict.root), vec!["error".to_string()]);
    assert_eq!(severity_in(&plain.root), vec!["warning".to_string()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_broken_configuration_stops_its_repository_only() {
    let good = Repo::new(true);
    let broken = Repo::with_config(true, "[rules\n");
    let cwd = tempfile::tempdir().unwrap();
    let out = run(
        cwd.path(),
        &[
            "check",
            "--format",
            "short",
            good.root.to_str().unwrap(),
            broken.root.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}/spslint.toml", broken.root.display())),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("TIME001"), "{stdout}");
    assert!(
        !stdout.contains(broken.root.to_str().unwrap()),
        "the broken repository is not linted with a guessed configuration: {stdout}"
    );
}

#[test]
fn unused_suppressions_are_judged_only_when_all_their_files_were_linted() {
    let config = "[[suppress]]\nfiles = \"api/configuration/management/**\"\ncodes = [\"MAIL001\"]\nreason = \"kept for the test\"\n";
    let repo = Repo::with_config(true, config);
    // A subset that does not hold every file of the suppression: not judged.
    let one = repo.rel("policies/userlists/rdp-operators.json");
    let (set, _, _) = findings(&repo.root, &repo.root, &[&one], None);
    assert!(!set.iter().any(|f| f.1 == "CONFIG001"), "{set:?}");
    let email = repo.rel("management/email.json");
    let (set, _, _) = findings(&repo.root, &repo.root, &[&email], None);
    assert!(!set.iter().any(|f| f.1 == "CONFIG001"), "{set:?}");
    // The whole repository: judged, and unused.
    let (set, _, _) = findings(&repo.root, &repo.root, &["."], None);
    assert!(set.iter().any(|f| f.1 == "CONFIG001"), "{set:?}");
}
