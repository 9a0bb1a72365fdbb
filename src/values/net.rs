//! IP address and host name checks.
//!
//! Parsing is `std::net`; the extra work here is only to explain failures
//! precisely enough for a rule to suggest the fix (drop the `/24`, write
//! `10.1.1.1` not `010.1.1.1`, use selection "ip" for an address).

use std::fmt;
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpKind {
    V4,
    V6,
}

impl fmt::Display for IpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IpKind::V4 => "IPv4",
            IpKind::V6 => "IPv6",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IpError {
    Empty,
    /// Leading or trailing whitespace.
    SurroundingWhitespace,
    /// An IPv4 octet such as `010`: std rejects it and some tools read it as
    /// octal, so it is ambiguous rather than merely unusual.
    LeadingZero {
        octet: String,
    },
    /// An IPv4 octet above 255.
    OctetOutOfRange {
        octet: String,
    },
    /// Dotted decimal with other than four parts (`10.1.1`).
    OctetCount {
        count: usize,
    },
    /// `10.0.0.0/8`: a network where a host address is expected.
    CidrSuffix {
        prefix: String,
    },
    /// `10.0.0.1:22`: a port where only an address is expected.
    PortSuffix {
        port: String,
    },
    /// `[::1]`: URL-style brackets around an IPv6 address.
    Brackets,
    /// `fe80::1%eth0`: an IPv6 zone index.
    ZoneId,
    /// Anything else.
    Invalid,
}

impl fmt::Display for IpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpError::Empty => f.write_str("empty address"),
            IpError::SurroundingWhitespace => f.write_str("leading or trailing whitespace"),
            IpError::LeadingZero { octet } => write!(
                f,
                "IPv4 part {octet:?} has a leading zero (ambiguous: may be read as octal)"
            ),
            IpError::OctetOutOfRange { octet } => {
                write!(f, "IPv4 part {octet:?} is larger than 255")
            }
            IpError::OctetCount { count } => {
                write!(f, "an IPv4 address has 4 dot-separated parts, not {count}")
            }
            IpError::CidrSuffix { prefix } => write!(
                f,
                "network prefix /{prefix} given where a single address is expected"
            ),
            IpError::PortSuffix { port } => {
                write!(f, "port :{port} given where only an address is expected")
            }
            IpError::Brackets => f.write_str("IPv6 address in [brackets]; drop them"),
            IpError::ZoneId => f.write_str("IPv6 zone index (%...) is not accepted"),
            IpError::Invalid => f.write_str("not an IPv4 or IPv6 address"),
        }
    }
}

impl std::error::Error for IpError {}

/// Checks a host IP address (no prefix, port, brackets or zone).
pub fn check_ip(s: &str) -> Result<IpKind, IpError> {
    if s.is_empty() {
        return Err(IpError::Empty);
    }
    if s.trim() != s {
        return Err(IpError::SurroundingWhitespace);
    }
    match s.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => return Ok(IpKind::V4),
        Ok(IpAddr::V6(_)) => return Ok(IpKind::V6),
        Err(_) => {}
    }
    if let Some((addr, prefix)) = s.split_once('/') {
        check_ip(addr)?;
        return Err(IpError::CidrSuffix {
            prefix: prefix.to_owned(),
        });
    }
    if s.starts_with('[') {
        return Err(IpError::Brackets);
    }
    if let Some((addr, _)) = s.split_once('%')
        && addr.parse::<std::net::Ipv6Addr>().is_ok()
    {
        return Err(IpError::ZoneId);
    }
    if let Some((addr, port)) = s.split_once(':')
        && addr.parse::<std::net::Ipv4Addr>().is_ok()
    {
        return Err(IpError::PortSuffix {
            port: port.to_owned(),
        });
    }
    if s.contains('.') && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(dotted_decimal_error(s));
    }
    Err(IpError::Invalid)
}

/// Explains why digits-and-dots text is not an IPv4 address.
fn dotted_decimal_error(s: &str) -> IpError {
    let count = s.split('.').count();
    if count != 4 {
        return IpError::OctetCount { count };
    }
    for octet in s.split('.') {
        if octet.len() > 1 && octet.starts_with('0') {
            return IpError::LeadingZero {
                octet: octet.to_owned(),
            };
        }
        if octet.is_empty() {
            return IpError::Invalid;
        }
        if octet.len() > 3 || octet.parse::<u16>().is_ok_and(|n| n > 255) {
            return IpError::OctetOutOfRange {
                octet: octet.to_owned(),
            };
        }
    }
    IpError::Invalid
}

/// Why a host name is not valid. Indices are 0-based character indices in
/// the checked string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostnameError {
    Empty,
    /// An IP address given as a host name: suggest selection "ip".
    IpAddress(IpKind),
    Whitespace {
        index: usize,
    },
    Underscore {
        index: usize,
    },
    /// Any other character outside letters, digits, `-` and `.`
    /// (non-ASCII names must be given in punycode, `xn--...`).
    InvalidChar {
        ch: char,
        index: usize,
    },
    /// More than 253 characters (not counting a trailing dot).
    TooLong {
        len: usize,
    },
    /// `a..b`, `.a`: `index` is where the empty label is.
    EmptyLabel {
        index: usize,
    },
    /// A label over 63 characters, starting at `index`.
    LabelTooLong {
        index: usize,
        len: usize,
    },
    LabelStartsWithHyphen {
        index: usize,
    },
    LabelEndsWithHyphen {
        index: usize,
    },
    /// All-digit last label (`10.0.0.256`, `host.123`): RFC 1123 keeps those
    /// apart from IP addresses, so this is probably a mistyped address.
    NumericTld,
}

impl HostnameError {
    /// Moves indices by `by` characters, for names embedded in a larger
    /// value (the domain of an e-mail address).
    pub(crate) fn shifted(self, by: usize) -> HostnameError {
        use HostnameError as E;
        match self {
            E::Whitespace { index } => E::Whitespace { index: index + by },
            E::Underscore { index } => E::Underscore { index: index + by },
            E::InvalidChar { ch, index } => E::InvalidChar {
                ch,
                index: index + by,
            },
            E::EmptyLabel { index } => E::EmptyLabel { index: index + by },
            E::LabelTooLong { index, len } => E::LabelTooLong {
                index: index + by,
                len,
            },
            E::LabelStartsWithHyphen { index } => E::LabelStartsWithHyphen { index: index + by },
            E::LabelEndsWithHyphen { index } => E::LabelEndsWithHyphen { index: index + by },
            other => other,
        }
    }
}

impl fmt::Display for HostnameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use HostnameError as E;
        match self {
            E::Empty => f.write_str("empty host name"),
            E::IpAddress(kind) => write!(f, "this is an {kind} address, not a host name"),
            E::Whitespace { index } => write!(f, "whitespace at index {index}"),
            E::Underscore { index } => {
                write!(f, "underscore at index {index} (not allowed in host names)")
            }
            E::InvalidChar { ch, index } if !ch.is_ascii() => write!(
                f,
                "non-ASCII character {ch:?} at index {index} (use the punycode xn-- form)"
            ),
            E::InvalidChar { ch, index } => {
                write!(f, "character {ch:?} at index {index} is not allowed")
            }
            E::TooLong { len } => write!(f, "{len} characters; a host name has at most 253"),
            E::EmptyLabel { index } => write!(f, "empty label at index {index} (stray dot)"),
            E::LabelTooLong { index, len } => write!(
                f,
                "label at index {index} has {len} characters; at most 63 are allowed"
            ),
            E::LabelStartsWithHyphen { index } => {
                write!(f, "label at index {index} starts with a hyphen")
            }
            E::LabelEndsWithHyphen { index } => {
                write!(f, "label ends with a hyphen at index {index}")
            }
            E::NumericTld => f.write_str("last label is all digits; a malformed IP address?"),
        }
    }
}

impl std::error::Error for HostnameError {}

/// Checks an RFC 1123 host name: dot-separated labels of 1-63 letters,
/// digits and hyphens, no hyphen at either end of a label, at most 253
/// characters, an optional trailing dot.
pub fn check_hostname(s: &str) -> Result<(), HostnameError> {
    use HostnameError as E;
    if s.is_empty() {
        return Err(E::Empty);
    }
    if let Ok(kind) = check_ip(s) {
        return Err(E::IpAddress(kind));
    }
    for (index, ch) in s.chars().enumerate() {
        match ch {
            c if c.is_ascii_alphanumeric() || c == '-' || c == '.' => {}
            c if c.is_whitespace() => return Err(E::Whitespace { index }),
            '_' => return Err(E::Underscore { index }),
            ch => return Err(E::InvalidChar { ch, index }),
        }
    }
    // ASCII from here on, so byte and character indices agree.
    let name = s.strip_suffix('.').unwrap_or(s);
    if name.len() > 253 {
        return Err(E::TooLong { len: name.len() });
    }
    let mut index = 0;
    let mut last = "";
    for label in name.split('.') {
        if label.is_empty() {
            return Err(E::EmptyLabel { index });
        }
        if label.len() > 63 {
            return Err(E::LabelTooLong {
                index,
                len: label.len(),
            });
        }
        if label.starts_with('-') {
            return Err(E::LabelStartsWithHyphen { index });
        }
        if label.ends_with('-') {
            return Err(E::LabelEndsWithHyphen {
                index: index + label.len() - 1,
            });
        }
        index += label.len() + 1;
        last = label;
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(E::NumericTld);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ips() {
        assert_eq!(check_ip("10.1.1.1"), Ok(IpKind::V4));
        assert_eq!(check_ip("0.0.0.0"), Ok(IpKind::V4));
        assert_eq!(check_ip("255.255.255.255"), Ok(IpKind::V4));
        assert_eq!(check_ip("::1"), Ok(IpKind::V6));
        assert_eq!(check_ip("fe80::1:2"), Ok(IpKind::V6));
        assert_eq!(check_ip("2001:db8::10.1.1.1"), Ok(IpKind::V6));
    }

    #[test]
    fn invalid_ips() {
        let cases: &[(&str, IpError)] = &[
            ("", IpError::Empty),
            (" 10.1.1.1", IpError::SurroundingWhitespace),
            ("10.1.1.1\n", IpError::SurroundingWhitespace),
            (
                "010.1.1.1",
                IpError::LeadingZero {
                    octet: "010".into(),
                },
            ),
            ("10.1.1.00", IpError::LeadingZero { octet: "00".into() }),
            (
                "10.1.1.256",
                IpError::OctetOutOfRange {
                    octet: "256".into(),
                },
            ),
            (
                "10.1.1.1000",
                IpError::OctetOutOfRange {
                    octet: "1000".into(),
                },
            ),
            ("10.1.1", IpError::OctetCount { count: 3 }),
            ("10.1.1.1.1", IpError::OctetCount { count: 5 }),
            ("10..1.1", IpError::Invalid),
            ("10.0.0.0/8", IpError::CidrSuffix { prefix: "8".into() }),
            (
                "2001:db8::/32",
                IpError::CidrSuffix {
                    prefix: "32".into(),
                },
            ),
            (
                "010.0.0.0/8",
                IpError::LeadingZero {
                    octet: "010".into(),
                },
            ),
            ("10.0.0.1:22", IpError::PortSuffix { port: "22".into() }),
            ("[::1]", IpError::Brackets),
            ("[::1]:22", IpError::Brackets),
            ("fe80::1%eth0", IpError::ZoneId),
            ("host.example.com", IpError::Invalid),
            ("1.2.3.4.example.com", IpError::Invalid),
            ("::g", IpError::Invalid),
        ];
        for (input, want) in cases {
            assert_eq!(check_ip(input).as_ref(), Err(want), "{input:?}");
        }
    }

    #[test]
    fn ip_error_messages() {
        assert_eq!(
            check_ip("010.1.1.1").unwrap_err().to_string(),
            "IPv4 part \"010\" has a leading zero (ambiguous: may be read as octal)"
        );
        assert_eq!(
            check_ip("10.0.0.0/8").unwrap_err().to_string(),
            "network prefix /8 given where a single address is expected"
        );
    }

    #[test]
    fn valid_hostnames() {
        for h in [
            "localhost",
            "sps.example.com",
            "sps.example.com.",
            "a",
            "1sps.example.com",
            "xn--bcher-kva.example",
            "a-b.c-d.e",
            "10.0.0.example",
            &format!("{}.com", "a".repeat(63)),
        ] {
            assert_eq!(check_hostname(h), Ok(()), "{h:?}");
        }
        // 253 characters is the limit, a trailing dot aside.
        let max = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "a".repeat(61));
        assert_eq!(max.len(), 253);
        assert_eq!(check_hostname(&max), Ok(()));
        assert_eq!(check_hostname(&format!("{max}.")), Ok(()));
    }

    #[test]
    fn invalid_hostnames() {
        use HostnameError as E;
        let long_label = format!("{}.com", "a".repeat(64));
        let too_long = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "a".repeat(62));
        let cases: &[(&str, HostnameError)] = &[
            ("", E::Empty),
            ("10.0.0.1", E::IpAddress(IpKind::V4)),
            ("::1", E::IpAddress(IpKind::V6)),
            ("sps example.com", E::Whitespace { index: 3 }),
            (" sps.example.com", E::Whitespace { index: 0 }),
            ("sps.example.com ", E::Whitespace { index: 15 }),
            ("my_host.example.com", E::Underscore { index: 2 }),
            ("bücher.example", E::InvalidChar { ch: 'ü', index: 1 }),
            ("sps.example.com:443", E::InvalidChar { ch: ':', index: 15 }),
            (
                "https://sps.example.com",
                E::InvalidChar { ch: ':', index: 5 },
            ),
            ("10.0.0.0/8", E::InvalidChar { ch: '/', index: 8 }),
            (&long_label, E::LabelTooLong { index: 0, len: 64 }),
            (&too_long, E::TooLong { len: 254 }),
            ("a..b", E::EmptyLabel { index: 2 }),
            (".example.com", E::EmptyLabel { index: 0 }),
            ("example.com..", E::EmptyLabel { index: 12 }),
            (".", E::EmptyLabel { index: 0 }),
            ("-sps.example.com", E::LabelStartsWithHyphen { index: 0 }),
            ("sps.-example.com", E::LabelStartsWithHyphen { index: 4 }),
            ("sps-.example.com", E::LabelEndsWithHyphen { index: 3 }),
            ("10.0.0.256", E::NumericTld),
            ("host.123", E::NumericTld),
            ("1234", E::NumericTld),
        ];
        for (input, want) in cases {
            assert_eq!(check_hostname(input).as_ref(), Err(want), "{input:?}");
        }
    }

    #[test]
    fn hostname_error_messages() {
        assert_eq!(
            check_hostname("my_host").unwrap_err().to_string(),
            "underscore at index 2 (not allowed in host names)"
        );
        assert_eq!(
            check_hostname("10.0.0.1").unwrap_err().to_string(),
            "this is an IPv4 address, not a host name"
        );
        assert_eq!(
            check_hostname("bücher.de").unwrap_err().to_string(),
            "non-ASCII character 'ü' at index 1 (use the punycode xn-- form)"
        );
    }
}
