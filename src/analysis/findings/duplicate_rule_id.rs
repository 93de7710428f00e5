//! `duplicate-rule-id`: two rules that decisions report under the same policy id.
//!
//! Decisions and audit rows name the deciding rule by its policy id (`str(id)`, else
//! the name, else `rule-<index>`). Two rules with one id make audit lineage ambiguous:
//! an auditor reading `policy_id: block-sudo` cannot tell which rule decided, and a
//! dashboard that aggregates by id merges them.
//!
//! When the document loads, the ids are the policy's own (so `id: 0777` and `id: '511'`
//! collide, as they do in decisions). When it does not, the `id` keys are compared as
//! the reference would render them, which still catches the common copy-paste case.

use std::collections::HashMap;

use super::Finding;
use super::support::{rule_map, rule_maps, with_related_rule};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::python::PyValue;
use crate::source::Span;

pub use crate::diagnostics::codes::findings::DUPLICATE_RULE_ID as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

/// One rule's policy id and where it comes from.
#[derive(Debug)]
struct RuleId {
    index: usize,
    id: String,
    span: Span,
    /// The key the id comes from (`id` or `name`), `None` for the `rule-<i>` default.
    source_key: Option<&'static str>,
}

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let ids = rule_ids(context);
    let mut first_of: HashMap<&str, &RuleId> = HashMap::new();
    let mut found = Vec::new();
    for rule in &ids {
        match first_of.get(rule.id.as_str()) {
            Some(first) => found.push(diagnose(first, rule)),
            None => {
                first_of.insert(&rule.id, rule);
            }
        }
    }
    found
}

/// The policy id of every rule: the loaded policy's when there is one (exact), else
/// `str(id)` of every non-empty `id` key.
fn rule_ids(context: &Context<'_>) -> Vec<RuleId> {
    match context.policy() {
        Some(policy) => policy
            .rules
            .iter()
            .filter_map(|rule| {
                let id = rule.policy_id.clone()?;
                let map = rule_map(context, rule.index);
                let (source_key, span) = ["id", "name"]
                    .into_iter()
                    .find_map(|key| {
                        let value = map?.get(key)?;
                        (PyValue::from_node(value).py_str() == id)
                            .then_some((Some(key), value.span))
                    })
                    .unwrap_or((None, rule.spans.effect_key));
                Some(RuleId {
                    index: rule.index,
                    id,
                    span,
                    source_key,
                })
            })
            .collect(),
        None => rule_maps(context)
            .into_iter()
            .filter_map(|rule| {
                let value = rule.map.get("id")?;
                let id = PyValue::from_node(value).py_str();
                (!id.is_empty()).then_some(RuleId {
                    index: rule.index,
                    id,
                    span: value.span,
                    source_key: Some("id"),
                })
            })
            .collect(),
    }
}

fn diagnose(first: &RuleId, repeat: &RuleId) -> Diagnostic {
    let id = &repeat.id;
    let origin = |rule: &RuleId| match rule.source_key {
        Some("id") => format!("rules[{}] has the id `{}`", rule.index, rule.id),
        Some(key) => format!(
            "rules[{}] is reported as `{}` (from its `{key}`)",
            rule.index, rule.id
        ),
        None => format!(
            "rules[{}] is reported as `{}` by default",
            rule.index, rule.id
        ),
    };
    let diagnostic = Diagnostic::new(
        &INFO,
        repeat.span,
        format!(
            "rules[{}] and rules[{}] share the policy id `{id}`",
            first.index, repeat.index
        ),
    )
    .with_rule(repeat.index)
    .with_label(format!("`{id}` is already used by rules[{}]", first.index))
    .with_help(help(repeat));
    with_related_rule(diagnostic, first.span, first.index, origin(first))
}

fn help(repeat: &RuleId) -> String {
    match repeat.source_key {
        Some("id") => "give each rule its own `id`: decisions and audit rows name the deciding \
                       rule only by it"
            .to_owned(),
        _ => format!(
            "add a unique `id` to rules[{}]: decisions and audit rows name the deciding rule \
             only by its id (or, without one, its name)",
            repeat.index
        ),
    }
}
