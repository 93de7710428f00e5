//! One diagnostic model for everything users are told: load errors, limits, lints and
//! analyzer findings.
//!
//! A [`Diagnostic`] has a stable code from the registry, a lowercase message, a labelled
//! primary span, help that says what to do, related locations and witnesses. The same
//! value renders to human text (miette), JSON, SARIF and GitHub annotations, and feeds the
//! editors through the same value, so an editor and CI never disagree.

pub mod codes;
mod diagnostic;
pub(crate) mod escape;
pub mod render;
pub mod suggest;

pub use codes::{CodeInfo, Level};
pub use diagnostic::{Diagnostic, Related, Witness, WitnessDecision};
