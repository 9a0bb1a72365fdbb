//! SNMP008 snmp-md5-authentication: SNMPv3 traps authenticated with MD5.

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// SNMPv3 traps are authenticated with MD5; SHA1 is the stronger choice SPS offers.
    ///
    /// ## What it checks
    ///
    /// Warns when an SNMP version 3 body sets `auth_method` to `"md5"`.
    ///
    /// ## Why it matters
    ///
    /// Authentication proves to the receiver that a trap comes from SPS and was not altered. MD5 is a
    /// broken hash function and the weaker of the two methods SPS offers; an attacker who captures
    /// traps has an easier time guessing the authentication password. `"sha1"` is the better choice.
    /// The trap receiver's SNMPv3 user must use the same method, so change both together.
    ///
    /// ## Notes
    ///
    /// The documentation presents `md5` and `sha1` side by side (one of its examples uses MD5) and
    /// gives no advice; the warning is spslint's own security advice. SHA1 is no longer a strong hash
    /// either, but it is the strongest method the documented API allows. If the receiver only supports
    /// MD5, ignore SNMP008.
    pub struct SnmpMd5Authentication {
        code: "SNMP008",
        name: "snmp-md5-authentication",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "3",
    "value": {
      "auth_method": "md5",
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

impl Rule for SnmpMd5Authentication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::string_setting(cx.body, SnmpVersion::V3, "auth_method") == Some("md5") {
            cx.report(
                &common::pointer("auth_method"),
                "\"auth_method\" is \"md5\", a broken hash: of the allowed values \"md5\" and \"sha1\", \"sha1\" authenticates traps more securely",
                "write \"sha1\", and set the trap receiver's SNMPv3 user to SHA authentication as well",
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
    fn sha1_passes_and_md5_is_warned_about() {
        assert!(run_rule(&SnmpMd5Authentication, EP, META.good).is_empty());
        let d = run_rule(&SnmpMd5Authentication, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/version/value/auth_method"]);
        assert_eq!(d[0].severity, Severity::Warning);
        let v2 = r#"{"version": {"selection": "2c", "value": {"auth_method": "md5"}}}"#;
        assert!(run_rule(&SnmpMd5Authentication, EP, v2).is_empty());
    }
}
