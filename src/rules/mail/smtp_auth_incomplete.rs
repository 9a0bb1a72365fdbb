//! MAIL004 mail-smtp-auth-incomplete: SMTP authentication is enabled without a user name or
//! password.

use serde_json::Value;

use super::common;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// SMTP authentication is enabled, but the user name or the password is missing.
    ///
    /// ## What it checks
    ///
    /// When `smtp_auth.enabled` is `true`, `smtp_auth` must also carry:
    ///
    /// - `username`: the account SPS logs in to the SMTP server with;
    /// - `password`: the key of a password object stored at `/api/configuration/passwords`.
    ///
    /// A missing key is reported on the `smtp_auth` object, naming it. A key that is `null`, empty or
    /// only spaces is reported on its value. The password is never shown.
    ///
    /// ## Why it matters
    ///
    /// A login needs both halves. SPS refuses SMTP authentication without them, and a mail server that
    /// requires a login would reject every alert and report SPS tries to send.
    ///
    /// ## Notes
    ///
    /// The reference shows `smtp_auth` with `enabled` alone when authentication is off, so the two keys
    /// are required only when it is on; the schema cannot express that condition, this rule does.
    ///
    /// New passwords are created at `/api/configuration/passwords` first; `password` holds the key
    /// of that object, not the password itself. Whether the key exists cannot be checked offline.
    pub struct MailSmtpAuthIncomplete {
        code: "MAIL004",
        name: "mail-smtp-auth-incomplete",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: concat!(
        r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": true,
    "username": "sps-mailer"
  },
  "smtp_encryption": {
    "client_authentication": {
      "enabled": false
    },
    "selection": "starttls",
    "server_certificate_check": {
      "enabled": true,
      "server_certificate_ca": "#,
        common::example_ca!(),
        r#"
    }
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}"#
    ),
        good: concat!(
        r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": true,
    "password": "0210848a-b301-47d5-9023-779c5fe951f7",
    "username": "sps-mailer"
  },
  "smtp_encryption": {
    "client_authentication": {
      "enabled": false
    },
    "selection": "starttls",
    "server_certificate_check": {
      "enabled": true,
      "server_certificate_ca": "#,
        common::example_ca!(),
        r#"
    }
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}"#
    ),
    }
}

/// What each key holds, for messages.
fn describe(key: &str) -> &'static str {
    match key {
        "username" => "the account name SPS logs in to the SMTP server with",
        _ => {
            "the key of the password object (stored at /api/configuration/passwords) SPS logs in with"
        }
    }
}

/// An unknown key of `smtp_auth` that is probably `key` misspelt (`usrname`), so the help can
/// say to rename it rather than to add the key a second time.
fn misspelling<'a>(auth: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a str> {
    auth.keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "enabled" | "username" | "password"))
        .find(|k| edit_distance(&k.to_ascii_lowercase(), key) <= 2)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

impl Rule for MailSmtpAuthIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(auth) = common::smtp_auth(cx.body) else {
            return;
        };
        if !common::is_enabled(auth) {
            return;
        }
        for key in ["username", "password"] {
            let problem = match auth.get(key) {
                None => {
                    let help = match misspelling(auth, key) {
                        Some(typo) => format!("rename \"{typo}\" to \"{key}\""),
                        None => format!(
                            "add \"{key}\" to \"smtp_auth\", or set \"enabled\" to false to send without logging in"
                        ),
                    };
                    cx.report(
                        "/smtp_auth",
                        format!(
                            "SMTP authentication is enabled, but \"{key}\" is missing: it needs {}",
                            describe(key)
                        ),
                        help,
                    );
                    continue;
                }
                Some(Value::Null) => "null",
                Some(Value::String(s)) if s.trim().is_empty() => "empty",
                Some(_) => continue,
            };
            cx.report(
                &format!("/smtp_auth/{key}"),
                format!(
                    "SMTP authentication is enabled, but \"{key}\" is {problem}: it needs {}",
                    describe(key)
                ),
                format!("write {}", describe(key)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &crate::endpoint::Endpoint = common::ENDPOINTS[0];

    #[test]
    fn complete_or_disabled_authentication_passes() {
        for b in [
            r#"{"smtp_auth": {"enabled": true, "username": "u", "password": "k"}}"#,
            r#"{"smtp_auth": {"enabled": false}}"#,
            r#"{"smtp_auth": {"enabled": "true"}}"#,
            r#"{"smtp_auth": null}"#,
            // Wrong types are the schema's.
            r#"{"smtp_auth": {"enabled": true, "username": 5, "password": {"plain": "x"}}}"#,
            META.good,
        ] {
            assert!(run_rule(&MailSmtpAuthIncomplete, EP, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn missing_keys_are_reported_at_smtp_auth() {
        let d = run_rule(
            &MailSmtpAuthIncomplete,
            EP,
            r#"{"smtp_auth": {"enabled": true}}"#,
        );
        assert_eq!(pointers(&d), vec!["/smtp_auth", "/smtp_auth"]);
        assert!(d[0].message.contains("\"username\""));
        assert!(d[1].message.contains("\"password\""));
        assert!(d.iter().all(|d| d.severity == Severity::Error));
    }

    #[test]
    fn a_misspelt_key_is_named_in_the_help() {
        let d = run_rule(
            &MailSmtpAuthIncomplete,
            EP,
            r#"{"smtp_auth": {"enabled": true, "usrname": "u", "Pasword": "k"}}"#,
        );
        assert_eq!(pointers(&d), vec!["/smtp_auth", "/smtp_auth"]);
        assert_eq!(
            d[0].help.as_deref(),
            Some("rename \"usrname\" to \"username\"")
        );
        assert_eq!(
            d[1].help.as_deref(),
            Some("rename \"Pasword\" to \"password\"")
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn null_and_empty_values_are_reported_at_the_value() {
        let d = run_rule(
            &MailSmtpAuthIncomplete,
            EP,
            r#"{"smtp_auth": {"enabled": true, "username": " ", "password": null}}"#,
        );
        assert_eq!(
            pointers(&d),
            vec!["/smtp_auth/username", "/smtp_auth/password"]
        );
        assert!(d[0].message.contains("empty"));
        assert!(d[1].message.contains("null"));
        let d = run_rule(
            &MailSmtpAuthIncomplete,
            EP,
            r#"{"smtp_auth": {"enabled": true, "username": "u", "password": ""}}"#,
        );
        assert_eq!(pointers(&d), vec!["/smtp_auth/password"]);
    }
}
