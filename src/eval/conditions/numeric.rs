//! The numeric side of the operators: the reference's `_as_float` coercion, and the
//! `in_range` / `outside_range` bounds.
//!
//! `_as_float` is not Python's `float()`: it refuses booleans ("bool is an int subclass;
//! never treat as a number here", so `gt: true` never matches), converts ints and floats,
//! parses strings with `float(x.strip())` and refuses everything else. Ranges compare
//! numerically only when the value and both bounds parse; otherwise they compare the
//! texts lexically (code point order), which is how `'09:00-17:00'` works, and also why
//! `in_range: '09:00-17:00'` accepts the number `10` (`'09:00' <= '10' <= '17:00'`).

use std::borrow::Cow;

use serde_json::Value;

use crate::python::{PyValue, json_py_str, parse_py_float, py_float, py_strip};

/// `_as_float` of a request value.
pub fn json_as_float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => json_number_f64(n),
        Value::String(s) => str_as_float(s),
        _ => None,
    }
}

/// `_as_float` of a policy operand.
pub fn operand_as_float(value: &PyValue) -> Option<f64> {
    match value {
        PyValue::Int(_) | PyValue::Float(_) => py_float(value),
        PyValue::Str(s) => str_as_float(s),
        _ => None,
    }
}

/// `float()` of a JSON number as `json.loads` reads it: `1e400` is `inf`. serde_json's
/// `as_f64` refuses non-finite results, so the kept spelling is parsed instead (Rust and
/// CPython both round correctly, for integers and decimals alike).
pub fn json_number_f64(n: &serde_json::Number) -> Option<f64> {
    n.as_str().parse::<f64>().ok()
}

/// `float(text.strip())`.
pub fn str_as_float(text: &str) -> Option<f64> {
    parse_py_float(py_strip(text))
}

/// The bounds of a range operand, `_range_bounds`: a two-element list gives
/// `(str(lo), str(hi))`; a string with a `-` is split at its *first* `-` and both halves
/// stripped and required non-empty (so `"-5-5"` and `"5"` are malformed, and
/// `"2024-01-01-2024-12-31"` is `("2024", "01-01-2024-12-31")`). Anything else is
/// malformed, and a malformed range never matches (not even `outside_range`).
pub fn range_bounds(operand: &PyValue) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    match operand {
        PyValue::List(items) => match items.as_slice() {
            [lo, hi] => Some((py_str_cow(lo), py_str_cow(hi))),
            _ => None,
        },
        PyValue::Str(text) => {
            let (lo, hi) = text.split_once('-')?;
            let (lo, hi) = (py_strip(lo), py_strip(hi));
            (!lo.is_empty() && !hi.is_empty()).then_some((Cow::Borrowed(lo), Cow::Borrowed(hi)))
        }
        _ => None,
    }
}

/// `_in_range`: inclusive, numeric when all three parse, else lexical on `str(value)`.
pub fn in_range(value: &Value, lo: &str, hi: &str) -> bool {
    if let (Some(v), Some(lo), Some(hi)) =
        (json_as_float(value), str_as_float(lo), str_as_float(hi))
    {
        return lo <= v && v <= hi;
    }
    let text = json_py_str(value);
    // Rust compares `str` by UTF-8 bytes, which orders like Python's code points.
    lo <= text.as_ref() && text.as_ref() <= hi
}

fn py_str_cow(value: &PyValue) -> Cow<'_, str> {
    match value {
        PyValue::Str(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.py_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(text: &str) -> PyValue {
        PyValue::Str(text.to_owned())
    }

    #[test]
    fn booleans_are_not_numbers() {
        assert_eq!(json_as_float(&json!(true)), None);
        assert_eq!(operand_as_float(&PyValue::Bool(true)), None);
        assert_eq!(json_as_float(&json!(5)), Some(5.0));
        let huge: Value = serde_json::from_str("1e400").unwrap();
        assert_eq!(json_as_float(&huge), Some(f64::INFINITY));
        assert_eq!(json_as_float(&json!(" 1_0 ")), Some(10.0));
        assert_eq!(json_as_float(&json!("\x1c5")), Some(5.0));
        assert_eq!(json_as_float(&json!(null)), None);
        assert_eq!(json_as_float(&json!([1])), None);
        assert_eq!(operand_as_float(&s("1e3")), Some(1000.0));
        assert_eq!(operand_as_float(&PyValue::Int(-3)), Some(-3.0));
    }

    #[test]
    fn bounds_follow_range_bounds() {
        let bounds = |v: &PyValue| range_bounds(v).map(|(a, b)| (a.into_owned(), b.into_owned()));
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(bounds(&s("1-10")), pair("1", "10"));
        assert_eq!(bounds(&s("1 - 10")), pair("1", "10"));
        assert_eq!(bounds(&s("-5-5")), None);
        assert_eq!(bounds(&s("5")), None);
        assert_eq!(bounds(&s("5-")), None);
        assert_eq!(
            bounds(&s("2024-01-01-2024-12-31")),
            pair("2024", "01-01-2024-12-31")
        );
        assert_eq!(
            bounds(&PyValue::List(vec![PyValue::Int(1), s("x")])),
            pair("1", "x")
        );
        assert_eq!(bounds(&PyValue::List(vec![PyValue::Int(1)])), None);
        assert_eq!(bounds(&PyValue::Int(5)), None);
        assert_eq!(bounds(&PyValue::None), None);
    }

    #[test]
    fn ranges_compare_numbers_or_text() {
        assert!(in_range(&json!(5), "1", "10"));
        assert!(in_range(&json!("1e1"), "1", "10"));
        assert!(!in_range(&json!(5), "10", "1"));
        assert!(in_range(&json!(10), "09:00", "17:00"));
        assert!(!in_range(&json!(5), "09:00", "17:00"));
        assert!(in_range(&json!("bz"), "a", "c"));
        assert!(!in_range(&json!("ca"), "a", "c"));
        assert!(!in_range(&json!("nan"), "1", "10"));
        assert!(in_range(&json!(true), "False", "Zzz"));
    }
}
