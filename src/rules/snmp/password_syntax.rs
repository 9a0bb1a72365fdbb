//! SNMP007 snmp-password-syntax: an SNMPv3 password written inline is too short or has a
//! character SPS does not accept.

use serde_json::Value;

use super::common::{self, SnmpVersion};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::snmp_password::{ALLOWED, check_snmp_password};

declare_rule! {
    /// An SNMPv3 password written inline is too short or contains a character SPS does not accept.
    ///
    /// ## What it checks
    ///
    /// When `auth_password` or `encryption_password` of an SNMP version 3 body holds the password
    /// itself as an object, `{"plain": "..."}` (the body `/api/configuration/passwords` takes), checks
    /// that the password:
    ///
    /// - is at least 8 characters long, and
    /// - uses only letters `a`-`z` and `A`-`Z`, digits `0`-`9`, the space, and the special characters
    ///   ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}``.
    ///
    /// The finding names what is wrong ("shorter than 8 characters", "contains a tilde", "contains a
    /// character outside ASCII"), never the password or the offending character itself.
    ///
    /// Writing the object inline is itself reported by the schema: the request needs the key of a
    /// stored password. This rule checks the password's content so you can fix both at once. The same
    /// check runs on the password objects that these keys reference, in whole-repository checks.
    ///
    /// ## Why it matters
    ///
    /// SPS refuses SNMP passwords that break these rules, so the trap settings are not saved. A
    /// password with characters outside the list may also be encoded differently by SPS and by the
    /// trap receiver, and then authentication fails and the alerts are lost.
    ///
    /// ## Notes
    ///
    /// The SPS 6.0.1 documentation lists the special characters as
    /// ``!"#$%&'()*+,;<=&@[\]^`{|}_./:?-``. The list is damaged by HTML escaping: `&` appears twice,
    /// and `<=&` between `;` and `@` is, in ASCII order, where `<=>` belongs. spslint reads the second
    /// `&` as `>` (the escape `&gt;` lost its `gt;`), so `>` is accepted.
    ///
    /// With that repair the list holds every printable ASCII character except the tilde (`~`). No
    /// escaping explains a lost tilde, so spslint takes the list at its word and reports it. Characters
    /// outside ASCII (accented letters, emoji) and control characters (tabs, line breaks) are not in the
    /// list either and are reported. The length counts characters, not bytes; no upper limit is
    /// documented, so none is checked.
    ///
    /// The bad example fails the schema too, because a request must reference a stored password
    /// instead of holding it inline; the fixed example references one.
    pub struct SnmpPasswordSyntax {
        code: "SNMP007",
        name: "snmp-password-syntax",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "enabled": true,
  "version": {
    "selection": "3",
    "value": {
      "auth_method": "sha1",
      "auth_password": {
        "plain": "short"
      },
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
    }
}

/// A kind of character SPS does not accept in an SNMP password. Messages name the kind, never
/// the character.
impl Rule for SnmpPasswordSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(value) = common::settings_of(cx.body, SnmpVersion::V3) else {
            return;
        };
        for (key, what) in [
            ("auth_password", "authentication password"),
            ("encryption_password", "encryption password"),
        ] {
            let Some(plain) = value
                .get(key)
                .and_then(|p| p.get("plain"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            if let Err(err) = check_snmp_password(plain) {
                cx.report(
                    &format!("{}/plain", common::pointer(key)),
                    format!("the {what} is not one SPS accepts: {err}; SNMP passwords need {ALLOWED}"),
                    format!(
                        "choose a password that meets these rules, store it at /api/configuration/passwords and write its key as \"{key}\""
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};
    use crate::values::snmp_password::{CharClass, PasswordError, SPECIALS};

    const EP: &str = "/api/configuration/management/snmp/trap";

    fn body(auth: &str, encryption: &str) -> String {
        format!(
            r#"{{"version": {{"selection": "3", "value": {{"auth_password": {auth},
                "encryption_method": "aes", "encryption_password": {encryption}}}}}}}"#
        )
    }

    #[test]
    fn checker_accepts_the_documented_characters() {
        assert_eq!(check_snmp_password("abcdEFGH"), Ok(()));
        assert_eq!(check_snmp_password("correct horse 42"), Ok(()));
        assert_eq!(check_snmp_password(SPECIALS), Ok(()));
        assert_eq!(check_snmp_password("a>b<c=d>"), Ok(()));
        // Every printable ASCII character but the tilde.
        let printable: String = (' '..='}').collect();
        assert_eq!(check_snmp_password(&printable), Ok(()));
    }

    #[test]
    fn checker_names_the_problems_without_the_password() {
        let e = check_snmp_password("s3cr~t").unwrap_err();
        assert_eq!(
            e,
            PasswordError {
                too_short: true,
                disallowed: vec![CharClass::Tilde]
            }
        );
        assert_eq!(
            e.to_string(),
            "it is shorter than 8 characters and contains a tilde"
        );
        let e = check_snmp_password("pässwörd\tx~~").unwrap_err();
        assert_eq!(
            e.disallowed,
            vec![CharClass::Tilde, CharClass::NonAscii, CharClass::Control]
        );
        assert!(!e.too_short);
        assert!(!e.to_string().contains('~') && !e.to_string().contains('ä'));
        assert_eq!(
            check_snmp_password("").unwrap_err().to_string(),
            "it is shorter than 8 characters"
        );
        // Characters, not bytes: 8 accented letters are long enough but not ASCII.
        assert!(!check_snmp_password("éééééééé").unwrap_err().too_short);
    }

    #[test]
    fn references_and_good_inline_passwords_pass() {
        for (a, e) in [
            (r#""0f5f646d""#, r#""6237d67a""#),
            (r#"{"plain": "long enough"}"#, r#"{"plain": "also fine!"}"#),
            (
                r#"{"key": "k", "meta": {"href": "/api/configuration/passwords/k"}}"#,
                "null",
            ),
            (r#"{"plain": 12}"#, r#"{"plain": null}"#),
        ] {
            assert!(
                run_rule(&SnmpPasswordSyntax, EP, &body(a, e)).is_empty(),
                "{a} {e}"
            );
        }
        assert!(run_rule(&SnmpPasswordSyntax, EP, META.good).is_empty());
    }

    #[test]
    fn bad_inline_passwords_are_reported_at_plain_without_their_text() {
        let d = run_rule(
            &SnmpPasswordSyntax,
            EP,
            &body(r#"{"plain": "hunter2"}"#, r#"{"plain": "hunter2hunter2~"}"#),
        );
        assert_eq!(
            pointers(&d),
            vec![
                "/version/value/auth_password/plain",
                "/version/value/encryption_password/plain"
            ]
        );
        assert!(d.iter().all(|d| d.severity == Severity::Error));
        assert!(
            d[0].message.contains("authentication password") && d[0].message.contains("shorter")
        );
        assert!(d[1].message.contains("encryption password") && d[1].message.contains("a tilde"));
        for d in &d {
            let text = format!("{} {}", d.message, d.help.as_deref().unwrap_or(""));
            assert!(!text.contains("hunter") && !text.contains('~'), "{text}");
        }
    }

    #[test]
    fn only_version_3_is_checked() {
        let v2 = r#"{"version": {"selection": "2c", "value": {"auth_password": {"plain": "x"}}}}"#;
        assert!(run_rule(&SnmpPasswordSyntax, EP, v2).is_empty());
    }
}
