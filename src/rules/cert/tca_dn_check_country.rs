//! TCA005 tca-dn-check-country: `dn_check.c` is not a two-letter country code.

use serde_json::Value;

use super::common;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// `dn_check.c` is not a two-letter country code.
    ///
    /// ## What it checks
    ///
    /// When not empty, `dn_check.c` must have the shape of an ISO 3166 alpha-2 country code: two
    /// letters, uppercase, such as `HU` or `US`. Lowercase codes are reported too.
    ///
    /// ## Why it matters
    ///
    /// SPS only accepts certificates whose country (C) field matches this value. The country field of
    /// a certificate is a two-letter code, so a country name (`Hungary`), a placeholder (`<country>`)
    /// or a lowercase code matches no certificate and every certificate is refused.
    ///
    /// ## Notes
    ///
    /// Only the shape is checked, not the list of assigned codes, which changes over time. Whether SPS
    /// compares case-insensitively is not documented; certificates carry uppercase codes, so a
    /// lowercase one is reported.
    pub struct TcaDnCheckCountry {
        code: "TCA005",
        name: "tca-dn-check-country",
        severity: Warning,
        endpoints: common::TCA_ENDPOINTS,
        fix: Never,
        bad: r#"{
  "authorities": [],
  "dn_check": {"altEmailAddress": "", "c": "Hungary", "cn": "", "emailAddress": "", "l": "", "o": "", "ou": "", "st": ""},
  "dns_lookup": true,
  "name": "corporate_ca",
  "strict_hostcheck": true
}"#,
        good: r#"{
  "authorities": [],
  "dn_check": {"altEmailAddress": "", "c": "HU", "cn": "", "emailAddress": "", "l": "", "o": "", "ou": "", "st": ""},
  "dns_lookup": true,
  "name": "corporate_ca",
  "strict_hostcheck": true
}"#,
    }
}

impl Rule for TcaDnCheckCountry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(c) = cx
            .body
            .get("dn_check")
            .and_then(|d| d.get("c"))
            .and_then(Value::as_str)
        else {
            return;
        };
        if c.is_empty() {
            return;
        }
        let is_letters = c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic());
        if is_letters && c.bytes().all(|b| b.is_ascii_uppercase()) {
            return;
        }
        let (message, help) = if is_letters {
            (
                format!("\"dn_check.c\" is \"{c}\"; country codes in certificates are uppercase"),
                format!("write \"{}\"", c.to_ascii_uppercase()),
            )
        } else if c.starts_with('<') && c.ends_with('>') {
            (
                format!("\"dn_check.c\" is the documentation's placeholder \"{c}\", not a country code"),
                "write the two-letter country code the certificates carry, such as \"HU\", or \"\" for no check".to_string(),
            )
        } else {
            (
                format!("\"dn_check.c\" is \"{c}\", which is not a two-letter country code"),
                "write the ISO 3166 two-letter code, such as \"HU\" or \"US\", or \"\" for no check".to_string(),
            )
        };
        cx.report("/dn_check/c", message, help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const TCA: &str = "/api/configuration/policies/trusted_ca_lists";

    fn run(c: &str) -> Vec<crate::diagnostic::Diagnostic> {
        run_rule(
            &TcaDnCheckCountry,
            TCA,
            &format!(r#"{{"dn_check": {{"c": {c}}}}}"#),
        )
    }

    #[test]
    fn codes_and_empty_pass() {
        for c in [r#""HU""#, r#""US""#, r#""""#, "null", "1"] {
            assert!(run(c).is_empty(), "{c}");
        }
    }

    #[test]
    fn other_values_warn() {
        for (c, says) in [
            (r#""hu""#, "uppercase"),
            (r#""Hungary""#, "not a two-letter"),
            (r#""<country>""#, "placeholder"),
            (r#""H1""#, "not a two-letter"),
            (r#""ÉU""#, "not a two-letter"),
            (r#""U""#, "not a two-letter"),
        ] {
            let d = run(c);
            assert_eq!(pointers(&d), vec!["/dn_check/c"], "{c}");
            assert_eq!(d[0].severity, Severity::Warning);
            assert!(d[0].message.contains(says), "{c}: {}", d[0].message);
        }
    }
}
