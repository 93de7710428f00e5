//! The static analyzer: findings about documents the reference accepts but whose author
//! almost surely meant something else.
//!
//! Each finding is one module under [`findings`], registered in one table
//! ([`findings::FINDINGS`]) with its code, default level and documentation. A finding
//! reads the loaded document (tree and policy) and returns diagnostics; it never fails,
//! so the editor always has something to show.

mod context;
pub mod findings;

pub use context::Context;

use crate::diagnostics::Diagnostic;
use crate::policy::LoadResult;

/// Run every registered finding over a loaded document.
pub fn analyze(loaded: &LoadResult) -> Vec<Diagnostic> {
    let context = Context::new(loaded);
    let mut diagnostics: Vec<Diagnostic> = findings::FINDINGS
        .iter()
        .flat_map(|finding| (finding.run)(&context))
        .collect();
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    diagnostics
}
