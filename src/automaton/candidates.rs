//! The candidate table: for each final state of the gated DFA, the sorted list of gated
//! rules whose action gate matched.
//!
//! With all-matches semantics a final state can stand for many patterns, and several
//! patterns can belong to one rule; the evaluator wants rule indices, ascending, with no
//! duplicates and no allocation. So the table is computed once, at build time, by
//! exploring every state the DFA can reach, and stored as one flat list of rule indices
//! plus, per state index, the range of its list.

use std::collections::{BTreeMap, VecDeque};

use regex_automata::dfa::{Automaton as _, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, util::start};

/// Final state → gated rules that match there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CandidateTable {
    /// Indexed by state index (`state id >> stride2`): `(start, len)` into `rules`;
    /// `len == 0` for states that are not final.
    pub(super) ranges: Vec<(u32, u32)>,
    pub(super) rules: Vec<u32>,
    /// The lowest rule index of the chunk (whether or not it can match), so the
    /// evaluator can skip chunks that start after the deciding action-only rule.
    pub(super) first_rule: u32,
}

impl CandidateTable {
    /// Explore the DFA from its anchored start state and record every reachable final
    /// state's rule list. `budget_bytes` bounds the table like the DFA itself.
    pub(super) fn explore(
        dfa: &dense::DFA<Vec<u32>>,
        rule_of_pattern: &[u32],
        first_rule: u32,
        budget_bytes: usize,
    ) -> Result<CandidateTable, String> {
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .map_err(|e| format!("the automaton has no anchored start state ({e})"))?;
        let stride2 = dfa.stride2();
        let representatives: Vec<u8> = dfa
            .byte_classes()
            .representatives(..)
            .filter_map(|unit| unit.as_u8())
            .collect();
        let mut table = CandidateTable {
            first_rule,
            ..CandidateTable::default()
        };
        let mut interned: BTreeMap<Vec<u32>, (u32, u32)> = BTreeMap::new();
        let mut seen = std::collections::HashSet::new();
        let mut queue = VecDeque::from([start]);
        seen.insert(start);
        while let Some(state) = queue.pop_front() {
            let eoi = dfa.next_eoi_state(state);
            if dfa.is_match_state(eoi) {
                let rules = rules_of_state(dfa, eoi, rule_of_pattern);
                let next_start = u32::try_from(table.rules.len()).unwrap_or(u32::MAX);
                let len = u32::try_from(rules.len()).unwrap_or(u32::MAX);
                let range = *interned.entry(rules.clone()).or_insert_with(|| {
                    table.rules.extend_from_slice(&rules);
                    (next_start, len)
                });
                let index = eoi.as_usize() >> stride2;
                if table.ranges.len() <= index {
                    table.ranges.resize(index + 1, (0, 0));
                }
                if let Some(slot) = table.ranges.get_mut(index) {
                    *slot = range;
                }
                if table.memory_usage() > budget_bytes {
                    return Err("the candidate table exceeds the automaton size limit".into());
                }
            }
            for &byte in &representatives {
                let next = dfa.next_state(state, byte);
                if !dfa.is_dead_state(next) && seen.insert(next) {
                    queue.push_back(next);
                }
            }
        }
        Ok(table)
    }

    /// The rules of a final state (empty for any other state).
    pub(super) fn rules_at(&self, state: StateID, stride2: usize) -> &[u32] {
        let Some(&(start, len)) = self.ranges.get(state.as_usize() >> stride2) else {
            return &[];
        };
        let start = start as usize;
        self.rules.get(start..start + len as usize).unwrap_or(&[])
    }

    pub(super) fn first_rule(&self) -> Option<u32> {
        (self.first_rule != u32::MAX).then_some(self.first_rule)
    }

    pub(super) fn memory_usage(&self) -> usize {
        self.ranges.len() * 8 + self.rules.len() * 4
    }
}

fn rules_of_state(dfa: &dense::DFA<Vec<u32>>, state: StateID, rule_of_pattern: &[u32]) -> Vec<u32> {
    let mut rules: Vec<u32> = (0..dfa.match_len(state))
        .filter_map(|i| {
            rule_of_pattern
                .get(dfa.match_pattern(state, i).as_usize())
                .copied()
        })
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}
