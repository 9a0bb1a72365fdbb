//! MAIL002 mail-client-certificate-missing: client authentication is enabled without a
//! certificate to authenticate with.

use serde_json::Value;

use super::common::{self, CLIENT_AUTHENTICATION};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// SMTP client authentication is enabled, but no certificate is given.
    ///
    /// ## What it checks
    ///
    /// With `smtp_encryption.selection` `"starttls"` and `client_authentication.enabled` `true`,
    /// `client_authentication.x509_identity` must name the certificate SPS presents: the key of an
    /// object of `/api/configuration/x509`.
    ///
    /// A missing `x509_identity` is reported on the `client_authentication` object; one that is
    /// `null`, empty or only spaces is reported on the value itself.
    ///
    /// ## Why it matters
    ///
    /// Client authentication means SPS proves who it is with a certificate and its private key. Without
    /// one there is nothing to present, so SPS refuses the settings, and a mail server that requires
    /// the certificate would turn away every alert and report SPS sends.
    ///
    /// ## Notes
    ///
    /// Only checked when `selection` is `"starttls"`: with `"disabled"`, MAIL001 already reports the
    /// enabled option, and turning it off is as good a fix as adding a certificate.
    ///
    /// Whether the key names an existing certificate cannot be checked offline.
    pub struct MailClientCertificateMissing {
        code: "MAIL002",
        name: "mail-client-certificate-missing",
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
    "enabled": false
  },
  "smtp_encryption": {
    "client_authentication": {
      "enabled": true
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

const OBJECT: &str = "/smtp_encryption/client_authentication";
const VALUE: &str = "/smtp_encryption/client_authentication/x509_identity";
const HELP: &str = "set \"x509_identity\" to the key of the certificate SPS should present (an object of /api/configuration/x509), or set \"enabled\" to false";

impl Rule for MailClientCertificateMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(option) = common::enabled_starttls_option(cx.body, CLIENT_AUTHENTICATION) else {
            return;
        };
        match option.get("x509_identity") {
            None => cx.report(
                OBJECT,
                "client authentication is enabled, but \"x509_identity\" is missing: SPS has no certificate to present",
                HELP,
            ),
            Some(Value::Null) => cx.report(
                VALUE,
                "client authentication is enabled, but \"x509_identity\" is null: SPS has no certificate to present",
                HELP,
            ),
            Some(Value::String(s)) if s.trim().is_empty() => cx.report(
                VALUE,
                "client authentication is enabled, but \"x509_identity\" is empty: SPS has no certificate to present",
                HELP,
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

    fn body(selection: &str, client: &str) -> String {
        format!(
            r#"{{"smtp_encryption": {{"selection": "{selection}", "client_authentication": {client}}}}}"#
        )
    }

    #[test]
    fn a_certificate_or_no_client_authentication_passes() {
        for b in [
            body("starttls", r#"{"enabled": true, "x509_identity": "c3a2"}"#),
            body("starttls", r#"{"enabled": false}"#),
            body("starttls", "null"),
            body("disabled", r#"{"enabled": true}"#),
            // A reference of the wrong type is the schema's.
            body("starttls", r#"{"enabled": true, "x509_identity": 7}"#),
            META.good.to_string(),
        ] {
            assert!(
                run_rule(&MailClientCertificateMissing, EP, &b).is_empty(),
                "{b}"
            );
        }
    }

    #[test]
    fn a_missing_certificate_is_reported_at_the_object() {
        let d = run_rule(
            &MailClientCertificateMissing,
            EP,
            &body("starttls", r#"{"enabled": true}"#),
        );
        assert_eq!(pointers(&d), vec![OBJECT]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("missing"));
    }

    #[test]
    fn a_null_or_empty_certificate_is_reported_at_the_value() {
        for v in ["null", r#""""#, r#""  ""#] {
            let d = run_rule(
                &MailClientCertificateMissing,
                EP,
                &body(
                    "starttls",
                    &format!(r#"{{"enabled": true, "x509_identity": {v}}}"#),
                ),
            );
            assert_eq!(pointers(&d), vec![VALUE], "{v}");
        }
    }
}
