//! `unknown-key`: a key the language does not define, where a known key was almost
//! surely meant.
//!
//! The reference ignores keys it does not know (only a rule key one edit away from a
//! known one earns a line on stderr), so `reson:`, `escalateOnDeny:` or `setings:` do
//! nothing at all. Where a document may carry annotations of its own (the top level,
//! rules) only keys close to a known key are reported; `settings` and condition
//! envelopes are closed vocabularies, so every unknown key there is reported.

use super::Finding;
use super::support::{RuleMap, did_you_mean, rule_maps};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::syntax::{MapEntry, Mapping, Node, NodeKind};

pub use crate::diagnostics::codes::findings::UNKNOWN_KEY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

const TOP_LEVEL_KEYS: &[&str] = &["version", "settings", "rules"];

/// Rule keys the reference reads, `id` and `name` first (`misplaced-rule-key` takes the
/// rest of this list as the keys that only mean something inside a rule).
pub(super) const RULE_KEYS: &[&str] = &[
    "id",
    "name",
    "deny",
    "allow",
    "effect",
    "action",
    "actions",
    "resource",
    "resources",
    "clients",
    "projects",
    "when",
    "conditions",
    "reason",
    "reason_code",
    "reason_localized",
    "escalate_on_deny",
];

const SETTINGS_KEYS: &[&str] = &[
    "default_action",
    "default_on_missing",
    "default_on_empty",
    "default_on_tamper",
    "tamper_behavior",
    "enforcement_status",
];

const ENVELOPE_KEYS: &[&str] = &["op", "value", "case_insensitive"];

/// Condition keys that are never envelopes (their mappings are free-form).
const RESERVED_CONDITION_KEYS: &[&str] = &["time_range", "ip_whitelist", "tags"];

/// Keys that say what the author wanted in other words: approval flags borrowed from
/// other policy languages, and the `warn` effect written like `deny`/`allow`.
const RULE_SYNONYMS: &[(&str, &str)] = &[
    ("require_approval", "escalate_on_deny"),
    ("requires_approval", "escalate_on_deny"),
    ("approval_required", "escalate_on_deny"),
    ("needs_approval", "escalate_on_deny"),
    ("approval", "escalate_on_deny"),
    ("hitl", "escalate_on_deny"),
    ("escalate", "escalate_on_deny"),
    ("escalation", "escalate_on_deny"),
    ("escalate_on_denial", "escalate_on_deny"),
    ("condition", "conditions"),
];

const ENVELOPE_SYNONYMS: &[(&str, &str)] = &[
    ("operator", "op"),
    ("operation", "op"),
    ("values", "value"),
    ("ignore_case", "case_insensitive"),
    ("ignorecase", "case_insensitive"),
    ("case_sensitive", "case_insensitive"),
];

/// Which mapping a key was found in, for messages and for the suggestion rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    TopLevel,
    Settings,
    Rule(usize),
    Envelope(usize),
}

/// An unknown key and what it most likely stands for.
#[derive(Debug, Clone, Copy)]
struct Unknown<'a> {
    entry: &'a MapEntry,
    key: &'a str,
    suggestion: Option<&'static str>,
    scope: Scope,
}

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(root) = context.root() else {
        return Vec::new();
    };
    let mut found = unknown_in(root, Scope::TopLevel);
    if let Some(settings) = root.get("settings").and_then(Node::as_map) {
        found.extend(unknown_in(settings, Scope::Settings));
    }
    for rule in rule_maps(context) {
        let has_effect = ["deny", "allow", "effect"]
            .iter()
            .any(|key| rule.map.contains_key(key));
        found.extend(
            unknown_in(rule.map, Scope::Rule(rule.index))
                .into_iter()
                .filter(|unknown| has_effect || !suggests_effect(unknown)),
        );
        found.extend(envelopes(rule));
    }
    found.into_iter().map(diagnose).collect()
}

/// A rule without `deny`, `allow` or `effect` is a load error whose help already
/// suggests the effect key a misspelt one stands for (`Deny:` → `deny`).
fn suggests_effect(unknown: &Unknown<'_>) -> bool {
    matches!(unknown.suggestion, Some("deny" | "allow" | "effect"))
}

fn envelopes(rule: RuleMap<'_>) -> Vec<Unknown<'_>> {
    let mut found = Vec::new();
    for key in ["when", "conditions"] {
        let Some(conditions) = rule.map.get(key).and_then(Node::as_map) else {
            continue;
        };
        for condition in &conditions.entries {
            let field = condition.key.as_str().unwrap_or_default();
            if RESERVED_CONDITION_KEYS.contains(&field) {
                continue;
            }
            if let Some(envelope) = condition.value.as_map() {
                found.extend(envelope_keys(envelope, rule.index));
            }
        }
    }
    found
}

/// An envelope is a mapping with a string `op`; every other key of it is unknown. A
/// mapping without one is compared as its Python text, which is never what was meant,
/// so its keys are checked too, but reported only when one stands for `op`.
fn envelope_keys(envelope: &Mapping, index: usize) -> Vec<Unknown<'_>> {
    let is_envelope = envelope
        .get("op")
        .is_some_and(|op| matches!(op.kind, NodeKind::Str(_)));
    unknown_in(envelope, Scope::Envelope(index))
        .into_iter()
        .filter(|unknown| is_envelope || unknown.suggestion == Some("op"))
        .collect()
}

fn unknown_in(mapping: &Mapping, scope: Scope) -> Vec<Unknown<'_>> {
    mapping
        .entries
        .iter()
        .filter_map(|entry| check_key(entry, scope))
        .collect()
}

fn known_keys(scope: Scope) -> &'static [&'static str] {
    match scope {
        Scope::TopLevel => TOP_LEVEL_KEYS,
        Scope::Settings => SETTINGS_KEYS,
        Scope::Rule(_) => RULE_KEYS,
        Scope::Envelope(_) => ENVELOPE_KEYS,
    }
}

fn check_key(entry: &MapEntry, scope: Scope) -> Option<Unknown<'_>> {
    let key = entry.key.as_str()?;
    if known_keys(scope).contains(&key) || owned_elsewhere(key, scope) {
        return None;
    }
    let suggestion = suggest(key, scope);
    let closed = matches!(scope, Scope::Settings | Scope::Envelope(_));
    (suggestion.is_some() || closed).then_some(Unknown {
        entry,
        key,
        suggestion,
        scope,
    })
}

/// Keys another finding reports at this place: exact rule keys at the top level or in
/// `settings` (`misplaced-rule-key`), top-level `default_action`
/// (`go-schema-portability`).
fn owned_elsewhere(key: &str, scope: Scope) -> bool {
    let rule_only = RULE_KEYS.contains(&key) && key != "id" && key != "name";
    match scope {
        Scope::TopLevel => rule_only || key == "default_action",
        Scope::Settings => rule_only,
        Scope::Rule(_) | Scope::Envelope(_) => false,
    }
}

/// The known key `key` most likely stands for.
fn suggest(key: &str, scope: Scope) -> Option<&'static str> {
    let lower = key.to_lowercase();
    let synonyms = match scope {
        Scope::Rule(_) if lower == "warn" => return Some("effect"),
        Scope::Rule(_) => RULE_SYNONYMS,
        Scope::Envelope(_) => ENVELOPE_SYNONYMS,
        Scope::TopLevel | Scope::Settings => &[],
    };
    if let Some((_, meant)) = synonyms.iter().find(|(synonym, _)| *synonym == lower) {
        return Some(meant);
    }
    did_you_mean(key, known_keys(scope)).or_else(|| match scope {
        // A misspelt rule key that also lost its indentation (`id` and `name` are
        // accepted at the top level, so they are no suggestion there).
        Scope::TopLevel => did_you_mean(key, RULE_KEYS.get(2..).unwrap_or_default()),
        _ => None,
    })
}

fn describe_scope(scope: Scope) -> (&'static str, &'static str) {
    match scope {
        Scope::TopLevel => ("the policy", "top-level key"),
        Scope::Settings => ("`settings`", "setting"),
        Scope::Rule(_) => ("a rule", "rule key"),
        Scope::Envelope(_) => ("a condition envelope", "condition envelope key"),
    }
}

fn diagnose(unknown: Unknown<'_>) -> Diagnostic {
    let (place, what) = describe_scope(unknown.scope);
    let key = unknown.key;
    let mut diagnostic = Diagnostic::new(
        &INFO,
        unknown.entry.key.span,
        format!("unknown {what} `{key}`"),
    )
    .with_label(format!("not a key of {place}: it has no effect"));
    if let Scope::Rule(index) | Scope::Envelope(index) = unknown.scope {
        diagnostic = diagnostic.with_rule(index);
    }
    diagnostic.with_help(help(key, unknown.suggestion, unknown.scope))
}

fn help(key: &str, suggestion: Option<&str>, scope: Scope) -> String {
    match (suggestion, scope) {
        (Some("effect"), Scope::Rule(_)) if key.eq_ignore_ascii_case("warn") => {
            "`warn` is not a rule key: write `effect: warn` with the pattern under `action:`"
                .to_owned()
        }
        (Some(meant), Scope::TopLevel) if !TOP_LEVEL_KEYS.contains(&meant) => format!(
            "did you mean `{meant}`? it is a rule key: rename it and indent it under the rule \
             it belongs to"
        ),
        (Some(meant), _) => format!(
            "did you mean `{meant}`? the reference ignores unknown keys, so `{key}` does nothing"
        ),
        (None, Scope::Envelope(_)) => {
            "an envelope has only `op`, `value` and `case_insensitive`: remove this key".to_owned()
        }
        (None, _) => format!(
            "`settings` accepts only {}: remove this key",
            SETTINGS_KEYS.join(", ")
        ),
    }
}
