//! The registry of diagnostic codes: every code users can see, in one table.
//!
//! Codes are stable: a code, once published, keeps its meaning and its kebab-case name
//! forever (CI configurations and inline suppressions refer to them). Each family of
//! codes lives in its own file, as an `ALL` array, and `crate::registry::all` joins them
//! into the one table that `guardc explain`, the configuration, the SARIF report, the
//! documentation test and any editor integration read.
//!
//! Every code is defined here, in the bottom layer, including those of the analyzer's
//! findings, of `guardc diff` and `guardc test` and of guardc's own comments: the code
//! that reports a diagnostic sits above this table and refers to it, so the registry
//! never imports what registers in it.
//!
//! Numbering: `GC00xx` reading documents (syntax, encoding, limits), `GC01xx` load errors
//! (the reference refuses the document), `GC02xx` to `GC05xx` analyzer findings, `GC07xx`
//! the CI gates (`guardc diff`, `guardc test`).

pub mod comments;
pub mod diff;
pub mod findings;
pub mod policy_tests;
pub mod schema;
pub mod syntax;

/// How serious a diagnostic is. `Error` fails `guardc check` (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// A registered code and its documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// Stable identifier, `GC` and four digits.
    pub code: &'static str,
    /// Stable kebab-case name, named for what it flags.
    pub name: &'static str,
    pub level: Level,
    /// One line: what it flags.
    pub summary: &'static str,
    /// What it flags, why it matters, an example, the fix (printed by `guardc explain`).
    pub doc: &'static str,
}

/// The codes for reading and loading documents (the reference refuses such a document;
/// they cannot be suppressed).
pub fn load_codes() -> impl Iterator<Item = &'static CodeInfo> {
    syntax::ALL.iter().chain(schema::ALL.iter()).copied()
}
