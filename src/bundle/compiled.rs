//! `CompiledPolicy::from_bundle`, the runtime's one-call load of a bundle.
//!
//! It is an inherent method of the evaluator's type, but it is defined here, in the
//! bundle layer, so that imports point one way: `bundle` builds on `eval` (it decodes
//! into a `CompiledPolicy` and its `Lineage`), and `eval` knows nothing of bundles.

use super::{BundleError, read_bundle};
use crate::eval::CompiledPolicy;

impl CompiledPolicy {
    /// Load a compiled bundle (verifying its checksum, and its signature if it has one).
    pub fn from_bundle(bytes: &[u8]) -> Result<CompiledPolicy, BundleError> {
        read_bundle(bytes, None).map(|(policy, _)| policy)
    }
}
