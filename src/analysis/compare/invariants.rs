//! Invariants proven over every call a set of patterns matches (`guardc test`): "no call
//! matching `Bash:rm -rf *` is ever allowed", "every `Bash:sudo *` call is approvable".
//!
//! The same product search as the diff: the policy's rules and the invariant's patterns,
//! walked together; every class of requests the patterns match is checked against the
//! rules that may decide it. A violating class yields a shortest call that the
//! interpreter decides in violation (the counterexample); a class that violates only if
//! an opaque rule's unmodelled gate holds (or fails), with no confirmed call, leaves the
//! invariant unproven. The budget's end leaves it incomplete. Only a search that finished
//! without either proves it.

use crate::analysis::regions::{Call, RequestDecoder, RequestLayout, matches_rule, rule_language};
use crate::eval::Decision;
use crate::pattern::ToolPattern;
use crate::policy::{Effect, Policy, Rule, RuleSpans, Selector};

use super::product::{self, ProductLimits};
use super::{Verdict, possible_deciders};

/// What an invariant states about every call its patterns match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvariantKind {
    NeverAllowed,
    AlwaysApprovable,
    NeverApprovable,
}

impl InvariantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvariantKind::NeverAllowed => "never_allowed",
            InvariantKind::AlwaysApprovable => "always_approvable",
            InvariantKind::NeverApprovable => "never_approvable",
        }
    }

    /// Whether a call decided with `verdict` violates the invariant.
    pub fn violated_by(self, verdict: Verdict) -> bool {
        let approvable = verdict.effect == Effect::Deny && verdict.hitl_eligible;
        match self {
            InvariantKind::NeverAllowed => verdict.effect == Effect::Allow,
            InvariantKind::AlwaysApprovable => !approvable,
            InvariantKind::NeverApprovable => approvable,
        }
    }
}

/// The outcome of a proof.
#[derive(Debug, Clone, PartialEq)]
pub enum Proof {
    /// Holds for every call the patterns match.
    Holds,
    /// A call the interpreter decides in violation.
    Violated { call: Call, decision: Decision },
    /// Would be violated if an opaque rule's unmodelled gate decides so; no call confirmed.
    Unproven { rules: Vec<Option<usize>> },
    /// The search exceeded its budget.
    Incomplete { reason: String },
}

/// Prove `kind` over every call some pattern of `patterns` matches.
pub fn prove(
    policy: &Policy,
    kind: InvariantKind,
    patterns: &[String],
    limits: &ProductLimits,
) -> Proof {
    let layout = RequestLayout::of(policy);
    let mut languages: Vec<_> = policy
        .rules
        .iter()
        .map(|r| rule_language(r, &layout))
        .collect();
    let identity: Vec<usize> = (0..policy.rules.len()).collect();
    let focus = languages.len();
    let matcher = Policy {
        default_action: Effect::Deny,
        rules: vec![pattern_rule(patterns)],
    };
    languages.push(rule_language(&matcher.rules[0], &layout));
    let classes = match product::classes(&languages, &[focus], layout.keys().len(), limits) {
        Ok(classes) => classes,
        Err(reason) => return Proof::Incomplete { reason },
    };
    let decoder = RequestDecoder::new(policy, layout);
    let mut unproven = Vec::new();
    for class in &classes {
        let bad: Vec<Option<usize>> = possible_deciders(policy, &identity, &class.matching)
            .into_iter()
            .filter(|&d| kind.violated_by(Verdict::of_rule(policy, d)))
            .collect();
        if bad.is_empty() {
            continue;
        }
        let Some(call) = decoder.decode(&class.path) else {
            unproven.extend(bad);
            continue;
        };
        let confirmed = call
            .readable_variant()
            .into_iter()
            .chain([call])
            .find_map(|call| {
                // The readable variant may leave the patterns (`*:x?` and `:x:`), so the
                // counterexample is checked against them as well as the invariant.
                let decision = call.decide(policy);
                let violates = kind.violated_by(Verdict::of_decision(&decision));
                (violates && matches_rule(&matcher, 0, &call)).then_some((call, decision))
            });
        match confirmed {
            Some((call, decision)) => return Proof::Violated { call, decision },
            None => unproven.extend(bad),
        }
    }
    if unproven.is_empty() {
        Proof::Holds
    } else {
        unproven.sort();
        unproven.dedup();
        Proof::Unproven { rules: unproven }
    }
}

/// A rule whose only gate is the invariant's patterns, to build their language.
fn pattern_rule(patterns: &[String]) -> Rule {
    Rule {
        index: 0,
        effect: Effect::Deny,
        patterns: patterns.iter().map(|p| ToolPattern::new(p)).collect(),
        resources: Selector::default(),
        clients: Selector::default(),
        projects: Selector::default(),
        conditions: Vec::new(),
        policy_id: None,
        reason: String::new(),
        reason_code: String::new(),
        escalate_on_deny: false,
        spans: RuleSpans::default(),
        line: 0,
        col: 0,
    }
}
