//! Bodies with a secret in each kind of secret place, edited one character at a time, and the
//! check that no secret reaches the output. Shared by `tests/secrets.rs` (a property test, in
//! CI) and the fuzz target `fuzz/fuzz_targets/lint.rs` (the same check, coverage-guided).
//!
//! Deleting any character, or inserting a quote, colon, comma, brace, bracket, line break or
//! space anywhere, leaves a body either broken (every value masked) or with its secrets where
//! they were (masked by the schema): a secret is never shown. (Several edits could move a
//! secret's text into a name, where showing it is right; one cannot.)

use spslint::render::{self, Format, RenderOptions};

/// The test private key (fixtures/certs/key.pem).
const KEY_PEM: &str = include_str!("../../fixtures/certs/key.pem");

/// The characters an edit inserts.
pub const INSERTED: &[char] = &['"', ':', ',', '{', '}', '[', ']', '\n', '\'', ' '];

/// Valid bodies as `(path, body)`, and the secrets. The secrets are fixed strings no message
/// contains: any 8 characters of one in an output are a leak; of the private key, its data
/// lines but the first (which encodes only the structure and the algorithm, as in every RSA
/// certificate), any 16.
pub fn bodies() -> (Vec<(&'static str, String)>, Vec<String>) {
    let s = |n: usize| format!("Wq7Zk9Lm{n}Xp2Rt8Vy");
    // As a JSON string: the PEM holds letters, digits, `+/=-`, spaces and line breaks only.
    let pem = format!("\"{}\"", KEY_PEM.replace('\n', "\\n"));
    let bodies = vec![
        (
            "x/api/configuration/passwords/k.json",
            format!("{{\n  \"plain\": \"{}\"\n}}\n", s(1)),
        ),
        (
            "x/api/configuration/management/snmp/trap.json",
            format!(
                "{{\"enabled\": true, \"version\": {{\"selection\": \"2c\", \"value\": {{\"community\": \"{}\", \"server\": {{\"selection\": \"ip\", \"value\": \"192.0.2.1\"}}}}}}}}",
                s(2)
            ),
        ),
        (
            "x/api/configuration/management/snmp/trap.json",
            format!(
                "{{\n  \"enabled\": true,\n  \"version\": {{\n    \"selection\": \"3\",\n    \"value\": {{\n      \"auth_method\": \"sha1\",\n      \"auth_password\": \"{}\",\n      \"encryption_method\": \"aes\",\n      \"encryption_password\": \"{}\",\n      \"engine_id\": \"0x80001F8880C71100000000\",\n      \"server\": {{\"selection\": \"ip\", \"value\": \"192.0.2.1\"}},\n      \"username\": \"sps\"\n    }}\n  }}\n}}\n",
                s(3),
                s(4)
            ),
        ),
        (
            "x/api/configuration/management/email.json",
            format!(
                "{{\"admin_address\": \"a@example.com\", \"alerting_address\": \"b@example.com\", \"reporting_address\": \"c@example.com\", \"sender_address\": null,\n \"smtp_auth\": {{\"enabled\": true, \"password\": \"{}\", \"username\": \"mailer\"}},\n \"smtp_encryption\": {{\"selection\": \"disabled\"}}, \"smtp_server\": {{\"selection\": \"ip\", \"value\": \"192.0.2.25\"}}}}",
                s(5)
            ),
        ),
        (
            "x/api/configuration/policies/user_databases/db.json",
            format!(
                "{{\"name\": \"db\", \"users\": [{{\"certificates\": [{pem}], \"passwords\": [\"{}\"], \"public_keys\": [], \"username\": \"u\"}}]}}",
                s(6)
            ),
        ),
        (
            "x/api/configuration/ssh/authentication_policies/radius.json",
            format!(
                "{{\"backend\": {{\"authentication_protocol\": \"pap\", \"selection\": \"radius\", \"servers\": [{{\"address\": {{\"selection\": \"ip\", \"value\": \"192.0.2.5\"}}, \"port\": 1812, \"shared_secret\": \"{}\"}}]}}, \"gateway_methods\": {{\"kerberos\": false, \"password\": false, \"public_key\": false}}, \"name\": \"radius\", \"relayed_methods\": {{\"kerberos\": false, \"keyboard_interactive\": true, \"password\": true, \"public_key\": {{\"selection\": \"agent\"}}}}}}",
                s(7)
            ),
        ),
    ];
    let mut secrets: Vec<String> = (1..=7).map(s).collect();
    secrets.extend(
        KEY_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .skip(1)
            .map(str::to_string),
    );
    (bodies, secrets)
}

#[derive(Debug, Clone)]
pub enum Edit {
    Delete(usize),
    Insert(usize, char),
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The text with the edit applied; positions wrap around the text's length.
pub fn apply(text: &str, e: &Edit) -> String {
    let mut s = text.to_string();
    match *e {
        Edit::Delete(i) => {
            s.remove(floor_boundary(text, i % text.len()));
        }
        Edit::Insert(i, c) => s.insert(floor_boundary(text, i % (text.len() + 1)), c),
    }
    s
}

/// The human, short and json output for one file, as one string.
pub fn rendered(path: &str, text: &str) -> String {
    let report = spslint::RunReport {
        files: vec![spslint::lint_bytes(
            path,
            text.as_bytes(),
            &spslint::Settings::default(),
        )],
        ..Default::default()
    };
    let mut out = Vec::new();
    for format in [Format::Human, Format::Short, Format::Json] {
        render::render(&report, format, &RenderOptions::default(), &mut out).unwrap();
    }
    String::from_utf8(out).unwrap()
}

/// The first secret shown in `text`, in part or whole.
pub fn leak<'a>(secrets: &'a [String], text: &str) -> Option<&'a str> {
    secrets
        .iter()
        .find(|s| {
            let c: Vec<char> = s.chars().collect();
            let n = if c.len() > 20 { 16 } else { 8 };
            c.windows(n)
                .any(|w| text.contains(&w.iter().collect::<String>()))
        })
        .map(String::as_str)
}

/// Edit body `which` (modulo the number of bodies) and check its output: `Err` describes a
/// leak.
pub fn check(which: usize, e: &Edit) -> Result<(), String> {
    let (bodies, secrets) = bodies();
    let (path, body) = &bodies[which % bodies.len()];
    let text = apply(body, e);
    let out = rendered(path, &text);
    match leak(&secrets, &out) {
        Some(s) => Err(format!("{e:?} on {path}: secret {s} shown\n{text}\n{out}")),
        None => Ok(()),
    }
}
