//! Running the automaton over one subject: the evaluator's hot path.
//!
//! The folded subject is streamed byte by byte into the DFAs (the tool segment is folded
//! on the fly), so deciding a call allocates nothing when both groups are compiled.

use regex_automata::dfa::{Automaton as _, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, util::start};

use super::{ActionMatches, Automaton, GatedMatches, Group};
use crate::pattern::{folded_subject, for_each_folded_subject_byte};
use crate::policy::Policy;

pub(super) fn action_matches<'a>(
    automaton: &'a Automaton,
    policy: &Policy,
    tool: &str,
    method: &str,
) -> ActionMatches<'a> {
    let first_action_only = match &automaton.decider {
        Group::Compiled { dfa, table } => run_leftmost_first(dfa, tool, method)
            .and_then(|pattern| table.rule_of_pattern.get(pattern).map(|&r| r as usize)),
        Group::PerRule(rules) => first_matching_rule(policy, rules, tool, method),
    };
    let gated = match &automaton.gated {
        Group::Compiled { dfa, table } => GatedMatches::Matched(
            run_to_end(dfa, tool, method).map_or(&[], |state| table.rules_at(state, dfa.stride2())),
        ),
        Group::PerRule(rules) => GatedMatches::Unfiltered(rules),
    };
    ActionMatches {
        first_action_only,
        gated,
    }
}

fn anchored_start(dfa: &dense::DFA<Vec<u32>>) -> Option<StateID> {
    dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
        .ok()
}

/// The pattern of the last match seen: with leftmost-first priority, the lowest pattern
/// id that matches the subject.
fn run_leftmost_first(dfa: &dense::DFA<Vec<u32>>, tool: &str, method: &str) -> Option<usize> {
    let mut state = anchored_start(dfa)?;
    let mut matched = None;
    let mut dead = false;
    for_each_folded_subject_byte(tool, method, |byte| {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            if dfa.is_match_state(state) {
                matched = Some(dfa.match_pattern(state, 0).as_usize());
            } else if dfa.is_dead_state(state) {
                dead = true;
                return false;
            }
        }
        true
    });
    if !dead {
        let eoi = dfa.next_eoi_state(state);
        if dfa.is_match_state(eoi) {
            matched = Some(dfa.match_pattern(eoi, 0).as_usize());
        }
    }
    matched
}

/// The state after the end of the subject, if the DFA did not die on the way.
fn run_to_end(dfa: &dense::DFA<Vec<u32>>, tool: &str, method: &str) -> Option<StateID> {
    let mut state = anchored_start(dfa)?;
    let mut dead = false;
    for_each_folded_subject_byte(tool, method, |byte| {
        state = dfa.next_state(state, byte);
        dead = dfa.is_dead_state(state);
        !dead
    });
    (!dead).then(|| dfa.next_eoi_state(state))
}

/// The per-rule fallback: the first listed rule whose action gate matches.
fn first_matching_rule(policy: &Policy, rules: &[u32], tool: &str, method: &str) -> Option<usize> {
    let subject = folded_subject(tool, method);
    rules
        .iter()
        .filter_map(|&r| policy.rules.get(r as usize))
        .find(|rule| rule.patterns.iter().any(|p| p.matches_subject(&subject)))
        .map(|rule| rule.index)
}
