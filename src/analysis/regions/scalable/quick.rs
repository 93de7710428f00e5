//! Candidate witnesses built straight from the rules' syntax: a short call that passes
//! a rule's gates, or one that passes the gates of two rules at once.
//!
//! Each field is filled independently (the gates read independent fields): the subject
//! and the selectors from [`common_string`] over the rule's globs, each exactly modelled
//! condition from its operand. Opaque conditions are left unset. A candidate is only a
//! guess until the engine checks it against the rules' real gates, so a field this
//! module cannot fill well costs a finding's completeness, never its soundness.

use serde_json::Value;

use super::strings::{FieldDomain, common_string};
use crate::analysis::regions::Call;
use crate::analysis::regions::decode::{Decoder, split_subject};
use crate::eval::JsonMap;
use crate::eval::{in_items, operand_text};
use crate::pattern::Glob;
use crate::policy::{Condition, ConditionTest, Operator, Rule, Selector};
use crate::python::PyValue;

/// Pattern pairs tried for a shared subject.
const MAX_PATTERN_PAIRS: usize = 16;

/// A short call meant to pass every gate of `rule` and, when given, of `other` too.
pub fn candidate_call(decoder: &Decoder, rule: &Rule, other: Option<&Rule>) -> Option<Call> {
    let subject = subject(rule, other)?;
    let (tool, method) = split_subject(&subject)?;
    let mut context = JsonMap::new();
    let rules: Vec<&Rule> = std::iter::once(rule).chain(other).collect();
    let text = |value: String| Value::String(value);
    if let Some(client) = selector_value(rules.iter().map(|r| &r.clients), FieldDomain::Text)? {
        context.insert("client_name".into(), text(client));
    }
    if let Some(project) = selector_value(rules.iter().map(|r| &r.projects), FieldDomain::Text)? {
        context.insert("project_id".into(), text(project));
    }
    if let Some(resource) =
        selector_value(rules.iter().map(|r| &r.resources), FieldDomain::NonEmpty)?
    {
        context.insert("resource".into(), text(resource));
    }
    for condition in rules.iter().flat_map(|r| &r.conditions) {
        if context.contains_key(&condition.field) {
            continue;
        }
        if let Some(value) = condition_value(condition, &rules)? {
            context.insert(condition.field.clone(), text(value));
        }
    }
    Some(Call {
        tool: decoder.spell(&tool),
        method,
        context,
    })
}

/// `call` with the fields that `rule`'s conditions read set from the conditions'
/// operands, or `None` when that changes nothing. The
/// whole-policy automaton leaves opaque conditions out of its encoding, so the calls it
/// decodes lack their fields; this guess (re-checked like every witness) often turns
/// such a call into one the rule really matches.
pub fn completed_for(call: &Call, rule: &Rule) -> Option<Call> {
    let mut completed = call.clone();
    let rules = [rule];
    // A field the decoded call already has may hold a value chosen for another rule's
    // condition on the same field; the rule's own guess replaces it (the re-check
    // decides whether the result is still a witness).
    for condition in &rule.conditions {
        if let Some(Some(value)) = condition_value(condition, &rules) {
            completed
                .context
                .insert(condition.field.clone(), Value::String(value));
        }
    }
    (completed.context != call.context).then_some(completed)
}

/// The shortest subject of the rule (and the other rule), trying pattern pairs in order.
fn subject(rule: &Rule, other: Option<&Rule>) -> Option<String> {
    let pairs: Vec<Vec<&Glob>> = match other {
        None => rule.patterns.iter().map(|p| vec![&p.glob]).collect(),
        Some(other) => rule
            .patterns
            .iter()
            .flat_map(|a| other.patterns.iter().map(move |b| vec![&a.glob, &b.glob]))
            .take(MAX_PATTERN_PAIRS)
            .collect(),
    };
    pairs
        .iter()
        .find_map(|globs| common_string(globs, FieldDomain::Subject))
}

/// A value admitted by every constrained selector; `Some(None)` when none constrains
/// (leave the field unset), `None` when no common value was found.
fn selector_value<'a>(
    selectors: impl Iterator<Item = &'a Selector>,
    domain: FieldDomain,
) -> Option<Option<String>> {
    let constrained: Vec<&Selector> = selectors.filter(|s| !s.is_any()).collect();
    if constrained.is_empty() {
        return Some(None);
    }
    let first = constrained.first()?;
    let second = constrained.get(1);
    first
        .globs
        .iter()
        .flat_map(|a| {
            let others: Vec<Option<&Glob>> = match second {
                Some(s) => s.globs.iter().map(Some).collect(),
                None => vec![None],
            };
            others
                .into_iter()
                .map(move |b| std::iter::once(a).chain(b).collect::<Vec<&Glob>>())
        })
        .find_map(|globs| common_string(&globs, domain))
        .map(|value| (!value.is_empty()).then_some(value))
}

/// A value for the condition's field that the condition (and a glob condition on the
/// same field in the other rule) admits; `Some(None)` to leave the field absent.
fn condition_value(condition: &Condition, rules: &[&Rule]) -> Option<Option<String>> {
    let globs: Vec<Glob> = rules
        .iter()
        .flat_map(|r| &r.conditions)
        .filter(|c| c.field == condition.field)
        .filter_map(scalar_glob)
        .collect();
    if !globs.is_empty() {
        let refs: Vec<&Glob> = globs.iter().collect();
        return common_string(&refs, FieldDomain::Text).map(Some);
    }
    match &condition.test {
        ConditionTest::Glob { text, .. } => Some(Some(text.clone())),
        ConditionTest::Operator { op, value, .. } => {
            let operand = value.as_ref().unwrap_or(&PyValue::None);
            match op {
                Operator::NotExists => Some(None),
                Operator::Exists => Some(Some("a".to_owned())),
                Operator::Equals | Operator::Contains => {
                    Some(Some(operand_text(operand).into_owned()))
                }
                Operator::In => in_items(operand).first().map(|i| Some(i.to_string())),
                // Opaque to the analysis; a guess the re-check confirms or drops: a
                // regular expression often matches its own text, a number just past a
                // bound passes the comparison.
                Operator::Matches => Some(Some(operand_text(operand).into_owned())),
                Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => {
                    Some(numeric_guess(*op, &operand_text(operand)))
                }
                _ => Some(None),
            }
        }
    }
}

/// A number that passes `op` against the bound `text`, when it is a number.
fn numeric_guess(op: Operator, text: &str) -> Option<String> {
    let bound: f64 = text.trim().parse().ok()?;
    let value = match op {
        Operator::Gt => bound + 1.0,
        Operator::Lt => bound - 1.0,
        _ => bound,
    };
    value.is_finite().then(|| value.to_string())
}

/// The glob of a case-sensitive glob condition (scalar or `op: glob`).
fn scalar_glob(condition: &Condition) -> Option<Glob> {
    match &condition.test {
        ConditionTest::Glob {
            glob,
            substring: false,
            ..
        } => Some(glob.clone()),
        ConditionTest::Operator {
            op: Operator::Glob,
            value,
            case_insensitive: false,
            ..
        } => Some(Glob::parse(&operand_text(
            value.as_ref().unwrap_or(&PyValue::None),
        ))),
        _ => None,
    }
}
