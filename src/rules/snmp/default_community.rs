//! SNMP011 snmp-default-community: an SNMPv2c community that is a well-known default.

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

/// Community names every SNMP tool tries first.
const DEFAULTS: &[&str] = &["public", "private"];

declare_rule! {
    /// The SNMPv2c community is a well-known default (`public` or `private`).
    ///
    /// ## What it checks
    ///
    /// Warns when an SNMP version 2c body sets `community` to `public` or `private`, in any mix of
    /// upper and lower case. The message never repeats the community: it is the only credential of
    /// SNMPv2c and is treated as a secret.
    ///
    /// ## Why it matters
    ///
    /// With SNMPv2c the community is the only thing a receiver checks. `public` and `private` are the
    /// factory defaults of most SNMP devices and the first values any scanner tries. A receiver that
    /// accepts traps with such a community accepts forged alerts from anyone, and the same community on
    /// other devices may also give read or write access to them. Use a name that only SPS and the
    /// receiver know (or better, SNMP version 3).
    ///
    /// ## Notes
    ///
    /// The documentation's sample response and its version 2c example both use `public`, so bodies
    /// copied from them get this warning. It is spslint's own security advice, not an SPS requirement:
    /// SPS accepts any community.
    pub struct SnmpDefaultCommunity {
        code: "SNMP011",
        name: "snmp-default-community",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "2c",
    "value": {
      "community": "public",
      "server": {
        "selection": "ip",
        "value": "192.0.2.40"
      }
    }
  }
}"#,
        good: r#"{
  "enabled": true,
  "version": {
    "selection": "2c",
    "value": {
      "community": "sps-alerts-7f3k",
      "server": {
        "selection": "ip",
        "value": "192.0.2.40"
      }
    }
  }
}"#,
    }
}

impl Rule for SnmpDefaultCommunity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(community) = common::string_setting(cx.body, SnmpVersion::V2c, "community") else {
            return;
        };
        if DEFAULTS.iter().any(|d| community.eq_ignore_ascii_case(d)) {
            cx.report(
                &common::pointer("community"),
                "the community string is a well-known default that scanners try first: anyone can send traps the receiver accepts",
                "choose a community name only SPS and the trap receiver know, and set it on both (or use SNMP version 3)",
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

    fn body(community: &str) -> String {
        format!(r#"{{"version": {{"selection": "2c", "value": {{"community": "{community}"}}}}}}"#)
    }

    #[test]
    fn private_names_pass() {
        assert!(run_rule(&SnmpDefaultCommunity, EP, META.good).is_empty());
        for c in ["sps-monitoring", "publicity", "not-public", ""] {
            assert!(
                run_rule(&SnmpDefaultCommunity, EP, &body(c)).is_empty(),
                "{c}"
            );
        }
        let v3 = r#"{"version": {"selection": "3", "value": {"community": "public"}}}"#;
        assert!(run_rule(&SnmpDefaultCommunity, EP, v3).is_empty());
    }

    #[test]
    fn defaults_are_warned_about_without_repeating_them() {
        for c in ["public", "private", "PUBLIC", "Private"] {
            let d = run_rule(&SnmpDefaultCommunity, EP, &body(c));
            assert_eq!(pointers(&d), vec!["/version/value/community"], "{c}");
            assert_eq!(d[0].severity, Severity::Warning);
            let text = format!("{} {}", d[0].message, d[0].help.as_deref().unwrap());
            assert!(!text.to_lowercase().contains(&c.to_lowercase()), "{text}");
        }
    }
}
