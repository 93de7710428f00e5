//! The envelope operators, `condition_ops.match_operator` of the reference.
//!
//! | op | holds when (`v` = field, `o` = operand, `None` when `value` is absent) |
//! |---|---|
//! | `exists` / `not_exists` | `v` present and not null / the opposite; `o` ignored |
//! | every other op | `v` missing or null: never |
//! | `gt` `lt` `gte` `lte` | `_as_float(v) OP _as_float(o)`; either side not numeric (bools included): never |
//! | `in` / `not_in` | items = list minus nulls, or comma-split stripped non-empty parts of a string, or `[o]`; all rendered with `str()`; no items: never (both ops); else `str(v)` in items / not in |
//! | `in_range` / `outside_range` | `numeric::range_bounds`; malformed: never (both ops); else inclusive range, numeric or lexical |
//! | `equals` | `str(v) == str(o)` |
//! | `contains` | `str(o)` is a substring of `str(v)` |
//! | `glob` | `fnmatchcase(str(v), str(o))` |
//! | `matches` | `re.search(str(o), str(v)[:8192])`, never for a pattern over 1024 code points or one `re` refuses; undecided for a pattern guardc cannot honour or a search over the backtracking limit |
//!
//! `case_insensitive` casefolds both texts (`str.casefold`, so `ß` equals `SS` and final
//! sigma equals sigma) for the string ops and `in`/`not_in`, and adds `re.IGNORECASE`
//! to `matches`; the numeric and range ops ignore it. A missing `value` is Python
//! `None`, whose `str()` is `"None"`.

use std::borrow::Cow;

use serde_json::Value;

use super::ConditionsOutcome;
use super::numeric::{in_range, json_as_float, operand_as_float, range_bounds};
use crate::pattern::{Glob, casefold};
use crate::policy::Operator;
use crate::python::re::{CompiledRegex, RegexVerdict};
use crate::python::{PyValue, json_py_str, py_strip};

/// One envelope, borrowed from the IR.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'p> {
    pub op: Operator,
    /// `None` when the envelope has no `value` key.
    pub operand: Option<&'p PyValue>,
    pub case_insensitive: bool,
    /// The `matches` operand compiled at load time, if the loader did.
    pub regex: Option<&'p CompiledRegex>,
}

const NONE: &PyValue = &PyValue::None;

impl Envelope<'_> {
    /// Whether the condition holds for the field value `value` (`None`: missing).
    pub fn holds(&self, value: Option<&Value>) -> ConditionsOutcome {
        let holds = match (self.op, value) {
            (Operator::Exists, value) => value.is_some(),
            (Operator::NotExists, value) => value.is_none(),
            (_, None) => false,
            (Operator::Matches, Some(value)) => return self.matches(value),
            (op, Some(value)) => self.holds_for(op, value),
        };
        if holds {
            ConditionsOutcome::Hold
        } else {
            ConditionsOutcome::Fail
        }
    }

    /// `matches`: the only operator that can be undecided.
    fn matches(&self, value: &Value) -> ConditionsOutcome {
        let (text, pattern) = self.texts(value, self.operand.unwrap_or(NONE));
        match self.search(&pattern, &text) {
            RegexVerdict::Found => ConditionsOutcome::Hold,
            RegexVerdict::NotFound => ConditionsOutcome::Fail,
            RegexVerdict::Undecided(why) => ConditionsOutcome::Undecided(why),
        }
    }

    fn holds_for(&self, op: Operator, value: &Value) -> bool {
        let operand = self.operand.unwrap_or(NONE);
        match op {
            Operator::Gt | Operator::Lt | Operator::Gte | Operator::Lte => {
                compare(op, value, operand)
            }
            Operator::In => membership(value, operand, self.case_insensitive) == Some(true),
            Operator::NotIn => membership(value, operand, self.case_insensitive) == Some(false),
            Operator::InRange => {
                range_bounds(operand).is_some_and(|(lo, hi)| in_range(value, &lo, &hi))
            }
            Operator::OutsideRange => {
                range_bounds(operand).is_some_and(|(lo, hi)| !in_range(value, &lo, &hi))
            }
            _ => self.text_op(op, value, operand),
        }
    }

    /// `equals`, `contains`, `glob`: on `str()` texts, casefolded if asked.
    fn text_op(&self, op: Operator, value: &Value, operand: &PyValue) -> bool {
        let (text, pattern) = self.texts(value, operand);
        match op {
            Operator::Equals => text == pattern,
            Operator::Contains => text.contains(pattern.as_ref()),
            Operator::Glob => Glob::parse(&pattern).matches(&text),
            _ => false,
        }
    }

    /// `str(value)` and `str(operand)`, casefolded when case-insensitive.
    fn texts<'a>(&self, value: &'a Value, operand: &'a PyValue) -> (Cow<'a, str>, Cow<'a, str>) {
        let (text, pattern) = (json_py_str(value), operand_text(operand));
        if self.case_insensitive {
            (fold(text), fold(pattern))
        } else {
            (text, pattern)
        }
    }

    /// `matches`, with the load-time program when there is one for this operand.
    /// `pattern` and `text` are already casefolded when case-insensitive.
    fn search(&self, pattern: &str, text: &str) -> RegexVerdict {
        match self.regex {
            Some(compiled) if compiled.is_for(pattern, self.case_insensitive) => {
                compiled.search(text)
            }
            _ => CompiledRegex::new(pattern, self.case_insensitive).search(text),
        }
    }
}

/// `gt`, `lt`, `gte`, `lte`; `nan` compares false everywhere, as in Python.
fn compare(op: Operator, value: &Value, operand: &PyValue) -> bool {
    let (Some(v), Some(o)) = (json_as_float(value), operand_as_float(operand)) else {
        return false;
    };
    match op {
        Operator::Gt => v > o,
        Operator::Lt => v < o,
        Operator::Gte => v >= o,
        _ => v <= o,
    }
}

/// Whether `str(value)` is among the operand's items; `None` when there are no items
/// (which fails `in` and `not_in` alike).
fn membership(value: &Value, operand: &PyValue, case_insensitive: bool) -> Option<bool> {
    let items = in_items(operand);
    if items.is_empty() {
        return None;
    }
    let text = json_py_str(value);
    Some(if case_insensitive {
        let text = casefold(&text);
        items.iter().any(|item| casefold(item) == text)
    } else {
        items.contains(&text)
    })
}

/// The items of an `in`/`not_in` operand as the reference's `_as_list` reads them,
/// rendered with `str()`: a list minus its nulls, the stripped non-empty parts of a
/// comma-separated string, or the operand itself; none for a missing operand. The
/// analyzer encodes `in` conditions with this same function, so the two cannot drift.
pub(crate) fn in_items(operand: &PyValue) -> Vec<Cow<'_, str>> {
    match operand {
        PyValue::None => Vec::new(),
        PyValue::List(items) => items
            .iter()
            .filter(|item| !matches!(item, PyValue::None))
            .map(operand_text)
            .collect(),
        PyValue::Str(text) => text
            .split(',')
            .map(py_strip)
            .filter(|part| !part.is_empty())
            .map(Cow::Borrowed)
            .collect(),
        other => vec![operand_text(other)],
    }
}

/// `str(operand)`, borrowing strings.
pub(crate) fn operand_text(operand: &PyValue) -> Cow<'_, str> {
    match operand {
        PyValue::Str(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.py_str()),
    }
}

fn fold(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => casefold(s),
        Cow::Owned(s) => Cow::Owned(casefold(&s).into_owned()),
    }
}

#[cfg(test)]
#[path = "operators_tests.rs"]
mod tests;
