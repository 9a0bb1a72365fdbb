//! A real editor as the client: headless Neovim (0.7 or newer) runs
//! `tests/editors/nvim-lsp.lua`, which starts `spslint lsp`, opens a body and prints the
//! diagnostics Neovim received. Skipped, saying so, where `nvim` is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn neovim_shows_the_servers_diagnostics() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: nvim is not installed");
        return;
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest.join("fixtures/example-repo"), dir.path());
    let file = "api/configuration/management/snmp/trap.json";
    // A mistyped password key (a repository finding) and, after non-ASCII text, an unknown key.
    std::fs::write(
        dir.path().join(file),
        "{\n  \"enabled\": true,\n  \"version\": {\n    \"selection\": \"3\",\n    \"value\": {\n      \"auth_method\": \"sha1\",\n      \"auth_password\": \"snmp-auht\",\n      \"encryption_method\": \"aes\",\n      \"encryption_password\": \"snmp-priv\",\n      \"engine_id\": \"0x80001F8880C71100000000\",\n      \"server\": {\"selection\": \"ip\", \"value\": \"192.0.2.40\"},\n      \"username\": \"sps-träp\", \"bogus\": 1\n    }\n  }\n}\n",
    )
    .unwrap();
    let out = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            manifest.join("tests/editors/nvim-lsp.lua").display()
        ))
        .current_dir(dir.path())
        .env("SPSLINT", env!("CARGO_BIN_EXE_spslint"))
        .env("SPSLINT_FILE", file)
        .env("SPSLINT_ROOT", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(out.status.success(), "{stdout}");
    // Neovim holds byte columns: 31 is after "sps-träp" (ä is two bytes), converted by Neovim
    // from the server's UTF-16 column 30.
    assert_eq!(
        lines,
        [
            "REPO001 6:23 no object of /api/configuration/passwords has the key \"snmp-auht\" in this repository",
            "SCHEMA001 11:31 unknown key \"bogus\" in \"value\": SPS ignores keys it does not know, so this setting would be lost",
        ],
        "{stdout}"
    );
}
