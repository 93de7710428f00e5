//! The compiled evaluator: what runtimes call on every tool call.
//!
//! The automaton reads the folded subject once and yields the first action-only rule
//! that matches and the gated rules whose action gate matches; only those gated rules
//! (and only those before the action-only one) have their other gates checked, in order.
//! For action-only policies this is one DFA walk and no allocation, whatever the number
//! of rules. It must agree with [`super::interpret`] on every request; the conformance
//! and differential tests hold it to that.

use std::sync::Arc;

use super::decision::RuleSource;
use super::interpreter::{Gate, first_failed_gate_after_action, no_match_with};
use super::{Decision, Lineage, Request};
use crate::automaton::{Automaton, AutomatonFallback, AutomatonLimits, GatedMatches};
use crate::pattern::FoldedSubject;
use crate::policy::{Effect, Policy, Rule};

/// Rules kept elsewhere and read on demand (a loaded bundle decodes each rule on first
/// use). The evaluator sees only this trait, so it never depends on the bundle format;
/// the bundle implements it.
pub trait RuleTable: std::fmt::Debug + Send + Sync {
    /// Rule `index`, decoded on first use; `None` when it does not decode.
    fn rule(&self, index: usize) -> Option<&Rule>;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn default_action(&self) -> Effect;
    /// Whether some record turned out not to decode.
    fn is_corrupt(&self) -> bool;
    /// The whole IR (decodes every rule).
    fn policy(&self) -> &Policy;
    /// Decode every rule, reporting the first that does not decode.
    fn validate(&self) -> Result<(), String>;
}

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
/// assert_eq!(decision.policy_id(&policy), Some("rule-0"));
///
/// // Deciding needs only shared access, so one policy serves every thread.
/// fn assert_send_sync<T: Send + Sync>() {}
/// assert_send_sync::<CompiledPolicy>();
/// ```
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    rules: RuleStore,
    automaton: Automaton,
    fallbacks: Vec<AutomatonFallback>,
    lineage: Lineage,
}

/// Where the rules live: the owned IR (compiled from a document), or a bundle's rule
/// table, decoded rule by rule on first use (`bundle/lazy.rs`), so that loading a
/// bundle does not build (and dropping it does not free) 10,000 rules a runtime may
/// never consult.
#[derive(Debug, Clone)]
enum RuleStore {
    Owned(Policy),
    Bundle(Arc<dyn RuleTable>),
}

impl CompiledPolicy {
    /// Compile a loaded policy with the default automaton limits.
    pub fn new(policy: Policy) -> CompiledPolicy {
        Self::with_limits(policy, &AutomatonLimits::DEFAULT)
    }

    pub fn with_limits(policy: Policy, limits: &AutomatonLimits) -> CompiledPolicy {
        let (automaton, fallbacks) = Automaton::build(&policy, limits);
        CompiledPolicy {
            rules: RuleStore::Owned(policy),
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

    /// Reassemble from parts read out of a bundle (no rebuild, no rule decoded yet).
    pub(crate) fn from_parts(
        rules: Arc<dyn RuleTable>,
        automaton: Automaton,
        lineage: Lineage,
    ) -> CompiledPolicy {
        CompiledPolicy {
            rules: RuleStore::Bundle(rules),
            automaton,
            fallbacks: Vec::new(),
            lineage,
        }
    }

    /// The whole IR. For a policy loaded from a bundle this decodes every rule the first
    /// time it is called (milliseconds at 10,000 rules); deciding and the decision's
    /// texts need only [`Self::rule`].
    pub fn policy(&self) -> &Policy {
        match &self.rules {
            RuleStore::Owned(policy) => policy,
            RuleStore::Bundle(rules) => rules.policy(),
        }
    }

    /// The rule at `index` (decoded on first use for a bundle).
    pub fn rule(&self, index: usize) -> Option<&Rule> {
        match &self.rules {
            RuleStore::Owned(policy) => policy.rules.get(index),
            RuleStore::Bundle(rules) => rules.rule(index),
        }
    }

    pub fn rule_count(&self) -> usize {
        match &self.rules {
            RuleStore::Owned(policy) => policy.rules.len(),
            RuleStore::Bundle(rules) => rules.len(),
        }
    }

    pub fn default_action(&self) -> Effect {
        match &self.rules {
            RuleStore::Owned(policy) => policy.default_action,
            RuleStore::Bundle(rules) => rules.default_action(),
        }
    }

    /// Whether a bundle's rule record or per-tool table turned out not to decode when
    /// first used (only possible for a deliberately resealed bundle); every decision is
    /// then the fail-closed engine error.
    pub fn is_corrupt(&self) -> bool {
        match &self.rules {
            RuleStore::Owned(_) => false,
            RuleStore::Bundle(rules) => rules.is_corrupt() || self.automaton.is_corrupt(),
        }
    }

    /// Decode every rule and per-tool table of a policy loaded from a bundle, reporting
    /// the first that does not decode (`guardc inspect`); `Ok` for a compiled document.
    pub fn validate(&self) -> Result<(), String> {
        match &self.rules {
            RuleStore::Owned(_) => Ok(()),
            RuleStore::Bundle(rules) => {
                rules.validate()?;
                self.automaton.validate().map_err(|e| e.to_string())
            }
        }
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
        let decision = self.decide_by_automaton(request);
        // Checked after deciding: a lazily decoded part that failed was needed by this
        // very call (or an earlier one), and must not be silently skipped.
        if self.is_corrupt() {
            return Decision::engine_error();
        }
        decision
    }

    fn decide_by_automaton(&self, request: &Request<'_>) -> Decision {
        let subject = FoldedSubject::new(request.tool, request.method);
        let first_action_only = self
            .automaton
            .first_action_only(&|i| self.rule(i), &subject);
        if !self.automaton.has_gated() {
            return match first_action_only.and_then(|i| self.rule(i)) {
                Some(rule) => Decision::by_rule(rule),
                None => no_match_with(self.default_action(), self.rule_count(), false),
            };
        }
        let mut search = GatedSearch {
            compiled: self,
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
            .or_else(|| first_action_only.and_then(|i| self.rule(i)));
        match decided {
            Some(rule) => Decision::by_rule(rule),
            None => no_match_with(
                self.default_action(),
                self.rule_count(),
                search.skipped_by_resource,
            ),
        }
    }
}

/// The search for the first gated rule that passes every gate. Each stream of candidates
/// is ascending; `bound` is the lowest rule index known to decide (the first action-only
/// match, then any gated rule found), so each stream stops at it.
struct GatedSearch<'p, 'r> {
    compiled: &'p CompiledPolicy,
    request: &'r Request<'r>,
    bound: usize,
    decided: Option<&'p Rule>,
    skipped_by_resource: bool,
    /// For per-rule chunks, whose action gates are checked here.
    subject: &'r FoldedSubject<'r>,
}

impl GatedSearch<'_, '_> {
    /// Check one ascending run of candidates; returns whether the stream should go on.
    fn check(&mut self, matches: GatedMatches<'_>) -> bool {
        let (rules, unfiltered) = match matches {
            GatedMatches::Matched(rules) => (rules, false),
            GatedMatches::Unfiltered(rules) => (rules, true),
        };
        for &index in rules {
            let Some(rule) = self.compiled.rule(index as usize) else {
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

impl RuleSource for CompiledPolicy {
    fn rule_at(&self, index: usize) -> Option<&Rule> {
        self.rule(index)
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
