//! `decisions/conditions.json` (and the regex cases of the extended tier) at the level of
//! conditions: every case's rules are rebuilt here as `Condition`s, without the loader,
//! and walked first-match with only the action gate and the conditions. This pins the
//! condition semantics independently of validation and lowering; the same vectors also
//! run through the loader and the interpreter (second test, and tests/conformance.rs).

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a malformed vector file fails the test by panicking"
)]

use guardc::eval::{JsonMap, Request, compile_condition_regex, conditions_hold, interpret};
use guardc::pattern::{Glob, casefold};
use guardc::policy::{Condition, ConditionTest, Effect, Operator, load};
use guardc::python::PyValue;
use guardc::source::{SourceFile, Span};
use serde_json::Value;

/// Keys whose `{op: ...}` value is a plain pattern, never an envelope.
const RESERVED_KEYS: [&str; 3] = ["time_range", "ip_whitelist", "tags"];

/// One rule reduced to what conditions.json exercises.
struct MiniRule {
    policy_id: String,
    effect: String,
    /// Tool names (every pattern in these vectors is a bare tool, `t` → `t:*`).
    tools: Vec<String>,
    conditions: Vec<Condition>,
}

fn cases(path: &str) -> Vec<Value> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/conformance/decisions")
        .join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn py_truthy(value: Option<&Value>) -> bool {
    value.is_some_and(|v| PyValue::from_json(v).truthy())
}

fn mini_rule(index: usize, rule: &Value) -> MiniRule {
    let (effect, tools) = if let Some(p) = rule.get("deny") {
        ("deny".to_owned(), p)
    } else if let Some(p) = rule.get("allow") {
        ("allow".to_owned(), p)
    } else {
        let effect = rule["effect"].as_str().unwrap().to_owned();
        (effect, rule.get("action").or(rule.get("actions")).unwrap())
    };
    let tools = match tools {
        Value::Array(items) => items
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect(),
        other => vec![other.as_str().unwrap().to_owned()],
    };
    let when = rule.get("when");
    let raw = if py_truthy(when) {
        when
    } else {
        rule.get("conditions")
    };
    let conditions = match raw {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| condition(k, v)).collect(),
        _ => Vec::new(),
    };
    let policy_id = match rule.get("id") {
        Some(id) => PyValue::from_json(id).py_str(),
        None => format!("rule-{index}"),
    };
    MiniRule {
        policy_id,
        effect,
        tools,
        conditions,
    }
}

/// A `field: pattern` entry as the reference reads it.
fn condition(field: &str, value: &Value) -> Condition {
    let op = value.get("op").and_then(Value::as_str);
    let test = match op {
        Some(op) if !RESERVED_KEYS.contains(&field) => {
            let op = Operator::parse(op).unwrap_or_else(|| panic!("unknown op {op}"));
            let operand = value.get("value").map(PyValue::from_json);
            let case_insensitive = py_truthy(value.get("case_insensitive"));
            let regex = (op == Operator::Matches)
                .then(|| {
                    compile_condition_regex(
                        operand.as_ref().unwrap_or(&PyValue::None),
                        case_insensitive,
                    )
                })
                .flatten();
            ConditionTest::Operator {
                op,
                value: operand,
                case_insensitive,
                regex,
            }
        }
        _ => {
            let text = PyValue::from_json(value).py_str();
            let substring = casefold(field) == "input_text" && !text.contains(['*', '?', '[']);
            ConditionTest::Glob {
                glob: Glob::parse(&text),
                text,
                substring,
            }
        }
    };
    Condition {
        field: field.to_owned(),
        test,
        span: Span::default(),
    }
}

fn object(request: &Value, key: &str) -> JsonMap {
    request
        .get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// First match over the mini rules: `(effect, policy_id, evaluated_rules)`.
fn decide(rules: &[MiniRule], request: &Value) -> (String, String, usize) {
    assert!(
        request.get("method").is_none(),
        "these vectors use no method"
    );
    let (context, args) = (object(request, "context"), object(request, "args"));
    let tool = request["tool"].as_str().unwrap();
    let view = Request {
        tool,
        method: "*",
        context: Some(&context),
        args: Some(&args),
    };
    for (i, rule) in rules.iter().enumerate() {
        let effect = Effect::parse(&rule.effect).unwrap();
        if rule.tools.iter().any(|t| t == tool) && conditions_hold(&rule.conditions, effect, &view)
        {
            return (rule.effect.clone(), rule.policy_id.clone(), i + 1);
        }
    }
    (
        "deny".to_owned(),
        "synthetic:NO_RULE_MATCH".to_owned(),
        rules.len(),
    )
}

/// Runs every request of `file`; returns `(passed, total, failure reports)`.
fn run_condition_level(file: &str) -> (usize, usize, Vec<String>) {
    let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
    for case in cases(file) {
        let rules: Vec<MiniRule> = case["policy"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, r)| mini_rule(i, r))
            .collect();
        let requests = case["requests"].as_array().unwrap();
        for (request, expected) in requests.iter().zip(case["expected"].as_array().unwrap()) {
            total += 1;
            let got = decide(&rules, request);
            let want = (
                expected["effect"].as_str().unwrap().to_owned(),
                expected["policy_id"].as_str().unwrap().to_owned(),
                usize::try_from(expected["evaluated_rules"].as_u64().unwrap()).unwrap(),
            );
            if got == want {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}: {request}: got {got:?}, want {want:?}",
                    case["id"]
                ));
            }
        }
    }
    (passed, total, failures)
}

#[test]
fn conditions_vectors_at_condition_level() {
    let (passed, total, failures) = run_condition_level("conditions.json");
    eprintln!("conditions.json (condition level): {passed} of {total} requests pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(total, 962);
}

#[test]
fn conditions_vectors_through_the_loader() {
    let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
    for case in cases("conditions.json") {
        // Every case of conditions.json has a JSON `policy`, loaded as a `.json` file.
        let text = serde_json::to_string(&case["policy"]).unwrap();
        let loaded = load(SourceFile::new("policy.json", text));
        let policy = loaded
            .policy
            .as_ref()
            .unwrap_or_else(|| panic!("{} did not load: {:?}", case["id"], loaded.diagnostics));
        let requests = case["requests"].as_array().unwrap();
        for (request, expected) in requests.iter().zip(case["expected"].as_array().unwrap()) {
            total += 1;
            let (context, args) = (object(request, "context"), object(request, "args"));
            let view = Request {
                tool: request["tool"].as_str().unwrap(),
                method: "*",
                context: Some(&context),
                args: Some(&args),
            };
            let decision = interpret(policy, &view);
            let got = (
                decision.effect.as_str(),
                decision.policy_id(policy).unwrap_or("None"),
                decision.evaluated_rules as u64,
            );
            let want = (
                expected["effect"].as_str().unwrap(),
                expected["policy_id"].as_str().unwrap(),
                expected["evaluated_rules"].as_u64().unwrap(),
            );
            if got == want {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}: {request}: got {got:?}, want {want:?}",
                    case["id"]
                ));
            }
        }
    }
    eprintln!("conditions.json (loader + interpreter): {passed} of {total} requests pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The extended tier's regex vectors: Python `re` semantics, every request exactly.
#[test]
fn extended_regex_vectors() {
    let (passed, total, failures) = run_condition_level("extended/regex_python.json");
    eprintln!("extended/regex_python.json (condition level): {passed} of {total} requests pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
