//! Wording shared by the load-error diagnostics: how a value is described to a user, the
//! YAML 1.1 quoting hint, and did-you-mean suggestions.
//!
//! Users write YAML, not Python, so labels say "a list" and "the boolean false" rather
//! than the reference's `list` and `bool` (those stay in the compat messages). The quoting
//! hint matters because most type errors in real policies are an unquoted `no`, `on`,
//! `012` or date that YAML 1.1 resolved to something other than a string.

use crate::diagnostics::suggest::edit_distance;
use crate::python::PyValue;
use crate::source::SourceFile;
use crate::syntax::{Node, NodeKind, ScalarStyle};

/// A short description of a value's type, with an article: `a list`, `the boolean true`.
pub(crate) fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::Null => "null".to_owned(),
        NodeKind::Bool(b) => format!("the boolean {b}"),
        NodeKind::Int(_) => "an integer".to_owned(),
        NodeKind::Float(_) => "a number".to_owned(),
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

/// The candidate closest to `word` within edit distance 2, for did-you-mean help.
/// An exact case-insensitive match wins over any other candidate.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_prefer_case_matches() {
        let ops = ["equals", "in", "not_in"];
        assert_eq!(did_you_mean("EQUALS", &ops), Some("equals"));
        assert_eq!(did_you_mean("equal", &ops), Some("equals"));
        assert_eq!(did_you_mean("regex", &ops), None);
    }
}
