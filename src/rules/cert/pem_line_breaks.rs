//! CERT003 cert-pem-line-breaks: the lines of a certificate's PEM block are not separated by
//! `\n` (flattened to one line, escaped twice, or Windows line endings).

use super::common::{self, ca_2099, tca_example};
use crate::diagnostic::Severity;
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::pem::LineBreaks;

declare_rule! {
    /// The lines of a certificate's PEM block are not separated by `\n`.
    ///
    /// ## What it checks
    ///
    /// Checks the same certificate values as CERT001 for how the lines of the PEM block are separated.
    /// In the JSON file each line break is written `\n` inside the string. Reported: the whole block
    /// on one line (spaces or nothing where the line breaks were), literal backslash-n pairs (`\\n`
    /// in the file: the text was escaped twice) and, as a warning, Windows line endings (`\r\n`).
    ///
    /// ## Why it matters
    ///
    /// SPS stores the certificate as sent and expects a PEM file: a PEM block flattened to one line
    /// cannot be read as a certificate, and SPS refuses it. The fix restores the line breaks.
    ///
    /// ## Notes
    ///
    /// Base64 lines of another width than 64 columns are not reported: PEM readers accept them. The
    /// fix also re-wraps them at 64 columns, as `openssl` writes them. Windows line endings are only a
    /// warning: most readers cope, but the documentation shows `\n` only.
    pub struct CertPemLineBreaks {
        code: "CERT003",
        name: "cert-pem-line-breaks",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Sometimes,
        bad: tca_example!(
        r#""-----BEGIN CERTIFICATE----- MIIDQzCCAiugAwIBAgICEAAwDQYJKoZIhvcNAQELBQAwMTEYMBYGA1UEAwwPc3Bz bGludCBUZXN0IENBMRUwEwYDVQQKDAxzcHNsaW50IHRlc3QwIBcNMjQwMTAxMDAw MDAwWhgPMjA5OTEyMzEyMzU5NTlaMDExGDAWBgNVBAMMD3Nwc2xpbnQgVGVzdCBD QTEVMBMGA1UECgwMc3BzbGludCB0ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A MIIBCgKCAQEAou05pJHcs/P7yb6e3rAcDS8d8j+7Ipv1gufYCnd9Z6BHZuuU8YSG 6LRdLjhxnvij7COz5xs383/lxadWTdRG0iDZG+MYZcVMmCrEz5mOwS99037XBhtZ FJ1gkwxPEgF8EE4OMGbcTisjGW/PpA05V/iCQ2FkJfchFxlSZDurmON2TRnrWdot rIsGqCTzVfatBuIbyMnJ2ubwFzQgiMyEO2shjwMK7s92ACs+V5h85L0IePKDLg6Q 4zlKUsoFNiKWl/FNPQDNeQYJtpf5y4CvmXOsPbZHoWWVwbqoWBaiwiz2icqqYtpC LWKFBzxsPUmEymxhoBFuzsfkf4Qle9oo8QIDAQABo2MwYTAPBgNVHRMBAf8EBTAD AQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUcuI0qIDpNnJzB9eoqkfFl08c 0V8wHwYDVR0jBBgwFoAUcuI0qIDpNnJzB9eoqkfFl08c0V8wDQYJKoZIhvcNAQEL BQADggEBAJtBCR7Loi3C2Y+7dHpYLCbWk/lNCRzKEhcdGpHEmoIA52yJG7ZLhmfE zmlKonTKPmf1H5NfbnvhItcekyRsRd4pDfd+d9Dd/sO/COqGWUns1GxCrj6TilCb XPD1dZ2QHBhF5Qfm55/OLPnGDayygFOrVyNi+XhqBi9QzCQ/TrIEwNnRomSX8XN+ owLdlFuH9A435drX3J/RYm8TMUUfiojqFQZk9e558Mkk2szdE9IZJogQ63WRQdOj vtNas66al17Bqhs3isz8FhBKY6WPCkdzylgd/UBZ+Dw72HA2BTL1zXthvCocBw+W gbTTskiq5m6ulrhaRuTIg2sCgKgg7bk= -----END CERTIFICATE-----""#,
        r#""http://crl.example.com/ca.crl""#
    ),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

impl Rule for CertPemLineBreaks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for c in common::certificates(cx.endpoint.path, cx.body) {
            let a = common::analyze(c.text);
            let Some(f) = &a.report.framing else {
                continue;
            };
            let (what, severity) = match f.line_breaks {
                LineBreaks::Lf => continue,
                LineBreaks::Crlf => ("uses Windows line endings (\\r\\n)", Severity::Warning),
                LineBreaks::LiteralBackslashN => (
                    "holds literal backslash-n pairs instead of line breaks (the text was escaped twice)",
                    Severity::Error,
                ),
                LineBreaks::OneLineSpaces => (
                    "is flattened to one line, with spaces where the line breaks were",
                    Severity::Error,
                ),
                LineBreaks::OneLineNoBreaks => (
                    "is flattened to one line, without line breaks",
                    Severity::Error,
                ),
            };
            let mut d = cx
                .diag(&c.pointer, format!("the certificate's PEM block {what}"))
                .with_help("separate the lines with \\n in the JSON string, as in \"-----BEGIN CERTIFICATE-----\\nMIID...\\n-----END CERTIFICATE-----\\n\"");
            if severity != META.severity {
                d = d.with_severity(severity);
            }
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
    use crate::rules::cert::common::json;
    use crate::rules::testing::{pointers, run_rule};

    const CA: &str = include_str!("../../../fixtures/certs/ca-valid-2099.pem");
    const UDB: &str = "/api/configuration/policies/user_databases";

    fn run(cert: &str) -> Vec<crate::diagnostic::Diagnostic> {
        let body = format!(r#"{{"users": [{{"certificates": [{}]}}]}}"#, json(cert));
        run_rule(&CertPemLineBreaks, UDB, &body)
    }

    #[test]
    fn lf_passes() {
        assert!(run(CA).is_empty());
        assert!(run(CA.trim_end()).is_empty());
    }

    #[test]
    fn flattened_pem_is_an_error_with_a_fix() {
        for (text, says) in [
            (CA.replace('\n', " "), "spaces"),
            (CA.replace('\n', ""), "without line breaks"),
            (CA.replace('\n', "\\n"), "escaped twice"),
        ] {
            let d = run(&text);
            assert_eq!(pointers(&d), vec!["/users/0/certificates/0"]);
            assert_eq!(d[0].severity, Severity::Error);
            assert!(d[0].message.contains(says), "{}", d[0].message);
            let fix = d[0].fix.as_ref().expect("fix");
            assert_eq!(fix.edits[0].replacement, json(CA));
        }
    }

    #[test]
    fn crlf_is_a_warning() {
        let d = run(&CA.replace('\n', "\r\n"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].fix.as_ref().unwrap().edits[0].replacement, json(CA));
    }
}
