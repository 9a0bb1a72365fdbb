//! Shared by the mail settings rules (MAIL001 to MAIL008): where the encryption and login
//! settings are in a body, read defensively. Not a rule itself.

use serde_json::Value;

use crate::endpoint::{Endpoint, id};
use crate::values::email::EmailError;
use crate::values::net::HostnameError;

/// The endpoint every mail rule applies to.
pub static ENDPOINTS: &[&Endpoint] = &[id::MANAGEMENT_EMAIL];

/// Pointer (relative to the body) of `smtp_encryption.selection`.
pub const SELECTION: &str = "/smtp_encryption/selection";

/// The two optional certificate settings of `smtp_encryption`.
pub const CLIENT_AUTHENTICATION: &str = "client_authentication";
pub const SERVER_CERTIFICATE_CHECK: &str = "server_certificate_check";

/// How the connection to the SMTP server is protected (`smtp_encryption.selection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    Disabled,
    Starttls,
}

/// The selected encryption, when `smtp_encryption.selection` is one of the documented values.
/// Anything else is the schema's to report, so the rules stay silent.
pub fn encryption(body: &Value) -> Option<Encryption> {
    match body.get("smtp_encryption")?.get("selection")?.as_str()? {
        "disabled" => Some(Encryption::Disabled),
        "starttls" => Some(Encryption::Starttls),
        _ => None,
    }
}

/// One of the certificate objects of `smtp_encryption`, if it is an object.
pub fn tls_option<'a>(body: &'a Value, key: &str) -> Option<&'a serde_json::Map<String, Value>> {
    body.get("smtp_encryption")?.get(key)?.as_object()
}

/// A certificate option of `smtp_encryption` that is switched on while STARTTLS is selected:
/// the only case in which its companion settings matter.
pub fn enabled_starttls_option<'a>(
    body: &'a Value,
    key: &str,
) -> Option<&'a serde_json::Map<String, Value>> {
    if encryption(body) != Some(Encryption::Starttls) {
        return None;
    }
    tls_option(body, key).filter(|o| is_enabled(o))
}

/// Whether an object's `enabled` is the boolean `true` (not a string, not absent).
pub fn is_enabled(object: &serde_json::Map<String, Value>) -> bool {
    object.get("enabled") == Some(&Value::Bool(true))
}

/// The `smtp_auth` object, if it is an object.
pub fn smtp_auth(body: &Value) -> Option<&serde_json::Map<String, Value>> {
    body.get("smtp_auth")?.as_object()
}

/// [`crate::values::email::check_email`], guarded: that function slices the value at byte 7
/// to look for `mailto:`, which panics when a multi-byte character spans that byte. Such a
/// value has a non-ASCII character near its start, which no plain address has, so it is
/// reported as that character instead.
pub fn check_email(s: &str) -> Result<(), EmailError> {
    let t = s.trim();
    let display_name = t.strip_suffix('>').is_some_and(|inner| inner.contains('<'));
    if t.len() >= 7
        && !t.is_char_boundary(7)
        && !display_name
        && s.contains(|c: char| !c.is_whitespace())
    {
        let at = s.find('@');
        if let Some((index, (byte, ch))) = s
            .char_indices()
            .enumerate()
            .find(|(_, (_, c))| !c.is_ascii())
        {
            return Err(match at {
                Some(at) if byte > at => {
                    EmailError::Domain(HostnameError::InvalidChar { ch, index })
                }
                _ => EmailError::InvalidLocalChar { ch, index },
            });
        }
    }
    crate::values::email::check_email(s)
}

/// The JSON string (quotes included) of a CA certificate valid until 2099
/// (`fixtures/certs/ca-valid-2099.pem`), for documented examples that enable the server
/// certificate check: a placeholder would be reported by the certificate rules.
macro_rules! example_ca {
    () => {
        r#""-----BEGIN CERTIFICATE-----\nMIIDQzCCAiugAwIBAgICEAAwDQYJKoZIhvcNAQELBQAwMTEYMBYGA1UEAwwPc3Bz\nbGludCBUZXN0IENBMRUwEwYDVQQKDAxzcHNsaW50IHRlc3QwIBcNMjQwMTAxMDAw\nMDAwWhgPMjA5OTEyMzEyMzU5NTlaMDExGDAWBgNVBAMMD3Nwc2xpbnQgVGVzdCBD\nQTEVMBMGA1UECgwMc3BzbGludCB0ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\nMIIBCgKCAQEAou05pJHcs/P7yb6e3rAcDS8d8j+7Ipv1gufYCnd9Z6BHZuuU8YSG\n6LRdLjhxnvij7COz5xs383/lxadWTdRG0iDZG+MYZcVMmCrEz5mOwS99037XBhtZ\nFJ1gkwxPEgF8EE4OMGbcTisjGW/PpA05V/iCQ2FkJfchFxlSZDurmON2TRnrWdot\nrIsGqCTzVfatBuIbyMnJ2ubwFzQgiMyEO2shjwMK7s92ACs+V5h85L0IePKDLg6Q\n4zlKUsoFNiKWl/FNPQDNeQYJtpf5y4CvmXOsPbZHoWWVwbqoWBaiwiz2icqqYtpC\nLWKFBzxsPUmEymxhoBFuzsfkf4Qle9oo8QIDAQABo2MwYTAPBgNVHRMBAf8EBTAD\nAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUcuI0qIDpNnJzB9eoqkfFl08c\n0V8wHwYDVR0jBBgwFoAUcuI0qIDpNnJzB9eoqkfFl08c0V8wDQYJKoZIhvcNAQEL\nBQADggEBAJtBCR7Loi3C2Y+7dHpYLCbWk/lNCRzKEhcdGpHEmoIA52yJG7ZLhmfE\nzmlKonTKPmf1H5NfbnvhItcekyRsRd4pDfd+d9Dd/sO/COqGWUns1GxCrj6TilCb\nXPD1dZ2QHBhF5Qfm55/OLPnGDayygFOrVyNi+XhqBi9QzCQ/TrIEwNnRomSX8XN+\nowLdlFuH9A435drX3J/RYm8TMUUfiojqFQZk9e558Mkk2szdE9IZJogQ63WRQdOj\nvtNas66al17Bqhs3isz8FhBKY6WPCkdzylgd/UBZ+Dw72HA2BTL1zXthvCocBw+W\ngbTTskiq5m6ulrhaRuTIg2sCgKgg7bk=\n-----END CERTIFICATE-----\n""#
    };
}
pub(crate) use example_ca;

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::{self, testing};

    fn mail_rules() -> Vec<&'static dyn rules::Rule> {
        rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().code.starts_with("MAIL"))
            .collect()
    }

    fn fixtures(kind: &str) -> Vec<(String, String)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(kind)
            .join("api/configuration/management/email");
        let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn non_ascii_near_the_start_does_not_panic() {
        assert_eq!(
            check_email("abcdef€@example.com"),
            Err(EmailError::InvalidLocalChar {
                ch: '€', index: 6
            })
        );
        assert_eq!(
            check_email("a@bcde€.example"),
            Err(EmailError::Domain(HostnameError::InvalidChar {
                ch: '€',
                index: 6
            }))
        );
        assert!(check_email("é€𝄞@").is_err());
        assert_eq!(check_email("admin@example.com"), Ok(()));
        assert!(matches!(
            check_email("Jürgen€ <j@example.com>"),
            Err(EmailError::DisplayName { .. })
        ));
    }

    #[test]
    fn eight_mail_rules_are_registered_in_code_order() {
        let codes: Vec<&str> = mail_rules().iter().map(|r| r.meta().code).collect();
        let want: Vec<String> = (1..=8).map(|i| format!("MAIL{i:03}")).collect();
        assert_eq!(codes, want);
        for r in mail_rules() {
            assert_eq!(r.meta().endpoints, ENDPOINTS, "{}", r.meta().code);
        }
    }

    #[test]
    fn valid_fixtures_give_no_mail_error() {
        for (path, text) in fixtures("valid") {
            for r in mail_rules() {
                for d in testing::run_rule(r, ENDPOINTS[0], &text) {
                    assert_eq!(d.severity, Severity::Warning, "{path}: {d:?}");
                }
            }
        }
    }

    #[test]
    fn documented_fixes_are_clean_for_every_mail_rule() {
        for example in mail_rules() {
            for r in mail_rules() {
                let d = testing::run_rule(r, ENDPOINTS[0], example.meta().good);
                assert!(
                    d.is_empty(),
                    "the fix of {} is reported by {}: {d:?}",
                    example.meta().code,
                    r.meta().code
                );
            }
        }
    }

    #[test]
    fn no_rule_panics_on_odd_shapes() {
        let bodies = [
            "{}",
            "[]",
            "null",
            "3",
            r#"{"smtp_encryption": null, "smtp_auth": null}"#,
            r#"{"smtp_encryption": [], "smtp_auth": []}"#,
            r#"{"smtp_encryption": {"selection": 3, "client_authentication": "yes"}}"#,
            r#"{"smtp_encryption": {"selection": "starttls", "client_authentication": {"enabled": "true"},
                "server_certificate_check": {"enabled": 1}}}"#,
            r#"{"smtp_encryption": {"selection": "starttls", "client_authentication": {"enabled": true, "x509_identity": 5},
                "server_certificate_check": {"enabled": true, "server_certificate_ca": []}}}"#,
            r#"{"smtp_auth": {"enabled": true, "username": 5, "password": {"plain": "x"}}}"#,
            r#"{"admin_address": 5, "alerting_address": [], "reporting_address": {}, "sender_address": "é€𝄞@"}"#,
        ];
        for body in bodies {
            for r in mail_rules() {
                let _ = testing::run_rule(r, ENDPOINTS[0], body);
            }
        }
    }

    #[test]
    fn planted_secrets_never_appear_in_messages_or_help() {
        let secret = "hunter2-s3cr3t";
        let bodies = [
            format!(
                r#"{{"smtp_auth": {{"enabled": true, "password": "{secret}"}},
                "smtp_encryption": {{"selection": "disabled"}}}}"#
            ),
            format!(
                r#"{{"smtp_auth": {{"enabled": true, "username": "", "password": "{secret}"}},
                "smtp_encryption": {{"selection": "starttls"}}}}"#
            ),
            format!(
                r#"{{"smtp_auth": {{"enabled": true, "password": {{"plain": "{secret}"}}}},
                "smtp_encryption": {{"selection": "disabled"}}}}"#
            ),
        ];
        let mut seen = 0;
        for body in &bodies {
            for r in mail_rules() {
                for d in testing::run_rule(r, ENDPOINTS[0], body) {
                    seen += 1;
                    let text = format!("{} {}", d.message, d.help.clone().unwrap_or_default());
                    assert!(!text.contains(secret), "{}: {text}", d.code);
                }
            }
        }
        assert!(seen > 0);
    }
}
