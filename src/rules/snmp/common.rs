//! Shared by the SNMP trap rules (SNMP001 to SNMP011): where the selected version and its
//! settings are in a body, and which keys belong to which version. Not a rule itself.

use serde_json::{Map, Value};

use crate::endpoint::{Endpoint, id};

/// The endpoint every SNMP rule applies to.
pub static ENDPOINTS: &[&Endpoint] = &[id::MANAGEMENT_SNMP_TRAP];

/// Pointer (relative to the body) of the object that holds the version's settings.
pub const VALUE: &str = "/version/value";

/// The keys only SNMP version 2c uses.
pub const V2C_KEYS: &[&str] = &["community"];

/// The keys only SNMP version 3 uses.
pub const V3_KEYS: &[&str] = &[
    "auth_method",
    "auth_password",
    "encryption_method",
    "encryption_password",
    "engine_id",
    "username",
];

/// The two SNMP versions SPS can send traps with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnmpVersion {
    V2c,
    V3,
}

impl SnmpVersion {
    /// The value of `version.selection` that selects this version.
    pub fn selection(self) -> &'static str {
        match self {
            SnmpVersion::V2c => "2c",
            SnmpVersion::V3 => "3",
        }
    }

    /// The keys of `version.value` that belong to this version only (besides `server`).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            SnmpVersion::V2c => V2C_KEYS,
            SnmpVersion::V3 => V3_KEYS,
        }
    }

    pub fn other(self) -> SnmpVersion {
        match self {
            SnmpVersion::V2c => SnmpVersion::V3,
            SnmpVersion::V3 => SnmpVersion::V2c,
        }
    }
}

/// The selected version and the `version.value` object, when the body has both in a usable
/// shape. Anything else (a missing or unknown selection, a value that is not an object) is the
/// schema's to report, so the rules stay silent.
pub fn version(body: &Value) -> Option<(SnmpVersion, &Map<String, Value>)> {
    let version = body.get("version")?;
    let selected = match version.get("selection")?.as_str()? {
        "2c" => SnmpVersion::V2c,
        "3" => SnmpVersion::V3,
        _ => return None,
    };
    Some((selected, version.get("value")?.as_object()?))
}

/// The settings object, only when `wanted` is the selected version.
pub fn settings_of(body: &Value, wanted: SnmpVersion) -> Option<&Map<String, Value>> {
    match version(body) {
        Some((v, value)) if v == wanted => Some(value),
        _ => None,
    }
}

/// A string setting of the selected version `wanted`, if it is a string.
pub fn string_setting<'a>(body: &'a Value, wanted: SnmpVersion, key: &str) -> Option<&'a str> {
    settings_of(body, wanted)?.get(key)?.as_str()
}

/// Pointer (relative to the body) of a key of `version.value`.
pub fn pointer(key: &str) -> String {
    crate::diagnostic::join_pointer(VALUE, key)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::{self, testing};

    fn snmp_rules() -> Vec<&'static dyn rules::Rule> {
        rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().code.starts_with("SNMP"))
            .collect()
    }

    fn fixtures(kind: &str) -> Vec<(String, String)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(kind)
            .join("api/configuration/management/snmp/trap");
        let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn eleven_snmp_rules_are_registered_in_code_order() {
        let codes: Vec<&str> = snmp_rules().iter().map(|r| r.meta().code).collect();
        let want: Vec<String> = (1..=11).map(|i| format!("SNMP{i:03}")).collect();
        assert_eq!(codes, want);
        for r in snmp_rules() {
            assert_eq!(r.meta().endpoints, ENDPOINTS, "{}", r.meta().code);
            assert!(
                !r.meta().notes().is_empty(),
                "{} has no notes",
                r.meta().code
            );
        }
    }

    #[test]
    fn valid_fixtures_give_no_snmp_error() {
        for (path, text) in fixtures("valid") {
            for r in snmp_rules() {
                for d in testing::run_rule(r, ENDPOINTS[0], &text) {
                    assert_eq!(d.severity, Severity::Warning, "{path}: {d:?}");
                }
            }
        }
    }

    #[test]
    fn no_rule_panics_on_odd_shapes() {
        let bodies = [
            "{}",
            "[]",
            "null",
            "3",
            r#"{"version": null}"#,
            r#"{"version": []}"#,
            r#"{"version": {"selection": 3, "value": {}}}"#,
            r#"{"version": {"selection": "3", "value": null}}"#,
            r#"{"version": {"selection": "3", "value": []}}"#,
            r#"{"version": {"selection": "3", "value": {"auth_method": 1, "auth_password": [],
                "encryption_method": {}, "encryption_password": 5, "engine_id": null,
                "username": false}}}"#,
            r#"{"version": {"selection": "3", "value": {"auth_password": {"plain": 12345678},
                "encryption_password": {"plain": null}, "engine_id": "0x"}}}"#,
            r#"{"version": {"selection": "2c", "value": {"community": ["public"]}}}"#,
            r#"{"version": {"selection": "3", "value": {"engine_id": "0xé€𝄞"}}}"#,
        ];
        for body in bodies {
            for r in snmp_rules() {
                let _ = testing::run_rule(r, ENDPOINTS[0], body);
            }
        }
    }

    #[test]
    fn planted_secrets_never_appear_in_messages_or_help() {
        let community = "public";
        let password = "tiny~é\t";
        let bodies = [
            format!(
                r#"{{"enabled": true, "version": {{"selection": "2c", "value": {{
                "community": "{community}", "username": "u", "server": {{"selection": "ip", "value": "192.0.2.1"}}}}}}}}"#
            ),
            format!(
                r#"{{"enabled": true, "version": {{"selection": "3", "value": {{
                "community": "{community}", "auth_method": "md5",
                "auth_password": {{"plain": "{p}"}}, "encryption_method": "des",
                "encryption_password": {{"plain": "{p}"}}, "engine_id": "0x12",
                "server": {{"selection": "ip", "value": "192.0.2.1"}}}}}}}}"#,
                p = password.replace('\t', "\\t")
            ),
        ];
        let mut seen = 0;
        for body in &bodies {
            for r in snmp_rules() {
                for d in testing::run_rule(r, ENDPOINTS[0], body) {
                    seen += 1;
                    let text = format!("{} {}", d.message, d.help.clone().unwrap_or_default());
                    assert!(!text.contains(community), "{}: {text}", d.code);
                    assert!(!text.contains("tiny"), "{}: {text}", d.code);
                }
            }
        }
        assert!(seen >= 8, "the planted bodies should be reported: {seen}");
    }
}
