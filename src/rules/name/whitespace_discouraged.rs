//! NAME002 name-whitespace-discouraged: the name of a user list, RDP channel policy or SSH
//! authentication policy contains whitespace, which the reference neither allows nor forbids.

use super::contains_whitespace::{check_name, object_kind};
use crate::endpoint::id;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// The name of a user list, RDP channel policy or SSH authentication policy contains whitespace.
    ///
    /// ## What it checks
    ///
    /// Reports whitespace (spaces, tabs, line breaks, including at the start or end) in the `name` of a
    /// user list, an RDP channel policy or an SSH authentication policy, on the `name` value. The help
    /// suggests the name with whitespace replaced by `-` or `_`.
    ///
    /// ## Why it matters
    ///
    /// SPS forbids whitespace in the names of time policies, trusted CA lists and local user databases
    /// (see NAME001), and its own default objects use names such as `root_only`. Whether it accepts
    /// whitespace in these names too is not documented, so a name with whitespace may be refused, or
    /// be hard to match where the object is chosen by name. A name without whitespace is safe
    /// everywhere.
    ///
    /// ## Notes
    ///
    /// The reference says nothing about whitespace in these names, so this is a warning, not an error:
    /// it flags a risk, not a known refusal. If SPS turns out to refuse such names, these endpoints
    /// belong to NAME001. Leading and trailing whitespace is reported too: it is invisible on the web
    /// interface and almost always pasted by accident.
    pub struct NameWhitespaceDiscouraged {
        code: "NAME002",
        name: "name-whitespace-discouraged",
        severity: Warning,
        endpoints: &[
        id::POLICIES_USERLISTS,
        id::RDP_CHANNEL_POLICIES,
        id::SSH_AUTHENTICATION_POLICIES,
    ],
        fix: Never,
        bad: r#"{
  "allow": "no_user",
  "except": [
    "root"
  ],
  "name": "root only"
}"#,
        good: r#"{
  "allow": "no_user",
  "except": [
    "root"
  ],
  "name": "root_only"
}"#,
    }
}

impl Rule for NameWhitespaceDiscouraged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let why = format!(
            "the SPS documentation does not say whether the name of a {} may contain whitespace, and forbids it for similar objects",
            object_kind(cx.endpoint.path)
        );
        check_name(cx, &why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    #[test]
    fn names_without_whitespace_pass() {
        for ep in META.endpoints {
            for b in [
                r#"{"name": "admins_with_clipboard"}"#,
                r#"{"name": null}"#,
                META.good,
            ] {
                assert!(
                    run_rule(&NameWhitespaceDiscouraged, ep, b).is_empty(),
                    "{} {b}",
                    ep.path
                );
            }
        }
    }

    #[test]
    fn whitespace_is_a_warning_at_the_name() {
        let d = run_rule(&NameWhitespaceDiscouraged, META.endpoints[0], META.bad);
        assert_eq!(pointers(&d), vec!["/name"]);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("user list"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap().contains("\"root-only\""));
        for (ep, kind) in [
            (META.endpoints[1], "channel policy"),
            (META.endpoints[2], "authentication policy"),
        ] {
            let d = run_rule(
                &NameWhitespaceDiscouraged,
                ep,
                r#"{"name": "RADIUS gateway"}"#,
            );
            assert_eq!(pointers(&d), vec!["/name"]);
            assert!(d[0].message.contains(kind), "{}", d[0].message);
        }
    }
}
