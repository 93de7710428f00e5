//! `fail-open-default`: the policy lets through every call no rule names.
//!
//! `settings.default_action: allow` (or `warn`, which proceeds too) decides every call
//! that no rule matches, including tools the author never heard of: a new MCP server, a
//! renamed tool. That may be deliberate (an observe-first rollout), so this is
//! information, not a warning. It is silent when some rule catches every call (`*`
//! with no other gate), whatever its effect: the default then never decides, and the
//! posture is written in the rules for a reviewer to see.

use super::Finding;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::pattern::GlobItem;
use crate::policy::{Effect, Rule};
use crate::syntax::Node;

pub use crate::diagnostics::codes::findings::FAIL_OPEN_DEFAULT as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    if policy.default_action == Effect::Deny || policy.rules.iter().any(is_catch_all) {
        return Vec::new();
    }
    let Some(value) = context
        .root()
        .and_then(|root| root.get("settings"))
        .and_then(Node::as_map)
        .and_then(|settings| settings.get("default_action"))
    else {
        return Vec::new();
    };
    let effect = policy.default_action.as_str();
    let outcome = match policy.default_action {
        Effect::Warn => "proceeds with a warning",
        _ => "is allowed",
    };
    vec![
        Diagnostic::new(
            &INFO,
            value.span,
            format!("every call no rule matches {outcome} (`default_action: {effect}`)"),
        )
        .with_label(format!(
            "the default is `{effect}`, and no rule catches every call"
        ))
        .with_help(
            "set `default_action: deny` and allow the tools the agent needs; if letting \
             everything else through is intended, end the rules with `- allow: '*'` to \
             say so",
        ),
    ]
}

/// A rule that decides every call: an action-only rule with a pattern that matches
/// every subject (`*`, or `*:*`, since every subject has a `:`).
fn is_catch_all(rule: &Rule) -> bool {
    rule.is_action_only()
        && rule.patterns.iter().any(|pattern| {
            pattern.glob.matches_everything()
                || matches!(
                    pattern.glob.items(),
                    [GlobItem::Star, GlobItem::Literal(colon), GlobItem::Star] if colon == ":"
                )
        })
}
