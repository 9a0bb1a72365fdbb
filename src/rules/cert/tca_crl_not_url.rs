//! TCA002 tca-crl-not-url: a trusted CA's `crl` is not a URL.

use serde_json::Value;

use super::common::{self, ca_2099, tca_example};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::pem::{BlockKind, CrlCheck};

declare_rule! {
    /// A trusted CA's `crl` is not a URL.
    ///
    /// ## What it checks
    ///
    /// `authorities[].crl` must be the URL SPS downloads the CA's certificate revocation list from.
    /// Reported: an empty value, a revocation list (or other PEM block) pasted in place of its URL,
    /// a host and path without a scheme, whitespace around or inside the URL, and anything else that
    /// is not an absolute URL. Another scheme than http or https is TCA003.
    ///
    /// ## Why it matters
    ///
    /// SPS fetches the list from this address to refuse revoked certificates. What is not a URL
    /// cannot be fetched: SPS refuses the value or never gets the revocation list.
    ///
    /// ## Notes
    ///
    /// The documentation describes `crl` as "the URL of the Certificate Revocation List of the CA" and
    /// always shows a string, so an empty string is reported too.
    pub struct TcaCrlNotUrl {
        code: "TCA002",
        name: "tca-crl-not-url",
        severity: Error,
        endpoints: common::TCA_ENDPOINTS,
        fix: Never,
        bad: tca_example!(ca_2099!(), r#""crl.example.com/ca.crl""#),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

impl Rule for TcaCrlNotUrl {
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
            let (message, help) = match crate::values::pem::analyze_crl_url(text) {
                CrlCheck::Http | CrlCheck::Https | CrlCheck::OtherScheme(_) => continue,
                CrlCheck::Pem(BlockKind::Crl) => (
                    "\"crl\" holds the revocation list itself, not its URL".to_string(),
                    "write the URL the CA publishes its revocation list at, such as \"http://crl.example.com/ca.crl\"",
                ),
                CrlCheck::Pem(BlockKind::PrivateKey) => (
                    "\"crl\" holds a private key, not a URL".to_string(),
                    "write the URL of the CA's revocation list; remove the key from the file and its history, and consider it compromised",
                ),
                CrlCheck::Pem(kind) => (
                    format!("\"crl\" holds {kind}, not a URL"),
                    "write the URL of the CA's revocation list, such as \"http://crl.example.com/ca.crl\"",
                ),
                CrlCheck::Empty => (
                    "\"crl\" is empty; it must be the URL of the CA's revocation list".to_string(),
                    "write the URL the CA publishes its revocation list at (see the CRL distribution points of its certificates)",
                ),
                CrlCheck::SurroundingWhitespace => (
                    "\"crl\" has whitespace around the URL".to_string(),
                    "remove the spaces and line breaks around the URL",
                ),
                CrlCheck::MissingScheme => (
                    format!("\"crl\" is not a URL: \"{text}\" has no scheme"),
                    "start the URL with http:// (or https://)",
                ),
                CrlCheck::NotUrl(reason) => (
                    format!("\"crl\" is not a URL: {reason}"),
                    "write the URL of the CA's revocation list, such as \"http://crl.example.com/ca.crl\"",
                ),
            };
            cx.report(&format!("/authorities/{i}/crl"), message, help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::cert::common::json;
    use crate::rules::testing::{pointers, run_rule};

    const CRL: &str = include_str!("../../../fixtures/certs/crl.pem");
    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn run(crl: &str) -> Vec<crate::diagnostic::Diagnostic> {
        let body = format!(
            r#"{{"authorities": [{{"crl": "http://a.example/x.crl"}}, {{"certificate": "", "crl": {}}}]}}"#,
            json(crl)
        );
        run_rule(&TcaCrlNotUrl, TCA, &body)
    }

    #[test]
    fn urls_pass() {
        for u in [
            "http://crl.example.com/ca.crl",
            "https://x1.c.lencr.org/",
            "ldap://ldap.example.com/cn=ca",
        ] {
            assert!(run(u).is_empty(), "{u}");
        }
        assert!(run_rule(&TcaCrlNotUrl, TCA, r#"{"authorities": [{"crl": null}]}"#).is_empty());
    }

    #[test]
    fn non_urls_are_errors() {
        for (crl, says) in [
            (CRL, "the revocation list itself"),
            ("", "is empty"),
            ("crl.example.com/ca.crl", "has no scheme"),
            (" http://crl.example.com/ca.crl", "whitespace around"),
            ("<url-of-revocation-list>", "not a URL"),
            ("C:\\crl.pem", "Windows file path"),
        ] {
            let d = run(crl);
            assert_eq!(pointers(&d), vec!["/authorities/1/crl"], "{crl}");
            assert_eq!(d[0].severity, Severity::Error);
            assert!(d[0].message.contains(says), "{crl}: {}", d[0].message);
        }
    }
}
