//! The engine: one file's bytes to its report. Strict parse ([`crate::document`]), endpoint,
//! request form, schema ([`crate::schema`]), semantic rules ([`crate::rules`]), selection and
//! suppressions, then locations and fixes for files with findings. No I/O and no lookup of
//! configuration: the caller resolves [`FileSettings`] first.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document;
use crate::endpoint::{self, Endpoint, Kind};
use crate::registry;
use crate::report::{FileReport, Skipped};
use crate::rules::{self, RuleContext};
use crate::schema;
use crate::secrets;
use crate::selection::{Selection, SuppressionUse};
use crate::settings::{FileSettings, Settings};

/// Lint one file's bytes with no configuration. `path` names the file in output and, unless
/// `--endpoint` or a saved response says otherwise, decides its endpoint.
pub fn lint_bytes(path: &str, bytes: &[u8], settings: &Settings) -> FileReport {
    lint_file(
        path.to_string(),
        None,
        bytes,
        settings,
        &FileSettings::plain(settings),
    )
}

/// The endpoint a path designates: by its place in the repository when it has one.
fn endpoint_of(path: &str, place: Option<&str>) -> Option<&'static Endpoint> {
    match place {
        Some(place) => endpoint::by_repo_path(place),
        None => endpoint::by_path(Path::new(path)),
    }
}

/// A saved list response: `{"items": [...], "meta": {"href": "/api/..."}}`, and the endpoint
/// its href names.
fn list_response(value: &Value) -> Option<Option<&'static Endpoint>> {
    let obj = value.as_object()?;
    if !obj.get("items")?.is_array() || !obj.keys().all(|k| k == "items" || k == "meta") {
        return None;
    }
    let href = obj.get("meta")?.get("href")?.as_str()?;
    href.starts_with("/api/")
        .then(|| endpoint::by_href(href).map(|(e, _)| e))
}

/// Lint one file: `name` is shown in output (and becomes the report's without a copy), `place`
/// is its path below its repository's root (see `crate::lint::Input`), `file` what its
/// configuration says of it.
pub fn lint_file(
    name: String,
    place: Option<&str>,
    bytes: &[u8],
    settings: &Settings,
    file: &FileSettings<'_>,
) -> FileReport {
    let path = name.as_str();
    let mut parsed = document::parse(bytes);
    let mut diagnostics = std::mem::take(&mut parsed.diagnostics);
    // --endpoint, then spslint.toml's [endpoints], then a saved response's href, then the path.
    let mut endpoint = settings.endpoint.or(file.endpoint);
    // A top level that is not an object has no href: its endpoint is known now. Only the
    // endpoints whose body is a string or a list take one; for every other file it is the end.
    if let Some(value) = parsed.value.as_ref().filter(|v| !v.is_object()) {
        let known = endpoint.or_else(|| endpoint_of(path, place));
        if known.is_none_or(|e| e.top == endpoint::Top::Object) {
            diagnostics.push(document::not_an_object(value));
            parsed.value = None;
        }
    }
    let mut skipped = None;
    let mut facts = None;
    if let Some(value) = &parsed.value {
        let href = endpoint::response_href(value);
        let from_href = href.and_then(endpoint::by_href);
        endpoint = endpoint
            .or(from_href.map(|(e, _)| e))
            .or_else(|| endpoint_of(path, place));
        let list = if settings.endpoint.is_none() {
            list_response(value)
        } else {
            None
        };
        if let Some(listed) = list {
            endpoint = None;
            skipped = Some(Skipped::ListResponse { endpoint: listed });
        }
        match endpoint {
            Some(e) => {
                lint_value(
                    e,
                    value,
                    path,
                    href.is_some(),
                    &file.selection,
                    settings,
                    &mut diagnostics,
                );
                facts = file_facts(e, value, path, href.is_some());
            }
            None => {
                let why = skipped.unwrap_or_else(|| Skipped::NoEndpoint {
                    closest: endpoint::closest(place.unwrap_or(path)),
                    documented: endpoint::without_schema(place.unwrap_or(path)),
                });
                if settings.require_endpoint {
                    diagnostics.push(unknown_endpoint(&why));
                    skipped = None;
                } else {
                    skipped = Some(why);
                }
            }
        }
    } else if endpoint.is_none() {
        endpoint = endpoint_of(path, place);
    }
    let suppressions = finish(
        file,
        &mut diagnostics,
        endpoint.filter(|_| parsed.value.is_some()),
    );
    clip_quoted_values(&mut diagnostics);
    let source = match (diagnostics.is_empty(), parsed.text) {
        (false, Some(text)) => {
            crate::spans::locate(text, parsed.offset, &mut diagnostics);
            crate::fix::attach(text, parsed.offset, parsed.value.as_ref(), &mut diagnostics);
            settings.keep_source.then(|| Arc::from(text))
        }
        _ => None,
    };
    // A private key written as an object key is in the pointers too: its data goes, now that
    // the places are known.
    for d in &mut diagnostics {
        secrets::redact_private_keys(&mut d.pointer);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    FileReport {
        path: name,
        endpoint,
        diagnostics,
        skipped,
        source,
        facts,
        suppressions,
    }
}

/// The repository facts of a parsed file, from the same parse that linted it.
pub fn file_facts(
    endpoint: &'static Endpoint,
    value: &Value,
    path: &str,
    wrapped: bool,
) -> Option<crate::repo::Facts> {
    let body = if wrapped { value.get("body")? } else { value };
    if !body.is_object() {
        return None;
    }
    let (stem, response_key) = object_keys(endpoint, value, path, wrapped);
    Some(crate::repo::facts(
        endpoint,
        body,
        wrapped,
        stem,
        response_key,
    ))
}

/// Quoted parts of messages and help longer than this many characters are shortened.
const MAX_QUOTED: usize = 100;
/// No message or help is longer than this many characters.
const MAX_TEXT: usize = 2000;

/// Messages quote values from the file. A 10 MB value must not be printed whole, in every
/// format, for each finding about it: a quoted part longer than `MAX_QUOTED` keeps its start
/// and end around an ellipsis, and the whole text is capped at `MAX_TEXT`. The data of a
/// private key quoted anywhere is removed first.
pub fn clip_quoted_values(diagnostics: &mut [Diagnostic]) {
    fn clip(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else {
                break;
            };
            out.push_str(&rest[..=open]);
            let inner = &after[..close];
            match (
                inner.char_indices().nth(MAX_QUOTED * 2 / 3),
                inner.char_indices().rev().nth(MAX_QUOTED / 3),
            ) {
                (Some((head, _)), Some((tail, _))) if inner.chars().count() > MAX_QUOTED => {
                    out.push_str(&inner[..head]);
                    out.push('…');
                    out.push_str(&inner[tail..]);
                }
                _ => out.push_str(inner),
            }
            out.push('"');
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        if let Some((cut, _)) = out.char_indices().nth(MAX_TEXT) {
            out.truncate(cut);
            out.push('…');
        }
        out
    }
    for d in diagnostics.iter_mut() {
        // A private key quoted anywhere (a rule quoting a value, a schema error) loses its data.
        secrets::redact_private_keys(&mut d.message);
        if let Some(h) = d.help.as_mut() {
            secrets::redact_private_keys(h);
        }
        if d.message.len() > MAX_QUOTED {
            d.message = clip(&d.message);
        }
        if let Some(h) = d.help.as_mut().filter(|h| h.len() > MAX_QUOTED) {
            *h = clip(h);
        }
    }
}

fn unknown_endpoint(why: &Skipped) -> Diagnostic {
    let message = why.message();
    let message = message.strip_prefix("not checked: ").unwrap_or(&message);
    Diagnostic::new(
        &codes::UNKNOWN_ENDPOINT,
        "",
        format!("{message}: it is not linted"),
    )
    .with_help(why.help())
}

#[allow(clippy::too_many_arguments)]
fn lint_value(
    endpoint: &'static Endpoint,
    value: &Value,
    path: &str,
    wrapped: bool,
    selection: &Selection,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    let (body, base) = if wrapped {
        out.push(response_wrapper());
        (&value["body"], "/body")
    } else {
        (value, "")
    };
    if endpoint.top == endpoint::Top::Object && !body.is_object() {
        out.push(
            Diagnostic::new(
                &codes::NOT_AN_OBJECT,
                base,
                format!(
                    "the body is {}: a request body is a JSON object",
                    document::json_type(body)
                ),
            )
            .with_help("put the endpoint's JSON object under \"body\""),
        );
        return;
    }
    // As `repo::Facts::key`: the saved response's key, else the file stem.
    let (stem, response_key) = object_keys(endpoint, value, path, wrapped);
    let key = response_key.or(stem);
    let skip = embedded_references(endpoint, body, base, out);
    let version = settings.sps_version.unwrap_or(schema::version::NEWEST);
    schema::check_version(endpoint, version, body, base, &skip, out);
    let before = out.len();
    let mut cx = RuleContext::new(endpoint, body, base, key, settings, out);
    rules::run(&mut cx, &|m| selection.enabled(m.code, m.name));
    drop_superseded(out, before);
}

/// A rule's error about a value says more than the schema's generic one at the same place
/// (for example the docs' "sha" for "sha1"): keep the rule's.
fn drop_superseded(out: &mut Vec<Diagnostic>, rules_from: usize) {
    let rule_pointers: Vec<String> = out[rules_from..]
        .iter()
        .filter(|d| d.severity == Severity::Error && d.target == crate::diagnostic::Target::Value)
        .map(|d| d.pointer.clone())
        .collect();
    if rule_pointers.is_empty() {
        return;
    }
    let superseded = [
        codes::WRONG_TYPE.code,
        codes::INVALID_VALUE.code,
        codes::INVALID_FORMAT.code,
    ];
    let mut i = 0;
    out.retain(|d| {
        i += 1;
        !(i <= rules_from && superseded.contains(&d.code) && rule_pointers.contains(&d.pointer))
    });
}

/// The keys of one object of a collection: its file stem, and a saved response's `key`.
fn object_keys<'a>(
    endpoint: &Endpoint,
    value: &'a Value,
    path: &'a str,
    wrapped: bool,
) -> (Option<&'a str>, Option<&'a str>) {
    if endpoint.kind != Kind::Collection {
        return (None, None);
    }
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str());
    let response_key = wrapped
        .then(|| value.get("key").and_then(Value::as_str))
        .flatten();
    (stem, response_key)
}

/// The unwrap fix is attached once the file's spans are known (`crate::fix::attach`): it keeps
/// the body's text as written.
fn response_wrapper() -> Diagnostic {
    Diagnostic::new(
        &codes::RESPONSE_WRAPPER,
        "",
        "this is a saved GET response: SPS expects the request body alone, without \"body\", \"key\" and \"meta\"",
    )
    .with_help("replace the file's content by the value of \"body\" (spslint --fix does it)")
}

/// `{"key": "...", "meta": {"href": ...}}` where a request needs the key string. Returns the
/// pointers reported, so the schema does not report the same values again as wrong types.
fn embedded_references(
    endpoint: &Endpoint,
    body: &Value,
    base: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut found = Vec::new();
    rules::walk(body, "", &mut |pointer, v| {
        if let Some(key) = reference_key(v) {
            found.push(pointer.to_string());
            // Quoted only where a value may be shown: a password reference's "key" may hold a
            // pasted password, unless the object's own href names it (`.../passwords/<key>`),
            // which proves it a key (keys are identifiers, not secrets).
            let key_pointer = format!("{pointer}/key");
            let value = Value::String(key.to_string());
            let named_by_href = v
                .pointer("/meta/href")
                .and_then(Value::as_str)
                .and_then(|href| href.strip_suffix(key))
                .is_some_and(|rest| rest.ends_with('/') && !key.is_empty());
            let (expects, help) = if !named_by_href
                && secrets::hidden_in_messages(endpoint, &key_pointer, &value)
            {
                (
                        "the key string, the value of its \"key\" (not shown: this field may hold a secret)".to_string(),
                        "replace the object by the value of its \"key\"".to_string(),
                    )
            } else {
                (
                    format!("the key string \"{key}\""),
                    format!("replace the object by \"{key}\""),
                )
            };
            out.push(
                Diagnostic::new(
                    &codes::EMBEDDED_REFERENCE,
                    format!("{base}{pointer}"),
                    format!("an embedded reference object is not accepted in a request: SPS expects {expects}"),
                )
                .with_help(help)
                .with_fix(crate::fix::replace_value(
                    "replace the reference object by its key",
                    serde_json::to_string(key).unwrap_or_default(),
                )),
            );
        }
    });
    found
}

/// The key of an embedded reference object, as in saved GET responses.
pub fn reference_key(v: &Value) -> Option<&str> {
    let m = v.as_object()?;
    if m.len() != 2 {
        return None;
    }
    let key = m.get("key")?.as_str()?;
    m.get("meta")?.get("href")?.as_str()?;
    Some(key)
}

/// Apply a file's selection and suppressions to its findings, and say which suppressions it
/// could have used and used. `checked`: the endpoint the file was linted as, when it parsed. A
/// suppression that could have matched there (one of its codes runs for that endpoint) and
/// matches nothing in any file checked is worth a warning; one for files or codes not checked
/// in this run says nothing (pre-commit checks only the changed files).
pub fn finish(
    file: &FileSettings<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    checked: Option<&Endpoint>,
) -> SuppressionUse {
    file.selection.apply(diagnostics);
    let mut used = SuppressionUse::default();
    if file.suppressions.is_empty() {
        return used;
    }
    if let Some(endpoint) = checked {
        for s in &file.suppressions {
            let live = match &s.codes {
                None => true,
                Some(codes) => registry::all().iter().any(|k| {
                    k.applies_to(endpoint)
                        && codes.enabled(k.code.code, k.code.name)
                        && file.selection.enabled(k.code.code, k.code.name)
                }),
            };
            if live {
                used.considered.push(s.id);
            }
        }
    }
    diagnostics.retain(|d| {
        let mut kept = true;
        for s in &file.suppressions {
            if s.matches(d) {
                if !used.used.contains(&s.id) {
                    used.used.push(s.id);
                }
                kept = false;
            }
        }
        kept
    });
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(path: &str, text: &str) -> Vec<(&'static str, String)> {
        lint_bytes(path, text.as_bytes(), &Settings::default())
            .diagnostics
            .into_iter()
            .map(|d| (d.code, d.pointer))
            .collect()
    }

    /// A file for an endpoint the reference lists but spslint has no schema for is skipped, and
    /// the skip says so.
    #[test]
    fn documented_endpoints_without_a_schema_are_skipped_and_named() {
        let r = lint_bytes(
            "api/configuration/policies/signing_cas/991699365727ac4eb4606.json",
            br#"{"ca": "55b2419c"}"#,
            &Settings::default(),
        );
        let why = r.skipped.expect("skipped");
        assert!(r.diagnostics.is_empty());
        assert!(
            why.message().contains("lists policies/signing_cas")
                && why.message().contains("no schema"),
            "{}",
            why.message()
        );
        let r = lint_bytes("notes/x.json", b"{}", &Settings::default());
        assert!(r.skipped.unwrap().message().contains("no endpoint matches"));
    }

    /// Whether the top level may be something else than an object depends on the endpoint.
    #[test]
    fn the_top_level_is_judged_per_endpoint() {
        let tz = "api/configuration/datetime/timezone.json";
        let pairs = "api/configuration/network/ip_forwarding_rule_pairs.json";
        let email = "api/configuration/management/email.json";
        assert!(codes(tz, "\"Europe/Budapest\"").is_empty());
        assert!(codes(pairs, "[]").is_empty());
        assert_eq!(codes(email, "[]"), [("JSON008", String::new())]);
        assert_eq!(codes(email, "\"x\""), [("JSON008", String::new())]);
        // Without an endpoint, a bare string is still not a request body.
        assert_eq!(codes("notes/x.json", "\"x\""), [("JSON008", String::new())]);
        // The wrong kind of top level for a string or list endpoint is a type error.
        assert_eq!(codes(tz, "{}"), [("SCHEMA003", String::new())]);
        assert_eq!(codes(pairs, "\"x\""), [("SCHEMA003", String::new())]);
        // In a saved response, the body is judged the same way.
        let wrapped = r#"{"body": "Europe/Budapest", "key": "timezone", "meta": {"href": "/api/configuration/datetime/timezone"}}"#;
        assert_eq!(codes("saved.json", wrapped), [("REQ001", String::new())]);
        let wrapped = r#"{"body": [], "key": "email", "meta": {"href": "/api/configuration/management/email"}}"#;
        assert_eq!(
            codes("saved.json", wrapped),
            [("REQ001", String::new()), ("JSON008", "/body".to_string())]
        );
    }

    #[test]
    fn long_quoted_values_are_shortened_in_messages() {
        let big = "a".repeat(10_000_000);
        let mut d = vec![
            Diagnostic::new(
                &codes::INVALID_VALUE,
                "/x",
                format!("\"x\" is \"{big}\", not \"y\""),
            )
            .with_help(format!("write \"{big}@example.com\" differently")),
            Diagnostic::new(&codes::INVALID_VALUE, "/x", format!("unquoted {big}")),
        ];
        clip_quoted_values(&mut d);
        let m = &d[0].message;
        assert!(
            m.starts_with("\"x\" is \"aaa") && m.ends_with("aaa\", not \"y\""),
            "{m}"
        );
        assert!(m.contains('…') && m.chars().count() < 130, "{m}");
        let h = d[0].help.as_deref().unwrap();
        assert!(
            h.ends_with("@example.com\" differently") && h.len() < 200,
            "{h}"
        );
        assert_eq!(d[1].message.chars().count(), MAX_TEXT + 1);
    }
}
