//! The exact part of the engine: language inclusion decided on the fly, never by
//! building the union of the earlier rules.
//!
//! "Does some request of the *target* (one rule, or the intersection of two) escape every
//! rule of a *union*?" is answered by a breadth-first walk over tuples: the domain's DFA
//! state, each target rule's DFA state and the state of every union rule still alive.
//! Each rule has its own small DFA, compiled on first use and shared by every search of
//! the run ([`RuleAutomata`]); a tuple is never determinized into anything larger. Two
//! prunings keep the walk small:
//!
//! - a union rule whose DFA is dead drops out of the tuple, and a dead target or domain
//!   state ends the path;
//! - *antichains* (De Wulf, Doyen, Henzinger and Raskin, CAV 2006): of two tuples with
//!   the same domain and target states, the one whose live union rules are a superset of
//!   the other's can only be blocked more, so it is not explored. With floating patterns
//!   (`*secret-1-*`, `*token-2-*`, ...) this is what keeps the walk linear: the tuples
//!   that remember which literals have already matched are supersets of the one that
//!   has matched none.
//!
//! A final tuple is *free* when no union rule accepts the request there, *blocked*
//! otherwise. No final tuple at all means the target is unmatchable; no free one means
//! the union covers it. These are proofs, not samples; the first free request found is a
//! shortest one. Every walk charges the states it visits to the caller's budget.

use std::cell::{OnceCell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};

use regex_automata::dfa::{Automaton as _, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, MatchKind, util::start};

use crate::analysis::regions::Call;
use crate::analysis::regions::decode::Decoder;
use crate::analysis::regions::domain::readability;
use crate::analysis::regions::encode::{Layout, rule_language};
use crate::analysis::regions::explore::{Domain, ExploreLimits, LimitHit};
use crate::automaton::{DfaLimit, anchored_dfa};
use crate::policy::{Policy, Rule};

use super::floating::{FloatingLiterals, FloatingState, FloatingStep};
use super::order::Order;

/// The union position standing for "a union rule that accepts every completion": once
/// one rule of the union is in such a state, which rule it is no longer matters.
pub(super) const UNIVERSAL: u32 = u32::MAX;

/// Witnesses kept per kind of final tuple.
const MAX_CALLS: usize = 8;
/// Union sets remembered per (domain, target) pair for the antichain test; past it a
/// tuple is explored without the test (still exact, only less pruned).
const MAX_ANTICHAIN: usize = 64;

/// What a walk found about one target.
#[derive(Debug, Clone, Default)]
pub struct SearchResult {
    /// Requests of the target that no rule of the union matches, shortest first.
    pub free: Vec<Call>,
    /// Requests of the target that some rule of the union matches, shortest first.
    pub blocked: Vec<Call>,
    /// Whether the target matches any request at all.
    pub matchable: bool,
    /// Tuples visited (charged to the engine's budget).
    pub states: usize,
}

/// How much of the walk the caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Stop at the first free request: the question is only "covered or not".
    FirstFree,
    /// Walk everything: blocked requests are wanted too.
    Exhaust,
}

/// One DFA per rule of the analyzed policy, compiled on first use (keyed by the rule's
/// index: only the policy's own rules are searched, never narrowed copies).
#[derive(Debug)]
pub struct RuleAutomata {
    dfas: Vec<OnceCell<Result<RuleDfa, LimitHit>>>,
    /// The floating-literal rules, walked as one union member ([`FloatingLiterals`]).
    floating: Option<FloatingLiterals>,
    /// The domain DFA's class boundaries, read once per run.
    domain_boundaries: [u64; 4],
    /// Per domain state: bit `b` set when bytes `b` and `b + 1` lead to different
    /// states from it (see [`ByteChoices`]).
    domain_states: RefCell<HashMap<StateID, [u64; 4]>>,
    /// The bytes to try, per domain state and the class boundaries of a search's rule
    /// automata (searches of one run repeat the same few shapes).
    choices: RefCell<HashMap<ChoiceKey, Rc<[u8]>>>,
}

#[derive(Debug)]
pub(super) struct RuleDfa {
    pub(super) dfa: dense::DFA<Vec<u32>>,
    start: StateID,
    /// Bit `b` set: bytes `b` and `b + 1` are in different classes of this DFA.
    boundaries: [u64; 4],
    /// One byte per class of this DFA's and the domain's common classes (the walks
    /// that decide universality and state inclusion step this DFA with the domain).
    pub(super) pair_bytes: Vec<u8>,
    /// (rule state, domain state) → whether the rule accepts every request the domain
    /// can still complete from there (computed on demand, see [`Order::universal`]).
    pub(super) universal: RefCell<HashMap<(StateID, StateID), bool>>,
    /// (state a, state b, domain state) → whether every request the domain can
    /// complete that `a` accepts, `b` accepts too (see [`Order::state_le`]).
    pub(super) included: RefCell<HashMap<(StateID, StateID, StateID), bool>>,
}

impl RuleAutomata {
    pub fn new(policy: &Policy, domain: &Domain) -> RuleAutomata {
        RuleAutomata {
            dfas: (0..policy.rules.len()).map(|_| OnceCell::new()).collect(),
            floating: FloatingLiterals::new(policy),
            domain_boundaries: class_boundaries(domain.dfa()),
            domain_states: RefCell::new(HashMap::new()),
            choices: RefCell::new(HashMap::new()),
        }
    }

    /// The bytes to try from `state` of the domain with rule automata whose class
    /// boundaries are `rules` (see [`ByteChoices`]).
    fn choices(&self, domain: &dense::DFA<Vec<u32>>, state: StateID, rules: [u64; 4]) -> Rc<[u8]> {
        if let Some(bytes) = self.choices.borrow().get(&(state, rules)) {
            return Rc::clone(bytes);
        }
        let boundaries = self.domain_state_boundaries(domain, state);
        let bytes: Rc<[u8]> = representatives(boundaries, std::iter::once(rules)).into();
        self.choices
            .borrow_mut()
            .insert((state, rules), Rc::clone(&bytes));
        bytes
    }

    /// Where the domain's next state from `state` changes between two adjacent bytes.
    fn domain_state_boundaries(&self, domain: &dense::DFA<Vec<u32>>, state: StateID) -> [u64; 4] {
        if let Some(&bits) = self.domain_states.borrow().get(&state) {
            return bits;
        }
        let mut bits = [0u64; 4];
        let mut previous = domain.next_state(state, 0);
        for byte in 1u8..=255 {
            let next = domain.next_state(state, byte);
            if next != previous
                && let Some(word) = bits.get_mut(usize::from((byte - 1) / 64))
            {
                *word |= 1 << ((byte - 1) % 64);
            }
            previous = next;
        }
        self.domain_states.borrow_mut().insert(state, bits);
        bits
    }

    fn get(
        &self,
        rule: &Rule,
        layout: &Layout,
        limits: &ExploreLimits,
    ) -> Result<&RuleDfa, LimitHit> {
        let cell = self
            .dfas
            .get(rule.index)
            .ok_or_else(|| LimitHit("a rule outside the policy was searched".into()))?;
        cell.get_or_init(|| compile_rule(rule, layout, limits, self.domain_boundaries))
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn compile_rule(
    rule: &Rule,
    layout: &Layout,
    limits: &ExploreLimits,
    domain_boundaries: [u64; 4],
) -> Result<RuleDfa, LimitHit> {
    let hir = rule_language(rule, layout);
    let dfa = anchored_dfa(&[hir], MatchKind::All, &limits.sizes()).map_err(|limit| {
        let (what, kib) = match limit {
            DfaLimit::Nfa(_) => ("limit", limits.nfa_bytes / 1024),
            DfaLimit::Determinize(_) => ("per-rule limit", limits.dfa_bytes / 1024),
        };
        LimitHit(format!(
            "its automaton would exceed the {what} of {kib} KiB"
        ))
    })?;
    let start = anchored_start(&dfa)?;
    let boundaries = class_boundaries(&dfa);
    let pair_bytes = representatives(domain_boundaries, std::iter::once(boundaries));
    Ok(RuleDfa {
        dfa,
        start,
        boundaries,
        pair_bytes,
        universal: RefCell::new(HashMap::new()),
        included: RefCell::new(HashMap::new()),
    })
}

fn anchored_start(dfa: &dense::DFA<Vec<u32>>) -> Result<StateID, LimitHit> {
    dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|e| LimitHit(format!("an automaton has no start state ({e})")))
}

fn class_boundaries(dfa: &dense::DFA<Vec<u32>>) -> [u64; 4] {
    let classes = dfa.byte_classes();
    let mut bits = [0u64; 4];
    for byte in 0u8..255 {
        if classes.get(byte) != classes.get(byte + 1)
            && let Some(word) = bits.get_mut(usize::from(byte / 64))
        {
            *word |= 1 << (byte % 64);
        }
    }
    bits
}

/// A domain state and the class boundaries of a search's rule automata.
type ChoiceKey = (StateID, [u64; 4]);

/// The inputs every search of one run shares.
#[derive(Debug, Clone, Copy)]
pub struct Searcher<'a> {
    pub layout: &'a Layout,
    pub decoder: &'a Decoder,
    pub domain: &'a Domain,
    pub automata: &'a RuleAutomata,
    pub limits: ExploreLimits,
    /// See [`AnalysisLimits::shared_floating`](crate::analysis::regions::AnalysisLimits).
    pub shared_floating: usize,
}

/// A product tuple: domain state, target states, then the live union rules' states as
/// (position in the union, state) pairs, ascending by position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Tuple {
    fixed: Vec<StateID>,
    /// The live rules of which one must match (when the search has such rules).
    within: Vec<(u32, StateID)>,
    union: Vec<(u32, StateID)>,
    /// The floating-literal members of the union, while the subject is read and none
    /// has matched (`None` otherwise).
    floating: Option<FloatingState>,
}

impl Searcher<'_> {
    /// Walk the requests matched by every rule of `target` (and, when `within` is not
    /// empty, by some rule of `within`) against the union of `union`. `budget` is how
    /// many tuples the walk may still visit.
    pub fn search(
        &self,
        target: &[&Rule],
        within: &[&Rule],
        union: &[&Rule],
        stop: Stop,
        budget: usize,
    ) -> Result<SearchResult, LimitHit> {
        let targets = self.dfas(target)?;
        let withins = self.dfas(within)?;
        // A few floating literals are cheaper, and prune better, as DFAs of their own.
        let many = |f: &&FloatingLiterals| {
            union
                .iter()
                .filter(|rule| f.boundaries(rule.index).is_some())
                .nth(self.shared_floating.saturating_sub(1))
                .is_some()
        };
        let floating = self.automata.floating.as_ref().filter(many);
        let is_floating = |rule: &&Rule| floating.and_then(|f| f.boundaries(rule.index));
        let (floating_rules, regular): (Vec<&Rule>, Vec<&Rule>) =
            union.iter().partition(|rule| is_floating(rule).is_some());
        let members = self.dfas(&regular)?;
        let floating_members: Vec<u32> = floating_rules
            .iter()
            .filter_map(|rule| u32::try_from(rule.index).ok())
            .collect();
        let domain_dfa = self.domain.dfa();
        let rule_boundaries = targets
            .iter()
            .chain(&withins)
            .chain(&members)
            .map(|d| d.boundaries)
            .chain(floating_rules.iter().filter_map(is_floating))
            .fold([0u64; 4], |mut all, bits| {
                all.iter_mut()
                    .zip(bits)
                    .for_each(|(word, extra)| *word |= extra);
                all
            });
        let bytes = ByteChoices {
            automata: self.automata,
            domain: domain_dfa,
            rules: rule_boundaries,
        };
        let mut fixed = vec![anchored_start(domain_dfa)?];
        fixed.extend(targets.iter().map(|t| t.start));
        let starts = |dfas: &[&RuleDfa]| -> Vec<(u32, StateID)> {
            dfas.iter().zip(0u32..).map(|(m, i)| (i, m.start)).collect()
        };
        let start = Tuple {
            fixed,
            within: starts(&withins),
            union: starts(&members),
            floating: floating
                .filter(|_| !floating_members.is_empty())
                .map(FloatingLiterals::start),
        };
        let mut walk = Walk {
            domain: domain_dfa,
            order: Order { domain: domain_dfa },
            targets: &targets,
            withins: &withins,
            members: &members,
            floating,
            floating_plain: floating.is_some_and(|f| f.any_plain(&floating_members)),
            floating_members: &floating_members,
            nodes: vec![(0, 0)],
            queue: VecDeque::from([(start.clone(), 0)]),
            antichains: HashMap::new(),
            queued: HashSet::new(),
            budget,
            result: SearchResult::default(),
            free_paths: Vec::new(),
            blocked_paths: Vec::new(),
        };
        walk.remember(&start);
        walk.run(bytes, stop, self.limits.max_states)?;
        let mut result = walk.result;
        result.free = decode_all(self.decoder, &walk.nodes, &walk.free_paths);
        result.blocked = decode_all(self.decoder, &walk.nodes, &walk.blocked_paths);
        Ok(result)
    }

    fn dfas(&self, rules: &[&Rule]) -> Result<Vec<&RuleDfa>, LimitHit> {
        rules
            .iter()
            .map(|rule| self.automata.get(rule, self.layout, &self.limits))
            .collect()
    }
}

fn decode_all(decoder: &Decoder, nodes: &[(u32, u8)], ends: &[u32]) -> Vec<Call> {
    ends.iter()
        .filter_map(|&end| decoder.decode(&path(nodes, end)))
        .collect()
}

fn path(nodes: &[(u32, u8)], mut at: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    while at != 0 {
        let Some(&(parent, byte)) = nodes.get(at as usize) else {
            break;
        };
        bytes.push(byte);
        at = parent;
    }
    bytes.reverse();
    bytes
}

/// The bytes a walk tries from a tuple: one per class of the common refinement of the
/// search's rule automata and of what the domain tells apart *from the tuple's domain
/// state*. The domain's own classes are many (its tool segment excludes every character
/// case folding changes), but from most of its states almost all of them lead to the
/// same state; bytes that every automaton of the tuple maps alike give the same next
/// tuple, so trying one of them is exact and trying them all was most of a walk's cost.
struct ByteChoices<'s> {
    automata: &'s RuleAutomata,
    domain: &'s dense::DFA<Vec<u32>>,
    rules: [u64; 4],
}

impl ByteChoices<'_> {
    /// Memoized for the whole run by [`RuleAutomata`] (searches repeat the same shapes).
    fn from(&self, domain_state: StateID) -> Rc<[u8]> {
        self.automata.choices(self.domain, domain_state, self.rules)
    }
}

/// The within and union sets of a queued tuple, and its floating-literal state.
type Antichained = (
    Vec<(u32, StateID)>,
    Vec<(u32, StateID)>,
    Option<FloatingState>,
);

struct Walk<'s> {
    domain: &'s dense::DFA<Vec<u32>>,
    order: Order<'s>,
    targets: &'s [&'s RuleDfa],
    withins: &'s [&'s RuleDfa],
    members: &'s [&'s RuleDfa],
    floating: Option<&'s FloatingLiterals>,
    /// The union's floating-literal rules (indices in the policy, ascending).
    floating_members: &'s [u32],
    /// Whether one of them has a pattern that needs no `:` after its text.
    floating_plain: bool,
    /// Each visited tuple's predecessor and the byte read from it.
    nodes: Vec<(u32, u8)>,
    queue: VecDeque<(Tuple, u32)>,
    /// (domain and target states) → the union sets already queued with them.
    antichains: HashMap<Vec<StateID>, Vec<Antichained>>,
    /// Every tuple queued, so that the walk ends even where the antichains are full.
    queued: HashSet<Tuple>,
    budget: usize,
    result: SearchResult,
    free_paths: Vec<u32>,
    blocked_paths: Vec<u32>,
}

impl Walk<'_> {
    fn run(
        &mut self,
        choices: ByteChoices<'_>,
        stop: Stop,
        max_states: usize,
    ) -> Result<(), LimitHit> {
        let limit = self.budget.min(max_states);
        // Every step is written into one scratch tuple, and only a new tuple is copied
        // out: most steps lead to a tuple already queued, and allocating three vectors
        // for each of them was a third of a walk.
        let mut next = Tuple {
            fixed: Vec::new(),
            within: Vec::new(),
            union: Vec::new(),
            floating: None,
        };
        while let Some((tuple, node)) = self.queue.pop_front() {
            self.record_final(&tuple, node);
            if stop == Stop::FirstFree && !self.free_paths.is_empty() {
                break;
            }
            let bytes = choices.from(tuple.fixed.first().copied().unwrap_or(StateID::ZERO));
            for &byte in bytes.iter() {
                if !self.step(&tuple, byte, &mut next) || !self.remember(&next) {
                    continue;
                }
                if self.nodes.len() >= limit {
                    self.result.states = self.nodes.len();
                    return Err(if limit < max_states {
                        LimitHit::budget()
                    } else {
                        LimitHit(format!(
                            "one search for it visited more than {max_states} automaton states"
                        ))
                    });
                }
                let id = u32::try_from(self.nodes.len())
                    .map_err(|_| LimitHit("the request space is too large to walk".into()))?;
                self.nodes.push((node, byte));
                self.queue.push_back((next.clone(), id));
            }
        }
        self.result.states = self.nodes.len();
        Ok(())
    }

    /// Writes the tuple after `byte` into `next`; false when the domain or a target
    /// rule is dead (or no rule of `within` is left).
    fn step(&self, tuple: &Tuple, byte: u8, next: &mut Tuple) -> bool {
        let Some((&domain_state, target_states)) = tuple.fixed.split_first() else {
            return false;
        };
        let next_domain = self.domain.next_state(domain_state, byte);
        if self.domain.is_dead_state(next_domain) {
            return false;
        }
        next.fixed.clear();
        next.fixed.push(next_domain);
        for (t, &state) in self.targets.iter().zip(target_states) {
            let after = t.dfa.next_state(state, byte);
            if t.dfa.is_dead_state(after) {
                return false;
            }
            next.fixed.push(after);
        }
        next.within.clear();
        if !self.withins.is_empty() {
            self.step_set(
                &tuple.within,
                self.withins,
                byte,
                next_domain,
                &mut next.within,
            );
            if next.within.is_empty() {
                return false;
            }
        }
        next.union.clear();
        self.step_set(
            &tuple.union,
            self.members,
            byte,
            next_domain,
            &mut next.union,
        );
        let step = match (tuple.floating, self.floating) {
            (Some(state), Some(floating)) if !is_universal(&next.union) => {
                floating.step(state, byte, self.floating_members, self.floating_plain)
            }
            _ => FloatingStep::Ended,
        };
        next.floating = match step {
            FloatingStep::Reading(state) => Some(state),
            FloatingStep::Found => {
                next.union.clear();
                next.union.push((UNIVERSAL, StateID::ZERO));
                None
            }
            FloatingStep::Ended => None,
        };
        true
    }

    /// A set of rule states after `byte`, into `out`: dead rules dropped, and the whole
    /// set replaced by [`UNIVERSAL`] once one rule accepts every completion.
    fn step_set(
        &self,
        set: &[(u32, StateID)],
        dfas: &[&RuleDfa],
        byte: u8,
        next_domain: StateID,
        out: &mut Vec<(u32, StateID)>,
    ) {
        if is_universal(set) {
            out.extend_from_slice(set);
            return;
        }
        for &(i, state) in set {
            let Some(m) = dfas.get(i as usize) else {
                continue;
            };
            let next = m.dfa.next_state(state, byte);
            if m.dfa.is_dead_state(next) {
                continue;
            }
            if self.order.universal(m, next, next_domain) {
                out.clear();
                out.push((UNIVERSAL, StateID::ZERO));
                return;
            }
            out.push((i, next));
        }
    }

    /// Adds `tuple` to its antichain unless a queued tuple with the same domain and
    /// target states has a subset of its union rules (then it is subsumed: false).
    fn remember(&mut self, tuple: &Tuple) -> bool {
        if self.queued.contains(tuple) {
            return false;
        }
        let domain_state = tuple.fixed.first().copied().unwrap_or(StateID::ZERO);
        let (order, members, withins, floating) =
            (self.order, self.members, self.withins, self.floating);
        let subsumes = |(within, union, float): &Antichained| {
            order.subsumes(members, union, &tuple.union, domain_state)
                && (is_universal(&tuple.union)
                    || floating.is_none_or(|f| f.le(*float, tuple.floating)))
                && order.subsumes(withins, &tuple.within, within, domain_state)
        };
        let entry = (tuple.within.clone(), tuple.union.clone(), tuple.floating);
        match self.antichains.get_mut(&tuple.fixed) {
            Some(seen) if seen.iter().any(subsumes) => return false,
            Some(seen) => {
                if seen.len() < MAX_ANTICHAIN {
                    seen.push(entry);
                }
            }
            None => {
                self.antichains.insert(tuple.fixed.clone(), vec![entry]);
            }
        }
        self.queued.insert(tuple.clone());
        true
    }

    fn record_final(&mut self, tuple: &Tuple, node: u32) {
        let Some((&domain_state, target_states)) = tuple.fixed.split_first() else {
            return;
        };
        if !self
            .domain
            .is_match_state(self.domain.next_eoi_state(domain_state))
        {
            return;
        }
        let accepts =
            |d: &RuleDfa, state: StateID| d.dfa.is_match_state(d.dfa.next_eoi_state(state));
        if !self
            .targets
            .iter()
            .zip(target_states)
            .all(|(t, &s)| accepts(t, s))
        {
            return;
        }
        let within = self.withins.is_empty()
            || tuple.within.iter().any(|&(i, s)| {
                i == UNIVERSAL || self.withins.get(i as usize).is_some_and(|m| accepts(m, s))
            });
        if !within {
            return;
        }
        self.result.matchable = true;
        let blocked = tuple.union.iter().any(|&(i, s)| {
            i == UNIVERSAL || self.members.get(i as usize).is_some_and(|m| accepts(m, s))
        });
        let list = if blocked {
            &mut self.blocked_paths
        } else {
            &mut self.free_paths
        };
        if list.len() < MAX_CALLS {
            list.push(node);
        }
    }
}

/// Whether a union has collapsed to "some rule accepts every completion".
pub(super) fn is_universal(set: &[(u32, StateID)]) -> bool {
    set.first().is_some_and(|&(i, _)| i == UNIVERSAL)
}

/// One byte per class of the common refinement of the automata's byte classes (each
/// class is a run of consecutive bytes), ordered by their most readable member so that
/// shortest paths read as `bash:sudo a`, not as control bytes.
fn representatives(domain: [u64; 4], others: impl Iterator<Item = [u64; 4]>) -> Vec<u8> {
    let mut bits = domain;
    for other in others {
        for (word, extra) in bits.iter_mut().zip(other) {
            *word |= extra;
        }
    }
    let mut best: Vec<(u16, u8)> = Vec::new();
    let mut current: Option<(u16, u8)> = None;
    for byte in 0u8..=255 {
        let rank = readability(byte);
        current = match current {
            Some((r, b)) if r <= rank => Some((r, b)),
            _ => Some((rank, byte)),
        };
        let ends = byte == 255
            || bits
                .get(usize::from(byte / 64))
                .is_some_and(|word| word & (1 << (byte % 64)) != 0);
        if ends && let Some(chosen) = current.take() {
            best.push(chosen);
        }
    }
    best.sort_unstable();
    best.into_iter().map(|(_, byte)| byte).collect()
}
