//! `redundant-rule`: a reachable rule whose removal would change no call's effect or
//! approval eligibility.
//!
//! In every class of calls the rule decides, the rule that would decide without it (or
//! the default) gives the same effect and the same eligibility. Only exact rules are
//! judged, and an opaque rule in between counts as a possible decider, so the claim
//! holds for every call. The decision's `policy_id` and `reason` would change, which is
//! why this is information: the rule may be there for its audit text.

use super::Finding;
use super::reachability::{deciding_witness, finish, join_and, reachable_rules, rule_span};
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::{CodeInfo, Diagnostic, Level};
use crate::policy::Policy;

pub static INFO: CodeInfo = CodeInfo {
    code: "GC0205",
    name: "redundant-rule",
    level: Level::Info,
    summary: "removing the rule would change no call's effect or approval eligibility",
    doc: "Flags a rule that decides some calls, but whose calls would get the same \
effect and the same approval eligibility from the rules after it (or from the no-match \
default) if it were removed. Only the decision's id and reason text would change. A \
redundant rule makes a policy longer to review and easy to misread; it is reported as \
information because it may be kept on purpose for its audit text.\n\n\
```yaml\nsettings:\n  default_action: deny\nrules:\n  - deny: 'Bash:rm *'            # redundant: the default denies these calls too\n  - allow: 'Read:*'\n```\n\n\
Fix: delete the rule, unless its `id` or `reason` matter to callers or to your audit trail.",
};

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    reachable_rules(context)
        .into_iter()
        .filter_map(|(policy, map, rule, reachable)| {
            let successors = reachable.redundant.as_ref()?;
            let witness = deciding_witness(policy, map, rule, &reachable.deciding)?;
            let diagnostic = Diagnostic::new(
                &INFO,
                rule_span(rule),
                format!(
                    "{} is redundant: without it, every call it decides would still be {} by {}",
                    rule_label(policy, rule.index),
                    past(rule.effect, rule.hitl_eligible()),
                    takers(policy, successors)
                ),
            )
            .with_label("removing this rule changes no effect")
            .with_help(
                "delete this rule, unless its id or reason matter to callers or to your \
                 audit trail",
            );
            Some(finish(diagnostic, rule, vec![witness]))
        })
        .collect()
}

fn past(effect: crate::policy::Effect, eligible: bool) -> &'static str {
    match (effect, eligible) {
        (crate::policy::Effect::Allow, _) => "allowed",
        (crate::policy::Effect::Deny, true) => "denied (approvable)",
        (crate::policy::Effect::Deny, false) => "denied",
        (crate::policy::Effect::Warn, _) => "warned on",
    }
}

/// `rules[3] and the no-match default`.
fn takers(policy: &Policy, successors: &[Option<usize>]) -> String {
    let mut ordered: Vec<Option<usize>> = successors.to_vec();
    ordered.sort_by_key(|s| s.unwrap_or(usize::MAX));
    let names: Vec<String> = ordered
        .iter()
        .map(|s| match s {
            Some(q) => rule_label(policy, *q),
            None => "the no-match default".to_owned(),
        })
        .collect();
    join_and(&names)
}
