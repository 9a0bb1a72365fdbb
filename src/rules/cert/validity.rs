//! CERT004 cert-validity: a certificate has expired, is not valid yet, or expires soon.

use super::common::{self, ca_2099, expired_ca, tca_example};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::pem::Validity;

declare_rule! {
    /// A certificate has expired, is not valid yet, or expires soon.
    ///
    /// ## What it checks
    ///
    /// Reads the validity period of each certificate value (see CERT001 for which values) and
    /// compares it with the current time: a certificate past its `notAfter` date, one before its
    /// `notBefore` date, and one that expires within the expiry window (30 days unless
    /// `expiry_window_days` says otherwise) are reported, with the dates and the number of days.
    ///
    /// ## Why it matters
    ///
    /// SPS accepts an expired certificate in the configuration, but verification against it fails:
    /// connections authenticated by that CA or user certificate are refused, and e-mail alerts stop
    /// when the mail server's CA expires. Reporting it early leaves time to renew.
    ///
    /// ## Notes
    ///
    /// The time is the linter's clock; the validity period is inclusive of `notAfter` (RFC 5280).
    /// Expiry and the approaching end are one code so that one setting turns both off; the message
    /// tells them apart.
    pub struct CertValidity {
        code: "CERT004",
        name: "cert-validity",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: tca_example!(expired_ca!(), r#""http://crl.example.com/ca.crl""#),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

impl Rule for CertValidity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (now, window) = (cx.settings.now_unix, cx.settings.expiry_window_days);
        for c in common::certificates(cx.endpoint.path, cx.body) {
            let a = common::analyze(c.text);
            let Some(info) = a.report.certificate() else {
                continue;
            };
            let (message, help) = match info.validity(now, window) {
                Validity::Valid => continue,
                Validity::Expired {
                    not_after,
                    days_ago,
                } => (
                    format!(
                        "the certificate \"{}\" expired on {} ({})",
                        info.subject,
                        not_after.rfc3339(),
                        days(days_ago, "ago")
                    ),
                    "replace it with the renewed certificate",
                ),
                Validity::NotYetValid {
                    not_before,
                    days_until,
                } => (
                    format!(
                        "the certificate \"{}\" is not valid before {} ({})",
                        info.subject,
                        not_before.rfc3339(),
                        days(days_until, "from now")
                    ),
                    "check the date: it will be refused until then (or the clock of the machine that issued it was wrong)",
                ),
                Validity::ExpiresSoon {
                    not_after,
                    days_left,
                } => (
                    format!(
                        "the certificate \"{}\" expires on {}: {} left",
                        info.subject,
                        not_after.rfc3339(),
                        days(days_left, "").trim_end()
                    ),
                    "renew it and replace it before it expires",
                ),
            };
            cx.report(&c.pointer, message, help);
        }
    }
}

fn days(n: i64, suffix: &str) -> String {
    match n {
        0 => format!("less than a day {suffix}"),
        1 => format!("1 day {suffix}"),
        n => format!("{n} days {suffix}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::cert::common::json;
    use crate::rules::testing::{pointers, run_rule_with};
    use crate::settings::Settings;

    const CA: &str = include_str!("../../../fixtures/certs/ca-valid-2099.pem");
    const EXPIRED: &str = include_str!("../../../fixtures/certs/expired-ca.pem");
    const FUTURE: &str = include_str!("../../../fixtures/certs/not-yet-valid-2098.pem");
    const KEY: &str = include_str!("../../../fixtures/certs/key.pem");
    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";
    /// 2026-01-01T00:00:00Z
    const NOW: i64 = 1_767_225_600;
    /// notAfter of `CA`: 2099-12-31T23:59:59Z.
    const CA_END: i64 = 4_102_444_799;

    fn run(cert: &str, now: i64) -> Vec<crate::diagnostic::Diagnostic> {
        let body = format!(
            r#"{{"authorities": [{{"certificate": {}, "crl": ""}}]}}"#,
            json(cert)
        );
        let settings = Settings {
            now_unix: now,
            ..Settings::default()
        };
        run_rule_with(&CertValidity, TCA, &body, &settings)
    }

    #[test]
    fn valid_and_unreadable_pass() {
        assert!(run(CA, NOW).is_empty());
        assert!(run(CA, CA_END - 30 * 86_400).is_empty());
        assert!(run(KEY, NOW).is_empty());
    }

    #[test]
    fn expired_and_future_are_reported_with_dates() {
        let d = run(EXPIRED, NOW);
        assert_eq!(pointers(&d), vec!["/authorities/0/certificate"]);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].message
                .contains("expired on 2015-01-01T00:00:00Z (4018 days ago)"),
            "{}",
            d[0].message
        );
        let d = run(FUTURE, NOW);
        assert!(
            d[0].message
                .contains("is not valid before 2098-01-01T00:00:00Z"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn expiring_within_the_window() {
        let d = run(CA, CA_END - 10 * 86_400);
        assert!(
            d[0].message
                .contains("expires on 2099-12-31T23:59:59Z: 10 days left"),
            "{}",
            d[0].message
        );
        let d = run(CA, CA_END - 3600);
        assert!(
            d[0].message.ends_with("less than a day left"),
            "{}",
            d[0].message
        );
        let settings = Settings {
            now_unix: CA_END - 10 * 86_400,
            expiry_window_days: 5,
            ..Settings::default()
        };
        let body = format!(r#"{{"authorities": [{{"certificate": {}}}]}}"#, json(CA));
        assert!(run_rule_with(&CertValidity, TCA, &body, &settings).is_empty());
    }
}
