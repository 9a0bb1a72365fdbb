//! Whole-repository checks on a copy of the bundled example repository, broken on purpose one
//! way at a time. Each finding must be located in the file that holds the faulty value.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const CFG: &str = "api/configuration";

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/example-repo");
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Run spslint from the repository root on `args`; returns (path, code, pointer, severity).
fn lint(root: &Path, args: &[&str]) -> Vec<(String, String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(root)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("code"), s("pointer"), s("severity"))
        })
        .collect()
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(&mut Value)) {
    let path = root.join(CFG).join(rel);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

fn only(found: &[(String, String, String, String)], code: &str) -> Vec<(String, String, String)> {
    found
        .iter()
        .filter(|d| d.1 == code)
        .map(|d| (d.0.clone(), d.2.clone(), d.3.clone()))
        .collect()
}

#[test]
fn the_example_repository_is_clean() {
    let dir = example_copy();
    assert_eq!(lint(dir.path(), &[]), vec![]);
}

#[test]
fn unresolved_reference_is_a_warning_in_the_referring_file() {
    let dir = example_copy();
    edit(
        dir.path(),
        "rdp/channel_policies/drawing-office-hours.json",
        |v| {
            v["rules"][0]["allowed_for"]["time_policy"] = "ofice-hours".into();
        },
    );
    let found = lint(dir.path(), &[]);
    assert_eq!(
        only(&found, "REPO001"),
        vec![(
            "./api/configuration/rdp/channel_policies/drawing-office-hours.json".into(),
            "/rules/0/allowed_for/time_policy".into(),
            "warning".into()
        )]
    );
    // --strict-refs makes it an error.
    let strict = lint(dir.path(), &["--strict-refs"]);
    assert_eq!(only(&strict, "REPO001")[0].2, "error");
}

#[test]
fn references_to_collections_the_repository_does_not_keep_are_quiet_unless_strict() {
    let dir = example_copy();
    // Without password objects in the repository, password references cannot be checked.
    std::fs::remove_dir_all(dir.path().join(CFG).join("passwords")).unwrap();
    assert!(only(&lint(dir.path(), &[]), "REPO001").is_empty());
    let strict = only(&lint(dir.path(), &["--strict-refs"]), "REPO001");
    assert!(strict.len() >= 5, "{strict:?}");
    assert!(strict.iter().all(|d| d.2 == "error"));
}

#[test]
fn reference_to_an_object_of_another_collection_is_an_error() {
    let dir = example_copy();
    edit(
        dir.path(),
        "rdp/channel_policies/clipboard-any-time.json",
        |v| {
            v["rules"][0]["allowed_for"]["time_policy"] = "rdp-operators".into();
        },
    );
    let found = lint(dir.path(), &[]);
    assert_eq!(
        only(&found, "REPO002"),
        vec![(
            "./api/configuration/rdp/channel_policies/clipboard-any-time.json".into(),
            "/rules/0/allowed_for/time_policy".into(),
            "error".into()
        )]
    );
}

/// The hub objects of the example repository: an LDAP server's bind password, an SSH channel
/// policy's time policy, a connection policy's name, all checked across files.
#[test]
fn ldap_servers_channel_and_connection_policies_are_checked_across_files() {
    let dir = example_copy();
    edit(dir.path(), "aaa/ldap_servers/corp-ldap.json", |v| {
        v["bind_password"] = "ldap-bnid".into();
    });
    edit(
        dir.path(),
        "ssh/channel_policies/x11-office-hours.json",
        |v| {
            v["rules"][0]["allowed_for"]["time_policy"] = "rdp-operators".into();
        },
    );
    edit(dir.path(), "rdp/connections/rdp-servers.json", |v| {
        v["name"] = "ssh-servers".into();
    });
    let found = lint(dir.path(), &[]);
    assert_eq!(
        only(&found, "REPO001"),
        vec![(
            "./api/configuration/aaa/ldap_servers/corp-ldap.json".into(),
            "/bind_password".into(),
            "warning".into()
        )]
    );
    assert_eq!(
        only(&found, "REPO002"),
        vec![(
            "./api/configuration/ssh/channel_policies/x11-office-hours.json".into(),
            "/rules/0/allowed_for/time_policy".into(),
            "error".into()
        )]
    );
    // Names are unique per collection: an RDP and an SSH connection policy may share one.
    assert!(only(&found, "REPO003").is_empty(), "{found:?}");
    // The LDAP server's and a second object's reference to one password object is reuse.
    edit(dir.path(), "aaa/ldap_servers/corp-ldap.json", |v| {
        v["bind_password"] = "radius-secret".into();
    });
    let found = lint(dir.path(), &[]);
    let reused = only(&found, "REPO004");
    assert!(
        reused
            .iter()
            .any(|d| d.0.ends_with("aaa/ldap_servers/corp-ldap.json") && d.1 == "/bind_password"),
        "{reused:?}"
    );
}

/// A connection policy that keeps metadata longer than its protocol's options: reported at
/// both values, and only for the protocol whose options are exceeded.
#[test]
fn connection_retention_longer_than_the_global_one_is_an_error_on_both_sides() {
    let dir = example_copy();
    edit(dir.path(), "rdp/connections/rdp-servers.json", |v| {
        v["channel_database_cleanup"]["days"] = 400.into();
    });
    edit(dir.path(), "ssh/connections/ssh-servers.json", |v| {
        v["channel_database_cleanup"]["days"] = 4000.into();
    });
    let found = lint(dir.path(), &[]);
    assert_eq!(
        only(&found, "REPO008"),
        vec![
            (
                "./api/configuration/rdp/connections/rdp-servers.json".into(),
                "/channel_database_cleanup/days".into(),
                "error".into()
            ),
            (
                "./api/configuration/rdp/options.json".into(),
                "/channel_database_cleanup/days".into(),
                "error".into()
            ),
        ]
    );
}

#[test]
fn duplicate_names_are_reported_in_both_files() {
    let dir = example_copy();
    edit(
        dir.path(),
        "rdp/channel_policies/clipboard-any-time.json",
        |v| {
            v["name"] = "drawing-office-hours".into();
        },
    );
    let found = only(&lint(dir.path(), &[]), "REPO003");
    let paths: Vec<&str> = found.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "./api/configuration/rdp/channel_policies/clipboard-any-time.json",
            "./api/configuration/rdp/channel_policies/drawing-office-hours.json"
        ]
    );
    assert!(found.iter().all(|d| d.1 == "/name" && d.2 == "error"));
}

#[test]
fn a_password_referenced_twice_is_an_error_at_both_references() {
    let dir = example_copy();
    edit(dir.path(), "management/snmp/trap.json", |v| {
        v["version"]["value"]["encryption_password"] = "smtp-relay-password".into();
    });
    let found = only(&lint(dir.path(), &[]), "REPO004");
    assert_eq!(
        found,
        vec![
            (
                "./api/configuration/management/email.json".into(),
                "/smtp_auth/password".into(),
                "error".into()
            ),
            (
                "./api/configuration/management/snmp/trap.json".into(),
                "/version/value/encryption_password".into(),
                "error".into()
            ),
        ]
    );
}

#[test]
fn an_snmp_password_body_that_breaks_the_rules_is_reported_at_the_reference() {
    let dir = example_copy();
    edit(dir.path(), "passwords/snmp-auth.json", |v| {
        v["plain"] = "short".into()
    });
    let found = lint(dir.path(), &[]);
    assert_eq!(
        only(&found, "REPO005"),
        vec![(
            "./api/configuration/management/snmp/trap.json".into(),
            "/version/value/auth_password".into(),
            "error".into()
        )]
    );
}

#[test]
fn keys_must_match_and_be_valid_path_components() {
    let dir = example_copy();
    let folder = dir.path().join(CFG).join("policies/userlists");
    std::fs::rename(
        folder.join("rdp-operators.json"),
        folder.join("RDP Operators.json"),
    )
    .unwrap();
    let found = lint(dir.path(), &[]);
    assert_eq!(only(&found, "REPO007").len(), 1);
    // The channel policy's user list reference is a group name, not a key: nothing breaks there,
    // but a saved response whose key differs from its file name is reported.
    let body: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("RDP Operators.json")).unwrap())
            .unwrap();
    let saved = serde_json::json!({"body": body, "key": "operators", "meta": {"href": "/api/configuration/policies/userlists/operators"}});
    std::fs::write(
        folder.join("rdp-operators.json"),
        serde_json::to_string_pretty(&saved).unwrap(),
    )
    .unwrap();
    std::fs::remove_file(folder.join("RDP Operators.json")).unwrap();
    let found = lint(dir.path(), &[]);
    assert_eq!(
        only(&found, "REPO006"),
        vec![(
            "./api/configuration/policies/userlists/rdp-operators.json".into(),
            "/key".into(),
            "error".into()
        )]
    );
}

/// Pre-commit passes only the changed files: references still resolve against the rest, and
/// only the files asked for are reported on.
#[test]
fn linting_one_file_still_sees_the_whole_repository() {
    let dir = example_copy();
    let policy = format!("{CFG}/rdp/channel_policies/drawing-office-hours.json");
    assert_eq!(lint(dir.path(), &[&policy]), vec![]);
    // Break a name in another file: the one file asked for is reported, the other is not.
    edit(
        dir.path(),
        "rdp/channel_policies/clipboard-any-time.json",
        |v| {
            v["name"] = "drawing-office-hours".into();
        },
    );
    let found = lint(dir.path(), &[&policy]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        (policy.as_str(), "REPO003")
    );
    // Remove the time policy it refers to: the warning appears though only the policy is linted.
    std::fs::remove_file(
        dir.path()
            .join(CFG)
            .join("policies/time_policies/office-hours.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(CFG).join("policies/time_policies/night-shift.json"),
        r#"{"name": "night-shift", "Mon": [], "Tue": [], "Wed": [], "Thu": [], "Fri": [], "Sat": [], "Sun": []}"#,
    )
    .unwrap();
    let found = lint(dir.path(), &[&policy]);
    assert_eq!(only(&found, "REPO001").len(), 1, "{found:?}");
}
