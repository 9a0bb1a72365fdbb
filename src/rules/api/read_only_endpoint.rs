//! API001 read-only-endpoint: a body is written for an endpoint the REST API only reads.

use crate::endpoint::id;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A body is written for an endpoint that is read-only through the REST API.
    ///
    /// ## What it checks
    ///
    /// Reports any body for an endpoint the reference documents as read-only through the REST API:
    /// today the VNC connection policies (`vnc/connections`). The finding is on the whole body.
    ///
    /// ## Why it matters
    ///
    /// The reference says that VNC connection policies can only be read through the REST API, and that
    /// what a GET returns is incomplete (only the fields common to every protocol). SPS refuses a PUT or
    /// POST of such a body, so the file cannot be deployed, and a repository that keeps it suggests a
    /// setting it does not control. Only the connection policies of RDP and SSH can be changed through
    /// the REST API.
    ///
    /// ## Notes
    ///
    /// The same page says that only RDP and SSH connection policies can be changed through the REST API,
    /// which suggests that the connection policies of the other protocols (Telnet, ICA, HTTP, MSSQL) are
    /// read-only too; spslint has no schema for those endpoints, so their files are skipped and named
    /// rather than reported by this rule.
    pub struct ApiReadOnlyEndpoint {
        code: "API001",
        name: "read-only-endpoint",
        severity: Error,
        endpoints: &[id::VNC_CONNECTIONS],
        fix: Never,
        bad: r#"{
  "active": true,
  "name": "vnc-servers",
  "network": {
    "clients": [],
    "ports": [
      5900
    ],
    "targets": [
      "10.0.0.5"
    ]
  }
}"#,
        good: r#"// change VNC connection policies on the SPS web interface, and keep no body for them here"#,
    }
}

impl Rule for ApiReadOnlyEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let message = format!(
            "{} is read-only through the REST API: SPS refuses a body written for it",
            cx.endpoint.path
        );
        cx.report(
            "",
            message,
            "change these settings on the SPS web interface, and remove the file from the repository",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    #[test]
    fn every_body_of_a_read_only_endpoint_is_an_error_on_the_whole_body() {
        for body in [META.bad, "{}", r#"{"name": "x"}"#] {
            let d = run_rule(&ApiReadOnlyEndpoint, META.endpoints[0], body);
            assert_eq!(pointers(&d), [""]);
            assert_eq!(d[0].severity, Severity::Error);
            assert!(d[0].message.contains("read-only"), "{}", d[0].message);
        }
    }
}
