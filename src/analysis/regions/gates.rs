//! Which gate of an unmatchable rule can never hold, for the finding's explanation.
//!
//! A rule's gates read independent fields of the request, so its language is empty
//! exactly when one gate's language is empty on its own: checking each gate alone (the
//! others left unconstrained) names the culprit. Opaque gates are not encoded and are
//! never named.

use super::domain::domain;
use super::encode::{GateId, exact_condition, single_gate_language};
use super::explore::{Domain, explore};
use super::{AnalysisLimits, RegionMap};
use crate::policy::{Policy, Rule};

impl RegionMap {
    /// The gates of rule `index` that no request can pass, each checked alone.
    pub fn empty_gates(&self, policy: &Policy, index: usize) -> Vec<GateId> {
        let Some(rule) = policy.rules.get(index) else {
            return Vec::new();
        };
        let layout = self.decoder.layout();
        let limits = AnalysisLimits::DEFAULT.per_rule();
        let Ok(domain) = Domain::new(&domain(layout.keys().len()), &limits) else {
            return Vec::new();
        };
        gates_of(rule)
            .into_iter()
            .filter(|&gate| {
                let hir = single_gate_language(rule, layout, gate);
                explore(&[(0, hir)], &domain, &limits)
                    .is_ok_and(|e| e.finals.iter().all(|f| f.rules.is_empty()))
            })
            .collect()
    }
}

/// The encoded gates a rule has.
fn gates_of(rule: &Rule) -> Vec<GateId> {
    let mut gates = vec![GateId::Action];
    if !rule.clients.is_any() {
        gates.push(GateId::Clients);
    }
    if !rule.projects.is_any() {
        gates.push(GateId::Projects);
    }
    if !rule.resources.is_any() {
        gates.push(GateId::Resource);
    }
    gates.extend(
        rule.conditions
            .iter()
            .enumerate()
            .filter(|(_, c)| exact_condition(c).is_some())
            .map(|(i, _)| GateId::Condition(i)),
    );
    gates
}
