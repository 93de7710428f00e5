//! Building the DFAs from a policy, within explicit size limits, splitting a group of
//! rules in halves when its automaton would exceed them.

use regex_automata::MatchKind;
use regex_automata::dfa::dense;
use regex_syntax::hir::{Hir, Look};

use super::budget::Budget;
use super::candidates::CandidateTable;
use super::dfa::{DfaLimit, DfaSizes, anchored_dfa};
use super::substrings::SubstringDecider;
use super::{
    Automaton, AutomatonFallback, Chunk, DeciderChunk, DeciderDfa, DeciderTable, GatedChunk,
};
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::pattern::{GlobItem, ToolPattern};
use crate::policy::Policy;

/// Size limits for compiling action gates. Determinization is exponential in the worst
/// case (many `*a*b` patterns, or one `*a` followed by 24 `?`); these bound the time and
/// memory the automaton may take. Per chunk: a group past a limit is split in halves,
/// each half with half the budget (never less than 256 KiB), until the parts fit (see the
/// module docs). Per policy: every group draws on two shared pools, the DFAs built
/// (`policy_bytes`) and the attempts that failed (`failed_bytes`); once either is spent,
/// the remaining rules are matched by their globs in rule order (`budget.rs`).
/// Determinization of an exploding set takes about 100 ms per MiB, so the failure pool
/// bounds the time wasted on a hostile policy to about half a second, and in practice
/// far less, since attempts are sized to their group (`pattern_bytes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomatonLimits {
    /// Largest Thompson NFA of one chunk, in bytes.
    pub nfa_bytes: usize,
    /// Most memory determinization of one chunk may use, in bytes.
    pub determinize_bytes: usize,
    /// Largest DFA of one chunk, in bytes (a bundle stores the DFAs as they are).
    pub dfa_bytes: usize,
    /// Most chunks a group may be split into; past it, the remaining rules are matched
    /// by their globs, one by one.
    pub max_chunks: usize,
    /// What one attempt may use per pattern it holds (determinization and DFA), so an
    /// exploding pattern is given up on after kilobytes, not megabytes.
    pub pattern_bytes: usize,
    /// All DFAs of one policy together, in bytes.
    pub policy_bytes: usize,
    /// All failed attempts of one policy together, in bytes: each is charged its limit,
    /// and at least 256 KiB (its fixed cost).
    pub failed_bytes: usize,
}

impl AutomatonLimits {
    pub const DEFAULT: AutomatonLimits = AutomatonLimits {
        nfa_bytes: 32 << 20,
        determinize_bytes: 4 << 20,
        dfa_bytes: 4 << 20,
        max_chunks: 64,
        pattern_bytes: 16 << 10,
        policy_bytes: 256 << 20,
        failed_bytes: 8 << 20,
    };
}

impl Default for AutomatonLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One tool pattern of one rule: the automata are built from patterns, since a rule
/// matches when any of its patterns does and patterns of one rule may have different
/// shapes.
type Entry<'r> = (usize, &'r ToolPattern);

pub(super) fn build(
    policy: &Policy,
    limits: &AutomatonLimits,
) -> (Automaton, Vec<AutomatonFallback>) {
    let mut fallbacks = Vec::new();
    let mut budget = Budget::new(limits);
    let entries = |action_only: bool| -> Vec<Entry<'_>> {
        policy
            .rules
            .iter()
            .filter(|r| r.is_action_only() == action_only)
            .flat_map(|r| r.patterns.iter().map(move |p| (r.index, p)))
            .collect()
    };
    let mut shapes = Shapes::of(&entries(true));
    let (substring_entries, floating): (Vec<Entry<'_>>, Vec<Entry<'_>>) = shapes
        .floating
        .into_iter()
        .partition(|&(_, pattern)| SubstringDecider::accepts(pattern));
    shapes.floating = floating;
    let substrings = SubstringDecider::build(&substring_entries).unwrap_or_else(|reason| {
        fallbacks.push(AutomatonFallback {
            group: "action-only",
            rules: substring_entries.len(),
            chunks: 1,
            reason,
        });
        // Matched by the floating DFAs instead; an empty decider matches nothing.
        shapes.floating.extend(substring_entries.iter().copied());
        shapes.floating.sort_by_key(|&(rule, _)| rule);
        SubstringDecider::empty()
    });
    let decider_tools = shapes
        .by_tool
        .into_iter()
        .map(|(tool, part)| {
            let chunks = build_group(
                "action-only",
                &part,
                limits,
                &mut budget,
                &mut fallbacks,
                build_tool_decider,
            );
            (tool, chunks)
        })
        .collect();
    let deciders = [shapes.other_anchored, shapes.floating]
        .iter()
        .map(|part| {
            build_group(
                "action-only",
                part,
                limits,
                &mut budget,
                &mut fallbacks,
                build_decider,
            )
        })
        .filter(|chunks| !chunks.is_empty())
        .collect();
    let mut gated_shapes = Shapes::of(&entries(false));
    let (gated_substring_entries, gated_floating): (Vec<Entry<'_>>, Vec<Entry<'_>>) = gated_shapes
        .floating
        .into_iter()
        .partition(|&(_, pattern)| SubstringDecider::accepts(pattern));
    gated_shapes.floating = gated_floating;
    let gated_substrings =
        SubstringDecider::build(&gated_substring_entries).unwrap_or_else(|reason| {
            fallbacks.push(AutomatonFallback {
                group: "gated",
                rules: gated_substring_entries.len(),
                chunks: 1,
                reason,
            });
            gated_shapes
                .floating
                .extend(gated_substring_entries.iter().copied());
            gated_shapes.floating.sort_by_key(|&(rule, _)| rule);
            SubstringDecider::empty()
        });
    let gated_tools = gated_shapes
        .by_tool
        .into_iter()
        .map(|(tool, part)| {
            let chunks = build_group(
                "gated",
                &part,
                limits,
                &mut budget,
                &mut fallbacks,
                build_tool_gated,
            );
            (tool, chunks)
        })
        .collect();
    let gated = [gated_shapes.other_anchored, gated_shapes.floating]
        .iter()
        .map(|part| {
            build_group(
                "gated",
                part,
                limits,
                &mut budget,
                &mut fallbacks,
                build_gated,
            )
        })
        .filter(|chunks| !chunks.is_empty())
        .collect();
    (
        Automaton {
            decider_tools: super::tools::ToolTable::new(decider_tools),
            deciders,
            substrings,
            gated_tools: super::tools::ToolTable::new(gated_tools),
            gated,
            gated_substrings,
        },
        merge_fallbacks(fallbacks),
    )
}

/// One report per group kind and cause: a policy of a thousand tools that each hit a
/// limit gets one line, not a thousand.
fn merge_fallbacks(fallbacks: Vec<AutomatonFallback>) -> Vec<AutomatonFallback> {
    let mut merged: Vec<AutomatonFallback> = Vec::new();
    for fallback in fallbacks {
        let spent = fallback.reason == BUDGET_SPENT;
        let same = merged
            .iter_mut()
            .find(|m| m.group == fallback.group && (m.reason == BUDGET_SPENT) == spent);
        match same {
            Some(m) => {
                m.rules += fallback.rules;
                m.chunks += fallback.chunks;
            }
            None => merged.push(fallback),
        }
    }
    merged
}

/// The reason given for rules that were never attempted because a pool was spent.
pub(super) const BUDGET_SPENT: &str = "the policy's automaton budget is spent";

/// Patterns partitioned by shape (see the module docs), each part in rule order.
struct Shapes<'r> {
    /// Patterns whose whole tool segment is literal, by that (folded) tool.
    by_tool: BTreeMap<String, Vec<Entry<'r>>>,
    /// Other patterns that start with a literal (`git*:push`).
    other_anchored: Vec<Entry<'r>>,
    /// Patterns that start with `*`, `?` or a class.
    floating: Vec<Entry<'r>>,
}

impl<'r> Shapes<'r> {
    fn of(entries: &[Entry<'r>]) -> Shapes<'r> {
        let mut shapes = Shapes {
            by_tool: BTreeMap::new(),
            other_anchored: Vec::new(),
            floating: Vec::new(),
        };
        for &(rule, pattern) in entries {
            if let Some(tool) = literal_tool(pattern) {
                shapes
                    .by_tool
                    .entry(tool.to_owned())
                    .or_default()
                    .push((rule, pattern));
            } else if matches!(pattern.glob.items().first(), Some(GlobItem::Literal(_))) {
                shapes.other_anchored.push((rule, pattern));
            } else {
                shapes.floating.push((rule, pattern));
            }
        }
        shapes
    }
}

/// The tool segment of a pattern when it is plain text: every subject the pattern
/// matches then has exactly this (folded) tool segment.
fn literal_tool(pattern: &ToolPattern) -> Option<&str> {
    let (tool, _) = pattern.folded().split_once(':')?;
    (!tool.contains(['*', '?', '['])).then_some(tool)
}

/// Compiles one chunk from some entries (with the bytes its DFA takes), or says which
/// limit it hit.
type CompileOne<T, D> = fn(&[Entry<'_>], &AutomatonLimits) -> Result<(Chunk<T, D>, usize), String>;

/// Compile `rules` as one chunk, or split them in halves until each part fits.
fn build_group<T, D>(
    group: &'static str,
    rules: &[Entry<'_>],
    limits: &AutomatonLimits,
    budget: &mut Budget,
    fallbacks: &mut Vec<AutomatonFallback>,
    compile_one: CompileOne<T, D>,
) -> Vec<Chunk<T, D>> {
    if rules.is_empty() {
        return Vec::new();
    }
    let mut first_error = None;
    let mut chunks = Vec::new();
    let mut attempt = Attempt {
        budget,
        compile_one,
        chunks: &mut chunks,
        first_error: &mut first_error,
    };
    attempt.split_until_fits(rules, limits);
    if let Some(reason) = first_error {
        fallbacks.push(AutomatonFallback {
            group,
            rules: rules.len(),
            chunks: chunks.len(),
            reason,
        });
    }
    chunks
}

/// The state of compiling one group: where its chunks go and what it may spend.
struct Attempt<'a, T, D> {
    budget: &'a mut Budget,
    compile_one: CompileOne<T, D>,
    chunks: &'a mut Vec<Chunk<T, D>>,
    first_error: &'a mut Option<String>,
}

impl<T, D> Attempt<'_, T, D> {
    fn split_until_fits(&mut self, rules: &[Entry<'_>], limits: &AutomatonLimits) {
        // Past the chunk budget, what is left is matched rule by rule: always correct,
        // and bounded, unlike further determinization attempts.
        if self.chunks.len() + 1 >= limits.max_chunks {
            self.chunks.push(Chunk::PerRule(rule_indices(rules)));
            return;
        }
        let Some(attempt) = self.budget.attempt(limits, rules.len()) else {
            self.first_error
                .get_or_insert_with(|| BUDGET_SPENT.to_owned());
            self.chunks.push(Chunk::PerRule(rule_indices(rules)));
            return;
        };
        match (self.compile_one)(rules, &attempt) {
            Ok((chunk, bytes)) => {
                self.budget.charge_success(bytes);
                self.chunks.push(chunk);
            }
            Err(reason) => {
                self.budget.charge_failure(&attempt);
                self.first_error.get_or_insert(reason);
                if rules.len() == 1 {
                    self.chunks.push(Chunk::PerRule(rule_indices(rules)));
                    return;
                }
                // Each half gets half the budget: a failed attempt costs time in
                // proportion to its budget, so the total spent on failures stays about
                // one budget per level of splitting instead of growing with the parts.
                let halved = AutomatonLimits {
                    determinize_bytes: (limits.determinize_bytes / 2).max(MIN_CHUNK_BYTES),
                    dfa_bytes: (limits.dfa_bytes / 2).max(MIN_CHUNK_BYTES),
                    ..limits.clone()
                };
                let (left, right) = rules.split_at(rules.len() / 2);
                self.split_until_fits(left, &halved);
                self.split_until_fits(right, &halved);
            }
        }
    }
}

/// The smallest budget a split part gets.
const MIN_CHUNK_BYTES: usize = 256 << 10;

/// The distinct rules of some entries, ascending (entries are in rule order).
fn rule_indices(entries: &[Entry<'_>]) -> Vec<u32> {
    let mut rules: Vec<u32> = entries.iter().map(|&(rule, _)| index_u32(rule)).collect();
    rules.dedup();
    rules
}

pub(super) fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// A decider DFA whose dense table is at most this large stays dense (see
/// [`super::DeciderDfa`]). Per-tool DFAs of real policies are a few kilobytes; the limit
/// keeps a policy of thousands of tools from growing its bundle tenfold.
pub(super) const DENSE_DECIDER_BYTES: usize = 8 * 1024;

/// Leftmost-first over action-only rules: pattern ids in rule order, so priority is rule
/// order.
fn build_decider(
    entries: &[Entry<'_>],
    limits: &AutomatonLimits,
) -> Result<(DeciderChunk, usize), String> {
    decider_from(entries, limits, |pattern| {
        Some(pattern.glob.to_prefix_hir())
    })
}

/// [`build_decider`] for the patterns of one literal tool, over what follows `tool:` in
/// the subject: the walk starts after the tool segment, which the lookup already matched.
fn build_tool_decider(
    entries: &[Entry<'_>],
    limits: &AutomatonLimits,
) -> Result<(DeciderChunk, usize), String> {
    decider_from(entries, limits, |pattern| {
        let tool = literal_tool(pattern)?;
        pattern.glob.to_prefix_hir_after(tool.len() + 1)
    })
}

fn decider_from(
    entries: &[Entry<'_>],
    limits: &AutomatonLimits,
    prefix_hir: impl Fn(&ToolPattern) -> Option<(Hir, bool)>,
) -> Result<(DeciderChunk, usize), String> {
    let mut hirs = Vec::new();
    let mut rule_of_pattern = Vec::new();
    for &(rule, pattern) in entries {
        let (hir, ends_with_star) = prefix_hir(pattern).ok_or_else(|| {
            format!(
                "the pattern `{}` has no literal tool prefix",
                pattern.folded()
            )
        })?;
        hirs.push(if ends_with_star {
            hir
        } else {
            Hir::concat(vec![hir, Hir::look(Look::End)])
        });
        rule_of_pattern.push(index_u32(rule));
    }
    let dense = compile(&hirs, MatchKind::LeftmostFirst, limits)?;
    let bytes = dense.memory_usage();
    let dfa = if dense.memory_usage() <= DENSE_DECIDER_BYTES {
        DeciderDfa::Dense(Arc::new(dense))
    } else {
        DeciderDfa::Sparse(Arc::new(
            dense
                .to_sparse()
                .map_err(|e| format!("the sparse automaton could not be built ({e})"))?,
        ))
    };
    let chunk = Chunk::Compiled {
        dfa,
        table: DeciderTable { rule_of_pattern },
    };
    Ok((chunk, bytes))
}

/// All-matches over gated rules, every pattern anchored at both ends.
fn build_gated(
    entries: &[Entry<'_>],
    limits: &AutomatonLimits,
) -> Result<(GatedChunk, usize), String> {
    gated_from(entries, limits, |pattern| Some(pattern.glob.to_hir()))
}

/// [`build_gated`] for the patterns of one literal tool, over what follows `tool:`.
fn build_tool_gated(
    entries: &[Entry<'_>],
    limits: &AutomatonLimits,
) -> Result<(GatedChunk, usize), String> {
    gated_from(entries, limits, |pattern| {
        let tool = literal_tool(pattern)?;
        pattern.glob.to_hir_after(tool.len() + 1)
    })
}

fn gated_from(
    entries: &[Entry<'_>],
    limits: &AutomatonLimits,
    hir_of: impl Fn(&ToolPattern) -> Option<Hir>,
) -> Result<(GatedChunk, usize), String> {
    let mut hirs = Vec::new();
    let mut rule_of_pattern = Vec::new();
    for &(rule, pattern) in entries {
        let hir = hir_of(pattern).ok_or_else(|| {
            format!(
                "the pattern `{}` has no literal tool prefix",
                pattern.folded()
            )
        })?;
        hirs.push(Hir::concat(vec![hir, Hir::look(Look::End)]));
        rule_of_pattern.push(index_u32(rule));
    }
    let first_rule = entries
        .first()
        .map_or(u32::MAX, |&(rule, _)| index_u32(rule));
    let dfa = compile(&hirs, MatchKind::All, limits)?;
    let table = CandidateTable::explore(&dfa, &rule_of_pattern, first_rule, limits.dfa_bytes)?;
    let bytes = dfa.memory_usage() + table.memory_usage();
    let chunk = Chunk::Compiled {
        dfa: Arc::new(dfa),
        table,
    };
    Ok((chunk, bytes))
}

fn compile(
    hirs: &[Hir],
    kind: MatchKind,
    limits: &AutomatonLimits,
) -> Result<dense::DFA<Vec<u32>>, String> {
    let sizes = DfaSizes {
        nfa_bytes: limits.nfa_bytes,
        determinize_bytes: limits.determinize_bytes,
        dfa_bytes: limits.dfa_bytes,
    };
    anchored_dfa(hirs, kind, &sizes).map_err(|limit| match limit {
        DfaLimit::Nfa(e) => format!("the pattern automaton is too large ({e})"),
        DfaLimit::Determinize(e) => format!("determinization exceeded its limit ({e})"),
    })
}
