//! The per-rule engine, for policies whose whole-policy automaton would explode.
//!
//! The whole-policy automaton must remember, for every class of requests, the set of
//! rules matching it; with many "substring" patterns (`*secret-1-*`, `*token-2-*`, ...)
//! any subset of them can match at once, so it has exponentially many states. Real
//! policies of a few hundred rules already contain dozens of such patterns. This engine
//! decides each rule on its own instead, cheapest proof first:
//!
//! 1. **A direct witness.** A short call built from the rule's own syntax
//!    ([`quick`]); if it passes the rule's gates and no earlier rule matches it (checked
//!    with the literal-prefix index, [`index`]), the rule is reachable, proven by that
//!    call. This settles almost every rule of a real policy in microseconds.
//! 2. **An exact search** otherwise ([`search`]): one small automaton over the rule and
//!    the suffix-factored union of the earlier rules that can overlap it ([`union`]),
//!    walked completely. It proves the rule unmatchable, covered (unreachable), or
//!    reachable. For a covered rule, blockers are found one at a time (a witness of the
//!    part not yet covered names its decider) until they cover it.
//! 3. **Overlaps**, for reachable rules: a call shared with an earlier rule of another
//!    effect (or an earlier hard deny, for an approval rule), built from both rules'
//!    syntax and checked. These findings are sound (every one is re-checked) but best
//!    effort: an overlap the construction misses is not reported.
//!
//! Redundancy needs every later rule and is not decided here; the approval partition is
//! not computed. A shared budget bounds the exact searches; past it, rules are unknown.

mod index;
pub(super) mod quick;
mod search;
mod strings;
mod union;

use index::{MatchIndex, encoded_gates_pass, gates_pass};
use quick::candidate_call;
use search::Searcher;

use super::decode::Decoder;
use super::encode::Layout;
use super::explore::Domain;
use super::{
    AnalysisLimits, Call, FinalRef, Incomplete, Reach, Reachable, RegionMap, Unreachable, shadows,
};
use crate::pattern::{GlobItem, folded_subject};
use crate::policy::{Effect, Policy, Rule};

/// Earlier rules tried per rule for an overlap witness.
const OVERLAP_ATTEMPTS: usize = 4;
/// Blockers added one at a time to cover an unreachable rule, at most.
const MAX_COVER_STEPS: usize = 8;

/// Everything one run of the engine reads.
struct Engine<'a> {
    policy: &'a Policy,
    opaque: &'a [bool],
    index: MatchIndex,
    searcher: Searcher<'a>,
    decoder: &'a Decoder,
    /// Automaton states the exact searches may still visit.
    budget: std::cell::Cell<usize>,
}

/// Decide every rule of `policy` one at a time, filling `map`.
pub(super) fn classify_each(
    map: &mut RegionMap,
    policy: &Policy,
    layout: &Layout,
    domain: &Domain,
    limits: &AnalysisLimits,
) {
    let decoder = map.decoder.clone();
    let opaque = map.opaque.clone();
    let engine = Engine {
        policy,
        opaque: &opaque,
        index: MatchIndex::new(policy),
        searcher: Searcher {
            layout,
            decoder: &decoder,
            domain,
            limits: limits.per_rule(),
        },
        decoder: &decoder,
        budget: std::cell::Cell::new(limits.per_rule_states),
    };
    for rule in &policy.rules {
        let reach = match engine.decide(rule) {
            Ok(answer) => store(map, answer),
            Err(reason) => {
                map.incomplete.push(Incomplete {
                    rule: Some(rule.index),
                    reason,
                });
                Reach::Unknown
            }
        };
        map.rules.push(reach);
    }
}

/// The engine's answer, with its calls moved into the map.
enum Answer {
    Unmatchable,
    Unreachable {
        blockers: Vec<usize>,
        different_effect: bool,
        opaque_other: Vec<usize>,
        witnesses: Vec<Call>,
    },
    Reachable {
        deciding: Vec<Call>,
        shadowed: Vec<Call>,
        preempted: Vec<Call>,
    },
}

fn store(map: &mut RegionMap, answer: Answer) -> Reach {
    let mut keep = |calls: Vec<Call>| -> Vec<FinalRef> {
        calls
            .into_iter()
            .map(|call| {
                map.calls.push(call);
                FinalRef::Call(u32::try_from(map.calls.len() - 1).unwrap_or(u32::MAX))
            })
            .collect()
    };
    match answer {
        Answer::Unmatchable => Reach::Unmatchable,
        Answer::Unreachable {
            blockers,
            different_effect,
            opaque_other,
            witnesses,
        } => Reach::Unreachable(Unreachable {
            blockers,
            different_effect,
            opaque_other,
            witnesses: keep(witnesses),
        }),
        Answer::Reachable {
            deciding,
            shadowed,
            preempted,
        } => Reach::Reachable(Reachable {
            deciding: keep(deciding),
            shadowed: keep(shadowed),
            preempted: keep(preempted),
            redundant: None,
        }),
    }
}

impl<'a> Engine<'a> {
    fn is_opaque(&self, index: usize) -> bool {
        self.opaque.get(index).copied().unwrap_or(true)
    }

    /// The rules before `rule` that pass every gate for `call`, ascending.
    fn earlier(&self, rule: &Rule, call: &Call) -> Vec<usize> {
        self.index.matching(self.policy, call, rule.index)
    }

    /// Whether `rule` passes every gate for `call`.
    fn passes(&self, rule: &Rule, call: &Call) -> bool {
        gates_pass(
            rule,
            &folded_subject(&call.tool, &call.method),
            &call.request(),
        )
    }

    fn decide(&self, rule: &Rule) -> Result<Answer, String> {
        // A call in the rule's encoded language that no earlier exact rule matches proves
        // the rule is not covered. For an exact rule that no earlier rule at all matches
        // it is also the witness that the rule decides.
        let direct = candidate_call(self.decoder, rule, None).filter(|call| {
            encoded_gates_pass(
                rule,
                &folded_subject(&call.tool, &call.method),
                &call.request(),
            )
        });
        let blocker = match &direct {
            Some(call) => {
                let earlier = self.earlier(rule, call);
                match earlier.into_iter().find(|&q| !self.is_opaque(q)) {
                    None => return Ok(self.reachable(rule, vec![call.clone()])),
                    Some(q) => self.policy.rules.get(q),
                }
            }
            None => None,
        };
        if let (Some(call), Some(q)) = (&direct, blocker)
            && let Some(answer) = self.covered_by_one(rule, q, call)?
        {
            return Ok(answer);
        }
        let overlapping: Vec<&Rule> = self.overlapping(rule, |_| true).collect();
        let result = self.search(rule, &overlapping)?;
        if !result.matchable {
            return Ok(Answer::Unmatchable);
        }
        if !result.free.is_empty() {
            return Ok(self.reachable(rule, result.free));
        }
        self.unreachable(rule, &overlapping, result.blocked)
    }

    /// The common case of an unreachable rule: the earlier rule that decides its direct
    /// call covers it alone (a broad rule written above a narrow one). Checked first
    /// because it needs an automaton of two rules instead of one of every overlapping
    /// rule, and not at all when the blocker matches every call.
    ///
    /// When `q` has the rule's effect but an earlier rule of another effect may take some
    /// of its calls first, one blocker is not the whole story (the rule is not merely
    /// dead weight): the general search below finds that rule and its witness.
    fn covered_by_one(&self, rule: &Rule, q: &Rule, call: &Call) -> Result<Option<Answer>, String> {
        if q.effect == rule.effect
            && self
                .overlapping(rule, |p| p.index < q.index && p.effect != rule.effect)
                .next()
                .is_some()
        {
            return Ok(None);
        }
        let covered = covers_by_prefix(q, rule) || {
            let alone = self.search(rule, &[q])?;
            alone.matchable && alone.free.is_empty()
        };
        Ok(covered.then(|| Answer::Unreachable {
            blockers: vec![q.index],
            different_effect: q.effect != rule.effect,
            opaque_other: self.opaque_other_effect(rule),
            witnesses: vec![call.clone()],
        }))
    }

    /// Earlier opaque rules with another effect that may share a request with `rule`
    /// (the index's overlap test is conservative, which is right for a "may decide").
    fn opaque_other_effect(&self, rule: &Rule) -> Vec<usize> {
        self.index
            .may_overlap(rule)
            .filter(|&q| self.is_opaque(q) && self.effect(q).is_some_and(|e| e != rule.effect))
            .collect()
    }

    /// Earlier non-opaque rules that may share a request with `rule` and pass `keep`,
    /// ascending.
    fn overlapping(
        &self,
        rule: &Rule,
        keep: impl Fn(&Rule) -> bool,
    ) -> impl Iterator<Item = &'a Rule> {
        let policy = self.policy;
        let opaque = self.opaque;
        self.index
            .may_overlap(rule)
            .filter_map(move |q| policy.rules.get(q))
            .filter(move |q| !opaque.get(q.index).copied().unwrap_or(true) && keep(q))
    }

    fn search(&self, rule: &Rule, union: &[&Rule]) -> Result<search::SearchResult, String> {
        if self.budget.get() == 0 {
            return Err("the budget for deciding rules one at a time is spent".to_owned());
        }
        let result = self.searcher.search(rule, union).map_err(|hit| hit.0)?;
        self.budget
            .set(self.budget.get().saturating_sub(result.states));
        Ok(result)
    }

    /// A covered rule: the deciders of its calls, found one at a time, a different-effect
    /// one first when a call shows one.
    fn unreachable(
        &self,
        rule: &Rule,
        overlapping: &[&Rule],
        mut witnesses: Vec<Call>,
    ) -> Result<Answer, String> {
        let mut blockers: Vec<usize> = Vec::new();
        let other: Vec<&Rule> = overlapping
            .iter()
            .copied()
            .filter(|q| q.effect != rule.effect)
            .collect();
        if !other.is_empty() {
            let found = self.search(rule, &other)?;
            if let Some((call, q)) = found
                .blocked
                .into_iter()
                .find_map(|call| self.decider(rule, &call).map(|q| (call, q)))
                .filter(|(_, q)| self.effect(*q) != Some(rule.effect))
            {
                blockers.push(q);
                witnesses.insert(0, call);
            }
        }
        let different_effect = !blockers.is_empty();
        for _ in 0..MAX_COVER_STEPS {
            let chosen: Vec<&Rule> = blockers
                .iter()
                .filter_map(|&q| self.policy.rules.get(q))
                .collect();
            let left = self.search(rule, &chosen)?;
            let Some(q) = left.free.iter().find_map(|call| self.decider(rule, call)) else {
                break;
            };
            if blockers.contains(&q) {
                break;
            }
            blockers.push(q);
        }
        Ok(Answer::Unreachable {
            blockers,
            different_effect,
            opaque_other: self.opaque_other_effect(rule),
            witnesses,
        })
    }

    /// The first non-opaque earlier rule that passes every gate for `call`.
    fn decider(&self, rule: &Rule, call: &Call) -> Option<usize> {
        self.earlier(rule, call)
            .into_iter()
            .find(|&q| !self.is_opaque(q))
    }

    fn effect(&self, index: usize) -> Option<Effect> {
        self.policy.rules.get(index).map(|q| q.effect)
    }

    /// A reachable rule, with an overlap witness of each kind if one is found.
    fn reachable(&self, rule: &Rule, deciding: Vec<Call>) -> Answer {
        let shadowed = self.overlap(rule, |q| shadows(q, rule));
        let preempted = if rule.hitl_eligible() {
            self.overlap(rule, |q| q.effect == Effect::Deny && !q.hitl_eligible())
        } else {
            Vec::new()
        };
        Answer::Reachable {
            deciding,
            shadowed,
            preempted,
        }
    }

    /// A call of `rule` that an earlier rule accepted by `kind` decides, if the first few
    /// such rules yield one.
    fn overlap(&self, rule: &Rule, kind: impl Fn(&Rule) -> bool) -> Vec<Call> {
        self.overlapping(rule, &kind)
            .take(OVERLAP_ATTEMPTS)
            .find_map(|q| {
                let call = candidate_call(self.decoder, rule, Some(q))?;
                let decider = *self.earlier(rule, &call).first()?;
                let decided = self.policy.rules.get(decider)?;
                (self.passes(rule, &call) && kind(decided)).then_some(call)
            })
            .into_iter()
            .collect()
    }
}

/// Whether `q` matches every request `rule` matches, decided without an automaton for
/// the common shape: `q` is action-only and has a pattern `P*` (a literal then `*`, or
/// `*` alone), and every pattern of `rule` starts with literal text that starts with
/// `P`. Every subject `rule` matches then starts with `P`, so `q` matches it, whatever
/// the rest of the request.
fn covers_by_prefix(q: &Rule, rule: &Rule) -> bool {
    let prefixes: Vec<&str> = q
        .patterns
        .iter()
        .filter_map(|p| match p.glob.items() {
            [GlobItem::Star] => Some(""),
            [GlobItem::Literal(text), GlobItem::Star] => Some(text.as_str()),
            _ => None,
        })
        .collect();
    q.is_action_only()
        && !prefixes.is_empty()
        && rule.patterns.iter().all(|p| {
            let own = p.glob.literal_prefix();
            prefixes.iter().any(|prefix| own.starts_with(prefix))
        })
}
