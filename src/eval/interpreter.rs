//! The reference interpreter: docs/language.md section 4, one rule at a time, literally.
//!
//! This is the oracle. It recomputes the folded subject and tries every rule's gates in
//! the order the specification lists them, and it can report, for each rule, which gate
//! stopped it (`guardc eval --explain`). Faster evaluators must agree with it on every
//! conformance vector and on randomized differential tests.

use super::conditions::{ConditionsOutcome, evaluate_conditions};
use super::{Decision, Outcome, Request, Undecided};
use crate::pattern::folded_subject;
use crate::policy::{Effect, Policy, Rule, Selector};
use crate::python::{json_py_str, json_truthy};

/// The gates of docs/language.md section 4, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Action,
    Clients,
    Projects,
    Resource,
    Conditions,
}

impl Gate {
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Action => "action",
            Gate::Clients => "clients",
            Gate::Projects => "projects",
            Gate::Resource => "resource",
            Gate::Conditions => "conditions",
        }
    }
}

/// What happened to one rule while deciding a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleTrace {
    pub rule_index: usize,
    /// `None` when the rule passed every gate (and so decided).
    pub failed_gate: Option<Gate>,
    /// Set when the conditions gate was decided fail-closed (passed for a deny or warn
    /// rule, failed for an allow rule) because a `matches` condition was undecided.
    pub fail_closed: Option<Undecided>,
}

/// The gates of one rule after its action gate: the first that failed, and whether the
/// conditions gate was decided fail-closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GatesAfterAction {
    failed_gate: Option<Gate>,
    fail_closed: Option<Undecided>,
}

/// Decide a call by walking the rules in order.
pub fn interpret(policy: &Policy, request: &Request<'_>) -> Decision {
    decide_with(policy, policy.rules.iter(), request, |_| {})
}

/// [`interpret`] walking only the rules at `candidates` (ascending indices), for a
/// caller that knows every other rule fails its action gate for this request (the
/// analyzer's prefix index re-checks thousands of witnesses this way; walking every
/// rule for each made that quadratic). A rule that fails its action gate changes
/// nothing in the walk, so the decision is the same as [`interpret`]'s.
pub fn interpret_among(policy: &Policy, candidates: &[usize], request: &Request<'_>) -> Decision {
    let rules = candidates.iter().filter_map(|&i| policy.rules.get(i));
    decide_with(policy, rules, request, |_| {})
}

/// Decide a call and record, for every rule tried, which gate stopped it.
pub fn trace(policy: &Policy, request: &Request<'_>) -> (Decision, Vec<RuleTrace>) {
    let mut steps = Vec::new();
    let decision = decide_with(policy, policy.rules.iter(), request, |step| {
        steps.push(step);
    });
    (decision, steps)
}

fn decide_with<'p>(
    policy: &'p Policy,
    rules: impl Iterator<Item = &'p Rule>,
    request: &Request<'_>,
    mut on_rule: impl FnMut(RuleTrace),
) -> Decision {
    if request.tool.is_empty() {
        return Decision::engine_error();
    }
    let subject = folded_subject(request.tool, request.method);
    let mut skipped_by_resource = false;
    for rule in rules {
        let gates = if rule.patterns.iter().any(|p| p.matches_subject(&subject)) {
            gates_after_action(rule, request)
        } else {
            GatesAfterAction {
                failed_gate: Some(Gate::Action),
                fail_closed: None,
            }
        };
        on_rule(RuleTrace {
            rule_index: rule.index,
            failed_gate: gates.failed_gate,
            fail_closed: gates.fail_closed,
        });
        match gates.failed_gate {
            None => return Decision::by_rule(rule),
            Some(Gate::Resource) => skipped_by_resource = true,
            Some(_) => {}
        }
    }
    no_match(policy, skipped_by_resource)
}

/// The decision when no rule decides (docs/language.md section 4, after the steps).
pub fn no_match(policy: &Policy, skipped_by_resource: bool) -> Decision {
    no_match_with(
        policy.default_action,
        policy.rules.len(),
        skipped_by_resource,
    )
}

/// [`no_match`] from the two facts it reads (a bundle's rules are not all decoded).
pub(crate) fn no_match_with(
    default_action: Effect,
    rule_count: usize,
    skipped_by_resource: bool,
) -> Decision {
    let outcome = if skipped_by_resource && default_action == Effect::Deny {
        Outcome::ResourceGateSkip
    } else {
        Outcome::NoMatch
    };
    Decision {
        effect: default_action,
        outcome,
        hitl_eligible: false,
        evaluated_rules: rule_count,
    }
}

/// Steps 2-4 of docs/language.md section 4 for a rule whose action gate matched. Shared with the
/// compiled evaluator, which decides the action gate with its automaton.
pub(crate) fn first_failed_gate_after_action(rule: &Rule, request: &Request<'_>) -> Option<Gate> {
    gates_after_action(rule, request).failed_gate
}

fn gates_after_action(rule: &Rule, request: &Request<'_>) -> GatesAfterAction {
    let failed = |gate| GatesAfterAction {
        failed_gate: Some(gate),
        fail_closed: None,
    };
    if let Some(gate) = failed_selector(rule, request) {
        return failed(gate);
    }
    let outcome = evaluate_conditions(&rule.conditions, request);
    GatesAfterAction {
        failed_gate: (!outcome.gate_passes(rule.effect)).then_some(Gate::Conditions),
        fail_closed: match outcome {
            ConditionsOutcome::Undecided(why) => Some(why),
            _ => None,
        },
    }
}

/// The first of the clients, projects and resource gates that `rule` fails for
/// `request` (docs/language.md section 4, steps 2 and 3), in the order they are tried;
/// the analyzer's index checks a rule's gates with this too.
pub(crate) fn failed_selector(rule: &Rule, request: &Request<'_>) -> Option<Gate> {
    if !selector_admits(&rule.clients, &selector_text(request, "client_name")) {
        return Some(Gate::Clients);
    }
    if !selector_admits(&rule.projects, &selector_text(request, "project_id")) {
        return Some(Gate::Projects);
    }
    if !resource_admits(&rule.resources, request) {
        return Some(Gate::Resource);
    }
    None
}

/// `context[key]`, with missing and falsy values read as `""` (docs/language.md section 4, step 2).
pub(crate) fn selector_text<'a>(request: &Request<'a>, key: &str) -> std::borrow::Cow<'a, str> {
    match request.context_value(key) {
        Some(value) if json_truthy(value) => json_py_str(value),
        _ => std::borrow::Cow::Borrowed(""),
    }
}

fn selector_admits(selector: &Selector, text: &str) -> bool {
    selector.is_any() || selector.globs.iter().any(|g| g.matches(text))
}

fn resource_admits(selector: &Selector, request: &Request<'_>) -> bool {
    if selector.is_any() {
        return true;
    }
    match request.context_value("resource") {
        Some(value) if json_truthy(value) => {
            let text = json_py_str(value);
            selector.globs.iter().any(|g| g.matches(&text))
        }
        _ => false,
    }
}
