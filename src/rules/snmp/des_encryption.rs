//! SNMP009 snmp-des-encryption: SNMPv3 traps encrypted with DES.

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// SNMPv3 traps are encrypted with DES; AES is the secure choice SPS offers.
    ///
    /// ## What it checks
    ///
    /// Warns when an SNMP version 3 body sets `encryption_method` to `"des"`.
    ///
    /// ## Why it matters
    ///
    /// DES uses 56-bit keys, which can be broken by brute force with ordinary hardware, so whoever
    /// captures the traps can eventually read the alerts, which name users, servers and sessions.
    /// SPS also offers `"aes"`. The trap receiver's SNMPv3 user must use the same cipher, so change
    /// both together.
    ///
    /// ## Notes
    ///
    /// The documentation lists `none`, `aes` and `des` without advice; the warning is spslint's own.
    /// DES and no encryption at all (SNMP010) have separate codes, so a site that deliberately sends
    /// unencrypted traps on an isolated network can ignore one and keep the other.
    pub struct SnmpDesEncryption {
        code: "SNMP009",
        name: "snmp-des-encryption",
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
      "encryption_method": "des",
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

impl Rule for SnmpDesEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::string_setting(cx.body, SnmpVersion::V3, "encryption_method") == Some("des") {
            cx.report(
                &common::pointer("encryption_method"),
                "\"encryption_method\" is \"des\", whose 56-bit keys can be broken: of the allowed values \"none\", \"aes\" and \"des\", \"aes\" protects traps best",
                "write \"aes\", and set the trap receiver's SNMPv3 user to AES privacy as well",
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
    fn aes_passes_and_des_is_warned_about() {
        assert!(run_rule(&SnmpDesEncryption, EP, META.good).is_empty());
        let d = run_rule(&SnmpDesEncryption, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/version/value/encryption_method"]);
        assert_eq!(d[0].severity, Severity::Warning);
        let v2 = r#"{"version": {"selection": "2c", "value": {"encryption_method": "des"}}}"#;
        assert!(run_rule(&SnmpDesEncryption, EP, v2).is_empty());
    }
}
