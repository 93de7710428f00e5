//! Aligning the rules of two policies: which rule of the new policy *is* a rule of the
//! old one (same gates, same effect and eligibility), in the same relative order.
//!
//! The alignment is a longest common subsequence of the two rule lists under that
//! equality. A call no unaligned rule matches is decided by the same aligned pair on
//! both sides (the matching rules are the same, in the same order), so only calls that
//! some unaligned (changed, added, removed or moved) rule matches can change: the search
//! is restricted to those. Aligned pairs whose texts differ (reason, id, reason code) are
//! the audit-only changes.

use crate::policy::{Condition, Policy, Rule};

/// The alignment of two rule lists: for each old rule its new counterpart, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub old_to_new: Vec<Option<usize>>,
    pub new_to_old: Vec<Option<usize>>,
}

/// Whether two rules decide exactly the same calls the same way (texts aside).
pub fn same_gates(a: &Rule, b: &Rule) -> bool {
    let patterns =
        |r: &Rule| -> Vec<String> { r.patterns.iter().map(|p| p.folded().to_owned()).collect() };
    a.effect == b.effect
        && a.hitl_eligible() == b.hitl_eligible()
        && patterns(a) == patterns(b)
        && a.resources == b.resources
        && a.clients == b.clients
        && a.projects == b.projects
        && a.conditions.len() == b.conditions.len()
        && a.conditions
            .iter()
            .zip(&b.conditions)
            .all(|(x, y)| same_condition(x, y))
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    a.field == b.field && a.test == b.test
}

/// A longest common subsequence under [`same_gates`]. Quadratic in the rule counts,
/// which is the price of an exact, order-aware alignment; policies under review are far
/// below the sizes where it matters.
pub fn align(old: &Policy, new: &Policy) -> Alignment {
    let (n, m) = (old.rules.len(), new.rules.len());
    let mut table = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let value = if same_gates(&old.rules[i], &new.rules[j]) {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
            table[i][j] = value;
        }
    }
    let mut alignment = Alignment {
        old_to_new: vec![None; n],
        new_to_old: vec![None; m],
    };
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if same_gates(&old.rules[i], &new.rules[j]) && table[i][j] == table[i + 1][j + 1] + 1 {
            alignment.old_to_new[i] = Some(j);
            alignment.new_to_old[j] = Some(i);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    alignment
}
