//! MAIL003 mail-server-ca-missing: the server certificate check is enabled without the CA to
//! check against.

use serde_json::Value;

use super::common::{self, SERVER_CERTIFICATE_CHECK};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// The SMTP server certificate check is enabled, but no CA certificate is given.
    ///
    /// ## What it checks
    ///
    /// With `smtp_encryption.selection` `"starttls"` and `server_certificate_check.enabled` `true`,
    /// `server_certificate_check.server_certificate_ca` must hold the PEM text of the certificate
    /// authority that signed the SMTP server's certificate.
    ///
    /// A missing `server_certificate_ca` is reported on the `server_certificate_check` object; a
    /// `null` one on the value itself.
    ///
    /// ## Why it matters
    ///
    /// SPS verifies the mail server's certificate against this CA. Without it there is nothing to
    /// verify against: SPS refuses the settings, or cannot accept any server certificate, and the
    /// alerts and reports it sends by e-mail never leave the appliance.
    ///
    /// ## Notes
    ///
    /// Only checked when `selection` is `"starttls"`: with `"disabled"`, MAIL001 already reports the
    /// enabled check.
    ///
    /// Whether the text is a usable CA certificate (PEM syntax, expiry, an empty string) is judged by
    /// the certificate rules, so a value is reported here only when it is absent or `null`.
    pub struct MailServerCaMissing {
        code: "MAIL003",
        name: "mail-server-ca-missing",
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
      "enabled": false
    },
    "selection": "starttls",
    "server_certificate_check": {
      "enabled": true
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

const OBJECT: &str = "/smtp_encryption/server_certificate_check";
const VALUE: &str = "/smtp_encryption/server_certificate_check/server_certificate_ca";
const HELP: &str = "set \"server_certificate_ca\" to the PEM text of the CA that signed the SMTP server's certificate (line breaks written as \\n), or set \"enabled\" to false";

impl Rule for MailServerCaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(option) = common::enabled_starttls_option(cx.body, SERVER_CERTIFICATE_CHECK)
        else {
            return;
        };
        match option.get("server_certificate_ca") {
            None => cx.report(
                OBJECT,
                "the server certificate check is enabled, but \"server_certificate_ca\" is missing: SPS has no CA to verify the SMTP server's certificate against",
                HELP,
            ),
            Some(Value::Null) => cx.report(
                VALUE,
                "the server certificate check is enabled, but \"server_certificate_ca\" is null: SPS has no CA to verify the SMTP server's certificate against",
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

    fn body(selection: &str, check: &str) -> String {
        format!(
            r#"{{"smtp_encryption": {{"selection": "{selection}", "server_certificate_check": {check}}}}}"#
        )
    }

    #[test]
    fn a_ca_or_no_check_passes() {
        for b in [
            body(
                "starttls",
                r#"{"enabled": true, "server_certificate_ca": "-----BEGIN CERTIFICATE-----\n"}"#,
            ),
            body("starttls", r#"{"enabled": false}"#),
            body("disabled", r#"{"enabled": true}"#),
            body("starttls", "[]"),
            // Empty text is the certificate rules' to judge.
            body(
                "starttls",
                r#"{"enabled": true, "server_certificate_ca": ""}"#,
            ),
            META.good.to_string(),
        ] {
            assert!(run_rule(&MailServerCaMissing, EP, &b).is_empty(), "{b}");
        }
    }

    #[test]
    fn a_missing_ca_is_reported_at_the_object_and_a_null_one_at_the_value() {
        let d = run_rule(
            &MailServerCaMissing,
            EP,
            &body("starttls", r#"{"enabled": true}"#),
        );
        assert_eq!(pointers(&d), vec![OBJECT]);
        assert_eq!(d[0].severity, Severity::Error);
        let d = run_rule(
            &MailServerCaMissing,
            EP,
            &body(
                "starttls",
                r#"{"enabled": true, "server_certificate_ca": null}"#,
            ),
        );
        assert_eq!(pointers(&d), vec![VALUE]);
    }
}
