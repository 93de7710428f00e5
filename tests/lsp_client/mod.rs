//! An in-process language client for the protocol tests: the server runs on a thread
//! over `lsp_server::Connection::memory()`, and the test speaks JSON-RPC to it the way
//! an editor does, keeping every notification the server sends.

use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    /// Notifications received so far, in order.
    pub notifications: Vec<Notification>,
    pub initialize_result: Value,
}

/// How long a test waits for one message before it fails.
const TIMEOUT: Duration = Duration::from_secs(30);

impl Client {
    /// Start a server and initialize it with these client capabilities.
    pub fn start(capabilities: Value) -> Client {
        Client::start_with(capabilities, Value::Null)
    }

    pub fn start_with(capabilities: Value, options: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || {
            guardc::lsp::serve(&server_side).expect("the server runs to exit");
        });
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            notifications: Vec::new(),
            initialize_result: Value::Null,
        };
        client.initialize_result = client.request(
            "initialize",
            json!({ "capabilities": capabilities, "initializationOptions": options }),
        );
        client.notify("initialized", json!({}));
        client
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .expect("the server is listening");
    }

    /// Send a request and wait for its result (an error response is returned as
    /// `{"error": ...}`); notifications that arrive meanwhile are kept.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .expect("the server is listening");
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return match response.error {
                        Some(error) => json!({ "error": error.message }),
                        None => response.result.unwrap_or(Value::Null),
                    };
                }
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time")
    }

    pub fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    /// Replace the whole text (version `version`).
    pub fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// Wait until diagnostics for `uri` at `version` are published; returns them.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i32>) -> Value {
        loop {
            if let Some(found) = self
                .published(uri)
                .into_iter()
                .rev()
                .find(|p| version.is_none_or(|v| p.get("version") == Some(&json!(v))))
            {
                return found["diagnostics"].clone();
            }
            if let Message::Notification(notification) = self.receive() {
                self.notifications.push(notification);
            }
        }
    }

    /// Every publishDiagnostics params for `uri` received so far.
    pub fn published(&self, uri: &str) -> Vec<Value> {
        self.notifications
            .iter()
            .filter(|n| n.method == "textDocument/publishDiagnostics")
            .filter(|n| n.params["uri"] == json!(uri))
            .map(|n| n.params.clone())
            .collect()
    }

    /// A request about a document at a position.
    pub fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        self.request(
            method,
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": character },
                "context": { "includeDeclaration": true },
            }),
        )
    }

    /// A request about a range of lines of a document.
    pub fn range(&mut self, method: &str, uri: &str, first: u32, last: u32) -> Value {
        self.request(
            method,
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": first, "character": 0 }, "end": { "line": last, "character": 0 } },
                "context": { "diagnostics": [] },
            }),
        )
    }

    /// Shut the server down and wait for its thread.
    pub fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            server.join().expect("the server thread ends cleanly");
        }
    }
}

/// Apply a code action's edits (`edit.changes[uri]`) to a text, as an editor does.
pub fn apply_action(text: &str, action: &Value, uri: &str) -> String {
    let index = guardc::source::LineIndex::new(text);
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["changes"][uri]
        .as_array()
        .expect("the action edits the document")
        .iter()
        .map(|edit| {
            let offset = |p: &Value| {
                index.offset_of_utf16(
                    p["line"].as_u64().unwrap_or(0) as usize,
                    p["character"].as_u64().unwrap_or(0) as usize,
                )
            };
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    let mut text = text.to_owned();
    for (start, end, new_text) in edits {
        text.replace_range(start..end, &new_text);
    }
    text
}
