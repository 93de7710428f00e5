//! What each key of a policy document means, in the words hover and completion show.
//!
//! The analyzer has its own lists of known keys (to report unknown ones); this table
//! adds the documentation and the values each key takes. A test loads a document with
//! every key of this table and checks that the analyzer reports none of them as
//! unknown, so the two cannot drift apart silently.

/// Where a key is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    TopLevel,
    Settings,
    Rule,
    /// Inside a condition envelope (`path: {op: contains, value: x}`).
    Envelope,
}

/// One documented key.
#[derive(Debug)]
pub struct KeyDoc {
    pub place: KeyPlace,
    pub key: &'static str,
    pub doc: &'static str,
    /// The values it takes, when they are a fixed set.
    pub values: &'static [&'static str],
}

const EFFECTS: &[&str] = &["allow", "deny", "warn"];
const TAMPER: &[&str] = &["deny", "deny-all", "quarantine", "warn"];
const BOOLEAN: &[&str] = &["true", "false"];

const fn key(
    place: KeyPlace,
    key: &'static str,
    doc: &'static str,
    values: &'static [&'static str],
) -> KeyDoc {
    KeyDoc {
        place,
        key,
        doc,
        values,
    }
}

/// Every key the language reads, by place.
pub static KEYS: &[KeyDoc] = &[
    key(
        KeyPlace::TopLevel,
        "version",
        "The document version: the string `'1'` (quoted; an unquoted `1` is an integer and is refused).",
        &["'1'"],
    ),
    key(
        KeyPlace::TopLevel,
        "settings",
        "Policy-wide settings. `default_action` decides calls no rule matches; the other settings are validated but do not change local decisions.",
        &[],
    ),
    key(
        KeyPlace::TopLevel,
        "rules",
        "The ordered list of rules. A call is decided by the first rule whose gates all pass; later rules are not consulted.",
        &[],
    ),
    key(
        KeyPlace::Settings,
        "default_action",
        "The effect when no rule matches a call: `deny` (the default, fail-closed), `allow` or `warn`.",
        EFFECTS,
    ),
    key(
        KeyPlace::Settings,
        "default_on_missing",
        "What a hosted runtime does when no policy is available (`deny` or `allow`). Validated; it does not change local decisions.",
        &["deny", "allow"],
    ),
    key(
        KeyPlace::Settings,
        "default_on_empty",
        "What a hosted runtime does with an empty policy (`observe`, `deny`, `allow` or `warn`). Validated; it does not change local decisions.",
        &["observe", "deny", "allow", "warn"],
    ),
    key(
        KeyPlace::Settings,
        "default_on_tamper",
        "What a runtime does when the policy file was tampered with. Validated; it does not change local decisions.",
        TAMPER,
    ),
    key(
        KeyPlace::Settings,
        "tamper_behavior",
        "The older name of `default_on_tamper`.",
        TAMPER,
    ),
    key(
        KeyPlace::Settings,
        "enforcement_status",
        "Informational status of the policy for the hosted dashboard; not used in decisions.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "deny",
        "Deny the calls matching these tool patterns (`tool:method` globs; `Bash` means `Bash:*`). A string or a list of strings.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "allow",
        "Allow the calls matching these tool patterns (`tool:method` globs; `Read` means `Read:*`). A string or a list of strings.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "effect",
        "The long form of a rule's effect (`allow`, `deny` or `warn`), with the patterns in `action` or `actions`.",
        EFFECTS,
    ),
    key(
        KeyPlace::Rule,
        "action",
        "The tool pattern(s) of a rule written with `effect`.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "actions",
        "The tool patterns of a rule written with `effect` (read when `action` is absent).",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "resource",
        "A glob (or list of globs) over the call's resource; the element `*` makes the rule apply with or without a resource.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "resources",
        "Globs over the call's resource (read when `resource` is absent); the element `*` makes the rule apply with or without a resource.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "clients",
        "Globs over the call's `client_name`: the rule applies only to these clients.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "projects",
        "Globs over the call's `project_id`: the rule applies only to these projects.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "when",
        "Conditions on the call's arguments and context (`field: pattern` or `field: {op: ..., value: ...}`); all must hold.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "conditions",
        "The same as `when` (read when `when` is absent or empty).",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "id",
        "The rule's identity in decisions and audit rows (`policy_id`). Keep it unique.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "name",
        "A name for the rule, used as its `policy_id` when it has no `id`.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "reason",
        "The text a denied caller sees; by default `Matched rule <id or name>`.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "reason_code",
        "The decision's `reason_code` (by default `RULE_MATCH`).",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "reason_localized",
        "Translations of `reason`, by locale; shown to people, not used in decisions.",
        &[],
    ),
    key(
        KeyPlace::Rule,
        "escalate_on_deny",
        "`true` makes a deny approvable: the caller may ask a human to approve the call once. Write a boolean: any non-empty string, even `'false'`, reads as true.",
        BOOLEAN,
    ),
    key(
        KeyPlace::Envelope,
        "op",
        "The condition operator (`glob` by default).",
        crate::policy::Operator::NAMES,
    ),
    key(
        KeyPlace::Envelope,
        "value",
        "The operand of the condition operator.",
        &[],
    ),
    key(
        KeyPlace::Envelope,
        "case_insensitive",
        "Compare text ignoring case.",
        BOOLEAN,
    ),
];

/// The documentation of `key` written at `place`.
pub fn doc(place: KeyPlace, key: &str) -> Option<&'static KeyDoc> {
    KEYS.iter().find(|k| k.place == place && k.key == key)
}

/// How a place is named in messages (`a rule key`).
pub fn place_name(place: KeyPlace) -> &'static str {
    match place {
        KeyPlace::TopLevel => "top-level",
        KeyPlace::Settings => "settings",
        KeyPlace::Rule => "rule",
        KeyPlace::Envelope => "condition",
    }
}

/// The keys of one place, in table order.
pub fn keys_of(place: KeyPlace) -> impl Iterator<Item = &'static KeyDoc> {
    KEYS.iter().filter(move |k| k.place == place)
}

/// The values a key takes, wherever it is written (the fixed-value keys have distinct
/// names, so the key alone selects them).
pub fn values_of(key: &str) -> &'static [&'static str] {
    KEYS.iter()
        .find(|k| k.key == key && !k.values.is_empty())
        .map_or(&[], |k| k.values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::policy::load;
    use crate::source::SourceFile;

    /// Every documented key is one the analyzer knows: none is reported as unknown.
    #[test]
    fn every_documented_key_is_known_to_the_analyzer() {
        let mut text = String::from("version: '1'\nsettings:\n");
        for k in keys_of(KeyPlace::Settings) {
            let value = k.values.first().copied().unwrap_or("x");
            text.push_str(&format!("  {}: {value}\n", k.key));
        }
        text.push_str("rules:\n  - deny: 'Bash:sudo *'\n");
        for k in keys_of(KeyPlace::Rule).filter(|k| !["deny", "allow", "effect"].contains(&k.key)) {
            text.push_str(&format!("    {}: x\n", k.key));
        }
        let loaded = load(SourceFile::new("keys.yaml", text));
        let unknown: Vec<String> = analyze(&loaded)
            .into_iter()
            .filter(|d| d.code.name == "unknown-key")
            .map(|d| d.message)
            .collect();
        assert_eq!(unknown, Vec::<String>::new());
    }
}
