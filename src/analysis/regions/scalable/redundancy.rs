//! Whether removing a reachable rule changes any decision's effect or eligibility
//! (`redundant-rule`), decided exactly.
//!
//! Without the rule, each request it decides goes to the next rule that matches it, or
//! to the default. The rule is redundant when every such successor gives the same class
//! (effect, and eligibility for denies). The later rules that can overlap the rule are
//! visited in order, keeping the part of the rule's region not yet taken: a later rule
//! of the same class takes what it matches; a later rule of another class that matches
//! some request still left refutes redundancy, with that request as the proof. What no
//! later rule takes goes to the default.
//!
//! Most rules are not redundant, and a request shows it cheaply: a call the rule decides
//! whose next matching rule has another class (tried for the rule's own witness and for
//! a call shared with each later rule of another class). Only rules that survive those
//! tries get the exact walk, one product search per later rule of another class, at most
//! [`MAX_SEARCHES`] of them: a rule overlapped by more later rules of another class, all
//! of whose shared requests earlier rules take (hundreds of floating `*word*` rules after
//! it), is not reported. The finding is information about dead weight, and a proof that
//! costs hundreds of searches per rule would make the check quadratic; not reporting is
//! sound, and the limit is documented with the finding.

use super::search::Stop;
use super::{Engine, candidate_call, covers_syntactically};
use crate::analysis::regions::Call;
use crate::policy::{Effect, Rule};

/// Product searches one redundancy proof may take.
pub const MAX_SEARCHES: usize = 4;

/// How a decision reads to the caller: its effect and, for a deny, eligibility.
fn class_of(effect: Effect, eligible: bool) -> (Effect, bool) {
    (effect, effect == Effect::Deny && eligible)
}

fn rule_class(rule: &Rule) -> (Effect, bool) {
    class_of(rule.effect, rule.hitl_eligible())
}

impl Engine<'_> {
    /// `Some(successors)` (the later rules that decide the rule's requests in its place,
    /// `None` standing for the default) when the rule is redundant.
    pub(super) fn redundancy(
        &self,
        rule: &Rule,
        deciding: &[Call],
    ) -> Result<Option<Vec<Option<usize>>>, String> {
        let class = rule_class(rule);
        // The rule's own calls refute most rules before any later rule is listed.
        if deciding.iter().any(|call| self.changes_without(rule, call)) {
            return Ok(None);
        }
        // The later overlapping rules, listed only while a proof stays possible: an
        // opaque one may or may not take a request (nothing can be proven), and more
        // than `MAX_SEARCHES` of another class would cost more than a claim may. A
        // floating rule overlaps every later rule; stopping early keeps it linear.
        let end = self.policy.rules.len();
        let mut later: Vec<&Rule> = Vec::new();
        let mut other_class = 0;
        for l in self
            .index
            .may_overlap_in(rule, rule.index + 1..end)
            .filter_map(|l| self.policy.rules.get(l))
        {
            if self.is_opaque(l.index) {
                return Ok(None);
            }
            if rule_class(l) != class {
                other_class += 1;
                if other_class > MAX_SEARCHES {
                    return Ok(None);
                }
            }
            later.push(l);
        }
        let shared = later
            .iter()
            .filter(|l| rule_class(l) != class)
            .filter_map(|l| candidate_call(self.decoder, rule, Some(l)));
        for call in shared {
            if self.changes_without(rule, &call) {
                return Ok(None);
            }
        }
        let mut taken: Vec<&Rule> = self.overlapping(rule, |_| true).collect();
        let mut successors = Vec::new();
        for l in later {
            if rule_class(l) == class {
                successors.push(Some(l.index));
                taken.push(l);
                if covers_syntactically(l, rule) {
                    return Ok(Some(successors));
                }
                continue;
            }
            // A request of both rules that no earlier rule and no later rule before `l`
            // takes: without the rule, `l` decides it, with another class.
            let escaped = self.search(&[rule, l], &taken, Stop::FirstFree)?;
            if !escaped.free.is_empty() {
                // Confirmed by the interpreter or not (an opaque earlier rule may take
                // the request), redundancy is not proven.
                return Ok(None);
            }
            taken.push(l);
        }
        if class_of(self.policy.default_action, false) != class {
            let left = self.search(&[rule], &taken, Stop::FirstFree)?;
            if !left.free.is_empty() {
                return Ok(None);
            }
        } else {
            successors.push(None);
        }
        Ok(Some(successors))
    }

    /// Whether `call` is decided by `rule` and, without it, gets another class.
    fn changes_without(&self, rule: &Rule, call: &Call) -> bool {
        if !self.passes(rule, call) || !self.earlier(rule, call).is_empty() {
            return false;
        }
        let end = self.policy.rules.len();
        let next = self
            .index
            .matching_in(self.policy, call, rule.index + 1..end)
            .first()
            .and_then(|&l| self.policy.rules.get(l))
            .map_or(class_of(self.policy.default_action, false), rule_class);
        next != rule_class(rule)
    }
}
