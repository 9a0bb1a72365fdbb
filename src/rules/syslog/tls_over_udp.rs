//! SYSLOG001 syslog-tls-over-udp: a syslog receiver has TLS enabled over UDP.

use serde_json::Value;

use crate::endpoint::id;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A syslog receiver has `tls_enabled: true` with `ip_protocol: "udp"`.
    ///
    /// ## What it checks
    ///
    /// For each entry of `receivers`, reports `protocol.tls_enabled: true` together with
    /// `protocol.ip_protocol: "udp"`. The finding is on `ip_protocol`, the value to change: the help
    /// offers `"tcp"`, or turning TLS off for a receiver that only listens on UDP.
    ///
    /// `protocol_type` (`legacy-bsd` or `syslog`) is not part of the check: see the notes.
    ///
    /// ## Why it matters
    ///
    /// TLS runs over a TCP connection. SPS's own settings offer encryption only as "TCP+TLS", so a
    /// receiver that asks for TLS over UDP describes a connection SPS cannot make: either SPS refuses
    /// the setting, or the receiver gets no log messages, or they leave in clear text although
    /// encryption was asked for. None of these is what the body says, and lost or exposed system logs
    /// of a privileged-access gateway are what forwarding them was meant to prevent.
    ///
    /// ## Notes
    ///
    /// The REST reference has no page for this endpoint: the three `protocol` keys are known only from
    /// the sample answer to a `?defaults` query (SPS 7.1), which shows `tcp`, `legacy-bsd` and TLS off.
    /// What they mean comes from the syslog settings of the web interface (administration guide,
    /// Basic Settings > Management > Syslog), where one "Protocol" field holds all three: a `legacy-`
    /// prefix for the BSD syslog format (RFC 3164), a `syslog-` prefix for the IETF syslog format
    /// (RFC 5424), and the transport, with "TCP+TLS" as the one way to encrypt.
    ///
    /// Where the finding points: the issue that asked for this rule names `protocol`, the object that
    /// holds both keys. spslint points at `ip_protocol` instead, the one value that has to change for
    /// the receiver to work as intended: `tls_enabled: true` is a deliberate choice (the default is
    /// off) and the one that protects the messages, while `udp` is the value the interface never pairs
    /// with TLS. If the receiver really only listens on UDP, the other fix, TLS off, is in the help.
    ///
    /// `protocol_type` constrains nothing, and no rule reports it: the guide ties TLS to TCP, but to
    /// neither message format, and describes both formats over either transport. So `legacy-bsd` and
    /// `syslog` are both accepted with TCP, TCP with TLS, and UDP; the schema only checks that the value
    /// is one of the two. The documented sample (TCP, legacy BSD, TLS off) is not reported.
    pub struct SyslogTlsOverUdp {
        code: "SYSLOG001",
        name: "syslog-tls-over-udp",
        severity: Error,
        endpoints: &[id::MANAGEMENT_SYSLOG],
        fix: Never,
        bad: r#"{
  "encryption": {
    "client_authentication": null,
    "trust_store": "12269547065727ad6e79d9e"
  },
  "include_node_id": true,
  "receivers": [
    {
      "address": {
        "selection": "fqdn",
        "value": "syslog.example.com"
      },
      "port": 6514,
      "protocol": {
        "ip_protocol": "udp",
        "protocol_type": "syslog",
        "tls_enabled": true
      }
    }
  ]
}"#,
        good: r#"{
  "encryption": {
    "client_authentication": null,
    "trust_store": "12269547065727ad6e79d9e"
  },
  "include_node_id": true,
  "receivers": [
    {
      "address": {
        "selection": "fqdn",
        "value": "syslog.example.com"
      },
      "port": 6514,
      "protocol": {
        "ip_protocol": "tcp",
        "protocol_type": "syslog",
        "tls_enabled": true
      }
    }
  ]
}"#,
    }
}

impl Rule for SyslogTlsOverUdp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(Value::Array(receivers)) = cx.body.get("receivers") else {
            return;
        };
        for (i, receiver) in receivers.iter().enumerate() {
            let Some(protocol) = receiver.get("protocol") else {
                continue;
            };
            let tls = protocol.get("tls_enabled").and_then(Value::as_bool);
            let ip = protocol.get("ip_protocol").and_then(Value::as_str);
            if tls == Some(true) && ip == Some("udp") {
                cx.report(
                    &format!("/receivers/{i}/protocol/ip_protocol"),
                    "this receiver has TLS enabled, but \"ip_protocol\" is \"udp\": TLS needs a TCP connection, and SPS offers TLS only over TCP",
                    "write \"tcp\" (the receiver must accept TLS over TCP, commonly on port 6514); or, if it only listens on UDP, set \"tls_enabled\" to false and accept that the messages travel unencrypted",
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

    const EP: &str = "/api/configuration/management/syslog";

    fn receiver(ip: &str, protocol_type: &str, tls: bool) -> Value {
        serde_json::json!({
            "address": {"selection": "ip", "value": "192.0.2.50"},
            "port": 514,
            "protocol": {"ip_protocol": ip, "protocol_type": protocol_type, "tls_enabled": tls}
        })
    }

    fn body(receivers: Vec<Value>) -> String {
        serde_json::json!({
            "encryption": {"client_authentication": null, "trust_store": null},
            "include_node_id": true,
            "receivers": receivers
        })
        .to_string()
    }

    #[test]
    fn every_other_combination_passes() {
        for protocol_type in ["legacy-bsd", "syslog"] {
            for (ip, tls) in [("tcp", true), ("tcp", false), ("udp", false)] {
                let b = body(vec![receiver(ip, protocol_type, tls)]);
                assert!(run_rule(&SyslogTlsOverUdp, EP, &b).is_empty(), "{b}");
            }
        }
        // Wrong types and missing keys are the schema's.
        for b in [
            r#"{"receivers": [{"protocol": {"ip_protocol": "udp", "tls_enabled": "true"}}]}"#,
            r#"{"receivers": [{"protocol": {"ip_protocol": "UDP", "tls_enabled": true}}]}"#,
            r#"{"receivers": [{"protocol": {"tls_enabled": true}}]}"#,
            r#"{"receivers": [{}]}"#,
            r#"{"receivers": {"protocol": {"ip_protocol": "udp", "tls_enabled": true}}}"#,
        ] {
            assert!(run_rule(&SyslogTlsOverUdp, EP, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn tls_over_udp_is_an_error_at_ip_protocol_of_each_receiver() {
        let b = body(vec![
            receiver("udp", "syslog", true),
            receiver("tcp", "syslog", true),
            receiver("udp", "legacy-bsd", true),
        ]);
        let d = run_rule(&SyslogTlsOverUdp, EP, &b);
        assert_eq!(
            pointers(&d),
            vec![
                "/receivers/0/protocol/ip_protocol",
                "/receivers/2/protocol/ip_protocol"
            ]
        );
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("TLS needs a TCP connection"));
        let help = d[0].help.as_deref().unwrap();
        assert!(
            help.contains("write \"tcp\"") && help.contains("\"tls_enabled\" to false"),
            "{help}"
        );
    }
}
