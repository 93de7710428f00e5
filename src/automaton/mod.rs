//! The decision automaton: every rule's action gate compiled into DFAs that read the
//! folded subject once.
//!
//! Two kinds of DFA, because the two kinds of rules need different answers:
//!
//! - **Decider DFAs** hold the patterns of *action-only* rules (no clients, projects,
//!   resources or conditions). Such a rule decides every subject it matches, so only the
//!   first one matters. The DFA is built with leftmost-first priority in rule order, which
//!   is exactly "the lowest rule index whose pattern matches". Patterns that end in `*`
//!   are compiled without the trailing `.*` and without an end anchor: once such a
//!   pattern has matched a prefix it matches every extension, so the DFA may report it at
//!   once, and leftmost-first determinization then drops every lower-priority thread.
//!   That pruning is what keeps policies with many `*substring*` rules from blowing up:
//!   the states track only the rules still able to win, not every subset of rules seen.
//! - **Gated DFAs** hold the patterns of the remaining rules with all-matches semantics;
//!   each final state maps to the sorted list of gated rules whose action gate matched.
//!   Only those rules' other gates are then checked, in order, and only those before the
//!   decider's rule.
//!
//! Within each kind, rules are partitioned by the *shape* of their patterns: patterns that
//! start with a literal (`github:list_*`, anchored at a tool) and patterns that start
//! with `*` (floating, `*delete*`). In one DFA the two multiply (every trie position of
//! the anchored patterns would also carry the substring-search progress of the floating
//! ones); in two DFAs each stays small. The first match of a policy is the minimum of the
//! first matches of the parts, so the partition changes nothing but size. Anchored
//! decider patterns whose whole tool segment is literal (the common `github:list_*`) are
//! further grouped by that tool: a call looks its folded tool up (one hash lookup in
//! `tools.rs`; a bundle stores the hash table itself, read in place) and walks only that tool's DFA, so the
//! automaton a call walks does not grow with the number of tools in the policy. Floating
//! `*literal*` patterns, the one shape whose leftmost-first DFA grows quadratically, go to
//! an Aho-Corasick automaton instead (`substrings.rs`). A decider DFA is kept dense (one
//! table read per byte) up to 8 KiB and stored sparse (only the transitions that exist)
//! past that, where the dense table would make bundles much larger; gated DFAs stay dense
//! because their final states index the candidate table.
//!
//! All are anchored, built from HIR made directly from the glob AST
//! ([`crate::pattern::Glob::to_hir`]), and bounded by [`AutomatonLimits`]. Normally each
//! part is one DFA. When determinization of a group hits a limit (adversarial pattern
//! sets), the group is split in two halves by rule order and each half is compiled on its
//! own, recursively: the result is a short list of *chunks*, each a contiguous range of
//! rules, walked in rule order. Priority is preserved because chunks are ordered, so the
//! first chunk with a match holds the first matching rule. A single rule that still does
//! not fit is matched by its glob. All groups draw on one policy-wide budget
//! (`budget.rs`), so a policy of many small exploding groups cannot multiply the cost;
//! rules past a spent budget are matched by their globs. Splitting is reported, never
//! silent.

mod budget;
mod build;
mod candidates;
mod dfa;
mod serialize;
mod substrings;
mod tools;
mod walk;

pub use build::AutomatonLimits;
pub use dfa::{DfaLimit, DfaSizes, anchored_dfa};
pub use serialize::AutomatonDecodeError;

use std::sync::Arc;

use regex_automata::dfa::{dense, sparse};

use crate::pattern::FoldedSubject;
use crate::policy::{Policy, Rule};

/// The compiled action gates of a policy.
#[derive(Debug, Clone)]
pub struct Automaton {
    /// Action-only patterns with a literal tool segment, by folded tool (sorted, for
    /// the bundle; looked up by hash): a call only walks the DFAs of its own tool.
    decider_tools: tools::ToolTable<DeciderChunk>,
    /// Other action-only patterns: per shape part, its chunks in rule order.
    deciders: Vec<Vec<DeciderChunk>>,
    /// Action-only `*literal*` and `*` patterns.
    substrings: substrings::SubstringDecider,
    /// Gated patterns with a literal tool segment, by folded tool (sorted).
    gated_tools: tools::ToolTable<GatedChunk>,
    /// Other gated patterns: per shape part, its chunks in rule order.
    gated: Vec<Vec<GatedChunk>>,
    /// Gated `*literal*` and `*` patterns.
    gated_substrings: substrings::SubstringDecider,
}

type DeciderChunk = Chunk<DeciderTable, DeciderDfa>;

/// A leftmost-first DFA over action-only rules. Dense when small: a dense transition is
/// one table read, a sparse one a scan of the state's ranges, and the decision walks one
/// transition per subject byte. Sparse past [`build::DENSE_DECIDER_BYTES`], where the
/// dense table would make bundles (and so their loading) much larger.
///
/// Both are shared (`Arc`): a bundle stores each distinct DFA once, and tools with the
/// same method patterns in the same order share it when the bundle is read.
#[derive(Debug, Clone)]
enum DeciderDfa {
    Dense(Arc<dense::DFA<Vec<u32>>>),
    Sparse(Arc<sparse::DFA<Vec<u8>>>),
}

impl DeciderDfa {
    fn memory_usage(&self) -> usize {
        match self {
            DeciderDfa::Dense(dfa) => dfa.memory_usage(),
            DeciderDfa::Sparse(dfa) => dfa.memory_usage(),
        }
    }
}
type GatedChunk = Chunk<candidates::CandidateTable, Arc<dense::DFA<Vec<u32>>>>;

/// A contiguous run (by rule order) of the rules of one part, compiled or, for a rule
/// too large for the limits, matched by its glob.
#[derive(Debug, Clone)]
enum Chunk<T, D> {
    Compiled {
        dfa: D,
        table: T,
    },
    /// The rule indices of the chunk, tried one by one with their globs.
    PerRule(Vec<u32>),
}

/// Maps a decider DFA's pattern ids to rule indices.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeciderTable {
    rule_of_pattern: Vec<u32>,
}

/// A group of rules whose automaton hit a limit and was split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomatonFallback {
    /// `action-only` or `gated`.
    pub group: &'static str,
    /// How many rules the group has.
    pub rules: usize,
    /// Into how many automata (or per-rule matchers) it was split.
    pub chunks: usize,
    /// The first limit that was hit.
    pub reason: String,
}

/// Gated rules whose action gate matched, ascending: a slice of a precomputed table for
/// a compiled chunk, or the rules of a per-rule chunk (whose action gates the evaluator
/// checks itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatedMatches<'a> {
    Matched(&'a [u32]),
    Unfiltered(&'a [u32]),
}

/// One stream of gated rules (see [`Automaton::gated_parts`]): its chunks, and whether
/// they are a tool's own (whose DFAs read only what follows `tool:`).
#[derive(Debug, Clone, Copy)]
pub struct GatedPart<'a> {
    chunks: &'a [GatedChunk],
    own_tool: bool,
}

impl Automaton {
    /// The gated rules with a substring pattern that matches the call, ascending. This
    /// allocates (gated rules are checked one by one anyway); empty when there are none.
    pub fn gated_substring_matches(&self, subject: &FoldedSubject) -> Vec<u32> {
        if self.gated_substrings.is_empty() {
            return Vec::new();
        }
        self.gated_substrings.all_matches(subject.as_bytes())
    }
}

impl Automaton {
    /// Whether any rule is gated (has clients, projects, resources or conditions). A
    /// policy of action-only rules then decides by [`Self::first_action_only`] alone,
    /// without setting up the gated search (a tool lookup, an empty substring scan).
    pub fn has_gated(&self) -> bool {
        !self.gated.is_empty() || self.gated_tools.len() > 0 || !self.gated_substrings.is_empty()
    }
}

impl GatedPart<'_> {
    /// Calls `visit` with the matching gated rules of each chunk, in rule order, until it
    /// returns `false` or a chunk starts at or after `before`.
    pub fn for_each_match(
        &self,
        subject: &FoldedSubject,
        before: usize,
        visit: impl FnMut(GatedMatches<'_>) -> bool,
    ) {
        let input = if self.own_tool {
            subject.after_tool()
        } else {
            subject.as_bytes()
        };
        walk::for_each_gated_match(self.chunks, input, before, visit);
    }
}

impl Automaton {
    /// Compile a policy's action gates within `limits`. Never fails: a group that hits a
    /// limit is split, and the split is reported in the returned fallbacks.
    pub fn build(policy: &Policy, limits: &AutomatonLimits) -> (Automaton, Vec<AutomatonFallback>) {
        build::build(policy, limits)
    }

    /// The first action-only rule whose action gate matches the call. `rule` finds a
    /// rule by index (only rules matched by their globs, past an automaton limit, are
    /// looked up).
    pub fn first_action_only<'p>(
        &self,
        rule: &dyn Fn(usize) -> Option<&'p Rule>,
        subject: &FoldedSubject,
    ) -> Option<usize> {
        walk::first_action_only(self, rule, subject)
    }

    /// The gated parts a call must look at: its own tool's part, if any, and the parts
    /// of patterns without a literal tool. Each is a stream of ascending rule indices.
    pub fn gated_parts(&self, subject: &FoldedSubject) -> impl Iterator<Item = GatedPart<'_>> {
        let own_tool = self.gated_tools.get(subject.tool_segment());
        let own = own_tool.into_iter().map(|chunks| GatedPart {
            chunks,
            own_tool: true,
        });
        let shared = self.gated.iter().map(|chunks| GatedPart {
            chunks,
            own_tool: false,
        });
        own.chain(shared)
    }

    /// Every action-only chunk: the shared parts, then each tool's.
    fn decider_chunks(&self) -> impl Iterator<Item = &DeciderChunk> {
        let by_tool = self.decider_tools.entries().into_iter().map(|(_, c)| c);
        self.deciders
            .iter()
            .map(Vec::as_slice)
            .chain(by_tool)
            .flatten()
    }

    /// Every gated chunk: the shared parts, then each tool's.
    fn gated_chunks(&self) -> impl Iterator<Item = &GatedChunk> {
        let by_tool = self.gated_tools.entries().into_iter().map(|(_, c)| c);
        self.gated
            .iter()
            .map(Vec::as_slice)
            .chain(by_tool)
            .flatten()
    }

    /// Memory held by the DFAs and tables, in bytes.
    pub fn memory_usage(&self) -> usize {
        let deciders: usize = self
            .decider_chunks()
            .map(|c| match c {
                Chunk::Compiled { dfa, table } => {
                    dfa.memory_usage() + table.rule_of_pattern.len() * 4
                }
                Chunk::PerRule(rules) => rules.len() * 4,
            })
            .sum();
        let gated: usize = self
            .gated_chunks()
            .map(|c| match c {
                Chunk::Compiled { dfa, table } => dfa.memory_usage() + table.memory_usage(),
                Chunk::PerRule(rules) => rules.len() * 4,
            })
            .sum();
        deciders + gated + self.substrings.memory_usage() + self.gated_substrings.memory_usage()
    }

    /// A one-line description for `guardc inspect`.
    pub fn describe(&self) -> String {
        let deciders: Vec<Option<usize>> = self
            .decider_chunks()
            .map(|c| match c {
                Chunk::Compiled { dfa, .. } => Some(dfa.memory_usage()),
                Chunk::PerRule(_) => None,
            })
            .collect();
        let gated: Vec<Option<usize>> = self
            .gated_chunks()
            .map(|c| match c {
                Chunk::Compiled { dfa, .. } => Some(dfa.memory_usage()),
                Chunk::PerRule(_) => None,
            })
            .collect();
        format!(
            "action-only rules: {} for {} tools (dense up to 8 KiB, else sparse), {} substring \
             patterns (Aho-Corasick); \
             gated rules: {} (dense)",
            describe_chunks(&deciders),
            self.decider_tools.len(),
            self.substrings.literals.len(),
            describe_chunks(&gated)
        )
    }

    /// Serialize for the bundle (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        serialize::to_bytes(self)
    }

    /// Deserialize from bundle bytes (copied once; see [`Self::from_shared`]).
    pub fn from_bytes(bytes: &[u8], rule_count: usize) -> Result<Automaton, AutomatonDecodeError> {
        let body: Arc<[u8]> = Arc::from(bytes);
        serialize::from_shared(&body, 0..body.len(), rule_count)
    }

    /// Deserialize the automaton section at `range` of a bundle body, keeping the body:
    /// the DFAs are checked by regex-automata and the shared tables against the policy's
    /// rule count now; each tool's part is decoded (and checked) when first looked up.
    pub fn from_shared(
        body: &Arc<[u8]>,
        range: std::ops::Range<usize>,
        rule_count: usize,
    ) -> Result<Automaton, AutomatonDecodeError> {
        serialize::from_shared(body, range, rule_count)
    }

    /// Whether a per-tool part read from a bundle failed to decode when first used.
    pub fn is_corrupt(&self) -> bool {
        self.decider_tools.is_corrupt() || self.gated_tools.is_corrupt()
    }

    /// Decode and check every per-tool part now (`guardc inspect`).
    pub fn validate(&self) -> Result<(), AutomatonDecodeError> {
        self.decider_tools.validate()?;
        self.gated_tools.validate()
    }
}

fn describe_chunks(chunks: &[Option<usize>]) -> String {
    if chunks.is_empty() {
        return "none".to_owned();
    }
    let compiled: Vec<usize> = chunks.iter().flatten().copied().collect();
    let per_rule = chunks.len() - compiled.len();
    let total: usize = compiled.iter().sum();
    let mut text = format!("{} DFA(s), {total} bytes", compiled.len());
    if per_rule > 0 {
        text.push_str(&format!(", {per_rule} rule(s) matched by glob"));
    }
    text
}
