//! Each rule as a regular language over encoded requests (see [`super::domain`]).
//!
//! A rule's language is the concatenation of its gates, one per field; a gate the rule
//! does not have is "anything the field can hold". Gates that regular languages cannot
//! express exactly are left out, which over-approximates the rule, and the rule is marked
//! *opaque*: the analysis may still prove it unreachable (its real language is smaller),
//! but never lets it cover another rule.
//!
//! Exact: action patterns, clients, projects, resources, scalar glob conditions, and the
//! envelopes `glob`, `equals`, `contains`, `in`, `exists` and `not_exists` when they are
//! case-sensitive. Opaque: `matches`, numeric and range operators, `not_in`,
//! case-insensitive envelopes, and any condition on `client_name`, `project_id`,
//! `resource` (whose values the selectors read too, so the two are not independent), on
//! `tags` (whose mapping changes every other lookup), or on a key that folds to
//! `input_text` (derived from several other keys).
//!
//! The keys `input_text` is derived from (`command`, `prompt`, ...) are encoded exactly:
//! each is one independent field of the lookup, and a rule that reads the derived
//! `input_text` is opaque anyway, so no exact rule depends on the derivation. Treating
//! them as opaque would only lose precision on the most common condition keys.

use regex_syntax::hir::Hir;

use super::domain::{absent, any_bytes, loose_text, loose_text_or_absent, loosen, sep};
use crate::eval::{in_items, operand_text};
use crate::pattern::{Glob, casefold};
use crate::policy::{Condition, ConditionTest, Operator, Policy, Rule, Selector};
use crate::python::PyValue;

/// The condition keys encoded as fields, in layout order (sorted, deduplicated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    keys: Vec<String>,
}

impl Layout {
    /// Every key some rule tests with an exactly encodable condition.
    pub fn of(policy: &Policy) -> Layout {
        let mut keys: Vec<String> = policy
            .rules
            .iter()
            .flat_map(|rule| &rule.conditions)
            .filter(|condition| exact_condition(condition).is_some())
            .map(|condition| condition.field.clone())
            .collect();
        keys.sort();
        keys.dedup();
        Layout { keys }
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.keys.binary_search_by(|k| k.as_str().cmp(key)).ok()
    }
}

/// One gate of a rule, for explaining which one can never hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateId {
    Action,
    Clients,
    Projects,
    Resource,
    /// The condition at this position of `rule.conditions`.
    Condition(usize),
}

/// Whether a rule has a gate the encoding cannot express exactly.
pub fn is_opaque(rule: &Rule) -> bool {
    rule.conditions
        .iter()
        .any(|condition| exact_condition(condition).is_none())
}

/// The language of `rule` over `layout` (an over-approximation when the rule is opaque).
pub fn rule_language(rule: &Rule, layout: &Layout) -> Hir {
    fields_hir(rule_fields(rule, layout, None))
}

/// The language of `rule` with only one of its gates kept (the others are "anything"):
/// empty exactly when that gate alone can never hold.
pub fn single_gate_language(rule: &Rule, layout: &Layout, gate: GateId) -> Hir {
    fields_hir(rule_fields(rule, layout, Some(gate)))
}

/// The gates of a rule, one per field; `None` for an unconstrained field.
fn rule_fields(rule: &Rule, layout: &Layout, only: Option<GateId>) -> Vec<Option<Hir>> {
    let keep = |gate: GateId| only.is_none_or(|g| g == gate);
    let mut fields = vec![
        keep(GateId::Action).then(|| action_hir(rule)),
        selector_hir(&rule.clients).filter(|_| keep(GateId::Clients)),
        selector_hir(&rule.projects).filter(|_| keep(GateId::Projects)),
        selector_hir(&rule.resources).filter(|_| keep(GateId::Resource)),
    ];
    fields.resize(4 + layout.keys().len(), None);
    for (position, condition) in rule.conditions.iter().enumerate() {
        if !keep(GateId::Condition(position)) {
            continue;
        }
        let slot = layout.position(&condition.field).map(|p| p + 4);
        if let (Some(hir), Some(slot)) = (exact_condition(condition), slot)
            && let Some(field) = fields.get_mut(slot)
        {
            *field = Some(hir);
        }
    }
    fields
}

/// Concatenates the fields with separators. An unconstrained field is "anything"; once
/// no constrained field follows, the rest of the request is left to the domain.
fn fields_hir(mut fields: Vec<Option<Hir>>) -> Hir {
    let first = if fields.is_empty() {
        None
    } else {
        fields.remove(0)
    };
    Hir::concat(vec![
        first.unwrap_or_else(|| unconstrained(0)),
        tail_hir(fields),
    ])
}

/// Everything after the subject: the other fields, each behind its separator.
fn tail_hir(fields: Vec<Option<Hir>>) -> Hir {
    let count = fields.len();
    let last = fields.iter().rposition(Option::is_some);
    let kept = last.map_or(0, |l| l + 1);
    let mut parts = Vec::with_capacity(2 * kept + 2);
    for (position, field) in fields.into_iter().enumerate().take(kept) {
        parts.push(sep());
        parts.push(field.unwrap_or_else(|| unconstrained(position + 1)));
    }
    if kept < count {
        parts.push(sep());
        parts.push(any_bytes());
    }
    Hir::concat(parts)
}

/// What an unconstrained field can hold: text (subject, client, project), or text or
/// absent (resource, condition values). The domain makes both exact.
fn unconstrained(position: usize) -> Hir {
    if position < 3 {
        loose_text()
    } else {
        loose_text_or_absent()
    }
}

/// The action gate: some pattern matches the folded subject. No pattern: nothing.
fn action_hir(rule: &Rule) -> Hir {
    Hir::alternation(rule.patterns.iter().map(|p| glob_hir(&p.glob)).collect())
}

/// A selector's gate, `None` when it admits everything. The glob languages hold text
/// only, so a constrained resource gate excludes an absent resource; the domain's
/// resource is never empty, which takes care of the evaluator reading `""` as absent.
fn selector_hir(selector: &Selector) -> Option<Hir> {
    (!selector.is_any()).then(|| Hir::alternation(selector.globs.iter().map(glob_hir).collect()))
}

/// A glob's language, with its `*` runs loosened (see [`loose_text`]).
pub fn glob_hir(glob: &Glob) -> Hir {
    loosen(glob.to_hir())
}

/// Keys whose condition cannot be encoded as an independent field.
fn key_is_opaque(field: &str) -> bool {
    matches!(field, "client_name" | "project_id" | "resource" | "tags")
        || casefold(field) == "input_text"
}

/// The exact language of a condition over its field (absent or text), or `None` when
/// the condition is opaque.
pub fn exact_condition(condition: &Condition) -> Option<Hir> {
    if key_is_opaque(&condition.field) {
        return None;
    }
    match &condition.test {
        ConditionTest::Glob {
            glob,
            substring: false,
            ..
        } => Some(glob_hir(glob)),
        ConditionTest::Glob { .. } => None,
        ConditionTest::Operator {
            op: Operator::Exists,
            ..
        } => Some(loose_text()),
        ConditionTest::Operator {
            op: Operator::NotExists,
            ..
        } => Some(absent()),
        ConditionTest::Operator {
            case_insensitive: true,
            ..
        } => None,
        ConditionTest::Operator { op, value, .. } => {
            envelope_hir(*op, value.as_ref().unwrap_or(&PyValue::None))
        }
    }
}

/// The case-sensitive text envelopes, on `str()` of the field value.
fn envelope_hir(op: Operator, operand: &PyValue) -> Option<Hir> {
    match op {
        Operator::Glob => Some(glob_hir(&Glob::parse(&operand_text(operand)))),
        Operator::Equals => Some(Hir::literal(operand_text(operand).as_bytes())),
        Operator::Contains => Some(Hir::concat(vec![
            loose_text(),
            Hir::literal(operand_text(operand).as_bytes()),
            loose_text(),
        ])),
        Operator::In => Some(Hir::alternation(
            in_items(operand)
                .iter()
                .map(|item| Hir::literal(item.as_bytes()))
                .collect(),
        )),
        _ => None,
    }
}
