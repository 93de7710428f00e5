//! Exact reachability over the request space: the engine behind the reachability,
//! overlap and approval findings.
//!
//! 1. `domain` and `encode`: a whole request is one byte string (subject, client,
//!    project, resource, the condition values the policy reads, separated by a byte no
//!    text contains); each rule is a regular language over it; the *domain* is the
//!    language of requests a runtime can send. Gates that are not regular (regexes,
//!    numbers, derived `input_text`) are left out and make the rule *opaque*.
//! 2. `scalable`: each rule decided on its own, exactly, against the earlier rules that
//!    can overlap it (language inclusion over small per-rule automata, never the union):
//!    unmatchable, unreachable (with a small cover of blockers), or reachable, and for a
//!    reachable rule the overlap and redundancy questions the enabled findings ask.
//! 3. `decode`: a path back to a call, decided by the reference interpreter; findings
//!    report only claims their witness re-checks.
//! 4. `explore` and `approvals`: the approval partition (`--approvals`), on request,
//!    from one determinization of the whole policy within its own limits.

mod approvals;
mod containment;
mod decode;
mod domain;
mod encode;
mod explore;
mod gates;
mod limits;
mod scalable;

pub use approvals::{ApprovalClass, ApprovalReport, ClassSummary, approval_partition};
pub use containment::Containment;
pub use decode::Call;
pub use encode::GateId;
pub use limits::AnalysisLimits;
pub use scalable::Questions;

// The exact building blocks the policy comparison and the invariant proofs reuse.
pub(crate) use decode::Decoder as RequestDecoder;
pub(crate) use domain::{domain as request_domain, readable_byte_order};
pub(crate) use encode::{Layout as RequestLayout, is_opaque, rule_language};

/// Every request: the language of a search that must visit the whole request space.
pub(crate) fn any_request() -> Hir {
    domain::any_bytes()
}

use regex_syntax::hir::Hir;

use crate::diagnostics::Witness;
use crate::eval::Decision;
use crate::pattern::GlobItem;
use crate::policy::{Policy, Rule};
use decode::{Decoder, rule_matches};
use encode::Layout;
use explore::{Domain, Exploration};
use std::cell::OnceCell;

/// A witness of a class of requests: a final state of the approval partition's
/// exploration (decoded on demand), or a call the engine built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalRef {
    Global(u32),
    Call(u32),
}

/// What the engine knows about one rule.
#[derive(Debug, Clone)]
pub enum Reach {
    /// No request at all passes the rule's gates.
    Unmatchable,
    /// Every request the rule matches is decided by an earlier rule.
    Unreachable(Unreachable),
    /// Some request may reach the rule.
    Reachable(Reachable),
    /// A limit stopped the analysis before it could decide.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Unreachable {
    /// Earlier non-opaque rules that together match every request of the rule, most
    /// useful first (a different-effect one first when there is one).
    pub blockers: Vec<usize>,
    /// Some request of the rule is decided by an earlier rule with another effect.
    pub different_effect: bool,
    /// Earlier opaque rules with another effect that may decide some of the rule's
    /// requests before its blockers do (when their unmodelled conditions hold), so that
    /// a message does not claim the blockers decide every call.
    pub opaque_other: Vec<usize>,
    /// States of the rule, decided by a different-effect rule first; shortest first.
    pub witnesses: Vec<FinalRef>,
}

#[derive(Debug, Clone)]
pub struct Reachable {
    /// States where the rule may decide (no earlier non-opaque rule), those without any
    /// earlier opaque rule first.
    pub deciding: Vec<FinalRef>,
    /// States of the rule decided earlier by a non-opaque rule with another effect.
    pub shadowed: Vec<FinalRef>,
    /// For an approval-eligible rule: states decided earlier by a non-eligible deny.
    pub preempted: Vec<FinalRef>,
    /// When removing the rule changes no effect or eligibility: the rules that decide in
    /// its place (`None` is the default).
    pub redundant: Option<Vec<Option<usize>>>,
}

/// Why part of the analysis could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// The rule left unknown, or `None` when no rule could be decided.
    pub rule: Option<usize>,
    pub reason: String,
}

/// The regions of one policy: per-rule facts and the means to produce witnesses.
#[derive(Debug, Clone)]
pub struct RegionMap {
    rules: Vec<Reach>,
    opaque: Vec<bool>,
    decoder: Decoder,
    limits: AnalysisLimits,
    /// The whole-policy exploration, built on first use by the approval partition.
    global: OnceCell<Result<Exploration, String>>,
    calls: Vec<Call>,
    incomplete: Vec<Incomplete>,
    /// Rules by the literal texts their patterns start with: the engine's candidate
    /// lists, and the interpreter's re-check of every witness without walking every rule.
    index: scalable::MatchIndex,
}

impl RegionMap {
    /// Analyze `policy` within `limits`, answering `questions` about reachable rules.
    pub fn compute(policy: &Policy, limits: &AnalysisLimits, questions: &Questions) -> RegionMap {
        let layout = Layout::of(policy);
        let opaque: Vec<bool> = policy.rules.iter().map(encode::is_opaque).collect();
        let mut map = RegionMap {
            rules: Vec::new(),
            opaque,
            decoder: Decoder::new(policy, layout.clone()),
            limits: *limits,
            global: OnceCell::new(),
            calls: Vec::new(),
            incomplete: Vec::new(),
            index: scalable::MatchIndex::new(policy),
        };
        match Domain::new(&domain::domain(layout.keys().len()), &limits.per_rule()) {
            Ok(domain) => {
                let index = std::mem::replace(&mut map.index, scalable::MatchIndex::empty());
                scalable::classify_each(
                    &mut map, &index, policy, &layout, &domain, limits, questions,
                );
                map.index = index;
            }
            Err(hit) => {
                map.rules = vec![Reach::Unknown; policy.rules.len()];
                map.incomplete.push(Incomplete {
                    rule: None,
                    reason: hit.0,
                });
            }
        }
        map
    }

    /// The request decoder of this policy.
    pub(crate) fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// The facts about rule `index`.
    pub fn rule(&self, index: usize) -> &Reach {
        self.rules.get(index).unwrap_or(&Reach::Unknown)
    }

    /// Whether rule `index` has a gate the analysis cannot model exactly.
    pub fn is_opaque(&self, index: usize) -> bool {
        self.opaque.get(index).copied().unwrap_or(true)
    }

    /// What could not be decided, and why.
    pub fn incomplete(&self) -> &[Incomplete] {
        &self.incomplete
    }

    /// The whole-policy exploration (built on first use), or why it does not fit.
    fn global(&self, policy: &Policy) -> Result<&Exploration, String> {
        self.global
            .get_or_init(|| {
                let layout = self.decoder.layout();
                let limits = self.limits.global();
                let domain = Domain::new(&domain::domain(layout.keys().len()), &limits)
                    .map_err(|hit| hit.0)?;
                let patterns: Vec<(u32, Hir)> = policy
                    .rules
                    .iter()
                    .map(|rule| (index_u32(rule.index), encode::rule_language(rule, layout)))
                    .collect();
                explore::explore(&patterns, &domain, &limits).map_err(|hit| hit.0)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The encoded request of a final state.
    fn path(&self, at: FinalRef) -> Option<Vec<u8>> {
        match at {
            FinalRef::Global(index) => {
                let global = self.global.get()?.as_ref().ok()?;
                Some(global.path(global.finals.get(index as usize)?))
            }
            FinalRef::Call(_) => None,
        }
    }

    /// The call a witness reference stands for.
    fn call_of(&self, at: FinalRef) -> Option<Call> {
        match at {
            FinalRef::Call(index) => self.calls.get(index as usize).cloned(),
            FinalRef::Global(_) => self.decoder.decode(&self.path(at)?),
        }
    }

    /// The call a final state stands for, and the interpreter's decision for it.
    pub fn call(&self, policy: &Policy, at: FinalRef) -> Option<(Call, Decision)> {
        let call = self.call_of(at)?;
        let decision = self.index.decide(policy, &call);
        Some((call, decision))
    }

    /// The first candidate whose call re-checks as `accept` requires, as a witness.
    pub fn witness(
        &self,
        policy: &Policy,
        candidates: &[FinalRef],
        accept: impl FnMut(&Call, &Decision) -> bool,
    ) -> Option<Witness> {
        self.witness_for(policy, None, candidates, accept)
    }

    /// [`RegionMap::witness`] for a finding about `rule`: each candidate is also tried
    /// with the fields of the rule's opaque conditions filled in, which the encoding
    /// leaves out (so a call of an opaque rule can be found at all).
    pub fn witness_for(
        &self,
        policy: &Policy,
        rule: Option<&Rule>,
        candidates: &[FinalRef],
        mut accept: impl FnMut(&Call, &Decision) -> bool,
    ) -> Option<Witness> {
        candidates.iter().find_map(|&at| {
            let call = self.call_of(at)?;
            call.readable_variant()
                .into_iter()
                .chain([call])
                .flat_map(|call| {
                    let completed =
                        rule.and_then(|rule| scalable::quick::completed_for(&call, rule));
                    std::iter::once(call).chain(completed)
                })
                .find_map(|call| {
                    let decision = self.index.decide(policy, &call);
                    accept(&call, &decision).then(|| call.witness(policy, &decision))
                })
        })
    }
}

/// Whether rule `index` of `policy` passes every gate for `call` (used by findings to
/// re-check that a witness really is one of the rule's requests).
pub fn matches_rule(policy: &Policy, index: usize, call: &Call) -> bool {
    policy
        .rules
        .get(index)
        .is_some_and(|rule| rule_matches(rule, call))
}

fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Whether an earlier rule `q` deciding some calls of `rule` is worth reporting as
/// partial shadowing: it has another effect, and it is not a carve-out that applies to
/// every tool (`*secret*`, `*` with a resource). Such rules are written to take their
/// calls out of everything after them, so their overlap with each later rule is the
/// design, not a surprise, and reporting it on every rule would bury the real overlaps
/// (a generated 10,000-rule policy with a thousand `*secret-N-*` denies would otherwise
/// get an overlap note on six thousand rules).
pub fn shadows(q: &Rule, rule: &Rule) -> bool {
    q.effect != rule.effect && !applies_to_every_tool(q)
}

/// Whether every action pattern of the rule starts with `*` (applies to any tool).
pub fn applies_to_every_tool(rule: &Rule) -> bool {
    rule.patterns
        .iter()
        .all(|p| matches!(p.glob.items().first(), Some(GlobItem::Star)))
}

/// How messages name a rule: `rules[2]`, with its id or name when it has one
/// (`rules[2] (repo-ops)`), 0-based like the reference's own messages.
pub fn rule_label(policy: &Policy, index: usize) -> String {
    let default_id = format!("rule-{index}");
    match policy
        .rules
        .get(index)
        .and_then(|rule| rule.policy_id.as_deref())
    {
        Some(id) if id != default_id => format!("rules[{index}] ({id})"),
        _ => format!("rules[{index}]"),
    }
}
