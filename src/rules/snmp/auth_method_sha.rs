//! SNMP004 snmp-auth-method-sha: "sha", as in the documentation's example, instead of "sha1".

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// `auth_method` is `"sha"`, copied from the documentation's example; the allowed value is `"sha1"`.
    ///
    /// ## What it checks
    ///
    /// Reports `auth_method: "sha"` in an SNMP version 3 body. The allowed values are `"md5"` and
    /// `"sha1"`.
    ///
    /// ## Why it matters
    ///
    /// The documentation's example for "SHA1 authentication, and AES-encrypted communication" sends
    /// `"auth_method": "sha"`, so bodies copied from it carry a value the element table does not list.
    /// A value outside the documented list is expected to be refused by SPS (at best it is handled in
    /// an undocumented way), so the trap settings would not be saved. This rule explains where the
    /// value comes from instead of a bare "not an allowed value".
    ///
    /// ## Notes
    ///
    /// The SPS 6.0.1 REST documentation contradicts itself: the element table lists `md5` and `sha1`
    /// for `auth_method`, while the example titled "SHA1 authentication" sends `"sha"`. spslint follows
    /// the element table, which is the definition of the field, and reports `"sha"` as an error. The
    /// schema would report the same value as "not an allowed value" (SCHEMA004); this rule's finding
    /// replaces that one. If your SPS version does accept `"sha"`, ignore SNMP004.
    ///
    /// Only the exact spelling `"sha"` is reported here; other spellings (`"SHA1"`, `"sha-1"`) are
    /// reported by the schema with a suggestion.
    pub struct SnmpAuthMethodSha {
        code: "SNMP004",
        name: "snmp-auth-method-sha",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "3",
    "value": {
      "auth_method": "sha",
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

impl Rule for SnmpAuthMethodSha {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::string_setting(cx.body, SnmpVersion::V3, "auth_method") == Some("sha") {
            cx.report(
                &common::pointer("auth_method"),
                "\"sha\" is not an allowed value for \"auth_method\": the SPS documentation's example uses it, but its element table allows only \"md5\" and \"sha1\"",
                "write \"sha1\"",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/management/snmp/trap";

    fn body(method: &str) -> String {
        format!(r#"{{"version": {{"selection": "3", "value": {{"auth_method": {method}}}}}}}"#)
    }

    #[test]
    fn documented_values_and_other_spellings_pass() {
        for m in [
            r#""sha1""#,
            r#""md5""#,
            r#""SHA1""#,
            r#""sha256""#,
            "null",
            "1",
        ] {
            assert!(run_rule(&SnmpAuthMethodSha, EP, &body(m)).is_empty(), "{m}");
        }
        let v2 = r#"{"version": {"selection": "2c", "value": {"auth_method": "sha"}}}"#;
        assert!(run_rule(&SnmpAuthMethodSha, EP, v2).is_empty());
    }

    #[test]
    fn sha_is_reported_with_the_documented_values() {
        let d = run_rule(&SnmpAuthMethodSha, EP, &body(r#""sha""#));
        assert_eq!(pointers(&d), vec!["/version/value/auth_method"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("\"md5\" and \"sha1\""));
        assert_eq!(d[0].help.as_deref(), Some("write \"sha1\""));
    }
}
