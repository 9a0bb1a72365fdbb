//! Semantic rules: what the SPS documentation requires and a schema cannot express.
//!
//! Each rule lives in its own file and declares, beside its logic, its code, kebab-case name,
//! default severity, the endpoints it applies to and its documentation. `rules/*.md` pages are
//! generated from that documentation (see `doc_page`), so the code is the single source.

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::endpoint::Endpoint;
use crate::settings::Settings;

/// Whether `--fix` can repair a rule's findings. Checked by a test: a rule declared `Never`
/// emits no fix, one declared `Always` a fix with every finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    Never,
    /// Some findings carry a fix (for example when the repaired value can be computed).
    Sometimes,
    Always,
}

/// Everything a rule says about itself, declared with `declare_rule!`.
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The endpoints the rule applies to.
    pub endpoints: &'static [&'static Endpoint],
    pub fix: FixAvailability,
    /// The rule's doc comments: a summary line, then `## What it checks`, `## Why it matters`
    /// and, where the SPS docs contradict themselves or leave room, `## Notes`.
    pub doc: &'static str,
    /// A body for `endpoints[0]` that the rule reports.
    pub bad: &'static str,
    /// The same body, fixed.
    pub good: &'static str,
}

/// Declare a rule: its unit struct, documented by its doc comments, and its `META`.
///
/// ```ignore
/// declare_rule! {
///     /// One line: what is reported.
///     ///
///     /// ## What it checks
///     /// ...
///     /// ## Why it matters
///     /// ...
///     pub struct MyRule {
///         code: "ABC001",
///         name: "my-rule",
///         severity: Error,
///         endpoints: &[endpoint::id::MANAGEMENT_EMAIL],
///         fix: Never,
///         bad: r#"{...}"#,
///         good: r#"{...}"#,
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            severity: $severity:ident,
            endpoints: $endpoints:expr,
            fix: $fix:ident,
            bad: $bad:expr,
            good: $good:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        $vis struct $name;

        static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $kebab,
            severity: $crate::diagnostic::Severity::$severity,
            endpoints: $endpoints,
            fix: $crate::rules::FixAvailability::$fix,
            doc: concat!($($doc, "\n"),+),
            bad: $bad,
            good: $good,
        };
    };
}

#[cfg(test)]
pub(crate) mod testing;

// One folder per family; each rule one file, with the family's shared helpers (`common`) beside them.
pub mod address;
pub mod api;
pub mod cert;
pub mod mail;
pub mod name;
pub mod repo;
pub mod snmp;
pub mod syslog;
pub mod time;
pub mod udb;
pub mod userlist;

impl RuleMeta {
    /// One line: what is reported.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .next()
            .map_or("", |l| l.strip_prefix(' ').unwrap_or(l))
    }

    /// What it checks, in Markdown.
    pub fn what(&self) -> String {
        self.section("What it checks")
    }

    /// Why it matters: what SPS does with such a body.
    pub fn why(&self) -> String {
        self.section("Why it matters")
    }

    /// Where the SPS docs contradict themselves or leave room, and what spslint decided; may
    /// be empty.
    pub fn notes(&self) -> String {
        self.section("Notes")
    }

    pub fn fixable(&self) -> bool {
        self.fix != FixAvailability::Never
    }

    /// The text under `## heading`, up to the next heading, trimmed; each line without the
    /// space a doc comment puts after `///`.
    fn section(&self, heading: &str) -> String {
        let mut lines = self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l));
        let mut out = Vec::new();
        if lines.any(|l| l.strip_prefix("## ") == Some(heading)) {
            out.extend(lines.take_while(|l| !l.starts_with("## ")));
        }
        out.join("\n").trim().to_string()
    }

    pub const fn as_code(&self) -> Code {
        Code {
            code: self.code,
            name: self.name,
            severity: self.severity,
        }
    }

    pub fn applies_to(&self, endpoint: &Endpoint) -> bool {
        self.endpoints.contains(&endpoint)
    }
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Per-file check: sees one body.
    fn check(&self, _cx: &mut RuleContext<'_>) {}
    /// Cross-file check: sees the whole repository's index.
    fn check_repository(&self, _cx: &mut RepoContext<'_, '_>) {}
    /// Whether the rule works on the repository rather than on one body.
    fn is_repository(&self) -> bool {
        false
    }
}

/// What a repository rule sees, and where it reports.
pub struct RepoContext<'i, 'a> {
    pub index: &'i crate::repo::Index<'a>,
    pub settings: &'i Settings,
    code: Code,
    out: &'i mut crate::repo::Findings,
}

impl<'i, 'a> RepoContext<'i, 'a> {
    pub fn new(
        index: &'i crate::repo::Index<'a>,
        settings: &'i Settings,
        out: &'i mut crate::repo::Findings,
    ) -> Self {
        RepoContext {
            index,
            settings,
            code: Code {
                code: "",
                name: "",
                severity: Severity::Error,
            },
            out,
        }
    }

    pub fn set_code(&mut self, code: Code) {
        self.code = code;
    }

    /// A finding of the running rule in file `path` at `pointer` (from the file's top).
    pub fn diag(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.code, pointer, message)
    }

    /// Record a finding for `path`; dropped when that file was not asked for.
    pub fn emit(&mut self, entry: &crate::repo::Entry<'_>, d: Diagnostic) {
        if let Some(file) = entry.reported {
            self.out.push((file, d));
        }
    }
}

/// How many other files a repository finding names before it counts the rest: a name shared
/// by thousands of files must not make every one of their messages list all the others (that
/// is quadratic in time, memory and output).
pub const MAX_OTHERS: usize = 3;

/// "a.json, b.json, c.json and 12 more": the first `MAX_OTHERS` items shown, then a count.
/// `show` runs only for the items named, so a group of thousands costs no formatting.
pub fn name_others<T>(items: impl Iterator<Item = T>, show: impl Fn(T) -> String) -> String {
    let mut out = String::new();
    let mut rest = 0usize;
    for (i, item) in items.enumerate() {
        if i < MAX_OTHERS {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&show(item));
        } else {
            rest += 1;
        }
    }
    if rest > 0 {
        out.push_str(&format!(" and {rest} more"));
    }
    out
}

/// Run every enabled repository rule over the index.
pub fn run_repository(
    index: &crate::repo::Index<'_>,
    settings: &Settings,
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> crate::repo::Findings {
    use rayon::prelude::*;
    // The rules are independent readers of the index: run them side by side (this phase is
    // otherwise the one serial part of a large run), then concatenate in registry order so the
    // output does not depend on scheduling.
    let rules: Vec<&dyn Rule> = all()
        .iter()
        .copied()
        .filter(|r| r.is_repository() && enabled(r.meta()))
        .collect();
    let run = |rule: &&dyn Rule| {
        let mut out = crate::repo::Findings::new();
        let mut cx = RepoContext::new(index, settings, &mut out);
        cx.set_code(rule.meta().as_code());
        rule.check_repository(&mut cx);
        out
    };
    // A small index is checked in microseconds; starting the thread pool would cost more.
    let per_rule: Vec<crate::repo::Findings> = if index.entries.len() < 512 {
        rules.iter().map(run).collect()
    } else {
        rules.par_iter().map(run).collect()
    };
    per_rule.into_iter().flatten().collect()
}

/// What a rule sees of one file, and where it reports.
pub struct RuleContext<'a> {
    pub endpoint: &'static Endpoint,
    /// The request body (inside the wrapper of a saved response).
    pub body: &'a Value,
    /// The object's key, for one object of a collection (file stem or the response's key).
    pub key: Option<&'a str>,
    pub settings: &'a Settings,
    base: &'a str,
    code: Code,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> RuleContext<'a> {
    pub fn new(
        endpoint: &'static Endpoint,
        body: &'a Value,
        base: &'a str,
        key: Option<&'a str>,
        settings: &'a Settings,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        RuleContext {
            endpoint,
            body,
            key,
            settings,
            base,
            code: Code {
                code: "",
                name: "",
                severity: Severity::Error,
            },
            out,
        }
    }

    /// A finding of the running rule about the value at `pointer` (relative to the body).
    pub fn diag(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.code, format!("{}{pointer}", self.base), message)
    }

    /// A finding about the key at `pointer`.
    pub fn diag_key(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_key(&self.code, format!("{}{pointer}", self.base), message)
    }

    pub fn emit(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// Shorthand: report `message` at `pointer` with a help line.
    pub fn report(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = self.diag(pointer, message).with_help(help);
        self.emit(d);
    }
}

/// Every `{selection, value}` address (and the like) is found by walking; this helper visits
/// every value with its pointer, for rules that apply wherever a shape appears.
pub fn walk<'v>(value: &'v Value, pointer: &str, f: &mut dyn FnMut(&str, &'v Value)) {
    let mut buf = String::with_capacity(pointer.len() + 64);
    buf.push_str(pointer);
    walk_in(value, &mut buf, f);
}

fn walk_in<'v>(value: &'v Value, pointer: &mut String, f: &mut dyn FnMut(&str, &'v Value)) {
    f(pointer, value);
    let len = pointer.len();
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                crate::diagnostic::push_token(pointer, k);
                walk_in(v, pointer, f);
                pointer.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                crate::diagnostic::push_index(pointer, i);
                walk_in(v, pointer, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The registry: every rule, in the order of their codes.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        // -- snmp
        &snmp::missing_setting::SnmpMissingSetting,
        &snmp::other_version_setting::SnmpOtherVersionSetting,
        &snmp::encryption_password_mismatch::SnmpEncryptionPasswordMismatch,
        &snmp::auth_method_sha::SnmpAuthMethodSha,
        &snmp::engine_id_syntax::SnmpEngineIdSyntax,
        &snmp::engine_id_length::SnmpEngineIdLength,
        &snmp::password_syntax::SnmpPasswordSyntax,
        &snmp::md5_authentication::SnmpMd5Authentication,
        &snmp::des_encryption::SnmpDesEncryption,
        &snmp::no_encryption::SnmpNoEncryption,
        &snmp::default_community::SnmpDefaultCommunity,
        // -- mail
        &mail::tls_option_without_starttls::MailTlsOptionWithoutStarttls,
        &mail::client_certificate_missing::MailClientCertificateMissing,
        &mail::server_ca_missing::MailServerCaMissing,
        &mail::smtp_auth_incomplete::MailSmtpAuthIncomplete,
        &mail::invalid_address::MailInvalidAddress,
        &mail::address_local_domain::MailAddressLocalDomain,
        &mail::starttls_without_certificate_check::MailStarttlsWithoutCertificateCheck,
        &mail::smtp_auth_without_encryption::MailSmtpAuthWithoutEncryption,
        // -- address
        &address::invalid_ip::AddressInvalidIp,
        &address::invalid_hostname::AddressInvalidHostname,
        // -- time
        &time::interval_reversed::TimeIntervalReversed,
        &time::interval_overlap::TimeIntervalOverlap,
        // -- names
        &name::contains_whitespace::NameContainsWhitespace,
        &name::whitespace_discouraged::NameWhitespaceDiscouraged,
        // -- certificates
        &cert::not_a_certificate::CertNotACertificate,
        &cert::pem_metadata::CertPemMetadata,
        &cert::pem_line_breaks::CertPemLineBreaks,
        &cert::validity::CertValidity,
        &cert::tca_not_a_ca::TcaNotACa,
        &cert::tca_crl_not_url::TcaCrlNotUrl,
        &cert::tca_crl_scheme::TcaCrlScheme,
        &cert::tca_strict_hostcheck_without_dns_lookup::TcaStrictHostcheckWithoutDnsLookup,
        &cert::tca_dn_check_country::TcaDnCheckCountry,
        // -- local user databases
        &udb::public_key_invalid::UdbPublicKeyInvalid,
        &udb::public_key_wrong_type::UdbPublicKeyWrongType,
        &udb::weak_rsa_key::UdbWeakRsaKey,
        &udb::duplicate_username::UdbDuplicateUsername,
        // -- user lists
        &userlist::duplicate_except::UserlistDuplicateExcept,
        // -- syslog
        &syslog::tls_over_udp::SyslogTlsOverUdp,
        // -- read-only endpoints
        &api::read_only_endpoint::ApiReadOnlyEndpoint,
        // -- repository
        &repo::unresolved_reference::RepoUnresolvedReference,
        &repo::wrong_collection::RepoWrongCollection,
        &repo::duplicate_name::RepoDuplicateName,
        &repo::password_reused::RepoPasswordReused,
        &repo::snmp_password_policy::RepoSnmpPasswordPolicy,
        &repo::key_mismatch::RepoKeyMismatch,
        &repo::invalid_key::RepoInvalidKey,
        &repo::cleanup_exceeds_global::RepoCleanupExceedsGlobal,
    ]
}

/// Run every rule that applies to `cx.endpoint` and is enabled.
pub fn run(cx: &mut RuleContext<'_>, enabled: &dyn Fn(&RuleMeta) -> bool) {
    for rule in all() {
        let meta = rule.meta();
        if meta.applies_to(cx.endpoint) && enabled(meta) {
            cx.code = meta.as_code();
            rule.check(cx);
        }
    }
}

/// The reference page of a rule, in Markdown: what `rules/<name>.md` holds and what
/// `spslint explain` prints.
pub fn doc_page(meta: &RuleMeta) -> String {
    let mut s = String::new();
    s.push_str(&format!("# {} ({})\n\n", meta.name, meta.code));
    s.push_str(&format!("{}\n\n", meta.summary()));
    s.push_str(&format!(
        "- Default severity: {}\n- Fixable: {}\n- Endpoints: {}\n\n",
        meta.severity,
        if meta.fixable() {
            "yes (`--fix`)"
        } else {
            "no"
        },
        meta.endpoints
            .iter()
            .map(|e| format!("`{}`", e.path))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!("## What it checks\n\n{}\n\n", meta.what()));
    s.push_str(&format!("## Why it matters\n\n{}\n\n", meta.why()));
    s.push_str(&format!(
        "## Example\n\nReported:\n\n```json\n{}\n```\n\nFixed:\n\n```json\n{}\n```\n",
        meta.bad.trim(),
        meta.good.trim()
    ));
    let notes = meta.notes();
    if !notes.is_empty() {
        s.push_str(&format!("\n## Notes\n\n{notes}\n"));
    }
    s
}

/// `rules/README.md`: the table of every rule, linking to its page.
pub fn index_page() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from the rules' own documentation (`src/rules/`); do not edit by hand.\n\n| Code | Name | Severity | Fixable | Summary |\n|---|---|---|---|---|\n",
    );
    for r in all() {
        let m = r.meta();
        s.push_str(&format!(
            "| {} | [{}]({}.md) | {} | {} | {} |\n",
            m.code,
            m.name,
            m.name,
            m.severity,
            if m.fixable() { "yes" } else { "no" },
            m.summary()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            let m = r.meta();
            assert!(seen.insert(m.code), "duplicate code {}", m.code);
            assert!(seen.insert(m.name), "duplicate name {}", m.name);
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{} is not kebab-case",
                m.name
            );
            assert!(!m.endpoints.is_empty(), "{} applies to no endpoint", m.code);
            // Typed references cannot name an unknown endpoint; a rule's list names each once.
            let mut paths: Vec<&str> = m.endpoints.iter().map(|e| e.path).collect();
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(
                paths.len(),
                m.endpoints.len(),
                "{}: an endpoint twice",
                m.code
            );
            for core in crate::codes::ALL {
                assert_ne!(core.code, m.code);
                assert_ne!(core.name, m.name);
            }
        }
    }

    /// The documented example of every rule is reported by it, and its fix is not.
    #[test]
    fn every_documented_example_fails_and_its_fix_passes() {
        for r in all().iter().filter(|r| !r.is_repository()) {
            let m = r.meta();
            let bad = testing::run_rule(*r, m.endpoints[0], m.bad);
            assert!(
                !bad.is_empty(),
                "{}: the documented bad example is not reported",
                m.code
            );
            // A fix that is prose, not a body (no body of a read-only endpoint passes), is not
            // linted.
            if m.good.trim_start().starts_with("//") {
                continue;
            }
            let good = testing::run_rule(*r, m.endpoints[0], m.good);
            assert!(
                good.is_empty(),
                "{}: the documented fix is still reported: {good:?}",
                m.code
            );
        }
    }
}
