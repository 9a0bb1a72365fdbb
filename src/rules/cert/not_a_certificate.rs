//! CERT001 cert-not-a-certificate: a certificate value does not hold exactly one PEM X.509
//! certificate.

use super::common::{self, ca_2099, tca_example};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::pem::{BlockKind, CertReport, Content};

declare_rule! {
    /// A certificate value does not hold exactly one PEM X.509 certificate.
    ///
    /// ## What it checks
    ///
    /// Checks the certificate values: `authorities[].certificate` of a trusted CA list,
    /// `smtp_encryption.server_certificate_check.server_certificate_ca` of the mail settings (when the
    /// check is enabled or the value is not empty) and `users[].certificates[]` of a local user
    /// database. Each must hold one `-----BEGIN CERTIFICATE-----` block whose content decodes to an
    /// X.509 certificate.
    ///
    /// The finding says what is there instead: nothing, a private key, a certificate signing request,
    /// a revocation list, a public key, base64 without its BEGIN/END lines, a broken block (and why),
    /// several certificates, or another PEM block pasted beside the certificate. A private key is
    /// named as such and its content is never printed.
    ///
    /// ## Why it matters
    ///
    /// SPS stores the value as the certificate it trusts or accepts. Anything else is refused or, worse,
    /// leaves SPS unable to verify the peer: connections or e-mail alerts fail. A private key pasted
    /// here is also a leak: it is now in the repository and must be considered compromised.
    ///
    /// ## Notes
    ///
    /// A trusted CA list takes one certificate per authority: a chain (several certificate blocks) is
    /// reported, each CA belongs in its own `authorities` entry. Text around the block and the line
    /// breaks are the business of CERT002 and CERT003; validity dates of CERT004.
    pub struct CertNotACertificate {
        code: "CERT001",
        name: "cert-not-a-certificate",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: tca_example!(r#""<certificate>""#, r#""http://crl.example.com/ca.crl""#),
        good: tca_example!(ca_2099!(), r#""http://crl.example.com/ca.crl""#),
    }
}

/// What is wrong with the content, with a help line; `None` when it is one certificate.
pub fn problem(report: &CertReport) -> Option<(String, String)> {
    let found = match &report.content {
        Content::Certificate(_) => None,
        Content::Empty => Some((
            "is empty".to_string(),
            "paste the PEM certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----".to_string(),
        )),
        Content::NotCertificate(BlockKind::PrivateKey) => Some((
            "holds a private key, not a certificate".to_string(),
            "paste the certificate instead; remove the private key from the file and its history, and consider it compromised".to_string(),
        )),
        Content::NotCertificate(kind) => Some((
            format!("holds {kind}, not a certificate"),
            "paste the PEM certificate (-----BEGIN CERTIFICATE-----) instead".to_string(),
        )),
        Content::Malformed(m) => Some((
            format!("holds a certificate block that cannot be read: {m}"),
            "paste the certificate again, whole, from the .pem or .crt file".to_string(),
        )),
        Content::BareBase64 { der_is_certificate } => Some((
            if *der_is_certificate {
                "holds the base64 of a certificate without its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines".to_string()
            } else {
                "holds base64 data without BEGIN/END lines, which does not decode to a certificate".to_string()
            },
            "paste the whole PEM certificate, BEGIN and END lines included".to_string(),
        )),
        Content::NoPem => Some((
            "is not a PEM certificate".to_string(),
            "paste the PEM certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----".to_string(),
        )),
    };
    if found.is_some() {
        return found;
    }
    if report.certificate_blocks > 1 {
        return Some((
            format!(
                "holds {} certificates; exactly one is expected",
                report.certificate_blocks
            ),
            "keep one certificate per value (in a trusted CA list, add each CA as its own authority)".to_string(),
        ));
    }
    if let Some(kind) = report.other_blocks.first() {
        let help = if *kind == BlockKind::PrivateKey {
            "remove the private key block; remove it from the file's history too, and consider the key compromised"
        } else {
            "remove the extra block: only the certificate belongs here"
        };
        return Some((
            format!("holds {kind} besides the certificate"),
            help.to_string(),
        ));
    }
    None
}

impl Rule for CertNotACertificate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for c in common::certificates(cx.endpoint.path, cx.body) {
            let a = common::analyze(c.text);
            if let Some((what, help)) = problem(&a.report) {
                cx.report(&c.pointer, format!("the certificate value {what}"), help);
            }
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
    const KEY: &str = include_str!("../../../fixtures/certs/key.pem");
    const CSR: &str = include_str!("../../../fixtures/certs/request.csr.pem");
    const CRL: &str = include_str!("../../../fixtures/certs/crl.pem");
    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn tca(cert: &str) -> String {
        format!(
            r#"{{"authorities": [{{"certificate": {}, "crl": "http://c.example/x.crl"}}]}}"#,
            json(cert)
        )
    }

    fn one(cert: &str) -> Diagnostic {
        let d = run_rule(&CertNotACertificate, TCA, &tca(cert));
        assert_eq!(pointers(&d), vec!["/authorities/0/certificate"], "{cert}");
        d.into_iter().next().unwrap()
    }

    use crate::diagnostic::Diagnostic;

    #[test]
    fn certificates_pass() {
        for c in [CA, LEAF] {
            assert!(run_rule(&CertNotACertificate, TCA, &tca(c)).is_empty());
        }
        // Layout problems are other rules' business.
        assert!(run_rule(&CertNotACertificate, TCA, &tca(&CA.replace('\n', " "))).is_empty());
    }

    #[test]
    fn says_what_is_there_instead() {
        let d = one(KEY);
        assert!(d.message.contains("a private key"), "{}", d.message);
        let body = KEY.lines().nth(1).unwrap();
        assert!(!d.message.contains(body) && !d.help.as_deref().unwrap().contains(body));
        assert!(one(CSR).message.contains("certificate signing request"));
        assert!(one(CRL).message.contains("revocation list"));
        assert!(one("").message.contains("is empty"));
        assert!(
            one("<certificate>")
                .message
                .contains("not a PEM certificate")
        );
        assert!(
            one(&format!("{CA}{LEAF}"))
                .message
                .contains("holds 2 certificates")
        );
        let d = one(&format!("{CA}{KEY}"));
        assert!(d.message.contains("a private key besides"), "{}", d.message);
        let body: String = CA.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(one(&body).message.contains("without its -----BEGIN"));
        assert!(
            one(&CA.replace("-----END CERTIFICATE-----\n", ""))
                .message
                .contains("cannot be read")
        );
        assert_eq!(one(KEY).severity, Severity::Error);
    }

    #[test]
    fn mail_and_user_database_values() {
        let mail = |enabled: bool, ca: &str| {
            format!(
                r#"{{"smtp_encryption": {{"selection": "starttls", "server_certificate_check": {{"enabled": {enabled}, "server_certificate_ca": {}}}}}}}"#,
                json(ca)
            )
        };
        let ep = "/api/configuration/management/email";
        assert!(run_rule(&CertNotACertificate, ep, &mail(false, "")).is_empty());
        assert!(run_rule(&CertNotACertificate, ep, &mail(true, CA)).is_empty());
        assert_eq!(
            pointers(&run_rule(&CertNotACertificate, ep, &mail(true, ""))),
            vec!["/smtp_encryption/server_certificate_check/server_certificate_ca"]
        );
        let udb = format!(
            r#"{{"users": [{{"certificates": [{}, {}]}}]}}"#,
            json(LEAF),
            json(CSR)
        );
        assert_eq!(
            pointers(&run_rule(
                &CertNotACertificate,
                "/api/configuration/policies/user_databases",
                &udb
            )),
            vec!["/users/0/certificates/1"]
        );
    }
}
