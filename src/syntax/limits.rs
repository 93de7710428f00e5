//! Resource limits for reading untrusted documents.
//!
//! Every quantity a document controls is bounded here, in one documented place, so that
//! a hostile or accidental input (a "billion laughs" alias bomb, 100,000 nested
//! brackets, a 1 GiB paste) ends in a limit diagnostic within milliseconds instead of a
//! hang, a stack overflow or an out-of-memory abort. The defaults are far above any real
//! policy (the largest realistic policies have tens of thousands of rules, a few MiB).

/// Limits applied while parsing and lowering one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest document accepted, in bytes.
    pub max_document_bytes: usize,
    /// Deepest nesting of collections (sequences, mappings, flow collections).
    pub max_depth: usize,
    /// Most nodes the tree may hold after alias expansion. This is what stops alias
    /// bombs: each alias use copies its anchor's subtree, and the copies are counted.
    pub max_nodes: usize,
    /// Most alias uses in one document.
    pub max_aliases: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_document_bytes: 64 * 1024 * 1024,
        max_depth: 128,
        max_nodes: 4_000_000,
        max_aliases: 10_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
