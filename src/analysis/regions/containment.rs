//! Whether one rule's requests include all of another's: the exact pairwise test behind
//! telling an exception written before a broader rule (the idiom) from two rules that
//! merely overlap.
//!
//! It is the same construction as everything else in this module, on two rules only:
//! both languages in one small automaton walked with the domain; `inner ⊆ outer` exactly
//! when no final state holds `inner` without `outer`. Opaque rules are over-approximated
//! by their encoding, so only the answers that over-approximation cannot fake are given:
//! "contained" needs an exact `outer`, "not contained" an exact `inner`.

use super::domain::domain;
use super::encode::{is_opaque, rule_language};
use super::explore::{Domain, explore};
use super::{AnalysisLimits, RegionMap};
use crate::policy::Rule;

impl RegionMap {
    /// Whether every request `inner` matches is also matched by `outer`; `None` when an
    /// opaque gate leaves it open or the search hit `limits`. Both rules must belong to
    /// the analyzed policy (or be narrowed copies of its rules: same conditions keys).
    pub fn rule_contains(
        &self,
        outer: &Rule,
        inner: &Rule,
        limits: &AnalysisLimits,
    ) -> Option<bool> {
        let layout = self.decoder.layout();
        let limits = limits.per_rule();
        let domain = Domain::new(&domain(layout.keys().len()), &limits).ok()?;
        const OUTER: u32 = 0;
        const INNER: u32 = 1;
        let languages = [
            (OUTER, rule_language(outer, layout)),
            (INNER, rule_language(inner, layout)),
        ];
        let exploration = explore(&languages, &domain, &limits).ok()?;
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
