//! `case-variant-patterns`: two patterns that differ only in the case of their tool
//! segment, which folding makes one and the same pattern.
//!
//! The tool segment is case-folded before matching (docs/language.md section 3.3), so `Bash:ls` and
//! `bash:ls` match exactly the same calls. Written both ways, they suggest a distinction
//! that does not exist: an author who adds `allow: 'bash:ls'` after `deny: 'Bash:ls'`
//! believes they are different tools. Identical spellings are left to the reachability
//! findings; this one is about the case difference only.

use std::collections::HashMap;

use super::Finding;
use super::support::with_related_rule;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::pattern::ToolPattern;
use crate::source::Span;

pub use crate::diagnostics::codes::findings::CASE_VARIANT_PATTERNS as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

/// One written pattern and where.
#[derive(Debug, Clone, Copy)]
struct Written<'a> {
    rule: usize,
    pattern: &'a ToolPattern,
    span: Span,
}

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    let mut first_by_folded: HashMap<&str, Written<'_>> = HashMap::new();
    let mut found = Vec::new();
    for rule in &policy.rules {
        for (pattern, span) in rule.patterns.iter().zip(&rule.spans.patterns) {
            let written = Written {
                rule: rule.index,
                pattern,
                span: *span,
            };
            match first_by_folded.get(pattern.folded()) {
                Some(first) if first.pattern.canonical != pattern.canonical => {
                    found.push(diagnose(*first, written));
                }
                Some(_) => {}
                None => {
                    first_by_folded.insert(pattern.folded(), written);
                }
            }
        }
    }
    found
}

fn diagnose(first: Written<'_>, later: Written<'_>) -> Diagnostic {
    let (a, b) = (&later.pattern.raw, &first.pattern.raw);
    let same_rule = first.rule == later.rule;
    let place = if same_rule {
        "in the same rule".to_owned()
    } else {
        format!("in rules[{}]", first.rule)
    };
    let help = if same_rule {
        format!("remove `{a}`: `{b}` already matches the same calls")
    } else {
        format!(
            "spell the tool one way (`{b}`); both match the same calls, so keep the rule you \
             mean and remove the other"
        )
    };
    let diagnostic = Diagnostic::new(
        &INFO,
        later.span,
        format!("`{a}` and `{b}` ({place}) are the same pattern: tool names ignore case"),
    )
    .with_rule(later.rule)
    .with_label(format!("the same pattern as `{b}`"))
    .with_help(help);
    with_related_rule(
        diagnostic,
        first.span,
        first.rule,
        format!("`{b}` is written here"),
    )
}
