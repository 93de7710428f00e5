//! `broad-escalation`: an approval-eligible rule that covers every call of a tool, or
//! every call.
//!
//! `deny: 'Bash'` with `escalate_on_deny: true` sends every shell command, `ls`
//! included, to a human. Approvers drown in requests and learn to approve without
//! reading, which defeats the point of asking. The finding looks at rules with no
//! other gate (a resource, client, project or condition narrows the rule, so it does
//! not ask for *every* call) and at patterns whose method part is exactly `*`.

use super::Finding;
use super::support::{rule_map, with_related_rule};
use super::tool_families::is_shell;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::pattern::{ToolPattern, casefold};
use crate::policy::Rule;
use crate::source::Span;

pub use crate::diagnostics::codes::findings::BROAD_ESCALATION as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    policy
        .rules
        .iter()
        .filter(|rule| rule.hitl_eligible() && rule.is_action_only())
        .flat_map(|rule| {
            rule.patterns
                .iter()
                .zip(&rule.spans.patterns)
                .filter_map(move |(pattern, span)| diagnose(context, rule, pattern, *span))
        })
        .collect()
}

/// What a broad pattern covers: every call, or every call of the named tool.
fn coverage(pattern: &ToolPattern) -> Option<String> {
    if pattern.canonical == "*" {
        return Some("every call".to_owned());
    }
    match pattern.canonical.split_once(':') {
        Some(("*", "*")) => Some("every call".to_owned()),
        Some((tool, "*")) => Some(format!("every call of `{tool}`")),
        _ => None,
    }
}

fn diagnose(
    context: &Context<'_>,
    rule: &Rule,
    pattern: &ToolPattern,
    span: Span,
) -> Option<Diagnostic> {
    let covered = coverage(pattern)?;
    let raw = &pattern.raw;
    let diagnostic = Diagnostic::new(
        &INFO,
        span,
        format!("`{raw}` is approvable, so {covered} waits for a human"),
    )
    .with_rule(rule.index)
    .with_label(format!("covers {covered}"))
    .with_help(help(pattern));
    let flag = rule_map(context, rule.index)
        .and_then(|map| map.entry("escalate_on_deny"))
        .map(|entry| entry.key.span.cover(entry.value.span));
    Some(match flag {
        Some(flag) => with_related_rule(diagnostic, flag, rule.index, "approval is requested here"),
        None => diagnostic,
    })
}

fn help(pattern: &ToolPattern) -> String {
    let tool = pattern
        .canonical
        .split_once(':')
        .map(|(tool, _)| tool)
        .filter(|tool| !tool.contains(['*', '?', '[']));
    let methods = match tool {
        Some(tool) if is_shell(&casefold(tool)) => {
            format!("name the commands that need a human (`{tool}:sudo`, `{tool}:rm`)")
        }
        Some(tool) => format!("name the methods that need a human (`{tool}:<method>`)"),
        None => "name the tools and methods that need a human".to_owned(),
    };
    format!(
        "{methods}, and allow or deny the other calls outright; or narrow the rule with a \
         resource or a condition"
    )
}
