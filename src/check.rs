//! The check pipeline as one library call: load a document, then analyze it.
//!
//! `guardc check`, the language server and tests all go through [`check_bytes`] /
//! [`check_source`], so a document gets the same diagnostics wherever it is checked.
//! The run's configuration (finding levels, inline suppressions) is applied here too,
//! not in the shells, for the same reason.

use crate::analysis::{self, LevelConfig};
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
}

/// A checked document: its source, the policy if it loaded, and every diagnostic (load
/// errors and analyzer findings, minus suppressed and allowed ones, at the run's levels),
/// ordered by position.
#[derive(Debug)]
pub struct CheckReport {
    pub source: SourceFile,
    pub policy: Option<Policy>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
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

/// Check a document already held as text (the language server's case).
pub fn check_source(source: SourceFile, options: &CheckOptions) -> CheckReport {
    finish(load(source), options)
}

fn finish(loaded: LoadResult, options: &CheckOptions) -> CheckReport {
    let diagnostics = analysis::diagnose(&loaded, &options.levels);
    CheckReport {
        source: loaded.source,
        policy: loaded.policy,
        diagnostics,
    }
}
