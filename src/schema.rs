//! Embedded schemas, validators compiled once per endpoint in use, and schema errors turned
//! into diagnostics a user understands (never a raw schema path).

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::codes;
use crate::diagnostic::{Diagnostic, join_pointer, pointer_tokens};
use crate::document::json_type;
use crate::endpoint::{Endpoint, PerEndpoint};
use crate::secrets;
use crate::text::did_you_mean;

pub mod level;
pub mod version;

struct Compiled {
    schema: &'static Value,
    validator: Validator,
}

/// The validator of an endpoint for an SPS version: compiled once per endpoint in use, and once
/// per version in use only for the few schemas that change between versions.
fn compiled(endpoint: &Endpoint, v: version::Version) -> &'static Compiled {
    static COMPILED: PerEndpoint<Vec<std::sync::OnceLock<Compiled>>> = PerEndpoint::new();
    // One slot per known version for a versioned schema, else one: the text is searched once.
    let slots = COMPILED.get_or_init(endpoint, || {
        let n = if version::is_versioned(endpoint.schema) {
            version::KNOWN.len()
        } else {
            1
        };
        (0..n).map(|_| std::sync::OnceLock::new()).collect()
    });
    let versioned = slots.len() > 1;
    let slot = if versioned { v.index() } else { 0 };
    slots[slot].get_or_init(|| {
        let schema: &'static Value = if versioned {
            // Lives as long as the process, as the embedded schemas do.
            Box::leak(Box::new(version::schema_for(endpoint.schema_json(), v)))
        } else {
            endpoint.schema_json()
        };
        let validator = jsonschema::draft202012::options()
            .build(schema)
            .unwrap_or_else(|e| {
                panic!(
                    "embedded schema {} does not compile: {e}",
                    endpoint.schema_file
                )
            });
        Compiled { schema, validator }
    })
}

/// Validate `body` (found at `base` in the file) against the newest documented version's schema
/// and append a diagnostic per problem. Values under `skip` pointers (embedded references,
/// already reported) are not judged again.
pub fn check(
    endpoint: &Endpoint,
    body: &Value,
    base: &str,
    skip: &[String],
    out: &mut Vec<Diagnostic>,
) {
    check_version(endpoint, version::NEWEST, body, base, skip, out);
}

/// [`check`] against the schema of SPS version `v`.
pub fn check_version(
    endpoint: &Endpoint,
    v: version::Version,
    body: &Value,
    base: &str,
    skip: &[String],
    out: &mut Vec<Diagnostic>,
) {
    if let Some(d) =
        version::endpoint_not_in_version(endpoint.schema_json(), endpoint.config_path(), v, base)
    {
        out.push(d);
    }
    let c = compiled(endpoint, v);
    if c.validator.is_valid(body) {
        return;
    }
    // Whether the body holds private key data anywhere: asked once, so that each error need
    // not search its whole value again (an error about the body's top is about all of it).
    let holds_key = secrets::value_holds_private_key(body);
    for err in c.validator.iter_errors(body) {
        let at = err.instance_path().as_str();
        if skip
            .iter()
            .any(|s| at == s || at.starts_with(&format!("{s}/")))
        {
            continue;
        }
        convert(endpoint, c.schema, &err, base, holds_key, out);
    }
}

/// The schema node at a keyword location, following local `$ref`s on the way.
fn node_at<'a>(schema: &'a Value, location: &str) -> Option<&'a Value> {
    let mut node = schema;
    for token in pointer_tokens(location) {
        node = match node {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
        if token == "$ref" {
            node = crate::endpoint::ref_target(schema, node.as_str()?)?;
        }
    }
    Some(node)
}

/// The schema node that holds the failing keyword (its parent in the keyword location).
fn keyword_parent<'a>(schema: &'a Value, err: &ValidationError<'_>) -> Option<&'a Value> {
    let loc = err.schema_path().as_str();
    let parent = loc.rsplit_once('/').map_or("", |(p, _)| p);
    node_at(schema, parent)
}

fn convert(
    endpoint: &Endpoint,
    schema: &Value,
    err: &ValidationError<'_>,
    base: &str,
    body_holds_key: bool,
    out: &mut Vec<Diagnostic>,
) {
    let rel = err.instance_path().as_str();
    let pointer = format!("{base}{rel}");
    let instance = err.instance();
    let node = keyword_parent(schema, err);
    // A value is quoted only where the snippet would show it too.
    let secret = secrets::hidden_at(endpoint, rel)
        || (body_holds_key && secrets::value_holds_private_key(instance))
        || secrets::is_secret_pointer(&pointer);
    let what = describe_location(&pointer);
    // In a node known from examples only, an unknown key or value is a warning.
    if let Some(mut relaxed) = level::relax(schema, err, node, &pointer, &what, secret) {
        out.append(&mut relaxed);
        return;
    }
    if let ValidationErrorKind::Not { .. } = err.kind()
        && let Some(d) = version::key_not_in_version(node, &pointer, &what)
    {
        out.push(d);
        return;
    }
    let shown = || show(instance, secret);
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            unknown_keys(node, &pointer, &what, unexpected, out)
        }
        ValidationErrorKind::Required { property } => {
            out.push(missing_key(schema, node, pointer, &what, property));
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => article(&t.to_string()),
                TypeKind::Multiple(ts) => {
                    let names: Vec<String> = ts.iter().map(|t| article(&t.to_string())).collect();
                    names.join(" or ")
                }
            };
            out.push(
                Diagnostic::new(
                    &codes::WRONG_TYPE,
                    pointer,
                    format!("{what} must be {expected}, not {}", json_type(instance)),
                )
                .with_help(format!("write {expected} here")),
            );
        }
        ValidationErrorKind::Enum { options } => {
            out.push(not_allowed(
                pointer,
                &what,
                &shown(),
                options,
                instance,
                secret,
            ));
        }
        ValidationErrorKind::Constant { expected_value } => out.push(
            Diagnostic::new(
                &codes::INVALID_VALUE,
                pointer,
                format!("{what} must be {expected_value}, not {}", shown()),
            )
            .with_help(format!("write {expected_value}")),
        ),
        ValidationErrorKind::Pattern { .. } => {
            let expected = node
                .and_then(|n| n.get("x-spslint-expected"))
                .and_then(Value::as_str)
                .unwrap_or("the documented format");
            out.push(
                Diagnostic::new(
                    &codes::INVALID_FORMAT,
                    pointer,
                    format!("{} is not valid for {what}: expected {expected}", shown()),
                )
                .with_help(format!("write {expected}")),
            );
        }
        ValidationErrorKind::MinLength { limit } if *limit == 1 => out.push(
            Diagnostic::new(
                &codes::INVALID_FORMAT,
                pointer,
                format!("{what} must not be empty"),
            )
            .with_help("write a value, or remove the setting if it is optional"),
        ),
        ValidationErrorKind::MinLength { limit } => out.push(
            Diagnostic::new(
                &codes::INVALID_FORMAT,
                pointer,
                format!("{what} must be at least {limit} characters long"),
            )
            .with_help(format!("write at least {limit} characters")),
        ),
        ValidationErrorKind::MaxLength { limit } => out.push(
            Diagnostic::new(
                &codes::INVALID_FORMAT,
                pointer,
                format!("{what} must be at most {limit} characters long"),
            )
            .with_help(format!("shorten it to {limit} characters or fewer")),
        ),
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit } => {
            let (lo, hi) = bounds(node);
            out.push(range_diag(&pointer, &what, &shown(), lo, hi, limit));
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => out.push(
            Diagnostic::new(
                &codes::OUT_OF_RANGE,
                pointer,
                format!("{what} is {}, but must be greater than {limit}", shown()),
            )
            .with_help(format!("use a value greater than {limit}")),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => out.push(
            Diagnostic::new(
                &codes::OUT_OF_RANGE,
                pointer,
                format!("{what} is {}, but must be less than {limit}", shown()),
            )
            .with_help(format!("use a value less than {limit}")),
        ),
        ValidationErrorKind::MinItems { limit } | ValidationErrorKind::MaxItems { limit } => {
            out.push(item_count(node, instance, pointer, &what, limit));
        }
        ValidationErrorKind::UniqueItems => out.push(
            Diagnostic::new(
                &codes::SCHEMA_VIOLATION,
                pointer,
                format!("{what} lists the same item more than once"),
            )
            .with_help("remove the repeated items"),
        ),
        ValidationErrorKind::FalseSchema => out.push(
            Diagnostic::new(
                &codes::SCHEMA_VIOLATION,
                pointer,
                format!("{what} is not allowed here"),
            )
            .with_help("remove it"),
        ),
        _ => {
            // Keywords our schemas do not use; still never print a secret value.
            let message = if secret {
                format!(
                    "{what} does not match the schema ({})",
                    err.kind().keyword()
                )
            } else {
                format!("{what} does not match the schema: {err}")
            };
            out.push(
                Diagnostic::new(&codes::SCHEMA_VIOLATION, pointer, message).with_help(format!(
                    "see `spslint schema {}` for what is allowed here",
                    endpoint_hint(schema)
                )),
            );
        }
    }
}

/// SCHEMA001 for each key `additionalProperties` refused, with the likely key or the allowed ones.
fn unknown_keys(
    node: Option<&Value>,
    pointer: &str,
    what: &str,
    unexpected: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let known: Vec<&str> = node
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for key in unexpected {
        let mut d = Diagnostic::at_key(
            &codes::UNKNOWN_KEY,
            join_pointer(pointer, key),
            format!(
                "unknown key \"{key}\" in {what}: SPS ignores keys it does not know, so this setting would be lost"
            ),
        );
        d = match did_you_mean(key, &known) {
            Some(s) => d.with_help(format!("did you mean \"{s}\"?")),
            None if known.is_empty() => d.with_help("remove the key"),
            None => d.with_help(format!(
                "remove the key; the keys allowed here are {}",
                list(&known)
            )),
        };
        out.push(d);
    }
}

/// SCHEMA002, with the type the key takes.
fn missing_key(
    schema: &Value,
    node: Option<&Value>,
    pointer: String,
    what: &str,
    property: &Value,
) -> Diagnostic {
    let key = property.as_str().unwrap_or_default();
    let hint = node
        .and_then(|n| n.get("properties"))
        .and_then(|p| p.get(key))
        .map(|s| type_hint(schema, s))
        .unwrap_or_default();
    Diagnostic::new(
        &codes::MISSING_KEY,
        pointer,
        format!("{what} lacks the required key \"{key}\""),
    )
    .with_help(format!(
        "add \"{key}\"{hint}: a PUT replaces the whole object, so every field must be sent (null or [] where unused)"
    ))
}

/// SCHEMA004 for a value outside an enumeration, with the likely one when it may be shown.
fn not_allowed(
    pointer: String,
    what: &str,
    shown: &str,
    options: &Value,
    instance: &Value,
    secret: bool,
) -> Diagnostic {
    let allowed: Vec<String> = options
        .as_array()
        .map(|a| a.iter().map(|v| v.to_string()).collect())
        .unwrap_or_default();
    let allowed_refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let mut d = Diagnostic::new(
        &codes::INVALID_VALUE,
        pointer,
        format!(
            "{shown} is not an allowed value for {what}: use one of {}",
            allowed.join(", ")
        ),
    );
    let candidates: Vec<&str> = options
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let (Some(s), false) = (instance.as_str(), secret)
        && let Some(m) = did_you_mean(s, &candidates)
    {
        d = d.with_help(format!("did you mean \"{m}\"?"));
    } else {
        d = d.with_help(format!("allowed values: {}", allowed_refs.join(", ")));
    }
    d
}

/// SCHEMA006 for a list with too few or too many items, saying how many are wanted.
fn item_count(
    node: Option<&Value>,
    instance: &Value,
    pointer: String,
    what: &str,
    limit: &u64,
) -> Diagnostic {
    let n = instance.as_array().map_or(0, Vec::len);
    let min = node.and_then(|n| n.get("minItems")).and_then(Value::as_u64);
    let max = node.and_then(|n| n.get("maxItems")).and_then(Value::as_u64);
    let want = match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => format!("{limit}"),
    };
    Diagnostic::new(
        &codes::OUT_OF_RANGE,
        pointer,
        format!(
            "{what} has {n} item{}, but must have {want}",
            if n == 1 { "" } else { "s" }
        ),
    )
    .with_help(format!(
        "give {want} item{}",
        if want == "exactly 1" || want == "at least 1" {
            ""
        } else {
            "s"
        }
    ))
}

/// The endpoint a schema belongs to, from its `$id`, for help lines.
fn endpoint_hint(schema: &Value) -> &str {
    schema
        .get("$id")
        .and_then(Value::as_str)
        .and_then(|id| id.strip_prefix("urn:spslint:schema:"))
        .unwrap_or("ENDPOINT")
}

fn range_diag(
    pointer: &str,
    what: &str,
    shown: &str,
    lo: Option<&Value>,
    hi: Option<&Value>,
    limit: &Value,
) -> Diagnostic {
    let (message, help) = match (lo, hi) {
        (Some(lo), Some(hi)) => (
            format!("{what} is {shown}, but must be between {lo} and {hi}"),
            format!("use a value from {lo} to {hi}"),
        ),
        _ => (
            format!("{what} is {shown}, outside the allowed range (limit {limit})"),
            format!("use a value within the limit {limit}"),
        ),
    };
    Diagnostic::new(&codes::OUT_OF_RANGE, pointer, message).with_help(help)
}

fn bounds(node: Option<&Value>) -> (Option<&Value>, Option<&Value>) {
    (
        node.and_then(|n| n.get("minimum")),
        node.and_then(|n| n.get("maximum")),
    )
}

/// "the key "port" at /receivers/0" style description of where a problem is.
pub fn describe_location(pointer: &str) -> String {
    match pointer.rsplit_once('/') {
        None => "the body".to_string(),
        Some((_, last)) => {
            let last = last.replace("~1", "/").replace("~0", "~");
            if last.parse::<usize>().is_ok() {
                format!(
                    "item {last} of {}",
                    describe_location(pointer.rsplit_once('/').unwrap().0)
                )
            } else {
                format!("\"{last}\"")
            }
        }
    }
}

/// A value for a message: short, and never a secret.
pub fn show(value: &Value, secret: bool) -> String {
    if secret || value.as_str().is_some_and(secrets::holds_private_key) {
        return "the value (hidden: it is a secret)".to_string();
    }
    match value {
        Value::String(s) if s.chars().count() > 60 => {
            format!("\"{}…\"", s.chars().take(57).collect::<String>())
        }
        Value::Object(_) => "an object".to_string(),
        Value::Array(_) => "an array".to_string(),
        v => v.to_string(),
    }
}

fn article(t: &str) -> String {
    match t {
        "null" => "null".to_string(),
        "integer" | "object" | "array" => format!("an {t}"),
        other => format!("a {other}"),
    }
}

/// What to write for a missing key: `: <type>`.
fn type_hint(schema: &Value, node: &Value) -> String {
    let node = crate::endpoint::follow_ref(schema, node).unwrap_or(node);
    if let Some(e) = node.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = e.iter().map(|v| v.to_string()).collect();
        return format!(" (one of {})", vals.join(", "));
    }
    match node.get("type") {
        Some(Value::String(t)) => format!(" ({})", article(t)),
        Some(Value::Array(ts)) => {
            let names: Vec<String> = ts.iter().filter_map(Value::as_str).map(article).collect();
            format!(" ({})", names.join(" or "))
        }
        _ => String::new(),
    }
}

fn list(items: &[&str]) -> String {
    let mut sorted: Vec<&str> = items.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|k| format!("\"{k}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::ENDPOINTS;

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["username", "password", "enabled"];
        assert_eq!(did_you_mean("usrname", &keys), Some("username"));
        assert_eq!(did_you_mean("Enabled", &keys), Some("enabled"));
        assert_eq!(did_you_mean("pasword", &keys), Some("password"));
        assert_eq!(did_you_mean("colour", &keys), None);
    }

    #[test]
    fn every_embedded_schema_compiles() {
        for e in ENDPOINTS {
            let _ = e.schema_json();
        }
    }

    #[test]
    fn secrets_are_never_shown() {
        assert!(!show(&Value::String("hunter2hunter2".into()), true).contains("hunter2"));
        assert_eq!(show(&Value::String("md5".into()), false), "\"md5\"");
    }
}
