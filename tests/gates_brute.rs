//! Brute-force proofs of `guardc diff` and of the invariants of `guardc test`: random small policy pairs over a tiny alphabet,
//! every call of a bounded space decided by the interpreter on both sides. Every pair of
//! deciding rules that decides some call of the space differently must be reported
//! (proven, or unproven when an opaque rule is involved) exactly once, and every witness
//! must decide as claimed on both sides (so nothing is reported that is not a change).
//! A proven invariant has no counterexample in the space; a false one's counterexample is
//! matched by its patterns and decided in violation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed check fails the test"
)]

use std::collections::{BTreeMap, BTreeSet};

use guardc::analysis::compare::{ChangeClass, ProductLimits, Verdict, diff};
use guardc::eval::{JsonMap, Request, interpret};
use guardc::policy::{Policy, load_bytes};

mod brute_common;

use brute_common::Rng;

const TOOLS: &[&str] = &["a", "b", "*", "A"];
const METHODS: &[&str] = &["*", "x", "x*", "*y", "xy", "?", "x?", "y*"];
const EFFECTS: &[&str] = &["allow", "deny", "warn"];
const CONDITIONS: &[&str] = &[
    "",
    "",
    "",
    "    when: {mode: 'r*'}\n",
    "    when: {mode: {op: equals, value: w}}\n",
    "    when: {mode: {op: matches, value: '^w'}}\n",
];

#[derive(Debug, Clone)]
struct RuleSpec {
    effect: &'static str,
    pattern: String,
    escalate: bool,
    condition: &'static str,
    reason: usize,
}

impl RuleSpec {
    fn random(rng: &mut Rng, opaque: bool) -> RuleSpec {
        let conditions = if opaque { CONDITIONS } else { &CONDITIONS[..5] };
        RuleSpec {
            effect: rng.pick(EFFECTS),
            pattern: format!("{}:{}", rng.pick(TOOLS), rng.pick(METHODS)),
            escalate: rng.below(2) == 0,
            condition: rng.pick(conditions),
            reason: rng.below(2),
        }
    }

    fn yaml(&self) -> String {
        format!(
            "  - effect: {}\n    action: '{}'\n    escalate_on_deny: {}\n    reason: 'r{}'\n{}",
            self.effect, self.pattern, self.escalate, self.reason, self.condition
        )
    }
}

fn policy_yaml(default: &str, rules: &[RuleSpec]) -> String {
    let mut text = format!("version: '1'\nsettings:\n  default_action: {default}\nrules:\n");
    for rule in rules {
        text.push_str(&rule.yaml());
    }
    text
}

/// The new side: the old rules edited a little (moved, removed, added, changed), so the
/// alignment has something to align.
fn mutate(rng: &mut Rng, rules: &[RuleSpec], opaque: bool) -> Vec<RuleSpec> {
    let mut new = rules.to_vec();
    for _ in 0..=rng.below(3) {
        match rng.below(5) {
            0 if !new.is_empty() => {
                let from = rng.below(new.len());
                let rule = new.remove(from);
                let to = rng.below(new.len() + 1);
                new.insert(to, rule);
            }
            1 if !new.is_empty() => {
                let at = rng.below(new.len());
                new.remove(at);
            }
            2 if !new.is_empty() => {
                let at = rng.below(new.len());
                new[at].effect = rng.pick(EFFECTS);
                new[at].escalate = rng.below(2) == 0;
            }
            3 if !new.is_empty() => {
                let at = rng.below(new.len());
                new[at].reason = 1 - new[at].reason;
            }
            _ => {
                let at = rng.below(new.len() + 1);
                new.insert(at, RuleSpec::random(rng, opaque));
            }
        }
    }
    if new.is_empty() {
        new.push(RuleSpec::random(rng, opaque));
    }
    new
}

fn load(text: &str) -> Policy {
    let loaded = load_bytes("p.yaml", text.as_bytes());
    assert!(!loaded.has_errors(), "{text}\n{:?}", loaded.diagnostics);
    loaded.policy.unwrap()
}

/// Every call of the bounded space: tools, methods up to length 3 over `x y z :`, the
/// `mode` context key absent or one of a few values.
fn space() -> Vec<(String, String, JsonMap)> {
    let mut methods = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..3 {
        frontier = frontier
            .iter()
            .flat_map(|m| ["x", "y", "z", ":"].map(|c| format!("{m}{c}")))
            .collect();
        methods.extend(frontier.iter().cloned());
    }
    let modes: [Option<&str>; 3] = [None, Some("r"), Some("w")];
    let mut calls = Vec::new();
    for tool in ["a", "b", "c", "A"] {
        for method in &methods {
            for mode in modes {
                let mut context = JsonMap::new();
                if let Some(mode) = mode {
                    context.insert("mode".into(), mode.into());
                }
                calls.push((tool.to_owned(), method.clone(), context));
            }
        }
    }
    calls
}

fn decide(policy: &Policy, call: &(String, String, JsonMap)) -> guardc::eval::Decision {
    interpret(
        policy,
        &Request {
            tool: &call.0,
            method: &call.1,
            context: Some(&call.2),
            args: None,
        },
    )
}

fn check_pair(old: &Policy, new: &Policy, calls: &[(String, String, JsonMap)], context: &str) {
    let report = diff(old, new, &ProductLimits::DEFAULT);
    assert!(report.incomplete.is_none(), "{context}");
    let mut brute: BTreeMap<(Option<usize>, Option<usize>), ChangeClass> = BTreeMap::new();
    for call in calls {
        let (a, b) = (decide(old, call), decide(new, call));
        if let Some(class) = ChangeClass::of(Verdict::of_decision(&a), Verdict::of_decision(&b)) {
            brute.insert((a.rule_index(), b.rule_index()), class);
        }
    }
    let mut reported = BTreeSet::new();
    for change in &report.changes {
        let key = (change.old_rule, change.new_rule);
        assert!(reported.insert(key), "{context}: {key:?} twice");
        let w = &change.witness;
        let call = (w.tool.clone(), w.method.clone(), w.context.clone());
        let (a, b) = (decide(old, &call), decide(new, &call));
        assert_eq!(a, change.old_decision, "{context}: {change:?}");
        assert_eq!(b, change.new_decision, "{context}: {change:?}");
        assert_eq!((a.rule_index(), b.rule_index()), key, "{context}");
        assert_eq!(
            ChangeClass::of(Verdict::of_decision(&a), Verdict::of_decision(&b)),
            Some(change.class),
            "{context}"
        );
        // The witness is the proof: a call the interpreter decides by exactly this
        // pair, which the brute force would find too had its space held this call.
    }
    for may in &report.may_change {
        let key = (may.old_rule, may.new_rule);
        assert!(reported.insert(key), "{context}: {key:?} twice");
        let involves_opaque = [
            may.old_rule.and_then(|i| old.rules.get(i)),
            may.new_rule.and_then(|i| new.rules.get(i)),
        ]
        .into_iter()
        .flatten()
        .any(|r| {
            r.conditions
                .iter()
                .any(|c| format!("{:?}", c.test).contains("Matches"))
        }) || old.rules.iter().chain(&new.rules).any(|r| {
            r.conditions
                .iter()
                .any(|c| format!("{:?}", c.test).contains("Matches"))
        });
        assert!(
            involves_opaque,
            "{context}: unproven {may:?} without an opaque rule"
        );
    }
    for (key, class) in &brute {
        assert!(
            reported.contains(key),
            "{context}: missed {key:?} ({class:?})"
        );
    }
}

fn run(seed: u64, pairs: usize, opaque: bool) {
    let calls = space();
    let mut rng = Rng(seed);
    for round in 0..pairs {
        let old_rules: Vec<RuleSpec> = (0..=rng.below(4))
            .map(|_| RuleSpec::random(&mut rng, opaque))
            .collect();
        let new_rules = if rng.below(4) == 0 {
            (0..=rng.below(4))
                .map(|_| RuleSpec::random(&mut rng, opaque))
                .collect()
        } else {
            mutate(&mut rng, &old_rules, opaque)
        };
        let defaults = ["deny", "allow", "warn"];
        let mut default = || {
            let choices = if rng.below(4) == 0 { 3 } else { 1 };
            defaults[rng.below(choices)]
        };
        let (old_default, new_default) = (default(), default());
        let (a, b) = (
            policy_yaml(old_default, &old_rules),
            policy_yaml(new_default, &new_rules),
        );
        let context = format!("seed {seed} round {round}\n--- old\n{a}--- new\n{b}");
        check_pair(&load(&a), &load(&b), &calls, &context);
    }
}

#[test]
fn diff_matches_the_brute_force_on_exact_policies() {
    run(0x5eed_0001, 1200, false);
}

#[test]
fn diff_reports_opaque_pairs_and_misses_nothing() {
    run(0x5eed_0002, 800, true);
}

#[test]
#[ignore = "soak: run with --ignored"]
fn diff_soak() {
    for seed in 1..20 {
        run(0xabcd_0000 + seed, 2000, seed % 2 == 0);
    }
}

/// A one-rule policy that decides by its rule exactly the calls `pattern` matches.
fn matcher(pattern: &str) -> Policy {
    load(&format!("version: '1'\nrules:\n  - deny: '{pattern}'\n"))
}

fn pattern_matches(matcher: &Policy, call: &(String, String, JsonMap)) -> bool {
    decide(matcher, call).rule_index() == Some(0)
}

fn run_invariants(seed: u64, rounds: usize, opaque: bool) {
    use guardc::analysis::compare::invariants::{InvariantKind, Proof, prove};
    let calls = space();
    let mut rng = Rng(seed);
    let kinds = [
        InvariantKind::NeverAllowed,
        InvariantKind::AlwaysApprovable,
        InvariantKind::NeverApprovable,
    ];
    let (mut held, mut violated) = (0, 0);
    for round in 0..rounds {
        let rules: Vec<RuleSpec> = (0..=rng.below(4))
            .map(|_| RuleSpec::random(&mut rng, opaque))
            .collect();
        let default = ["deny", "allow"][rng.below(2)];
        let text = policy_yaml(default, &rules);
        let policy = load(&text);
        let kind = kinds[rng.below(3)];
        let pattern = format!("{}:{}", rng.pick(TOOLS), rng.pick(METHODS));
        let context = format!("seed {seed} round {round} {kind:?} {pattern}\n{text}");
        let proof = prove(
            &policy,
            kind,
            std::slice::from_ref(&pattern),
            &ProductLimits::DEFAULT,
        );
        let matcher = matcher(&pattern);
        let brute_violation = calls.iter().find(|call| {
            pattern_matches(&matcher, call)
                && kind.violated_by(Verdict::of_decision(&decide(&policy, call)))
        });
        match &proof {
            Proof::Holds => {
                held += 1;
                assert!(
                    brute_violation.is_none(),
                    "{context}: proven, but {brute_violation:?}"
                );
            }
            Proof::Violated { call, decision } => {
                violated += 1;
                let call = (call.tool.clone(), call.method.clone(), call.context.clone());
                assert!(
                    pattern_matches(&matcher, &call),
                    "{context}: {call:?} not matched"
                );
                assert_eq!(decide(&policy, &call), *decision, "{context}");
                assert!(
                    kind.violated_by(Verdict::of_decision(decision)),
                    "{context}"
                );
            }
            Proof::Unproven { .. } => assert!(opaque, "{context}: unproven without opaque rules"),
            Proof::Incomplete { reason } => panic!("{context}: {reason}"),
        }
    }
    assert!(
        held > rounds / 10 && violated > rounds / 10,
        "{held} held, {violated} violated"
    );
}

#[test]
fn invariants_match_the_brute_force() {
    run_invariants(0x1a7a_0001, 400, false);
    run_invariants(0x1a7a_0002, 200, true);
}
