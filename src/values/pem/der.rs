//! Why decoded bytes are not a certificate: a short reason for the message, from
//! the outer DER header and from the other structures people paste by mistake.

use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::nom;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

/// A short reason why `der` is not a certificate. Only runs on failure, so
/// it can afford to try the other structures people paste by mistake.
pub(super) fn not_x509_reason(der: &[u8]) -> String {
    if der.first() != Some(&0x30) {
        return "not DER (does not start with an ASN.1 SEQUENCE)".to_owned();
    }
    if let Some(declared) = der_total_len(der)
        && declared > der.len()
    {
        return format!("DER is truncated ({} of {declared} bytes)", der.len());
    }
    if X509CertificationRequest::from_der(der).is_ok() {
        return "it is a certificate request (CSR)".to_owned();
    }
    if CertificateRevocationList::from_der(der).is_ok() {
        return "it is a certificate revocation list (CRL)".to_owned();
    }
    // PKCS#1/PKCS#8/SEC1 keys are SEQUENCE { INTEGER 0 or 1, ... }; a
    // certificate starts SEQUENCE { SEQUENCE ... }.
    let header = der_total_len(der).map_or(0, |total| total - der_content_len(der));
    if der
        .get(header..header + 3)
        .is_some_and(|v| v[0] == 0x02 && v[1] == 0x01 && v[2] <= 1)
    {
        return "it looks like a private key".to_owned();
    }
    match X509Certificate::from_der(der) {
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => e.to_string(),
        _ => "invalid certificate structure".to_owned(),
    }
}

// The outer header is read by hand, not by asn1-rs's `Header::from_ber`: the
// messages depend on cases asn1-rs treats otherwise. A header cut inside its
// length bytes (a truncated paste: "MIIB" decodes to 30 82 01) is reported
// here as "DER is truncated (3 of 4 bytes)", where asn1-rs only says
// Incomplete; lengths of 5 to 8 bytes, which no certificate has, are ignored
// here and parsed there. Matching both would take as much code as this.

/// Length of the outer DER element's content (0 if unreadable).
fn der_content_len(der: &[u8]) -> usize {
    match der.get(1) {
        Some(&l) if l < 0x80 => usize::from(l),
        Some(&l) if (0x81..=0x84).contains(&l) => {
            der.get(2..2 + usize::from(l - 0x80)).map_or(0, |b| {
                b.iter().fold(0, |acc, &x| (acc << 8) | usize::from(x))
            })
        }
        _ => 0,
    }
}

/// Header plus content length of the outer DER element.
fn der_total_len(der: &[u8]) -> Option<usize> {
    let l = *der.get(1)?;
    let header = if l < 0x80 {
        2
    } else if (0x81..=0x84).contains(&l) {
        2 + usize::from(l - 0x80)
    } else {
        return None;
    };
    Some(header + der_content_len(der))
}

#[cfg(test)]
mod tests {
    use crate::values::pem::test_data::*;
    use crate::values::pem::*;

    #[test]
    fn not_x509_reasons() {
        let malformed = |t: &str| match analyze_certificate(t).content {
            Content::Malformed(m) => m,
            other => panic!("expected malformed, got {other:?}"),
        };
        // Valid base64, wrong bytes.
        let not_der = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let m = malformed(not_der);
        assert!(matches!(m, MalformedPem::NotX509 { .. }), "{m:?}");
        assert!(
            m.to_string()
                .starts_with("the data is not an X.509 certificate: ")
        );
        // Still a formatting-clean value; normalisation is about layout only.
        assert!(analyze_certificate(not_der).is_canonical());
        assert_eq!(normalize_pem(not_der).as_deref(), Some(not_der));

        // Other structures' DER inside CERTIFICATE labels.
        let reason = |t: String| match malformed(&t) {
            MalformedPem::NotX509 { reason } => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            reason(KEY.replace("PRIVATE KEY", "CERTIFICATE")),
            "it looks like a private key"
        );
        assert_eq!(
            reason(CSR.replace("CERTIFICATE REQUEST", "CERTIFICATE")),
            "it is a certificate request (CSR)"
        );
        assert_eq!(
            reason(CRL.replace("X509 CRL", "CERTIFICATE")),
            "it is a certificate revocation list (CRL)"
        );
        assert_eq!(
            reason(not_der.to_owned()),
            "not DER (does not start with an ASN.1 SEQUENCE)"
        );
        // Whole lines lost: base64 still well-formed, DER short.
        let mut lines: Vec<&str> = CA.lines().collect();
        lines.drain(3..5);
        let short = lines.join("\n") + "\n";
        assert_eq!(
            reason(short),
            format!(
                "DER is truncated ({} of {} bytes)",
                cert_der_len(CA) - 96,
                cert_der_len(CA)
            )
        );
    }
}
