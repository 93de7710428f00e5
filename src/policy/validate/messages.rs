//! Wording shared by the load-error diagnostics: how a value is described to a user, the
//! YAML 1.1 quoting hint, and did-you-mean suggestions.
//!
//! Users write YAML, not Python, so labels say "a list" and "the boolean false" rather
//! than the reference's `list` and `bool` (those stay in the compat messages). The quoting
//! hint matters because most type errors in real policies are an unquoted `no`, `on`,
//! `012` or date that YAML 1.1 resolved to something other than a string.

use crate::python::PyValue;
use crate::source::SourceFile;
use crate::syntax::{Node, NodeKind, ScalarStyle};

/// A short description of what YAML or JSON made of a value, with an article: `a list`,
/// `the boolean true`, `the integer 10` (a scalar's value is named, since the surprise is
/// usually which value an unquoted scalar became). The analyzer's findings use it too.
pub(crate) fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::Null => "null".to_owned(),
        NodeKind::Bool(b) => format!("the boolean {b}"),
        NodeKind::Int(i) => format!("the integer {i}"),
        NodeKind::Float(_) => format!("the number {}", PyValue::from_node(node).py_str()),
        NodeKind::Str(_) => "a string".to_owned(),
        NodeKind::Date(_) => "a date".to_owned(),
        NodeKind::DateTime(_) => "a timestamp".to_owned(),
        NodeKind::Binary(_) => "binary data".to_owned(),
        NodeKind::Set(_) => "a set".to_owned(),
        NodeKind::Seq(_) => "a list".to_owned(),
        NodeKind::Map(_) => "a mapping".to_owned(),
    }
}

/// `this is a list`, the usual label under an ill-typed value.
pub(crate) fn this_is(node: &Node) -> String {
    format!("this is {}", describe(node))
}

/// Python `repr()` of a node, as the reference prints values in its messages.
pub(crate) fn repr(node: &Node) -> String {
    PyValue::from_node(node).py_repr()
}

/// When a plain YAML scalar was typed as something other than a string (`no`, `on`,
/// `012`, `2024-01-01`), how YAML read it, naming the text as written.
pub(crate) fn yaml_reading(source: &SourceFile, node: &Node) -> Option<String> {
    written_plain(source, node)
        .map(|written| format!("YAML reads the unquoted `{written}` as {}", describe(node)))
}

/// [`yaml_reading`] plus the advice to quote the value, for places where the text as
/// written is what the author meant (patterns, globs, keys).
pub(crate) fn quoting_hint(source: &SourceFile, node: &Node) -> Option<String> {
    let written = written_plain(source, node)?;
    Some(format!(
        "YAML reads the unquoted `{written}` as {}; quote it to keep the text: `'{written}'`",
        describe(node)
    ))
}

/// The source text of a plain scalar that YAML typed as a non-string.
fn written_plain<'s>(source: &'s SourceFile, node: &Node) -> Option<&'s str> {
    let typed = matches!(
        node.kind,
        NodeKind::Bool(_)
            | NodeKind::Int(_)
            | NodeKind::Float(_)
            | NodeKind::Date(_)
            | NodeKind::DateTime(_)
    );
    if !typed || node.style != ScalarStyle::Plain {
        return None;
    }
    let written = source.slice(node.span).trim();
    (!written.is_empty() && !written.contains(['\'', '\n'])).then_some(written)
}
