//! Finding what is under an offset: the rule, the pattern, the key and where that key
//! is written. Tree lookups serve documents that parsed; [`line_key`] and
//! [`enclosing_key`] read the raw lines, which is what completion needs while a line is
//! still half-typed and the tree does not contain it.

use super::Analysis;
use super::keys::KeyPlace;
use crate::policy::Policy;
use crate::syntax::{MapEntry, Node, NodeKind};

/// The rule nodes of `rules`, in order (empty when it is not a list).
pub fn rule_nodes(analysis: &Analysis) -> Vec<&Node> {
    let rules = analysis
        .model()
        .document
        .as_ref()
        .and_then(Node::as_map)
        .and_then(|root| root.get("rules"));
    match rules.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// The index of the rule written at `offset`: its span, or the line it starts on (the
/// `- ` before its first key).
pub fn rule_at(analysis: &Analysis, offset: usize) -> Option<usize> {
    let lines = analysis.source().lines();
    let line = lines.line_of(offset);
    rule_nodes(analysis).iter().position(|node| {
        (node.span.start <= offset && offset <= node.span.end)
            || lines.line_of(node.span.start) == line
    })
}

/// The rule and pattern written at `offset`.
pub fn pattern_at(policy: &Policy, offset: usize) -> Option<(usize, usize)> {
    policy.rules.iter().find_map(|rule| {
        let at = rule
            .spans
            .patterns
            .iter()
            .position(|span| span.start <= offset && offset <= span.end)?;
        Some((rule.index, at))
    })
}

/// A key of the tree under `offset`, and where it is written.
pub fn key_at(analysis: &Analysis, offset: usize) -> Option<(KeyPlace, &MapEntry)> {
    let root = analysis.model().document.as_ref()?.as_map()?;
    let on = |entry: &MapEntry| entry.key.span.start <= offset && offset <= entry.key.span.end;
    if let Some(entry) = root.entries.iter().find(|e| on(e)) {
        return Some((KeyPlace::TopLevel, entry));
    }
    if let Some(settings) = root.get("settings").and_then(Node::as_map) {
        if let Some(entry) = settings.entries.iter().find(|e| on(e)) {
            return Some((KeyPlace::Settings, entry));
        }
    }
    for rule in rule_nodes(analysis) {
        let Some(map) = rule.as_map() else { continue };
        if let Some(entry) = map.entries.iter().find(|e| on(e)) {
            return Some((KeyPlace::Rule, entry));
        }
        for conditions in ["when", "conditions"] {
            let fields = map.get(conditions).and_then(Node::as_map);
            for field in fields.into_iter().flat_map(|f| f.entries.iter()) {
                let envelope = field.value.as_map();
                if let Some(entry) = envelope.and_then(|e| e.entries.iter().find(|e| on(e))) {
                    return Some((KeyPlace::Envelope, entry));
                }
            }
        }
    }
    None
}

/// One line read as YAML block structure: where its key starts and what the key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineKey<'a> {
    /// Byte column of the first character that is not a blank or a `- ` item marker.
    pub col: usize,
    /// Byte column of the `-` when the line starts a list item.
    pub dash: Option<usize>,
    /// The key, when the line reads `key:`; the text before the `:`.
    pub key: Option<&'a str>,
    /// The line's text after the first non-blank.
    pub rest: &'a str,
}

/// Read one line's block structure; `None` for blank and comment-only lines.
pub fn line_key(line: &str) -> Option<LineKey<'_>> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut col = indent;
    let mut dash = None;
    let mut rest = line.get(indent..)?;
    while let Some(after) = rest.strip_prefix('-') {
        if !(after.is_empty() || after.starts_with(' ')) {
            break;
        }
        dash.get_or_insert(col);
        let blanks = after.len() - after.trim_start_matches(' ').len();
        col += 1 + blanks;
        rest = after.get(blanks..)?;
    }
    if rest.is_empty() && dash.is_none() || rest.starts_with('#') {
        return None;
    }
    let key = rest.find(':').and_then(|colon| {
        let after = rest.get(colon + 1..).unwrap_or("");
        let candidate = rest.get(..colon)?;
        let plain = !candidate.is_empty()
            && candidate
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        (plain && (after.is_empty() || after.starts_with(' '))).then_some(candidate)
    });
    Some(LineKey {
        col,
        dash,
        key,
        rest,
    })
}

/// The key of the block that contains column `col` of line `line` (0-based): the
/// nearest line above with a key written left of `col`. Walks over list items, so that
/// for a rule key it returns `rules`. Also returns whether a list item lies between
/// (the position is inside an item of that key's list).
pub fn enclosing_key(lines: &[&str], line: usize, col: usize) -> Option<(String, bool)> {
    let mut in_item = false;
    for text in lines.iter().take(line).rev() {
        let Some(read) = line_key(text) else { continue };
        if read.col == col && read.dash.is_some() {
            in_item = true;
        }
        if read.col < col {
            // A bare `-` line opens an item of an outer list; keep walking to its key.
            if read.dash.is_some() && read.key.is_none() {
                in_item = true;
                continue;
            }
            return read.key.map(|k| (k.to_owned(), in_item));
        }
    }
    None
}

/// The keys written at column `col` in the same block as line `line`: siblings above
/// (up to the start of the list item, if the block is one) and below.
pub fn sibling_keys<'a>(lines: &[&'a str], line: usize, col: usize) -> Vec<&'a str> {
    let mut keys = Vec::new();
    let starts_item = lines
        .get(line)
        .and_then(|t| line_key(t))
        .is_some_and(|r| r.col == col && r.dash.is_some());
    if !starts_item {
        for text in lines.iter().take(line).rev() {
            let Some(read) = line_key(text) else { continue };
            if read.col < col {
                break;
            }
            if read.col == col {
                keys.extend(read.key);
                if read.dash.is_some() {
                    break;
                }
            }
        }
    }
    for text in lines.iter().skip(line + 1) {
        let Some(read) = line_key(text) else { continue };
        if read.col < col || (read.col == col && read.dash.is_some()) {
            break;
        }
        if read.col == col {
            keys.extend(read.key);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_keys_items_and_values() {
        let item = line_key("  - deny: 'Bash:sudo *'").unwrap();
        assert_eq!((item.col, item.dash, item.key), (4, Some(2), Some("deny")));
        let key = line_key("    reason: x").unwrap();
        assert_eq!((key.col, key.dash, key.key), (4, None, Some("reason")));
        assert_eq!(line_key("   # comment"), None);
        assert_eq!(line_key("  - 'Bash:*'").unwrap().key, None);
    }

    #[test]
    fn enclosing_keys_walk_over_list_items() {
        let lines = [
            "rules:",
            "  - deny: x",
            "    reason: y",
            "    when:",
            "      path: z",
        ];
        assert_eq!(enclosing_key(&lines, 2, 4), Some(("rules".into(), true)));
        assert_eq!(enclosing_key(&lines, 4, 6), Some(("when".into(), false)));
        assert_eq!(enclosing_key(&lines, 1, 0), None);
        assert_eq!(sibling_keys(&lines, 2, 4), vec!["deny", "when"]);
    }
}
