//! Issues 6 and 12: a secret never appears in any output.
//!
//! Every secret-bearing field of every endpoint gets a unique planted value, in bodies that also
//! have errors right beside it (so the human snippet shows those lines), including syntax errors
//! that leave the document unparsable. The real binary then runs every output format it lists in
//! `spslint check --help` (so new formats are covered as they are added), `--statistics`,
//! `--diff`, `--fix` and standard input, and no output (stdout or stderr) may contain any
//! planted value, whole or in part.
//!
//! Issue 12 adds the classes an attacker's tries found (each body below is marked with its
//! class): secrets in files that do not parse whatever the state of a scan (a missing colon, a
//! `=`, a raw line break inside the secret, an unterminated string or an unclosed comment
//! earlier, an unquoted passphrase of several words), values under keys spslint does not know
//! (`pwd`, `privateKey`, `pass_phrase`), and a private key pasted where a certificate or a name
//! belongs. A property test then edits bodies with secrets one character at a time.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn spslint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_spslint"))
}

/// A random token, unique per secret: what is searched for in the output (a secret printed in
/// part, or escaped differently, still shows it).
fn token() -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    );
    format!("{:016x}", h.finish())
}

/// The planted values, and the bodies holding them.
struct Plant {
    secrets: Vec<String>,
    files: Vec<(String, String)>,
}

impl Plant {
    fn new() -> Self {
        Plant {
            secrets: Vec::new(),
            files: Vec::new(),
        }
    }

    /// A fresh secret for `field`: `S3cr3t-<field>-<random>`.
    fn secret(&mut self, field: &str) -> String {
        let s = format!("S3cr3t-{field}-{}", token());
        self.secrets.push(s.clone());
        s
    }

    fn file(&mut self, path: &str, body: String) {
        self.files.push((path.to_string(), body));
    }

    fn write(&self, dir: &Path) {
        for (path, body) in &self.files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
    }

    /// Secret material that is not a token: a private key's data. Any 16 characters of it found
    /// in an output are a leak.
    fn material(&mut self, text: &str) {
        self.secrets.push(text.to_string());
    }

    /// The secret, or any 12 characters of the random part that makes it unique (a secret
    /// printed in part), found in `text`.
    fn leaked(&self, text: &str) -> Option<&str> {
        self.secrets
            .iter()
            .find(|s| {
                let unique = s.rsplit('-').next().unwrap();
                let window = if unique.len() > 16 { 16 } else { 12 };
                let chars: Vec<char> = unique.chars().collect();
                text.contains(s.as_str())
                    || chars
                        .windows(window.min(chars.len()))
                        .any(|w| text.contains(&w.iter().collect::<String>()))
            })
            .map(String::as_str)
    }
}

/// The test private key (fixtures/certs/key.pem) and its data lines, each a secret. The first
/// line is left out: it encodes the key's structure and algorithm (`BgkqhkiG9w0BAQEF`, as in
/// every RSA certificate the rule documentation shows), not the key.
fn private_key() -> (String, Vec<String>) {
    let pem = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/certs/key.pem"),
    )
    .unwrap();
    let data = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .skip(1)
        .map(str::to_string)
        .collect();
    (pem, data)
}

const TRAP: &str = "api/configuration/management/snmp/trap";
const EMAIL: &str = "api/configuration/management/email";
const PASSWORDS: &str = "api/configuration/passwords";
const USER_DBS: &str = "api/configuration/policies/user_databases";
const SSH_AUTH: &str = "api/configuration/ssh/authentication_policies";

/// Bodies with a secret in every secret-bearing field, each next to errors.
fn plant() -> Plant {
    let mut p = Plant::new();

    // SNMP v2c community: pasted string, with a wrong type and an unknown key beside it.
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/v2c-community.json"),
        format!(
            r#"{{
  "enabled": "yes",
  "version": {{
    "selection": "2c",
    "value": {{
      "community": "{c}",
      "comunity": "{c}",
      "server": {{"selection": "ip", "value": "300.1.2.3"}}
    }}
  }}
}}"#
        ),
    );
    // The community as an object where a string belongs.
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/v2c-community-object.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "2c",
    "value": {{
      "community": {{"plain": "{c}"}},
      "server": {{"selection": "fqdn", "value": ""}}
    }}
  }}
}}"#
        ),
    );
    // SNMP v3: passwords pasted where a key belongs, and inline {"plain": ...} objects, next to
    // the docs' "sha", DES and a bad engine ID.
    let (a, e) = (p.secret("auth_password"), p.secret("encryption_password"));
    p.file(
        &format!("{TRAP}/v3-pasted.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "3",
    "value": {{
      "auth_method": "sha",
      "auth_password": "{a}",
      "encryption_method": "des",
      "encryption_password": "{e}",
      "engine_id": "0x80",
      "server": {{"selection": "ip", "value": "192.0.2.40"}},
      "username": ""
    }}
  }}
}}"#
        ),
    );
    let (a, e) = (p.secret("auth_password"), p.secret("encryption_password"));
    p.file(
        &format!("{TRAP}/v3-plain-objects.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "3",
    "value": {{
      "auth_method": "md5",
      "auth_password": {{"plain": "{a}"}},
      "encryption_method": "nope",
      "encryption_password": {{"plain": "{e}", "extra": 1}},
      "server": {{"selection": "ip", "value": "192.0.2.40"}},
      "username": "sps-trap"
    }}
  }}
}}"#
        ),
    );
    // The v2c community in a v3 body (another version's setting), and v3 passwords in a v2c one.
    let (c, a) = (p.secret("community"), p.secret("auth_password"));
    p.file(
        &format!("{TRAP}/other-version.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "2c",
    "value": {{
      "auth_password": "{a}",
      "community": "{c}",
      "server": {{"selection": "ip", "value": "192.0.2.40"}}
    }}
  }}
}}"#
        ),
    );
    // A saved GET response (its fix rewrites the whole file: --diff shows the body).
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/saved-response.json"),
        format!(
            r#"{{
  "body": {{
    "enabled": true,
    "version": {{
      "selection": "2c",
      "value": {{
        "community": "{c}",
        "server": {{"selection": "ip", "value": "192.0.2.40"}}
      }}
    }}
  }},
  "key": "trap",
  "meta": {{"href": "/api/configuration/management/snmp/trap"}}
}}"#
        ),
    );
    // Syntax errors next to secrets: the document does not parse, the snippet still masks.
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/trailing-comma.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "2c",
    "value": {{
      "community": "{c}",
      "server": {{"selection": "ip", "value": "192.0.2.40"}},
    }}
  }}
}}"#
        ),
    );
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/missing-comma.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "2c",
    "value": {{
      "community":
        "{c}"
      "server": {{"selection": "ip", "value": "192.0.2.40"}}
    }}
  }}
}}"#
        ),
    );
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/comment.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "2c",
    "value": {{
      // the community of the NOC
      "community": "{c}", "server": {{"selection": "ip", "value": "192.0.2.40"}}
    }}
  }}
}}"#
        ),
    );
    let a = p.secret("auth_password");
    p.file(
        &format!("{TRAP}/unterminated.json"),
        format!(
            "{{\n  \"enabled\": true,\n  \"version\": {{\n    \"selection\": \"3\",\n    \"value\": {{\n      \"auth_password\": \"{a}\n    }}\n  }}\n}}\n"
        ),
    );
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/nul-byte.json"),
        format!(
            "{{\n  \"enabled\": true,\n  \"version\": {{\n    \"selection\": \"2c\",\n    \"value\": {{\n      \"community\": \"{c}\u{0}\",\n      \"server\": null\n    }}\n  }}\n}}\n"
        ),
    );
    // Unquoted and single-quoted secrets: the parser's own error messages must not quote them.
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/unquoted.json"),
        format!(
            "{{\n  \"enabled\": true,\n  \"version\": {{\n    \"selection\": \"2c\",\n    \"value\": {{\n      \"community\": {c},\n      \"server\": null\n    }}\n  }}\n}}\n"
        ),
    );
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/single-quoted.json"),
        format!(
            "{{\n  \"enabled\": true,\n  \"version\": {{\n    \"selection\": \"2c\",\n    \"value\": {{\n      'community': '{c}',\n      \"server\": null\n    }}\n  }}\n}}\n"
        ),
    );
    // A duplicate secret key: the lost first value is reported.
    let (c1, c2) = (p.secret("community"), p.secret("community"));
    p.file(
        &format!("{TRAP}/duplicate.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "2c",
    "value": {{
      "community": "{c1}",
      "community": "{c2}",
      "server": {{"selection": "ip", "value": "192.0.2.40"}}
    }}
  }}
}}"#
        ),
    );

    // Issue 12, class "a file that does not parse": each of these left the old tolerant scan
    // out of step, and it printed the secret.
    let pw = p.secret("missing-colon");
    p.file(
        &format!("{PASSWORDS}/missing-colon.json"),
        format!("{{\"plain\" \"{pw}\"}}\n"),
    );
    let pw = p.secret("equals");
    p.file(
        &format!("{PASSWORDS}/equals.json"),
        format!("{{\"plain\" = \"{pw}\"}}\n"),
    );
    let (a, b) = (p.secret("line-one"), p.secret("line-two"));
    p.file(
        &format!("{PASSWORDS}/raw-line-break.json"),
        format!("{{\n  \"plain\": \"{a}\n{b}\"\n}}\n"),
    );
    let pw = p.secret("after-unterminated");
    p.file(
        &format!("{PASSWORDS}/unterminated-before.json"),
        format!("{{\"note\": \"abc, \"plain\": \"{pw}\"}}\n"),
    );
    let pw = p.secret("after-comment");
    p.file(
        &format!("{PASSWORDS}/unclosed-comment-before.json"),
        format!("{{\"a\": 1 /* ,\n  \"plain\": \"{pw}\"\n}}\n"),
    );
    let words: Vec<String> = (0..3).map(|_| p.secret("passphrase-word")).collect();
    p.file(
        &format!("{PASSWORDS}/unquoted-passphrase.json"),
        format!("{{\n  \"plain\": {}\n}}\n", words.join(" ")),
    );
    let c = p.secret("community");
    p.file(
        &format!("{TRAP}/single-quote-in-word.json"),
        format!(
            "{{\"enabled\": true, \"version\": {{\"selection\": \"2c\", \"value\": {{\"note\": don't, \"community\": \"{c}\"}}}}}}\n"
        ),
    );
    // Issue 12, class "keys spslint does not know": their values are not known to be harmless.
    let (k1, k2, k3, k4) = (
        p.secret("pwd"),
        p.secret("privateKey"),
        p.secret("pass_phrase"),
        p.secret("token"),
    );
    p.file(
        &format!("{PASSWORDS}/unknown-keys.json"),
        format!(
            "{{\n  \"pwd\": \"{k1}\",\n  \"privateKey\": \"{k2}\",\n  \"pass_phrase\": \"{k3}\",\n  \"x\": {{\"token\": [\"{k4}\"]}}\n}}\n"
        ),
    );
    let (k1, k2) = (p.secret("apiKey"), p.secret("auth_key"));
    p.file(
        &format!("{TRAP}/unknown-keys.json"),
        format!(
            r#"{{
  "enabled": true,
  "version": {{
    "selection": "3",
    "value": {{
      "apiKey": "{k1}",
      "auth_key": "{k2}",
      "server": {{"selection": "ip", "value": "192.0.2.40"}},
      "username": "sps"
    }}
  }}
}}"#
        ),
    );
    // Issue 12, class "a private key where a certificate or a name belongs".
    let (pem, data) = private_key();
    for line in &data {
        p.material(line);
    }
    let json_pem = serde_json::to_string(&pem).unwrap();
    p.file(
        "api/configuration/policies/trusted_ca_lists/key-as-ca.json",
        format!(
            "{{\n  \"authorities\": [\n    {{\"certificate\": {json_pem}, \"crl\": \"http://crl.example.com/x.crl\"}}\n  ],\n  \"dn_check\": null,\n  \"name\": \"ca\"\n}}\n"
        ),
    );
    p.file(
        &format!("{USER_DBS}/key-as-certificate-and-name.json"),
        format!(
            "{{\n  \"name\": {json_pem},\n  \"users\": [{{\"certificates\": [{json_pem}], \"passwords\": [], \"public_keys\": [{{\"selection\": \"rsa\", \"value\": {json_pem}}}], \"username\": \"u\"}}]\n}}\n"
        ),
    );
    p.file(
        &format!("{EMAIL}/key-as-address.json"),
        format!(
            r#"{{
  "admin_address": {json_pem},
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {{"enabled": false}},
  "smtp_encryption": {{"selection": "disabled"}},
  "smtp_server": {{"selection": "fqdn", "value": {json_pem}}}
}}"#
        ),
    );
    // Issue 12, "every message": an embedded reference (as in a saved response) whose "key"
    // holds a pasted password; the REQ002 message and its help used to quote it.
    let pw = p.secret("embedded-key");
    p.file(
        &format!("{EMAIL}/embedded-reference.json"),
        format!(
            r#"{{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {{
    "enabled": true,
    "password": {{"key": "{pw}", "meta": {{"href": "/api/configuration/passwords/x"}}}},
    "username": "mailer"
  }},
  "smtp_encryption": {{"selection": "starttls"}},
  "smtp_server": {{"selection": "ip", "value": "192.0.2.25"}}
}}"#
        ),
    );
    // ... and as an object key (an unknown key: quoted by its message, part of its pointer).
    p.file(
        &format!("{PASSWORDS}/key-as-key.json"),
        format!("{{\n  \"plain\": \"x\",\n  {json_pem}: 1\n}}\n"),
    );
    // The same key in a file that does not parse.
    p.file(
        &format!("{USER_DBS}/key-in-broken.json"),
        format!("{{\"name\": \"db\", \"users\": [{{\"certificates\": [{json_pem}]]}}\n"),
    );

    // E-mail: smtp_auth.password pasted and as an inline object, beside wrong types.
    let pw = p.secret("smtp_auth.password");
    p.file(
        &format!("{EMAIL}/pasted.json"),
        format!(
            r#"{{
  "admin_address": "admin@",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {{
    "enabled": "true",
    "password": "{pw}",
    "usrname": "sps-mailer"
  }},
  "smtp_encryption": {{"selection": "disabled"}},
  "smtp_server": {{"selection": "ip", "value": "192.0.2.25"}}
}}"#
        ),
    );
    let pw = p.secret("smtp_auth.password");
    p.file(
        &format!("{EMAIL}/plain-object.json"),
        format!(
            r#"{{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {{
    "enabled": true,
    "password": {{"plain": "{pw}"}},
    "username": null
  }},
  "smtp_encryption": {{"selection": "starttls"}},
  "smtp_server": {{"selection": "ip", "value": "192.0.2.25"}}
}}"#
        ),
    );

    // Passwords: the plain text itself, beside an unknown key, a wrong type, a syntax error.
    let pw = p.secret("passwords.plain");
    p.file(
        &format!("{PASSWORDS}/unknown-key.json"),
        format!("{{\n  \"plain\": \"{pw}\",\n  \"plian\": \"{pw}\"\n}}\n"),
    );
    let pw = p.secret("passwords.plain");
    p.file(
        &format!("{PASSWORDS}/not-a-string.json"),
        format!("{{\n  \"plain\": [\"{pw}\"]\n}}\n"),
    );
    let pw = p.secret("passwords.plain");
    p.file(
        &format!("{PASSWORDS}/trailing-comma.json"),
        format!("{{\n  \"plain\": \"{pw}\",\n}}\n"),
    );
    let pw = p.secret("passwords.plain");
    p.file(
        &format!("{PASSWORDS}/bom.json"),
        format!("\u{feff}{{\n  \"plain\": \"{pw}\", \"x\": 1\n}}\n"),
    );
    // A saved response of a password object.
    let pw = p.secret("passwords.plain");
    p.file(
        &format!("{PASSWORDS}/saved.json"),
        format!(
            "{{\"body\": {{\"plain\": \"{pw}\"}}, \"key\": \"saved\", \"meta\": {{\"href\": \"/api/configuration/passwords/saved\"}}}}"
        ),
    );

    // User databases: password entries pasted and inline, beside a missing key and a bad type.
    let (p1, p2) = (p.secret("users.passwords"), p.secret("users.passwords"));
    p.file(
        &format!("{USER_DBS}/passwords.json"),
        format!(
            r#"{{
  "name": "db",
  "users": [
    {{
      "certificates": [],
      "passwords": ["{p1}", {{"plain": "{p2}"}}, 3],
      "public_keys": [],
      "username": 7
    }}
  ]
}}"#
        ),
    );

    // SSH RADIUS back end: shared_secret pasted and inline, beside a port out of range.
    let (s1, s2) = (p.secret("shared_secret"), p.secret("shared_secret"));
    p.file(
        &format!("{SSH_AUTH}/radius.json"),
        format!(
            r#"{{
  "backend": {{
    "authentication_protocol": "pap",
    "selection": "radius",
    "servers": [
      {{
        "address": {{"selection": "ip", "value": "127.0.0.1"}},
        "port": 0,
        "shared_secret": "{s1}"
      }},
      {{
        "address": {{"selection": "ip", "value": "999.0.0.1"}},
        "port": 1812,
        "shared_secret": {{"plain": "{s2}"}}
      }}
    ]
  }},
  "gateway_methods": {{"kerberos": false, "password": false, "public_key": false}},
  "name": "radius",
  "relayed_methods": {{
    "kerberos": false,
    "keyboard_interactive": true,
    "password": "yes",
    "public_key": {{"selection": "agent"}}
  }}
}}"#
        ),
    );
    p
}

/// The formats `spslint check --help` lists under `--format`.
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
        "cannot read the formats from --help: {formats:?}\n{help}"
    );
    formats
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_no_leak(plant: &Plant, what: &str, out: &Output) {
    let text = text(out);
    if let Some(s) = plant.leaked(&text) {
        panic!("{what}: secret {s} printed:\n{text}");
    }
}

#[test]
fn no_secret_in_any_output_format() {
    let dir = tempfile::tempdir().unwrap();
    let plant = plant();
    plant.write(dir.path());
    for format in formats() {
        for color in ["never", "always"] {
            let out = spslint()
                .current_dir(dir.path())
                .args(["check", "--format", &format, "--color", color, "api"])
                .output()
                .unwrap();
            let what = format!("--format {format} --color {color}");
            assert_eq!(out.status.code(), Some(1), "{what}: {}", text(&out));
            assert!(!out.stdout.is_empty(), "{what}: no output");
            assert_no_leak(&plant, &what, &out);
            if format == "human" && color == "never" {
                // The snippets are there, masked: the test is not passing by showing nothing.
                let s = String::from_utf8_lossy(&out.stdout);
                assert!(s.contains("\"community\": \"*****"), "{s}");
                assert!(s.contains("\"plain\": \"*****"), "{s}");
                // In a file that does not parse, the punctuation is left.
                assert!(s.contains("{\"*****\" \"*****"), "{s}");
                assert!(s.contains("\"pwd\": \"*****"), "{s}");
            }
        }
    }
    // The counts per code: nothing of a value, whatever the format that has them.
    for format in ["human", "short", "json"] {
        let out = spslint()
            .current_dir(dir.path())
            .args(["check", "--statistics", "--format", format, "api"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "--statistics {format}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("JSON001"));
        assert_no_leak(&plant, &format!("--statistics --format {format}"), &out);
    }
}

#[test]
fn no_secret_in_files_checked_one_by_one() {
    // Each file alone (no repository context), in the human format, which shows the most.
    let dir = tempfile::tempdir().unwrap();
    let plant = plant();
    plant.write(dir.path());
    for (path, _) in &plant.files {
        for format in ["human", "short"] {
            let out = spslint()
                .current_dir(dir.path())
                .args(["check", "--format", format, path])
                .output()
                .unwrap();
            assert_no_leak(&plant, &format!("{path} --format {format}"), &out);
        }
    }
}

#[test]
fn no_secret_from_standard_input() {
    let plant = plant();
    for (path, body) in &plant.files {
        let mut child = spslint()
            .args(["check", "--stdin-filename", path, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(body.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert_no_leak(&plant, &format!("stdin as {path}"), &out);
    }
}

#[test]
fn no_secret_in_diff_or_fix_output() {
    let help =
        String::from_utf8(spslint().args(["check", "--help"]).output().unwrap().stdout).unwrap();
    let plant = plant();
    for flag in ["--diff", "--fix"] {
        if !help.contains(flag) {
            eprintln!("{flag} is not implemented: skipped");
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        plant.write(dir.path());
        for format in ["human", "json"] {
            let out = spslint()
                .current_dir(dir.path())
                .args(["check", flag, "--format", format, "api"])
                .output()
                .unwrap();
            assert_no_leak(&plant, &format!("{flag} --format {format}"), &out);
        }
    }
}

// ============================================================================ one-character edits

#[path = "common/secret_edits.rs"]
mod secret_edits;

use secret_edits::Edit;

fn edit() -> impl proptest::strategy::Strategy<Value = Edit> {
    use proptest::prelude::*;
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), prop::sample::select(secret_edits::INSERTED))
            .prop_map(|(i, c)| Edit::Insert(i, c)),
    ]
}

#[test]
fn the_edited_bodies_are_valid_and_their_secrets_not_shown() {
    // The starting point of the property: valid bodies whose secrets are all masked.
    let (bodies, secrets) = secret_edits::bodies();
    for (path, body) in &bodies {
        serde_json::from_str::<serde_json::Value>(body).unwrap();
        let out = secret_edits::rendered(path, body);
        assert_eq!(secret_edits::leak(&secrets, &out), None, "{out}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..Default::default()
    })]

    /// See `common/secret_edits.rs`: one character deleted, or a quote, colon, comma, brace,
    /// bracket, line break or space inserted, anywhere: no secret in the human, short or json
    /// output.
    #[test]
    fn one_character_edits_never_reveal_a_secret(which in 0..6usize, e in edit()) {
        if let Err(m) = secret_edits::check(which, &e) {
            proptest::prop_assert!(false, "{}", m);
        }
    }
}
