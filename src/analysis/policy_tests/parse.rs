//! Reading a test file (`controlzero.test.yaml`) into a [`TestSuite`], with diagnostics
//! in the same model as policy load errors: every problem has a code, a span and help,
//! and a problem in one test never hides the others.

use serde_json::Value;

use super::{Expect, Invariant, InvariantKind, TestCall, TestCase, TestSuite};
use crate::diagnostics::codes::policy_tests::{BAD_TEST_CALL, BAD_TEST_FILE, UNKNOWN_TEST_KEY};
use crate::diagnostics::{CodeInfo, Diagnostic};
use crate::eval::JsonMap;
use crate::policy::Effect;
use crate::source::{SourceFile, Span};
use crate::syntax::{Limits, Node, NodeKind, Syntax, parse};

/// Parse a test file. The suite holds every test and invariant that could be read.
pub fn parse_suite(source: &SourceFile) -> (TestSuite, Vec<Diagnostic>) {
    let parsed = parse(source, Syntax::Yaml, &Limits::DEFAULT);
    let mut reader = Reader {
        diagnostics: parsed.diagnostics,
    };
    let mut suite = TestSuite::default();
    let Some(root) = parsed.root else {
        return (suite, reader.diagnostics);
    };
    let Some(map) = root.as_map() else {
        reader.error(
            &BAD_TEST_FILE,
            root.span,
            "a test file must be a mapping",
            "start with `tests:` or `invariants:`",
        );
        return (suite, reader.diagnostics);
    };
    for entry in &map.entries {
        match entry.key.as_str() {
            Some("policy") => match entry.value.as_str() {
                Some(path) => suite.policy = Some((path.to_owned(), entry.value.span)),
                None => reader.error(
                    &BAD_TEST_FILE,
                    entry.value.span,
                    "`policy` must be a path",
                    "write the policy file's path, relative to the test file",
                ),
            },
            Some("tests") => {
                for item in reader.list(&entry.value, "tests") {
                    if let Some(test) = reader.test(item) {
                        suite.tests.push(test);
                    }
                }
            }
            Some("invariants") => {
                for item in reader.list(&entry.value, "invariants") {
                    if let Some(invariant) = reader.invariant(item, suite.invariants.len()) {
                        suite.invariants.push(invariant);
                    }
                }
            }
            _ => reader.unknown_key(&entry.key, &["policy", "tests", "invariants"]),
        }
    }
    (suite, reader.diagnostics)
}

struct Reader {
    diagnostics: Vec<Diagnostic>,
}

impl Reader {
    fn error(
        &mut self,
        code: &'static CodeInfo,
        span: Span,
        message: impl Into<String>,
        help: &str,
    ) {
        self.diagnostics.push(
            Diagnostic::new(code, span, message)
                .with_label("here")
                .with_help(help),
        );
    }

    fn unknown_key(&mut self, key: &Node, known: &[&str]) {
        let name = key.as_str().unwrap_or("?");
        self.error(
            &UNKNOWN_TEST_KEY,
            key.span,
            format!("unknown key `{name}`"),
            &format!("the keys here are {}", known.join(", ")),
        );
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            _ => {
                self.error(
                    &BAD_TEST_FILE,
                    node.span,
                    format!("`{what}` must be a list"),
                    "write one `- ` entry per item",
                );
                &[]
            }
        }
    }

    fn test(&mut self, node: &Node) -> Option<TestCase> {
        let Some(map) = node.as_map() else {
            self.error(
                &BAD_TEST_FILE,
                node.span,
                "a test must be a mapping",
                "write `- name: ...` with `call:` and `expect:`",
            );
            return None;
        };
        let mut name = None;
        let mut call = None;
        let mut expect = Expect::default();
        let mut has_call = false;
        for entry in &map.entries {
            match entry.key.as_str() {
                Some("name") => name = Some(scalar_text(&entry.value)),
                Some("call") => {
                    has_call = true;
                    call = self.call(&entry.value);
                }
                Some("expect") => expect = self.expect(&entry.value),
                _ => self.unknown_key(&entry.key, &["name", "call", "expect"]),
            }
        }
        if !has_call {
            self.error(
                &BAD_TEST_CALL,
                node.span,
                "a test needs a `call`",
                "add `call: 'Tool:method'`",
            );
        }
        let call = call?;
        let name = name.unwrap_or_else(|| format!("{}:{}", call.tool, call.method));
        Some(TestCase {
            name,
            span: node.span,
            call,
            expect,
        })
    }

    fn call(&mut self, node: &Node) -> Option<TestCall> {
        if let Some(text) = node.as_str() {
            let (tool, method) = text.split_once(':').unwrap_or((text, "*"));
            if tool.is_empty() {
                self.error(
                    &BAD_TEST_CALL,
                    node.span,
                    "the call has an empty tool",
                    "write `Tool:method`",
                );
                return None;
            }
            return Some(TestCall {
                tool: tool.to_owned(),
                method: method.to_owned(),
                context: JsonMap::new(),
                args: JsonMap::new(),
            });
        }
        let Some(map) = node.as_map() else {
            self.error(
                &BAD_TEST_CALL,
                node.span,
                format!(
                    "a call must be a `TOOL:METHOD` string or a mapping, not {}",
                    node.python_type_name()
                ),
                "write `call: 'Bash:ls'` or `call: {tool: Bash, method: ls}`",
            );
            return None;
        };
        let mut call = TestCall {
            tool: String::new(),
            method: "*".to_owned(),
            context: JsonMap::new(),
            args: JsonMap::new(),
        };
        for entry in &map.entries {
            match entry.key.as_str() {
                Some("tool") => call.tool = scalar_text(&entry.value),
                Some("method") => call.method = scalar_text(&entry.value),
                Some("resource") => {
                    call.context
                        .insert("resource".into(), to_json(&entry.value));
                }
                Some(key @ ("context" | "args")) => match to_json(&entry.value) {
                    Value::Object(object) => {
                        let target = if key == "context" {
                            &mut call.context
                        } else {
                            &mut call.args
                        };
                        target.extend(object);
                    }
                    _ => self.error(
                        &BAD_TEST_CALL,
                        entry.value.span,
                        format!("`{key}` must be a mapping"),
                        "write `{key: value}`",
                    ),
                },
                _ => self.unknown_key(
                    &entry.key,
                    &["tool", "method", "resource", "context", "args"],
                ),
            }
        }
        if call.tool.is_empty() {
            self.error(
                &BAD_TEST_CALL,
                node.span,
                "the call has no `tool`",
                "add `tool: <name>`",
            );
            return None;
        }
        Some(call)
    }

    fn expect(&mut self, node: &Node) -> Expect {
        let mut expect = Expect::default();
        let Some(map) = node.as_map() else {
            self.error(
                &BAD_TEST_FILE,
                node.span,
                "`expect` must be a mapping",
                "write `expect: {effect: deny}`",
            );
            return expect;
        };
        for entry in &map.entries {
            let value = &entry.value;
            match entry.key.as_str() {
                Some("effect") => match value.as_str().and_then(Effect::parse) {
                    Some(effect) => expect.effect = Some(effect),
                    None => self.error(
                        &BAD_TEST_FILE,
                        value.span,
                        "`effect` must be allow, deny or warn",
                        "write one of allow, deny, warn",
                    ),
                },
                Some("rule") => expect.rule = Some((scalar_text(value), value.span)),
                Some("hitl_eligible") => match value.kind {
                    NodeKind::Bool(b) => expect.hitl_eligible = Some(b),
                    _ => self.error(
                        &BAD_TEST_FILE,
                        value.span,
                        "`hitl_eligible` must be true or false",
                        "write true or false",
                    ),
                },
                Some("policy_id") => expect.policy_id = Some(scalar_text(value)),
                Some("reason_code") => expect.reason_code = Some(scalar_text(value)),
                Some("reason") => expect.reason = Some(scalar_text(value)),
                _ => self.unknown_key(
                    &entry.key,
                    &[
                        "effect",
                        "rule",
                        "hitl_eligible",
                        "policy_id",
                        "reason_code",
                        "reason",
                    ],
                ),
            }
        }
        expect
    }

    fn invariant(&mut self, node: &Node, position: usize) -> Option<Invariant> {
        let Some(map) = node.as_map() else {
            self.error(
                &BAD_TEST_FILE,
                node.span,
                "an invariant must be a mapping",
                "write `- never_allowed: ['Bash:rm -rf *']`",
            );
            return None;
        };
        let mut name = None;
        let mut found = None;
        for entry in &map.entries {
            let kind = match entry.key.as_str() {
                Some("name") => {
                    name = Some(scalar_text(&entry.value));
                    continue;
                }
                Some("never_allowed") => InvariantKind::NeverAllowed,
                Some("always_approvable") => InvariantKind::AlwaysApprovable,
                Some("never_approvable") => InvariantKind::NeverApprovable,
                _ => {
                    self.unknown_key(
                        &entry.key,
                        &[
                            "name",
                            "never_allowed",
                            "always_approvable",
                            "never_approvable",
                        ],
                    );
                    continue;
                }
            };
            let patterns = self.patterns(&entry.value);
            if found.is_some() {
                self.error(
                    &BAD_TEST_FILE,
                    entry.key.span,
                    "an invariant states one property",
                    "split it into two invariants",
                );
            } else {
                found = Some((kind, patterns));
            }
        }
        let Some((kind, patterns)) = found else {
            self.error(
                &BAD_TEST_FILE,
                node.span,
                "the invariant states no property",
                "add `never_allowed`, `always_approvable` or `never_approvable`",
            );
            return None;
        };
        let name = name.unwrap_or_else(|| {
            format!(
                "invariants[{position}] {} {}",
                kind.as_str(),
                patterns.join(", ")
            )
        });
        Some(Invariant {
            name,
            kind,
            patterns,
            span: node.span,
        })
    }

    fn patterns(&mut self, node: &Node) -> Vec<String> {
        if let Some(text) = node.as_str() {
            return vec![text.to_owned()];
        }
        let items = self.list(node, "the invariant's patterns");
        let mut patterns = Vec::new();
        for item in items {
            match item.as_str() {
                Some(text) => patterns.push(text.to_owned()),
                None => self.error(
                    &BAD_TEST_FILE,
                    item.span,
                    "a pattern must be a string",
                    "quote it: `'Bash:sudo *'`",
                ),
            }
        }
        patterns
    }
}

/// The text of a scalar as written (`str()` of it for numbers and booleans).
fn scalar_text(node: &Node) -> String {
    match &node.kind {
        NodeKind::Str(s) | NodeKind::Date(s) | NodeKind::DateTime(s) => s.clone(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.to_string(),
        NodeKind::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        NodeKind::Null => "None".to_owned(),
        _ => String::new(),
    }
}

/// A node as the JSON value a runtime would send for it.
fn to_json(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Int(i) => {
            i64::try_from(*i).map_or_else(|_| Value::String(i.to_string()), Value::from)
        }
        NodeKind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        NodeKind::Str(s) | NodeKind::Date(s) | NodeKind::DateTime(s) => Value::String(s.clone()),
        NodeKind::Binary(_) => Value::Null,
        NodeKind::Set(items) | NodeKind::Seq(items) => {
            Value::Array(items.iter().map(to_json).collect())
        }
        NodeKind::Map(map) => Value::Object(
            map.entries
                .iter()
                .map(|e| (scalar_text(&e.key), to_json(&e.value)))
                .collect(),
        ),
    }
}
