//! Helpers for the pass/fail vectors beside each rule.

use serde_json::Value;

use super::{Rule, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::endpoint;
use crate::settings::Settings;

/// Run one rule on a JSON body for an endpoint (any accepted spelling), with default settings.
pub fn run_rule(rule: &dyn Rule, endpoint: &str, body: &str) -> Vec<Diagnostic> {
    run_rule_with(rule, endpoint, body, &Settings::default())
}

pub fn run_rule_with(
    rule: &dyn Rule,
    endpoint: &str,
    body: &str,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let endpoint =
        endpoint::by_name(endpoint).unwrap_or_else(|| panic!("unknown endpoint {endpoint}"));
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
