//! The load-error vectors (`fixtures/conformance/load_errors/`), recorded from the
//! reference SDK: which documents load, and for the ones the reference refuses with its
//! own error list, exactly that list, in order, as the diagnostics' compat messages.
//! Plus snapshots of the human-facing fields, so that their wording is reviewed.

mod common;

use guardc::policy::{LoadResult, load, load_bytes};
use guardc::source::SourceFile;
use serde_json::Value;

/// The compat messages of the error diagnostics, in order.
fn compat_errors(result: &LoadResult) -> Vec<String> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.compat_message.clone())
        .collect()
}

/// Why a case fails, or `None` when it passes.
fn check_case(case: &Value) -> Option<String> {
    let result = load(common::case_source(case));
    let kind = case["expected_error_kind"].as_str();
    let got = compat_errors(&result);
    match kind {
        None => {
            let expected = case["expected_rule_count"].as_u64()?;
            match &result.policy {
                Some(policy) if !result.has_errors() && policy.rules.len() as u64 == expected => {
                    None
                }
                Some(policy) => Some(format!(
                    "loaded {} rules, expected {expected}",
                    policy.rules.len()
                )),
                None => Some(format!("did not load: {:#?}", messages(&result))),
            }
        }
        Some("PolicyValidationError") => {
            let expected: Vec<String> = case["expected_errors"]
                .as_array()?
                .iter()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect();
            (got != expected || result.policy.is_some())
                .then(|| format!("expected {expected:#?}\n got {got:#?}"))
        }
        Some("PolicyLoadError") => {
            let ok = result.has_errors()
                && result.policy.is_none()
                && got
                    .first()
                    .is_some_and(|m| m.starts_with("YAML parse error: "));
            (!ok).then(|| format!("expected a YAML parse error, got {:#?}", messages(&result)))
        }
        Some(_) => (!result.has_errors() || result.policy.is_some())
            .then(|| format!("expected a rejection, got {:#?}", messages(&result))),
    }
}

fn messages(result: &LoadResult) -> Vec<String> {
    result
        .diagnostics
        .iter()
        .map(|d| format!("{} {} [{:?}]", d.code.code, d.message, d.compat_message))
        .collect()
}

/// PyYAML's message without its source snippets (the indented lines under a mark) and
/// the colon a mark takes before a snippet; guardc's compat messages carry the marks only.
fn without_snippets(message: &str) -> String {
    message
        .lines()
        .filter(|line| !line.starts_with("    "))
        .map(|line| {
            line.strip_suffix(':')
                .filter(|_| line.starts_with("  in "))
                .unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The refusals the reader decides itself (refused characters, `%YAML` and `%TAG`
/// directives, implicit flow keys) carry PyYAML's exact message, positions included,
/// and the diagnostic sits on the offending character (the `:` of a flow key, the
/// directive line). A NUL inside a quoted scalar was once an "unclosed string" past the
/// end of the file.
#[test]
fn reader_refusals_carry_pyyaml_messages_at_the_offending_character() {
    let (_, doc) = common::vector_files("load_errors")
        .into_iter()
        .find(|(file, _)| file == "reader_refusals.json")
        .unwrap();
    let own = [
        "unacceptable character",
        "found incompatible YAML document",
        "found duplicate YAML directive",
        "duplicate tag handle",
        "while parsing a flow",
    ];
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let Some(expected) = case["expected_errors"][0].as_str() else {
            continue;
        };
        let reference = expected.trim_start_matches("YAML parse error: ");
        if !own.iter().any(|prefix| reference.starts_with(prefix)) {
            continue;
        }
        checked += 1;
        let id = case["id"].as_str().unwrap();
        let result = load(common::case_source(case));
        let errors: Vec<_> = result.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{id}: {:#?}", messages(&result));
        assert_eq!(
            errors[0].compat_message.as_deref().map(without_snippets),
            Some(without_snippets(expected)),
            "{id}"
        );
        let text = case["policy_yaml"].as_str().unwrap();
        let at = errors[0].span.start;
        if reference.starts_with("unacceptable character") {
            let c = text[at..].chars().next().unwrap();
            assert!(
                c.is_control() || c > '\u{fffd}',
                "{id}: the span starts at {c:?}"
            );
        } else if reference.starts_with("while parsing a flow") {
            assert_eq!(&text[at..=at], ":", "{id}");
        } else {
            assert_eq!(&text[at..=at], "%", "{id}");
        }
        assert!(errors[0].help.is_some(), "{id}");
    }
    assert!(checked >= 20, "only {checked} cases checked");
}

#[test]
fn load_error_vectors_all_pass() {
    let mut total = 0;
    let mut failures = Vec::new();
    for (file, doc) in common::vector_files("load_errors") {
        for case in doc["cases"].as_array().unwrap() {
            total += 1;
            if let Some(why) = check_case(case) {
                failures.push(format!("{file}:{}: {why}", case["id"].as_str().unwrap()));
            }
        }
    }
    let passed = total - failures.len();
    eprintln!("load_errors: {passed}/{total}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The human-facing fields of every diagnostic, one block each.
fn render(result: &LoadResult) -> String {
    let mut out = String::new();
    for d in &result.diagnostics {
        let at = result.source.lines().line_col(d.span.start);
        out.push_str(&format!(
            "{} {} at {}:{}\n  message: {}\n  label:   {}\n  help:    {}\n",
            d.code.code,
            d.code.name,
            at.line,
            at.col,
            d.message,
            d.label,
            d.help.as_deref().unwrap_or("-"),
        ));
        for related in &d.related {
            let at = result.source.lines().line_col(related.span.start);
            out.push_str(&format!(
                "  related: {}:{} {}\n",
                at.line, at.col, related.message
            ));
        }
    }
    out
}

fn snapshot_of(name: &str, text: &str) -> String {
    render(&load(SourceFile::new(name, text)))
}

#[test]
fn wording_top_level() {
    insta::assert_snapshot!(
        "top_level",
        snapshot_of(
            "policy.json",
            r#"{"version": 1, "settings": {"default_action": "Deny", "tamper_behavior": ["deny"]}, "rules": {}}"#
        )
    );
}

#[test]
fn wording_missing_rules() {
    insta::assert_snapshot!(
        "missing_rules",
        snapshot_of("policy.json", "{\n  \"version\": \"1\"\n}\n")
    );
}

#[test]
fn wording_effects() {
    let doc = r#"{"rules": [
  {"deny": "x", "allow": "y"},
  {"effect": "audit", "action": "x"},
  {"effect": "Allow"},
  {"Deny": "x"},
  {"warn": "x"},
  {"effect": "deny", "deny": "x"}
]}"#;
    insta::assert_snapshot!("effects", snapshot_of("policy.json", doc));
}

#[test]
fn wording_patterns_and_selectors() {
    let doc = r#"{"rules": [
  {"deny": null},
  {"deny": 5},
  {"allow": ["a", true]},
  {"deny": "x", "resources": 5},
  {"deny": "x", "resource": [1]},
  {"deny": "x", "clients": ["a", 5]},
  {"deny": "x", "projects": {"p": 1}},
  7
]}"#;
    insta::assert_snapshot!("patterns_and_selectors", snapshot_of("policy.json", doc));
}

#[test]
fn wording_conditions() {
    let doc = r#"{"rules": [
  {"deny": "x", "reason_localized": {"en": 5}},
  {"deny": "x", "when": [{"a": "b"}], "conditions": "y"},
  {"deny": "x", "when": {"a": {"op": "contaisn"}, "b": {"op": "EQUALS"}, "c": {"op": "bogus"}}}
]}"#;
    insta::assert_snapshot!("conditions", snapshot_of("policy.json", doc));
}

#[test]
fn wording_documents() {
    let mut out = String::new();
    out.push_str(&snapshot_of("policy.txt", "rules: []"));
    out.push_str(&snapshot_of("policy", "rules: []"));
    out.push_str(&snapshot_of("policy.json", "[{\"deny\": \"x\"}]"));
    out.push_str(&snapshot_of("policy.json", "null"));
    out.push_str(&render(&load_bytes(
        "policy.json",
        b"{\"rules\": \"\xff\"}",
    )));
    insta::assert_snapshot!("documents", out);
}

#[test]
fn wording_reader_refusals() {
    let mut out = snapshot_of(
        "policy.yaml",
        "rules:\n  - deny: \"a\u{0}b\"\n  - deny: c\n",
    );
    out.push_str(&snapshot_of(
        "policy.yaml",
        "# note \u{1b}[2J\nrules: [{deny: x}]\n",
    ));
    out.push_str(&snapshot_of(
        "policy.yaml",
        "%YAML 2.0\n---\nrules: [{deny: x}]\n",
    ));
    out.push_str(&snapshot_of(
        "policy.yaml",
        &format!("{{{}: v, rules: [{{deny: x}}]}}\n", "k".repeat(1025)),
    ));
    out.push_str(&snapshot_of(
        "policy.json",
        r#"{"rules": [{"allow": "Bash:\ud800*"}]}"#,
    ));
    out.push_str(&snapshot_of(
        "policy.yaml",
        "rules:\n  - allow: \"Bash:\\udc00*\"\n",
    ));
    insta::assert_snapshot!("reader_refusals", out);
}

#[test]
fn wording_yaml_typing() {
    let doc = "settings:\n  default_action: no\nrules:\n  - deny: x\n";
    let mut out = snapshot_of("policy.yaml", doc);
    let doc = "rules:\n  - deny: no\n  - allow: [on, x]\n  - deny: x\n    on: y\n    when: {1: a}\n  - effect: on\n    action: x\n";
    out.push_str(&snapshot_of("policy.yaml", doc));
    insta::assert_snapshot!("yaml_typing", out);
}

#[test]
fn lowering_resolves_identity_and_gates() {
    let doc = r#"{"settings": {"default_action": "warn"}, "rules": [
  {"deny": "Bash:sudo *", "escalate_on_deny": "false", "resources": ["/etc/*", "*"]},
  {"effect": "warn", "actions": ["A", "b:c"], "id": "", "name": "", "reason": null},
  {"allow": [], "id": 5, "reason_code": "", "clients": "c-*", "when": {"INPUT_TEXT": "rm", "n": {"op": "greater_than", "value": 3, "case_insensitive": 1}}}
]}"#;
    let result = load(SourceFile::new("policy.json", doc));
    let policy = result.policy.expect("loads");
    assert_eq!(policy.default_action.as_str(), "warn");
    let [first, second, third] = policy.rules.as_slice() else {
        panic!("three rules");
    };
    assert!(first.hitl_eligible());
    assert!(first.resources.universal);
    assert_eq!(first.policy_id.as_deref(), Some("rule-0"));
    assert_eq!(first.reason, "Matched rule rule-0");
    assert_eq!(first.patterns[0].canonical, "Bash:sudo *");
    assert_eq!((first.line, first.col), (2, 3));
    assert_eq!(second.policy_id, None);
    assert_eq!(second.reason, "None");
    assert_eq!(second.patterns.len(), 2);
    assert_eq!(second.spans.patterns.len(), 2);
    assert_eq!(third.policy_id.as_deref(), Some("5"));
    assert_eq!(third.reason_code, "RULE_MATCH");
    assert!(third.patterns.is_empty());
    assert_eq!(third.clients.globs.len(), 1);
    assert_eq!(third.conditions.len(), 2);
    assert!(matches!(
        &third.conditions[0].test,
        guardc::policy::ConditionTest::Glob {
            substring: true,
            ..
        }
    ));
    assert!(matches!(
        &third.conditions[1].test,
        guardc::policy::ConditionTest::Operator {
            case_insensitive: true,
            value: Some(_),
            ..
        }
    ));
}
