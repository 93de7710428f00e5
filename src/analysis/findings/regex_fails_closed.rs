//! `regex-fails-closed`: a `matches` pattern that Python accepts but guardc cannot
//! evaluate exactly, so its rule is decided fail-closed.
//!
//! guardc reproduces Python's `re.search` (look-around, backreferences, atomic groups
//! and possessive repeats included), but a few constructs have no exact counterpart
//! (a character name given by an alias, the template flag, ASCII-only case folding), and a
//! pattern can exceed the compile limits. Such a condition is never guessed: the
//! evaluator counts it as holding for a deny or warn rule and as failing for an allow
//! rule. That keeps the guard safe, but the rule then decides differently from the
//! reference (a deny applies whatever the text, an allow never applies), so it is an
//! error the author must see. The analyzer still treats the condition as opaque, so
//! the rule shadows nothing.

use super::Finding;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::policy::{ConditionTest, Effect, Operator, Rule};
use crate::python::PyValue;
use crate::python::re::{CompiledRegex, RegexRefusal, compile_condition_regex};

pub use crate::diagnostics::codes::findings::REGEX_FAILS_CLOSED as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    policy.rules.iter().flat_map(check_rule).collect()
}

fn check_rule(rule: &Rule) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for condition in &rule.conditions {
        let ConditionTest::Operator {
            op: Operator::Matches,
            value,
            case_insensitive,
            regex,
        } = &condition.test
        else {
            continue;
        };
        let compiled: Option<CompiledRegex> = match regex {
            Some(regex) => Some(regex.clone()),
            None => {
                compile_condition_regex(value.as_ref().unwrap_or(&PyValue::None), *case_insensitive)
            }
        };
        let Some(refusal) = compiled
            .and_then(|c| c.refusal())
            .filter(|r| r.fails_closed())
        else {
            continue;
        };
        diagnostics.push(diagnostic(rule, &condition.field, condition.span, refusal));
    }
    diagnostics
}

fn diagnostic(
    rule: &Rule,
    field: &str,
    span: crate::source::Span,
    refusal: RegexRefusal,
) -> Diagnostic {
    let effect = rule.effect.as_str();
    let consequence = match rule.effect {
        Effect::Allow => "this allow rule never applies",
        Effect::Deny | Effect::Warn => {
            "this rule applies to every call its other gates admit, whatever the text"
        }
    };
    Diagnostic::new(
        &INFO,
        span,
        format!(
            "the `matches` pattern on `{field}` cannot be evaluated exactly: {}",
            refusal.describe()
        ),
    )
    .with_label(format!(
        "decided fail-closed for this {effect} rule: {consequence}"
    ))
    .with_help(
        "rewrite the pattern without that construct (for a character name alias, write the \
         official name or a `\\uXXXX` escape), or split a very large pattern into several \
         rules",
    )
    .with_rule(rule.index)
}
