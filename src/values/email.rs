//! A practical e-mail address check for SPS address fields.
//!
//! Deliberately not RFC 5322: quoted local parts, comments, domain literals
//! (`user@[10.0.0.1]`) and non-ASCII (SMTPUTF8) addresses are rejected,
//! because SPS fields want a plain `local@host.domain` and those forms are
//! far more often mistakes than intent.

use std::fmt;

use super::net::{HostnameError, check_hostname};

/// Why an address is not a plain e-mail address. Indices are 0-based
/// character indices in the checked string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    /// `Admin <admin@example.com>`: `address` is the part in angle brackets,
    /// which the rule can suggest.
    DisplayName {
        address: String,
    },
    /// `mailto:admin@example.com`: `address` is without the prefix.
    MailtoPrefix {
        address: String,
    },
    /// Several addresses separated by `,`, `;` or spaces.
    MultipleAddresses,
    Whitespace {
        index: usize,
    },
    MissingAt,
    /// A second `@`, at `index`.
    MultipleAt {
        index: usize,
    },
    EmptyLocalPart,
    /// Over 64 characters (RFC 5321).
    LocalPartTooLong {
        len: usize,
    },
    InvalidLocalChar {
        ch: char,
        index: usize,
    },
    /// A dot at the start or end of the local part, or two in a row.
    LocalPartDot {
        index: usize,
    },
    EmptyDomain,
    /// The domain is not a valid host name; indices are shifted to count
    /// from the start of the address.
    Domain(HostnameError),
    /// `root@localhost`: deliverable only locally. The one soft finding,
    /// see [`EmailError::is_soft`].
    DomainWithoutDot,
    /// Over 254 characters (RFC 5321 path limit).
    TooLong {
        len: usize,
    },
}

impl EmailError {
    /// True for findings that are suspicious rather than wrong, which a rule
    /// may report at a lower severity.
    pub fn is_soft(&self) -> bool {
        matches!(self, EmailError::DomainWithoutDot)
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EmailError as E;
        match self {
            E::Empty => f.write_str("empty address"),
            E::DisplayName { address } => {
                write!(f, "display-name form; give the bare address {address:?}")
            }
            E::MailtoPrefix { address } => {
                write!(f, "mailto: prefix; give the bare address {address:?}")
            }
            E::MultipleAddresses => f.write_str("several addresses; give exactly one"),
            E::Whitespace { index } => write!(f, "whitespace at index {index}"),
            E::MissingAt => f.write_str("no @ between user and domain"),
            E::MultipleAt { index } => write!(f, "second @ at index {index}"),
            E::EmptyLocalPart => f.write_str("nothing before the @"),
            E::LocalPartTooLong { len } => {
                write!(f, "{len} characters before the @; at most 64 are allowed")
            }
            E::InvalidLocalChar { ch, index } => {
                write!(
                    f,
                    "character {ch:?} at index {index} is not allowed before the @"
                )
            }
            E::LocalPartDot { index } => write!(f, "misplaced dot at index {index}"),
            E::EmptyDomain => f.write_str("nothing after the @"),
            E::Domain(e) => write!(f, "invalid domain: {e}"),
            E::DomainWithoutDot => f.write_str("domain has no dot; only deliverable locally"),
            E::TooLong { len } => write!(f, "{len} characters; an address has at most 254"),
        }
    }
}

impl std::error::Error for EmailError {}

/// RFC 5322 `atext`, the unquoted local-part characters besides dots.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// Checks that `s` is one plain `local@domain` address.
pub fn check_email(s: &str) -> Result<(), EmailError> {
    use EmailError as E;
    if s.trim().is_empty() {
        return Err(E::Empty);
    }
    let trimmed = s.trim();
    // `Name <addr>` and `<addr>`: checked first because the name usually has
    // spaces, and "whitespace at index 5" would miss the point.
    if let Some(inner) = trimmed.strip_suffix('>')
        && let Some(open) = inner.rfind('<')
    {
        return Err(E::DisplayName {
            address: inner[open + 1..].trim().to_owned(),
        });
    }
    if trimmed
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        return Err(E::MailtoPrefix {
            address: trimmed[7..].to_owned(),
        });
    }
    if s.matches('@').count() > 1 && s.contains([',', ';', ' ']) {
        return Err(E::MultipleAddresses);
    }
    if let Some(index) = s.chars().position(char::is_whitespace) {
        return Err(E::Whitespace { index });
    }
    let len = s.chars().count();
    if len > 254 {
        return Err(E::TooLong { len });
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(E::MissingAt);
    };
    let local_chars = local.chars().count();
    if let Some(i) = domain.chars().position(|c| c == '@') {
        return Err(E::MultipleAt {
            index: local_chars + 1 + i,
        });
    }
    if local.is_empty() {
        return Err(E::EmptyLocalPart);
    }
    if local_chars > 64 {
        return Err(E::LocalPartTooLong { len: local_chars });
    }
    let mut prev_dot = true; // a leading dot counts as misplaced
    for (index, ch) in local.chars().enumerate() {
        if ch == '.' {
            if prev_dot {
                return Err(E::LocalPartDot { index });
            }
            prev_dot = true;
        } else if is_atext(ch) {
            prev_dot = false;
        } else {
            return Err(E::InvalidLocalChar { ch, index });
        }
    }
    if prev_dot {
        return Err(E::LocalPartDot {
            index: local_chars - 1,
        });
    }
    if domain.is_empty() {
        return Err(E::EmptyDomain);
    }
    check_hostname(domain).map_err(|e| E::Domain(e.shifted(local_chars + 1)))?;
    if !domain.trim_end_matches('.').contains('.') {
        return Err(E::DomainWithoutDot);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::net::IpKind;

    #[test]
    fn valid() {
        for a in [
            "admin@example.com",
            "first.last@mail.example.com",
            "ops+sps@example.co.uk",
            "o'brien@example.ie",
            "x@a.b",
            "alerts-2@sub-domain.example.org.",
            "{weird}!#$%&*=?^_`|~@example.com",
        ] {
            assert_eq!(check_email(a), Ok(()), "{a:?}");
        }
    }

    #[test]
    fn invalid() {
        use EmailError as E;
        use HostnameError as H;
        let long_local = format!("{}@example.com", "a".repeat(65));
        let too_long = format!("a@{}.com", "b.".repeat(126));
        let cases: &[(&str, EmailError)] = &[
            ("", E::Empty),
            ("  ", E::Empty),
            (
                "Admin <admin@example.com>",
                E::DisplayName {
                    address: "admin@example.com".into(),
                },
            ),
            (
                "\"SPS Admin\" < admin@example.com >",
                E::DisplayName {
                    address: "admin@example.com".into(),
                },
            ),
            (
                "<admin@example.com>",
                E::DisplayName {
                    address: "admin@example.com".into(),
                },
            ),
            (
                "mailto:admin@example.com",
                E::MailtoPrefix {
                    address: "admin@example.com".into(),
                },
            ),
            ("a@example.com, b@example.com", E::MultipleAddresses),
            ("a@example.com;b@example.com", E::MultipleAddresses),
            ("admin @example.com", E::Whitespace { index: 5 }),
            (" admin@example.com", E::Whitespace { index: 0 }),
            ("admin@example.com\n", E::Whitespace { index: 17 }),
            ("admin.example.com", E::MissingAt),
            ("a@b@example.com", E::MultipleAt { index: 3 }),
            ("@example.com", E::EmptyLocalPart),
            (&long_local, E::LocalPartTooLong { len: 65 }),
            (
                "ad(min)@example.com",
                E::InvalidLocalChar { ch: '(', index: 2 },
            ),
            ("\"a b\"@example.com", E::Whitespace { index: 2 }),
            (
                "jürgen@example.com",
                E::InvalidLocalChar { ch: 'ü', index: 1 },
            ),
            (".admin@example.com", E::LocalPartDot { index: 0 }),
            ("admin.@example.com", E::LocalPartDot { index: 5 }),
            ("ad..min@example.com", E::LocalPartDot { index: 3 }),
            ("admin@", E::EmptyDomain),
            ("admin@exa_mple.com", E::Domain(H::Underscore { index: 9 })),
            (
                "admin@-example.com",
                E::Domain(H::LabelStartsWithHyphen { index: 6 }),
            ),
            ("admin@example..com", E::Domain(H::EmptyLabel { index: 14 })),
            ("admin@10.0.0.1", E::Domain(H::IpAddress(IpKind::V4))),
            (
                "admin@[10.0.0.1]",
                E::Domain(H::InvalidChar { ch: '[', index: 6 }),
            ),
            ("root@localhost", E::DomainWithoutDot),
            (
                &too_long,
                E::TooLong {
                    len: too_long.len(),
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(check_email(input).as_ref(), Err(want), "{input:?}");
        }
    }

    #[test]
    fn soft_and_messages() {
        assert!(check_email("root@localhost").unwrap_err().is_soft());
        assert!(!check_email("root@").unwrap_err().is_soft());
        assert_eq!(
            check_email("Admin <admin@example.com>")
                .unwrap_err()
                .to_string(),
            "display-name form; give the bare address \"admin@example.com\""
        );
        assert_eq!(
            check_email("admin@exa_mple.com").unwrap_err().to_string(),
            "invalid domain: underscore at index 9 (not allowed in host names)"
        );
    }
}

#[cfg(test)]
mod multibyte_tests {
    use super::*;

    /// A multi-byte character across byte 7 once panicked the `mailto:` check.
    #[test]
    fn multibyte_text_near_the_start_does_not_panic() {
        // The call used to panic; the result must match the same address without the prefix check.
        assert_eq!(
            check_email("abcdef€@x.example").is_ok(),
            check_email("abcdefé@x.example").is_ok()
        );
        assert!(check_email("mailto:admin@example.com").is_err());
    }
}
