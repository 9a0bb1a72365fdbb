//! SNMP001 snmp-missing-setting: the selected SNMP version lacks one of its settings.

use serde_json::Value;

use super::common::{self, VALUE};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// The selected SNMP version lacks a setting it needs.
    ///
    /// ## What it checks
    ///
    /// `version.selection` decides which settings `version.value` must carry besides `server`:
    ///
    /// - `"2c"` needs `community`, the community name the trap receiver expects.
    /// - `"3"` needs `auth_method`, `auth_password`, `encryption_method`, `encryption_password`,
    ///   `engine_id` and `username`. `encryption_password` must be present even without encryption:
    ///   it is then `null`.
    ///
    /// Each missing key is reported on the `value` object, naming the key and what to write.
    /// A `community` or `username` that is present but empty (or only spaces) is reported on the value.
    ///
    /// ## Why it matters
    ///
    /// The schema cannot tell which keys are required, because they depend on `selection`. A PUT
    /// replaces the whole trap configuration, so a body without, say, `engine_id` is refused by SPS, or
    /// leaves SNMP traps without the credential the receiver checks: the alerts you count on never
    /// arrive. An empty community or user name cannot match anything on the receiver either.
    ///
    /// ## Notes
    ///
    /// The documentation calls `auth_method` and `auth_password` "required parameters" for version 3
    /// and the other keys "must be used"; spslint treats both wordings as required.
    ///
    /// It says `encryption_password` must be `null` when `encryption_method` is `none`, which spslint
    /// reads as "present and null": a PUT sends the whole object, so the key is required even then.
    /// Whether `encryption_password` must be `null` or a password reference is checked by SNMP003,
    /// not here, so a missing key is reported once only.
    ///
    /// Settings are required whether `enabled` is `true` or `false`: SPS stores the body either way,
    /// and switching traps on later must not depend on a second fix.
    pub struct SnmpMissingSetting {
        code: "SNMP001",
        name: "snmp-missing-setting",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "3",
    "value": {
      "auth_method": "sha1",
      "auth_password": "0f5f646d-d6e7-4a4a-bc66-ead670faff3f",
      "encryption_method": "aes",
      "encryption_password": "6237d67a-b6b4-49e0-b0f6-6d68d0f08cc3",
      "server": {
        "selection": "ip",
        "value": "192.0.2.40"
      },
      "username": "sps-trap"
    }
  }
}"#,
        good: r#"{
  "enabled": true,
  "version": {
    "selection": "3",
    "value": {
      "auth_method": "sha1",
      "auth_password": "0f5f646d-d6e7-4a4a-bc66-ead670faff3f",
      "encryption_method": "aes",
      "encryption_password": "6237d67a-b6b4-49e0-b0f6-6d68d0f08cc3",
      "engine_id": "0x80001F8880C71100000000",
      "server": {
        "selection": "ip",
        "value": "192.0.2.40"
      },
      "username": "sps-trap"
    }
  }
}"#,
    }
}

/// What a key holds (for the message) and how to add it (for the help).
fn hint(key: &str) -> (&'static str, &'static str) {
    match key {
        "community" => (
            "the community name",
            "add \"community\" with the community name the trap receiver expects",
        ),
        "auth_method" => (
            "\"md5\" or \"sha1\"",
            "add \"auth_method\": \"sha1\" (or \"md5\"), as the receiver's SNMPv3 user is set up",
        ),
        "auth_password" => (
            "the key of a stored password",
            "add \"auth_password\" with the key of a password stored at /api/configuration/passwords",
        ),
        "encryption_method" => (
            "\"none\", \"aes\" or \"des\"",
            "add \"encryption_method\": \"aes\" (or \"des\", or \"none\" for no encryption)",
        ),
        "encryption_password" => (
            "the key of a stored password, or null when \"encryption_method\" is \"none\"",
            "add \"encryption_password\" with the key of a password stored at /api/configuration/passwords, or null if \"encryption_method\" is \"none\"",
        ),
        "engine_id" => (
            "a hexadecimal number of at least 10 digits",
            "add \"engine_id\" with SPS's engine ID as the trap receiver knows it, such as \"0x80001F8880C71100000000\"",
        ),
        "username" => (
            "the SNMPv3 user name",
            "add \"username\" with the SNMPv3 user configured on the trap receiver",
        ),
        _ => ("a value", "add it"),
    }
}

impl Rule for SnmpMissingSetting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some((version, value)) = common::version(cx.body) else {
            return;
        };
        let v = version.selection();
        for &key in version.keys() {
            let (what, how) = hint(key);
            match value.get(key) {
                None => cx.report(
                    VALUE,
                    format!("SNMP version {v} needs \"{key}\" ({what}), but it is missing"),
                    how,
                ),
                Some(Value::String(s))
                    if s.trim().is_empty() && (key == "community" || key == "username") =>
                {
                    cx.report(
                        &common::pointer(key),
                        format!("\"{key}\" is empty: SNMP version {v} needs {what} here"),
                        format!("write {what} configured on the trap receiver"),
                    );
                }
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/management/snmp/trap";

    #[test]
    fn complete_bodies_pass() {
        for body in [
            META.good,
            r#"{"enabled": true, "version": {"selection": "2c", "value": {
                "community": "sps-monitoring", "server": {"selection": "ip", "value": "192.0.2.1"}}}}"#,
            r#"{"enabled": false, "version": {"selection": "3", "value": {
                "auth_method": "md5", "auth_password": "k1", "encryption_method": "none",
                "encryption_password": null, "engine_id": "0x80001F8880C71100000000",
                "username": "u", "server": {"selection": "fqdn", "value": "snmp.example.com"}}}}"#,
            // An unknown selection is the schema's to report.
            r#"{"enabled": true, "version": {"selection": "v3", "value": {}}}"#,
        ] {
            assert!(run_rule(&SnmpMissingSetting, EP, body).is_empty(), "{body}");
        }
    }

    #[test]
    fn every_missing_key_is_named_at_the_value_object() {
        let d = run_rule(
            &SnmpMissingSetting,
            EP,
            r#"{"version": {"selection": "3", "value": {}}}"#,
        );
        assert_eq!(pointers(&d), vec![VALUE; 6]);
        for (diag, key) in d.iter().zip(common::V3_KEYS) {
            assert!(
                diag.message.contains(&format!("\"{key}\"")),
                "{}",
                diag.message
            );
            assert_eq!(diag.severity, Severity::Error);
        }
        let d = run_rule(
            &SnmpMissingSetting,
            EP,
            r#"{"version": {"selection": "2c", "value": {}}}"#,
        );
        assert_eq!(pointers(&d), vec![VALUE]);
        assert!(d[0].message.contains("\"community\""));
    }

    #[test]
    fn encryption_password_is_required_even_without_encryption() {
        let d = run_rule(
            &SnmpMissingSetting,
            EP,
            r#"{"version": {"selection": "3", "value": {"auth_method": "sha1", "auth_password": "k",
                "encryption_method": "none", "engine_id": "0x80001F8880C71100000000", "username": "u"}}}"#,
        );
        assert_eq!(pointers(&d), vec![VALUE]);
        assert!(d[0].message.contains("\"encryption_password\""));
        assert!(d[0].help.as_deref().unwrap().contains("null"));
    }

    #[test]
    fn empty_community_and_username_are_reported_at_the_value() {
        let d = run_rule(
            &SnmpMissingSetting,
            EP,
            r#"{"version": {"selection": "2c", "value": {"community": "  "}}}"#,
        );
        assert_eq!(pointers(&d), vec!["/version/value/community"]);
        let d = run_rule(
            &SnmpMissingSetting,
            EP,
            r#"{"version": {"selection": "3", "value": {"auth_method": "sha1", "auth_password": "k",
                "encryption_method": "none", "encryption_password": null,
                "engine_id": "0x80001F8880C71100000000", "username": ""}}}"#,
        );
        assert_eq!(pointers(&d), vec!["/version/value/username"]);
    }
}
