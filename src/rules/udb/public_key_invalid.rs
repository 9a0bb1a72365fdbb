//! UDB001 udb-public-key-invalid: a user's public key value is not an OpenSSH public key.

use super::common::{self, ENDPOINTS};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A public key of a local user is not an OpenSSH public key.
    ///
    /// ## What it checks
    ///
    /// Checks `users[].public_keys[].value` of a local user database. The value must be one public
    /// key in the OpenSSH format, the line of a `.pub` file: `<type> <base64> [comment]`, where the
    /// base64 decodes to the key in the SSH wire format and the type written first is the type inside
    /// it. The key is parsed with the RustCrypto `ssh-key` crate.
    ///
    /// The finding is on the value and says what is there instead: nothing, a private key, a PEM
    /// public key or a key in the SSH2 (RFC 4716) file format (with the `ssh-keygen` command that
    /// converts it), an X.509 certificate, an OpenSSH certificate, another PEM block, several lines,
    /// `authorized_keys` options before the type, base64 without the type, a type without base64,
    /// base64 that is truncated or has characters base64 does not use, key data that ends early or
    /// does not match the type written, or nothing recognisable. The value itself is never quoted:
    /// when it is a private key, its content appears in no message.
    ///
    /// ## Why it matters
    ///
    /// SPS checks the key when the configuration is committed and refuses the transaction, so none of
    /// the changes in it are applied. A private key pasted here is worse than a typo: it is now in the
    /// repository and in every copy of it, and must be considered compromised.
    ///
    /// ## Notes
    ///
    /// The reference's sample answer for a user database shows `"value": "<public-key>"`, a
    /// placeholder; this rule reports it, as SPS would. The reference does not define the value's
    /// format beyond "the public key": spslint expects the OpenSSH one-line format, the form SSH tools
    /// write and the one an RSA or DSS key is usually pasted in. Spaces or a line break at either end
    /// are not reported.
    ///
    /// This rule only says whether the value is a readable key. Which key types SPS accepts, and
    /// whether the type matches `selection`, is UDB002; the size of an RSA key is UDB003.
    ///
    /// The user database rules have their own family, `UDB`, named after the endpoint as `TCA` is for
    /// trusted CA lists, so `--select UDB` or `--ignore UDB` covers them together.
    pub struct UdbPublicKeyInvalid {
        code: "UDB001",
        name: "udb-public-key-invalid",
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
          "value": "<public-key>"
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

impl Rule for UdbPublicKeyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for entry in common::public_keys(cx.body) {
            if let Err(problem) = common::inspect(entry.value) {
                let (what, help) = problem.describe();
                let d = cx
                    .diag(
                        &entry.pointer("value"),
                        format!("the public key value {what}"),
                    )
                    .with_help(help);
                cx.emit(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};
    use crate::rules::udb::common::Problem;
    use crate::rules::udb::common::keys::*;

    const EP: &str = "/api/configuration/policies/user_databases";

    fn one(value: &str) -> crate::diagnostic::Diagnostic {
        let d = run_rule(&UdbPublicKeyInvalid, EP, &body("rsa", value));
        assert_eq!(
            pointers(&d),
            vec!["/users/0/public_keys/0/value"],
            "{value}"
        );
        d.into_iter().next().unwrap()
    }

    #[test]
    fn public_keys_of_every_type_pass() {
        // Type and size are other rules' business: any well-formed key passes here.
        for k in [RSA_1024, RSA_3072, DSA, ED25519, ECDSA_P256] {
            assert!(
                run_rule(&UdbPublicKeyInvalid, EP, &body("dss", k)).is_empty(),
                "{k}"
            );
        }
        // Bodies of other shapes are the schema's.
        for b in [
            r#"{"users": "x"}"#,
            r#"{"users": [{"public_keys": [{"value": 3}]}]}"#,
            r#"{"users": [{"public_keys": {"value": "x"}}]}"#,
            r#"{}"#,
        ] {
            assert!(run_rule(&UdbPublicKeyInvalid, EP, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn garbage_is_an_error_that_says_what_was_found() {
        for (value, says) in [
            ("", "is empty"),
            ("<public-key>", "is not an OpenSSH public key"),
            (RSA_3072_PKCS8, "PEM public key"),
            (RSA_3072_SSH2, "SSH2 file format"),
            (ED25519_CERT, "OpenSSH certificate"),
            (
                include_str!("../../../fixtures/certs/ca-valid-2099.pem"),
                "X.509 certificate",
            ),
            ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB", "truncated"),
            ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQA", "truncated"),
            ("ssh-rsa AAAA!!!!", "not base64"),
        ] {
            let d = one(value);
            assert_eq!(d.severity, Severity::Error);
            assert!(d.message.contains(says), "{value}: {}", d.message);
            assert!(d.help.is_some());
        }
        let d = one(&format!(
            "ssh-rsa {}",
            ED25519.split_whitespace().nth(1).unwrap()
        ));
        assert!(
            d.message
                .contains("says ssh-rsa, but its key data holds an Ed25519 key (ssh-ed25519)"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_private_key_is_named_and_never_printed() {
        for key in [PRIVATE_ED25519, PRIVATE_PKCS8] {
            let d = one(key);
            assert!(d.message.contains("holds a private key"), "{}", d.message);
            let help = d.help.as_deref().unwrap();
            assert!(help.contains("compromised"), "{help}");
            for line in key.lines().filter(|l| !l.starts_with("-----")) {
                assert!(!d.message.contains(line) && !help.contains(line));
            }
        }
        assert_eq!(
            common::inspect(PRIVATE_ED25519).unwrap_err(),
            Problem::PrivateKey
        );
    }

    #[test]
    fn every_entry_of_every_user_is_checked() {
        let body = serde_json::json!({
            "users": [
                {"public_keys": [{"selection": "rsa", "value": RSA_3072}]},
                {"public_keys": [
                    {"selection": "rsa", "value": RSA_3072},
                    {"selection": "dss", "value": "AAAA"}
                ]}
            ]
        })
        .to_string();
        let d = run_rule(&UdbPublicKeyInvalid, EP, &body);
        assert_eq!(pointers(&d), vec!["/users/1/public_keys/1/value"]);
    }
}
