//! The message loop: the document store, dispatch, and when diagnostics are published.
//!
//! Messages are handled in arrival order on one thread. An edit only updates the text
//! and marks the document changed; analysis happens when something needs it (a request
//! about the document, or publishing). Before the server publishes, it takes every
//! message that has already arrived: newer edits to the same document are applied first,
//! and a result for a version that is no longer current is dropped, never published.
//! So a burst of keystrokes costs one analysis, of the last version, and the editor
//! never shows diagnostics of an older text. A short debounce after an edit
//! ([`DEBOUNCE`]) gives the next keystroke the chance to arrive before analysis starts.

use std::collections::{HashMap, VecDeque};
use std::error::Error;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::Url;
use serde_json::{Value, json};

use super::config::{ConfigFiles, is_config};
use super::convert;
use super::position::{Encoding, Positions};
use crate::ide::{self, Analysis};

/// How long after an edit the server waits for the next one before it analyzes.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// The command that decides a call: arguments `[uri, "Bash:sudo ls"]`, result the text
/// of `guardc eval --explain`.
const DECIDE: &str = "guardc.decide";

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// One open document.
#[derive(Debug)]
struct Document {
    text: String,
    version: i32,
    /// The analysis of the current version, once computed.
    analysis: Option<Rc<Analysis>>,
    /// The version whose diagnostics were last published.
    published: Option<i32>,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); nothing is pushed.
    pull: bool,
    /// The client can be asked to pull again (`workspace/diagnostic/refresh`).
    refresh: bool,
    documents: HashMap<Url, Document>,
    configs: ConfigFiles,
    /// Messages received but not handled yet, in arrival order.
    pending: VecDeque<Message>,
    /// No analysis before this instant (the debounce after an edit).
    quiet_until: Option<Instant>,
    config_problems_shown: Vec<String>,
    next_id: u32,
    shutting_down: bool,
}

/// Run the server on a connection: the initialize handshake, then messages until
/// `exit` (or until the client goes away).
pub fn serve(connection: &Connection) -> Result<()> {
    let (id, params) = connection.initialize_start()?;
    let params: lsp::InitializeParams = serde_json::from_value(params)?;
    let encoding = Encoding::negotiate(&params.capabilities);
    let text_document = params.capabilities.text_document.as_ref();
    let pull = text_document.and_then(|t| t.diagnostic.as_ref()).is_some();
    let workspace = params.capabilities.workspace.as_ref();
    let refresh = workspace
        .and_then(|w| w.diagnostic.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    let lens = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("decideCallLens"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let result = lsp::InitializeResult {
        capabilities: capabilities(encoding, pull, lens),
        server_info: Some(lsp::ServerInfo {
            name: "guardc".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        connection,
        encoding,
        pull,
        refresh,
        documents: HashMap::new(),
        configs: ConfigFiles::default(),
        pending: VecDeque::new(),
        quiet_until: None,
        config_problems_shown: Vec::new(),
        next_id: 0,
        shutting_down: false,
    };
    let problems = server.configs.set_editor_levels(
        params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("levels")),
    );
    for problem in problems {
        server.notify(
            "window/showMessage",
            lsp::ShowMessageParams {
                typ: lsp::MessageType::WARNING,
                message: format!("guardc: {problem}"),
            },
        );
    }
    let watch = workspace
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    if watch {
        server.watch_config_files()?;
    }
    server.run()
}

fn capabilities(encoding: Encoding, pull: bool, lens: bool) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp::TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "'".into()]),
            ..lsp::CompletionOptions::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..lsp::CodeActionOptions::default()
            },
        )),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        code_lens_provider: lens.then_some(lsp::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![DECIDE.to_owned()],
            ..lsp::ExecuteCommandOptions::default()
        }),
        diagnostic_provider: pull.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("guardc".to_owned()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..lsp::DiagnosticOptions::default()
            })
        }),
        ..lsp::ServerCapabilities::default()
    }
}

impl Server<'_> {
    fn run(&mut self) -> Result<()> {
        loop {
            let message = match self.pending.pop_front() {
                Some(message) => message,
                None => match self.wait()? {
                    Some(message) => message,
                    None => return Ok(()),
                },
            };
            self.take_arrived();
            match message {
                Message::Request(request) => self.on_request(request)?,
                Message::Notification(notification) => {
                    if notification.method == "exit" {
                        return Ok(());
                    }
                    self.on_notification(notification)?;
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Wait for the next message; while waiting, publish what changed once the
    /// debounce is over. `None` when the client is gone.
    fn wait(&mut self) -> Result<Option<Message>> {
        loop {
            let changed = self
                .documents
                .values()
                .any(|d| d.published != Some(d.version));
            if !changed || self.pull {
                return Ok(self.connection.receiver.recv().ok());
            }
            let left = self.quiet_until.map_or(Duration::ZERO, |t| {
                t.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                self.publish_changed()?;
                if self.pending.is_empty() {
                    continue;
                }
                return Ok(self.pending.pop_front());
            }
            match self.connection.receiver.recv_timeout(left) {
                Ok(message) => return Ok(Some(message)),
                Err(RecvTimeoutError::Timeout) => self.quiet_until = None,
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
            }
        }
    }

    /// Move every message that has arrived into `pending`; a `$/cancelRequest` for a
    /// request still waiting there answers it as cancelled.
    fn take_arrived(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            if let Message::Notification(n) = &message {
                if n.method == "$/cancelRequest" {
                    let id = n.params.get("id").cloned().and_then(request_id);
                    let queued = self.pending.iter().position(
                        |m| matches!(m, Message::Request(r) if Some(&r.id) == id.as_ref()),
                    );
                    if let (Some(at), Some(id)) = (queued, id) {
                        self.pending.remove(at);
                        self.send(Response::new_err(
                            id,
                            ErrorCode::RequestCanceled as i32,
                            "cancelled".to_owned(),
                        ));
                    }
                    continue;
                }
            }
            self.pending.push_back(message);
        }
    }

    /// Whether an edit, close or reopen of `uri` is waiting.
    fn newer_change_waiting(&self, uri: &Url) -> bool {
        self.pending.iter().any(|m| match m {
            Message::Notification(n) if n.method.starts_with("textDocument/did") => {
                n.params
                    .get("textDocument")
                    .and_then(|d| d.get("uri"))
                    .and_then(Value::as_str)
                    == Some(uri.as_str())
            }
            _ => false,
        })
    }

    /// Analyze and publish every document whose current version was not published;
    /// a result overtaken by a newer edit meanwhile is dropped.
    fn publish_changed(&mut self) -> Result<()> {
        let changed: Vec<Url> = self
            .documents
            .iter()
            .filter(|(_, d)| d.published != Some(d.version))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in changed {
            if self.newer_change_waiting(&uri) {
                continue;
            }
            let Some(analysis) = self.analysis(&uri) else {
                continue;
            };
            self.take_arrived();
            if self.newer_change_waiting(&uri) {
                continue;
            }
            let Some(document) = self.documents.get_mut(&uri) else {
                continue;
            };
            document.published = Some(document.version);
            let version = document.version;
            let positions = self.positions(&analysis);
            let diagnostics = convert::diagnostics(&positions, &uri, &analysis);
            self.publish(uri, diagnostics, Some(version));
        }
        Ok(())
    }

    fn publish(&self, uri: Url, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify("textDocument/publishDiagnostics", params);
    }

    /// The analysis of the current version of a document (computed on first use).
    fn analysis(&mut self, uri: &Url) -> Option<Rc<Analysis>> {
        let document = self.documents.get(uri)?;
        if let Some(analysis) = &document.analysis {
            return Some(Rc::clone(analysis));
        }
        let (levels, problem) = self.configs.levels_for(uri);
        if let Some(problem) = problem {
            if !self.config_problems_shown.contains(&problem) {
                self.notify(
                    "window/showMessage",
                    lsp::ShowMessageParams {
                        typ: lsp::MessageType::WARNING,
                        message: format!("guardc: {problem}; using the default levels"),
                    },
                );
                self.config_problems_shown.push(problem);
            }
        }
        let document = self.documents.get_mut(uri)?;
        let analysis = Rc::new(Analysis::new(&document_name(uri), &document.text, &levels));
        document.analysis = Some(Rc::clone(&analysis));
        Some(analysis)
    }

    fn positions<'a>(&self, analysis: &'a Analysis) -> Positions<'a> {
        Positions {
            lines: analysis.source().lines(),
            text: analysis.text(),
            encoding: self.encoding,
        }
    }

    fn on_notification(&mut self, notification: Notification) -> Result<()> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: lsp::DidOpenTextDocumentParams = parse(notification.params)?;
                let document = params.text_document;
                self.documents.insert(
                    document.uri,
                    Document {
                        text: document.text,
                        version: document.version,
                        analysis: None,
                        published: None,
                    },
                );
            }
            "textDocument/didChange" => {
                let params: lsp::DidChangeTextDocumentParams = parse(notification.params)?;
                let encoding = self.encoding;
                if let Some(document) = self.documents.get_mut(&params.text_document.uri) {
                    for change in params.content_changes {
                        apply_change(&mut document.text, change, encoding);
                    }
                    document.version = params.text_document.version;
                    document.analysis = None;
                    self.quiet_until = Some(Instant::now() + DEBOUNCE);
                }
            }
            "textDocument/didClose" => {
                let params: lsp::DidCloseTextDocumentParams = parse(notification.params)?;
                self.documents.remove(&params.text_document.uri);
                if !self.pull {
                    self.publish(params.text_document.uri, Vec::new(), None);
                }
            }
            "textDocument/didSave" => {
                let params: lsp::DidSaveTextDocumentParams = parse(notification.params)?;
                if is_config(&params.text_document.uri) {
                    self.config_changed()?;
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let params: lsp::DidChangeWatchedFilesParams = parse(notification.params)?;
                if params.changes.iter().any(|c| is_config(&c.uri)) {
                    self.config_changed()?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A `guardc.toml` changed: every document is analyzed again under its new levels.
    fn config_changed(&mut self) -> Result<()> {
        self.configs.clear();
        self.config_problems_shown.clear();
        for document in self.documents.values_mut() {
            document.analysis = None;
            document.published = None;
        }
        if self.pull && self.refresh {
            let id = self.request_id();
            self.send(Request::new(
                id,
                "workspace/diagnostic/refresh".to_owned(),
                Value::Null,
            ));
        }
        Ok(())
    }

    fn watch_config_files(&mut self) -> Result<()> {
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String("**/guardc.toml".to_owned()),
                kind: None,
            }],
        };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "guardc-config".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: Some(serde_json::to_value(options)?),
            }],
        };
        let id = self.request_id();
        self.send(Request::new(
            id,
            "client/registerCapability".to_owned(),
            params,
        ));
        Ok(())
    }

    fn on_request(&mut self, request: Request) -> Result<()> {
        if self.shutting_down {
            self.send(Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            ));
            return Ok(());
        }
        let id = request.id.clone();
        let result = match request.method.as_str() {
            "shutdown" => {
                self.shutting_down = true;
                Ok(Value::Null)
            }
            method => self.dispatch(method, request.params),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(RequestError(code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response);
        Ok(())
    }

    fn dispatch(
        &mut self,
        method: &str,
        params: Value,
    ) -> std::result::Result<Value, RequestError> {
        let uri = params
            .get("textDocument")
            .and_then(|d| d.get("uri"))
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok());
        let command_uri = params
            .get("arguments")
            .and_then(|a| a.get(0))
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok());
        let Some(uri) = uri.or(command_uri) else {
            return Err(RequestError(
                ErrorCode::MethodNotFound,
                format!("unsupported request {method}"),
            ));
        };
        let Some(analysis) = self.analysis(&uri) else {
            return Err(RequestError(
                ErrorCode::InvalidParams,
                format!("{uri} is not open"),
            ));
        };
        let positions = self.positions(&analysis);
        let position = || -> usize {
            params
                .get("position")
                .cloned()
                .and_then(|p| serde_json::from_value::<lsp::Position>(p).ok())
                .map_or(0, |p| positions.offset(p))
        };
        let value = match method {
            "textDocument/diagnostic" => {
                if let Some(document) = self.documents.get_mut(&uri) {
                    document.published = Some(document.version);
                }
                let report =
                    lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                        related_documents: None,
                        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                            result_id: None,
                            items: convert::diagnostics(&positions, &uri, &analysis),
                        },
                    });
                to_value(report)
            }
            "textDocument/hover" => {
                let link = |span| convert::link(&positions, &uri, span);
                let found = ide::hover(&analysis, position(), &link);
                to_value(found.map(|h| convert::hover(&positions, h)))
            }
            "textDocument/inlayHint" => {
                let hints: Vec<lsp::InlayHint> = ide::inlay_hints(&analysis)
                    .into_iter()
                    .map(|hint| convert::inlay_hint(&positions, hint))
                    .collect();
                to_value(hints)
            }
            "textDocument/completion" => {
                let items: Vec<lsp::CompletionItem> = ide::completions(&analysis, position())
                    .into_iter()
                    .map(|item| convert::completion(&positions, item))
                    .collect();
                to_value(items)
            }
            "textDocument/codeAction" => {
                let range = params
                    .get("range")
                    .cloned()
                    .and_then(|r| serde_json::from_value::<lsp::Range>(r).ok())
                    .map_or(crate::source::Span::point(0), |r| positions.span(r));
                let (levels, _) = self.configs.levels_for(&uri);
                let actions: Vec<lsp::CodeActionOrCommand> =
                    ide::code_actions(&analysis, range, &levels)
                        .into_iter()
                        .map(|action| convert::code_action(&positions, &uri, &analysis, action))
                        .collect();
                to_value(actions)
            }
            "textDocument/documentSymbol" => {
                let symbols: Vec<lsp::DocumentSymbol> = ide::symbols(&analysis)
                    .into_iter()
                    .map(|symbol| convert::symbol(&positions, symbol))
                    .collect();
                to_value(symbols)
            }
            "textDocument/definition" => {
                let locations: Vec<lsp::Location> = ide::definition(&analysis, position())
                    .into_iter()
                    .map(|span| lsp::Location::new(uri.clone(), positions.range(span)))
                    .collect();
                to_value(locations)
            }
            "textDocument/references" => {
                let include = params
                    .get("context")
                    .and_then(|c| c.get("includeDeclaration"))
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                let locations: Vec<lsp::Location> = ide::references(&analysis, position(), include)
                    .into_iter()
                    .map(|span| lsp::Location::new(uri.clone(), positions.range(span)))
                    .collect();
                to_value(locations)
            }
            "textDocument/codeLens" => {
                let lenses: Vec<lsp::CodeLens> = ide::code_lenses(&analysis)
                    .into_iter()
                    .map(|lens| convert::code_lens(&positions, &uri, lens))
                    .collect();
                to_value(lenses)
            }
            "workspace/executeCommand" if params.get("command") == Some(&json!(DECIDE)) => {
                let call = params
                    .get("arguments")
                    .and_then(|a| a.get(1))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if call.trim().is_empty() {
                    return Err(RequestError(
                        ErrorCode::InvalidParams,
                        "give the call to decide, e.g. `Bash:sudo ls`".to_owned(),
                    ));
                }
                match ide::decide_call(&analysis, call) {
                    Some(outcome) => Value::String(outcome.text),
                    None => Value::String(
                        "the document does not load, so no call can be decided; fix its errors first"
                            .to_owned(),
                    ),
                }
            }
            _ => {
                return Err(RequestError(
                    ErrorCode::MethodNotFound,
                    format!("unsupported request {method}"),
                ));
            }
        };
        Ok(value)
    }

    fn request_id(&mut self) -> RequestId {
        self.next_id += 1;
        RequestId::from(format!("guardc-{}", self.next_id))
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_owned(), params));
    }

    /// Send a message; a client that went away ends the loop at the next receive.
    fn send(&self, message: impl Into<Message>) {
        let _ = self.connection.sender.send(message.into());
    }
}

/// A request that failed: the error code and message sent back.
struct RequestError(ErrorCode, String);

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T> {
    Ok(serde_json::from_value(params)?)
}

fn to_value(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn request_id(value: Value) -> Option<RequestId> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Value::String(s) => Some(RequestId::from(s)),
        _ => None,
    }
}

/// The name the loader sees: the file name, whose suffix selects YAML or JSON (an
/// untitled buffer is read as YAML).
fn document_name(uri: &Url) -> String {
    let name = uri.path().rsplit('/').next().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    if [".yaml", ".yml", ".json"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        name.to_owned()
    } else {
        format!("{name}.yaml")
    }
}

/// Apply one content change (a range edit, or the whole text) in the session's encoding.
fn apply_change(
    text: &mut String,
    change: lsp::TextDocumentContentChangeEvent,
    encoding: Encoding,
) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let lines = crate::source::LineIndex::new(text);
    let span = Positions {
        lines: &lines,
        text,
        encoding,
    }
    .span(range);
    text.replace_range(span.start..span.end, &change.text);
}
