//! The editor's questions, answered as plain functions: a document's text and its
//! finding levels in, data out (diagnostics, hover text, inlay hints, completions, code
//! actions with their edits, the rule outline, definitions and references, the decision
//! of a call).
//!
//! This layer knows nothing about the language server protocol: positions are byte
//! offsets and [`Span`]s, results are plain structs, and nothing here does IO. The
//! `lsp` shell converts positions (in one place) and dispatches; tests and benchmarks
//! call these functions directly. Every answer is computed from one [`Analysis`] of the
//! document, the same load-and-analyze pipeline `guardc check` runs, so the editor and
//! CI never disagree about a document.

mod actions;
mod completion;
mod decide;
mod expect;
mod hover;
mod inlay;
mod keys;
mod locate;
mod recover;
mod symbols;

pub use actions::{CodeAction, code_actions};
pub use completion::{Completion, CompletionKind, completions};
pub use decide::{CodeLens, DECIDE_COMMAND, DecideOutcome, code_lenses, decide_call, parse_call};
pub use expect::Expectation;
pub use hover::{Hover, hover};
pub use inlay::{InlayHint, inlay_hints};
pub use symbols::{Symbol, definition, references, symbols};

use crate::analysis::regions::RegionMap;
use crate::analysis::{Context, LevelConfig, diagnose_in};
use crate::diagnostics::Diagnostic;
use crate::policy::{LoadResult, Policy, load};
use crate::source::{SourceFile, Span};

/// One replacement in the document: the text under `span` becomes `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// Everything the editor features read about one version of a document: the load
/// result (tree and policy), the diagnostics `guardc check` reports at these levels
/// plus the mismatches of `# guardc: expect` comments, and the reachability regions the
/// findings computed (kept for hover and inlay hints, which would otherwise compute
/// them again).
#[derive(Debug)]
pub struct Analysis {
    pub loaded: LoadResult,
    /// For a document that does not load: its loadable prefix (see `recover`), which
    /// hover, hints and the outline read instead; byte offsets are the document's own.
    pub recovered: Option<LoadResult>,
    pub diagnostics: Vec<Diagnostic>,
    pub regions: Option<RegionMap>,
    pub expectations: Vec<Expectation>,
}

impl Analysis {
    /// Load and analyze `text` (named `name`, whose suffix selects YAML or JSON).
    pub fn new(name: &str, text: &str, levels: &LevelConfig) -> Analysis {
        let loaded = load(SourceFile::new(name, text));
        let recovered = recover::loadable_prefix(&loaded);
        let limits = levels.limits();
        let mut diagnostics = diagnose_in(&Context::with_limits(&loaded, limits), levels);
        let regions = {
            let context = Context::with_limits(recovered.as_ref().unwrap_or(&loaded), limits);
            if recovered.is_some() {
                let same = |a: &Diagnostic, b: &Diagnostic| {
                    a.code.code == b.code.code && a.span == b.span && a.message == b.message
                };
                let found: Vec<Diagnostic> = diagnose_in(&context, levels)
                    .into_iter()
                    .filter(|d| recover::keeps(d) && !diagnostics.iter().any(|o| same(o, d)))
                    .collect();
                diagnostics.extend(found);
            }
            context.regions().cloned()
        };
        let expectations = expect::check_expectations(&loaded);
        diagnostics.extend(levels.apply(expect::mismatches(&expectations)));
        Analysis {
            loaded,
            recovered,
            diagnostics,
            regions,
            expectations,
        }
    }

    pub fn source(&self) -> &SourceFile {
        &self.loaded.source
    }

    pub fn text(&self) -> &str {
        self.loaded.source.text()
    }

    /// What the editor features read: the document, or its loadable prefix when the
    /// document does not load.
    pub fn model(&self) -> &LoadResult {
        self.recovered.as_ref().unwrap_or(&self.loaded)
    }

    /// The policy (of the loadable prefix, for a document that does not load).
    pub fn policy(&self) -> Option<&Policy> {
        self.model().policy.as_ref()
    }
}

/// Whether a diagnostic marks text that does nothing (a rule that never decides, or
/// that changes no decision), which editors grey out.
pub fn is_unnecessary(diagnostic: &Diagnostic) -> bool {
    matches!(
        diagnostic.code.name,
        "dead-rule" | "unreachable-rule" | "redundant-rule" | "unmatchable-rule"
    )
}

/// Apply edits (non-overlapping, in any order) to a text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        let start = edit.span.start.clamp(at, text.len());
        out.push_str(text.get(at..start).unwrap_or(""));
        out.push_str(&edit.new_text);
        at = edit.span.end.clamp(start, text.len());
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_offset_order() {
        let edits = [
            TextEdit {
                span: Span::new(4, 5),
                new_text: "X".into(),
            },
            TextEdit {
                span: Span::point(0),
                new_text: "> ".into(),
            },
        ];
        assert_eq!(apply_edits("abc\nde", &edits), "> abc\nXe");
    }
}
