//! Hover: what a rule or pattern decides, and what a key means.
//!
//! On a rule or one of its patterns, the text says what the analyzer knows about the
//! rule: its canonical patterns (`Bash` is `Bash:*`), whether it can decide anything,
//! which rules block it (with links and the witness calls the findings proved), a few
//! calls it does decide (each decided by the interpreter, not predicted), and whether a
//! denied caller may ask for approval. On a key, its documentation.

use std::fmt::Write as _;

use super::locate::{key_at, pattern_at, rule_at};
use super::{Analysis, expect, keys};
use crate::analysis::regions::{Reach, RegionMap, rule_label};
use crate::diagnostics::render::witness_line;
use crate::policy::{Policy, Rule};
use crate::source::Span;

/// Hover text (Markdown) and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// Deciding calls shown per rule at most.
const EXAMPLES: usize = 3;

/// The hover at `offset`. `link` turns a span of the document into a Markdown link
/// target (the shell knows the document's URI; this layer does not).
pub fn hover(analysis: &Analysis, offset: usize, link: &dyn Fn(Span) -> String) -> Option<Hover> {
    if let Some(found) = expect::hover(analysis, offset) {
        return Some(found);
    }
    if let Some((place, entry)) = key_at(analysis, offset) {
        let name = entry.key.as_str()?;
        let (doc, misplaced) = match keys::doc(place, name) {
            Some(doc) => (doc, false),
            None => (keys::KEYS.iter().find(|k| k.key == name)?, true),
        };
        let mut markdown = format!("**`{name}`**\n\n{}", doc.doc);
        if misplaced {
            markdown.push_str(&format!(
                "\n\n*`{name}` is a {} key: written here it has no effect.*",
                keys::place_name(doc.place)
            ));
        }
        if !doc.values.is_empty() {
            let _ = write!(markdown, "\n\nValues: `{}`", doc.values.join("`, `"));
        }
        return Some(Hover {
            span: entry.key.span,
            markdown,
        });
    }
    let policy = analysis.policy()?;
    if let Some((index, at)) = pattern_at(policy, offset) {
        let rule = policy.rules.get(index)?;
        let pattern = rule.patterns.get(at)?;
        let span = rule
            .spans
            .patterns
            .get(at)
            .copied()
            .unwrap_or(rule.spans.rule);
        let mut markdown = if pattern.raw == pattern.canonical {
            format!("pattern `{}`", pattern.canonical)
        } else {
            format!(
                "pattern `{}` means `{}` (matched case-insensitively on the tool)",
                pattern.raw, pattern.canonical
            )
        };
        markdown.push_str("\n\n---\n\n");
        markdown.push_str(&rule_text(analysis, policy, rule, link));
        return Some(Hover { span, markdown });
    }
    let index = rule_at(analysis, offset)?;
    let rule = policy.rules.get(index)?;
    Some(Hover {
        span: rule.spans.rule,
        markdown: rule_text(analysis, policy, rule, link),
    })
}

/// What the analyzer knows about one rule, as Markdown.
fn rule_text(
    analysis: &Analysis,
    policy: &Policy,
    rule: &Rule,
    link: &dyn Fn(Span) -> String,
) -> String {
    let patterns: Vec<String> = rule
        .patterns
        .iter()
        .map(|p| format!("`{}`", p.canonical))
        .collect();
    let mut text = format!(
        "**{}**: {} {}",
        rule_label(policy, rule.index),
        rule.effect.as_str(),
        if patterns.is_empty() {
            "(no pattern: matches nothing)".to_owned()
        } else {
            patterns.join(", ")
        }
    );
    if !rule.is_action_only() {
        text.push_str(" (with gates beyond the tool pattern)");
    }
    text.push_str("\n\n");
    let map = analysis.regions.as_ref();
    match map.map(|m| m.rule(rule.index)) {
        Some(Reach::Unmatchable) => text.push_str("**Matches no call at all.**\n"),
        Some(Reach::Unknown) | None => text
            .push_str("Not analyzed: the document is beyond the analysis limits for this rule.\n"),
        Some(Reach::Unreachable(blocked)) => {
            text.push_str("**Never decides**: every call it matches is decided earlier by\n");
            for &q in &blocked.blockers {
                let Some(blocker) = policy.rules.get(q) else {
                    continue;
                };
                let _ = writeln!(
                    text,
                    "- [{}]({}) (line {}, {})",
                    rule_label(policy, q),
                    link(blocker.spans.rule),
                    blocker.line,
                    blocker.effect.as_str()
                );
            }
            let witnesses = analysis
                .diagnostics
                .iter()
                .filter(|d| d.rule_index == Some(rule.index))
                .flat_map(|d| d.witnesses.iter());
            for witness in witnesses.take(EXAMPLES) {
                let _ = writeln!(text, "- {}", code_span(&witness_line(witness)));
            }
        }
        Some(Reach::Reachable(reachable)) => {
            let examples = map.map_or_else(Vec::new, |m| deciding_calls(m, policy, rule));
            if examples.is_empty() {
                text.push_str("May decide calls (no example could be re-checked).\n");
            } else {
                text.push_str("**Decides**, for example:\n");
                for example in examples {
                    let _ = writeln!(text, "- {}", code_span(&example));
                }
            }
            if reachable.redundant.is_some() {
                text.push_str("\nRedundant: without it, every call it decides keeps its effect.\n");
            }
        }
    }
    text.push('\n');
    text.push_str(&approval_text(rule, map));
    text
}

/// Calls the rule decides, decided again by the interpreter.
fn deciding_calls(map: &RegionMap, policy: &Policy, rule: &Rule) -> Vec<String> {
    let Reach::Reachable(reachable) = map.rule(rule.index) else {
        return Vec::new();
    };
    let mut calls = Vec::new();
    for &at in reachable.deciding.iter().take(4 * EXAMPLES) {
        let Some((call, decision)) = map.call(policy, at) else {
            continue;
        };
        let call = call
            .readable_variant()
            .filter(|variant| variant.decide(policy).rule_index() == Some(rule.index))
            .unwrap_or(call);
        if decision.rule_index() != Some(rule.index) {
            continue;
        }
        let line = witness_line(&call.witness(policy, &decision));
        let line = line.strip_prefix("witness: ").unwrap_or(&line).to_owned();
        if !calls.contains(&line) {
            calls.push(line);
        }
        if calls.len() == EXAMPLES {
            break;
        }
    }
    calls
}

fn approval_text(rule: &Rule, map: Option<&RegionMap>) -> String {
    if rule.hitl_eligible() {
        let preempted = match map.map(|m| m.rule(rule.index)) {
            Some(Reach::Reachable(r)) => !r.preempted.is_empty(),
            _ => false,
        };
        if preempted {
            "**Approval**: approvable, but some of its calls are hard-denied by an earlier rule first.".to_owned()
        } else {
            "**Approval**: approvable: a denied caller may ask a human to approve the call once."
                .to_owned()
        }
    } else if rule.escalate_on_deny {
        format!(
            "**Approval**: `escalate_on_deny` has no effect on a {} rule.",
            rule.effect.as_str()
        )
    } else if rule.effect == crate::policy::Effect::Deny {
        "**Approval**: not approvable (a hard deny).".to_owned()
    } else {
        String::new()
    }
}

/// Inline code that survives backticks in the text.
fn code_span(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}
