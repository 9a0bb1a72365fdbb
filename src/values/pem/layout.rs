//! How a PEM value is laid out: what surrounds the blocks, how lines are separated,
//! and whether the base64 is wrapped the standard way.

use super::base64::is_b64_symbol;
use super::{LineBreaks, Metadata, MetadataKind, Surround, WRAP};

/// Whitespace or literal `\n`/`\r` pairs only.
fn is_blank(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_whitespace() => i += 1,
            b'\\' if matches!(b.get(i + 1), Some(b'n' | b'r')) => i += 2,
            _ => return false,
        }
    }
    true
}

pub(super) fn surround(s: &str) -> Surround {
    if s.is_empty() {
        return Surround::Nothing;
    }
    if is_blank(s) {
        return Surround::Whitespace;
    }
    let kind = if s.contains("Bag Attributes") || s.contains("localKeyID:") {
        MetadataKind::BagAttributes
    } else if s.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("subject=") || l.starts_with("issuer=")
    }) {
        MetadataKind::SubjectIssuer
    } else if s.contains("Certificate:") || s.contains("Signature Algorithm:") {
        MetadataKind::TextDump
    } else {
        MetadataKind::Other
    };
    let first = s
        .split(['\n', '\r'])
        .flat_map(|l| l.split("\\n"))
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let first_line = match first.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &first[..i]),
        None => first.to_owned(),
    };
    Surround::Text(Metadata { kind, first_line })
}

/// Classifies separators within one block: `span` runs from the BEGIN line
/// to the END line, `body` is what lies between them. Literal `\n` wins over
/// real breaks (the string was escaped twice whatever else it has).
pub(super) fn line_breaks(span: &str, body: &str) -> LineBreaks {
    if span.contains("\\n") || span.contains("\\r") {
        LineBreaks::LiteralBackslashN
    } else if span.contains('\r') {
        LineBreaks::Crlf
    } else if span.contains('\n') {
        LineBreaks::Lf
    } else if body.contains([' ', '\t']) {
        LineBreaks::OneLineSpaces
    } else {
        LineBreaks::OneLineNoBreaks
    }
}

/// Body is `\n` + 64-column lines + short last line + `\n`.
pub(super) fn standard_wrap(body: &str) -> bool {
    let Some(inner) = body.strip_prefix('\n').and_then(|b| b.strip_suffix('\n')) else {
        return false;
    };
    let mut lines = inner.split('\n').peekable();
    while let Some(line) = lines.next() {
        let last = lines.peek().is_none();
        let ok_len = if last {
            (1..=WRAP).contains(&line.len())
        } else {
            line.len() == WRAP
        };
        if !ok_len || !line.bytes().all(is_b64_symbol) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::values::pem::test_data::*;
    use crate::values::pem::*;

    #[test]
    fn metadata_around_block() {
        let bag = format!(
            "Bag Attributes\n    localKeyID: 01 02 03\nsubject=CN = spslint Test CA\n\
             issuer=CN = spslint Test CA\n{CA}"
        );
        let f = framing(&bag);
        assert_eq!(
            f.leading,
            Surround::Text(Metadata {
                kind: MetadataKind::BagAttributes,
                first_line: "Bag Attributes".into()
            })
        );
        assert_eq!(f.trailing, Surround::Whitespace);
        assert!(analyze_certificate(&bag).certificate().is_some());
        assert_eq!(normalize_pem(&bag).as_deref(), Some(CA));

        let subj = format!("subject=CN = x\n{CA}");
        assert!(matches!(
            framing(&subj).leading,
            Surround::Text(Metadata {
                kind: MetadataKind::SubjectIssuer,
                ..
            })
        ));

        let dump = format!(
            "{CA}Certificate:\n    Data:\n        Version: 3 (0x2)\n        \
             Signature Algorithm: sha256WithRSAEncryption\n"
        );
        let f = framing(&dump);
        assert_eq!(f.leading, Surround::Nothing);
        assert_eq!(
            f.trailing,
            Surround::Text(Metadata {
                kind: MetadataKind::TextDump,
                first_line: "Certificate:".into()
            })
        );
        assert_eq!(normalize_pem(&dump).as_deref(), Some(CA));

        let other = format!("my CA cert:\n{CA}");
        assert!(matches!(
            framing(&other).leading,
            Surround::Text(Metadata { kind: MetadataKind::Other, ref first_line })
                if first_line == "my CA cert:"
        ));

        let long = format!("{}\n{CA}", "x".repeat(100));
        let Surround::Text(m) = framing(&long).leading else {
            panic!()
        };
        assert_eq!(m.first_line, format!("{}...", "x".repeat(80)));
    }

    #[test]
    fn whitespace_around_block_is_fine() {
        let no_final_newline = CA.trim_end();
        let r = analyze_certificate(no_final_newline);
        assert_eq!(r.framing.as_ref().unwrap().trailing, Surround::Nothing);
        assert!(r.certificate().is_some());
        assert!(!r.is_canonical());
        assert_eq!(normalize_pem(no_final_newline).as_deref(), Some(CA));

        let padded = format!("\n  {CA}\n\n  ");
        let f = framing(&padded);
        assert_eq!(f.leading, Surround::Whitespace);
        assert_eq!(f.trailing, Surround::Whitespace);
        assert!(!analyze_certificate(&padded).is_canonical());
        assert_eq!(normalize_pem(&padded).as_deref(), Some(CA));
    }

    #[test]
    fn flattened_with_spaces() {
        let flat = CA.trim_end().replace('\n', " ");
        let r = analyze_certificate(&flat);
        assert_eq!(
            r.framing.as_ref().unwrap().line_breaks,
            LineBreaks::OneLineSpaces
        );
        assert!(!r.framing.as_ref().unwrap().standard_wrap);
        assert_eq!(r.certificate().unwrap().subject, cert(CA).subject);
        assert_eq!(normalize_pem(&flat).as_deref(), Some(CA));

        let glued = format!(
            "-----BEGIN CERTIFICATE-----{}-----END CERTIFICATE-----",
            body(CA)
        );
        assert_eq!(framing(&glued).line_breaks, LineBreaks::OneLineNoBreaks);
        assert_eq!(normalize_pem(&glued).as_deref(), Some(CA));
    }

    #[test]
    fn literal_backslash_n() {
        let escaped = CA.replace('\n', "\\n");
        let r = analyze_certificate(&escaped);
        let f = r.framing.as_ref().unwrap();
        assert_eq!(f.line_breaks, LineBreaks::LiteralBackslashN);
        assert_eq!(f.trailing, Surround::Whitespace);
        assert!(r.certificate().is_some());
        assert_eq!(normalize_pem(&escaped).as_deref(), Some(CA));

        let escaped_crlf = CA.replace('\n', "\\r\\n");
        assert_eq!(
            framing(&escaped_crlf).line_breaks,
            LineBreaks::LiteralBackslashN
        );
        assert_eq!(normalize_pem(&escaped_crlf).as_deref(), Some(CA));
    }

    #[test]
    fn crlf() {
        let crlf = CA.replace('\n', "\r\n");
        let r = analyze_certificate(&crlf);
        assert_eq!(r.framing.as_ref().unwrap().line_breaks, LineBreaks::Crlf);
        assert!(r.certificate().is_some());
        assert!(!r.is_canonical());
        assert_eq!(normalize_pem(&crlf).as_deref(), Some(CA));
    }

    #[test]
    fn nonstandard_wrapping() {
        let one_body_line = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            body(CA)
        );
        let r = analyze_certificate(&one_body_line);
        let f = r.framing.as_ref().unwrap();
        assert_eq!(f.line_breaks, LineBreaks::Lf);
        assert!(!f.standard_wrap);
        assert!(!r.is_canonical());
        assert!(r.certificate().is_some());
        assert_eq!(normalize_pem(&one_body_line).as_deref(), Some(CA));

        let indented = CA.replace('\n', "\n    ");
        assert!(!framing(&indented).standard_wrap);
        assert_eq!(normalize_pem(&indented).as_deref(), Some(CA));
    }
}
