//! CERT002 cert-pem-metadata: text before or after the PEM block of a certificate value.

use super::common::{self, ca_2099, tca_example};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::pem::{Metadata, MetadataKind, Surround};

declare_rule! {
    /// A certificate value has text before or after its PEM block.
    ///
    /// ## What it checks
    ///
    /// Checks the same certificate values as CERT001 for text outside the PEM block: the
    /// `Bag Attributes`, `subject=` and `issuer=` lines that `openssl pkcs12` writes, the
    /// human-readable dump of `openssl x509 -text`, comments. Whitespace around the block is fine.
    /// The finding quotes the first line of that text.
    ///
    /// ## Why it matters
    ///
    /// SPS wants the bare certificate and refuses values with metadata around it. The fix keeps the
    /// certificate block alone.
    ///
    /// ## Notes
    ///
    /// The fix is offered only when the value holds exactly one certificate block with valid base64
    /// and nothing else in PEM form: a second block (another certificate, a private key) is not
    /// metadata, and deciding what to drop is left to you (CERT001 reports it).
    pub struct CertPemMetadata {
        code: "CERT002",
        name: "cert-pem-metadata",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Sometimes,
        bad: tca_example!(
        r#""Bag Attributes\n    friendlyName: corporate CA\nsubject=CN = spslint Test CA\n-----BEGIN CERTIFICATE-----\nMIIDQzCCAiugAwIBAgICEAAwDQYJKoZIhvcNAQELBQAwMTEYMBYGA1UEAwwPc3Bz\nbGludCBUZXN0IENBMRUwEwYDVQQKDAxzcHNsaW50IHRlc3QwIBcNMjQwMTAxMDAw\nMDAwWhgPMjA5OTEyMzEyMzU5NTlaMDExGDAWBgNVBAMMD3Nwc2xpbnQgVGVzdCBD\nQTEVMBMGA1UECgwMc3BzbGludCB0ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\nMIIBCgKCAQEAou05pJHcs/P7yb6e3rAcDS8d8j+7Ipv1gufYCnd9Z6BHZuuU8YSG\n6LRdLjhxnvij7COz5xs383/lxadWTdRG0iDZG+MYZcVMmCrEz5mOwS99037XBhtZ\nFJ1gkwxPEgF8EE4OMGbcTisjGW/PpA05V/iCQ2FkJfchFxlSZDurmON2TRnrWdot\nrIsGqCTzVfatBuIbyMnJ2ubwFzQgiMyEO2shjwMK7s92ACs+V5h85L0IePKDLg6Q\n4zlKUsoFNiKWl/FNPQDNeQYJtpf5y4CvmXOsPbZHoWWVwbqoWBaiwiz2icqqYtpC\nLWKFBzxsPUmEymxhoBFuzsfkf4Qle9oo8QIDAQABo2MwYTAPBgNVHRMBAf8EBTAD\nAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUcuI0qIDpNnJzB9eoqkfFl08c\n0V8wHwYDVR0jBBgwFoAUcuI0qIDpNnJzB9eoqkfFl08c0V8wDQYJKoZIhvcNAQEL\nBQADggEBAJtBCR7Loi3C2Y+7dHpYLCbWk/lNCRzKEhcdGpHEmoIA52yJG7ZLhmfE\nzmlKonTKPmf1H5NfbnvhItcekyRsRd4pDfd+d9Dd/sO/COqGWUns1GxCrj6TilCb\nXPD1dZ2QHBhF5Qfm55/OLPnGDayygFOrVyNi+XhqBi9QzCQ/TrIEwNnRomSX8XN+\nowLdlFuH9A435drX3J/RYm8TMUUfiojqFQZk9e558Mkk2szdE9IZJogQ63WRQdOj\nvtNas66al17Bqhs3isz8FhBKY6WPCkdzylgd/UBZ+Dw72HA2BTL1zXthvCocBw+W\ngbTTskiq5m6ulrhaRuTIg2sCgKgg7bk=\n-----END CERTIFICATE-----\n""#,
        r#""http://crl.example.com/ca.crl""#
    ),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

fn describe(m: &Metadata) -> String {
    let kind = match m.kind {
        MetadataKind::BagAttributes => "openssl pkcs12 bag attributes",
        MetadataKind::SubjectIssuer => "subject/issuer lines",
        MetadataKind::TextDump => "a text dump of the certificate",
        MetadataKind::Other => "text",
    };
    format!("{kind} (\"{}\")", m.first_line)
}

impl Rule for CertPemMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for c in common::certificates(cx.endpoint.path, cx.body) {
            let a = common::analyze(c.text);
            let Some(f) = &a.report.framing else {
                continue;
            };
            let (before, after) = (&f.leading, &f.trailing);
            let where_ = match (before, after) {
                (Surround::Text(m), Surround::Text(n)) => {
                    format!("{} before and {} after", describe(m), describe(n))
                }
                (Surround::Text(m), _) => format!("{} before", describe(m)),
                (_, Surround::Text(m)) => format!("{} after", describe(m)),
                _ => continue,
            };
            let mut d = cx
                .diag(
                    &c.pointer,
                    format!("the certificate value has {where_} its PEM block; SPS wants the bare certificate"),
                )
                .with_help("keep only the lines from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----");
            if let Some(fix) = common::normalize_fix(&a) {
                d = d.with_fix(fix);
            }
            cx.emit(d);
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
    const KEY: &str = include_str!("../../../fixtures/certs/key.pem");
    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn run(cert: &str) -> Vec<crate::diagnostic::Diagnostic> {
        let body = format!(
            r#"{{"authorities": [{{"certificate": "x", "crl": ""}}, {{"certificate": {}, "crl": ""}}]}}"#,
            json(cert)
        );
        run_rule(&CertPemMetadata, TCA, &body)
    }

    #[test]
    fn bare_certificates_pass() {
        assert!(run(CA).is_empty());
        assert!(run(&format!("\n  {CA}\n\n")).is_empty());
    }

    #[test]
    fn text_around_is_reported_and_fixed() {
        let d = run(&format!("Bag Attributes\n    localKeyID: 01\n{CA}"));
        assert_eq!(pointers(&d), vec!["/authorities/1/certificate"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(
            d[0].message
                .contains("bag attributes (\"Bag Attributes\") before"),
            "{}",
            d[0].message
        );
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].replacement, json(CA));
        assert_eq!(fix.edits[0].start, crate::fix::AT_VALUE);

        let d = run(&format!("{CA}issued by IT\n"));
        assert!(
            d[0].message.contains("(\"issued by IT\") after"),
            "{}",
            d[0].message
        );
        assert!(d[0].fix.is_some());
    }

    #[test]
    fn no_fix_when_another_block_is_there() {
        let d = run(&format!("comment\n{CA}{KEY}"));
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }
}
