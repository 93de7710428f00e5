//! `unmatchable-rule`: a rule that matches no call at all, whatever comes before it.
//!
//! Unlike an unreachable rule, nothing blocks it: one of its own gates can never hold.
//! Each gate reads its own field of the request, so the rule is empty exactly when one
//! gate is, and the finding names that gate: an empty pattern list, a pattern no
//! `tool:method` can have (a reversed range `[z-a]`, a `:` with no tool before it), a
//! resource list that only admits the empty resource (which counts as none), a condition
//! no value can satisfy (`in: []`). There is no witness, because no call exists.

use super::Finding;
use super::reachability::{finish, rule_span, rules_with_reach};
use crate::analysis::Context;
use crate::analysis::regions::{GateId, Reach, RegionMap, rule_label};
use crate::diagnostics::Diagnostic;
use crate::policy::{Policy, Rule};
use crate::source::Span;

pub use crate::diagnostics::codes::findings::UNMATCHABLE_RULE as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    rules_with_reach(context)
        .into_iter()
        .filter(|(_, _, _, reach)| matches!(reach, Reach::Unmatchable))
        .map(|(policy, map, rule, _)| diagnose(policy, map, rule))
        .collect()
}

fn diagnose(policy: &Policy, map: &RegionMap, rule: &Rule) -> Diagnostic {
    let label = rule_label(policy, rule.index);
    let gate = map.empty_gates(policy, rule.index).into_iter().next();
    let (span, why, help) = explain(rule, gate);
    let approval = if rule.hitl_eligible() {
        "; no call can ever be approved through it"
    } else {
        ""
    };
    let diagnostic = Diagnostic::new(
        &INFO,
        span,
        format!("{label} matches no call at all: {why}{approval}"),
    )
    .with_label("this gate can never hold")
    .with_help(help);
    finish(diagnostic, rule, Vec::new())
}

/// What to do about patterns that match no call, naming the first culprit's cause.
fn pattern_help(rule: &Rule) -> String {
    let reversed = rule.patterns.iter().find(|p| p.glob.matches_nothing());
    let toolless = rule.patterns.iter().find(|p| p.canonical.starts_with(':'));
    match (reversed, toolless) {
        (Some(p), _) => format!(
            "`{}` contains a reversed range such as `[z-a]`, which matches nothing: write \
             ranges low to high (`[a-z]`)",
            p.raw
        ),
        (None, Some(p)) => format!(
            "`{}` has no tool before its `:`, and every call has one: write the tool first \
             (for example `Bash{}`)",
            p.raw, p.canonical
        ),
        (None, None) => "fix the patterns so that they match `tool:method` calls: the tool \
                         part is compared case-folded (lower case), the method as written"
            .to_owned(),
    }
}

/// Where to point, what is wrong, and what to do, for the empty gate.
fn explain(rule: &Rule, gate: Option<GateId>) -> (Span, String, String) {
    let whole = rule_span(rule);
    match gate {
        Some(GateId::Action) if rule.patterns.is_empty() => (
            whole,
            "its pattern list is empty".to_owned(),
            "add the tool patterns it should match (for example `'Bash:rm *'`), or delete \
             the rule"
                .to_owned(),
        ),
        Some(GateId::Action) => (
            whole,
            "none of its tool patterns can match a `tool:method` call".to_owned(),
            pattern_help(rule),
        ),
        Some(GateId::Clients) | Some(GateId::Projects) => {
            let key = if gate == Some(GateId::Clients) {
                "clients"
            } else {
                "projects"
            };
            (
                whole,
                format!("no value can match its `{key}`"),
                format!(
                    "fix the patterns in `{key}` (a reversed range such as `[z-a]` matches nothing)"
                ),
            )
        }
        Some(GateId::Resource) => (
            whole,
            "no resource can match its `resources`".to_owned(),
            "an empty resource counts as no resource, so `''` never matches: use `'*'` to \
             accept calls with or without a resource, or fix the patterns"
                .to_owned(),
        ),
        Some(GateId::Condition(i)) => {
            let condition = rule.conditions.get(i);
            let field = condition.map_or("?", |c| c.field.as_str());
            (
                condition.map_or(whole, |c| c.span),
                format!("its condition on `{field}` can never hold"),
                "fix the condition's operand (an `in` list needs items, a glob with a \
                 reversed range matches nothing), or remove the condition"
                    .to_owned(),
            )
        }
        None => (
            whole,
            "its gates cannot all hold at once".to_owned(),
            "check the rule's patterns, selectors and conditions, or delete the rule".to_owned(),
        ),
    }
}
