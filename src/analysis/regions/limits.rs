//! The budgets of the reachability engine.
//!
//! Determinization is exponential in the worst case, and the whole-policy automaton hits
//! that case on ordinary policies: it tracks every *set* of rules a request can match, and
//! with many patterns that float (a `*` followed by more text, as in `*secret-*`) any
//! subset of them can match at once. So the whole-policy construction is only attempted
//! for policies that are small and have few floating patterns, with limits sized so that
//! a failed attempt costs well under a second; everything else goes to the per-rule
//! engine, whose searches are bounded one by one and by a shared total. Past those, a
//! rule is reported as unknown: the engine never guesses.
//!
//! The defaults keep `guardc check` within its budgets (a realistic 1,000-rule policy in
//! well under 100 ms, 10,000 rules under 2 s, under 512 MiB): the per-rule engine settles
//! almost every rule of such policies with a direct witness and no automaton at all.

use super::explore::ExploreLimits;
use crate::pattern::{Glob, GlobItem};
use crate::policy::{ConditionTest, Policy};

/// Size limits for the reachability analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisLimits {
    /// Policies with more rules are decided rule by rule.
    pub whole_policy_rules: usize,
    /// Policies with more floating action patterns (a `*` followed by more text, as in
    /// `*secret-*`) are decided rule by rule: on the subject, where every rule is alive
    /// at once, each can double the whole-policy automaton's states.
    pub whole_policy_floating_actions: usize,
    /// Policies with more floating globs in all (selectors and conditions included; those
    /// only meet the few rules whose action matched) are decided rule by rule.
    pub whole_policy_floating: usize,
    /// Largest Thompson NFA of one automaton, in bytes.
    pub nfa_bytes: usize,
    /// Most memory the whole-policy determinization may use, in bytes.
    pub determinize_bytes: usize,
    /// Largest whole-policy DFA, in bytes.
    pub dfa_bytes: usize,
    /// Most automaton states the whole-policy walk may visit.
    pub max_states: usize,
    /// Largest DFA of one per-rule search, in bytes.
    pub rule_dfa_bytes: usize,
    /// Most states one per-rule search may visit.
    pub rule_max_states: usize,
    /// Most states all per-rule searches together may visit.
    pub per_rule_states: usize,
}

impl AnalysisLimits {
    pub const DEFAULT: AnalysisLimits = AnalysisLimits {
        whole_policy_rules: 400,
        whole_policy_floating_actions: 6,
        whole_policy_floating: 16,
        nfa_bytes: 32 << 20,
        determinize_bytes: 16 << 20,
        dfa_bytes: 16 << 20,
        max_states: 500_000,
        rule_dfa_bytes: 8 << 20,
        rule_max_states: 100_000,
        per_rule_states: 4_000_000,
    };

    /// Limits that always use the per-rule engine (tests run both engines).
    pub const PER_RULE: AnalysisLimits = AnalysisLimits {
        whole_policy_rules: 0,
        ..AnalysisLimits::DEFAULT
    };

    /// Why `policy` is not analyzed as a whole, if it is not.
    pub fn whole_policy_refusal(&self, policy: &Policy) -> Option<String> {
        if policy.rules.len() > self.whole_policy_rules {
            return Some(format!(
                "the policy has more than {} rules",
                self.whole_policy_rules
            ));
        }
        let actions = policy
            .rules
            .iter()
            .flat_map(|rule| &rule.patterns)
            .filter(|p| floats(&p.glob))
            .count();
        if actions > self.whole_policy_floating_actions {
            return Some(format!(
                "the policy has {actions} tool patterns with a `*` followed by more text (more \
                 than {})",
                self.whole_policy_floating_actions
            ));
        }
        let floating = floating_globs(policy);
        (floating > self.whole_policy_floating).then(|| {
            format!(
                "the policy has {floating} patterns with a `*` followed by more text (more \
                 than {})",
                self.whole_policy_floating
            )
        })
    }

    pub(super) fn global(&self) -> ExploreLimits {
        ExploreLimits {
            nfa_bytes: self.nfa_bytes,
            determinize_bytes: self.determinize_bytes,
            dfa_bytes: self.dfa_bytes,
            max_states: self.max_states,
        }
    }

    pub(super) fn per_rule(&self) -> ExploreLimits {
        ExploreLimits {
            nfa_bytes: self.nfa_bytes,
            determinize_bytes: self.rule_dfa_bytes.saturating_mul(2),
            dfa_bytes: self.rule_dfa_bytes,
            max_states: self.rule_max_states,
        }
    }
}

impl Default for AnalysisLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Globs of the policy with a `*` followed by more text.
fn floating_globs(policy: &Policy) -> usize {
    let rule_globs = policy.rules.iter().flat_map(|rule| {
        rule.patterns
            .iter()
            .map(|p| &p.glob)
            .chain(&rule.clients.globs)
            .chain(&rule.projects.globs)
            .chain(&rule.resources.globs)
            .chain(rule.conditions.iter().filter_map(|c| match &c.test {
                ConditionTest::Glob { glob, .. } => Some(glob),
                ConditionTest::Operator { .. } => None,
            }))
    });
    rule_globs.filter(|glob| floats(glob)).count()
}

fn floats(glob: &Glob) -> bool {
    let items = glob.items();
    items
        .iter()
        .position(|item| *item == GlobItem::Star)
        .is_some_and(|star| items.iter().skip(star + 1).any(|i| *i != GlobItem::Star))
}
