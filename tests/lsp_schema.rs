//! The JSON Schema in `grammar/` (for yaml-language-server users) accepts the example
//! policies and rejects what the reference misreads, such as a quoted
//! `escalate_on_deny`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a malformed fixture fails the test"
)]

use guardc::policy::load;
use guardc::source::SourceFile;
use guardc::syntax::{Node, NodeKind};
use serde_json::{Map, Value};

fn json(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Int(i) => Value::from(i64::try_from(*i).unwrap()),
        NodeKind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        NodeKind::Str(s) | NodeKind::Date(s) | NodeKind::DateTime(s) => Value::String(s.clone()),
        NodeKind::Seq(items) | NodeKind::Set(items) => {
            Value::Array(items.iter().map(json).collect())
        }
        NodeKind::Map(map) => Value::Object(
            map.entries
                .iter()
                .map(|e| (e.key.as_str().unwrap_or("").to_owned(), json(&e.value)))
                .collect::<Map<String, Value>>(),
        ),
        NodeKind::Binary(_) => Value::Null,
    }
}

fn document(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    json(
        load(SourceFile::new(path, text))
            .document
            .as_ref()
            .expect("the example parses"),
    )
}

fn validator() -> jsonschema::Validator {
    let text = include_str!("../grammar/controlzero.schema.json");
    let schema: Value = serde_json::from_str(text).unwrap();
    jsonschema::draft7::options().build(&schema).unwrap()
}

#[test]
fn the_schema_accepts_the_examples_and_rejects_a_string_approval_flag() {
    let validator = validator();
    for path in [
        "examples/approval.yaml",
        "examples/coding-agent.yaml",
        "examples/data-platform.yaml",
        "examples/findings/reachability.yaml",
        "examples/broken/seed-paste.yaml",
    ] {
        let errors: Vec<String> = validator
            .iter_errors(&document(path))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    // `escalate_on_deny: 'false'` (a string, read as true) is what the schema flags.
    assert!(!validator.is_valid(&document("examples/findings/approval.yaml")));
}
