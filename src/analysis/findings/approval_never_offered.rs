//! `approval-never-offered`: an approval-eligible deny that no call can reach.
//!
//! The author set `escalate_on_deny` so that a human could approve these calls, but
//! earlier rules decide every one of them: they are allowed without anyone asking, or
//! refused with no way to ask. This replaces `unreachable-rule` and `dead-rule` for such
//! rules, because the lost approval path is the part the author cares about. The classic
//! cause is a broad allow written above the narrow approval rule (`allow: 'Bash:*'`
//! before `deny: 'Bash:sudo *'`).

use super::Finding;
use super::reachability::{
    Unreached, blocker_names, blockers, finish, rule_span, unreachable_rules,
};
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;

pub use crate::diagnostics::codes::findings::APPROVAL_NEVER_OFFERED as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    unreachable_rules(context, true)
        .into_iter()
        .map(|found| {
            let Unreached {
                policy,
                rule,
                blocked,
                witnesses,
                ..
            } = found;
            let first = blocked.blockers.first().map(|&q| rule_label(policy, q));
            let diagnostic = Diagnostic::new(
                &INFO,
                rule_span(rule),
                format!(
                    "approval is never offered through {}: every call it matches is decided \
                     earlier by {}",
                    rule_label(policy, rule.index),
                    blocker_names(policy, blocked)
                ),
            )
            .with_label("no call reaches this approval rule")
            .with_help(format!(
                "move this rule above {} so that its calls can be approved, or narrow the \
                 earlier rules so that they leave these calls alone",
                first.unwrap_or_else(|| "the rules that block it".to_owned())
            ));
            let mut diagnostic = finish(diagnostic, rule, witnesses);
            diagnostic.related = blockers(policy, blocked);
            diagnostic
        })
        .collect()
}
