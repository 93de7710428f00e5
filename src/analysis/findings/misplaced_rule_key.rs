//! `misplaced-rule-key`: a rule key written at the top level or in `settings`.
//!
//! The classic cause is a paste that lost its indentation: `escalate_on_deny: true` at
//! column 0 under `- deny: 'Bash:sudo *'` is a top-level key, which the reference ignores
//! without a word, so the approval flag silently disappears and the sudo call is hard
//! denied. The finding names the rule the key most likely belongs to (the rule written
//! just above it) and says how to indent it.

use super::Finding;
use super::unknown_key::RULE_KEYS;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::{Mapping, Node};

pub use crate::diagnostics::codes::findings::MISPLACED_RULE_KEY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

/// The rule keys that mean nothing outside a rule (`id` and `name` are also fine as
/// top-level annotations, so they are not flagged there).
const RULE_ONLY_KEYS: &[&str] = RULE_KEYS.split_at(2).1;

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(root) = context.root() else {
        return Vec::new();
    };
    let rules = context.rule_nodes();
    let source = &context.loaded.source;
    let mut found = misplaced_in(root, "the top level", &rules, source);
    if let Some(settings) = root.get("settings").and_then(Node::as_map) {
        found.extend(misplaced_in(settings, "`settings`", &rules, source));
    }
    found
}

fn misplaced_in(
    mapping: &Mapping,
    place: &str,
    rules: &[&Node],
    source: &SourceFile,
) -> Vec<Diagnostic> {
    mapping
        .entries
        .iter()
        .filter_map(|entry| {
            let key = entry.key.as_str()?;
            RULE_ONLY_KEYS.contains(&key).then(|| {
                diagnose(
                    key,
                    entry.key.span.cover(entry.value.span),
                    place,
                    rules,
                    source,
                )
            })
        })
        .collect()
}

fn diagnose(
    key: &str,
    span: crate::source::Span,
    place: &str,
    rules: &[&Node],
    source: &SourceFile,
) -> Diagnostic {
    let owner = rules
        .iter()
        .enumerate()
        .rfind(|(_, rule)| rule.span.start < span.start);
    let mut diagnostic = Diagnostic::new(
        &INFO,
        span,
        format!("rule key `{key}` is written at {place}, where it has no effect"),
    )
    .with_label(format!("`{key}` belongs inside a rule"));
    match owner {
        Some((index, rule)) => {
            let rule_pos = source.lines().line_col(rule.span.start);
            let key_col = source.lines().line_col(span.start).col;
            let spaces = rule_pos.col.saturating_sub(key_col);
            let first_key = first_key_of(rule).unwrap_or("its first key");
            diagnostic = diagnostic
                .with_rule(index)
                .with_related(rule.span, format!("rules[{index}] is the rule above it"))
                .with_help(format!(
                    "indent this line by {spaces} more spaces so that `{key}` lines up with \
                     `{first_key}` of rules[{index}] (line {})",
                    rule_pos.line
                ));
        }
        None => {
            diagnostic = diagnostic.with_help(format!(
                "move `{key}` into the rule it belongs to, under `rules:`"
            ));
        }
    }
    diagnostic
}

fn first_key_of(rule: &Node) -> Option<&str> {
    rule.as_map()?.entries.first()?.key.as_str()
}
