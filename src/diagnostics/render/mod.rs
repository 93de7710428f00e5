//! Rendering diagnostics: human text (miette, like rustc), stable JSON, SARIF 2.1.0 for
//! code scanning, and GitHub workflow annotations.
//!
//! Renderers take [`FileReport`]s (a document and its diagnostics) and return strings or
//! JSON values; they never print, so the CLI decides where output goes and tests
//! snapshot it. Lines and columns come from the document's `LineIndex` in every format,
//! so no two formats disagree on a position.

mod github;
#[cfg(feature = "render")]
mod human;
mod json;
mod sarif;
#[cfg(feature = "render")]
mod snippet_source;

pub use github::github_annotations;
#[cfg(feature = "render")]
pub use human::{HumanOptions, render_human};
pub use json::{json_report, span_json, witness_json};
pub use sarif::{SARIF_SCHEMA_URI, sarif_report};

use super::{Diagnostic, Witness};
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

/// `witness: guard("Bash", method="sudo a") → deny by rule-0 (approvable)`.
pub(crate) fn witness_line(witness: &Witness) -> String {
    let mut call = format!("guard({:?}", witness.tool);
    if witness.method != "*" {
        call.push_str(&format!(", method={:?}", witness.method));
    }
    if !witness.context.is_empty() {
        call.push_str(&format!(
            ", context={}",
            serde_json::Value::Object(witness.context.clone())
        ));
    }
    if !witness.args.is_empty() {
        call.push_str(&format!(
            ", args={}",
            serde_json::Value::Object(witness.args.clone())
        ));
    }
    call.push(')');
    let decision = &witness.decision;
    let by = decision.policy_id.as_deref().unwrap_or("a rule with no id");
    let approvable = if decision.hitl_eligible {
        " (approvable)"
    } else {
        ""
    };
    format!("witness: {call} → {} by {by}{approvable}", decision.effect)
}
