//! The static analyzer: findings about documents the reference accepts but whose author
//! almost surely meant something else.
//!
//! Each finding is one module under [`findings`], registered in one table
//! ([`findings::FINDINGS`]) with its code, default level and documentation. A finding
//! reads the loaded document (tree and policy) and returns diagnostics; it never fails,
//! so the editor always has something to show.

pub mod compare;
pub mod config;
mod context;
pub mod findings;
pub mod policy_tests;
pub mod regions;

pub use config::{LevelConfig, Suppressions};
pub use context::Context;

use crate::diagnostics::Diagnostic;
use crate::policy::LoadResult;
use regions::Questions;

/// Run every registered finding over a loaded document.
pub fn analyze(loaded: &LoadResult) -> Vec<Diagnostic> {
    analyze_in(&Context::new(loaded))
}

/// Run every registered finding in a context the caller keeps, so analyses computed for
/// the findings (the reachability regions) can serve the caller afterwards.
pub fn analyze_in(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = run_findings(context, None);
    sort_by_position(&mut diagnostics);
    diagnostics
}

/// Every registered finding's diagnostics, in the order of the table.
/// Runs the findings the levels leave on (every finding without levels); an allowed
/// finding costs nothing, and the regions answer only the questions of the findings
/// that run.
fn run_findings(context: &Context<'_>, levels: Option<&LevelConfig>) -> Vec<Diagnostic> {
    let enabled = |info| levels.is_none_or(|levels| levels.level_of(info).is_some());
    context.ask(Questions {
        overlaps: enabled(findings::OVERLAP_FINDING),
        preempted: enabled(findings::PREEMPTION_FINDING),
        redundancy: if enabled(findings::REDUNDANCY_FINDING) {
            context.redundancy_candidates()
        } else {
            Vec::new()
        },
    });
    findings::FINDINGS
        .iter()
        .filter(|finding| enabled(finding.info))
        .flat_map(|finding| (finding.run)(context))
        .collect()
}

/// Source order: by where a diagnostic starts, then ends; equal spans keep their order
/// (the sort is stable).
fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
}

/// Everything a check run reports about a loaded document: its load diagnostics and the
/// findings, after the run's configuration (inline suppressions, then levels), ordered by
/// position. The check pipeline comes through here, and so should any other caller
/// that reports on a document (an editor integration), so that both say the same.
pub fn diagnose(loaded: &LoadResult, levels: &LevelConfig) -> Vec<Diagnostic> {
    diagnose_in(&Context::new(loaded), levels)
}

/// [`diagnose`] in a context the caller keeps (see [`analyze_in`]).
pub fn diagnose_in(context: &Context<'_>, levels: &LevelConfig) -> Vec<Diagnostic> {
    let loaded = context.loaded;
    let (load, mut findings) =
        config::configure(loaded, run_findings(context, Some(levels)), levels);
    // Sorted once, here, after the configuration added its own findings (problems with
    // suppression comments). Load errors are not sorted: they keep the reference's order
    // (version, then settings in its fixed key order, then rules; CI compares
    // `compat_message` lists exactly), and come first.
    sort_by_position(&mut findings);
    let mut diagnostics = load;
    diagnostics.extend(findings);
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::load;
    use crate::source::SourceFile;

    /// A suppression comment that suppresses nothing is reported by the configuration,
    /// after every finding has run; it still takes its place in source order, before a
    /// finding further down the document.
    #[test]
    fn configuration_findings_are_in_source_order() {
        let text = "version: '1'\nrules:\n  # guardc: allow(redundant-rules)\n  \
                    - deny: 'Bash:sudo *'\n  - deny: 'Bash:sudo *'\n  - allow: '*'\n";
        let loaded = load(SourceFile::new("p.yaml", text));
        let diagnostics = diagnose(&loaded, &LevelConfig::default());
        let names: Vec<&str> = diagnostics.iter().map(|d| d.code.name).collect();
        let suppression = names.iter().position(|&n| n == "unknown-suppression");
        let later = diagnostics
            .iter()
            .position(|d| d.span.start > text.find("  - deny").unwrap_or(0));
        assert!(suppression.is_some() && later.is_some(), "{names:?}");
        assert!(suppression < later, "{names:?}");
        let starts: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
        assert!(starts.is_sorted(), "{names:?} at {starts:?}");
    }
}
