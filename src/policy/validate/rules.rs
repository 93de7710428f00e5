//! Phase B of validation: the checks on one rule, in the reference's order.
//!
//! The reference stops at the first failing group of a rule (effect, then pattern, then
//! selectors, then `reason_localized`) but reports both condition-shape errors and every
//! unknown operator. Each check below returns whether the rule may go on, so that order,
//! and therefore the exact compat error list, is visible in [`check_rule`] alone.

use super::conditions;
use super::messages::{describe, quoting_hint, repr, this_is, yaml_reading};
use super::resolve::{EffectSource, effect_source, first_truthy_entry, truthy, unhashable};
use super::top_level::first_key_span;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::schema;
use crate::diagnostics::suggest::did_you_mean;
use crate::source::SourceFile;
use crate::syntax::{MapEntry, Mapping, Node, NodeKind};

/// Where the checks of one rule write to.
pub(super) struct RuleCx<'a> {
    pub source: &'a SourceFile,
    pub index: usize,
    pub out: &'a mut Vec<Diagnostic>,
}

impl RuleCx<'_> {
    /// `rules[3]`, the rule's name in messages (0-based, as the reference and the
    /// default `rule-3` policy ids count).
    pub fn name(&self) -> String {
        format!("rules[{}]", self.index)
    }

    pub fn compat(&self, text: &str) -> String {
        format!("rules[{}]: {text}", self.index)
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic.with_rule(self.index));
    }
}

/// Check one item of `rules`.
pub(super) fn check_rule(cx: &mut RuleCx<'_>, rule: &Node) {
    let Some(map) = rule.as_map() else {
        not_a_mapping(cx, rule);
        return;
    };
    // No compat text, so its place in the list does not matter to CI; first, because
    // it reads top-down with the rule's keys.
    non_string_keys(cx, map);
    if let Some(pattern) = check_effect(cx, rule, map) {
        if check_pattern(cx, pattern) && check_selectors(cx, map) && check_localized(cx, map) {
            conditions::check(cx, map);
        }
    }
}

fn not_a_mapping(cx: &mut RuleCx<'_>, rule: &Node) {
    let message = match rule.kind {
        NodeKind::Null => format!("{} is empty", cx.name()),
        _ => format!("{} must be a mapping, not {}", cx.name(), describe(rule)),
    };
    let diagnostic = Diagnostic::new(&schema::RULE_NOT_MAPPING, rule.span, message)
        .with_label(this_is(rule))
        .with_help("write the rule as a mapping, e.g. `- deny: 'Bash:sudo *'`")
        .with_compat(cx.compat(&format!(
            "must be a mapping, got {}",
            rule.python_type_name()
        )));
    cx.push(diagnostic);
}

/// The effect checks; returns the pattern node when the rule may go on.
fn check_effect<'a>(cx: &mut RuleCx<'_>, rule: &Node, map: &'a Mapping) -> Option<&'a Node> {
    match effect_source(map) {
        EffectSource::Missing => {
            missing_effect(cx, rule, map);
            None
        }
        EffectSource::Both { deny, allow } => {
            deny_and_allow(cx, deny, allow);
            None
        }
        EffectSource::Long { entry, pattern } => long_form(cx, map, entry, pattern),
        EffectSource::Short { entry, .. } => {
            if entry.value.is_null() {
                missing_pattern_short(cx, entry);
                return None;
            }
            Some(&entry.value)
        }
    }
}

fn missing_effect(cx: &mut RuleCx<'_>, rule: &Node, map: &Mapping) {
    let help = missing_effect_help(map);
    let diagnostic = Diagnostic::new(
        &schema::MISSING_EFFECT,
        first_key_span(rule, map),
        format!("{} has no `deny`, `allow` or `effect`", cx.name()),
    )
    .with_label("this rule does not say what to do")
    .with_help(help)
    .with_compat(cx.compat("must specify one of 'deny', 'allow', or 'effect'"));
    cx.push(diagnostic);
}

fn missing_effect_help(map: &Mapping) -> String {
    let keys = map.entries.iter().filter_map(|e| e.key.as_str());
    for key in keys {
        if key == "warn" {
            return "`warn` is not a rule key: write `effect: warn` and `action: <pattern>`"
                .to_owned();
        }
        if let Some(known) = did_you_mean(key, &["deny", "allow", "effect"]) {
            if key != known {
                return format!("did you mean `{known}`? rule keys are case-sensitive");
            }
        }
    }
    if map.contains_key("effect") {
        return "`effect` is empty or false (an unquoted `no` or `off` is a boolean in \
                YAML): write `effect: allow`, `deny` or `warn`"
            .to_owned();
    }
    "add `deny: <pattern>` or `allow: <pattern>`".to_owned()
}

fn deny_and_allow(cx: &mut RuleCx<'_>, deny: &MapEntry, allow: &MapEntry) {
    let (first, second) = if deny.key.span.start <= allow.key.span.start {
        (deny, allow)
    } else {
        (allow, deny)
    };
    let first_name = first.key.as_str().unwrap_or("deny");
    let diagnostic = Diagnostic::new(
        &schema::DENY_AND_ALLOW,
        second.key.span,
        format!("{} sets both `deny` and `allow`", cx.name()),
    )
    .with_label("second effect on the same rule")
    .with_related(first.key.span, format!("`{first_name}` is set here"))
    .with_help("a rule has one effect: split it into two rules, in the order they should be tried")
    .with_compat(cx.compat("cannot set both 'deny' and 'allow' on the same rule"));
    cx.push(diagnostic);
}

fn long_form<'a>(
    cx: &mut RuleCx<'_>,
    map: &'a Mapping,
    effect: &'a MapEntry,
    pattern: Option<&'a Node>,
) -> Option<&'a Node> {
    let value = &effect.value;
    if unhashable(value) {
        // The reference crashes here (`unhashable type`) rather than reporting.
        let diagnostic = Diagnostic::new(
            &schema::UNHASHABLE_VALUE,
            value.span,
            format!(
                "the `effect` of {} must be a single value, not {}",
                cx.name(),
                describe(value)
            ),
        )
        .with_label(this_is(value))
        .with_help("write one effect: `allow`, `deny` or `warn`");
        cx.push(diagnostic);
        return None;
    }
    let effect_ok = matches!(value.as_str(), Some("allow" | "deny" | "warn"));
    if !effect_ok {
        invalid_effect(cx, value);
    }
    let pattern = pattern.filter(|p| !p.is_null());
    if pattern.is_none() {
        missing_pattern_long(cx, map, effect);
    }
    pattern.filter(|_| effect_ok)
}

fn invalid_effect(cx: &mut RuleCx<'_>, value: &Node) {
    let help = match value.as_str() {
        Some("audit") => {
            "`audit` is not an effect: use `warn` to let the call proceed but flag it".to_owned()
        }
        Some(text) => match did_you_mean(text, &["allow", "deny", "warn"]) {
            Some(close) => format!("did you mean `{close}`? effects are lowercase"),
            None => "use `allow`, `deny` or `warn`".to_owned(),
        },
        None => match yaml_reading(cx.source, value) {
            Some(reading) => format!("{reading}; an effect is `allow`, `deny` or `warn`"),
            None => "use `allow`, `deny` or `warn`".to_owned(),
        },
    };
    let label = match value.as_str() {
        Some(_) => "not a policy effect".to_owned(),
        None => this_is(value),
    };
    let diagnostic = Diagnostic::new(
        &schema::INVALID_EFFECT,
        value.span,
        format!("the `effect` of {} must be allow, deny or warn", cx.name()),
    )
    .with_label(label)
    .with_help(help)
    .with_compat(format!(
        "rules[{}].effect: must be one of allow/deny/warn; audit is not a policy effect, got {}",
        cx.index,
        repr(value)
    ));
    cx.push(diagnostic);
}

fn missing_pattern_long(cx: &mut RuleCx<'_>, map: &Mapping, effect: &MapEntry) {
    let written = map.entry("action").or_else(|| map.entry("actions"));
    let (span, label) = match written {
        Some(entry) => (entry.value.span, "this pattern is empty"),
        None => (effect.key.span, "no `action` for this effect"),
    };
    let help = if map.contains_key("deny") || map.contains_key("allow") {
        "with `effect:`, the `deny`/`allow` keys are not read: give the pattern as \
         `action: <pattern>`"
    } else {
        "give the calls this rule governs: `action: <pattern>` or `actions: [<pattern>, ...]`"
    };
    let diagnostic = Diagnostic::new(
        &schema::MISSING_PATTERN,
        span,
        format!("{} has no tool pattern", cx.name()),
    )
    .with_label(label)
    .with_help(help)
    .with_compat(cx.compat("missing tool pattern"));
    cx.push(diagnostic);
}

fn missing_pattern_short(cx: &mut RuleCx<'_>, entry: &MapEntry) {
    let key = entry.key.as_str().unwrap_or("deny");
    let diagnostic = Diagnostic::new(
        &schema::MISSING_PATTERN,
        entry.key.span,
        format!("{} has no tool pattern", cx.name()),
    )
    .with_label(format!("`{key}` has no value"))
    .with_help(format!(
        "give the pattern, e.g. `{key}: 'Bash:sudo *'`; `'*'` matches every call"
    ))
    .with_compat(cx.compat("missing tool pattern"));
    cx.push(diagnostic);
}

/// The tool pattern: a string or a list of strings.
fn check_pattern(cx: &mut RuleCx<'_>, pattern: &Node) -> bool {
    let (node, compat, message) = match &pattern.kind {
        NodeKind::Str(_) => return true,
        NodeKind::Seq(items) => match items.iter().find(|i| i.as_str().is_none()) {
            None => return true,
            Some(item) => (
                item,
                "pattern list must contain only strings",
                format!("the tool patterns of {} must all be strings", cx.name()),
            ),
        },
        _ => (
            pattern,
            "pattern must be a string or list of strings",
            format!(
                "the tool pattern of {} must be a string or a list of strings",
                cx.name()
            ),
        ),
    };
    let help = quoting_hint(cx.source, node)
        .unwrap_or_else(|| "write the pattern as a quoted string, e.g. `'Bash:*'`".to_owned());
    let diagnostic = Diagnostic::new(&schema::PATTERN_NOT_STRING, node.span, message)
        .with_label(this_is(node))
        .with_help(help)
        .with_compat(cx.compat(compat));
    cx.push(diagnostic);
    false
}

/// `resources` (or `resource`), `clients`, `projects`: a string or list of strings.
fn check_selectors(cx: &mut RuleCx<'_>, map: &Mapping) -> bool {
    let resources = first_truthy_entry(map, "resources", "resource");
    check_selector(cx, resources, "resources", false)
        && check_selector(cx, map.entry("clients"), "clients", true)
        && check_selector(cx, map.entry("projects"), "projects", true)
}

/// One selector. `elements_reported`: the reference checks the element types itself
/// (for `resources` it does not, and crashes later instead, so there is no compat text).
fn check_selector(
    cx: &mut RuleCx<'_>,
    entry: Option<&MapEntry>,
    name: &str,
    elements_reported: bool,
) -> bool {
    let Some(entry) = entry.filter(|e| truthy(&e.value)) else {
        return true;
    };
    let key = entry.key.as_str().unwrap_or(name);
    let value = &entry.value;
    let (node, message, compat) = match &value.kind {
        NodeKind::Str(_) => return true,
        NodeKind::Seq(items) => match items.iter().find(|i| i.as_str().is_none()) {
            None => return true,
            Some(item) => (
                item,
                format!("`{key}` of {} must contain only strings", cx.name()),
                elements_reported.then(|| format!("'{name}' must contain only strings")),
            ),
        },
        _ => (
            value,
            format!(
                "`{key}` of {} must be a string or a list of strings",
                cx.name()
            ),
            Some(format!("'{name}' must be a string or list")),
        ),
    };
    let help = quoting_hint(cx.source, node)
        .unwrap_or_else(|| format!("write `{key}` as a glob or a list of quoted globs"));
    let mut diagnostic = Diagnostic::new(&schema::SELECTOR_INVALID, node.span, message)
        .with_label(this_is(node))
        .with_help(help);
    if let Some(compat) = compat {
        diagnostic = diagnostic.with_compat(cx.compat(&compat));
    }
    cx.push(diagnostic);
    false
}

/// `reason_localized`: null, or a mapping of strings to strings.
fn check_localized(cx: &mut RuleCx<'_>, map: &Mapping) -> bool {
    let Some(value) = map.get("reason_localized").filter(|v| !v.is_null()) else {
        return true;
    };
    let (node, label, compat) = match &value.kind {
        NodeKind::Map(locales) => {
            let bad = locales.entries.iter().find_map(|e| {
                [&e.key, &e.value]
                    .into_iter()
                    .find(|n| n.as_str().is_none())
            });
            match bad {
                None => return true,
                Some(node) => (
                    node,
                    this_is(node),
                    "'reason_localized' keys and values must all be strings",
                ),
            }
        }
        _ => (
            value,
            this_is(value),
            "'reason_localized' must be a mapping of {locale: message}",
        ),
    };
    let diagnostic = Diagnostic::new(
        &schema::REASON_LOCALIZED_INVALID,
        node.span,
        format!(
            "`reason_localized` of {} must map locales to messages",
            cx.name()
        ),
    )
    .with_label(label)
    .with_help("write it as a mapping of quoted strings, e.g. `{en: 'needs approval'}`")
    .with_compat(cx.compat(compat));
    cx.push(diagnostic);
    false
}

/// Rule keys that YAML typed as something other than a string (`on:`, `5:`). The
/// reference crashes on them, so there is no compat text.
fn non_string_keys(cx: &mut RuleCx<'_>, map: &Mapping) {
    for entry in map.entries.iter().filter(|e| e.key.as_str().is_none()) {
        let key = &entry.key;
        let help = quoting_hint(cx.source, key).unwrap_or_else(|| {
            "rule keys are names such as `deny` or `reason`: write the key as a quoted string"
                .to_owned()
        });
        let diagnostic = Diagnostic::new(
            &schema::NON_STRING_KEY,
            key.span,
            format!("a key of {} is {}, not a string", cx.name(), describe(key)),
        )
        .with_label(format!("this key is {}", describe(key)))
        .with_help(help);
        cx.push(diagnostic);
    }
}
