//! The YAML front-end: saphyr-parser's event stream in, the [`Node`] tree out, typed and
//! shaped as the reference's PyYAML `safe_load` would load the document.
//!
//! saphyr is a YAML 1.2 parser; everything that makes the result YAML 1.1 as PyYAML
//! sees it (scalar resolution, tags, merge keys, duplicate keys as `dict` semantics,
//! one document only) is done here, on top of its events:
//! [`builder`] consumes the events into an alias-sharing arena while checking the
//! limits ([`scalars`] and [`collections`] build its nodes), [`arena`] expands it into
//! the owned tree, [`fast`] reads the common subset of YAML policies are written in
//! without saphyr (giving the same events), [`direct`] builds the tree from those events
//! when the document needs none of the arena's machinery, [`tabs`] applies PyYAML's stricter tab rules, and [`errors`] words
//! the diagnostics. [`reader`] applies the 1.1 reader's character rules before saphyr
//! sees the text (refused characters, NEL/LS/PS line breaks, a U+FEFF past the start,
//! `%YAML` versions), and [`refold`] reads the rare scalar that folds at a NEL, LS or PS
//! as PyYAML does.
//!
//! [`Node`]: super::Node

mod arena;
mod builder;
mod collections;
mod direct;
mod errors;
mod fast;
mod offsets;
mod reader;
mod refold;
mod scalars;
mod tabs;

use super::{Limits, Parsed};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::{LIMIT_EXCEEDED, YAML_SYNTAX};
use crate::source::Span;

/// The fast reader against saphyr, and the direct builder against the arena builder, on
/// `text` (see [`super::fast_yaml_reader_agrees`]).
pub(super) fn fast_reader_agrees(text: &str) -> Result<bool, String> {
    let read = fast::agrees_with_saphyr(text)?;
    let built = direct::agrees_with_arena(text)?;
    Ok(read && built)
}

/// Parse one YAML document within `limits`.
///
/// Returns `root: None` with no diagnostic for a stream without a document (empty or
/// comments only), `root: Some(Null)` for an empty or null document (`---`, `~`), and
/// `root: None` with at least one error diagnostic when the reference would refuse the
/// document.
pub(super) fn parse(text: &str, limits: &Limits) -> Parsed {
    if text.len() > limits.max_document_bytes {
        return Parsed {
            root: None,
            diagnostics: vec![
                Diagnostic::new(
                    &LIMIT_EXCEEDED,
                    Span::point(0),
                    format!(
                        "the document is {} bytes, more than the limit of {} bytes",
                        text.len(),
                        limits.max_document_bytes
                    ),
                )
                .with_help("split the policy into smaller files"),
            ],
        };
    }
    // PyYAML drops a leading byte-order mark; saphyr would too, but stripping it here
    // keeps saphyr's character indices aligned with the text after it.
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    // PyYAML's reader refuses these before it reads any structure, so they are the first
    // error whatever else is wrong with the document.
    if let Some((at, c)) = reader::first_unacceptable(text) {
        return builder::failed(vec![reader::unacceptable(text, at, c)]);
    }
    if let Some(diagnostic) = reader::directive_error(text, body, base) {
        return builder::failed(vec![diagnostic]);
    }
    // saphyr is fuzzed upstream, but its parser still holds internal `unwrap`s; a bug
    // there must surface as a diagnostic on this one document, not abort the caller
    // (a language server, a CI run over many files).
    std::panic::catch_unwind(|| builder::build(text, body, base, limits)).unwrap_or_else(|_| {
        Parsed {
            root: None,
            diagnostics: vec![
                Diagnostic::new(
                    &YAML_SYNTAX,
                    Span::point(0),
                    "the yaml parser failed on this document",
                )
                .with_help("report this document to the guardc maintainers"),
            ],
        }
    })
}
