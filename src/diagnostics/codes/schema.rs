//! Codes for load errors: documents the reference SDK refuses (or crashes on).
//!
//! Each carries, in its diagnostics, the reference's exact message as `compat_message`
//! (see `../../policy/validate`), so CI can compare guardc with `controlzero validate`.

use super::{CodeInfo, Level};

macro_rules! load_error {
    ($ident:ident, $code:literal, $name:literal, $summary:literal, $doc:literal) => {
        pub static $ident: CodeInfo = CodeInfo {
            code: $code,
            name: $name,
            level: Level::Error,
            summary: $summary,
            doc: $doc,
        };
    };
}

load_error!(
    EMPTY_DOCUMENT,
    "GC0101",
    "empty-document",
    "the policy document is empty",
    "A document with no content (empty, only comments, `---`, `~` or `null`) is refused by \
the reference (`policy file is empty`). A runtime loading it would fail to start. Fix: \
write at least `rules:` with one rule, for example `rules: [{deny: '*'}]`."
);

load_error!(
    ROOT_NOT_MAPPING,
    "GC0102",
    "root-not-mapping",
    "the document root is not a mapping",
    "A policy is a mapping with a `rules` key. A root that is a list (a rule list pasted \
without `rules:`), a string or a number is refused (`policy root must be a \
mapping/object, got list`). Fix: put the list under `rules:`."
);

load_error!(
    UNSUPPORTED_VERSION,
    "GC0103",
    "unsupported-version",
    "`version` is not the string '1'",
    "`version` is optional, but when present it must be the string `'1'`. An unquoted \
`version: 1` is an integer in YAML and is refused (`unsupported version 1, expected \
'1'`), as are `1.0`, `'2'` and `' 1'`. Fix: write `version: '1'` (quoted) or remove \
the key."
);

load_error!(
    SETTINGS_NOT_MAPPING,
    "GC0104",
    "settings-not-mapping",
    "`settings` is present but not a mapping",
    "`settings` holds `default_action` and the other defaults as a mapping. Any other \
value is refused (`'settings' must be a mapping if present`). Fix: write \
`settings:` followed by indented `default_action: deny`, or remove it."
);

load_error!(
    INVALID_SETTING,
    "GC0105",
    "invalid-setting-value",
    "a setting has a value outside its allowed set",
    "`settings.default_action` must be `deny`, `allow` or `warn` (lowercase, exact); \
`default_on_missing` `allow`/`deny`; `default_on_empty` `observe`/`deny`/`allow`/`warn`; \
`default_on_tamper` and `tamper_behavior` `warn`/`deny`/`deny-all`/`quarantine`. An \
unquoted `no` is the boolean false in YAML 1.1 and is refused too. An explicit null \
means absent (the default applies), except for `tamper_behavior`, where it is refused. \
Fix: use one of the listed values, quoted if in doubt."
);

load_error!(
    MISSING_RULES,
    "GC0106",
    "missing-rules",
    "the document has no `rules`",
    "A policy needs a `rules` list; a document without one, or with `rules:` and nothing \
after it, is refused (`missing required field 'rules'`). Fix: add `rules:` with at least \
one rule."
);

load_error!(
    RULES_NOT_LIST,
    "GC0107",
    "rules-not-list",
    "`rules` is not a list",
    "`rules` must be a YAML sequence (`- deny: ...` items) or JSON array. A mapping of \
rules by name, a string or a number is refused (`'rules' must be a list, got dict`). \
Fix: write each rule as a list item starting with `- `."
);

load_error!(
    EMPTY_RULES,
    "GC0108",
    "empty-rules",
    "`rules` is an empty list",
    "An empty rule list is refused (`'rules' must contain at least one rule`). Fix: add a \
rule; a fail-closed policy that denies everything is `rules: [{deny: '*'}]`."
);

load_error!(
    RULE_NOT_MAPPING,
    "GC0110",
    "rule-not-mapping",
    "a rule is not a mapping",
    "Each item of `rules` must be a mapping such as `{deny: 'Bash:sudo *'}`. A bare \
string, number or nested list is refused (`rules[1]: must be a mapping, got str`). Fix: \
write the item as `- deny: <pattern>` or `- allow: <pattern>`."
);

load_error!(
    INVALID_EFFECT,
    "GC0111",
    "invalid-effect",
    "`effect` is not allow, deny or warn",
    "In the long form a rule's `effect` must be `allow`, `deny` or `warn`, lowercase. \
`audit`, `block`, `Allow` and non-strings are refused (`rules[1].effect: must be one of \
allow/deny/warn; audit is not a policy effect, got 'audit'`). Fix: use one of the three \
effects."
);

load_error!(
    MISSING_PATTERN,
    "GC0112",
    "missing-tool-pattern",
    "a rule has no tool pattern",
    "A rule must say which calls it governs: `deny:`/`allow:` with a pattern, or `effect:` \
with `action:`/`actions:`. A null pattern (`deny:` with nothing after it, `deny: ~`) is \
refused (`rules[1]: missing tool pattern`); so is a long-form rule whose `action` is empty \
and whose `actions` is absent or null. In the long form the `deny`/`allow` keys are \
ignored, so `{effect: allow, deny: x}` has no pattern. (An empty string or an empty list \
is accepted: `deny: ''` governs the tool named `''`, `deny: []` governs nothing.) Fix: \
give the pattern, for example `deny: 'Bash:sudo *'`."
);

load_error!(
    DENY_AND_ALLOW,
    "GC0113",
    "deny-and-allow",
    "a rule has both `deny` and `allow`",
    "A rule has exactly one effect. With both keys the reference refuses the document \
(`rules[1]: cannot set both 'deny' and 'allow' on the same rule`), even when one is null. \
Fix: split it into two rules, in the order you want them tried."
);

load_error!(
    MISSING_EFFECT,
    "GC0114",
    "missing-effect",
    "a rule has no `deny`, `allow` or `effect`",
    "A rule needs `deny:`, `allow:` or `effect:`. Keys are case-sensitive (`Deny:` is not \
`deny:`), `warn:` is not a short form, and an unquoted `effect: no` is a boolean. The \
reference refuses the rule (`rules[1]: must specify one of 'deny', 'allow', or \
'effect'`). Fix: write `deny: <pattern>`, `allow: <pattern>`, or `effect: warn` with \
`action: <pattern>`."
);

load_error!(
    PATTERN_NOT_STRING,
    "GC0115",
    "pattern-not-string",
    "a tool pattern is not a string or a list of strings",
    "Tool patterns are strings. YAML 1.1 turns some plain scalars into other types: `no`, \
`yes`, `on`, `off` are booleans, `012` is octal 10, `2024-01-01` is a date; those are \
refused (`rules[0]: pattern must be a string or list of strings`, or `pattern list must \
contain only strings`). Fix: quote the pattern (`deny: 'no'`)."
);

load_error!(
    SELECTOR_INVALID,
    "GC0116",
    "invalid-selector",
    "`resources`, `clients` or `projects` is not a string or list of strings",
    "Resource, client and project selectors are a glob or a list of globs. A number, \
boolean or mapping is refused (`rules[1]: 'clients' must be a string or list`), as is a \
non-string list element (`'clients' must contain only strings`; for `resources` the \
reference crashes instead of reporting). Fix: quote the values and write them as a list \
of strings."
);

load_error!(
    REASON_LOCALIZED_INVALID,
    "GC0117",
    "invalid-reason-localized",
    "`reason_localized` is not a mapping of strings to strings",
    "`reason_localized` maps a locale to a message (`{en: 'needs approval', de: '...'}`). \
Any other shape is refused (`rules[1]: 'reason_localized' must be a mapping of {locale: \
message}` or `keys and values must all be strings`). Fix: write it as a mapping with \
quoted string keys and values."
);

load_error!(
    CONDITIONS_NOT_MAPPING,
    "GC0118",
    "conditions-not-mapping",
    "`when` or `conditions` is not a mapping",
    "Conditions are a mapping `{field: pattern}` (or `{field: {op: ..., value: ...}}`). A \
list, string or number is refused (`rules[1]: 'when' must be a mapping of {field: \
pattern}`); a list of single-key mappings is a common slip. Fix: write the conditions as \
one mapping, one field per line."
);

load_error!(
    UNKNOWN_OPERATOR,
    "GC0119",
    "unknown-operator",
    "a condition uses an unknown operator",
    "A condition envelope `{op: ..., value: ...}` must name a known operator: glob, equals, \
contains, matches, gt, lt, gte, lte, in, not_in, in_range, outside_range, exists, \
not_exists, or the aliases matches_pattern, greater_than, less_than, \
greater_than_or_equal, less_than_or_equal. Operators are case-sensitive. The reference \
refuses others (`rules[1]: condition 'a' uses unknown operator 'contaisn'`). Fix: use \
the operator suggested in the help."
);

load_error!(
    NON_STRING_KEY,
    "GC0120",
    "non-string-key",
    "a rule or condition key is not a string",
    "YAML 1.1 reads some plain keys as other types: `on:` and `yes:` are booleans, `5:` an \
integer. As a rule key or condition field, such a key crashes the reference loader (it \
leaks an internal error instead of its error list), so the policy cannot be loaded. Fix: \
quote the key (`'on': ...`)."
);

load_error!(
    UNHASHABLE_VALUE,
    "GC0121",
    "unhashable-setting-value",
    "`effect` or a setting is a list or mapping",
    "`effect`, `default_action` and the other settings take one string. A list or mapping \
there crashes the reference loader (`unhashable type: 'list'`) instead of producing its \
error list, so the policy cannot be loaded. Fix: write a single string value."
);

load_error!(
    INTERNAL_LOAD_ERROR,
    "GC0199",
    "internal-load-error",
    "guardc could not build a policy from a document it accepted",
    "The document passed every check the reference makes, yet guardc could not build its \
policy. This is a bug in guardc, not in the policy: the reference would load the \
document. guardc refuses it rather than guess, because a rule lowered incompletely (a \
dropped pattern or condition) would decide calls differently. Fix: report the document \
to the guardc maintainers; meanwhile, simplify the rule the diagnostic points at."
);

pub static ALL: &[&CodeInfo] = &[
    &EMPTY_DOCUMENT,
    &ROOT_NOT_MAPPING,
    &UNSUPPORTED_VERSION,
    &SETTINGS_NOT_MAPPING,
    &INVALID_SETTING,
    &MISSING_RULES,
    &RULES_NOT_LIST,
    &EMPTY_RULES,
    &RULE_NOT_MAPPING,
    &INVALID_EFFECT,
    &MISSING_PATTERN,
    &DENY_AND_ALLOW,
    &MISSING_EFFECT,
    &PATTERN_NOT_STRING,
    &SELECTOR_INVALID,
    &REASON_LOCALIZED_INVALID,
    &CONDITIONS_NOT_MAPPING,
    &UNKNOWN_OPERATOR,
    &NON_STRING_KEY,
    &UNHASHABLE_VALUE,
    &INTERNAL_LOAD_ERROR,
];
