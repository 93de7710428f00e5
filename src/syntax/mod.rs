//! The YAML/JSON front-end: source text in, a span-carrying value tree out.
//!
//! Both front-ends produce the same [`Node`] tree with the values the reference loader
//! would see (YAML 1.1 scalar resolution for YAML, plain JSON typing for JSON), so the
//! lowering to the policy IR never cares which syntax a document used. Parsing never
//! fails as a whole: a syntax error or a resource limit yields a diagnostic and, where
//! possible, the part of the tree that was read.

mod json;
pub mod limits;
mod node;
mod yaml;
mod yaml_scalar;

pub use limits::Limits;

/// The fast YAML reader checked against saphyr, and the direct tree builder against
/// the arena builder, on `text` (see the `yaml_fast` fuzz target): `Ok(true)` read by
/// both readers alike and built by both builders alike, `Ok(false)` left to saphyr or to
/// the arena builder, `Err` a difference, which is a bug. Not part of the stable API.
#[doc(hidden)]
pub fn fast_yaml_reader_agrees(text: &str) -> Result<bool, String> {
    yaml::fast_reader_agrees(text)
}
pub use node::{DuplicateKey, MapEntry, Mapping, Node, NodeKind, ScalarStyle, node_truthy};

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

/// Which front-end reads a document, chosen by its file suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

impl Syntax {
    /// `yaml`/`yml` and `json`; anything else is refused by the loader, as the reference
    /// refuses it.
    pub fn from_extension(ext: &str) -> Option<Syntax> {
        match ext {
            "yaml" | "yml" => Some(Syntax::Yaml),
            "json" => Some(Syntax::Json),
            _ => None,
        }
    }
}

/// What a front-end returns: the root node, if the document had one that could be read,
/// and the diagnostics met on the way.
#[derive(Debug, Default)]
pub struct Parsed {
    pub root: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse a document with the front-end for `syntax`, within `limits`.
pub fn parse(source: &SourceFile, syntax: Syntax, limits: &Limits) -> Parsed {
    match syntax {
        Syntax::Yaml => yaml::parse(source.text(), limits),
        Syntax::Json => json::parse(source.text(), limits),
    }
}
