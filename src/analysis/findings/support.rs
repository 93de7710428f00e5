//! Small pieces several findings share: walking the rules of the tree, describing a
//! value to a user, quoting it back in the document's own syntax, did-you-mean
//! suggestions, and knowing when a load error already speaks about a node.
//!
//! They live here rather than in each finding so that two findings never describe the
//! same value in two different words, and so that a finding stays a screenful of logic.

use crate::analysis::Context;
pub use crate::diagnostics::suggest::{did_you_mean, max_distance};
use crate::diagnostics::{Diagnostic, Related};
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
    context.rule_node(index).and_then(|node| node.as_map())
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

/// How a value is described to a user (`the integer 10`), the loader's wording.
pub(crate) use crate::policy::describe;

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
