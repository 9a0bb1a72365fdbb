//! `rules/<name>.md` is generated from each rule's own documentation: the code is the single
//! source. This test fails when a page is out of date; `SPSLINT_BLESS=1 cargo test --test
//! rule_docs` rewrites the pages (and removes pages of rules that no longer exist).

use std::path::PathBuf;

use spslint::rules;

#[test]
fn rule_pages_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let bless = std::env::var_os("SPSLINT_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut expected_files = std::collections::BTreeSet::new();
    let mut stale = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        let file = format!("{}.md", meta.name);
        let page = rules::doc_page(meta);
        let path = dir.join(&file);
        expected_files.insert(file.clone());
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if bless {
                std::fs::write(&path, &page).unwrap();
            } else {
                stale.push(file);
            }
        }
    }
    let index = rules::index_page();
    let index_path = dir.join("README.md");
    expected_files.insert("README.md".into());
    if std::fs::read_to_string(&index_path).ok().as_deref() != Some(index.as_str()) {
        if bless {
            std::fs::write(&index_path, &index).unwrap();
        } else {
            stale.push("README.md".into());
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !expected_files.contains(&name) {
            if bless {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(format!("{name} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "rule pages out of date: {stale:?}; run SPSLINT_BLESS=1 cargo test --test rule_docs"
    );
}

/// The README's table of rule families is written by hand: every family of a rule is in it,
/// and it names no family that has no rule.
#[test]
fn readme_lists_every_rule_family() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let families: std::collections::BTreeSet<&str> = rules::all()
        .iter()
        .map(|r| r.meta().code.trim_end_matches(|c: char| c.is_ascii_digit()))
        .collect();
    for f in &families {
        assert!(
            readme.contains(&format!("| `{f}` |")),
            "README.md: the rule family {f} is missing from the table of families"
        );
    }
    let listed: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split_once("` |"))
        .map(|(f, _)| f)
        .filter(|f| f.chars().all(|c| c.is_ascii_uppercase()))
        .collect();
    for f in listed {
        assert!(
            families.contains(f),
            "README.md lists a rule family {f} that no rule has"
        );
    }
}
