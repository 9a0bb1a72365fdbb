//! A saved response's key differs from the key its file name gives.

use crate::diagnostic::Severity as Level;
use crate::rules::{RepoContext, Rule, RuleMeta};

pub struct RepoKeyMismatch;

static META: RuleMeta = RuleMeta {
    code: "REPO006",
    name: "key-mismatch",
    severity: Level::Error,
    endpoints: &[
        "/api/configuration/aaa/ldap_servers",
        "/api/configuration/aaa/local_database/groups",
        "/api/configuration/passwords",
        "/api/configuration/policies/archive_cleanup_policies",
        "/api/configuration/policies/audit_policies",
        "/api/configuration/policies/ldap_servers",
        "/api/configuration/policies/time_policies",
        "/api/configuration/policies/trusted_ca_lists",
        "/api/configuration/policies/user_databases",
        "/api/configuration/policies/userlists",
        "/api/configuration/rdp/channel_policies",
        "/api/configuration/rdp/connections",
        "/api/configuration/ssh/authentication_policies",
        "/api/configuration/ssh/channel_policies",
        "/api/configuration/ssh/connections",
        "/api/configuration/ssh/settings_policies",
    ],
    summary: r##"A saved response's key differs from the key its file name gives."##,
    what: r##"One object of a collection is stored as `<collection>/<key>.json`. When the file is a saved GET response, its `key` must be that same key."##,
    why: r##"Deployment tools PUT the body to the path the file name gives: a different key in the file means the object that was saved is not the one that will be overwritten."##,
    bad: r##"// policies/userlists/admins.json
{"body": {...}, "key": "operators", "meta": {...}}"##,
    good: r##"// policies/userlists/operators.json"##,
    notes: r##""##,
    fixable: false,
};

impl Rule for RepoKeyMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        for e in index.entries.iter().filter(|e| e.is_reported()) {
            if let (Some(stem), Some(key)) = (&e.facts.stem, &e.facts.response_key)
                && stem != key
                && e.facts.collection().is_some()
            {
                let d = cx
                    .diag(crate::repo::RESPONSE_KEY_POINTER, format!("the response's key \"{key}\" differs from the file name's key \"{stem}\""))
                    .with_help(format!("rename the file to {key}.json, or save the response of object {stem}"));
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
    fn differing_keys_are_reported_at_the_key() {
        let mut f = facts_of("policies/userlists", "admins", None, vec![]);
        f.stem = Some("admins".into());
        f.response_key = Some("operators".into());
        let found = run_repo(&RepoKeyMismatch, &[("admins.json", &f)], false);
        assert_eq!(
            found,
            vec![(
                "admins.json".to_string(),
                "/key".to_string(),
                Severity::Error
            )]
        );
        f.response_key = Some("admins".into());
        assert!(run_repo(&RepoKeyMismatch, &[("admins.json", &f)], false).is_empty());
    }
}
