//! How the reference reads a rule: which key supplies the effect and the tool pattern,
//! which value supplies each selector and the conditions, what counts as an envelope.
//!
//! Validation and lowering both read rules through these functions. Keeping the
//! reference's `a or b` fallbacks and presence-versus-truthiness distinctions in one place
//! is what guarantees that the value the loader validated is the value it lowers.

use crate::policy::Effect;
use crate::syntax::{MapEntry, Mapping, Node, NodeKind};

/// Condition keys that are never envelopes, whatever their value looks like.
pub(crate) const RESERVED_CONDITION_KEYS: &[&str] = &["time_range", "ip_whitelist", "tags"];

/// Python `bool(value)` of a loaded node, under the name the rule readers use.
pub(crate) use crate::syntax::node_truthy as truthy;

/// Whether Python refuses the value as a set member or dict key (`unhashable type`).
pub(crate) fn unhashable(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::Seq(_) | NodeKind::Map(_) | NodeKind::Set(_)
    )
}

/// Python `m.get(first) or m.get(second)`: the first value if truthy, else the second
/// (which may be absent, null or falsy).
pub(crate) fn first_truthy<'a>(map: &'a Mapping, first: &str, second: &str) -> Option<&'a Node> {
    match map.get(first) {
        Some(node) if truthy(node) => Some(node),
        _ => map.get(second),
    }
}

/// Like [`first_truthy`], keeping the whole entry (the key names the source in messages).
pub(crate) fn first_truthy_entry<'a>(
    map: &'a Mapping,
    first: &str,
    second: &str,
) -> Option<&'a MapEntry> {
    match map.entry(first) {
        Some(entry) if truthy(&entry.value) => Some(entry),
        _ => map.entry(second),
    }
}

/// Where a rule's effect and tool pattern come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EffectSource<'a> {
    /// `effect` is truthy: the long form. `pattern` is `action or actions` (`None` when
    /// that expression is Python `None`). The `deny`/`allow` keys are not read.
    Long {
        entry: &'a MapEntry,
        pattern: Option<&'a Node>,
    },
    /// `deny` or `allow` (and no truthy `effect`). The pattern may be null.
    Short { effect: Effect, entry: &'a MapEntry },
    /// Both `deny` and `allow` are present (whatever their values).
    Both {
        deny: &'a MapEntry,
        allow: &'a MapEntry,
    },
    /// None of `deny`, `allow` or a truthy `effect`.
    Missing,
}

/// Resolve a rule's effect source as the reference does: a truthy `effect` wins, then the
/// presence (not the value) of `deny` and `allow` decides.
pub(crate) fn effect_source(rule: &Mapping) -> EffectSource<'_> {
    if let Some(entry) = rule.entry("effect").filter(|e| truthy(&e.value)) {
        return EffectSource::Long {
            entry,
            pattern: first_truthy(rule, "action", "actions"),
        };
    }
    match (rule.entry("deny"), rule.entry("allow")) {
        (Some(deny), Some(allow)) => EffectSource::Both { deny, allow },
        (Some(entry), None) => EffectSource::Short {
            effect: Effect::Deny,
            entry,
        },
        (None, Some(entry)) => EffectSource::Short {
            effect: Effect::Allow,
            entry,
        },
        (None, None) => EffectSource::Missing,
    }
}

/// The mapping of conditions the reference evaluates: `when` if truthy, else
/// `conditions`; `None` when that value is not a mapping (absent, null, or malformed).
pub(crate) fn effective_conditions(rule: &Mapping) -> Option<&Mapping> {
    first_truthy(rule, "when", "conditions").and_then(Node::as_map)
}

/// The `op` node of an envelope: a mapping whose `op` is a string, under a key that is
/// not reserved. Anything else (`{op: 5}`, a reserved key) is a scalar pattern.
pub(crate) fn envelope_op<'a>(field: &str, value: &'a Node) -> Option<&'a Node> {
    if RESERVED_CONDITION_KEYS.contains(&field) {
        return None;
    }
    value
        .as_map()?
        .get("op")
        .filter(|op| matches!(op.kind, NodeKind::Str(_)))
}
