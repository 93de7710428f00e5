//! `duplicate-key`: the same key written twice in one mapping.
//!
//! The reference loads YAML with PyYAML and JSON with Python's `json`, and both keep
//! the last value without a word; so a rule with two `deny:` keys, or a `settings` block
//! with two `default_action:` lines, silently means whatever the later line says. The
//! front-end records every repetition (first and repeated key spans) while building the
//! tree; this finding only walks the tree and reports them.

use std::collections::{HashMap, HashSet};

use super::Finding;
use super::support::written_scalar;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::syntax::{DuplicateKey, MapEntry, Mapping, Node, NodeKind};

pub use crate::diagnostics::codes::findings::DUPLICATE_KEY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(document) = context.loaded.document.as_ref() else {
        return Vec::new();
    };
    let mut mappings = Vec::new();
    collect_mappings(document, &mut mappings);
    // An alias expands to a copy of its anchored mapping, spans included: report each
    // written repetition once, however often it is expanded.
    let mut seen: HashSet<(Span, Span)> = HashSet::new();
    let source = &context.loaded.source;
    let mut out = Vec::new();
    for mapping in mappings {
        if mapping.duplicates.is_empty() {
            continue;
        }
        let kept = kept_entries(mapping);
        for duplicate in &mapping.duplicates {
            if seen.insert((duplicate.first, duplicate.last)) {
                let kept = kept.get(&duplicate.first).copied();
                out.push(diagnose(source, kept, duplicate));
            }
        }
    }
    out
}

/// For each repeated key (by the span of its first occurrence), the entry that holds it:
/// the entry keeps the key node that took effect, the last one written, so it is the
/// entry whose key span is the `last` of one of that key's repetitions. For keys that
/// only compare equal across types (`1` and `True`) the entry holds the first key and
/// no repetition has one. One pass over the entries and one over the repetitions, so a
/// mapping with tens of thousands of repeated keys costs linear time, not quadratic.
fn kept_entries(mapping: &Mapping) -> HashMap<Span, &MapEntry> {
    let by_key_span: HashMap<Span, &MapEntry> = mapping
        .entries
        .iter()
        .map(|entry| (entry.key.span, entry))
        .collect();
    mapping
        .duplicates
        .iter()
        .filter_map(|d| by_key_span.get(&d.last).map(|&entry| (d.first, entry)))
        .collect()
}

/// Every mapping in the tree, keys included (a mapping can be a key of a `!!set` or of
/// a complex key; rare, but it is a mapping the reference builds all the same).
fn collect_mappings<'a>(node: &'a Node, out: &mut Vec<&'a Mapping>) {
    match &node.kind {
        NodeKind::Map(mapping) => {
            out.push(mapping);
            for entry in &mapping.entries {
                collect_mappings(&entry.key, out);
                collect_mappings(&entry.value, out);
            }
        }
        NodeKind::Seq(items) | NodeKind::Set(items) => {
            for item in items {
                collect_mappings(item, out);
            }
        }
        _ => {}
    }
}

fn diagnose(source: &SourceFile, kept: Option<&MapEntry>, duplicate: &DuplicateKey) -> Diagnostic {
    let key = &duplicate.key;
    let is_last = kept.is_some_and(|entry| entry.key.span == duplicate.last);
    let label = if is_last {
        format!("`{key}` again: this value is the one kept")
    } else {
        format!("`{key}` again: this value is dropped too")
    };
    Diagnostic::new(
        &INFO,
        duplicate.last,
        format!("key `{key}` is written more than once in this mapping"),
    )
    .with_label(label)
    .with_related(
        duplicate.first,
        format!("first `{key}` here: its value is ignored"),
    )
    .with_help(help(source, key, kept.map(|entry| &entry.value)))
}

fn help(source: &SourceFile, key: &str, kept: Option<&Node>) -> String {
    let shown = kept
        .and_then(|value| written_scalar(source, value))
        .filter(|text| !text.is_empty() && text.chars().count() <= 40);
    match shown {
        Some(text) => format!(
            "only the last `{key}` counts (`{key}: {text}`); delete the other occurrences, \
             or merge their values into one"
        ),
        None => format!(
            "only the last `{key}` counts; delete the other occurrences, or merge their \
             values into one"
        ),
    }
}
