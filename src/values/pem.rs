//! Checks for string values that should hold one PEM X.509 certificate, and
//! for CRL URL values.
//!
//! SPS wants a bare certificate: exactly one `CERTIFICATE` block, lines
//! separated by `\n`, nothing around it. The API docs show the accepted form
//! ending with a `\n` after the END line, so that is the canonical form
//! [`normalize_pem`] produces.
//!
//! The same PEM tends to appear in thousands of files, so analysis avoids
//! allocating on the common path: the scan borrows the input, and a parsed
//! certificate costs one DER buffer plus the subject and issuer strings.
//! Caching by text is the caller's job.

use std::fmt;

use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::ParsedExtension;
use x509_parser::nom;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

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

/// A point in time, UTC, as unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

impl UnixTime {
    pub fn unix(self) -> i64 {
        self.0
    }

    /// `2099-12-31T23:59:59Z`.
    pub fn rfc3339(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        let s = self.0.rem_euclid(86_400);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }

    /// `2099-12-31`.
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        format!("{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (H. Hinnant's algorithm); avoids depending on a date crate.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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
// Base64

const INVALID: u8 = 0xFF;
const SKIP: u8 = 0xFE;
const PAD: u8 = 0xFD;
const BACKSLASH: u8 = 0xFC;

/// Byte -> base64 value, or one of the markers above. A table because the
/// decoder runs on every byte of every certificate.
const B64: [u8; 256] = {
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

fn is_b64_symbol(c: u8) -> bool {
    B64[c as usize] < 64 || c == b'='
}

/// Walks a PEM body, skipping whitespace and literal `\n`/`\r` pairs, and
/// hands every base64 symbol and its value (64 for padding) to `sink`.
/// Validates the alphabet, the padding position and the length. `range` is
/// the body's byte range in `text`, so error offsets are offsets in the
/// value. Returns the symbol count.
fn walk_base64(
    text: &str,
    range: (usize, usize),
    mut sink: impl FnMut(u8, u8),
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
            sink(c, v);
            i += 1;
        } else if v == SKIP {
            i += 1;
        } else if v == BACKSLASH && matches!(bytes.get(i + 1), Some(b'n' | b'r')) {
            i += 2;
        } else if v == PAD && pads < 2 && symbols > 0 {
            pads += 1;
            symbols += 1;
            sink(c, 64);
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

fn decode_base64(text: &str, range: (usize, usize)) -> Result<Vec<u8>, MalformedPem> {
    let mut out = Vec::with_capacity((range.1 - range.0) / 4 * 3);
    let mut acc: u32 = 0;
    let mut n = 0;
    walk_base64(text, range, |_, v| {
        if v < 64 {
            acc = (acc << 6) | u32::from(v);
            n += 1;
            if n == 4 {
                out.extend_from_slice(&acc.to_be_bytes()[1..]);
                acc = 0;
                n = 0;
            }
        }
    })?;
    // Padding leaves 2 or 3 symbols: 1 or 2 more bytes.
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&((acc >> 2) as u16).to_be_bytes()),
        _ => {}
    }
    Ok(out)
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
            Ok(der) => match cert_info(&der) {
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

fn cert_info(der: &[u8]) -> Result<CertInfo, String> {
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

/// A short reason why `der` is not a certificate. Only runs on failure, so
/// it can afford to try the other structures people paste by mistake.
fn not_x509_reason(der: &[u8]) -> String {
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

fn surround(s: &str) -> Surround {
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
fn line_breaks(span: &str, body: &str) -> LineBreaks {
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
fn standard_wrap(body: &str) -> bool {
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
    walk_base64(text, range, |c, _| {
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

// ---------------------------------------------------------------------------
// CRL URL

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

    const CA: &str = include_str!("../../fixtures/certs/ca-valid-2099.pem");
    const LEAF: &str = include_str!("../../fixtures/certs/leaf-not-ca.pem");
    const EXPIRED: &str = include_str!("../../fixtures/certs/expired-ca.pem");
    const FUTURE: &str = include_str!("../../fixtures/certs/not-yet-valid-2098.pem");
    const KEY: &str = include_str!("../../fixtures/certs/key.pem");
    const CSR: &str = include_str!("../../fixtures/certs/request.csr.pem");
    const CRL: &str = include_str!("../../fixtures/certs/crl.pem");
    const DOCS: &str = include_str!("../../fixtures/certs/docs-balabit-2016.pem");

    /// 2026-01-01T00:00:00Z
    const NOW: i64 = 1_767_225_600;
    const DAY: i64 = 86_400;

    fn cert(text: &str) -> CertInfo {
        match analyze_certificate(text).content {
            Content::Certificate(c) => c,
            other => panic!("expected a certificate, got {other:?}"),
        }
    }

    fn framing(text: &str) -> Framing {
        analyze_certificate(text).framing.expect("framing")
    }

    fn cert_der_len(pem: &str) -> usize {
        let b = body(pem);
        decode_base64(&b, (0, b.len())).unwrap().len()
    }

    fn body(pem: &str) -> String {
        pem.lines().filter(|l| !l.starts_with("-----")).collect()
    }

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
        let json = include_str!("../../fixtures/certs/docs-balabit-2016.api-form.txt");
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let value = v["certificate"].as_str().unwrap();
        assert_eq!(value, DOCS);
        assert!(analyze_certificate(value).is_canonical());
    }

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
        include_str!("../../fixtures/certs/ca-valid-2099.pem"),
        include_str!("../../fixtures/certs/leaf-not-ca.pem"),
        include_str!("../../fixtures/certs/docs-balabit-2016.pem"),
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
