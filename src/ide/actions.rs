//! Code actions: edits that fix a finding, each applied to a copy of the document and
//! re-checked by the analyzer before it is offered. An action is offered only when the
//! finding it fixes is gone from the edited document and the edit introduces no new
//! error; its title says what changes, including how many of the calls the analyzer
//! knows about (witnesses and deciding calls) change their decision.

use std::collections::BTreeMap;

use super::locate::rule_nodes;
use super::{Analysis, TextEdit, apply_edits};
use crate::analysis::LevelConfig;
use crate::analysis::config::is_load_code;
use crate::analysis::regions::{Call, Reach, rule_label};
use crate::diagnostics::{Diagnostic, Level};
use crate::policy::Policy;
use crate::source::Span;

/// An edit offered for the diagnostics under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// The index in `Analysis::diagnostics` of the diagnostic it fixes.
    pub fixes: usize,
    /// The fix an editor may apply without asking (one per diagnostic at most).
    pub preferred: bool,
}

/// Calls sampled per rule for the decision-change count of a title.
const CALLS_PER_RULE: usize = 2;
/// Rules sampled at most for that count (the re-check itself covers every rule).
const RULES_SAMPLED: usize = 400;

/// The actions for the diagnostics that overlap `range`, re-checked under `levels`.
pub fn code_actions(analysis: &Analysis, range: Span, levels: &LevelConfig) -> Vec<CodeAction> {
    let lines = analysis.source().lines();
    let (first, last) = (lines.line_of(range.start), lines.line_of(range.end));
    let mut actions = Vec::new();
    let mut probes = None;
    for (index, diagnostic) in analysis.diagnostics.iter().enumerate() {
        let (d_first, d_last) = (
            lines.line_of(diagnostic.span.start),
            lines.line_of(diagnostic.span.end),
        );
        if d_last < first || d_first > last {
            continue;
        }
        let mut preferred_taken = false;
        for candidate in candidates(analysis, diagnostic) {
            let text = apply_edits(analysis.text(), &candidate.edits);
            let after = Analysis::new(analysis.source().name(), &text, levels);
            if !fixed(analysis, &after, diagnostic) {
                continue;
            }
            let probes = probes.get_or_insert_with(|| probe_calls(analysis));
            let mut title = candidate.title;
            if candidate.count_changes {
                title.push_str("; ");
                title.push_str(&decision_changes(analysis, &after, probes));
            }
            let preferred = candidate.preferred && !preferred_taken;
            preferred_taken |= preferred;
            actions.push(CodeAction {
                title,
                edits: candidate.edits,
                fixes: index,
                preferred,
            });
        }
    }
    actions
}

/// An edit before it is re-checked.
struct Candidate {
    title: String,
    edits: Vec<TextEdit>,
    preferred: bool,
    /// Whether the title should say how decisions change (edits to rules' reach).
    count_changes: bool,
}

fn candidate(title: String, edits: Vec<TextEdit>, preferred: bool) -> Candidate {
    Candidate {
        title,
        edits,
        preferred,
        count_changes: false,
    }
}

fn candidates(analysis: &Analysis, d: &Diagnostic) -> Vec<Candidate> {
    let mut found = Vec::new();
    match d.code.name {
        "misplaced-rule-key" => {
            found.extend(indent_under_rule(analysis, d));
            found.extend(indent_all_under_rule(analysis, d));
        }
        "unknown-key" | "unknown-tool" => found.extend(rename(analysis, d)),
        "escalation-not-boolean" => found.extend(boolean_escalation(analysis, d)),
        "approval-intent-without-flag" => found.extend(add_escalation(analysis, d)),
        "dead-rule" | "unreachable-rule" | "unmatchable-rule" | "redundant-rule" => {
            found.extend(delete_rule(analysis, d));
            found.extend(move_above_blockers(analysis, d));
        }
        "approval-never-offered" => found.extend(move_above_blockers(analysis, d)),
        _ => {}
    }
    found.extend(suppress(analysis, d));
    found
}

/// Whether `after` has fewer diagnostics like `d` than `before`, and no more errors of
/// any kind. Diagnostics are compared by code, the text they point at and their message
/// with rule indices left out, since moving or deleting a rule renumbers the rules
/// after it.
fn fixed(before: &Analysis, after: &Analysis, d: &Diagnostic) -> bool {
    let key = |analysis: &Analysis, d: &Diagnostic| {
        (
            d.code.code,
            analysis.source().slice(d.span).to_owned(),
            without_indices(&d.message),
        )
    };
    let count = |analysis: &Analysis, wanted: &(&str, String, String)| {
        analysis
            .diagnostics
            .iter()
            .filter(|other| key(analysis, other) == *wanted)
            .count()
    };
    let target = key(before, d);
    if count(after, &target) >= count(before, &target) {
        return false;
    }
    after
        .diagnostics
        .iter()
        .filter(|a| a.level == Level::Error)
        .all(|a| {
            let k = key(after, a);
            count(after, &k) <= count(before, &k)
        })
}

/// A message with `rules[N]` written as `rules[]`.
fn without_indices(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("rules[") {
        out.push_str(rest.get(..at + 6).unwrap_or(""));
        rest = rest
            .get(at + 6..)
            .unwrap_or("")
            .trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// The column (in bytes) of a rule's first key.
fn rule_key_col(analysis: &Analysis, index: usize) -> Option<(usize, Span)> {
    let node = *rule_nodes(analysis).get(index)?;
    let first = node.as_map()?.entries.first()?;
    let lines = analysis.source().lines();
    let start = first.key.span.start;
    let line_start = lines.line_start(lines.line_of(start));
    // A flow mapping (`{deny: x}`) cannot take an indented key.
    if analysis.source().slice(node.span).starts_with('{') {
        return None;
    }
    Some((start - line_start, node.span))
}

/// Insert `width` spaces at the start of every line of `span`.
fn indent_lines(analysis: &Analysis, span: Span, width: usize) -> Vec<TextEdit> {
    let lines = analysis.source().lines();
    let last = lines.line_of(span.end.saturating_sub(1).max(span.start));
    (lines.line_of(span.start)..=last)
        .map(|line| TextEdit {
            span: Span::point(lines.line_start(line)),
            new_text: " ".repeat(width),
        })
        .collect()
}

fn indent_under_rule(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    let index = d.rule_index?;
    let (target, _) = rule_key_col(analysis, index)?;
    let lines = analysis.source().lines();
    let col = d.span.start - lines.line_start(lines.line_of(d.span.start));
    let width = target.checked_sub(col).filter(|&w| w > 0)?;
    let key = analysis
        .source()
        .slice(d.span)
        .split(':')
        .next()?
        .trim()
        .to_owned();
    let label = analysis
        .policy()
        .map_or_else(|| format!("rules[{index}]"), |p| rule_label(p, index));
    Some(candidate(
        format!("Indent `{key}` under {label}, where it takes effect"),
        indent_lines(analysis, d.span, width),
        true,
    ))
}

/// One action for every key misplaced after the same rule, when there are several (the
/// paste that lost its indentation usually loses it for the whole rule).
fn indent_all_under_rule(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    let siblings: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|o| o.code.name == d.code.name && o.rule_index == d.rule_index)
        .collect();
    if siblings.len() < 2 {
        return None;
    }
    let mut edits = Vec::new();
    for sibling in &siblings {
        edits.extend(indent_under_rule(analysis, sibling)?.edits);
    }
    let index = d.rule_index?;
    let label = analysis
        .policy()
        .map_or_else(|| format!("rules[{index}]"), |p| rule_label(p, index));
    Some(candidate(
        format!("Indent all {} misplaced keys under {label}", siblings.len()),
        edits,
        false,
    ))
}

/// `did you mean `X`?` in a finding's help or message.
fn suggestion(d: &Diagnostic) -> Option<String> {
    let text = [d.help.as_deref().unwrap_or(""), d.message.as_str()].join(" ");
    let rest = text.split("did you mean `").nth(1)?;
    Some(rest.split('`').next()?.to_owned())
}

fn rename(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    let suggested = suggestion(d)?;
    let written = analysis.source().slice(d.span);
    let (span, was) = if d.code.name == "unknown-tool" {
        // The finding points at the whole pattern (`'Bsh:*'`); replace the tool only.
        let unquoted = written.trim_matches(['\'', '"']);
        let lead = written.find(unquoted)?;
        let tool = unquoted.split(':').next()?;
        (
            Span::new(d.span.start + lead, d.span.start + lead + tool.len()),
            tool.to_owned(),
        )
    } else {
        (d.span, written.to_owned())
    };
    Some(candidate(
        format!("Rename `{was}` to `{suggested}`"),
        vec![TextEdit {
            span,
            new_text: suggested,
        }],
        true,
    ))
}

fn boolean_escalation(analysis: &Analysis, d: &Diagnostic) -> Vec<Candidate> {
    let written = analysis.source().slice(d.span).trim_matches(['\'', '"']);
    let means_false = matches!(
        written.to_ascii_lowercase().as_str(),
        "false" | "no" | "off" | "0" | "n"
    );
    [(false, means_false), (true, !means_false)]
        .into_iter()
        .map(|(value, preferred)| {
            let effect = if value {
                "the deny stays approvable"
            } else {
                "the deny is no longer approvable"
            };
            candidate(
                format!("Write `escalate_on_deny: {value}` ({effect})"),
                vec![TextEdit {
                    span: d.span,
                    new_text: value.to_string(),
                }],
                preferred,
            )
        })
        .collect()
}

fn add_escalation(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    let index = d.rule_index?;
    let (col, span) = rule_key_col(analysis, index)?;
    let end =
        super::inlay::end_of_line(analysis.text(), span.end.saturating_sub(1).max(span.start));
    let label = analysis
        .policy()
        .map_or_else(|| format!("rules[{index}]"), |p| rule_label(p, index));
    Some(candidate(
        format!("Add `escalate_on_deny: true` to {label} (its denies become approvable)"),
        vec![TextEdit {
            span: Span::point(end),
            new_text: format!("\n{}escalate_on_deny: true", " ".repeat(col)),
        }],
        true,
    ))
}

/// The full lines of rule `index` (from the start of its first line through its last
/// line break), for deleting or moving it.
fn rule_lines(analysis: &Analysis, index: usize) -> Option<Span> {
    let (_, span) = rule_key_col(analysis, index)?;
    let lines = analysis.source().lines();
    let first = lines.line_of(span.start);
    let last = lines.line_of(span.end.saturating_sub(1).max(span.start));
    Some(Span::new(
        lines.line_start(first),
        lines.line_start(last + 1),
    ))
}

fn delete_rule(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    let index = d.rule_index?;
    let span = rule_lines(analysis, index)?;
    let label = rule_label(analysis.policy()?, index);
    Some(Candidate {
        title: format!("Delete {label}"),
        edits: vec![TextEdit {
            span,
            new_text: String::new(),
        }],
        preferred: d.code.name != "redundant-rule",
        count_changes: true,
    })
}

fn move_above_blockers(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    let index = d.rule_index?;
    let policy = analysis.policy()?;
    let Reach::Unreachable(blocked) = analysis.regions.as_ref()?.rule(index) else {
        return None;
    };
    let first_blocker = *blocked.blockers.iter().min()?;
    let moved = rule_lines(analysis, index)?;
    let target = rule_lines(analysis, first_blocker)?;
    let mut text = analysis.source().slice(moved).to_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Some(Candidate {
        title: format!(
            "Move {} above {}",
            rule_label(policy, index),
            rule_label(policy, first_blocker)
        ),
        edits: vec![
            TextEdit {
                span: Span::point(target.start),
                new_text: text,
            },
            TextEdit {
                span: moved,
                new_text: String::new(),
            },
        ],
        preferred: false,
        count_changes: true,
    })
}

/// `# guardc: allow(name)` above the rule, or at the top of the file for a finding on
/// no rule.
fn suppress(analysis: &Analysis, d: &Diagnostic) -> Option<Candidate> {
    if is_load_code(d.code) || d.code.code == "GC0490" || d.code.code == "GC0491" {
        return None;
    }
    let name = d.code.name;
    match d
        .rule_index
        .and_then(|i| Some((i, rule_lines(analysis, i)?)))
    {
        Some((index, lines)) => {
            let first_line = analysis.source().slice(lines);
            let indent = first_line.len() - first_line.trim_start_matches(' ').len();
            Some(candidate(
                format!(
                    "Suppress `{name}` on {} with a comment",
                    analysis
                        .policy()
                        .map_or_else(|| format!("rules[{index}]"), |p| rule_label(p, index))
                ),
                vec![TextEdit {
                    span: Span::point(lines.start),
                    new_text: format!("{}# guardc: allow({name})\n", " ".repeat(indent)),
                }],
                false,
            ))
        }
        None => Some(candidate(
            format!("Suppress `{name}` in this file with a comment"),
            vec![TextEdit {
                span: Span::point(0),
                new_text: format!("# guardc: allow({name})\n"),
            }],
            false,
        )),
    }
}

/// Calls whose decisions a title counts: every witness of a finding, and a few calls
/// each (sampled) rule decides or loses to an earlier rule.
fn probe_calls(analysis: &Analysis) -> Vec<Call> {
    let mut calls: Vec<Call> = analysis
        .diagnostics
        .iter()
        .flat_map(|d| d.witnesses.iter())
        .map(|w| Call {
            tool: w.tool.clone(),
            method: w.method.clone(),
            context: w.context.clone(),
        })
        .collect();
    if let (Some(policy), Some(map)) = (analysis.policy(), analysis.regions.as_ref()) {
        for rule in policy.rules.iter().take(RULES_SAMPLED) {
            let states = match map.rule(rule.index) {
                Reach::Reachable(r) => r.deciding.iter().chain(&r.shadowed).copied().collect(),
                Reach::Unreachable(u) => u.witnesses.clone(),
                _ => Vec::new(),
            };
            for at in states.into_iter().take(CALLS_PER_RULE) {
                calls.extend(map.call(policy, at).map(|(call, _)| call));
            }
        }
    }
    calls.sort_by(|a, b| (&a.tool, &a.method).cmp(&(&b.tool, &b.method)));
    calls.dedup();
    calls
}

/// `2 calls change from allow to deny`, or that none of the calls checked changes.
fn decision_changes(before: &Analysis, after: &Analysis, probes: &[Call]) -> String {
    let (Some(old), Some(new)) = (before.policy(), after.policy()) else {
        return "the document no longer loads".to_owned();
    };
    let mut changes: BTreeMap<(String, String), usize> = BTreeMap::new();
    for call in probes {
        let (a, b) = (effect_of(old, call), effect_of(new, call));
        if a != b {
            *changes.entry((a, b)).or_default() += 1;
        }
    }
    if changes.is_empty() {
        return format!(
            "none of the {} calls checked changes its decision",
            probes.len()
        );
    }
    let parts: Vec<String> = changes
        .into_iter()
        .map(|((a, b), n)| {
            let calls = if n == 1 {
                "call changes"
            } else {
                "calls change"
            };
            format!("{n} {calls} from {a} to {b}")
        })
        .collect();
    parts.join(", ")
}

/// `deny` or `deny, approvable`.
fn effect_of(policy: &Policy, call: &Call) -> String {
    let decision = call.decide(policy);
    let mut text = decision.effect.as_str().to_owned();
    if decision.hitl_eligible {
        text.push_str(" (approvable)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const REACHABILITY: &str = include_str!("../../examples/findings/reachability.yaml");

    #[test]
    fn a_dead_rule_can_be_deleted_or_moved() {
        let analysis = Analysis::new("r.yaml", REACHABILITY, &LevelConfig::new());
        let dead = analysis
            .diagnostics
            .iter()
            .find(|d| d.code.name == "dead-rule")
            .expect("rules[4] is dead");
        let titles: Vec<String> = code_actions(&analysis, dead.span, &LevelConfig::new())
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert!(
            titles.iter().any(|t| t.starts_with("Delete rules[4]")),
            "{titles:?}"
        );
    }
}
