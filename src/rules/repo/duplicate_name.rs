//! Two objects of one collection have the same name.

use std::collections::BTreeMap;

use crate::endpoint::id;
use crate::repo::Entry;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// Two objects of one collection have the same name.
    ///
    /// ## What it checks
    ///
    /// Within a collection (time policies, user lists, trusted CA lists, ...), every object's `name` must be unique. Each file that shares a name is reported, naming the others (the first three, then how many more: a name shared by thousands of files must not make each message list them all).
    ///
    /// ## Why it matters
    ///
    /// Names are what the SPS web interface shows and what administrators pick from: SPS refuses a second object with a name already in use, and two objects of one name are indistinguishable in the interface.
    pub struct RepoDuplicateName {
        code: "REPO003",
        name: "duplicate-name",
        severity: Error,
        endpoints: &[
        id::AAA_LDAP_SERVERS,
        id::AAA_LOCAL_DATABASE_GROUPS,
        id::PASSWORDS,
        id::POLICIES_ARCHIVE_CLEANUP_POLICIES,
        id::POLICIES_AUDIT_POLICIES,
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
        id::SSH_SETTINGS_POLICIES,
    ],
        fix: Never,
        bad: r#"// policies/time_policies/a.json and policies/time_policies/b.json
{ "name": "office-hours", ... }"#,
        good: r#"// b.json
{ "name": "weekend-support", ... }"#,
    }
}

impl Rule for RepoDuplicateName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        let mut by_name: BTreeMap<(&str, &str), Vec<&Entry<'_>>> = BTreeMap::new();
        for e in &index.entries {
            if let (Some(c), Some(name)) = (e.facts.collection(), e.facts.name.as_deref()) {
                by_name.entry((c, name)).or_default().push(e);
            }
        }
        for ((collection, name), entries) in by_name.into_iter().filter(|(_, v)| v.len() > 1) {
            for (i, e) in entries.iter().enumerate() {
                let others = crate::rules::name_others(
                    entries
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, o)| o.path),
                    str::to_string,
                );
                let d = cx
                    .diag(
                        e.facts.name_pointer(),
                        format!(
                            "the name \"{name}\" is also used by {} in {collection}",
                            others
                        ),
                    )
                    .with_help("give each object of the collection its own name");
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
    fn both_files_of_a_shared_name_are_reported() {
        let a = facts_of("policies/time_policies", "a", Some("office"), vec![]);
        let b = facts_of("policies/time_policies", "b", Some("office"), vec![]);
        let c = facts_of("policies/userlists", "c", Some("office"), vec![]);
        let found = run_repo(
            &RepoDuplicateName,
            &[("a.json", &a), ("b.json", &b), ("c.json", &c)],
            false,
        );
        assert_eq!(
            found,
            vec![
                ("a.json".to_string(), "/name".to_string(), Severity::Error),
                ("b.json".to_string(), "/name".to_string(), Severity::Error)
            ]
        );
    }

    #[test]
    fn a_name_shared_by_many_files_names_three_and_counts_the_rest() {
        use crate::repo::{Entry, Findings, Index};
        let facts: Vec<crate::repo::Facts> = (0..1000)
            .map(|i| {
                facts_of(
                    "policies/time_policies",
                    &format!("k{i}"),
                    Some("office"),
                    vec![],
                )
            })
            .collect();
        let paths: Vec<String> = (0..1000).map(|i| format!("k{i:04}.json")).collect();
        let index = Index::new(
            paths
                .iter()
                .zip(&facts)
                .enumerate()
                .map(|(i, (path, facts))| Entry {
                    path,
                    facts,
                    reported: Some(i),
                })
                .collect(),
        );
        let settings = crate::settings::Settings::default();
        let mut out = Findings::new();
        let mut cx = RepoContext::new(&index, &settings, &mut out);
        cx.set_code(META.as_code());
        RepoDuplicateName.check_repository(&mut cx);
        assert_eq!(out.len(), 1000, "every file of the group is reported");
        let (_, first) = &out[0];
        assert_eq!(
            first.message,
            "the name \"office\" is also used by k0001.json, k0002.json, k0003.json and 996 more in policies/time_policies"
        );
        // The message stays short however large the group: no file lists all the others.
        assert!(out.iter().all(|(_, d)| d.message.len() < 200));
    }
}
