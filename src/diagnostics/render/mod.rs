//! Rendering diagnostics: human text (miette, like rustc), stable JSON, SARIF 2.1.0 for
//! code scanning, and GitHub workflow annotations; and the analysis reports that are not
//! diagnostics: the approval partition, `guardc diff` and `guardc test`.
//!
//! This module is a layer above the analysis (see ARCHITECTURE.md, "Layers"): it may
//! render any report the analysis computes, and nothing below it imports a renderer.
//!
//! Renderers take [`FileReport`]s (a document and its diagnostics) and write into a
//! writer the caller gives, or return strings or JSON values; they never print, so the
//! CLI decides where output goes and tests snapshot it. Lines and columns come from the
//! document's `LineIndex` in every format, so no two formats disagree on a position.
//! Text from the policy is escaped on its way out (`diagnostics::escape`): the human and
//! GitHub formats show control characters as `<U+001B>`, the JSON ones `\u`-escape them.

mod approvals;
mod diff;
#[cfg(feature = "render")]
mod excerpt;
mod github;
#[cfg(feature = "render")]
mod human;
mod json;
mod policy_tests;
mod sarif;
#[cfg(feature = "render")]
mod window;

pub use approvals::{approvals_json, render_approvals};
pub use diff::{Side, diff_diagnostics, diff_json, render_diff_human};
// The escaping is one layer down, in `diagnostics::escape`, because the evaluator writes
// its JSON lines with it too; it is re-exported here, where renderers' callers look.
pub use super::escape::{SafeJsonFormatter, escape_controls, is_control, json_string, write_json};
pub use github::{github_annotations, write_github_annotations};
#[cfg(feature = "render")]
pub use human::{HumanOptions, render_human, write_human};
pub use json::{json_report, span_json, witness_json};
pub use policy_tests::{junit, render_suite_human, suite_json};
pub use sarif::{SARIF_SCHEMA_URI, sarif_report};

use super::{Diagnostic, Witness};
use crate::python::{PyValue, str_repr};
use crate::source::SourceFile;

/// One document and what was found in it.
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    pub source: &'a SourceFile,
    pub diagnostics: &'a [Diagnostic],
}

/// The plain-text body of a diagnostic for formats that have one message field (SARIF,
/// GitHub annotations): the message, then `help: ...`, then one line per witness.
pub(crate) fn plain_text(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    for witness in &diagnostic.witnesses {
        text.push('\n');
        text.push_str(&witness_line(witness));
    }
    text
}

/// `witness: guard('Bash', method='sudo a') → deny by rule-0 (approvable)`.
pub(crate) fn witness_line(witness: &Witness) -> String {
    format!("witness: {}", call_line(witness))
}

/// `guard('Bash', method='ls') → allow by reads (approvable)`: a call and its decision.
pub(crate) fn call_line(witness: &Witness) -> String {
    let decision = &witness.decision;
    let by = decision.policy_id.as_deref().unwrap_or("a rule with no id");
    let approvable = if decision.hitl_eligible {
        " (approvable)"
    } else {
        ""
    };
    format!(
        "{} → {} by {by}{approvable}",
        guard_call(witness),
        decision.effect
    )
}

/// The witness as the call a user makes, in Python's syntax so that it can be pasted
/// into `client.guard(...)`: `guard('Bash', method='sudo a', context={'resource': 'x'})`.
/// Strings are Python `repr`s, so a control character in a tool or method is a Python
/// escape (`'\x1b'`) that means that character when pasted, and reaches no terminal raw.
pub fn guard_call(witness: &Witness) -> String {
    let mut call = format!("guard({}", str_repr(&witness.tool));
    if witness.method != "*" {
        call.push_str(", method=");
        call.push_str(&str_repr(&witness.method));
    }
    for (name, values) in [("context", &witness.context), ("args", &witness.args)] {
        if !values.is_empty() {
            let dict = PyValue::from_json(&serde_json::Value::Object(values.clone()));
            call.push_str(&format!(", {name}={}", dict.py_repr()));
        }
    }
    call.push(')');
    call
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::WitnessDecision;
    use serde_json::json;

    #[test]
    fn witnesses_are_python_calls() {
        let serde_json::Value::Object(context) =
            json!({"resource": "a'b", "n": 1, "ok": true, "x": null})
        else {
            unreachable!()
        };
        let witness = Witness {
            tool: "Bash".into(),
            method: "\u{1b}[31mls\u{202e}".into(),
            context,
            args: serde_json::Map::new(),
            decision: WitnessDecision {
                effect: "deny".into(),
                policy_id: Some("rule-0".into()),
                reason_code: "RULE_DENY".into(),
                hitl_eligible: true,
                evaluated_rules: 1,
            },
        };
        assert_eq!(
            call_line(&witness),
            "guard('Bash', method='\\x1b[31mls\\u202e', context={'resource': \"a'b\", 'n': 1, \
             'ok': True, 'x': None}) → deny by rule-0 (approvable)"
        );
    }
}
