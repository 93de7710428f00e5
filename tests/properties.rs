//! Property tests of deciding: laws that hold for every policy and every call, checked
//! on generated policies (the differential generator) and the shipped examples with
//! arbitrary tool and method strings, including empty, huge and malformed-looking ones.
//!
//! - deciding never panics, and the compiled evaluator agrees with the interpreter;
//! - `evaluated_rules` is within bounds and consistent with the outcome;
//! - a request decided by a rule matches that rule's patterns, passes its gates, and
//!   every earlier rule was stopped by some gate (first match wins);
//! - the default applies only when no rule decides, and `RESOURCE_GATE_SKIP` exactly
//!   when the default is deny and some rule was stopped only by its resource gate;
//! - a bundle round trip (signed or not) preserves every decision.

#[path = "differential/generate.rs"]
mod generate;
#[path = "differential/requests.rs"]
mod requests;

use ed25519_dalek::SigningKey;
use guardc::bundle::{read_bundle, write_bundle};
use guardc::eval::{CompiledPolicy, Decision, Gate, Outcome, Request, interpret, trace};
use guardc::pattern::folded_subject;
use guardc::policy::{Effect, Policy, load};
use guardc::source::SourceFile;
use proptest::prelude::*;

use generate::{Rng, Sizes};
use requests::requests_for;

const EXAMPLES: [(&str, &str); 3] = [
    ("approval.yaml", include_str!("../examples/approval.yaml")),
    (
        "coding-agent.yaml",
        include_str!("../examples/coding-agent.yaml"),
    ),
    (
        "data-platform.yaml",
        include_str!("../examples/data-platform.yaml"),
    ),
];

/// The policy for a seed: one of the examples, or a generated document that loads.
fn policy_for(seed: u64) -> Option<(String, String, Policy)> {
    let (name, text) = if seed % 8 == 0 {
        let (name, text) = EXAMPLES[(seed / 8 % 3) as usize];
        (name.to_owned(), text.to_owned())
    } else {
        let generated = generate::policy(&mut Rng::new(seed), Sizes::SMALL);
        (generated.file_name().to_owned(), generated.text())
    };
    let loaded = load(SourceFile::new(name.as_str(), text.as_str()));
    let policy = loaded
        .policy
        .filter(|_| !loaded.diagnostics.iter().any(|d| d.is_error()))?;
    Some((name, text, policy))
}

/// Tool and method strings a runtime could be handed: anything at all, text close to
/// the vocabulary, and very long strings.
fn call_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[a-cA-CßΣς:*?\\[\\]!^/ ]{0,10}",
        1 => ("[a-zß:*]{1,3}", 1000usize..20_000).prop_map(|(unit, n)| unit.repeat(n / unit.len().max(1))),
        1 => Just(String::new()),
    ]
}

/// The laws tying one decision to the rules, checked against the interpreter's trace.
fn check_decision_laws(
    policy: &Policy,
    compiled: &CompiledPolicy,
    request: &Request<'_>,
) -> Result<(), TestCaseError> {
    let decision = interpret(policy, request);
    let fast = compiled.decide(request);
    prop_assert_eq!(fast, decision, "compiled evaluator disagrees");
    let rules = policy.rules.len();
    prop_assert!(decision.evaluated_rules <= rules);
    if request.tool.is_empty() {
        prop_assert_eq!(decision, Decision::engine_error());
        return Ok(());
    }
    let (traced, steps) = trace(policy, request);
    prop_assert_eq!(traced, decision);
    let subject = folded_subject(request.tool, request.method);
    match decision.outcome {
        Outcome::Rule(index) => {
            prop_assert!(index < rules);
            prop_assert_eq!(decision.evaluated_rules, index + 1);
            let rule = &policy.rules[index];
            prop_assert!(rule.patterns.iter().any(|p| p.matches_subject(&subject)));
            prop_assert_eq!(decision.effect, rule.effect);
            prop_assert_eq!(
                decision.hitl_eligible,
                rule.escalate_on_deny && rule.effect == Effect::Deny
            );
            prop_assert_eq!(steps.len(), index + 1);
            prop_assert!(steps[..index].iter().all(|s| s.failed_gate.is_some()));
            prop_assert_eq!(steps[index].failed_gate, None);
        }
        Outcome::NoMatch | Outcome::ResourceGateSkip => {
            prop_assert_eq!(decision.evaluated_rules, rules);
            prop_assert_eq!(decision.effect, policy.default_action);
            prop_assert!(!decision.hitl_eligible);
            prop_assert_eq!(steps.len(), rules);
            prop_assert!(steps.iter().all(|s| s.failed_gate.is_some()));
            // An action-only rule whose pattern matches always decides.
            for rule in policy.rules.iter().filter(|r| r.is_action_only()) {
                prop_assert!(!rule.patterns.iter().any(|p| p.matches_subject(&subject)));
            }
            let resource_skip = steps.iter().any(|s| s.failed_gate == Some(Gate::Resource));
            prop_assert_eq!(
                decision.outcome == Outcome::ResourceGateSkip,
                resource_skip && policy.default_action == Effect::Deny
            );
        }
        Outcome::EngineError => prop_assert!(false, "engine error for a non-empty tool"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_calls_obey_the_decision_laws(
        seed in any::<u64>(),
        tool in call_text(),
        method in call_text(),
        with_context in any::<bool>(),
    ) {
        let Some((_, _, policy)) = policy_for(seed) else {
            return Err(TestCaseError::reject("the generated policy does not load"));
        };
        let context = serde_json::json!({"resource": "/etc/passwd", "client_name": "ci", "env": "prod"});
        let request = Request {
            tool: &tool,
            method: &method,
            context: context.as_object().filter(|_| with_context),
            args: None,
        };
        check_decision_laws(&policy, &CompiledPolicy::new(policy.clone()), &request)?;
    }

    #[test]
    fn derived_calls_obey_the_decision_laws(seed in any::<u64>()) {
        let generated = generate::policy(&mut Rng::new(seed), Sizes::SMALL);
        let Some((_, _, policy)) = policy_for(seed) else {
            return Err(TestCaseError::reject("the generated policy does not load"));
        };
        let compiled = CompiledPolicy::new(policy.clone());
        for request in requests_for(&generated, 24, &mut Rng::new(seed ^ 1)) {
            check_decision_laws(&policy, &compiled, &request.view())?;
        }
    }

    #[test]
    fn bundle_round_trip_preserves_decisions(seed in any::<u64>(), signed in any::<bool>()) {
        let generated = generate::policy(&mut Rng::new(seed), Sizes::SMALL);
        let Some((_, text, policy)) = policy_for(seed) else {
            return Err(TestCaseError::reject("the generated policy does not load"));
        };
        let key = SigningKey::from_bytes(&[(seed & 0xff) as u8; 32]);
        let compiled = CompiledPolicy::new(policy.clone());
        let bytes = write_bundle(&compiled, text.as_bytes(), signed.then_some(&key));
        let trusted = key.verifying_key();
        let (bundled, info) = read_bundle(&bytes, signed.then_some(&trusted))
            .map_err(|e| TestCaseError::fail(format!("bundle does not load: {e}")))?;
        prop_assert_eq!(info.rule_count as usize, policy.rules.len());
        prop_assert_eq!(info.signer.is_some(), signed);
        // Writing the decoded policy again gives the same bytes: nothing was lost.
        prop_assert_eq!(write_bundle(&bundled, text.as_bytes(), signed.then_some(&key)), bytes);
        for request in requests_for(&generated, 24, &mut Rng::new(seed ^ 2)) {
            let view = request.view();
            prop_assert_eq!(bundled.decide(&view), compiled.decide(&view));
        }
    }
}
