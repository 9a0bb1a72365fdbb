//! ADDR002 address-invalid-hostname: an address with selection "fqdn" does not hold a valid
//! host name.

use super::common::{self, Selection, quoted};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::net::{HostnameError, check_hostname, check_ip};

declare_rule! {
    /// A server address with selection "fqdn" is not a valid host name.
    ///
    /// ## What it checks
    ///
    /// Server addresses are written as `{"selection": ..., "value": ...}`: the SMTP server, the SNMP
    /// trap receiver, syslog receivers, RADIUS servers. With `selection` `"fqdn"`, `value` must be a
    /// host name: labels of letters, digits and hyphens separated by dots, such as
    /// `smtp.example.com`.
    ///
    /// Reported on `value`, with the reason and the fix:
    ///
    /// - an IP address: use `selection` `"ip"` instead;
    /// - a URL (`smtp://smtp.example.com`) or a port (`smtp.example.com:25`): write the host name alone;
    /// - spaces, underscores and other characters a host name cannot have (non-ASCII names must
    ///   be written in their `xn--` form);
    /// - empty labels (`smtp..example.com`), labels starting or ending with a hyphen, labels over
    ///   63 characters, names over 253 characters;
    /// - an all-digit last label (`10.0.0.256`), which is a mistyped IP address rather than a name.
    ///
    /// Any object with exactly the keys `selection` (`"ip"` or `"fqdn"`) and `value` is checked,
    /// wherever it is in the body.
    ///
    /// ## Why it matters
    ///
    /// SPS resolves this name through DNS to reach the mail server, trap receiver, syslog server or
    /// RADIUS server. A value that is not a host name can never resolve: SPS refuses it, or the
    /// alerts, logs or logins that depend on the server fail.
    ///
    /// ## Notes
    ///
    /// The reference asks for a "fully qualified domain name". spslint also accepts a name without
    /// dots (`mailhost`), which SPS's resolver may complete with its search domain, and a trailing
    /// dot (`smtp.example.com.`).
    ///
    /// Ports (`port`, from 1 to 65535) are checked by the schemas, not by this rule.
    pub struct AddressInvalidHostname {
        code: "ADDR002",
        name: "address-invalid-hostname",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": false
  },
  "smtp_encryption": {
    "selection": "disabled"
  },
  "smtp_server": {
    "selection": "fqdn",
    "value": "192.0.2.25"
  }
}"#,
        good: r#"{
  "admin_address": "admin@example.com",
  "alerting_address": "alerts@example.com",
  "reporting_address": "reports@example.com",
  "sender_address": null,
  "smtp_auth": {
    "enabled": false
  },
  "smtp_encryption": {
    "selection": "disabled"
  },
  "smtp_server": {
    "selection": "ip",
    "value": "192.0.2.25"
  }
}"#,
    }
}

/// `smtp://smtp.example.com:25/` -> `smtp.example.com`, when what is left is a host name.
fn host_of_url(value: &str) -> Option<&str> {
    let rest = value.split_once("://")?.1;
    let host = rest.split(['/', ':', '?', '#']).next()?;
    check_hostname(host).is_ok().then_some(host)
}

/// `smtp.example.com:25` -> `smtp.example.com`.
fn host_before_port(value: &str) -> Option<&str> {
    let (host, port) = value.rsplit_once(':')?;
    (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && check_hostname(host).is_ok())
        .then_some(host)
}

impl Rule for AddressInvalidHostname {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for address in common::addresses(cx.body) {
            if address.selection != Selection::Fqdn {
                continue;
            }
            let value = address.value;
            let Err(err) = check_hostname(value) else {
                continue;
            };
            let shown = quoted(value);
            let pointer = address.value_pointer();
            let expected = "with \"selection\" \"fqdn\", \"value\" must be a host name such as \"server.example.com\"";
            let (message, help) = match &err {
                HostnameError::IpAddress(kind) => (
                    format!(
                        "{shown} is an {kind} address, but \"selection\" is \"fqdn\", which needs a host name"
                    ),
                    "set \"selection\" to \"ip\", or write the server's host name".to_string(),
                ),
                HostnameError::NumericTld => {
                    let why = check_ip(value)
                        .err()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default();
                    (
                        format!(
                            "{shown} ends in an all-digit label, so it is not a host name; it looks like a mistyped IP address{why}"
                        ),
                        "correct the IP address and set \"selection\" to \"ip\", or write the server's host name".to_string(),
                    )
                }
                _ if host_of_url(value).is_some() => (
                    format!("{shown} is a URL, not a host name: {expected}"),
                    format!("write the host name alone, {}", quoted(host_of_url(value).unwrap_or_default())),
                ),
                _ if host_before_port(value).is_some() => (
                    format!("{shown} includes a port: {expected}"),
                    format!(
                        "write the host name alone, {}; the port is a setting of its own where the endpoint has one",
                        quoted(host_before_port(value).unwrap_or_default())
                    ),
                ),
                HostnameError::Empty => (
                    format!("the host name is empty: {expected}"),
                    "write the server's fully qualified domain name".to_string(),
                ),
                HostnameError::Whitespace { .. } if check_hostname(value.trim()).is_ok() => (
                    format!("{shown} has spaces around the host name: {expected}"),
                    format!("write {}", quoted(value.trim())),
                ),
                HostnameError::Underscore { .. } => (
                    format!("{shown} is not a valid host name ({err}): {expected}"),
                    "host names allow letters, digits, hyphens and dots only; use the server's DNS name, with '-' where it has '_'".to_string(),
                ),
                other => (
                    format!("{shown} is not a valid host name ({other}): {expected}"),
                    "write a host name made of dot-separated labels of letters, digits and hyphens, such as \"server.example.com\"".to_string(),
                ),
            };
            cx.report(&pointer, message, help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &str = "/api/configuration/management/email";

    fn server(selection: &str, value: &str) -> String {
        format!(r#"{{"smtp_server": {{"selection": "{selection}", "value": {value}}}}}"#)
    }

    #[test]
    fn host_names_pass() {
        for b in [
            server("fqdn", r#""smtp.example.com""#),
            server("fqdn", r#""smtp.example.com.""#),
            server("fqdn", r#""mailhost""#),
            server("fqdn", r#""xn--bcher-kva.example""#),
            // IP addresses with "ip" are ADDR001's; wrong types are the schema's.
            server("ip", r#""smtp.example.com""#),
            server("fqdn", "null"),
            META.good.to_string(),
        ] {
            assert!(run_rule(&AddressInvalidHostname, EP, &b).is_empty(), "{b}");
        }
    }

    #[test]
    fn an_ip_address_suggests_ip() {
        let d = run_rule(&AddressInvalidHostname, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/smtp_server/value"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("IPv4"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap().contains("\"ip\""));
        let d = run_rule(
            &AddressInvalidHostname,
            EP,
            &server("fqdn", r#""2001:db8::1""#),
        );
        assert!(d[0].message.contains("IPv6"), "{}", d[0].message);
    }

    #[test]
    fn malformed_names_explain_the_fix() {
        for (value, message_part, help_part) in [
            (
                r#""smtp://smtp.example.com:25/""#,
                "URL",
                "\"smtp.example.com\"",
            ),
            (r#""smtp.example.com:587""#, "port", "\"smtp.example.com\""),
            (r#"" smtp.example.com""#, "spaces", "\"smtp.example.com\""),
            (r#""mail_relay.example.com""#, "underscore", "'-'"),
            (r#""smtp..example.com""#, "empty label", "dot-separated"),
            (r#""10.0.0.256""#, "mistyped IP", "\"ip\""),
            (r#""""#, "empty", "fully qualified"),
            (r#""bücher.example""#, "punycode", "dot-separated"),
        ] {
            let d = run_rule(&AddressInvalidHostname, EP, &server("fqdn", value));
            assert_eq!(pointers(&d), vec!["/smtp_server/value"], "{value}");
            assert!(
                d[0].message.contains(message_part),
                "{value}: {}",
                d[0].message
            );
            let help = d[0].help.as_deref().unwrap();
            assert!(help.contains(help_part), "{value}: {help}");
        }
    }

    #[test]
    fn radius_servers_are_checked() {
        let d = run_rule(
            &AddressInvalidHostname,
            "/api/configuration/ssh/authentication_policies",
            r#"{"backend": {"selection": "radius", "servers": [
                {"address": {"selection": "fqdn", "value": "radius 1.example.com"}, "port": 1812}]}}"#,
        );
        assert_eq!(pointers(&d), vec!["/backend/servers/0/address/value"]);
    }
}
