//! Shared by the certificate rules (CERT001 to CERT005) and the trusted CA list rules (TCA001
//! to TCA005): where certificate values are in a body, and a process-wide cache of their
//! analysis. Not a rule itself.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::Value;

use crate::diagnostic::Fix;
use crate::endpoint::{Endpoint, id};
use crate::values::pem::{self, CertReport};

pub const TRUSTED_CA_LISTS: &str = "/api/configuration/policies/trusted_ca_lists";
pub const EMAIL: &str = "/api/configuration/management/email";
pub const USER_DATABASES: &str = "/api/configuration/policies/user_databases";

/// Every endpoint with a certificate value.
pub static ENDPOINTS: &[&Endpoint] = &[
    id::POLICIES_TRUSTED_CA_LISTS,
    id::MANAGEMENT_EMAIL,
    id::POLICIES_USER_DATABASES,
];
/// The trusted CA list only.
pub static TCA_ENDPOINTS: &[&Endpoint] = &[id::POLICIES_TRUSTED_CA_LISTS];

/// A certificate's analysis, shared by every file holding the same text.
#[derive(Debug)]
pub struct Analysis {
    pub report: CertReport,
    /// The normalised PEM, computed only when the text is not already canonical.
    pub normalized: Option<String>,
}

type Cache = RwLock<HashMap<Box<str>, Arc<Analysis>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The analysis of a certificate text, computed once per distinct text in the process.
/// Keyed by the text itself (not only its hash), so a collision can never mix two reports.
pub fn analyze(text: &str) -> Arc<Analysis> {
    if let Some(a) = cache().read().ok().and_then(|m| m.get(text).cloned()) {
        return a;
    }
    let report = pem::analyze_certificate(text);
    let normalized = if report.is_canonical() {
        None
    } else {
        pem::normalize_pem(text)
    };
    let a = Arc::new(Analysis { report, normalized });
    if let Ok(mut m) = cache().write() {
        return m.entry(text.into()).or_insert(a).clone();
    }
    a
}

/// One certificate value in a body.
pub struct CertValue<'v> {
    /// Pointer relative to the body.
    pub pointer: String,
    pub text: &'v str,
    /// The value is a CA certificate of a trusted CA list.
    pub trusted_ca: bool,
}

/// The certificate values of a body, by endpoint. Values of the wrong type are the schema's.
/// The mail CA is skipped when it is empty and the check is not enabled (unused).
pub fn certificates<'v>(endpoint: &str, body: &'v Value) -> Vec<CertValue<'v>> {
    let mut out = Vec::new();
    match endpoint {
        TRUSTED_CA_LISTS => {
            if let Some(list) = body.get("authorities").and_then(Value::as_array) {
                for (i, a) in list.iter().enumerate() {
                    if let Some(text) = a.get("certificate").and_then(Value::as_str) {
                        out.push(CertValue {
                            pointer: format!("/authorities/{i}/certificate"),
                            text,
                            trusted_ca: true,
                        });
                    }
                }
            }
        }
        EMAIL => {
            let check = body
                .get("smtp_encryption")
                .and_then(|e| e.get("server_certificate_check"));
            if let Some(check) = check {
                let enabled = check.get("enabled") == Some(&Value::Bool(true));
                if let Some(text) = check.get("server_certificate_ca").and_then(Value::as_str)
                    && (enabled || !text.trim().is_empty())
                {
                    out.push(CertValue {
                        pointer: "/smtp_encryption/server_certificate_check/server_certificate_ca"
                            .to_string(),
                        text,
                        trusted_ca: false,
                    });
                }
            }
        }
        USER_DATABASES => {
            if let Some(users) = body.get("users").and_then(Value::as_array) {
                for (i, u) in users.iter().enumerate() {
                    if let Some(certs) = u.get("certificates").and_then(Value::as_array) {
                        for (j, c) in certs.iter().enumerate() {
                            if let Some(text) = c.as_str() {
                                out.push(CertValue {
                                    pointer: format!("/users/{i}/certificates/{j}"),
                                    text,
                                    trusted_ca: false,
                                });
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// The fix that replaces the whole JSON string value with the normalised PEM. The value's byte
/// range is resolved from the diagnostic's pointer once spans are known (`crate::fix::attach`).
pub fn normalize_fix(analysis: &Analysis) -> Option<Fix> {
    let normalized = analysis.normalized.as_ref()?;
    let replacement = serde_json::to_string(normalized).ok()?;
    Some(crate::fix::replace_value(
        "replace the value with the bare certificate, its lines separated by \\n",
        replacement,
    ))
}

/// The JSON string (quotes included) of `fixtures/certs/ca-valid-2099.pem`, for examples.
macro_rules! ca_2099 {
    () => {
        r#""-----BEGIN CERTIFICATE-----\nMIIDQzCCAiugAwIBAgICEAAwDQYJKoZIhvcNAQELBQAwMTEYMBYGA1UEAwwPc3Bz\nbGludCBUZXN0IENBMRUwEwYDVQQKDAxzcHNsaW50IHRlc3QwIBcNMjQwMTAxMDAw\nMDAwWhgPMjA5OTEyMzEyMzU5NTlaMDExGDAWBgNVBAMMD3Nwc2xpbnQgVGVzdCBD\nQTEVMBMGA1UECgwMc3BzbGludCB0ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\nMIIBCgKCAQEAou05pJHcs/P7yb6e3rAcDS8d8j+7Ipv1gufYCnd9Z6BHZuuU8YSG\n6LRdLjhxnvij7COz5xs383/lxadWTdRG0iDZG+MYZcVMmCrEz5mOwS99037XBhtZ\nFJ1gkwxPEgF8EE4OMGbcTisjGW/PpA05V/iCQ2FkJfchFxlSZDurmON2TRnrWdot\nrIsGqCTzVfatBuIbyMnJ2ubwFzQgiMyEO2shjwMK7s92ACs+V5h85L0IePKDLg6Q\n4zlKUsoFNiKWl/FNPQDNeQYJtpf5y4CvmXOsPbZHoWWVwbqoWBaiwiz2icqqYtpC\nLWKFBzxsPUmEymxhoBFuzsfkf4Qle9oo8QIDAQABo2MwYTAPBgNVHRMBAf8EBTAD\nAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUcuI0qIDpNnJzB9eoqkfFl08c\n0V8wHwYDVR0jBBgwFoAUcuI0qIDpNnJzB9eoqkfFl08c0V8wDQYJKoZIhvcNAQEL\nBQADggEBAJtBCR7Loi3C2Y+7dHpYLCbWk/lNCRzKEhcdGpHEmoIA52yJG7ZLhmfE\nzmlKonTKPmf1H5NfbnvhItcekyRsRd4pDfd+d9Dd/sO/COqGWUns1GxCrj6TilCb\nXPD1dZ2QHBhF5Qfm55/OLPnGDayygFOrVyNi+XhqBi9QzCQ/TrIEwNnRomSX8XN+\nowLdlFuH9A435drX3J/RYm8TMUUfiojqFQZk9e558Mkk2szdE9IZJogQ63WRQdOj\nvtNas66al17Bqhs3isz8FhBKY6WPCkdzylgd/UBZ+Dw72HA2BTL1zXthvCocBw+W\ngbTTskiq5m6ulrhaRuTIg2sCgKgg7bk=\n-----END CERTIFICATE-----\n""#
    };
}
pub(crate) use ca_2099;

/// The JSON string (quotes included) of `fixtures/certs/expired-ca.pem`, for examples.
macro_rules! expired_ca {
    () => {
        r#""-----BEGIN CERTIFICATE-----\nMIIDRzCCAi+gAwIBAgICEAEwDQYJKoZIhvcNAQELBQAwNDEbMBkGA1UEAwwSc3Bz\nbGludCBFeHBpcmVkIENBMRUwEwYDVQQKDAxzcHNsaW50IHRlc3QwHhcNMTAwMTAx\nMDAwMDAwWhcNMTUwMTAxMDAwMDAwWjA0MRswGQYDVQQDDBJzcHNsaW50IEV4cGly\nZWQgQ0ExFTATBgNVBAoMDHNwc2xpbnQgdGVzdDCCASIwDQYJKoZIhvcNAQEBBQAD\nggEPADCCAQoCggEBAL0/Gk+DcjudYCjOZOGl431DC7tkR5s1Eykj85A7lzVxxB2A\nPC1gp8FO6wSfFX0Q446pXNNK6EUlTVhfr/QIwhHxDHHcYNXhUwoiAyw1LcH/lPQd\nJwaQ3BkJE65Bniwex8Z6bTSL2pfGAXXWqXFVf3zZrDLsGFF9x+TONJOvM50D6rYV\nAWL4+yEOhZ5dtfjEfqpW4xl8sohc4cv24pd62yYdjWOZ+cYvfUL85c8kPq6aFYzt\nFDsk7t26xMqKj1NdccGRI1MNnqjTqmhCUCqluEnNZiZtfzSHqabEeM2e1NnM7XFN\n1zEPl7vzhUmBqdSunJl0YGLn8bZ0GE7uGbZ8VgsCAwEAAaNjMGEwDwYDVR0TAQH/\nBAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFO6QQ1bqMcIgAqH5zZXN\nisQLC39IMB8GA1UdIwQYMBaAFO6QQ1bqMcIgAqH5zZXNisQLC39IMA0GCSqGSIb3\nDQEBCwUAA4IBAQBwGNhw67FYQe/+qxsO13HP4712OgHL++4hI2csc+PtrJOcGCoW\ny5y3Fy1TOSuh/jkXCyzukY8o5vdZ7uIMB9ShsW1pq0CadllqpQ/CbjUIRlpd6OPY\nSFtXZ8tjO4ObdUrx0x5ctAVuWk95iTsb55PzeGzlGPCkquaYLv2nyON6g2/EcU3O\nk/ORqfCrjo+A7t+L8HaQFVAG/u8tmN0e4w+zXPMhrHxqRmEycI4M1TBkUwandXG1\nKl8/k4r6Fpp4OakAmztNXklAKPLvbfrJvn0RxhVhq7vGAQYDFxQbj/AJEar83exV\nJ4I8VlksLtkDzvOtIQrwT9n0v6Hrj0bZc1To\n-----END CERTIFICATE-----\n""#
    };
}
pub(crate) use expired_ca;

/// The JSON string (quotes included) of `fixtures/certs/leaf-not-ca.pem`, for examples.
macro_rules! leaf_not_ca {
    () => {
        r#""-----BEGIN CERTIFICATE-----\nMIIDczCCAlugAwIBAgICEAMwDQYJKoZIhvcNAQELBQAwMTEYMBYGA1UEAwwPc3Bz\nbGludCBUZXN0IENBMRUwEwYDVQQKDAxzcHNsaW50IHRlc3QwIBcNMjQwMTAxMDAw\nMDAwWhgPMjA5OTEyMzEyMzU5NTlaMDExGDAWBgNVBAMMD3Nwcy5leGFtcGxlLmNv\nbTEVMBMGA1UECgwMc3BzbGludCB0ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\nMIIBCgKCAQEAjsoGSYdKrwPtS5XuLn/D7oBUaJqyzi8J7nXyeGOL9wGhXEvBxuDC\nM/hYlKNyUAQtVFBOWB/kHmTPqDWctc9FI1CQUYIorenA8czjT7n0LSh29fJLPzb4\nC/YkhP+X3Kxv9IC8Ba6hOgooatq894IMORxNBL/8Cyh7f0dpLcMlZfryFpkBM6tp\nnke3atXuPjcKAD02anedRUI91n3DDZULjp6APrSR8zIHiUwvLpSb/fX5tenG4Xm6\nu2BrAqo7tBszcOJZQpAHFOeIWRnnLRIKy8lLBUp0uf/xz8Pw7zeC63wuWJ4WieIj\na39ygh68b3ZiFLO1fxMNC1D1FTyrHUQ2jQIDAQABo4GSMIGPMAwGA1UdEwEB/wQC\nMAAwDgYDVR0PAQH/BAQDAgWgMBMGA1UdJQQMMAoGCCsGAQUFBwMBMB0GA1UdDgQW\nBBSnzIJGmDeMFz0wHbTU6e94QBh6/jAfBgNVHSMEGDAWgBRy4jSogOk2cnMH16iq\nR8WXTxzRXzAaBgNVHREEEzARgg9zcHMuZXhhbXBsZS5jb20wDQYJKoZIhvcNAQEL\nBQADggEBAAGn/BkDaOvYgtws9b71zvSifcq2wywEIMYRxd+vfn/RDAHuFKXRMCAD\n9oXIBoxAZtjZ1den52pU/BWVmcOSmE7pqb4c/d0aZp2drMaJMccM1R9kM3vZsplz\nJBbqP6bH+f0SAsDSoZjTk6C+tyGMAshYSlAf2KXM7OR3324o+GKOeIIFsCA8oVKW\nZRQCzsYuxU8TPa9Zardt2mIrOTn53MGKMaCMjIR++zBur4SBvVU/CrnFY1aDzKdT\nOPVzy16DpzTeZ0UrSyR0ltVuk7bNOUmx0NP5IcexbN1QjkEZJjD/ZfeDLfPSOjcy\n+xRORlrONIa+C0OddsYcrL4RVXgCQBY=\n-----END CERTIFICATE-----\n""#
    };
}
pub(crate) use leaf_not_ca;

/// A whole trusted CA list body for documented examples, with the given certificate and CRL
/// JSON literals (quotes included).
macro_rules! tca_example {
    ($cert:expr, $crl:expr) => {
        concat!(
            "{\n  \"authorities\": [\n    {\n      \"certificate\": ",
            $cert,
            ",\n      \"crl\": ",
            $crl,
            "\n    }\n  ],\n  \"dn_check\": {\n    \"altEmailAddress\": \"\",\n    \"c\": \"HU\",\n    \"cn\": \"\",\n    \"emailAddress\": \"\",\n    \"l\": \"\",\n    \"o\": \"Example Corp\",\n    \"ou\": \"\",\n    \"st\": \"\"\n  },\n  \"dns_lookup\": true,\n  \"name\": \"corporate_ca\",\n  \"strict_hostcheck\": true\n}"
        )
    };
}
pub(crate) use tca_example;

/// A JSON string literal (quotes included) of a PEM text, for tests.
#[cfg(test)]
pub fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = include_str!("../../../fixtures/certs/ca-valid-2099.pem");

    #[test]
    fn example_macro_is_the_fixture() {
        let v: String = serde_json::from_str(ca_2099!()).unwrap();
        assert_eq!(v, CA);
    }

    #[test]
    fn analysis_is_shared_per_text() {
        let a = analyze(CA);
        let b = analyze(String::from(CA).as_str());
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.normalized.is_none());
        let flat = CA.replace('\n', " ");
        let f = normalize_fix(&analyze(&flat)).unwrap();
        assert_eq!(f.edits[0].replacement, json(CA));
    }

    #[test]
    fn finds_values_per_endpoint() {
        let tca: Value = serde_json::from_str(
            r#"{"authorities": [{"certificate": "a"}, {"certificate": null}, {"certificate": "b"}]}"#,
        )
        .unwrap();
        let p: Vec<_> = certificates(TRUSTED_CA_LISTS, &tca)
            .into_iter()
            .map(|c| c.pointer)
            .collect();
        assert_eq!(
            p,
            ["/authorities/0/certificate", "/authorities/2/certificate"]
        );
        let udb: Value =
            serde_json::from_str(r#"{"users": [{"certificates": []}, {"certificates": ["x"]}]}"#)
                .unwrap();
        assert_eq!(
            certificates(USER_DATABASES, &udb)[0].pointer,
            "/users/1/certificates/0"
        );
        let mail = |enabled: bool, ca: &str| -> usize {
            let b = serde_json::json!({"smtp_encryption": {"server_certificate_check": {"enabled": enabled, "server_certificate_ca": ca}}});
            certificates(EMAIL, &b).len()
        };
        assert_eq!(mail(false, ""), 0);
        assert_eq!(mail(true, ""), 1);
        assert_eq!(mail(false, "x"), 1);
    }
}
