//! MAIL006 mail-address-local-domain: an e-mail address whose domain has no dot.

use serde_json::Value;

use super::common::{self, check_email};
use super::invalid_address::FIELDS;
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::email::EmailError;

declare_rule! {
    /// An e-mail address has a domain without a dot, such as root@localhost.
    ///
    /// ## What it checks
    ///
    /// Reports `admin_address`, `alerting_address`, `reporting_address` or `sender_address` when the
    /// part after the `@` is a single name without a dot (`root@localhost`, `ops@mailhost`).
    ///
    /// ## Why it matters
    ///
    /// SPS hands its mail to the SMTP server you configured, which resolves the domain from its own
    /// point of view: `localhost` is the mail server itself, and a bare name is completed (or not) by
    /// its local settings. The mail usually lands in a local mailbox nobody reads, or is bounced, so
    /// alerts go unnoticed. Write the full domain, such as `example.com`.
    ///
    /// ## Notes
    ///
    /// A warning, not an error: such an address is valid, and an internal mail server may deliver it
    /// on purpose. Other address mistakes are errors reported by MAIL005.
    pub struct MailAddressLocalDomain {
        code: "MAIL006",
        name: "mail-address-local-domain",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "root@localhost",
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

impl Rule for MailAddressLocalDomain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for &field in FIELDS {
            let Some(Value::String(value)) = cx.body.get(field) else {
                continue;
            };
            if check_email(value) != Err(EmailError::DomainWithoutDot) {
                continue;
            }
            let domain = value.rsplit_once('@').map_or("", |(_, d)| d);
            let shown = serde_json::to_string(value).unwrap_or_default();
            cx.report(
                &format!("/{field}"),
                format!(
                    "\"{field}\" is {shown}, whose domain \"{domain}\" has no dot: the SMTP server delivers such mail locally, if at all"
                ),
                "write the full domain of the mailbox, such as \"alerts@example.com\"",
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
    fn full_domains_and_other_mistakes_pass() {
        for b in [
            r#"{"admin_address": "admin@example.com", "sender_address": null}"#,
            // Invalid addresses are MAIL005's.
            r#"{"admin_address": "root@", "alerting_address": "Root <root@localhost>"}"#,
            r#"{"admin_address": 5}"#,
            META.good,
        ] {
            assert!(run_rule(&MailAddressLocalDomain, EP, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn a_dotless_domain_is_a_warning_at_the_value() {
        let d = run_rule(&MailAddressLocalDomain, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/alerting_address"]);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("\"localhost\""), "{}", d[0].message);
        let d = run_rule(
            &MailAddressLocalDomain,
            EP,
            r#"{"sender_address": "sps@mailhost", "reporting_address": "r@mailhost."}"#,
        );
        assert_eq!(pointers(&d), vec!["/reporting_address", "/sender_address"]);
    }
}
