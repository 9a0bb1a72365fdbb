//! SNMP006 snmp-engine-id-length: engine_id is not a whole number of octets, or is longer than
//! SNMP allows.

use super::common::{self, SnmpVersion};
use super::engine_id_syntax::check_engine_id;
use crate::rules::{Rule, RuleContext, RuleMeta};

/// RFC 3411: an engine ID is at most 32 octets.
const MAX_DIGITS: usize = 64;

declare_rule! {
    /// `engine_id` has an odd number of hexadecimal digits, or more than 64.
    ///
    /// ## What it checks
    ///
    /// For an SNMP version 3 `engine_id` that SNMP005 accepts (a hexadecimal number of at least 10
    /// digits), warns when the number of digits, not counting a `0x` prefix, is odd or greater than
    /// 64.
    ///
    /// ## Why it matters
    ///
    /// SNMP defines an engine ID as 5 to 32 octets (RFC 3411), and every octet is written as two
    /// hexadecimal digits: a valid engine ID has an even number of digits from 10 to 64. An odd count
    /// usually means a digit was lost or added while copying it, and the receiver, which looks the
    /// SNMPv3 user up by engine ID, would then not recognise SPS's traps. A longer value is likely not
    /// an engine ID at all.
    ///
    /// ## Notes
    ///
    /// The SPS documentation only sets a lower bound ("at least 10 digits"); the even count and the
    /// upper bound come from RFC 3411, not from SPS. Whether SPS itself refuses such values is not
    /// documented, so spslint warns instead of reporting an error, under its own code so it can be
    /// ignored without losing the syntax check (SNMP005).
    pub struct SnmpEngineIdLength {
        code: "SNMP006",
        name: "snmp-engine-id-length",
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
      "encryption_method": "aes",
      "encryption_password": "6237d67a-b6b4-49e0-b0f6-6d68d0f08cc3",
      "engine_id": "0x80001F8880C7110000000",
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

impl Rule for SnmpEngineIdLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(text) = common::string_setting(cx.body, SnmpVersion::V3, "engine_id") else {
            return;
        };
        let Ok(digits) = check_engine_id(text) else {
            return; // SNMP005's.
        };
        let at = common::pointer("engine_id");
        if digits > MAX_DIGITS {
            cx.report(
                &at,
                format!(
                    "\"engine_id\" has {digits} hexadecimal digits, more than {MAX_DIGITS}: an SNMP engine ID is 5 to 32 octets, that is 10 to {MAX_DIGITS} digits (RFC 3411)"
                ),
                "check that only the engine ID was pasted, as configured on the trap receiver",
            );
        } else if digits % 2 == 1 {
            cx.report(
                &at,
                format!(
                    "\"engine_id\" has {digits} hexadecimal digits, an odd number: an SNMP engine ID is whole octets of two digits each, an even number from 10 to {MAX_DIGITS} (RFC 3411)"
                ),
                "check the engine ID for a missing or extra digit against the one configured on the trap receiver",
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

    fn body(id: &str) -> String {
        format!(r#"{{"version": {{"selection": "3", "value": {{"engine_id": "{id}"}}}}}}"#)
    }

    #[test]
    fn even_lengths_from_10_to_64_pass() {
        for n in [10, 22, 64] {
            let id = format!("0x{}", "a".repeat(n));
            assert!(
                run_rule(&SnmpEngineIdLength, EP, &body(&id)).is_empty(),
                "{n}"
            );
        }
        // Syntax errors are SNMP005's.
        for id in ["0x123", "0xzz", "<0x0123456789ABCDEF>"] {
            assert!(
                run_rule(&SnmpEngineIdLength, EP, &body(id)).is_empty(),
                "{id}"
            );
        }
    }

    #[test]
    fn odd_and_overlong_ids_are_warned_about() {
        for (n, says) in [
            (11, "11 hexadecimal digits, an odd number"),
            (65, "more than 64"),
            (66, "more than 64"),
        ] {
            let d = run_rule(&SnmpEngineIdLength, EP, &body(&"A".repeat(n)));
            assert_eq!(pointers(&d), vec!["/version/value/engine_id"], "{n}");
            assert_eq!(d[0].severity, Severity::Warning);
            assert!(d[0].message.contains(says), "{}", d[0].message);
        }
    }
}
