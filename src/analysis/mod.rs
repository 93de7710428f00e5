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

/// Run every registered finding over a loaded document.
pub fn analyze(loaded: &LoadResult) -> Vec<Diagnostic> {
    analyze_in(&Context::new(loaded))
}

/// Run every registered finding in a context the caller keeps, so analyses computed for
/// the findings (the reachability regions) can serve the caller afterwards.
pub fn analyze_in(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = findings::FINDINGS
        .iter()
        .flat_map(|finding| (finding.run)(context))
        .collect();
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    diagnostics
}

/// Everything a check run reports about a loaded document: its load diagnostics and the
/// findings, after the run's configuration (inline suppressions, then levels), ordered by
/// position. The check pipeline and the language server both come through here.
pub fn diagnose(loaded: &LoadResult, levels: &LevelConfig) -> Vec<Diagnostic> {
    diagnose_in(&Context::new(loaded), levels)
}

/// [`diagnose`] in a context the caller keeps (see [`analyze_in`]).
pub fn diagnose_in(context: &Context<'_>, levels: &LevelConfig) -> Vec<Diagnostic> {
    let loaded = context.loaded;
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(analyze_in(context));
    // No re-sorting here: load errors keep the reference's order (version, then settings
    // in its fixed key order, then rules; CI compares `compat_message` lists exactly),
    // and the findings after them are already in source order.
    config::configure(loaded, diagnostics, levels)
}
