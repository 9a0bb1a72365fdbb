//! Shared by the local user database rules (UDB001 to UDB004): where the users and their public
//! keys are in a body, and what a public key value holds. Not a rule itself.
//!
//! The OpenSSH public key format is parsed by the RustCrypto `ssh-key` crate; this module only
//! recognises, before and after it, the things people paste instead (a private key, a PEM
//! block, a certificate, ...), so a finding can say what was found. It never returns any part of
//! the value's text: a private key pasted here must not reach a message.

use serde_json::Value;
use ssh_encoding::Decode;
use ssh_encoding::base64::{self, Base64, Encoding};
use ssh_key::{Algorithm, PublicKey};

use crate::endpoint::{Endpoint, id};

/// The endpoint every user database rule applies to.
pub static ENDPOINTS: &[&Endpoint] = &[id::POLICIES_USER_DATABASES];

/// The key type (the first field of the OpenSSH line) each `selection` value stands for. These
/// are the only two key kinds SPS offers for local users.
pub fn wire_type(selection: &str) -> Option<&'static str> {
    match selection {
        "rsa" => Some("ssh-rsa"),
        "dss" => Some("ssh-dss"),
        _ => None,
    }
}

/// The `selection` value for a key type SPS accepts.
pub fn selection_for(key_type: &str) -> Option<&'static str> {
    match key_type {
        "ssh-rsa" => Some("rsa"),
        "ssh-dss" => Some("dss"),
        _ => None,
    }
}

/// A key type in words, for messages: "an Ed25519 key (ssh-ed25519)".
pub fn describe_type(key_type: &str) -> String {
    let kind = match key_type {
        "ssh-rsa" => "an RSA key",
        "ssh-dss" => "a DSA key",
        "ssh-ed25519" => "an Ed25519 key",
        t if t.starts_with("ecdsa-sha2-") => "an ECDSA key",
        t if t.starts_with("sk-") => "a FIDO security key",
        _ => "a key",
    };
    format!("{kind} ({key_type})")
}

/// One entry of `users[].public_keys[]` whose `value` is a string.
pub struct KeyEntry<'v> {
    pub user: usize,
    pub index: usize,
    /// `selection`, when it is a string (whatever its value: the schema judges it).
    pub selection: Option<&'v str>,
    pub value: &'v str,
}

impl KeyEntry<'_> {
    /// Pointer (relative to the body) of a field of this entry: `selection` or `value`.
    pub fn pointer(&self, field: &str) -> String {
        format!("/users/{}/public_keys/{}/{field}", self.user, self.index)
    }
}

/// The users of the body, with their index; nothing when `users` is not a list.
pub fn users(body: &Value) -> impl Iterator<Item = (usize, &Value)> {
    body.get("users")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// Every public key entry of every user with a string `value`. Other shapes are the schema's to
/// report.
pub fn public_keys(body: &Value) -> impl Iterator<Item = KeyEntry<'_>> {
    users(body).flat_map(|(user, u)| {
        u.get("public_keys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(move |(index, k)| {
                Some(KeyEntry {
                    user,
                    index,
                    selection: k.get("selection").and_then(Value::as_str),
                    value: k.get("value")?.as_str()?,
                })
            })
    })
}

/// What a public key value holds instead of an OpenSSH public key. Every variant names only
/// key types and PEM labels, never any of the value's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    /// A private key in any form: PEM (`... PRIVATE KEY`), OpenSSH, PuTTY, or the base64 of an
    /// OpenSSH private key without its armour.
    PrivateKey,
    /// A PEM X.509 certificate.
    X509Certificate,
    /// A PEM public key (`PUBLIC KEY`, `RSA PUBLIC KEY`): the right key, the wrong format.
    PemPublicKey,
    /// The SSH2 public key file format of RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`).
    Ssh2PublicKey,
    /// Another PEM block, with its label (empty when it is not printable, see `pem_label`).
    OtherPem(String),
    /// Several non-empty lines: several keys, or one key wrapped.
    SeveralLines(usize),
    /// authorized_keys options (`from="..."`, `no-pty`) before the key type.
    Options,
    /// An OpenSSH certificate (`*-cert-v01@openssh.com`).
    OpenSshCertificate(String),
    /// The base64 of a public key of this type, without the type in front.
    MissingType(String),
    /// A known key type and nothing after it.
    MissingData(String),
    /// The key data is not base64: a character base64 does not use.
    Base64Characters,
    /// The key data is not a whole number of base64 groups: cut short (or padding lost).
    Base64Truncated,
    /// The first field names one type, the key data another.
    TypeMismatch {
        written: String,
        data: String,
    },
    /// The key data ends before the key's fields do.
    Truncated(String),
    /// Bytes after the key inside the key data.
    TrailingData(String),
    /// The key data of this type cannot be read (a bad field inside).
    Damaged(String),
    /// The base64 after the type does not start with a key type: not SSH key data.
    NotKeyData,
    /// Nothing recognisable.
    Unknown,
}

const FORMAT: &str = "one line `<type> <base64> [comment]`, as in a .pub file";

impl Problem {
    /// What the value holds, completing "the public key value ...", and a help line.
    pub fn describe(&self) -> (String, String) {
        let paste_again = format!("paste the user's public key again, whole: {FORMAT}");
        match self {
            Problem::Empty => (
                "is empty".into(),
                format!("paste the user's public key ({FORMAT}), or remove the entry"),
            ),
            Problem::PrivateKey => (
                "holds a private key, not a public key (its content is not shown)".into(),
                "paste the public key instead (the .pub file, or what `ssh-keygen -y -f KEYFILE` prints); remove the private key from this file and from the repository's history, and consider it compromised".into(),
            ),
            Problem::X509Certificate => (
                "holds an X.509 certificate, not an SSH public key".into(),
                format!(
                    "a user's certificates belong in `certificates`; here paste an OpenSSH public key ({FORMAT})"
                ),
            ),
            Problem::PemPublicKey => (
                "holds a PEM public key (-----BEGIN PUBLIC KEY-----), not the OpenSSH format".into(),
                "convert it with `ssh-keygen -i -m PKCS8 -f KEY.pem` (`-m PEM` for an RSA PUBLIC KEY block) and paste the line it prints".into(),
            ),
            Problem::Ssh2PublicKey => (
                "holds a key in the SSH2 file format (---- BEGIN SSH2 PUBLIC KEY ----), not the OpenSSH format".into(),
                "convert it with `ssh-keygen -i -f KEY.pub` and paste the one line it prints".into(),
            ),
            Problem::OtherPem(label) if label.is_empty() => (
                "holds a PEM block, not an SSH public key".into(),
                format!("paste an OpenSSH public key ({FORMAT})"),
            ),
            Problem::OtherPem(label) => (
                format!("holds a PEM \"{label}\" block, not an SSH public key"),
                format!("paste an OpenSSH public key ({FORMAT})"),
            ),
            Problem::SeveralLines(n) => (
                format!("holds {n} lines; an entry holds one public key on one line"),
                "give each key its own `public_keys` entry, and join a key that was wrapped back onto one line".into(),
            ),
            Problem::Options => (
                "starts with authorized_keys options before the key type".into(),
                "remove the options (such as from=\"...\" or no-pty): SPS takes only `<type> <base64> [comment]`".into(),
            ),
            Problem::OpenSshCertificate(t) => (
                format!("holds an OpenSSH certificate ({t}), not a plain public key"),
                "paste the user's public key (the .pub file, not the -cert.pub file)".into(),
            ),
            Problem::MissingType(t) => (
                format!("holds the base64 of {} without the key type in front", describe_type(t)),
                format!("write the type first: `{t} AAAA... [comment]`"),
            ),
            Problem::MissingData(t) => (
                format!("has the key type {t} but no key data after it"),
                paste_again,
            ),
            Problem::Base64Characters => (
                "has key data that is not base64 (a character base64 does not use)".into(),
                paste_again,
            ),
            Problem::Base64Truncated => (
                "has truncated key data: its base64 stops in the middle of a 4-character group".into(),
                paste_again,
            ),
            Problem::TypeMismatch { written, data } => (
                format!("says {written}, but its key data holds {}", describe_type(data)),
                "paste the .pub file's line unchanged: the type written first must be the one inside the key data".into(),
            ),
            Problem::Truncated(t) => (
                format!("has truncated key data: the {t} key ends before all its fields"),
                paste_again,
            ),
            Problem::TrailingData(t) => (
                format!("has extra data after the {t} key inside its base64"),
                paste_again,
            ),
            Problem::Damaged(t) => (
                format!("has {t} key data that cannot be read"),
                paste_again,
            ),
            Problem::NotKeyData => (
                "has base64 after the key type that is not SSH key data".into(),
                paste_again,
            ),
            Problem::Unknown => (
                "is not an OpenSSH public key".into(),
                format!("paste the user's public key: {FORMAT}"),
            ),
        }
    }
}

/// `openssh-key-v1`, the start of an OpenSSH private key, in base64.
const OPENSSH_PRIVATE_BASE64: &str = "b3BlbnNzaC1rZXktdjE";
const CERT_SUFFIX: &str = "-cert-v01@openssh.com";

/// The label of the first `-----BEGIN <label>-----` line, if there is one: `Some("")` when the
/// line is broken or the label is not one a PEM writer makes (capitals, digits and spaces).
/// Only such a label is ever printed: the text after a broken BEGIN line may be anything.
fn pem_label(text: &str) -> Option<&str> {
    const BEGIN: &str = "-----BEGIN ";
    let rest = &text[text.find(BEGIN)? + BEGIN.len()..];
    let line = rest.lines().next().unwrap_or_default();
    let label = match line.find("-----") {
        Some(end) => line[..end].trim(),
        None => "",
    };
    let printable = label.len() <= 64
        && label
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ');
    Some(if printable { label } else { "" })
}

/// Whether `word` is a key type this crate knows by name (not merely a `name@domain` form).
fn known_type(word: &str) -> bool {
    matches!(Algorithm::new(word), Ok(a) if !matches!(a, Algorithm::Other(_)))
}

/// Parse a public key value. `Ok` is a public key as the OpenSSH format defines it (its type
/// may still be one SPS does not accept: that is UDB002's); `Err` says what is there instead.
/// Three rules ask about every key, and one key is often in many files: each distinct text is
/// parsed once per process (keyed by the text itself, as the certificate cache is).
pub fn inspect(value: &str) -> Result<KeyFacts, Problem> {
    type Cache = std::sync::RwLock<
        std::collections::HashMap<Box<str>, Result<KeyFacts, Problem>, foldhash::fast::RandomState>,
    >;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.read().ok().and_then(|m| m.get(value).cloned()) {
        return hit;
    }
    let result = inspect_uncached(value).map(|key| KeyFacts {
        rsa_bits: modulus_bits(&key),
        algorithm: key.algorithm(),
    });
    if let Ok(mut m) = cache.write() {
        m.entry(value.into()).or_insert_with(|| result.clone());
    }
    result
}

fn inspect_uncached(value: &str) -> Result<PublicKey, Problem> {
    let text = value.trim();
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    // The shapes of other files first: they are multi-line and would fail below for a reason
    // that helps nobody.
    // A private key first, in whatever armour (PEM, OpenSSH, SSH2, broken BEGIN lines), PuTTY's
    // file, or the base64 of an OpenSSH private key without its armour.
    if (text.contains("BEGIN ") && text.contains("PRIVATE KEY"))
        || text.starts_with("PuTTY-User-Key-File-")
        || text.starts_with(OPENSSH_PRIVATE_BASE64)
    {
        return Err(Problem::PrivateKey);
    }
    if let Some(label) = pem_label(text) {
        return Err(match label {
            "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => Problem::X509Certificate,
            l if l.ends_with("PUBLIC KEY") => Problem::PemPublicKey,
            l => Problem::OtherPem(l.to_string()),
        });
    }
    if text.contains("BEGIN SSH2 PUBLIC KEY") {
        return Err(Problem::Ssh2PublicKey);
    }
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    if lines > 1 {
        return Err(Problem::SeveralLines(lines));
    }
    let mut fields = text.split_ascii_whitespace();
    let first = fields.next().unwrap_or_default();
    if first.ends_with(CERT_SUFFIX) {
        return Err(match Algorithm::new_certificate(first) {
            Ok(_) => Problem::OpenSshCertificate(first.to_string()),
            Err(_) => Problem::Unknown,
        });
    }
    if !known_type(first) {
        // A `name@domain` type the crate does not know may still be a well-formed key.
        if first.contains('@')
            && let Ok(key) = PublicKey::from_openssh(text)
        {
            return Ok(key);
        }
        if let Ok(bytes) = Base64::decode_vec(first)
            && let Ok(key) = PublicKey::from_bytes(&bytes)
        {
            return Err(Problem::MissingType(key.algorithm().as_str().to_string()));
        }
        if fields.any(known_type) {
            return Err(Problem::Options);
        }
        return Err(Problem::Unknown);
    }
    let Some(data) = fields.next() else {
        return Err(Problem::MissingData(first.to_string()));
    };
    match PublicKey::from_openssh(text) {
        Ok(key) => Ok(key),
        Err(_) => Err(diagnose(first, data)),
    }
}

/// Why a line with a known type and some key data did not parse.
fn diagnose(written: &str, data: &str) -> Problem {
    let bytes = match Base64::decode_vec(data) {
        Ok(b) => b,
        Err(base64::Error::InvalidLength) => return Problem::Base64Truncated,
        Err(base64::Error::InvalidEncoding) => {
            let alphabet = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
            return if data.bytes().all(alphabet) && !data.len().is_multiple_of(4) {
                Problem::Base64Truncated
            } else {
                Problem::Base64Characters
            };
        }
    };
    let mut reader: &[u8] = &bytes;
    let Ok(inside) = Algorithm::decode(&mut reader) else {
        return Problem::NotKeyData;
    };
    if inside.as_str() != written {
        return Problem::TypeMismatch {
            written: written.to_string(),
            data: inside.as_str().to_string(),
        };
    }
    // The error of the text parser comes from its base64 reader; the same bytes read from a
    // slice say what is wrong with the key itself.
    let t = written.to_string();
    match PublicKey::from_bytes(&bytes) {
        Err(ssh_key::Error::Encoding(ssh_encoding::Error::Length)) => Problem::Truncated(t),
        Err(
            ssh_key::Error::TrailingData { .. }
            | ssh_key::Error::Encoding(ssh_encoding::Error::TrailingData { .. }),
        ) => Problem::TrailingData(t),
        _ => Problem::Damaged(t),
    }
}

/// What the rules ask of a public key, kept instead of the key: each rule's lookup copies it,
/// and a copy of the key would copy its whole modulus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFacts {
    algorithm: Algorithm,
    rsa_bits: Option<usize>,
}

impl KeyFacts {
    pub fn algorithm(&self) -> &Algorithm {
        &self.algorithm
    }
}

/// The size in bits of an RSA key's modulus; `None` for other keys.
pub fn rsa_bits(key: &KeyFacts) -> Option<usize> {
    key.rsa_bits
}

fn modulus_bits(key: &PublicKey) -> Option<usize> {
    let n = key.key_data().rsa()?.n.as_positive_bytes()?;
    let first = *n.first()?;
    Some((n.len() - 1) * 8 + (8 - first.leading_zeros() as usize))
}

/// Public keys generated for the tests with `ssh-keygen` (see fixtures/keys/generate.sh).
#[cfg(test)]
pub mod keys {
    pub const RSA_1024: &str = include_str!("../../../fixtures/keys/rsa-1024.pub");
    pub const RSA_3072: &str = include_str!("../../../fixtures/keys/rsa-3072.pub");
    pub const DSA: &str = include_str!("../../../fixtures/keys/dsa.pub");
    pub const ED25519: &str = include_str!("../../../fixtures/keys/ed25519.pub");
    pub const ECDSA_P256: &str = include_str!("../../../fixtures/keys/ecdsa-p256.pub");
    pub const ED25519_CERT: &str = include_str!("../../../fixtures/keys/ed25519-cert.pub");
    pub const RSA_3072_SSH2: &str = include_str!("../../../fixtures/keys/rsa-3072.ssh2.pub");
    pub const RSA_3072_PKCS8: &str = include_str!("../../../fixtures/keys/rsa-3072.pkcs8.pem");
    /// A throwaway private key, the one pasted in the fixtures.
    pub const PRIVATE_ED25519: &str = include_str!("../../../fixtures/keys/pasted-private-ed25519");
    /// The PKCS#8 private key of the certificate fixtures.
    pub const PRIVATE_PKCS8: &str = include_str!("../../../fixtures/certs/key.pem");

    /// A user database body with one key entry.
    pub fn body(selection: &str, value: &str) -> String {
        serde_json::json!({
            "name": "db",
            "users": [{
                "certificates": [],
                "passwords": [],
                "public_keys": [{"selection": selection, "value": value}],
                "username": "alice"
            }]
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::keys::*;
    use super::*;

    fn problem(value: &str) -> Problem {
        inspect(value).expect_err(value)
    }

    #[test]
    fn generated_keys_parse_with_their_type_and_size() {
        for (k, t) in [
            (RSA_1024, "ssh-rsa"),
            (RSA_3072, "ssh-rsa"),
            (DSA, "ssh-dss"),
            (ED25519, "ssh-ed25519"),
            (ECDSA_P256, "ecdsa-sha2-nistp256"),
        ] {
            let key = inspect(k).unwrap_or_else(|p| panic!("{k}: {p:?}"));
            assert_eq!(key.algorithm().as_str(), t);
        }
        assert_eq!(rsa_bits(&inspect(RSA_1024).unwrap()), Some(1024));
        assert_eq!(rsa_bits(&inspect(RSA_3072).unwrap()), Some(3072));
        assert_eq!(rsa_bits(&inspect(ED25519).unwrap()), None);
        // Without a comment, and with spaces around: still a key.
        let bare: Vec<&str> = RSA_3072.split_whitespace().take(2).collect();
        assert!(inspect(&bare.join(" ")).is_ok());
        assert!(inspect(&format!("  {}\n", bare.join(" "))).is_ok());
    }

    #[test]
    fn says_what_was_pasted_instead() {
        assert_eq!(problem(""), Problem::Empty);
        assert_eq!(problem(" \n "), Problem::Empty);
        assert_eq!(problem(PRIVATE_ED25519), Problem::PrivateKey);
        assert_eq!(problem(PRIVATE_PKCS8), Problem::PrivateKey);
        // The OpenSSH private key's base64 without its BEGIN/END lines.
        let bare: String = PRIVATE_ED25519
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(problem(&bare), Problem::PrivateKey);
        assert_eq!(
            problem("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none"),
            Problem::PrivateKey
        );
        let ca = include_str!("../../../fixtures/certs/ca-valid-2099.pem");
        assert_eq!(problem(ca), Problem::X509Certificate);
        assert_eq!(problem(RSA_3072_PKCS8), Problem::PemPublicKey);
        assert_eq!(problem(RSA_3072_SSH2), Problem::Ssh2PublicKey);
        let csr = include_str!("../../../fixtures/certs/request.csr.pem");
        assert_eq!(
            problem(csr),
            Problem::OtherPem("CERTIFICATE REQUEST".into())
        );
        assert_eq!(
            problem(&format!("{RSA_3072}{ED25519}")),
            Problem::SeveralLines(2)
        );
        assert_eq!(
            problem(&format!("from=\"10.0.0.0/8\",no-pty {RSA_3072}")),
            Problem::Options
        );
        assert_eq!(
            problem(ED25519_CERT),
            Problem::OpenSshCertificate("ssh-ed25519-cert-v01@openssh.com".into())
        );
        let base64 = RSA_3072.split_whitespace().nth(1).unwrap();
        assert_eq!(problem(base64), Problem::MissingType("ssh-rsa".into()));
        assert_eq!(problem("ssh-rsa"), Problem::MissingData("ssh-rsa".into()));
        assert_eq!(problem("<public-key>"), Problem::Unknown);
        assert_eq!(problem("hunter2"), Problem::Unknown);
        assert_eq!(problem("alice@example.com"), Problem::Unknown);
    }

    #[test]
    fn damaged_key_data_is_told_apart() {
        let (t, data) = {
            let mut f = RSA_3072.split_whitespace();
            (f.next().unwrap(), f.next().unwrap())
        };
        // Cut in the middle of a base64 group, and at a group boundary (the key ends early).
        assert_eq!(
            problem(&format!("{t} {}", &data[..data.len() - 3])),
            Problem::Base64Truncated
        );
        assert_eq!(
            problem(&format!("{t} {}", &data[..data.len() - 100])),
            Problem::Truncated("ssh-rsa".into())
        );
        assert_eq!(
            problem(&format!("{t} {}*{}", &data[..10], &data[11..])),
            Problem::Base64Characters
        );
        // The type written and the type inside disagree.
        let ed = ED25519.split_whitespace().nth(1).unwrap();
        assert_eq!(
            problem(&format!("ssh-rsa {ed}")),
            Problem::TypeMismatch {
                written: "ssh-rsa".into(),
                data: "ssh-ed25519".into()
            }
        );
        // Whole key data with more after it, and a field that cannot be what it says.
        let mut bytes = Base64::decode_vec(data).unwrap();
        bytes.extend_from_slice(&[0, 0, 0, 1, 0]);
        assert_eq!(
            problem(&format!("{t} {}", Base64::encode_string(&bytes))),
            Problem::TrailingData("ssh-rsa".into())
        );
        let (t, data) = {
            let mut f = ECDSA_P256.split_whitespace();
            (f.next().unwrap(), f.next().unwrap())
        };
        let mut bytes = Base64::decode_vec(data).unwrap();
        let point = bytes.len() - 65; // The uncompressed point: 0x04, then x and y.
        assert_eq!(bytes[point], 4);
        bytes[point] = 7;
        assert_eq!(
            problem(&format!("{t} {}", Base64::encode_string(&bytes))),
            Problem::Damaged("ecdsa-sha2-nistp256".into())
        );
        // Base64 that is not SSH key data at all.
        assert_eq!(problem("ssh-rsa aGVsbG8gd29ybGQ="), Problem::NotKeyData);
    }

    #[test]
    fn no_description_contains_the_value() {
        let secret_lines: Vec<&str> = PRIVATE_ED25519
            .lines()
            .chain(PRIVATE_PKCS8.lines())
            .filter(|l| !l.starts_with("-----"))
            .collect();
        for value in [PRIVATE_ED25519, PRIVATE_PKCS8] {
            let (what, help) = problem(value).describe();
            for l in &secret_lines {
                assert!(!what.contains(l) && !help.contains(l), "{l}");
            }
        }
        // A broken BEGIN line: no label is printed, the text after it may be anything.
        assert_eq!(
            problem("-----BEGIN FOO S3CR3T"),
            Problem::OtherPem(String::new())
        );
        assert_eq!(
            problem("-----BEGIN foo s3cr3t-----"),
            Problem::OtherPem(String::new())
        );
        assert_eq!(
            problem("-----BEGIN OPENSSH PRIVATE KEY"),
            Problem::PrivateKey
        );
    }
}
