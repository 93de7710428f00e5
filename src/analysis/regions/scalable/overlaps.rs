//! The overlap questions about a reachable rule, answered exactly: is some request of
//! the rule decided earlier by a *correlated* rule of another effect (one that overlaps
//! it and is not an exception carved out of it), and, for an approval-eligible rule, by
//! a hard deny?
//!
//! For each candidate earlier rule `q` (from the overlap index, in order), a request of
//! both rules that no rule before `q` matches is one `q` decides. The request built from
//! both rules' syntax usually is one ([`candidate_call`]); otherwise the product search
//! over the rule, `q` and the rules before `q` that can overlap the rule decides it.
//! Every call found is re-checked with the rules' real gates before it is returned.

use super::search::Stop;
use super::{Engine, candidate_call};
use crate::analysis::regions::{Call, shadows};
use crate::policy::{Effect, Rule};

/// Calls returned per question: the finding reports one, a second lets it re-check.
const MAX_CALLS: usize = 2;

impl Engine<'_> {
    /// Calls of `rule` decided earlier by a correlated rule of another effect.
    pub(super) fn shadowing_calls(&self, rule: &Rule) -> Result<Vec<Call>, String> {
        let mut found = Vec::new();
        let candidates: Vec<&Rule> = self.overlapping(rule, |q| shadows(q, rule)).collect();
        for q in candidates {
            if !self.correlated(rule, q) {
                continue;
            }
            if let Some(call) = self.decided_by(rule, q, |d| shadows(d, rule))? {
                found.push(call);
                if found.len() >= MAX_CALLS {
                    break;
                }
            }
        }
        Ok(found)
    }

    /// Calls of the approval-eligible `rule` decided earlier by a hard deny.
    pub(super) fn preempting_calls(&self, rule: &Rule) -> Result<Vec<Call>, String> {
        let hard = |q: &Rule| q.effect == Effect::Deny && !q.hitl_eligible();
        let candidates: Vec<&Rule> = self.overlapping(rule, hard).collect();
        for q in candidates {
            if let Some(call) = self.decided_by(rule, q, hard)? {
                return Ok(vec![call]);
            }
        }
        Ok(Vec::new())
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

    /// A call of `rule` whose first matching rule is `q` (or, when an opaque rule before
    /// `q` takes it, a rule that `accept`s), if there is one.
    fn decided_by(
        &self,
        rule: &Rule,
        q: &Rule,
        accept: impl Fn(&Rule) -> bool,
    ) -> Result<Option<Call>, String> {
        let ok = |call: &Call| {
            self.passes(rule, call)
                && self
                    .earlier(rule, call)
                    .first()
                    .and_then(|&d| self.policy.rules.get(d))
                    .is_some_and(&accept)
        };
        if let Some(call) = candidate_call(self.decoder, rule, Some(q)).filter(|c| ok(c)) {
            return Ok(Some(call));
        }
        let before: Vec<&Rule> = self.overlapping(rule, |p| p.index < q.index).collect();
        let result = self.search(&[rule, q], &before, Stop::FirstFree)?;
        Ok(result.free.into_iter().find(|call| ok(call)))
    }
}
