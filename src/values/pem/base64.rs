//! The base64 of a PEM body: the symbols are checked one by one, so that an error
//! can name the character and its byte offset in the value, then decoded.

use std::sync::LazyLock;

use data_encoding::Encoding;

use super::MalformedPem;

const INVALID: u8 = 0xFF;
pub(super) const SKIP: u8 = 0xFE;
const PAD: u8 = 0xFD;
const BACKSLASH: u8 = 0xFC;

/// Byte -> base64 value, or one of the markers above. A table because the
/// decoder runs on every byte of every certificate.
pub(super) const B64: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        if i < 10 {
            t[b'0' as usize + i] = 52 + i as u8;
        }
        i += 1;
    }
    t[b'+' as usize] = 62;
    t[b'/' as usize] = 63;
    t[b' ' as usize] = SKIP;
    t[b'\t' as usize] = SKIP;
    t[b'\n' as usize] = SKIP;
    t[b'\r' as usize] = SKIP;
    t[b'=' as usize] = PAD;
    t[b'\\' as usize] = BACKSLASH;
    t
};

pub(super) fn is_b64_symbol(c: u8) -> bool {
    B64[c as usize] < 64 || c == b'='
}

/// Walks a PEM body, skipping whitespace and literal `\n`/`\r` pairs, and
/// hands every base64 symbol, padding included, to `sink`.
/// Validates the alphabet, the padding position and the length. `range` is
/// the body's byte range in `text`, so error offsets are offsets in the
/// value. Returns the symbol count.
pub(super) fn walk_base64(
    text: &str,
    range: (usize, usize),
    mut sink: impl FnMut(u8),
) -> Result<usize, MalformedPem> {
    let bytes = &text.as_bytes()[range.0..range.1];
    let mut i = 0;
    let mut symbols = 0usize;
    let mut pads = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        let v = B64[c as usize];
        if v < 64 && pads == 0 {
            symbols += 1;
            sink(c);
            i += 1;
        } else if v == SKIP {
            i += 1;
        } else if v == BACKSLASH && matches!(bytes.get(i + 1), Some(b'n' | b'r')) {
            i += 2;
        } else if v == PAD && pads < 2 && symbols > 0 {
            pads += 1;
            symbols += 1;
            sink(c);
            i += 1;
        } else {
            let offset = range.0 + i;
            let ch = text[offset..].chars().next().unwrap_or('\u{FFFD}');
            return Err(MalformedPem::InvalidBase64 { ch, offset });
        }
    }
    if symbols == 0 {
        Err(MalformedPem::EmptyBody)
    } else if !symbols.is_multiple_of(4) {
        Err(MalformedPem::Base64Length { symbols })
    } else {
        Ok(symbols)
    }
}

/// The bytes of a PEM body. The walk has already checked every symbol, the
/// padding and the length, so the decoder only sees clean base64 and cannot
/// fail; it is told to ignore the unused low bits of the last symbol, as the
/// walk does not judge them and OpenSSL ignores them too.
pub(super) fn decode_base64(text: &str, range: (usize, usize)) -> Result<Vec<u8>, MalformedPem> {
    static DECODER: LazyLock<Encoding> = LazyLock::new(|| {
        let mut spec = data_encoding::BASE64.specification();
        spec.check_trailing_bits = false;
        spec.encoding()
            .expect("BASE64 without the trailing bits check is valid")
    });
    let mut symbols = Vec::with_capacity(range.1 - range.0);
    let count = walk_base64(text, range, |c| symbols.push(c))?;
    DECODER
        .decode(&symbols)
        .map_err(|_| MalformedPem::Base64Length { symbols: count })
}

#[cfg(test)]
mod tests {
    use crate::values::pem::test_data::*;
    use crate::values::pem::*;

    #[test]
    fn invalid_base64_characters() {
        let malformed = |t: &str| match analyze_certificate(t).content {
            Content::Malformed(m) => m,
            other => panic!("expected malformed, got {other:?}"),
        };
        let bad_char = CA.replacen("MII", "MI*", 1);
        assert_eq!(
            malformed(&bad_char),
            MalformedPem::InvalidBase64 {
                ch: '*',
                offset: 30
            }
        );
        assert_eq!(normalize_pem(&bad_char), None);
        let non_ascii = CA.replacen("MII", "MIé", 1);
        assert_eq!(
            malformed(&non_ascii),
            MalformedPem::InvalidBase64 {
                ch: 'é',
                offset: 30
            }
        );

        let lost_char = CA.replacen("MII", "MI", 1);
        assert!(matches!(
            malformed(&lost_char),
            MalformedPem::Base64Length { .. }
        ));
    }

    #[test]
    fn padding_rules() {
        let pem =
            |b: &str| format!("-----BEGIN CERTIFICATE-----\n{b}\n-----END CERTIFICATE-----\n");
        let m = |b: &str| match analyze_certificate(&pem(b)).content {
            Content::Malformed(m) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            m("AA=A"),
            MalformedPem::InvalidBase64 {
                ch: 'A',
                offset: 31
            }
        );
        assert_eq!(
            m("A==="),
            MalformedPem::InvalidBase64 {
                ch: '=',
                offset: 31
            }
        );
        assert_eq!(
            m("===="),
            MalformedPem::InvalidBase64 {
                ch: '=',
                offset: 28
            }
        );
        assert_eq!(m("AAAAA"), MalformedPem::Base64Length { symbols: 5 });
        assert!(matches!(m("AA=="), MalformedPem::NotX509 { .. }));
    }
}
