//! What `guardc diff` prints: the JSON document, the human report grouped by class, and
//! the changes as diagnostics on the new file (for SARIF and GitHub annotations, which
//! the shared renderers produce).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::compare::{Change, ChangeClass, DiffIncomplete, DiffReport};
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::diff::{DECISION_CHANGED, DECISION_MAY_CHANGE, DIFF_INCOMPLETE};
use crate::eval::{Decision, DecisionRecord};
use crate::policy::Policy;
use crate::source::{SourceFile, Span};

/// One side of a comparison, as the renderers need it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// As the user wrote it (`main:controlzero.yaml`, `policy.yaml`).
    pub name: &'a str,
    pub policy: &'a Policy,
    pub source: &'a SourceFile,
}

/// The JSON document (version 1).
pub fn diff_json(report: &DiffReport, old: Side<'_>, new: Side<'_>) -> Value {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            let request = change.witness.request();
            json!({
                "class": change.class.as_str(),
                "old_rule_index": change.old_rule,
                "new_rule_index": change.new_rule,
                "witness": {
                    "tool": change.witness.tool,
                    "method": change.witness.method,
                    "context": change.witness.context,
                    "args": {},
                },
                "old_decision": DecisionRecord::new(&change.old_decision, old.policy, &request),
                "new_decision": DecisionRecord::new(&change.new_decision, new.policy, &request),
            })
        })
        .collect();
    let may_change: Vec<Value> = report
        .may_change
        .iter()
        .map(|m| {
            json!({
                "class": m.class.as_str(),
                "old_rule_index": m.old_rule,
                "new_rule_index": m.new_rule,
                "proven": false,
            })
        })
        .collect();
    let audit_only: Vec<Value> = report
        .audit_only
        .iter()
        .map(|a| {
            json!({
                "old_rule_index": a.old_rule,
                "new_rule_index": a.new_rule,
                "fields": a.fields,
            })
        })
        .collect();
    let incomplete = report
        .incomplete
        .as_ref()
        .map(|i| json!({"reason": i.reason, "old_rules": i.old_rules, "new_rules": i.new_rules}));
    json!({
        "version": 1,
        "old": old.name,
        "new": new.name,
        "changes": changes,
        "may_change": may_change,
        "audit_only": audit_only,
        "incomplete": incomplete,
    })
}

/// The human report: changes grouped by class, each with its witness and both rules
/// with their source lines; then unproven pairs, audit-only changes, and what could not
/// be compared.
pub fn render_diff_human(report: &DiffReport, old: Side<'_>, new: Side<'_>) -> String {
    let mut out = String::new();
    for class in ChangeClass::ALL {
        let changes: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{} ({})", class.as_str(), changes.len());
        for change in changes {
            let w = &change.witness;
            let context = if w.context.is_empty() {
                String::new()
            } else {
                format!(" context {}", Value::Object(w.context.clone()))
            };
            let _ = writeln!(out, "  {}:{}{context}", w.tool, w.method);
            let _ = writeln!(
                out,
                "    before: {:<18} {}",
                verdict(&change.old_decision),
                rule_line(old, change.old_rule)
            );
            let _ = writeln!(
                out,
                "    after:  {:<18} {}",
                verdict(&change.new_decision),
                rule_line(new, change.new_rule)
            );
        }
    }
    if !report.may_change.is_empty() {
        let _ = writeln!(out, "may change, unproven ({})", report.may_change.len());
        for m in &report.may_change {
            let _ = writeln!(out, "  {}", m.class.as_str());
            let _ = writeln!(out, "    before: {}", rule_line(old, m.old_rule));
            let _ = writeln!(out, "    after:  {}", rule_line(new, m.new_rule));
        }
    }
    if !report.audit_only.is_empty() {
        let _ = writeln!(out, "audit-only ({})", report.audit_only.len());
        for a in &report.audit_only {
            let _ = writeln!(
                out,
                "  {} -> {}: {} changed",
                rule_label(old.policy, a.old_rule),
                rule_label(new.policy, a.new_rule),
                a.fields.join(", ")
            );
        }
    }
    if let Some(incomplete) = &report.incomplete {
        let _ = writeln!(
            out,
            "diff incomplete for rules {}: {}",
            incomplete_rules(incomplete),
            incomplete.reason
        );
    }
    if out.is_empty() {
        out.push_str("no decision changes\n");
    } else {
        let _ = writeln!(out, "{}", summary(report));
    }
    out
}

fn summary(report: &DiffReport) -> String {
    format!(
        "{} change(s), {} unproven, {} audit-only",
        report.changes.len(),
        report.may_change.len(),
        report.audit_only.len()
    )
}

fn incomplete_rules(incomplete: &DiffIncomplete) -> String {
    let old = incomplete
        .old_rules
        .iter()
        .map(|i| format!("old rules[{i}]"));
    let new = incomplete
        .new_rules
        .iter()
        .map(|i| format!("new rules[{i}]"));
    old.chain(new).collect::<Vec<_>>().join(", ")
}

fn verdict(decision: &Decision) -> String {
    match (decision.effect.as_str(), decision.hitl_eligible) {
        ("deny", true) => "deny, approvable".to_owned(),
        (effect, _) => effect.to_owned(),
    }
}

/// `rules[1] line 8: - allow: 'Bash:*'`, or the default.
fn rule_line(side: Side<'_>, rule: Option<usize>) -> String {
    let Some(rule) = rule.and_then(|i| side.policy.rules.get(i)) else {
        return format!(
            "no rule matches (default_action: {})",
            side.policy.default_action.as_str()
        );
    };
    let text = side
        .source
        .text()
        .lines()
        .nth((rule.line as usize).saturating_sub(1))
        .unwrap_or("")
        .trim();
    format!(
        "{} {}:{}: {text}",
        rule_label(side.policy, rule.index),
        side.name,
        rule.line
    )
}

/// The changes as diagnostics on the new file: each at the new rule (or the document's
/// start for the default), with the old rule named in the message.
pub fn diff_diagnostics(report: &DiffReport, old: Side<'_>, new: Side<'_>) -> Vec<Diagnostic> {
    let at = |rule: Option<usize>| {
        rule.and_then(|i| new.policy.rules.get(i))
            .map_or(Span::default(), |r| r.spans.rule)
    };
    let name = |side: Side<'_>, rule: Option<usize>| {
        rule.map_or_else(|| "the default".to_owned(), |i| rule_label(side.policy, i))
    };
    let mut out = Vec::new();
    for change in &report.changes {
        let w = &change.witness;
        let mut diagnostic = Diagnostic::new(
            &DECISION_CHANGED,
            at(change.new_rule),
            format!(
                "{}: `{}:{}` was {} by {} of {}, now {} by {}",
                change.class.as_str(),
                w.tool,
                w.method,
                verdict(&change.old_decision),
                name(old, change.old_rule),
                old.name,
                verdict(&change.new_decision),
                name(new, change.new_rule)
            ),
        )
        .with_label("decides this call differently now")
        .with_help("if this change is not intended, restore the old rule order or gates");
        diagnostic.rule_index = change.new_rule;
        out.push(diagnostic);
    }
    for m in &report.may_change {
        let mut diagnostic = Diagnostic::new(
            &DECISION_MAY_CHANGE,
            at(m.new_rule),
            format!(
                "{} (unproven): {} of {} and {} may decide some call differently",
                m.class.as_str(),
                name(old, m.old_rule),
                old.name,
                name(new, m.new_rule)
            ),
        )
        .with_label("a gate here or in the old rule is not modelled exactly")
        .with_help("review both rules, or add a policy test that settles it");
        diagnostic.rule_index = m.new_rule;
        out.push(diagnostic);
    }
    if let Some(incomplete) = &report.incomplete {
        out.push(
            Diagnostic::new(
                &DIFF_INCOMPLETE,
                Span::default(),
                format!(
                    "diff incomplete for rules {}: {}",
                    incomplete_rules(incomplete),
                    incomplete.reason
                ),
            )
            .with_label("the comparison stopped here")
            .with_help("split the change, or review the named rules by hand"),
        );
    }
    out
}
