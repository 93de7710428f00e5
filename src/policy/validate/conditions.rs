//! The condition checks of one rule: the shape of `when` and `conditions`, then the
//! envelopes of the mapping the reference actually evaluates.
//!
//! Both shape errors are reported (the reference checks each key), but operators are
//! checked only in the effective mapping (`when` if truthy, else `conditions`): an
//! unknown operator in a shadowed `conditions` loads in the reference, so it must load
//! here too (the analyzer can still flag it as dead text).

use super::messages::{quoting_hint, this_is};
use super::resolve::{effective_conditions, envelope_op};
use super::rules::RuleCx;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::schema;
use crate::diagnostics::suggest::did_you_mean;
use crate::policy::Operator;
use crate::python::str_repr;
use crate::syntax::{Mapping, Node, NodeKind};

/// Check `when`, `conditions` and the envelopes of the effective one.
pub(super) fn check(cx: &mut RuleCx<'_>, rule: &Mapping) {
    for key in ["when", "conditions"] {
        if let Some(value) = rule.get(key) {
            check_shape(cx, key, value);
        }
    }
    let Some(conditions) = effective_conditions(rule) else {
        return;
    };
    for entry in &conditions.entries {
        match entry.key.as_str() {
            None => non_string_field(cx, &entry.key),
            Some(field) => {
                if let Some(op) = envelope_op(field, &entry.value) {
                    check_operator(cx, field, op);
                }
            }
        }
    }
}

fn check_shape(cx: &mut RuleCx<'_>, key: &str, value: &Node) {
    if matches!(value.kind, NodeKind::Null | NodeKind::Map(_)) {
        return;
    }
    let help = match &value.kind {
        NodeKind::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => {
            "write the conditions as one mapping, one `field: pattern` per line, without \
             the `- ` list markers"
        }
        _ => "write the conditions as a mapping of `field: pattern` pairs, e.g. `env: prod`",
    };
    let diagnostic = Diagnostic::new(
        &schema::CONDITIONS_NOT_MAPPING,
        value.span,
        format!(
            "`{key}` of {} must be a mapping of field to pattern",
            cx.name()
        ),
    )
    .with_label(this_is(value))
    .with_help(help)
    .with_compat(cx.compat(&format!("'{key}' must be a mapping of {{field: pattern}}")));
    cx.push(diagnostic);
}

fn check_operator(cx: &mut RuleCx<'_>, field: &str, op: &Node) {
    let Some(name) = op.as_str() else {
        return;
    };
    if Operator::parse(name).is_some() {
        return;
    }
    let help = match did_you_mean(name, Operator::NAMES) {
        Some(close) if close.eq_ignore_ascii_case(name) => {
            format!("operators are lowercase: did you mean `{close}`?")
        }
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("known operators: {}", Operator::NAMES.join(", ")),
    };
    let diagnostic = Diagnostic::new(
        &schema::UNKNOWN_OPERATOR,
        op.span,
        format!(
            "condition `{field}` of {} uses the unknown operator {}",
            cx.name(),
            str_repr(name)
        ),
    )
    .with_label("unknown operator")
    .with_help(help)
    .with_compat(cx.compat(&format!(
        "condition {} uses unknown operator {}",
        str_repr(field),
        str_repr(name)
    )));
    cx.push(diagnostic);
}

/// A condition field that YAML typed as something other than a string (`1:`, `yes:`).
/// The reference crashes on it, so there is no compat text.
fn non_string_field(cx: &mut RuleCx<'_>, key: &Node) {
    let help = quoting_hint(cx.source, key)
        .unwrap_or_else(|| "condition fields are names: quote the key".to_owned());
    let diagnostic = Diagnostic::new(
        &schema::NON_STRING_KEY,
        key.span,
        format!("a condition field of {} is not a string", cx.name()),
    )
    .with_label(format!("this field is {}", super::messages::describe(key)))
    .with_help(help);
    cx.push(diagnostic);
}
