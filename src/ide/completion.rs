//! Completion from the raw lines around the cursor, so that it works on the half-typed
//! line the tree does not contain: keys not yet written in the enclosing block (rule
//! keys, settings, condition envelope keys), values of keys with a fixed set (effects,
//! settings, booleans, operators), and tool names of the known integrations in pattern
//! position.

use super::Analysis;
use super::keys::{self, KeyPlace};
use super::locate::{enclosing_key, line_key, sibling_keys};
use crate::analysis::findings::tool_families::{FAMILIES, all_names};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Key,
    Value,
    Tool,
}

/// One completion: `label` replaces the text under `replace` (the word being typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
    pub documentation: Option<String>,
    pub insert: String,
    pub replace: Span,
}

const PATTERN_KEYS: &[&str] = &["deny", "allow", "action", "actions"];

/// The completions at `offset`.
pub fn completions(analysis: &Analysis, offset: usize) -> Vec<Completion> {
    let text = analysis.text();
    let index = analysis.source().lines();
    let line = index.line_of(offset);
    let line_start = index.line_start(line);
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(current) = lines.get(line) else {
        return Vec::new();
    };
    let before = text.get(line_start..offset).unwrap_or("");
    let word_len = before.len()
        - before
            .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
            .len();
    let replace = Span::new(offset - word_len, offset);
    let typed = before.get(..before.len() - word_len).unwrap_or("");
    let read = line_key(current);

    // A value: `key: <cursor>` (optionally inside quotes).
    if let Some(colon) = typed
        .find(": ")
        .or_else(|| typed.strip_suffix(':').map(str::len))
    {
        let key_text = typed.get(..colon).unwrap_or("").trim_start();
        let key = key_text.trim_start_matches(['-', ' ']);
        if PATTERN_KEYS.contains(&key) {
            return tool_completions(replace);
        }
        return keys::values_of(key)
            .iter()
            .map(|value| Completion {
                label: (*value).to_owned(),
                kind: CompletionKind::Value,
                detail: format!("value of `{key}`"),
                documentation: None,
                insert: (*value).to_owned(),
                replace,
            })
            .collect();
    }
    let col = typed.len();
    // A list item of a pattern key: `  - 'Ba<cursor>`.
    if read.as_ref().is_some_and(|r| r.dash.is_some()) && typed.trim_end().ends_with(['\'', '"'])
        || typed.trim_start().starts_with("- ") && typed.trim_start().len() > 2
    {
        let item_col = typed.len() - typed.trim_start().len();
        if let Some((key, _)) = enclosing_key(&lines, line, item_col + 1) {
            if PATTERN_KEYS.contains(&key.as_str()) {
                return tool_completions(replace);
            }
        }
        return Vec::new();
    }
    // A key at column `col`.
    let key_col = read.as_ref().map_or(col, |r| r.col.min(col));
    let place = match enclosing_key(&lines, line, key_col) {
        None if key_col == 0 => KeyPlace::TopLevel,
        None => return Vec::new(),
        Some((key, _)) if key == "settings" => KeyPlace::Settings,
        Some((key, true)) if key == "rules" => KeyPlace::Rule,
        Some((key, false)) if key == "rules" => {
            // `rules:` then a new line: a rule starts with `- `.
            return keys_completions(KeyPlace::Rule, &[], replace, "- ");
        }
        Some((_, false)) if is_condition_field(&lines, line, key_col) => KeyPlace::Envelope,
        _ => return Vec::new(),
    };
    let present = sibling_keys(&lines, line, key_col);
    keys_completions(place, &present, replace, "")
}

/// Whether the block at `col` of `line` is a condition field's mapping
/// (`when: {path: {<cursor>}}`): its enclosing key is enclosed by `when`/`conditions`.
fn is_condition_field(lines: &[&str], line: usize, col: usize) -> bool {
    let Some(field_line) = (0..line).rev().find(|&l| {
        lines
            .get(l)
            .and_then(|t| line_key(t))
            .is_some_and(|r| r.col < col)
    }) else {
        return false;
    };
    let field_col = lines
        .get(field_line)
        .and_then(|t| line_key(t))
        .map_or(0, |r| r.col);
    matches!(
        enclosing_key(lines, field_line, field_col),
        Some((key, _)) if key == "when" || key == "conditions"
    )
}

fn keys_completions(
    place: KeyPlace,
    present: &[&str],
    replace: Span,
    prefix: &str,
) -> Vec<Completion> {
    keys::keys_of(place)
        .filter(|k| !present.contains(&k.key))
        .filter(|k| {
            // One effect per rule: `deny`, `allow` and `effect` exclude each other.
            !(place == KeyPlace::Rule
                && ["deny", "allow", "effect"].contains(&k.key)
                && present
                    .iter()
                    .any(|p| ["deny", "allow", "effect"].contains(p)))
        })
        .map(|k| Completion {
            label: k.key.to_owned(),
            kind: CompletionKind::Key,
            detail: match place {
                KeyPlace::TopLevel => "top-level key",
                KeyPlace::Settings => "setting",
                KeyPlace::Rule => "rule key",
                KeyPlace::Envelope => "condition key",
            }
            .to_owned(),
            documentation: Some(k.doc.to_owned()),
            insert: format!("{prefix}{}: ", k.key),
            replace,
        })
        .collect()
}

fn tool_completions(replace: Span) -> Vec<Completion> {
    all_names()
        .map(|name| {
            let family = FAMILIES
                .iter()
                .find(|f| f.canonical == name || f.aliases.contains(&name));
            let detail = match family {
                Some(f) if f.canonical == name => format!("tool family `{name}`"),
                Some(f) => format!("a host's name for `{}` calls", f.canonical),
                None => "tool name known to the SDK".to_owned(),
            };
            Completion {
                label: name.to_owned(),
                kind: CompletionKind::Tool,
                detail,
                documentation: None,
                insert: name.to_owned(),
                replace,
            }
        })
        .collect()
}
