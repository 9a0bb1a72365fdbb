//! MAIL001 mail-tls-option-without-starttls: a certificate option is enabled on an unencrypted
//! SMTP connection.

use super::common::{self, CLIENT_AUTHENTICATION, Encryption, SERVER_CERTIFICATE_CHECK};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A client certificate or a server certificate check is enabled, but the SMTP connection is not encrypted.
    ///
    /// ## What it checks
    ///
    /// `smtp_encryption.client_authentication.enabled` (SPS shows its own certificate to the SMTP
    /// server) and `smtp_encryption.server_certificate_check.enabled` (SPS verifies the server's
    /// certificate) can only be `true` when `smtp_encryption.selection` is `"starttls"`.
    ///
    /// Each option that is `true` while `selection` is `"disabled"` is reported on its `enabled`
    /// value.
    ///
    /// ## Why it matters
    ///
    /// Certificates are exchanged only during the TLS handshake, and with `selection` `"disabled"`
    /// there is none: SPS talks to the SMTP server in clear text. SPS does not accept these options
    /// without STARTTLS, and if it did, the certificate you configured would never be used, so the
    /// connection would be neither authenticated nor protected as you expected.
    ///
    /// ## Notes
    ///
    /// The reference twice says these options need `selection` of "snmp_encryption" to be
    /// `starttls`; there is no such object in the mail settings, so spslint reads it as
    /// `smtp_encryption`.
    ///
    /// When `selection` is missing or not one of `"disabled"` and `"starttls"`, the schema reports it
    /// and this rule says nothing.
    pub struct MailTlsOptionWithoutStarttls {
        code: "MAIL001",
        name: "mail-tls-option-without-starttls",
        severity: Error,
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
      "enabled": true,
      "x509_identity": "c3a23e32-d75b-461e-afc0-14d1f6692879"
    },
    "selection": "disabled",
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
      "enabled": true,
      "x509_identity": "c3a23e32-d75b-461e-afc0-14d1f6692879"
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

impl Rule for MailTlsOptionWithoutStarttls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if common::encryption(cx.body) != Some(Encryption::Disabled) {
            return;
        }
        for (key, what) in [
            (
                CLIENT_AUTHENTICATION,
                "a client certificate can only be presented",
            ),
            (
                SERVER_CERTIFICATE_CHECK,
                "the server's certificate can only be checked",
            ),
        ] {
            let Some(option) = common::tls_option(cx.body, key) else {
                continue;
            };
            if common::is_enabled(option) {
                cx.report(
                    &format!("/smtp_encryption/{key}/enabled"),
                    format!(
                        "\"{key}\" is enabled, but \"smtp_encryption.selection\" is \"disabled\": {what} when \"selection\" is \"starttls\""
                    ),
                    "set \"smtp_encryption.selection\" to \"starttls\" to encrypt the connection, or set this \"enabled\" to false",
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

    const EP: &crate::endpoint::Endpoint = common::ENDPOINTS[0];

    fn body(selection: &str, client: &str, check: &str) -> String {
        format!(
            r#"{{"smtp_encryption": {{"selection": "{selection}", "client_authentication": {client},
                "server_certificate_check": {check}}}}}"#
        )
    }

    #[test]
    fn options_with_starttls_or_switched_off_pass() {
        for b in [
            body("starttls", r#"{"enabled": true}"#, r#"{"enabled": true}"#),
            body("disabled", r#"{"enabled": false}"#, r#"{"enabled": false}"#),
            r#"{"smtp_encryption": {"selection": "disabled"}}"#.to_string(),
            // Unknown selections and non-boolean values are the schema's.
            body("tls", r#"{"enabled": true}"#, r#"{"enabled": true}"#),
            body("disabled", r#"{"enabled": "true"}"#, "null"),
            META.good.to_string(),
        ] {
            assert!(
                run_rule(&MailTlsOptionWithoutStarttls, EP, &b).is_empty(),
                "{b}"
            );
        }
    }

    #[test]
    fn each_enabled_option_is_reported_at_its_enabled_value() {
        let d = run_rule(
            &MailTlsOptionWithoutStarttls,
            EP,
            &body("disabled", r#"{"enabled": true}"#, r#"{"enabled": true}"#),
        );
        assert_eq!(
            pointers(&d),
            vec![
                "/smtp_encryption/client_authentication/enabled",
                "/smtp_encryption/server_certificate_check/enabled"
            ]
        );
        assert!(d.iter().all(|d| d.severity == Severity::Error));
        assert!(d[0].message.contains("\"starttls\""), "{}", d[0].message);

        let d = run_rule(
            &MailTlsOptionWithoutStarttls,
            EP,
            &body("disabled", r#"{"enabled": false}"#, r#"{"enabled": true}"#),
        );
        assert_eq!(
            pointers(&d),
            vec!["/smtp_encryption/server_certificate_check/enabled"]
        );
    }
}
