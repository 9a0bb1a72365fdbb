//! MAIL008 mail-smtp-auth-without-encryption: SPS logs in to the SMTP server over a clear-text
//! connection.

use super::common::{self, Encryption};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// SMTP authentication is enabled on an unencrypted connection.
    ///
    /// ## What it checks
    ///
    /// Reports `smtp_auth.enabled` `true` when `smtp_encryption.selection` is `"disabled"`, on the
    /// `enabled` value.
    ///
    /// ## Why it matters
    ///
    /// With encryption disabled, SPS sends the SMTP user name and password in clear text (SMTP logins
    /// merely encode them). Anyone who can watch the network between SPS and the mail server can
    /// reuse the account, and the alerts and reports travel unprotected too. Select `"starttls"` so
    /// the login happens inside TLS.
    ///
    /// ## Notes
    ///
    /// The reference's own example "Enable authentication to the SMTP server" does exactly this, so
    /// SPS accepts it: a warning, not an error. A mail server reached only over a trusted link may
    /// justify it; ignore the rule there (`--ignore MAIL008`).
    pub struct MailSmtpAuthWithoutEncryption {
        code: "MAIL008",
        name: "mail-smtp-auth-without-encryption",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": true,
    "password": "aec663b5-f5bd-4c93-bb51-36fea3328e58",
    "username": "sps-mailer"
  },
  "smtp_encryption": {
    "selection": "disabled"
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}"#,
        good: concat!(
        r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": true,
    "password": "aec663b5-f5bd-4c93-bb51-36fea3328e58",
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

impl Rule for MailSmtpAuthWithoutEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::encryption(cx.body) != Some(Encryption::Disabled) {
            return;
        }
        let Some(auth) = common::smtp_auth(cx.body) else {
            return;
        };
        if common::is_enabled(auth) {
            cx.report(
                "/smtp_auth/enabled",
                "SMTP authentication is enabled, but \"smtp_encryption.selection\" is \"disabled\": the SMTP user name and password cross the network in clear text",
                "set \"smtp_encryption.selection\" to \"starttls\" (with \"server_certificate_check\" enabled)",
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
    fn encrypted_or_anonymous_sending_passes() {
        for b in [
            r#"{"smtp_auth": {"enabled": true}, "smtp_encryption": {"selection": "starttls"}}"#,
            r#"{"smtp_auth": {"enabled": false}, "smtp_encryption": {"selection": "disabled"}}"#,
            r#"{"smtp_auth": {"enabled": true}, "smtp_encryption": {"selection": "tls"}}"#,
            r#"{"smtp_auth": {"enabled": true}}"#,
            META.good,
        ] {
            assert!(
                run_rule(&MailSmtpAuthWithoutEncryption, EP, b).is_empty(),
                "{b}"
            );
        }
    }

    #[test]
    fn a_clear_text_login_is_a_warning_at_enabled() {
        let d = run_rule(&MailSmtpAuthWithoutEncryption, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/smtp_auth/enabled"]);
        assert_eq!(d[0].severity, Severity::Warning);
    }
}
