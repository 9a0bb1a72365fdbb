//! Shared by the address rules (ADDR001, ADDR002): every `{"selection": "ip" | "fqdn",
//! "value": "..."}` object of a body, wherever it is. Not a rule itself.

use serde_json::Value;

use crate::endpoint::{Endpoint, id};
use crate::rules::walk;

/// The endpoints whose bodies hold server addresses: the mail server, the SNMP trap receiver,
/// the syslog receivers and the RADIUS servers of SSH authentication policies. An endpoint
/// added here is covered wherever its addresses are, since they are found by shape.
pub static ENDPOINTS: &[&Endpoint] = &[
    id::MANAGEMENT_EMAIL,
    id::MANAGEMENT_SNMP_TRAP,
    id::MANAGEMENT_SYSLOG,
    id::SSH_AUTHENTICATION_POLICIES,
];

/// How an address is written (`selection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Ip,
    Fqdn,
}

/// One address found in a body.
pub struct Address<'v> {
    /// Pointer of the address object, relative to the body.
    pub pointer: String,
    pub selection: Selection,
    pub value: &'v str,
}

impl Address<'_> {
    /// Pointer of the `value` string.
    pub fn value_pointer(&self) -> String {
        format!("{}/value", self.pointer)
    }
}

/// Every object with exactly the string keys `selection` and `value`, where `selection` is
/// `"ip"` or `"fqdn"`, in document order.
pub fn addresses(body: &Value) -> Vec<Address<'_>> {
    let mut found = Vec::new();
    walk(body, "", &mut |pointer, v| {
        let Some(m) = v.as_object() else {
            return;
        };
        if m.len() != 2 {
            return;
        }
        let (Some(Value::String(selection)), Some(Value::String(value))) =
            (m.get("selection"), m.get("value"))
        else {
            return;
        };
        let selection = match selection.as_str() {
            "ip" => Selection::Ip,
            "fqdn" => Selection::Fqdn,
            _ => return,
        };
        found.push(Address {
            pointer: pointer.to_string(),
            selection,
            value,
        });
    });
    found
}

/// A string as JSON writes it, for quoting a value in a message.
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::{self, testing};

    fn address_rules() -> Vec<&'static dyn rules::Rule> {
        rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().code.starts_with("ADDR"))
            .collect()
    }

    #[test]
    fn addresses_are_found_by_shape_only() {
        let body: Value = serde_json::from_str(
            r#"{"smtp_server": {"selection": "ip", "value": "192.0.2.1"},
                "version": {"selection": "3", "value": {"server": {"selection": "fqdn", "value": "a.example"}}},
                "receivers": [{"address": {"selection": "ip", "value": "::1"}}],
                "key": {"selection": "rsa", "value": "AAAA"},
                "extra": {"selection": "ip", "value": "10.0.0.1", "port": 1},
                "number": {"selection": "ip", "value": 10}}"#,
        )
        .unwrap();
        let found: Vec<(String, Selection)> = addresses(&body)
            .into_iter()
            .map(|a| (a.pointer, a.selection))
            .collect();
        let mut pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            vec![
                "/receivers/0/address",
                "/smtp_server",
                "/version/value/server"
            ]
        );
    }

    #[test]
    fn two_address_rules_are_registered() {
        let codes: Vec<&str> = address_rules().iter().map(|r| r.meta().code).collect();
        assert_eq!(codes, vec!["ADDR001", "ADDR002"]);
    }

    #[test]
    fn valid_fixtures_give_no_address_error() {
        for endpoint in ENDPOINTS {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/valid")
                .join(endpoint.path.trim_start_matches('/'));
            let mut files = Vec::new();
            for entry in
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            {
                let p = entry.unwrap().path();
                if p.extension().is_some_and(|x| x == "json") {
                    files.push(p);
                }
            }
            assert!(!files.is_empty(), "{}", dir.display());
            for p in files {
                let text = std::fs::read_to_string(&p).unwrap();
                for r in address_rules() {
                    for d in testing::run_rule(r, endpoint, &text) {
                        assert_eq!(d.severity, Severity::Warning, "{}: {d:?}", p.display());
                    }
                }
            }
        }
    }

    #[test]
    fn no_rule_panics_on_odd_shapes() {
        for body in [
            "{}",
            "[]",
            "null",
            r#"{"a": {"selection": "ip", "value": ""}}"#,
            r#"{"a": [{"selection": "fqdn", "value": "é€𝄞:/[]%"}]}"#,
            r#"{"a": {"selection": "fqdn", "value": "."}}"#,
            r#"{"a": {"selection": null, "value": null}}"#,
        ] {
            for r in address_rules() {
                for e in ENDPOINTS {
                    let _ = testing::run_rule(r, e, body);
                }
            }
        }
    }
}
