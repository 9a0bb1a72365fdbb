//! A reference names a key that no object of the repository has.

use crate::diagnostic::Severity;
use crate::diagnostic::Severity as Level;
use crate::repo::{is_built_in, shown_key};
use crate::rules::{RepoContext, Rule, RuleMeta};

pub struct RepoUnresolvedReference;

static META: RuleMeta = RuleMeta {
    code: "REPO001",
    name: "unresolved-reference",
    severity: Level::Warning,
    endpoints: &[
        "/api/configuration/management/email",
        "/api/configuration/management/health_monitoring",
        "/api/configuration/management/snmp/trap",
        "/api/configuration/management/syslog",
        "/api/configuration/passwords",
        "/api/configuration/policies/time_policies",
        "/api/configuration/policies/trusted_ca_lists",
        "/api/configuration/policies/user_databases",
        "/api/configuration/policies/userlists",
        "/api/configuration/rdp/channel_policies",
        "/api/configuration/ssh/authentication_policies",
    ],
    summary: r##"A reference names a key that no object of the repository has."##,
    what: r##"Every reference position the schemas know (`time_policy`, password fields, `x509_identity`, `trust_store`, `content_policy`, ...) holds the key of another object. When the repository keeps objects of the target collection (at least one file of it), a key that none of them has, and that is not one of SPS's built-in objects, is reported. Built-in objects have negative keys: `-100` is the all-day time policy, `-1` to `-4` are the default user lists.

Collections the repository does not keep (most repositories keep no passwords or X.509 identities) are not checked, so their references do not drown real findings. `--strict-refs` checks every reference and makes each unresolved one an error."##,
    why: r##"SPS refuses a commit that refers to an object that does not exist; when the object exists on the appliance but not in the repository, the repository no longer describes the configuration it deploys."##,
    bad: r##"// policies/time_policies/office-hours.json exists; the channel policy has a typo:
{
  "name": "drawing-only",
  "rules": [ { "actions": { "audit": true, "content_policy": null, "four_eyes": false, "ids": false },
      "allowed_for": { "clients": [], "gateway_groups": [], "remote_groups": [], "servers": [],
        "time_policy": "ofice-hours" },
      "channel": "#drawing" } ]
}"##,
    good: r##"// "time_policy": "office-hours""##,
    notes: r##"The docs show references in responses as `{"key", "meta"}` objects; requests carry the key string alone (see `embedded-reference`, REQ002). Keys are compared exactly."##,
    fixable: false,
};

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
                let shown = shown_key(r);
                let mut d = cx
                    .diag(r.pointer(), format!("no object of /api/configuration/{} has the key {shown} in this repository", r.collection))
                    .with_help(format!(
                        "use the key of an existing {} object (its file name without .json), or add the object to the repository",
                        r.collection
                    ));
                if strict {
                    d = d.with_severity(Severity::Error);
                }
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
}
