//! TCA003 tca-crl-scheme: a trusted CA's `crl` URL uses another scheme than http or https.

use serde_json::Value;

use super::common::{self, ca_2099, tca_example};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::pem::CrlCheck;

declare_rule! {
    /// A trusted CA's `crl` URL uses another scheme than http or https.
    ///
    /// ## What it checks
    ///
    /// Reports an `authorities[].crl` URL whose scheme is neither `http` nor `https`: `ldap`, `file`,
    /// `ftp` and the like. Values that are not URLs at all are TCA002.
    ///
    /// ## Why it matters
    ///
    /// SPS downloads revocation lists over HTTP. A list it cannot download is never checked, so a
    /// revoked certificate would still be accepted.
    ///
    /// ## Notes
    ///
    /// The documentation only says "URL"; its examples and the web interface use http. Many CAs
    /// publish the same list over both LDAP and HTTP (see the CRL distribution points of their
    /// certificates): pick the HTTP one.
    pub struct TcaCrlScheme {
        code: "TCA003",
        name: "tca-crl-scheme",
        severity: Warning,
        endpoints: common::TCA_ENDPOINTS,
        fix: Never,
        bad: tca_example!(
        ca_2099!(),
        r#""ldap://ldap.example.com/cn=Corporate%20CA?certificateRevocationList""#
    ),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

impl Rule for TcaCrlScheme {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(list) = cx.body.get("authorities").and_then(Value::as_array) else {
            return;
        };
        for (i, a) in list.iter().enumerate() {
            let Some(text) = a.get("crl").and_then(Value::as_str) else {
                continue;
            };
            if let CrlCheck::OtherScheme(scheme) = crate::values::pem::analyze_crl_url(text) {
                cx.report(
                    &format!("/authorities/{i}/crl"),
                    format!("\"crl\" uses the {scheme} scheme; SPS fetches revocation lists over http or https"),
                    "use the http or https address of the revocation list (see the CRL distribution points of the CA's certificates)",
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

    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn run(crl: &str) -> Vec<crate::diagnostic::Diagnostic> {
        run_rule(
            &TcaCrlScheme,
            TCA,
            &format!(r#"{{"authorities": [{{"crl": "{crl}"}}]}}"#),
        )
    }

    #[test]
    fn http_and_non_urls_pass() {
        for u in [
            "http://crl.example.com/ca.crl",
            "https://x.example/",
            "",
            "nonsense",
        ] {
            assert!(run(u).is_empty(), "{u}");
        }
    }

    #[test]
    fn other_schemes_warn() {
        for (u, s) in [
            ("ldap://ldap.example.com/cn=ca", "ldap"),
            ("FILE:///etc/ca.crl", "file"),
            ("ftp://x.example/ca.crl", "ftp"),
        ] {
            let d = run(u);
            assert_eq!(pointers(&d), vec!["/authorities/0/crl"]);
            assert_eq!(d[0].severity, Severity::Warning);
            assert!(
                d[0].message.contains(&format!("the {s} scheme")),
                "{}",
                d[0].message
            );
        }
    }
}
