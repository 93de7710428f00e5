//! The check pipeline as one library call: load a document, then analyze it.
//!
//! `guardc check`, tests and any other caller (an editor integration) go through [`check_bytes`] /
//! [`check_source`], so a document gets the same diagnostics wherever it is checked.
//! The run's configuration (finding levels, inline suppressions) is applied here too,
//! not in the shells, for the same reason.

use serde_json::Value;

use crate::analysis::regions::ApprovalReport;
use crate::analysis::{self, Context, LevelConfig};
use crate::diagnostics::render::{FileReport, approvals_json, json_report};
use crate::diagnostics::{Diagnostic, Level};
use crate::policy::{LoadResult, Policy, load, load_bytes};
use crate::source::SourceFile;

/// Settings for one check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Warnings fail the run too.
    pub deny_warnings: bool,
    /// Per-finding levels (`guardc.toml`, then the `-D`/`-W`/`-A` flags); empty means
    /// every code at its default level.
    pub levels: LevelConfig,
    /// Also compute the approval partition (`--approvals`).
    pub approvals: bool,
}

/// A checked document: its source, the policy if it loaded, and every diagnostic (load
/// errors and analyzer findings, minus suppressed and allowed ones, at the run's levels),
/// ordered by position.
#[derive(Debug)]
pub struct CheckReport {
    pub source: SourceFile,
    pub policy: Option<Policy>,
    pub diagnostics: Vec<Diagnostic>,
    /// The approval partition, when asked for and the document loaded.
    pub approvals: Option<ApprovalReport>,
}

impl CheckReport {
    /// The source and diagnostics, as the renderers take them.
    pub fn file_report(&self) -> FileReport<'_> {
        FileReport {
            source: &self.source,
            diagnostics: &self.diagnostics,
        }
    }

    /// Whether the run should fail (exit 1) under these options.
    pub fn fails(&self, options: &CheckOptions) -> bool {
        self.diagnostics.iter().any(|d| {
            d.level == Level::Error || (options.deny_warnings && d.level == Level::Warning)
        })
    }
}

/// Check a document given as bytes (decoding is part of checking: invalid UTF-8 is a
/// diagnostic, not a failure).
pub fn check_bytes(name: &str, bytes: &[u8], options: &CheckOptions) -> CheckReport {
    finish(load_bytes(name, bytes), options)
}

/// Check a document already held as text (an editor's case).
pub fn check_source(source: SourceFile, options: &CheckOptions) -> CheckReport {
    finish(load(source), options)
}

fn finish(loaded: LoadResult, options: &CheckOptions) -> CheckReport {
    // One context for the findings and the partition: both read the same regions, which
    // are the expensive part of a check.
    let context = Context::with_limits(&loaded, options.levels.limits());
    let diagnostics = analysis::diagnose_in(&context, &options.levels);
    let approvals = options
        .approvals
        .then(|| context.approval_partition())
        .flatten();
    // The context borrows `loaded`, whose parts move into the report below.
    drop(context);
    CheckReport {
        source: loaded.source,
        policy: loaded.policy,
        diagnostics,
        approvals,
    }
}

/// The JSON report of a run (see `diagnostics::render::json`), with an `"approvals"`
/// object in each file that has a partition (`--approvals`; `null` when the document did
/// not load).
pub fn check_json(reports: &[CheckReport], with_approvals: bool) -> Value {
    let files: Vec<FileReport<'_>> = reports.iter().map(CheckReport::file_report).collect();
    let mut report = json_report(&files);
    if with_approvals {
        let entries = report.get_mut("files").and_then(Value::as_array_mut);
        for (entry, checked) in entries.into_iter().flatten().zip(reports) {
            if let Some(object) = entry.as_object_mut() {
                let partition = checked.approvals.as_ref().map(approvals_json);
                object.insert("approvals".to_owned(), partition.unwrap_or(Value::Null));
            }
        }
    }
    report
}
