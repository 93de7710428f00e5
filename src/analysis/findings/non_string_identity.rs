//! `non-string-identity`: a rule's `id`, `name`, `reason` or `reason_code` that YAML
//! (or JSON) reads as something other than a string, so that decisions show a text the
//! author did not write.
//!
//! The reference applies Python `str()` to these values: `id: 0777` becomes the policy
//! id `511`, `id: yes` becomes `True`, an empty `name:` becomes `None`. The Go SDK
//! renders them with Go's `%v` instead (`yes` stays `yes` there), so the same rule is
//! reported under different ids by the two SDKs. Values whose rendering equals the text
//! as written (`id: 12`) are left alone: they are harmless.

use super::Finding;
use super::support::{RuleMap, describe, is_json, key_value, quoted, rule_maps, written_scalar};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::python::PyValue;
use crate::source::SourceFile;
use crate::syntax::{MapEntry, NodeKind};

pub use crate::diagnostics::codes::findings::NON_STRING_IDENTITY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

/// The keys whose value decisions render as text.
pub const IDENTITY_KEYS: &[&str] = &["id", "name", "reason", "reason_code"];

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let source = &context.loaded.source;
    rule_maps(context)
        .into_iter()
        .flat_map(|rule| check_rule(source, rule))
        .collect()
}

fn check_rule(source: &SourceFile, rule: RuleMap<'_>) -> Vec<Diagnostic> {
    IDENTITY_KEYS
        .iter()
        .filter_map(|key| rule.map.entry(key))
        .filter_map(|entry| check_entry(source, rule.index, entry))
        .collect()
}

/// Whether the value of an identity key is one this finding reports: not a string, and
/// rendered differently from how it was written.
pub fn changes_when_rendered(source: &SourceFile, entry: &MapEntry) -> bool {
    if matches!(entry.value.kind, NodeKind::Str(_)) {
        return false;
    }
    let rendered = PyValue::from_node(&entry.value).py_str();
    written_scalar(source, &entry.value) != Some(rendered.as_str())
}

fn check_entry(source: &SourceFile, index: usize, entry: &MapEntry) -> Option<Diagnostic> {
    if !changes_when_rendered(source, entry) {
        return None;
    }
    let key = entry.key.as_str()?;
    let value = &entry.value;
    let rendered = PyValue::from_node(value).py_str();
    let written = written_scalar(source, value).filter(|w| !w.is_empty());
    let reading = match written {
        Some(text) => format!("`{text}` is read as {}", describe(value)),
        None => format!("the value is {}", describe(value)),
    };
    let help = match written {
        Some(text) => format!(
            "quote it to keep the text as written: `{}`",
            key_value(source, key, &quoted(source, text))
        ),
        None if value.is_null() => format!(
            "write the {key} as a quoted string, or remove `{key}` (an empty value is \
             rendered `None`)"
        ),
        None => format!(
            "write the {key} as one quoted string{}",
            if is_json(source) { "" } else { " (`'...'`)" }
        ),
    };
    // An empty value has an empty span; point at the key then.
    let span = if value.span.is_empty() {
        entry.key.span
    } else {
        value.span
    };
    Some(
        Diagnostic::new(
            &INFO,
            span,
            format!("rule `{key}` is not a string: {reading}, which becomes `{rendered}`"),
        )
        .with_rule(index)
        .with_label(format!("rendered as `{rendered}`"))
        .with_help(help),
    )
}
