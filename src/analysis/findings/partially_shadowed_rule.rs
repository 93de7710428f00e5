//! `partially-shadowed-rule`: correlation between two rules of different effects. Some
//! calls a reachable rule matches are decided earlier by a rule with another effect, and
//! neither rule contains the other.
//!
//! First-match policies are written "exception first, general rule after" (`deny
//! Bash:sudo *`, then `allow Bash:*`): a later rule that contains the earlier one is that
//! idiom (generalization, in firewall anomaly analysis) and is not reported. What is
//! worth a line is an overlap the author may not have seen: the earlier rule reaches
//! beyond the later one, so it is not an exception carved out of it, and the later rule
//! loses calls it was written for. The containment test is exact
//! ([`Context::rule_contains`]); a rule with several patterns is read as one rule per
//! pattern (`deny: ['Read:*', 'Edit:*']` with secret resources before `allow: 'Read:*'`
//! is an exception to the reads for its `Read:*` part, and its `Edit:*` part never meets
//! them). Carve-outs that apply to every tool (`*secret*`) are not reported either (see
//! [`crate::analysis::regions::shadows`]).
//!
//! When an opaque gate leaves containment open, nothing is reported: the finding is
//! information, and claiming an overlap the author may have written on purpose, without
//! proof that it is not an exception, is the noise this finding exists to avoid.

use std::collections::HashMap;

use super::Finding;
use super::reachability::{deciding_witness, finish, reachable_rules, related, rule_span, verb};
use crate::analysis::Context;
use crate::analysis::regions::{Call, matches_rule, rule_label, shadows};
use crate::diagnostics::Diagnostic;
use crate::pattern::folded_subject;
use crate::policy::{Policy, Rule};

pub use crate::diagnostics::codes::findings::PARTIALLY_SHADOWED_RULE as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    reachable_rules(context)
        .into_iter()
        .filter_map(|(policy, map, rule, reachable)| {
            if reachable.shadowed.is_empty() {
                return None;
            }
            let mut correlation = Correlation::new(context, rule);
            let mut shadower = None;
            let earlier = map.witness_for(policy, Some(rule), &reachable.shadowed, |call, d| {
                let by = d.rule_index().filter(|&q| q < rule.index);
                let ok = by.is_some_and(|q| {
                    matches_rule(policy, rule.index, call) && correlation.holds(policy, q, call)
                });
                if ok {
                    shadower = by;
                }
                ok
            })?;
            let shadower = shadower?;
            let still = deciding_witness(policy, map, rule, &reachable.deciding)?;
            Some(report(policy, rule, shadower, vec![earlier, still]))
        })
        .collect()
}

/// Which earlier rules are correlated with one rule, pattern by pattern, each pair
/// decided once.
struct Correlation<'c, 'a> {
    context: &'c Context<'a>,
    rule: &'c Rule,
    /// (earlier rule, its pattern) → the pattern's part is not contained in the rule.
    known: HashMap<(usize, usize), bool>,
}

impl<'c, 'a> Correlation<'c, 'a> {
    fn new(context: &'c Context<'a>, rule: &'c Rule) -> Self {
        Self {
            context,
            rule,
            known: HashMap::new(),
        }
    }

    /// Whether earlier rule `q`, which decides `call` (one of the rule's calls), is
    /// correlated with the rule: it may shadow it, and the part of `q` that matches the
    /// call (the patterns of `q` matching it, each with `q`'s other gates) is provably
    /// not contained in the rule. The rule is not contained in `q` either, since it still
    /// decides some call, which the finding shows.
    fn holds(&mut self, policy: &Policy, q: usize, call: &Call) -> bool {
        let Some(earlier) = policy.rules.get(q) else {
            return false;
        };
        if !shadows(earlier, self.rule) {
            return false;
        }
        let subject = folded_subject(&call.tool, &call.method);
        let (context, rule) = (self.context, self.rule);
        let known = &mut self.known;
        earlier
            .patterns
            .iter()
            .enumerate()
            .filter(|(_, pattern)| pattern.matches_subject(&subject))
            .any(|(p, _)| {
                *known.entry((q, p)).or_insert_with(|| {
                    let part = with_one_pattern(earlier, p);
                    context.rule_contains(rule, &part) == Some(false)
                })
            })
    }
}

/// `rule` narrowed to its pattern `p` (its other gates unchanged).
fn with_one_pattern(rule: &Rule, p: usize) -> Rule {
    let mut part = rule.clone();
    part.patterns = rule.patterns.get(p).cloned().into_iter().collect();
    part
}

fn report(
    policy: &Policy,
    rule: &Rule,
    shadower: usize,
    witnesses: Vec<crate::diagnostics::Witness>,
) -> Diagnostic {
    let effect = policy.rules.get(shadower).map(|q| q.effect);
    let diagnostic = Diagnostic::new(
        &INFO,
        rule_span(rule),
        format!(
            "{} overlaps {}, which {} some of its calls first, and neither rule contains the other",
            rule_label(policy, rule.index),
            rule_label(policy, shadower),
            effect.map_or("decides", verb),
        ),
    )
    .with_label("some of these calls are decided earlier")
    .with_help(format!(
        "if this rule should decide those calls too, move it above {0}; if {0} is an \
         exception to this rule, narrow it to calls this rule matches",
        rule_label(policy, shadower)
    ));
    let mut diagnostic = finish(diagnostic, rule, witnesses);
    diagnostic.related.extend(related(
        policy,
        shadower,
        format!(
            "{} decides part of it first and reaches beyond it",
            rule_label(policy, shadower)
        ),
    ));
    diagnostic
}
