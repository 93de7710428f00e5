//! Running the automaton over one subject: the evaluator's hot path.
//!
//! The folded subject is streamed byte by byte into the DFAs (the tool segment is folded
//! on the fly), so deciding a call allocates nothing when the chunks are compiled.

use regex_automata::dfa::{dense, sparse};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, util::start};

use super::{Automaton, Chunk, GatedMatches};
use crate::pattern::{folded_subject, for_each_folded_subject_byte};
use crate::policy::Policy;

/// The minimum over the parts of each part's first match; within a part, the first
/// chunk with a match holds its first matching rule.
pub(super) fn first_action_only(
    automaton: &Automaton,
    policy: &Policy,
    tool: &str,
    method: &str,
) -> Option<usize> {
    let by_tool = find_tool(&automaton.decider_tools, tool)
        .and_then(|chunks| first_in_part(chunks, policy, tool, method));
    automaton
        .deciders
        .iter()
        .filter_map(|part| first_in_part(part, policy, tool, method))
        .chain(by_tool)
        .chain(automaton.substrings.first_match(tool, method))
        .min()
}

/// The chunks of the call's own tool, found by binary search on the folded tool segment.
pub(super) fn find_tool<'a, C>(tools: &'a [(String, Vec<C>)], tool: &str) -> Option<&'a [C]> {
    let index = with_folded_tool_segment(tool, |folded| {
        tools
            .binary_search_by(|(name, _)| name.as_str().cmp(folded))
            .ok()
    })?;
    tools.get(index).map(|(_, chunks)| chunks.as_slice())
}

/// The first matching rule of one part: the first chunk with a match holds it.
fn first_in_part(
    part: &[super::DeciderChunk],
    policy: &Policy,
    tool: &str,
    method: &str,
) -> Option<usize> {
    part.iter().find_map(|chunk| match chunk {
        Chunk::Compiled { dfa, table } => run_leftmost_first(dfa.as_ref(), tool, method)
            .and_then(|pattern| table.rule_of_pattern.get(pattern).map(|&r| r as usize)),
        Chunk::PerRule(rules) => first_matching_rule(policy, rules, tool, method),
    })
}

/// Calls `f` with the folded tool segment of the subject `tool:method` (the text of
/// `tool` before its first `:`, case-folded). Short segments are folded into a stack
/// buffer, so the lookup allocates nothing for ordinary tool names.
fn with_folded_tool_segment<R>(tool: &str, f: impl FnOnce(&str) -> R) -> R {
    let segment = tool.split(':').next().unwrap_or("");
    if segment
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return f(segment);
    }
    let mut buffer = [0u8; 128];
    let mut len = 0;
    let mut fits = true;
    for c in segment.chars() {
        crate::pattern::for_each_folded_char(c, |folded| {
            let mut utf8 = [0u8; 4];
            let bytes = folded.encode_utf8(&mut utf8).as_bytes();
            match buffer.get_mut(len..len + bytes.len()) {
                Some(slot) if fits => {
                    slot.copy_from_slice(bytes);
                    len += bytes.len();
                }
                _ => fits = false,
            }
        });
    }
    match (fits, std::str::from_utf8(buffer.get(..len).unwrap_or(&[]))) {
        (true, Ok(folded)) => f(folded),
        _ => f(&crate::pattern::casefold(segment)),
    }
}

pub(super) fn for_each_gated_match(
    part: &[super::GatedChunk],
    tool: &str,
    method: &str,
    before: usize,
    mut visit: impl FnMut(GatedMatches<'_>) -> bool,
) {
    for chunk in part {
        let matches = match chunk {
            Chunk::Compiled { dfa, table } => {
                if table
                    .first_rule()
                    .is_none_or(|first| first as usize >= before)
                {
                    break;
                }
                GatedMatches::Matched(
                    run_to_end(dfa.as_ref(), tool, method)
                        .map_or(&[], |state| table.rules_at(state, dfa.stride2())),
                )
            }
            Chunk::PerRule(rules) => {
                if rules.first().is_none_or(|&first| first as usize >= before) {
                    break;
                }
                GatedMatches::Unfiltered(rules)
            }
        };
        if !visit(matches) {
            return;
        }
    }
}

fn anchored_start(dfa: &impl DfaWalk) -> Option<StateID> {
    dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
        .ok()
}

/// Both DFA representations, as the walks use them.
trait DfaWalk: regex_automata::dfa::Automaton {}
impl DfaWalk for dense::DFA<Vec<u32>> {}
impl DfaWalk for sparse::DFA<Vec<u8>> {}

/// The pattern of the last match seen: with leftmost-first priority, the lowest pattern
/// id that matches the subject.
fn run_leftmost_first(dfa: &impl DfaWalk, tool: &str, method: &str) -> Option<usize> {
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
fn run_to_end(dfa: &impl DfaWalk, tool: &str, method: &str) -> Option<StateID> {
    let mut state = anchored_start(dfa)?;
    let mut dead = false;
    for_each_folded_subject_byte(tool, method, |byte| {
        state = dfa.next_state(state, byte);
        dead = dfa.is_dead_state(state);
        !dead
    });
    (!dead).then(|| dfa.next_eoi_state(state))
}

/// A per-rule chunk: the first listed rule whose action gate matches.
fn first_matching_rule(policy: &Policy, rules: &[u32], tool: &str, method: &str) -> Option<usize> {
    let subject = folded_subject(tool, method);
    rules
        .iter()
        .filter_map(|&r| policy.rules.get(r as usize))
        .find(|rule| rule.patterns.iter().any(|p| p.matches_subject(&subject)))
        .map(|rule| rule.index)
}
