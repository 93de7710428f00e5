//! `dead-rule`: a rule that never decides, because earlier rules with the same effect
//! decide every call it matches.
//!
//! Nothing is decided differently (the calls get the effect the rule would have given),
//! so this is a warning rather than an error: the rule is dead weight that misleads a
//! reader into thinking it matters, and its reason text and id never reach an audit
//! row. When a call proves that an earlier rule with another effect takes some of the
//! rule's calls, the finding is `unreachable-rule` instead (an error: intent is lost);
//! for an approval-eligible deny it is `approval-never-offered`. In the rare case where
//! the analysis knows of a different-effect blocker but no candidate call re-checks as
//! one, the rule is reported here, in words that claim only what is proven.

use super::Finding;
use super::reachability::{
    Unreached, blocker_names, blockers, finish, plural_verb, rule_names, rule_span,
    unreachable_rules,
};
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;

pub use crate::diagnostics::codes::findings::DEAD_RULE as INFO;

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
            // Reported here unless a call proves that another effect takes some of the
            // rule's calls (that is `unreachable-rule`).
            if other_effect {
                return None;
            }
            let first = blocked.blockers.first().map(|&q| rule_label(policy, q));
            let diagnostic = Diagnostic::new(
                &INFO,
                rule_span(rule),
                if blocked.different_effect {
                    format!(
                        "{} can never decide: every call it matches is decided earlier by {}",
                        rule_label(policy, rule.index),
                        blocker_names(policy, blocked)
                    )
                } else if !blocked.opaque_other.is_empty() {
                    // An earlier conditional rule of another effect may take some of
                    // these calls; the analysis cannot tell which, so it is named
                    // rather than claimed away.
                    format!(
                        "{} can never decide: every call it matches is {} by {}, unless {} \
                         decides it first (its conditions are not modelled)",
                        rule_label(policy, rule.index),
                        past(rule.effect),
                        blocker_names(policy, blocked),
                        rule_names(policy, &blocked.opaque_other)
                    )
                } else {
                    format!(
                        "{} can never decide: every call it matches is already {} by {}",
                        rule_label(policy, rule.index),
                        past(rule.effect),
                        blocker_names(policy, blocked)
                    )
                },
            )
            .with_label(
                if blocked.different_effect || !blocked.opaque_other.is_empty() {
                    "dead: earlier rules decide all of these calls".to_owned()
                } else {
                    format!(
                        "dead: earlier rules {} all of these calls",
                        plural_verb(rule.effect)
                    )
                },
            )
            .with_help(format!(
                "delete this rule, or move it above {} if its reason or id should be the one \
                 callers see",
                first.unwrap_or_else(|| "its blockers".to_owned())
            ));
            let mut diagnostic = finish(diagnostic, rule, witnesses);
            diagnostic.related = blockers(policy, blocked);
            Some(diagnostic)
        })
        .collect()
}

fn past(effect: crate::policy::Effect) -> &'static str {
    match effect {
        crate::policy::Effect::Allow => "allowed",
        crate::policy::Effect::Deny => "denied",
        crate::policy::Effect::Warn => "warned on",
    }
}
