//! MAIL005 mail-invalid-address: an e-mail address field does not hold one plain address.

use serde_json::Value;

use super::common::{self, check_email};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::email::EmailError;

declare_rule! {
    /// An administrator, alert, report or sender address is not a valid e-mail address.
    ///
    /// ## What it checks
    ///
    /// `admin_address`, `alerting_address`, `reporting_address` and `sender_address` (unless it is
    /// `null`) must each hold exactly one plain e-mail address, `local-part@domain`, such as
    /// `alerts@example.com`. Reported on the value:
    ///
    /// - the display-name form `Admin <admin@example.com>` and a `mailto:` prefix (the bare
    ///   address is suggested);
    /// - several addresses in one field;
    /// - a documentation placeholder such as `<admin-email>`;
    /// - anything else that is not `local-part@domain`: spaces, a missing or second `@`, characters
    ///   a mail address cannot have, an invalid domain.
    ///
    /// An address whose domain has no dot (`root@localhost`) is reported by MAIL006 as a warning
    /// instead.
    ///
    /// ## Why it matters
    ///
    /// These are the mailboxes SPS writes to when a disk fills up, a service fails or a report is
    /// ready. SPS refuses a malformed address, and an address the mail server cannot parse means the
    /// alert or report is never delivered, which you usually discover only when you needed it.
    ///
    /// ## Notes
    ///
    /// The reference describes these fields only as "the e-mail address" of the administrator, of the
    /// alert and report recipients and of the sender. spslint accepts the common plain form (letters,
    /// digits and ``!#$%&'*+-/=?^_`{|}~.`` before the `@`, a host name after it) and rejects quoted
    /// local parts, comments, `user@[IP]` domains and non-ASCII addresses, which are far more often
    /// mistakes than intent.
    ///
    /// An empty `admin_address`, `alerting_address` or `reporting_address` is reported: the schema
    /// allows no `null` there, and an empty recipient cannot receive mail. For `sender_address`,
    /// `null` is the documented way to leave the sender unset.
    pub struct MailInvalidAddress {
        code: "MAIL005",
        name: "mail-invalid-address",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "admin_address": "SPS Admin <admin@example.com>",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": false
  },
  "smtp_encryption": {
    "selection": "disabled"
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}"#,
        good: r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": false
  },
  "smtp_encryption": {
    "selection": "disabled"
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}"#,
    }
}

/// The address fields, in the order of the reference.
pub const FIELDS: &[&str] = &[
    "admin_address",
    "alerting_address",
    "reporting_address",
    "sender_address",
];

/// What each field is for, for messages.
fn purpose(field: &str) -> &'static str {
    match field {
        "admin_address" => "the administrator's mailbox",
        "alerting_address" => "the mailbox that receives monitoring alerts",
        "reporting_address" => "the mailbox that receives traffic reports",
        _ => "the sender address of SPS's mail",
    }
}

/// A string as JSON writes it, for quoting a value in a message.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `<admin-email>`: a placeholder copied from the reference.
fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.len() > 2 && t.starts_with('<') && t.ends_with('>') && !t.contains('@')
}

impl Rule for MailInvalidAddress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for &field in FIELDS {
            let Some(Value::String(value)) = cx.body.get(field) else {
                continue;
            };
            let Err(err) = check_email(value) else {
                continue;
            };
            if err.is_soft() {
                continue;
            }
            let pointer = format!("/{field}");
            let shown = quoted(value);
            let example = "write one plain address such as \"alerts@example.com\"";
            let (message, help) = match &err {
                _ if is_placeholder(value) => (
                    format!(
                        "\"{field}\" is {shown}, a placeholder, not an e-mail address: it must hold {}",
                        purpose(field)
                    ),
                    example.to_string(),
                ),
                EmailError::DisplayName { address } | EmailError::MailtoPrefix { address } => {
                    let form = if matches!(err, EmailError::DisplayName { .. }) {
                        "uses the display-name form"
                    } else {
                        "has a \"mailto:\" prefix"
                    };
                    match check_email(address) {
                        Err(inner) if !inner.is_soft() => (
                            format!(
                                "\"{field}\" is {shown}, which {form}, and the address in it is not valid either ({inner}): SPS expects one bare address, local-part@domain"
                            ),
                            example.to_string(),
                        ),
                        _ => (
                            format!(
                                "\"{field}\" is {shown}, which {form}: SPS expects the bare address, local-part@domain"
                            ),
                            format!("write {}", quoted(address)),
                        ),
                    }
                }
                EmailError::MultipleAddresses => (
                    format!(
                        "\"{field}\" holds several addresses: it takes exactly one, {}",
                        purpose(field)
                    ),
                    "keep one address; to reach several people, point it at a mailing list or alias on your mail server".to_string(),
                ),
                EmailError::Empty if field == "sender_address" => (
                    format!("\"{field}\" is empty: write an address, or null to leave the sender unset"),
                    "write an address such as \"sps@example.com\", or null".to_string(),
                ),
                EmailError::Empty => (
                    format!("\"{field}\" is empty: it must hold {}", purpose(field)),
                    example.to_string(),
                ),
                other => (
                    format!(
                        "\"{field}\" is {shown}, which is not a valid e-mail address ({other}): it must be one address, local-part@domain"
                    ),
                    example.to_string(),
                ),
            };
            cx.report(&pointer, message, help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &crate::endpoint::Endpoint = common::ENDPOINTS[0];

    fn body(field: &str, value: &str) -> String {
        format!(r#"{{"{field}": {value}}}"#)
    }

    #[test]
    fn plain_addresses_and_a_null_sender_pass() {
        for b in [
            body("admin_address", r#""admin@example.com""#),
            body("alerting_address", r#""ops+sps@mail.example.co.uk""#),
            body("sender_address", "null"),
            // Wrong types are the schema's; local domains are MAIL006's.
            body("admin_address", "null"),
            body("reporting_address", "5"),
            body("reporting_address", r#""root@localhost""#),
            META.good.to_string(),
        ] {
            assert!(run_rule(&MailInvalidAddress, EP, &b).is_empty(), "{b}");
        }
    }

    #[test]
    fn display_name_form_suggests_the_bare_address() {
        let d = run_rule(&MailInvalidAddress, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/admin_address"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("display-name"), "{}", d[0].message);
        assert_eq!(d[0].help.as_deref(), Some("write \"admin@example.com\""));
        let d = run_rule(
            &MailInvalidAddress,
            EP,
            &body("sender_address", r#""mailto:sps@example.com""#),
        );
        assert_eq!(pointers(&d), vec!["/sender_address"]);
        assert_eq!(d[0].help.as_deref(), Some("write \"sps@example.com\""));
        let d = run_rule(
            &MailInvalidAddress,
            EP,
            &body("admin_address", r#""Admin <admin@exa_mple.com>""#),
        );
        assert!(
            d[0].message.contains("not valid either"),
            "{}",
            d[0].message
        );
        assert!(!d[0].help.as_deref().unwrap().contains("exa_mple"));
    }

    #[test]
    fn each_field_is_checked_at_its_value() {
        let d = run_rule(
            &MailInvalidAddress,
            EP,
            r#"{"admin_address": "<admin-email>", "alerting_address": "a@example.com, b@example.com",
                "reporting_address": "", "sender_address": "sps example.com"}"#,
        );
        assert_eq!(
            pointers(&d),
            vec![
                "/admin_address",
                "/alerting_address",
                "/reporting_address",
                "/sender_address"
            ]
        );
        assert!(d[0].message.contains("placeholder"), "{}", d[0].message);
        assert!(d[1].message.contains("several"), "{}", d[1].message);
        assert!(d[2].message.contains("empty"), "{}", d[2].message);
        assert!(d[3].message.contains("not a valid"), "{}", d[3].message);
    }

    #[test]
    fn an_empty_sender_suggests_null() {
        let d = run_rule(&MailInvalidAddress, EP, &body("sender_address", r#""""#));
        assert_eq!(pointers(&d), vec!["/sender_address"]);
        assert!(d[0].help.as_deref().unwrap().contains("null"));
    }
}
