//! The compiled evaluator: what runtimes call on every tool call.
//!
//! The automaton reads the folded subject once and yields the first action-only rule
//! that matches and the gated rules whose action gate matches; only those gated rules
//! (and only those before the action-only one) have their other gates checked, in order.
//! For action-only policies this is one DFA walk and no allocation, whatever the number
//! of rules. It must agree with [`super::interpret`] on every request; the conformance
//! and differential tests hold it to that.

use super::interpreter::{Gate, first_failed_gate_after_action, no_match};
use super::{Decision, Lineage, Request};
use crate::automaton::{Automaton, AutomatonFallback, AutomatonLimits, GatedMatches};
use crate::pattern::FoldedSubject;
use crate::policy::{Policy, Rule};

/// A policy ready to decide calls: the IR plus its compiled automaton. `Send + Sync`;
/// share one across threads.
///
/// ```
/// use guardc::eval::{CompiledPolicy, Request};
///
/// let policy = CompiledPolicy::from_source(
///     "approval.yaml",
///     "rules:\n  - deny: 'Bash:sudo *'\n    escalate_on_deny: true\n  - allow: 'Bash:*'\n",
/// )
/// .expect("the policy loads");
/// let decision = policy.decide(&Request::tool("Bash:sudo ls"));
/// assert_eq!(decision.effect.as_str(), "deny");
/// assert!(decision.hitl_eligible);
/// assert_eq!(decision.policy_id(policy.policy()), Some("rule-0"));
///
/// // Deciding needs only shared access, so one policy serves every thread.
/// fn assert_send_sync<T: Send + Sync>() {}
/// assert_send_sync::<CompiledPolicy>();
/// ```
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    policy: Policy,
    automaton: Automaton,
    fallbacks: Vec<AutomatonFallback>,
    lineage: Lineage,
}

impl CompiledPolicy {
    /// Compile a loaded policy with the default automaton limits.
    pub fn new(policy: Policy) -> CompiledPolicy {
        Self::with_limits(policy, &AutomatonLimits::DEFAULT)
    }

    pub fn with_limits(policy: Policy, limits: &AutomatonLimits) -> CompiledPolicy {
        let (automaton, fallbacks) = Automaton::build(&policy, limits);
        CompiledPolicy {
            policy,
            automaton,
            fallbacks,
            lineage: Lineage::default(),
        }
    }

    /// The same policy, recorded as compiled from the document `source` (its SHA-256
    /// becomes the lineage's source hash).
    pub fn with_source(mut self, source: &[u8]) -> CompiledPolicy {
        self.lineage = Lineage::of_source(source);
        self
    }

    /// Which document (and bundle) this policy came from, for audit records.
    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// Reassemble from parts read out of a bundle (no rebuild).
    pub(crate) fn from_parts(
        policy: Policy,
        automaton: Automaton,
        lineage: Lineage,
    ) -> CompiledPolicy {
        CompiledPolicy {
            policy,
            automaton,
            fallbacks: Vec::new(),
            lineage,
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn automaton(&self) -> &Automaton {
        &self.automaton
    }

    /// The groups of rules that hit an automaton limit at build time and are matched
    /// rule by rule (correct, slower).
    pub fn fallbacks(&self) -> &[AutomatonFallback] {
        &self.fallbacks
    }

    /// Decide one call.
    pub fn decide(&self, request: &Request<'_>) -> Decision {
        if request.tool.is_empty() {
            return Decision::engine_error();
        }
        let subject = FoldedSubject::new(request.tool, request.method);
        let first_action_only = self.automaton.first_action_only(&self.policy, &subject);
        let mut search = GatedSearch {
            policy: &self.policy,
            request,
            bound: first_action_only.unwrap_or(usize::MAX),
            decided: None,
            skipped_by_resource: false,
            subject: &subject,
        };
        let substring_matches = self.automaton.gated_substring_matches(&subject);
        search.check(GatedMatches::Matched(&substring_matches));
        for part in self.automaton.gated_parts(&subject) {
            let bound = search.bound;
            part.for_each_match(&subject, bound, |matches| search.check(matches));
        }
        let decided = search
            .decided
            .or_else(|| first_action_only.and_then(|i| self.policy.rules.get(i)));
        match decided {
            Some(rule) => Decision::by_rule(rule),
            None => no_match(&self.policy, search.skipped_by_resource),
        }
    }
}

/// The search for the first gated rule that passes every gate. Each stream of candidates
/// is ascending; `bound` is the lowest rule index known to decide (the first action-only
/// match, then any gated rule found), so each stream stops at it.
struct GatedSearch<'p, 'r> {
    policy: &'p Policy,
    request: &'r Request<'r>,
    bound: usize,
    decided: Option<&'p Rule>,
    skipped_by_resource: bool,
    /// For per-rule chunks, whose action gates are checked here.
    subject: &'r FoldedSubject,
}

impl GatedSearch<'_, '_> {
    /// Check one ascending run of candidates; returns whether the stream should go on.
    fn check(&mut self, matches: GatedMatches<'_>) -> bool {
        let (rules, unfiltered) = match matches {
            GatedMatches::Matched(rules) => (rules, false),
            GatedMatches::Unfiltered(rules) => (rules, true),
        };
        for &index in rules {
            let Some(rule) = self.policy.rules.get(index as usize) else {
                continue;
            };
            if rule.index >= self.bound {
                return false;
            }
            if unfiltered {
                let subject = self.subject.as_str();
                if !rule.patterns.iter().any(|p| p.matches_subject(subject)) {
                    continue;
                }
            }
            match first_failed_gate_after_action(rule, self.request) {
                None => {
                    self.decided = Some(rule);
                    self.bound = rule.index;
                    return false;
                }
                Some(Gate::Resource) => self.skipped_by_resource = true,
                Some(_) => {}
            }
        }
        true
    }
}

impl CompiledPolicy {
    /// Load a policy document (YAML or JSON, chosen by `name`'s suffix) and compile it.
    /// On failure, the load diagnostics explain why.
    pub fn from_source(
        name: &str,
        text: &str,
    ) -> Result<CompiledPolicy, Vec<crate::diagnostics::Diagnostic>> {
        let loaded = crate::policy::load(crate::source::SourceFile::new(name, text));
        match loaded.policy {
            Some(policy) if !loaded.has_errors() => {
                Ok(CompiledPolicy::new(policy).with_source(text.as_bytes()))
            }
            _ => Err(loaded.diagnostics),
        }
    }
}
