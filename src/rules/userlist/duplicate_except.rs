//! ULIST001 userlist-duplicate-except: a user list names the same user twice in `except`.

use std::collections::HashMap;

/// foldhash: this runs on every body of its endpoint, and std's SipHash showed in profiles.
type Firsts<'a> = HashMap<&'a str, usize, foldhash::fast::RandomState>;
use std::collections::hash_map::Entry;

use serde_json::Value;

use crate::endpoint::id;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A user list names the same user more than once in `except`.
    ///
    /// ## What it checks
    ///
    /// Reports each entry of a user list's `except` that repeats an earlier entry. The finding is on
    /// the repeated entry and names the pointer of the first one. Entries are compared exactly, as
    /// written: user names are case sensitive, so `root` and `Root` are two entries.
    ///
    /// ## Why it matters
    ///
    /// A name listed twice is denied (or allowed) once: the repeat changes nothing. It is almost
    /// always a mistake that hides another one: a name pasted twice where a second, different user was
    /// meant to be listed, who is now let in by a blacklist or kept out by a whitelist.
    ///
    /// ## Notes
    ///
    /// The reference does not say whether SPS refuses or merges a repeated name, and a repeat cannot
    /// change who is allowed, so this is a warning. Names are not trimmed or folded to one case before
    /// comparing: `root` and `Root`, or `root` and `" root"`, are not reported as repeats, since
    /// whether SPS matches them alike is not documented.
    ///
    /// User lists have their own family, `ULIST`, named after the endpoint as `TCA` is for trusted CA
    /// lists and `UDB` for local user databases.
    pub struct UserlistDuplicateExcept {
        code: "ULIST001",
        name: "userlist-duplicate-except",
        severity: Warning,
        endpoints: &[id::POLICIES_USERLISTS],
        fix: Never,
        bad: r#"{
  "allow": "no_user",
  "except": [
    "permitted_user1",
    "permitted_user1"
  ],
  "name": "my_list"
}"#,
        good: r#"{
  "allow": "no_user",
  "except": [
    "permitted_user1",
    "permitted_user2"
  ],
  "name": "my_list"
}"#,
    }
}

impl Rule for UserlistDuplicateExcept {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(Value::Array(except)) = cx.body.get("except") else {
            return;
        };
        let mut first = Firsts::with_capacity_and_hasher(except.len(), Default::default());
        for (i, entry) in except.iter().enumerate() {
            let Value::String(name) = entry else {
                continue;
            };
            match first.entry(name.as_str()) {
                Entry::Vacant(v) => {
                    v.insert(i);
                }
                Entry::Occupied(o) => cx.report(
                    &format!("/except/{i}"),
                    format!(
                        "{} is already listed at /except/{}; a name listed twice counts once",
                        serde_json::to_string(name).unwrap_or_default(),
                        o.get()
                    ),
                    "remove this entry, or correct it to the user who was meant",
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/policies/userlists";

    fn list(except: Value) -> String {
        serde_json::json!({"allow": "all_users", "except": except, "name": "l"}).to_string()
    }

    #[test]
    fn distinct_entries_pass() {
        for b in [
            list(serde_json::json!(["root", "Root", " root", "admin"])),
            list(serde_json::json!([])),
            list(serde_json::json!([1, 1, null, null])),
            list(serde_json::json!("root")),
            r#"{"allow": "no_user"}"#.to_string(),
        ] {
            assert!(run_rule(&UserlistDuplicateExcept, EP, &b).is_empty(), "{b}");
        }
    }

    #[test]
    fn each_repeat_is_a_warning_at_the_entry_naming_the_first() {
        let b = list(serde_json::json!([
            "root", "admin", "root", 7, "admin", "root"
        ]));
        let d = run_rule(&UserlistDuplicateExcept, EP, &b);
        assert_eq!(pointers(&d), vec!["/except/2", "/except/4", "/except/5"]);
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(
            d[0].message,
            "\"root\" is already listed at /except/0; a name listed twice counts once"
        );
        assert!(d[1].message.contains("/except/1"), "{}", d[1].message);
        assert!(d[2].message.contains("/except/0"), "{}", d[2].message);
    }
}
