//! Policy tests (`guardc test`): expected decisions for given calls, invariants proven
//! over every call their patterns match, and rule coverage, read from a test file beside
//! the policy. The core reads text and returns reports; the CLI finds and reads files.

mod parse;

use serde_json::{Value, json};

use crate::analysis::compare::ProductLimits;
pub use crate::analysis::compare::invariants::InvariantKind;
use crate::analysis::compare::invariants::{Proof, prove};
use crate::analysis::regions::{AnalysisLimits, Questions, Reach, RegionMap};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::policy_tests::UNKNOWN_TEST_RULE;
use crate::eval::{Decision, DecisionRecord, JsonMap, Request, interpret};
use crate::policy::{Effect, Policy};
use crate::source::Span;
pub use parse::parse_suite;

/// A parsed test file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestSuite {
    /// `policy:` as written (relative to the test file) and where.
    pub policy: Option<(String, Span)>,
    pub tests: Vec<TestCase>,
    pub invariants: Vec<Invariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    pub name: String,
    pub span: Span,
    pub call: TestCall,
    pub expect: Expect,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestCall {
    pub tool: String,
    pub method: String,
    pub context: JsonMap,
    pub args: JsonMap,
}

impl TestCall {
    pub fn request(&self) -> Request<'_> {
        Request {
            tool: &self.tool,
            method: &self.method,
            context: Some(&self.context),
            args: Some(&self.args),
        }
    }
}

/// Any subset of a decision's fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expect {
    pub effect: Option<Effect>,
    /// A policy id or `rules[N]`, and where it was written.
    pub rule: Option<(String, Span)>,
    pub hitl_eligible: Option<bool>,
    pub policy_id: Option<String>,
    pub reason_code: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invariant {
    pub name: String,
    pub kind: InvariantKind,
    pub patterns: Vec<String>,
    pub span: Span,
}

/// The outcome of one test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestOutcome {
    pub name: String,
    pub passed: bool,
    /// The fields the test expects, as JSON.
    pub expected: Value,
    /// The same fields of the actual decision.
    pub actual: Value,
    /// The deciding rule's index, for coverage.
    pub rule_index: Option<usize>,
}

/// The outcome of one invariant.
#[derive(Debug, Clone, PartialEq)]
pub struct InvariantOutcome {
    pub name: String,
    pub kind: InvariantKind,
    pub proof: Proof,
    /// The counterexample's decision record, when violated.
    pub counterexample: Option<Value>,
}

impl InvariantOutcome {
    pub fn status(&self) -> &'static str {
        match self.proof {
            Proof::Holds => "proven",
            Proof::Violated { .. } => "violated",
            Proof::Unproven { .. } => "unproven",
            Proof::Incomplete { .. } => "incomplete",
        }
    }
}

/// Which reachable rules the tests exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Reachable rules (rules some call can reach).
    pub rules: Vec<usize>,
    pub exercised: Vec<usize>,
    pub unexercised: Vec<usize>,
}

impl Coverage {
    /// Percentage of reachable rules exercised (100 when none is reachable).
    pub fn percent(&self) -> f64 {
        if self.rules.is_empty() {
            return 100.0;
        }
        #[expect(clippy::cast_precision_loss, reason = "rule counts are far below 2^52")]
        let ratio = self.exercised.len() as f64 / self.rules.len() as f64;
        ratio * 100.0
    }
}

/// Everything one suite run found.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteReport {
    pub tests: Vec<TestOutcome>,
    pub invariants: Vec<InvariantOutcome>,
    pub coverage: Coverage,
    /// Problems of the test file found while running (an unknown rule name).
    pub diagnostics: Vec<Diagnostic>,
}

impl SuiteReport {
    pub fn passed(&self) -> bool {
        self.tests.iter().all(|t| t.passed)
            && self.invariants.iter().all(|i| i.proof == Proof::Holds)
    }
}

/// Run a suite against a loaded policy.
pub fn run_suite(suite: &TestSuite, policy: &Policy, limits: &ProductLimits) -> SuiteReport {
    let mut diagnostics = Vec::new();
    let tests: Vec<TestOutcome> = suite
        .tests
        .iter()
        .map(|test| run_test(test, policy, &mut diagnostics))
        .collect();
    let invariants = suite
        .invariants
        .iter()
        .map(|invariant| {
            let proof = prove(policy, invariant.kind, &invariant.patterns, limits);
            let counterexample = match &proof {
                Proof::Violated { call, decision } => Some(json!({
                    "tool": call.tool,
                    "method": call.method,
                    "context": call.context,
                    "decision": DecisionRecord::new(decision, policy, &call.request()),
                })),
                _ => None,
            };
            InvariantOutcome {
                name: invariant.name.clone(),
                kind: invariant.kind,
                proof,
                counterexample,
            }
        })
        .collect();
    let coverage = coverage(policy, &tests);
    SuiteReport {
        tests,
        invariants,
        coverage,
        diagnostics,
    }
}

fn run_test(test: &TestCase, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) -> TestOutcome {
    let request = test.call.request();
    let decision = interpret(policy, &request);
    let record = DecisionRecord::new(&decision, policy, &request);
    let mut expected = serde_json::Map::new();
    let mut actual = serde_json::Map::new();
    let mut passed = true;
    let mut check = |field: &str, want: Value, got: Value| {
        passed &= want == got;
        expected.insert(field.to_owned(), want);
        actual.insert(field.to_owned(), got);
    };
    let e = &test.expect;
    if let Some(effect) = e.effect {
        check("effect", effect.as_str().into(), record.effect.into());
    }
    if let Some(eligible) = e.hitl_eligible {
        check(
            "hitl_eligible",
            eligible.into(),
            record.hitl_eligible.into(),
        );
    }
    if let Some(id) = &e.policy_id {
        check("policy_id", id.as_str().into(), record.policy_id.into());
    }
    if let Some(code) = &e.reason_code {
        check(
            "reason_code",
            code.as_str().into(),
            record.reason_code.into(),
        );
    }
    if let Some(reason) = &e.reason {
        check(
            "reason",
            reason.as_str().into(),
            record.reason.as_ref().into(),
        );
    }
    if let Some((name, span)) = &e.rule {
        match resolve_rule(policy, name) {
            Some(index) => check(
                "rule",
                format!("rules[{index}]").into(),
                decision
                    .rule_index()
                    .map_or(Value::Null, |i| format!("rules[{i}]").into()),
            ),
            None => {
                diagnostics.push(unknown_rule(policy, name, *span));
                check("rule", name.as_str().into(), Value::Null);
            }
        }
    }
    TestOutcome {
        name: test.name.clone(),
        passed,
        expected: Value::Object(expected),
        actual: Value::Object(actual),
        rule_index: decision.rule_index(),
    }
}

/// `rules[N]`, or the first rule whose policy id is `name`.
pub fn resolve_rule(policy: &Policy, name: &str) -> Option<usize> {
    if let Some(index) = name
        .strip_prefix("rules[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        return (index < policy.rules.len()).then_some(index);
    }
    policy
        .rules
        .iter()
        .position(|r| r.policy_id.as_deref() == Some(name))
}

fn unknown_rule(policy: &Policy, name: &str, span: Span) -> Diagnostic {
    let ids: Vec<&str> = policy
        .rules
        .iter()
        .filter_map(|r| r.policy_id.as_deref())
        .take(5)
        .collect();
    Diagnostic::new(
        &UNKNOWN_TEST_RULE,
        span,
        format!("the policy has no rule `{name}`"),
    )
    .with_label("no rule has this id or index")
    .with_help(format!(
        "write a policy id ({}) or rules[N] with N below {}",
        ids.join(", "),
        policy.rules.len()
    ))
}

fn coverage(policy: &Policy, tests: &[TestOutcome]) -> Coverage {
    let regions = RegionMap::compute(policy, &AnalysisLimits::DEFAULT, &Questions::default());
    let rules: Vec<usize> = (0..policy.rules.len())
        .filter(|&i| matches!(regions.rule(i), Reach::Reachable(_)))
        .collect();
    let (exercised, unexercised) = rules
        .iter()
        .partition(|&&i| tests.iter().any(|t| t.rule_index == Some(i)));
    Coverage {
        rules,
        exercised,
        unexercised,
    }
}

/// One test per reachable rule, from the analyzer's witness of the rule, expecting the
/// decision it gets today; as test-file YAML.
pub fn generate(policy: &Policy, policy_path: &str) -> String {
    let regions = RegionMap::compute(policy, &AnalysisLimits::DEFAULT, &Questions::default());
    let mut out = format!("policy: {}\ntests:\n", yaml_string(policy_path));
    for index in 0..policy.rules.len() {
        let Reach::Reachable(reach) = regions.rule(index) else {
            continue;
        };
        let found = reach
            .deciding
            .iter()
            .filter_map(|&at| regions.call(policy, at))
            .flat_map(|(call, decision)| {
                let readable = call.readable_variant().map(|c| {
                    let d = c.decide(policy);
                    (c, d)
                });
                readable.into_iter().chain([(call, decision)])
            })
            .find(|(_, decision)| decision.rule_index() == Some(index));
        let Some((call, decision)) = found else {
            continue;
        };
        out.push_str(&generated_test(policy, index, &call, &decision));
    }
    out
}

fn generated_test(
    policy: &Policy,
    index: usize,
    call: &crate::analysis::regions::Call,
    decision: &Decision,
) -> String {
    let mut text = format!(
        "  - name: {}\n    call: {{tool: {}, method: {}",
        yaml_string(&format!("rules[{index}] decides")),
        yaml_string(&call.tool),
        yaml_string(&call.method)
    );
    if !call.context.is_empty() {
        text.push_str(&format!(
            ", context: {}",
            Value::Object(call.context.clone())
        ));
    }
    let rule = decision
        .policy_id(policy)
        .map_or(format!("rules[{index}]"), str::to_owned);
    text.push_str(&format!(
        "}}\n    expect: {{effect: {}, rule: {}, hitl_eligible: {}}}\n",
        decision.effect.as_str(),
        yaml_string(&rule),
        decision.hitl_eligible
    ));
    text
}

/// A single-quoted YAML scalar.
fn yaml_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
