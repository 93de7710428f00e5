//! Phase A of validation: `version`, `settings` and `rules`, in the reference's order.
//!
//! Any error here stops validation before the rules are looked at, exactly as the
//! reference reports top-level problems alone; `super::validate` enforces that.

use super::messages::{describe, repr, this_is, yaml_reading};
use super::resolve::unhashable;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::schema;
use crate::diagnostics::suggest::did_you_mean;
use crate::source::{SourceFile, Span};
use crate::syntax::{Mapping, Node, NodeKind};

/// One validated settings key: its allowed values (in the order the reference prints
/// them) and whether an explicit null means "absent".
struct SettingSpec {
    key: &'static str,
    allowed: &'static [&'static str],
    null_is_absent: bool,
}

const TAMPER_VALUES: &[&str] = &["deny", "deny-all", "quarantine", "warn"];

/// In the reference's checking order; `tamper_behavior` is the legacy key and the only
/// one whose explicit null is refused.
const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "tamper_behavior",
        allowed: TAMPER_VALUES,
        null_is_absent: false,
    },
    SettingSpec {
        key: "default_action",
        allowed: &["allow", "deny", "warn"],
        null_is_absent: true,
    },
    SettingSpec {
        key: "default_on_missing",
        allowed: &["allow", "deny"],
        null_is_absent: true,
    },
    SettingSpec {
        key: "default_on_empty",
        allowed: &["allow", "deny", "observe", "warn"],
        null_is_absent: true,
    },
    SettingSpec {
        key: "default_on_tamper",
        allowed: TAMPER_VALUES,
        null_is_absent: true,
    },
];

/// Check the top level of a policy whose root is the mapping `root`.
pub(super) fn check(source: &SourceFile, root: &Node, map: &Mapping, out: &mut Vec<Diagnostic>) {
    check_version(map, out);
    check_settings(source, map, out);
    check_rules(root, map, out);
}

fn check_version(map: &Mapping, out: &mut Vec<Diagnostic>) {
    let Some(value) = map.get("version") else {
        return;
    };
    if value.as_str() == Some("1") {
        return;
    }
    let looks_like_one = matches!(value.kind, NodeKind::Int(1))
        || matches!(value.kind, NodeKind::Float(f) if f == 1.0)
        || value
            .as_str()
            .is_some_and(|s| s.trim() == "1" || s == "1.0");
    let help = if looks_like_one {
        "write the version as the quoted string: `version: '1'`"
    } else {
        "the only version is '1': write `version: '1'` or remove the key"
    };
    let label = match value.as_str() {
        Some(_) => format!("this is the string {}", repr(value)),
        None => this_is(value),
    };
    out.push(
        Diagnostic::new(
            &schema::UNSUPPORTED_VERSION,
            value.span,
            "`version` must be the string '1'",
        )
        .with_label(label)
        .with_help(help)
        .with_compat(format!("unsupported version {}, expected '1'", repr(value))),
    );
}

fn check_settings(source: &SourceFile, map: &Mapping, out: &mut Vec<Diagnostic>) {
    let Some(value) = map.get("settings") else {
        return;
    };
    let settings = match &value.kind {
        NodeKind::Null => return,
        NodeKind::Map(settings) => settings,
        _ => {
            out.push(
                Diagnostic::new(
                    &schema::SETTINGS_NOT_MAPPING,
                    value.span,
                    "`settings` must be a mapping",
                )
                .with_label(this_is(value))
                .with_help(
                    "write `settings:` followed by indented keys such as \
                     `default_action: deny`, or remove it",
                )
                .with_compat("'settings' must be a mapping if present"),
            );
            return;
        }
    };
    for spec in SETTINGS {
        if let Some(value) = settings.get(spec.key) {
            check_setting(source, spec, value, out);
        }
    }
}

fn check_setting(source: &SourceFile, spec: &SettingSpec, value: &Node, out: &mut Vec<Diagnostic>) {
    if value.is_null() && spec.null_is_absent {
        return;
    }
    let key = spec.key;
    let choices = spec.allowed.join(", ");
    if unhashable(value) {
        // The reference crashes on this value (`unhashable type`) instead of reporting
        // it, so there is no compat text to give.
        out.push(
            Diagnostic::new(
                &schema::UNHASHABLE_VALUE,
                value.span,
                format!(
                    "`settings.{key}` must be a single value, not {}",
                    describe(value)
                ),
            )
            .with_label(this_is(value))
            .with_help(format!("write one of: {choices}")),
        );
        return;
    }
    if value.as_str().is_some_and(|s| spec.allowed.contains(&s)) {
        return;
    }
    let help = setting_help(source, spec, value, &choices);
    let allowed: Vec<String> = spec.allowed.iter().map(|a| format!("'{a}'")).collect();
    out.push(
        Diagnostic::new(
            &schema::INVALID_SETTING,
            value.span,
            format!("`settings.{key}` must be one of {choices}"),
        )
        .with_label(match value.as_str() {
            Some(_) => "not an allowed value".to_owned(),
            None => this_is(value),
        })
        .with_help(help)
        .with_compat(format!(
            "settings.{key} must be one of [{}], got {}",
            allowed.join(", "),
            repr(value)
        )),
    );
}

fn setting_help(source: &SourceFile, spec: &SettingSpec, value: &Node, choices: &str) -> String {
    if let Some(reading) = yaml_reading(source, value) {
        return format!("{reading}; use one of: {choices}");
    }
    let suggestion = value
        .as_str()
        .and_then(|s| did_you_mean(s.trim(), spec.allowed));
    match suggestion {
        Some(close) => format!("did you mean `{close}`? values are lowercase and exact"),
        None => format!("use one of: {choices}"),
    }
}

fn check_rules(root: &Node, map: &Mapping, out: &mut Vec<Diagnostic>) {
    let entry = map.entry("rules");
    let value = entry.map(|e| &e.value).filter(|v| !v.is_null());
    let Some(value) = value else {
        // A null value may have an empty span (`rules:` and nothing after it), so point
        // at the key; with no key at all, at the first key of the document.
        let (span, label) = match entry {
            Some(entry) => (entry.key.span, "`rules` has no value"),
            None => (first_key_span(root, map), "this policy has no `rules` key"),
        };
        out.push(
            Diagnostic::new(&schema::MISSING_RULES, span, "the policy has no rules")
                .with_label(label)
                .with_help(
                    "add a `rules:` list with at least one rule, e.g. `rules: [{deny: '*'}]`",
                )
                .with_compat("missing required field 'rules'"),
        );
        return;
    };
    match &value.kind {
        NodeKind::Seq(items) if items.is_empty() => out.push(
            Diagnostic::new(&schema::EMPTY_RULES, value.span, "`rules` is empty")
                .with_label("no rules in this list")
                .with_help("add at least one rule; `- deny: '*'` denies every call")
                .with_compat("'rules' must contain at least one rule"),
        ),
        NodeKind::Seq(_) => {}
        _ => out.push(
            Diagnostic::new(
                &schema::RULES_NOT_LIST,
                value.span,
                format!("`rules` must be a list, not {}", describe(value)),
            )
            .with_label(this_is(value))
            .with_help(rules_list_help(value))
            .with_compat(format!(
                "'rules' must be a list, got {}",
                value.python_type_name()
            )),
        ),
    }
}

fn rules_list_help(value: &Node) -> &'static str {
    match value.kind {
        NodeKind::Map(_) => {
            "write the rules as a list: each rule is an item starting with `- ` \
             (move a rule's name into an `id:` key)"
        }
        _ => "write each rule as a list item starting with `- `, e.g. `- deny: 'Bash:sudo *'`",
    }
}

/// Where to point when a key is missing from a mapping: its first key, or the mapping.
pub(super) fn first_key_span(node: &Node, map: &Mapping) -> Span {
    map.entries.first().map_or(node.span, |e| e.key.span)
}
