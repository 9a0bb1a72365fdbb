//! A reference names a key that no object of the repository has.

use crate::diagnostic::Severity;
use crate::endpoint::id;
use crate::repo::{Reference, is_built_in};
use crate::rules::{RepoContext, Rule, RuleMeta};
use crate::secrets::is_secret_pointer;

declare_rule! {
    /// A reference names a key that no object of the repository has.
    ///
    /// ## What it checks
    ///
    /// Every reference position the schemas know (`time_policy`, password fields, `x509_identity`, `trust_store`, `content_policy`, ...) holds the key of another object. When the repository keeps objects of the target collection (at least one file of it), a key that none of them has, and that is not one of SPS's built-in objects, is reported. Built-in objects have negative keys: `-100` is the all-day time policy, `-1` to `-4` are the default user lists.
    ///
    /// Collections the repository does not keep (most repositories keep no passwords or X.509 identities) are not checked, so their references do not drown real findings. `--strict-refs` checks every reference and makes each unresolved one an error.
    ///
    /// ## Why it matters
    ///
    /// SPS refuses a commit that refers to an object that does not exist; when the object exists on the appliance but not in the repository, the repository no longer describes the configuration it deploys.
    ///
    /// ## Notes
    ///
    /// The docs show references in responses as `{"key", "meta"}` objects; requests carry the key string alone (see `embedded-reference`, REQ002). Keys are compared exactly.
    pub struct RepoUnresolvedReference {
        code: "REPO001",
        name: "unresolved-reference",
        severity: Warning,
        endpoints: &[
        id::AAA_LDAP_SERVERS,
        id::LOCAL_SERVICES_SNMP_AGENT,
        id::MANAGEMENT_CERTIFICATES,
        id::MANAGEMENT_EMAIL,
        id::MANAGEMENT_HEALTH_MONITORING,
        id::MANAGEMENT_SNMP_TRAP,
        id::MANAGEMENT_SYSLOG,
        id::PASSWORDS,
        id::POLICIES_LDAP_SERVERS,
        id::POLICIES_TIME_POLICIES,
        id::POLICIES_TRUSTED_CA_LISTS,
        id::POLICIES_USER_DATABASES,
        id::POLICIES_USERLISTS,
        id::RDP_CHANNEL_POLICIES,
        id::RDP_CONNECTIONS,
        id::SSH_AUTHENTICATION_POLICIES,
        id::SSH_CHANNEL_POLICIES,
        id::SSH_CONNECTIONS,
    ],
        fix: Never,
        bad: r##"// policies/time_policies/office-hours.json exists; the channel policy has a typo:
{
  "name": "drawing-only",
  "rules": [ { "actions": { "audit": true, "content_policy": null, "four_eyes": false, "ids": false },
      "allowed_for": { "clients": [], "gateway_groups": [], "remote_groups": [], "servers": [],
        "time_policy": "ofice-hours" },
      "channel": "#drawing" } ]
}"##,
        good: r#"// "time_policy": "office-hours""#,
    }
}

impl Rule for RepoUnresolvedReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let strict = cx.settings.strict_refs;
        let index = cx.index;
        for entry in index.entries.iter().filter(|e| e.is_reported()) {
            for r in &entry.facts.references {
                if is_built_in(r.collection, r.key())
                    || index.lookup(r.collection, r.key()).is_some()
                {
                    continue;
                }
                // Cheapest test first: most unresolved references in a repository point at a
                // collection it does not keep at all.
                if !(strict || index.keeps(r.collection)) {
                    continue;
                }
                if !index.elsewhere(r.collection, r.key()).is_empty() {
                    continue; // the wrong-collection rule says more
                }
                let (message, help) = unresolved(r, index.closest_key(r.collection, r.key()));
                let mut d = cx.diag(r.pointer(), message).with_help(help);
                if strict {
                    d = d.with_severity(Severity::Error);
                }
                cx.emit(entry, d);
            }
        }
    }
}

/// The message and help for an unresolved reference. Keys are identifiers and are shown, with
/// the close key it was probably meant to be. Under a secret field (a password, a shared
/// secret) a value that is close to no key may be a secret pasted where its key belongs: it
/// is not shown, and the message says what belongs there.
fn unresolved(r: &Reference, close: Option<&str>) -> (String, String) {
    let collection = r.collection;
    let key = r.key();
    match close {
        Some(close) => (
            format!(
                "no object of /api/configuration/{collection} has the key \"{key}\" in this repository"
            ),
            format!(
                "did you mean \"{close}\"? (the key of an existing {collection} object is its file name without .json)"
            ),
        ),
        None if is_secret_pointer(r.pointer()) => (
            format!(
                "this value is not the key of any {collection} object in this repository (not shown: it may be a secret); a secret is never written here, only the key of a /api/configuration/{collection} object"
            ),
            format!(
                "write the key of a {collection} object (its file name without .json); if a secret was pasted here, remove it and rotate it, since it is in the repository's history"
            ),
        ),
        None => (
            format!(
                "no object of /api/configuration/{collection} has the key \"{key}\" in this repository"
            ),
            format!(
                "use the key of an existing {collection} object (its file name without .json), or add the object to the repository"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::repo::testing::{facts_of, run_repo};

    #[test]
    fn unknown_key_is_reported_only_for_kept_collections() {
        let tp = facts_of("policies/time_policies", "office", None, vec![]);
        let cp = facts_of(
            "rdp/channel_policies",
            "c1",
            None,
            vec![(
                "/rules/0/allowed_for/time_policy",
                "policies/time_policies",
                "ofice",
            )],
        );
        let pw = facts_of(
            "rdp/channel_policies",
            "c2",
            None,
            vec![("/x", "passwords", "nowhere")],
        );
        let builtin = facts_of(
            "rdp/channel_policies",
            "c3",
            None,
            vec![("/y", "policies/time_policies", "-100")],
        );
        let found = run_repo(
            &RepoUnresolvedReference,
            &[
                ("tp.json", &tp),
                ("cp.json", &cp),
                ("pw.json", &pw),
                ("b.json", &builtin),
            ],
            false,
        );
        assert_eq!(
            found,
            vec![(
                "cp.json".to_string(),
                "/rules/0/allowed_for/time_policy".to_string(),
                Severity::Warning
            )]
        );
        let strict = run_repo(
            &RepoUnresolvedReference,
            &[("tp.json", &tp), ("pw.json", &pw)],
            true,
        );
        assert_eq!(
            strict,
            vec![("pw.json".to_string(), "/x".to_string(), Severity::Error)]
        );
    }

    #[test]
    fn keys_are_shown_with_a_close_key_and_secrets_never() {
        let reference = |pointer: &str, key: &str| Reference::new(pointer, "passwords", key);
        // A typo of an existing key, even under a secret field: shown, with the key meant.
        let (m, h) = unresolved(
            &reference("/version/value/auth_password", "snmp-auht"),
            Some("snmp-auth"),
        );
        assert!(m.contains("\"snmp-auht\""), "{m}");
        assert!(h.starts_with("did you mean \"snmp-auth\"?"), "{h}");
        // Close to no key under a secret field: perhaps a pasted password, never shown.
        let (m, h) = unresolved(&reference("/smtp_auth/password", "Zq7#x9!pW"), None);
        assert!(!m.contains("Zq7") && !h.contains("Zq7"), "{m} {h}");
        assert!(m.contains("a secret is never written here"), "{m}");
        // Outside secret fields a key is always shown.
        let (m, _) = unresolved(&reference("/rules/0/time_policy", "ofice"), None);
        assert!(m.contains("\"ofice\""), "{m}");
    }

    #[test]
    fn closest_key_finds_typos_among_many_identifiers() {
        let mut files = vec![facts_of("passwords", "snmp-auth", None, vec![])];
        for i in 0..500 {
            files.push(facts_of(
                "passwords",
                Box::leak(format!("4b0f7e7a-2d7c-4a1e-9a53-0c5a3e1f{i:04}").into_boxed_str()),
                None,
                vec![],
            ));
        }
        let index = crate::repo::Index::new(
            files
                .iter()
                .map(|f| crate::repo::Entry {
                    path: "x.json",
                    facts: f,
                    reported: None,
                })
                .collect(),
        );
        assert_eq!(
            index.closest_key("passwords", "snmp-auht"),
            Some("snmp-auth")
        );
        assert_eq!(
            index.closest_key("passwords", "snmpauth"),
            Some("snmp-auth")
        );
        assert_eq!(
            index.closest_key("passwords", "b40f7e7a-2d7c-4a1e-9a53-0c5a3e1f0007"),
            Some("4b0f7e7a-2d7c-4a1e-9a53-0c5a3e1f0007")
        );
        assert_eq!(index.closest_key("passwords", "Zq7#x9!pW"), None);
        assert_eq!(index.closest_key("time_policies", "snmp-auth"), None);
    }
}
