//! SPS versions. Where the reference shows a key or a whole endpoint change between releases, the
//! schema says so with `"x-spslint-versions": {"since": "7.1"}` or `{"until": "7.0"}` (and
//! optionally `"instead": "..."`, what takes its place). The schema a body is checked against is
//! the one of the chosen version (`sps_version` in spslint.toml, `--sps-version`; the newest
//! documented release by default): a key outside its versions is reported (SCHEMA010), never
//! silently accepted.

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Map, Value};

use crate::codes;
use crate::diagnostic::Diagnostic;

/// The annotation that limits a key or an endpoint to some versions.
pub const VERSIONS: &str = "x-spslint-versions";
/// Set by [`schema_for`] on a key taken out, for the message.
const CHOSEN: &str = "x-spslint-chosen-version";

/// The releases the reference pages spslint is built from cover (major.minor). A patch or LTS
/// suffix (`7.2.1`, `6.0 LTS`) names its release.
pub const KNOWN: &[&str] = &[
    "5.7", "5.8", "6.0", "6.5", "6.9", "6.14", "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "8.0",
];

/// A release, major.minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(u16, u16);

/// The newest documented release, used when no version is chosen.
pub const NEWEST: Version = Version(8, 0);

impl Version {
    /// `7.1`, `7.2.1`, `6.0 LTS`, `8.0 lts`: the release, when it is one of [`KNOWN`].
    pub fn parse(text: &str) -> Result<Version, String> {
        let trimmed = text.trim();
        let bare = trimmed
            .strip_suffix("LTS")
            .or_else(|| trimmed.strip_suffix("lts"))
            .unwrap_or(trimmed)
            .trim();
        let mut parts = bare.split('.');
        let number = |p: Option<&str>| p.and_then(|p| p.parse::<u16>().ok());
        let (major, minor) = (number(parts.next()), number(parts.next()));
        let rest_ok = parts.all(|p| p.parse::<u16>().is_ok());
        match (major, minor) {
            (Some(a), Some(b)) if rest_ok && KNOWN.contains(&format!("{a}.{b}").as_str()) => {
                Ok(Version(a, b))
            }
            _ => Err(format!(
                "unknown SPS version `{text}`; the versions spslint knows are {}",
                KNOWN.join(", ")
            )),
        }
    }

    /// Position in [`KNOWN`], for per-version caches.
    pub fn index(self) -> usize {
        KNOWN
            .iter()
            .position(|k| {
                k.split_once('.')
                    .is_some_and(|(a, b)| a.parse() == Ok(self.0) && b.parse() == Ok(self.1))
            })
            .unwrap_or(KNOWN.len() - 1)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// Whether an annotation (`{"since": ..., "until": ...}`) admits `v`. Bounds that do not parse
/// admit everything: a schema's mistake must not reject bodies.
fn admits(annotation: &Value, v: Version) -> bool {
    let bound = |k: &str| {
        annotation
            .get(k)
            .and_then(Value::as_str)
            .and_then(|s| Version::parse(s).ok())
    };
    bound("since").is_none_or(|s| v.cmp(&s) != Ordering::Less)
        && bound("until").is_none_or(|u| v.cmp(&u) != Ordering::Greater)
}

/// Whether the schema limits anything to some versions (the others are compiled once).
pub fn is_versioned(schema_text: &str) -> bool {
    schema_text.contains(VERSIONS)
}

/// The schema of version `v`: every property whose versions do not admit `v` becomes a schema
/// that no value matches (reported as SCHEMA010), and leaves its object's `required`.
pub fn schema_for(schema: &Value, v: Version) -> Value {
    let mut out = schema.clone();
    restrict(&mut out, v, 0);
    out
}

fn restrict(node: &mut Value, v: Version, depth: u32) {
    if depth > 64 {
        return;
    }
    match node {
        Value::Object(map) => {
            let mut dropped = Vec::new();
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                for (key, prop) in props.iter_mut() {
                    let Some(ann) = prop.get(VERSIONS).filter(|a| !admits(a, v)).cloned() else {
                        continue;
                    };
                    let mut gone = Map::new();
                    gone.insert("not".into(), Value::Object(Map::new()));
                    gone.insert(VERSIONS.into(), ann);
                    gone.insert(CHOSEN.into(), Value::String(v.to_string()));
                    *prop = Value::Object(gone);
                    dropped.push(key.clone());
                }
            }
            if let Some(Value::Array(required)) = map.get_mut("required") {
                required.retain(|r| !r.as_str().is_some_and(|r| dropped.iter().any(|d| d == r)));
            }
            for (_, child) in map.iter_mut() {
                restrict(child, v, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                restrict(item, v, depth + 1);
            }
        }
        _ => {}
    }
}

/// "until 7.0", "since 7.1", "from 7.1 to 7.4".
fn range(annotation: &Value) -> String {
    let s = |k: &str| annotation.get(k).and_then(Value::as_str);
    match (s("since"), s("until")) {
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        (Some(a), None) => format!("since {a}"),
        (None, Some(b)) => format!("until {b}"),
        (None, None) => "in other versions".to_string(),
    }
}

/// The finding for a key the chosen version does not have (`node` is the schema node that
/// [`schema_for`] put in its place), or `None` for any other failed `not`.
pub fn key_not_in_version(node: Option<&Value>, pointer: &str, what: &str) -> Option<Diagnostic> {
    let node = node?;
    let ann = node.get(VERSIONS)?;
    let chosen = node.get(CHOSEN)?.as_str()?;
    let instead = ann
        .get("instead")
        .and_then(Value::as_str)
        .map(|i| format!(" (in {chosen}, {i})"))
        .unwrap_or_default();
    Some(
        Diagnostic::at_key(
            &codes::NOT_IN_VERSION,
            pointer,
            format!(
                "{what} is not part of SPS {chosen}: the reference shows it {}",
                range(ann)
            ),
        )
        .with_help(format!(
            "remove it{instead}, or set sps_version (spslint.toml, --sps-version) to the version this file is for"
        )),
    )
}

/// The finding for a body of an endpoint the chosen version does not have (the schema's root
/// carries the versions), or `None`.
pub fn endpoint_not_in_version(
    schema: &Value,
    endpoint: &str,
    v: Version,
    base: &str,
) -> Option<Diagnostic> {
    let ann = schema.get(VERSIONS).filter(|a| !admits(a, v))?;
    let instead = ann
        .get("instead")
        .and_then(Value::as_str)
        .map(|i| format!(" (in {v}, {i})"))
        .unwrap_or_default();
    Some(
        Diagnostic::new(
            &codes::NOT_IN_VERSION,
            base,
            format!(
                "{endpoint} is not part of SPS {v}: the reference shows it {}",
                range(ann)
            ),
        )
        .with_help(format!(
            "move the body{instead}, or set sps_version (spslint.toml, --sps-version) to the version this file is for"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_parse_with_patch_and_lts_and_unknown_ones_name_the_known() {
        assert_eq!(Version::parse("7.1").unwrap(), Version(7, 1));
        assert_eq!(Version::parse("7.2.1").unwrap(), Version(7, 2));
        assert_eq!(Version::parse("6.0 LTS").unwrap(), Version(6, 0));
        assert_eq!(Version::parse(" 8.0 lts ").unwrap(), NEWEST);
        for bad in ["9.9", "7", "seven", "7.x", "", "7.1.a"] {
            let e = Version::parse(bad).unwrap_err();
            assert!(e.contains("5.7") && e.contains("8.0"), "{e}");
        }
        assert!(Version(6, 14) > Version(6, 9));
        assert_eq!(NEWEST.index(), KNOWN.len() - 1);
        assert_eq!(Version(5, 7).index(), 0);
    }

    #[test]
    fn keys_outside_the_version_are_taken_out_and_no_longer_required() {
        let s = json!({
            "type": "object",
            "required": ["old", "new", "both"],
            "properties": {
                "old": {"type": "object", "x-spslint-versions": {"until": "7.0", "instead": "use new"}},
                "new": {"type": "object", "x-spslint-versions": {"since": "7.1"}},
                "both": {"type": "boolean"}
            }
        });
        let v70 = schema_for(&s, Version(7, 0));
        assert_eq!(v70["required"], json!(["old", "both"]));
        assert!(v70["properties"]["new"].get("not").is_some());
        assert_eq!(v70["properties"]["old"]["type"], "object");
        let v80 = schema_for(&s, NEWEST);
        assert_eq!(v80["required"], json!(["new", "both"]));
        let d = key_not_in_version(Some(&v80["properties"]["old"]), "/old", "\"old\"").unwrap();
        assert!(d.message.contains("not part of SPS 8.0") && d.message.contains("until 7.0"));
        assert!(d.help.unwrap().contains("(in 8.0, use new)"));
        assert!(key_not_in_version(Some(&json!({"not": {}})), "/x", "x").is_none());
    }

    #[test]
    fn an_endpoint_outside_the_version_is_reported() {
        let s = json!({"x-spslint-versions": {"until": "7.4", "instead": "LDAP servers are at aaa/ldap_servers"}});
        assert!(endpoint_not_in_version(&s, "policies/ldap_servers", Version(7, 4), "").is_none());
        let d = endpoint_not_in_version(&s, "policies/ldap_servers", NEWEST, "").unwrap();
        assert!(d.help.unwrap().contains("aaa/ldap_servers"));
        assert!(endpoint_not_in_version(&json!({}), "x", NEWEST, "").is_none());
    }
}
