//! Adversarial pattern sets hit the automaton's documented limits and degrade to split
//! automata, reported, with decisions still exactly the interpreter's.

#![allow(clippy::unwrap_used, reason = "fixtures are known-good policies")]

use guardc::automaton::AutomatonLimits;
use guardc::eval::{CompiledPolicy, Request, interpret};
use guardc::policy::load;
use guardc::source::SourceFile;

fn fixture(name: &str) -> guardc::policy::Policy {
    let path = format!("{}/fixtures/automaton/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    load(SourceFile::new(path, text)).policy.unwrap()
}

/// Subjects built from the fixture's own literals, so that every rule matches some of
/// them and most partial matches are exercised too.
fn requests_for(policy: &guardc::policy::Policy) -> Vec<(String, String)> {
    let mut out = vec![("t".to_owned(), "nothing".to_owned())];
    for rule in &policy.rules {
        for pattern in &rule.patterns {
            let method = pattern.folded.split_once(':').map_or("", |(_, m)| m);
            let literals: Vec<&str> = method.split('*').filter(|s| !s.is_empty()).collect();
            out.push(("t".to_owned(), literals.join("-")));
            out.push(("t".to_owned(), format!("x{}y", literals.join(""))));
            if let Some(first) = literals.first() {
                out.push(("t".to_owned(), (*first).to_owned()));
            }
        }
    }
    out
}

/// Small budgets keep the test fast; the defaults behave the same, only slower to hit.
const TEST_LIMITS: AutomatonLimits = AutomatonLimits {
    nfa_bytes: 8 << 20,
    determinize_bytes: 512 << 10,
    dfa_bytes: 512 << 10,
    max_chunks: 64,
};

fn assert_agrees(policy: &guardc::policy::Policy, compiled: &CompiledPolicy) {
    let context = serde_json::Map::from_iter([("env".to_owned(), "prod".into())]);
    for (tool, method) in requests_for(policy) {
        for ctx in [None, Some(&context)] {
            let request = Request {
                tool: &tool,
                method: &method,
                context: ctx,
                args: None,
            };
            assert_eq!(
                compiled.decide(&request),
                interpret(policy, &request),
                "{tool}:{method}"
            );
        }
    }
}

#[test]
fn gated_subset_explosion_splits_and_stays_exact() {
    let policy = fixture("gated-subset-explosion.yaml");
    let compiled = CompiledPolicy::with_limits(policy.clone(), &TEST_LIMITS);
    let fallback = compiled
        .fallbacks()
        .iter()
        .find(|f| f.group == "gated")
        .unwrap();
    assert!(fallback.chunks > 1, "{fallback:?}");
    assert!(fallback.reason.contains("limit"), "{}", fallback.reason);
    assert_agrees(&policy, &compiled);
}

#[test]
fn decider_suffix_explosion_splits_and_stays_exact() {
    let policy = fixture("decider-suffix-explosion.yaml");
    let compiled = CompiledPolicy::with_limits(policy.clone(), &TEST_LIMITS);
    let fallback = compiled
        .fallbacks()
        .iter()
        .find(|f| f.group == "action-only")
        .unwrap();
    assert!(fallback.chunks > 1, "{fallback:?}");
    assert_agrees(&policy, &compiled);
}

#[test]
fn tiny_limits_fall_back_to_per_rule_matching() {
    let policy = fixture("decider-suffix-explosion.yaml");
    let limits = AutomatonLimits {
        nfa_bytes: 1,
        determinize_bytes: 1,
        dfa_bytes: 1,
        max_chunks: 4,
    };
    let compiled = CompiledPolicy::with_limits(policy.clone(), &limits);
    assert!(!compiled.fallbacks().is_empty());
    assert_agrees(&policy, &compiled);
}
