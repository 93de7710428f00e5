//! `approval-intent-without-flag`: a deny whose reason says the call needs approval,
//! on a rule that is not approval-eligible.
//!
//! `reason: 'sudo requires admin approval'` tells the caller to go and get approval,
//! but without `escalate_on_deny: true` the decision has `hitl_eligible: false`: the
//! runtime refuses outright and offers no approval request. The finding reads the
//! reason for a small set of phrases ("requires approval", "needs human approval",
//! "must be approved", "ask a human"); it is information, since a reason may also
//! describe an approval process outside the policy.

use std::sync::LazyLock;

use regex::Regex;

use super::Finding;
use super::support::{key_value, rule_map, with_related_rule};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::policy::{Effect, Rule};

pub use crate::diagnostics::codes::findings::APPROVAL_INTENT_WITHOUT_FLAG as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

/// Phrases that ask for a human decision. Built once; a pattern that failed to compile
/// would only disable the finding, never the analyzer.
static APPROVAL_PHRASES: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\b(?:
            (?:requires?|required|needs?|needed|awaiting|awaits?|pending)\s+(?:\w+\s+){0,2}(?:approval|sign-?off|review)
          | (?:manual|human|admin|administrator|manager|explicit|prior|security)\s+(?:approval|sign-?off)
          | approval\s+(?:is\s+)?(?:required|needed)
          | must\s+be\s+(?:manually\s+)?approved
          | ask\s+(?:a|an|the)\s+(?:human|admin|administrator|operator|reviewer|approver)
        )\b",
    )
    .ok()
});

/// Whether a reason text asks for approval.
fn asks_for_approval(reason: &str) -> bool {
    APPROVAL_PHRASES
        .as_ref()
        .is_some_and(|phrases| phrases.is_match(reason))
}

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    policy
        .rules
        .iter()
        .filter(|rule| rule.effect == Effect::Deny && !rule.escalate_on_deny)
        .filter_map(|rule| diagnose(context, rule))
        .collect()
}

fn diagnose(context: &Context<'_>, rule: &Rule) -> Option<Diagnostic> {
    let reason = rule_map(context, rule.index)?.get("reason")?;
    if !asks_for_approval(reason.as_str()?) {
        return None;
    }
    let flag = key_value(&context.loaded.source, "escalate_on_deny", "true");
    let action = if rule.spans.escalate_on_deny.is_some() {
        format!("set `{flag}` on")
    } else {
        format!("add `{flag}` to")
    };
    let diagnostic = Diagnostic::new(
        &INFO,
        reason.span,
        "this deny's reason asks for approval, but the rule is not approval-eligible",
    )
    .with_rule(rule.index)
    .with_label("the reason asks for approval")
    .with_help(format!(
        "{action} this rule so that callers can request approval instead of being \
         refused outright"
    ));
    // An explicit false flag is the more telling location; otherwise the effect key.
    let related = match rule.spans.escalate_on_deny {
        Some(flag) => (flag, "`escalate_on_deny` is false: refused outright"),
        None => (
            rule.spans.effect_key,
            "a deny without `escalate_on_deny`: refused outright",
        ),
    };
    Some(with_related_rule(
        diagnostic, related.0, rule.index, related.1,
    ))
}

#[cfg(test)]
mod tests {
    use super::asks_for_approval;

    #[test]
    fn phrases() {
        for yes in [
            "sudo requires admin approval",
            "Requires manual approval",
            "needs human approval before running",
            "approval required",
            "must be approved by security",
            "ask a human first",
            "needs review by the platform team",
        ] {
            assert!(asks_for_approval(yes), "{yes}");
        }
        for no in [
            "destructive command",
            "not allowed in CI",
            "approved tools only",
        ] {
            assert!(!asks_for_approval(no), "{no}");
        }
    }
}
