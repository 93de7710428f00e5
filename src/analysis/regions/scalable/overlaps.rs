//! The overlap questions about a reachable rule, answered exactly: is some request of
//! the rule decided earlier by a *correlated* rule of another effect (one that overlaps
//! it and is not an exception carved out of it), and, for an approval-eligible rule, by
//! a hard deny?
//!
//! The candidates are the earlier rules the overlap index names that have the kind
//! asked for. A request built from the rule's and a candidate's syntax usually is one a
//! candidate decides ([`candidate_call`]); otherwise one product search looks for a
//! request of the rule that some candidate matches and no other overlapping earlier
//! rule does. Every call found is re-checked with the rules' real gates before it is
//! returned.

use super::search::Stop;
use super::{Engine, candidate_call};
use crate::analysis::regions::{Call, shadows};
use crate::policy::{Effect, Rule};

/// Candidates tried with a call built from both rules' syntax before the search.
const QUICK_TRIES: usize = 8;

impl Engine<'_> {
    /// Calls of `rule` decided earlier by a correlated rule of another effect.
    pub(super) fn shadowing_calls(&self, rule: &Rule) -> Result<Vec<Call>, String> {
        // Correlation (the candidate is not an exception inside the rule) is checked on
        // the decider of a call found, not on every candidate: a floating rule after
        // thousands of rules of another effect would otherwise test each of them.
        // `shadows` rejects rules that apply to every tool, so the index need not list
        // them (thousands of floating `*word*` rules before an anchored rule).
        self.decided_by_any(
            rule,
            || self.overlapping_specific(rule, |q| shadows(q, rule)),
            |d| shadows(d, rule) && self.correlated(rule, d),
        )
    }

    /// Calls of the approval-eligible `rule` decided earlier by a hard deny.
    pub(super) fn preempting_calls(&self, rule: &Rule) -> Result<Vec<Call>, String> {
        let hard = |q: &Rule| q.effect == Effect::Deny && !q.hitl_eligible();
        self.decided_by_any(rule, || self.overlapping(rule, hard), hard)
    }

    /// A call of `rule` whose first matching rule is one of `candidates` (earlier
    /// overlapping rules, ascending; re-checked: its decider must pass `accept`). The
    /// call built from the rule's and a candidate's syntax is tried for the first few
    /// candidates; then one search over the rule's requests that some candidate matches
    /// and no other earlier overlapping rule does. Such a request's first match is a
    /// candidate. The search misses a candidate's requests that a later non-candidate
    /// rule also matches; the shared calls tried first find the usual cases of those.
    ///
    /// The candidates are listed in full only when the quick calls fail: a floating rule
    /// after thousands of rules of another effect usually has its answer in the first
    /// few, and listing them all for every such rule would make the check quadratic.
    fn decided_by_any<'r, I: Iterator<Item = &'r Rule>>(
        &self,
        rule: &Rule,
        candidates: impl Fn() -> I,
        accept: impl Fn(&Rule) -> bool,
    ) -> Result<Vec<Call>, String> {
        let first: Vec<&Rule> = candidates().take(QUICK_TRIES).collect();
        if first.is_empty() {
            return Ok(Vec::new());
        }
        let ok = |call: &Call| {
            self.passes(rule, call)
                && self
                    .earlier(rule, call)
                    .first()
                    .and_then(|&d| self.policy.rules.get(d))
                    .is_some_and(&accept)
        };
        let quick = first
            .iter()
            .filter_map(|q| candidate_call(self.decoder, rule, Some(q)))
            .find(|call| ok(call));
        if let Some(call) = quick {
            return Ok(vec![call]);
        }
        let candidates: Vec<&Rule> = candidates().collect();
        // Ascending like `overlapping`, so membership is a binary search (a linear scan
        // made this quadratic in the earlier rules of another effect).
        let others: Vec<&Rule> = self
            .overlapping(rule, |p| {
                candidates
                    .binary_search_by_key(&p.index, |c| c.index)
                    .is_err()
            })
            .collect();
        let found = self.search_within(&[rule], &candidates, &others, Stop::FirstFree)?;
        Ok(found
            .free
            .into_iter()
            .filter(|call| ok(call))
            .take(1)
            .collect())
    }

    /// Whether earlier rule `q` reaches beyond `rule` with one of its patterns (so it is
    /// not an exception written before a broader rule). A rule with several patterns is
    /// read as one rule per pattern: `deny: ['Read:*', 'Edit:*']` on secret files before
    /// `allow: 'Read:*'` is an exception for its `Read:*` part. Unknown counts as no.
    fn correlated(&self, rule: &Rule, q: &Rule) -> bool {
        (0..q.patterns.len()).any(|p| {
            let mut part = q.clone();
            part.patterns = q.patterns.get(p).cloned().into_iter().collect();
            self.containment.contains(self.decoder, rule, &part) == Some(false)
        })
    }
}
