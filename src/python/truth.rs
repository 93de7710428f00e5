//! Python truthiness (`bool(value)`), the one definition for every representation of a
//! value guardc holds: a [`PyValue`], a loaded document node (`syntax::node_truthy`,
//! which the syntax layer above maps onto [`Shape`]) and a JSON value from a request.
//!
//! The reference decides several things by truthiness (`a or b` key fallbacks, a falsy
//! `resource` reads as absent, `escalate_on_deny: 'false'` is on), and the loader, the
//! evaluator and the analyzer must agree on it. Each representation is reduced to the
//! few facts Python's `bool()` looks at ([`Shape`]) without copying it, and
//! [`shape_truthy`] is the rule itself.

use serde_json::Value;

use super::value::{PyValue, json_number};

/// What Python's `bool()` reads from a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    /// A string, bytes or a container, by length.
    Sized(usize),
    /// An object Python considers true whatever it holds (dates).
    Object,
}

/// Python `bool()`: `None`, `False`, zero and empty sizes are false.
pub fn shape_truthy(shape: Shape) -> bool {
    match shape {
        Shape::None => false,
        Shape::Bool(b) => b,
        Shape::Int(i) => i != 0,
        Shape::Float(f) => f != 0.0,
        Shape::Sized(len) => len != 0,
        Shape::Object => true,
    }
}

/// Python `bool(value)`.
pub fn truthy(value: &PyValue) -> bool {
    shape_truthy(match value {
        PyValue::None => Shape::None,
        PyValue::Bool(b) => Shape::Bool(*b),
        PyValue::Int(i) => Shape::Int(*i),
        PyValue::Float(f) => Shape::Float(*f),
        PyValue::Str(s) => Shape::Sized(s.len()),
        PyValue::Bytes(b) => Shape::Sized(b.len()),
        PyValue::Date(_) | PyValue::DateTime(_) => Shape::Object,
        PyValue::List(v) | PyValue::Set(v) => Shape::Sized(v.len()),
        PyValue::Dict(v) => Shape::Sized(v.len()),
    })
}

/// Python `bool()` of the value `json.loads` gives for a JSON value (a number's
/// spelling decides int or float, as in [`PyValue::from_json`]).
pub fn json_truthy(value: &Value) -> bool {
    shape_truthy(match value {
        Value::Null => Shape::None,
        Value::Bool(b) => Shape::Bool(*b),
        Value::Number(n) => match json_number(n) {
            PyValue::Int(i) => Shape::Int(i),
            PyValue::Float(f) => Shape::Float(f),
            other => return truthy(&other),
        },
        Value::String(s) => Shape::Sized(s.len()),
        Value::Array(items) => Shape::Sized(items.len()),
        Value::Object(map) => Shape::Sized(map.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::syntax::{Limits, Node, Syntax, node_truthy, parse};
    use serde_json::json;

    /// Each value as JSON, as a loaded YAML node and as a `PyValue` has the truthiness
    /// Python gives it; the three representations never disagree.
    #[test]
    fn every_representation_follows_python() {
        let cases: [(&str, bool); 14] = [
            ("null", false),
            ("false", false),
            ("true", true),
            ("0", false),
            ("-0", false),
            ("0.0", false),
            ("1e-400", false),
            ("7", true),
            ("0.5", true),
            ("12345678901234567890123", true),
            ("\"\"", false),
            ("\"0\"", true),
            ("[]", false),
            ("{\"a\": null}", true),
        ];
        for (text, expected) in cases {
            let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            assert_eq!(json_truthy(&value), expected, "json {text}");
            assert_eq!(truthy(&PyValue::from_json(&value)), expected, "py {text}");
            let source = SourceFile::new("v.json", format!("{{\"v\": {text}}}"));
            let parsed = parse(&source, Syntax::Json, &Limits::default());
            let node = parsed
                .root
                .as_ref()
                .and_then(Node::as_map)
                .and_then(|m| m.get("v"));
            assert_eq!(node.map(node_truthy), Some(expected), "node {text}");
        }
        assert!(json_truthy(&json!({"k": []})));
        // Beyond any integer a document may hold, `json.loads` still gives an int.
        let huge: Value = serde_json::from_str("123456789012345678901234567890123456789012")
            .unwrap_or(Value::Null);
        assert!(json_truthy(&huge));
    }
}
