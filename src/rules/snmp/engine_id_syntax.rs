//! SNMP005 snmp-engine-id-syntax: engine_id is not a hexadecimal number of at least 10 digits.

use std::fmt;

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};

/// The fewest hexadecimal digits SPS accepts in an engine ID.
pub const MIN_DIGITS: usize = 10;

declare_rule! {
    /// `engine_id` is not a hexadecimal number of at least 10 digits.
    ///
    /// ## What it checks
    ///
    /// For SNMP version 3, `engine_id` must be a hexadecimal number: the digits `0`-`9`, `a`-`f` and
    /// `A`-`F`, optionally after a `0x` or `0X` prefix, and at least 10 digits long (not counting the
    /// prefix). The finding says which character is not a hexadecimal digit (by its position), or how
    /// many digits there are when there are too few.
    ///
    /// ## Why it matters
    ///
    /// SNMPv3 traps carry the engine ID of the sender, and the receiver looks its user credentials up
    /// by that ID. SPS refuses an engine ID that is not a long enough hexadecimal number, and a wrong
    /// one means the receiver cannot authenticate the traps: alerts are silently lost.
    ///
    /// ## Notes
    ///
    /// The documentation asks for "a hexadecimal number at least 10 digits long (for example,
    /// 0x0123456789ABCDEF)". spslint reads this as: an optional `0x`/`0X` prefix, then at least 10
    /// hexadecimal digits, the prefix not counted. Separators (spaces, colons) are not digits and are
    /// reported. The documentation's examples write `"<0x0123456789ABCDEF>"`: the angle brackets mark
    /// a placeholder and are not part of the value; the finding says so when it sees them.
    ///
    /// The upper length and an odd number of digits are only warnings, under their own code (SNMP006),
    /// so that they can be switched off separately.
    pub struct SnmpEngineIdSyntax {
        code: "SNMP005",
        name: "snmp-engine-id-syntax",
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
      "engine_id": "<0x0123456789ABCDEF>",
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
      "engine_id": "0x0123456789ABCDEF",
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

/// Why a text is not an engine ID SPS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineIdError {
    /// The character at `position` (1-based, in characters, prefix included) is not a
    /// hexadecimal digit.
    NotHex { position: usize, found: char },
    /// Fewer than [`MIN_DIGITS`] digits after the optional prefix.
    TooShort { digits: usize },
}

impl fmt::Display for EngineIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EngineIdError::NotHex { position, found } => write!(
                f,
                "character {position} is {}, which is not a hexadecimal digit",
                describe_char(found)
            ),
            EngineIdError::TooShort { digits: 0 } => f.write_str("it has no hexadecimal digits"),
            EngineIdError::TooShort { digits: 1 } => f.write_str("it has only 1 hexadecimal digit"),
            EngineIdError::TooShort { digits } => {
                write!(f, "it has only {digits} hexadecimal digits")
            }
        }
    }
}

/// A character for a message: its name when it is invisible, else itself quoted.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\u{a0}' => "a non-breaking space".to_string(),
        c => format!("{c:?}"),
    }
}

/// Check an engine ID; on success, the number of hexadecimal digits (prefix not counted).
pub fn check_engine_id(text: &str) -> Result<usize, EngineIdError> {
    let (prefix, digits) = match text.get(..2) {
        Some("0x" | "0X") => (2, &text[2..]),
        _ => (0, text),
    };
    let mut count = 0;
    for (i, c) in digits.chars().enumerate() {
        if !c.is_ascii_hexdigit() {
            return Err(EngineIdError::NotHex {
                position: prefix + i + 1,
                found: c,
            });
        }
        count += 1;
    }
    if count < MIN_DIGITS {
        return Err(EngineIdError::TooShort { digits: count });
    }
    Ok(count)
}

impl Rule for SnmpEngineIdSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(text) = common::string_setting(cx.body, SnmpVersion::V3, "engine_id") else {
            return;
        };
        let Err(err) = check_engine_id(text) else {
            return;
        };
        let help = if text.starts_with('<') && text.ends_with('>') {
            "remove the angle brackets: \"<0x0123456789ABCDEF>\" in the SPS documentation is a placeholder for your engine ID".to_string()
        } else {
            match err {
                EngineIdError::NotHex { .. } => "write the engine ID as hexadecimal digits only, such as \"0x80001F8880C71100000000\", without spaces, colons or other separators".to_string(),
                EngineIdError::TooShort { .. } => format!(
                    "write the full engine ID: at least {MIN_DIGITS} hexadecimal digits (5 octets), such as \"0x80001F8880C71100000000\""
                ),
            }
        };
        cx.report(
            &common::pointer("engine_id"),
            format!(
                "\"engine_id\" must be a hexadecimal number of at least {MIN_DIGITS} digits (0-9, a-f, A-F, after an optional 0x prefix), but {err}"
            ),
            help,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/management/snmp/trap";

    fn body(id: &str) -> String {
        format!(r#"{{"version": {{"selection": "3", "value": {{"engine_id": {id}}}}}}}"#)
    }

    #[test]
    fn checker_accepts_hex_numbers_of_ten_digits_or_more() {
        assert_eq!(check_engine_id("0x80001F8880C71100000000"), Ok(22));
        assert_eq!(check_engine_id("0X0123456789"), Ok(10));
        assert_eq!(check_engine_id("0123456789abcdef"), Ok(16));
        assert_eq!(check_engine_id("abcdefABCD1"), Ok(11));
    }

    #[test]
    fn checker_explains_what_is_wrong() {
        use EngineIdError::*;
        assert_eq!(check_engine_id(""), Err(TooShort { digits: 0 }));
        assert_eq!(check_engine_id("0x"), Err(TooShort { digits: 0 }));
        assert_eq!(check_engine_id("0x123456789"), Err(TooShort { digits: 9 }));
        assert_eq!(
            check_engine_id("<0x0123456789ABCDEF>"),
            Err(NotHex {
                position: 1,
                found: '<'
            })
        );
        assert_eq!(
            check_engine_id("0x01234g6789"),
            Err(NotHex {
                position: 8,
                found: 'g'
            })
        );
        assert_eq!(
            check_engine_id("80:00:1f:88:80"),
            Err(NotHex {
                position: 3,
                found: ':'
            })
        );
        assert_eq!(
            check_engine_id("0x0x0123456789"),
            Err(NotHex {
                position: 4,
                found: 'x'
            })
        );
        assert_eq!(
            check_engine_id("é0123456789"),
            Err(NotHex {
                position: 1,
                found: 'é'
            })
        );
        assert_eq!(
            check_engine_id("0é"),
            Err(NotHex {
                position: 2,
                found: 'é'
            })
        );
        assert_eq!(
            NotHex {
                position: 23,
                found: ' '
            }
            .to_string(),
            "character 23 is a space, which is not a hexadecimal digit"
        );
        assert_eq!(
            TooShort { digits: 8 }.to_string(),
            "it has only 8 hexadecimal digits"
        );
    }

    #[test]
    fn good_ids_and_other_versions_pass() {
        for id in [
            r#""0x80001F8880C71100000000""#,
            r#""0123456789""#,
            "null",
            "12",
        ] {
            assert!(
                run_rule(&SnmpEngineIdSyntax, EP, &body(id)).is_empty(),
                "{id}"
            );
        }
        let v2 = r#"{"version": {"selection": "2c", "value": {"engine_id": "zz"}}}"#;
        assert!(run_rule(&SnmpEngineIdSyntax, EP, v2).is_empty());
    }

    #[test]
    fn bad_ids_are_reported_at_the_engine_id() {
        for (id, says) in [
            (r#""<0x0123456789ABCDEF>""#, "character 1 is '<'"),
            (r#""0x12345678""#, "only 8 hexadecimal digits"),
            (r#""""#, "no hexadecimal digits"),
            (r#""80001F8880C7110000000 ""#, "character 22 is a space"),
        ] {
            let d = run_rule(&SnmpEngineIdSyntax, EP, &body(id));
            assert_eq!(pointers(&d), vec!["/version/value/engine_id"], "{id}");
            assert_eq!(d[0].severity, Severity::Error);
            assert!(d[0].message.contains(says), "{}", d[0].message);
        }
        let d = run_rule(&SnmpEngineIdSyntax, EP, &body(r#""<0x0123456789ABCDEF>""#));
        assert!(d[0].help.as_deref().unwrap().contains("placeholder"));
    }
}
