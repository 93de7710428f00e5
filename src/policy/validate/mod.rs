//! Validation of a loaded document, reproducing the reference loader's error list.
//!
//! The reference validates in two phases: top-level problems (`version`, `settings`,
//! `rules`) are reported alone, and the rules are checked (all of them, in order) only
//! when the top level is sound. The order of the reported errors is part of the
//! reference's observable behaviour (CI compares error lists), so each check is written
//! in the order the reference runs it, and the reference's text is kept as each
//! diagnostic's `compat_message`. Documents on which the reference crashes instead get a
//! diagnostic without compat text.

mod conditions;
mod messages;
pub(crate) mod resolve;
mod rules;
mod top_level;

pub(crate) use messages::describe;

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::{Mapping, Node, NodeKind};

/// Validate a document whose root is the mapping `map` (the node `root`).
pub(crate) fn validate(source: &SourceFile, root: &Node, map: &Mapping) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    top_level::check(source, root, map, &mut out);
    if out.iter().any(Diagnostic::is_error) {
        return out;
    }
    let Some(NodeKind::Seq(items)) = map.get("rules").map(|r| &r.kind) else {
        return out;
    };
    for (index, rule) in items.iter().enumerate() {
        let mut cx = rules::RuleCx {
            source,
            index,
            out: &mut out,
        };
        rules::check_rule(&mut cx, rule);
    }
    out
}
