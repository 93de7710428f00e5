//! `go-schema-portability`: document structure that the Go SDK reads differently from
//! the reference, so that the same file decides differently there.
//!
//! Two differences are reported. The Go SDK honours `default_action` (and the other
//! defaults) written at the top level, ahead of `settings`, while the reference ignores
//! them; and the Go SDK has no client, project or condition gates, so an `allow` rule
//! narrowed by `clients`, `projects` or `when` allows every call of its pattern there
//! (fail-open). On deny rules the same gap only makes Go stricter, which is not
//! reported. `version: 1` (an integer) and `effect: audit` also differ between the SDKs,
//! but the reference refuses those documents, so the load errors already say so.

use super::Finding;
use super::support::{entry_span, rule_map};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::policy::{Effect, Rule};
use crate::syntax::{Mapping, Node};

pub use crate::diagnostics::codes::findings::GO_SCHEMA_PORTABILITY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

const TOP_LEVEL_DEFAULTS: &[&str] = &[
    "default_action",
    "default_on_missing",
    "default_on_empty",
    "default_on_tamper",
];

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut found = context.root().map(top_level_defaults).unwrap_or_default();
    if let Some(policy) = context.policy() {
        found.extend(
            policy
                .rules
                .iter()
                .filter(|rule| rule.effect == Effect::Allow)
                .flat_map(|rule| ignored_gates(context, rule)),
        );
    }
    found
}

fn top_level_defaults(root: &Mapping) -> Vec<Diagnostic> {
    let settings = root.get("settings").and_then(Node::as_map);
    TOP_LEVEL_DEFAULTS
        .iter()
        .filter_map(|key| {
            let entry = root.entry(key)?;
            let in_settings = settings.and_then(|s| s.get(key));
            let reference = match (*key, in_settings.and_then(Node::as_str)) {
                ("default_action", Some(value)) => {
                    format!("the reference uses `settings.{key}: {value}`")
                }
                ("default_action", None) => "the reference ignores it and denies".to_owned(),
                _ => "the reference ignores it".to_owned(),
            };
            let help = if in_settings.is_some() {
                format!(
                    "remove the top-level `{key}`: `settings.{key}` is the one the reference reads"
                )
            } else {
                format!("move `{key}` under `settings:`, where both SDKs read it")
            };
            Some(
                Diagnostic::new(
                    &INFO,
                    entry_span(entry),
                    format!("top-level `{key}` is used by the Go SDK but ignored by the reference"),
                )
                .with_label(format!("the Go SDK reads this; {reference}"))
                .with_help(help),
            )
        })
        .collect()
}

/// The gates of an allow rule that the Go SDK does not evaluate.
fn ignored_gates(context: &Context<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let Some(map) = rule_map(context, rule.index) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    if !rule.clients.is_any() {
        keys.push("clients");
    }
    if !rule.projects.is_any() {
        keys.push("projects");
    }
    if !rule.conditions.is_empty() {
        // The effective conditions: `when` if it is the one the reference reads.
        let when_used = map
            .get("when")
            .is_some_and(|w| w.as_map().is_some_and(|m| !m.is_empty()));
        keys.push(if when_used { "when" } else { "conditions" });
    }
    keys.into_iter()
        .filter_map(|key| {
            let entry = map.entry(key)?;
            Some(
                Diagnostic::new(
                    &INFO,
                    entry.key.span,
                    format!(
                        "the Go SDK ignores `{key}`, so this allow rule allows every call its \
                         pattern matches there"
                    ),
                )
                .with_rule(rule.index)
                .with_label(format!("`{key}` narrows the allow here only"))
                .with_help(
                    "if the Go SDK enforces this policy too, narrow the pattern or use \
                     `resources` (both SDKs honour them) instead of relying on this gate",
                ),
            )
        })
        .collect()
}
