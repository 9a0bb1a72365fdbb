//! Helpers for the pass/fail vectors beside each rule.

use serde_json::Value;

use super::{Rule, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::endpoint::{self, Endpoint};
use crate::settings::Settings;

/// An endpoint, as a test names it: any spelling `--endpoint` accepts, or a typed reference.
pub trait TestEndpoint {
    fn resolve(&self) -> &'static Endpoint;
}

impl TestEndpoint for &str {
    fn resolve(&self) -> &'static Endpoint {
        endpoint::by_name(self).unwrap_or_else(|| panic!("unknown endpoint {self}"))
    }
}

impl TestEndpoint for &'static Endpoint {
    fn resolve(&self) -> &'static Endpoint {
        self
    }
}

impl TestEndpoint for &&'static Endpoint {
    fn resolve(&self) -> &'static Endpoint {
        self
    }
}

/// Run one rule on a JSON body for an endpoint, with default settings.
pub fn run_rule(rule: &dyn Rule, endpoint: impl TestEndpoint, body: &str) -> Vec<Diagnostic> {
    run_rule_with(rule, endpoint, body, &Settings::default())
}

pub fn run_rule_with(
    rule: &dyn Rule,
    endpoint: impl TestEndpoint,
    body: &str,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let endpoint = endpoint.resolve();
    let body: Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("test body is not JSON: {e}"));
    let mut out = Vec::new();
    let mut cx = RuleContext::new(endpoint, &body, "", Some("test-key"), settings, &mut out);
    cx.code = rule.meta().as_code();
    rule.check(&mut cx);
    out
}

/// The pointers a rule reported, for terse assertions.
pub fn pointers(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.pointer.as_str()).collect()
}
