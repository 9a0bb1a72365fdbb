//! ADDR001 address-invalid-ip: an address with selection "ip" does not hold an IP address.

use super::common::{self, Selection, quoted};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::values::net::{IpError, check_hostname, check_ip};

declare_rule! {
    /// A server address with selection "ip" is not an IPv4 or IPv6 address.
    ///
    /// ## What it checks
    ///
    /// Server addresses are written as `{"selection": ..., "value": ...}`: the SMTP server, the SNMP
    /// trap receiver, syslog receivers, RADIUS servers. With `selection` `"ip"`, `value` must be one
    /// IPv4 address (`192.0.2.25`) or IPv6 address (`2001:db8::25`), with nothing around it.
    ///
    /// Reported on `value`, with the reason and the fix:
    ///
    /// - a host name (`smtp.example.com`): use `selection` `"fqdn"` instead;
    /// - a network prefix (`/24`) or a port (`:25`) after the address;
    /// - IPv6 brackets (`[2001:db8::25]`) or a zone (`%eth0`);
    /// - IPv4 parts with leading zeros (`010.0.0.1`), above 255, or not four of them;
    /// - surrounding spaces, an empty value.
    ///
    /// Any object with exactly the keys `selection` (`"ip"` or `"fqdn"`) and `value` is checked,
    /// wherever it is in the body.
    ///
    /// ## Why it matters
    ///
    /// SPS connects to this address to deliver mail, traps, log messages or RADIUS requests. A value
    /// it cannot read as an IP address is refused, or leaves SPS unable to reach the server, and the
    /// alerts, logs or logins that depend on it fail.
    ///
    /// ## Notes
    ///
    /// The reference says only "IP address" for these values; spslint accepts both IPv4 and IPv6.
    /// IPv4 parts with leading zeros are rejected because tools disagree on whether `010` means 10 or
    /// 8.
    ///
    /// Ports (`port`, from 1 to 65535) are checked by the schemas, not by this rule.
    pub struct AddressInvalidIp {
        code: "ADDR001",
        name: "address-invalid-ip",
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
    "selection": "ip",
    "value": "smtp.example.com"
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
    "selection": "fqdn",
    "value": "smtp.example.com"
  }
}"#,
    }
}

/// How to fix each kind of malformed IP address.
fn help(err: &IpError, value: &str) -> String {
    match err {
        IpError::Empty => "write the server's IPv4 or IPv6 address".into(),
        IpError::SurroundingWhitespace => format!("write {}", quoted(value.trim())),
        IpError::LeadingZero { .. } => "write each IPv4 part without leading zeros".into(),
        IpError::CidrSuffix { prefix } => {
            format!("write the address of the server itself, without \"/{prefix}\"")
        }
        IpError::PortSuffix { .. } => match value.rsplit_once(':') {
            Some((addr, _)) => format!(
                "write the address alone, {}; the port is a setting of its own where the endpoint has one",
                quoted(addr)
            ),
            None => "write the address alone, without the port".into(),
        },
        IpError::Brackets => format!(
            "write the address without brackets, such as {}",
            quoted(
                value
                    .trim_start_matches('[')
                    .split(']')
                    .next()
                    .unwrap_or_default()
            )
        ),
        IpError::ZoneId => "write the address without the %zone suffix".into(),
        _ => "write an IPv4 address such as \"192.0.2.25\" or an IPv6 address such as \"2001:db8::25\"".into(),
    }
}

impl Rule for AddressInvalidIp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for address in common::addresses(cx.body) {
            if address.selection != Selection::Ip {
                continue;
            }
            let value = address.value;
            let Err(err) = check_ip(value) else {
                continue;
            };
            let shown = quoted(value);
            let pointer = address.value_pointer();
            if !value.is_empty() && check_hostname(value).is_ok() {
                cx.report(
                    &pointer,
                    format!(
                        "{shown} is a host name, but \"selection\" is \"ip\", which needs an IPv4 or IPv6 address"
                    ),
                    "set \"selection\" to \"fqdn\", or write the server's IP address",
                );
                continue;
            }
            let reason = match err {
                IpError::Invalid => String::new(),
                ref e => format!(" ({e})"),
            };
            let message = format!(
                "{shown} is not an IP address{reason}: with \"selection\" \"ip\", \"value\" must be one IPv4 or IPv6 address"
            );
            cx.report(&pointer, message, help(&err, value));
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
    fn ip_addresses_pass() {
        for b in [
            server("ip", r#""192.0.2.25""#),
            server("ip", r#""2001:db8::25""#),
            server("ip", r#""::ffff:192.0.2.25""#),
            // Host names with "fqdn" are ADDR002's; wrong types are the schema's.
            server("fqdn", r#""10.0.0.1""#),
            server("ip", "25"),
            META.good.to_string(),
        ] {
            assert!(run_rule(&AddressInvalidIp, EP, &b).is_empty(), "{b}");
        }
    }

    #[test]
    fn a_host_name_suggests_fqdn() {
        let d = run_rule(&AddressInvalidIp, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/smtp_server/value"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].help.as_deref().unwrap().contains("\"fqdn\""));
    }

    #[test]
    fn malformed_addresses_explain_the_fix() {
        for (value, help_part) in [
            (r#""192.0.2.10/24""#, "without \"/24\""),
            (r#""192.0.2.25:25""#, "\"192.0.2.25\""),
            (r#""[2001:db8::25]""#, "\"2001:db8::25\""),
            (r#""010.0.0.1""#, "leading zeros"),
            (r#"" 192.0.2.25""#, "\"192.0.2.25\""),
            (r#""""#, "IPv4 or IPv6"),
            (r#""192.0.2""#, "\"192.0.2.25\""),
            (r#""192.0.2.256""#, "IPv4 address such as"),
            (r#""fe80::1%eth0""#, "%zone"),
        ] {
            let d = run_rule(&AddressInvalidIp, EP, &server("ip", value));
            assert_eq!(pointers(&d), vec!["/smtp_server/value"], "{value}");
            let help = d[0].help.as_deref().unwrap();
            assert!(help.contains(help_part), "{value}: {help}");
        }
    }

    #[test]
    fn addresses_anywhere_in_the_body_are_checked() {
        let d = run_rule(
            &AddressInvalidIp,
            "/api/configuration/management/syslog",
            r#"{"receivers": [{"address": {"selection": "ip", "value": "192.0.2.1"}},
                {"address": {"selection": "ip", "value": "logs.example.com"}}]}"#,
        );
        assert_eq!(pointers(&d), vec!["/receivers/1/address/value"]);
        let d = run_rule(
            &AddressInvalidIp,
            "/api/configuration/management/snmp/trap",
            r#"{"version": {"selection": "2c", "value": {"server": {"selection": "ip", "value": "x_y"}}}}"#,
        );
        assert_eq!(pointers(&d), vec!["/version/value/server/value"]);
    }
}
