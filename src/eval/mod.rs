//! Deciding calls: the request and decision types, and the reference interpreter.
//!
//! [`interpret`] walks the rules one by one exactly as LANGUAGE.md 3.2 states. It is the
//! oracle that every faster evaluator is tested against, so it is written to be obviously
//! correct, not fast.

mod decision;
mod request;

pub use decision::{Decision, Outcome};
pub use request::{JsonMap, Request};
