//! An SNMPv3 password reference resolves to a password SPS would refuse for SNMP.

use crate::endpoint::id;
use crate::rules::{RepoContext, Rule, RuleMeta};

declare_rule! {
    /// An SNMPv3 password reference resolves to a password SPS would refuse for SNMP.
    ///
    /// ## What it checks
    ///
    /// When the repository keeps the password objects themselves (`{"plain": "..."}` bodies under `passwords/`), the password an SNMPv3 `auth_password` or `encryption_password` refers to is checked against the SNMP password rules: at least 8 characters, letters, digits, space and the documented special characters only (see `snmp-password-syntax`). The finding is reported at the reference; the password itself is never printed.
    ///
    /// ## Why it matters
    ///
    /// SPS refuses the SNMP settings at commit time when the referenced password breaks these rules, long after the password object was written.
    pub struct RepoSnmpPasswordPolicy {
        code: "REPO005",
        name: "referenced-snmp-password-rejected",
        severity: Error,
        endpoints: &[id::MANAGEMENT_SNMP_TRAP],
        fix: Never,
        bad: r#"// passwords/p1.json: {"plain": "short"}
// management/snmp/trap.json: "auth_password": "p1""#,
        good: r#"// passwords/p1.json: {"plain": "a longer passphrase"}"#,
    }
}

impl Rule for RepoSnmpPasswordPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn check_repository(&self, cx: &mut RepoContext<'_, '_>) {
        let index = cx.index;
        for e in index.entries.iter().filter(|e| e.is_reported()) {
            if e.facts.endpoint.map(|x| x.config_path()) != Some("management/snmp/trap") {
                continue;
            }
            for r in e
                .facts
                .references
                .iter()
                .filter(|r| r.collection == "passwords")
            {
                let Some(target) = index.lookup("passwords", r.key()) else {
                    continue;
                };
                if let Some(Err(problem)) = &target.facts.snmp_password {
                    let d = cx
                        .diag(r.pointer(), format!("the password this refers to ({}) cannot be used for SNMP: {problem}", target.path))
                        .with_help("use a password of at least 8 characters made of letters, digits, space and the documented special characters");
                    cx.emit(e, d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::repo::testing::{facts_of, run_repo};

    #[test]
    fn a_short_referenced_password_is_reported_at_the_reference() {
        let mut pw = facts_of("passwords", "p1", None, vec![]);
        pw.snmp_password = Some(crate::values::snmp_password::check_snmp_password("short"));
        let mut ok = facts_of("passwords", "p2", None, vec![]);
        ok.snmp_password = Some(Ok(()));
        let mut trap = facts_of(
            "passwords",
            "x",
            None,
            vec![
                ("/version/value/auth_password", "passwords", "p1"),
                ("/version/value/encryption_password", "passwords", "p2"),
            ],
        );
        trap.endpoint = crate::endpoint::by_name("management/snmp/trap");
        trap.stem = None;
        let found = run_repo(
            &RepoSnmpPasswordPolicy,
            &[("p1.json", &pw), ("p2.json", &ok), ("trap.json", &trap)],
            false,
        );
        assert_eq!(
            found,
            vec![(
                "trap.json".to_string(),
                "/version/value/auth_password".to_string(),
                Severity::Error
            )]
        );
    }
}
