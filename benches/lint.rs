//! What one request body costs, per endpoint: the whole lint (parse, schema, rules, facts for
//! the repository checks; locations and fixes when there are findings), beside a bare
//! `serde_json` parse of the same bytes, the floor no linter can go under.
//!
//! `cargo bench --bench lint`. The bodies are the project's fixtures: `fixtures/valid/…` (the
//! common case: nothing to report) and `fixtures/invalid/…` (findings to locate and explain).
//! Whole-process timings, against the parse floor and other validators, are in
//! `scripts/bench.sh` and docs/performance.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use divan::Bencher;
use divan::counter::ItemsCount;
use spslint::endpoint::ENDPOINTS;
use spslint::{Settings, lint_bytes};

fn main() {
    // Compile every endpoint's validator now, so no sample pays for it.
    let settings = settings();
    for name in endpoint_names() {
        for body in bodies("valid", name) {
            black_box(lint_bytes(&body.path, &body.bytes, &settings));
        }
    }
    divan::main();
}

struct Body {
    path: String,
    bytes: Vec<u8>,
}

fn settings() -> Settings {
    Settings {
        // A fixed clock: certificate findings must not change from one day to the next.
        now_unix: 1_790_000_000,
        ..Settings::default()
    }
}

/// The endpoints, as `spslint endpoints` names them (`management/email`, …, `transaction`).
fn endpoint_names() -> Vec<&'static str> {
    ENDPOINTS
        .iter()
        .map(|e| {
            e.path
                .trim_start_matches("/api/")
                .trim_start_matches("configuration/")
        })
        .collect()
}

/// The `.json` bodies of one endpoint's fixture folder, sorted by name.
fn bodies(kind: &str, name: &str) -> Vec<Body> {
    let endpoint = ENDPOINTS
        .iter()
        .find(|e| e.path.ends_with(name))
        .expect("a known endpoint");
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind)
        .join(endpoint.path.trim_start_matches('/'));
    let mut out: Vec<Body> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| Body {
            path: e.path().display().to_string(),
            bytes: std::fs::read(e.path()).expect("fixture is readable"),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn run(bencher: Bencher, bodies: Vec<Body>) {
    let settings = settings();
    bencher.counter(ItemsCount::new(bodies.len())).bench(|| {
        for body in &bodies {
            black_box(lint_bytes(&body.path, &body.bytes, &settings));
        }
    });
}

/// Lint each valid body of the endpoint (per body: divide by the item count).
#[divan::bench(args = endpoint_names())]
fn lint_valid(bencher: Bencher, name: &str) {
    run(bencher, bodies("valid", name));
}

/// Lint each invalid body of the endpoint: findings are located and explained.
#[divan::bench(args = endpoint_names())]
fn lint_invalid(bencher: Bencher, name: &str) {
    run(bencher, bodies("invalid", name));
}

/// Parse each valid body into a `serde_json::Value` and nothing else: the floor.
#[divan::bench(args = endpoint_names())]
fn parse_only(bencher: Bencher, name: &str) {
    let bodies = bodies("valid", name);
    bencher.counter(ItemsCount::new(bodies.len())).bench(|| {
        for body in &bodies {
            black_box(serde_json::from_slice::<serde_json::Value>(&body.bytes).ok());
        }
    });
}
