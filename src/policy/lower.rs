//! Lowering: a validated document to the [`Policy`] IR.
//!
//! Runs only on documents that validated without errors, so it reports nothing itself:
//! where an invariant the validator established does not hold after all, it gives up
//! (the loader turns that into an internal-error diagnostic) rather than guess, because a
//! silently dropped condition or pattern would change decisions. Every value is read through `validate::resolve`, the same functions the
//! validator used, and every text the decisions carry (ids, reasons, condition patterns)
//! is rendered once here with Python's `str()`.

use super::validate::resolve::{
    EffectSource, effect_source, effective_conditions, envelope_op, first_truthy, truthy,
};
use super::{Condition, ConditionTest, Effect, Operator, Policy, Rule, RuleSpans, Selector};
use crate::pattern::{Glob, ToolPattern};
use crate::python::{PyValue, py_strip};
use crate::source::{SourceFile, Span};
use crate::syntax::{Mapping, Node, NodeKind};

/// Lower a validated document (its root mapping). On an invariant failure, the span of
/// what could not be lowered.
pub(crate) fn lower(source: &SourceFile, root: &Mapping) -> Result<Policy, Span> {
    let rules_node = root.get("rules");
    let Some(NodeKind::Seq(items)) = rules_node.map(|r| &r.kind) else {
        return Err(rules_node.map_or_else(Span::default, |r| r.span));
    };
    // Sized up front: collecting through `Result` cannot see the length, so the vector
    // grew by doubling and copied every rule at each step.
    let mut rules = Vec::with_capacity(items.len());
    for (index, node) in items.iter().enumerate() {
        rules.push(lower_rule(source, index, node).ok_or(node.span)?);
    }
    Ok(Policy {
        default_action: default_action(root),
        rules,
    })
}

/// `settings.default_action`; absent, null (or no settings) is the fail-closed `deny`.
fn default_action(root: &Mapping) -> Effect {
    root.get("settings")
        .and_then(Node::as_map)
        .and_then(|s| s.get("default_action"))
        .and_then(Node::as_str)
        .and_then(Effect::parse)
        .unwrap_or(Effect::Deny)
}

fn lower_rule(source: &SourceFile, index: usize, node: &Node) -> Option<Rule> {
    let map = node.as_map()?;
    let (effect, effect_key, pattern) = effect_and_pattern(map)?;
    let (patterns, pattern_spans) = patterns(pattern)?;
    let identity = Identity::of(index, map);
    let position = source.lines().line_col(node.span.start);
    Some(Rule {
        index,
        effect,
        patterns,
        resources: selector(first_truthy(map, "resources", "resource"), true),
        clients: selector(map.get("clients"), false),
        projects: selector(map.get("projects"), false),
        conditions: conditions(map)?,
        policy_id: identity.policy_id,
        reason: identity.reason,
        reason_code: identity.reason_code,
        escalate_on_deny: map.get("escalate_on_deny").is_some_and(truthy),
        spans: RuleSpans {
            rule: node.span,
            effect_key,
            patterns: pattern_spans,
            escalate_on_deny: map.get("escalate_on_deny").map(|n| n.span),
            id: map.get("id").map(|n| n.span),
        },
        line: u32::try_from(position.line).unwrap_or(u32::MAX),
        col: u32::try_from(position.col).unwrap_or(u32::MAX),
    })
}

/// The effect, the span of the key that gave it, and the pattern node.
fn effect_and_pattern(map: &Mapping) -> Option<(Effect, Span, &Node)> {
    match effect_source(map) {
        EffectSource::Long { entry, pattern } => {
            let effect = entry.value.as_str().and_then(Effect::parse)?;
            Some((effect, entry.key.span, pattern?))
        }
        EffectSource::Short { effect, entry } => Some((effect, entry.key.span, &entry.value)),
        EffectSource::Both { .. } | EffectSource::Missing => None,
    }
}

/// A string is one pattern; a list (possibly empty) is one pattern per element.
fn patterns(node: &Node) -> Option<(Vec<ToolPattern>, Vec<Span>)> {
    let elements: Vec<&Node> = match &node.kind {
        NodeKind::Str(_) => vec![node],
        NodeKind::Seq(items) => items.iter().collect(),
        _ => return None,
    };
    let mut patterns = Vec::with_capacity(elements.len());
    let mut spans = Vec::with_capacity(elements.len());
    for element in elements {
        patterns.push(ToolPattern::new(element.as_str()?));
        spans.push(element.span);
    }
    Some((patterns, spans))
}

/// A selector from `value` (falsy: no constraint). `star_is_universal`: for resources,
/// an element that is exactly `*` makes the rule apply even without a resource.
fn selector(value: Option<&Node>, star_is_universal: bool) -> Selector {
    let texts: Vec<&str> = match value.filter(|v| truthy(v)).map(|v| &v.kind) {
        Some(NodeKind::Str(text)) => vec![text.as_str()],
        Some(NodeKind::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        // Most rules have no selector of each kind: no vector is built for them.
        _ => return Selector::default(),
    };
    Selector {
        universal: star_is_universal && texts.contains(&"*"),
        globs: texts.iter().copied().map(Glob::parse).collect(),
    }
}

/// The effective conditions (`when` if truthy, else `conditions`), in document order.
fn conditions(rule: &Mapping) -> Option<Vec<Condition>> {
    let Some(map) = effective_conditions(rule) else {
        return Some(Vec::new());
    };
    map.entries
        .iter()
        .map(|entry| {
            let field = entry.key.as_str()?;
            Some(Condition {
                field: field.to_owned(),
                test: condition_test(field, &entry.value)?,
                span: entry.key.span.cover(entry.value.span),
            })
        })
        .collect()
}

fn condition_test(field: &str, value: &Node) -> Option<ConditionTest> {
    if let Some(op) = envelope_op(field, value) {
        let envelope = value.as_map()?;
        let op = Operator::parse(op.as_str()?)?;
        let operand = envelope.get("value").map(PyValue::from_node);
        let case_insensitive = envelope.get("case_insensitive").is_some_and(truthy);
        // The `matches` operand is compiled here, once, by the constructor the bundle
        // reader also uses.
        return Some(ConditionTest::envelope(op, operand, case_insensitive));
    }
    Some(ConditionTest::scalar(
        field,
        PyValue::from_node(value).py_str(),
    ))
}

/// The decision texts of a rule (README "Decision fields").
struct Identity {
    policy_id: Option<String>,
    reason: String,
    reason_code: String,
}

impl Identity {
    fn of(index: usize, rule: &Mapping) -> Identity {
        // `str()` of a string is itself; only other values go through a Python value.
        let py_str = |key: &str| {
            rule.get(key).map(|n| match &n.kind {
                NodeKind::Str(text) => text.clone(),
                _ => PyValue::from_node(n).py_str(),
            })
        };
        let id = py_str("id");
        let name = py_str("name")
            .or_else(|| id.clone())
            .unwrap_or_else(|| format!("rule-{index}"));
        let id = id.unwrap_or_default();
        let id_or_name = if id.is_empty() { &name } else { &id };
        let policy_id = Some(id_or_name.clone()).filter(|s| !s.is_empty());
        let reason = py_str("reason")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| {
                // Python strips the whole text; it starts with `M`, so only its end.
                let mut text = ["Matched rule ", id_or_name].concat();
                text.truncate(py_strip(&text).len());
                text
            });
        let reason_code = py_str("reason_code")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "RULE_MATCH".to_owned());
        Identity {
            policy_id,
            reason,
            reason_code,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::load;
    use crate::source::SourceFile;

    #[test]
    fn the_default_reason_is_stripped_as_python_strips_it() {
        let text = "rules:\n  - deny: a\n    id: '  x '\n  - deny: b\n    id: '   '\n  - deny: c\n";
        let loaded = load(SourceFile::new("p.yaml", text));
        let reasons: Vec<&str> = loaded
            .policy
            .iter()
            .flat_map(|p| &p.rules)
            .map(|r| r.reason.as_str())
            .collect();
        // `"Matched rule {id}".strip()`: inner spaces kept, trailing ones removed.
        assert_eq!(
            reasons,
            ["Matched rule   x", "Matched rule", "Matched rule rule-2"]
        );
    }
}
