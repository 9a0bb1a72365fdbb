//! MAIL007 mail-starttls-without-certificate-check: STARTTLS without verifying the SMTP
//! server's certificate.

use serde_json::Value;

use super::common::{self, Encryption, SELECTION, SERVER_CERTIFICATE_CHECK};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// The SMTP connection uses STARTTLS, but SPS does not verify the server's certificate.
    ///
    /// ## What it checks
    ///
    /// Reports `smtp_encryption.selection` `"starttls"` together with
    /// `server_certificate_check.enabled` `false` (reported on that value), or without a
    /// `server_certificate_check` object at all (reported on `selection`).
    ///
    /// ## Why it matters
    ///
    /// STARTTLS encrypts the connection, but without checking the certificate SPS cannot tell the real
    /// mail server from anyone in between who answers in its place. Such a machine can read the alerts
    /// and reports, and the SMTP password when SMTP authentication is on. Enabling the check with the
    /// CA that signed the mail server's certificate closes that gap.
    ///
    /// ## Notes
    ///
    /// The reference itself shows STARTTLS "without certificate checks" as an example: SPS accepts it,
    /// hence a warning. Ignore this rule (`--ignore MAIL007`) where the mail server has no certificate
    /// you can verify.
    pub struct MailStarttlsWithoutCertificateCheck {
        code: "MAIL007",
        name: "mail-starttls-without-certificate-check",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": false
  },
  "smtp_encryption": {
    "client_authentication": {
      "enabled": false
    },
    "selection": "starttls",
    "server_certificate_check": {
      "enabled": false
    }
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
    "enabled": false
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

impl Rule for MailStarttlsWithoutCertificateCheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::encryption(cx.body) != Some(Encryption::Starttls) {
            return;
        }
        let help = "set \"server_certificate_check\" to {\"enabled\": true, \"server_certificate_ca\": \"<PEM of the CA that signed the mail server's certificate>\"}";
        match cx.body["smtp_encryption"].get(SERVER_CERTIFICATE_CHECK) {
            None | Some(Value::Null) => cx.report(
                SELECTION,
                "STARTTLS is selected without a \"server_certificate_check\": SPS does not verify that it talks to the real mail server",
                help,
            ),
            Some(check) if check.get("enabled") == Some(&Value::Bool(false)) => cx.report(
                &format!("/smtp_encryption/{SERVER_CERTIFICATE_CHECK}/enabled"),
                "STARTTLS is selected, but the server certificate check is disabled: SPS does not verify that it talks to the real mail server",
                help,
            ),
            Some(_) => {}
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
    fn checked_or_unencrypted_connections_pass() {
        for b in [
            r#"{"smtp_encryption": {"selection": "starttls", "server_certificate_check": {"enabled": true}}}"#,
            r#"{"smtp_encryption": {"selection": "disabled"}}"#,
            r#"{"smtp_encryption": {"selection": "disabled", "server_certificate_check": {"enabled": false}}}"#,
            r#"{"smtp_encryption": {"selection": "starttls", "server_certificate_check": {"enabled": "no"}}}"#,
            META.good,
        ] {
            assert!(
                run_rule(&MailStarttlsWithoutCertificateCheck, EP, b).is_empty(),
                "{b}"
            );
        }
    }

    #[test]
    fn a_disabled_check_is_reported_at_enabled() {
        let d = run_rule(&MailStarttlsWithoutCertificateCheck, EP, META.bad);
        assert_eq!(
            pointers(&d),
            vec!["/smtp_encryption/server_certificate_check/enabled"]
        );
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn an_absent_check_is_reported_at_selection() {
        let d = run_rule(
            &MailStarttlsWithoutCertificateCheck,
            EP,
            r#"{"smtp_encryption": {"selection": "starttls"}}"#,
        );
        assert_eq!(pointers(&d), vec![SELECTION]);
    }
}
