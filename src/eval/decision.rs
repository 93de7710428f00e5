//! The decision for a call.
//!
//! A [`Decision`] is small and `Copy`: it records which rule decided (or why none did),
//! and the texts (`policy_id`, `reason`, `reason_code`) are read from the policy on
//! demand. That keeps deciding allocation-free; only the no-match reason, which embeds
//! the subject, is built when someone asks for it.

use std::borrow::Cow;

use super::Request;
use crate::policy::{Effect, Policy, Rule};

/// What a decision's texts are read from: a [`Policy`], or a
/// [`super::CompiledPolicy`], which for a bundle decodes only the rule asked for (its
/// `policy()` would decode them all).
pub trait RuleSource {
    fn rule_at(&self, index: usize) -> Option<&Rule>;
}

impl RuleSource for Policy {
    fn rule_at(&self, index: usize) -> Option<&Rule> {
        self.rules.get(index)
    }
}

/// Why the decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rule at this index decided.
    Rule(usize),
    /// No rule decided: `synthetic:NO_RULE_MATCH`.
    NoMatch,
    /// No rule decided, the default is deny, and some rule was skipped only by its
    /// resource gate: `synthetic:RESOURCE_GATE_SKIP`.
    ResourceGateSkip,
    /// The request could not be evaluated (an empty tool): fail closed,
    /// `synthetic:ENGINE_UNAVAILABLE`.
    EngineError,
}

/// The answer for one call (docs/language.md section 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub effect: Effect,
    pub outcome: Outcome,
    pub hitl_eligible: bool,
    /// 1-based position of the deciding rule, or the number of rules walked.
    pub evaluated_rules: usize,
}

impl Decision {
    /// The decision of a rule that passed every gate.
    pub fn by_rule(rule: &Rule) -> Decision {
        Decision {
            effect: rule.effect,
            outcome: Outcome::Rule(rule.index),
            hitl_eligible: rule.hitl_eligible(),
            evaluated_rules: rule.index + 1,
        }
    }

    /// The fail-closed decision for a request that cannot be evaluated.
    pub fn engine_error() -> Decision {
        Decision {
            effect: Effect::Deny,
            outcome: Outcome::EngineError,
            hitl_eligible: false,
            evaluated_rules: 0,
        }
    }

    /// The deciding rule's index, if a rule decided.
    pub fn rule_index(&self) -> Option<usize> {
        match self.outcome {
            Outcome::Rule(i) => Some(i),
            _ => None,
        }
    }

    pub fn rule<'p, P: RuleSource + ?Sized>(&self, policy: &'p P) -> Option<&'p Rule> {
        self.rule_index().and_then(|i| policy.rule_at(i))
    }

    /// The decision's `policy_id` (`None` is JSON `null`).
    pub fn policy_id<'p, P: RuleSource + ?Sized>(&self, policy: &'p P) -> Option<&'p str> {
        match self.outcome {
            Outcome::Rule(_) => self.rule(policy).and_then(|r| r.policy_id.as_deref()),
            Outcome::NoMatch => Some("synthetic:NO_RULE_MATCH"),
            Outcome::ResourceGateSkip => Some("synthetic:RESOURCE_GATE_SKIP"),
            Outcome::EngineError => Some("synthetic:ENGINE_UNAVAILABLE"),
        }
    }

    pub fn reason_code<'p, P: RuleSource + ?Sized>(&self, policy: &'p P) -> &'p str {
        match self.outcome {
            Outcome::Rule(_) => self.rule(policy).map_or("", |r| r.reason_code.as_str()),
            Outcome::NoMatch | Outcome::ResourceGateSkip => "NO_RULE_MATCH",
            Outcome::EngineError => "",
        }
    }

    /// The reason text the caller sees.
    pub fn reason<'p, P: RuleSource + ?Sized>(
        &self,
        policy: &'p P,
        request: &Request<'_>,
    ) -> Cow<'p, str> {
        let subject = || format!("{}:{}", request.tool, request.method);
        match self.outcome {
            Outcome::Rule(_) => Cow::Borrowed(self.rule(policy).map_or("", |r| r.reason.as_str())),
            Outcome::NoMatch | Outcome::ResourceGateSkip => match self.effect {
                Effect::Deny => Cow::Owned(format!(
                    "No matching policy rule for '{s}' (fail-closed default; \
default_on_missing=deny). This tool is neither allowed nor denied by any rule in your hosted \
policy, so it is blocked. Add a rule that allows it (e.g. allow: '*' as a catch-all, or allow: \
'{s}'), or set the project/org default to allow, in the Control Zero dashboard.",
                    s = subject()
                )),
                Effect::Allow => Cow::Owned(format!(
                    "No matching policy rule for '{}' (default_action=allow)",
                    subject()
                )),
                Effect::Warn => Cow::Owned(format!(
                    "No matching policy rule for '{}' (default_action=warn)",
                    subject()
                )),
            },
            // The reference's text for its only core-tier engine error, the empty tool.
            Outcome::EngineError => Cow::Borrowed(
                "Evaluator error: SubjectConstructionError: subject tool must be a non-empty \
str, got ''. Failing closed.",
            ),
        }
    }
}
