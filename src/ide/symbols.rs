//! The rule outline (document symbols), go to definition (from a finding, a hover or an
//! unreachable rule to the rules that block it; from an expectation to the rule that
//! decides its call) and references (from a rule to the rules that overlap it).

use super::Analysis;
use super::locate::{rule_at, rule_nodes};
use crate::analysis::regions::{Reach, rule_label};
use crate::source::Span;
use crate::syntax::Node;

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: String,
    /// Whether this is a rule (else a top-level key).
    pub is_rule: bool,
    pub span: Span,
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// The outline: top-level keys, with the rules under `rules`.
pub fn symbols(analysis: &Analysis) -> Vec<Symbol> {
    let Some(root) = analysis.model().document.as_ref().and_then(Node::as_map) else {
        return Vec::new();
    };
    root.entries
        .iter()
        .filter_map(|entry| {
            let key = entry.key.as_str()?;
            let children = if key == "rules" {
                rule_symbols(analysis)
            } else {
                Vec::new()
            };
            Some(Symbol {
                name: key.to_owned(),
                detail: if key == "rules" {
                    format!("{} rules", children.len())
                } else {
                    String::new()
                },
                is_rule: false,
                span: entry.key.span.cover(entry.value.span),
                selection: entry.key.span,
                children,
            })
        })
        .collect()
}

fn rule_symbols(analysis: &Analysis) -> Vec<Symbol> {
    let policy = analysis.policy();
    rule_nodes(analysis)
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let (name, detail) = match policy.and_then(|p| p.rules.get(index).map(|r| (p, r))) {
                Some((policy, rule)) => {
                    let patterns: Vec<&str> =
                        rule.patterns.iter().map(|p| p.raw.as_str()).collect();
                    let mut detail = format!("{} {}", rule.effect.as_str(), patterns.join(", "));
                    if rule.hitl_eligible() {
                        detail.push_str(" (approvable)");
                    }
                    let never = matches!(
                        analysis.regions.as_ref().map(|m| m.rule(index)),
                        Some(Reach::Unreachable(_) | Reach::Unmatchable)
                    );
                    if never {
                        detail.push_str(" (never decides)");
                    }
                    (rule_label(policy, index), detail)
                }
                None => (format!("rules[{index}]"), String::new()),
            };
            let selection = node
                .as_map()
                .and_then(|m| m.entries.first())
                .map_or(node.span, |first| first.key.span);
            Symbol {
                name,
                detail,
                is_rule: true,
                span: node.span,
                selection,
                children: Vec::new(),
            }
        })
        .collect()
}

/// Where the thing at `offset` is defined: for a finding with related locations, those
/// locations (the blocking rules, the first occurrence of a key); on an unreachable
/// rule, its blockers; on an expectation, the rule that decides its call.
pub fn definition(analysis: &Analysis, offset: usize) -> Vec<Span> {
    if let Some(e) = analysis
        .expectations
        .iter()
        .find(|e| e.span.start <= offset && offset <= e.span.end)
    {
        let rule = e.actual.and_then(|d| d.rule_index());
        let policy = analysis.policy();
        return rule
            .and_then(|i| policy?.rules.get(i))
            .map(|r| vec![r.spans.rule])
            .unwrap_or_default();
    }
    let mut spans: Vec<Span> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
        .flat_map(|d| d.related.iter().map(|r| r.span))
        .collect();
    if spans.is_empty() {
        spans = blockers_of(analysis, offset);
    }
    spans.sort();
    spans.dedup();
    spans
}

fn blockers_of(analysis: &Analysis, offset: usize) -> Vec<Span> {
    let (Some(policy), Some(map), Some(index)) = (
        analysis.policy(),
        analysis.regions.as_ref(),
        rule_at(analysis, offset),
    ) else {
        return Vec::new();
    };
    match map.rule(index) {
        Reach::Unreachable(blocked) => blocked
            .blockers
            .iter()
            .filter_map(|&q| policy.rules.get(q).map(|r| r.spans.rule))
            .collect(),
        _ => Vec::new(),
    }
}

/// The rules that overlap the rule at `offset`: those that block or shadow it, and
/// those it blocks or shadows, as the findings relate them; with the rule itself first
/// when `include_declaration`.
pub fn references(analysis: &Analysis, offset: usize, include_declaration: bool) -> Vec<Span> {
    let (Some(policy), Some(index)) = (analysis.policy(), rule_at(analysis, offset)) else {
        return Vec::new();
    };
    let mut others: Vec<usize> = Vec::new();
    for d in &analysis.diagnostics {
        let related: Vec<usize> = d.related.iter().filter_map(|r| r.rule_index).collect();
        if d.rule_index == Some(index) {
            others.extend(related.iter().copied());
        } else if related.contains(&index) {
            others.extend(d.rule_index);
        }
    }
    if let Some(Reach::Unreachable(blocked)) = analysis.regions.as_ref().map(|m| m.rule(index)) {
        others.extend(blocked.blockers.iter().copied());
    }
    others.retain(|&q| q != index);
    others.sort_unstable();
    others.dedup();
    let own = include_declaration.then_some(index);
    own.into_iter()
        .chain(others)
        .filter_map(|q| policy.rules.get(q).map(|r| r.spans.rule))
        .collect()
}
