//! The core conformance vectors, recorded from the reference SDK, through the loader and
//! both evaluators (the reference interpreter and the compiled automaton): every decision
//! field must match, and the two evaluators must agree exactly.

mod common;

use guardc::bundle::{read_bundle, write_bundle};
use guardc::eval::{CompiledPolicy, DecisionRecord, JsonMap, Request, interpret};
use guardc::policy::load;
use serde_json::Value;

const FIELDS: [&str; 6] = [
    "effect",
    "policy_id",
    "reason_code",
    "reason",
    "hitl_eligible",
    "evaluated_rules",
];

#[test]
fn core_decision_vectors_all_pass() {
    let mut total = 0;
    let mut mismatches = 0;
    let mut failures = Vec::new();
    for (file, doc) in common::vector_files("decisions") {
        for case in doc["cases"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap();
            let loaded = load(common::case_source(case));
            let Some(policy) = loaded.policy.as_ref() else {
                let messages: Vec<_> = loaded.diagnostics.iter().map(|d| &d.message).collect();
                failures.push(format!("{file}:{id}: policy did not load: {messages:?}"));
                let count = case["requests"].as_array().unwrap().len();
                total += count;
                mismatches += count;
                continue;
            };
            // The compiled evaluator is exercised through a bundle round trip, so the
            // vectors also pin down what a runtime loading the bundle decides.
            let bundle = write_bundle(&CompiledPolicy::new(policy.clone()), b"", None);
            let compiled = read_bundle(&bundle, None).unwrap().0;
            let requests = case["requests"].as_array().unwrap();
            let expected = case["expected"].as_array().unwrap();
            for (request, expected) in requests.iter().zip(expected) {
                total += 1;
                let context = object(request, "context");
                let args = object(request, "args");
                let request_view = Request {
                    tool: request["tool"].as_str().unwrap(),
                    method: request.get("method").and_then(Value::as_str).unwrap_or("*"),
                    context: Some(&context),
                    args: Some(&args),
                };
                let decision = interpret(policy, &request_view);
                let fast = compiled.decide(&request_view);
                if fast != decision {
                    mismatches += 1;
                    failures.push(format!(
                        "{file}:{id}: request {request}: compiled evaluator {fast:?} != interpreter {decision:?}"
                    ));
                    continue;
                }
                let got =
                    serde_json::to_value(DecisionRecord::new(&decision, policy, &request_view))
                        .unwrap();
                let wrong: Vec<_> = FIELDS
                    .iter()
                    .filter(|f| got[**f] != expected[**f])
                    .collect();
                if !wrong.is_empty() {
                    mismatches += 1;
                    failures.push(format!(
                        "{file}:{id}: request {request}\n    expected {}\n    got      {}",
                        pick(expected, &wrong),
                        pick(&got, &wrong)
                    ));
                }
            }
        }
    }
    eprintln!(
        "core decision vectors: {} of {total} requests pass",
        total - mismatches
    );
    assert!(
        failures.is_empty(),
        "{mismatches} mismatches:\n{}",
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn object(request: &Value, key: &str) -> JsonMap {
    request
        .get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn pick(value: &Value, fields: &[&&str]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|f| ((**f).to_owned(), value[**f].clone()))
            .collect(),
    )
}
