//! spslint works offline and cannot reach the network: no HTTP client, TLS stack or async
//! runtime is linked in, the schemas refer to nothing outside themselves, and a run makes no
//! network system call.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Crates that speak HTTP or TLS, or exist to run network I/O.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-tls",
    "hyper-rustls",
    "h2",
    "h3",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "rustls",
    "tokio-rustls",
    "native-tls",
    "tokio-native-tls",
    "openssl",
    "openssl-sys",
    "tokio",
    "async-std",
    "mio",
    "tungstenite",
];

/// The platform the tests run on (`rustc -vV`'s host).
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("run rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

/// `cargo metadata` from the committed lockfile, without the network, for this platform: its
/// crates are in the local cache once the project has been built, as it has when tests run
/// (other platforms' crates, such as Windows console support, need not be).
fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .args(["--filter-platform", &host_triple()])
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata output")
}

/// The package names of everything the spslint library and binary link: its normal
/// dependencies, transitively (development and build dependencies are not linked in).
fn linked_crates(meta: &Value) -> BTreeSet<String> {
    let resolve = &meta["resolve"];
    let names: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let nodes: BTreeMap<&str, &Value> = resolve["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = resolve["root"].as_str().expect("a root package");
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.remove(root);
    seen.iter().map(|id| names[id].to_string()).collect()
}

#[test]
fn no_http_client_or_tls_crate_is_linked() {
    let meta = metadata();
    let linked = linked_crates(&meta);
    // The walk is not vacuous: the direct dependencies are there.
    for expected in [
        "serde_json",
        "jsonschema",
        "jsonc-parser",
        "miette",
        "rayon",
    ] {
        assert!(
            linked.contains(expected),
            "{expected} missing from {linked:?}"
        );
    }
    // ... and development dependencies are not (they are never linked into spslint).
    for dev in ["proptest", "quick-xml"] {
        assert!(!linked.contains(dev), "{dev} counted as linked");
    }
    let found: Vec<&String> = linked
        .iter()
        .filter(|n| NETWORK_CRATES.contains(&n.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "network crates in the dependency graph: {found:?} (see `cargo tree -e normal -i <crate>`)"
    );
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Every `$ref` in a schema, and every `$id`/`$schema`.
fn keywords<'a>(v: &'a Value, out: &mut Vec<(&'a str, &'a str)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if let ("$ref" | "$dynamicRef" | "$id" | "$schema", Value::String(s)) =
                    (k.as_str(), x)
                {
                    out.push((k.as_str(), s.as_str()));
                }
                keywords(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keywords(x, out)),
        _ => {}
    }
}

#[test]
fn schema_references_are_local() {
    let mut files = Vec::new();
    json_files(&root().join("schemas"), &mut files);
    assert!(files.len() >= 10, "schemas went missing: {}", files.len());
    let mut refs = 0;
    for file in &files {
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut found = Vec::new();
        keywords(&schema, &mut found);
        for (k, v) in found {
            match k {
                "$ref" | "$dynamicRef" => {
                    refs += 1;
                    assert!(
                        v.starts_with('#'),
                        "{}: {k} {v:?} is not local",
                        file.display()
                    );
                }
                // A name, not a location: nothing to fetch.
                "$id" => assert!(v.starts_with("urn:"), "{}: $id {v:?}", file.display()),
                // The draft's meta-schema, which the validator has built in.
                _ => assert_eq!(
                    v,
                    "https://json-schema.org/draft/2020-12/schema",
                    "{}",
                    file.display()
                ),
            }
        }
    }
    assert!(refs > 0, "no $ref found at all: the walk is broken");
}

/// `spslint check` over every fixture, optionally wrapped in another command.
fn check_fixtures(wrapper: &[&str]) -> Option<std::process::Output> {
    let bin = env!("CARGO_BIN_EXE_spslint");
    let mut args: Vec<&str> = wrapper.to_vec();
    args.extend([bin, "check", "--format", "json", "fixtures"]);
    Command::new(args[0])
        .args(&args[1..])
        .current_dir(root())
        .output()
        .ok()
}

#[test]
fn a_run_makes_no_network_system_call() {
    let trace = std::env::temp_dir().join(format!("spslint-strace-{}", std::process::id()));
    let trace_arg = trace.display().to_string();
    let wrapper = [
        "strace",
        "-f",
        "-qq",
        "-e",
        "trace=socket,connect,bind,sendto,sendmsg",
        "-o",
        &trace_arg,
    ];
    let Some(out) = check_fixtures(&wrapper) else {
        eprintln!("strace is not installed: skipped");
        return;
    };
    let Ok(log) = std::fs::read_to_string(&trace) else {
        eprintln!(
            "strace could not trace (no ptrace here?): skipped: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    };
    let _ = std::fs::remove_file(&trace);
    // The run itself happened and found what the fixtures hold.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["summary"]["errors"].as_u64().unwrap() > 0);
    let calls: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(calls.is_empty(), "network system calls: {calls:#?}");
}

#[test]
fn the_output_is_the_same_without_a_network() {
    // In a fresh network namespace (no interface but a down loopback), where unprivileged user
    // namespaces are allowed.
    let isolated = ["unshare", "--user", "--map-root-user", "--net"];
    let Some(offline) = check_fixtures(&isolated).filter(|o| o.status.code() != Some(127)) else {
        eprintln!("unshare is not available: skipped");
        return;
    };
    if !offline.stderr.is_empty() && offline.stdout.is_empty() {
        eprintln!(
            "no network namespace here: skipped: {}",
            String::from_utf8_lossy(&offline.stderr)
        );
        return;
    }
    let online = check_fixtures(&[]).unwrap();
    assert_eq!(offline.status.code(), online.status.code());
    assert!(
        offline.stdout == online.stdout,
        "the output differs without a network"
    );
}
