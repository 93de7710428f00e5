//! Findings for a document that does not load yet: the part before the first error.
//!
//! While a rule is being typed the document usually does not load (a YAML error, or a
//! rule that is not a mapping yet), and the reference's loader rightly reports only that
//! error. The editor should still show what the analyzer finds in the rules above it.
//! So the text from the rule containing the first error to the end is replaced by
//! blanks (keeping every byte offset and line of the text before it), the result is
//! loaded and analyzed like any document, and its findings are shown beside the real
//! load errors. Findings that depend on the rules below the cut (`redundant-rule`:
//! whether a later rule would decide in a rule's place) are left out, since those rules
//! were cut.

use crate::analysis::config::is_load_code;
use crate::diagnostics::Diagnostic;
use crate::policy::{LoadResult, load};
use crate::source::SourceFile;

/// Findings that depend on rules after the cut.
const NEEDS_LATER_RULES: &[&str] = &["redundant-rule"];

/// The loadable prefix of a document that does not load, blanked from the rule of its
/// first error on; `None` when the document loads or no prefix does.
pub fn loadable_prefix(loaded: &LoadResult) -> Option<LoadResult> {
    if loaded.policy.is_some() {
        return None;
    }
    let text = loaded.source.text();
    let first_error = loaded.diagnostics.iter().find(|d| d.is_error())?;
    let lines = loaded.source.lines();
    let error_line = lines.line_of(first_error.span.start);
    let all: Vec<&str> = text.split('\n').collect();
    let rules_line = all.iter().position(|l| l.trim_end() == "rules:")?;
    if error_line <= rules_line {
        return None;
    }
    // The rule containing the error starts at the nearest item line at or above it
    // with the indentation of the first rule.
    let item_col = all.iter().skip(rules_line + 1).find_map(|l| item_dash(l))?;
    let cut_line = (rules_line + 1..=error_line)
        .rev()
        .find(|&l| all.get(l).and_then(|t| item_dash(t)) == Some(item_col))?;
    let cut = lines.line_start(cut_line);
    let mut blanked = String::with_capacity(text.len());
    blanked.push_str(text.get(..cut)?);
    blanked.extend(text.get(cut..)?.chars().map(|c| match c {
        '\n' | '\r' => c,
        _ => ' ',
    }));
    let prefix = load(SourceFile::new(loaded.source.name(), blanked));
    prefix.policy.as_ref()?;
    Some(prefix)
}

/// Whether a diagnostic of the prefix is worth showing for the whole document: an
/// analyzer finding (the load diagnostics are the whole document's own) that does not
/// depend on the rules that were cut.
pub fn keeps(diagnostic: &Diagnostic) -> bool {
    !is_load_code(diagnostic.code) && !NEEDS_LATER_RULES.contains(&diagnostic.code.name)
}

/// The column of the `-` of a list item line.
fn item_dash(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    (trimmed.starts_with("- ") || trimmed == "-").then(|| line.len() - trimmed.len())
}
