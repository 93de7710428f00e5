//! `escalation-on-non-deny`: `escalate_on_deny` set on an `allow` or `warn` rule, where
//! it can never take effect.
//!
//! Approval eligibility is a property of a *deny* (docs/language.md section 6): an allowed call needs
//! no approval and a warned one proceeds anyway. A truthy flag on another effect is
//! ignored by the reference, and almost always means the author expected something the
//! rule does not do: usually the rule was meant to be a deny that a human may lift.
//! A falsy flag is harmless and is not reported.

use super::Finding;
use super::support::{entry_span, rule_map, with_related_rule};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::policy::{Effect, Rule};

pub use crate::diagnostics::codes::findings::ESCALATION_ON_NON_DENY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    policy
        .rules
        .iter()
        .filter(|rule| rule.escalate_on_deny && rule.effect != Effect::Deny)
        .filter_map(|rule| diagnose(context, rule))
        .collect()
}

fn diagnose(context: &Context<'_>, rule: &Rule) -> Option<Diagnostic> {
    let entry = rule_map(context, rule.index)?.entry("escalate_on_deny")?;
    let effect = rule.effect.as_str();
    let (what, fix) = match rule.effect {
        Effect::Warn => ("a warned call proceeds anyway", "`effect: deny`"),
        _ => ("an allowed call needs no approval", "a `deny`"),
    };
    let diagnostic = Diagnostic::new(
        &INFO,
        entry_span(entry),
        format!(
            "`escalate_on_deny` has no effect on {} {effect} rule",
            article(effect)
        ),
    )
    .with_rule(rule.index)
    .with_label(format!("ignored: {what}"))
    .with_help(format!(
        "if calls matching this rule should wait for a human, make it {fix} and keep the \
         flag; otherwise remove `escalate_on_deny`"
    ));
    Some(with_related_rule(
        diagnostic,
        rule.spans.effect_key,
        rule.index,
        format!("this rule is `{effect}`"),
    ))
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
