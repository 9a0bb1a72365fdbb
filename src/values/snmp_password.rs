//! What SPS accepts as an SNMP password. Used by the inline check (SNMP007) and, through the
//! repository index's facts, by the check of referenced password objects (REPO005).

use std::fmt;

/// The fewest characters an SNMP password may have.
pub const MIN_LENGTH: usize = 8;

/// The special characters SPS accepts in SNMP passwords, besides letters, digits and the space.
/// The documentation's list, repaired as explained in the rule's notes.
pub const SPECIALS: &str = r##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}"##;

/// What an SNMP password may contain, for messages.
pub const ALLOWED: &str = r##"at least 8 characters, using only letters a-z and A-Z, digits 0-9, spaces and the special characters !"#$%&'()*+,-./:;<=>?@[\]^_`{|}"##;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CharClass {
    Tilde,
    NonAscii,
    Control,
}

impl fmt::Display for CharClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CharClass::Tilde => "a tilde",
            CharClass::NonAscii => "a character outside ASCII (such as an accented letter)",
            CharClass::Control => "a tab, line break or other control character",
        })
    }
}

/// Why SPS would refuse an SNMP password. Its text describes the problems without quoting
/// anything from the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordError {
    pub too_short: bool,
    /// The kinds of characters not accepted, each once, in a fixed order.
    pub disallowed: Vec<CharClass>,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.too_short {
            parts.push(format!("is shorter than {MIN_LENGTH} characters"));
        }
        if !self.disallowed.is_empty() {
            let kinds: Vec<String> = self.disallowed.iter().map(ToString::to_string).collect();
            parts.push(format!("contains {}", kinds.join(" and ")));
        }
        write!(f, "it {}", parts.join(" and "))
    }
}

/// Whether SPS accepts `text` as an SNMP password: at least [`MIN_LENGTH`] characters, each a
/// letter a-z or A-Z, a digit, a space or one of [`SPECIALS`].
pub fn check_snmp_password(text: &str) -> Result<(), PasswordError> {
    let too_short = text.chars().count() < MIN_LENGTH;
    let mut disallowed: Vec<CharClass> = text
        .chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() || c == ' ' || SPECIALS.contains(c) => None,
            '~' => Some(CharClass::Tilde),
            c if c.is_control() => Some(CharClass::Control),
            _ => Some(CharClass::NonAscii),
        })
        .collect();
    disallowed.sort_unstable();
    disallowed.dedup();
    if too_short || !disallowed.is_empty() {
        Err(PasswordError {
            too_short,
            disallowed,
        })
    } else {
        Ok(())
    }
}
