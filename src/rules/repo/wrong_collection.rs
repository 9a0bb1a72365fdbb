//! A reference names an object of another collection.

use crate::endpoint::id;
use crate::repo::is_built_in;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// A reference names an object of another collection.
    ///
    /// ## What it checks
    ///
    /// A reference's key is not found in the collection the setting refers to, but an object of another collection of the repository has that key: a user list's key where a time policy belongs, for example.
    ///
    /// ## Why it matters
    ///
    /// SPS looks the key up in the expected collection only, so the commit fails, or worse, another object with that key happens to exist on the appliance and the setting silently uses it.
    pub struct RepoWrongCollection {
        code: "REPO002",
        name: "reference-to-wrong-collection",
        severity: Error,
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
        bad: r#"// policies/userlists/admins.json exists
"time_policy": "admins""#,
        good: r#""time_policy": "office-hours""#,
    }
}

impl Rule for RepoWrongCollection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        for entry in index.entries.iter().filter(|e| e.is_reported()) {
            for r in &entry.facts.references {
                if is_built_in(r.collection, r.key())
                    || index.lookup(r.collection, r.key()).is_some()
                {
                    continue;
                }
                let others = index.elsewhere(r.collection, r.key());
                let Some((collection, other)) = others.first() else {
                    continue;
                };
                // The key names an object of the repository: it is a key, not a secret.
                let d = cx
                    .diag(r.pointer(), format!(
                        "the key \"{}\" belongs to a {collection} object ({}), but this setting refers to /api/configuration/{}",
                        r.key(), other.path, r.collection
                    ))
                    .with_help(format!("use the key of a {} object here", r.collection));
                cx.emit(entry, d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::repo::testing::{facts_of, run_repo};

    #[test]
    fn key_of_another_collection_is_an_error() {
        let ul = facts_of("policies/userlists", "admins", None, vec![]);
        let cp = facts_of(
            "rdp/channel_policies",
            "c1",
            None,
            vec![("/t", "policies/time_policies", "admins")],
        );
        let found = run_repo(
            &RepoWrongCollection,
            &[("ul.json", &ul), ("cp.json", &cp)],
            false,
        );
        assert_eq!(
            found,
            vec![("cp.json".to_string(), "/t".to_string(), Severity::Error)]
        );
        let ok = facts_of(
            "rdp/channel_policies",
            "c2",
            None,
            vec![("/t", "policies/time_policies", "nothing")],
        );
        assert!(
            run_repo(
                &RepoWrongCollection,
                &[("ul.json", &ul), ("ok.json", &ok)],
                false
            )
            .is_empty()
        );
    }
}
