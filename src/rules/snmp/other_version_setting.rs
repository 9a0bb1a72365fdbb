//! SNMP002 snmp-other-version-setting: a setting of the SNMP version that is not selected.

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A setting of the SNMP version that is not selected.
    ///
    /// ## What it checks
    ///
    /// Reports, at the key, every setting in `version.value` that belongs to the other SNMP version:
    /// `community` when `selection` is `"3"`, and `auth_method`, `auth_password`, `encryption_method`,
    /// `encryption_password`, `engine_id` or `username` when `selection` is `"2c"`.
    ///
    /// ## Why it matters
    ///
    /// SPS uses only the settings of the selected version and ignores the others, so what was written
    /// there is dropped without a word. This usually means one of two mistakes: `selection` says
    /// `"2c"` while you meant to configure SNMPv3 (your credentials would be ignored and the traps
    /// would go out with SNMPv2c), or a leftover from the other version that only misleads whoever
    /// reads the file next.
    ///
    /// ## Notes
    ///
    /// The documentation only says which keys each version "must use"; it does not say what SPS does
    /// with the other version's keys. spslint reports them as errors, like unknown keys (SCHEMA001):
    /// whatever was written there is lost, and a body that mixes both versions most often has the
    /// wrong `selection`. If you keep such keys on purpose (a template shared by both versions), lower
    /// this code to a warning in your configuration.
    pub struct SnmpOtherVersionSetting {
        code: "SNMP002",
        name: "snmp-other-version-setting",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "2c",
    "value": {
      "community": "sps-monitoring",
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
    "selection": "2c",
    "value": {
      "community": "sps-monitoring",
      "server": {
        "selection": "ip",
        "value": "192.0.2.40"
      }
    }
  }
}"#,
    }
}

impl Rule for SnmpOtherVersionSetting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some((version, value)) = common::version(cx.body) else {
            return;
        };
        let other = version.other();
        let allowed = match version {
            SnmpVersion::V2c => "\"server\" and \"community\"",
            SnmpVersion::V3 => {
                "\"server\", \"auth_method\", \"auth_password\", \"encryption_method\", \"encryption_password\", \"engine_id\" and \"username\""
            }
        };
        for &key in other.keys() {
            if value.contains_key(key) {
                let d = cx
                    .diag_key(
                        &common::pointer(key),
                        format!(
                            "\"{key}\" belongs to SNMP version {}, but \"selection\" is \"{}\": SPS ignores it, so this setting is lost (version {} takes {allowed})",
                            other.selection(),
                            version.selection(),
                            version.selection(),
                        ),
                    )
                    .with_help(format!(
                        "remove \"{key}\", or set \"selection\" to \"{}\" if you meant SNMP version {} (and give all of its settings)",
                        other.selection(),
                        other.selection(),
                    ));
                cx.emit(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::diagnostic::Target;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/management/snmp/trap";

    #[test]
    fn bodies_of_one_version_pass() {
        for body in [
            META.good,
            r#"{"version": {"selection": "3", "value": {"auth_method": "sha1", "auth_password": "k",
                "encryption_method": "none", "encryption_password": null,
                "engine_id": "0x80001F8880C71100000000", "username": "u"}}}"#,
            r#"{"version": {"selection": "v2", "value": {"community": "x", "username": "u"}}}"#,
        ] {
            assert!(
                run_rule(&SnmpOtherVersionSetting, EP, body).is_empty(),
                "{body}"
            );
        }
    }

    #[test]
    fn v3_keys_under_2c_are_reported_at_their_keys() {
        let d = run_rule(
            &SnmpOtherVersionSetting,
            EP,
            r#"{"version": {"selection": "2c", "value": {"community": "x", "engine_id": "0x1",
                "encryption_password": null}}}"#,
        );
        assert_eq!(
            pointers(&d),
            vec![
                "/version/value/encryption_password",
                "/version/value/engine_id"
            ]
        );
        assert!(
            d.iter()
                .all(|d| d.target == Target::Key && d.severity == Severity::Error)
        );
        assert!(
            d[1].message
                .contains("\"engine_id\" belongs to SNMP version 3")
        );
    }

    #[test]
    fn community_under_3_is_reported_without_its_value() {
        let d = run_rule(
            &SnmpOtherVersionSetting,
            EP,
            r#"{"version": {"selection": "3", "value": {"community": "s3cr3t-community"}}}"#,
        );
        assert_eq!(pointers(&d), vec!["/version/value/community"]);
        assert!(
            !d[0].message.contains("s3cr3t") && !d[0].help.as_deref().unwrap().contains("s3cr3t")
        );
    }
}
