//! Fuzz the whole pipeline: parse, endpoint, schema, rules, locations, and the renderers.
//! The first byte picks how the file reaches spslint (by path for each endpoint, by
//! `--endpoint`, or unmapped); the rest is the file.
//!
//! The same input also drives the secret-leak check of `tests/common/secret_edits.rs` (the
//! property test of tests/secrets.rs): the first byte picks a body with secrets, the next eight
//! a position, the ninth an edit (delete, or insert one of its characters); no secret may appear
//! in the human, short or json output.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/secret_edits.rs"]
mod secret_edits;
use spslint::endpoint::{ENDPOINTS, Kind};
use spslint::render::{self, Format, RenderOptions};
use spslint::{RunReport, Settings};

static TARGETS: LazyLock<Vec<(String, Settings)>> = LazyLock::new(|| {
    let mut t = Vec::new();
    for e in ENDPOINTS {
        let path = match e.kind {
            Kind::Singleton => format!("x{}.json", e.path),
            Kind::Collection => format!("x{}/k.json", e.path),
        };
        t.push((path, Settings::default()));
        t.push((
            "stdin.json".to_string(),
            Settings {
                endpoint: Some(e),
                ..Settings::default()
            },
        ));
    }
    t.push((
        "x/unknown.json".to_string(),
        Settings {
            require_endpoint: true,
            ..Settings::default()
        },
    ));
    t
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let (path, settings) = &TARGETS[usize::from(pick) % TARGETS.len()];
    let report = spslint::lint_bytes(path, bytes, settings);
    // Every span lies inside the text the file has, on character boundaries.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
    };
    for d in &report.diagnostics {
        let s = d.span.expect("every diagnostic has a span");
        assert!(s.start <= s.end && s.end <= text.len(), "{d:?}");
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{d:?}"
        );
        assert!(s.line >= 1 && s.column >= 1, "{d:?}");
    }
    let run = RunReport {
        files: vec![report],
        ..RunReport::default()
    };
    for format in [Format::Human, Format::Json] {
        let mut out = Vec::new();
        render::render(&run, format, &RenderOptions::default(), &mut out).unwrap();
    }
    if let (Some(at), Some(&op)) = (bytes.get(..8), bytes.get(8)) {
        let at = u64::from_le_bytes(at.try_into().unwrap_or_default()) as usize;
        let inserted = secret_edits::INSERTED;
        let edit = match usize::from(op) % (inserted.len() + 1) {
            0 => secret_edits::Edit::Delete(at),
            i => secret_edits::Edit::Insert(at, inserted[i - 1]),
        };
        if let Err(leak) = secret_edits::check(usize::from(pick), &edit) {
            panic!("{leak}");
        }
    }
});
