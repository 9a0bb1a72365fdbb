//! The check of a trusted CA's `crl` value, which SPS wants as an http(s) URL. It
//! sits here because the commonest mistake is pasting a PEM block (the list itself).

use super::{BEGIN, BlockKind, DASHES};

/// Outcome of checking a trusted CA's `crl` value, which SPS wants as a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrlCheck {
    Http,
    Https,
    /// A URL with another scheme (`ldap`, `file`, `ftp`, ...), lowercase.
    OtherScheme(String),
    /// A PEM block pasted instead of a URL (usually the CRL itself).
    Pem(BlockKind),
    Empty,
    /// Leading or trailing whitespace around an otherwise valid http(s) URL.
    SurroundingWhitespace,
    /// A host/path without scheme, e.g. `crl.example.com/ca.crl`; the rule
    /// can suggest `http://`.
    MissingScheme,
    /// Not a URL; the reason is short and human-readable.
    NotUrl(String),
}

/// Checks a CRL value: an http(s) URL is fine.
pub fn analyze_crl_url(text: &str) -> CrlCheck {
    if text.trim().is_empty() {
        return CrlCheck::Empty;
    }
    if let Some(i) = text.find(BEGIN) {
        let rest = &text[i + BEGIN.len()..];
        let label = rest.find(DASHES).map_or(rest, |n| &rest[..n]);
        return CrlCheck::Pem(BlockKind::from_label(label));
    }
    let trimmed = text.trim();
    // The url crate silently strips surrounding spaces; SPS may not.
    if trimmed.len() != text.len() {
        return match analyze_crl_url(trimmed) {
            CrlCheck::Http | CrlCheck::Https => CrlCheck::SurroundingWhitespace,
            other => other,
        };
    }
    match url::Url::parse(text) {
        Ok(u) => match u.scheme() {
            // `C:\crl.pem` parses with scheme "c".
            s if s.len() == 1 => CrlCheck::NotUrl("looks like a Windows file path".to_owned()),
            // The url crate percent-encodes spaces in paths; a fetcher may not.
            "http" | "https" if text.contains(char::is_whitespace) => {
                let i = text.find(char::is_whitespace).unwrap_or(0);
                CrlCheck::NotUrl(format!("contains whitespace at byte {i}"))
            }
            "http" => CrlCheck::Http,
            "https" => CrlCheck::Https,
            s => CrlCheck::OtherScheme(s.to_owned()),
        },
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let looks_like_host = text
                .split('/')
                .next()
                .is_some_and(|h| h.contains('.') && !h.starts_with('.'));
            if looks_like_host && url::Url::parse(&format!("http://{text}")).is_ok() {
                CrlCheck::MissingScheme
            } else {
                CrlCheck::NotUrl("not an absolute URL".to_owned())
            }
        }
        // The url crate calls a space in the host an "invalid international
        // domain name"; the space is the real problem.
        Err(_) if text.contains(char::is_whitespace) => {
            let i = text.find(char::is_whitespace).unwrap_or(0);
            CrlCheck::NotUrl(format!("contains whitespace at byte {i}"))
        }
        Err(e) => CrlCheck::NotUrl(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::pem::test_data::*;

    #[test]
    fn crl_urls() {
        assert_eq!(
            analyze_crl_url("http://ca.example.com/ca.crl"),
            CrlCheck::Http
        );
        assert_eq!(
            analyze_crl_url("https://ca.example.com/ca.crl"),
            CrlCheck::Https
        );
        assert_eq!(
            analyze_crl_url("HTTP://ca.example.com/ca.crl"),
            CrlCheck::Http
        );
        assert_eq!(
            analyze_crl_url("ldap://ldap.example.com/cn=CA?certificateRevocationList"),
            CrlCheck::OtherScheme("ldap".into())
        );
        assert_eq!(
            analyze_crl_url("file:///etc/ssl/ca.crl"),
            CrlCheck::OtherScheme("file".into())
        );
        assert_eq!(analyze_crl_url(CRL), CrlCheck::Pem(BlockKind::Crl));
        assert_eq!(analyze_crl_url(CA), CrlCheck::Pem(BlockKind::Certificate));
        assert_eq!(analyze_crl_url(""), CrlCheck::Empty);
        assert_eq!(analyze_crl_url("  "), CrlCheck::Empty);
        assert_eq!(
            analyze_crl_url(" http://ca.example.com/ca.crl\n"),
            CrlCheck::SurroundingWhitespace
        );
        assert_eq!(
            analyze_crl_url("ca.example.com/ca.crl"),
            CrlCheck::MissingScheme
        );
        assert_eq!(
            analyze_crl_url("<url-of-revocation-list>"),
            CrlCheck::NotUrl("not an absolute URL".into())
        );
        assert_eq!(
            analyze_crl_url("C:\\certs\\ca.crl"),
            CrlCheck::NotUrl("looks like a Windows file path".into())
        );
        assert_eq!(
            analyze_crl_url("http://ca example.com/x"),
            CrlCheck::NotUrl("contains whitespace at byte 9".into())
        );
        assert_eq!(
            analyze_crl_url("http://ca.example.com/my ca.crl"),
            CrlCheck::NotUrl("contains whitespace at byte 24".into())
        );
        assert_eq!(
            analyze_crl_url("ldap://ldap.example.com/CN=My CA,O=Example"),
            CrlCheck::OtherScheme("ldap".into())
        );
        assert_eq!(
            analyze_crl_url("http://"),
            CrlCheck::NotUrl("empty host".into())
        );
    }
}
