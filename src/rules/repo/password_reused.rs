//! One password object is referenced from two places.

use crate::endpoint::id;
use crate::repo::Entry;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// One password object is referenced from two places.
    ///
    /// ## What it checks
    ///
    /// A password object (`/api/configuration/passwords/<key>`) may be referenced only once. Every reference to a password key that is also referenced elsewhere in the repository (in the same file or another) is reported, naming the other places (the first three, then how many more).
    ///
    /// ## Why it matters
    ///
    /// SPS ties a password object to the one setting that uses it and refuses a second reference at commit time; changing the password for one setting would otherwise silently change it for the other.
    pub struct RepoPasswordReused {
        code: "REPO004",
        name: "password-reused",
        severity: Error,
        endpoints: &[
        id::AAA_LDAP_SERVERS,
        id::LOCAL_SERVICES_SNMP_AGENT,
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
        id::SSH_AUTHENTICATION_POLICIES,
    ],
        fix: Never,
        bad: r#"// management/email.json: "password": "0210848a-..."
// management/snmp/trap.json: "auth_password": "0210848a-...""#,
        good: r#"// create a second password object and reference it from trap.json"#,
    }
}

impl Rule for RepoPasswordReused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        // Every password reference as (key, entry, reference), sorted by key so the shared ones
        // sit side by side: one flat vector sorted in place, where a map of lists would cost a
        // list per (nearly always unique) key. Ties fall back to the positions, so the sites of
        // one key keep the order of the files and of their references.
        let mut uses: Vec<(&str, u32, u32)> = index
            .entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.facts
                    .references
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.collection == "passwords")
                    .map(move |(j, r)| (r.key(), i as u32, j as u32))
            })
            .collect();
        uses.sort_unstable();
        let site = |&(_, i, j): &(&str, u32, u32)| {
            let e: &Entry<'_> = &index.entries[i as usize];
            (e, e.facts.references[j as usize].pointer())
        };
        for sites in uses.chunk_by(|a, b| a.0 == b.0).filter(|s| s.len() > 1) {
            for (i, this) in sites.iter().enumerate() {
                let (e, pointer) = site(this);
                let others = crate::rules::name_others(
                    sites.iter().enumerate().filter(|(j, _)| *j != i),
                    |(_, other)| {
                        let (o, p) = site(other);
                        if p.is_empty() {
                            o.path.to_string()
                        } else {
                            format!("{} at {p}", o.path)
                        }
                    },
                );
                let d = cx
                    .diag(pointer, format!("this password object is also referenced by {others}: SPS allows one reference per password"))
                    .with_help("create a separate password object for each setting and reference its key here");
                cx.emit(e, d);
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
    fn every_site_of_a_shared_password_is_reported() {
        let a = facts_of(
            "policies/user_databases",
            "db",
            None,
            vec![
                ("/users/0/passwords/0", "passwords", "p1"),
                ("/users/1/passwords/0", "passwords", "p2"),
            ],
        );
        let b = facts_of(
            "policies/user_databases",
            "db2",
            None,
            vec![("/users/0/passwords/0", "passwords", "p1")],
        );
        let found = run_repo(
            &RepoPasswordReused,
            &[("a.json", &a), ("b.json", &b)],
            false,
        );
        assert_eq!(
            found,
            vec![
                (
                    "a.json".to_string(),
                    "/users/0/passwords/0".to_string(),
                    Severity::Error
                ),
                (
                    "b.json".to_string(),
                    "/users/0/passwords/0".to_string(),
                    Severity::Error
                )
            ]
        );
    }
}
