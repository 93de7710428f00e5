//! Rule conditions (`when` / `conditions`, docs/language.md section 5), evaluated exactly as the
//! reference's `PolicyEvaluator._conditions_match` and `condition_ops.match_operator` do.
//!
//! Every condition must hold. A field is read from the merged args / context /
//! `context.tags` mapping ([`lookup`]); a scalar pattern is `fnmatchcase(str(value),
//! pattern)` (or a substring test, for the key `input_text` with a pattern free of
//! `*?[`), and an envelope dispatches to the operator table ([`operators`]). Conditions
//! are checked in order and the first failure stops the walk, which is unobservable
//! except in speed: no operator has side effects.
//!
//! One operator can be undecided: a `matches` whose pattern guardc cannot honour
//! exactly, or whose search hits the backtracking limit ([`RegexVerdict::Undecided`]).
//! The conditions are then undecided unless another one fails (which settles them), and
//! the gate is decided fail-closed ([`conditions_hold`]): passed for a deny or warn rule,
//! failed for an allow rule.

mod lookup;
mod numeric;
mod operators;

use serde_json::Value;

use super::Request;
use crate::policy::{Condition, ConditionTest, Effect};
use crate::python::json_py_str;

pub use crate::python::re::{
    CompiledRegex, RegexRefusal, RegexVerdict, Undecided, Untranslatable, compile_condition_regex,
};
pub(crate) use operators::{in_items, operand_text};

use lookup::Fields;
use operators::Envelope;

/// What the conditions of a rule decide for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionsOutcome {
    Hold,
    Fail,
    /// No condition fails, and at least one is undecided (the first one's reason).
    Undecided(Undecided),
}

impl ConditionsOutcome {
    /// The gate, decided fail-closed when undecided: a deny or warn rule applies, an allow
    /// rule does not.
    pub fn gate_passes(self, effect: Effect) -> bool {
        match self {
            ConditionsOutcome::Hold => true,
            ConditionsOutcome::Fail => false,
            ConditionsOutcome::Undecided(_) => effect != Effect::Allow,
        }
    }
}

/// Whether the conditions gate of a rule with `effect` passes for `request` (true for
/// no conditions), undecided conditions counted fail-closed.
pub fn conditions_hold(conditions: &[Condition], effect: Effect, request: &Request<'_>) -> bool {
    evaluate_conditions(conditions, request).gate_passes(effect)
}

/// What `conditions` decide for `request`: they hold when every one does.
pub fn evaluate_conditions(conditions: &[Condition], request: &Request<'_>) -> ConditionsOutcome {
    if conditions.is_empty() {
        return ConditionsOutcome::Hold;
    }
    let fields = Fields::new(request);
    let mut undecided = None;
    for condition in conditions {
        match holds(condition, &fields) {
            ConditionsOutcome::Hold => {}
            ConditionsOutcome::Fail => return ConditionsOutcome::Fail,
            ConditionsOutcome::Undecided(why) => {
                undecided.get_or_insert(why);
            }
        }
    }
    undecided.map_or(ConditionsOutcome::Hold, ConditionsOutcome::Undecided)
}

fn holds(condition: &Condition, fields: &Fields<'_>) -> ConditionsOutcome {
    let value = fields.get(&condition.field);
    let decided = |holds: bool| {
        if holds {
            ConditionsOutcome::Hold
        } else {
            ConditionsOutcome::Fail
        }
    };
    match &condition.test {
        ConditionTest::Glob {
            text,
            glob,
            substring,
        } => decided(value.is_some_and(|value| scalar_holds(value, text, glob, *substring))),
        ConditionTest::Operator {
            op,
            value: operand,
            case_insensitive,
            regex,
        } => Envelope {
            op: *op,
            operand: operand.as_ref(),
            case_insensitive: *case_insensitive,
            regex: regex.as_ref(),
        }
        .holds(value),
    }
}

/// A scalar pattern against a present value.
fn scalar_holds(value: &Value, text: &str, glob: &crate::pattern::Glob, substring: bool) -> bool {
    let subject = json_py_str(value);
    if substring {
        subject.contains(text)
    } else {
        glob.matches(&subject)
    }
}
