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
            let method = pattern.folded().split_once(':').map_or("", |(_, m)| m);
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
    ..AutomatonLimits::DEFAULT
};

fn assert_agrees(policy: &guardc::policy::Policy, compiled: &CompiledPolicy) {
    assert_decides_alike(policy, compiled, requests_for(policy));
}

/// The compiled policy and the interpreter decide every subject alike, with and without
/// a context.
fn assert_decides_alike(
    policy: &guardc::policy::Policy,
    compiled: &CompiledPolicy,
    subjects: impl IntoIterator<Item = (String, String)>,
) {
    let context = serde_json::Map::from_iter([("env".to_owned(), "prod".into())]);
    for (tool, method) in subjects {
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

/// The fallback report of a group that had to be split.
fn split_group<'a>(
    compiled: &'a CompiledPolicy,
    group: &str,
) -> &'a guardc::automaton::AutomatonFallback {
    let fallback = compiled
        .fallbacks()
        .iter()
        .find(|f| f.group == group)
        .unwrap();
    assert!(fallback.chunks > 1, "{fallback:?}");
    fallback
}

#[test]
fn gated_subset_explosion_splits_and_stays_exact() {
    let policy = fixture("gated-subset-explosion.yaml");
    let compiled = CompiledPolicy::with_limits(policy.clone(), &TEST_LIMITS);
    let fallback = split_group(&compiled, "gated");
    assert!(fallback.reason.contains("limit"), "{}", fallback.reason);
    assert_agrees(&policy, &compiled);
}

#[test]
fn decider_suffix_explosion_splits_and_stays_exact() {
    let policy = fixture("decider-suffix-explosion.yaml");
    let compiled = CompiledPolicy::with_limits(policy.clone(), &TEST_LIMITS);
    split_group(&compiled, "action-only");
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
        ..AutomatonLimits::DEFAULT
    };
    let compiled = CompiledPolicy::with_limits(policy.clone(), &limits);
    assert!(!compiled.fallbacks().is_empty());
    assert_agrees(&policy, &compiled);
}

/// The shapes of the policy-wide budget: one exploding pattern per tool (each tool its
/// own group), alone and interleaved with ordinary, gated and shared rules. The build
/// stops attempting once the failure pool is spent, reports it, and the rules past it
/// decide exactly as the interpreter does.
#[test]
fn per_tool_explosions_share_one_budget_and_stay_exact() {
    for name in [
        "budget-per-tool-explosion.yaml",
        "budget-mixed-explosion.yaml",
    ] {
        let policy = fixture(name);
        let compiled = CompiledPolicy::new(policy.clone());
        let spent = compiled
            .fallbacks()
            .iter()
            .find(|f| f.reason.contains("budget is spent"))
            .unwrap_or_else(|| panic!("{name}: {:?}", compiled.fallbacks()));
        assert!(spent.rules > 0, "{name}: {spent:?}");
        // One report per group kind and cause, not one per tool.
        assert!(
            compiled.fallbacks().len() <= 4,
            "{name}: {:?}",
            compiled.fallbacks()
        );
        assert_agrees_per_tool(&policy, &compiled);
    }
}

/// Like [`assert_agrees`], over every tool of the fixture and subjects that match and
/// just miss the exploding pattern.
fn assert_agrees_per_tool(policy: &guardc::policy::Policy, compiled: &CompiledPolicy) {
    let tail = "0123456789abcdefghijklmn";
    let methods = [
        format!("xa{tail}"),
        format!("a{tail}z"),
        format!("b{}", &tail[..20]),
        "list_all".to_owned(),
        "get_0".to_owned(),
        "get_11".to_owned(),
        "nothing".to_owned(),
    ];
    let tools = (0..160)
        .map(|i| format!("t{i}"))
        .chain(["T1".to_owned(), "u".to_owned()]);
    let subjects = tools.flat_map(|tool| {
        methods
            .iter()
            .map(move |method| (tool.clone(), method.clone()))
    });
    assert_decides_alike(policy, compiled, subjects);
}

/// A pool that runs out part-way leaves earlier groups compiled and later ones per
/// rule; every size of pool decides the same.
#[test]
fn every_pool_size_decides_the_same() {
    let policy = fixture("budget-mixed-explosion.yaml");
    for (policy_bytes, failed_bytes) in [
        (0, 0),
        (4 << 10, 1 << 20),
        (64 << 10, 0),
        (1 << 20, 256 << 10),
    ] {
        let limits = AutomatonLimits {
            policy_bytes,
            failed_bytes,
            ..TEST_LIMITS
        };
        let compiled = CompiledPolicy::with_limits(policy.clone(), &limits);
        assert_agrees_per_tool(&policy, &compiled);
    }
}
