//! `approval-preempted`: part of an approval-eligible rule's calls are refused earlier by
//! a deny that is not eligible.
//!
//! The author meant these calls to be approvable (the rule has `escalate_on_deny`), but
//! a hard deny written above it takes some of them first, so callers are refused with
//! no way to ask. The rule still decides other calls (otherwise the finding is
//! `approval-never-offered`); the witness is a call the author meant to be approvable
//! that gets a hard deny.

use super::Finding;
use super::reachability::{decided_earlier_witness, finish, reachable_rules, related, rule_span};
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;
use crate::policy::Effect;

pub use crate::diagnostics::codes::findings::APPROVAL_PREEMPTED as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    reachable_rules(context)
        .into_iter()
        .filter_map(|(policy, map, rule, reachable)| {
            if !rule.hitl_eligible() || reachable.preempted.is_empty() {
                return None;
            }
            let (witness, blocker) =
                decided_earlier_witness(policy, map, rule, &reachable.preempted, |q| {
                    q.effect == Effect::Deny && !q.hitl_eligible()
                })?;
            let blocker_label = rule_label(policy, blocker);
            let diagnostic = Diagnostic::new(
                &INFO,
                rule_span(rule),
                format!(
                    "some calls {} makes approvable are hard-denied earlier by {blocker_label}",
                    rule_label(policy, rule.index),
                ),
            )
            .with_label("part of this approval rule is preempted")
            .with_help(format!(
                "add `escalate_on_deny: true` to {blocker_label} if its calls may be approved \
                 too, or move this rule above it; if the hard deny is intended, nothing"
            ));
            let mut diagnostic = finish(diagnostic, rule, vec![witness]);
            diagnostic.related.extend(related(
                policy,
                blocker,
                format!("{blocker_label} refuses these calls first, with no approval"),
            ));
            Some(diagnostic)
        })
        .collect()
}
