//! UDB002 udb-public-key-wrong-type: a user's public key is of a type SPS does not offer, or
//! of the other type than its `selection` says.

use super::common::{self, ENDPOINTS, describe_type, selection_for, wire_type};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A local user's public key is not of the type its `selection` names, or of a type SPS does not offer.
    ///
    /// ## What it checks
    ///
    /// For each public key of a local user database that parses (see UDB001), compares the key's
    /// type with `selection`. SPS offers two: `rsa` for an RSA key (`ssh-rsa`) and `dss` for a DSA key
    /// (`ssh-dss`).
    ///
    /// - A key of any other type (`ssh-ed25519`, `ecdsa-sha2-nistp256`, a FIDO security key, ...) is
    ///   reported on the value, naming its real type: no `selection` fits it, so the key itself has to
    ///   change.
    /// - An RSA key under `dss`, or a DSA key under `rsa`, is reported on `selection`, naming the
    ///   value that matches the key.
    ///
    /// ## Why it matters
    ///
    /// SPS stores the key under the algorithm `selection` names and refuses, at commit, a key that is
    /// not of that algorithm, so the whole transaction fails. Its selection has no value for Ed25519
    /// or ECDSA keys, so such a key cannot be used for a local user at all, however it is labelled.
    ///
    /// ## Notes
    ///
    /// The reference lists `rsa` and `dss` as the only values of `selection` ("The value element
    /// contains an RSA key" / "a DSS key"); the schema reports any other selection (SCHEMA004). A key
    /// of a type SPS does not offer is reported whatever its selection says, even an invalid one, since
    /// changing the selection alone cannot fix it.
    ///
    /// The reference's sample answer pairs `rsa` with a `<public-key>` placeholder, which UDB001
    /// reports; nothing in the documented examples is reported by this rule.
    ///
    /// The check is separate from UDB001 (the value cannot be read at all) because the fixes differ:
    /// here the key is sound but SPS cannot use it, so either the label changes or the user needs an
    /// RSA key. An RSA key under `rsa` may still be too short: that is UDB003.
    pub struct UdbPublicKeyWrongType {
        code: "UDB002",
        name: "udb-public-key-wrong-type",
        severity: Error,
        endpoints: ENDPOINTS,
        fix: Never,
        bad: r#"{
  "name": "gateway_users",
  "users": [
    {
      "certificates": [],
      "passwords": [],
      "public_keys": [
        {
          "selection": "rsa",
          "value": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHubJXaFmnsAxclydumnsASkg8jBTmOt0GBBWiBAiHze jsmith@example"
        }
      ],
      "username": "jsmith"
    }
  ]
}"#,
        good: r#"{
  "name": "gateway_users",
  "users": [
    {
      "certificates": [],
      "passwords": [],
      "public_keys": [
        {
          "selection": "rsa",
          "value": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCgS9oCfLeSBCxkREXrWYsQazlddbpV8mjal19QydYdykSIRCszDrJko5OKUiNo1b3Unfi6WnuaJUTSz56llk9ESZtQzPMOQfWSXmdx+timJ9ZylGjBK5jrfr35+ijp7tfoPPHPjmdC+R4HmpDkxfIM8S/Cu7JLa8/Mavz5vJppYZU+/GK4j6Vxp9oU0XjRCdf/eVdJbZHTRzKfkGoWiKUg2/XFdv8mBVoo+Qfr7Xx4sVtEyN/dAstNTe5fFYEw5iyCFk9Z9zK1lH6pZdcintuGmMYewTQT0IhlAuCa9/qY6zVYVTqNw8m4XmpvppFQfGYVC1Q88+4OXUwWah7gg+/3PRiSa0U/idzYbSoy0USTNB59bZJCExazfeEw84rBC6IdaCdsdvT37/i7bVax4TfWHIIDfqXAvuVNemVk3lYn7HayWmGWbEfHvrzA6jFXgPjdPvWTpPoz4XMAuctfa3Yf2+WpqdWMynBz9/VoyUpjpvqQB3ZeSFBfB1tJJ26Zp3M= jsmith@example"
        }
      ],
      "username": "jsmith"
    }
  ]
}"#,
    }
}

impl Rule for UdbPublicKeyWrongType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for entry in common::public_keys(cx.body) {
            let Ok(key) = common::inspect(entry.value) else {
                continue; // UDB001's.
            };
            let algorithm = key.algorithm();
            let key_type = algorithm.as_str();
            match selection_for(key_type) {
                None => cx.report(
                    &entry.pointer("value"),
                    format!(
                        "the public key is {}, but SPS offers only RSA (ssh-rsa, selection \"rsa\") and DSA (ssh-dss, selection \"dss\") keys for local users",
                        describe_type(key_type)
                    ),
                    "paste an RSA key of the user instead (one can be made with `ssh-keygen -t rsa -b 3072`), or let the user authenticate with a password or certificate",
                ),
                Some(fits) => {
                    let Some(selection) = entry.selection.filter(|s| wire_type(s).is_some())
                    else {
                        continue; // No selection, or one the schema rejects.
                    };
                    if selection != fits {
                        cx.report(
                            &entry.pointer("selection"),
                            format!(
                                "selection is \"{selection}\" ({}), but the key is {}",
                                wire_type(selection).unwrap_or_default(),
                                describe_type(key_type)
                            ),
                            format!("write \"{fits}\""),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};
    use crate::rules::udb::common::keys::*;

    const EP: &str = "/api/configuration/policies/user_databases";

    #[test]
    fn matching_keys_pass() {
        for (selection, key) in [("rsa", RSA_3072), ("rsa", RSA_1024), ("dss", DSA)] {
            assert!(
                run_rule(&UdbPublicKeyWrongType, EP, &body(selection, key)).is_empty(),
                "{selection} {key}"
            );
        }
        // Unreadable values are UDB001's; an unknown selection with an RSA key is the schema's.
        assert!(run_rule(&UdbPublicKeyWrongType, EP, &body("rsa", "garbage")).is_empty());
        assert!(run_rule(&UdbPublicKeyWrongType, EP, &body("ed25519", RSA_3072)).is_empty());
    }

    #[test]
    fn rsa_and_dsa_swapped_are_reported_at_the_selection() {
        let d = run_rule(&UdbPublicKeyWrongType, EP, &body("dss", RSA_3072));
        assert_eq!(pointers(&d), vec!["/users/0/public_keys/0/selection"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(
            d[0].message,
            "selection is \"dss\" (ssh-dss), but the key is an RSA key (ssh-rsa)"
        );
        assert_eq!(d[0].help.as_deref(), Some("write \"rsa\""));
        let d = run_rule(&UdbPublicKeyWrongType, EP, &body("rsa", DSA));
        assert_eq!(pointers(&d), vec!["/users/0/public_keys/0/selection"]);
        assert_eq!(d[0].help.as_deref(), Some("write \"dss\""));
    }

    #[test]
    fn other_types_are_reported_at_the_value_under_any_selection() {
        for (key, named) in [
            (ED25519, "an Ed25519 key (ssh-ed25519)"),
            (ECDSA_P256, "an ECDSA key (ecdsa-sha2-nistp256)"),
        ] {
            for selection in ["rsa", "dss", "ed25519"] {
                let d = run_rule(&UdbPublicKeyWrongType, EP, &body(selection, key));
                assert_eq!(pointers(&d), vec!["/users/0/public_keys/0/value"]);
                assert!(d[0].message.contains(named), "{}", d[0].message);
                assert!(
                    d[0].message.contains("SPS offers only RSA"),
                    "{}",
                    d[0].message
                );
            }
        }
    }
}
