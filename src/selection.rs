//! Which codes run and at which severity: `--select`, `--ignore` and the configuration file's
//! rule settings. A selector is a code (`SNMP004`), a code prefix (`SNMP`) or a name
//! (`snmp-engine-id`).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// When set, only matching codes run.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// Severity overrides by selector.
    pub severity: BTreeMap<String, Severity>,
}

fn matches(selector: &str, code: &str, name: &str) -> bool {
    selector == name
        || selector.eq_ignore_ascii_case(code)
        || (!selector.is_empty()
            && selector.chars().all(|c| c.is_ascii_alphabetic())
            && code.len() > selector.len()
            && code[..selector.len()].eq_ignore_ascii_case(selector)
            && code[selector.len()..].chars().all(|c| c.is_ascii_digit()))
}

impl Selection {
    pub fn enabled(&self, code: &str, name: &str) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| matches(x, code, name)));
        selected && !self.ignore.iter().any(|x| matches(x, code, name))
    }

    pub fn severity_of(&self, code: &str, name: &str, default: Severity) -> Severity {
        // The most specific selector wins: a name or full code over a prefix.
        self.severity
            .iter()
            .filter(|(k, _)| matches(k, code, name))
            .max_by_key(|(k, _)| k.len())
            .map_or(default, |(_, s)| *s)
    }

    /// Drop disabled findings and apply severity overrides.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.select.is_none() && self.ignore.is_empty() && self.severity.is_empty() {
            return;
        }
        diagnostics.retain(|d| self.enabled(d.code, d.name));
        for d in diagnostics.iter_mut() {
            d.severity = self.severity_of(d.code, d.name, d.severity);
        }
    }
}

/// Where a `[[suppress]]` entry applies in a file.
#[derive(Debug, Clone)]
pub enum PointerPattern {
    /// No pointer: every finding of the files.
    Any,
    /// `/a/b`: findings at exactly that pointer.
    Exact(String),
    /// `/a/**`: findings at `/a` and anywhere below it.
    Subtree(String),
}

impl PointerPattern {
    pub fn matches(&self, pointer: &str) -> bool {
        match self {
            PointerPattern::Any => true,
            PointerPattern::Exact(p) => p == pointer,
            PointerPattern::Subtree(p) => pointer
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        }
    }
}

/// A `[[suppress]]` entry as the engine applies it to one file's findings (the files it
/// covers were decided before linting).
#[derive(Debug, Clone)]
pub struct Suppress {
    /// Its place among the configuration's suppressions, for [`SuppressionUse`].
    pub id: u32,
    pub pointer: PointerPattern,
    /// `None`: every code.
    pub codes: Option<Selection>,
}

impl Suppress {
    pub fn matches(&self, d: &Diagnostic) -> bool {
        self.pointer.matches(&d.pointer)
            && self
                .codes
                .as_ref()
                .is_none_or(|c| c.enabled(d.code, d.name))
    }
}

/// Which suppressions a file's linting could have used, and which it did, by [`Suppress::id`].
/// Each file's report carries its own; the run merges them to find the unused ones, so
/// nothing shared is written while files are linted in parallel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuppressionUse {
    /// It applied to the file and one of its codes runs for the file's endpoint.
    pub considered: Vec<u32>,
    /// It removed at least one finding.
    pub used: Vec<u32>,
}

impl SuppressionUse {
    pub fn is_empty(&self) -> bool {
        self.considered.is_empty() && self.used.is_empty()
    }

    /// Add another file's use.
    pub fn merge(&mut self, other: &SuppressionUse) {
        for (mine, theirs) in [
            (&mut self.considered, &other.considered),
            (&mut self.used, &other.used),
        ] {
            for id in theirs {
                if !mine.contains(id) {
                    mine.push(*id);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_code_prefix_and_name() {
        assert!(matches("SNMP004", "SNMP004", "x"));
        assert!(matches("snmp", "SNMP004", "x"));
        assert!(matches("snmp-engine-id", "SNMP004", "snmp-engine-id"));
        assert!(!matches("SNM", "SNMP004", "x"));
        assert!(!matches("SCHEMA00", "SCHEMA001", "x"));
        let s = Selection {
            select: Some(vec!["SCHEMA".into()]),
            ignore: vec!["unknown-key".into()],
            ..Default::default()
        };
        assert!(s.enabled("SCHEMA002", "missing-key"));
        assert!(!s.enabled("SCHEMA001", "unknown-key"));
        assert!(!s.enabled("JSON001", "invalid-json"));
    }

    #[test]
    fn most_specific_severity_override_wins() {
        let mut s = Selection::default();
        s.severity.insert("SNMP".into(), Severity::Warning);
        s.severity.insert("SNMP004".into(), Severity::Error);
        assert_eq!(
            s.severity_of("SNMP004", "n", Severity::Warning),
            Severity::Error
        );
        assert_eq!(
            s.severity_of("SNMP001", "n", Severity::Error),
            Severity::Warning
        );
    }
}
