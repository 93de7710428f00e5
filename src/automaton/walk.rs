//! Running the automaton over one subject: the evaluator's hot path.
//!
//! The subject is folded once per call ([`FoldedSubject`], on the stack for ordinary
//! calls) and every DFA walks its bytes, so deciding a call allocates nothing when the
//! chunks are compiled.

use regex_automata::dfa::{dense, sparse};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, util::start};

use super::{Automaton, Chunk, DeciderDfa, GatedMatches};
use crate::pattern::FoldedSubject;
use crate::policy::Rule;

/// Finds a rule by index (the policy's, or a bundle's decoded on first use).
type RuleAt<'r, 'p> = &'r dyn Fn(usize) -> Option<&'p Rule>;

/// The minimum over the parts of each part's first match; within a part, the first
/// chunk with a match holds its first matching rule.
pub(super) fn first_action_only(
    automaton: &Automaton,
    policy: RuleAt<'_, '_>,
    subject: &FoldedSubject,
) -> Option<usize> {
    // The tool's own DFAs read only what follows `tool:`; the shared ones read it all.
    // A plain loop rather than an iterator chain: with no shared parts (every rule names
    // its tool) the chain's `min` was still a call and a tenth of the walk.
    let mut best = automaton
        .decider_tools
        .get(subject.tool_segment())
        .and_then(|chunks| first_in_part(chunks, policy, subject, subject.after_tool()));
    for part in &automaton.deciders {
        if let Some(found) = first_in_part(part, policy, subject, subject.as_bytes()) {
            best = Some(best.map_or(found, |b| b.min(found)));
        }
    }
    // The substring scan reads the whole subject; it can only improve on a match found
    // already when one of its rules comes first. Without substring patterns the whole
    // subject is not even built (a call no rule decides built it for an empty scan).
    let substrings = &automaton.substrings;
    let Some(first) = substrings.first_rule() else {
        return best;
    };
    if best.is_some_and(|best| first >= best) {
        return best;
    }
    best.into_iter()
        .chain(substrings.first_match(subject.as_bytes()))
        .min()
}

/// The first matching rule of one part: the first chunk with a match holds it. Compiled
/// chunks walk `input` (the whole subject, or what follows `tool:` for a tool's own
/// chunks); per-rule chunks match their globs against the whole subject.
fn first_in_part(
    part: &[super::DeciderChunk],
    policy: RuleAt<'_, '_>,
    subject: &FoldedSubject,
    input: &[u8],
) -> Option<usize> {
    part.iter().find_map(|chunk| match chunk {
        Chunk::Compiled { dfa, table } => {
            let pattern = match dfa {
                DeciderDfa::Dense(dfa) => run_leftmost_first(dfa.as_ref(), input),
                DeciderDfa::Sparse(dfa) => run_leftmost_first(dfa.as_ref(), input),
            };
            pattern.and_then(|pattern| table.rule_of_pattern.get(pattern).map(|&r| r as usize))
        }
        Chunk::PerRule(rules) => first_matching_rule(policy, rules, subject),
    })
}

/// The gated rules of each chunk whose action gate matches; compiled chunks walk
/// `input` (the whole subject, or what follows `tool:` for a tool's own chunks).
pub(super) fn for_each_gated_match(
    part: &[super::GatedChunk],
    input: &[u8],
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
                    run_to_end(dfa.as_ref(), input)
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

/// The anchored start state. The DFAs hold no look-behind assertions, so regex-automata
/// records one start state for every context (the "universal" one) and this is a field
/// read; computing it from a `start::Config` on every walk (classifying the empty
/// look-behind, an error path) was a sixth of a short walk. The computed start stays as
/// the fallback for a DFA that has none, so nothing depends on that property.
fn anchored_start(dfa: &impl DfaWalk) -> Option<StateID> {
    dfa.universal_start_state(Anchored::Yes).or_else(|| {
        dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
            .ok()
    })
}

/// Both DFA representations, as the walks use them.
trait DfaWalk: regex_automata::dfa::Automaton {}
impl DfaWalk for dense::DFA<Vec<u32>> {}
impl DfaWalk for sparse::DFA<Vec<u8>> {}

/// The pattern of the last match seen: with leftmost-first priority, the lowest pattern
/// id that matches the subject.
fn run_leftmost_first(dfa: &impl DfaWalk, subject: &[u8]) -> Option<usize> {
    let mut state = anchored_start(dfa)?;
    let mut matched = None;
    for &byte in subject {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            if dfa.is_match_state(state) {
                matched = Some(dfa.match_pattern(state, 0).as_usize());
            } else if dfa.is_dead_state(state) {
                return matched;
            }
        }
    }
    let eoi = dfa.next_eoi_state(state);
    if dfa.is_match_state(eoi) {
        matched = Some(dfa.match_pattern(eoi, 0).as_usize());
    }
    matched
}

/// The state after the end of the subject, if the DFA did not die on the way.
fn run_to_end(dfa: &impl DfaWalk, subject: &[u8]) -> Option<StateID> {
    let mut state = anchored_start(dfa)?;
    for &byte in subject {
        state = dfa.next_state(state, byte);
        if dfa.is_dead_state(state) {
            return None;
        }
    }
    Some(dfa.next_eoi_state(state))
}

/// A per-rule chunk: the first listed rule whose action gate matches.
fn first_matching_rule(
    policy: RuleAt<'_, '_>,
    rules: &[u32],
    subject: &FoldedSubject,
) -> Option<usize> {
    let subject = subject.as_str();
    rules
        .iter()
        .filter_map(|&r| policy(r as usize))
        .find(|rule| rule.patterns.iter().any(|p| p.matches_subject(subject)))
        .map(|rule| rule.index)
}
