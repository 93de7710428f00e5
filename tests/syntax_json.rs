//! The JSON front-end against the reference: Python's `json.loads` results and error
//! texts on a recorded corpus (fixtures/syntax/json_oracle.json), plus spans, duplicate
//! keys and limits.

use std::time::{Duration, Instant};

use guardc::diagnostics::Diagnostic;
use guardc::source::{LineCol, SourceFile};
use guardc::syntax::{Limits, Node, NodeKind, Parsed, ScalarStyle, Syntax, parse};
use serde_json::{Value, json};

fn load(text: &str) -> (SourceFile, Parsed) {
    load_with(text, &Limits::default())
}

fn load_with(text: &str, limits: &Limits) -> (SourceFile, Parsed) {
    let source = SourceFile::new("policy.json", text);
    let parsed = parse(&source, Syntax::Json, limits);
    (source, parsed)
}

#[expect(
    clippy::expect_used,
    reason = "test helper: a missing root fails the test"
)]
fn root(text: &str) -> Node {
    let (_, parsed) = load(text);
    assert!(
        parsed.diagnostics.is_empty(),
        "{text:?}: {:#?}",
        parsed.diagnostics
    );
    parsed.root.expect("a root node")
}

#[expect(
    clippy::panic,
    reason = "test helper: an unexpected result fails the test"
)]
fn only_error(text: &str) -> Diagnostic {
    let (_, parsed) = load(text);
    assert!(parsed.root.is_none(), "{text:?} should not load");
    let [diagnostic] = parsed.diagnostics.as_slice() else {
        panic!(
            "expected one diagnostic for {text:?}, got {:#?}",
            parsed.diagnostics
        );
    };
    diagnostic.clone()
}

/// The tagged encoding gen_json_oracle.py writes.
fn encode(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => json!({ "null": null }),
        NodeKind::Bool(b) => json!({ "bool": b }),
        NodeKind::Int(i) => json!({ "int": i.to_string() }),
        NodeKind::Float(f) => json!({ "float": guardc::python::float_repr(*f) }),
        NodeKind::Str(s) => json!({ "str": s }),
        NodeKind::Seq(items) => json!({ "seq": items.iter().map(encode).collect::<Vec<_>>() }),
        NodeKind::Map(map) => json!({
            "map": map
                .entries
                .iter()
                .map(|e| json!([encode(&e.key), encode(&e.value)]))
                .collect::<Vec<_>>()
        }),
        other => json!({ "unexpected": format!("{other:?}") }),
    }
}

#[test]
fn matches_python_json_on_the_recorded_corpus() {
    let corpus: Vec<Value> =
        serde_json::from_str(include_str!("../fixtures/syntax/json_oracle.json")).unwrap();
    let mut failures = Vec::new();
    for case in &corpus {
        let name = case["name"].as_str().unwrap();
        let text = case["json"].as_str().unwrap();
        let (_, parsed) = load(text);
        if let Some(error) = case.get("error").and_then(Value::as_str) {
            match (parsed.root.is_some(), parsed.diagnostics.as_slice()) {
                (false, [d]) if d.code.code == "GC0005" => {
                    if d.compat_message.as_deref() != Some(error) {
                        failures.push(format!(
                            "{name}: compat {:?}, reference {error:?}",
                            d.compat_message
                        ));
                    }
                    if d.message.chars().next().is_some_and(char::is_uppercase) {
                        failures.push(format!("{name}: message not lowercase: {}", d.message));
                    }
                }
                (_, diagnostics) => {
                    failures.push(format!("{name}: expected GC0005, got {diagnostics:#?}"))
                }
            }
            continue;
        }
        match (&parsed.root, parsed.diagnostics.as_slice()) {
            (Some(node), []) if encode(node) == case["expected"] => {}
            (Some(node), []) => failures.push(format!(
                "{name}:\n  expected {}\n  got      {}",
                case["expected"],
                encode(node)
            )),
            (_, diagnostics) => failures.push(format!("{name}: unexpected {diagnostics:#?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn trailing_comma_points_at_the_comma() {
    let text = "{\"rules\": [{\"deny\": \"x\"},]}";
    let d = only_error(text);
    assert_eq!(d.code.code, "GC0005");
    assert_eq!(d.message, "trailing comma before `]`");
    assert_eq!(d.span.start, text.find("},").unwrap() + 1);
    assert_eq!(d.span.len(), 1);
    assert_eq!(
        d.help.as_deref(),
        Some("remove the comma after the last item")
    );

    let text = "{\"a\": 1,\n}";
    let d = only_error(text);
    assert_eq!(d.message, "trailing comma before `}`");
    assert_eq!(
        d.help.as_deref(),
        Some("remove the comma after the last entry")
    );
    assert_eq!(&text[d.span.start..d.span.end], ",");
}

#[test]
fn errors_name_the_opening_of_unclosed_things() {
    let text = "{\"rules\": [1, 2";
    let d = only_error(text);
    assert_eq!(d.message, "unclosed `[`");
    assert_eq!(d.related[0].span.start, text.find('[').unwrap());

    let text = "{\"a\": \"abc";
    let d = only_error(text);
    assert_eq!(d.message, "unterminated string");
    assert_eq!(d.related[0].span.start, text.rfind('"').unwrap());
}

#[test]
fn spans_and_styles() {
    let text = "{\n  \"rules\": [\n    {\"deny\": \"Bash:sudo *\", \"n\": -1.5e3}\n  ]\n}\n";
    let (source, parsed) = load(text);
    let root = parsed.root.unwrap();
    assert_eq!(source.slice(root.span), text.trim_end());
    let rules = root.as_map().unwrap().get("rules").unwrap();
    assert_eq!(
        source.lines().line_col(rules.span.start),
        LineCol { line: 2, col: 12 }
    );
    let NodeKind::Seq(items) = &rules.kind else {
        panic!()
    };
    let rule = items[0].as_map().unwrap();
    let deny = rule.get("deny").unwrap();
    assert_eq!(source.slice(deny.span), "\"Bash:sudo *\"");
    assert_eq!(
        source.lines().line_col(deny.span.start),
        LineCol { line: 3, col: 14 }
    );
    assert_eq!(deny.style, ScalarStyle::Json);
    assert_eq!(source.slice(rule.entries[1].key.span), "\"n\"");
    assert_eq!(rule.get("n").unwrap().kind, NodeKind::Float(-1500.0));
    assert_eq!(source.slice(rule.get("n").unwrap().span), "-1.5e3");
    assert_eq!(rules.style, ScalarStyle::NotScalar);
}

#[test]
fn duplicate_keys_keep_the_last_value_at_the_first_position() {
    let text = "{\"id\": \"one\", \"deny\": \"x\", \"id\": \"two\", \"id\": \"three\"}";
    let node = root(text);
    let map = node.as_map().unwrap();
    let keys: Vec<_> = map
        .entries
        .iter()
        .map(|e| e.key.as_str().unwrap())
        .collect();
    assert_eq!(keys, ["id", "deny"]);
    assert_eq!(map.get("id").unwrap().as_str(), Some("three"));
    let first = text.find("\"id\"").unwrap();
    let spans: Vec<_> = map
        .duplicates
        .iter()
        .map(|d| (d.key.as_str(), d.first.start, d.last.start))
        .collect();
    let second = text[first + 1..].find("\"id\"").unwrap() + first + 1;
    let third = text.rfind("\"id\"").unwrap();
    assert_eq!(spans, [("id", first, second), ("id", first, third)]);
    assert_eq!(map.entries[0].key.span.start, third);
}

#[test]
fn integers_beyond_128_bits_are_a_limit() {
    let d = only_error("{\"n\": 1701411834604692317316873037158841057280}");
    assert_eq!(d.code.code, "GC0006");
}

#[test]
fn whitespace_only_text_is_an_error_like_the_reference() {
    let d = only_error(" \n");
    assert_eq!(d.code.code, "GC0005");
    assert_eq!(d.message, "the document is empty");
    assert!(root("null").is_null());
}

#[test]
fn deep_nesting_is_a_limit_not_a_crash() {
    for text in [
        "[".repeat(10_000),
        "{\"a\":".repeat(10_000),
        format!("{}{}", "[".repeat(200), "]".repeat(200)),
    ] {
        let started = Instant::now();
        let d = only_error(&text);
        assert_eq!(d.code.code, "GC0006");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    let depth = Limits::default().max_depth;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(root(&text).span.len(), text.len());
}

#[test]
fn limits_on_size_and_values() {
    let limits = Limits {
        max_document_bytes: 10,
        ..Limits::default()
    };
    let (_, parsed) = load_with("[1, 2, 3, 4, 5]", &limits);
    assert_eq!(parsed.diagnostics[0].code.code, "GC0006");
    let limits = Limits {
        max_nodes: 4,
        ..Limits::default()
    };
    let (_, parsed) = load_with("[1, 2, 3, 4, 5]", &limits);
    assert_eq!(parsed.diagnostics[0].code.code, "GC0006");
}

#[test]
fn large_documents_parse() {
    // 2 MB keeps the unoptimized test build fast; the YAML tests read a 10 MB document.
    let rule = "{\"id\": \"rule\", \"deny\": \"Bash:rm -rf *\", \"reason\": \"never delete everything\", \"escalate_on_deny\": false},\n";
    let text = format!(
        "{{\"rules\": [{}{{\"allow\": \"*\"}}]}}",
        rule.repeat(2 * 1024 * 1024 / rule.len())
    );
    let started = Instant::now();
    let node = root(&text);
    let NodeKind::Seq(rules) = &node.as_map().unwrap().get("rules").unwrap().kind else {
        panic!()
    };
    assert_eq!(rules.len(), 2 * 1024 * 1024 / rule.len() + 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn sample_document_loads() {
    let (_, parsed) = load(include_str!("../fixtures/syntax/seed.json"));
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    insta::assert_debug_snapshot!("seed.json", parsed.root.unwrap());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the text, the front-end answers with a tree or exactly one diagnostic.
    #[test]
    fn arbitrary_text_never_panics(text in "[ \t\n:\\[\\]{},\"\\\\/a-fnrtu0-9.eE+\\-é\u{1}]{0,80}") {
        let (_, parsed) = load(&text);
        proptest::prop_assert!(parsed.root.is_some() != (parsed.diagnostics.len() == 1));
    }
}

/// Python keeps a lone surrogate escape in the string, and a pattern holding one
/// matches only calls holding the same unpaired half. guardc cannot represent it and
/// once read it as U+FFFD, which made `allow: "Bash:\ud800*"` allow `Bash:\u{fffd}x`;
/// it now refuses the document at the escape. A proper pair is one character.
#[test]
fn lone_surrogate_escapes_are_refused_at_the_escape() {
    for (text, escape) in [
        (r#"{"allow": "Bash:\ud800*"}"#, r"\ud800"),
        (r#"{"allow": "a\udc00"}"#, r"\udc00"),
        (r#"{"allow": "\ud800\u0041"}"#, r"\ud800"),
        (r#"{"allow": "\ud800\ud800"}"#, r"\ud800"),
    ] {
        let d = only_error(text);
        assert_eq!(d.code.code, "GC0005", "{text}");
        assert_eq!(&text[d.span.start..d.span.end], escape, "{text}");
        assert!(d.message.contains("lone surrogate"), "{text}");
        assert_eq!(d.compat_message, None, "{text}: the reference loads it");
    }
    let node = root(r#"{"allow": "\ud83d\ude00"}"#);
    assert_eq!(
        node.as_map().unwrap().get("allow").unwrap().as_str(),
        Some("😀")
    );
}
