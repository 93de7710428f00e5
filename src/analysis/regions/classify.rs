//! From final states to facts about each rule: unmatchable, unreachable (with a small
//! cover of blockers), or reachable (with the states where it decides, is shadowed, is
//! preempted, and whether removing it would change anything).
//!
//! Every fact reads only the non-opaque rules of a state's rule set as deciding: a
//! non-opaque rule's language is exact, so when it is in `M(s)` it matches every request
//! of `s`; an opaque rule in `M(s)` only *may* match. That is what makes the claims
//! sound: "every state containing `r` has an earlier non-opaque rule" proves `r` never
//! decides, whatever the opaque rules do.

use super::{FinalRef, Reach, Reachable, Unreachable, shadows};
use crate::policy::{Effect, Policy, Rule};

/// How many candidate witness states to keep per question; the findings try them in
/// order (shortest first) until one re-checks.
const CANDIDATES: usize = 8;

/// One final state as classification sees it.
#[derive(Debug, Clone, Copy)]
pub struct StateView<'a> {
    pub at: FinalRef,
    /// Rules matching the state, ascending (global rule indices).
    pub rules: &'a [u32],
}

/// What a state means for one rule `r` in it.
#[derive(Debug, Clone, Copy)]
struct Position {
    /// The first non-opaque rule before `r`: it decides the state.
    decider: Option<usize>,
    /// Whether an opaque rule comes before `r` (and may decide instead).
    opaque_before: bool,
}

/// The policy-level facts classification reads.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub policy: &'a Policy,
    pub opaque: &'a [bool],
}

impl Rules<'_> {
    fn rule(&self, index: usize) -> Option<&Rule> {
        self.policy.rules.get(index)
    }

    fn is_opaque(&self, index: usize) -> bool {
        self.opaque.get(index).copied().unwrap_or(true)
    }

    fn position(&self, rules: &[u32], r: usize) -> Position {
        let mut opaque_before = false;
        for q in rules.iter().map(|&q| q as usize).take_while(|&q| q < r) {
            if !self.is_opaque(q) {
                return Position {
                    decider: Some(q),
                    opaque_before,
                };
            }
            opaque_before = true;
        }
        Position {
            decider: None,
            opaque_before,
        }
    }
}

/// The facts for rule `r` from the whole-policy final states containing it.
pub fn classify(rules: Rules<'_>, r: usize, states: &[StateView<'_>]) -> Reach {
    let Some(rule) = rules.rule(r) else {
        return Reach::Unknown;
    };
    if states.is_empty() {
        return Reach::Unmatchable;
    }
    let positions: Vec<Position> = states.iter().map(|s| rules.position(s.rules, r)).collect();
    if positions.iter().all(|p| p.decider.is_some()) {
        return Reach::Unreachable(unreachable(rules, rule, states, &positions));
    }
    Reach::Reachable(reachable(rules, rule, states, &positions))
}

fn effect_of(rules: Rules<'_>, index: usize) -> Option<Effect> {
    rules.rule(index).map(|q| q.effect)
}

fn unreachable(
    rules: Rules<'_>,
    rule: &Rule,
    states: &[StateView<'_>],
    positions: &[Position],
) -> Unreachable {
    let other_effect = |q: usize| effect_of(rules, q).is_some_and(|effect| effect != rule.effect);
    let deciders_other: Vec<bool> = positions
        .iter()
        .map(|p| p.decider.is_some_and(other_effect))
        .collect();
    let different_effect = deciders_other.iter().any(|&d| d);
    let preferred = states
        .iter()
        .zip(&deciders_other)
        .filter(|(_, other)| **other)
        .chain(
            states
                .iter()
                .zip(&deciders_other)
                .filter(|(_, other)| !**other),
        )
        .map(|(s, _)| s.at)
        .take(CANDIDATES)
        .collect();
    let first_pick = different_effect
        .then(|| best_different_effect_decider(positions, &deciders_other))
        .flatten();
    Unreachable {
        blockers: cover(rules, rule.index, states, first_pick),
        different_effect,
        opaque_other: opaque_other_effect(rules, rule, states),
        witnesses: preferred,
    }
}

/// The opaque rules with another effect than `rule` that come before the decider in
/// some state of it: they decide those requests instead whenever their conditions hold.
fn opaque_other_effect(rules: Rules<'_>, rule: &Rule, states: &[StateView<'_>]) -> Vec<usize> {
    let mut found: Vec<usize> = states
        .iter()
        .flat_map(|s| {
            s.rules
                .iter()
                .map(|&q| q as usize)
                .take_while(|&q| q < rule.index && rules.is_opaque(q))
        })
        .filter(|&q| effect_of(rules, q).is_some_and(|effect| effect != rule.effect))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The different-effect decider of the most states (lowest index on ties).
fn best_different_effect_decider(positions: &[Position], other: &[bool]) -> Option<usize> {
    let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
    for (p, &o) in positions.iter().zip(other) {
        if let (Some(q), true) = (p.decider, o) {
            *counts.entry(q).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(q, _)| q)
}

/// A small set of earlier non-opaque rules that together match every state of `r`:
/// greedy by coverage, starting with `first` when given.
fn cover(rules: Rules<'_>, r: usize, states: &[StateView<'_>], first: Option<usize>) -> Vec<usize> {
    let blockers_of = |s: &StateView<'_>| -> Vec<usize> {
        s.rules
            .iter()
            .map(|&q| q as usize)
            .take_while(|&q| q < r)
            .filter(|&q| !rules.is_opaque(q))
            .collect()
    };
    let per_state: Vec<Vec<usize>> = states.iter().map(blockers_of).collect();
    let mut covered = vec![false; states.len()];
    let mut chosen: Vec<usize> = Vec::new();
    let mut pick = first.or_else(|| best_uncovered(&per_state, &covered));
    while let Some(q) = pick {
        chosen.push(q);
        for (done, blockers) in covered.iter_mut().zip(&per_state) {
            *done = *done || blockers.contains(&q);
        }
        pick = best_uncovered(&per_state, &covered);
    }
    chosen
}

/// The rule matching the most uncovered states (lowest index on ties), if any is left.
fn best_uncovered(per_state: &[Vec<usize>], covered: &[bool]) -> Option<usize> {
    let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
    for (blockers, &done) in per_state.iter().zip(covered) {
        if !done {
            for &q in blockers {
                *counts.entry(q).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(q, _)| q)
}

fn reachable(
    rules: Rules<'_>,
    rule: &Rule,
    states: &[StateView<'_>],
    positions: &[Position],
) -> Reachable {
    let pairs = || states.iter().zip(positions);
    let mut deciding: Vec<FinalRef> = pairs()
        .filter(|(_, p)| p.decider.is_none() && !p.opaque_before)
        .map(|(s, _)| s.at)
        .take(CANDIDATES)
        .collect();
    deciding.extend(
        pairs()
            .filter(|(_, p)| p.decider.is_none() && p.opaque_before)
            .map(|(s, _)| s.at)
            .take(CANDIDATES.saturating_sub(deciding.len())),
    );
    let decided_by = |keep: &dyn Fn(&Rule) -> bool| -> Vec<FinalRef> {
        pairs()
            .filter(|(_, p)| p.decider.and_then(|q| rules.rule(q)).is_some_and(keep))
            .map(|(s, _)| s.at)
            .take(CANDIDATES)
            .collect()
    };
    let shadowed = decided_by(&|q: &Rule| shadows(q, rule));
    let preempted = if rule.hitl_eligible() {
        decided_by(&|q: &Rule| q.effect == Effect::Deny && !q.hitl_eligible())
    } else {
        Vec::new()
    };
    let redundant = (!rules.is_opaque(rule.index))
        .then(|| successors_if_redundant(rules, rule, states, positions))
        .flatten();
    Reachable {
        deciding,
        shadowed,
        preempted,
        redundant,
    }
}

/// When removing `rule` changes no request's effect or eligibility: the rules (and
/// `None` for the default) that decide in its place. In each state `rule` may decide, the
/// next decider is one of the rules after it up to and including the first non-opaque
/// one, or the default when there is none; all of them must agree with `rule`.
fn successors_if_redundant(
    rules: Rules<'_>,
    rule: &Rule,
    states: &[StateView<'_>],
    positions: &[Position],
) -> Option<Vec<Option<usize>>> {
    let same =
        |effect: Effect, eligible: bool| effect == rule.effect && eligible == rule.hitl_eligible();
    let mut successors: Vec<Option<usize>> = Vec::new();
    for (state, position) in states.iter().zip(positions) {
        if position.decider.is_some() {
            continue;
        }
        let mut closed = false;
        for q in state
            .rules
            .iter()
            .map(|&q| q as usize)
            .filter(|&q| q > rule.index)
        {
            let next = rules.rule(q)?;
            if !same(next.effect, next.hitl_eligible()) {
                return None;
            }
            if !successors.contains(&Some(q)) {
                successors.push(Some(q));
            }
            if !rules.is_opaque(q) {
                closed = true;
                break;
            }
        }
        if !closed {
            if !same(rules.policy.default_action, false) {
                return None;
            }
            if !successors.contains(&None) {
                successors.push(None);
            }
        }
    }
    Some(successors)
}
