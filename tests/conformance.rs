//! The core conformance vectors, recorded from the reference SDK, through the loader and
//! both evaluators (the reference interpreter and the compiled automaton): every decision
//! field must match, and the two evaluators must agree exactly. The same holds for the
//! extended tier's Python `re` vectors and for the regex vectors recorded by
//! `scripts/record_regex_vectors.py`.

#![expect(
    clippy::unwrap_used,
    reason = "a malformed vector file fails the test by panicking"
)]

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
    let mut outcome = Outcome::default();
    for (file, doc) in common::vector_files("decisions") {
        for case in doc["cases"].as_array().unwrap() {
            outcome.run_case(&file, case, "expected");
        }
    }
    outcome.report("core decision vectors");
}

/// The extended tier's Python `re` vectors: the `matches` operator reproduces
/// `re.search` exactly, through the loader and both evaluators.
#[test]
fn extended_regex_python_vectors_all_pass() {
    let file = "extended/regex_python.json";
    let doc = common::vector_file(&format!("decisions/{file}"));
    let mut outcome = Outcome::default();
    for case in doc["cases"].as_array().unwrap() {
        outcome.run_case(file, case, "expected");
    }
    outcome.report(file);
}

/// Vectors recorded from the reference by `scripts/record_regex_vectors.py`. The cases
/// marked `fail_closed` are patterns guardc cannot honour exactly; for those this test
/// asserts guardc's fail-closed decisions (`guardc_expected`, recorded from the reference
/// on the policy with the condition replaced by its fail-closed value), not the
/// reference's own.
#[test]
fn recorded_regex_semantics_vectors_all_pass() {
    let file = "recorded/regex_semantics.json";
    let doc = common::vector_file(&format!("decisions/{file}"));
    let mut outcome = Outcome::default();
    for case in doc["cases"].as_array().unwrap() {
        let key = match case.get("fail_closed").and_then(Value::as_str) {
            Some(why) => {
                eprintln!(
                    "{file}:{}: asserting the fail-closed decisions ({why})",
                    case["id"]
                );
                "guardc_expected"
            }
            None => "expected",
        };
        outcome.run_case(file, case, key);
    }
    assert!(outcome.total > 100, "the recorded file lost its cases");
    outcome.report(file);
}

/// Requests run and failures seen, over any number of vector cases.
#[derive(Default)]
struct Outcome {
    total: usize,
    mismatches: usize,
    failures: Vec<String>,
}

impl Outcome {
    /// Runs one case through the loader, the interpreter and the compiled evaluator
    /// (after a bundle round trip, so the vectors also pin down what a runtime loading
    /// the bundle decides), comparing with the decisions under `expected_key`.
    fn run_case(&mut self, file: &str, case: &Value, expected_key: &str) {
        let id = case["id"].as_str().unwrap();
        let requests = case["requests"].as_array().unwrap();
        let loaded = load(common::case_source(case));
        let Some(policy) = loaded.policy.as_ref() else {
            let messages: Vec<_> = loaded.diagnostics.iter().map(|d| &d.message).collect();
            self.failures
                .push(format!("{file}:{id}: policy did not load: {messages:?}"));
            self.total += requests.len();
            self.mismatches += requests.len();
            return;
        };
        let bundle = write_bundle(&CompiledPolicy::new(policy.clone()), b"", None);
        let compiled = read_bundle(&bundle, None).unwrap().0;
        let expected = case[expected_key].as_array().unwrap();
        for (request, expected) in requests.iter().zip(expected) {
            self.total += 1;
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
                self.mismatches += 1;
                self.failures.push(format!(
                    "{file}:{id}: request {request}: compiled evaluator {fast:?} != interpreter {decision:?}"
                ));
                continue;
            }
            let got = serde_json::to_value(DecisionRecord::new(&decision, policy, &request_view))
                .unwrap();
            let wrong: Vec<_> = FIELDS
                .iter()
                .filter(|f| got[**f] != expected[**f])
                .collect();
            if !wrong.is_empty() {
                self.mismatches += 1;
                self.failures.push(format!(
                    "{file}:{id}: request {request}\n    expected {}\n    got      {}",
                    pick(expected, &wrong),
                    pick(&got, &wrong)
                ));
            }
        }
    }

    fn report(&self, what: &str) {
        eprintln!(
            "{what}: {} of {} requests pass",
            self.total - self.mismatches,
            self.total
        );
        assert!(self.total > 0, "{what}: no requests");
        assert!(
            self.failures.is_empty(),
            "{} mismatches:\n{}",
            self.mismatches,
            self.failures
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
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
