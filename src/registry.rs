//! The one registry of codes: every core code (syntax, schema, request form, files,
//! configuration) and every rule, with what each says about itself. `spslint rules`,
//! `spslint explain`, SARIF's rule table, the configuration's selectors, the suppression check
//! and the documentation pages all read it; nothing else lists codes.

use std::sync::OnceLock;

use crate::core_docs::{self, CoreDoc};
use crate::diagnostic::Code;
use crate::endpoint::{ENDPOINTS, Endpoint};
use crate::rules::{self, Rule};

/// What stands behind a code.
#[derive(Clone, Copy)]
pub enum Source {
    /// A core check, documented in `crate::core_docs`.
    Core(&'static CoreDoc),
    /// A semantic rule.
    Rule(&'static dyn Rule),
}

/// One code.
#[derive(Clone, Copy)]
pub struct Entry {
    pub code: Code,
    pub source: Source,
}

impl Entry {
    /// Whether the code can be reported on a body of `endpoint` (core codes: on any).
    pub fn applies_to(&self, endpoint: &Endpoint) -> bool {
        match self.source {
            Source::Core(_) => true,
            Source::Rule(r) => r.meta().applies_to(endpoint),
        }
    }

    /// Full API paths of the endpoints the code applies to (core codes: every endpoint).
    pub fn endpoint_paths(&self) -> Vec<&'static str> {
        match self.source {
            Source::Core(_) => ENDPOINTS.iter().map(|e| e.path).collect(),
            Source::Rule(r) => r.meta().endpoints.iter().map(|e| e.path).collect(),
        }
    }

    /// `core` (syntax, schema, request form, files, configuration) or `rule`.
    pub fn kind(&self) -> &'static str {
        match self.source {
            Source::Core(_) => "core",
            Source::Rule(_) => "rule",
        }
    }

    /// One line: what is reported.
    pub fn summary(&self) -> &'static str {
        match self.source {
            Source::Core(d) => d.summary,
            Source::Rule(r) => r.meta().summary(),
        }
    }

    /// What is checked, in a paragraph or two.
    pub fn description(&self) -> String {
        match self.source {
            Source::Core(d) => d.doc.to_string(),
            Source::Rule(r) => r.meta().what(),
        }
    }

    pub fn fixable(&self) -> bool {
        match self.source {
            Source::Core(d) => d.fixable,
            Source::Rule(r) => r.meta().fixable(),
        }
    }

    /// A whole-repository rule: it judges files against each other.
    pub fn is_repository(&self) -> bool {
        matches!(self.source, Source::Rule(r) if r.is_repository())
    }

    pub fn rule(&self) -> Option<&'static dyn Rule> {
        match self.source {
            Source::Rule(r) => Some(r),
            Source::Core(_) => None,
        }
    }

    /// The reference page, in Markdown: what `spslint explain` prints.
    pub fn page(&self) -> String {
        match self.source {
            Source::Core(d) => core_docs::page(d),
            Source::Rule(r) => rules::doc_page(r.meta()),
        }
    }
}

/// Every code: the core codes in the order of `crate::codes::ALL`, then the rules in the
/// order of their codes.
pub fn all() -> &'static [Entry] {
    static ALL: OnceLock<Vec<Entry>> = OnceLock::new();
    ALL.get_or_init(|| {
        let core = core_docs::CORE_DOCS.iter().map(|d| Entry {
            code: *d.code,
            source: Source::Core(d),
        });
        let rules = rules::all().iter().map(|r| Entry {
            code: r.meta().as_code(),
            source: Source::Rule(*r),
        });
        core.chain(rules).collect()
    })
}

/// The entry of a code (any case) or a kebab-case name.
pub fn find(code_or_name: &str) -> Option<&'static Entry> {
    all()
        .iter()
        .find(|e| e.code.code.eq_ignore_ascii_case(code_or_name) || e.code.name == code_or_name)
}

/// `spslint explain`: the page of a code or name, or why there is none (with the likely one).
pub fn explain(code_or_name: &str) -> Result<String, String> {
    if let Some(entry) = find(code_or_name) {
        return Ok(entry.page());
    }
    let candidates: Vec<&str> = all()
        .iter()
        .flat_map(|e| [e.code.code, e.code.name])
        .collect();
    Err(match crate::text::did_you_mean(code_or_name, &candidates) {
        Some(m) => format!("unknown code or name `{code_or_name}`; did you mean `{m}`?"),
        None => format!("unknown code or name `{code_or_name}`; `spslint rules` lists them all"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn every_code_is_registered_once() {
        let mut seen = std::collections::HashSet::new();
        for e in all() {
            assert!(seen.insert(e.code.code), "{} registered twice", e.code.code);
            assert!(seen.insert(e.code.name), "{} registered twice", e.code.name);
        }
        assert_eq!(all().len(), codes::ALL.len() + rules::all().len());
        for c in codes::ALL {
            assert!(find(c.code).is_some_and(|e| e.code == *c), "{}", c.code);
        }
    }
}
