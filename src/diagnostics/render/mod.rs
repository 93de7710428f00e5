//! Rendering diagnostics: human text (miette, like rustc) and stable JSON.
//!
//! Renderers take a [`FileReport`] (a document and its diagnostics) and return strings;
//! they never print, so the CLI decides where output goes and tests snapshot it.

#[cfg(feature = "render")]
mod human;
mod json;

#[cfg(feature = "render")]
pub use human::{HumanOptions, render_human};
pub use json::{json_report, span_json, witness_json};

use super::Diagnostic;
use crate::source::SourceFile;

/// One document and what was found in it.
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    pub source: &'a SourceFile,
    pub diagnostics: &'a [Diagnostic],
}
