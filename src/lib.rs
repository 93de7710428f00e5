//! guardc: compiler, static analyzer and evaluator for Control Zero agent policies.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`source`] (text and spans) → [`syntax`] (YAML/JSON front-end) → [`policy`] (validation
//! and lowering to the policy IR) → [`eval`] (the reference interpreter) → shells
//! (`cli`). [`pattern`] is the glob dialect, [`python`] the reference's value semantics,
//! [`diagnostics`] the one model every stage reports through.

pub mod analysis;
pub mod automaton;
pub mod bundle;
pub mod check;
pub mod diagnostics;
pub mod eval;
pub mod ide;
pub mod pattern;
pub mod policy;
pub mod python;
pub mod registry;
pub mod source;
pub mod syntax;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "lsp")]
pub mod lsp;
