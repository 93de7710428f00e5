//! The exact part of the per-rule engine: one small automaton over a rule and the union
//! of some earlier rules, walked completely.
//!
//! The automaton has two patterns, the rule and the (suffix-factored) union, and the
//! walk classifies every class of requests the rule matches as *free* (no rule of the
//! union matches it) or *blocked*. No class at all means the rule is unmatchable; no
//! free class means the union covers it. These are proofs, not samples: the walk visits
//! every reachable state of the automaton.

use super::union::union_hir;
use crate::analysis::regions::Call;
use crate::analysis::regions::decode::Decoder;
use crate::analysis::regions::encode::{Layout, rule_language};
use crate::analysis::regions::explore::{Domain, ExploreLimits, LimitHit, explore};
use crate::policy::Rule;

/// The pattern id standing for "some rule of the union".
const UNION: u32 = u32::MAX;

/// Witnesses kept per kind of class.
const MAX_CALLS: usize = 8;

/// What a walk found about one rule.
#[derive(Debug, Clone, Default)]
pub struct SearchResult {
    /// Calls of the rule that no rule of the union matches, shortest first.
    pub free: Vec<Call>,
    /// Calls of the rule that some rule of the union matches, shortest first.
    pub blocked: Vec<Call>,
    /// Whether the rule matches any request at all.
    pub matchable: bool,
    /// Automaton states visited (charged to the engine's budget).
    pub states: usize,
}

/// The inputs every search shares.
#[derive(Debug, Clone, Copy)]
pub struct Searcher<'a> {
    pub layout: &'a Layout,
    pub decoder: &'a Decoder,
    pub domain: &'a Domain,
    pub limits: ExploreLimits,
}

impl Searcher<'_> {
    /// Walk `rule` against the union of `union`.
    pub fn search(&self, rule: &Rule, union: &[&Rule]) -> Result<SearchResult, LimitHit> {
        let target = u32::try_from(rule.index).unwrap_or(u32::MAX - 1);
        let mut patterns = vec![(target, rule_language(rule, self.layout))];
        if !union.is_empty() {
            patterns.push((UNION, union_hir(union, self.layout)));
        }
        let exploration = explore(&patterns, self.domain, &self.limits)?;
        let mut result = SearchResult {
            states: exploration.states,
            ..SearchResult::default()
        };
        for state in exploration
            .finals
            .iter()
            .filter(|f| f.rules.contains(&target))
        {
            result.matchable = true;
            let list = if state.rules.contains(&UNION) {
                &mut result.blocked
            } else {
                &mut result.free
            };
            if list.len() < MAX_CALLS
                && let Some(call) = self.decoder.decode(&exploration.path(state))
            {
                list.push(call);
            }
        }
        Ok(result)
    }
}
