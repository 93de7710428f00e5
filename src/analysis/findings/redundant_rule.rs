//! `redundant-rule`: a reachable rule whose removal would change nothing a decision
//! reports.
//!
//! In every class of calls the rule decides, the rule that would decide without it (or
//! the default) gives the same effect and the same eligibility. Only exact rules are
//! judged, and an opaque rule in between counts as a possible decider, so the claim
//! holds for every call. A rule that names itself (`id`, `name`, `reason` or
//! `reason_code`) is never reported: those texts are in its decisions and audit rows,
//! so removing it changes what callers and auditors see even when the effect stays.

use super::Finding;
use super::reachability::{deciding_witness, finish, join_and, reachable_rules, rule_span};
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;
use crate::policy::Policy;
use crate::syntax::Node;

pub use crate::diagnostics::codes::findings::REDUNDANT_RULE as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let nodes = context.rule_nodes();
    reachable_rules(context)
        .into_iter()
        .filter(|(_, _, rule, _)| !names_itself(nodes.get(rule.index).copied()))
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
                "delete this rule, or give it an `id` or a `reason` if its decisions should \
                 say why",
            );
            Some(finish(diagnostic, rule, vec![witness]))
        })
        .collect()
}

/// The keys whose values a decision or an audit row reports.
const IDENTITY_KEYS: [&str; 4] = ["id", "name", "reason", "reason_code"];

/// Whether a rule has an identity key of its own (whatever its value: even an empty one
/// changes the decision's texts). A rule whose node is unknown counts as named, so that
/// nothing is claimed about it.
pub(crate) fn names_itself(node: Option<&Node>) -> bool {
    node.and_then(Node::as_map)
        .is_none_or(|rule| IDENTITY_KEYS.iter().any(|key| rule.get(key).is_some()))
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
