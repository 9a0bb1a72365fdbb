//! TCA001 tca-not-a-ca: a trusted CA list holds a certificate that is not a CA certificate.

use super::common::{self, ca_2099, leaf_not_ca, tca_example};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A trusted CA list holds a certificate that is not a CA certificate.
    ///
    /// ## What it checks
    ///
    /// Reads the basicConstraints extension of each `authorities[].certificate`. Reported: a
    /// certificate that says it is not a CA (`CA:FALSE`), and one without basicConstraints that is not
    /// self-signed (most likely a server or user certificate).
    ///
    /// ## Why it matters
    ///
    /// SPS verifies certificates against the CAs of the list. A server or user certificate pasted in
    /// place of its issuing CA signs nothing, so the certificates it was meant to validate are
    /// refused.
    ///
    /// ## Notes
    ///
    /// Old (version 1) root certificates have no extensions at all, such as the one in the SPS
    /// documentation: a self-signed certificate without basicConstraints is accepted as a CA.
    pub struct TcaNotACa {
        code: "TCA001",
        name: "tca-not-a-ca",
        severity: Warning,
        endpoints: common::TCA_ENDPOINTS,
        fix: Never,
        bad: tca_example!(leaf_not_ca!(), r#""http://crl.example.com/ca.crl""#),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

impl Rule for TcaNotACa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for c in common::certificates(cx.endpoint.path, cx.body) {
            let a = common::analyze(c.text);
            let Some(info) = a.report.certificate() else {
                continue;
            };
            let why = match (info.is_ca, info.self_signed) {
                (Some(true), _) | (None, true) => continue,
                (Some(false), _) => "its basic constraints say it is not a CA",
                (None, false) => {
                    "it has no basic constraints and is not self-signed (probably a server or user certificate)"
                }
            };
            cx.report(
                &c.pointer,
                format!(
                    "the certificate \"{}\" (issued by \"{}\") is not a CA certificate: {why}",
                    info.subject, info.issuer
                ),
                "put the certificate of the CA that issued it here, not the certificate itself",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::cert::common::json;
    use crate::rules::testing::{pointers, run_rule};

    const CA: &str = include_str!("../../../fixtures/certs/ca-valid-2099.pem");
    const LEAF: &str = include_str!("../../../fixtures/certs/leaf-not-ca.pem");
    const DOCS: &str = include_str!("../../../fixtures/certs/docs-balabit-2016.pem");
    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn run(certs: &[&str]) -> Vec<crate::diagnostic::Diagnostic> {
        let list: Vec<String> = certs
            .iter()
            .map(|c| format!(r#"{{"certificate": {}, "crl": ""}}"#, json(c)))
            .collect();
        run_rule(
            &TcaNotACa,
            TCA,
            &format!(r#"{{"authorities": [{}]}}"#, list.join(",")),
        )
    }

    #[test]
    fn cas_and_v1_roots_pass() {
        assert!(run(&[CA, DOCS, "garbage"]).is_empty());
    }

    #[test]
    fn leaf_is_reported() {
        let d = run(&[CA, LEAF]);
        assert_eq!(pointers(&d), vec!["/authorities/1/certificate"]);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].message
                .contains("\"CN=sps.example.com, O=spslint test\""),
            "{}",
            d[0].message
        );
        assert!(d[0].message.contains("not a CA"));
    }
}
