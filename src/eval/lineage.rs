//! Audit lineage: which policy text, and which compiled bundle, decided a call.
//!
//! An approval record must name exactly what denied a call: the rule (index, id, line)
//! and the policy it belongs to. The hashes belong to the policy, not to each decision,
//! so [`super::Decision`] stays small and `Copy`; a runtime reads them once through
//! [`super::CompiledPolicy::lineage`] and [`super::DecisionRecord::with_lineage`] puts
//! them next to the rule in the record.
//!
//! The source hash is SHA-256 of the document's bytes, the same whether the policy was
//! loaded from its YAML or from a bundle built from it (the bundle header keeps it), so
//! an audit row can be matched to a commit of the policy file with `sha256sum`. The
//! bundle hash is the bundle's BLAKE3 digest, filled in by the bundle layer on load (it
//! builds on this one; eval does not know bundles).

use sha2::{Digest, Sha256};

/// The hashes that identify a compiled policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lineage {
    /// SHA-256 of the policy document's bytes, when they were known.
    pub source_sha256: Option<[u8; 32]>,
    /// BLAKE3 of the bundle the policy was read from, if it was.
    pub bundle_blake3: Option<[u8; 32]>,
}

impl Lineage {
    /// The lineage of a policy compiled from `source` (no bundle).
    pub fn of_source(source: &[u8]) -> Lineage {
        Lineage {
            source_sha256: Some(Sha256::digest(source).into()),
            bundle_blake3: None,
        }
    }
}

/// Lowercase hexadecimal, as `sha256sum` and `b3sum` print digests.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
