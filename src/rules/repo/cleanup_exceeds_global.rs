//! REPO008 cleanup-exceeds-global: a connection policy keeps connection metadata longer than
//! the global retention of its protocol's options allows.

use crate::endpoint::id;
use crate::repo::Entry;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// A connection policy keeps connection metadata longer than its protocol's global retention.
    ///
    /// ## What it checks
    ///
    /// A repository rule. When a connection policy cleans up the metadata of its connections
    /// (`channel_database_cleanup` enabled, with `days`) and the repository holds the options of the same
    /// protocol (`rdp/options`, `ssh/options`) with cleanup enabled, the policy's `days` must not be more
    /// than the global retention: `channel_database_cleanup.days` of the options, or
    /// `audit.cleanup.channel_database_cleanup_days` in the earlier shape of the options. Both values are
    /// reported: at the policy's `days` (naming the options file) and at the options' days (naming the
    /// policies that exceed it).
    ///
    /// ## Why it matters
    ///
    /// The reference says both ways round: a connection policy's retention must not exceed the global
    /// retention of its protocol, and the global retention must exceed the connection-specific ones. The
    /// global cleanup removes the metadata first, so the longer retention promised by the policy cannot
    /// be kept.
    ///
    /// ## Notes
    ///
    /// The reference also says that a connection policy's retention must not exceed that of its archive
    /// and cleanup policy. The field of a connection policy that names its archive policy is not shown
    /// in any reachable page, so that half is not checked. Nothing is reported when the options or the
    /// policy have cleanup disabled, or when the repository does not hold the protocol's options.
    pub struct RepoCleanupExceedsGlobal {
        code: "REPO008",
        name: "cleanup-exceeds-global",
        severity: Error,
        endpoints: &[
        id::RDP_CONNECTIONS,
        id::SSH_CONNECTIONS,
        id::RDP_OPTIONS,
        id::SSH_OPTIONS,
    ],
        fix: Never,
        bad: r#"// rdp/options.json: "channel_database_cleanup": {"days": 90, "enabled": true}
{
  "channel_database_cleanup": {
    "days": 365,
    "enabled": true
  },
  "name": "rdp-servers"
}"#,
        good: r#"{
  "channel_database_cleanup": {
    "days": 90,
    "enabled": true
  },
  "name": "rdp-servers"
}"#,
    }
}

impl Rule for RepoCleanupExceedsGlobal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        for protocol in ["rdp", "ssh"] {
            // Only files that state a retention matter; the endpoint test allocates nothing,
            // since it runs over the whole index.
            let is = |e: &Entry<'_>, what: &str| {
                e.facts.cleanup_days.is_some()
                    && e.facts.endpoint.is_some_and(|ep| {
                        ep.config_path()
                            .strip_prefix(protocol)
                            .and_then(|rest| rest.strip_prefix('/'))
                            == Some(what)
                    })
            };
            let Some((options, (global, global_at))) = index
                .entries
                .iter()
                .filter(|e| is(e, "options"))
                .find_map(|e| Some((e, e.facts.cleanup_days?)))
            else {
                continue;
            };
            let over: Vec<(&Entry<'_>, u64, &str)> = index
                .entries
                .iter()
                .filter(|e| is(e, "connections"))
                .filter_map(|e| {
                    let (days, at) = e.facts.cleanup_days?;
                    (days > global).then_some((e, days, at))
                })
                .collect();
            if over.is_empty() {
                continue;
            }
            let prefix = |e: &Entry<'_>| if e.facts.wrapped { "/body" } else { "" };
            for (e, days, at) in &over {
                let d = cx
                    .diag(
                        &format!("{}{at}", prefix(e)),
                        format!(
                            "this connection policy keeps connection metadata for {days} days, longer than the {global} days of the global {protocol} retention in {}",
                            options.path
                        ),
                    )
                    .with_help(format!(
                        "use at most {global} days here, or raise the global retention in {protocol}/options"
                    ));
                cx.emit(e, d);
            }
            let most = over.iter().map(|(_, d, _)| *d).max().unwrap_or(global);
            let names = crate::rules::name_others(over.iter(), |(e, d, _)| {
                format!("{} ({d} days)", e.path)
            });
            let d = cx
                .diag(
                    &format!("{}{global_at}", prefix(options)),
                    format!(
                        "the global {protocol} retention of {global} days is shorter than that of connection policies {names}"
                    ),
                )
                .with_help(format!(
                    "keep connection metadata for at least {most} days here, or shorten the policies' retention"
                ));
            cx.emit(options, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::repo::testing::run_repo;
    use crate::repo::{Facts, facts};
    use serde_json::json;

    fn body(endpoint: &str, value: serde_json::Value, key: Option<&str>) -> Facts {
        facts(
            crate::endpoint::by_name(endpoint).unwrap(),
            &value,
            false,
            key,
            None,
        )
    }

    #[test]
    fn a_longer_connection_retention_is_reported_on_both_sides() {
        let options = body(
            "rdp/options",
            json!({"channel_database_cleanup": {"days": 90, "enabled": true}, "service": {"enabled": true}}),
            None,
        );
        let long = body(
            "rdp/connections",
            json!({"name": "a", "channel_database_cleanup": {"days": 365, "enabled": true}}),
            Some("a"),
        );
        let short = body(
            "rdp/connections",
            json!({"name": "b", "channel_database_cleanup": {"days": 30, "enabled": true}}),
            Some("b"),
        );
        let off = body(
            "rdp/connections",
            json!({"name": "c", "channel_database_cleanup": {"days": 999, "enabled": false}}),
            Some("c"),
        );
        let ssh = body(
            "ssh/connections",
            json!({"name": "d", "channel_database_cleanup": {"days": 999, "enabled": true}}),
            Some("d"),
        );
        let found = run_repo(
            &RepoCleanupExceedsGlobal,
            &[
                ("options.json", &options),
                ("a.json", &long),
                ("b.json", &short),
                ("c.json", &off),
                ("d.json", &ssh),
            ],
            false,
        );
        let at: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, ptr, _)| (p.as_str(), ptr.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("a.json", "/channel_database_cleanup/days"),
                ("options.json", "/channel_database_cleanup/days"),
            ]
        );
        assert!(found.iter().all(|f| f.2 == Severity::Error));
    }

    #[test]
    fn the_earlier_options_shape_and_disabled_cleanup_are_understood() {
        let options = body(
            "ssh/options",
            json!({"audit": {"cleanup": {"channel_database_cleanup_days": 600, "enabled": true}}, "service": {"enabled": true}}),
            None,
        );
        let over = body(
            "ssh/connections",
            json!({"name": "a", "channel_database_cleanup": {"days": 700, "enabled": true}}),
            Some("a"),
        );
        let found = run_repo(
            &RepoCleanupExceedsGlobal,
            &[("options.json", &options), ("a.json", &over)],
            false,
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].1, "/audit/cleanup/channel_database_cleanup_days");
        let disabled = body(
            "ssh/options",
            json!({"audit": {"cleanup": {"channel_database_cleanup_days": 600, "enabled": false}}, "service": {"enabled": true}}),
            None,
        );
        assert!(
            run_repo(
                &RepoCleanupExceedsGlobal,
                &[("options.json", &disabled), ("a.json", &over)],
                false
            )
            .is_empty()
        );
        // Without the protocol's options in the repository, nothing is judged.
        assert!(run_repo(&RepoCleanupExceedsGlobal, &[("a.json", &over)], false).is_empty());
    }
}
