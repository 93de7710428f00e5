//! `analysis-incomplete`: the reachability analysis hit one of its limits and left some
//! rules undecided.
//!
//! The analysis never guesses: past its limits a rule is "unknown", and no reachability
//! or approval finding is made about it. Saying so matters, because a missing finding
//! would otherwise read as "this rule is fine".

use super::Finding;
use super::reachability::rule_span;
use crate::analysis::Context;
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

pub use crate::diagnostics::codes::findings::ANALYSIS_INCOMPLETE as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let (Some(policy), Some(map)) = (context.policy(), context.regions()) else {
        return Vec::new();
    };
    map.incomplete()
        .iter()
        .filter_map(|incomplete| match incomplete.rule {
            Some(index) => {
                let rule = policy.rules.get(index)?;
                Some(
                    Diagnostic::new(
                        &INFO,
                        rule_span(rule),
                        format!(
                            "the reachability of {} was not decided: {}",
                            rule_label(policy, index),
                            incomplete.reason
                        ),
                    )
                    .with_rule(index)
                    .with_label("not analyzed")
                    .with_help(
                        "no reachability or approval finding is made about this rule; \
                         simplify its patterns or split the policy for a full analysis",
                    ),
                )
            }
            None => Some(
                Diagnostic::new(
                    &INFO,
                    policy.rules.first().map_or(Span::point(0), rule_span),
                    format!(
                        "the reachability of the rules was not decided: {}",
                        incomplete.reason
                    ),
                )
                .with_label("not analyzed")
                .with_help(
                    "no reachability or approval finding is made about this policy; split it \
                     or simplify its patterns for a full analysis",
                ),
            ),
        })
        .collect()
}
