//! TCA004 tca-strict-hostcheck-without-dns-lookup: `strict_hostcheck` is on, `dns_lookup` off.

use serde_json::Value;

use super::common;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// `strict_hostcheck` is enabled but `dns_lookup` is not.
    ///
    /// ## What it checks
    ///
    /// Reports a trusted CA list with `strict_hostcheck` `true` and `dns_lookup` `false`. The finding
    /// is on `dns_lookup`, the value to change.
    ///
    /// ## Why it matters
    ///
    /// With `strict_hostcheck`, SPS only accepts a certificate whose common name holds the host name or
    /// IP address of the host presenting it. Without `dns_lookup` SPS cannot resolve one into the
    /// other, so a host known by IP address that presents a certificate with its host name (or the
    /// reverse) is refused. The documentation advises enabling both.
    ///
    /// ## Notes
    ///
    /// The documentation says that with `strict_hostcheck` you "probably want to enable" `dns_lookup`:
    /// a recommendation, hence a warning. Turn it off for lists used only with certificates whose
    /// common name matches the address as SPS sees it.
    pub struct TcaStrictHostcheckWithoutDnsLookup {
        code: "TCA004",
        name: "tca-strict-hostcheck-without-dns-lookup",
        severity: Warning,
        endpoints: common::TCA_ENDPOINTS,
        fix: Never,
        bad: r#"{
  "authorities": [],
  "dn_check": {"altEmailAddress": "", "c": "", "cn": "", "emailAddress": "", "l": "", "o": "", "ou": "", "st": ""},
  "dns_lookup": false,
  "name": "corporate_ca",
  "strict_hostcheck": true
}"#,
        good: r#"{
  "authorities": [],
  "dn_check": {"altEmailAddress": "", "c": "", "cn": "", "emailAddress": "", "l": "", "o": "", "ou": "", "st": ""},
  "dns_lookup": true,
  "name": "corporate_ca",
  "strict_hostcheck": true
}"#,
    }
}

impl Rule for TcaStrictHostcheckWithoutDnsLookup {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if cx.body.get("strict_hostcheck") == Some(&Value::Bool(true))
            && cx.body.get("dns_lookup") == Some(&Value::Bool(false))
        {
            cx.report(
                "/dns_lookup",
                "\"strict_hostcheck\" is enabled but \"dns_lookup\" is not: SPS cannot match host names and IP addresses against the certificates' common names",
                "set \"dns_lookup\" to true, as the documentation advises with strict_hostcheck",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn run(strict: &str, dns: &str) -> Vec<crate::diagnostic::Diagnostic> {
        let body = format!(r#"{{"strict_hostcheck": {strict}, "dns_lookup": {dns}}}"#);
        run_rule(&TcaStrictHostcheckWithoutDnsLookup, TCA, &body)
    }

    #[test]
    fn passes() {
        for (s, d) in [
            ("true", "true"),
            ("false", "false"),
            ("false", "true"),
            ("true", "\"no\""),
        ] {
            assert!(run(s, d).is_empty(), "{s} {d}");
        }
    }

    #[test]
    fn strict_without_dns_warns_on_dns_lookup() {
        let d = run("true", "false");
        assert_eq!(pointers(&d), vec!["/dns_lookup"]);
        assert_eq!(d[0].severity, Severity::Warning);
    }
}
