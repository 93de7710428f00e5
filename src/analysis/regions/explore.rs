//! One determinization: every rule's language in one multi-pattern DFA, and a
//! breadth-first walk over its reachable states in lockstep with the domain's DFA.
//!
//! The DFA is dense, anchored and built with all-matches semantics, so the state reached
//! after a whole encoded request knows *every* pattern that matches it. Each reachable
//! pair of states at which the domain accepts the end of input is a *final state*: a
//! class of requests that every rule treats alike. The walk records, for each one, the
//! set of rules matching there and a shortest path from the start (predecessor links),
//! which decodes to a witness request. The DFA is not minimized (minimization costs more
//! than it saves here), so several states can hold the same rule set; only the first
//! (shortest) of them is kept, which makes "one final state" mean "one set of matching
//! rules", the class every question is about.
//!
//! The walk chooses one byte per class of the two automata's common byte classes,
//! preferring `a-z`, then `0-9`, then other printable ASCII, so that shortest paths read
//! as `bash:sudo a`, not as control bytes. The domain's DFA prunes every path from which
//! no request can be completed (an upper-case tool letter, invalid UTF-8): those states
//! are never visited.

use std::collections::{HashMap, HashSet, VecDeque};

use regex_automata::dfa::{Automaton as _, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, MatchKind, util::start};
use regex_syntax::hir::Hir;

use super::domain::readable_byte_order;
use crate::automaton::{DfaLimit, DfaSizes, anchored_dfa};

/// The size limits of one determinization and walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExploreLimits {
    pub nfa_bytes: usize,
    pub determinize_bytes: usize,
    pub dfa_bytes: usize,
    /// Most reachable states the walk may visit.
    pub max_states: usize,
}

/// Which limit stopped a determinization or walk, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitHit(pub String);

/// The words of a walk stopped by the budget its caller gave it (the caller knows which
/// budget that was and says so).
const BUDGET_SPENT: &str = "the analysis budget is spent";

impl ExploreLimits {
    /// The sizes of one DFA construction within these limits.
    pub fn sizes(&self) -> DfaSizes {
        DfaSizes {
            nfa_bytes: self.nfa_bytes,
            determinize_bytes: self.determinize_bytes,
            dfa_bytes: self.dfa_bytes,
        }
    }
}

impl LimitHit {
    pub fn budget() -> LimitHit {
        LimitHit(BUDGET_SPENT.to_owned())
    }

    /// Whether the walk stopped on its caller's budget rather than a size limit.
    pub fn is_budget(&self) -> bool {
        self.0 == BUDGET_SPENT
    }
}

/// The reachable final states of one automaton.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// The walk's tree: each visited state's predecessor and the byte read from it.
    nodes: Vec<Node>,
    pub finals: Vec<Final>,
    /// States visited.
    pub states: usize,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    parent: u32,
    byte: u8,
}

/// A class of requests: every rule in `rules` matches all of them, no other rule any.
#[derive(Debug, Clone)]
pub struct Final {
    node: u32,
    /// Rule indices (as given to [`explore`]), ascending.
    pub rules: Box<[u32]>,
}

impl Exploration {
    /// The shortest encoded request reaching `final_state`.
    pub fn path(&self, final_state: &Final) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut at = final_state.node;
        while at != 0 {
            let Some(node) = self.nodes.get(at as usize) else {
                break;
            };
            bytes.push(node.byte);
            at = node.parent;
        }
        bytes.reverse();
        bytes
    }
}

/// The domain, compiled once and shared by every exploration of one policy.
#[derive(Debug, Clone)]
pub struct Domain {
    dfa: dense::DFA<Vec<u32>>,
}

impl Domain {
    /// The domain's DFA (anchored, all matches).
    pub fn dfa(&self) -> &dense::DFA<Vec<u32>> {
        &self.dfa
    }

    pub fn new(hir: &Hir, limits: &ExploreLimits) -> Result<Domain, LimitHit> {
        Ok(Domain {
            dfa: compile(&[hir], limits)?,
        })
    }
}

/// Build the DFA of `rules` (each a rule index and its language) and walk it in
/// lockstep with the domain. Walk states are pairs (rule state, domain state): the rule
/// automaton does not contain the domain, so both are needed to know the future.
pub fn explore(
    rules: &[(u32, Hir)],
    domain: &Domain,
    limits: &ExploreLimits,
) -> Result<Exploration, LimitHit> {
    let hirs: Vec<&Hir> = rules.iter().map(|(_, hir)| hir).collect();
    let dfa = compile(&hirs, limits)?;
    let rule_of_pattern: Vec<u32> = rules.iter().map(|&(rule, _)| rule).collect();
    Walk::new(&dfa, &domain.dfa, &rule_of_pattern, limits.max_states)?.run()
}

fn compile(hirs: &[&Hir], limits: &ExploreLimits) -> Result<dense::DFA<Vec<u32>>, LimitHit> {
    anchored_dfa(hirs, MatchKind::All, &limits.sizes()).map_err(|limit| match limit {
        DfaLimit::Nfa(e) => LimitHit(format!("the request automaton is too large ({e})")),
        DfaLimit::Determinize(e) => LimitHit(format!("determinization exceeded its limit ({e})")),
    })
}

/// The state of one breadth-first walk.
struct Walk<'a> {
    dfa: &'a dense::DFA<Vec<u32>>,
    domain: &'a dense::DFA<Vec<u32>>,
    rule_of_pattern: &'a [u32],
    /// One byte per class of the common refinement of both automata's byte classes,
    /// most readable first.
    representatives: Vec<u8>,
    max_states: usize,
    seen: HashMap<(StateID, StateID), u32>,
    /// Rule sets already recorded: two states with the same set are one class.
    sets: HashSet<Box<[u32]>>,
    queue: VecDeque<(StateID, StateID, u32)>,
    out: Exploration,
}

impl<'a> Walk<'a> {
    fn new(
        dfa: &'a dense::DFA<Vec<u32>>,
        domain: &'a dense::DFA<Vec<u32>>,
        rule_of_pattern: &'a [u32],
        max_states: usize,
    ) -> Result<Walk<'a>, LimitHit> {
        let anchored = start::Config::new().anchored(Anchored::Yes);
        let no_start = |e| LimitHit(format!("the request automaton has no start state ({e})"));
        let start = dfa.start_state(&anchored).map_err(no_start)?;
        let domain_start = domain.start_state(&anchored).map_err(no_start)?;
        Ok(Walk {
            dfa,
            domain,
            rule_of_pattern,
            representatives: readable_representatives(dfa, domain),
            max_states,
            seen: HashMap::from([((start, domain_start), 0)]),
            sets: HashSet::new(),
            queue: VecDeque::from([(start, domain_start, 0)]),
            out: Exploration {
                nodes: vec![Node { parent: 0, byte: 0 }],
                finals: Vec::new(),
                states: 0,
            },
        })
    }

    fn run(mut self) -> Result<Exploration, LimitHit> {
        while let Some((state, domain_state, node)) = self.queue.pop_front() {
            self.record_final(state, domain_state, node);
            for index in 0..self.representatives.len() {
                let byte = self.representatives.get(index).copied().unwrap_or(0);
                self.step(state, domain_state, node, byte)?;
            }
        }
        self.out.states = self.out.nodes.len();
        Ok(self.out)
    }

    fn step(
        &mut self,
        state: StateID,
        domain_state: StateID,
        node: u32,
        byte: u8,
    ) -> Result<(), LimitHit> {
        let next_domain = self.domain.next_state(domain_state, byte);
        if self.domain.is_dead_state(next_domain) {
            return Ok(());
        }
        let next = self.dfa.next_state(state, byte);
        if self.seen.contains_key(&(next, next_domain)) {
            return Ok(());
        }
        if self.out.nodes.len() >= self.max_states {
            return Err(LimitHit(format!(
                "the request space has more than {} automaton states",
                self.max_states
            )));
        }
        let id = u32::try_from(self.out.nodes.len())
            .map_err(|_| LimitHit("the request space is too large to walk".into()))?;
        self.out.nodes.push(Node { parent: node, byte });
        self.seen.insert((next, next_domain), id);
        self.queue.push_back((next, next_domain, id));
        Ok(())
    }

    /// Records the state as a final state if a whole request ends there. A dead rule
    /// state still ends requests (those no rule matches).
    fn record_final(&mut self, state: StateID, domain_state: StateID, node: u32) {
        if !self
            .domain
            .is_match_state(self.domain.next_eoi_state(domain_state))
        {
            return;
        }
        let eoi = self.dfa.next_eoi_state(state);
        let mut rules: Vec<u32> = if self.dfa.is_match_state(eoi) {
            (0..self.dfa.match_len(eoi))
                .filter_map(|i| {
                    self.rule_of_pattern
                        .get(self.dfa.match_pattern(eoi, i).as_usize())
                        .copied()
                })
                .collect()
        } else {
            Vec::new()
        };
        rules.sort_unstable();
        rules.dedup();
        let rules = rules.into_boxed_slice();
        if self.sets.insert(rules.clone()) {
            self.out.finals.push(Final { node, rules });
        }
    }
}

/// One byte per class of the common refinement of both automata's byte classes (two
/// bytes are interchangeable only if neither automaton tells them apart), the classes
/// ordered by their most readable member.
fn readable_representatives(dfa: &dense::DFA<Vec<u32>>, domain: &dense::DFA<Vec<u32>>) -> Vec<u8> {
    let (ours, theirs) = (dfa.byte_classes(), domain.byte_classes());
    let mut taken = HashSet::new();
    readable_byte_order()
        .filter(|&byte| taken.insert((ours.get(byte), theirs.get(byte))))
        .collect()
}
