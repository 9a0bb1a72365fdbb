//! Checks for string values that should hold one PEM X.509 certificate, and
//! for CRL URL values.
//!
//! SPS wants a bare certificate: exactly one `CERTIFICATE` block, lines
//! separated by `\n`, nothing around it. The API docs show the accepted form
//! ending with a `\n` after the END line, so that is the canonical form
//! [`normalize_pem`] produces.
//!
//! This module is the PEM framing scanner, kept hand-written on purpose. The
//! PEM readers in the tree (x509-parser's `pem`, pem-rfc7468) are lenient
//! where spslint must be precise: they skip the text around a block, read
//! lines whatever their separators and stop at the first block, and a failure
//! carries no byte offset. spslint reports exactly those things (metadata,
//! flattened or twice-escaped line breaks, a second block, a truncated paste)
//! and locates a bad base64 character at its byte in the value, which the
//! diagnostics need. The DER itself is left to x509-parser (`cert.rs`,
//! `der.rs`).
//!
//! The same PEM tends to appear in thousands of files, so analysis avoids
//! allocating on the common path: the scan borrows the input, and a parsed
//! certificate costs one DER buffer plus the subject and issuer strings.
//! Caching by text is the caller's job.

use std::fmt;

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

mod base64;
mod cert;
mod crl_url;
mod der;
mod layout;

pub use cert::{CertInfo, UnixTime, Validity};
pub use crl_url::{CrlCheck, analyze_crl_url};

use base64::{B64, SKIP, decode_base64, is_b64_symbol, walk_base64};
use layout::{line_breaks, standard_wrap, surround};

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";
const CERT_LABEL: &str = "CERTIFICATE";
/// RFC 7468 writers wrap base64 at 64 columns; OpenSSL does too.
const WRAP: usize = 64;

/// Everything found in a value that should hold one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertReport {
    /// What the value holds, judged by its first certificate block (or by
    /// its first PEM block when there is no certificate block).
    pub content: Content,
    /// Number of `BEGIN CERTIFICATE` blocks; SPS wants exactly one.
    pub certificate_blocks: usize,
    /// PEM blocks other than certificates, in order (e.g. a private key
    /// pasted after the certificate). Empty (and unallocated) normally.
    pub other_blocks: Vec<BlockKind>,
    /// How the PEM is laid out; `None` when no PEM block was found.
    pub framing: Option<Framing>,
    canonical: bool,
}

impl CertReport {
    /// The parsed certificate, when the value holds one.
    pub fn certificate(&self) -> Option<&CertInfo> {
        match &self.content {
            Content::Certificate(info) => Some(info),
            _ => None,
        }
    }

    /// True when the value is exactly what [`normalize_pem`] would produce
    /// (one certificate block, `\n` line breaks, 64-column base64, final
    /// `\n`), so no formatting fix should be offered. Says nothing about
    /// whether the DER parses: check [`CertReport::content`] for that.
    pub fn is_canonical(&self) -> bool {
        self.canonical
    }
}

/// What a certificate value actually holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// A certificate block that parsed as X.509.
    Certificate(CertInfo),
    /// No certificate block; the first PEM block is something else.
    NotCertificate(BlockKind),
    /// A certificate block that is broken (framing, base64 or DER).
    Malformed(MalformedPem),
    /// Empty or whitespace only.
    Empty,
    /// Base64 without BEGIN/END lines (the armour was lost when pasting).
    BareBase64 {
        /// The decoded bytes parse as an X.509 certificate.
        der_is_certificate: bool,
    },
    /// No PEM block at all.
    NoPem,
}

/// The kind of a PEM block, from its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Certificate,
    /// Any `... PRIVATE KEY` label (PKCS#8, RSA, EC, encrypted, OpenSSH).
    PrivateKey,
    /// `CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`.
    CertificateRequest,
    /// `X509 CRL`.
    Crl,
    /// `PUBLIC KEY` or `RSA PUBLIC KEY`.
    PublicKey,
    /// Any other label, e.g. `TRUSTED CERTIFICATE` or `PKCS7`.
    Other(String),
}

impl BlockKind {
    fn from_label(label: &str) -> BlockKind {
        match label {
            CERT_LABEL => BlockKind::Certificate,
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => BlockKind::CertificateRequest,
            "X509 CRL" => BlockKind::Crl,
            l if l.ends_with("PRIVATE KEY") => BlockKind::PrivateKey,
            l if l.ends_with("PUBLIC KEY") => BlockKind::PublicKey,
            l => BlockKind::Other(l.to_owned()),
        }
    }
}

impl fmt::Display for BlockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockKind::Certificate => f.write_str("a certificate"),
            BlockKind::PrivateKey => f.write_str("a private key"),
            BlockKind::CertificateRequest => f.write_str("a certificate signing request"),
            BlockKind::Crl => f.write_str("a certificate revocation list"),
            BlockKind::PublicKey => f.write_str("a public key"),
            BlockKind::Other(label) => write!(f, "a PEM \"{label}\" block"),
        }
    }
}

/// Why a certificate block could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MalformedPem {
    /// A BEGIN line whose closing dashes are missing or on another line.
    BrokenBeginLine,
    /// `BEGIN CERTIFICATE` with no END line (truncated paste).
    MissingEnd,
    /// The END line names another label.
    MismatchedEnd { end_label: String },
    /// Nothing between BEGIN and END.
    EmptyBody,
    /// A character that is not base64; `offset` is a byte offset in the value.
    InvalidBase64 { ch: char, offset: usize },
    /// Number of base64 characters is not a multiple of 4 (characters lost
    /// or added).
    Base64Length { symbols: usize },
    /// The base64 decodes, but the bytes are not an X.509 certificate.
    NotX509 { reason: String },
}

impl fmt::Display for MalformedPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MalformedPem::BrokenBeginLine => {
                f.write_str("the BEGIN line is not of the form -----BEGIN CERTIFICATE-----")
            }
            MalformedPem::MissingEnd => {
                f.write_str("no -----END CERTIFICATE----- line (truncated?)")
            }
            MalformedPem::MismatchedEnd { end_label } => {
                write!(f, "BEGIN CERTIFICATE is closed by END {end_label}")
            }
            MalformedPem::EmptyBody => f.write_str("no base64 data between BEGIN and END"),
            MalformedPem::InvalidBase64 { ch, offset } => {
                write!(f, "invalid base64 character {ch:?} at byte {offset}")
            }
            MalformedPem::Base64Length { symbols } => write!(
                f,
                "{symbols} base64 characters is not a multiple of 4 (characters lost or added?)"
            ),
            MalformedPem::NotX509 { reason } => {
                write!(f, "the data is not an X.509 certificate: {reason}")
            }
        }
    }
}

/// Layout of the PEM text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Framing {
    /// Text before the first BEGIN line.
    pub leading: Surround,
    /// Text after the last END line. A final newline counts as whitespace.
    pub trailing: Surround,
    /// How lines of the (first certificate) block are separated.
    pub line_breaks: LineBreaks,
    /// Base64 lines are 64 columns with BEGIN/END on their own lines. False
    /// for one-line bodies, other widths, indentation or blank lines; fine
    /// for most parsers but not what normalisation produces.
    pub standard_wrap: bool,
}

/// What surrounds the PEM block(s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Surround {
    Nothing,
    /// Only whitespace (or literal `\n` sequences): harmless.
    Whitespace,
    /// Real text, e.g. openssl's `Bag Attributes` or a `-text` dump.
    Text(Metadata),
}

/// Text found outside the PEM block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub kind: MetadataKind,
    /// First non-blank line, trimmed and cut to 80 characters, for messages.
    pub first_line: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetadataKind {
    /// `openssl pkcs12` output (`Bag Attributes`, `localKeyID`, ...).
    BagAttributes,
    /// `subject=` / `issuer=` lines (`openssl x509 -subject -issuer`, pkcs12).
    SubjectIssuer,
    /// A human-readable dump (`openssl x509 -text`: `Certificate:`, `Data:`).
    TextDump,
    Other,
}

/// Line separation inside a PEM block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineBreaks {
    /// `\n`: what SPS wants.
    Lf,
    /// `\r\n` (or some `\r`): Windows line endings.
    Crlf,
    /// Literal backslash-n pairs in the decoded string: the JSON was
    /// escaped twice (`\\n`).
    LiteralBackslashN,
    /// BEGIN ... END on one line with spaces where the newlines were.
    OneLineSpaces,
    /// BEGIN ... END on one line with no separators at all.
    OneLineNoBreaks,
}

// ---------------------------------------------------------------------------
// Scanning

/// One `-----BEGIN X-----` ... `-----END X-----` block, as byte offsets.
struct Block<'a> {
    label: &'a str,
    /// Offset of the BEGIN line's first dash.
    start: usize,
    /// First byte after the BEGIN line's closing dashes.
    body_start: usize,
    /// Offset of the END line's first dash (or text end when missing).
    body_end: usize,
    /// First byte after the END line's closing dashes (text end when missing).
    end: usize,
    problem: Option<MalformedPem>,
}

/// Result of scanning a value for PEM blocks, borrowing the value.
struct Scan<'a> {
    first_start: Option<usize>,
    last_end: usize,
    cert_blocks: usize,
    /// First certificate block, else first block of any kind.
    primary: Option<Block<'a>>,
    other_blocks: Vec<BlockKind>,
    broken_begin: bool,
}

fn scan(text: &str) -> Scan<'_> {
    let mut s = Scan {
        first_start: None,
        last_end: 0,
        cert_blocks: 0,
        primary: None,
        other_blocks: Vec::new(),
        broken_begin: false,
    };
    let mut pos = 0;
    while let Some(rel) = text[pos..].find(BEGIN) {
        let start = pos + rel;
        let label_start = start + BEGIN.len();
        let Some(label_len) = text[label_start..].find(DASHES) else {
            s.broken_begin = true;
            break;
        };
        let label = &text[label_start..label_start + label_len];
        if label.contains(['\n', '\r']) || label.contains("\\n") {
            s.broken_begin = true;
            break;
        }
        let body_start = label_start + label_len + DASHES.len();
        s.first_start.get_or_insert(start);

        // The END line, unless another BEGIN comes first (truncated block).
        let next_end = text[body_start..].find(END).map(|r| body_start + r);
        let next_begin = text[body_start..].find(BEGIN).map(|r| body_start + r);
        let mut block = Block {
            label,
            start,
            body_start,
            body_end: text.len(),
            end: text.len(),
            problem: None,
        };
        match next_end {
            Some(e) if next_begin.is_none_or(|b| e < b) => {
                let end_label_start = e + END.len();
                let end_label_len = text[end_label_start..]
                    .find(DASHES)
                    .filter(|&n| !text[end_label_start..end_label_start + n].contains('\n'));
                block.body_end = e;
                match end_label_len {
                    Some(n) => {
                        block.end = end_label_start + n + DASHES.len();
                        let end_label = &text[end_label_start..end_label_start + n];
                        if end_label != label {
                            block.problem = Some(MalformedPem::MismatchedEnd {
                                end_label: end_label.to_owned(),
                            });
                        }
                    }
                    // "-----END CERTIFICATE" without closing dashes: take the
                    // rest of the line as the END line.
                    None => {
                        let line_end = text[end_label_start..]
                            .find('\n')
                            .map_or(text.len(), |n| end_label_start + n);
                        block.end = line_end;
                        block.problem = Some(MalformedPem::MissingEnd);
                    }
                }
            }
            Some(_) | None => {
                block.body_end = next_begin.unwrap_or(text.len());
                block.end = block.body_end;
                block.problem = Some(MalformedPem::MissingEnd);
            }
        }
        pos = block.end;
        s.last_end = block.end;

        let is_cert = label == CERT_LABEL;
        if is_cert {
            s.cert_blocks += 1;
        } else {
            s.other_blocks.push(BlockKind::from_label(label));
        }
        let replace = match &s.primary {
            None => true,
            Some(p) => is_cert && p.label != CERT_LABEL,
        };
        if replace {
            s.primary = Some(block);
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Analysis

/// Analyses a value that should hold exactly one PEM certificate.
pub fn analyze_certificate(text: &str) -> CertReport {
    let s = scan(text);
    let mut report = CertReport {
        content: Content::NoPem,
        certificate_blocks: s.cert_blocks,
        other_blocks: s.other_blocks,
        framing: None,
        canonical: false,
    };

    let Some(block) = s.primary else {
        report.content = if s.broken_begin {
            Content::Malformed(MalformedPem::BrokenBeginLine)
        } else {
            no_pem_content(text)
        };
        return report;
    };

    let first_start = s.first_start.unwrap_or(block.start);
    let framing = Framing {
        leading: surround(&text[..first_start]),
        trailing: surround(&text[s.last_end..]),
        line_breaks: line_breaks(
            &text[block.start..block.end],
            &text[block.body_start..block.body_end],
        ),
        standard_wrap: standard_wrap(&text[block.body_start..block.body_end]),
    };

    report.content = if block.label != CERT_LABEL {
        Content::NotCertificate(BlockKind::from_label(block.label))
    } else if let Some(problem) = block.problem {
        Content::Malformed(problem)
    } else {
        // A broken BEGIN line after good blocks ends the scan; it then shows
        // up as trailing text rather than spoiling the certificate before it.
        match decode_base64(text, (block.body_start, block.body_end)) {
            Err(e) => Content::Malformed(e),
            Ok(der) => match cert::cert_info(&der) {
                Ok(info) => Content::Certificate(info),
                Err(reason) => Content::Malformed(MalformedPem::NotX509 { reason }),
            },
        }
    };
    report.canonical = s.cert_blocks == 1
        && report.other_blocks.is_empty()
        && !s.broken_begin
        && first_start == 0
        && &text[s.last_end..] == "\n"
        && framing.line_breaks == LineBreaks::Lf
        && framing.standard_wrap
        && !matches!(
            report.content,
            Content::Malformed(ref m) if !matches!(m, MalformedPem::NotX509 { .. })
        );
    report.framing = Some(framing);
    report
}

/// Content of a value without any BEGIN line.
fn no_pem_content(text: &str) -> Content {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Content::Empty;
    }
    // A certificate is hundreds of base64 characters; short strings are text.
    let looks_base64 = trimmed.len() >= 64
        && trimmed
            .bytes()
            .all(|c| is_b64_symbol(c) || B64[c as usize] == SKIP);
    if !looks_base64 {
        return Content::NoPem;
    }
    let der_is_certificate = decode_base64(text, (0, text.len()))
        .ok()
        .is_some_and(|der| X509Certificate::from_der(&der).is_ok());
    Content::BareBase64 { der_is_certificate }
}

/// The fix for a certificate value: the single certificate block alone,
/// base64 re-wrapped at 64 columns, `\n` line breaks, a final `\n`.
///
/// Drops text around the block, restores line breaks of flattened PEM
/// (spaces, literal `\n` pairs) and `\r\n`. Returns `None` unless the value
/// has exactly one PEM block, it is a certificate, and its base64 is valid:
/// other blocks are not metadata, so dropping them is the user's call. The
/// DER is not required to parse; that is reported separately. Idempotent.
pub fn normalize_pem(text: &str) -> Option<String> {
    let s = scan(text);
    let block = s.primary?;
    if s.cert_blocks != 1 || !s.other_blocks.is_empty() || s.broken_begin || block.problem.is_some()
    {
        return None;
    }
    let range = (block.body_start, block.body_end);
    let head = b"-----BEGIN CERTIFICATE-----\n";
    let tail = b"\n-----END CERTIFICATE-----\n";
    let body_len = block.body_end - block.body_start;
    let mut out = Vec::with_capacity(head.len() + body_len + body_len / WRAP + tail.len());
    out.extend_from_slice(head);
    let mut col = 0;
    walk_base64(text, range, |c| {
        if col == WRAP {
            out.push(b'\n');
            col = 0;
        }
        out.push(c);
        col += 1;
    })
    .ok()?;
    out.extend_from_slice(tail);
    // Only ASCII base64 symbols were copied.
    String::from_utf8(out).ok()
}

/// The fixture certificates and helpers the tests of every submodule share.
#[cfg(test)]
mod test_data {
    use super::*;

    pub const CA: &str = include_str!("../../../fixtures/certs/ca-valid-2099.pem");
    pub const LEAF: &str = include_str!("../../../fixtures/certs/leaf-not-ca.pem");
    pub const EXPIRED: &str = include_str!("../../../fixtures/certs/expired-ca.pem");
    pub const FUTURE: &str = include_str!("../../../fixtures/certs/not-yet-valid-2098.pem");
    pub const KEY: &str = include_str!("../../../fixtures/certs/key.pem");
    pub const CSR: &str = include_str!("../../../fixtures/certs/request.csr.pem");
    pub const CRL: &str = include_str!("../../../fixtures/certs/crl.pem");
    pub const DOCS: &str = include_str!("../../../fixtures/certs/docs-balabit-2016.pem");

    /// 2026-01-01T00:00:00Z
    pub const NOW: i64 = 1_767_225_600;
    pub const DAY: i64 = 86_400;

    pub fn cert(text: &str) -> CertInfo {
        match analyze_certificate(text).content {
            Content::Certificate(c) => c,
            other => panic!("expected a certificate, got {other:?}"),
        }
    }

    pub fn framing(text: &str) -> Framing {
        analyze_certificate(text).framing.expect("framing")
    }

    pub fn cert_der_len(pem: &str) -> usize {
        let b = body(pem);
        decode_base64(&b, (0, b.len())).unwrap().len()
    }

    pub fn body(pem: &str) -> String {
        pem.lines().filter(|l| !l.starts_with("-----")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_data::*;
    use super::*;

    #[test]
    fn fixtures_are_canonical() {
        for pem in [CA, LEAF, EXPIRED, FUTURE, DOCS] {
            let r = analyze_certificate(pem);
            assert!(r.is_canonical(), "{r:?}");
            assert_eq!(r.certificate_blocks, 1);
            assert!(r.other_blocks.is_empty());
            assert_eq!(
                r.framing,
                Some(Framing {
                    leading: Surround::Nothing,
                    trailing: Surround::Whitespace,
                    line_breaks: LineBreaks::Lf,
                    standard_wrap: true,
                })
            );
            assert_eq!(normalize_pem(pem).as_deref(), Some(pem));
        }
    }

    #[test]
    fn docs_json_value_is_the_fixture() {
        // The "as accepted by the SPS API" form from the 6.0.1 docs, verbatim:
        // it ends with "\n" after the END line, which is what normalisation emits.
        // A JSON object, but named .txt so the linter's fixture walks skip it.
        let json = include_str!("../../../fixtures/certs/docs-balabit-2016.api-form.txt");
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let value = v["certificate"].as_str().unwrap();
        assert_eq!(value, DOCS);
        assert!(analyze_certificate(value).is_canonical());
    }

    #[test]
    fn other_pem_kinds() {
        let cases = [
            (KEY, BlockKind::PrivateKey),
            (CSR, BlockKind::CertificateRequest),
            (CRL, BlockKind::Crl),
        ];
        for (text, kind) in cases {
            let r = analyze_certificate(text);
            assert_eq!(r.content, Content::NotCertificate(kind.clone()));
            assert_eq!(r.certificate_blocks, 0);
            assert_eq!(r.other_blocks, vec![kind]);
            assert!(!r.is_canonical());
            assert_eq!(normalize_pem(text), None);
        }
        let labels = [
            ("RSA PRIVATE KEY", BlockKind::PrivateKey),
            ("EC PRIVATE KEY", BlockKind::PrivateKey),
            ("ENCRYPTED PRIVATE KEY", BlockKind::PrivateKey),
            ("OPENSSH PRIVATE KEY", BlockKind::PrivateKey),
            ("NEW CERTIFICATE REQUEST", BlockKind::CertificateRequest),
            ("PUBLIC KEY", BlockKind::PublicKey),
            ("RSA PUBLIC KEY", BlockKind::PublicKey),
            ("PKCS7", BlockKind::Other("PKCS7".into())),
            (
                "TRUSTED CERTIFICATE",
                BlockKind::Other("TRUSTED CERTIFICATE".into()),
            ),
        ];
        for (label, kind) in labels {
            let text = format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----\n");
            assert_eq!(
                analyze_certificate(&text).content,
                Content::NotCertificate(kind)
            );
        }
    }

    #[test]
    fn no_pem() {
        assert_eq!(analyze_certificate("").content, Content::Empty);
        assert_eq!(analyze_certificate(" \n\t").content, Content::Empty);
        let r = analyze_certificate("<cert>");
        assert_eq!(r.content, Content::NoPem);
        assert_eq!(r.framing, None);
        assert_eq!(
            analyze_certificate("certificate goes here").content,
            Content::NoPem
        );
        assert_eq!(normalize_pem("<cert>"), None);
        assert_eq!(
            analyze_certificate(&body(CA)).content,
            Content::BareBase64 {
                der_is_certificate: true
            }
        );
        assert_eq!(
            analyze_certificate(&body(KEY)).content,
            Content::BareBase64 {
                der_is_certificate: false
            }
        );
        assert_eq!(normalize_pem(&body(CA)), None);
    }

    #[test]
    fn several_blocks() {
        let two = format!("{CA}{LEAF}");
        let r = analyze_certificate(&two);
        assert_eq!(r.certificate_blocks, 2);
        assert_eq!(r.certificate().unwrap().subject, cert(CA).subject);
        assert!(!r.is_canonical());
        assert_eq!(normalize_pem(&two), None);

        // Key first, then the certificate: the certificate is what is judged.
        let key_then_cert = format!("{KEY}{LEAF}");
        let r = analyze_certificate(&key_then_cert);
        assert_eq!(r.certificate_blocks, 1);
        assert_eq!(r.other_blocks, vec![BlockKind::PrivateKey]);
        assert_eq!(r.certificate().unwrap().is_ca, Some(false));
        assert_eq!(normalize_pem(&key_then_cert), None);
        let r = analyze_certificate(&format!("{LEAF}{KEY}"));
        assert_eq!(r.other_blocks, vec![BlockKind::PrivateKey]);
        assert!(r.certificate().is_some());
    }

    #[test]
    fn malformed_certificate_blocks() {
        let malformed = |t: &str| match analyze_certificate(t).content {
            Content::Malformed(m) => m,
            other => panic!("expected malformed, got {other:?}"),
        };
        let truncated = &CA[..CA.len() - 40];
        assert_eq!(malformed(truncated), MalformedPem::MissingEnd);
        assert_eq!(normalize_pem(truncated), None);

        let cut_end = CA.replace("-----END CERTIFICATE-----", "-----END CERTIFICATE");
        assert_eq!(malformed(&cut_end), MalformedPem::MissingEnd);

        let mismatched = CA.replace("END CERTIFICATE", "END X509 CRL");
        assert_eq!(
            malformed(&mismatched),
            MalformedPem::MismatchedEnd {
                end_label: "X509 CRL".into()
            }
        );
        assert_eq!(normalize_pem(&mismatched), None);

        let empty = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
        assert_eq!(malformed(empty), MalformedPem::EmptyBody);
        assert_eq!(normalize_pem(empty), None);

        let broken_begin = "-----BEGIN CERTIFICATE\nMIIB\n";
        assert_eq!(malformed(broken_begin), MalformedPem::BrokenBeginLine);
        assert_eq!(analyze_certificate(broken_begin).framing, None);

        // A good block followed by a broken BEGIN line: extra text.
        let r = analyze_certificate(&format!("{CA}{broken_begin}"));
        assert!(r.certificate().is_some());
        assert!(matches!(r.framing.unwrap().trailing, Surround::Text(_)));

        // A truncated block followed by a good one.
        let r = analyze_certificate(&format!("{truncated}\n{CA}"));
        assert_eq!(r.certificate_blocks, 2);
        assert_eq!(r.content, Content::Malformed(MalformedPem::MissingEnd));
    }

    #[test]
    fn normalize_is_idempotent() {
        let variants = [
            CA.to_owned(),
            CA.trim_end().to_owned(),
            CA.replace('\n', "\r\n"),
            CA.replace('\n', "\\n"),
            CA.trim_end().replace('\n', " "),
            format!("Bag Attributes\n{CA}subject=x\n"),
            format!("  \n{}", DOCS.replace('\n', "\r\n")),
            format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----",
                body(LEAF)
            ),
        ];
        for v in &variants {
            let once = normalize_pem(v).unwrap_or_else(|| panic!("no fix for {v:?}"));
            assert_eq!(normalize_pem(&once).as_deref(), Some(once.as_str()));
            let r = analyze_certificate(&once);
            assert!(r.is_canonical());
            assert!(r.certificate().is_some());
            assert!(once.starts_with("-----BEGIN CERTIFICATE-----\n"));
            assert!(once.ends_with("\n-----END CERTIFICATE-----\n"));
            assert!(once.lines().all(|l| l.len() <= 64));
        }
        // Canonical exactly when normalisation is a no-op.
        for v in &variants {
            let r = analyze_certificate(v);
            assert_eq!(
                r.is_canonical(),
                normalize_pem(v).as_deref() == Some(v.as_str())
            );
        }
    }

    #[test]
    fn displays() {
        assert_eq!(BlockKind::PrivateKey.to_string(), "a private key");
        assert_eq!(
            MalformedPem::MissingEnd.to_string(),
            "no -----END CERTIFICATE----- line (truncated?)"
        );
        assert_eq!(
            MalformedPem::InvalidBase64 { ch: '*', offset: 3 }.to_string(),
            "invalid base64 character '*' at byte 3"
        );
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    const CERTS: [&str; 3] = [
        include_str!("../../../fixtures/certs/ca-valid-2099.pem"),
        include_str!("../../../fixtures/certs/leaf-not-ca.pem"),
        include_str!("../../../fixtures/certs/docs-balabit-2016.pem"),
    ];

    /// Re-lays out a canonical PEM the ways people break it.
    fn mangle(pem: &str, width: usize, sep: &str, indent: &str) -> String {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let mut out = String::from("-----BEGIN CERTIFICATE-----");
        for chunk in body.as_bytes().chunks(width) {
            out.push_str(sep);
            out.push_str(indent);
            out.push_str(std::str::from_utf8(chunk).unwrap());
        }
        out.push_str(sep);
        out.push_str("-----END CERTIFICATE-----");
        out
    }

    proptest! {
        #[test]
        fn mangled_certificates_normalise_back(
            which in 0..CERTS.len(),
            width in 1usize..200,
            sep in prop::sample::select(vec!["\n", "\r\n", " ", "\\n", "\\r\\n", ""]),
            indent in prop::sample::select(vec!["", "  ", "\t"]),
            lead in prop::sample::select(
                vec!["", "\n", "  ", "Bag Attributes\n", "subject=CN = x\n"],
            ),
            trail in prop::sample::select(vec!["", "\n", "\n\n", " \n", "\\n", "issuer=CN = x\n"]),
        ) {
            let pem = CERTS[which];
            let text = format!("{lead}{}{trail}", mangle(pem, width, sep, indent));
            let fixed = normalize_pem(&text);
            prop_assert_eq!(fixed.as_deref(), Some(pem));
            let r = analyze_certificate(&text);
            let want = analyze_certificate(pem);
            prop_assert_eq!(
                &r.certificate().unwrap().subject,
                &want.certificate().unwrap().subject
            );
            prop_assert_eq!(r.is_canonical(), text == pem);
        }

        #[test]
        fn arbitrary_text_never_panics_and_fix_is_a_fixpoint(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----",
                    "-----BEGIN ", "-----END ", "-----", "PRIVATE KEY", "\n", "\r\n",
                    "\\n", " ", "MIIB", "AAAA", "=", "==", "é", "Bag Attributes",
                ]),
                0..24,
            ),
        ) {
            let text: String = parts.concat();
            let r = analyze_certificate(&text);
            if let Some(fixed) = normalize_pem(&text) {
                let again = normalize_pem(&fixed);
                prop_assert_eq!(again.as_deref(), Some(fixed.as_str()));
                prop_assert!(analyze_certificate(&fixed).is_canonical());
            }
            let fixed = normalize_pem(&text);
            prop_assert_eq!(r.is_canonical(), fixed.as_deref() == Some(text.as_str()));
            let _ = analyze_crl_url(&text);
        }
    }
}
