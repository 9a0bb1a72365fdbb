//! The server's state and its main loop: one thread, messages handled in order. Edits to a
//! document only record its text; linting happens once the queue is empty (or before a request
//! is answered), so a burst of changes is linted once, at its last version.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Instant;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lt;
use serde_json::{Value, json};

use super::engine::{self, Finding, Workspace};
use super::position::{Encoding, Lines};
use super::transport;

/// How much the server says on standard error (never a document's text or a value from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Off,
    Error,
    Info,
    Debug,
}

impl LogLevel {
    fn parse(s: &str) -> Option<LogLevel> {
        match s {
            "off" => Some(LogLevel::Off),
            "error" => Some(LogLevel::Error),
            "info" | "messages" => Some(LogLevel::Info),
            "debug" | "verbose" => Some(LogLevel::Debug),
            _ => None,
        }
    }

    fn of_trace(t: lt::TraceValue) -> LogLevel {
        match t {
            lt::TraceValue::Off => LogLevel::Error,
            lt::TraceValue::Messages => LogLevel::Info,
            lt::TraceValue::Verbose => LogLevel::Debug,
        }
    }
}

#[derive(PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
}

struct Doc {
    path: PathBuf,
    /// Not a `file:` URI: linted alone, never placed in the repository.
    alone: bool,
    version: i32,
    /// Text received and not linted yet.
    pending: Option<String>,
}

pub struct Server {
    state: State,
    ws: Workspace,
    encoding: Encoding,
    log: LogLevel,
    docs: HashMap<String, Doc>,
    /// Documents whose text changed since they were last linted.
    dirty: BTreeSet<String>,
    /// The index changed: the repository rules must run again.
    repo_dirty: bool,
    /// Documents to publish at the next flush even if their findings were not recomputed.
    republish: BTreeSet<String>,
    /// `initializationOptions.docsBase`: where rule pages are served (`<base><name>.md`).
    docs_base: Option<String>,
    /// The client can create files in a workspace edit (for a new `spslint.toml`).
    can_create: bool,
    watch_dynamic: bool,
    folder: Option<PathBuf>,
    next_id: i32,
}

/// Run the server on standard input and output. The exit code: 0 after shutdown and exit, 1
/// when input ends or exit comes without shutdown.
pub fn run() -> i32 {
    let rx = transport::stdin_reader();
    let mut server = Server::new();
    server.serve(&rx)
}

impl Server {
    fn new() -> Server {
        Server {
            state: State::Uninitialized,
            ws: Workspace::empty(),
            encoding: Encoding::Utf16,
            log: LogLevel::Error,
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
            repo_dirty: false,
            republish: BTreeSet::new(),
            docs_base: None,
            can_create: false,
            watch_dynamic: false,
            folder: None,
            next_id: 0,
        }
    }

    fn say(&self, level: LogLevel, what: impl FnOnce() -> String) {
        if level <= self.log && level != LogLevel::Off {
            let name = match level {
                LogLevel::Error => "error",
                LogLevel::Info => "info",
                _ => "debug",
            };
            eprintln!("spslint lsp [{name}] {}", what());
        }
    }

    fn serve(&mut self, rx: &Receiver<Message>) -> i32 {
        loop {
            let Ok(first) = rx.recv() else {
                self.say(LogLevel::Error, || "input ended without exit".into());
                return 1;
            };
            if let Some(code) = self.handle(first) {
                return code;
            }
            // Everything already queued is taken before linting: a burst of edits costs one lint.
            while let Ok(next) = rx.try_recv() {
                if let Some(code) = self.handle(next) {
                    return code;
                }
            }
            self.guarded(|s| s.flush());
        }
    }

    /// Run `f`, turning a panic into a logged error: one bad document must not end the session.
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Server) -> T) -> Option<T> {
        match catch_unwind(AssertUnwindSafe(|| f(self))) {
            Ok(v) => Some(v),
            Err(_) => {
                self.say(LogLevel::Error, || {
                    "internal error (panic); going on".into()
                });
                None
            }
        }
    }

    /// Handle one message; `Some(code)` when the server must exit.
    fn handle(&mut self, message: Message) -> Option<i32> {
        match message {
            Message::Request(req) => {
                let id = req.id.clone();
                match self.guarded(|s| s.request(req)) {
                    Some(Some(response)) => self.send(Message::Response(response)),
                    // Answered already (initialize answers before it indexes).
                    Some(None) => {}
                    None => self.send(Message::Response(error(
                        id,
                        ErrorCode::InternalError,
                        "internal error",
                    ))),
                }
                None
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Some(if self.state == State::ShutDown { 0 } else { 1 });
                }
                if self.state == State::Running {
                    let method = n.method.clone();
                    if self.guarded(|s| s.notification(n)).is_none() {
                        self.say(LogLevel::Error, || format!("{method} failed"));
                    }
                }
                None
            }
            // Answers to our own requests (the watcher registration): nothing to do.
            Message::Response(_) => None,
        }
    }

    fn send(&self, m: Message) {
        if transport::send(m).is_err() {
            self.say(LogLevel::Error, || "cannot write to the client".into());
        }
    }

    /// The answer to a request; `None` when it was sent already.
    fn request(&mut self, req: Request) -> Option<Response> {
        let id = req.id.clone();
        match self.state {
            State::Uninitialized if req.method != "initialize" => {
                return Some(error(
                    id,
                    ErrorCode::ServerNotInitialized,
                    "not initialized",
                ));
            }
            State::ShutDown => {
                return Some(error(
                    id,
                    ErrorCode::InvalidRequest,
                    "the server is shut down",
                ));
            }
            State::Running if req.method == "initialize" => {
                return Some(error(id, ErrorCode::InvalidRequest, "already initialized"));
            }
            _ => {}
        }
        self.say(LogLevel::Debug, || format!("request {}", req.method));
        if req.method == "initialize" {
            return self.initialize(req);
        }
        Some(match req.method.as_str() {
            "shutdown" => {
                self.state = State::ShutDown;
                Response::new_ok(id, Value::Null)
            }
            "textDocument/hover" => match params::<lt::HoverParams>(&req) {
                Ok(p) => {
                    self.flush();
                    Response::new_ok(id, self.hover(p))
                }
                Err(e) => e,
            },
            "textDocument/completion" => match params::<lt::CompletionParams>(&req) {
                Ok(p) => {
                    self.flush();
                    Response::new_ok(id, self.complete(p))
                }
                Err(e) => e,
            },
            "textDocument/codeAction" => match params::<lt::CodeActionParams>(&req) {
                Ok(p) => {
                    self.flush();
                    Response::new_ok(id, self.code_actions(p))
                }
                Err(e) => e,
            },
            _ => error(
                id,
                ErrorCode::MethodNotFound,
                &format!("unknown method {}", req.method),
            ),
        })
    }

    fn initialize(&mut self, req: Request) -> Option<Response> {
        let id = req.id.clone();
        let p: lt::InitializeParams = match params(&req) {
            Ok(p) => p,
            Err(e) => return Some(e),
        };
        let options = p.initialization_options.clone().unwrap_or(Value::Null);
        if let Some(level) = p.trace {
            self.log = LogLevel::of_trace(level);
        }
        if let Some(level) = options.get("logLevel").and_then(Value::as_str) {
            self.log = LogLevel::parse(level).unwrap_or(self.log);
        }
        self.docs_base = options
            .get("docsBase")
            .and_then(Value::as_str)
            .map(str::to_string);
        let offered: Vec<&str> = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .map(|v| v.iter().map(|k| k.as_str()).collect())
            .unwrap_or_default();
        self.encoding = Encoding::choose(&offered);
        let workspace = p.capabilities.workspace.as_ref();
        self.can_create = workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .is_some_and(|e| {
                e.document_changes == Some(true)
                    && e.resource_operations
                        .as_ref()
                        .is_some_and(|ops| ops.contains(&lt::ResourceOperationKind::Create))
            });
        self.watch_dynamic = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            == Some(true);
        #[allow(deprecated)]
        let folder_uri = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(p.root_uri.clone());
        #[allow(deprecated)]
        let root_path = p.root_path.clone().map(PathBuf::from);
        self.folder = folder_uri.as_ref().and_then(to_path).or(root_path);
        self.state = State::Running;
        let capabilities = lt::ServerCapabilities {
            position_encoding: Some(lt::PositionEncodingKind::from(self.encoding.name())),
            text_document_sync: Some(lt::TextDocumentSyncCapability::Kind(
                lt::TextDocumentSyncKind::FULL,
            )),
            hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
            completion_provider: Some(lt::CompletionOptions {
                trigger_characters: Some(vec!["\"".into(), ":".into()]),
                ..Default::default()
            }),
            code_action_provider: Some(lt::CodeActionProviderCapability::Options(
                lt::CodeActionOptions {
                    code_action_kinds: Some(vec![lt::CodeActionKind::QUICKFIX]),
                    ..Default::default()
                },
            )),
            ..Default::default()
        };
        let result = json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "spslint", "version": env!("CARGO_PKG_VERSION")},
        });
        // Answered first, indexed after: the client is not kept waiting for the answer, and
        // what it sends meanwhile waits in the queue.
        self.send(Message::Response(Response::new_ok(id, result)));
        self.index();
        None
    }

    /// Index the workspace folder's repository.
    fn index(&mut self) {
        let Some(folder) = self.folder.clone() else {
            self.say(LogLevel::Info, || {
                "no workspace folder: documents are linted alone".into()
            });
            return;
        };
        let started = Instant::now();
        self.ws = Workspace::new(&folder);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match self.ws.root() {
            Some(root) => {
                let (n, root) = (self.ws.indexed(), root.display().to_string());
                self.say(LogLevel::Info, || {
                    format!("indexed {n} files of the repository at {root} in {ms:.0} ms")
                });
            }
            None => self.say(LogLevel::Info, || {
                "the workspace folder is in no repository (no spslint.toml or .git): documents are linted alone".into()
            }),
        }
        if let Some(e) = self.ws.config_error.clone() {
            self.say(LogLevel::Error, || e.clone());
            self.show_message(
                lt::MessageType::WARNING,
                format!("spslint: {e}; linting without it"),
            );
        }
    }

    fn show_message(&self, typ: lt::MessageType, message: String) {
        self.send(Message::Notification(Notification::new(
            "window/showMessage".into(),
            lt::ShowMessageParams { typ, message },
        )));
    }

    fn notification(&mut self, n: Notification) {
        self.say(LogLevel::Debug, || format!("notification {}", n.method));
        match n.method.as_str() {
            "initialized" => self.register_watchers(),
            "textDocument/didOpen" => {
                if let Ok(p) = n.extract::<lt::DidOpenTextDocumentParams>("textDocument/didOpen") {
                    let uri = p.text_document.uri;
                    let (path, alone) = match to_path(&uri) {
                        Some(path) => (path, false),
                        None => (PathBuf::from(uri.as_str()), true),
                    };
                    let key = uri.as_str().to_string();
                    self.docs.insert(
                        key.clone(),
                        Doc {
                            path,
                            alone,
                            version: p.text_document.version,
                            pending: Some(p.text_document.text),
                        },
                    );
                    self.dirty.insert(key);
                    // A new document is reported on by the repository rules from now on.
                    self.repo_dirty = true;
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) =
                    n.extract::<lt::DidChangeTextDocumentParams>("textDocument/didChange")
                {
                    self.change(p);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = n.extract::<lt::DidCloseTextDocumentParams>("textDocument/didClose")
                {
                    let key = p.text_document.uri.as_str().to_string();
                    if let Some(doc) = self.docs.remove(&key) {
                        self.dirty.remove(&key);
                        self.republish.remove(&key);
                        if self.ws.close_document(&doc.path) {
                            self.repo_dirty = true;
                        }
                        self.publish_raw(p.text_document.uri, Vec::new(), None);
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(p) =
                    n.extract::<lt::DidChangeWatchedFilesParams>("workspace/didChangeWatchedFiles")
                {
                    for change in p.changes {
                        let Some(path) = to_path(&change.uri) else {
                            continue;
                        };
                        if path.file_name().and_then(|f| f.to_str()) == Some(engine::CONFIG_FILE) {
                            // Every open document is linted anew under the new configuration.
                            self.ws.reload();
                            self.republish.extend(self.docs.keys().cloned());
                            self.repo_dirty = true;
                        } else if self.ws.disk_changed(&path) {
                            self.repo_dirty = true;
                        }
                    }
                }
            }
            "$/setTrace" => {
                if let Ok(p) = n.extract::<lt::SetTraceParams>("$/setTrace") {
                    self.log = LogLevel::of_trace(p.value);
                }
            }
            // Unknown notifications are ignored, as the protocol asks.
            _ => {}
        }
    }

    fn change(&mut self, p: lt::DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.docs.get_mut(&key) else {
            return;
        };
        let mut text = match doc.pending.take() {
            Some(t) => t,
            None => self.ws.text(&doc.path).unwrap_or_default().to_string(),
        };
        for c in p.content_changes {
            match c.range {
                // Full sync is what the server asks for; a ranged change is applied all the same.
                Some(range) => {
                    let lines = Lines::new(&text, self.encoding);
                    let start = lines.offset(range.start);
                    let end = lines.offset(range.end).max(start);
                    text.replace_range(start..end, &c.text);
                }
                None => text = c.text,
            }
        }
        doc.version = p.text_document.version;
        doc.pending = Some(text);
        self.dirty.insert(key);
    }

    fn register_watchers(&mut self) {
        if !self.watch_dynamic {
            return;
        }
        let watchers = ["**/*.json", &format!("**/{}", engine::CONFIG_FILE)]
            .iter()
            .map(|g| lt::FileSystemWatcher {
                glob_pattern: lt::GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
        let registration = lt::Registration {
            id: "spslint-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(lt::DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        self.next_id += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(format!("spslint-{}", self.next_id)),
            "client/registerCapability".into(),
            lt::RegistrationParams {
                registrations: vec![registration],
            },
        )));
    }

    /// Lint what changed and publish what is new.
    fn flush(&mut self) {
        let started = Instant::now();
        let mut publish = std::mem::take(&mut self.republish);
        for key in std::mem::take(&mut self.dirty) {
            let Some(doc) = self.docs.get_mut(&key) else {
                continue;
            };
            let Some(text) = doc.pending.take() else {
                continue;
            };
            let path = doc.path.clone();
            let alone = doc.alone;
            if self.ws.set_document(&path, text, alone) {
                self.repo_dirty = true;
            }
            publish.insert(key);
        }
        if std::mem::take(&mut self.repo_dirty) {
            for path in self.ws.check_repository() {
                if let Some(key) = self.key_of(&path) {
                    publish.insert(key);
                }
            }
        }
        if publish.is_empty() {
            return;
        }
        for key in &publish {
            self.publish(key);
        }
        let (n, ms) = (publish.len(), started.elapsed().as_secs_f64() * 1000.0);
        self.say(LogLevel::Debug, || {
            format!("linted and published {n} document(s) in {ms:.2} ms")
        });
    }

    fn key_of(&self, path: &Path) -> Option<String> {
        self.docs
            .iter()
            .find(|(_, d)| d.path == path)
            .map(|(k, _)| k.clone())
    }

    fn publish(&self, key: &str) {
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let Ok(uri) = key.parse::<lt::Uri>() else {
            return;
        };
        let text = self.ws.text(&doc.path).unwrap_or_default();
        let lines = Lines::new(text, self.encoding);
        let diagnostics = self
            .ws
            .findings(&doc.path)
            .iter()
            .map(|f| self.diagnostic(f, &lines))
            .collect();
        self.publish_raw(uri, diagnostics, Some(doc.version));
    }

    fn publish_raw(&self, uri: lt::Uri, diagnostics: Vec<lt::Diagnostic>, version: Option<i32>) {
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            lt::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        )));
    }

    fn diagnostic(&self, f: &Finding, lines: &Lines<'_>) -> lt::Diagnostic {
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        lt::Diagnostic {
            range: lt::Range::new(lines.position(f.start), lines.position(f.end)),
            severity: Some(if f.error {
                lt::DiagnosticSeverity::ERROR
            } else {
                lt::DiagnosticSeverity::WARNING
            }),
            code: Some(lt::NumberOrString::String(f.code.to_string())),
            code_description: self
                .page_of(f.code)
                .map(|href| lt::CodeDescription { href }),
            source: Some("spslint".into()),
            message,
            related_information: None,
            tags: None,
            data: None,
        }
    }

    /// The rule page of a code: under `docsBase` when the client gave one, else the page in
    /// the spslint source tree this binary was built from, when it is on this machine.
    fn page_of(&self, code: &str) -> Option<lt::Uri> {
        let page = engine::rule_page(code)?;
        match &self.docs_base {
            Some(base) => format!("{base}{page}").parse().ok(),
            None => {
                let file = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("rules")
                    .join(&page);
                file.is_file().then(|| from_path(&file)).flatten()
            }
        }
    }

    fn doc_of(&self, uri: &lt::Uri) -> Option<&Doc> {
        self.docs.get(uri.as_str())
    }

    fn hover(&self, p: lt::HoverParams) -> Option<lt::Hover> {
        let at = p.text_document_position_params;
        let doc = self.doc_of(&at.text_document.uri)?;
        let text = self.ws.text(&doc.path)?;
        let lines = Lines::new(text, self.encoding);
        let h = self.ws.hover(&doc.path, lines.offset(at.position))?;
        Some(lt::Hover {
            contents: lt::HoverContents::Markup(lt::MarkupContent {
                kind: lt::MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(lt::Range::new(
                lines.position(h.start),
                lines.position(h.end),
            )),
        })
    }

    fn complete(&self, p: lt::CompletionParams) -> Option<lt::CompletionResponse> {
        let at = p.text_document_position;
        let doc = self.doc_of(&at.text_document.uri)?;
        let text = self.ws.text(&doc.path)?;
        let lines = Lines::new(text, self.encoding);
        let items = self
            .ws
            .complete(&doc.path, lines.offset(at.position))
            .into_iter()
            .map(|c| lt::CompletionItem {
                label: c.label,
                kind: Some(if c.key {
                    lt::CompletionItemKind::PROPERTY
                } else {
                    lt::CompletionItemKind::ENUM_MEMBER
                }),
                detail: (!c.detail.is_empty()).then_some(c.detail),
                text_edit: Some(lt::CompletionTextEdit::Edit(lt::TextEdit {
                    range: lt::Range::new(lines.position(c.start), lines.position(c.end)),
                    new_text: c.insert,
                })),
                ..Default::default()
            })
            .collect();
        Some(lt::CompletionResponse::Array(items))
    }

    fn code_actions(&self, p: lt::CodeActionParams) -> Option<lt::CodeActionResponse> {
        let uri = p.text_document.uri;
        let doc = self.doc_of(&uri)?;
        let text = self.ws.text(&doc.path)?;
        let lines = Lines::new(text, self.encoding);
        let (from, to) = (lines.offset(p.range.start), lines.offset(p.range.end));
        let mut actions = Vec::new();
        for f in self.ws.findings(&doc.path) {
            // The finding's range meets the requested one (touching counts: a cursor at a
            // finding's edge asks for its actions).
            if f.start > to || f.end < from {
                continue;
            }
            let diagnostic = self.diagnostic(&f, &lines);
            if let Some(fix) = &f.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|(s, e, t)| lt::TextEdit {
                        range: lt::Range::new(lines.position(*s), lines.position(*e)),
                        new_text: t.clone(),
                    })
                    .collect();
                actions.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: fix.title.clone(),
                    kind: Some(lt::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(lt::WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), edits)])),
                        ..Default::default()
                    }),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
            if let Some(edit) = self.suppression_edit(&doc.path, &f) {
                actions.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: format!(
                        "Ignore {} here (a [[suppress]] entry in spslint.toml)",
                        f.code
                    ),
                    kind: Some(lt::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(edit),
                    ..Default::default()
                }));
            }
        }
        Some(actions)
    }

    /// The workspace edit that adds a `[[suppress]]` table for `f` to `spslint.toml`: appended
    /// when the file exists, else a new file (when the client can create files).
    fn suppression_edit(&self, path: &Path, f: &Finding) -> Option<lt::WorkspaceEdit> {
        let s = self.ws.suppression(path, f)?;
        let uri = from_path(&s.file)?;
        match &s.end {
            Some((len, existing)) => {
                let at = Lines::new(existing, self.encoding).position(*len);
                Some(lt::WorkspaceEdit {
                    changes: Some(HashMap::from([(
                        uri,
                        vec![lt::TextEdit {
                            range: lt::Range::new(at, at),
                            new_text: s.text,
                        }],
                    )])),
                    ..Default::default()
                })
            }
            None if self.can_create => Some(lt::WorkspaceEdit {
                document_changes: Some(lt::DocumentChanges::Operations(vec![
                    lt::DocumentChangeOperation::Op(lt::ResourceOp::Create(lt::CreateFile {
                        uri: uri.clone(),
                        options: Some(lt::CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    })),
                    lt::DocumentChangeOperation::Edit(lt::TextDocumentEdit {
                        text_document: lt::OptionalVersionedTextDocumentIdentifier {
                            uri,
                            version: None,
                        },
                        edits: vec![lt::OneOf::Left(lt::TextEdit {
                            range: lt::Range::default(),
                            new_text: s.text,
                        })],
                    }),
                ])),
                ..Default::default()
            }),
            None => None,
        }
    }
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

fn params<P: serde::de::DeserializeOwned>(req: &Request) -> Result<P, Response> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        error(
            req.id.clone(),
            ErrorCode::InvalidParams,
            &format!("invalid parameters for {}: {e}", req.method),
        )
    })
}

fn to_path(uri: &lt::Uri) -> Option<PathBuf> {
    engine::path_of_uri(uri.as_str())
}

fn from_path(path: &Path) -> Option<lt::Uri> {
    engine::uri_of_path(path)?.parse().ok()
}
