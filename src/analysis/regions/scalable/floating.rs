//! Floating-literal rules (`*secret*`, `['*token*', '*password*']`: no gate but the
//! action, every pattern a literal between two `*`, which canonical form writes
//! `*secret*:*`) walked as *one* member of a search's union instead of one automaton
//! each.
//!
//! A policy may hold thousands of them, and a rule written after them has them all in
//! the union of its searches. Stepped one DFA per rule, each step of the walk costs the
//! number of such rules, and each tuple stores and hashes all their states: 5,000
//! `*secN*` rules made a search of a hundred tuples cost seconds. Together they are one
//! Aho-Corasick automaton over the subject, built once per run: its state stands for
//! every such rule's progress at once, a needle found means the rule accepts every
//! completion (so the union blocks everything below, the walk's "universal" state), and
//! the end of the subject without one means none of them can match any more.
//!
//! Which of the policy's floating literals are in a given union is a sorted list of rule
//! indices; a needle found counts only when one of its rules is in that list. The
//! canonical `*text*:*` needs a `:` after the text: a needle found for such a rule sets
//! one *pending* flag, and the next `:` of the subject completes the match.

use std::collections::BTreeMap;

use aho_corasick::automaton::{Automaton as _, StateID};
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind};

use crate::analysis::regions::domain::SEP;
use crate::pattern::GlobItem;
use crate::policy::{Policy, Rule};

/// The floating-literal rules of one policy and their shared automaton.
#[derive(Debug)]
pub struct FloatingLiterals {
    /// The contiguous NFA: linear in the needles' total length, so a policy of long
    /// literals cannot make it blow up the way a DFA could.
    automaton: contiguous::NFA,
    start: StateID,
    /// Needle id → the rules with a pattern of that literal, ascending, each with
    /// whether its pattern needs a `:` after the literal.
    needle_rules: Vec<Vec<(u32, bool)>>,
    /// Per rule: the byte-class boundaries its needles need (every needle byte its own
    /// class, so the walk tries each), for the floating-literal rules only.
    boundaries: Vec<Option<[u64; 4]>>,
}

/// Where the floating-literal members of a union are while the subject is read: the
/// automaton's state, and whether a member has found its needle and waits for a `:`.
pub type FloatingState = (StateID, bool);

/// What one byte does to the floating-literal members of a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatingStep {
    /// Still reading the subject; no member has matched yet.
    Reading(FloatingState),
    /// A member's needle was found: that member accepts every completion.
    Found,
    /// The subject ended without one: no member can match.
    Ended,
}

impl FloatingLiterals {
    /// `None` when the policy has no floating-literal rule (or, never in practice, the
    /// automaton cannot be built: the rules are then searched one DFA each).
    pub fn new(policy: &Policy) -> Option<FloatingLiterals> {
        let mut needles: BTreeMap<&str, Vec<(u32, bool)>> = BTreeMap::new();
        let mut boundaries = vec![None; policy.rules.len()];
        for rule in &policy.rules {
            let Some(literals) = floating_literals(rule) else {
                continue;
            };
            let index = u32::try_from(rule.index).ok()?;
            let mut bits = [0u64; 4];
            for (literal, colon) in literals {
                needles.entry(literal).or_default().push((index, colon));
                for byte in literal.bytes() {
                    set_boundaries(&mut bits, byte);
                }
                if colon {
                    set_boundaries(&mut bits, b':');
                }
            }
            if let Some(slot) = boundaries.get_mut(rule.index) {
                *slot = Some(bits);
            }
        }
        if needles.is_empty() {
            return None;
        }
        let automaton = contiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(needles.keys())
            .ok()?;
        let start = automaton.start_state(Anchored::No).ok()?;
        Some(FloatingLiterals {
            automaton,
            start,
            needle_rules: needles.into_values().collect(),
            boundaries,
        })
    }

    /// The byte-class boundaries of rule `index`, when it is a floating literal.
    pub fn boundaries(&self, index: usize) -> Option<[u64; 4]> {
        self.boundaries.get(index).copied().flatten()
    }

    /// The state before any subject byte is read.
    pub fn start(&self) -> FloatingState {
        (self.start, false)
    }

    /// Whether some of `members` (ascending) has a `*text*` pattern without the `:`.
    pub fn any_plain(&self, members: &[u32]) -> bool {
        self.needle_rules
            .iter()
            .flatten()
            .any(|&(rule, colon)| !colon && members.binary_search(&rule).is_ok())
    }

    /// The members (`members`: rule indices, ascending) after `byte`, from `state`.
    /// `plain` is [`FloatingLiterals::any_plain`] of the members: without such a
    /// member, a state waiting for `:` forgets where the automaton is (nothing found
    /// later can do more than wait for the same `:`), so those states are one.
    pub fn step(
        &self,
        state: FloatingState,
        byte: u8,
        members: &[u32],
        plain: bool,
    ) -> FloatingStep {
        let (at, pending) = state;
        if byte == SEP {
            return FloatingStep::Ended;
        }
        if pending && byte == b':' {
            return FloatingStep::Found;
        }
        let next = self.automaton.next_state(Anchored::No, at, byte);
        let mut waits = pending;
        if self.automaton.is_match(next) {
            for i in 0..self.automaton.match_len(next) {
                let needle = self.automaton.match_pattern(next, i).as_usize();
                let rules = self.needle_rules.get(needle).map_or(&[][..], Vec::as_slice);
                for &(rule, colon) in rules {
                    if members.binary_search(&rule).is_ok() {
                        if !colon {
                            return FloatingStep::Found;
                        }
                        waits = true;
                    }
                }
            }
        }
        if waits && !plain {
            return FloatingStep::Reading((self.start, true));
        }
        FloatingStep::Reading((next, waits))
    }

    /// Whether the members in state `a` accept no more than in state `b` (`None`: the
    /// subject has ended, they accept nothing). Having read nothing of any needle is
    /// the least a member can have done, so the start state is below every state, and
    /// waiting for a `:` is more than not waiting in the same automaton state.
    pub fn le(&self, a: Option<FloatingState>, b: Option<FloatingState>) -> bool {
        match (a, b) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((sa, wa)), Some((sb, wb))) => (sa == sb || sa == self.start) && (!wa || wb),
        }
    }
}

/// The literals of a rule that is only floating literals: no selector, resource or
/// condition, and every pattern `*text*` or `*text*:*` with non-empty text (`true`: a
/// `:` must follow the text).
fn floating_literals(rule: &Rule) -> Option<Vec<(&str, bool)>> {
    if !rule.is_action_only() || rule.patterns.is_empty() {
        return None;
    }
    rule.patterns
        .iter()
        .map(|p| match p.glob.items() {
            [GlobItem::Star, GlobItem::Literal(text), GlobItem::Star] if !text.is_empty() => {
                Some((text.as_str(), false))
            }
            [
                GlobItem::Star,
                GlobItem::Literal(text),
                GlobItem::Star,
                GlobItem::Literal(colon),
                GlobItem::Star,
            ] if !text.is_empty() && colon == ":" => Some((text.as_str(), true)),
            _ => None,
        })
        .collect()
}

/// Marks `byte` as a class of its own: boundaries after the byte before it and after it.
fn set_boundaries(bits: &mut [u64; 4], byte: u8) {
    for boundary in [byte.checked_sub(1), Some(byte).filter(|&b| b < 255)]
        .into_iter()
        .flatten()
    {
        if let Some(word) = bits.get_mut(usize::from(boundary / 64)) {
            *word |= 1 << (boundary % 64);
        }
    }
}
