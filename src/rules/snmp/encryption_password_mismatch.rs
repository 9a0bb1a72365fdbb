//! SNMP003 snmp-encryption-password-mismatch: encryption_password does not fit
//! encryption_method.

use serde_json::Value;

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// `encryption_password` does not fit `encryption_method`.
    ///
    /// ## What it checks
    ///
    /// For SNMP version 3, `encryption_password` must follow `encryption_method`:
    ///
    /// - `"none"`: `encryption_password` must be `null`.
    /// - `"aes"` or `"des"`: `encryption_password` must be the key of a password stored at
    ///   `/api/configuration/passwords`, not `null`.
    ///
    /// The finding is on `encryption_password`.
    ///
    /// ## Why it matters
    ///
    /// With `"aes"` or `"des"` and no password, SPS has no key to encrypt the traps with: the body is
    /// refused, or the receiver cannot decrypt anything it gets. With `"none"` and a password, the
    /// documentation requires `null`; the password would not be used, and the traps go out in clear
    /// text although the file suggests they are encrypted.
    ///
    /// ## Notes
    ///
    /// The documentation states the `"none"` case outright ("must also be set to null") and says of
    /// `"aes"` and `"des"` that the password "must reference a valid password"; spslint reports both
    /// as errors. A missing `encryption_password` key is reported by SNMP001 only, not here. Whether
    /// the referenced password exists is checked by the whole-repository checks, not by this rule.
    pub struct SnmpEncryptionPasswordMismatch {
        code: "SNMP003",
        name: "snmp-encryption-password-mismatch",
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
      "encryption_password": null,
      "engine_id": "0x80001F8880C71100000000",
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

impl Rule for SnmpEncryptionPasswordMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(value) = common::settings_of(cx.body, SnmpVersion::V3) else {
            return;
        };
        let Some(method) = value.get("encryption_method").and_then(Value::as_str) else {
            return;
        };
        let Some(password) = value.get("encryption_password") else {
            return; // SNMP001 reports the missing key.
        };
        let at = common::pointer("encryption_password");
        match (method, password.is_null()) {
            ("none", false) => cx.report(
                &at,
                "\"encryption_password\" must be null when \"encryption_method\" is \"none\": without encryption SPS uses no encryption password",
                "write \"encryption_password\": null, or set \"encryption_method\" to \"aes\" if the traps should be encrypted with this password",
            ),
            ("aes" | "des", true) => cx.report(
                &at,
                format!(
                    "\"encryption_method\" is \"{method}\", so \"encryption_password\" must be the key of a stored password, not null"
                ),
                "create the password at /api/configuration/passwords and write its key here, or set \"encryption_method\" to \"none\" to send the traps unencrypted",
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/management/snmp/trap";

    fn body(method: &str, password: &str) -> String {
        format!(
            r#"{{"version": {{"selection": "3", "value": {{"encryption_method": {method},
                "encryption_password": {password}}}}}}}"#
        )
    }

    #[test]
    fn matching_pairs_pass() {
        for (m, p) in [
            (r#""none""#, "null"),
            (r#""aes""#, r#""6237d67a""#),
            (r#""des""#, r#""6237d67a""#),
            // Wrong types and unknown methods are the schema's.
            (r#""aes256""#, "null"),
            ("1", r#""k""#),
            (r#""aes""#, "3"),
        ] {
            assert!(
                run_rule(&SnmpEncryptionPasswordMismatch, EP, &body(m, p)).is_empty(),
                "{m} {p}"
            );
        }
        assert!(run_rule(&SnmpEncryptionPasswordMismatch, EP, META.good).is_empty());
        // Missing key: SNMP001's.
        let missing = r#"{"version": {"selection": "3", "value": {"encryption_method": "aes"}}}"#;
        assert!(run_rule(&SnmpEncryptionPasswordMismatch, EP, missing).is_empty());
        // Version 2c: the keys are SNMP002's.
        let v2 = r#"{"version": {"selection": "2c", "value": {"encryption_method": "aes", "encryption_password": null}}}"#;
        assert!(run_rule(&SnmpEncryptionPasswordMismatch, EP, v2).is_empty());
    }

    #[test]
    fn mismatches_are_reported_at_the_password() {
        for (m, p) in [
            (r#""none""#, r#""6237d67a""#),
            (r#""none""#, r#"{"plain": "x"}"#),
            (r#""aes""#, "null"),
            (r#""des""#, "null"),
        ] {
            let d = run_rule(&SnmpEncryptionPasswordMismatch, EP, &body(m, p));
            assert_eq!(
                pointers(&d),
                vec!["/version/value/encryption_password"],
                "{m} {p}"
            );
            assert_eq!(d[0].severity, Severity::Error);
        }
    }

    #[test]
    fn messages_name_what_is_allowed() {
        let d = run_rule(
            &SnmpEncryptionPasswordMismatch,
            EP,
            &body(r#""des""#, "null"),
        );
        assert!(
            d[0].message.contains("\"des\"") && d[0].message.contains("key of a stored password")
        );
        let d = run_rule(
            &SnmpEncryptionPasswordMismatch,
            EP,
            &body(r#""none""#, r#""k""#),
        );
        assert!(d[0].message.contains("must be null"));
    }
}
