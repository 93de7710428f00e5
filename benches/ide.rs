//! Editor budgets: what the `ide` layer costs on generated policies, and the round trip
//! of an edit through the language server.
//!
//! - `ide/diagnostics`: `Analysis::new`, the whole work behind the diagnostics of an edit
//!   (load, analyze, regions kept for hover), 1,000 and 10,000 rules (budgets 150 ms and
//!   1 s);
//! - `ide/hover`, `ide/completion`, `ide/inlay`: one request on an analyzed 1,000-rule
//!   document (budget 50 ms each);
//! - `lsp/edit-to-diagnostics`: a `didChange` sent to the server in-process until its
//!   `publishDiagnostics` arrives, which includes the server's debounce
//!   (`guardc::lsp::DEBOUNCE`).
//!
//! `cargo bench --bench ide -- --warm-up-time 1 --measurement-time 3`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup: a generator or server failure must stop the run loudly"
)]

#[path = "support/realistic.rs"]
mod realistic;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use guardc::analysis::LevelConfig;
use guardc::ide::{Analysis, completions, hover, inlay_hints};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use realistic::{Kind, generate};
use serde_json::json;

fn ide(c: &mut Criterion) {
    let levels = LevelConfig::new();
    let mut group = c.benchmark_group("ide");
    group.sample_size(10);
    for rules in [1_000, 10_000] {
        let generated = generate(Kind::Gated, rules);
        group.bench_with_input(
            BenchmarkId::new("diagnostics", rules),
            &generated.yaml,
            |b, text| {
                b.iter(|| black_box(Analysis::new("policy.yaml", text, &levels)));
            },
        );
    }
    let generated = generate(Kind::Gated, 1_000);
    let analysis = Analysis::new("policy.yaml", &generated.yaml, &levels);
    let policy = analysis.policy().expect("the generated policy loads");
    let middle = &policy.rules[policy.rules.len() / 2];
    let on_pattern = middle
        .spans
        .patterns
        .first()
        .map_or(middle.spans.rule.start, |s| s.start + 1);
    let link = |_| String::new();
    group.bench_function("hover/1000", |b| {
        b.iter(|| black_box(hover(&analysis, on_pattern, &link)));
    });
    // A new key typed on its own line inside the middle rule.
    let lines = analysis.source().lines();
    let next_line = lines.line_start(lines.line_of(middle.spans.rule.start) + 1);
    let mut typed = generated.yaml.clone();
    typed.insert_str(next_line, "    esc\n");
    let typing = Analysis::new("policy.yaml", &typed, &levels);
    group.bench_function("completion/1000", |b| {
        b.iter(|| black_box(completions(&typing, next_line + 7)));
    });
    group.bench_function("inlay/1000", |b| {
        b.iter(|| black_box(inlay_hints(&analysis)));
    });
    group.finish();
}

fn round_trip(c: &mut Criterion) {
    let (server_side, client) = Connection::memory();
    let server = std::thread::spawn(move || guardc::lsp::serve(&server_side).unwrap());
    let send = |m: Message| client.sender.send(m).unwrap();
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".to_owned(),
        json!({ "capabilities": {} }),
    )));
    let _ = client.receiver.recv().unwrap();
    send(Message::Notification(Notification::new(
        "initialized".to_owned(),
        json!({}),
    )));
    let uri = "file:///bench/policy.yaml";
    let generated = generate(Kind::Gated, 1_000);
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".to_owned(),
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": generated.yaml } }),
    )));
    let wait_for = |version: i32| loop {
        if let Message::Notification(n) = client.receiver.recv().unwrap() {
            if n.method == "textDocument/publishDiagnostics"
                && n.params["version"] == json!(version)
            {
                return;
            }
        }
    };
    wait_for(1);
    let mut version = 1;
    let mut group = c.benchmark_group("lsp");
    group.sample_size(10);
    group.bench_function("edit-to-diagnostics/1000", |b| {
        b.iter(|| {
            version += 1;
            // Append a comment: a real edit, the same rules.
            send(Message::Notification(Notification::new(
                "textDocument/didChange".to_owned(),
                json!({
                    "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": format!("{}# edit {version}\n", generated.yaml) }],
                }),
            )));
            wait_for(version);
        });
    });
    group.finish();
    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".to_owned(),
        json!(null),
    )));
    send(Message::Notification(Notification::new(
        "exit".to_owned(),
        json!(null),
    )));
    drop(client);
    server.join().unwrap();
}

criterion_group!(benches, ide, round_trip);
criterion_main!(benches);
