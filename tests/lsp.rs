//! `spslint lsp` driven end to end as an editor drives it: a process on standard input and
//! output, JSON-RPC framed by Content-Length, on a copy of the bundled example repository.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CFG: &str = "api/configuration";
const TIMEOUT: Duration = Duration::from_secs(30);

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/example-repo");
    copy_dir(&src, dir.path());
    dir
}

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

fn uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display())
}

/// The editor's side of the connection.
struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications that arrived while waiting for something else.
    seen: Vec<Value>,
}

impl Client {
    fn start(cwd: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spslint"))
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            seen: Vec::new(),
        }
    }

    fn write_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.write_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        match self.rx.recv_timeout(TIMEOUT) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Send a request and wait for its response (the whole response: result or error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        loop {
            let m = self.next();
            if m.get("method").is_none() && m["id"] == id {
                return m;
            }
            self.seen.push(m);
        }
    }

    /// The next diagnostics published for `uri` at `version` (a newer version's count too).
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64().unwrap_or(-1) >= version
        };
        if let Some(i) = self.seen.iter().position(matches) {
            let m = self.seen.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.next();
            if matches(&m) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.seen.push(m);
        }
    }

    fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": version, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Shutdown, exit, and the process's exit code.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn with_code<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

/// (line, character) of a position.
fn at(p: &Value) -> (u64, u64) {
    (
        p["line"].as_u64().unwrap(),
        p["character"].as_u64().unwrap(),
    )
}

/// The position of byte `offset` of `text` in UTF-16 code units.
fn utf16_position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u64, before[start..].encode_utf16().count() as u64)
}

/// The example repository's SNMP trap, with `value_extra` written into its `value` object on
/// the `username` line (`"username": "sps-trap"` is replaced).
fn trap(username_line: &str, auth_password: &str) -> String {
    format!(
        r#"{{
  "enabled": true,
  "version": {{
    "selection": "3",
    "value": {{
      "auth_method": "sha1",
      "auth_password": {auth_password},
      "encryption_method": "aes",
      "encryption_password": "snmp-priv",
      "engine_id": "0x80001F8880C71100000000",
      "server": {{
        "selection": "ip",
        "value": "192.0.2.40"
      }},
      {username_line}
    }}
  }}
}}
"#
    )
}

const USERNAME: &str = r#""username": "sps-trap""#;

#[test]
fn an_editor_session_from_initialize_to_exit() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let trap_path = root.join(CFG).join("management/snmp/trap.json");
    let trap_uri = uri(&trap_path);
    let mut c = Client::start(&root);
    let init = c.initialize(&root, json!({}));
    // No encoding offered: LSP's default, UTF-16.
    assert_eq!(
        init["result"]["capabilities"]["positionEncoding"], "utf-16",
        "{init}"
    );

    // An unknown key after non-ASCII text on the same line: UTF-16 columns differ from bytes
    // and from characters there ("𝄞" is 4 bytes, 2 UTF-16 units, 1 character).
    let line = r#""username": "sps-träp-𝄞", "bogus_key": true"#;
    let text = trap(line, r#""snmp-auth""#);
    c.open(&trap_uri, 1, &text);
    let found = c.diagnostics(&trap_uri, 1);
    assert_eq!(codes(&found), ["SCHEMA001"], "{found:#?}");
    let d = &found[0];
    let key = text.find(r#""bogus_key""#).unwrap();
    let start = utf16_position(&text, key);
    let end = utf16_position(&text, key + r#""bogus_key""#.len());
    assert_eq!(at(&d["range"]["start"]), start);
    assert_eq!(at(&d["range"]["end"]), end);
    assert_eq!(start, (14, 33));
    let line_start = text[..key].rfind('\n').unwrap() + 1;
    assert_ne!(start.1 as usize, key - line_start, "UTF-16, not bytes");
    assert_ne!(
        start.1 as usize,
        text[line_start..key].chars().count(),
        "UTF-16, not characters"
    );
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "spslint");
    assert!(d["message"].as_str().unwrap().contains("bogus_key"), "{d}");

    // Fixed in the buffer (never saved): the diagnostics are cleared.
    c.change(&trap_uri, 2, &trap(USERNAME, r#""snmp-auth""#));
    assert_eq!(c.diagnostics(&trap_uri, 2), Vec::<Value>::new());

    // A reference to a password the repository does not hold, in the unsaved buffer: the
    // repository finding, at the reference. The disk file still says "snmp-auth".
    let text = trap(USERNAME, r#""snmp-authx""#);
    c.change(&trap_uri, 3, &text);
    let found = c.diagnostics(&trap_uri, 3);
    assert_eq!(codes(&found), ["REPO001"], "{found:#?}");
    let value = text.find(r#""snmp-authx""#).unwrap();
    assert_eq!(
        at(&found[0]["range"]["start"]),
        utf16_position(&text, value)
    );
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("did you mean \"snmp-auth\"?"), "{message}");
    // A rule with a page links it.
    let href = found[0]["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.starts_with("file://") && href.ends_with("/rules/unresolved-reference.md"),
        "{href}"
    );

    // A pasted secret where a key belongs: never shown, as in the CLI.
    c.change(&trap_uri, 4, &trap(USERNAME, r#""Zq7#x9!pW""#));
    let found = c.diagnostics(&trap_uri, 4);
    assert_eq!(codes(&found), ["REPO001"]);
    assert!(!found[0].to_string().contains("Zq7"), "{}", found[0]);

    // An embedded reference object: REQ002, and its fix replaces the object by its key.
    let object = r#"{
        "key": "snmp-auth",
        "meta": {"href": "/api/configuration/passwords/snmp-auth"}
      }"#;
    let text = trap(USERNAME, object);
    c.change(&trap_uri, 5, &text);
    let found = c.diagnostics(&trap_uri, 5);
    assert_eq!(codes(&found), ["REQ002"], "{found:#?}");
    let start = text.find(object).unwrap();
    let range = &found[0]["range"];
    assert_eq!(at(&range["start"]), utf16_position(&text, start));
    assert_eq!(
        at(&range["end"]),
        utf16_position(&text, start + object.len())
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": trap_uri},
            "range": range,
            "context": {"diagnostics": found},
        }),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let fix = actions
        .iter()
        .find(|a| a["title"] == "replace the reference object by its key")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "REQ002");
    let edits = fix["edit"]["changes"][&trap_uri].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "\"snmp-auth\"");
    assert_eq!(edits[0]["range"], *range);
    // "Ignore this finding here": a [[suppress]] table appended to spslint.toml.
    let ignore = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Ignore REQ002"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let toml_uri = uri(&root.join("spslint.toml"));
    let toml_edit = &ignore["edit"]["changes"][&toml_uri][0];
    assert_eq!(
        toml_edit["newText"],
        "\n[[suppress]]\nfiles = \"api/configuration/management/snmp/trap.json\"\npointer = \"/version/value/auth_password\"\ncodes = [\"REQ002\"]\nreason = \"TODO: say why this finding is accepted\"\n"
    );
    // The example's spslint.toml has two comment lines: the table goes after them.
    assert_eq!(at(&toml_edit["range"]["start"]), (2, 0));

    // The editor applies the fix: clean again.
    let fixed = text.replace(object, "\"snmp-auth\"");
    c.change(&trap_uri, 6, &fixed);
    assert_eq!(c.diagnostics(&trap_uri, 6), Vec::<Value>::new());

    // Hover on a key: the schema's word on it.
    let key = fixed.find("\"auth_method\"").unwrap() + 3;
    let (line, character) = utf16_position(&fixed, key);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": trap_uri}, "position": {"line": line, "character": character}}),
    );
    let md = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        md.starts_with("**`auth_method`** · management/snmp/trap"),
        "{md}"
    );
    assert!(md.contains("`\"sha1\"`"), "{md}");
    assert!(md.contains("Docs level: "), "{md}");

    // A password file deleted on disk (the watcher says so): the open trap's reference to it
    // no longer resolves, and its diagnostics are published again.
    std::fs::remove_file(root.join(CFG).join("passwords/snmp-priv.json")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join(CFG).join("passwords")).to_string() + "/snmp-priv.json", "type": 3}]}),
    );
    let found = c.diagnostics(&trap_uri, 6);
    assert_eq!(codes(&found), ["REPO001"], "{found:#?}");
    let value = fixed.find(r#""snmp-priv""#).unwrap();
    assert_eq!(
        at(&found[0]["range"]["start"]),
        utf16_position(&fixed, value)
    );

    // Unknown methods: an error for a request, nothing for a notification; malformed input
    // is answered and the session goes on.
    let r = c.request("spslint/nonsense", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("spslint/nonsense", json!({}));
    c.write_raw(b"{this is not json");
    let parse_error = c.response(Value::Null);
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");

    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_change_to_one_document_republishes_those_it_affects() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let trap_uri = uri(&root.join(CFG).join("management/snmp/trap.json"));
    let mut c = Client::start(&root);
    c.initialize(&root, json!({}));
    c.open(&trap_uri, 1, &trap(USERNAME, r#""snmp-auth""#));
    assert_eq!(c.diagnostics(&trap_uri, 1), Vec::<Value>::new());
    // A password object that the trap refers to becomes one SNMP cannot use (too short): the
    // trap is published again without having changed.
    let password_uri = uri(&root.join(CFG).join("passwords/snmp-auth.json"));
    c.open(&password_uri, 1, "{\n  \"plain\": \"auth phrase 42\"\n}\n");
    assert_eq!(c.diagnostics(&password_uri, 1), Vec::<Value>::new());
    c.change(&password_uri, 2, "{\n  \"plain\": \"short\"\n}\n");
    let on_trap = c.diagnostics(&trap_uri, 1);
    assert!(
        codes(&on_trap).iter().all(|c| c.starts_with("REPO")) && !on_trap.is_empty(),
        "{on_trap:#?}"
    );
    // Closed: the disk file counts again, and the trap is clean again.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": password_uri}}),
    );
    assert_eq!(c.diagnostics(&trap_uri, 1), Vec::<Value>::new());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn utf8_positions_when_the_client_prefers_them() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let trap_uri = uri(&root.join(CFG).join("management/snmp/trap.json"));
    let mut c = Client::start(&root);
    let init = c.initialize(
        &root,
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let text = trap(r#""username": "träp", "bogus_key": 1"#, r#""snmp-auth""#);
    c.open(&trap_uri, 1, &text);
    let found = c.diagnostics(&trap_uri, 1);
    let key = text.find(r#""bogus_key""#).unwrap();
    let line_start = text[..key].rfind('\n').unwrap() + 1;
    assert_eq!(
        at(&with_code(&found, "SCHEMA001")["range"]["start"]),
        (14, (key - line_start) as u64)
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn bursts_huge_buffers_and_files_outside_the_workspace() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let trap_uri = uri(&root.join(CFG).join("management/snmp/trap.json"));
    let mut c = Client::start(&root);
    c.initialize(&root, json!({}));
    c.open(&trap_uri, 0, &trap(USERNAME, r#""snmp-auth""#));
    assert_eq!(c.diagnostics(&trap_uri, 0), Vec::<Value>::new());

    // A thousand changes in a row: linted far fewer times, the last version last.
    for v in 1..=1000 {
        let key = if v == 1000 { "bogus_last" } else { "bogus" };
        c.change(
            &trap_uri,
            v,
            &trap(&format!("{USERNAME}, \"{key}\": {v}"), r#""snmp-auth""#),
        );
    }
    let last = c.diagnostics(&trap_uri, 1000);
    assert_eq!(codes(&last), ["SCHEMA001"]);
    assert!(last[0]["message"].as_str().unwrap().contains("bogus_last"));
    let published = c
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert!(published < 500, "{published} publications for 1000 changes");

    // 50 MB: reported as too large (FILE003), not parsed.
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(50 << 20));
    c.change(&trap_uri, 1001, &huge);
    let found = c.diagnostics(&trap_uri, 1001);
    assert_eq!(codes(&found), ["FILE003"]);
    assert_eq!(at(&found[0]["range"]["start"]), (0, 0));

    // A file outside the workspace: linted alone (its dangling reference is no finding).
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere
        .path()
        .canonicalize()
        .unwrap()
        .join("api/configuration/management/snmp/trap.json");
    let outside_uri = uri(&outside);
    c.open(
        &outside_uri,
        1,
        &trap(
            &format!("{USERNAME}, \"bogus_key\": 1"),
            r#""no-such-password""#,
        ),
    );
    assert_eq!(codes(&c.diagnostics(&outside_uri, 1)), ["SCHEMA001"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(&root);
    // Requests before initialize are refused, and the server waits on.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.initialize(&root, json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
}

#[test]
fn completion_offers_the_keys_and_values_the_schema_allows() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let trap_uri = uri(&root.join(CFG).join("management/snmp/trap.json"));
    let mut c = Client::start(&root);
    c.initialize(&root, json!({}));
    // Half-typed: not JSON yet, as always while a key is being written.
    let text = "{\n  \"enabled\": true,\n  \"\n}\n";
    c.open(&trap_uri, 1, text);
    c.diagnostics(&trap_uri, 1);
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": trap_uri}, "position": {"line": 2, "character": 3}}),
    );
    let items = r["result"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"version"), "{labels:?}");
    assert!(!labels.contains(&"enabled"), "written already: {labels:?}");
    let version = items.iter().find(|i| i["label"] == "version").unwrap();
    assert_eq!(version["textEdit"]["newText"], "\"version\"");
    assert_eq!(at(&version["textEdit"]["range"]["start"]), (2, 2));

    // The value of a key with allowed values.
    let text = "{\n  \"enabled\": true,\n  \"version\": {\"selection\": \"3\", \"value\": {\"auth_method\": \"\"}}\n}\n";
    c.change(&trap_uri, 2, text);
    c.diagnostics(&trap_uri, 2);
    let character = text.lines().nth(2).unwrap().find("\"\"}").unwrap() + 1;
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": trap_uri}, "position": {"line": 2, "character": character}}),
    );
    let mut labels: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    labels.sort_unstable();
    assert_eq!(labels, ["\"md5\"", "\"sha1\""]);
    assert_eq!(c.shutdown(), 0);
}
