//! `unknown-tool`: a tool name that no integration sends, one or two edits away from
//! one that they do.
//!
//! Tool names in patterns are free text: a rule may name a tool of the user's own (an
//! MCP server's `github`), so an unknown name alone proves nothing. But a name a typo
//! away from a known family or alias (`Bsh`, `fille_read`) is almost surely a typo, and
//! a typo in a deny pattern silently denies nothing. Known names come from the
//! reference's extractor spec ([`super::tool_families`]); the distance allowed grows
//! with the length of the known name (none under four letters, one up to five, two
//! beyond), so that short names of one's own (`ls`, `psql`) are not taken for typos.

use std::collections::HashMap;

use super::Finding;
use super::support::max_distance;
use super::tool_families::{all_names, is_known};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::suggest::edit_distance_within;
use crate::pattern::{ToolPattern, casefold};
use crate::source::Span;

pub use crate::diagnostics::codes::findings::UNKNOWN_TOOL as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    let mut names = KnownNames::new();
    let mut diagnostics = Vec::new();
    for rule in &policy.rules {
        for (pattern, span) in rule.patterns.iter().zip(&rule.spans.patterns) {
            diagnostics.extend(check(&mut names, rule.index, pattern, *span));
        }
    }
    diagnostics
}

/// The known names, folded once, and the answer for every tool seen so far. Large
/// policies name a handful of tools thousands of times; without the memo the edit
/// distances to every known name dominated `check` on 10,000 rules.
struct KnownNames {
    folded: Vec<(String, &'static str)>,
    seen: HashMap<String, Option<&'static str>>,
}

impl KnownNames {
    fn new() -> Self {
        Self {
            folded: all_names()
                .map(|name| (casefold(name).into_owned(), name))
                .collect(),
            seen: HashMap::new(),
        }
    }

    /// The suggestion for a tool that is not known, if it is close to a known name.
    fn suggestion(&mut self, tool: &str) -> Option<&'static str> {
        let folded = casefold(tool).into_owned();
        if let Some(answer) = self.seen.get(&folded) {
            return *answer;
        }
        let answer = if is_known(&folded) {
            None
        } else {
            closest_known(&self.folded, &folded)
        };
        self.seen.insert(folded, answer);
        answer
    }
}

/// The tool segment of a pattern, when it is literal text.
fn literal_tool(pattern: &ToolPattern) -> Option<&str> {
    let tool = pattern.canonical.split_once(':').map(|(tool, _)| tool)?;
    (!tool.is_empty() && !tool.contains(['*', '?', '['])).then_some(tool)
}

/// The known name closest to `tool` (compared case-folded), within the allowed
/// distance; ties go to the name listed first (a family's canonical name before its
/// aliases).
fn closest_known(known: &[(String, &'static str)], folded: &str) -> Option<&'static str> {
    known
        .iter()
        .filter_map(|(name, original)| {
            let distance = edit_distance_within(folded, name, allowed_distance(original))?;
            Some((distance, *original))
        })
        .filter(|&(distance, _)| distance > 0)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Names under four letters (`sql`, `aws`) are never suggested: one edit from them is
/// a different word (`psql`, `awk`) more often than a typo.
fn allowed_distance(name: &str) -> usize {
    if name.chars().count() < 4 {
        0
    } else {
        max_distance(name)
    }
}

fn check(
    names: &mut KnownNames,
    rule: usize,
    pattern: &ToolPattern,
    span: Span,
) -> Option<Diagnostic> {
    let tool = literal_tool(pattern)?;
    let known = names.suggestion(tool)?;
    Some(
        Diagnostic::new(
            &INFO,
            span,
            format!("`{tool}` is not a tool name any integration sends; did you mean `{known}`?"),
        )
        .with_rule(rule)
        .with_label(format!("unknown tool `{tool}`"))
        .with_help(format!(
            "write `{known}` if that tool is meant; if `{tool}` is a tool of your own, \
             suppress this finding on the rule"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::KnownNames;

    #[test]
    fn typos_and_own_tools() {
        let mut names = KnownNames::new();
        assert_eq!(names.suggestion("Bsh"), Some("Bash"));
        assert_eq!(names.suggestion("fille_read"), Some("file_read"));
        assert_eq!(names.suggestion("FILLE_READ"), Some("file_read"));
        assert_eq!(names.suggestion("github"), None);
        assert_eq!(names.suggestion("ls"), None);
        assert_eq!(names.suggestion("psql"), None);
        assert_eq!(names.suggestion("Bash"), None, "known names are not typos");
        // The memo answers a repeated tool the same way.
        assert_eq!(names.suggestion("bsh"), Some("Bash"));
    }
}
