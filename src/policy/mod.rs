//! The policy IR and the loader that builds it.
//!
//! [`load`] is the whole front half of the pipeline: it reads a document (choosing the
//! YAML or JSON front-end), validates it exactly as the reference SDK does (two-phase,
//! with the reference's messages kept as `compat_message`), and lowers it to a
//! [`Policy`]: canonical folded patterns, parsed globs, resolved ids, reasons and
//! eligibility. It never fails as a whole: the result always carries the diagnostics,
//! and a policy whenever the reference would have loaded the document.

mod ir;
mod load;
mod lower;
mod validate;

pub use ir::{Condition, ConditionTest, Effect, Operator, Policy, Rule, RuleSpans, Selector};
pub use load::{LoadResult, load, load_bytes, load_with_limits};
pub(crate) use validate::describe;
