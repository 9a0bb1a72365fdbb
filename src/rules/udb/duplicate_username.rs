//! UDB004 udb-duplicate-username: two users of one local user database have the same name.

use std::collections::HashMap;

/// foldhash: this runs on every body of its endpoint, and std's SipHash showed in profiles.
type Firsts<'a> = HashMap<&'a str, usize, foldhash::fast::RandomState>;
use std::collections::hash_map::Entry;

use serde_json::Value;

use super::common::{self, ENDPOINTS};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// Two users of one local user database have the same username.
    ///
    /// ## What it checks
    ///
    /// Within one local user database, reports each `users[].username` that an earlier user of the
    /// same database already has. The finding is on the later username and names the pointer of the
    /// first. Names are compared exactly, as written: `alice` and `Alice` are different names.
    ///
    /// ## Why it matters
    ///
    /// A login name picks one user's credentials. With two entries of the same name, which passwords,
    /// keys and certificates apply is down to how SPS merges or chooses them, not to what the file
    /// says: an administrator who removes a key from one entry may leave it working through the
    /// other. It is almost always a copy and paste that was meant to be edited, or two entries that
    /// should be one.
    ///
    /// ## Notes
    ///
    /// The reference does not say whether SPS refuses a database with a repeated username or which
    /// entry wins, so this is a warning rather than an error. Usernames are not trimmed or folded to
    /// one case before comparing: whether SPS treats `jsmith` and `JSmith` as one login is not
    /// documented either. Each repeat is reported once, naming the first occurrence.
    pub struct UdbDuplicateUsername {
        code: "UDB004",
        name: "udb-duplicate-username",
        severity: Warning,
        endpoints: ENDPOINTS,
        fix: Never,
        bad: r#"{
  "name": "gateway_users",
  "users": [
    {
      "certificates": [],
      "passwords": [
        "ad55822d-fa28-45aa-bca4-220074f770e1"
      ],
      "public_keys": [],
      "username": "jsmith"
    },
    {
      "certificates": [],
      "passwords": [
        "0c8f3a52-6e1d-4b7a-9f20-d41e7c5b8a93"
      ],
      "public_keys": [],
      "username": "jsmith"
    }
  ]
}"#,
        good: r#"{
  "name": "gateway_users",
  "users": [
    {
      "certificates": [],
      "passwords": [
        "ad55822d-fa28-45aa-bca4-220074f770e1",
        "0c8f3a52-6e1d-4b7a-9f20-d41e7c5b8a93"
      ],
      "public_keys": [],
      "username": "jsmith"
    }
  ]
}"#,
    }
}

impl Rule for UdbDuplicateUsername {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let users = cx
            .body
            .get("users")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let mut first = Firsts::with_capacity_and_hasher(users, Default::default());
        for (i, user) in common::users(cx.body) {
            let Some(Value::String(name)) = user.get("username") else {
                continue;
            };
            match first.entry(name.as_str()) {
                Entry::Vacant(v) => {
                    v.insert(i);
                }
                Entry::Occupied(o) => cx.report(
                    &format!("/users/{i}/username"),
                    format!(
                        "the username {} is already used by the user at /users/{j}/username of this database",
                        serde_json::to_string(name).unwrap_or_default(),
                        j = o.get()
                    ),
                    "merge the two entries into one (their passwords, keys and certificates together), or correct the name that was meant to differ",
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

    const EP: &str = "/api/configuration/policies/user_databases";

    fn users(names: &[Value]) -> String {
        let users: Vec<Value> = names
            .iter()
            .map(|n| serde_json::json!({"username": n}))
            .collect();
        serde_json::json!({ "name": "db", "users": users }).to_string()
    }

    #[test]
    fn distinct_names_pass() {
        for b in [
            users(&[
                "alice".into(),
                "bob".into(),
                "Alice".into(),
                "alice ".into(),
            ]),
            users(&[]),
            users(&[Value::Null, Value::Null, 3.into(), 3.into()]),
            r#"{"users": {"a": {"username": "x"}}}"#.to_string(),
        ] {
            assert!(run_rule(&UdbDuplicateUsername, EP, &b).is_empty(), "{b}");
        }
    }

    #[test]
    fn every_repeat_names_the_first() {
        let b = users(&[
            "alice".into(),
            "bob".into(),
            "alice".into(),
            "bob".into(),
            "alice".into(),
        ]);
        let d = run_rule(&UdbDuplicateUsername, EP, &b);
        assert_eq!(
            pointers(&d),
            vec![
                "/users/2/username",
                "/users/3/username",
                "/users/4/username"
            ]
        );
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(
            d[0].message,
            "the username \"alice\" is already used by the user at /users/0/username of this database"
        );
        assert!(
            d[1].message.contains("/users/1/username"),
            "{}",
            d[1].message
        );
        assert!(
            d[2].message.contains("/users/0/username"),
            "{}",
            d[2].message
        );
    }
}
