//! Deciding calls: the request and decision types, and the reference interpreter.
//!
//! [`interpret`] walks the rules one by one exactly as docs/language.md section 4 states. It is the
//! oracle that every faster evaluator is tested against, so it is written to be obviously
//! correct, not fast.

mod batch;
mod compiled;
mod conditions;
mod decision;
mod interpreter;
mod lineage;
mod record;
mod request;
mod trace_text;

pub use batch::{BatchStats, MAX_REQUEST_LINE_BYTES, decide_json_lines, decide_json_lines_within};
pub use compiled::{CompiledPolicy, RuleTable};
pub use conditions::{
    CompiledRegex, ConditionsOutcome, RegexRefusal, RegexVerdict, Undecided, Untranslatable,
    compile_condition_regex, conditions_hold, evaluate_conditions,
};
pub(crate) use conditions::{in_items, operand_text};
pub use decision::{Decision, Outcome, RuleSource};
pub(crate) use interpreter::failed_selector;
pub use interpreter::{Gate, RuleTrace, interpret, interpret_among, no_match, trace};
pub use lineage::{Lineage, hex};
pub use record::DecisionRecord;
pub use request::{JsonMap, Request};
pub use trace_text::trace_lines;
