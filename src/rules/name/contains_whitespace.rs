//! NAME001 name-contains-whitespace: the name of a time policy, trusted CA list or local user
//! database contains whitespace, which the reference forbids.

use serde_json::Value;

use crate::endpoint::id;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// The name of a time policy, trusted CA list or local user database contains whitespace.
    ///
    /// ## What it checks
    ///
    /// The `name` of a time policy, a trusted CA list and a local user database must not contain
    /// whitespace: no spaces, tabs or line breaks, including at the start or end. Reported on the
    /// `name` value; the help suggests the name with whitespace replaced by `-` or `_`.
    ///
    /// ## Why it matters
    ///
    /// The reference states for each of these objects that the name "cannot contain whitespace". SPS
    /// refuses such a name, so the whole object is not created or changed. Other settings refer to
    /// these objects, and their names appear on the SPS web interface, so a name that works
    /// everywhere is worth fixing here.
    ///
    /// ## Notes
    ///
    /// The reference says so for time policies, trusted CA lists and local user databases only. It is
    /// silent for user lists, RDP channel policies and SSH authentication policies; whitespace there is
    /// a warning of NAME002 instead.
    ///
    /// Any Unicode whitespace counts, including non-breaking spaces pasted from documents.
    pub struct NameContainsWhitespace {
        code: "NAME001",
        name: "name-contains-whitespace",
        severity: Error,
        endpoints: &[
        id::POLICIES_TIME_POLICIES,
        id::POLICIES_TRUSTED_CA_LISTS,
        id::POLICIES_USER_DATABASES,
    ],
        fix: Never,
        bad: r#"{
  "Fri": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Mon": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Sat": [],
  "Sun": [],
  "Thu": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Tue": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Wed": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "name": "office hours"
}"#,
        good: r#"{
  "Fri": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Mon": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Sat": [],
  "Sun": [],
  "Thu": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Tue": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "Wed": [
    [
      "8:00",
      "18:00"
    ]
  ],
  "name": "office_hours"
}"#,
    }
}

/// What kind of object an endpoint holds, for messages.
pub(super) fn object_kind(path: &str) -> &'static str {
    match path.rsplit('/').next().unwrap_or_default() {
        "time_policies" => "time policy",
        "trusted_ca_lists" => "trusted CA list",
        "user_databases" => "local user database",
        "userlists" => "user list",
        "channel_policies" => "channel policy",
        "authentication_policies" => "authentication policy",
        _ => "object",
    }
}

fn describe(c: char) -> &'static str {
    match c {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' | '\r' => "a line break",
        '\u{a0}' | '\u{202f}' => "a non-breaking space",
        _ => "a whitespace character",
    }
}

/// Where the first whitespace is and what it is: "starts with a space", "contains a tab".
fn whereabouts(name: &str) -> String {
    if name.trim().is_empty() {
        return "is only whitespace".into();
    }
    let first = name.chars().next().filter(|c| c.is_whitespace());
    let last = name.chars().last().filter(|c| c.is_whitespace());
    let inner = name.trim().chars().find(|c| c.is_whitespace());
    match (inner, first, last) {
        (Some(c), ..) => format!("contains {}", describe(c)),
        (None, Some(c), _) => format!("starts with {}", describe(c)),
        (None, None, Some(c)) => format!("ends with {}", describe(c)),
        (None, None, None) => "contains whitespace".into(),
    }
}

/// `name` with surrounding whitespace dropped and each inner run replaced by `sep`.
fn replaced(name: &str, sep: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(sep)
}

/// Report whitespace in the body's `name`, if any, with the reason given by `why`.
pub(super) fn check_name(cx: &mut RuleContext<'_>, why: &str) {
    let Some(Value::String(name)) = cx.body.get("name") else {
        return;
    };
    if !name.chars().any(char::is_whitespace) {
        return;
    }
    let kind = object_kind(cx.endpoint.path);
    let shown = serde_json::to_string(name).unwrap_or_default();
    let help = if name.trim().is_empty() {
        format!("write a name for the {kind} without any whitespace")
    } else if name.split_whitespace().count() == 1 {
        format!(
            "write {}",
            serde_json::to_string(name.trim()).unwrap_or_default()
        )
    } else {
        format!(
            "rename it, for example to {} or {}",
            serde_json::to_string(&replaced(name, "-")).unwrap_or_default(),
            serde_json::to_string(&replaced(name, "_")).unwrap_or_default()
        )
    };
    cx.report(
        "/name",
        format!(
            "the {kind} name {shown} {}: {why}; use letters, digits, '-' or '_' instead",
            whereabouts(name)
        ),
        help,
    );
}

impl Rule for NameContainsWhitespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let why = format!(
            "SPS does not accept whitespace in the name of a {}",
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
        for (ep, b) in [
            (META.endpoints[0], r#"{"name": "7x24"}"#),
            (META.endpoints[1], r#"{"name": "corporate-ca"}"#),
            (META.endpoints[2], r#"{"name": "local_users"}"#),
            (META.endpoints[0], r#"{"name": 5}"#),
            (META.endpoints[0], r#"{}"#),
            (META.endpoints[0], META.good),
        ] {
            assert!(run_rule(&NameContainsWhitespace, ep, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn whitespace_is_an_error_at_the_name_with_a_suggestion() {
        let d = run_rule(&NameContainsWhitespace, META.endpoints[0], META.bad);
        assert_eq!(pointers(&d), vec!["/name"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("time policy"), "{}", d[0].message);
        assert!(
            d[0].message.contains("contains a space"),
            "{}",
            d[0].message
        );
        let help = d[0].help.as_deref().unwrap();
        assert!(help.contains("\"office-hours\""), "{help}");
        assert!(help.contains("\"office_hours\""), "{help}");
    }

    #[test]
    fn every_documented_endpoint_and_kind_of_whitespace() {
        let cases = [
            (
                META.endpoints[1],
                "Corporate\tCA ",
                "contains a tab",
                "\"Corporate-CA\"",
            ),
            (
                META.endpoints[2],
                " users",
                "starts with a space",
                "write \"users\"",
            ),
            (
                META.endpoints[2],
                "users\n",
                "ends with a line break",
                "write \"users\"",
            ),
            (META.endpoints[0], "a\u{a0}b", "non-breaking", "\"a_b\""),
            (
                META.endpoints[0],
                "   ",
                "only whitespace",
                "without any whitespace",
            ),
        ];
        for (ep, name, message_part, help_part) in cases {
            let body = serde_json::json!({ "name": name }).to_string();
            let d = run_rule(&NameContainsWhitespace, ep, &body);
            assert_eq!(pointers(&d), vec!["/name"], "{name:?}");
            assert!(
                d[0].message.contains(message_part),
                "{name:?}: {}",
                d[0].message
            );
            let help = d[0].help.as_deref().unwrap();
            assert!(help.contains(help_part), "{name:?}: {help}");
        }
    }
}
