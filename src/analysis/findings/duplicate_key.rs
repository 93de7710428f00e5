//! `duplicate-key`: the same key written twice in one mapping.
//!
//! The reference loads YAML with PyYAML and JSON with Python's `json`, and both keep
//! the last value without a word; so a rule with two `deny:` keys, or a `settings` block
//! with two `default_action:` lines, silently means whatever the later line says. The
//! front-end records every repetition (first and repeated key spans) while building the
//! tree; this finding only walks the tree and reports them.

use std::collections::HashSet;

use super::Finding;
use super::support::written_scalar;
use crate::analysis::Context;
use crate::diagnostics::{CodeInfo, Diagnostic, Level};
use crate::source::{SourceFile, Span};
use crate::syntax::{DuplicateKey, Mapping, Node, NodeKind};

pub static INFO: CodeInfo = CodeInfo {
    code: "GC0402",
    name: "duplicate-key",
    level: Level::Error,
    summary: "a key written twice in one mapping; only the last value counts",
    doc: "Flags a key that appears more than once in the same mapping. The reference \
keeps the last value and drops the others without any message, so the earlier line \
looks meaningful but does nothing. In a rule this is usually a merge accident, and it \
can change what the rule does:\n\n\
```yaml\nrules:\n  - deny: 'Bash:rm *'\n    reason: 'destructive'\n    deny: 'Bash:sudo *'   # only this pattern is used\n```\n\n\
Fix: keep one occurrence. If both values were meant, combine them (`deny: ['Bash:rm *', \
'Bash:sudo *']`) or write two rules.",
};

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
    mappings
        .into_iter()
        .flat_map(|mapping| {
            mapping
                .duplicates
                .iter()
                .map(move |duplicate| (mapping, duplicate))
        })
        .filter(|(_, duplicate)| seen.insert((duplicate.first, duplicate.last)))
        .map(|(mapping, duplicate)| diagnose(source, mapping, duplicate))
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

fn diagnose(source: &SourceFile, mapping: &Mapping, duplicate: &DuplicateKey) -> Diagnostic {
    let key = &duplicate.key;
    // The entry holds the key node that took effect, the last one written; for keys
    // that only compare equal across types (`1` and `True`) it holds the first, and
    // then no repetition is the kept one.
    let kept = mapping.entries.iter().find(|entry| {
        mapping
            .duplicates
            .iter()
            .any(|d| d.first == duplicate.first && d.last == entry.key.span)
    });
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
