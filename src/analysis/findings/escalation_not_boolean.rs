//! `escalation-not-boolean`: an `escalate_on_deny` value that is not a boolean.
//!
//! The reference takes Python truthiness of the value, so every non-empty string is
//! true: `escalate_on_deny: 'false'` makes the deny approvable. The Go SDK reads the
//! strings `false`, `no`, `0` and `off` (in any case, surrounding blanks ignored) as
//! false. Those strings are errors: the two SDKs disagree on whether a human may approve
//! the call. Every other non-boolean (`'true'`, `1`, `null`, a list) is a warning: the
//! reading is the same today, but only a boolean says what was meant.

use super::Finding;
use super::support::{RuleMap, describe, key_value, rule_maps};
use crate::analysis::Context;
use crate::diagnostics::{Diagnostic, Level};
use crate::python::PyValue;
use crate::source::SourceFile;
use crate::syntax::{MapEntry, Node, NodeKind};

pub use crate::diagnostics::codes::findings::ESCALATION_NOT_BOOLEAN as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let source = &context.loaded.source;
    rule_maps(context)
        .into_iter()
        .filter_map(|rule| check(source, rule))
        .collect()
}

fn check(source: &SourceFile, rule: RuleMap<'_>) -> Option<Diagnostic> {
    let entry = rule.map.entry("escalate_on_deny")?;
    let value = &entry.value;
    if matches!(value.kind, NodeKind::Bool(_)) {
        return None;
    }
    let truthy = PyValue::from_node(value).truthy();
    let diagnostic = if go_reads_false_string(value) {
        disagreement(source, entry)
    } else {
        non_boolean(source, entry, truthy)
    };
    Some(diagnostic.with_rule(rule.index))
}

/// A string the reference reads as true and the Go SDK as false.
fn go_reads_false_string(value: &Node) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    !text.is_empty()
        && matches!(
            text.trim().to_lowercase().as_str(),
            "" | "false" | "no" | "0" | "off"
        )
}

fn disagreement(source: &SourceFile, entry: &MapEntry) -> Diagnostic {
    let shown = key_value(
        source,
        "escalate_on_deny",
        source.slice(entry.value.span).trim(),
    );
    Diagnostic::new(
        &INFO,
        entry.value.span,
        format!("`{shown}` is a non-empty string, which the reference reads as true"),
    )
    .with_label("true in the reference, false in the Go SDK")
    .with_help(format!(
        "write the boolean without quotes: `{}` (or `{}` if approval is meant)",
        key_value(source, "escalate_on_deny", "false"),
        key_value(source, "escalate_on_deny", "true")
    ))
}

fn non_boolean(source: &SourceFile, entry: &MapEntry, truthy: bool) -> Diagnostic {
    let value = &entry.value;
    let mut diagnostic = Diagnostic::new(
        &INFO,
        if value.span.is_empty() {
            entry.key.span
        } else {
            value.span
        },
        format!(
            "`escalate_on_deny` should be a boolean, not {}",
            describe(value)
        ),
    )
    .with_label(format!("the reference reads this as {truthy}"))
    .with_help(format!(
        "write `{}` to say what the reference already does",
        key_value(
            source,
            "escalate_on_deny",
            if truthy { "true" } else { "false" }
        )
    ));
    diagnostic.level = Level::Warning;
    diagnostic
}
