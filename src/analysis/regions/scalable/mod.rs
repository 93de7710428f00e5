//! The reachability engine: every rule decided on its own, exactly, against only the
//! earlier rules that can overlap it.
//!
//! "Is rule `r` covered by the earlier rules" is language inclusion. It is decided per
//! rule, cheapest proof first, and never by building an automaton of the whole policy
//! (whose states would track every *set* of rules a request can match: exponential in
//! the floating patterns such as `*secret-1-*`):
//!
//! 1. **A direct witness.** A short call built from the rule's own syntax ([`quick`]);
//!    if it passes the rule's gates and no earlier rule matches it (checked with the
//!    literal-prefix index, [`index`]), the rule is reachable, proven by that call. This
//!    settles almost every rule of a real policy in microseconds.
//! 2. **One blocker.** When the direct call is decided by an earlier rule, that rule
//!    alone often covers the rule (a broad rule above a narrow one): a prefix test or a
//!    walk of the two rules' automata proves it.
//! 3. **Inclusion** otherwise ([`search`]): an on-the-fly product of the rule's DFA and
//!    the DFAs of the earlier rules the index says can overlap it, breadth-first, with
//!    antichain pruning. The first request that escapes them all is the witness; none
//!    means the rule is covered, and its blockers are found one at a time.
//!
//! For reachable rules the engine answers, when a finding asks ([`Questions`]), the
//! overlap questions exactly, with the same search ([`overlaps`]): a request decided
//! earlier by a correlated rule of another effect, one decided earlier by a hard deny,
//! and whether removing the rule changes any decision ([`redundancy`]).
//!
//! Every search charges the automaton states it visits to two budgets, one per rule and
//! one per document ([`AnalysisLimits`]); a rule whose questions exhaust them is
//! *unknown* (reported by `analysis-incomplete`, never a blocker, never guessed). The
//! counts are the same on every machine.

mod cover;
mod floating;
mod index;
mod order;
mod overlaps;
pub(super) mod quick;
mod redundancy;
mod search;
mod strings;

use std::cell::Cell;

pub(super) use cover::covers_syntactically;
pub(super) use index::MatchIndex;
use index::{encoded_gates_pass, gates_pass};
use quick::candidate_call;
use search::{RuleAutomata, SearchResult, Searcher, Stop};

use super::containment::Containment;
use super::decode::Decoder;
use super::encode::Layout;
use super::explore::Domain;
use super::{AnalysisLimits, Call, FinalRef, Incomplete, Reach, Reachable, RegionMap, Unreachable};
use crate::pattern::folded_subject;
use crate::policy::{Effect, Policy, Rule};

/// Blockers added one at a time to cover an unreachable rule, at most.
const MAX_COVER_STEPS: usize = 8;

/// Which questions the enabled findings ask about reachable rules; reachability itself
/// is always decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Questions {
    /// A request decided earlier by a correlated rule of another effect
    /// (`partially-shadowed-rule`).
    pub overlaps: bool,
    /// For an approval-eligible rule, a request decided earlier by a hard deny
    /// (`approval-preempted`).
    pub preempted: bool,
    /// Per rule: whether to decide if removing it changes any decision
    /// (`redundant-rule`, asked only for rules that do not name themselves).
    pub redundancy: Vec<bool>,
}

impl Questions {
    /// Every question, redundancy for every rule.
    pub fn all(rules: usize) -> Questions {
        Questions {
            overlaps: true,
            preempted: true,
            redundancy: vec![true; rules],
        }
    }
}

/// Everything one run of the engine reads.
struct Engine<'a> {
    policy: &'a Policy,
    opaque: &'a [bool],
    /// The indices of the opaque rules, ascending.
    opaque_rules: Vec<usize>,
    index: &'a MatchIndex,
    searcher: Searcher<'a>,
    decoder: &'a Decoder,
    containment: Containment,
    questions: &'a Questions,
    /// States the current rule's searches may still visit.
    rule_left: Cell<usize>,
    /// States all remaining searches of the document may still visit.
    document_left: Cell<usize>,
    limits: &'a AnalysisLimits,
}

/// Decide every rule of `policy`, filling `map`.
pub(super) fn classify_each(
    map: &mut RegionMap,
    index: &MatchIndex,
    policy: &Policy,
    layout: &Layout,
    domain: &Domain,
    limits: &AnalysisLimits,
    questions: &Questions,
) {
    let decoder = map.decoder.clone();
    let opaque = map.opaque.clone();
    let automata = RuleAutomata::new(policy, domain);
    let engine = Engine {
        policy,
        opaque: &opaque,
        opaque_rules: opaque
            .iter()
            .enumerate()
            .filter_map(|(i, &o)| o.then_some(i))
            .collect(),
        index,
        searcher: Searcher {
            layout,
            decoder: &decoder,
            domain,
            automata: &automata,
            limits: limits.per_rule(),
            shared_floating: limits.shared_floating,
        },
        decoder: &decoder,
        containment: Containment::with_domain(domain.clone(), limits),
        questions,
        rule_left: Cell::new(limits.rule_states),
        document_left: Cell::new(limits.document_states),
        limits,
    };
    for rule in &policy.rules {
        engine.rule_left.set(limits.rule_states);
        let reach = match engine.decide(rule) {
            Ok((answer, gaps)) => {
                map.incomplete
                    .extend(gaps.into_iter().map(|reason| Incomplete {
                        rule: Some(rule.index),
                        reason,
                    }));
                store(map, answer)
            }
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
        redundant: Option<Vec<Option<usize>>>,
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
            redundant,
        } => Reach::Reachable(Reachable {
            deciding: keep(deciding),
            shadowed: keep(shadowed),
            preempted: keep(preempted),
            redundant,
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

    /// Reachability, then the questions asked about a reachable rule. The second value
    /// lists what could not be decided about a reachable rule (its reachability stands).
    fn decide(&self, rule: &Rule) -> Result<(Answer, Vec<String>), String> {
        let answer = self.reachability(rule)?;
        match answer {
            Answer::Reachable { deciding, .. } => Ok(self.reachable(rule, deciding)),
            other => Ok((other, Vec::new())),
        }
    }

    fn reachability(&self, rule: &Rule) -> Result<Answer, String> {
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
                    None => return Ok(reachable_answer(vec![call.clone()])),
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
        let result = self.search(&[rule], &overlapping, Stop::FirstFree)?;
        if !result.matchable {
            return Ok(Answer::Unmatchable);
        }
        if !result.free.is_empty() {
            return Ok(reachable_answer(result.free));
        }
        self.unreachable(rule, &overlapping, result.blocked)
    }

    /// The common case of an unreachable rule: the earlier rule that decides its direct
    /// call covers it alone (a broad rule written above a narrow one). Checked first
    /// because it needs an automaton of two rules instead of one of every overlapping
    /// rule, and not at all when the blocker matches every call.
    ///
    /// When `q` has the rule's effect, an earlier rule of another effect may still take
    /// some of its calls first (then the rule is not merely dead weight: its intent is
    /// lost for those calls). Only the rules before `q` can, so only they are searched
    /// for such a call.
    fn covered_by_one(&self, rule: &Rule, q: &Rule, call: &Call) -> Result<Option<Answer>, String> {
        let covered = covers_syntactically(q, rule) || {
            let alone = self.search(&[rule], &[q], Stop::FirstFree)?;
            alone.matchable && alone.free.is_empty()
        };
        if !covered {
            return Ok(None);
        }
        let mut blockers = vec![q.index];
        let mut witnesses = vec![call.clone()];
        let mut different_effect = q.effect != rule.effect;
        if !different_effect {
            let before: Vec<&Rule> = self
                .overlapping_in(rule, 0..q.index, |p| p.effect != rule.effect)
                .collect();
            if !before.is_empty() {
                let found = self.search_within(&[rule], &before, &[], Stop::Exhaust)?;
                let taken = found.free.into_iter().find_map(|call| {
                    let d = self.decider(rule, &call)?;
                    (self.effect(d) != Some(rule.effect)).then_some((call, d))
                });
                if let Some((call, d)) = taken {
                    blockers.insert(0, d);
                    witnesses.insert(0, call);
                    different_effect = true;
                }
            }
        }
        Ok(Some(Answer::Unreachable {
            blockers,
            different_effect,
            opaque_other: self.opaque_other_effect(rule),
            witnesses,
        }))
    }

    /// Earlier opaque rules with another effect that may share a request with `rule`
    /// (the index's overlap test is conservative, which is right for a "may decide").
    ///
    /// The policy's opaque rules are few, so they are tested pair by pair: listing every
    /// rule that may overlap a floating rule, to keep its opaque ones, would make each
    /// unreachable floating rule cost the whole policy.
    fn opaque_other_effect(&self, rule: &Rule) -> Vec<usize> {
        let end = self.opaque_rules.partition_point(|&q| q < rule.index);
        self.opaque_rules
            .get(..end)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&q| {
                self.policy.rules.get(q).is_some_and(|other| {
                    other.effect != rule.effect && self.index.may_meet(rule, other)
                })
            })
            .collect()
    }

    /// Earlier non-opaque rules that may share a request with `rule` and pass `keep`,
    /// ascending.
    fn overlapping(
        &self,
        rule: &Rule,
        keep: impl Fn(&Rule) -> bool,
    ) -> impl Iterator<Item = &'a Rule> {
        self.overlapping_in(rule, 0..rule.index, keep)
    }

    /// [`Engine::overlapping`] among the rules with an index in `range`.
    fn overlapping_in(
        &self,
        rule: &Rule,
        range: std::ops::Range<usize>,
        keep: impl Fn(&Rule) -> bool,
    ) -> impl Iterator<Item = &'a Rule> {
        let policy = self.policy;
        let opaque = self.opaque;
        self.index
            .may_overlap_in(rule, range)
            .filter_map(move |q| policy.rules.get(q))
            .filter(move |q| !opaque.get(q.index).copied().unwrap_or(true) && keep(q))
    }

    /// [`Engine::overlapping`] without the earlier rules whose every pattern starts
    /// with `*` (see [`MatchIndex::may_overlap_specific`]); `keep` must reject those.
    fn overlapping_specific(
        &self,
        rule: &Rule,
        keep: impl Fn(&Rule) -> bool,
    ) -> impl Iterator<Item = &'a Rule> {
        let policy = self.policy;
        let opaque = self.opaque;
        self.index
            .may_overlap_specific(rule)
            .filter_map(move |q| policy.rules.get(q))
            .filter(move |q| !opaque.get(q.index).copied().unwrap_or(true) && keep(q))
    }

    /// One walk, charged to the rule's and the document's budgets.
    fn search(
        &self,
        target: &[&Rule],
        union: &[&Rule],
        stop: Stop,
    ) -> Result<SearchResult, String> {
        self.search_within(target, &[], union, stop)
    }

    /// [`Engine::search`] restricted to requests some rule of `within` matches too.
    fn search_within(
        &self,
        target: &[&Rule],
        within: &[&Rule],
        union: &[&Rule],
        stop: Stop,
    ) -> Result<SearchResult, String> {
        let (rule_left, document_left) = (self.rule_left.get(), self.document_left.get());
        if document_left == 0 {
            return Err(self.document_spent());
        }
        if rule_left == 0 {
            return Err(self.rule_spent());
        }
        let result =
            self.searcher
                .search(target, within, union, stop, rule_left.min(document_left));
        let charged = match &result {
            Ok(found) => found.states,
            Err(_) => rule_left.min(document_left),
        };
        self.rule_left.set(rule_left.saturating_sub(charged));
        self.document_left
            .set(document_left.saturating_sub(charged));
        match result {
            Ok(found) => Ok(found),
            Err(hit) if hit.is_budget() && document_left <= rule_left => Err(self.document_spent()),
            Err(hit) if hit.is_budget() => Err(self.rule_spent()),
            Err(hit) => Err(hit.0),
        }
    }

    fn rule_spent(&self) -> String {
        format!(
            "deciding it needs more than {} automaton states (the per-rule budget, \
             `rule-states` in guardc.toml)",
            self.limits.rule_states
        )
    }

    fn document_spent(&self) -> String {
        format!(
            "the analysis of this document visited {} automaton states before reaching it \
             (the per-document budget, `document-states` in guardc.toml)",
            self.limits.document_states
        )
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
            // Calls of the rule some rule of another effect matches: a search *within*
            // those rules (a union of blockers would let its antichains skip them).
            let found = self.search_within(&[rule], &other, &[], Stop::Exhaust)?;
            if let Some((call, q)) = found
                .free
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
            let left = self.search(&[rule], &chosen, Stop::FirstFree)?;
            let Some((call, q)) = left
                .free
                .into_iter()
                .find_map(|call| self.decider(rule, &call).map(|q| (call, q)))
            else {
                break;
            };
            if blockers.contains(&q) {
                break;
            }
            blockers.push(q);
            // One witness per blocker: the call that named it.
            if !witnesses.contains(&call) {
                witnesses.push(call);
            }
        }
        // Named in rule order, as a reader scans the policy (the witnesses still show a
        // call of another effect first).
        blockers.sort_unstable();
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

    /// A reachable rule, with the answers to the questions asked about it.
    fn reachable(&self, rule: &Rule, deciding: Vec<Call>) -> (Answer, Vec<String>) {
        let mut gaps = Vec::new();
        let mut settle = |what: &str, found: Result<Vec<Call>, String>| {
            found.unwrap_or_else(|reason| {
                gaps.push(format!("its {what} were not decided: {reason}"));
                Vec::new()
            })
        };
        let shadowed = if self.questions.overlaps {
            settle("overlaps", self.shadowing_calls(rule))
        } else {
            Vec::new()
        };
        let preempted = if self.questions.preempted && rule.hitl_eligible() {
            settle("approval overlaps", self.preempting_calls(rule))
        } else {
            Vec::new()
        };
        let asked = self
            .questions
            .redundancy
            .get(rule.index)
            .copied()
            .unwrap_or(false);
        let redundant = if asked && !self.is_opaque(rule.index) {
            self.redundancy(rule, &deciding).unwrap_or_else(|reason| {
                gaps.push(format!("whether it is redundant was not decided: {reason}"));
                None
            })
        } else {
            None
        };
        let answer = Answer::Reachable {
            deciding,
            shadowed,
            preempted,
            redundant,
        };
        (answer, gaps)
    }
}

fn reachable_answer(deciding: Vec<Call>) -> Answer {
    Answer::Reachable {
        deciding,
        shadowed: Vec::new(),
        preempted: Vec::new(),
        redundant: None,
    }
}
