//! An object key has characters SPS does not accept in a path.

use crate::endpoint::id;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// An object key has characters SPS does not accept in a path.
    ///
    /// ## What it checks
    ///
    /// Object keys become path components of the REST URL. SPS accepts only lowercase letters, digits, the dash and the underscore there; anything else (capitals, spaces, dots) is reported. The key is the file name without `.json`, or the `key` of a saved response.
    ///
    /// ## Why it matters
    ///
    /// SPS answers such a path with InvalidPath: the object cannot be created or updated.
    pub struct RepoInvalidKey {
        code: "REPO007",
        name: "invalid-key",
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
        bad: r#"// policies/time_policies/Office Hours.json"#,
        good: r#"// policies/time_policies/office-hours.json"#,
    }
}

impl Rule for RepoInvalidKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        for e in index.entries.iter().filter(|e| e.is_reported()) {
            let Some(key) = e.facts.key() else {
                continue;
            };
            if e.facts.collection().is_none() {
                continue;
            }
            if let Some(bad) = key
                .chars()
                .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
            {
                // The response's key is in the file; a file name's is not (the file is reported).
                let pointer = if e.facts.response_key.is_some() {
                    crate::repo::RESPONSE_KEY_POINTER
                } else {
                    ""
                };
                let suggestion: String = key
                    .to_lowercase()
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect();
                let d = cx
                    .diag(pointer, format!("the object key \"{key}\" contains {bad:?}: SPS accepts only lowercase letters, digits, '-' and '_' in a path"))
                    .with_help(format!("rename the object to \"{suggestion}\""));
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
    fn keys_outside_the_path_alphabet_are_reported() {
        let bad = facts_of("policies/time_policies", "Office Hours", None, vec![]);
        let good = facts_of("policies/time_policies", "-100", None, vec![]);
        let found = run_repo(
            &RepoInvalidKey,
            &[("a.json", &bad), ("b.json", &good)],
            false,
        );
        assert_eq!(
            found,
            vec![("a.json".to_string(), "".to_string(), Severity::Error)]
        );
    }
}
