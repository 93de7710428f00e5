//! The decision automaton: every rule's action gate compiled into DFAs that read the
//! folded subject once.
//!
//! Two DFAs, because the two kinds of rules need different answers:
//!
//! - **The decider** holds the patterns of *action-only* rules (no clients, projects,
//!   resources or conditions). Such a rule decides every subject it matches, so only the
//!   first one matters. The DFA is built with leftmost-first priority in rule order, which
//!   is exactly "the lowest rule index whose pattern matches". Patterns that end in `*`
//!   are compiled without the trailing `.*` and without an end anchor: once such a
//!   pattern has matched a prefix it matches every extension, so the DFA may report it at
//!   once, and leftmost-first determinization then drops every lower-priority thread.
//!   That pruning is what keeps policies with many `*substring*` rules from blowing up:
//!   the states track only the rules still able to win, not every subset of rules seen.
//! - **The candidate DFA** holds the patterns of the remaining (*gated*) rules with
//!   all-matches semantics; each final state maps to the sorted list of gated rules whose
//!   action gate matched. Only those rules' other gates are then checked, in order, and
//!   only those before the decider's rule.
//!
//! Both DFAs are dense, anchored, built from HIR made directly from the glob AST
//! ([`crate::pattern::Glob::to_hir`]), and bounded by [`AutomatonLimits`]. When a limit
//! is hit the automaton falls back to matching that group of rules one by one (always
//! correct, slower) and reports it, instead of hanging or exhausting memory.

mod build;
mod candidates;
mod serialize;
mod walk;

pub use build::AutomatonLimits;
pub use serialize::AutomatonDecodeError;

use regex_automata::dfa::dense;

use crate::policy::Policy;

/// The compiled action gates of a policy.
#[derive(Debug, Clone)]
pub struct Automaton {
    decider: Group<DeciderTable>,
    gated: Group<candidates::CandidateTable>,
}

/// One group of rules, compiled or (past a limit) matched rule by rule.
#[derive(Debug, Clone)]
enum Group<T> {
    Compiled {
        dfa: Box<dense::DFA<Vec<u32>>>,
        table: T,
    },
    /// The rule indices of the group, tried one by one with their globs.
    PerRule(Vec<u32>),
}

/// Maps the decider's pattern ids to rule indices.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeciderTable {
    rule_of_pattern: Vec<u32>,
}

/// What building the automaton had to give up on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomatonFallback {
    /// `decider` or `gated`.
    pub group: &'static str,
    pub rules: usize,
    pub reason: String,
}

/// The rules whose action gate matches a subject, as the evaluator needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionMatches<'a> {
    /// The first action-only rule that matches: it decides unless an earlier gated
    /// rule does.
    pub first_action_only: Option<usize>,
    /// Gated rules whose action gate matches, ascending.
    pub gated: GatedMatches<'a>,
}

/// Gated rules whose action gate matched, ascending: a slice of the precomputed table
/// when the candidate DFA is compiled, or the per-rule list to filter otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatedMatches<'a> {
    Matched(&'a [u32]),
    /// The candidate DFA was not built: check these rules' action gates one by one.
    Unfiltered(&'a [u32]),
}

impl Automaton {
    /// Compile a policy's action gates within `limits`. Never fails: a group that hits a
    /// limit is kept as a per-rule list and reported in the returned fallbacks.
    pub fn build(policy: &Policy, limits: &AutomatonLimits) -> (Automaton, Vec<AutomatonFallback>) {
        build::build(policy, limits)
    }

    /// The action-gate matches for one call, reading the folded subject once.
    pub fn action_matches(&self, policy: &Policy, tool: &str, method: &str) -> ActionMatches<'_> {
        walk::action_matches(self, policy, tool, method)
    }

    /// Memory held by the DFAs and tables, in bytes.
    pub fn memory_usage(&self) -> usize {
        let decider = match &self.decider {
            Group::Compiled { dfa, table } => dfa.memory_usage() + table.rule_of_pattern.len() * 4,
            Group::PerRule(rules) => rules.len() * 4,
        };
        let gated = match &self.gated {
            Group::Compiled { dfa, table } => dfa.memory_usage() + table.memory_usage(),
            Group::PerRule(rules) => rules.len() * 4,
        };
        decider + gated
    }

    /// Whether both groups are compiled to DFAs (no per-rule fallback).
    pub fn is_fully_compiled(&self) -> bool {
        matches!(self.decider, Group::Compiled { .. })
            && matches!(self.gated, Group::Compiled { .. })
    }

    /// A one-line description for `guardc inspect`.
    pub fn describe(&self) -> String {
        let part = |name: &str,
                    group_dfa: Option<&dense::DFA<Vec<u32>>>,
                    per_rule: Option<usize>| match (group_dfa, per_rule) {
            (Some(dfa), _) => format!("{name}: dense DFA, {} bytes", dfa.memory_usage()),
            (None, Some(n)) => format!("{name}: {n} rules matched one by one (limit fallback)"),
            (None, None) => format!("{name}: empty"),
        };
        let decider = match &self.decider {
            Group::Compiled { dfa, .. } => part("decider", Some(dfa), None),
            Group::PerRule(r) => part("decider", None, Some(r.len())),
        };
        let gated = match &self.gated {
            Group::Compiled { dfa, .. } => part("gated", Some(dfa), None),
            Group::PerRule(r) => part("gated", None, Some(r.len())),
        };
        format!("{decider}; {gated}")
    }

    /// Serialize for the bundle (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        serialize::to_bytes(self)
    }

    /// Deserialize from bundle bytes, validating everything (the DFAs are checked by
    /// regex-automata; the tables against the policy's rule count).
    pub fn from_bytes(bytes: &[u8], rule_count: usize) -> Result<Automaton, AutomatonDecodeError> {
        serialize::from_bytes(bytes, rule_count)
    }
}
