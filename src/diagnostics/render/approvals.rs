//! Renderings of the approval partition: plain text for people, JSON for tools.
//!
//! Both are pure functions of the report, so the CLI decides where they go and tests
//! snapshot them. The JSON keys are the classes' stable kebab-case names. They live with
//! the other renderers, above the analysis that computes the report
//! (`analysis::regions::approval_partition`), so that the analysis knows no output format.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{call_line, witness_json};
use crate::analysis::regions::{ApprovalReport, ClassSummary};
use crate::policy::Effect;

/// The partition as text, one paragraph per class with example calls (a few per tool).
pub fn render_approvals(report: &ApprovalReport) -> String {
    let mut out = String::new();
    if let Some(reason) = &report.incomplete {
        let _ = writeln!(
            out,
            "approval regions: not computed ({reason}); the partition needs the whole-policy \
             analysis: split the policy into smaller files to get it"
        );
        return out;
    }
    let _ = writeln!(
        out,
        "approval regions (no-match default: {})",
        report.default_action.as_str()
    );
    for summary in &report.classes {
        render_class(&mut out, report, summary);
    }
    out
}

fn render_class(out: &mut String, report: &ApprovalReport, summary: &ClassSummary) {
    let name = summary.class.as_str();
    if summary.regions == 0 {
        let _ = writeln!(out, "{name}: none");
        return;
    }
    let plural = if summary.regions == 1 { "" } else { "es" };
    let _ = writeln!(
        out,
        "{name}: {} request class{plural}, decided by {}",
        summary.regions,
        deciders(report, summary)
    );
    // Calls are grouped by tool for variety, but each names its tool already, so they
    // are listed without tool headings.
    for call in summary.examples.iter().flat_map(|(_, calls)| calls) {
        let _ = writeln!(out, "  {}", call_line(call));
    }
}

/// `rules[1] (reads), rules[4] and the fail-closed default`.
fn deciders(report: &ApprovalReport, summary: &ClassSummary) -> String {
    let mut names: Vec<String> = summary.rules.iter().map(|(_, l)| l.clone()).collect();
    if summary.includes_default {
        names.push(match report.default_action {
            Effect::Deny => "the fail-closed default".to_owned(),
            other => format!("the no-match default ({})", other.as_str()),
        });
    }
    names.join(", ")
}

/// The partition as JSON: `{"default_action", "complete", "reason", "classes": {name:
/// {"regions", "rules": [{"rule_index", "label"}], "includes_default", "examples":
/// [{"tool", "calls": [witness...]}]}}}`.
pub fn approvals_json(report: &ApprovalReport) -> Value {
    let classes: serde_json::Map<String, Value> = report
        .classes
        .iter()
        .map(|summary| (summary.class.as_str().to_owned(), class_json(summary)))
        .collect();
    json!({
        "default_action": report.default_action.as_str(),
        "complete": report.incomplete.is_none(),
        "reason": report.incomplete,
        "classes": classes,
    })
}

fn class_json(summary: &ClassSummary) -> Value {
    json!({
        "regions": summary.regions,
        "rules": summary
            .rules
            .iter()
            .map(|(index, label)| json!({"rule_index": index, "label": label}))
            .collect::<Vec<_>>(),
        "includes_default": summary.includes_default,
        "examples": summary
            .examples
            .iter()
            .map(|(tool, calls)| json!({
                "tool": tool,
                "calls": calls.iter().map(witness_json).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
    })
}
