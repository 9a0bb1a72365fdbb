//! A saved response's key differs from the key its file name gives.

use crate::endpoint::id;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// A saved response's key differs from the key its file name gives.
    ///
    /// ## What it checks
    ///
    /// One object of a collection is stored as `<collection>/<key>.json`. When the file is a saved GET response, its `key` must be that same key.
    ///
    /// ## Why it matters
    ///
    /// Deployment tools PUT the body to the path the file name gives: a different key in the file means the object that was saved is not the one that will be overwritten.
    pub struct RepoKeyMismatch {
        code: "REPO006",
        name: "key-mismatch",
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
        bad: r#"// policies/userlists/admins.json
{"body": {...}, "key": "operators", "meta": {...}}"#,
        good: r#"// policies/userlists/operators.json"#,
    }
}

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
