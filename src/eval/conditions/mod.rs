//! Rule conditions (`when` / `conditions`, docs/language.md section 5), evaluated exactly as the
//! reference's `PolicyEvaluator._conditions_match` and `condition_ops.match_operator` do.
//!
//! Every condition must hold. A field is read from the merged args / context /
//! `context.tags` mapping ([`lookup`]); a scalar pattern is `fnmatchcase(str(value),
//! pattern)` (or a substring test, for the key `input_text` with a pattern free of
//! `*?[`), and an envelope dispatches to the operator table ([`operators`]). Conditions
//! are checked in order and the first failure stops the walk, which is unobservable
//! except in speed: no operator has side effects.

mod lookup;
mod numeric;
mod operators;
mod pyre;

use serde_json::Value;

use super::Request;
use crate::policy::{Condition, ConditionTest};
use crate::python::json_py_str;

pub(crate) use operators::{in_items, operand_text};
pub use pyre::{CompiledRegex, RegexRefusal, Untranslatable, compile_condition_regex};

use lookup::Fields;
use operators::Envelope;

/// Whether all `conditions` hold for `request` (true for none).
pub fn conditions_hold(conditions: &[Condition], request: &Request<'_>) -> bool {
    if conditions.is_empty() {
        return true;
    }
    let fields = Fields::new(request);
    conditions.iter().all(|condition| holds(condition, &fields))
}

fn holds(condition: &Condition, fields: &Fields<'_>) -> bool {
    let value = fields.get(&condition.field);
    match &condition.test {
        ConditionTest::Glob {
            text,
            glob,
            substring,
        } => value.is_some_and(|value| scalar_holds(value, text, glob, *substring)),
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
