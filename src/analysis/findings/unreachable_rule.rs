//! `unreachable-rule`: a rule that never decides, because earlier rules decide every call
//! it matches, and at least one of them with another effect.
//!
//! This is the error of the reachability family: the author wrote a rule to allow (or
//! deny, or warn on) some calls, and those calls get another answer. Rules blocked only
//! by rules of the same effect are `dead-rule` (a warning: nothing is decided
//! differently), and an unreachable approval-eligible deny is `approval-never-offered`.
//! The blockers are computed against the union of all earlier rules, so a rule covered
//! only by two rules together is found too.

use super::Finding;
use super::reachability::{
    Unreached, blocker_names, blockers, finish, rule_span, unreachable_rules,
};
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;

pub use crate::diagnostics::codes::findings::UNREACHABLE_RULE as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    unreachable_rules(context, false)
        .into_iter()
        .filter_map(|found| {
            let Unreached {
                policy,
                rule,
                blocked,
                witnesses,
                other_effect,
            } = found;
            if !other_effect {
                return None;
            }
            let first = blocked.blockers.first().map(|&q| rule_label(policy, q));
            let diagnostic = Diagnostic::new(
                &INFO,
                rule_span(rule),
                format!(
                    "{} can never decide: every call it matches is decided earlier by {}",
                    rule_label(policy, rule.index),
                    blocker_names(policy, blocked)
                ),
            )
            .with_label(format!(
                "never reached: these calls get another effect than `{}`",
                rule.effect.as_str()
            ))
            .with_help(format!(
                "move this rule above {} if it should decide these calls, narrow the \
                 earlier rules, or delete it if their decisions are intended",
                first.unwrap_or_else(|| "its blockers".to_owned())
            ));
            let mut diagnostic = finish(diagnostic, rule, witnesses);
            diagnostic.related = blockers(policy, blocked);
            Some(diagnostic)
        })
        .collect()
}
