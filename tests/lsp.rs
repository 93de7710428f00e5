//! Protocol tests of `guardc lsp`: an in-process client drives the server over
//! `lsp_server::Connection::memory()`, and every kind of response is snapshotted
//! (diagnostics, hover, inlay hints, completion, code actions and the edits they apply,
//! symbols, definition and references, the decide command, code lenses).

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking when the server does not answer as expected"
)]

mod lsp_client;

use lsp_client::{Client, apply_action};
use serde_json::{Value, json};

const SEED: &str = include_str!("../examples/broken/seed-paste.yaml");
const REACHABILITY: &str = include_str!("../examples/findings/reachability.yaml");
const APPROVAL: &str = include_str!("../examples/findings/approval.yaml");
const EMOJI: &str = include_str!("../fixtures/lsp/emoji.yaml");
const EXPECT: &str = include_str!("../fixtures/lsp/expect.yaml");
const HALF_TYPED: &str = include_str!("../fixtures/lsp/half-typed.yaml");
const COMPLETION: &str = include_str!("../fixtures/lsp/completion.yaml");

/// Snapshot a JSON value as pretty text (numbers keep their spelling).
macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::assert_snapshot!(
            $name,
            serde_json::to_string_pretty(&$value).unwrap_or_default()
        )
    };
}

fn utf16_client() -> Client {
    Client::start(json!({}))
}

/// The diagnostics as `line:col code message-first-line` rows, for compact assertions.
fn rows(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d["range"]["start"]["line"],
                d["range"]["start"]["character"],
                d["code"].as_str().unwrap_or(""),
                d["message"]
                    .as_str()
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn the_seed_paste_session_indent_fix_updates_the_diagnostics() {
    let uri = "file:///fixtures/seed-paste.yaml";
    let mut client = Client::start_with(json!({}), json!({ "decideCallLens": true }));
    snap!("initialize", client.initialize_result);
    client.open(uri, SEED);
    let before = client.diagnostics(uri, Some(1));
    snap!("seed_diagnostics", before);

    // Hover on the pattern, then the hint after the rule.
    snap!(
        "seed_hover_pattern",
        client.at("textDocument/hover", uri, 4, 14)
    );
    snap!("seed_hover_key", client.at("textDocument/hover", uri, 5, 3));
    snap!(
        "seed_inlay",
        client.range("textDocument/inlayHint", uri, 0, 9)
    );

    // The quick fixes on the misplaced `escalate_on_deny`.
    let actions = client.range("textDocument/codeAction", uri, 5, 5);
    snap!("seed_actions", actions);
    let indent = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Indent")))
        })
        .expect("an indent fix is offered")
        .clone();
    assert_eq!(indent["isPreferred"], json!(true));
    let fixed = apply_action(SEED, &indent, uri);
    insta::assert_snapshot!("seed_after_indent", fixed);
    client.change(uri, 2, &fixed);
    let after = client.diagnostics(uri, Some(2));
    let after_rows = rows(&after);
    assert!(
        !after_rows
            .iter()
            .any(|r| r.contains("`escalate_on_deny` is written at the top level"))
    );
    assert!(
        after_rows
            .iter()
            .any(|r| r.contains("`reason` is written at the top level"))
    );
    snap!("seed_diagnostics_after_indent", after);
    snap!(
        "seed_inlay_after_indent",
        client.range("textDocument/inlayHint", uri, 0, 9)
    );

    snap!(
        "seed_lens",
        client.request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri } })
        )
    );
    let decided = client.request(
        "workspace/executeCommand",
        json!({ "command": "guardc.decide", "arguments": [uri, "Bash:sudo apt-get install x"] }),
    );
    insta::assert_snapshot!("seed_decide", decided.as_str().unwrap_or(""));

    // Closing the document clears its diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let _ = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    let last = client.published(uri).last().cloned().expect("published");
    assert_eq!(last["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn reachability_hover_definition_references_symbols_and_actions() {
    let uri = "file:///fixtures/reachability.yaml";
    let mut client = utf16_client();
    client.open(uri, REACHABILITY);
    snap!("reachability_diagnostics", client.diagnostics(uri, Some(1)));
    // rules[2] (repo-ops), blocked by rules[0] and rules[1].
    snap!(
        "reachability_hover_unreachable",
        client.at("textDocument/hover", uri, 7, 2)
    );
    snap!(
        "reachability_hover_key",
        client.at("textDocument/hover", uri, 8, 6)
    );
    snap!(
        "reachability_hover_reachable",
        client.at("textDocument/hover", uri, 16, 14)
    );
    snap!(
        "reachability_definition",
        client.at("textDocument/definition", uri, 8, 8)
    );
    snap!(
        "reachability_references",
        client.at("textDocument/references", uri, 11, 6)
    );
    snap!(
        "reachability_symbols",
        client.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } })
        )
    );
    snap!(
        "reachability_inlay",
        client.range("textDocument/inlayHint", uri, 0, 20)
    );
    let actions = client.range("textDocument/codeAction", uri, 12, 13);
    snap!("reachability_actions_dead_rule", actions);
    client.shutdown();
}

#[test]
fn approval_actions_write_booleans_and_add_the_flag() {
    let uri = "file:///fixtures/approval.yaml";
    let mut client = utf16_client();
    client.open(uri, APPROVAL);
    let _ = client.diagnostics(uri, Some(1));
    let not_boolean = client.range("textDocument/codeAction", uri, 15, 15);
    snap!("approval_actions_not_boolean", not_boolean);
    let intent = client.range("textDocument/codeAction", uri, 18, 18);
    snap!("approval_actions_intent", intent);
    let never_offered = client.range("textDocument/codeAction", uri, 6, 6);
    snap!("approval_actions_never_offered", never_offered);
    client.shutdown();
}

#[test]
fn positions_after_an_emoji_follow_the_negotiated_encoding() {
    let uri = "file:///fixtures/emoji.yaml";
    let mut utf16 = utf16_client();
    assert_eq!(
        utf16.initialize_result["capabilities"]["positionEncoding"],
        json!("utf-16")
    );
    utf16.open(uri, EMOJI);
    let in_units = utf16.diagnostics(uri, Some(1));
    snap!("emoji_utf16", in_units);
    utf16.shutdown();

    let mut utf8 =
        Client::start(json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }));
    assert_eq!(
        utf8.initialize_result["capabilities"]["positionEncoding"],
        json!("utf-8")
    );
    utf8.open(uri, EMOJI);
    let in_bytes = utf8.diagnostics(uri, Some(1));
    snap!("emoji_utf8", in_bytes);
    // The emoji is 2 UTF-16 units and 4 bytes: the finding after it is 2 columns apart.
    let column = |d: &Value| {
        d.as_array()
            .into_iter()
            .flatten()
            .find(|d| d["code"] == json!("GC0505"))
            .and_then(|d| d["range"]["start"]["character"].as_u64())
            .unwrap_or(0)
    };
    assert_eq!(column(&in_bytes), column(&in_units) + 2);
    // Hover at the finding's column, in each encoding, lands on the same pattern.
    let hover = utf8.at("textDocument/hover", uri, 4, column(&in_bytes) as u32 + 2);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("Bsh:sudo *")
    );
    utf8.shutdown();
}

#[test]
fn a_half_typed_document_keeps_the_findings_of_the_rules_above_it() {
    let uri = "file:///fixtures/half-typed.yaml";
    let mut client = utf16_client();
    client.open(uri, HALF_TYPED);
    let diagnostics = client.diagnostics(uri, Some(1));
    let rows = rows(&diagnostics);
    assert!(rows.iter().any(|r| r.contains("GC0003")), "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("GC0202") || r.contains("GC0201")),
        "{rows:?}"
    );
    snap!("half_typed_diagnostics", diagnostics);
    snap!(
        "half_typed_inlay",
        client.range("textDocument/inlayHint", uri, 0, 9)
    );
    client.shutdown();
}

#[test]
fn after_a_burst_of_edits_only_the_last_version_is_published() {
    let uri = "file:///fixtures/burst.yaml";
    let mut client = utf16_client();
    client.open(uri, "version: '1'\nrules:\n  - deny: 'Bash:rm *'\n");
    let _ = client.diagnostics(uri, Some(1));
    let mut text = String::from("version: '1'\nrules:\n  - deny: 'Bash:rm *'\n");
    let lines = [
        "  - deny: 'Bash:rm -rf *'\n",
        "  - allow: 'Bsh:ls'\n",
        "  - deny: 'Bash:rm -f *'\n",
        "  - allow: 'Read'\n",
        "  - deny: 'Bash:rm -r *'\n",
    ];
    for (version, line) in (2..).zip(lines) {
        text.push_str(line);
        client.change(uri, version, &text);
    }
    let last = client.diagnostics(uri, Some(6));
    // Nothing published after the last version, and what it shows is the last text's.
    let published = client.published(uri);
    assert_eq!(
        published.last().map(|p| p["version"].clone()),
        Some(json!(6))
    );
    let versions: Vec<Value> = published.iter().map(|p| p["version"].clone()).collect();
    assert!(
        versions.windows(2).all(|w| w[0].as_i64() < w[1].as_i64()),
        "{versions:?}"
    );
    let rows = rows(&last);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("7:") && r.contains("rules[5]")),
        "{rows:?}"
    );
    snap!("burst_last_diagnostics", last);
    client.shutdown();
}

#[test]
fn completion_offers_missing_keys_values_operators_and_tools() {
    let uri = "file:///fixtures/completion.yaml";
    let mut client = utf16_client();
    client.open(uri, COMPLETION);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|i| i["label"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let setting_value = client.at("textDocument/completion", uri, 2, 18);
    snap!("completion_setting_value", setting_value);
    let rule_key = client.at("textDocument/completion", uri, 6, 7);
    let keys = labels(&rule_key);
    assert!(keys.contains(&"escalate_on_deny".to_owned()), "{keys:?}");
    assert!(
        !keys.contains(&"reason".to_owned()) && !keys.contains(&"allow".to_owned()),
        "{keys:?}"
    );
    snap!("completion_rule_key", rule_key);
    snap!(
        "completion_effect",
        labels(&client.at("textDocument/completion", uri, 7, 12))
    );
    let tools = labels(&client.at("textDocument/completion", uri, 9, 11));
    assert!(
        tools.contains(&"Bash".to_owned()) && tools.contains(&"run_shell_command".to_owned()),
        "{tools:?}"
    );
    snap!(
        "completion_operator",
        labels(&client.at("textDocument/completion", uri, 13, 12))
    );
    snap!(
        "completion_top_level",
        labels(&client.at("textDocument/completion", uri, 14, 0))
    );
    client.shutdown();
}

#[test]
fn expectation_comments_show_their_decision_and_report_mismatches() {
    let uri = "file:///fixtures/expect.yaml";
    let mut client = utf16_client();
    client.open(uri, EXPECT);
    snap!("expect_diagnostics", client.diagnostics(uri, Some(1)));
    snap!(
        "expect_inlay",
        client.range("textDocument/inlayHint", uri, 0, 10)
    );
    snap!("expect_hover", client.at("textDocument/hover", uri, 1, 20));
    snap!(
        "expect_definition",
        client.at("textDocument/definition", uri, 1, 20)
    );
    client.shutdown();
}

#[test]
fn pull_clients_get_reports_and_no_pushed_diagnostics() {
    let uri = "file:///fixtures/seed-paste.yaml";
    let mut client = Client::start(
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
    );
    assert!(client.initialize_result["capabilities"]["diagnosticProvider"].is_object());
    client.open(uri, SEED);
    let report = client.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(report["kind"], json!("full"));
    let items = rows(&report["items"]);
    assert_eq!(
        items.iter().filter(|r| r.contains("GC0401")).count(),
        2,
        "{items:?}"
    );
    assert!(client.published(uri).is_empty());
    client.shutdown();
}

#[test]
fn a_changed_guardc_toml_republishes_with_its_levels() {
    let dir = std::env::temp_dir().join(format!("guardc-lsp-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let policy = dir.join("controlzero.yaml");
    std::fs::write(&policy, SEED).expect("write policy");
    let config = dir.join("guardc.toml");
    std::fs::write(&config, "").expect("write config");
    let uri = format!("file://{}", policy.display());
    let config_uri = format!("file://{}", config.display());
    let mut client = Client::start(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    client.open(&uri, SEED);
    let before = rows(&client.diagnostics(&uri, Some(1)));
    assert!(before.iter().any(|r| r.contains("GC0501")), "{before:?}");
    std::fs::write(&config, "[levels]\nhook-subject-mismatch = \"allow\"\n").expect("write config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config_uri, "type": 2 }] }),
    );
    let _ = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    let mut tries = 0;
    let after = loop {
        let published = client.published(&uri);
        if published.len() >= 2 {
            break rows(&published[published.len() - 1]["diagnostics"]);
        }
        tries += 1;
        assert!(
            tries < 500,
            "no diagnostics were published after the change"
        );
        let _ = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(!after.iter().any(|r| r.contains("GC0501")), "{after:?}");
    assert_eq!(after.len(), before.len() - 1);
    client.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
