//! The one way guardc turns regular languages into a DFA it can walk: anchored, no
//! captures, no acceleration or specialized start states (walkers read states one byte
//! at a time and never search), within explicit size limits. The decision automaton and
//! every analysis search build their DFAs here, so the configuration cannot drift
//! between them; each caller words the limit it hit for its own users.

use std::borrow::Borrow;

use regex_automata::MatchKind;
use regex_automata::dfa::{StartKind, dense};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_syntax::hir::Hir;

/// Size limits of one DFA construction, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DfaSizes {
    pub nfa_bytes: usize,
    pub determinize_bytes: usize,
    pub dfa_bytes: usize,
}

/// Which limit stopped a construction, with regex-automata's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DfaLimit {
    /// The Thompson NFA exceeded `nfa_bytes`.
    Nfa(String),
    /// Determinization exceeded `determinize_bytes` or `dfa_bytes`.
    Determinize(String),
}

/// An anchored dense DFA of `hirs` (pattern `i` is `hirs[i]`) with `kind` semantics.
pub fn anchored_dfa<H: Borrow<Hir>>(
    hirs: &[H],
    kind: MatchKind,
    sizes: &DfaSizes,
) -> Result<dense::DFA<Vec<u32>>, DfaLimit> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(sizes.nfa_bytes))
                .which_captures(WhichCaptures::None),
        )
        .build_many_from_hir(hirs)
        .map_err(|e| DfaLimit::Nfa(e.to_string()))?;
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(kind)
                .start_kind(StartKind::Anchored)
                .accelerate(false)
                .specialize_start_states(false)
                .dfa_size_limit(Some(sizes.dfa_bytes))
                .determinize_size_limit(Some(sizes.determinize_bytes)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| DfaLimit::Determinize(e.to_string()))
}
