//! The JSON report: stable and versioned, for CI and other tools.
//!
//! Shape (version 1):
//! `{"version":1,"files":[{"path","diagnostics":[{"code","name","level","message",
//! "compat_message","span":{"start_line","start_col","end_line","end_col"},"rule_index",
//! "help","related":[{"rule_index","span","message"}],"witnesses":[{"tool","method",
//! "context","args","decision":{...}}]}]}]}`. Lines and columns are 1-based; columns count
//! characters. Fields are only ever added, never renamed or removed, within a version.

use serde_json::{Value, json};

use super::FileReport;
use crate::diagnostics::{Diagnostic, Witness};
use crate::source::{SourceFile, Span};

/// The whole report for a run over one or more files.
pub fn json_report(files: &[FileReport<'_>]) -> Value {
    json!({
        "version": 1,
        "files": files.iter().map(file_json).collect::<Vec<_>>(),
    })
}

fn file_json(file: &FileReport<'_>) -> Value {
    json!({
        "path": file.source.name(),
        "diagnostics": file
            .diagnostics
            .iter()
            .map(|d| diagnostic_json(file.source, d))
            .collect::<Vec<_>>(),
    })
}

fn diagnostic_json(source: &SourceFile, diagnostic: &Diagnostic) -> Value {
    json!({
        "code": diagnostic.code.code,
        "name": diagnostic.code.name,
        "level": diagnostic.level.as_str(),
        "message": diagnostic.message,
        "compat_message": diagnostic.compat_message,
        "span": span_json(source, diagnostic.span),
        "rule_index": diagnostic.rule_index,
        "help": diagnostic.help,
        "related": diagnostic.related.iter().map(|r| json!({
            "rule_index": r.rule_index,
            "span": span_json(source, r.span),
            "message": r.message,
        })).collect::<Vec<_>>(),
        "witnesses": diagnostic.witnesses.iter().map(witness_json).collect::<Vec<_>>(),
    })
}

/// A span as 1-based start and end lines and columns.
pub fn span_json(source: &SourceFile, span: Span) -> Value {
    let start = source.lines().line_col(span.start);
    let end = source.lines().line_col(span.end);
    json!({
        "start_line": start.line,
        "start_col": start.col,
        "end_line": end.line,
        "end_col": end.col,
    })
}

pub fn witness_json(witness: &Witness) -> Value {
    json!({
        "tool": witness.tool,
        "method": witness.method,
        "context": witness.context,
        "args": witness.args,
        "decision": {
            "effect": witness.decision.effect,
            "policy_id": witness.decision.policy_id,
            "reason_code": witness.decision.reason_code,
            "hitl_eligible": witness.decision.hitl_eligible,
            "evaluated_rules": witness.decision.evaluated_rules,
        },
    })
}
