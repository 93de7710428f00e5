//! An on-the-fly product of small automata: the exact search behind `guardc diff` and
//! the invariant proofs of `guardc test`.
//!
//! Each language (one per distinct rule, plus an invariant's patterns) is compiled to
//! its own small DFA; the search walks the tuple of their states together with the
//! domain's DFA, breadth-first, so the first request found for each class is a shortest
//! one. Nothing is ever determinized as a union: the product is explored only as far as
//! it is reachable, and only while some *focus* language (a changed rule, the
//! invariant's patterns) can still match, since requests no focus language matches
//! cannot answer the question. The walk is bounded by a documented budget of product
//! states; past it the caller gets an error naming the limit, never a partial answer
//! presented as complete.

use std::collections::{HashMap, HashSet, VecDeque};

use regex_automata::dfa::{Automaton as _, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, MatchKind, util::start};
use regex_syntax::hir::Hir;

use crate::analysis::regions::{readable_byte_order, request_domain};
use crate::automaton::{DfaLimit, DfaSizes, anchored_dfa};

/// The budget of one product search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductLimits {
    /// Largest DFA of one language, in bytes.
    pub language_dfa_bytes: usize,
    /// Most product states the walk may visit.
    pub max_states: usize,
}

impl ProductLimits {
    pub const DEFAULT: ProductLimits = ProductLimits {
        language_dfa_bytes: 8 << 20,
        max_states: 200_000,
    };
}

impl Default for ProductLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A class of requests the search reached: which languages match all of them, and the
/// shortest encoded request of the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Indices of the matching languages, ascending.
    pub matching: Vec<usize>,
    pub path: Vec<u8>,
}

/// Every class of requests some focus language matches, shortest request first.
pub fn classes(
    languages: &[Hir],
    focus: &[usize],
    condition_keys: usize,
    limits: &ProductLimits,
) -> Result<Vec<Class>, String> {
    let domain = compile(&request_domain(condition_keys), limits)?;
    let dfas: Vec<dense::DFA<Vec<u32>>> = languages
        .iter()
        .map(|hir| compile(hir, limits))
        .collect::<Result<_, _>>()?;
    Walk::new(&domain, &dfas, focus, limits.max_states)?.run()
}

fn compile(hir: &Hir, limits: &ProductLimits) -> Result<dense::DFA<Vec<u32>>, String> {
    let sizes = DfaSizes {
        nfa_bytes: limits.language_dfa_bytes.saturating_mul(4),
        determinize_bytes: limits.language_dfa_bytes.saturating_mul(2),
        dfa_bytes: limits.language_dfa_bytes,
    };
    anchored_dfa(&[hir], MatchKind::All, &sizes).map_err(|limit| match limit {
        DfaLimit::Nfa(e) => format!("a rule's automaton is too large ({e})"),
        DfaLimit::Determinize(e) => format!("a rule's automaton exceeded its limit ({e})"),
    })
}

struct Walk<'a> {
    domain: &'a dense::DFA<Vec<u32>>,
    dfas: &'a [dense::DFA<Vec<u32>>],
    focus: &'a [usize],
    representatives: Vec<u8>,
    max_states: usize,
    /// Product state (domain state first) → node.
    seen: HashMap<Vec<StateID>, u32>,
    /// Predecessor and byte of each node.
    nodes: Vec<(u32, u8)>,
    queue: VecDeque<(Vec<StateID>, u32)>,
    recorded: HashSet<Vec<usize>>,
    out: Vec<Class>,
}

impl<'a> Walk<'a> {
    fn new(
        domain: &'a dense::DFA<Vec<u32>>,
        dfas: &'a [dense::DFA<Vec<u32>>],
        focus: &'a [usize],
        max_states: usize,
    ) -> Result<Walk<'a>, String> {
        let anchored = start::Config::new().anchored(Anchored::Yes);
        let no_start = |e| format!("an automaton has no start state ({e})");
        let mut state = vec![domain.start_state(&anchored).map_err(no_start)?];
        for dfa in dfas {
            state.push(dfa.start_state(&anchored).map_err(no_start)?);
        }
        Ok(Walk {
            domain,
            dfas,
            focus,
            representatives: representatives(domain, dfas),
            max_states,
            seen: HashMap::from([(state.clone(), 0)]),
            nodes: vec![(0, 0)],
            queue: VecDeque::from([(state, 0)]),
            recorded: HashSet::new(),
            out: Vec::new(),
        })
    }

    fn run(mut self) -> Result<Vec<Class>, String> {
        while let Some((state, node)) = self.queue.pop_front() {
            if !self.focus_alive(&state) {
                continue;
            }
            self.record(&state, node);
            for index in 0..self.representatives.len() {
                let byte = self.representatives.get(index).copied().unwrap_or(0);
                self.step(&state, node, byte)?;
            }
        }
        Ok(self.out)
    }

    /// Whether some focus language can still match a continuation.
    fn focus_alive(&self, state: &[StateID]) -> bool {
        self.focus
            .iter()
            .any(|&f| match (self.dfas.get(f), state.get(f + 1)) {
                (Some(dfa), Some(&s)) => !dfa.is_dead_state(s),
                _ => false,
            })
    }

    fn step(&mut self, state: &[StateID], node: u32, byte: u8) -> Result<(), String> {
        let mut next = Vec::with_capacity(state.len());
        let domain_next = self
            .domain
            .next_state(state.first().copied().unwrap_or_default(), byte);
        if self.domain.is_dead_state(domain_next) {
            return Ok(());
        }
        next.push(domain_next);
        for (dfa, &s) in self.dfas.iter().zip(state.iter().skip(1)) {
            next.push(dfa.next_state(s, byte));
        }
        if self.seen.contains_key(&next) {
            return Ok(());
        }
        if self.nodes.len() >= self.max_states {
            return Err(format!(
                "the compared request space has more than {} product states",
                self.max_states
            ));
        }
        let id = u32::try_from(self.nodes.len())
            .map_err(|_| "the compared request space is too large to walk".to_owned())?;
        self.nodes.push((node, byte));
        self.seen.insert(next.clone(), id);
        self.queue.push_back((next, id));
        Ok(())
    }

    /// Records the state's class if a whole request ends here and a focus language
    /// matches it; only the first (shortest) request of each class is kept.
    fn record(&mut self, state: &[StateID], node: u32) {
        let domain_state = state.first().copied().unwrap_or_default();
        if !self
            .domain
            .is_match_state(self.domain.next_eoi_state(domain_state))
        {
            return;
        }
        let matching: Vec<usize> = self
            .dfas
            .iter()
            .zip(state.iter().skip(1))
            .enumerate()
            .filter(|(_, (dfa, s))| dfa.is_match_state(dfa.next_eoi_state(**s)))
            .map(|(index, _)| index)
            .collect();
        if !self.focus.iter().any(|f| matching.contains(f)) {
            return;
        }
        if self.recorded.insert(matching.clone()) {
            let path = self.path(node);
            self.out.push(Class { matching, path });
        }
    }

    fn path(&self, mut at: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        while at != 0 {
            let Some(&(parent, byte)) = self.nodes.get(at as usize) else {
                break;
            };
            bytes.push(byte);
            at = parent;
        }
        bytes.reverse();
        bytes
    }
}

/// One byte per class of the common refinement of every automaton's byte classes, most
/// readable first (the same order the analyzer's witnesses use).
fn representatives(domain: &dense::DFA<Vec<u32>>, dfas: &[dense::DFA<Vec<u32>>]) -> Vec<u8> {
    let mut taken = HashSet::new();
    readable_byte_order()
        .filter(|&byte| {
            let key: Vec<u8> = std::iter::once(domain.byte_classes().get(byte))
                .chain(dfas.iter().map(|d| d.byte_classes().get(byte)))
                .collect();
            taken.insert(key)
        })
        .collect()
}
