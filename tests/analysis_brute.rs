//! Brute-force proof of the reachability engine: random small policies over a tiny
//! alphabet, every call of a bounded space decided by the interpreter, and the engine's
//! claims held against that ground truth.
//!
//! - a rule reported unmatchable or unreachable decides no call of the space;
//! - a rule reported reachable is decided by its recorded witness (so a rule that
//!   decides nothing, within the space or beyond it, is never left unflagged);
//! - no rule is left undecided (`analysis-incomplete`) on policies this small;
//! - a rule reported redundant names itself nowhere, and removing it changes no call's
//!   effect or eligibility;
//! - every `partially-shadowed-rule` shows a call of the rule decided earlier by the
//!   named rule, of another effect, and a call the rule still decides; the named rule
//!   reaches beyond the rule (a call of the space it matches and the rule does not).
//!
//! `cargo test` runs 1,000 policies; `cargo test --release --test analysis_brute --
//! --ignored` runs 40,000.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed check fails the test"
)]

use guardc::analysis::regions::{AnalysisLimits, Questions, Reach, RegionMap};
use guardc::analysis::{Context, LevelConfig, diagnose_in};
use guardc::eval::{Decision, JsonMap, Request, interpret};
use guardc::policy::Effect;
use guardc::policy::{Policy, load_bytes};
use serde_json::Value;

mod brute_common;

use brute_common::Rng;

const PATTERNS: &[&str] = &[
    "*", "a", "a:*", "b:*", "a:x*", "a:xy", "b:?", "*x*", "*:y*", "a:*y", "[ab]:x", "a:[!x]*",
    "*y", "b:x?", "?:*", "*:x", "ab:*", "*y*", "*xy*", "*:x*",
];
const EFFECTS: &[&str] = &["allow", "deny", "warn"];
const EXTRAS: &[&str] = &[
    "",
    "",
    "",
    "    resources: ['/a*']\n",
    "    resources: ['/b', '/a']\n",
    "    when: {mode: 'r*'}\n",
    "    when: {mode: {op: equals, value: w}}\n",
    "    id: named\n",
    "    reason: 'because'\n",
];

fn random_policy(rng: &mut Rng) -> String {
    let default = rng.pick(&["allow", "deny", "deny"]);
    let mut text = format!("version: '1'\nsettings:\n  default_action: {default}\nrules:\n");
    for index in 0..=rng.below(6) {
        let effect = rng.pick(EFFECTS);
        let patterns = if rng.below(4) == 0 {
            format!("['{}', '{}']", rng.pick(PATTERNS), rng.pick(PATTERNS))
        } else {
            format!("'{}'", rng.pick(PATTERNS))
        };
        text.push_str(&match effect {
            "warn" => format!("  - effect: warn\n    actions: {patterns}\n"),
            _ => format!("  - {effect}: {patterns}\n"),
        });
        if effect == "deny" && rng.below(2) == 0 {
            text.push_str("    escalate_on_deny: true\n");
        }
        text.push_str(&rng.pick(EXTRAS).replace("named", &format!("r{index}")));
    }
    text
}

/// Every call of the bounded space: tools `a`, `b`, `ab`, `A`; methods up to length 3
/// over `x y :`; the resource absent or one of a few; the `mode` key absent or set.
fn space() -> Vec<(String, String, JsonMap)> {
    let mut methods = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..3 {
        frontier = frontier
            .iter()
            .flat_map(|m| ["x", "y", ":"].map(|c| format!("{m}{c}")))
            .collect();
        methods.extend(frontier.iter().cloned());
    }
    let contexts: Vec<JsonMap> = [None, Some("/a"), Some("/b"), Some("/ax")]
        .into_iter()
        .flat_map(|resource| {
            [None, Some("w"), Some("rw")].into_iter().map(move |mode| {
                let mut context = JsonMap::new();
                if let Some(resource) = resource {
                    context.insert("resource".into(), Value::String(resource.into()));
                }
                if let Some(mode) = mode {
                    context.insert("mode".into(), Value::String(mode.into()));
                }
                context
            })
        })
        .collect();
    let mut calls = Vec::new();
    for tool in ["a", "b", "ab", "A"] {
        for method in &methods {
            for context in &contexts {
                calls.push((tool.to_owned(), method.clone(), context.clone()));
            }
        }
    }
    calls
}

fn decide(policy: &Policy, (tool, method, context): &(String, String, JsonMap)) -> Decision {
    interpret(
        policy,
        &Request {
            tool,
            method,
            context: Some(context),
            args: None,
        },
    )
}

fn class(decision: &Decision) -> (Effect, bool) {
    (decision.effect, decision.hitl_eligible)
}

fn load(text: &str) -> (guardc::policy::LoadResult, Policy) {
    let loaded = load_bytes("p.yaml", text.as_bytes());
    assert!(!loaded.has_errors(), "{text}\n{:?}", loaded.diagnostics);
    let policy = loaded.policy.clone().unwrap();
    (loaded, policy)
}

/// The policy text without its rule `index` (rules are written one per `  - ` line).
fn without_rule(text: &str, index: usize) -> String {
    let (head, rules) = text.split_once("rules:\n").unwrap();
    let mut chunks: Vec<String> = Vec::new();
    for line in rules.lines() {
        if line.starts_with("  - ") || chunks.is_empty() {
            chunks.push(String::new());
        }
        let last = chunks.last_mut().unwrap();
        last.push_str(line);
        last.push('\n');
    }
    chunks.remove(index);
    format!("{head}rules:\n{}", chunks.concat())
}

fn check_policy(text: &str, space: &[(String, String, JsonMap)], limits: &AnalysisLimits) {
    let (loaded, policy) = load(text);
    let decisions: Vec<Decision> = space.iter().map(|call| decide(&policy, call)).collect();
    let map = RegionMap::compute(&policy, limits, &Questions::all(policy.rules.len()));
    for r in 0..policy.rules.len() {
        let decides = |d: &Decision| d.rule_index() == Some(r);
        match map.rule(r) {
            Reach::Unmatchable | Reach::Unreachable(_) => {
                if let Some(i) = decisions.iter().position(decides) {
                    panic!(
                        "rules[{r}] reported never deciding, but decides {:?}\n{text}",
                        space[i]
                    );
                }
            }
            Reach::Reachable(reachable) => {
                let proven = reachable
                    .deciding
                    .iter()
                    .any(|&at| map.call(&policy, at).is_some_and(|(_, d)| decides(&d)));
                assert!(
                    proven,
                    "rules[{r}] reported reachable without a witness\n{text}"
                );
                if reachable.redundant.is_some() && !map.is_opaque(r) {
                    // Without its only rule, a policy decides every call by its default.
                    let smaller = (policy.rules.len() > 1).then(|| load(&without_rule(text, r)).1);
                    for (call, before) in space.iter().zip(&decisions) {
                        let after = smaller
                            .as_ref()
                            .map_or((policy.default_action, false), |smaller| {
                                class(&decide(smaller, call))
                            });
                        assert_eq!(
                            class(before),
                            after,
                            "rules[{r}] reported redundant, but removing it changes {call:?}\n{text}"
                        );
                    }
                }
            }
            Reach::Unknown => panic!("rules[{r}] left undecided\n{text}"),
        }
    }
    let context = Context::new(&loaded);
    let diagnostics = diagnose_in(&context, &LevelConfig::default());
    for d in &diagnostics {
        match d.code.name {
            "analysis-incomplete" => panic!("{}\n{text}", d.message),
            "redundant-rule" => {
                let r = d.rule_index.unwrap();
                let node = text.split("  - ").nth(r + 1).unwrap();
                assert!(
                    !node.contains("id:") && !node.contains("reason:"),
                    "a rule that names itself reported redundant\n{text}"
                );
            }
            "partially-shadowed-rule" => {
                let r = d.rule_index.unwrap();
                let q = d.related[0].rule_index.unwrap();
                assert!(q < r, "{text}");
                assert_ne!(policy.rules[q].effect, policy.rules[r].effect, "{text}");
                let decided: Vec<Option<usize>> = d
                    .witnesses
                    .iter()
                    .map(|w| {
                        (w.decision.reason_code == "RULE_MATCH")
                            .then(|| w.decision.evaluated_rules - 1)
                    })
                    .collect();
                assert_eq!(decided, vec![Some(q), Some(r)], "{text}");
            }
            _ => {}
        }
    }
}

fn run(policies: usize, seed: u64) {
    let space = space();
    let mut rng = Rng(seed);
    // Every other policy walks its floating literals (`*x*`) as one shared automaton
    // even when a search has a single one, so that path is checked as often as the
    // one-DFA-per-rule path the default takes for small unions.
    let shared = AnalysisLimits {
        shared_floating: 1,
        ..AnalysisLimits::DEFAULT
    };
    for round in 0..policies {
        let text = random_policy(&mut rng);
        let limits = if round % 2 == 0 {
            &AnalysisLimits::DEFAULT
        } else {
            &shared
        };
        check_policy(&text, &space, limits);
    }
}

#[test]
fn engine_matches_brute_force() {
    run(1_000, 0x9e37_79b9_7f4a_7c15);
}

#[test]
#[ignore = "soak: 40,000 policies, run with --release"]
fn engine_matches_brute_force_soak() {
    run(40_000, 0x2545_f491_4f6c_dd1d);
}
