//! Property tests of the reachability engine over random small policies:
//!
//! - a rule reported unreachable or unmatchable is never the decider of any of many
//!   generated requests (random ones, and every witness the engine produced);
//! - a rule reported reachable (and exact) is decided by its recorded witness;
//! - every witness a finding reports re-checks with the interpreter as reported;
//! - a rule containment the analysis claims holds for every generated request;
//! - a `partially-shadowed-rule` claim comes with a call of the rule decided earlier by
//!   the named rule of another effect, which is not contained in the rule, and a call
//!   the rule still decides;
//! - removing a rule reported redundant changes no generated request's effect or
//!   eligibility, and the rule names itself nowhere (no `id`, `name`, `reason`,
//!   `reason_code`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failed property fails the test"
)]

mod regions_common;

use guardc::analysis::Context;
use guardc::analysis::regions::{AnalysisLimits, Call, Questions, Reach, RegionMap, matches_rule};
use guardc::diagnostics::{Diagnostic, Witness};
use guardc::eval::{JsonMap, Request, interpret};
use guardc::policy::Policy;
use guardc::source::SourceFile;
use proptest::prelude::*;
use regions_common::{assert_witnesses_recheck, findings_with_limits};
use serde_json::Value;

/// One rule of a random policy, as YAML lines.
fn rule_strategy() -> impl Strategy<Value = String> {
    let tool = prop::sample::select(vec!["bash", "Bash", "git", "g?t", "[bg]*", "gh"]);
    let method_part = prop::sample::select(vec!["a", "b", "*", "?", "[ab]", "[!a]", " ", "x:"]);
    let method = prop::collection::vec(method_part, 0..4).prop_map(|p| p.concat());
    let literal = prop::sample::select(vec!["a", "ab", "x"]);
    let pattern = prop_oneof![
        Just("*".to_owned()),
        tool.clone().prop_map(str::to_owned),
        (tool.clone(), method).prop_map(|(t, m)| format!("{t}:{m}")),
        literal.clone().prop_map(|l| format!("*{l}*")),
        (tool, literal).prop_map(|(t, l)| format!("{t}:*{l}*")),
        Just("[z-a]".to_owned()),
    ];
    let patterns = prop::collection::vec(pattern, 1..3);
    let effect = prop::sample::select(vec!["allow", "deny", "warn"]);
    let resources = prop::sample::select(vec![
        "",
        "    resources: ['*']\n",
        "    resources: ['/a*']\n",
        "    resources: ['/b*', '/a/*']\n",
        "    resources: ['']\n",
    ]);
    let clients = prop::sample::select(vec![
        "",
        "",
        "    clients: ['c1']\n",
        "    clients: ['c*']\n",
    ]);
    let condition = prop::sample::select(vec![
        "",
        "",
        "    when: {k: 'v*'}\n",
        "    when: {k: {op: in, value: [v1, v2]}}\n",
        "    when: {k: {op: exists}}\n",
        "    when: {k: {op: not_exists}}\n",
        "    when: {k: {op: equals, value: v}}\n",
        "    when: {n: {op: gt, value: 5}}\n",
    ]);
    let escalate = any::<bool>();
    let identity = prop::sample::select(vec!["", "", "", "    id: named\n", "    reason: why\n"]);
    (patterns, effect, resources, clients, condition, escalate, identity).prop_map(
        |(patterns, effect, resources, clients, condition, escalate, identity)| {
            let quoted: Vec<String> = patterns.iter().map(|p| format!("'{p}'")).collect();
            let mut rule = format!(
                "  - effect: {effect}\n    actions: [{}]\n{resources}{clients}{condition}{identity}",
                quoted.join(", ")
            );
            if escalate {
                rule.push_str("    escalate_on_deny: true\n");
            }
            rule
        },
    )
}

fn policy_strategy() -> impl Strategy<Value = String> {
    let default = prop::sample::select(vec!["deny", "deny", "allow", "warn"]);
    (default, prop::collection::vec(rule_strategy(), 1..9)).prop_map(|(default, rules)| {
        format!(
            "version: '1'\nsettings:\n  default_action: {default}\nrules:\n{}",
            rules.concat()
        )
    })
}

/// A request as owned parts.
#[derive(Debug, Clone)]
struct Probe {
    tool: String,
    method: String,
    context: JsonMap,
}

fn probe_strategy() -> impl Strategy<Value = Probe> {
    let tool = prop::sample::select(vec!["bash", "Bash", "git", "gh", "got", "x", ":", "b:a"]);
    let method_char = prop::sample::select(vec!['a', 'b', 'x', ':', ' ', '/']);
    let method = prop::collection::vec(method_char, 0..5)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    let resource = prop::sample::select(vec!["", "/a", "/a/b", "/b1", "/c", "-"]);
    let client = prop::sample::select(vec!["", "c1", "c2"]);
    let value = prop::sample::select(vec!["-", "v", "v1", "v2", "w", ""]);
    (tool, method, resource, client, value).prop_map(|(tool, method, resource, client, value)| {
        let mut context = JsonMap::new();
        for (key, text) in [
            ("resource", resource),
            ("client_name", client),
            ("k", value),
        ] {
            if text != "-" {
                context.insert(key.to_owned(), Value::String(text.to_owned()));
            }
        }
        Probe {
            tool: tool.to_owned(),
            method,
            context,
        }
    })
}

fn decider(policy: &Policy, tool: &str, method: &str, context: &JsonMap) -> Option<usize> {
    interpret(
        policy,
        &Request {
            tool,
            method,
            context: Some(context),
            args: None,
        },
    )
    .rule_index()
}

fn decided_by(policy: &Policy, call: &Call) -> Option<usize> {
    decider(policy, &call.tool, &call.method, &call.context)
}

fn kind(reach: &Reach) -> &'static str {
    match reach {
        Reach::Unmatchable => "unmatchable",
        Reach::Unreachable(_) => "unreachable",
        Reach::Reachable(_) => "reachable",
        Reach::Unknown => "unknown",
    }
}

/// Every witness call the engine recorded, whatever its kind.
fn recorded_calls(map: &RegionMap, policy: &Policy) -> Vec<Call> {
    (0..policy.rules.len())
        .flat_map(|r| match map.rule(r) {
            Reach::Unreachable(u) => u.witnesses.clone(),
            Reach::Reachable(x) => {
                [x.deciding.clone(), x.shadowed.clone(), x.preempted.clone()].concat()
            }
            Reach::Unmatchable | Reach::Unknown => Vec::new(),
        })
        .filter_map(|at| map.call(policy, at).map(|(call, _)| call))
        .collect()
}

fn check_engine(policy: &Policy, map: &RegionMap, probes: &[Probe]) -> Result<(), TestCaseError> {
    let mut deciders: Vec<Option<usize>> = probes
        .iter()
        .map(|p| decider(policy, &p.tool, &p.method, &p.context))
        .collect();
    deciders.extend(
        recorded_calls(map, policy)
            .iter()
            .map(|c| decided_by(policy, c)),
    );
    for r in 0..policy.rules.len() {
        match map.rule(r) {
            Reach::Unmatchable | Reach::Unreachable(_) => {
                prop_assert!(
                    !deciders.contains(&Some(r)),
                    "rules[{r}] is {} but decides a request",
                    kind(map.rule(r))
                );
            }
            Reach::Reachable(reachable) if !map.is_opaque(r) => {
                let witness = map.witness(policy, &reachable.deciding, |_, d| {
                    d.rule_index() == Some(r)
                });
                prop_assert!(
                    witness.is_some(),
                    "rules[{r}] is reachable without a witness"
                );
            }
            Reach::Reachable(_) | Reach::Unknown => {}
        }
    }
    Ok(())
}

/// Every generated request: the probes and every call a witness shows.
fn all_requests(probes: &[Probe], diagnostics: &[Diagnostic]) -> Vec<Probe> {
    let mut requests = probes.to_vec();
    requests.extend(
        diagnostics
            .iter()
            .flat_map(|d| &d.witnesses)
            .map(|w| Probe {
                tool: w.tool.clone(),
                method: w.method.clone(),
                context: w.context.clone(),
            }),
    );
    requests
}

fn as_call(probe: &Probe) -> Call {
    Call {
        tool: probe.tool.clone(),
        method: probe.method.clone(),
        context: probe.context.clone(),
    }
}

fn witness_call(witness: &Witness) -> Call {
    Call {
        tool: witness.tool.clone(),
        method: witness.method.clone(),
        context: witness.context.clone(),
    }
}

/// A containment the analysis claims (`Some(true)`) holds for every request.
fn check_containment(
    context: &Context<'_>,
    policy: &Policy,
    requests: &[Probe],
) -> Result<(), TestCaseError> {
    // The direction the findings ask: does a later rule contain an earlier one.
    for outer in &policy.rules {
        for inner in policy.rules.iter().take(outer.index) {
            if context.rule_contains(outer, inner) != Some(true) {
                continue;
            }
            for request in requests {
                let call = as_call(request);
                prop_assert!(
                    !matches_rule(policy, inner.index, &call)
                        || matches_rule(policy, outer.index, &call),
                    "rules[{}] is said to contain rules[{}], but {call:?} is only in the latter",
                    outer.index,
                    inner.index
                );
            }
        }
    }
    Ok(())
}

/// Each `partially-shadowed-rule` claim: its first witness is one of the rule's calls
/// decided earlier by the related rule of another effect, which the rule provably does
/// not contain; its second is decided by the rule.
fn check_correlations(
    context: &Context<'_>,
    policy: &Policy,
    diagnostics: &[Diagnostic],
) -> Result<(), TestCaseError> {
    for d in diagnostics
        .iter()
        .filter(|d| d.code.name == "partially-shadowed-rule")
    {
        let r = d.rule_index.unwrap();
        let q = d.related.first().and_then(|rel| rel.rule_index).unwrap();
        prop_assert!(q < r);
        prop_assert_ne!(policy.rules[q].effect, policy.rules[r].effect);
        let [earlier, still] = d.witnesses.as_slice() else {
            return Err(TestCaseError::fail(format!(
                "rules[{r}]: two witnesses expected"
            )));
        };
        let earlier = witness_call(earlier);
        prop_assert_eq!(decided_by(policy, &earlier), Some(q));
        prop_assert!(matches_rule(policy, r, &earlier));
        prop_assert_eq!(decided_by(policy, &witness_call(still)), Some(r));
        prop_assert_ne!(
            context.rule_contains(&policy.rules[r], &policy.rules[q]),
            Some(true),
            "rules[{}] contains rules[{}]: an exception, not a correlation",
            r,
            q
        );
    }
    Ok(())
}

/// Each `redundant-rule` claim: the rule has no identity of its own, and the policy
/// without it gives every request the same effect and eligibility.
fn check_redundancy(
    text: &str,
    policy: &Policy,
    diagnostics: &[Diagnostic],
    requests: &[Probe],
) -> Result<(), TestCaseError> {
    for d in diagnostics
        .iter()
        .filter(|d| d.code.name == "redundant-rule")
    {
        let r = d.rule_index.unwrap();
        let rule_text = text.split("\n  - ").nth(r + 1).unwrap_or_default();
        prop_assert!(
            !rule_text.contains("id:") && !rule_text.contains("reason:"),
            "rules[{r}] names itself but is reported redundant"
        );
        let mut without = policy.clone();
        without.rules.remove(r);
        for (index, rule) in without.rules.iter_mut().enumerate() {
            rule.index = index;
        }
        for request in requests {
            let ask = |p: &Policy| {
                interpret(
                    p,
                    &Request {
                        tool: &request.tool,
                        method: &request.method,
                        context: Some(&request.context),
                        args: None,
                    },
                )
            };
            let (before, after) = (ask(policy), ask(&without));
            prop_assert!(
                before.effect == after.effect && before.hitl_eligible == after.hitl_eligible,
                "removing redundant rules[{r}] changes {request:?}\n{text}"
            );
        }
    }
    Ok(())
}

proptest! {
    // 128 cases by default; `PROPTEST_CASES` runs more (1,500 take about 40 s in release).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128),
        ..ProptestConfig::default()
    })]

    #[test]
    fn claims_hold(
        text in policy_strategy(),
        probes in prop::collection::vec(probe_strategy(), 150),
    ) {
        let source = SourceFile::new("random.yaml", text.clone());
        let loaded = guardc::policy::load(source.clone());
        let Some(policy) = loaded.policy.clone() else {
            return Err(TestCaseError::reject("the random policy does not load"));
        };
        let regions = RegionMap::compute(
            &policy,
            &AnalysisLimits::DEFAULT,
            &Questions::all(policy.rules.len()),
        );
        check_engine(&policy, &regions, &probes)?;
        let context = Context::new(&loaded);
        let (_, diagnostics) = findings_with_limits(&source, AnalysisLimits::DEFAULT);
        assert_witnesses_recheck(&policy, &diagnostics);
        let requests = all_requests(&probes, &diagnostics);
        check_correlations(&context, &policy, &diagnostics)?;
        check_redundancy(&text, &policy, &diagnostics, &requests)?;
        check_containment(&context, &policy, &requests)?;
    }
}
