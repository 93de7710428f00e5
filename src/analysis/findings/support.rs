//! Small pieces several findings share: walking the rules of the tree, describing a
//! value to a user, quoting it back in the document's own syntax, did-you-mean
//! suggestions, and knowing when a load error already speaks about a node.
//!
//! They live here rather than in each finding so that two findings never describe the
//! same value in two different words, and so that a finding stays a screenful of logic.

use crate::analysis::Context;
pub use crate::diagnostics::suggest::edit_distance;
use crate::diagnostics::{Diagnostic, Related};
use crate::python::PyValue;
use crate::source::{SourceFile, Span};
use crate::syntax::{MapEntry, Mapping, Node, NodeKind, ScalarStyle};

/// One rule of the document as written: its index and its mapping (rules that are not
/// mappings are load errors and are skipped).
#[derive(Debug, Clone, Copy)]
pub struct RuleMap<'a> {
    pub index: usize,
    pub map: &'a Mapping,
}

/// Every rule of `rules` that is a mapping, in order.
pub fn rule_maps<'a>(context: &Context<'a>) -> Vec<RuleMap<'a>> {
    context
        .rule_nodes()
        .into_iter()
        .enumerate()
        .filter_map(|(index, node)| {
            Some(RuleMap {
                index,
                map: node.as_map()?,
            })
        })
        .collect()
}

/// The mapping of the rule at `index`, when it is one.
pub fn rule_map<'a>(context: &Context<'a>, index: usize) -> Option<&'a Mapping> {
    context
        .rule_nodes()
        .get(index)
        .and_then(|node| node.as_map())
}

/// The whole `key: value` text of an entry.
pub fn entry_span(entry: &MapEntry) -> Span {
    entry.key.span.cover(entry.value.span)
}

/// A related location that names a rule.
pub fn related_rule(span: Span, index: usize, message: impl Into<String>) -> Related {
    Related {
        span,
        message: message.into(),
        rule_index: Some(index),
    }
}

/// Adds a related location that names a rule.
pub fn with_related_rule(
    mut diagnostic: Diagnostic,
    span: Span,
    index: usize,
    message: impl Into<String>,
) -> Diagnostic {
    diagnostic.related.push(related_rule(span, index, message));
    diagnostic
}

/// A short description of what YAML or JSON made of a value, with an article.
pub fn describe(node: &Node) -> String {
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

/// The text of a scalar as written, trimmed; `None` for collections and for text that
/// spans lines (a quoting suggestion could not reproduce it on one line).
pub fn written_scalar<'s>(source: &'s SourceFile, node: &Node) -> Option<&'s str> {
    if matches!(
        node.kind,
        NodeKind::Seq(_) | NodeKind::Map(_) | NodeKind::Set(_)
    ) {
        return None;
    }
    let written = source.slice(node.span).trim();
    (!written.contains('\n')).then_some(written)
}

/// Whether the document is JSON (where quoting uses `"` and keys are quoted too).
pub fn is_json(source: &SourceFile) -> bool {
    source.extension().as_deref() == Some("json")
}

/// `text` as a quoted string in the document's syntax: `'0777'` in YAML (single quotes
/// need no escapes but a doubled `'`), `"0777"` in JSON.
pub fn quoted(source: &SourceFile, text: &str) -> String {
    if is_json(source) {
        serde_json::Value::String(text.to_owned()).to_string()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// `key: value` in the document's syntax, for help texts.
pub fn key_value(source: &SourceFile, key: &str, value: &str) -> String {
    if is_json(source) {
        format!("{}: {value}", quoted(source, key))
    } else {
        format!("{key}: {value}")
    }
}

/// Whether a load diagnostic already points at this node: its primary span lies on
/// one line and covers the node. Findings step aside there, so that one problem is
/// reported once, by the more specific diagnostic. (Load diagnostics that span a whole
/// rule do not count: they are about the rule, not about this value.)
pub fn reported_by_load(context: &Context<'_>, span: Span) -> bool {
    let source = &context.loaded.source;
    context.loaded.diagnostics.iter().any(|d| {
        d.span.start <= span.start && span.end <= d.span.end && !source.slice(d.span).contains('\n')
    })
}

/// Whether `node` is a plain (unquoted) YAML scalar.
pub fn is_plain(node: &Node) -> bool {
    node.style == ScalarStyle::Plain
}

/// The closest known word to `word`, for did-you-mean help.
///
/// Two spellings count as the same word when they differ only in case, `_`, `-` or
/// spaces (`Deny`, `reasonCode`, `escalate-on-deny`): those are how keys copied from
/// other tools or languages usually go wrong, and any edit distance would undercount
/// them. Otherwise the candidate must be within an edit distance that grows with its
/// length: one edit for words of five letters or fewer (within two edits of `allow` lie
/// `arrow` and `below`, words of their own), two for longer words.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normalized = normalize(word);
    if let Some(same) = candidates.iter().find(|c| normalize(c) == normalized) {
        return Some(same);
    }
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|&(distance, c)| distance <= max_distance(c))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// The largest edit distance at which `known` is still suggested.
pub fn max_distance(known: &str) -> usize {
    if known.chars().count() <= 5 { 1 } else { 2 }
}

fn normalize(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let keys = [
            "rules",
            "version",
            "settings",
            "escalate_on_deny",
            "reason_code",
        ];
        assert_eq!(did_you_mean("Rules", &keys), Some("rules"));
        assert_eq!(did_you_mean("rule", &keys), Some("rules"));
        assert_eq!(did_you_mean("tools", &keys), None);
        assert_eq!(did_you_mean("verison", &keys), Some("version"));
        assert_eq!(
            did_you_mean("escalateOnDeny", &keys),
            Some("escalate_on_deny")
        );
        assert_eq!(did_you_mean("reason-code", &keys), Some("reason_code"));
        assert_eq!(did_you_mean("description", &keys), None);
    }
}
