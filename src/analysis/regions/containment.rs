//! Whether one rule's requests include all of another's: the exact pairwise test behind
//! telling an exception written before a broader rule (the idiom) from two rules that
//! merely overlap.
//!
//! It is the same construction as everything else in this module, on two rules only:
//! both languages in one small automaton walked with the domain; `inner ⊆ outer` exactly
//! when no final state holds `inner` without `outer`. Opaque rules are over-approximated
//! by their encoding, so only the answers that over-approximation cannot fake are given:
//! "contained" needs an exact `outer`, "not contained" an exact `inner`.
//!
//! Most overlapping pairs are not contained, and `inner`'s own shortest call (the
//! per-rule engine's candidate) usually proves it without an automaton; the automaton
//! (about a millisecond) is built only when that call does not settle it. The domain's
//! automaton is built once per policy.

use super::decode::Decoder;
use super::decode::rule_matches;
use super::domain::domain;
use super::encode::{is_opaque, rule_language};
use super::explore::{Domain, ExploreLimits, explore};
use super::scalable::covers_syntactically;
use super::scalable::quick::candidate_call;
use super::{AnalysisLimits, RegionMap};
use crate::policy::Rule;

/// The pairwise containment test of one policy's rules.
#[derive(Debug)]
pub struct Containment {
    /// `None` when the domain does not fit the limits (every answer is then unknown).
    domain: Option<Domain>,
    limits: ExploreLimits,
}

impl Containment {
    pub fn new(map: &RegionMap, limits: &AnalysisLimits) -> Containment {
        let per_rule = limits.per_rule();
        let keys = map.decoder.layout().keys().len();
        Containment {
            domain: Domain::new(&domain(keys), &per_rule).ok(),
            limits: per_rule,
        }
    }

    /// The test over a domain automaton already built.
    pub(super) fn with_domain(domain: Domain, limits: &AnalysisLimits) -> Containment {
        Containment {
            domain: Some(domain),
            limits: limits.per_rule(),
        }
    }

    /// Whether every request `inner` matches is also matched by `outer`; `None` when an
    /// opaque gate leaves it open or the search hit the limits. Both rules must belong to
    /// the analyzed policy, or be copies of its rules narrowed to some of their patterns.
    pub fn contains(&self, decoder: &Decoder, outer: &Rule, inner: &Rule) -> Option<bool> {
        if covers_syntactically(outer, inner) {
            return Some(true);
        }
        let shortest = candidate_call(decoder, inner, None);
        if shortest.is_some_and(|call| rule_matches(inner, &call) && !rule_matches(outer, &call)) {
            return Some(false);
        }
        let layout = decoder.layout();
        const OUTER: u32 = 0;
        const INNER: u32 = 1;
        let languages = [
            (OUTER, rule_language(outer, layout)),
            (INNER, rule_language(inner, layout)),
        ];
        let exploration = explore(&languages, self.domain.as_ref()?, &self.limits).ok()?;
        let escapes = exploration
            .finals
            .iter()
            .any(|f| f.rules.contains(&INNER) && !f.rules.contains(&OUTER));
        if escapes {
            (!is_opaque(inner)).then_some(false)
        } else {
            (!is_opaque(outer)).then_some(true)
        }
    }
}
