//! Building the two DFAs from a policy, within explicit size limits.

use regex_automata::MatchKind;
use regex_automata::dfa::{StartKind, dense};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_syntax::hir::{Hir, Look};

use super::candidates::CandidateTable;
use super::{Automaton, AutomatonFallback, DeciderTable, Group};
use crate::policy::{Policy, Rule};

/// Size limits for compiling action gates. Determinization is exponential in the worst
/// case (many `*` with different literals under all-matches semantics); these bound the
/// time and memory it may take. Past a limit, the group of rules is matched rule by rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomatonLimits {
    /// Largest Thompson NFA, in bytes.
    pub nfa_bytes: usize,
    /// Most memory determinization may use, in bytes.
    pub determinize_bytes: usize,
    /// Largest DFA, in bytes (this is also what a bundle stores).
    pub dfa_bytes: usize,
}

impl AutomatonLimits {
    pub const DEFAULT: AutomatonLimits = AutomatonLimits {
        nfa_bytes: 64 << 20,
        determinize_bytes: 128 << 20,
        dfa_bytes: 64 << 20,
    };
}

impl Default for AutomatonLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

pub(super) fn build(
    policy: &Policy,
    limits: &AutomatonLimits,
) -> (Automaton, Vec<AutomatonFallback>) {
    let (action_only, gated): (Vec<&Rule>, Vec<&Rule>) =
        policy.rules.iter().partition(|r| r.is_action_only());
    let mut fallbacks = Vec::new();
    let decider = build_decider(&action_only, limits).unwrap_or_else(|reason| {
        fallbacks.push(AutomatonFallback {
            group: "decider",
            rules: action_only.len(),
            reason,
        });
        Group::PerRule(rule_indices(&action_only))
    });
    let gated_group = build_gated(&gated, limits).unwrap_or_else(|reason| {
        fallbacks.push(AutomatonFallback {
            group: "gated",
            rules: gated.len(),
            reason,
        });
        Group::PerRule(rule_indices(&gated))
    });
    (
        Automaton {
            decider,
            gated: gated_group,
        },
        fallbacks,
    )
}

fn rule_indices(rules: &[&Rule]) -> Vec<u32> {
    rules.iter().map(|r| index_u32(r.index)).collect()
}

fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Leftmost-first over action-only rules: pattern ids in rule order, so priority is rule
/// order.
fn build_decider(rules: &[&Rule], limits: &AutomatonLimits) -> Result<Group<DeciderTable>, String> {
    let mut hirs = Vec::new();
    let mut rule_of_pattern = Vec::new();
    for rule in rules {
        for pattern in &rule.patterns {
            let (hir, ends_with_star) = pattern.glob.to_prefix_hir();
            hirs.push(if ends_with_star {
                hir
            } else {
                Hir::concat(vec![hir, Hir::look(Look::End)])
            });
            rule_of_pattern.push(index_u32(rule.index));
        }
    }
    let dfa = compile(&hirs, MatchKind::LeftmostFirst, limits)?;
    Ok(Group::Compiled {
        dfa: Box::new(dfa),
        table: DeciderTable { rule_of_pattern },
    })
}

/// All-matches over gated rules, every pattern anchored at both ends.
fn build_gated(rules: &[&Rule], limits: &AutomatonLimits) -> Result<Group<CandidateTable>, String> {
    let mut hirs = Vec::new();
    let mut rule_of_pattern = Vec::new();
    for rule in rules {
        for pattern in &rule.patterns {
            hirs.push(Hir::concat(vec![
                pattern.glob.to_hir(),
                Hir::look(Look::End),
            ]));
            rule_of_pattern.push(index_u32(rule.index));
        }
    }
    let dfa = compile(&hirs, MatchKind::All, limits)?;
    let table = CandidateTable::explore(&dfa, &rule_of_pattern, limits.dfa_bytes)?;
    Ok(Group::Compiled {
        dfa: Box::new(dfa),
        table,
    })
}

fn compile(
    hirs: &[Hir],
    kind: MatchKind,
    limits: &AutomatonLimits,
) -> Result<dense::DFA<Vec<u32>>, String> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(limits.nfa_bytes))
                .which_captures(WhichCaptures::None),
        )
        .build_many_from_hir(hirs)
        .map_err(|e| format!("the pattern automaton is too large ({e})"))?;
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(kind)
                .start_kind(StartKind::Anchored)
                .accelerate(false)
                .specialize_start_states(false)
                .dfa_size_limit(Some(limits.dfa_bytes))
                .determinize_size_limit(Some(limits.determinize_bytes)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| format!("determinization exceeded its limit ({e})"))
}
