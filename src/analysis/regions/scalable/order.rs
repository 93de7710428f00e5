//! The orders that keep a product walk small: whether one rule's state accepts every
//! completion the domain allows (the union then blocks everything below it), and
//! whether one state accepts no more than another (the antichain test). Both are
//! decided by small walks of one rule's DFA with the domain, cached per rule DFA for
//! the whole run; they read only the domain, so a walk can consult them while it
//! updates its own tables.

use std::collections::VecDeque;

use foldhash::{HashSet, HashSetExt as _};
use regex_automata::dfa::{Automaton as _, dense};
use regex_automata::util::primitives::StateID;

use super::search::{RuleDfa, is_universal};

/// Pairs visited to decide that a rule state is universal, at most (past it, it is
/// taken as not universal: the walk only prunes less).
const MAX_UNIVERSAL_PAIRS: usize = 4_096;

/// The domain every state is read against.
#[derive(Debug, Clone, Copy)]
pub(super) struct Order<'s> {
    pub(super) domain: &'s dense::DFA<Vec<u32>>,
}

impl Order<'_> {
    /// Whether `member` in `state` accepts every request the domain can complete from
    /// `domain_state`: no pair reachable from there ends a request the domain accepts
    /// and the member does not (a dead member with a live domain is such a pair, since
    /// every live domain state can still be completed). Such a member blocks everything
    /// below it, so the walk forgets the other union rules.
    pub(super) fn universal(
        &self,
        member: &RuleDfa,
        state: StateID,
        domain_state: StateID,
    ) -> bool {
        if let Some(&known) = member.universal.borrow().get(&(state, domain_state)) {
            return known;
        }
        let answer = self.decide_universal(member, state, domain_state);
        member
            .universal
            .borrow_mut()
            .insert((state, domain_state), answer);
        answer
    }

    fn decide_universal(&self, member: &RuleDfa, state: StateID, domain_state: StateID) -> bool {
        let bytes = &member.pair_bytes;
        let mut seen = HashSet::new();
        seen.insert((state, domain_state));
        let mut queue = VecDeque::from([(state, domain_state)]);
        while let Some((s, d)) = queue.pop_front() {
            let domain_ends = self.domain.is_match_state(self.domain.next_eoi_state(d));
            if domain_ends && !member.dfa.is_match_state(member.dfa.next_eoi_state(s)) {
                return false;
            }
            for &byte in bytes {
                let next_d = self.domain.next_state(d, byte);
                if self.domain.is_dead_state(next_d) {
                    continue;
                }
                let next_s = member.dfa.next_state(s, byte);
                if member.dfa.is_dead_state(next_s) {
                    return false;
                }
                if seen.insert((next_s, next_d)) {
                    if seen.len() > MAX_UNIVERSAL_PAIRS {
                        return false;
                    }
                    queue.push_back((next_s, next_d));
                }
            }
        }
        true
    }
}

impl Order<'_> {
    /// Whether the union rules `small` accept no more than `large` from here: each rule
    /// of `small` is in `large`, in a state that accepts at least what its state in
    /// `small` does. Then every request free from `large` is free from `small`, and the
    /// tuple with `large` need not be explored. A rule that has matched a floating
    /// literal (`*secret-1-*`) is in such a larger state than one that has not yet,
    /// which is what makes this prune where plain subsets would not.
    pub(super) fn subsumes(
        &self,
        dfas: &[&RuleDfa],
        small: &[(u32, StateID)],
        large: &[(u32, StateID)],
        domain: StateID,
    ) -> bool {
        if is_universal(large) {
            return true;
        }
        let mut rest = large.iter().peekable();
        small.iter().all(|&(i, a)| {
            while rest.peek().is_some_and(|&&(j, _)| j < i) {
                rest.next();
            }
            match rest.peek() {
                Some(&&(j, b)) if j == i => {
                    a == b
                        || dfas
                            .get(i as usize)
                            .is_some_and(|m| self.state_le(m, a, b, domain))
                }
                _ => false,
            }
        })
    }

    /// Whether, from `domain_state`, member state `a` accepts only requests that member
    /// state `b` accepts too: no reachable triple ends a request the domain accepts
    /// with `a` accepting and `b` not. A dead `b` with a live `a` is counted as such an
    /// end (`a` may still accept), which can only make the answer "no": safe.
    fn state_le(&self, member: &RuleDfa, a: StateID, b: StateID, domain_state: StateID) -> bool {
        let key = (a, b, domain_state);
        if let Some(&known) = member.included.borrow().get(&key) {
            return known;
        }
        let answer = self.decide_le(member, key);
        member.included.borrow_mut().insert(key, answer);
        answer
    }

    fn decide_le(&self, member: &RuleDfa, start: (StateID, StateID, StateID)) -> bool {
        let bytes = &member.pair_bytes;
        let dfa = &member.dfa;
        let accepts = |s: StateID| dfa.is_match_state(dfa.next_eoi_state(s));
        let mut seen = HashSet::new();
        seen.insert(start);
        let mut queue = VecDeque::from([start]);
        while let Some((a, b, d)) = queue.pop_front() {
            let domain_ends = self.domain.is_match_state(self.domain.next_eoi_state(d));
            if domain_ends && accepts(a) && !accepts(b) {
                return false;
            }
            for &byte in bytes {
                let next_d = self.domain.next_state(d, byte);
                let next_a = dfa.next_state(a, byte);
                if self.domain.is_dead_state(next_d) || dfa.is_dead_state(next_a) {
                    continue;
                }
                let next_b = dfa.next_state(b, byte);
                if dfa.is_dead_state(next_b) {
                    return false;
                }
                if seen.insert((next_a, next_b, next_d)) {
                    if seen.len() > MAX_UNIVERSAL_PAIRS {
                        return false;
                    }
                    queue.push_back((next_a, next_b, next_d));
                }
            }
        }
        true
    }
}
