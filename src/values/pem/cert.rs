//! The certificate fields rules look at, read from DER by x509-parser, and where a
//! certificate stands at a given time.

use std::fmt;

use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;

use super::der::not_x509_reason;

/// A point in time, UTC, as unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

impl UnixTime {
    pub fn unix(self) -> i64 {
        self.0
    }

    /// `2099-12-31T23:59:59Z`.
    pub fn rfc3339(self) -> String {
        match self.utc() {
            Some(t) => format!(
                "{}T{:02}:{:02}:{:02}Z",
                ymd(t),
                t.hour(),
                t.minute(),
                t.second()
            ),
            None => self.out_of_range(),
        }
    }

    /// `2099-12-31`.
    pub fn date(self) -> String {
        self.utc().map_or_else(|| self.out_of_range(), ymd)
    }

    /// The calendar time. `None` only beyond the years -9999 to 9999, which no
    /// certificate reaches: x509-parser reads its times into the same type.
    fn utc(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp(self.0).ok()
    }

    fn out_of_range(self) -> String {
        format!("{} seconds after 1970", self.0)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// `2099-12-31`; by components because the format is fixed, which also spares
/// `time`'s formatting feature.
fn ymd(t: OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// The fields of a parsed certificate that rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertInfo {
    pub not_before: UnixTime,
    pub not_after: UnixTime,
    /// RFC 4514-like, e.g. `CN=spslint Test CA, O=spslint test`.
    pub subject: String,
    pub issuer: String,
    /// From basicConstraints; `None` when the extension is absent (e.g. v1
    /// certificates such as the one in the SPS docs).
    pub is_ca: Option<bool>,
    /// Self-issued: subject equals issuer and, when both key identifiers are
    /// present, they match. The signature is not verified (x509-parser's
    /// `verify` feature is off), which is enough for linting.
    pub self_signed: bool,
}

/// Where a certificate stands at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    Valid,
    Expired {
        not_after: UnixTime,
        /// Whole days since expiry (0 on the day itself).
        days_ago: i64,
    },
    NotYetValid {
        not_before: UnixTime,
        /// Whole days until it becomes valid (0 when less than a day).
        days_until: i64,
    },
    ExpiresSoon {
        not_after: UnixTime,
        /// Whole days left (0 when less than a day).
        days_left: i64,
    },
}

impl CertInfo {
    /// Validity at `now_unix`; `ExpiresSoon` when it expires within
    /// `window_days` (0 or less disables that). notAfter itself is still
    /// valid (RFC 5280: the period is inclusive).
    pub fn validity(&self, now_unix: i64, window_days: i64) -> Validity {
        let (nb, na) = (self.not_before.0, self.not_after.0);
        if now_unix > na {
            Validity::Expired {
                not_after: self.not_after,
                days_ago: (now_unix - na) / 86_400,
            }
        } else if now_unix < nb {
            Validity::NotYetValid {
                not_before: self.not_before,
                days_until: (nb - now_unix) / 86_400,
            }
        } else if window_days > 0 && na - now_unix < window_days.saturating_mul(86_400) {
            Validity::ExpiresSoon {
                not_after: self.not_after,
                days_left: (na - now_unix) / 86_400,
            }
        } else {
            Validity::Valid
        }
    }
}

pub(super) fn cert_info(der: &[u8]) -> Result<CertInfo, String> {
    // Trailing bytes after the certificate are ignored, as OpenSSL does.
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return Err(not_x509_reason(der));
    };
    let mut is_ca = None;
    let mut ski = None;
    let mut aki = None;
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::BasicConstraints(bc) if is_ca.is_none() => is_ca = Some(bc.ca),
            ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| k.0)
            }
            _ => {}
        }
    }
    let same_name = cert.subject().as_raw() == cert.issuer().as_raw();
    let keys_agree = match (ski, aki) {
        (Some(s), Some(a)) => s == a,
        _ => true,
    };
    let validity = cert.validity();
    Ok(CertInfo {
        not_before: UnixTime(validity.not_before.timestamp()),
        not_after: UnixTime(validity.not_after.timestamp()),
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        is_ca,
        self_signed: same_name && keys_agree,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::pem::test_data::*;

    #[test]
    fn ca_fields() {
        let c = cert(CA);
        assert_eq!(c.subject, "CN=spslint Test CA, O=spslint test");
        assert_eq!(c.issuer, c.subject);
        assert_eq!(c.is_ca, Some(true));
        assert!(c.self_signed);
        assert_eq!(c.not_before.rfc3339(), "2024-01-01T00:00:00Z");
        assert_eq!(c.not_after.rfc3339(), "2099-12-31T23:59:59Z");
        assert_eq!(c.not_after.date(), "2099-12-31");
        assert_eq!(c.not_before.unix(), 1_704_067_200);
        assert_eq!(c.not_after.unix(), 4_102_444_799);
        assert_eq!(c.validity(NOW, 30), Validity::Valid);
    }

    #[test]
    fn leaf_fields() {
        let c = cert(LEAF);
        assert_eq!(c.subject, "CN=sps.example.com, O=spslint test");
        assert_eq!(c.issuer, "CN=spslint Test CA, O=spslint test");
        assert_eq!(c.is_ca, Some(false));
        assert!(!c.self_signed);
        assert_eq!(c.validity(NOW, 30), Validity::Valid);
    }

    #[test]
    fn docs_certificate_v1_expired_2017() {
        let c = cert(DOCS);
        assert_eq!(
            c.subject,
            "C=CA, ST=Ontario, L=Toronto, O=Balabit, OU=Documentation, CN=balabit, \
             Email=catail@balabit.hu"
        );
        assert!(c.self_signed);
        assert_eq!(c.is_ca, None);
        assert_eq!(c.not_before.rfc3339(), "2016-04-22T16:00:26Z");
        assert_eq!(c.not_after.rfc3339(), "2017-04-22T16:00:26Z");
        // 2017-05-22T16:00:26Z: 30 days later.
        assert_eq!(
            c.validity(c.not_after.0 + 30 * DAY, 30),
            Validity::Expired {
                not_after: c.not_after,
                days_ago: 30
            }
        );
    }

    #[test]
    fn expired_and_future() {
        let e = cert(EXPIRED);
        assert_eq!(e.not_before.date(), "2010-01-01");
        assert_eq!(e.not_after.rfc3339(), "2015-01-01T00:00:00Z");
        assert_eq!(
            e.validity(NOW, 30),
            Validity::Expired {
                not_after: e.not_after,
                days_ago: 4018
            }
        );
        let f = cert(FUTURE);
        assert_eq!(f.not_before.rfc3339(), "2098-01-01T00:00:00Z");
        assert_eq!(f.is_ca, Some(true));
        assert!(matches!(
            f.validity(NOW, 30),
            Validity::NotYetValid { days_until, .. } if days_until == (f.not_before.0 - NOW) / DAY
        ));
        assert_eq!(f.validity(f.not_before.0, 0), Validity::Valid);
    }

    #[test]
    fn validity_boundaries() {
        let c = cert(CA);
        let na = c.not_after.0;
        assert_eq!(c.validity(na, 0), Validity::Valid);
        assert_eq!(
            c.validity(na, 30),
            Validity::ExpiresSoon {
                not_after: c.not_after,
                days_left: 0
            }
        );
        assert_eq!(
            c.validity(na + 1, 30),
            Validity::Expired {
                not_after: c.not_after,
                days_ago: 0
            }
        );
        assert_eq!(
            c.validity(na - 10 * DAY - 5, 30),
            Validity::ExpiresSoon {
                not_after: c.not_after,
                days_left: 10
            }
        );
        assert_eq!(c.validity(na - 30 * DAY, 30), Validity::Valid);
        assert_eq!(
            c.validity(na - 30 * DAY + 1, 30),
            Validity::ExpiresSoon {
                not_after: c.not_after,
                days_left: 29
            }
        );
        assert_eq!(
            c.validity(c.not_before.0 - 1, 30),
            Validity::NotYetValid {
                not_before: c.not_before,
                days_until: 0
            }
        );
        // Huge windows do not overflow.
        assert!(matches!(
            c.validity(NOW, i64::MAX),
            Validity::ExpiresSoon { .. }
        ));
    }

    #[test]
    fn unix_time_formatting() {
        assert_eq!(UnixTime(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(UnixTime(-1).rfc3339(), "1969-12-31T23:59:59Z");
        assert_eq!(UnixTime(951_782_400).date(), "2000-02-29");
        assert_eq!(UnixTime(253_402_300_799).rfc3339(), "9999-12-31T23:59:59Z");
        assert_eq!(UnixTime(1_767_225_600).to_string(), "2026-01-01T00:00:00Z");
        assert_eq!(UnixTime(-62_167_219_200).rfc3339(), "0000-01-01T00:00:00Z");
        // Past year 9999: no certificate gets there; the value still prints.
        assert_eq!(
            UnixTime(253_402_300_800).date(),
            "253402300800 seconds after 1970"
        );
    }
}
