//! Which values may be shown. Secrets (passwords, communities, shared secrets, private keys)
//! never appear in any output: messages describe them without their text, and the human
//! snippet and `--diff` show the source through [`display_text`].
//!
//! The rule is an allow-list. A value's text is shown only when the endpoint's schema declares
//! its place and marks neither it nor anything above it secret (`"x-spslint-secret": true`),
//! it is not a reference to a collection that holds secrets (a password
//! pasted where a password's key belongs), no key on its way looks like a secret's name (the
//! second net, [`looks_secret_key`]), and it holds no private key. Everything else is masked:
//! values under unknown keys, anything in a file that does not parse, anything spslint cannot
//! place. Masking replaces every byte but line breaks by `*`, so byte offsets, lengths and
//! lines still match the file.

use std::collections::HashMap;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use serde_json::Value;

use crate::diagnostic::pointer_tokens;
use crate::endpoint::{Endpoint, PerEndpoint};

/// Keys whose values are secrets, or may be when a user pastes the secret where a reference
/// key belongs (`"password": "hunter2"`).
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "plain"
        || k == "community"
        || k.contains("password")
        || k.contains("secret")
        || k.contains("private_key")
        || k.contains("passphrase")
}

/// Whether the value at a pointer lies under a secret key (`/smtp_auth/password/plain`,
/// `/users/0/passwords/1`).
pub fn is_secret_pointer(pointer: &str) -> bool {
    pointer_tokens(pointer).any(|t| is_secret_key(&t))
}

/// Words that make a key secret when a key contains one, spelled right or nearly.
const SECRET_WORDS: &[&str] = &[
    "plain",
    "community",
    "password",
    "passwords",
    "passwd",
    "secret",
    "passphrase",
    "private",
];

/// `is_secret_key`, or a key with a word one typo away from a secret word (`comunity`,
/// `plian`, `auth_pasword`): for masking only, where masking too much costs nothing.
pub fn looks_secret_key(key: &str) -> bool {
    is_secret_key(key)
        || key
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 4)
            .any(|w| {
                let w = w.to_ascii_lowercase();
                SECRET_WORDS
                    .iter()
                    .any(|s| strsim::osa_distance(&w, s) <= 1)
            })
}

/// Whether a text holds a private key (a PEM block of any `... PRIVATE KEY` kind): never shown,
/// whatever field it is in. The separator may be any one character, for texts a rule made
/// from the value (a name's suggested spelling with `-` or `_` for spaces).
pub fn holds_private_key(text: &str) -> bool {
    text.match_indices("PRIVATE")
        .any(|(i, _)| text.as_bytes().get(i + 8..i + 11) == Some(b"KEY"))
}

// ---------------------------------------------------------------------------------------------
// What the schema says about each place of a body.

/// The schema of one place of a body, reduced to what masking needs. The variants of an object
/// (`if`/`then`) are merged: a key any variant declares is declared.
#[derive(Debug, Default)]
pub struct Shape {
    props: HashMap<String, Shape>,
    items: Option<Box<Shape>>,
    /// Marked secret in the schema.
    secret: bool,
    /// A reference to a collection whose objects hold secrets (`passwords`): the field should
    /// hold a key, but a user may paste the password itself.
    secret_ref: bool,
    /// A reference: in a saved response it is an embedded `{"key", "meta"}` object.
    reference: bool,
    /// Declared a boolean only: a switch (`allow_password_auth`), which cannot hold a secret.
    switch: bool,
}

/// The shape of an endpoint's bodies, built from its schema on first use.
pub fn shape(endpoint: &Endpoint) -> &'static Shape {
    static SHAPES: PerEndpoint<Shape> = PerEndpoint::new();
    SHAPES.get_or_init(endpoint, || {
        let schema = endpoint.schema_json();
        let mut shape = Shape::default();
        build(schema, schema, &mut shape, 0);
        shape
    })
}

fn marked_secret(node: &Value) -> bool {
    node.get("x-spslint-secret") == Some(&Value::Bool(true))
}

fn build(root: &Value, node: &Value, into: &mut Shape, depth: usize) {
    // Our schemas are a few levels deep and not recursive; the bound only guards the walk.
    if depth > 64 {
        return;
    }
    into.secret |= marked_secret(node);
    into.switch |= node.get("type").and_then(Value::as_str) == Some("boolean");
    if let Some(c) = node.get("x-spslint-ref").and_then(Value::as_str) {
        into.reference = true;
        into.secret_ref |= collection_holds_secrets(c);
    }
    if let Some(target) = crate::endpoint::follow_ref(root, node) {
        build(root, target, into, depth + 1);
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            build(root, v, into.props.entry(k.clone()).or_default(), depth + 1);
        }
    }
    if let Some(items) = node.get("items") {
        build(
            root,
            items,
            into.items.get_or_insert_with(Default::default),
            depth + 1,
        );
    }
    for k in ["then", "else"] {
        if let Some(sub) = node.get(k) {
            build(root, sub, into, depth + 1);
        }
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        for sub in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            build(root, sub, into, depth + 1);
        }
    }
}

/// Whether the objects of a collection (below /api/configuration) hold a field marked secret.
fn collection_holds_secrets(collection: &str) -> bool {
    fn any_secret(v: &Value) -> bool {
        match v {
            Value::Object(m) => marked_secret(v) || m.values().any(any_secret),
            Value::Array(a) => a.iter().any(any_secret),
            _ => false,
        }
    }
    crate::endpoint::by_name(collection).is_some_and(|e| any_secret(e.schema_json()))
}

/// Where a walk through a body stands.
#[derive(Clone, Copy)]
enum Place<'s> {
    /// A place the schema declares.
    Declared(&'s Shape),
    /// A saved response's `key` and `meta`, or an embedded reference's `meta`: keys and links
    /// (hrefs) SPS wrote, shown whole.
    Links,
    /// A place spslint knows nothing about.
    Unknown,
}

impl<'s> Place<'s> {
    fn child(self, key: &str) -> Place<'s> {
        match self {
            Place::Declared(s) => match s.props.get(key) {
                Some(c) => Place::Declared(c),
                // A saved response shows a reference as `{"key": ..., "meta": {"href": ...}}`.
                None if s.reference && key == "key" => Place::Declared(s),
                None if s.reference && key == "meta" => Place::Links,
                None => Place::Unknown,
            },
            Place::Links => Place::Links,
            Place::Unknown => Place::Unknown,
        }
    }

    fn item(self) -> Place<'s> {
        match self {
            Place::Declared(s) => s.items.as_deref().map_or(Place::Unknown, Place::Declared),
            Place::Links => Place::Links,
            Place::Unknown => Place::Unknown,
        }
    }

    /// Whether values here are hidden, whatever lies above.
    fn hides(self) -> bool {
        match self {
            Place::Declared(s) => s.secret || s.secret_ref,
            Place::Links => false,
            Place::Unknown => true,
        }
    }
}

/// Whether a message may not quote `value`, found at `pointer` (relative to the body) in a body
/// of `endpoint`: the same rule as the snippet's.
pub fn hidden_in_messages(endpoint: &Endpoint, pointer: &str, value: &Value) -> bool {
    hidden_at(endpoint, pointer) || value_holds_private_key(value)
}

/// Whether the value at `pointer` in a body of `endpoint` is hidden by its place alone (a
/// secret field, an undeclared key, a key named like a secret), whatever it holds.
pub fn hidden_at(endpoint: &Endpoint, pointer: &str) -> bool {
    let mut place = Place::Declared(shape(endpoint));
    let mut hidden = false;
    for token in pointer_tokens(pointer) {
        place = match place {
            Place::Declared(s) if s.items.is_some() && token.parse::<usize>().is_ok() => {
                place.item()
            }
            _ => place.child(&token),
        };
        hidden |= place.hides() || looks_secret_key(&token);
    }
    hidden
}

/// Whether a string anywhere in `value` holds private key data.
pub fn value_holds_private_key(value: &Value) -> bool {
    match value {
        Value::String(s) => holds_private_key(s),
        Value::Array(a) => a.iter().any(value_holds_private_key),
        Value::Object(m) => m.values().any(value_holds_private_key),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The text shown in snippets and diffs.

/// The source text as snippets and diffs may show it: every value that is not known to be
/// shown replaced by `*`, byte for byte (line breaks kept). `endpoint` is the one the file was
/// linted as; without one, no value is known, so every value is masked. A file that does not
/// parse keeps only its punctuation (see [`mask_unparsed`]).
pub fn display_text(text: &str, endpoint: Option<&Endpoint>) -> String {
    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = text.as_bytes().to_vec();
    let json = &text[offset..];
    // Parsed as SPS would (serde_json, strictly: jsonc-parser alone accepts a raw line break in
    // a string), then for the ranges.
    let strict = serde_json::from_str::<serde::de::IgnoredAny>(json).is_ok();
    match crate::document::parse_ast(json).filter(|_| strict) {
        Some(root) => {
            let place = endpoint.map_or(Place::Unknown, |e| Place::Declared(shape(e)));
            let mut m = Masker {
                out: &mut out,
                offset,
            };
            match response_parts(&root) {
                Some((body, rest)) => {
                    m.walk(body, place, place.hides());
                    for v in rest {
                        m.walk(v, Place::Links, false);
                    }
                }
                None => m.walk(&root, place, place.hides()),
            }
        }
        None => mask_unparsed(text.as_bytes(), &mut out),
    }
    // Only ASCII `*` was written, over every byte of the characters masked: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// A saved GET response (`{"body", "key", "meta"}`): its body, and its `key` and `meta`.
fn response_parts<'a>(
    root: &'a ast::Value<'a>,
) -> Option<(&'a ast::Value<'a>, Vec<&'a ast::Value<'a>>)> {
    let ast::Value::Object(o) = root else {
        return None;
    };
    let names = || o.properties.iter().map(|p| p.name.as_str());
    if !names().any(|n| n == "body") || !names().all(|n| matches!(n, "body" | "key" | "meta")) {
        return None;
    }
    let mut body = None;
    let mut rest = Vec::new();
    for p in &o.properties {
        if p.name.as_str() == "body" {
            body = Some(&p.value);
        } else {
            rest.push(&p.value);
        }
    }
    Some((body?, rest))
}

struct Masker<'o> {
    out: &'o mut [u8],
    /// Where the JSON starts in the text (after a byte-order mark).
    offset: usize,
}

impl Masker<'_> {
    /// Mask `start..end` of the JSON text, line breaks excepted.
    fn mask(&mut self, start: usize, end: usize) {
        for c in &mut self.out[self.offset + start..self.offset + end] {
            if *c != b'\n' && *c != b'\r' {
                *c = b'*';
            }
        }
    }

    fn walk(&mut self, v: &ast::Value<'_>, place: Place<'_>, hidden: bool) {
        match v {
            ast::Value::Object(o) => {
                for p in &o.properties {
                    let name = p.name.as_str();
                    if holds_private_key(name) {
                        let r = p.name.range();
                        self.mask(r.start + 1, r.end.saturating_sub(1).max(r.start + 1));
                    }
                    let child = place.child(name);
                    let hide = hidden || child.hides() || looks_secret_key(name);
                    self.walk(&p.value, child, hide);
                }
            }
            ast::Value::Array(a) => {
                let child = place.item();
                let hide = hidden || child.hides();
                for e in &a.elements {
                    self.walk(e, child, hide);
                }
            }
            ast::Value::StringLit(s) => {
                if hidden || holds_private_key(&s.value) {
                    let r = s.range();
                    // Keep the quotes: the snippet still shows a string of that length.
                    self.mask(r.start + 1, r.end.saturating_sub(1).max(r.start + 1));
                }
            }
            ast::Value::NumberLit(n) => {
                if hidden {
                    let r = n.range();
                    self.mask(r.start, r.end);
                }
            }
            // `true`, `false` and `null` hold no secret.
            ast::Value::BooleanLit(_) | ast::Value::NullKeyword(_) => {}
        }
    }
}

/// Mask a text that does not parse. Whatever a tolerant scan makes of it, no value can be
/// told from keys or garbage, so every byte is masked except JSON's punctuation
/// (`{ } [ ] , : " '`) and whitespace, which keep the syntax error visible. That much holds
/// without any scan; a scan of the strings then also masks the punctuation inside them (a
/// password with a comma), and when it is out of step it only masks more.
pub fn mask_unparsed(b: &[u8], out: &mut [u8]) {
    const KEPT: &[u8] = b"{}[],:\"' \t\r\n";
    for (o, c) in out.iter_mut().zip(b) {
        if !KEPT.contains(c) {
            *o = b'*';
        }
    }
    let mut i = 0;
    while i < b.len() {
        let q = b[i];
        // A quote right after a word closes a string that an earlier line break cut short
        // (`"abc` + newline + `def"`), rather than opening one.
        let after_word = i > 0 && !KEPT.contains(&b[i - 1]);
        if (q != b'"' && q != b'\'') || after_word {
            i += 1;
            continue;
        }
        // A string: up to its closing quote, or to the end of the line (JSON strings cannot
        // span lines).
        i += 1;
        while i < b.len() && b[i] != q && b[i] != b'\n' {
            if b[i] == b'\\' && i + 1 < b.len() && b[i + 1] != b'\n' {
                out[i] = b'*';
                i += 1;
            }
            if b[i] != b'\r' {
                out[i] = b'*';
            }
            i += 1;
        }
        i += 1;
    }
}

/// Hide the data of private keys quoted in a message, help or pointer (the PEM armour lines may
/// stay): every run of 16 or more base64 characters (with JSON's escaped line breaks and a
/// pointer's escaped `/`, `~1`) becomes `…`. Only texts that mention a `PRIVATE KEY` are
/// touched.
pub fn redact_private_keys(text: &mut String) {
    if !holds_private_key(text) {
        return;
    }
    let is_data = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\\' | '~');
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 16 {
            out.push('…');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if is_data(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::by_name;

    #[test]
    fn secret_keys_and_pointers() {
        for k in [
            "password",
            "auth_password",
            "passwords",
            "shared_secret",
            "community",
            "plain",
            "private_key",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in ["username", "key", "enabled", "engine_id"] {
            assert!(!is_secret_key(k), "{k}");
        }
        assert!(is_secret_pointer("/version/value/auth_password/plain"));
        assert!(is_secret_pointer("/users/0/passwords/1"));
        assert!(!is_secret_pointer("/users/0/username"));
        assert!(looks_secret_key("comunity") && looks_secret_key("auth_pasword"));
    }

    fn shown(endpoint: &str, text: &str) -> String {
        let masked = display_text(text, by_name(endpoint));
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.matches('\n').count(), text.matches('\n').count());
        masked
    }

    #[test]
    fn parsed_bodies_show_declared_values_only() {
        let trap = r#"{"enabled": true, "version": {"selection": "2c", "value": {"community": "c1", "server": {"selection": "ip", "value": "192.0.2.1"}, "extra": "x2", "pwd": 12}}}"#;
        assert_eq!(
            shown("management/snmp/trap", trap),
            r#"{"enabled": true, "version": {"selection": "2c", "value": {"community": "**", "server": {"selection": "ip", "value": "192.0.2.1"}, "extra": "**", "pwd": **}}}"#
        );
        // A reference to a password may hold the password itself; one to a time policy is a key.
        let email = r#"{"smtp_auth": {"enabled": true, "password": "pw", "username": "u"}, "smtp_encryption": {"selection": "tls", "client_authentication": {"enabled": true, "x509_identity": "id-1"}}}"#;
        assert_eq!(
            shown("management/email", email),
            r#"{"smtp_auth": {"enabled": true, "password": "**", "username": "u"}, "smtp_encryption": {"selection": "tls", "client_authentication": {"enabled": true, "x509_identity": "id-1"}}}"#
        );
        // Array items, `$ref`s, and a saved response with an embedded reference.
        let udb = r#"{"body": {"name": "db", "users": [{"username": "ann", "passwords": ["k1"], "certificates": ["-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"], "public_keys": [{"selection": "rsa", "value": "ssh-rsa AAAA"}]}]}, "key": "db", "meta": {"href": "/api/configuration/policies/user_databases/db"}}"#;
        let m = shown("policies/user_databases", udb);
        assert!(m.contains(r#""username": "ann""#), "{m}");
        assert!(m.contains(r#""passwords": ["**"]"#), "{m}");
        assert!(!m.contains("PRIVATE") && !m.contains("MIIE"), "{m}");
        assert!(m.contains(r#""value": "ssh-rsa AAAA""#), "{m}");
        assert!(
            m.contains(r#""key": "db""#) && m.contains("user_databases/db"),
            "{m}"
        );
        // A private key pasted as a key.
        let m = shown("passwords", "{\"-----BEGIN PRIVATE KEY-----\\nMIIE\": 1}");
        assert_eq!(m, format!("{{\"{}\": *}}", "*".repeat(33)));
        let rdp = r#"{"rules": [{"allowed_for": {"time_policy": {"key": "-100", "meta": {"href": "/api/configuration/policies/time_policies/-100"}}}}]}"#;
        assert_eq!(shown("rdp/channel_policies", rdp), rdp);
        // Without an endpoint nothing is known: every value is masked.
        assert_eq!(
            display_text(r#"{"name": "n", "n": 1, "b": false}"#, None),
            r#"{"name": "*", "n": *, "b": false}"#
        );
    }

    #[test]
    fn unparsed_texts_keep_punctuation_only() {
        for (text, want) in [
            (r#"{"plain" "S3cret"}"#, r#"{"*****" "******"}"#),
            (r#"{"plain" = "S3cret"}"#, r#"{"*****" * "******"}"#),
            ("{\"plain\": \"S3c\nret2\"}", "{\"*****\": \"***\n****\"}"),
            // An unterminated string earlier on the line.
            (
                "{\"x\": \"a, \"plain\": \"S\"}",
                "{\"*\": \"***\"*****\": \"*\"}",
            ),
            (
                "{\"a\": 1 /* ,\n \"plain\": \"S\"}",
                "{\"*\": * ** ,\n \"*****\": \"*\"}",
            ),
            (
                "{plain: correct horse, 'k': 'a,b'}",
                "{*****: ******* *****, '*': '***'}",
            ),
            ("{\"p\": \"\u{1b}[2J\\\"é\"}", "{\"*\": \"********\"}"),
        ] {
            let mut out = text.as_bytes().to_vec();
            mask_unparsed(text.as_bytes(), &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{text:?}");
            assert_eq!(display_text(text, by_name("passwords")), want, "{text:?}");
        }
        // Whatever the bytes: same length, same lines, no panic.
        for text in [
            "\"",
            "'",
            "{\"plain\"",
            "\\",
            "{\"a\": \"\\",
            "/*",
            "]]}}",
            "\u{0}",
        ] {
            assert_eq!(display_text(text, None).len(), text.len(), "{text:?}");
        }
    }

    #[test]
    fn every_secret_looking_field_of_every_schema_is_masked() {
        // The schemas are the list; the key-name heuristic is only a second net. A field named
        // like a secret is marked secret, refers to a collection of secrets, or is a switch
        // (a boolean, such as the SSH authentication methods or allow_password_auth).
        fn walk(shape: &Shape, path: &str, found: &mut Vec<String>) {
            for (k, child) in &shape.props {
                let p = format!("{path}/{k}");
                let item_ref = child.items.as_ref().is_some_and(|i| i.secret_ref);
                let switch = child.switch;
                if is_secret_key(k) && !(child.secret || child.secret_ref || item_ref || switch) {
                    found.push(p.clone());
                }
                walk(child, &p, found);
            }
            if let Some(items) = &shape.items {
                walk(items, &format!("{path}/*"), found);
            }
        }
        let mut found = Vec::new();
        for e in crate::endpoint::ENDPOINTS {
            walk(shape(e), e.path, &mut found);
        }
        assert!(found.is_empty(), "not masked by the schema: {found:?}");
        // `writeOnly` (SPS never returns the value) implies a secret.
        fn write_only_is_secret(v: &Value) -> bool {
            match v {
                Value::Object(m) => {
                    (m.get("writeOnly") != Some(&Value::Bool(true)) || marked_secret(v))
                        && m.values().all(write_only_is_secret)
                }
                Value::Array(a) => a.iter().all(write_only_is_secret),
                _ => true,
            }
        }
        for e in crate::endpoint::ENDPOINTS {
            assert!(write_only_is_secret(e.schema_json()), "{}", e.path);
        }
        let trap = shape(by_name("management/snmp/trap").unwrap());
        assert!(trap.props["version"].props["value"].props["community"].secret);
    }

    #[test]
    fn messages_follow_the_same_rule() {
        let trap = by_name("management/snmp/trap").unwrap();
        let s = Value::String("x".into());
        assert!(!hidden_in_messages(trap, "/version/value/engine_id", &s));
        assert!(hidden_in_messages(trap, "/version/value/community", &s));
        assert!(hidden_in_messages(trap, "/version/value/auth_password", &s));
        assert!(hidden_in_messages(trap, "/version/value/nope", &s));
        let key = Value::String("-----BEGIN RSA PRIVATE KEY-----".into());
        assert!(hidden_in_messages(trap, "/version/value/engine_id", &key));
        let udb = by_name("policies/user_databases").unwrap();
        assert!(!hidden_in_messages(udb, "/users/0/username", &s));
        assert!(hidden_in_messages(udb, "/users/0/passwords/0", &s));
    }

    #[test]
    fn private_key_data_is_redacted_from_messages() {
        let mut m = "\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nabc…xyzQ==\\n-----END PRIVATE KEY-----\" is not an address".to_string();
        redact_private_keys(&mut m);
        assert!(!m.contains("MIIEvQIBADANBgkq"), "{m}");
        assert!(m.ends_with("is not an address"), "{m}");
        let mut help =
            "rename it to \"-----BEGIN-PRIVATE-KEY------MIIEvQIBADANBgkqhkiG9w0B\"".to_string();
        redact_private_keys(&mut help);
        assert!(!help.contains("MIIEvQIBADANBgkq"), "{help}");
        let mut pointer =
            "/-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBg~1kqhkiG9w0B~1AQEFAA\n".to_string();
        redact_private_keys(&mut pointer);
        assert_eq!(pointer, "/-----BEGIN PRIVATE KEY-----\n…\n");
        let mut plain = "engine ID 0x80001F8880C71100000000 is too long".to_string();
        redact_private_keys(&mut plain);
        assert!(plain.contains("0x80001F8880C71100000000"));
    }
}
