//! What the reachability and approval findings share: where a rule is pointed at, how
//! its blockers are listed, and which witnesses prove which claim.
//!
//! Every claim goes through [`RegionMap::witness`] with an acceptance test written here,
//! so two findings never prove the same kind of claim in two different ways: a call
//! "decided earlier" really is decided by an earlier rule when the interpreter runs it,
//! and a call "of rule r" really passes every gate of rule r.

use std::cell::Cell;

use crate::analysis::Context;
use crate::analysis::regions::{
    Call, FinalRef, Reach, Reachable, RegionMap, Unreachable, matches_rule, rule_label,
};
use crate::diagnostics::{Diagnostic, Related, Witness};
use crate::eval::Decision;
use crate::policy::{Effect, Policy, Rule};
use crate::source::Span;

/// Most blockers listed as related locations; the message counts the rest.
const MAX_BLOCKERS_SHOWN: usize = 6;

/// The policy, its regions and each rule with its facts (nothing when the document did
/// not load).
pub fn rules_with_reach<'c>(
    context: &'c Context<'_>,
) -> Vec<(&'c Policy, &'c RegionMap, &'c Rule, &'c Reach)> {
    let (Some(policy), Some(map)) = (context.policy(), context.regions()) else {
        return Vec::new();
    };
    policy
        .rules
        .iter()
        .map(|rule| (policy, map, rule, map.rule(rule.index)))
        .collect()
}

/// The reachable rules, with their facts.
pub fn reachable_rules<'c>(
    context: &'c Context<'_>,
) -> Vec<(&'c Policy, &'c RegionMap, &'c Rule, &'c Reachable)> {
    rules_with_reach(context)
        .into_iter()
        .filter_map(|(policy, map, rule, reach)| match reach {
            Reach::Reachable(reachable) => Some((policy, map, rule, reachable)),
            _ => None,
        })
        .collect()
}

/// An unreachable rule with the calls that prove it (see [`unreachable_witnesses`]).
pub struct Unreached<'c> {
    pub policy: &'c Policy,
    pub rule: &'c Rule,
    pub blocked: &'c Unreachable,
    pub witnesses: Vec<Witness>,
    /// Whether the first witness is decided with another effect than the rule's.
    pub other_effect: bool,
}

/// The unreachable rules that are approval-eligible (`eligible`) or not, each with its
/// witnesses; a rule no call can be found for is left out (nothing is reported without
/// a proof).
pub fn unreachable_rules<'c>(context: &'c Context<'_>, eligible: bool) -> Vec<Unreached<'c>> {
    rules_with_reach(context)
        .into_iter()
        .filter_map(|(policy, map, rule, reach)| {
            let Reach::Unreachable(blocked) = reach else {
                return None;
            };
            if rule.hitl_eligible() != eligible {
                return None;
            }
            let (witnesses, other_effect) = unreachable_witnesses(policy, map, rule, blocked)?;
            Some(Unreached {
                policy,
                rule,
                blocked,
                witnesses,
                other_effect,
            })
        })
        .collect()
}

/// Where a finding about a rule points: its effect key through its last pattern
/// (`deny: 'Bash:sudo *'`), or the whole rule when those spans are unknown.
pub fn rule_span(rule: &Rule) -> Span {
    let key = rule.spans.effect_key;
    match rule.spans.patterns.last() {
        Some(&last) if !key.is_empty() => key.cover(last),
        _ if !key.is_empty() => key,
        _ => rule.spans.rule,
    }
}

/// A rule as a related location.
pub fn related(policy: &Policy, index: usize, message: impl Into<String>) -> Option<Related> {
    let rule = policy.rules.get(index)?;
    Some(Related {
        span: rule_span(rule),
        message: message.into(),
        rule_index: Some(index),
    })
}

/// The blockers of an unreachable rule as related locations, each saying what it does
/// to the rule's calls.
pub fn blockers(policy: &Policy, blocked: &Unreachable) -> Vec<Related> {
    blocked
        .blockers
        .iter()
        .take(MAX_BLOCKERS_SHOWN)
        .filter_map(|&q| {
            let effect = policy.rules.get(q)?.effect;
            related(
                policy,
                q,
                format!(
                    "{} blocks it: it {} some of these calls first",
                    rule_label(policy, q),
                    verb(effect)
                ),
            )
        })
        .collect()
}

/// `rules[0] (a), rules[1] and 2 more`.
pub fn blocker_names(policy: &Policy, blocked: &Unreachable) -> String {
    rule_names(policy, &blocked.blockers)
}

/// `rules[1] (reads), rules[4] and 2 more`: the first few rules by label.
pub fn rule_names(policy: &Policy, indices: &[usize]) -> String {
    let names: Vec<String> = indices
        .iter()
        .take(MAX_BLOCKERS_SHOWN)
        .map(|&q| rule_label(policy, q))
        .collect();
    let more = indices.len().saturating_sub(MAX_BLOCKERS_SHOWN);
    let mut text = join_and(&names);
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// A witness for an unreachable rule: a call the rule itself matches, decided by an
/// earlier rule, with another effect than the rule's when one of the candidates shows it. The flag says whether it does: an unreachable rule is
/// reported as losing its intent (`unreachable-rule`) only when a call proves it. The
/// index is the rule that decides the witness.
fn unreachable_witness(
    policy: &Policy,
    map: &RegionMap,
    rule: &Rule,
    blocked: &Unreachable,
) -> Option<(Witness, bool, usize)> {
    let decider = Cell::new(None);
    let earlier = |call: &Call, decision: &Decision| {
        let by = decision.rule_index().filter(|&q| q < rule.index);
        // The call must be one of the rule's own, also for an opaque rule: its encoded
        // language is larger than what it matches, and a call outside what it matches
        // proves nothing about it.
        let ok = by.is_some() && matches_rule(policy, rule.index, call);
        if ok {
            decider.set(by);
        }
        ok
    };
    let other = |call: &Call, decision: &Decision| {
        decision.effect != rule.effect && earlier(call, decision)
    };
    let found = blocked
        .different_effect
        .then(|| map.witness_for(policy, Some(rule), &blocked.witnesses, other))
        .flatten()
        .map(|w| (w, true))
        .or_else(|| {
            map.witness_for(policy, Some(rule), &blocked.witnesses, earlier)
                .map(|w| (w, false))
        })?;
    Some((found.0, found.1, decider.get()?))
}

/// Witnesses shown per unreachable rule at most (the first witness included).
const WITNESSES_PER_FINDING: usize = 3;

/// The witnesses of an unreachable rule: [`unreachable_witness`] first, then one call
/// for each other blocker that decides some of the rule's calls, so that a rule covered
/// only by several rules together shows how each of them takes its share.
fn unreachable_witnesses(
    policy: &Policy,
    map: &RegionMap,
    rule: &Rule,
    blocked: &Unreachable,
) -> Option<(Vec<Witness>, bool)> {
    let (first, other_effect, first_decider) = unreachable_witness(policy, map, rule, blocked)?;
    let mut witnesses = vec![first];
    for &blocker in &blocked.blockers {
        if witnesses.len() >= WITNESSES_PER_FINDING {
            break;
        }
        if blocker == first_decider {
            continue;
        }
        let by_blocker =
            map.witness_for(policy, Some(rule), &blocked.witnesses, |call, decision| {
                decision.rule_index() == Some(blocker) && matches_rule(policy, rule.index, call)
            });
        witnesses.extend(by_blocker);
    }
    Some((witnesses, other_effect))
}

/// A witness decided by the rule itself.
pub fn deciding_witness(
    policy: &Policy,
    map: &RegionMap,
    rule: &Rule,
    candidates: &[FinalRef],
) -> Option<Witness> {
    map.witness_for(policy, Some(rule), candidates, |_, decision| {
        decision.rule_index() == Some(rule.index)
    })
}

/// A witness of the rule's own calls decided earlier by a rule `accept`ed by the test.
pub fn decided_earlier_witness(
    policy: &Policy,
    map: &RegionMap,
    rule: &Rule,
    candidates: &[FinalRef],
    accept: impl Fn(&Rule) -> bool,
) -> Option<(Witness, usize)> {
    let mut decider = None;
    let witness = map.witness_for(policy, Some(rule), candidates, |call, decision| {
        let Some(q) = decision.rule_index().filter(|&q| q < rule.index) else {
            return false;
        };
        let ok = policy.rules.get(q).is_some_and(&accept) && matches_rule(policy, rule.index, call);
        if ok {
            decider = Some(q);
        }
        ok
    })?;
    Some((witness, decider?))
}

/// Attaches the rule index, label and witnesses.
pub fn finish(diagnostic: Diagnostic, rule: &Rule, witnesses: Vec<Witness>) -> Diagnostic {
    let mut diagnostic = diagnostic.with_rule(rule.index);
    diagnostic.witnesses = witnesses;
    diagnostic
}

/// `allows`, `denies`, `warns on`.
pub fn verb(effect: Effect) -> &'static str {
    match effect {
        Effect::Allow => "allows",
        Effect::Deny => "denies",
        Effect::Warn => "warns on",
    }
}

/// `allow`, `deny`, `warn on` (after a plural subject).
pub fn plural_verb(effect: Effect) -> &'static str {
    match effect {
        Effect::Allow => "allow",
        Effect::Deny => "deny",
        Effect::Warn => "warn on",
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
