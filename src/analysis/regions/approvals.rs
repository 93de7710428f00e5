//! The approval partition (`guardc check --approvals`): the request space split into
//! auto-allowed, approvable, hard-denied and warned regions, with example calls.
//!
//! Every final state of the whole-policy automaton is a class of requests with one set
//! of matching rules. Its decider is the first rule of that set, or the default when the
//! set is empty. An opaque decider only *may* match, so the state's possible deciders
//! run up to the first non-opaque rule (or the default); when they do not all give the
//! same class, the region "depends on conditions" the analysis cannot model. Examples
//! are the states' shortest witnesses, decided by the interpreter, and kept only when the
//! interpreter puts them in the class claimed.

use std::collections::BTreeSet;

use super::{AnalysisLimits, FinalRef, Questions, RegionMap};
use crate::diagnostics::Witness;
use crate::eval::Decision;
use crate::policy::{Effect, Policy};

/// Example tools kept per class, and example calls per tool.
const TOOLS_PER_CLASS: usize = 12;
const CALLS_PER_TOOL: usize = 3;
/// Witnesses decoded per class at most: a class with few tools and many states would
/// otherwise decode every state looking for new tools.
const ATTEMPTS_PER_CLASS: usize = 2_000;

/// How a region of requests is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApprovalClass {
    /// Allowed without asking anyone.
    AutoAllowed,
    /// Denied by an approval-eligible rule: a human may approve the call.
    Approvable,
    /// Denied outright (a non-eligible deny or the deny default).
    HardDenied,
    /// Proceeds, flagged.
    Warned,
    /// Decided by a rule whose conditions the analysis cannot model, with different
    /// outcomes depending on them.
    DependsOnConditions,
}

impl ApprovalClass {
    pub const ALL: [ApprovalClass; 5] = [
        ApprovalClass::AutoAllowed,
        ApprovalClass::Approvable,
        ApprovalClass::HardDenied,
        ApprovalClass::Warned,
        ApprovalClass::DependsOnConditions,
    ];

    /// Stable kebab-case name (JSON keys, text headings).
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalClass::AutoAllowed => "auto-allowed",
            ApprovalClass::Approvable => "approvable",
            ApprovalClass::HardDenied => "hard-denied",
            ApprovalClass::Warned => "warned",
            ApprovalClass::DependsOnConditions => "depends-on-conditions",
        }
    }

    fn of(effect: Effect, eligible: bool) -> ApprovalClass {
        match (effect, eligible) {
            (Effect::Allow, _) => ApprovalClass::AutoAllowed,
            (Effect::Warn, _) => ApprovalClass::Warned,
            (Effect::Deny, true) => ApprovalClass::Approvable,
            (Effect::Deny, false) => ApprovalClass::HardDenied,
        }
    }

    fn of_decision(decision: &Decision) -> ApprovalClass {
        ApprovalClass::of(decision.effect, decision.hitl_eligible)
    }
}

/// One class of the partition.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSummary {
    pub class: ApprovalClass,
    /// Number of request classes (automaton states) in this region.
    pub regions: usize,
    /// The rules that decide here, ascending, with their labels (`rules[1] (reads)`).
    pub rules: Vec<(usize, String)>,
    /// Whether the no-match default decides part of this region.
    pub includes_default: bool,
    /// Example calls grouped by tool, shortest first.
    pub examples: Vec<(String, Vec<Witness>)>,
}

/// The partition of the request space by approval outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalReport {
    /// The policy's no-match default.
    pub default_action: Effect,
    /// One summary per [`ApprovalClass`], in [`ApprovalClass::ALL`] order.
    pub classes: Vec<ClassSummary>,
    /// Why the partition could not be computed (it is then empty), if it could not.
    pub incomplete: Option<String>,
}

/// The approval partition of `policy`.
pub fn approval_partition(policy: &Policy, limits: &AnalysisLimits) -> ApprovalReport {
    RegionMap::compute(policy, limits, &Questions::default()).approval_partition(policy)
}

impl RegionMap {
    /// The approval partition, from regions already computed.
    pub fn approval_partition(&self, policy: &Policy) -> ApprovalReport {
        let mut classes: Vec<ClassSummary> = ApprovalClass::ALL
            .iter()
            .map(|&class| ClassSummary {
                class,
                regions: 0,
                rules: Vec::new(),
                includes_default: false,
                examples: Vec::new(),
            })
            .collect();
        let global = match self.global(policy) {
            Ok(global) => global,
            Err(reason) => {
                return ApprovalReport {
                    default_action: policy.default_action,
                    classes,
                    incomplete: Some(reason),
                };
            }
        };
        let mut deciders: Vec<BTreeSet<Option<usize>>> = vec![BTreeSet::new(); classes.len()];
        let mut attempts = vec![0usize; classes.len()];
        for (index, state) in global.finals.iter().enumerate() {
            let (class, possible) = self.state_class(policy, &state.rules);
            let slot = class_slot(class);
            if let (Some(summary), Some(set), Some(tries)) = (
                classes.get_mut(slot),
                deciders.get_mut(slot),
                attempts.get_mut(slot),
            ) {
                summary.regions += 1;
                set.extend(possible);
                if *tries < ATTEMPTS_PER_CLASS {
                    *tries += 1;
                    let at = FinalRef::Global(u32::try_from(index).unwrap_or(u32::MAX));
                    self.add_example(policy, summary, at);
                }
            }
        }
        for (summary, set) in classes.iter_mut().zip(deciders) {
            summary.includes_default = set.contains(&None);
            summary.rules = set
                .into_iter()
                .flatten()
                .map(|r| (r, super::rule_label(policy, r)))
                .collect();
        }
        ApprovalReport {
            default_action: policy.default_action,
            classes,
            incomplete: None,
        }
    }

    /// The class of a state, and the rules (or `None`, the default) that may decide it.
    fn state_class(&self, policy: &Policy, rules: &[u32]) -> (ApprovalClass, Vec<Option<usize>>) {
        let mut possible = Vec::new();
        let mut classes = BTreeSet::new();
        let mut closed = false;
        for rule in rules.iter().filter_map(|&r| policy.rules.get(r as usize)) {
            possible.push(Some(rule.index));
            classes.insert(ApprovalClass::of(rule.effect, rule.hitl_eligible()));
            if !self.is_opaque(rule.index) {
                closed = true;
                break;
            }
        }
        if !closed {
            possible.push(None);
            classes.insert(ApprovalClass::of(policy.default_action, false));
        }
        match (classes.len(), classes.first()) {
            (1, Some(&class)) => (class, possible),
            _ => (ApprovalClass::DependsOnConditions, possible),
        }
    }

    /// Adds the witness of `at` to the summary's examples while quotas last. A witness
    /// the interpreter puts in another class is not an example of this one.
    fn add_example(&self, policy: &Policy, summary: &mut ClassSummary, at: FinalRef) {
        let full = summary.examples.len() >= TOOLS_PER_CLASS
            && summary
                .examples
                .iter()
                .all(|(_, calls)| calls.len() >= CALLS_PER_TOOL);
        if full {
            return;
        }
        let class = summary.class;
        let Some(witness) = self.witness(policy, &[at], |_, decision| {
            class == ApprovalClass::DependsOnConditions
                || ApprovalClass::of_decision(decision) == class
        }) else {
            return;
        };
        let tool = crate::pattern::casefold(&witness.tool).into_owned();
        let tools = summary.examples.len();
        match summary.examples.iter_mut().find(|(t, _)| *t == tool) {
            Some((_, calls)) if calls.len() < CALLS_PER_TOOL => calls.push(witness),
            Some(_) => {}
            None if tools < TOOLS_PER_CLASS => summary.examples.push((tool, vec![witness])),
            None => {}
        }
    }
}

fn class_slot(class: ApprovalClass) -> usize {
    ApprovalClass::ALL
        .iter()
        .position(|&c| c == class)
        .unwrap_or(0)
}
