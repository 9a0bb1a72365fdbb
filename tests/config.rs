//! spslint.toml and the pre-commit hook, end to end: the real binary in temporary folders.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A clean management/email body.
const GOOD: &str = r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": "sps@example.com",
  "smtp_auth": {
    "enabled": false
  },
  "smtp_encryption": {
    "selection": "disabled"
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}
"#;

/// The same with one schema error: SCHEMA003 at /admin_address (line 2, column 20).
fn bad() -> String {
    GOOD.replace("\"admin@example.com\"", "null")
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// `(path, code, pointer, severity)` of every diagnostic.
    fn findings(&self) -> Vec<(String, String, String, String)> {
        self.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
                (s("path"), s("code"), s("pointer"), s("severity"))
            })
            .collect()
    }

    fn codes_of(&self, path: &str) -> Vec<String> {
        self.findings()
            .into_iter()
            .filter(|f| f.0 == path)
            .map(|f| f.1)
            .collect()
    }
}

fn spslint(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run spslint");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

const EMAIL: &str = "api/configuration/management/email.json";

#[test]
fn the_nearest_config_is_found_by_walking_up() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "spslint.toml", "[rules]\nignore = [\"SCHEMA003\"]\n");
    write(root, EMAIL, &bad());
    let below = root.join("api/configuration");
    let rel = "management/email.json";
    let run = spslint(&below, &["check", "--format", "json", rel]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.codes_of(rel).contains(&"SCHEMA003".to_string()));

    let run = spslint(&below, &["check", "--format", "json", "--no-config", rel]);
    assert_eq!(run.code, 1);
    assert!(run.codes_of(rel).contains(&"SCHEMA003".to_string()));

    // --config names another file; its globs are relative to its own folder.
    write(
        root,
        "conf/other.toml",
        "[rules.severity]\n\"SCHEMA003\" = \"warning\"\n",
    );
    let run = spslint(
        &below,
        &[
            "check",
            "--format",
            "json",
            "--config",
            "../../conf/other.toml",
            rel,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.findings()
            .iter()
            .any(|f| f.1 == "SCHEMA003" && f.3 == "warning")
    );

    let run = spslint(&below, &["check", "--config", "missing.toml", rel]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
}

#[test]
fn endpoint_globs_map_files_the_path_does_not_name() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "spslint.toml",
        "[endpoints]\n\"smtp/*.json\" = \"management/email\"\n\"smtp/**\" = \"transaction\"\n",
    );
    write(root, "smtp/relay.json", &bad());
    write(root, "smtp/old/relay.json", "{\"status\": \"commit\"}\n");
    write(root, "other/relay.json", &bad());
    // A saved snmp/trap response in smtp/: the configuration wins over its href.
    let response = format!(
        "{{\"body\": {}, \"key\": \"trap\", \"meta\": {{\"href\": \"/api/configuration/management/snmp/trap\"}}}}",
        bad()
    );
    write(root, "smtp/response.json", &response);
    let run = spslint(root, &["check", "--format", "json", "."]);
    let out = run.json();
    let endpoint_of = |path: &str| {
        out["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == path)
            .map(|d| d["endpoint"].clone())
    };
    assert_eq!(
        endpoint_of("./smtp/relay.json"),
        Some(Value::from("/api/configuration/management/email"))
    );
    assert_eq!(
        endpoint_of("./smtp/response.json"),
        Some(Value::from("/api/configuration/management/email"))
    );
    assert!(
        run.codes_of("./smtp/relay.json")
            .contains(&"SCHEMA003".into())
    );
    // smtp/old/relay.json: the first glob does not cross folders, the second takes it.
    assert!(run.codes_of("./smtp/old/relay.json").is_empty());
    assert_eq!(
        out["summary"]["skipped"], 1,
        "other/relay.json maps to nothing"
    );

    // --endpoint wins over the configuration.
    let run = spslint(
        root,
        &[
            "check",
            "--format",
            "json",
            "--endpoint",
            "transaction",
            "smtp/relay.json",
        ],
    );
    assert_eq!(run.json()["diagnostics"][0]["endpoint"], "/api/transaction");
}

#[test]
fn select_ignore_severity_and_overrides_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "spslint.toml",
        r#"
[rules]
select = ["JSON", "SCHEMA", "REQ"]
severity = { "SCHEMA" = "warning" }

[[overrides]]
files = ["legacy/**"]
ignore = ["wrong-type"]

[[overrides]]
files = "strict/management/*.json"
severity = { "SCHEMA003" = "error" }
"#,
    );
    let a = "api/configuration/management/email.json";
    let legacy = "legacy/api/configuration/management/email.json";
    let strict = "strict/api/configuration/management/email.json";
    write(root, a, &bad());
    write(root, legacy, &bad());
    // Not matched by strict/management/*.json: `*` does not cross folders.
    write(root, strict, &bad());
    write(root, "strict/management/email.json", &bad());
    let run = spslint(root, &["check", "--format", "json", a, legacy, strict]);
    let f = run.findings();
    assert!(f.contains(&(
        a.into(),
        "SCHEMA003".into(),
        "/admin_address".into(),
        "warning".into()
    )));
    assert!(f.contains(&(
        strict.into(),
        "SCHEMA003".into(),
        "/admin_address".into(),
        "warning".into()
    )));
    assert!(run.codes_of(legacy).is_empty(), "{f:?}");
    assert!(
        f.iter()
            .all(|x| ["JSON", "SCHEMA", "REQ"].iter().any(|p| x.1.starts_with(p)))
    );
    assert_eq!(run.code, 0, "warnings only");

    let run = spslint(
        root,
        &["check", "--format", "json", "strict/management/email.json"],
    );
    assert_eq!(run.findings()[0].3, "error");
    assert_eq!(run.code, 1);

    // The command line comes last: --select starts over (the override's ignore included).
    let run = spslint(
        root,
        &["check", "--format", "json", "--select", "SCHEMA003", legacy],
    );
    assert_eq!(run.codes_of(legacy), vec!["SCHEMA003"]);
    // --ignore adds to the configuration's list.
    let run = spslint(
        root,
        &["check", "--format", "json", "--ignore", "SCHEMA003,REQ", a],
    );
    assert!(run.codes_of(a).is_empty());
    // Unknown selectors on the command line are errors too.
    let run = spslint(root, &["check", "--ignore", "SCEHMA003", a]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `SCHEMA003`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn suppressions_need_a_reason_and_unused_ones_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let a = "a/api/configuration/management/email.json";
    let b = "b/api/configuration/management/email.json";
    let c = "c/api/configuration/management/email.json";
    write(root, a, &bad());
    write(
        root,
        b,
        &bad().replace("\"enabled\": false", "\"enabled\": \"no\""),
    );
    write(root, c, GOOD);
    let config = r#"[[suppress]]
files = "a/**"
pointer = "/admin_address"
codes = ["SCHEMA003"]
reason = "the administrator address is set by the provisioning job"

[[suppress]]
files = ["b/**"]
pointer = "/smtp_auth/**"
reason = "b's SMTP settings are replaced at deployment"

[[suppress]]
files = "c/**"
codes = ["wrong-type"]
reason = "c is generated"

[[suppress]]
files = "**"
codes = ["SNMP"]
reason = "SNMP rules do not run on management/email: not reported unused here"
"#;
    write(root, "spslint.toml", config);
    let run = spslint(root, &["check", "--format", "json", a, b, c]);
    let f = run.findings();
    assert!(run.codes_of(a).is_empty(), "{f:?}");
    // The subtree pointer takes /smtp_auth/enabled, not /admin_address.
    let pointers: Vec<&str> = f
        .iter()
        .filter(|x| x.0 == b)
        .map(|x| x.2.as_str())
        .collect();
    assert!(pointers.contains(&"/admin_address"), "{f:?}");
    assert!(
        !pointers.iter().any(|p| p.starts_with("/smtp_auth")),
        "{f:?}"
    );
    // c has nothing to suppress: a warning on spslint.toml, at its [[suppress]] header.
    let out = run.json();
    let unused: Vec<&Value> = out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CONFIG001")
        .collect();
    assert_eq!(unused.len(), 1, "{}", run.stdout);
    assert_eq!(unused[0]["path"], "spslint.toml");
    assert_eq!(unused[0]["severity"], "warning");
    assert_eq!(unused[0]["name"], "unused-suppression");
    assert_eq!(
        (unused[0]["line"].as_u64(), unused[0]["column"].as_u64()),
        (Some(12), Some(1))
    );
    assert!(
        unused[0]["message"]
            .as_str()
            .unwrap()
            .contains("c is generated")
    );

    // Checking a subset (as pre-commit does): suppressions for files not checked say nothing.
    let run = spslint(root, &["check", "--format", "json", a]);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert_eq!(run.code, 0);
    // And CONFIG001 can be ignored like any code.
    let run = spslint(
        root,
        &["check", "--format", "json", "--ignore", "CONFIG001", c],
    );
    assert!(run.findings().is_empty(), "{}", run.stdout);

    // No reason, or an empty one: the configuration is refused.
    write(
        root,
        "spslint.toml",
        "[[suppress]]\nfiles = \"a/**\"\ncodes = [\"SCHEMA003\"]\n",
    );
    let run = spslint(root, &["check", a]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("spslint.toml:1:1"), "{}", run.stderr);
    assert!(run.stderr.contains("reason"), "{}", run.stderr);
    write(
        root,
        "spslint.toml",
        "[[suppress]]\nfiles = \"a/**\"\nreason = \"\"\n",
    );
    let run = spslint(root, &["check", a]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("spslint.toml:3:10"), "{}", run.stderr);
}

#[test]
fn unknown_keys_and_values_are_errors_with_suggestions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, EMAIL, GOOD);
    let cases = [
        (
            "[rules]\nselct = [\"SNMP\"]\n",
            "spslint.toml:2:1",
            "did you mean `select`?",
        ),
        ("[rule]\n", "spslint.toml:1:2", "did you mean `rules`?"),
        (
            "[[overrides]]\nfile = \"x/**\"\n",
            "spslint.toml:2:1",
            "did you mean `files`?",
        ),
        (
            "[certificates]\nexpiry_window = 3\n",
            "spslint.toml:2:1",
            "did you mean `expiry_window_days`?",
        ),
        (
            "[rules]\nignore = [\"unknwn-key\"]\n",
            "spslint.toml:2:11",
            "did you mean `unknown-key`?",
        ),
        (
            "[rules.severity]\nSCHEMA = \"fatal\"\n",
            "spslint.toml:2:10",
            "\"error\" or \"warning\"",
        ),
        (
            "[endpoints]\n\"x/*.json\" = \"snmp/trap\"\n",
            "spslint.toml:2:14",
            "did you mean `management/snmp/trap`?",
        ),
        (
            "[output]\nformat = \"jsno\"\n",
            "spslint.toml:2:10",
            "did you mean `json`?",
        ),
        ("[rules\n", "spslint.toml:1:", ""),
    ];
    for (config, at, hint) in cases {
        write(root, "spslint.toml", config);
        let run = spslint(root, &["check", EMAIL]);
        assert_eq!(run.code, 2, "{config}");
        assert!(run.stderr.contains(at), "{config}: {}", run.stderr);
        assert!(run.stderr.contains(hint), "{config}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{config}: nothing is checked");
    }
}

#[test]
fn output_format_and_certificate_window_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, EMAIL, &bad());
    write(
        root,
        "spslint.toml",
        "[output]\nformat = \"short\"\n\n[certificates]\nexpiry_window_days = 60\n",
    );
    let run = spslint(root, &["check", EMAIL]);
    assert!(
        run.stdout
            .starts_with(&format!("{EMAIL}:2:20: error[SCHEMA003]")),
        "{}",
        run.stdout
    );
    // --format wins.
    let run = spslint(root, &["check", "--format", "json", EMAIL]);
    assert_eq!(run.json()["version"], 1);
    write(
        root,
        "spslint.toml",
        "[certificates]\nexpiry_window_days = -1\n",
    );
    let run = spslint(root, &["check", EMAIL]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("spslint.toml:2:22"), "{}", run.stderr);
}

/// One hook of .pre-commit-hooks.yaml: its `field: value` lines (a line-based read: the file
/// is ours and flat).
fn hook_fields(id: &str) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let block = text
        .split("\n- ")
        .find(|b| {
            b.trim_start_matches("- ")
                .starts_with(&format!("id: {id}\n"))
        })
        .unwrap_or_else(|| panic!("no hook {id} in .pre-commit-hooks.yaml"));
    block
        .lines()
        .map(|l| l.trim().trim_start_matches("- "))
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// `entry` and `args` of the per-file hook.
fn hook_command() -> Vec<String> {
    let fields = hook_fields("spslint");
    let field = |name: &str| {
        fields
            .get(name)
            .unwrap_or_else(|| panic!("no {name}: in the spslint hook"))
            .clone()
    };
    assert_eq!(field("language"), "rust");
    assert_eq!(field("types"), "[json]");
    assert_eq!(field("pass_filenames"), "true");
    let mut command: Vec<String> = field("entry")
        .split_whitespace()
        .map(String::from)
        .collect();
    let args = field("args");
    let args = args.trim_start_matches('[').trim_end_matches(']');
    command.extend(
        args.split(',')
            .map(|a| a.trim().trim_matches('"').to_string())
            .filter(|a| !a.is_empty()),
    );
    assert_eq!(command[0], "spslint");
    command
}

/// The whole-repository hook runs on any JSON change, deletions included, with no file names:
/// spslint then lints the repository it is started in.
#[test]
fn the_whole_repository_hook_lints_the_repository_on_any_json_change() {
    let fields = hook_fields("spslint-repository");
    assert_eq!(fields["pass_filenames"], "false");
    assert_eq!(fields["files"], "\\.json$");
    assert!(
        !fields.contains_key("types"),
        "a deletion has no type to match"
    );
    assert_eq!(fields["entry"], "spslint check");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(root, "api/configuration/management/email.json", &bad());
    let out = Command::new(env!("CARGO_BIN_EXE_spslint"))
        .current_dir(root)
        .args(fields["entry"].split_whitespace().skip(1))
        .arg("--format=short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[SCHEMA003]"));
}

/// pre-commit runs the hook's entry and args from the repository root, with the staged file
/// names appended: a good file passes, a bad one blocks the commit, and only the files given
/// are checked.
#[test]
fn the_pre_commit_hook_blocks_a_bad_commit() {
    let command = hook_command();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    let good = "good/api/configuration/management/email.json";
    let bad_file = "bad/api/configuration/management/email.json";
    write(root, good, GOOD);
    write(root, bad_file, &bad());
    write(root, "package.json", "{\"name\": \"not an SPS body\"}");
    let hook = |files: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_spslint"))
            .current_dir(root)
            .args(&command[1..])
            .args(files)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = hook(&[good, "package.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains(bad_file));
    let (code, out) = hook(&[good, bad_file]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("{bad_file}:2:20: error[SCHEMA003]")),
        "{out}"
    );
    assert!(!out.contains(&format!("{good}:")), "{out}");

    // Exactly the files given are checked (JSON: the summary counts them).
    let run = spslint(root, &["check", "--format", "json", good]);
    assert_eq!(run.json()["summary"]["files"], 1);
}

/// `sps_version` (spslint.toml) and `--sps-version` choose the shapes a body is checked against;
/// the command line wins; an unknown version stops the run naming the known ones.
#[test]
fn the_sps_version_chooses_the_shapes_and_unknown_versions_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    const RDP: &str = "api/configuration/rdp/options.json";
    // The global RDP options as the reference shows them up to 7.0.
    write(
        root,
        RDP,
        r#"{
  "audit": {
    "cleanup": {
      "enabled": false
    },
    "timestamping": {
      "selection": "local",
      "signing_interval": 30
    }
  },
  "service": {
    "enabled": true,
    "log_level": 4
  }
}
"#,
    );
    write(root, "spslint.toml", "sps_version = \"7.0\"\n");
    let run = spslint(root, &["check", "--format", "json", RDP]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The command line wins over the file.
    let run = spslint(
        root,
        &["check", "--format", "json", "--sps-version", "7.1", RDP],
    );
    assert_eq!(run.codes_of(RDP), ["SCHEMA010"]);
    assert_eq!(run.code, 1);
    // Without a version, the newest documented one.
    write(root, "spslint.toml", "# no version\n");
    let run = spslint(root, &["check", "--format", "json", RDP]);
    assert_eq!(run.codes_of(RDP), ["SCHEMA010"]);
    // Patch and LTS spellings name their release.
    for v in ["7.0.5", "6.0 LTS"] {
        let run = spslint(root, &["check", "--sps-version", v, RDP]);
        assert_eq!(run.code, 0, "{v}: {}{}", run.stdout, run.stderr);
    }
    // Unknown versions: a configuration error at the value, or a usage error, both naming the
    // known versions; nothing is checked.
    write(root, "spslint.toml", "sps_version = \"9.9\"\n");
    let run = spslint(root, &["check", RDP]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("spslint.toml:1:15")
            && run.stderr.contains("unknown SPS version `9.9`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("7.1") && run.stderr.contains("8.0"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    write(root, "spslint.toml", "# no version\n");
    let run = spslint(root, &["check", "--sps-version", "9.9", RDP]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown SPS version `9.9`"),
        "{}",
        run.stderr
    );
}
