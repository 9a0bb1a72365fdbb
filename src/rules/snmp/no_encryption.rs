//! SNMP010 snmp-no-encryption: SNMPv3 traps sent without encryption.

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// SNMPv3 traps are sent unencrypted.
    ///
    /// ## What it checks
    ///
    /// Warns when an SNMP version 3 body sets `encryption_method` to `"none"`.
    ///
    /// ## Why it matters
    ///
    /// Without encryption the traps cross the network in clear text: anyone on the path can read the
    /// alerts, which name users, servers and sessions. Authentication alone only proves where a trap
    /// comes from. SPS offers `"aes"`; it needs an encryption password, stored at
    /// `/api/configuration/passwords` and configured on the trap receiver too.
    ///
    /// ## Notes
    ///
    /// The documentation's MD5 example uses `"none"` and gives no advice; the warning is spslint's own.
    /// It has its own code, separate from DES (SNMP009), so that a site that sends traps over a
    /// trusted management network on purpose can ignore it. SNMP version 2c traps are never encrypted;
    /// that is not reported here.
    pub struct SnmpNoEncryption {
        code: "SNMP010",
        name: "snmp-no-encryption",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "3",
    "value": {
      "auth_method": "sha1",
      "auth_password": "0f5f646d-d6e7-4a4a-bc66-ead670faff3f",
      "encryption_method": "none",
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

impl Rule for SnmpNoEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::string_setting(cx.body, SnmpVersion::V3, "encryption_method") == Some("none") {
            cx.report(
                &common::pointer("encryption_method"),
                "\"encryption_method\" is \"none\", so the traps are sent in clear text: of the allowed values \"none\", \"aes\" and \"des\", \"aes\" protects traps best",
                "write \"aes\" and set \"encryption_password\" to the key of a password stored at /api/configuration/passwords; configure the same on the trap receiver",
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

    #[test]
    fn aes_passes_and_none_is_warned_about() {
        assert!(run_rule(&SnmpNoEncryption, EP, META.good).is_empty());
        let d = run_rule(&SnmpNoEncryption, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/version/value/encryption_method"]);
        assert_eq!(d[0].severity, Severity::Warning);
        let v2 = r#"{"version": {"selection": "2c", "value": {"encryption_method": "none"}}}"#;
        assert!(run_rule(&SnmpNoEncryption, EP, v2).is_empty());
    }
}
