//! UDB003 udb-weak-rsa-key: a local user's RSA public key is shorter than 2048 bits.

use super::common::{self, ENDPOINTS};
use crate::rules::{Rule, RuleContext, RuleMeta};

/// The smallest RSA modulus not reported, in bits.
const MIN_BITS: usize = 2048;

declare_rule! {
    /// A local user's RSA public key is shorter than 2048 bits.
    ///
    /// ## What it checks
    ///
    /// For each RSA public key (`ssh-rsa`) of a local user database that parses (see UDB001), warns
    /// when its modulus is shorter than 2048 bits, naming the size. Reported on the value, whatever
    /// `selection` says (a mismatch is UDB002's).
    ///
    /// ## Why it matters
    ///
    /// The key is what lets the user in through SPS, and a short RSA key can be factored with far less
    /// effort than a 2048-bit one: 512-bit keys have been broken publicly for years and 1024-bit keys
    /// are within reach of a well-funded attacker. NIST has disallowed RSA keys shorter than 2048 bits
    /// for digital signatures since 2014 (SP 800-131A), and current OpenSSH generates 3072-bit keys by
    /// default. SPS accepts the key, so the configuration works; it is only weaker than it looks.
    ///
    /// ## Notes
    ///
    /// The SPS documentation sets no minimum key size; the 2048-bit threshold is NIST's, not SPS's, so
    /// this is a warning. DSA keys (`dss`) are not reported here: OpenSSH only makes 1024-bit DSA
    /// keys, and SPS offers `dss` as a selection, so a size warning on every DSA key would only
    /// restate that choice.
    pub struct UdbWeakRsaKey {
        code: "UDB003",
        name: "udb-weak-rsa-key",
        severity: Warning,
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
          "value": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDhdH1+s1Ab/brNnRhiP8W8vpm18AX5xnjNiwyH22Ddpi6wCA8x39wkMzRB4iqNdNXJPRJqJ8N3w+wSn3PEMzpxAGa3dlbtllYtxQpZPgGASRegvVX1FV1hcooI3QMq3omHwn4gNfDrgHFUHHKAwuokktYbfxlkA4EbCnPuSfGaBw== jsmith@example"
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

impl Rule for UdbWeakRsaKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for entry in common::public_keys(cx.body) {
            let Ok(key) = common::inspect(entry.value) else {
                continue; // UDB001's.
            };
            let Some(bits) = common::rsa_bits(&key) else {
                continue;
            };
            if bits < MIN_BITS {
                cx.report(
                    &entry.pointer("value"),
                    format!(
                        "the RSA public key is only {bits} bits long; RSA keys shorter than {MIN_BITS} bits are weak"
                    ),
                    "have the user make a new key of 3072 bits or more (`ssh-keygen -t rsa -b 3072`) and replace this one",
                );
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
    fn keys_of_2048_bits_or_more_and_other_types_pass() {
        // The 2048-bit key of the documentation's fixture: exactly at the threshold.
        let fixture = include_str!(
            "../../../fixtures/valid/api/configuration/policies/user_databases/8235074425707e306abf39.json"
        );
        assert!(run_rule(&UdbWeakRsaKey, EP, fixture).is_empty());
        for key in [RSA_3072, DSA, ED25519, ECDSA_P256, "not a key"] {
            assert!(
                run_rule(&UdbWeakRsaKey, EP, &body("rsa", key)).is_empty(),
                "{key}"
            );
        }
    }

    #[test]
    fn a_1024_bit_key_is_a_warning_naming_its_size() {
        for selection in ["rsa", "dss"] {
            let d = run_rule(&UdbWeakRsaKey, EP, &body(selection, RSA_1024));
            assert_eq!(pointers(&d), vec!["/users/0/public_keys/0/value"]);
            assert_eq!(d[0].severity, Severity::Warning);
            assert!(d[0].message.contains("only 1024 bits"), "{}", d[0].message);
        }
    }
}
