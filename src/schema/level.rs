//! Two levels of knowledge. A schema node is either documented (the reference gives its fields,
//! types and allowed values in a table: an unknown key or value is an error) or known from
//! examples only (`"x-spslint-level": "examples"`: the reference prints one or more example
//! bodies and no complete table). In an example-only node a key or value the examples never show
//! is a warning with its own code, because SPS may well accept it; types and the shape of
//! selections stay errors. The level is inherited by the node's descendants until one of them
//! says `"documented"` again.
//!
//! The schema root may also say where its knowledge comes from: `"x-spslint-source"`, a list of
//! `{"page": ..., "versions": [...], "shows": ...}`, listed by `spslint endpoints`.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde::Serialize;
use serde_json::Value;

use super::{list, show};
use crate::codes;
use crate::diagnostic::{Diagnostic, join_pointer, pointer_tokens};
use crate::text::did_you_mean;

/// The annotation that sets a node's level.
pub const LEVEL: &str = "x-spslint-level";
/// The annotation at a schema's root that names its sources.
pub const SOURCE: &str = "x-spslint-source";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The docs give the node's fields, types and values.
    Documented,
    /// The docs show examples of the node only.
    Examples,
}

impl Level {
    fn of(node: &Value) -> Option<Level> {
        match node.get(LEVEL)?.as_str()? {
            "examples" => Some(Level::Examples),
            "documented" => Some(Level::Documented),
            _ => None,
        }
    }
}

/// The level in force at a keyword location (`/properties/backend/$ref/additionalProperties`):
/// the last annotation met on the way from the root, `$ref`s followed.
pub fn level_at(schema: &Value, location: &str) -> Level {
    let mut level = Level::of(schema).unwrap_or(Level::Documented);
    let mut node = schema;
    for token in pointer_tokens(location) {
        let next = match node {
            Value::Object(m) => m.get(&token),
            Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        let Some(mut next) = next else { break };
        if token == "$ref" {
            match next
                .as_str()
                .and_then(|r| crate::endpoint::ref_target(schema, r))
            {
                Some(target) => next = target,
                None => break,
            }
        }
        // A `properties` map is not a schema node: a property could be named like the
        // annotation.
        if token != "properties"
            && token != "$defs"
            && let Some(l) = Level::of(next)
        {
            level = l;
        }
        node = next;
    }
    level
}

/// The warnings that replace an unknown-key or invalid-value error in an example-only node, or
/// `None` when the node is documented (or the error is of another kind): the caller reports it
/// as an error then.
pub fn relax(
    schema: &Value,
    err: &ValidationError<'_>,
    node: Option<&Value>,
    pointer: &str,
    what: &str,
    secret: bool,
) -> Option<Vec<Diagnostic>> {
    if !matches!(
        err.kind(),
        ValidationErrorKind::AdditionalProperties { .. } | ValidationErrorKind::Enum { .. }
    ) {
        return None;
    }
    if level_at(schema, err.schema_path().as_str()) != Level::Examples {
        return None;
    }
    let mut out = Vec::new();
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            // The keys of a variant the examples never show are unknown as a whole; the
            // undocumented `selection` value is reported once instead of each of its keys.
            if undocumented_selection(schema, node, err.instance()) {
                return Some(out);
            }
            let known: Vec<&str> = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for key in unexpected {
                let d = Diagnostic::at_key(
                    &codes::UNDOCUMENTED_KEY,
                    join_pointer(pointer, key),
                    format!(
                        "\"{key}\" is not in the reference's examples of {what}: SPS may accept it, but spslint cannot check it"
                    ),
                );
                let help = match did_you_mean(key, &known) {
                    Some(s) => format!(
                        "{what} is known from examples only; did you mean \"{s}\"? Keep the key if your SPS version documents it"
                    ),
                    None if known.is_empty() => format!(
                        "{what} is known from examples only; keep the key if your SPS version documents it"
                    ),
                    None => format!(
                        "{what} is known from examples only, which show {}; keep the key if your SPS version documents it",
                        list(&known)
                    ),
                };
                out.push(d.with_help(help));
            }
        }
        ValidationErrorKind::Enum { options } => {
            // A value of the wrong type is reported as such (an error); saying that the
            // examples do not show it would only repeat that.
            let all_strings = options
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string));
            if all_strings && !err.instance().is_string() {
                return Some(out);
            }
            let shown: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(Value::to_string).collect())
                .unwrap_or_default();
            let candidates: Vec<&str> = options
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let d = Diagnostic::new(
                &codes::UNDOCUMENTED_VALUE,
                pointer,
                format!(
                    "{} is not among the values the reference's examples show for {what} ({}): SPS may accept it, but spslint cannot check it",
                    show(err.instance(), secret),
                    shown.join(", ")
                ),
            );
            let mut help = match err.instance().as_str().filter(|_| !secret) {
                Some(s) => match did_you_mean(s, &candidates) {
                    Some(m) if m != s => format!(
                        "{what} is known from examples only; did you mean \"{m}\"? Keep the value if your SPS version documents it"
                    ),
                    _ => format!(
                        "{what} is known from examples only; keep the value if your SPS version documents it"
                    ),
                },
                None => format!(
                    "{what} is known from examples only; keep the value if your SPS version documents it"
                ),
            };
            let at = err.instance_path().as_str();
            if DISCRIMINATORS
                .iter()
                .any(|d| at.rsplit('/').next() == Some(*d))
            {
                help.push_str(" (the other keys of this variant are not checked either)");
            }
            out.push(d.with_help(help));
        }
        _ => return None,
    }
    Some(out)
}

/// The keys whose value chooses which other keys an object has (`{"selection": "radius", ...}`,
/// `{"type": "nfs", ...}`).
const DISCRIMINATORS: &[&str] = &["selection", "type"];

/// The instance's discriminator (`selection` or `type`) is a string the (example-only) node's
/// enum for it does not list.
fn undocumented_selection(schema: &Value, node: Option<&Value>, instance: &Value) -> bool {
    DISCRIMINATORS.iter().any(|key| {
        let Some(value) = instance.get(*key).and_then(Value::as_str) else {
            return false;
        };
        let Some(mut sel) = node
            .and_then(|n| n.get("properties"))
            .and_then(|p| p.get(*key))
        else {
            return false;
        };
        if let Some(target) = crate::endpoint::follow_ref(schema, sel) {
            sel = target;
        }
        sel.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.iter().any(|v| v.as_str() == Some(value)))
    })
}

/// One source a schema names.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    /// Where the reference page is (its address).
    pub page: String,
    /// The SPS versions of the page.
    pub versions: Vec<String>,
    /// What the page shows: an example body, a field table, prose.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub shows: String,
}

/// The sources at the schema's root.
pub fn sources(schema: &Value) -> Vec<Source> {
    schema
        .get(SOURCE)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| Source {
                    page: s
                        .get("page")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    versions: s
                        .get("versions")
                        .and_then(Value::as_array)
                        .map(|v| {
                            v.iter()
                                .filter_map(Value::as_str)
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                    shows: s
                        .get("shows")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every SPS version the sources name, in order of first mention, once each.
pub fn versions(schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in sources(schema) {
        for v in s.versions {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The places in a body (pointers, `*` for any item or any key) where an example-only node
/// starts, outermost first: where the level switches to examples below a documented parent.
pub fn example_only_nodes(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(schema, schema, Level::Documented, "", &mut out, 0);
    out.dedup();
    out
}

fn walk(root: &Value, node: &Value, parent: Level, at: &str, out: &mut Vec<String>, depth: u32) {
    if depth > 32 {
        return;
    }
    let mut level = Level::of(node).unwrap_or(parent);
    let mut node = node;
    if let Some(target) = crate::endpoint::follow_ref(root, node) {
        level = Level::of(target).unwrap_or(level);
        node = target;
    }
    if level == Level::Examples && parent == Level::Documented {
        out.push(if at.is_empty() {
            "/".to_string()
        } else {
            at.to_string()
        });
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            let mut child = at.to_string();
            crate::diagnostic::push_token(&mut child, k);
            walk(root, v, level, &child, out, depth + 1);
        }
    }
    if let Some(items) = node.get("items") {
        walk(root, items, level, &format!("{at}/*"), out, depth + 1);
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        walk(root, extra, level, &format!("{at}/*"), out, depth + 1);
    }
    for k in ["then", "else"] {
        if let Some(sub) = node.get(k) {
            walk(root, sub, level, at, out, depth + 1);
        }
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        for sub in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            walk(root, sub, level, at, out, depth + 1);
        }
    }
}

/// An endpoint's level, as `spslint endpoints` shows it: `documented`, `examples` (the whole body
/// is known from examples) or `mixed` (documented, with example-only parts).
pub fn endpoint_level(schema: &Value) -> &'static str {
    let nodes = example_only_nodes(schema);
    if nodes.iter().any(|n| n == "/") {
        "examples"
    } else if nodes.is_empty() {
        "documented"
    } else {
        "mixed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string"},
                "backend": {"$ref": "#/$defs/backend"},
                "mode": {"x-spslint-level": "examples", "enum": ["agent"]},
                "list": {"type": "array", "items": {"x-spslint-level": "examples", "type": "object",
                    "properties": {"exact": {"x-spslint-level": "documented", "enum": ["a"]}}}}
            },
            "$defs": {
                "backend": {
                    "x-spslint-level": "examples",
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {"selection": {"enum": ["radius"]}, "port": {"type": "integer"}}
                }
            },
            "x-spslint-source": [{"page": "https://example.invalid/a", "versions": ["7.1", "6.0"]},
                                 {"page": "https://example.invalid/b", "versions": ["6.0"], "shows": "a table"}]
        })
    }

    #[test]
    fn the_level_is_inherited_through_refs_and_reset_by_documented() {
        let s = schema();
        assert_eq!(level_at(&s, "/additionalProperties"), Level::Documented);
        assert_eq!(level_at(&s, "/properties/name/type"), Level::Documented);
        assert_eq!(
            level_at(&s, "/properties/backend/$ref/additionalProperties"),
            Level::Examples
        );
        assert_eq!(
            level_at(&s, "/properties/backend/$ref/properties/selection/enum"),
            Level::Examples
        );
        assert_eq!(level_at(&s, "/properties/mode/enum"), Level::Examples);
        assert_eq!(
            level_at(&s, "/properties/list/items/properties/exact/enum"),
            Level::Documented
        );
        let mut root = s.clone();
        root["x-spslint-level"] = json!("examples");
        assert_eq!(level_at(&root, "/additionalProperties"), Level::Examples);
    }

    #[test]
    fn example_only_nodes_are_listed_where_they_start() {
        let s = schema();
        assert_eq!(example_only_nodes(&s), ["/backend", "/list/*", "/mode"]);
        assert_eq!(endpoint_level(&s), "mixed");
        let mut root = s.clone();
        root["x-spslint-level"] = json!("examples");
        assert_eq!(example_only_nodes(&root), ["/"]);
        assert_eq!(endpoint_level(&root), "examples");
        assert_eq!(endpoint_level(&json!({"type": "object"})), "documented");
    }

    #[test]
    fn sources_and_versions_are_read_from_the_root() {
        let s = schema();
        let src = sources(&s);
        assert_eq!(src.len(), 2);
        assert_eq!(src[1].shows, "a table");
        assert_eq!(versions(&s), ["7.1", "6.0"]);
        assert!(sources(&json!({})).is_empty());
    }

    /// A real body: in the SSH authentication policy (known from one example), another backend
    /// is a warning, a typo'd key a warning with its did-you-mean, a wrong type still an error.
    #[test]
    fn example_only_findings_are_warnings_and_types_stay_errors() {
        use crate::diagnostic::Severity;
        let endpoint = crate::endpoint::by_name("ssh/authentication_policies").unwrap();
        let body = json!({
            "backend": {"selection": "ldap", "ldap_server": "corp"},
            "gateway_methods": {"kerberos": false, "password": "yes", "public_key": false},
            "name": "gw",
            "relayed_methods": {"kerberos": false, "keyboard_interactiv": true, "password": true,
                                "keyboard_interactive": true, "public_key": {"selection": "agnet"}}
        });
        let mut out = Vec::new();
        crate::schema::check(endpoint, &body, "", &[], &mut out);
        let found: Vec<(&str, &str, Severity)> = out
            .iter()
            .map(|d| (d.code, d.pointer.as_str(), d.severity))
            .collect();
        assert!(
            found.contains(&("SCHEMA009", "/backend/selection", Severity::Warning)),
            "{found:?}"
        );
        // The keys of an undocumented backend are not reported one by one.
        assert!(
            !found.iter().any(|f| f.1 == "/backend/ldap_server"),
            "{found:?}"
        );
        assert!(
            found.contains(&("SCHEMA003", "/gateway_methods/password", Severity::Error)),
            "{found:?}"
        );
        let key = out
            .iter()
            .find(|d| d.pointer == "/relayed_methods/keyboard_interactiv")
            .unwrap();
        assert_eq!((key.code, key.severity), ("SCHEMA008", Severity::Warning));
        let help = key.help.as_deref().unwrap();
        assert!(
            help.contains("known from examples only") && help.contains("\"keyboard_interactive\""),
            "{help}"
        );
        let mode = out
            .iter()
            .find(|d| d.pointer == "/relayed_methods/public_key/selection")
            .unwrap();
        assert!(
            mode.help
                .as_deref()
                .unwrap()
                .contains("did you mean \"agent\""),
            "{:?}",
            mode.help
        );
        // The address object is documented: a wrong selection there is still an error.
        let body = json!({"backend": {"selection": "radius", "authentication_protocol": "pap",
            "servers": [{"address": {"selection": "hostname", "value": "x"}, "port": 1812, "shared_secret": "k"}]},
            "gateway_methods": {"kerberos": false, "password": false, "public_key": false}, "name": "gw",
            "relayed_methods": {"kerberos": false, "keyboard_interactive": true, "password": true, "public_key": {"selection": "agent"}}});
        let mut out = Vec::new();
        crate::schema::check(endpoint, &body, "", &[], &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].code, out[0].severity),
            ("SCHEMA004", Severity::Error)
        );
    }
}
