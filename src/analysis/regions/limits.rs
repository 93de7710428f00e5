//! The limits and budgets of the reachability engine.
//!
//! The engine decides each rule with searches over small automata (see `scalable`), so
//! its cost is counted in product states visited, the same number on every machine.
//! Two budgets bound it: one per rule (a rule whose questions need more is reported as
//! undecided by `analysis-incomplete`, and never counts as a blocker) and one per
//! document (so that a policy of many hard rules cannot run for minutes; the rules
//! after the budget is spent are undecided). Size limits bound each automaton a search
//! builds. The approval partition (`--approvals`), asked for explicitly, determinizes
//! the whole policy within its own limits and says so when they are hit.
//!
//! The defaults keep `guardc check` within its budgets on the benchmark mixes (README
//! "Performance"): at 10,000 rules no rule of any mix comes near the per-rule budget.

use super::explore::ExploreLimits;

/// Size limits and work budgets of the reachability analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisLimits {
    /// Largest Thompson NFA of one automaton, in bytes.
    pub nfa_bytes: usize,
    /// Most memory the approval partition's determinization may use, in bytes.
    pub determinize_bytes: usize,
    /// Largest DFA of the approval partition, in bytes.
    pub dfa_bytes: usize,
    /// Most automaton states the approval partition's walk may visit.
    pub max_states: usize,
    /// Largest DFA of one rule, in bytes.
    pub rule_dfa_bytes: usize,
    /// Most product states one search may visit.
    pub rule_max_states: usize,
    /// Most product states all the searches about one rule may visit together.
    pub rule_states: usize,
    /// Most product states all the searches of one document may visit together.
    pub document_states: usize,
    /// Floating-literal rules (`*word*`, no other gate) a search's union must hold
    /// before they are walked as one Aho-Corasick automaton instead of one DFA each.
    /// A tuning choice, not a limit: every value gives the same answers (the
    /// brute-force test runs both paths); a few such rules prune better as DFAs,
    /// thousands cost one step per byte instead of one per rule.
    pub shared_floating: usize,
}

impl AnalysisLimits {
    pub const DEFAULT: AnalysisLimits = AnalysisLimits {
        nfa_bytes: 32 << 20,
        determinize_bytes: 16 << 20,
        dfa_bytes: 16 << 20,
        max_states: 500_000,
        rule_dfa_bytes: 1 << 20,
        rule_max_states: 100_000,
        rule_states: 200_000,
        document_states: 20_000_000,
        shared_floating: 8,
    };

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
